// What the tests that check plans against the `cbc` program (Debian package coinor-cbc)
// share: finding it, running it on an LP-format model, and reading its schedule.
#ifndef SOCIO_TESTS_PLANNER_CBC_SUPPORT_H_
#define SOCIO_TESTS_PLANNER_CBC_SUPPORT_H_

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "planner/plan.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace socio::planner::testing {

inline std::optional<std::string> FindCbc() {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "/usr/bin:/bin", ':')) {
    const std::string candidate = absl::StrCat(dir, "/cbc");
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The schedule in a CBC solution (variables x_D_H_T at 1), as a PlanResult whose
// meetings, total, loads and moved meetings ValidPlan can check; `plan` supplies the unplaced
// locks.
inline PlanResult ScheduleOf(const PlanProblem& problem, const PlanResult& plan,
                             const std::map<std::string, double>& values) {
  PlanResult result;
  result.unplaced_locks = plan.unplaced_locks;
  std::set<std::pair<int, int>> locked;
  std::set<int> unplaced;
  for (const UnplacedLock& u : plan.unplaced_locks) unplaced.insert(u.lock);
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    if (!unplaced.count(static_cast<int>(i))) {
      locked.insert({problem.locks[i].delegate, problem.locks[i].host});
    }
  }
  const int nh = static_cast<int>(problem.hosts.size());
  std::map<int, int> tables;
  for (const auto& [name, value] : values) {
    if (value < 0.5 || name.rfind("x_", 0) != 0) continue;
    std::vector<std::string> f = absl::StrSplit(name.substr(2), '_');
    int d = 0, h = 0, t = 0;
    if (f.size() != 3 || !absl::SimpleAtoi(f[0], &d) || !absl::SimpleAtoi(f[1], &h) ||
        !absl::SimpleAtoi(f[2], &t)) {
      continue;
    }
    const double score = problem.scores[size_t(d) * nh + h];
    result.meetings.push_back({d, h, t, tables[t]++, score, locked.count({d, h}) > 0});
    result.total += score;
  }
  std::sort(result.meetings.begin(), result.meetings.end(), [](const Meeting& a, const Meeting& b) {
    return std::make_pair(a.slot, a.table) < std::make_pair(b.slot, b.table);
  });
  std::vector<int> delegate_meetings(problem.delegates.size(), 0);
  std::vector<int> host_meetings(problem.hosts.size(), 0);
  for (const Meeting& m : result.meetings) {
    ++delegate_meetings[m.delegate];
    ++host_meetings[m.host];
  }
  for (size_t d = 0; d < problem.delegates.size(); ++d) {
    result.min_shortfall += std::max(0, problem.delegates[d].min_meetings - delegate_meetings[d]);
  }
  auto load = [](const std::vector<int>& m) {
    CompanyLoad l;
    if (m.empty()) return l;
    l.min = *std::min_element(m.begin(), m.end());
    l.max = *std::max_element(m.begin(), m.end());
    for (int x : m) l.mean += x;
    l.mean /= m.size();
    return l;
  };
  std::map<std::pair<int, int>, int> slot_of;
  for (const Meeting& m : result.meetings) slot_of[{m.delegate, m.host}] = m.slot;
  for (const Meeting& m : problem.previous) {
    const auto it = slot_of.find({m.delegate, m.host});
    result.moved += it == slot_of.end() || it->second != m.slot;
  }
  result.delegate_load = load(delegate_meetings);
  result.host_load = load(host_meetings);
  result.bound = result.total;
  return result;
}

struct Solution {
  bool optimal = false;
  std::string status;
  double objective = 0;  // from CBC's header line
  std::map<std::string, double> values;
};

// Runs cbc on `lp` (written to `name`.lp in `dir`), with a time limit when `seconds` > 0.
inline Solution SolveWithCbc(const std::string& cbc, const socio::testing::TempDir& dir,
                             const std::string& name, const std::string& lp, int seconds = 0) {
  const std::string model = dir.Join(name + ".lp");
  const std::string out = dir.Join(name + ".sol");
  std::ofstream(model) << lp;
  std::remove(out.c_str());
  Solution solution;
  absl::StatusOr<socio::testing::CommandResult> run = socio::testing::RunCommand(
      seconds > 0
          ? std::vector<std::string>{cbc, model, "sec", absl::StrCat(seconds), "solve", "solu", out}
          : std::vector<std::string>{cbc, model, "solve", "solu", out},
      dir.path());
  if (!run.ok()) {
    solution.status = run.status().ToString();
    return solution;
  }
  const std::string text = ReadFile(out);
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  if (lines.empty()) {
    solution.status = "no solution file; cbc said: " + run->out;
    return solution;
  }
  solution.status = lines[0];
  solution.optimal = lines[0].rfind("Optimal", 0) == 0;
  const size_t at = lines[0].find("objective value");
  if (at != std::string::npos) {
    (void)absl::SimpleAtod(absl::StripAsciiWhitespace(lines[0].substr(at + 15)),
                           &solution.objective);  // 0 if unparsable; checked via values
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    double value = 0;
    if (f.size() >= 3 && absl::SimpleAtod(f[2], &value)) solution.values[f[1]] = value;
  }
  return solution;
}

}  // namespace socio::planner::testing

#endif  // SOCIO_TESTS_PLANNER_CBC_SUPPORT_H_
