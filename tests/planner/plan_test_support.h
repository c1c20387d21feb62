// What the planner tests share: random problems and a schedule checker written
// independently of the planner's code.
#ifndef SOCIO_TESTS_PLANNER_PLAN_TEST_SUPPORT_H_
#define SOCIO_TESTS_PLANNER_PLAN_TEST_SUPPORT_H_

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "planner/plan.h"

namespace socio::planner::testing {

struct RandomShape {
  int delegates = 6;
  int hosts = 10;
  int days = 2;
  int slots_per_day = 3;
  int max_tables = 4;         // tables per slot drawn from 0..max_tables (0 rarely)
  double available = 0.7;     // chance a company can attend a slot
  double zero_score = 0.15;   // chance a pair scores 0
  double capped = 0.6;        // chance a company has a max_meetings
  double with_minimum = 0.5;  // chance a delegate has a min_meetings
  int excluded = 3;
  int locks = 2;
  // > 0: each host can attend only a window of 2 to host_window slots in a row, in one day
  // (chosen at random); `available` then applies to delegates only.
  int host_window = 0;
};

// The shape where a schedule is hardest to improve: narrow host windows, few tables, more
// minimums than tables can serve.
inline RandomShape HardShape(int delegates = 25, int hosts = 100) {
  return {.delegates = delegates,
          .hosts = hosts,
          .days = 3,
          .slots_per_day = 6,
          .max_tables = 4,
          .available = 0.9,
          .zero_score = 0.05,
          .capped = 1,
          .with_minimum = 1,
          .excluded = 10,
          .locks = 4,
          .host_window = 3};
}

// A random problem of the given shape; locks that could never be placed are dropped, so
// PlanDelegation succeeds on it.
inline PlanProblem RandomProblem(const RandomShape& shape, uint64_t seed) {
  std::mt19937_64 random(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; };
  PlanProblem problem;
  const int slots = shape.days * shape.slots_per_day;
  for (int day = 0; day < shape.days; ++day) {
    for (int i = 0; i < shape.slots_per_day; ++i) problem.slot_day.push_back(day);
  }
  for (int t = 0; t < slots; ++t) {
    problem.tables.push_back(chance(0.1) ? 0 : uniform(1, std::max(1, shape.max_tables)));
  }
  auto company = [&](const std::string& id, bool delegate) {
    Company c;
    c.id = id;
    for (int t = 0; t < slots; ++t) c.available.push_back(chance(shape.available));
    if (!delegate && shape.host_window > 0) {
      const int width = std::min(shape.slots_per_day, uniform(2, std::max(2, shape.host_window)));
      const int first = uniform(0, shape.days - 1) * shape.slots_per_day +
                        uniform(0, shape.slots_per_day - width);
      for (int t = 0; t < slots; ++t) c.available[t] = t >= first && t < first + width;
    }
    if (chance(shape.capped)) c.max_meetings = uniform(0, delegate ? slots : 3);
    if (delegate && chance(shape.with_minimum)) c.min_meetings = uniform(1, std::max(1, slots / 2));
    return c;
  };
  for (int d = 0; d < shape.delegates; ++d) {
    problem.delegates.push_back(company(absl::StrCat("d", d), true));
  }
  for (int h = 0; h < shape.hosts; ++h) {
    problem.hosts.push_back(company(absl::StrCat("h", h), false));
  }
  for (int i = 0; i < shape.delegates * shape.hosts; ++i) {
    problem.scores.push_back(chance(shape.zero_score) ? 0.0 : uniform(1, 1000) / 1000.0);
  }
  if (shape.delegates == 0 || shape.hosts == 0) return problem;
  for (int i = 0; i < shape.excluded; ++i) {
    problem.excluded.push_back({uniform(0, shape.delegates - 1), uniform(0, shape.hosts - 1)});
  }
  const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
  for (int i = 0; i < shape.locks * 4 && static_cast<int>(problem.locks.size()) < shape.locks;
       ++i) {
    Lock lock{uniform(0, shape.delegates - 1), uniform(0, shape.hosts - 1), -1};
    const Company& d = problem.delegates[lock.delegate];
    const Company& h = problem.hosts[lock.host];
    if (excluded.count({lock.delegate, lock.host}) || d.max_meetings == 0 || h.max_meetings == 0) {
      continue;
    }
    std::vector<int> shared;
    for (int t = 0; t < slots; ++t) {
      if (d.available[t] && h.available[t] && problem.tables[t] > 0) shared.push_back(t);
    }
    if (shared.empty()) continue;
    if (chance(0.5)) lock.slot = shared[uniform(0, static_cast<int>(shared.size()) - 1)];
    problem.locks.push_back(lock);
  }
  return problem;
}

// Checks everything PlanResult promises about `result` for `problem`, from scratch.
inline ::testing::AssertionResult ValidPlan(const PlanProblem& problem, const PlanResult& result) {
  const int nd = static_cast<int>(problem.delegates.size());
  const int nh = static_cast<int>(problem.hosts.size());
  const int slots = static_cast<int>(problem.slot_day.size());
  auto fail = [](const std::string& what) { return ::testing::AssertionFailure() << what; };
  std::set<std::pair<int, int>> pairs;
  std::set<std::pair<int, int>> delegate_slots, host_slots, tables_used;
  std::map<std::pair<int, int>, int> slot_of;
  std::vector<int> delegate_meetings(nd, 0), host_meetings(nh, 0), per_slot(slots, 0);
  const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
  std::set<std::pair<int, int>> lock_pairs;
  std::set<int> unplaced;
  for (const UnplacedLock& u : result.unplaced_locks) {
    if (u.reason.empty()) return fail(absl::StrCat("locks[", u.lock, "] unplaced without reason"));
    unplaced.insert(u.lock);
  }
  double total = 0;
  for (size_t i = 0; i < result.meetings.size(); ++i) {
    const Meeting& m = result.meetings[i];
    const std::string name =
        absl::StrCat("meetings[", i, "] (", m.delegate, ", ", m.host, ", slot ", m.slot, ")");
    if (m.delegate < 0 || m.delegate >= nd || m.host < 0 || m.host >= nh || m.slot < 0 ||
        m.slot >= slots) {
      return fail(name + ": out of range");
    }
    if (m.table < 0 || m.table >= problem.tables[m.slot]) return fail(name + ": bad table");
    if (i > 0) {
      const Meeting& p = result.meetings[i - 1];
      if (std::make_pair(p.slot, p.table) >= std::make_pair(m.slot, m.table)) {
        return fail(name + ": not sorted by slot then table");
      }
    }
    if (!pairs.insert({m.delegate, m.host}).second) return fail(name + ": pair meets twice");
    if (!delegate_slots.insert({m.delegate, m.slot}).second) {
      return fail(name + ": delegate double booked");
    }
    if (!host_slots.insert({m.host, m.slot}).second) return fail(name + ": host double booked");
    tables_used.insert({m.slot, m.table});
    if (!problem.delegates[m.delegate].available[m.slot]) return fail(name + ": delegate away");
    if (!problem.hosts[m.host].available[m.slot]) return fail(name + ": host away");
    if (excluded.count({m.delegate, m.host})) return fail(name + ": excluded pair");
    const double score = problem.scores[size_t(m.delegate) * nh + m.host];
    if (m.score != score) return fail(name + ": wrong score");
    slot_of[{m.delegate, m.host}] = m.slot;
    ++delegate_meetings[m.delegate];
    ++host_meetings[m.host];
    ++per_slot[m.slot];
    total += score;
  }
  for (int t = 0; t < slots; ++t) {
    if (per_slot[t] > problem.tables[t]) return fail(absl::StrCat("slot ", t, ": too many"));
  }
  auto check_caps = [&](const std::vector<Company>& companies, const std::vector<int>& meetings,
                        const char* kind) -> std::string {
    for (size_t i = 0; i < companies.size(); ++i) {
      if (companies[i].max_meetings >= 0 && meetings[i] > companies[i].max_meetings) {
        return absl::StrCat(kind, " ", i, ": over max_meetings");
      }
    }
    return "";
  };
  if (std::string e = check_caps(problem.delegates, delegate_meetings, "delegate"); !e.empty()) {
    return fail(e);
  }
  if (std::string e = check_caps(problem.hosts, host_meetings, "host"); !e.empty()) return fail(e);
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    const Lock& lock = problem.locks[i];
    if (unplaced.count(static_cast<int>(i))) continue;
    auto it = slot_of.find({lock.delegate, lock.host});
    if (it == slot_of.end()) return fail(absl::StrCat("locks[", i, "] not placed"));
    if (lock.slot >= 0 && it->second != lock.slot) {
      return fail(absl::StrCat("locks[", i, "] in the wrong slot"));
    }
    lock_pairs.insert({lock.delegate, lock.host});
  }
  for (const Meeting& m : result.meetings) {
    const bool lock = lock_pairs.count({m.delegate, m.host}) > 0;
    if (m.locked != lock) return fail("locked flag wrong");
    if (!lock && m.score <= 0) return fail("a pair scoring 0 meets without a lock");
  }
  if (std::abs(total - result.total) > 1e-9) return fail("total is not the sum of scores");
  if (result.bound < result.total - 1e-9) return fail("bound below total");
  const double gap = result.bound > 0 ? (result.bound - result.total) / result.bound : 0;
  if (std::abs(gap - result.gap) > 1e-9) return fail("gap wrong");
  int shortfall = 0;
  for (int d = 0; d < nd; ++d) {
    shortfall += std::max(0, problem.delegates[d].min_meetings - delegate_meetings[d]);
  }
  if (shortfall != result.min_shortfall) return fail("min_shortfall wrong");
  int moved = 0;
  for (const Meeting& p : problem.previous) {
    auto it = slot_of.find({p.delegate, p.host});
    if (it == slot_of.end() || it->second != p.slot) ++moved;
  }
  if (moved != result.moved) return fail(absl::StrCat("moved ", result.moved, ", counted ", moved));
  auto check_load = [&](const std::vector<int>& meetings, const CompanyLoad& load) {
    if (meetings.empty()) return load.min == 0 && load.max == 0 && load.mean == 0;
    double sum = 0;
    for (int m : meetings) sum += m;
    return load.min == *std::min_element(meetings.begin(), meetings.end()) &&
           load.max == *std::max_element(meetings.begin(), meetings.end()) &&
           std::abs(load.mean - sum / meetings.size()) < 1e-9;
  };
  if (!check_load(delegate_meetings, result.delegate_load)) return fail("delegate_load wrong");
  if (!check_load(host_meetings, result.host_load)) return fail("host_load wrong");
  return ::testing::AssertionSuccess();
}

}  // namespace socio::planner::testing

#endif  // SOCIO_TESTS_PLANNER_PLAN_TEST_SUPPORT_H_
