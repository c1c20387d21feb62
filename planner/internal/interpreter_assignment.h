// Internal to socio::planner: interpreters joined to the meetings of a finished schedule, as
// plan.h describes under PlanDelegation.
#ifndef SOCIO_PLANNER_INTERNAL_INTERPRETER_ASSIGNMENT_H_
#define SOCIO_PLANNER_INTERNAL_INTERPRETER_ASSIGNMENT_H_

#include "planner/plan.h"

namespace socio::planner::internal {

// Marks the meetings of `result` that need an interpreter, assigns one to as many as it can
// (per slot, then by moving an uncovered meeting that is neither locked nor kept from
// problem.previous to a slot with a free interpreter, both companies and a table free), and
// sets result->uncovered, result->interpreter_moves and, after moves, result->moved and the
// order of result->meetings (by slot, then table). The schedule stays valid; the total and
// the bound do not change. REQUIRES: `problem` passed ValidateProblem and `result` is a valid
// schedule of it.
void AssignInterpreters(const PlanProblem& problem, PlanResult* result);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_INTERPRETER_ASSIGNMENT_H_
