// PlanDelegation against an exact MILP solver on small random problems: the plan must be
// valid (so it can never beat the optimum), its bound must not fall below the optimum,
// and its shortfall below min_meetings must be the least possible.
//
// Needs the `cbc` program (Debian package coinor-cbc); skipped without it.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "planner/plan.h"
#include "planner/plan_milp.h"
#include "tests/planner/cbc_support.h"
#include "tests/planner/plan_test_support.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::planner {
namespace {

using socio::planner::testing::FindCbc;
using socio::planner::testing::RandomProblem;
using socio::planner::testing::RandomShape;
using socio::planner::testing::ScheduleOf;
using socio::planner::testing::Solution;
using socio::planner::testing::SolveWithCbc;
using socio::planner::testing::ValidPlan;

RandomShape ShapeFor(uint64_t seed) {
  std::mt19937_64 random(seed * 7919);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  RandomShape shape;
  shape.delegates = uniform(2, 8);
  shape.hosts = uniform(3, 12);
  shape.days = uniform(1, 3);
  shape.slots_per_day = uniform(1, 6 / shape.days);
  shape.max_tables = uniform(1, 4);
  shape.available = uniform(50, 95) / 100.0;
  shape.zero_score = uniform(0, 30) / 100.0;
  shape.capped = uniform(20, 90) / 100.0;
  shape.with_minimum = uniform(0, 100) / 100.0;
  shape.excluded = uniform(0, 6);
  shape.locks = uniform(0, 4);
  return shape;
}

TEST(PlanExactTest, MatchesMilpOptimumOnSmallProblems) {
  const std::optional<std::string> cbc = FindCbc();
  if (!cbc) {
    GTEST_SKIP() << "cbc not found on PATH: install Debian package coinor-cbc to compare "
                    "plans with exact MILP optima";
  }
  socio::testing::TempDir dir;
  constexpr int kProblems = 250;
  int optimal = 0;
  int shortfall_checked = 0;
  int with_unplaced_locks = 0;
  int with_minimums = 0;
  double worst_gap_to_optimum = 0;
  double worst_bound_slack = 0;
  std::string suboptimal;  // seeds and totals
  for (int i = 0; i < kProblems; ++i) {
    const uint64_t seed = 1000 + i;
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const PlanProblem problem = RandomProblem(ShapeFor(seed), seed);
    ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem));
    ASSERT_TRUE(ValidPlan(problem, plan));
    with_unplaced_locks += !plan.unplaced_locks.empty();

    const int nd = static_cast<int>(problem.delegates.size());
    std::vector<int> meetings(nd, 0);
    for (const Meeting& m : plan.meetings) ++meetings[m.delegate];
    std::vector<int> minimum(nd);  // what PlanMilp asks of each delegate
    for (int d = 0; d < nd; ++d) {
      minimum[d] = std::min(problem.delegates[d].min_meetings, meetings[d]);
      with_minimums += problem.delegates[d].min_meetings > 0 ? 1 : 0;
    }
    const std::string milp = PlanMilp(problem, plan);
    const Solution best = SolveWithCbc(*cbc, dir, absl::StrCat("best", i), milp);
    ASSERT_TRUE(best.optimal) << best.status << "\n" << milp;
    // CBC's schedule must pass the same checker: the MILP is not looser than the rules.
    const PlanResult milp_schedule = ScheduleOf(problem, plan, best.values);
    ASSERT_TRUE(ValidPlan(problem, milp_schedule)) << milp;
    const double optimum = milp_schedule.total;
    EXPECT_NEAR(optimum, best.objective, 1e-6);
    std::vector<int> milp_meetings(nd, 0);
    for (const Meeting& m : milp_schedule.meetings) ++milp_meetings[m.delegate];
    for (int d = 0; d < nd; ++d) EXPECT_GE(milp_meetings[d], minimum[d]) << "delegate " << d;
    EXPECT_LE(plan.total, optimum + 1e-6) << "the plan beats the optimum: it must be invalid";
    EXPECT_GE(plan.bound, optimum - 1e-6) << "the bound is below the optimum";
    if (plan.total >= optimum - 1e-6) {
      ++optimal;
    } else {
      absl::StrAppend(&suboptimal, suboptimal.empty() ? "" : ", ", seed, " (", plan.total, " of ",
                      optimum, ")");
    }
    worst_gap_to_optimum = std::max(worst_gap_to_optimum, optimum - plan.total);
    worst_bound_slack = std::max(worst_bound_slack, plan.bound - optimum);

