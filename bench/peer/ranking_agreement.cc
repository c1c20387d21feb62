#include "bench/peer/ranking_agreement.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_format.h"

namespace socio::bench {

RankingAgreement CompareRankings(
    const std::vector<RankedPartner>& socio, const std::vector<RankedPartner>& peer,
    double tolerance,
    const std::function<std::optional<double>(const std::string& id)>& socio_score_of) {
  RankingAgreement out;
  auto differ = [&out](std::string why) {
    out.same = false;
    out.difference = std::move(why);
    return out;
  };
  if (socio.size() != peer.size()) {
    return differ(
        absl::StrFormat("Socio lists %d partners, the peer %d", socio.size(), peer.size()));
  }
  const size_t n = socio.size();
  for (size_t i = 0; i < n; ++i) {
    if (!(std::fabs(socio[i].score - peer[i].score) <= tolerance)) {
      return differ(absl::StrFormat("rank %d: Socio %s %.12f, peer %s %.12f", i + 1, socio[i].id,
                                    socio[i].score, peer[i].id, peer[i].score));
    }
  }
  // Runs of ranks whose Socio scores tie within the tolerance, each with the
  // one before it.
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    while (end < n && socio[end - 1].score - socio[end].score <= tolerance) ++end;
    std::vector<std::string> mine, theirs;
    for (size_t i = begin; i < end; ++i) {
      mine.push_back(socio[i].id);
      theirs.push_back(peer[i].id);
      if (socio[i].id != peer[i].id) ++out.reordered;
    }
    std::sort(mine.begin(), mine.end());
    std::sort(theirs.begin(), theirs.end());
    if (mine != theirs) {
      if (end < n) {
        return differ(absl::StrFormat(
            "ranks %d-%d (scores tied at %.12f): Socio and the peer list different partners",
            begin + 1, end, socio[begin].score));
      }
      // The last run, cut by k: the peer's extra partners must tie with it.
      for (size_t i = begin; i < end; ++i) {
        if (std::binary_search(mine.begin(), mine.end(), peer[i].id)) continue;
        const std::optional<double> score = socio_score_of(peer[i].id);
        if (!score.has_value() || !(std::fabs(*score - peer[i].score) <= tolerance)) {
          return differ(absl::StrFormat(
              "rank %d: the peer lists %s at %.12f, which Socio scores %s", i + 1, peer[i].id,
              peer[i].score,
              score.has_value() ? absl::StrFormat("%.12f", *score) : std::string("not at all")));
        }
        ++out.cut_ties;
      }
    }
    begin = end;
  }
  out.same = true;
  return out;
}

}  // namespace socio::bench
