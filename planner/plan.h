// Delegation planning: which delegates meet which hosts, in which slot, at which table.
//
// A chamber sends a delegation abroad; over the days of the itinerary each delegate meets
// local hosts in fixed time slots. PlanDelegation chooses the pairs that meet and schedules
// them so that nobody is in two meetings at once:
//
//   PlanProblem problem;
//   problem.slot_day = {0, 0, 0, 1, 1, 1};      // 3 slots on day 0, 3 on day 1
//   problem.tables = {20, 20, 20, 20, 20, 20};
//   problem.delegates = {{.id = "acme", .available = {true, true, true, true, true, true},
//                         .max_meetings = 4, .min_meetings = 2}};
//   problem.hosts = ...;                        // one Company per host
//   problem.scores = ...;                       // delegates x hosts reciprocal scores
//   absl::StatusOr<PlanResult> plan = PlanDelegation(problem);
//   if (!plan.ok()) return plan.status();
//   for (const Meeting& m : plan->meetings) ...  // by slot, then table
//
// How (DESIGN.md section 5): (1) a maximum-weight b-matching of delegates x hosts under each
// company's cap, by min-cost flow, chooses the pairs; (2) they are placed in slots, locks first,
// then the previous plan's meetings where they still fit, then the rest, repaired by ejection
// chains and Kempe-chain swaps; (3) a local search (insertions that may displace other
// meetings, exchanges of hosts, delegates and slots that keep every company's number of
// meetings, ruin and recreate with threshold accepting) improves the schedule within a
// work limit; (4) the bound comes from the LP dual of the b-matching (see PlanResult::bound).
//
// Priorities, highest first: place every lock that can be placed; keep the meetings of
// `previous` at their (delegate, host, slot), so that a re-plan moves or drops one only
// where a lock, a removed company or an unavailability forces it (a meeting whose slot is
// lost to its delegate or host counts as kept wherever it is placed, so it may take the
// slot of a weaker meeting rather than be dropped); minimise the delegates' total shortfall
// below min_meetings (counting only what their caps allow); spread that shortfall as evenly
// as possible (least sum of squared shortfalls, so that no delegate is left with nothing
// while others get their full minimum); maximise the total score.
//
// Exact mode (PlanOptions::mode): where the problem is small enough, an exact MILP solver
// (PlanOptions::exact_solver; plan_exact.h provides one) solves the model plan_milp.h
// describes (PlanObjective::kLexicographic: the priorities above, each in turn), started
// from the heuristic's plan, under a node limit and a time limit. Its plan replaces the heuristic's when it is better by those priorities; when
// the solver proves it optimal, the bound is its total (gap 0).
//
// PlanDelegation keeps no state between calls: safe to call from several threads. The same
// problem and options give the same plan: the search ends on a work limit
// (PlanOptions::search_work) and the exact solver on a node limit; the clocks
// (search_time_limit, exact_time_limit) are only safety caps.
#ifndef SOCIO_PLANNER_PLAN_H_
#define SOCIO_PLANNER_PLAN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace socio::planner {

// A delegate or a host. Slots are numbered 0..slot_count-1 in time order over all days of
// the itinerary.
struct Company {
  std::string id;               // used in messages only
  std::vector<bool> available;  // one entry per slot
  // Meetings at most; -1: no cap beyond its available slots. REQUIRES: >= -1.
  int max_meetings = -1;
  // Meetings wanted at least. Only delegates' minimums are used; hosts' are ignored.
  // REQUIRES: >= 0.
  int min_meetings = 0;
};

// A pair that must meet, in `slot` when it is >= 0, in any slot both can attend otherwise.
struct Lock {
  int delegate;
  int host;
  int slot = -1;
};

struct Meeting {
  int delegate;
  int host;
  int slot;
  int table;     // 0..tables[slot]-1
  double score;  // the pair's score
  bool locked = false;
  // Results only: the pair is one of PlanProblem::interpreter_needs, and the index into
  // PlanProblem::interpreters of the interpreter assigned (-1: none).
  bool needs_interpreter = false;
  int interpreter = -1;
};

// Someone who interprets meetings, one at a time.
struct Interpreter {
  std::string id;               // used in messages only
  std::vector<bool> available;  // one entry per slot
};

// A pair that shares no language: when it meets, it needs one of `interpreters` (indices into
// PlanProblem::interpreters; empty when none speaks both sides' languages).
struct InterpreterNeed {
  int delegate;
  int host;
  std::vector<int> interpreters;
};

