// Simulated meeting outcomes, labelled from a hidden "true" weight vector,
// for socio-gen's outcome mode, socio-bench-learning and the learning tests.
//
// Generated members (ProfileGenerator) go into a matcher::MatchIndex; members
// drawn at random without repetition each get their top
// `partners_per_member` partners as FindPartners proposes them under the
// proposing weights (the defaults unless set), one drawn member per day (all
// scored as of the first day, so that no factor drifts with time). Each
// proposed pair is an outcome carrying its factor scores both ways; its
// label compares the pair's reciprocal score under the true weights plus
// Gaussian noise (standard deviation `noise`) with the other pairs': the
// `positive_share` highest are positive.
//
//   absl::StatusOr<std::vector<learning::Outcome>> outcomes =
//       SimulateOutcomes(tables, {.seed = 7, .outcomes = 1000, .truth = truth});
//
// The same options give the same outcomes on every run and platform (no
// clock, no std:: distributions). Thread-safe.
#ifndef SOCIO_BENCH_OUTCOME_SIMULATOR_H_
#define SOCIO_BENCH_OUTCOME_SIMULATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "learning/outcome.h"
#include "matcher/features.h"
#include "matcher/scoring.h"

namespace socio::bench {

struct SimulationOptions {
  uint64_t seed = 1;    // selects the members and the draws
  int members = 2000;   // generated profiles in the index
  int outcomes = 1000;  // REQUIRES: <= members * partners_per_member
  int partners_per_member = 8;
  matcher::Weights truth;                     // labels the outcomes
  std::optional<matcher::Weights> proposing;  // nullopt: the defaults
  double noise = 0.03;                        // on the reciprocal score
  double positive_share = 0.3;
  int64_t start_seconds = 1795000000;  // the first draw's day (2026-11-18)
};

// INVALID_ARGUMENT for options out of range; FAILED_PRECONDITION when the
// members' searches find fewer partners than `outcomes`.
absl::StatusOr<std::vector<learning::Outcome>> SimulateOutcomes(
    std::shared_ptr<const matcher::ScoringTables> tables, const SimulationOptions& options);

// "0.2,0.3,0.1,0.05,0.25,0.05,0.05": seven non-negative numbers in the order
// objective, market, sector, culture, text, size, freshness, normalised to
// add up to 1. INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<matcher::Weights> ParseWeights(absl::string_view text, absl::string_view field);

// One line of JSON, without the newline:
// {"member_id":"de-0000001","partner_id":"mx-0000042","recorded_seconds":1795000000,
//  "positive":true,"forward":[7 numbers],"backward":[7 numbers]}
std::string OutcomeJson(const learning::Outcome& outcome);

}  // namespace socio::bench

#endif  // SOCIO_BENCH_OUTCOME_SIMULATOR_H_
