#include "planner/plan_milp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace socio::planner {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// All digits: StrCat would round to 6.
std::string Exact(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

bool Usable(const PlanProblem& problem, const Company& company, int t) {
  return company.available[t] && problem.tables[t] > 0;
}

}  // namespace

PlanModel BuildPlanModel(const PlanProblem& problem, const PlanResult& plan,
                         PlanObjective objective) {
  const int nd = static_cast<int>(problem.delegates.size());
  const int nh = static_cast<int>(problem.hosts.size());
  const int slots = static_cast<int>(problem.slot_day.size());
  const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
  std::set<int> unplaced;
  for (const UnplacedLock& u : plan.unplaced_locks) unplaced.insert(u.lock);
  std::set<std::pair<int, int>> locked;
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    if (!unplaced.count(static_cast<int>(i))) {
      locked.insert({problem.locks[i].delegate, problem.locks[i].host});
    }
  }
  PlanModel model;
  model.maximize = objective != PlanObjective::kShortfall;
  // kLexicographic's weights, from the score up: the score is below score_ceiling (a
  // meeting scores at most 1 and a slot holds at most its tables); a unit of squared
  // shortfall costs score_ceiling; a unit of shortfall costs more than all squares can
  // change; a kept meeting more than all shortfall can.
  std::vector<int> minimum(nd, 0);  // up to the cap
  double square_weight = 0, shortfall_weight = 0, keep_weight = 0;
  if (objective == PlanObjective::kLexicographic) {
    int64_t meetings = 0;
    for (int t = 0; t < slots; ++t) meetings += problem.tables[t];
    int64_t minimums = 0, squares = 0;
    for (int d = 0; d < nd; ++d) {
      const Company& c = problem.delegates[d];
      int usable = 0;
      for (int t = 0; t < slots; ++t) usable += Usable(problem, c, t);
      minimum[d] =
          std::min(c.min_meetings, c.max_meetings >= 0 ? std::min(c.max_meetings, usable) : usable);
      minimums += minimum[d];
      squares += int64_t{minimum[d]} * minimum[d];
    }
    model.score_ceiling = static_cast<double>(meetings + 1);
    square_weight = model.score_ceiling;
    shortfall_weight = square_weight * static_cast<double>(squares + 1);
    keep_weight = shortfall_weight * static_cast<double>(minimums + 1);
  }

  std::vector<std::vector<int>> by_delegate(nd), by_host(nh), by_slot(slots);
  std::vector<std::vector<int>> by_delegate_slot(size_t(nd) * slots);
  std::vector<std::vector<int>> by_host_slot(size_t(nh) * slots);
  std::map<std::pair<int, int>, std::vector<int>> by_pair;
  std::map<std::tuple<int, int, int>, int> column_of;
  for (int d = 0; d < nd; ++d) {
    for (int h = 0; h < nh; ++h) {
      const double w = problem.scores[size_t(d) * nh + h];
      if (!locked.count({d, h}) && (w <= 0 || excluded.count({d, h}))) continue;
      for (int t = 0; t < slots; ++t) {
        if (!Usable(problem, problem.delegates[d], t) || !Usable(problem, problem.hosts[h], t)) {
          continue;
        }
        const int x = static_cast<int>(model.columns.size());
        model.columns.push_back({.name = absl::StrCat("x_", d, "_", h, "_", t),
                                 .objective = objective == PlanObjective::kShortfall ? 0 : w});
        model.meetings.push_back({d, h, t});
        column_of[{d, h, t}] = x;
        by_delegate[d].push_back(x);
        by_host[h].push_back(x);
        by_slot[t].push_back(x);
        by_delegate_slot[size_t(d) * slots + t].push_back(x);
        by_host_slot[size_t(h) * slots + t].push_back(x);
        by_pair[{d, h}].push_back(x);
      }
    }
  }
  if (objective == PlanObjective::kLexicographic) {
    std::set<std::pair<int, int>> seen;
    for (const Meeting& m : problem.previous) {
      if (!seen.insert({m.delegate, m.host}).second) continue;  // the first one counts
      const bool lost = m.slot < 0 || m.slot >= slots ||
                        !Usable(problem, problem.delegates[m.delegate], m.slot) ||
                        !Usable(problem, problem.hosts[m.host], m.slot);
      if (lost) {
        // Kept wherever it is placed.
        const auto it = by_pair.find({m.delegate, m.host});
        if (it == by_pair.end()) continue;
        for (int x : it->second) model.columns[x].objective += keep_weight;
      } else if (const auto it = column_of.find({m.delegate, m.host, m.slot});
                 it != column_of.end()) {
        model.columns[it->second].objective += keep_weight;
      }
    }
  }

  auto row = [&](std::string name, std::vector<int> columns, double lower, double upper) {
    model.rows.push_back({std::move(name), std::move(columns), lower, upper});
  };
  for (const auto& [key, xs] : by_pair) {
    if (xs.size() > 1) row(absl::StrCat("pair_", key.first, "_", key.second), xs, -kInfinity, 1);
  }
  for (int t = 0; t < slots; ++t) {
    for (int d = 0; d < nd; ++d) {
      const auto& xs = by_delegate_slot[size_t(d) * slots + t];
      if (xs.size() > 1) row(absl::StrCat("ds_", d, "_", t), xs, -kInfinity, 1);
    }
    for (int h = 0; h < nh; ++h) {
      const auto& xs = by_host_slot[size_t(h) * slots + t];
      if (xs.size() > 1) row(absl::StrCat("hs_", h, "_", t), xs, -kInfinity, 1);
    }
    if (static_cast<int>(by_slot[t].size()) > problem.tables[t]) {
      row(absl::StrCat("tables_", t), by_slot[t], -kInfinity, problem.tables[t]);
    }
  }
  std::vector<int> meetings(nd, 0);
  for (const Meeting& m : plan.meetings) ++meetings[m.delegate];
  for (int d = 0; d < nd; ++d) {
    const Company& c = problem.delegates[d];
    if (c.max_meetings >= 0 && static_cast<int>(by_delegate[d].size()) > c.max_meetings) {
      row(absl::StrCat("dmax_", d), by_delegate[d], -kInfinity, c.max_meetings);
    }
    if (objective == PlanObjective::kShortfall) {
      const int s = static_cast<int>(model.columns.size());
      model.shortfall_units.push_back({d, 0});
      model.columns.push_back(
          {.name = absl::StrCat("s_", d), .objective = 1, .binary = false, .upper = kInfinity});
      std::vector<int> terms = by_delegate[d];
      terms.push_back(s);
      row(absl::StrCat("dshort_", d), std::move(terms), c.min_meetings, kInfinity);
    } else if (objective == PlanObjective::kLexicographic && minimum[d] > 0) {
      std::vector<int> terms = by_delegate[d];
      for (int k = 1; k <= minimum[d]; ++k) {
        terms.push_back(static_cast<int>(model.columns.size()));
        model.shortfall_units.push_back({d, k});
        model.columns.push_back({.name = absl::StrCat("u_", d, "_", k),
                                 .objective = -(shortfall_weight + square_weight * (2 * k - 1)),
                                 .binary = false});
      }
      row(absl::StrCat("dshort_", d), std::move(terms), minimum[d], kInfinity);
    } else if (objective == PlanObjective::kScore) {
      if (const int minimum = std::min(c.min_meetings, meetings[d]); minimum > 0) {
        row(absl::StrCat("dmin_", d), by_delegate[d], minimum, kInfinity);
      }
    }
  }
  for (int h = 0; h < nh; ++h) {
    const Company& c = problem.hosts[h];
    if (c.max_meetings >= 0 && static_cast<int>(by_host[h].size()) > c.max_meetings) {
      row(absl::StrCat("hmax_", h), by_host[h], -kInfinity, c.max_meetings);
    }
  }
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    if (unplaced.count(static_cast<int>(i))) continue;
    const Lock& lock = problem.locks[i];
    if (lock.slot >= 0) {
      row(absl::StrCat("lock_", i), {column_of.at({lock.delegate, lock.host, lock.slot})}, 1, 1);
    } else {
      row(absl::StrCat("lock_", i), by_pair[{lock.delegate, lock.host}], 1, 1);
    }
  }
  return model;
}

