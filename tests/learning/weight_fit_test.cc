// FitWeights: the weights stay on the simplex, the fit is deterministic,
// recovers the direction outcomes point to, and a few outcomes move the
// weights less than many.
#include "learning/weight_fit.h"

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "learning/outcome.h"
#include "matcher/scoring.h"

namespace socio::learning {
namespace {

constexpr int kF = matcher::kFactorCount;

void ExpectOnSimplex(const matcher::Weights& w) {
  double sum = 0;
  for (double x : w.w) {
    EXPECT_GE(x, 0);
    sum += x;
  }
  EXPECT_NEAR(sum, 1, 1e-9);
}

double L1(const matcher::Weights& a, const matcher::Weights& b) {
  double d = 0;
  for (int f = 0; f < kF; ++f) d += std::abs(a.w[f] - b.w[f]);
  return d;
}

matcher::Weights Defaults() {
  return *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "w");
}

// Outcomes with random factor scores, positive when `truth` scores the pair
// (plus noise) above the median of the pairs drawn.
std::vector<Outcome> Planted(const matcher::Weights& truth, int n, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> noise(0, 0.02);
  std::vector<Outcome> out(n);
  std::vector<double> utility(n);
  for (int i = 0; i < n; ++i) {
    for (int f = 0; f < kF; ++f) {
      out[i].forward[f] = unit(random);
      out[i].backward[f] = unit(random);
    }
    out[i].member_id = "m" + std::to_string(i / 8);
    out[i].partner_id = "p" + std::to_string(i);
    out[i].recorded_seconds = i;
    utility[i] = matcher::Reciprocal(matcher::WeightedSum(truth, out[i].forward),
                                     matcher::WeightedSum(truth, out[i].backward)) +
                 noise(random);
  }
  std::vector<double> sorted = utility;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < n; ++i) out[i].positive = utility[i] > sorted[n / 2];
  return out;
}

TEST(ProjectOntoSimplexTest, LandsOnTheSimplexAtTheNearestPoint) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> wide(-3, 3), unit(0, 1);
  for (int trial = 0; trial < 200; ++trial) {
    std::array<double, kF> v;
    for (double& x : v) x = wide(random);
    const matcher::Weights p = ProjectOntoSimplex(v);
    ExpectOnSimplex(p);
    double to_p = 0;
    for (int f = 0; f < kF; ++f) to_p += (v[f] - p.w[f]) * (v[f] - p.w[f]);
    // No other point of the simplex is nearer.
    for (int other = 0; other < 20; ++other) {
      std::array<double, kF> q;
      double sum = 0;
      for (double& x : q) sum += (x = -std::log(unit(random) + 1e-12));
      double to_q = 0;
      for (int f = 0; f < kF; ++f) to_q += (v[f] - q[f] / sum) * (v[f] - q[f] / sum);
      EXPECT_LE(to_p, to_q + 1e-12);
    }
  }
  const matcher::Weights defaults = Defaults();
  const matcher::Weights same = ProjectOntoSimplex(defaults.w);
  for (int f = 0; f < kF; ++f) EXPECT_NEAR(same.w[f], defaults.w[f], 1e-12);
}

TEST(FitWeightsTest, WeightsStayOnTheSimplex) {
  matcher::Weights corner;
  corner.w[matcher::kText] = 1;
  for (const matcher::Weights& truth : {Defaults(), corner}) {
    for (int n : {2, 30, 400}) {
      for (double prior : {0.0, 200.0}) {
        FitOptions options;
        options.prior_outcomes = prior;
        const matcher::Weights w = FitWeights(Planted(truth, n, n), Defaults(), options);
        ExpectOnSimplex(w);
      }
    }
  }
  // Scores at the ends of [0, 1] only.
  std::vector<Outcome> extreme(40);
  for (int i = 0; i < 40; ++i) {
    for (int f = 0; f < kF; ++f) extreme[i].forward[f] = extreme[i].backward[f] = (i + f) % 2;
    extreme[i].positive = i % 3 == 0;
  }
  ExpectOnSimplex(FitWeights(extreme, Defaults(), FitOptions{}));
}

TEST(FitWeightsTest, SameOutcomesGiveTheSameWeights) {
  matcher::Weights truth;
  truth.w = {0.1, 0.4, 0.1, 0.1, 0.2, 0.05, 0.05};
  const std::vector<Outcome> outcomes = Planted(truth, 600, 3);
  const matcher::Weights a = FitWeights(outcomes, Defaults(), FitOptions{});
  const matcher::Weights b = FitWeights(outcomes, Defaults(), FitOptions{});
  EXPECT_EQ(a.w, b.w);
}

TEST(FitWeightsTest, WithoutBothLabelsTheCurrentWeightsStay) {
  std::vector<Outcome> outcomes = Planted(Defaults(), 50, 4);
  for (Outcome& o : outcomes) o.positive = true;
  EXPECT_EQ(FitWeights(outcomes, Defaults(), FitOptions{}).w, Defaults().w);
  EXPECT_EQ(FitWeights({}, Defaults(), FitOptions{}).w, Defaults().w);
}

TEST(FitWeightsTest, AFactorEveryOutcomeScoresAlikeKeepsItsWeight) {
  matcher::Weights truth;
  truth.w = {0.1, 0.4, 0.1, 0.1, 0.2, 0.05, 0.05};
  std::vector<Outcome> outcomes = Planted(truth, 2000, 6);
  for (Outcome& o : outcomes) {
    o.forward[matcher::kFreshness] = 0.5;  // profiles that do not say when they were written
    o.backward[matcher::kFreshness] = 0.5;
  }
  const matcher::Weights w = FitWeights(outcomes, Defaults(), FitOptions{});
  ExpectOnSimplex(w);
  EXPECT_DOUBLE_EQ(w.w[matcher::kFreshness], Defaults().w[matcher::kFreshness]);
  EXPECT_NE(w.w[matcher::kMarket], Defaults().w[matcher::kMarket]);
}

TEST(FitWeightsTest, MovesTowardThePlantedWeightsMoreWithMoreOutcomes) {
  matcher::Weights truth;
  truth.w = {0.05, 0.5, 0.05, 0.05, 0.25, 0.05, 0.05};
  const matcher::Weights few = FitWeights(Planted(truth, 20, 5), Defaults(), FitOptions{});
  const matcher::Weights many = FitWeights(Planted(truth, 3000, 5), Defaults(), FitOptions{});
  // A few outcomes move the weights a little, many move them most of the way.
  EXPECT_LT(L1(few, Defaults()), L1(many, Defaults()));
  EXPECT_LT(L1(many, truth), L1(Defaults(), truth) / 3);
  EXPECT_GT(many.w[matcher::kMarket], Defaults().w[matcher::kMarket]);
  EXPECT_LT(many.w[matcher::kObjective], Defaults().w[matcher::kObjective]);
}

}  // namespace
}  // namespace socio::learning
