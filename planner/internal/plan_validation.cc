#include "planner/internal/plan_validation.h"

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace socio::planner::internal {
namespace {

// Pairs are indexed by int, and the planner keeps a few dense arrays over them.
constexpr int64_t kMaxPairs = int64_t{1} << 26;

absl::Status CheckCompanies(const std::vector<Company>& companies, const char* field,
                            size_t slot_count) {
  for (size_t i = 0; i < companies.size(); ++i) {
    const Company& c = companies[i];
    const std::string name = absl::StrCat(field, "[", i, "]");
    if (c.available.size() != slot_count) {
      return absl::InvalidArgumentError(absl::StrCat(name, ".available: ", c.available.size(),
                                                     " entries, expected ", slot_count));
    }
    if (c.max_meetings < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".max_meetings: ", c.max_meetings, " is negative (-1: no cap)"));
    }
    if (c.min_meetings < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".min_meetings: ", c.min_meetings, " is negative"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckIndex(int value, size_t size, const std::string& field, const char* what) {
  if (value < 0 || static_cast<size_t>(value) >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value, " out of range (", size, " ", what, ")"));
  }
  return absl::OkStatus();
}

std::string Quoted(const std::string& id) { return absl::StrCat("\"", id, "\""); }

}  // namespace

absl::Status ValidateProblem(const PlanProblem& problem, const PlanOptions& options) {
  if (options.search_rounds < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.search_rounds: ", options.search_rounds, " is negative"));
  }
  if (options.search_work < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.search_work: ", options.search_work, " is negative"));
  }
  if (options.candidate_hosts < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.candidate_hosts: ", options.candidate_hosts, " is negative"));
  }
  if (options.exact_max_variables < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.exact_max_variables: ", options.exact_max_variables, " is negative"));
  }
  if (options.exact_node_limit < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.exact_node_limit: ", options.exact_node_limit, " is negative"));
  }
  if (options.exact_time_limit < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.exact_time_limit: ", absl::FormatDuration(options.exact_time_limit),
                     " is negative"));
  }
  if (options.mode == PlanMode::kExact && options.exact_solver == nullptr) {
    return absl::InvalidArgumentError("options.exact_solver: none, but mode is kExact");
  }
  const size_t slots = problem.slot_day.size();
  for (size_t t = 0; t < slots; ++t) {
    if (problem.slot_day[t] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("slot_day[", t, "]: ", problem.slot_day[t], " is negative"));
    }
    if (t > 0 && problem.slot_day[t] < problem.slot_day[t - 1]) {
      return absl::InvalidArgumentError(absl::StrCat("slot_day[", t, "]: day ", problem.slot_day[t],
                                                     " comes after day ", problem.slot_day[t - 1]));
    }
  }
  if (problem.tables.size() != slots) {
    return absl::InvalidArgumentError(
        absl::StrCat("tables: ", problem.tables.size(), " entries, expected ", slots));
  }
  for (size_t t = 0; t < slots; ++t) {
    if (problem.tables[t] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("tables[", t, "]: ", problem.tables[t], " is negative"));
    }
  }
  if (absl::Status s = CheckCompanies(problem.delegates, "delegates", slots); !s.ok()) return s;
  if (absl::Status s = CheckCompanies(problem.hosts, "hosts", slots); !s.ok()) return s;
  const size_t nd = problem.delegates.size();
  const size_t nh = problem.hosts.size();
  if (static_cast<int64_t>(nd) * static_cast<int64_t>(nh) > kMaxPairs) {
    return absl::InvalidArgumentError(
        absl::StrCat("delegates x hosts: ", nd, " x ", nh, " pairs, at most ", kMaxPairs));
  }
  if (problem.scores.size() != nd * nh) {
    return absl::InvalidArgumentError(absl::StrCat(
        "scores: ", problem.scores.size(), " entries, expected ", nd, " x ", nh, " = ", nd * nh));
  }
  for (size_t i = 0; i < problem.scores.size(); ++i) {
    const double s = problem.scores[i];
    if (std::isnan(s)) return absl::InvalidArgumentError(absl::StrCat("scores[", i, "]: NaN"));
    if (!(s >= 0 && s <= 1)) {
      return absl::InvalidArgumentError(absl::StrCat("scores[", i, "]: ", s, " is outside [0, 1]"));
    }
  }
  for (size_t i = 0; i < problem.excluded.size(); ++i) {
    const std::string name = absl::StrCat("excluded[", i, "]");
    if (absl::Status s = CheckIndex(problem.excluded[i].first, nd, name + ".first", "delegates");
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckIndex(problem.excluded[i].second, nh, name + ".second", "hosts");
        !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    const Lock& lock = problem.locks[i];
    const std::string name = absl::StrCat("locks[", i, "]");
    if (absl::Status s = CheckIndex(lock.delegate, nd, name + ".delegate", "delegates"); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckIndex(lock.host, nh, name + ".host", "hosts"); !s.ok()) return s;
    if (lock.slot != -1) {
      if (absl::Status s = CheckIndex(lock.slot, slots, name + ".slot", "slots; -1: any slot");
          !s.ok()) {
        return s;
      }
    }
  }
  for (size_t i = 0; i < problem.previous.size(); ++i) {
    const Meeting& m = problem.previous[i];
    const std::string name = absl::StrCat("previous[", i, "]");
    if (absl::Status s = CheckIndex(m.delegate, nd, name + ".delegate", "delegates"); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckIndex(m.host, nh, name + ".host", "hosts"); !s.ok()) return s;
    if (absl::Status s = CheckIndex(m.slot, slots, name + ".slot", "slots"); !s.ok()) return s;
  }
  for (size_t i = 0; i < problem.interpreters.size(); ++i) {
    if (problem.interpreters[i].available.size() != slots) {
      return absl::InvalidArgumentError(absl::StrCat(
          "interpreters[", i, "].available: ", problem.interpreters[i].available.size(),
          " entries, expected ", slots));
    }
  }
  std::set<std::pair<int, int>> needing;
  for (size_t i = 0; i < problem.interpreter_needs.size(); ++i) {
    const InterpreterNeed& need = problem.interpreter_needs[i];
    const std::string name = absl::StrCat("interpreter_needs[", i, "]");
    if (absl::Status s = CheckIndex(need.delegate, nd, name + ".delegate", "delegates"); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckIndex(need.host, nh, name + ".host", "hosts"); !s.ok()) return s;
    if (!needing.insert({need.delegate, need.host}).second) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": delegate ", need.delegate,
                                                     " and host ", need.host, " are listed twice"));
    }
    for (size_t k = 0; k < need.interpreters.size(); ++k) {
      if (absl::Status s = CheckIndex(need.interpreters[k], problem.interpreters.size(),
                                      absl::StrCat(name, ".interpreters[", k, "]"), "interpreters");
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLocksPlaceable(const PlanProblem& problem) {
  const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    const Lock& lock = problem.locks[i];
    const Company& d = problem.delegates[lock.delegate];
    const Company& h = problem.hosts[lock.host];
    const std::string pair = absl::StrCat("delegate ", Quoted(d.id), " and host ", Quoted(h.id));
    auto fail = [&](const std::string& why) {
      return absl::FailedPreconditionError(absl::StrCat("locks[", i, "]: ", why));
    };
    if (excluded.count({lock.delegate, lock.host}) > 0) return fail(pair + " are excluded");
    if (d.max_meetings == 0)
      return fail(absl::StrCat("delegate ", Quoted(d.id), " has max_meetings 0"));
    if (h.max_meetings == 0)
      return fail(absl::StrCat("host ", Quoted(h.id), " has max_meetings 0"));
    if (lock.slot >= 0) {
      const int t = lock.slot;
      if (!d.available[t]) {
        return fail(
            absl::StrCat("slot ", t, " is outside delegate ", Quoted(d.id), "'s availability"));
      }
      if (!h.available[t]) {
        return fail(absl::StrCat("slot ", t, " is outside host ", Quoted(h.id), "'s availability"));
      }
      if (problem.tables[t] == 0) return fail(absl::StrCat("slot ", t, " has no tables"));
      continue;
    }
    bool together = false;
    bool with_tables = false;
    for (size_t t = 0; t < problem.tables.size(); ++t) {
      if (d.available[t] && h.available[t]) {
        together = true;
        with_tables = with_tables || problem.tables[t] > 0;
      }
    }
    if (!together) return fail(pair + " are never available in the same slot");
    if (!with_tables) {
      return fail(pair + " are available together only in slots without tables");
    }
  }
  return absl::OkStatus();
}

}  // namespace socio::planner::internal
