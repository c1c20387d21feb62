// socio-bench-plan: PlanDelegation on a delegation-sized problem, and the same problem given
// to the CBC MILP solver for comparison.
//
//   socio-bench-plan [--delegates 100] [--hosts 1000] [--days 3] [--slots_per_day 16]
//                    [--tables 40] [--seed 1] [--runs 3] [--cbc_seconds 60] [--json]
//                    [--mode auto|heuristic|exact] [--exact_seconds 10] [--exact_nodes 20000]
//                    [--search_work 2000000] [--write_lp FILE]
//                    [--programme 4] [--interpreters 6]
//   socio-bench-plan --hard [--seed 1] [--runs 3] [--cbc_seconds 60] [--json] [...]
//
// The problem is deterministic for a seed: every company has a latent profile vector and a
// pair's score is a logistic function of how well the two fit, so most pairs score low and
// a few high; hosts are spread over the days' cities (a host can attend only on its city's
// day, minus a few random slots), delegates travel on all days (minus a few slots);
// delegates want 12-16 meetings and at least 8, hosts take 3-6; a few pairs are excluded
// and a few locked. --hard instead makes the family where a heuristic struggles: 25
// delegates x 100 hosts over 3 days of 6 slots with 4 tables, each host able to meet in only
// 2-3 slots of its day, delegates wanting 4-8 meetings and at least 5, hosts taking 1-3, so
// that tables are scarce and not every minimum can be met.
//
// --programme K adds programme items as the delegation service turns them into the problem
// (slots their attendees cannot meet in): each day a briefing of the day's first slot for
// all delegates, then K items a day of 1-3 slots for a tenth of the delegates and 1-3 of
// the day's hosts, half of them away from the venue (a slot of travel kept free before and
// after). --interpreters N gives companies languages (delegates German, 85% also English;
// hosts Spanish, 90% also English), so about a quarter of the pairs share none and need an
// interpreter, and N German-Spanish interpreters, each free in 80% of the slots. With
// either, the plain instance (same seed, no items, no interpreters) is planned too and its
// time and gap shown beside.
//
// The plan is made as the delegation service makes it: --mode auto (the exact mode on GLPK,
// planner/plan_exact.h, where the model has at most PlanOptions::exact_max_variables
// variables, the heuristic otherwise); --mode heuristic or exact forces one, with the exact
// solver's limits from --exact_seconds and --exact_nodes. Reports the plan's time (median of
// --runs runs on one thread), total, bound, gap, whether the exact solver ran and proved
// the plan optimal, meetings and meetings per company; then writes the problem as an LP-format MILP
// (the plan fixes the locks it placed and the minimums it served, as the bound does) and runs `cbc`
// with `sec <cbc_seconds>`, reporting its status, objective and time. CBC is stopped if it
// overruns its limit by more than a minute (e.g. while still reading the model).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "planner/plan.h"
#include "planner/plan_exact.h"
#include "planner/plan_milp.h"

