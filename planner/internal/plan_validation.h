// Internal to socio::planner: the checks PlanDelegation makes before planning.
#ifndef SOCIO_PLANNER_INTERNAL_PLAN_VALIDATION_H_
#define SOCIO_PLANNER_INTERNAL_PLAN_VALIDATION_H_

#include "absl/status/status.h"
#include "planner/plan.h"

namespace socio::planner::internal {

// INVALID_ARGUMENT naming the first field of `problem` or `options` that breaks the
// contract of plan.h; OK otherwise.
absl::Status ValidateProblem(const PlanProblem& problem, const PlanOptions& options);

// FAILED_PRECONDITION for the first lock that could not be placed even if it were the only
// one. REQUIRES: ValidateProblem(problem) is OK.
absl::Status CheckLocksPlaceable(const PlanProblem& problem);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_PLAN_VALIDATION_H_
