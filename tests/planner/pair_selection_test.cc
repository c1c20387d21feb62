// The b-matching flow and its dual bound against brute force on tiny problems.
#include "planner/internal/pair_selection.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace socio::planner::internal {
namespace {

struct BruteForce {
  int least_shortfall = 1 << 30;
  double best_at_least_shortfall = -1;  // best weight among those with least shortfall
  double best_meeting_minimums = -1;    // best weight meeting every minimum; -1: none
};

BruteForce Enumerate(const BMatchingProblem& p) {
  const int pairs = p.delegates * p.hosts;
  BruteForce result;
  for (int mask = 0; mask < (1 << pairs); ++mask) {
    std::vector<int> dd(p.delegates, 0), hd(p.hosts, 0), gd(p.group_cap.size(), 0);
    double weight = 0;
    int total = 0;
    bool ok = true;
    for (int e = 0; e < pairs && ok; ++e) {
      if (!(mask >> e & 1)) continue;
      const int d = e / p.hosts;
      const int h = e % p.hosts;
      if ((*p.weight)[e] <= 0) ok = false;
      weight += (*p.weight)[e];
      ++dd[d];
      ++hd[h];
      ++total;
      if (!p.delegate_group.empty() && p.delegate_group[d] >= 0) ++gd[p.delegate_group[d]];
      if (!p.host_group.empty() && p.host_group[h] >= 0) ++gd[p.host_group[h]];
    }
    for (int d = 0; d < p.delegates && ok; ++d) ok = dd[d] <= p.delegate_cap[d];
    for (int h = 0; h < p.hosts && ok; ++h) ok = hd[h] <= p.host_cap[h];
    for (size_t g = 0; g < gd.size() && ok; ++g) ok = gd[g] <= p.group_cap[g];
    if (!ok || (p.total_cap >= 0 && total > p.total_cap)) continue;
    int shortfall = 0;
    for (int d = 0; d < p.delegates; ++d) {
      shortfall += std::max(0, std::min(p.delegate_min[d], p.delegate_cap[d]) - dd[d]);
    }
    if (shortfall < result.least_shortfall) {
      result.least_shortfall = shortfall;
      result.best_at_least_shortfall = weight;
    } else if (shortfall == result.least_shortfall) {
      result.best_at_least_shortfall = std::max(result.best_at_least_shortfall, weight);
    }
    if (shortfall == 0)
      result.best_meeting_minimums = std::max(result.best_meeting_minimums, weight);
  }
  return result;
}

TEST(SolveBMatchingTest, MatchesBruteForceAndBoundsIt) {
  std::mt19937_64 random(5);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  int with_minimums = 0;
  for (int trial = 0; trial < 400; ++trial) {
    SCOPED_TRACE(::testing::Message() << "trial " << trial);
    BMatchingProblem p;
    p.delegates = uniform(1, 3);
    p.hosts = uniform(1, 4);
    std::vector<double> weight;
    for (int e = 0; e < p.delegates * p.hosts; ++e) {
      weight.push_back(uniform(0, 4) == 0 ? 0 : uniform(1, 100) / 100.0);
    }
    p.weight = &weight;
    for (int d = 0; d < p.delegates; ++d) {
      p.delegate_cap.push_back(uniform(0, 3));
      p.delegate_min.push_back(uniform(0, 3) == 0 ? uniform(1, 3) : 0);
    }
    for (int h = 0; h < p.hosts; ++h) p.host_cap.push_back(uniform(0, 3));
    if (uniform(0, 1)) p.total_cap = uniform(0, 6);
    if (uniform(0, 1)) {
      p.group_cap = {uniform(0, 3), uniform(0, 3)};
      for (int d = 0; d < p.delegates; ++d) p.delegate_group.push_back(uniform(-1, 0));
      for (int h = 0; h < p.hosts; ++h) p.host_group.push_back(uniform(0, 1) ? 1 : -1);
    }
    p.candidate_hosts = uniform(0, 2);  // small lists: pairs must come in through the duals

    const BMatching m = SolveBMatching(p);
    const BruteForce best = Enumerate(p);
    EXPECT_EQ(m.shortfall, best.least_shortfall);
    EXPECT_NEAR(m.value, best.best_at_least_shortfall, 1e-9);
    if (best.best_meeting_minimums >= 0) {
      with_minimums += 1;
      EXPECT_GE(m.bound, best.best_meeting_minimums - 1e-9);
      EXPECT_NEAR(m.bound, m.value, 1e-6) << "the dual is not tight";
    }
  }
  EXPECT_GT(with_minimums, 200);
}

}  // namespace
}  // namespace socio::planner::internal
