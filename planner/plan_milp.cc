#include "planner/plan_milp.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace socio::planner {
namespace {

std::string Var(int d, int h, int t) { return absl::StrCat("x_", d, "_", h, "_", t); }

// All digits: StrCat would round to 6.
std::string Exact(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

// Appends " + a + b ..." to `out`; long rows are wrapped, as LP format allows.
void AppendSum(const std::vector<std::string>& terms, std::string* out) {
  for (size_t i = 0; i < terms.size(); ++i) {
    absl::StrAppend(out, i == 0 ? " " : " + ", terms[i]);
    if (i % 16 == 15) absl::StrAppend(out, "\n  ");
  }
}

std::string WriteMilp(const PlanProblem& problem, const PlanResult& plan, bool shortfall) {
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
  std::vector<int> meetings(nd, 0);
  for (const Meeting& m : plan.meetings) ++meetings[m.delegate];

  std::vector<std::vector<std::string>> by_delegate(nd), by_host(nh), by_slot(slots);
  std::vector<std::vector<std::string>> by_delegate_slot(size_t(nd) * slots);
  std::vector<std::vector<std::string>> by_host_slot(size_t(nh) * slots);
  std::map<std::pair<int, int>, std::vector<std::string>> by_pair;
  std::string objective;
  std::string binaries;
  for (int d = 0; d < nd; ++d) {
    for (int h = 0; h < nh; ++h) {
      const double w = problem.scores[size_t(d) * nh + h];
      if (!locked.count({d, h}) && (w <= 0 || excluded.count({d, h}))) continue;
      std::vector<std::string>& pair = by_pair[{d, h}];
      for (int t = 0; t < slots; ++t) {
        if (!problem.delegates[d].available[t] || !problem.hosts[h].available[t] ||
            problem.tables[t] == 0) {
          continue;
        }
        const std::string x = Var(d, h, t);
        if (!shortfall) absl::StrAppend(&objective, " + ", Exact(w), " ", x, "\n");
        absl::StrAppend(&binaries, " ", x, "\n");
        by_delegate[d].push_back(x);
        by_host[h].push_back(x);
        by_slot[t].push_back(x);
        by_delegate_slot[size_t(d) * slots + t].push_back(x);
        by_host_slot[size_t(h) * slots + t].push_back(x);
        pair.push_back(x);
      }
      if (pair.empty()) by_pair.erase({d, h});
    }
  }
  if (shortfall) {
    for (int d = 0; d < nd; ++d) absl::StrAppend(&objective, " + s_", d, "\n");
  }
  std::string lp =
      absl::StrCat(shortfall ? "Minimize\n" : "Maximize\n",
                   " obj:", objective.empty() ? " 0 x_none\n" : objective, "Subject To\n");
  auto row = [&](const std::string& name, const std::vector<std::string>& terms,
                 const std::string& sense) {
    absl::StrAppend(&lp, " ", name, ":");
    AppendSum(terms, &lp);
    absl::StrAppend(&lp, " ", sense, "\n");
  };
  for (const auto& [key, xs] : by_pair) {
    if (xs.size() > 1) row(absl::StrCat("pair_", key.first, "_", key.second), xs, "<= 1");
  }
  for (int t = 0; t < slots; ++t) {
    for (int d = 0; d < nd; ++d) {
      const auto& xs = by_delegate_slot[size_t(d) * slots + t];
      if (xs.size() > 1) row(absl::StrCat("ds_", d, "_", t), xs, "<= 1");
    }
    for (int h = 0; h < nh; ++h) {
      const auto& xs = by_host_slot[size_t(h) * slots + t];
      if (xs.size() > 1) row(absl::StrCat("hs_", h, "_", t), xs, "<= 1");
    }
    if (static_cast<int>(by_slot[t].size()) > problem.tables[t]) {
      row(absl::StrCat("tables_", t), by_slot[t], absl::StrCat("<= ", problem.tables[t]));
    }
  }
  for (int d = 0; d < nd; ++d) {
    const Company& c = problem.delegates[d];
    if (c.max_meetings >= 0 && static_cast<int>(by_delegate[d].size()) > c.max_meetings) {
      row(absl::StrCat("dmax_", d), by_delegate[d], absl::StrCat("<= ", c.max_meetings));
    }
    if (shortfall) {
      std::vector<std::string> terms = by_delegate[d];
      terms.push_back(absl::StrCat("s_", d));
      row(absl::StrCat("dshort_", d), terms, absl::StrCat(">= ", c.min_meetings));
    } else if (const int minimum = std::min(c.min_meetings, meetings[d]); minimum > 0) {
      row(absl::StrCat("dmin_", d), by_delegate[d], absl::StrCat(">= ", minimum));
    }
  }
  for (int h = 0; h < nh; ++h) {
    const Company& c = problem.hosts[h];
    if (c.max_meetings >= 0 && static_cast<int>(by_host[h].size()) > c.max_meetings) {
      row(absl::StrCat("hmax_", h), by_host[h], absl::StrCat("<= ", c.max_meetings));
    }
  }
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    if (unplaced.count(static_cast<int>(i))) continue;
    const Lock& lock = problem.locks[i];
    if (lock.slot >= 0) {
      row(absl::StrCat("lock_", i), {Var(lock.delegate, lock.host, lock.slot)}, "= 1");
    } else {
      row(absl::StrCat("lock_", i), by_pair[{lock.delegate, lock.host}], "= 1");
    }
  }
  absl::StrAppend(&lp, binaries.empty() ? "" : "Binary\n", binaries, "End\n");
  return lp;
}

}  // namespace

std::string PlanMilp(const PlanProblem& problem, const PlanResult& plan) {
  return WriteMilp(problem, plan, false);
}

std::string PlanShortfallMilp(const PlanProblem& problem, const PlanResult& plan) {
  return WriteMilp(problem, plan, true);
}

}  // namespace socio::planner
