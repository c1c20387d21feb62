// PlanDelegation's exact mode (GLPK, planner/plan_exact.h) against the `cbc` program on the
// hard family: 50 random problems up to 25 delegates x 100 hosts over three days, with
// narrow host windows, few tables, minimums, locks and unavailability, half of them
// re-plans after a delegate became unavailable. Wherever CBC proves the optimum of the same
// model within 10 s, the plan keeps as many previous meetings, has as little shortfall and
// the same total (within 1e-6 relative), and its bound lies within 1 % above that total.
// The same problem planned twice gives the same plan.
//
// The 50 problems are split over kShards test cases so that each ctest entry takes
// seconds. Needs the `cbc` program (Debian package coinor-cbc); skipped without it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "planner/plan.h"
#include "planner/plan_exact.h"
#include "planner/plan_milp.h"
#include "tests/planner/cbc_support.h"
#include "tests/planner/plan_test_support.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::planner {
namespace {

using socio::planner::testing::FindCbc;
using socio::planner::testing::HardShape;
using socio::planner::testing::RandomProblem;
using socio::planner::testing::ScheduleOf;
using socio::planner::testing::Solution;
using socio::planner::testing::SolveWithCbc;
using socio::planner::testing::ValidPlan;

constexpr int kShards = 25;
constexpr int kPerShard = 2;

// The clocks are only safety caps; under a sanitizer on a loaded machine the default 10 s
// can end a search before its work or node limit does, and the same problem planned twice
// would then differ. The caps here leave the limits that make plans repeatable in charge.
PlanOptions Exact() {
  return {.search_time_limit = absl::Seconds(120),
          .mode = PlanMode::kExact,
          .exact_solver = &GlpkPlanSolver(),
          .exact_time_limit = absl::Seconds(120)};
}

// Previous meetings a schedule keeps: at their slot, or anywhere when that slot is lost to
// the delegate or the host (the first meeting of a pair counts). Written apart from the
// planner's own count.
int Kept(const PlanProblem& problem, const std::vector<Meeting>& meetings) {
  std::map<std::pair<int, int>, int> slot_of;
  for (const Meeting& m : meetings) slot_of[{m.delegate, m.host}] = m.slot;
  std::set<std::pair<int, int>> seen;
  int kept = 0;
  for (const Meeting& p : problem.previous) {
    if (!seen.insert({p.delegate, p.host}).second) continue;
    const bool lost = !problem.delegates[p.delegate].available[p.slot] ||
                      !problem.hosts[p.host].available[p.slot] || problem.tables[p.slot] == 0;
    const auto it = slot_of.find({p.delegate, p.host});
    kept += it != slot_of.end() && (lost || it->second == p.slot);
  }
  return kept;
}

// Problem `index` of the family; odd ones are re-plans: planned once, then two delegates
// lose the slot of one of their meetings.
PlanProblem Instance(int index) {
  const uint64_t seed = 2200 + index;
  std::mt19937_64 random(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  PlanProblem problem = RandomProblem(HardShape(uniform(8, 25), uniform(30, 100)), seed);
  if (index % 2 == 1) {
    absl::StatusOr<PlanResult> first = PlanDelegation(problem);
    if (first.ok() && !first->meetings.empty()) {
      problem.previous = first->meetings;
      for (int i = 0; i < 2; ++i) {
        const Meeting& m = first->meetings[uniform(0, first->meetings.size() - 1)];
        problem.delegates[m.delegate].available[m.slot] = false;
      }
      // A fixed-slot lock whose delegate just became unavailable there cannot be placed
      // at all; it gives way to any slot.
      for (Lock& lock : problem.locks) {
        if (lock.slot >= 0 && !problem.delegates[lock.delegate].available[lock.slot]) {
          lock.slot = -1;
        }
      }
    }
  }
  return problem;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class PlanExactModeTest : public ::testing::TestWithParam<int> {};

TEST_P(PlanExactModeTest, MatchesCbcOnTheHardFamily) {
  const std::optional<std::string> cbc = FindCbc();
  if (!cbc) {
    GTEST_SKIP() << "cbc not found on PATH: install Debian package coinor-cbc to compare "
                    "the exact mode with CBC's optima";
  }
  socio::testing::TempDir dir;
  int proven = 0;
  double plan_seconds = 0;
  double cbc_seconds = 0;
  double worst_bound = 0;
  for (int k = 0; k < kPerShard; ++k) {
    const int index = GetParam() * kPerShard + k;
    SCOPED_TRACE(::testing::Message() << "instance " << index);
    PlanProblem problem = Instance(index);
    if (HasFailure()) return;
    const auto plan_start = std::chrono::steady_clock::now();
    ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem, Exact()));
    plan_seconds += Seconds(plan_start);
    ASSERT_TRUE(ValidPlan(problem, plan));
    EXPECT_TRUE(plan.exact_ran || plan.proven_optimal);

    const std::string lp = LpText(BuildPlanModel(problem, plan, PlanObjective::kLexicographic));
    const auto cbc_start = std::chrono::steady_clock::now();
    const Solution best = SolveWithCbc(*cbc, dir, absl::StrCat("exact", index), lp, 10);
    cbc_seconds += Seconds(cbc_start);
    if (best.optimal) {
      ++proven;
      const PlanResult optimum = ScheduleOf(problem, plan, best.values);
      ASSERT_TRUE(ValidPlan(problem, optimum)) << "CBC's schedule breaks a rule";
      EXPECT_EQ(Kept(problem, plan.meetings), Kept(problem, optimum.meetings));
      EXPECT_EQ(plan.min_shortfall, optimum.min_shortfall);
      EXPECT_NEAR(plan.total, optimum.total, 1e-6 * std::max(1.0, optimum.total));
      EXPECT_GE(plan.bound, optimum.total - 1e-6) << "the bound is below the optimum";
      EXPECT_LE(plan.bound, optimum.total * 1.01) << "the bound is more than 1 % above it";
      if (optimum.total > 0) {
        worst_bound = std::max(worst_bound, (plan.bound - optimum.total) / optimum.total);
      }
    } else {
      std::printf("[ note     ] instance %d: CBC did not prove the optimum within 10 s (%s)\n",
                  index, best.status.c_str());
    }

    ASSIGN_OR_FAIL(const PlanResult again, PlanDelegation(problem, Exact()));
    ASSERT_EQ(again.meetings.size(), plan.meetings.size());
    for (size_t i = 0; i < plan.meetings.size(); ++i) {
      const Meeting& a = plan.meetings[i];
      const Meeting& b = again.meetings[i];
      EXPECT_TRUE(a.delegate == b.delegate && a.host == b.host && a.slot == b.slot &&
                  a.table == b.table)
          << "meeting " << i << " differs on the second plan";
    }
    EXPECT_EQ(again.bound, plan.bound);
  }
  std::printf(
      "[ summary  ] instances %d-%d: CBC proved %d of %d; planning %.2f s, CBC %.2f s in all; "
      "bound at most %.3f%% above the optimum\n",
      GetParam() * kPerShard, GetParam() * kPerShard + kPerShard - 1, proven, kPerShard,
      plan_seconds, cbc_seconds, 100 * worst_bound);
}

INSTANTIATE_TEST_SUITE_P(Shards, PlanExactModeTest, ::testing::Range(0, kShards));

TEST(PlanExactModeOptionsTest, ExactModeNeedsASolver) {
  const PlanProblem problem = RandomProblem(HardShape(5, 10), 7);
  const absl::StatusOr<PlanResult> plan = PlanDelegation(problem, {.mode = PlanMode::kExact});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("options.exact_solver"), std::string::npos)
      << plan.status();
}