    if (plan.min_shortfall > 0) {
      ++shortfall_checked;
      const Solution s =
          SolveWithCbc(*cbc, dir, absl::StrCat("short", i), PlanShortfallMilp(problem, plan));
      ASSERT_TRUE(s.optimal) << s.status;
      EXPECT_NEAR(plan.min_shortfall, s.objective, 1e-6)
          << "a schedule with less shortfall below min_meetings exists";
    }
  }
  std::printf(
      "[ summary  ] %d problems: plan total optimal in %d (%.1f%%); worst shortfall of total "
      "%.4f; worst bound above optimum %.4f; %d with a shortfall, checked against a second MILP; "
      "%d with unplaced locks; %d delegates with minimums\n",
      kProblems, optimal, 100.0 * optimal / kProblems, worst_gap_to_optimum, worst_bound_slack,
      shortfall_checked, with_unplaced_locks, with_minimums);
  if (!suboptimal.empty()) std::printf("[ summary  ] below the optimum: %s\n", suboptimal.c_str());
}

// Programme items as the planner's problem holds them (delegation_plan.cc turns each item
// and its travel into the slots its attendees cannot meet in): runs of one or two slots of
// a day taken from all delegates or from some companies. Locks that could no longer be
// placed are dropped. Then interpreters, and pairs that need one.
PlanProblem WithProgrammeAndInterpreters(PlanProblem problem, uint64_t seed) {
  std::mt19937_64 random(seed * 104729);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(random); };
  const int slots = static_cast<int>(problem.slot_day.size());
  const int items = uniform(1, 3);
  for (int k = 0; k < items; ++k) {
    const int first = uniform(0, slots - 1);
    int last = std::min(slots - 1, first + uniform(0, 1));
    if (problem.slot_day[last] != problem.slot_day[first]) last = first;
    const bool all_delegates = chance(0.4);
    auto block = [&](Company& c) {
      for (int t = first; t <= last; ++t) c.available[t] = false;
    };
    for (Company& d : problem.delegates) {
      if (all_delegates || chance(0.3)) block(d);
    }
    for (Company& h : problem.hosts) {
      if (chance(0.2)) block(h);
    }
  }
  std::vector<Lock> locks;
  for (const Lock& lock : problem.locks) {
    const Company& d = problem.delegates[lock.delegate];
    const Company& h = problem.hosts[lock.host];
    bool placeable = false;
    for (int t = 0; t < slots; ++t) {
      placeable |= (lock.slot < 0 || lock.slot == t) && d.available[t] && h.available[t] &&
                   problem.tables[t] > 0;
    }
    if (placeable) locks.push_back(lock);
  }
  problem.locks = locks;
  const int interpreters = uniform(1, 2);
  for (int i = 0; i < interpreters; ++i) {
    Interpreter& in = problem.interpreters.emplace_back();
    in.id = absl::StrCat("i", i);
    for (int t = 0; t < slots; ++t) in.available.push_back(chance(0.7));
  }
  for (int d = 0; d < static_cast<int>(problem.delegates.size()); ++d) {
    for (int h = 0; h < static_cast<int>(problem.hosts.size()); ++h) {
      if (!chance(0.3)) continue;
      InterpreterNeed& need = problem.interpreter_needs.emplace_back();
      need.delegate = d;
      need.host = h;
      for (int i = 0; i < interpreters; ++i) {
        if (chance(0.7)) need.interpreters.push_back(i);
      }
    }
  }
  return problem;
}

// The interpreters of `plan` follow the rules of plan.h; returns the meetings covered.
int CheckInterpreters(const PlanProblem& problem, const PlanResult& plan) {
  std::map<std::pair<int, int>, std::vector<int>> needs;
  for (const InterpreterNeed& n : problem.interpreter_needs) {
    needs[{n.delegate, n.host}] = n.interpreters;
  }
  std::set<std::pair<int, int>> busy;  // (slot, interpreter)
  std::set<int> uncovered(plan.uncovered.begin(), plan.uncovered.end());
  int covered = 0;
  for (size_t i = 0; i < plan.meetings.size(); ++i) {
    const Meeting& m = plan.meetings[i];
    const auto need = needs.find({m.delegate, m.host});
    EXPECT_EQ(m.needs_interpreter, need != needs.end());
    if (m.interpreter < 0) {
      EXPECT_EQ(uncovered.count(static_cast<int>(i)), m.needs_interpreter ? 1u : 0u);
      continue;
    }
    ++covered;
    EXPECT_TRUE(need != needs.end());
    if (need == needs.end()) continue;
    EXPECT_TRUE(std::count(need->second.begin(), need->second.end(), m.interpreter) > 0);
    EXPECT_TRUE(problem.interpreters[m.interpreter].available[m.slot]);
    EXPECT_TRUE(busy.insert({m.slot, m.interpreter}).second) << "an interpreter in two meetings";
  }
  return covered;
}

