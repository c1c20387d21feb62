// The planning problem as a mixed-integer program: one description (PlanModel), written as
// CPLEX LP text for an exact solver such as the `cbc` program (`cbc model.lp solve solu
// out.txt`) or loaded into a solver's matrix (plan_exact.h):
//
//   std::ofstream("plan.lp") << PlanMilp(problem, plan);
//
// Variables x_D_H_T (binary): delegate D meets host H in slot T, one per pair that may meet
// (score > 0 and not excluded, or a lock the plan placed) and slot both can attend that has
// tables. Constraints: each pair at most once; each company at most once per slot and at
// most max_meetings; at most tables[T] meetings in slot T; every lock `plan` placed meets
// (in its slot if it has one). Locks `plan` could not place (PlanResult::unplaced_locks)
// are left out, as the planner leaves them out.
#ifndef SOCIO_PLANNER_PLAN_MILP_H_
#define SOCIO_PLANNER_PLAN_MILP_H_

#include <string>
#include <vector>

#include "planner/plan.h"

namespace socio::planner {

// What a model maximises (kScore, kLexicographic) or minimises (kShortfall).
enum class PlanObjective {
  // The total score, each delegate having at least min(min_meetings, its meetings in
  // `plan`) meetings: the problem PlanResult::bound bounds. `plan` is feasible for it.
  kScore,
  // The total shortfall below min_meetings (variables s_D >= 0 per delegate).
  kShortfall,
  // The planner's priorities in one objective: the meetings of PlanProblem::previous kept
  // first (at their slot, or anywhere when that slot is lost to the delegate or the host),
  // then the least total shortfall below the minimums, then the least sum of squared
  // shortfalls, then the total score; each priority weighs more than everything below it
  // can change. A delegate's minimum counts up to its cap (max_meetings and the slots it can
  // use), as the planner counts it; its shortfall is the sum of unit variables u_D_K
  // (0 <= u <= 1, K = 1..minimum), the K-th unit costing 2K - 1 in squares, so the cheaper
  // units fill first.
  kLexicographic,
};

// A variable: 0 <= value <= upper; binaries have upper 1.
struct MilpColumn {
  std::string name;
  double objective = 0;
  bool binary = true;
  double upper = 1;  // +infinity: no upper limit
};

// sum of the columns (every coefficient is 1) between lower and upper; -/+ infinity (as
// std::numeric_limits<double>::infinity()) where there is no such limit.
struct MilpRow {
  std::string name;
  std::vector<int> columns;
  double lower;
  double upper;
};

// The meeting a column x_D_H_T stands for.
struct MilpMeeting {
  int delegate;
  int host;
  int slot;
};

struct PlanModel {
  bool maximize = true;
  std::vector<MilpColumn> columns;
  std::vector<MilpRow> rows;
  // meetings[i] is what column i means, for i < meetings.size(): the x columns come first,
  // by delegate, host, slot. The shortfall columns follow: column meetings.size() + i is
  // unit shortfall_units[i].unit of delegate shortfall_units[i].delegate's shortfall
  // (kLexicographic), or all of it (unit 0: kShortfall's s_D).
  struct ShortfallUnit {
    int delegate;
    int unit;
  };
  std::vector<MilpMeeting> meetings;
  std::vector<ShortfallUnit> shortfall_units;
  // kLexicographic: every priority above the score changes the objective by a multiple of
  // score_ceiling, which exceeds the largest total score; so a schedule better in those
  // priorities has an objective at least score_ceiling higher. 0 otherwise.
  double score_ceiling = 0;
};

// The model of `problem` with the locks `plan` placed and the given objective.
// REQUIRES: `plan` is PlanDelegation's result for `problem` (kScore and kShortfall also read
// its meetings; kLexicographic reads only its unplaced locks).
PlanModel BuildPlanModel(const PlanProblem& problem, const PlanResult& plan,
                         PlanObjective objective);

// The model as CPLEX LP text; reals with all 17 digits.
std::string LpText(const PlanModel& model);

// LpText(BuildPlanModel(problem, plan, PlanObjective::kScore)).
std::string PlanMilp(const PlanProblem& problem, const PlanResult& plan);

// LpText(BuildPlanModel(problem, plan, PlanObjective::kShortfall)).
std::string PlanShortfallMilp(const PlanProblem& problem, const PlanResult& plan);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLAN_MILP_H_