TEST(PlanExactModeOptionsTest, AutoKeepsTheHeuristicAboveTheVariableLimit) {
  const PlanProblem problem = RandomProblem(HardShape(10, 30), 8);
  PlanOptions options{.search_work = 10'000, .exact_solver = &GlpkPlanSolver()};
  ASSIGN_OR_FAIL(const PlanResult small, PlanDelegation(problem, options));
  EXPECT_TRUE(small.exact_ran || small.proven_optimal);
  options.exact_max_variables = 10;
  ASSIGN_OR_FAIL(const PlanResult large, PlanDelegation(problem, options));
  EXPECT_FALSE(large.exact_ran);
  options.exact_max_variables = 1'000'000;
  options.mode = PlanMode::kHeuristic;
  ASSIGN_OR_FAIL(const PlanResult heuristic, PlanDelegation(problem, options));
  EXPECT_FALSE(heuristic.exact_ran);
}

// Stopped on its node limit before it found anything, the exact mode keeps the heuristic's
// plan and bound: valid, no better than the optimum, a bound that holds, the same plan
// every time.
TEST(PlanExactModeOptionsTest, ANodeLimitKeepsTheHeuristicsPlanAndBound) {
  const PlanProblem problem = RandomProblem(HardShape(15, 50), 2302);
  ASSIGN_OR_FAIL(const PlanResult optimum, PlanDelegation(problem, Exact()));
  ASSERT_TRUE(optimum.exact_plan && optimum.proven_optimal) << "pick a seed the heuristic misses";
  PlanOptions limited = Exact();
  limited.exact_node_limit = 0;
  ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem, limited));
  ASSERT_TRUE(ValidPlan(problem, plan));
  EXPECT_TRUE(plan.exact_ran);
  EXPECT_FALSE(plan.exact_plan);
  EXPECT_LE(plan.total, optimum.total + 1e-9);
  EXPECT_GE(plan.bound, optimum.total - 1e-9) << "the bound is below the optimum";
  ASSIGN_OR_FAIL(const PlanResult again, PlanDelegation(problem, limited));
  EXPECT_EQ(again.total, plan.total);
  EXPECT_EQ(again.bound, plan.bound);
}

