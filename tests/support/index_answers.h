// What an index answers for a sample of its members, as comparable text:
// tests that build an index two ways (from a scan, a snapshot, a remote
// change stream) compare these.
#ifndef SOCIO_TESTS_SUPPORT_INDEX_ANSWERS_H_
#define SOCIO_TESTS_SUPPORT_INDEX_ANSWERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "matcher/match_index.h"
#include "matcher/scoring.h"

namespace socio::testing {

// FindPartners with the default weights at `now_seconds` for every
// `stride`-th of `ids`: one line per match ("member partner score"), or the
// error.
inline std::vector<std::string> IndexAnswers(const matcher::MatchIndex& index,
                                             const std::vector<std::string>& ids, size_t stride,
                                             int64_t now_seconds) {
  std::vector<std::string> out;
  matcher::PartnerQuery query;
  query.now_seconds = now_seconds;
  query.weights = *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights");
  for (size_t i = 0; i < ids.size(); i += stride) {
    query.member_id = ids[i];
    absl::StatusOr<matcher::PartnerResult> result = index.FindPartners(query);
    if (!result.ok()) {
      out.push_back(result.status().ToString());
      continue;
    }
    for (const socio::v1::Match& m : result->matches) {
      out.push_back(absl::StrCat(ids[i], " ", m.partner_id(), " ", m.score()));
    }
  }
  return out;
}

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_INDEX_ANSWERS_H_
