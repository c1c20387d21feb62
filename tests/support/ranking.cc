#include "tests/support/ranking.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/profile_generator.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "matcher/scoring.h"

namespace socio::testing {

std::vector<socio::v1::Profile> GeneratedCrowd(uint64_t seed, int count) {
  bench::ProfileGenerator generator({.seed = seed});
  std::vector<socio::v1::Profile> crowd;
  for (int i = 0; i < count; ++i) {
    crowd.push_back(generator.Next());
    crowd.back().set_version(1);
  }
  return crowd;
}

socio::v1::Profile ProfileFromJson(absl::string_view json) {
  socio::v1::Profile p;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(json), &p).ok()) << json;
  p.set_version(1);
  return p;
}

std::vector<std::string> TopPartners(const matcher::MatchIndex& index, const std::string& member,
                                     int k, int64_t now_seconds, std::string* scores) {
  matcher::PartnerQuery query;
  query.member_id = member;
  query.k = k;
  query.weights = *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights");
  query.now_seconds = now_seconds;
  absl::StatusOr<matcher::PartnerResult> result = index.FindPartners(query);
  EXPECT_TRUE(result.ok()) << result.status();
  std::vector<std::string> ids;
  if (!result.ok()) return ids;
  for (const socio::v1::Match& m : result->matches) {
    ids.push_back(m.partner_id());
    if (scores != nullptr) absl::StrAppend(scores, m.partner_id(), " ", m.score(), "; ");
  }
  return ids;
}

int RankOf(const matcher::MatchIndex& index, const std::string& member, const std::string& partner,
           int k, int64_t now_seconds, std::string* scores) {
  const std::vector<std::string> top = TopPartners(index, member, k, now_seconds, scores);
  for (size_t i = 0; i < top.size(); ++i) {
    if (top[i] == partner) return static_cast<int>(i) + 1;
  }
  return 0;
}

void RankBothWays(const matcher::MatchIndex& index, const std::string& a, const std::string& b,
                  int k, int64_t now_seconds, PairTally* tally) {
  for (const auto& [member, partner] : {std::pair(a, b), std::pair(b, a)}) {
    std::string top;
    const int rank = RankOf(index, member, partner, k, now_seconds, &top);
    EXPECT_GT(rank, 0) << member << " misses " << partner << "; top " << k << ": " << top;
    ++tally->directions;
    tally->found += rank > 0;
    tally->first += rank == 1;
  }
}

std::string ReasonsOf(const matcher::MatchIndex& index, const std::string& a, const std::string& b,
                      int64_t now_seconds) {
  absl::StatusOr<socio::v1::Match> match = index.Explain(
      a, b, *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights"), now_seconds);
  EXPECT_TRUE(match.ok()) << match.status();
  return match.ok() ? absl::StrJoin(match->reasons(), " | ") : "";
}

}  // namespace socio::testing
