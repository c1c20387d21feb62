// Fits the matcher's factor weights to labelled outcomes.
//
// The model is pairwise logistic: for a positive outcome p and a negative one
// n, P(p ranks above n) = sigmoid(scale * w . (x_p - x_n)), where x is the
// mean of the pair's factor scores in both directions ((forward + backward) /
// 2). The mean rather than the matcher's harmonic mean of the two weighted
// sums: w . x is then linear in w and the loss convex, so the fit has one
// optimum, reached from any start; the two means rank alike when the two
// directions score alike, as they mostly do for proposed pairs, and the
// evaluation (suggest.h) ranks by the matcher's real reciprocal score.
//
// The weights stay non-negative and add up to 1 (projected gradient descent
// on the simplex), and an L2 term pulls them toward the current weights with
// the strength of `prior_outcomes` outcomes, so that a few outcomes move them
// little:
//
//   minimise  mean over pairs of log(1 + exp(-scale * w . (x_p - x_n)))
//             + (prior_outcomes / outcomes) / 2 * |w - current|^2
//
// over w on the simplex and, unless told otherwise, over scale > 0 too. A
// factor with the same mean score for every outcome tells the outcomes
// nothing and keeps its current weight.
//
//   matcher::Weights w = FitWeights(outcomes, current, FitOptions{});
//
// Deterministic: the same arguments give the same weights. Pure; thread-safe.
#ifndef SOCIO_LEARNING_WEIGHT_FIT_H_
#define SOCIO_LEARNING_WEIGHT_FIT_H_

#include <array>
#include <vector>

#include "learning/outcome.h"
#include "matcher/scoring.h"

namespace socio::learning {

struct FitOptions {
  // How many outcomes the pull toward the current weights is worth.
  double prior_outcomes = 500;
  // The logistic's slope on differences of score, where the fit starts (or
  // stays, without fit_scale). Scores lie in [0, 1] and proposed pairs differ
  // by a few hundredths.
  double scale = 30;
  // Whether the slope is fitted too: by turns the weights at a fixed slope,
  // then the slope at fixed weights, up to max_rounds times. The slope says
  // how noisy the outcomes are; a slope too steep for them pushes the
  // weights to the simplex's corners.
  bool fit_scale = true;
  double max_scale = 1000;
  int max_rounds = 10;
  // At most this many (positive, negative) pairs, drawn by a fixed rule when
  // there are more; all of them when there are fewer.
  int max_pairs = 8000;
  int max_iterations = 200;  // descent steps per round
};

// The fitted weights. The current weights when `outcomes` hold no positive or
// no negative outcome. REQUIRES: every outcome passes ValidateOutcome;
// `current` is on the simplex.
matcher::Weights FitWeights(const std::vector<Outcome>& outcomes, const matcher::Weights& current,
                            const FitOptions& options);

// The point of the simplex {w >= 0, sum w = 1} nearest to `v` (Euclidean).
matcher::Weights ProjectOntoSimplex(const std::array<double, matcher::kFactorCount>& v);

}  // namespace socio::learning

#endif  // SOCIO_LEARNING_WEIGHT_FIT_H_