// One delegate, two hosts. `previous` has the delegate meet the weaker host in slot 0.
PlanProblem TwoHosts() {
  PlanProblem problem;
  problem.slot_day = {0, 0};
  problem.tables = {5, 5};
  problem.delegates = {{.id = "d", .available = {true, true}, .max_meetings = 1}};
  problem.hosts = {{.id = "weak", .available = {true, false}},
                   {.id = "strong", .available = {true, true}}};
  problem.scores = {0.209, 0.685};
  problem.previous = {{.delegate = 0, .host = 0, .slot = 0}};
  return problem;
}

TEST(PlanExactModeReplanTest, KeepsAMeetingRatherThanMoveItForScore) {
  ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(TwoHosts(), Exact()));
  ASSERT_EQ(plan.meetings.size(), 1u);
  EXPECT_EQ(plan.meetings[0].host, 0) << "the kept meeting gave way to a better score";
  EXPECT_EQ(plan.moved, 0);
  EXPECT_TRUE(plan.proven_optimal);
}

TEST(PlanExactModeReplanTest, ALostSlotLetsTheBetterMeetingIn) {
  PlanProblem problem = TwoHosts();
  problem.delegates[0].max_meetings = 2;
  problem.previous.push_back({.delegate = 0, .host = 1, .slot = 1});
  problem.delegates[0].available = {true, false};  // slot 1 lost: one meeting must go
  ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem, Exact()));
  ASSERT_EQ(plan.meetings.size(), 1u);
  EXPECT_EQ(plan.meetings[0].host, 1) << "the best meeting was dropped instead of moved";
  EXPECT_EQ(plan.meetings[0].slot, 0);
  EXPECT_EQ(plan.moved, 2) << "one meeting moved, one dropped";
}

}  // namespace
}  // namespace socio::planner
