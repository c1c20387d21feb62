#include "planner/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/planner/plan_test_support.h"
#include "tests/support/status_matchers.h"

namespace socio::planner {
namespace {

using socio::planner::testing::RandomProblem;
using socio::planner::testing::RandomShape;
using socio::planner::testing::ValidPlan;
using socio::testing::IsOk;
using socio::testing::StatusIs;
using ::testing::HasSubstr;

Company Open(const std::string& id, int slots, int max = -1, int min = 0) {
  return {.id = id,
          .available = std::vector<bool>(slots, true),
          .max_meetings = max,
          .min_meetings = min};
}

// 2 delegates x 3 hosts, 4 slots over 2 days, 2 tables each.
PlanProblem SmallProblem() {
  PlanProblem p;
  p.slot_day = {0, 0, 1, 1};
  p.tables = {2, 2, 2, 2};
  p.delegates = {Open("d0", 4), Open("d1", 4)};
  p.hosts = {Open("h0", 4), Open("h1", 4), Open("h2", 4)};
  p.scores = {0.9, 0.5, 0.1, 0.4, 0.8, 0.3};
  return p;
}

struct BadCase {
  std::string name;
  void (*mutate)(PlanProblem&);
  absl::StatusCode code;
  std::string message;
};

TEST(PlanDelegationTest, RejectsBadProblemsNamingTheField) {
  const std::vector<BadCase> cases = {
      {"slot_day negative", [](PlanProblem& p) { p.slot_day[0] = -1; },
       absl::StatusCode::kInvalidArgument, "slot_day[0]: -1 is negative"},
      {"slot_day decreasing", [](PlanProblem& p) { p.slot_day[2] = 0, p.slot_day[1] = 1; },
       absl::StatusCode::kInvalidArgument, "slot_day[2]"},
      {"tables size", [](PlanProblem& p) { p.tables.pop_back(); },
       absl::StatusCode::kInvalidArgument, "tables: 3 entries, expected 4"},
      {"tables negative", [](PlanProblem& p) { p.tables[3] = -2; },
       absl::StatusCode::kInvalidArgument, "tables[3]: -2 is negative"},
      {"available size", [](PlanProblem& p) { p.delegates[1].available.push_back(true); },
       absl::StatusCode::kInvalidArgument, "delegates[1].available: 5 entries, expected 4"},
      {"host available size", [](PlanProblem& p) { p.hosts[2].available.clear(); },
       absl::StatusCode::kInvalidArgument, "hosts[2].available: 0 entries, expected 4"},
      {"max_meetings", [](PlanProblem& p) { p.hosts[0].max_meetings = -2; },
       absl::StatusCode::kInvalidArgument, "hosts[0].max_meetings: -2 is negative"},
      {"min_meetings", [](PlanProblem& p) { p.delegates[0].min_meetings = -1; },
       absl::StatusCode::kInvalidArgument, "delegates[0].min_meetings: -1 is negative"},
      {"scores size", [](PlanProblem& p) { p.scores.push_back(0.5); },
       absl::StatusCode::kInvalidArgument, "scores: 7 entries, expected 2 x 3 = 6"},
      {"score NaN", [](PlanProblem& p) { p.scores[4] = std::numeric_limits<double>::quiet_NaN(); },
       absl::StatusCode::kInvalidArgument, "scores[4]: NaN"},
      {"score above 1", [](PlanProblem& p) { p.scores[5] = 1.5; },
       absl::StatusCode::kInvalidArgument, "scores[5]: 1.5 is outside [0, 1]"},
      {"score infinite",
       [](PlanProblem& p) { p.scores[0] = -std::numeric_limits<double>::infinity(); },
       absl::StatusCode::kInvalidArgument, "scores[0]: -inf is outside [0, 1]"},
      {"excluded delegate",
       [](PlanProblem& p) {
         p.excluded = {{0, 0}, {2, 0}};
       },
       absl::StatusCode::kInvalidArgument, "excluded[1].first: 2 out of range"},
      {"excluded host",
       [](PlanProblem& p) {
         p.excluded = {{0, 3}};
       },
       absl::StatusCode::kInvalidArgument, "excluded[0].second: 3 out of range"},
      {"lock host",
       [](PlanProblem& p) {
         p.locks = {{0, 14}};
       },
       absl::StatusCode::kInvalidArgument, "locks[0].host: 14 out of range"},
      {"lock delegate",
       [](PlanProblem& p) {
         p.locks = {{0, 0}, {-1, 0}};
       },
       absl::StatusCode::kInvalidArgument, "locks[1].delegate: -1 out of range"},
      {"lock slot",
       [](PlanProblem& p) {
         p.locks = {{0, 0, 4}};
       },
       absl::StatusCode::kInvalidArgument, "locks[0].slot: 4 out of range"},
      {"previous slot",
       [](PlanProblem& p) {
         p.previous = {{0, 0, 9, 0, 0.9}};
       },
       absl::StatusCode::kInvalidArgument, "previous[0].slot: 9 out of range"},
      {"previous host",
       [](PlanProblem& p) {
         p.previous = {{0, 5, 0, 0, 0.9}};
       },
       absl::StatusCode::kInvalidArgument, "previous[0].host: 5 out of range"},
      {"lock excluded",
       [](PlanProblem& p) {
         p.excluded = {{1, 2}};
         p.locks = {{0, 0}, {1, 2}};
       },
       absl::StatusCode::kFailedPrecondition,
       "locks[1]: delegate \"d1\" and host \"h2\" are excluded"},
      {"lock never together",
       [](PlanProblem& p) {
         p.delegates[0].available = {true, true, false, false};
         p.hosts[1].available = {false, false, true, true};
         p.locks = {{0, 1}};
       },
       absl::StatusCode::kFailedPrecondition,
       "locks[0]: delegate \"d0\" and host \"h1\" are never available in the same slot"},
      {"lock slot outside delegate",
       [](PlanProblem& p) {
         p.delegates[1].available[2] = false;
         p.locks = {{1, 0, 2}};
       },
       absl::StatusCode::kFailedPrecondition,
       "locks[0]: slot 2 is outside delegate \"d1\"'s availability"},
      {"lock slot outside host",
       [](PlanProblem& p) {
         p.hosts[0].available[1] = false;
         p.locks = {{1, 0, 1}};
       },
       absl::StatusCode::kFailedPrecondition,
       "locks[0]: slot 1 is outside host \"h0\"'s availability"},
      {"lock slot without tables",
       [](PlanProblem& p) {
         p.tables[3] = 0;
         p.locks = {{1, 0, 3}};
       },
       absl::StatusCode::kFailedPrecondition, "locks[0]: slot 3 has no tables"},
      {"lock company with max 0",
       [](PlanProblem& p) {
         p.hosts[2].max_meetings = 0;
         p.locks = {{1, 2}};
       },
       absl::StatusCode::kFailedPrecondition, "host \"h2\" has max_meetings 0"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    PlanProblem problem = SmallProblem();
    c.mutate(problem);
    EXPECT_THAT(PlanDelegation(problem), StatusIs(c.code, HasSubstr(c.message)));
  }
  EXPECT_THAT(PlanDelegation(SmallProblem(), {.search_rounds = -1}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("options.search_rounds")));
}

TEST(PlanDelegationTest, SmallProblemGetsTheOptimum) {
  const PlanProblem problem = SmallProblem();
  ASSIGN_OR_FAIL(const PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  // Every pair fits: 6 meetings, the total is the sum of all scores and the bound is tight.
  EXPECT_EQ(result.meetings.size(), 6u);
  EXPECT_NEAR(result.total, 3.0, 1e-9);
  EXPECT_NEAR(result.bound, 3.0, 1e-9);
  EXPECT_EQ(result.gap, 0);
  EXPECT_EQ(result.delegate_load.min, 3);
  EXPECT_EQ(result.host_load.max, 2);
}

// Slot 1 has room for one meeting (only d0 can come), slot 0 too (only h0 can come), though
// the caps alone would allow three: the bound counts each slot's room, so this optimal plan
// has no gap.
TEST(PlanDelegationTest, TheBoundCountsTheRoomOfEachSlot) {
  PlanProblem p;
  p.slot_day = {0, 0};
  p.tables = {10, 10};
  p.delegates = {Open("d0", 2), Open("d1", 2), Open("d2", 2)};
  p.delegates[1].available = p.delegates[2].available = {true, false};
  p.hosts = {Open("h0", 2), Open("h1", 2)};
  p.hosts[1].available = {false, true};
  p.scores = std::vector<double>(6, 0.5);
  ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(p));
  ASSERT_TRUE(ValidPlan(p, plan));
  EXPECT_DOUBLE_EQ(plan.total, 1.0);
  EXPECT_DOUBLE_EQ(plan.bound, 1.0);
  EXPECT_EQ(plan.gap, 0);
}

TEST(PlanDelegationTest, EmptyProblemsGiveEmptyPlans) {
  PlanProblem problem;
  ASSIGN_OR_FAIL(PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(result.meetings.empty());
  problem = SmallProblem();
  problem.hosts.clear();
  problem.scores.clear();
  ASSIGN_OR_FAIL(result, PlanDelegation(problem));
  EXPECT_TRUE(result.meetings.empty());
  EXPECT_EQ(result.bound, 0);
}

TEST(PlanDelegationTest, CapsTablesAndAvailabilityHold) {
  PlanProblem problem = SmallProblem();
  problem.tables = {1, 1, 0, 1};
  problem.delegates[0].max_meetings = 2;
  problem.hosts[1].available = {false, false, true, true};
  ASSIGN_OR_FAIL(const PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  EXPECT_EQ(result.meetings.size(), 3u);  // one table in each of 3 slots
}

TEST(PlanDelegationTest, ExcludedAndZeroScorePairsNeverMeetUnlessLocked) {
  PlanProblem problem = SmallProblem();
  problem.excluded = {{0, 0}};
  problem.scores[1] = 0;  // d0 x h1
  ASSIGN_OR_FAIL(PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  for (const Meeting& m : result.meetings) {
    EXPECT_FALSE(m.delegate == 0 && m.host == 0);
    EXPECT_FALSE(m.delegate == 0 && m.host == 1);
  }
  problem.locks = {{0, 1, 3}};
  ASSIGN_OR_FAIL(result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  bool found = false;
  for (const Meeting& m : result.meetings) {
    if (m.delegate == 0 && m.host == 1) {
      found = true;
      EXPECT_EQ(m.slot, 3);
      EXPECT_TRUE(m.locked);
    }
  }
  EXPECT_TRUE(found);
}

TEST(PlanDelegationTest, ConflictingLocksAreReportedWithReasons) {
  PlanProblem problem = SmallProblem();
  problem.tables = {1, 2, 2, 2};
  problem.hosts[2].max_meetings = 1;
  problem.locks = {
      {0, 0, 1},   // placed
      {0, 1, 1},   // delegate d0 already meets h0 in slot 1
      {1, 1, 0},   // placed
      {0, 2, 0},   // slot 0 has one table, taken by locks[2]
      {1, 2, -1},  // placed
      {0, 2, -1},  // h2's max_meetings 1 taken by locks[4]
      {0, 0, 2},   // same pair as locks[0], other slot
      {0, 0, -1},  // same pair as locks[0]: satisfied
  };
  ASSIGN_OR_FAIL(const PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  ASSERT_EQ(result.unplaced_locks.size(), 4u);
  EXPECT_EQ(result.unplaced_locks[0].lock, 1);
  EXPECT_THAT(result.unplaced_locks[0].reason,
              HasSubstr("delegate \"d0\" already meets host \"h0\" in slot 1 (locks[0])"));
  EXPECT_EQ(result.unplaced_locks[1].lock, 3);
  EXPECT_THAT(result.unplaced_locks[1].reason,
              HasSubstr("all 1 tables of slot 0 are taken by earlier locks"));
  EXPECT_EQ(result.unplaced_locks[2].lock, 5);
  EXPECT_THAT(result.unplaced_locks[2].reason,
              HasSubstr("host \"h2\"'s max_meetings (1) are all taken by earlier locks"));
  EXPECT_EQ(result.unplaced_locks[3].lock, 6);
  EXPECT_THAT(result.unplaced_locks[3].reason, HasSubstr("already locked in slot 1 by locks[0]"));
}

TEST(PlanDelegationTest, AnySlotLockTakesASlotBothAttend) {
  PlanProblem problem = SmallProblem();
  problem.delegates[1].available = {false, false, false, true};
  problem.hosts[0].available = {true, false, false, true};
  problem.locks = {{1, 0}};
  ASSIGN_OR_FAIL(const PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  EXPECT_TRUE(result.unplaced_locks.empty());
}

TEST(PlanDelegationTest, MinimumMeetingsComeBeforeScore) {
  // Both delegates want h0 and h1; hosts meet once. By score alone d0 would take both;
  // d1's minimum of 1 gives it one of them.
  PlanProblem problem;
  problem.slot_day = {0, 0};
  problem.tables = {5, 5};
  problem.delegates = {Open("d0", 2), Open("d1", 2, -1, 1)};
  problem.hosts = {Open("h0", 2, 1), Open("h1", 2, 1)};
  problem.scores = {0.9, 0.9, 0.5, 0.1};
  ASSIGN_OR_FAIL(const PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  EXPECT_EQ(result.min_shortfall, 0);
  EXPECT_NEAR(result.total, 1.4, 1e-9);
  EXPECT_NEAR(result.bound, 1.4, 1e-9);  // the bound respects the minimum served
  // A minimum beyond reach is served as far as it goes (both hosts, 2 slots) and reported.
  problem.delegates[1].min_meetings = 3;
  ASSIGN_OR_FAIL(const PlanResult short_result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, short_result));
  EXPECT_EQ(short_result.min_shortfall, 1);
  EXPECT_NEAR(short_result.total, 0.6, 1e-9);
}

TEST(PlanDelegationTest, ShortfallIsSharedOut) {
  // 4 tables in all for 3 delegates wanting 2 each: 2 meetings short. By score d2 would get
  // none; sharing the shortfall gives every delegate at least one.
  PlanProblem problem;
  problem.slot_day = {0, 0};
  problem.tables = {2, 2};
  problem.delegates = {Open("d0", 2, -1, 2), Open("d1", 2, -1, 2), Open("d2", 2, -1, 2)};
  problem.hosts = {Open("h0", 2), Open("h1", 2), Open("h2", 2)};
  problem.scores = {0.9, 0.8, 0.7, 0.9, 0.8, 0.7, 0.1, 0.1, 0.1};
  ASSIGN_OR_FAIL(const PlanResult result, PlanDelegation(problem));
  EXPECT_TRUE(ValidPlan(problem, result));
  EXPECT_EQ(result.min_shortfall, 2);
  EXPECT_EQ(result.delegate_load.min, 1);
  EXPECT_EQ(result.delegate_load.max, 2);
}

TEST(PlanDelegationTest, RandomPlansAreValid) {
  const std::vector<RandomShape> shapes = {
      {},
      {.delegates = 3, .hosts = 4, .days = 1, .slots_per_day = 2, .max_tables = 1},
      {.delegates = 8, .hosts = 12, .days = 3, .slots_per_day = 2, .max_tables = 3, .locks = 5},
      {.delegates = 20,
       .hosts = 40,
       .days = 2,
       .slots_per_day = 6,
       .max_tables = 8,
       .available = 0.5,
       .excluded = 20,
       .locks = 10},
      {.delegates = 1, .hosts = 1, .days = 1, .slots_per_day = 1},
  };
  int plans = 0;
  for (size_t s = 0; s < shapes.size(); ++s) {
    for (uint64_t seed = 1; seed <= 60; ++seed) {
      SCOPED_TRACE(::testing::Message() << "shape " << s << " seed " << seed);
      const PlanProblem problem = RandomProblem(shapes[s], seed);
      // Validity does not depend on how long the search runs.
      absl::StatusOr<PlanResult> result = PlanDelegation(problem, {.search_rounds = 100});
      ASSERT_THAT(result, IsOk());
      ASSERT_TRUE(ValidPlan(problem, *result));
      ++plans;
    }
  }
  EXPECT_EQ(plans, 300);
}

TEST(PlanDelegationTest, SameInputSamePlan) {
  const PlanProblem problem = RandomProblem({.delegates = 10, .hosts = 20, .locks = 4}, 7);
  ASSIGN_OR_FAIL(const PlanResult a, PlanDelegation(problem));
  ASSIGN_OR_FAIL(const PlanResult b, PlanDelegation(problem));
  ASSERT_EQ(a.meetings.size(), b.meetings.size());
  for (size_t i = 0; i < a.meetings.size(); ++i) {
    EXPECT_EQ(a.meetings[i].delegate, b.meetings[i].delegate);
    EXPECT_EQ(a.meetings[i].host, b.meetings[i].host);
    EXPECT_EQ(a.meetings[i].slot, b.meetings[i].slot);
    EXPECT_EQ(a.meetings[i].table, b.meetings[i].table);
  }
}

TEST(PlanDelegationTest, SameInputSamePlanOnHardProblems) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const PlanProblem problem = RandomProblem(testing::HardShape(15, 50), seed);
    // A smaller work limit than the default, to keep the test short; the clock is far off.
    ASSIGN_OR_FAIL(const PlanResult a, PlanDelegation(problem, {.search_work = 500'000}));
    ASSIGN_OR_FAIL(const PlanResult b, PlanDelegation(problem, {.search_work = 500'000}));
    EXPECT_EQ(a.total, b.total);
    ASSERT_EQ(a.meetings.size(), b.meetings.size());
    for (size_t i = 0; i < a.meetings.size(); ++i) {
      EXPECT_EQ(a.meetings[i].delegate, b.meetings[i].delegate);
      EXPECT_EQ(a.meetings[i].host, b.meetings[i].host);
      EXPECT_EQ(a.meetings[i].slot, b.meetings[i].slot);
      EXPECT_EQ(a.meetings[i].table, b.meetings[i].table);
    }
  }
}

// No exchange that keeps every company's number of meetings raises the total: a better
// host free in the slot where a worse host meets the delegate, or two delegates who would
// both do better trading hosts within a slot.
TEST(PlanDelegationTest, NoBetterHostSitsFreeWhereAWorseOneMeets) {
  int meetings = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const PlanProblem problem = RandomProblem(testing::HardShape(15, 50), seed);
    ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(problem, {.search_work = 500'000}));
    ASSERT_TRUE(ValidPlan(problem, plan));
    const int nh = static_cast<int>(problem.hosts.size());
    const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
    std::set<std::pair<int, int>> met;
    std::set<std::pair<int, int>> host_busy;  // (host, slot)
    std::vector<int> host_meetings(nh, 0);
    for (const Meeting& m : plan.meetings) {
      met.insert({m.delegate, m.host});
      host_busy.insert({m.host, m.slot});
      ++host_meetings[m.host];
    }
    auto score = [&](int d, int h) { return problem.scores[size_t(d) * nh + h]; };
    auto may_meet = [&](int d, int h) {
      return score(d, h) > 0 && !excluded.count({d, h}) && !met.count({d, h});
    };
    for (const Meeting& m : plan.meetings) {
      if (m.locked) continue;
      ++meetings;
      for (int h = 0; h < nh; ++h) {
        const Company& host = problem.hosts[h];
        const bool has_room = host.max_meetings < 0 || host_meetings[h] < host.max_meetings;
        EXPECT_FALSE(may_meet(m.delegate, h) && has_room && host.available[m.slot] &&
                     !host_busy.count({h, m.slot}) && score(m.delegate, h) > m.score + 1e-9)
            << "delegate " << m.delegate << " meets host " << m.host << " in slot " << m.slot
            << " while host " << h << " scores higher and is free";
      }
      for (const Meeting& n : plan.meetings) {
        if (n.slot != m.slot || n.delegate == m.delegate || n.locked) continue;
        EXPECT_FALSE(may_meet(m.delegate, n.host) && may_meet(n.delegate, m.host) &&
                     score(m.delegate, n.host) + score(n.delegate, m.host) >
                         m.score + n.score + 1e-9)
            << "delegates " << m.delegate << " and " << n.delegate << " would trade hosts in slot "
            << m.slot;
      }
    }
  }
  EXPECT_GT(meetings, 0);
}

// Stability does not depend on the length of the search: these tests search briefly.
constexpr int kShortSearch = 300;

TEST(PlanDelegationTest, ReplanningAnUnchangedProblemMovesNothing) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    PlanProblem problem = RandomProblem(
        {.delegates = 12, .hosts = 25, .days = 2, .slots_per_day = 4, .max_tables = 6}, seed);
    ASSIGN_OR_FAIL(const PlanResult first,
                   PlanDelegation(problem, {.search_rounds = kShortSearch}));
    problem.previous = first.meetings;
    // Another seed, so the search explores differently.
    ASSIGN_OR_FAIL(const PlanResult again,
                   PlanDelegation(problem, {.search_rounds = kShortSearch, .seed = seed + 100}));
    ASSERT_TRUE(ValidPlan(problem, again));
    EXPECT_EQ(again.moved, 0);
    EXPECT_NEAR(again.total, first.total, 1e-9);
    ASSERT_EQ(again.meetings.size(), first.meetings.size());
    for (size_t i = 0; i < first.meetings.size(); ++i) {
      EXPECT_EQ(again.meetings[i].table, first.meetings[i].table);
    }
  }
}

TEST(PlanDelegationTest, ReplanningAfterAChangeMovesLittle) {
  int removal_moves = 0;
  int lock_moves = 0;
  int replans = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    PlanProblem problem = RandomProblem(
        {.delegates = 12, .hosts = 25, .days = 2, .slots_per_day = 4, .max_tables = 6}, seed);
    ASSIGN_OR_FAIL(const PlanResult first,
                   PlanDelegation(problem, {.search_rounds = kShortSearch}));

    // Delegate 0 cancels: its row of scores and its meetings go, indices shift down.
    PlanProblem removed = problem;
    const int nh = static_cast<int>(problem.hosts.size());
    removed.delegates.erase(removed.delegates.begin());
    removed.scores.erase(removed.scores.begin(), removed.scores.begin() + nh);
    removed.excluded.clear();
    for (auto [d, h] : problem.excluded) {
      if (d > 0) removed.excluded.push_back({d - 1, h});
    }
    removed.locks.clear();
    for (Lock lock : problem.locks) {
      if (lock.delegate > 0) removed.locks.push_back({lock.delegate - 1, lock.host, lock.slot});
    }
    for (Meeting m : first.meetings) {
      if (m.delegate == 0) continue;
      --m.delegate;
      removed.previous.push_back(m);
    }
    ASSIGN_OR_FAIL(const PlanResult after_removal,
                   PlanDelegation(removed, {.search_rounds = kShortSearch}));
    ASSERT_TRUE(ValidPlan(removed, after_removal));
    // Moving a meeting is only worth serving a minimum better than before.
    int first_meetings_of_0 = 0;
    for (const Meeting& m : first.meetings) first_meetings_of_0 += m.delegate == 0;
    const int others_shortfall =
        first.min_shortfall - std::max(0, problem.delegates[0].min_meetings - first_meetings_of_0);
    if (after_removal.min_shortfall >= others_shortfall) removal_moves += after_removal.moved;

    // A new lock on an unscheduled pair with a fixed slot.
    PlanProblem locked = problem;
    locked.previous = first.meetings;
    std::set<std::pair<int, int>> met;
    for (const Meeting& m : first.meetings) met.insert({m.delegate, m.host});
    const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
    bool added = false;
    for (int d = 0; d < static_cast<int>(problem.delegates.size()) && !added; ++d) {
      for (int h = 0; h < nh && !added; ++h) {
        if (met.count({d, h}) || excluded.count({d, h})) continue;
        if (problem.delegates[d].max_meetings == 0 || problem.hosts[h].max_meetings == 0) continue;
        for (int t = 0; t < static_cast<int>(problem.tables.size()) && !added; ++t) {
          if (problem.tables[t] > 0 && problem.delegates[d].available[t] &&
              problem.hosts[h].available[t]) {
            locked.locks.push_back({d, h, t});
            added = true;
          }
        }
      }
    }
    if (!added) continue;
    ASSIGN_OR_FAIL(const PlanResult after_lock,
                   PlanDelegation(locked, {.search_rounds = kShortSearch}));
    ASSERT_TRUE(ValidPlan(locked, after_lock));
    lock_moves += after_lock.moved;
    ++replans;
  }
  // A removal frees room and forces no move; a lock displaces at most a few meetings.
  EXPECT_EQ(removal_moves, 0);
  EXPECT_LE(lock_moves, 3 * replans);
  std::printf("[ summary  ] %d re-plans after a new lock moved %d meetings in all\n", replans,
              lock_moves);
}

// The delegate can no longer come to its best meeting's slot: that meeting moves into the
// slot of its weaker one rather than being dropped.
TEST(PlanDelegationTest, AForcedOutMeetingTakesTheSlotOfAWeakerOne) {
  PlanProblem p;
  p.slot_day = {0, 0};
  p.tables = {1, 1};
  p.delegates = {Open("d0", 2)};
  p.hosts = {Open("best", 2), Open("weak", 2)};
  p.scores = {0.685, 0.209};
  p.previous = {{.delegate = 0, .host = 0, .slot = 0, .table = 0, .score = 0.685},
                {.delegate = 0, .host = 1, .slot = 1, .table = 0, .score = 0.209}};
  p.delegates[0].available = {false, true};
  ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(p));
  ASSERT_TRUE(ValidPlan(p, plan));
  ASSERT_EQ(plan.meetings.size(), 1u);
  EXPECT_EQ(plan.meetings[0].host, 0);
  EXPECT_EQ(plan.meetings[0].slot, 1);
  EXPECT_EQ(plan.moved, 2);
}

// Nothing forces the kept meeting out of slot 0: it stays, though moving it to slot 1 would
// serve d1's minimum and raise the total.
TEST(PlanDelegationTest, ARePlanMovesAMeetingOnlyWhenForced) {
  PlanProblem p;
  p.slot_day = {0, 0};
  p.tables = {1, 1};
  p.delegates = {Open("d0", 2), Open("d1", 2, -1, 1)};
  p.delegates[1].available = {true, false};
  p.hosts = {Open("h0", 2)};
  p.scores = {0.5, 0.9};
  p.previous = {{.delegate = 0, .host = 0, .slot = 0, .table = 0, .score = 0.5}};
  ASSIGN_OR_FAIL(const PlanResult plan, PlanDelegation(p));
  ASSERT_TRUE(ValidPlan(p, plan));
  EXPECT_EQ(plan.moved, 0);
  ASSERT_EQ(plan.meetings.size(), 1u);
  EXPECT_EQ(plan.meetings[0].delegate, 0);
  EXPECT_EQ(plan.min_shortfall, 1);
  // Planned afresh, d1 meets h0 and d0 moves.
  p.previous.clear();
  ASSIGN_OR_FAIL(const PlanResult fresh, PlanDelegation(p));
  EXPECT_EQ(fresh.min_shortfall, 0);
  EXPECT_EQ(fresh.meetings.size(), 2u);
}

TEST(PlanDelegationTest, AnySlotLockStaysWhereItWas) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    PlanProblem problem = RandomProblem({.delegates = 8, .hosts = 15, .locks = 3}, seed);
    for (Lock& lock : problem.locks) lock.slot = -1;
    ASSIGN_OR_FAIL(const PlanResult first, PlanDelegation(problem));
    problem.previous = first.meetings;
    // Another seed explores differently; the locks still stay put.
    ASSIGN_OR_FAIL(const PlanResult again, PlanDelegation(problem, {.seed = 99}));
    ASSERT_TRUE(ValidPlan(problem, again));
    for (const Meeting& m : first.meetings) {
      if (!m.locked) continue;
      bool same = false;
      for (const Meeting& n : again.meetings) {
        same = same || (n.delegate == m.delegate && n.host == m.host && n.slot == m.slot);
      }
      EXPECT_TRUE(same) << "lock " << m.delegate << "x" << m.host << " moved";
    }
  }
}

}  // namespace
}  // namespace socio::planner
