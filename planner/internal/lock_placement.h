// Internal to socio::planner: puts the locks of a problem into an empty schedule.
#ifndef SOCIO_PLANNER_INTERNAL_LOCK_PLACEMENT_H_
#define SOCIO_PLANNER_INTERNAL_LOCK_PLACEMENT_H_

#include <vector>

#include "planner/internal/schedule.h"
#include "planner/plan.h"

namespace socio::planner::internal {

// Places and pins the locks of `problem`: fixed-slot locks first, then any-slot locks (at
// the pair's previous slot when free), each group in index order; a lock that conflicts
// with those placed before it is returned with the reason, by lock index. A lock repeating
// a placed pair is satisfied by the same meeting unless it names another slot.
// REQUIRES: `schedule` is empty and built from `problem`; CheckLocksPlaceable is OK.
std::vector<UnplacedLock> PlaceLocks(const PlanProblem& problem, Schedule* schedule);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_LOCK_PLACEMENT_H_
