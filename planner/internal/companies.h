// Internal to socio::planner: what plans and destination rankings both need
// of the companies they name.
#ifndef SOCIO_PLANNER_INTERNAL_COMPANIES_H_
#define SOCIO_PLANNER_INTERNAL_COMPANIES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "planner/planning_source.h"
#include "socio/v1/profile.pb.h"

namespace socio::planner::internal {

// The profile of a member id, or NOT_FOUND "<field>: no profile '<id>'".
// Other errors of `source` as they came.
absl::StatusOr<socio::v1::Profile> ProfileOf(const PlanningSource& source, const std::string& field,
                                             const std::string& id);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_COMPANIES_H_
