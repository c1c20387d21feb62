// Host countries ranked for a group of delegates: where their best partners
// are, and in which cities the strong ones are.
//
//   absl::StatusOr<socio::v1::RecommendDestinationsResponse> ranked =
//       RankDestinations(request, caller_access, inputs);
#ifndef SOCIO_PLANNER_DESTINATIONS_H_
#define SOCIO_PLANNER_DESTINATIONS_H_

#include "absl/status/statusor.h"
#include "planner/planning_source.h"
#include "socio/v1/delegation_service.pb.h"

namespace socio::planner {

// Host countries ranked for request.delegate_ids; see
// RecommendDestinationsRequest. Each delegate's partners are ranked with
// inputs.weights (REQUIRES: usable); only partners PartnerVisible to
// `viewer`, who acts for every delegate, count. REQUIRES: the request's
// fields are valid (1 to 200 delegates, k 0 to 50, known country codes).
// NOT_FOUND naming the field for an unknown delegate; errors of
// inputs.source as they came.
absl::StatusOr<socio::v1::RecommendDestinationsResponse> RankDestinations(
    const socio::v1::RecommendDestinationsRequest& request, const ProfileAccess& viewer,
    const PlanningInputs& inputs);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_DESTINATIONS_H_
