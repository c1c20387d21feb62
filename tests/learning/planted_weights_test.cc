// The suggester recovers weights planted in simulated outcomes well enough
// to rank newer outcomes better than the defaults.
//
// The outcomes are socio-gen's simulation (bench/outcome_simulator.h): pairs
// FindPartners proposes under the default weights among 2,000 generated
// members, labelled by hidden weights far from the defaults plus noise.
// socio-bench-learning (docs/PERFORMANCE.md) measured, at 1,000 outcomes and
// noise 0.03, every one of 7 seeds' suggestions ranking the newer 30 % better
// than the defaults (median AUC gain +0.07) and L1 distances to the hidden
// weights of 0.07 to 0.14 (median 0.09), against the defaults' 0.6. The
// criteria below keep a margin: AUC better on each seed, L1 below 0.18.
#include <cmath>
#include <memory>
#include <vector>

#include "bench/outcome_simulator.h"
#include "gtest/gtest.h"
#include "learning/suggest.h"
#include "matcher/features.h"
#include "matcher/scoring.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::learning {
namespace {

double L1(const matcher::Weights& a, const matcher::Weights& b) {
  double d = 0;
  for (int f = 0; f < matcher::kFactorCount; ++f) d += std::abs(a.w[f] - b.w[f]);
  return d;
}

TEST(PlantedWeightsTest, SuggestionBeatsTheDefaultsAndNearsTheTruth) {
  ASSIGN_OR_FAIL(const matcher::Weights truth,
                 bench::ParseWeights("0.2,0.3,0.1,0.05,0.25,0.05,0.05", "truth"));
  ASSIGN_OR_FAIL(const matcher::Weights defaults,
                 matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights"));
  const auto tables = std::make_shared<const matcher::ScoringTables>(testing::TestReference());
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    ASSIGN_OR_FAIL(
        const std::vector<Outcome> outcomes,
        bench::SimulateOutcomes(
            tables,
            {.seed = seed, .members = 2000, .outcomes = 1000, .truth = truth, .noise = 0.03}));
    ASSIGN_OR_FAIL(const Suggestion s, SuggestWeights(outcomes, defaults, SuggestOptions{}));
    EXPECT_GT(s.held_out_suggested.auc, s.held_out_current.auc);
    EXPECT_LT(L1(s.suggested, truth), 0.18);
    EXPECT_LT(L1(s.suggested, truth), L1(defaults, truth) / 3);
  }
}

TEST(PlantedWeightsTest, SimulationIsTheSameForTheSameSeed) {
  ASSIGN_OR_FAIL(const matcher::Weights truth,
                 bench::ParseWeights("0.2,0.3,0.1,0.05,0.25,0.05,0.05", "truth"));
  const auto tables = std::make_shared<const matcher::ScoringTables>(testing::TestReference());
  const bench::SimulationOptions options{
      .seed = 9, .members = 500, .outcomes = 200, .truth = truth};
  ASSIGN_OR_FAIL(const std::vector<Outcome> a, bench::SimulateOutcomes(tables, options));
  ASSIGN_OR_FAIL(const std::vector<Outcome> b, bench::SimulateOutcomes(tables, options));
  ASSERT_EQ(a.size(), 200u);
  ASSERT_EQ(b.size(), a.size());
  int positives = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(bench::OutcomeJson(a[i]), bench::OutcomeJson(b[i]));
    positives += a[i].positive;
  }
  EXPECT_NEAR(positives, 0.3 * a.size(), 2);
}

}  // namespace
}  // namespace socio::learning