struct PlanProblem {
  std::vector<int> slot_day;  // day of each slot (size = slot count); >= 0, nondecreasing
  std::vector<int> tables;    // meetings that can run at once in each slot; >= 0
  std::vector<Company> delegates;
  std::vector<Company> hosts;
  // delegates.size() x hosts.size(), row-major: scores[d * hosts.size() + h], reciprocal
  // scores in [0, 1]. A pair scoring 0 never meets unless locked.
  std::vector<double> scores;
  std::vector<std::pair<int, int>> excluded;  // (delegate, host) pairs that must not meet
  std::vector<Lock> locks;                    // pairs that must meet
  // The last plan when re-planning (indices into this problem's delegates and hosts); its
  // meetings are kept at their (delegate, host, slot), and table when free, where still
  // valid. `table` and `score` of these meetings are not read otherwise.
  std::vector<Meeting> previous;
  // Interpreters, and the pairs that need one of them (at most one entry per pair).
  std::vector<Interpreter> interpreters;
  std::vector<InterpreterNeed> interpreter_needs;
};

enum class PlanMode {
  // The exact solver where the model has at most PlanOptions::exact_max_variables
  // variables and a solver is given, the heuristic otherwise.
  kAuto,
  // The heuristic alone.
  kHeuristic,
  // The exact solver whatever the size (it still stops on its limits). REQUIRES:
  // PlanOptions::exact_solver.
  kExact,
};

struct PlanOptions;
struct PlanResult;

// What an exact solver found for the kLexicographic model of plan_milp.h.
struct ExactSolution {
  // The schedule (delegate, host and slot of each meeting; the rest is not read), or empty
  // when the solver found nothing at least as good as its start.
  std::vector<Meeting> meetings;
  bool proven_optimal = false;
  // An upper bound on the total score of every valid schedule that stands as high as
  // `meetings` in the priorities above the score (previous meetings kept, total shortfall,
  // sum of squared shortfalls), once the solver proved that none stands higher; absent
  // otherwise.
  bool has_score_bound = false;
  double score_bound = 0;
  int64_t nodes = 0;  // branch-and-bound nodes explored
};

// An exact MILP solver for the planning model. Implementations must be safe to call from
// several threads.
class ExactPlanSolver {
 public:
  virtual ~ExactPlanSolver() = default;
  // Solves the kLexicographic model of `problem` with the locks `start` placed, starting
  // from `start`'s schedule, within options.exact_node_limit nodes and
  // options.exact_time_limit. Errors: DEADLINE_EXCEEDED when the time limit ends it before
  // its first LP relaxation is solved; the solver's failures (INTERNAL). PlanDelegation then
  // keeps the heuristic's plan.
  virtual absl::StatusOr<ExactSolution> Solve(const PlanProblem& problem, const PlanResult& start,
                                              const PlanOptions& options) const = 0;
};

struct PlanOptions {
  // The work the local search may do improving the first complete schedule, counted in
  // meetings tentatively added to or removed from it (about 3 million a second on one core
  // of a 2020s server); a last sweep of insertions and exchanges may do half as much again.
  // This limit, search_rounds, or a plan proven optimal ends the search, so the plan is a
  // deterministic function of the problem and the options. Default: 2,000,000 (at most
  // about 0.7 s; problems that reach their optimum stop far earlier).
  int64_t search_work = 2'000'000;
  // A safety cap on the wall-clock time of the local search (the last sweep may take half as
  // long again), which a problem of a delegation's size never reaches: only when it ends the
  // search does the plan depend on the clock. The pair selection, the first schedule and the
  // bound are always computed in full. Default: 10 s.
  absl::Duration search_time_limit = absl::Seconds(10);
  // Ruin-and-recreate rounds of the local search at most. The search stops earlier once the
  // plan is provably optimal or 400 rounds in a row found nothing better. Default: 3000.
  int search_rounds = 3000;
  // Seed of the local search's random choices. Default: 1.
  uint64_t seed = 1;
  // Hosts per delegate (its best by score) given to the first pair-selection flow, besides
  // locks and previous meetings; pairs left out are added when the flow's dual prices show
  // that they matter, so this changes the speed, not the optimum found. 0: twice the
  // largest delegate cap + 12. Default: 0.
  int candidate_hosts = 0;
  // Heuristic or exact (see PlanMode). Default: kAuto.
  PlanMode mode = PlanMode::kAuto;
  // The exact solver; not owned, must outlive the call. nullptr: the heuristic alone (kAuto)
  // or INVALID_ARGUMENT (kExact). Default: nullptr.
  const ExactPlanSolver* exact_solver = nullptr;
  // kAuto uses the exact solver up to this many variables (meetings the model could
  // hold: a pair that may meet times a slot both can attend). The hard family of 25
  // delegates x 100 hosts has about 5,000 and GLPK proves it in well under a second;
  // 45,000 took about 4 s, 135,000 about 17 s; 100 x 1,000 over three days of 16 slots has
  // about 1.1 million. Default: 20,000.
  int64_t exact_max_variables = 20'000;
  // Branch-and-bound nodes the exact solver may explore: the limit that makes the plan a
  // function of the problem. Default: 20,000.
  int exact_node_limit = 20'000;
  // A safety cap on the exact solver's time. Default: 10 s.
  absl::Duration exact_time_limit = absl::Seconds(10);
};