// With programme items and interpreters the plan stays valid, its interpreters follow the
// rules, and the bound (which relaxes interpreter capacity) stays at or above the optimum.
TEST(PlanExactTest, TheBoundHoldsWithProgrammeItemsAndInterpreters) {
  const std::optional<std::string> cbc = FindCbc();
  if (!cbc) GTEST_SKIP() << "cbc not found on PATH (Debian package coinor-cbc)";
  socio::testing::TempDir dir;
  constexpr int kProblems = 80;
  int optimal = 0, covered = 0, uncovered = 0, moves = 0;
  for (int i = 0; i < kProblems; ++i) {
    const uint64_t seed = 3000 + i;
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const PlanProblem problem =
        WithProgrammeAndInterpreters(RandomProblem(ShapeFor(seed), seed), seed);
    ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem));
    ASSERT_TRUE(ValidPlan(problem, plan));
    covered += CheckInterpreters(problem, plan);
    uncovered += static_cast<int>(plan.uncovered.size());
    moves += plan.interpreter_moves;
    const std::string milp = PlanMilp(problem, plan);
    const Solution best = SolveWithCbc(*cbc, dir, absl::StrCat("programme", i), milp);
    ASSERT_TRUE(best.optimal) << best.status;
    const PlanResult milp_schedule = ScheduleOf(problem, plan, best.values);
    ASSERT_TRUE(ValidPlan(problem, milp_schedule));
    const double optimum = milp_schedule.total;
    EXPECT_LE(plan.total, optimum + 1e-6) << "the plan beats the optimum: it must be invalid";
    EXPECT_GE(plan.bound, optimum - 1e-6) << "the bound is below the optimum";
    optimal += plan.total >= optimum - 1e-6;
  }
  std::printf(
      "[ summary  ] %d problems with programme items and interpreters: plan total optimal in "
      "%d; %d meetings with an interpreter, %d without, %d moved to find one\n",
      kProblems, optimal, covered, uncovered, moves);
  EXPECT_GT(covered, 0);
}

// The hard family: narrow host windows, few tables, minimums beyond what the tables can
// serve. The plan is valid, its bound holds, and both are close to the optimum.
TEST(PlanExactTest, HardProblemsComeCloseToTheOptimum) {
  const std::optional<std::string> cbc = FindCbc();
  if (!cbc) GTEST_SKIP() << "cbc not found on PATH (Debian package coinor-cbc)";
  socio::testing::TempDir dir;
  constexpr int kProblems = 6;
  double worst_below = 0;  // of the plan below the optimum, relative
  double worst_above = 0;  // of the bound above the optimum, relative
  for (int i = 0; i < kProblems; ++i) {
    const uint64_t seed = 500 + i;
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const PlanProblem problem = RandomProblem(testing::HardShape(15, 50), seed);
    ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem, {.search_work = 500'000}));
    ASSERT_TRUE(ValidPlan(problem, plan));
    const std::string milp = PlanMilp(problem, plan);
    const Solution best = SolveWithCbc(*cbc, dir, absl::StrCat("hard", i), milp);
    ASSERT_TRUE(best.optimal) << best.status;
    const double optimum = ScheduleOf(problem, plan, best.values).total;
    ASSERT_GT(optimum, 0);
    EXPECT_LE(plan.total, optimum + 1e-6);
    EXPECT_GE(plan.bound, optimum - 1e-6) << "the bound is below the optimum";
    worst_below = std::max(worst_below, (optimum - plan.total) / optimum);
    worst_above = std::max(worst_above, (plan.bound - optimum) / optimum);
  }
  std::printf(
      "[ summary  ] %d hard problems: plan at most %.2f%% below the optimum, bound at most "
      "%.2f%% above it\n",
      kProblems, 100 * worst_below, 100 * worst_above);
  EXPECT_LT(worst_below, 0.03);
}

}  // namespace
}  // namespace socio::planner
