#include "planner/plan.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "planner/internal/interpreter_assignment.h"
#include "planner/internal/lock_placement.h"
#include "planner/internal/pair_selection.h"
#include "planner/internal/plan_validation.h"
#include "planner/internal/schedule.h"
#include "planner/internal/slot_assignment.h"

namespace socio::planner {
namespace {

using internal::BMatching;
using internal::BMatchingProblem;
using internal::Pin;
using internal::Schedule;
using internal::SlotInstance;

void SetBit(std::vector<uint64_t>& bits, size_t base, int t) {
  bits[base + t / 64] |= uint64_t{1} << (t % 64);
}

SlotInstance BuildInstance(const PlanProblem& problem) {
  SlotInstance in;
  in.delegates = static_cast<int>(problem.delegates.size());
  in.hosts = static_cast<int>(problem.hosts.size());
  in.slots = static_cast<int>(problem.slot_day.size());
  in.words = std::max(1, (in.slots + 63) / 64);
  in.tables = problem.tables;
  auto usable = [&](const std::vector<Company>& companies, std::vector<uint64_t>& bits,
                    std::vector<int>& caps) {
    bits.assign(companies.size() * in.words, 0);
    for (size_t i = 0; i < companies.size(); ++i) {
      int count = 0;
      for (int t = 0; t < in.slots; ++t) {
        if (companies[i].available[t] && problem.tables[t] > 0) {
          SetBit(bits, i * in.words, t);
          ++count;
        }
      }
      const int max = companies[i].max_meetings;
      caps.push_back(max >= 0 ? std::min(max, count) : count);
    }
  };
  usable(problem.delegates, in.delegate_usable, in.delegate_cap);
  usable(problem.hosts, in.host_usable, in.host_cap);
  // Meetings beyond the cap are out of reach: that part of a minimum is no goal.
  for (size_t d = 0; d < problem.delegates.size(); ++d) {
    in.delegate_min.push_back(std::min(problem.delegates[d].min_meetings, in.delegate_cap[d]));
  }

  const size_t pairs = static_cast<size_t>(in.delegates) * in.hosts;
  in.weight = problem.scores;
  in.allowed.assign(pairs, 0);
  std::vector<uint8_t> excluded(pairs, 0);
  for (const auto& [d, h] : problem.excluded) excluded[size_t(d) * in.hosts + h] = 1;
  for (int d = 0; d < in.delegates; ++d) {
    const uint64_t* du = in.DelegateUsable(d);
    for (int h = 0; h < in.hosts; ++h) {
      const size_t p = size_t(d) * in.hosts + h;
      if (in.weight[p] <= 0 || excluded[p]) continue;
      const uint64_t* hu = in.HostUsable(h);
      bool shared = false;
      for (int w = 0; w < in.words && !shared; ++w) shared = (du[w] & hu[w]) != 0;
      in.allowed[p] = shared;
    }
  }
  in.previous_slot.assign(pairs, -1);
  in.previous_slot_lost.assign(pairs, 0);
  for (const Meeting& m : problem.previous) {
    const size_t p = size_t(m.delegate) * in.hosts + m.host;
    if (in.previous_slot[p] >= 0) continue;
    in.previous_slot[p] = m.slot;
    const uint64_t bit = uint64_t{1} << (m.slot % 64);
    in.previous_slot_lost[p] = !(in.DelegateUsable(m.delegate)[m.slot / 64] & bit) ||
                               !(in.HostUsable(m.host)[m.slot / 64] & bit);
  }
  return in;
}

// The b-matching problem left once the placed locks are forced in.
BMatchingProblem ResidualProblem(const PlanProblem& problem, const SlotInstance& in,
                                 const Schedule& locks, const std::vector<double>& weight) {
  BMatchingProblem b;
  b.delegates = in.delegates;
  b.hosts = in.hosts;
  b.weight = &weight;
  int widest = 0;
  for (int d = 0; d < in.delegates; ++d) {
    b.delegate_cap.push_back(in.delegate_cap[d] - locks.DelegateDegree(d));
    b.delegate_min.push_back(std::max(0, in.delegate_min[d] - locks.DelegateDegree(d)));
    widest = std::max(widest, b.delegate_cap.back());
  }
  for (int h = 0; h < in.hosts; ++h) b.host_cap.push_back(in.host_cap[h] - locks.HostDegree(h));
  b.candidate_hosts = 2 * widest + 12;

  // Room left after the locks, in all and per day: a company that can attend on one day
  // only has no more meetings than that day has room left. An any-slot lock may move to
  // another day of the pair, so it takes a table of a day only when it cannot.
  auto only_day = [&](const uint64_t* usable, const uint64_t* also) {
    int day = -1;
    for (int t = 0; t < in.slots; ++t) {
      const uint64_t bit = uint64_t{1} << (t % 64);
      if (!(usable[t / 64] & bit) || (also != nullptr && !(also[t / 64] & bit))) continue;
      if (day >= 0 && problem.slot_day[t] != day) return -1;
      day = problem.slot_day[t];
    }
    return day;
  };
  // A slot holds at most min(its tables, the delegates and the hosts who can meet in it)
  // meetings.
  std::vector<int> slot_delegates(in.slots, 0);
  std::vector<int> slot_hosts(in.slots, 0);
  auto count = [&](const uint64_t* usable, int cap, std::vector<int>& per_slot) {
    if (cap <= 0) return;
    for (int t = 0; t < in.slots; ++t) per_slot[t] += (usable[t / 64] >> (t % 64)) & 1;
  };
  for (int d = 0; d < in.delegates; ++d) {
    count(in.DelegateUsable(d), in.delegate_cap[d], slot_delegates);
  }
  for (int h = 0; h < in.hosts; ++h) count(in.HostUsable(h), in.host_cap[h], slot_hosts);
  std::vector<int> day_tables(problem.slot_day.empty() ? 0 : problem.slot_day.back() + 1, 0);
  std::vector<int> room(in.slots);
  b.total_cap = 0;
  for (int t = 0; t < in.slots; ++t) {
    room[t] = std::min({in.tables[t], slot_delegates[t], slot_hosts[t]});
    day_tables[problem.slot_day[t]] += room[t];
    b.total_cap += room[t];
  }
  for (int p : locks.Pairs()) {
    --b.total_cap;
    const int day = locks.PinOf(p) == Pin::kFixedSlot
                        ? problem.slot_day[locks.SlotOf(p)]
                        : only_day(in.DelegateUsable(p / in.hosts), in.HostUsable(p % in.hosts));
    if (day >= 0) --day_tables[day];
  }
  const int days = static_cast<int>(day_tables.size());
  // Groups 0..days-1 hold delegates, days..2*days-1 hosts.
  b.group_cap = day_tables;
  b.group_cap.insert(b.group_cap.end(), day_tables.begin(), day_tables.end());
  for (int d = 0; d < in.delegates; ++d)
    b.delegate_group.push_back(only_day(in.DelegateUsable(d), nullptr));
  b.group_parent.assign(b.group_cap.size(), -1);
  // Hosts who can attend only some slots of a day (a window) have no more meetings than
  // those slots have room, less the locks that can only be there: a group inside the day's,
  // where that room is less than the day's and than the hosts' caps together.
  struct Window {
    int day;
    int caps = 0;
  };
  std::map<std::vector<uint64_t>, Window> windows;
  std::vector<const std::vector<uint64_t>*> window_of(in.hosts, nullptr);
  for (int h = 0; h < in.hosts; ++h) {
    const int day = only_day(in.HostUsable(h), nullptr);
    b.host_group.push_back(day >= 0 ? days + day : -1);
    if (day < 0) continue;
    const uint64_t* usable = in.HostUsable(h);
    auto it = windows.try_emplace({usable, usable + in.words}, Window{.day = day}).first;
    it->second.caps += b.host_cap[h];
    window_of[h] = &it->first;
  }
  std::map<const std::vector<uint64_t>*, int> window_group;
  for (const auto& [window, w] : windows) {
    int window_room = 0;
    for (int t = 0; t < in.slots; ++t) {
      if ((window[t / 64] >> (t % 64)) & 1) window_room += room[t];
    }
    if (window_room >= std::min(w.caps, day_tables[w.day])) continue;  // says nothing more
    for (int p : locks.Pairs()) {
      bool inside = true;  // every slot the lock could take is in the window
      for (int t = 0; t < in.slots && inside; ++t) {
        const bool possible = locks.PinOf(p) == Pin::kFixedSlot
                                  ? locks.SlotOf(p) == t
                                  : ((in.DelegateUsable(p / in.hosts)[t / 64] &
                                      in.HostUsable(p % in.hosts)[t / 64]) >>
                                     (t % 64)) &
                                        1;
        inside = !possible || ((window[t / 64] >> (t % 64)) & 1);
      }
      if (inside) --window_room;
    }
    window_group[&window] = static_cast<int>(b.group_cap.size());
    b.group_cap.push_back(std::max(0, window_room));
    b.group_parent.push_back(days + w.day);
  }
  for (int h = 0; h < in.hosts; ++h) {
    if (window_of[h] == nullptr) continue;
    if (auto it = window_group.find(window_of[h]); it != window_group.end()) {
      b.host_group[h] = it->second;
    }
  }
  return b;
}

CompanyLoad Load(const std::vector<int>& meetings) {
  CompanyLoad load;
  if (meetings.empty()) return load;
  load.min = *std::min_element(meetings.begin(), meetings.end());
  load.max = *std::max_element(meetings.begin(), meetings.end());
  double sum = 0;
  for (int m : meetings) sum += m;
  load.mean = sum / meetings.size();
  return load;
}

// Tables per slot: a previous meeting keeps its table when that is still free, the others
// take the lowest free numbers.
void NumberTables(const PlanProblem& problem, std::vector<Meeting>* meetings) {
  std::map<std::tuple<int, int, int>, size_t> index;  // (delegate, host, slot) -> meeting
  for (size_t i = 0; i < meetings->size(); ++i) {
    const Meeting& m = (*meetings)[i];
    index[{m.delegate, m.host, m.slot}] = i;
  }
  std::set<std::pair<int, int>> taken;  // (slot, table)
  std::vector<bool> numbered(meetings->size(), false);
  for (const Meeting& p : problem.previous) {
    if (p.table < 0 || p.table >= problem.tables[p.slot]) continue;
    const auto it = index.find({p.delegate, p.host, p.slot});
    if (it == index.end() || numbered[it->second]) continue;
    if (taken.insert({p.slot, p.table}).second) {
      (*meetings)[it->second].table = p.table;
      numbered[it->second] = true;
    }
  }
  for (size_t i = 0; i < meetings->size(); ++i) {
    if (numbered[i]) continue;
    Meeting& m = (*meetings)[i];
    int table = 0;
    while (taken.count({m.slot, table}) > 0) ++table;
    taken.insert({m.slot, table});
    m.table = table;
  }
  std::sort(meetings->begin(), meetings->end(), [](const Meeting& a, const Meeting& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.table < b.table;
  });
}

// Where each pair of `previous` was (the first meeting of a pair counts), and whether that
// slot is lost to its delegate or host.
struct PreviousMeeting {
  int pair;
  int slot;
  bool lost;
};

std::vector<PreviousMeeting> PreviousMeetings(const PlanProblem& problem, const SlotInstance& in) {
  std::vector<PreviousMeeting> previous;
  std::set<int> seen;
  for (const Meeting& m : problem.previous) {
    const int p = m.delegate * in.hosts + m.host;
    if (!seen.insert(p).second) continue;
    previous.push_back({p, m.slot, in.previous_slot_lost[p] != 0});
  }
  return previous;
}

// The plan's meetings (delegate, host, slot) reported: scores, tables, totals, loads,
// `moved`. `lock_pair` marks the pairs of placed locks.
PlanResult Report(const PlanProblem& problem, const SlotInstance& in,
                  const std::vector<uint8_t>& lock_pair, const std::vector<Meeting>& schedule) {
  const int nh = in.hosts;
  PlanResult result;
  std::vector<int> delegate_meetings(in.delegates, 0);
  std::vector<int> host_meetings(in.hosts, 0);
  std::map<int, int> slot_of;  // pair -> slot
  for (const Meeting& m : schedule) {
    const int p = m.delegate * nh + m.host;
    result.meetings.push_back({.delegate = m.delegate,
                               .host = m.host,
                               .slot = m.slot,
                               .table = 0,
                               .score = in.weight[p],
                               .locked = lock_pair[p] != 0});
    result.total += in.weight[p];
    ++delegate_meetings[m.delegate];
    ++host_meetings[m.host];
    slot_of[p] = m.slot;
  }
  NumberTables(problem, &result.meetings);
  for (const Meeting& m : problem.previous) {
    const auto it = slot_of.find(m.delegate * nh + m.host);
    if (it == slot_of.end() || it->second != m.slot) ++result.moved;
  }
  for (int d = 0; d < in.delegates; ++d) {
    result.min_shortfall += std::max(0, problem.delegates[d].min_meetings - delegate_meetings[d]);
  }
  result.delegate_load = Load(delegate_meetings);
  result.host_load = Load(host_meetings);
  return result;
}

// The plan's standing in the priorities above the score: previous meetings kept (at their
// slot, or anywhere when that slot is lost), then the total shortfall below the minimums
// (up to the caps), then the sum of its squares (less is better for both).
struct Standing {
  int kept = 0;
  int64_t shortfall = 0;
  int64_t squares = 0;
  bool operator==(const Standing& o) const {
    return kept == o.kept && shortfall == o.shortfall && squares == o.squares;
  }
  bool BetterThan(const Standing& o) const {
    if (kept != o.kept) return kept > o.kept;
    if (shortfall != o.shortfall) return shortfall < o.shortfall;
    return squares < o.squares;
  }
};

Standing StandingOf(const std::vector<PreviousMeeting>& previous, const SlotInstance& in,
                    const PlanResult& plan) {
  Standing standing;
  std::map<int, int> slot_of;
  std::vector<int> meetings(in.delegates, 0);
  for (const Meeting& m : plan.meetings) {
    slot_of[m.delegate * in.hosts + m.host] = m.slot;
    ++meetings[m.delegate];
  }
  for (const PreviousMeeting& p : previous) {
    const auto it = slot_of.find(p.pair);
    standing.kept += it != slot_of.end() && (p.lost || it->second == p.slot);
  }
  for (int d = 0; d < in.delegates; ++d) {
    const int64_t missing = std::max(0, in.delegate_min[d] - meetings[d]);
    standing.shortfall += missing;
    standing.squares += missing * missing;
  }
  return standing;
}

// Meetings per delegate counted toward its minimum: min(min_meetings, meetings).
std::vector<int> Served(const PlanProblem& problem, const PlanResult& plan) {
  std::vector<int> served(problem.delegates.size(), 0);
  for (const Meeting& m : plan.meetings) ++served[m.delegate];
  for (size_t d = 0; d < served.size(); ++d) {
    served[d] = std::min(served[d], problem.delegates[d].min_meetings);
  }
  return served;
}

void SetGap(PlanResult* plan) {
  plan->gap = plan->bound > 0 ? (plan->bound - plan->total) / plan->bound : 0;
}

// The exact solver's plan where it is better than the heuristic's by the planner's
// priorities and its bound can be told; else the heuristic's, with the exact solver's bound
// where that is tighter.
PlanResult ChooseExact(const PlanProblem& problem, const SlotInstance& in,
                       const std::vector<uint8_t>& lock_pair, PlanResult heuristic,
                       const ExactSolution& solution) {
  heuristic.exact_ran = true;
  const std::vector<PreviousMeeting> previous = PreviousMeetings(problem, in);
  const Standing start = StandingOf(previous, in, heuristic);
  if (solution.meetings.empty()) return heuristic;
  PlanResult exact = Report(problem, in, lock_pair, solution.meetings);
  exact.unplaced_locks = heuristic.unplaced_locks;
  exact.exact_ran = true;
  const Standing found = StandingOf(previous, in, exact);
  const bool better =
      found.BetterThan(start) || (found == start && exact.total > heuristic.total + 1e-9);
  if (!better) {
    if (found == start && solution.has_score_bound) {
      // The heuristic's plan stands as high in the priorities: the solver's bound holds
      // for it too.
      heuristic.bound = std::max(heuristic.total, std::min(heuristic.bound, solution.score_bound));
      heuristic.proven_optimal = solution.proven_optimal;
      if (solution.proven_optimal) heuristic.bound = heuristic.total;
      SetGap(&heuristic);
    }
    return heuristic;
  }
  // The heuristic's bound holds for schedules serving every delegate's minimum at least as
  // well as the heuristic's plan; so it holds for the exact plan's when that serves each as
  // well or better.
  const std::vector<int> heuristic_served = Served(problem, heuristic);
  const std::vector<int> exact_served = Served(problem, exact);
  bool covers = true;
  for (size_t d = 0; d < exact_served.size(); ++d) covers &= exact_served[d] >= heuristic_served[d];
  if (!covers && !solution.has_score_bound) return heuristic;  // no bound that holds
  double bound = std::numeric_limits<double>::infinity();
  if (covers) bound = heuristic.bound;
  if (solution.has_score_bound) bound = std::min(bound, solution.score_bound);
  exact.exact_plan = true;
  exact.proven_optimal = solution.proven_optimal;
  exact.bound = solution.proven_optimal ? exact.total : std::max(exact.total, bound);
  SetGap(&exact);
  return exact;
}

// The schedule: heuristic, bound and exact solver. REQUIRES: the problem was validated.
PlanResult PlanSchedule(const PlanProblem& problem, const PlanOptions& options) {
  SlotInstance in = BuildInstance(problem);
  const int nh = in.hosts;
  Schedule schedule(&in);
  PlanResult result;
  result.unplaced_locks = internal::PlaceLocks(problem, &schedule);
  // The exact model's size: a variable per pair that may meet (or is locked) and slot both
  // can attend.
  int64_t variables = 0;
  std::vector<uint8_t> lock_pair(in.weight.size(), 0);
  for (int p : schedule.Pairs()) lock_pair[p] = 1;
  for (size_t p = 0; p < in.weight.size(); ++p) {
    if (!in.allowed[p] && !lock_pair[p]) continue;
    const uint64_t* du = in.DelegateUsable(static_cast<int>(p / nh));
    const uint64_t* hu = in.HostUsable(static_cast<int>(p % nh));
    for (int w = 0; w < in.words; ++w) variables += __builtin_popcountll(du[w] & hu[w]);
  }
  // Pairs of placed locks are forced: out of the choice, with their caps taken.
  double lock_score = 0;
  std::vector<int> lock_degree(in.delegates, 0);
  for (int p : schedule.Pairs()) {
    in.allowed[p] = 0;
    lock_score += in.weight[p];
    ++lock_degree[p / nh];
  }
  std::vector<double> choice_weight(in.weight.size(), 0);
  for (size_t p = 0; p < in.weight.size(); ++p) {
    if (in.allowed[p]) choice_weight[p] = in.weight[p];
  }

  // 1. Pair selection.
  BMatchingProblem selection_problem = ResidualProblem(problem, in, schedule, choice_weight);
  if (options.candidate_hosts > 0) selection_problem.candidate_hosts = options.candidate_hosts;
  std::vector<int> previous_pairs;
  for (const Meeting& m : problem.previous) {
    previous_pairs.push_back(m.delegate * nh + m.host);
  }
  selection_problem.extra_pairs = previous_pairs;
  selection_problem.spread_shortfall = true;
  const BMatching selection = internal::SolveBMatching(selection_problem);

  // 2. Slot assignment and local search.
  internal::SlotSearchSettings settings;
  settings.work = options.search_work;
  settings.deadline = absl::Now() + options.search_time_limit;
  settings.final_deadline = settings.deadline + options.search_time_limit / 2;
  settings.rounds = options.search_rounds;
  settings.seed = options.seed;
  settings.score_ceiling = lock_score + selection.value;
  for (int d = 0; d < in.delegates; ++d) {
    const int64_t missing =
        std::max(0, in.delegate_min[d] - lock_degree[d] - selection.delegate_degree[d]);
    settings.shortfall_floor += missing;
    settings.spread_floor += missing * missing;
  }
  internal::AssignSlots(previous_pairs, selection.pairs, settings, &schedule);

  // 3. Report.
  std::vector<Meeting> meetings;
  for (int p : schedule.Pairs()) {
    meetings.push_back({.delegate = p / nh, .host = p % nh, .slot = schedule.SlotOf(p)});
  }
  {
    std::vector<UnplacedLock> unplaced = std::move(result.unplaced_locks);
    result = Report(problem, in, lock_pair, meetings);
    result.unplaced_locks = std::move(unplaced);
  }
  std::vector<int> delegate_meetings(in.delegates, 0);
  for (const Meeting& m : result.meetings) ++delegate_meetings[m.delegate];

  // The bound: the b-matching in which each delegate keeps at least the part of its
  // minimum this plan serves. The selection already is that b-matching when it served every
  // minimum and the plan did too.
  BMatchingProblem bound_problem = selection_problem;
  bool same_minimums = selection.shortfall == 0;
  for (int d = 0; d < in.delegates; ++d) {
    const int served = std::min(in.delegate_min[d], delegate_meetings[d]);
    bound_problem.delegate_min[d] = std::max(0, served - lock_degree[d]);
    if (std::min(bound_problem.delegate_min[d], bound_problem.delegate_cap[d]) !=
        std::min(selection_problem.delegate_min[d], selection_problem.delegate_cap[d])) {
      same_minimums = false;
    }
  }
  double bound = selection.bound;
  if (!same_minimums) {
    for (int p : schedule.Pairs()) {
      if (schedule.PinOf(p) == Pin::kNone) bound_problem.extra_pairs.push_back(p);
    }
    bound = internal::SolveBMatching(bound_problem).bound;
  }
  // The plan itself is a b-matching of the relaxation: only rounding can put the dual below.
  result.bound = std::max(result.total, lock_score + bound);
  SetGap(&result);

  // The plan is already optimal in every priority when it has the least shortfall and the
  // least sum of its squares the pair selection (a relaxation) allows, and its bound is its
  // total; nothing is kept from a previous plan.
  int64_t missing = 0, squares = 0;
  for (int d = 0; d < in.delegates; ++d) {
    const int64_t m = std::max(0, in.delegate_min[d] - delegate_meetings[d]);
    missing += m;
    squares += m * m;
  }
  result.proven_optimal = problem.previous.empty() && missing == settings.shortfall_floor &&
                          squares == settings.spread_floor &&
                          result.bound - result.total <= 1e-9 * std::max(1.0, result.bound);

  // 4. The exact solver, where asked, needed, and the model is small enough.
  if (result.proven_optimal || options.exact_solver == nullptr ||
      options.mode == PlanMode::kHeuristic ||
      (options.mode == PlanMode::kAuto && variables > options.exact_max_variables)) {
    return result;
  }
  absl::StatusOr<ExactSolution> solution = options.exact_solver->Solve(problem, result, options);
  if (!solution.ok()) {
    // The heuristic's plan is valid and its bound holds: a solver failure costs only
    // optimality.
    result.exact_ran = true;
    return result;
  }
  return ChooseExact(problem, in, lock_pair, std::move(result), *solution);
}

}  // namespace

absl::StatusOr<PlanResult> PlanDelegation(const PlanProblem& problem, const PlanOptions& options) {
  if (absl::Status s = internal::ValidateProblem(problem, options); !s.ok()) return s;
  if (absl::Status s = internal::CheckLocksPlaceable(problem); !s.ok()) return s;
  PlanResult result = PlanSchedule(problem, options);
  internal::AssignInterpreters(problem, &result);
  return result;
}

}  // namespace socio::planner