// A lock that could not be placed, and why.
struct UnplacedLock {
  int lock;            // index into PlanProblem::locks
  std::string reason;  // plain words, naming the companies and the conflicting lock
};

// Meetings per company over all delegates (or all hosts).
struct CompanyLoad {
  int min = 0;
  double mean = 0;
  int max = 0;
};

struct PlanResult {
  std::vector<Meeting> meetings;  // sorted by slot, then table
  double total = 0;               // sum of the meetings' scores
  // An upper bound on `total` of every valid schedule that places the same locks and gives
  // each delegate d at least m_d = min(min_meetings_d, the meetings this plan gives d)
  // meetings. It is the optimum of a relaxation: the b-matching of delegates x hosts in
  // which each pair meets at most once, each company at most its cap (max_meetings and its
  // usable slots), the placed locks are forced, each delegate meets at least m_d, and the
  // meetings fit in all and per day (for companies that attend on one day only) the room of
  // the slots, a slot holding at most min(its tables, the delegates who can meet in it, the
  // hosts who can) meetings, and the hosts who can attend only some slots of a day meet no
  // more often than those slots have room;
  // it is computed as the value of a feasible solution of that relaxation's LP dual over all
  // pairs, so it holds exactly. A schedule that serves some delegate's minimum worse than
  // this plan may score higher. When the exact solver ran, it is the least of that bound
  // (where it holds for this plan) and the solver's: this plan's total when the solver proved
  // it optimal, else the best bound among its open nodes once it has proven that no schedule
  // is better in the priorities above the score. Either holds over the same schedules, since
  // one that served some minimum better would be better in the total shortfall. For a
  // re-plan the solver's bound covers the schedules that keep as many of `previous`'s
  // meetings as this plan.
  double bound = 0;
  double gap = 0;  // (bound - total) / bound; 0 when bound is 0
  std::vector<UnplacedLock> unplaced_locks;
  int moved = 0;          // meetings of `previous` not kept at the same (delegate, host, slot)
  int min_shortfall = 0;  // sum over delegates of max(0, min_meetings - meetings)
  CompanyLoad delegate_load;
  CompanyLoad host_load;
  // The exact solver ran (PlanOptions::mode; it does not when the heuristic's plan is
  // proven optimal already), and its plan is this one (else the heuristic's was as good or
  // better); this plan is proven optimal in every priority (by the exact solver, or by the
  // heuristic's bound and least shortfall when there is no `previous`).
  bool exact_ran = false;
  bool exact_plan = false;
  bool proven_optimal = false;
  // Meetings (indices into `meetings`) that need an interpreter and have none.
  std::vector<int> uncovered;
  // Meetings moved to another slot so that an interpreter could join them.
  int interpreter_moves = 0;
};

// Plans the meetings of `problem`.
//
// Interpreters come last, once the schedule is chosen: in each slot the meetings that need
// one (PlanProblem::interpreter_needs) are matched to the interpreters who cover them and are
// available then, each in at most one meeting (a maximum bipartite matching per slot). A
// meeting left without one is moved, where it can be, to another slot in which both its
// companies and a table are free and a covering interpreter can join (possibly after other
// meetings of that slot swap interpreters); locked meetings and meetings kept from `previous`
// stay where they are, and a move keeps every rule above. The rest are listed in
// PlanResult::uncovered. Interpreters never change which pairs meet, so the total, the
// shortfall and `bound` are those of the schedule; the bound relaxes interpreter capacity
// (it ignores interpreters), so it stays an upper bound.
//
// A schedule is valid when: each (delegate, host) pair meets at most once; no company is in
// two meetings in one slot; each meeting's slot is available to both companies; slot s has
// at most tables[s] meetings; each company has at most max_meetings; excluded pairs never
// meet; every lock is placed (in its slot if it has one) unless listed in unplaced_locks
// (it conflicts with earlier locks: same company or too few tables in a slot, a cap, or a
// different slot for the same pair). Fixed-slot locks are placed before any-slot locks, each
// group in index order. The result is always valid.
//
// Errors: INVALID_ARGUMENT naming the field ("delegates[3].available: 5 entries, expected
// 6", "scores[12]: NaN", "locks[0].host: 14 out of range") when the problem breaks the
// contract above; FAILED_PRECONDITION when a lock could never be placed even alone
// ("locks[1]: delegate X and host Y are never available in the same slot", its slot is
// outside either's availability or has no table, either's max_meetings is 0, or the pair
// is excluded).
absl::StatusOr<PlanResult> PlanDelegation(const PlanProblem& problem,
                                          const PlanOptions& options = {});

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLAN_H_