namespace socio::bench {
namespace {

using Clock = std::chrono::steady_clock;
using planner::PlanProblem;
using planner::PlanResult;

struct Shape {
  int delegates = 100;
  int hosts = 1000;
  int days = 3;
  int slots_per_day = 16;
  int tables = 40;
  uint64_t seed = 1;
  int host_slots = 0;  // slots of its day a host can attend; 0: all but a few random ones
  int delegate_max_lo = 12, delegate_max_hi = 16, delegate_min = 8;
  int host_max_lo = 3, host_max_hi = 6;
};

Shape HardShape(uint64_t seed) {
  return {.delegates = 25,
          .hosts = 100,
          .days = 3,
          .slots_per_day = 6,
          .tables = 4,
          .seed = seed,
          .host_slots = 3,
          .delegate_max_lo = 4,
          .delegate_max_hi = 8,
          .delegate_min = 5,
          .host_max_lo = 1,
          .host_max_hi = 3};
}

PlanProblem MakeProblem(const Shape& shape) {
  constexpr int kDimensions = 8;
  std::mt19937_64 random(shape.seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  auto profile = [&] {
    std::vector<double> v(kDimensions);
    for (double& x : v) x = normal(random);
    return v;
  };

  PlanProblem problem;
  const int slots = shape.days * shape.slots_per_day;
  for (int day = 0; day < shape.days; ++day) {
    for (int i = 0; i < shape.slots_per_day; ++i) problem.slot_day.push_back(day);
  }
  problem.tables.assign(slots, shape.tables);
  std::vector<std::vector<double>> delegate_profile, host_profile;
  for (int d = 0; d < shape.delegates; ++d) {
    planner::Company c{.id = absl::StrCat("delegate-", d)};
    for (int t = 0; t < slots; ++t) c.available.push_back(unit(random) > 0.1);
    c.max_meetings = uniform(shape.delegate_max_lo, shape.delegate_max_hi);
    c.min_meetings = shape.delegate_min;
    problem.delegates.push_back(std::move(c));
    delegate_profile.push_back(profile());
  }
  for (int h = 0; h < shape.hosts; ++h) {
    const int day = h % shape.days;  // the host's city is on this day of the itinerary
    planner::Company c{.id = absl::StrCat("host-", h)};
    for (int t = 0; t < slots; ++t) {
      c.available.push_back(problem.slot_day[t] == day && unit(random) > 0.15);
    }
    if (shape.host_slots > 0) {
      // A window of 2..host_slots slots somewhere in its day.
      const int width = std::min(shape.slots_per_day, uniform(2, std::max(2, shape.host_slots)));
      const int first = day * shape.slots_per_day + uniform(0, shape.slots_per_day - width);
      for (int t = 0; t < slots; ++t) c.available[t] = t >= first && t < first + width;
    }
    c.max_meetings = uniform(shape.host_max_lo, shape.host_max_hi);
    problem.hosts.push_back(std::move(c));
    host_profile.push_back(profile());
  }
  for (int d = 0; d < shape.delegates; ++d) {
    for (int h = 0; h < shape.hosts; ++h) {
      double fit = 0;
      for (int k = 0; k < kDimensions; ++k) fit += delegate_profile[d][k] * host_profile[h][k];
      fit /= std::sqrt(static_cast<double>(kDimensions));
      // Logistic: a typical pair scores about 0.05, a well-fitting one close to 1.
      double score = 1 / (1 + std::exp(-(2.5 * fit - 3)));
      if (unit(random) < 0.05) score = 0;  // no shared interest at all
      problem.scores.push_back(std::round(score * 1000) / 1000);
    }
  }
  for (int i = 0; i < 20; ++i) {
    problem.excluded.push_back({uniform(0, shape.delegates - 1), uniform(0, shape.hosts - 1)});
  }
  const std::set<std::pair<int, int>> excluded(problem.excluded.begin(), problem.excluded.end());
  while (problem.locks.size() < 6) {
    const int d = uniform(0, shape.delegates - 1);
    const int h = uniform(0, shape.hosts - 1);
    if (excluded.count({d, h})) continue;
    std::vector<int> shared;
    for (int t = 0; t < slots; ++t) {
      if (problem.delegates[d].available[t] && problem.hosts[h].available[t]) shared.push_back(t);
    }
    if (shared.empty()) continue;
    const int slot = problem.locks.size() % 2 == 0 ? shared[uniform(0, shared.size() - 1)] : -1;
    problem.locks.push_back({d, h, slot});
  }
  return problem;
}

// What --programme and --interpreters add to `problem` (see the file comment).
struct Additions {
  int programme_per_day = 0;
  int interpreters = 0;
};

void AddProgrammeAndInterpreters(const Shape& shape, const Additions& add, PlanProblem* problem) {
  std::mt19937_64 random(shape.seed * 7727 + 1);
  std::uniform_real_distribution<double> unit(0, 1);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  const int slots = static_cast<int>(problem->slot_day.size());
  const int per_day = shape.slots_per_day;
  if (add.programme_per_day > 0) {
    for (int day = 0; day < shape.days; ++day) {
      for (planner::Company& d : problem->delegates) d.available[day * per_day] = false;
      for (int k = 0; k < add.programme_per_day; ++k) {
        const int length = uniform(1, 3);
        int first = day * per_day + uniform(1, per_day - 1);
        int last = std::min(day * per_day + per_day - 1, first + length - 1);
        if (unit(random) < 0.5) {  // away from the venue: a slot of travel either side
          first = std::max(day * per_day, first - 1);
          last = std::min(day * per_day + per_day - 1, last + 1);
        }
        auto block = [&](planner::Company& c) {
          for (int t = first; t <= last; ++t) c.available[t] = false;
        };
        for (planner::Company& d : problem->delegates) {
          if (unit(random) < 0.1) block(d);
        }
        const int hosts = uniform(1, 3);
        for (int i = 0; i < hosts; ++i) {
          const int h = uniform(0, shape.hosts / shape.days - 1) * shape.days + day;
          if (h < shape.hosts) block(problem->hosts[h]);
        }
      }
    }
    // Locks that could no longer be placed are dropped, as staff would move them.
    std::vector<planner::Lock> locks;
    for (const planner::Lock& lock : problem->locks) {
      for (int t = 0; t < slots; ++t) {
        if ((lock.slot < 0 || lock.slot == t) && problem->delegates[lock.delegate].available[t] &&
            problem->hosts[lock.host].available[t]) {
          locks.push_back(lock);
          break;
        }
      }
    }
    problem->locks = std::move(locks);
  }
  if (add.interpreters > 0) {
    for (int i = 0; i < add.interpreters; ++i) {
      planner::Interpreter in{.id = absl::StrCat("interpreter-", i)};
      for (int t = 0; t < slots; ++t) in.available.push_back(unit(random) < 0.8);
      problem->interpreters.push_back(std::move(in));
    }
    std::vector<bool> delegate_english, host_english;
    for (int d = 0; d < shape.delegates; ++d) delegate_english.push_back(unit(random) < 0.85);
    for (int h = 0; h < shape.hosts; ++h) host_english.push_back(unit(random) < 0.9);
    std::vector<int> everyone(add.interpreters);
    for (int i = 0; i < add.interpreters; ++i) everyone[i] = i;
    for (int d = 0; d < shape.delegates; ++d) {
      for (int h = 0; h < shape.hosts; ++h) {
        if (delegate_english[d] && host_english[h]) continue;
        problem->interpreter_needs.push_back({.delegate = d, .host = h, .interpreters = everyone});
      }
    }
  }
}

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::optional<std::string> FindCbc() {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "/usr/bin:/bin", ':')) {
    const std::string candidate = absl::StrCat(dir, "/cbc");
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

struct CbcRun {
  std::string status;  // CBC's first solution line, or why there is none
  bool has_objective = false;
  double objective = 0;
  double seconds = 0;
};

// Runs cbc on `model` with a time limit; kills it (the process started here, by its id) if
// it overruns by more than a minute.
CbcRun RunCbc(const std::string& cbc, const ScratchDir& dir, const std::string& model,
              int seconds) {
  CbcRun run;
  const std::string solution = dir.Join("plan.sol");
  const std::string log = dir.Join("cbc.log");
  const std::string limit = absl::StrCat(seconds);
  const Clock::time_point start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    execl(cbc.c_str(), cbc.c_str(), model.c_str(), "sec", limit.c_str(), "solve", "solu",
          solution.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid < 0) {
    run.status = "could not start cbc";
    return run;
  }
  bool killed = false;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (!killed && MillisecondsSince(start) > 1000.0 * (seconds + 60)) {
      kill(pid, SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  run.seconds = MillisecondsSince(start) / 1000;
  std::ifstream in(solution);
  std::string first;
  if (killed || !std::getline(in, first)) {
    run.status = killed ? "stopped: no answer within the limit plus a minute"
                        : "no solution file (see cbc's log)";
    return run;
  }
  run.status = first;
  const size_t at = first.find("objective value");
  if (at != std::string::npos) {
    run.has_objective =
        absl::SimpleAtod(absl::StripAsciiWhitespace(first.substr(at + 15)), &run.objective);
  }
  return run;
}

// CBC's status line without characters a JSON string would need escaped.
std::string JsonSafe(std::string text) {
  for (char& c : text) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

int Main(int argc, char** argv) {
  CLI::App app{"socio-bench-plan: delegation planning vs. the CBC MILP solver"};
  Shape shape;
  int runs = 3;
  int cbc_seconds = 60;
  bool json = false;
  bool hard = false;
  std::string write_lp;
  Additions additions;
  std::string mode = "auto";
  double exact_seconds = 10;
  int exact_nodes = planner::PlanOptions{}.exact_node_limit;
  int64_t search_work = planner::PlanOptions{}.search_work;
  app.add_option("--delegates", shape.delegates, "Delegates")->check(CLI::Range(1, 10000));
  app.add_option("--hosts", shape.hosts, "Hosts")->check(CLI::Range(1, 100000));
  app.add_option("--days", shape.days, "Days of the itinerary")->check(CLI::Range(1, 60));
  app.add_option("--slots_per_day", shape.slots_per_day, "Meeting slots per day")
      ->check(CLI::Range(1, 64));
  app.add_option("--tables", shape.tables, "Tables per slot")->check(CLI::Range(0, 100000));
  app.add_option("--seed", shape.seed, "Seed of the generated problem");
  app.add_option("--runs", runs, "Plans timed (the median is reported)")->check(CLI::Range(1, 100));
  app.add_option("--cbc_seconds", cbc_seconds, "CBC's time limit; 0 skips CBC")
      ->check(CLI::Range(0, 86400));
  app.add_flag("--json", json, "One JSON object on stdout");
  app.add_flag("--hard", hard, "The hard family (25 x 100, narrow host windows, few tables)");
  app.add_option("--mode", mode, "auto, heuristic or exact")
      ->check(CLI::IsMember({"auto", "heuristic", "exact"}));
  app.add_option("--exact_seconds", exact_seconds, "The exact solver's time limit")
      ->check(CLI::Range(0.001, 86400.0));
  app.add_option("--exact_nodes", exact_nodes, "The exact solver's node limit")
      ->check(CLI::Range(0, 1'000'000'000));
  app.add_option("--search_work", search_work, "The heuristic's work limit")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_option("--write_lp", write_lp,
                 "Also write the exact mode's model (LP format) to this file");
  app.add_option("--programme", additions.programme_per_day,
                 "Programme items a day besides the morning briefing; 0: none")
      ->check(CLI::Range(0, 64));
  app.add_option("--interpreters", additions.interpreters,
                 "Interpreters, and languages that leave about a quarter of the pairs without "
                 "a shared one; 0: none")
      ->check(CLI::Range(0, 1000));
  CLI11_PARSE(app, argc, argv);
  if (hard) shape = HardShape(shape.seed);

  const PlanProblem plain = MakeProblem(shape);
  const bool extended = additions.programme_per_day > 0 || additions.interpreters > 0;
  PlanProblem problem = plain;
  if (extended) AddProgrammeAndInterpreters(shape, additions, &problem);
  planner::PlanOptions options{.mode = mode == "exact"       ? planner::PlanMode::kExact
                                       : mode == "heuristic" ? planner::PlanMode::kHeuristic
                                                             : planner::PlanMode::kAuto,
                               .exact_solver = &planner::GlpkPlanSolver(),
                               .exact_node_limit = exact_nodes,
                               .exact_time_limit = absl::Seconds(exact_seconds)};
  std::vector<double> times;
  PlanResult plan;
  for (int i = 0; i < runs; ++i) {
    const Clock::time_point start = Clock::now();
    absl::StatusOr<PlanResult> result = planner::PlanDelegation(problem, options);
    times.push_back(MillisecondsSince(start));
    if (!result.ok()) {
      std::cerr << "socio-bench-plan: " << result.status() << "\n";
      return 1;
    }
    plan = *std::move(result);
  }
  // The plain instance beside, timed alike.
  std::vector<double> plain_times;
  PlanResult plain_plan;
  for (int i = 0; extended && i < runs; ++i) {
    const Clock::time_point start = Clock::now();
    absl::StatusOr<PlanResult> result = planner::PlanDelegation(plain, options);
    plain_times.push_back(MillisecondsSince(start));
    if (!result.ok()) {
      std::cerr << "socio-bench-plan: the plain instance: " << result.status() << "\n";
      return 1;
    }
    plain_plan = *std::move(result);
  }
  int flagged = 0;
  for (const planner::Meeting& m : plan.meetings) flagged += m.needs_interpreter;

  // The exact mode's model; its size is what PlanOptions::exact_max_variables limits.
  const planner::PlanModel model =
      planner::BuildPlanModel(problem, plan, planner::PlanObjective::kLexicographic);
  if (!write_lp.empty()) std::ofstream(write_lp) << planner::LpText(model);
  CbcRun cbc_run;
  std::string cbc_path = "-";
  int64_t lp_bytes = 0;
  if (cbc_seconds > 0) {
    const std::optional<std::string> cbc = FindCbc();
    if (!cbc) {
      cbc_run.status = "cbc not found (Debian package coinor-cbc)";
    } else {
      cbc_path = *cbc;
      ScratchDir dir;
      const std::string model = dir.Join("plan.lp");
      {
        std::ofstream out(model);
        out << planner::PlanMilp(problem, plan);
      }
      lp_bytes = static_cast<int64_t>(std::ifstream(model, std::ios::ate).tellg());
      std::fprintf(stderr, "running %s on a %.1f MB model, limit %d s\n", cbc->c_str(),
                   lp_bytes / 1e6, cbc_seconds);
      cbc_run = RunCbc(*cbc, dir, model, cbc_seconds);
    }
  } else {
    cbc_run.status = "skipped (--cbc_seconds 0)";
  }

  const double median = Median(times);
  if (json) {
    std::printf(
        "{\"delegates\": %d, \"hosts\": %d, \"days\": %d, \"slots_per_day\": %d, \"tables\": %d, "
        "\"seed\": %llu, \"plan_ms\": %.1f, \"runs\": %d, \"total\": %.4f, \"bound\": %.4f, "
        "\"gap\": %.6f, \"variables\": %zu, \"mode\": \"%s\", \"exact_ran\": %s, "
        "\"proven_optimal\": %s, "
        "\"meetings\": %zu, \"min_shortfall\": %d, \"unplaced_locks\": %zu, "
        "\"delegate_load\": [%d, %.2f, %d], \"host_load\": [%d, %.2f, %d], "
        "\"cbc_status\": \"%s\", \"cbc_objective\": %s, \"cbc_seconds\": %.1f, "
        "\"programme_per_day\": %d, \"interpreters\": %d, \"needs_interpreter\": %d, "
        "\"uncovered\": %zu, \"interpreter_moves\": %d, \"plain_plan_ms\": %s, "
        "\"plain_total\": %s, \"plain_gap\": %s}\n",
        shape.delegates, shape.hosts, shape.days, shape.slots_per_day, shape.tables,
        static_cast<unsigned long long>(shape.seed), median, runs, plan.total, plan.bound, plan.gap,
        model.meetings.size(), mode.c_str(), plan.exact_ran ? "true" : "false",
        plan.proven_optimal ? "true" : "false", plan.meetings.size(), plan.min_shortfall,
        plan.unplaced_locks.size(), plan.delegate_load.min, plan.delegate_load.mean,
        plan.delegate_load.max, plan.host_load.min, plan.host_load.mean, plan.host_load.max,
        JsonSafe(cbc_run.status).c_str(),
        cbc_run.has_objective ? absl::StrFormat("%.4f", cbc_run.objective).c_str() : "null",
        cbc_run.seconds, additions.programme_per_day, additions.interpreters, flagged,
        plan.uncovered.size(), plan.interpreter_moves,
        extended ? absl::StrFormat("%.1f", Median(plain_times)).c_str() : "null",
        extended ? absl::StrFormat("%.4f", plain_plan.total).c_str() : "null",
        extended ? absl::StrFormat("%.6f", plain_plan.gap).c_str() : "null");
    return 0;
  }
  std::printf(
      "problem          %d delegates x %d hosts, %d days x %d slots, %d tables, seed %llu\n",
      shape.delegates, shape.hosts, shape.days, shape.slots_per_day, shape.tables,
      static_cast<unsigned long long>(shape.seed));
  std::printf("plan time        %.1f ms (median of %d)\n", median, runs);
  std::printf("total            %.4f\n", plan.total);
  std::printf("bound            %.4f\n", plan.bound);
  std::printf("gap              %.4f%%\n", 100 * plan.gap);
  std::printf("model            %zu meeting variables, %zu rows\n", model.meetings.size(),
              model.rows.size());
  std::printf("mode             %s: exact solver %s%s\n", mode.c_str(),
              plan.exact_ran ? "ran" : "not run",
              plan.proven_optimal ? ", proved the plan optimal"
              : plan.exact_plan   ? ", found this plan"
                                  : "");
  std::printf("meetings         %zu; shortfall below minimums %d; unplaced locks %zu\n",
              plan.meetings.size(), plan.min_shortfall, plan.unplaced_locks.size());
  std::printf("per delegate     min %d, mean %.2f, max %d\n", plan.delegate_load.min,
              plan.delegate_load.mean, plan.delegate_load.max);
  std::printf("per host         min %d, mean %.2f, max %d\n", plan.host_load.min,
              plan.host_load.mean, plan.host_load.max);
  if (extended) {
    std::printf("programme        %d items a day besides the briefing; %zu locks kept of %zu\n",
                additions.programme_per_day, problem.locks.size(), plain.locks.size());
    std::printf("interpreters     %d; %d meetings need one, %zu without, %d moved to find one\n",
                additions.interpreters, flagged, plan.uncovered.size(), plan.interpreter_moves);
    std::printf("plain instance   %.1f ms (median of %d), total %.4f, bound %.4f, gap %.4f%%\n",
                Median(plain_times), runs, plain_plan.total, plain_plan.bound,
                100 * plain_plan.gap);
  }
  std::printf("cbc              %s\n", cbc_run.status.c_str());
  if (cbc_seconds > 0 && cbc_path != "-") {
    std::printf("cbc time         %.1f s (limit %d s), model %.1f MB\n", cbc_run.seconds,
                cbc_seconds, lp_bytes / 1e6);
    if (cbc_run.has_objective) {
      std::printf("cbc objective    %.4f (plan total %+.4f, bound %+.4f)\n", cbc_run.objective,
                  plan.total - cbc_run.objective, plan.bound - cbc_run.objective);
    }
  }
  return 0;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) { return socio::bench::Main(argc, argv); }
