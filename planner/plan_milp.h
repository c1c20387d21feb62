// The planning problem as a mixed-integer program in CPLEX LP format, for checking plans
// with an exact solver such as CBC (`cbc model.lp solve solu out.txt`):
//
//   std::ofstream("plan.lp") << PlanMilp(problem, plan);
//
// Variables x_D_H_T (binary): delegate D meets host H in slot T, one per pair that may meet
// (score > 0 and not excluded, or a lock the plan placed) and slot both can attend that has
// tables. Constraints: each pair at most once; each company at most once per slot and at
// most max_meetings; at most tables[T] meetings in slot T; every lock `plan` placed meets
// (in its slot if it has one).
#ifndef SOCIO_PLANNER_PLAN_MILP_H_
#define SOCIO_PLANNER_PLAN_MILP_H_

#include <string>

#include "planner/plan.h"

namespace socio::planner {

// Maximise the total score, each delegate having at least min(min_meetings, its meetings in
// `plan`) meetings: the problem PlanResult::bound bounds. `plan` is feasible for it.
// REQUIRES: `plan` is PlanDelegation's result for `problem`.
std::string PlanMilp(const PlanProblem& problem, const PlanResult& plan);

// Minimise the total shortfall below min_meetings (variables s_D >= 0 per delegate).
// REQUIRES: as for PlanMilp.
std::string PlanShortfallMilp(const PlanProblem& problem, const PlanResult& plan);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLAN_MILP_H_
