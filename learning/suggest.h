// Suggests factor weights from a chamber's recorded outcomes, with an
// out-of-time evaluation beside the current weights.
//
// The outcomes are ordered by when they were recorded and split: the newest
// `held_out_share` (all outcomes recorded at the same second as the first of
// them included) are held out, the older ones fitted (FitWeights). Both the
// weights so fitted and the current weights then rank the held-out outcomes
// by the matcher's reciprocal score (matcher::Reciprocal of the two
// matcher::WeightedSum), measured by AUC and NDCG@10. The suggestion itself is
// fitted to all outcomes, the newest included: the evaluation tells how well
// the procedure does on outcomes it has not seen.
//
//   absl::StatusOr<Suggestion> s = SuggestWeights(outcomes, current, SuggestOptions{});
//   if (!s.ok()) ...  // FAILED_PRECONDITION "not enough outcomes: 80 of at least 500"
//   s->suggested;  s->held_out_suggested.auc  vs  s->held_out_current.auc
//
// Nothing here changes weights: staff apply a suggestion. Pure; thread-safe.
#ifndef SOCIO_LEARNING_SUGGEST_H_
#define SOCIO_LEARNING_SUGGEST_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "learning/outcome.h"
#include "learning/weight_fit.h"
#include "matcher/scoring.h"

namespace socio::learning {

// Fewer outcomes than this and SuggestWeights refuses. From
// socio-bench-learning (docs/PERFORMANCE.md), 7 seeds: from 500 outcomes on,
// where the true weights are far from the defaults the suggestion ranks the
// newer outcomes better on every seed (AUC +0.05, NDCG@10 +0.04, at noise
// 0.03 and 0.1 alike); where the defaults are already right it costs at most
// a median 0.005 of AUC. Below, it lost on a seed where the defaults were
// wrong (200, noise 0.1) and cost up to 0.0065 where they were right.
inline constexpr int kMinOutcomes = 500;

// How a set of weights ranks a set of outcomes.
struct RankingQuality {
  // The probability that a positive outcome outscores a negative one (ties
  // count one half), over every (positive, negative) pair of the outcomes;
  // 0.5 when there is no such pair.
  double auc = 0.5;
  // NDCG@10 of each member's partners ranked by score (ties by partner id),
  // gain 1 for a positive outcome, averaged over the members with at least
  // one positive and one negative outcome; 0 when there is none.
  double ndcg_at_10 = 0;
  int outcomes = 0;
  int positives = 0;
  int members_ranked = 0;  // the members NDCG@10 averages over
};

// The score the matcher gives the outcome's pair under `weights`.
double ReciprocalScore(const Outcome& outcome, const matcher::Weights& weights);

RankingQuality Evaluate(const std::vector<Outcome>& outcomes, const matcher::Weights& weights);

struct SuggestOptions {
  // The share of outcomes, the newest, held out of the evaluation's fit.
  double held_out_share = 0.3;
  // Refuse below this many outcomes.
  int min_outcomes = kMinOutcomes;
  FitOptions fit;
};

struct Suggestion {
  matcher::Weights suggested;         // fitted to all outcomes
  matcher::Weights evaluated;         // fitted to the older outcomes only
  RankingQuality held_out_suggested;  // `evaluated` on the newer outcomes
  RankingQuality held_out_current;    // the current weights on the newer outcomes
  int outcomes = 0;
  int fitted_outcomes = 0;             // the older ones
  int held_out_outcomes = 0;           // the newer ones
  int64_t held_out_since_seconds = 0;  // recorded at or after this
};

// INVALID_ARGUMENT naming outcomes[i] for an outcome ValidateOutcome rejects;
// FAILED_PRECONDITION "not enough outcomes: N of at least M" below
// options.min_outcomes, or when the older or the newer outcomes hold no
// positive or no negative one (saying which). REQUIRES: `current` on the
// simplex (as NormalizeWeights returns them).
absl::StatusOr<Suggestion> SuggestWeights(std::vector<Outcome> outcomes,
                                          const matcher::Weights& current,
                                          const SuggestOptions& options);

}  // namespace socio::learning

#endif  // SOCIO_LEARNING_SUGGEST_H_
