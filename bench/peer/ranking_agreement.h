// Whether two top-k lists of partners are the same ranking: the proof that
// Socio and its SQL peer compute the same thing.
//
//   RankingAgreement agreement = CompareRankings(socio, peer, 1e-9, socio_score_of);
//   if (!agreement.same) std::cerr << agreement.difference;
//
// Both lists are best first, ties broken by id. They agree when, rank by
// rank, the scores are equal within `tolerance` and so are the ids, except
// that partners whose scores tie within `tolerance` may come in either order
// (the two sides round differently): within a run of such ties the same ids
// must appear. A run that reaches the last rank may go on past it, so there
// the two sides may have cut it at different partners; an id only the peer
// lists must then score, by Socio's own reckoning (`socio_score_of`, nullopt
// if Socio does not know it), the same as the run within `tolerance`.
#ifndef SOCIO_BENCH_PEER_RANKING_AGREEMENT_H_
#define SOCIO_BENCH_PEER_RANKING_AGREEMENT_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace socio::bench {

struct RankedPartner {
  std::string id;
  double score = 0;
};

struct RankingAgreement {
  bool same = false;
  // Ranks whose ids differ only by the order of tied scores.
  int reordered = 0;
  // Ids at the end of the list that differ within a tie cut by k.
  int cut_ties = 0;
  // The first difference, for people; empty when `same`.
  std::string difference;
};

RankingAgreement CompareRankings(
    const std::vector<RankedPartner>& socio, const std::vector<RankedPartner>& peer,
    double tolerance,
    const std::function<std::optional<double>(const std::string& id)>& socio_score_of);

}  // namespace socio::bench

#endif  // SOCIO_BENCH_PEER_RANKING_AGREEMENT_H_