std::string LpText(const PlanModel& model) {
  std::string objective;
  std::string binaries;
  for (const MilpColumn& c : model.columns) {
    if (c.objective != 0) {
      absl::StrAppend(&objective, c.objective < 0 ? " - " : " + ", Exact(std::abs(c.objective)),
                      " ", c.name, "\n");
    }
    if (c.binary) absl::StrAppend(&binaries, " ", c.name, "\n");
  }
  std::string lp =
      absl::StrCat(model.maximize ? "Maximize\n" : "Minimize\n",
                   " obj:", objective.empty() ? " 0 x_none\n" : objective, "Subject To\n");
  // Long rows are wrapped, as LP format allows.
  auto write = [&](const MilpRow& row, const std::string& name, const std::string& sense,
                   double rhs) {
    absl::StrAppend(&lp, " ", name, ":");
    for (size_t i = 0; i < row.columns.size(); ++i) {
      absl::StrAppend(&lp, i == 0 ? " " : " + ", model.columns[row.columns[i]].name);
      if (i % 16 == 15) absl::StrAppend(&lp, "\n  ");
    }
    absl::StrAppend(&lp, " ", sense, " ", Exact(rhs), "\n");
  };
  for (const MilpRow& row : model.rows) {
    if (row.lower == row.upper) {
      write(row, row.name, "=", row.lower);
    } else if (row.lower == -kInfinity) {
      write(row, row.name, "<=", row.upper);
    } else if (row.upper == kInfinity) {
      write(row, row.name, ">=", row.lower);
    } else {
      write(row, row.name + "_lo", ">=", row.lower);
      write(row, row.name + "_hi", "<=", row.upper);
    }
  }
  std::string bounds;
  for (const MilpColumn& c : model.columns) {
    if (!c.binary && c.upper != kInfinity) {
      absl::StrAppend(&bounds, " 0 <= ", c.name, " <= ", Exact(c.upper), "\n");
    }
  }
  absl::StrAppend(&lp, bounds.empty() ? "" : "Bounds\n", bounds);
  absl::StrAppend(&lp, binaries.empty() ? "" : "Binary\n", binaries, "End\n");
  return lp;
}

std::string PlanMilp(const PlanProblem& problem, const PlanResult& plan) {
  return LpText(BuildPlanModel(problem, plan, PlanObjective::kScore));
}

std::string PlanShortfallMilp(const PlanProblem& problem, const PlanResult& plan) {
  return LpText(BuildPlanModel(problem, plan, PlanObjective::kShortfall));
}

}  // namespace socio::planner
