// Delegation plans over the stored data: from a Delegation, the members'
// profiles and their matches (a PlanningSource) to a PlanProblem, and from
// the planner's result to the DelegationPlan that is stored and shown. The
// service converts the statuses.
//
//   PlanningInputs inputs{.source = &source, .reference = reference.get(),
//                         .weights = *weights, .now = absl::Now()};
//   absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(delegation, false, staff, inputs);
//
// The grid: the itinerary's days in date order, each cut into slots (see
// slot_grid.h). Delegates can meet in every slot; a host in the slots of the
// days the delegation is in its city (the profile's city and the day's
// compared without case or accents). Unavailabilities remove slots they
// overlap, and so do the programme items a company attends, with the travel
// between the day's venue and an item held elsewhere (programme.h).
// Meetings of a delegate and a host whose profiles' languages share none are
// flagged (PlannedMeeting.needs_interpreter) and given one of the
// delegation's interpreters where one is free (interpreters.h; plan.h says
// how); those left without one are listed in DelegationPlan.interpreter_gaps. Hosts are the named
// ones, then the hosts of locked pairs that are not named, then those host_filter picks: profiles
// of the host country in a city of the itinerary, with the best reciprocal scores with any delegate
// (as each delegate's FindPartners ranks them).
#ifndef SOCIO_PLANNER_DELEGATION_PLAN_H_
#define SOCIO_PLANNER_DELEGATION_PLAN_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "planner/plan.h"
#include "planner/planning_source.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner {

// OK if `staff`, the staff of the delegation's chamber, may read every
// profile it names: its delegates, hosts, and both ids of each pair. Else
// `code` (INVALID_ARGUMENT when it is written, FAILED_PRECONDITION when it is
// planned) with "delegation.delegates[2]: no company 'x' that chamber 'c' may
// see", worded alike whether the profile is missing or hidden. Failed lookups
// other than NOT_FOUND and INVALID_ARGUMENT (a malformed id) as they came.
absl::Status CheckNamedCompanies(const socio::v1::Delegation& delegation,
                                 const PlanningSource& profiles, const ProfileAccess& staff,
                                 absl::StatusCode code);

// Plans `delegation` (valid as storage::ValidateDelegation checks) with
// inputs.weights (REQUIRES: usable). Unless `fresh`, its stored plan is the
// previous one: its meetings stay where they can, and locked pairs without a
// fixed time keep their slot while both can still meet there (else they move);
// `moved` counts its meetings that moved or were dropped, those of removed
// companies and days included. Even when `fresh`, a host the stored plan's
// delegation named (or had removed) and `delegation` no longer names stays out
// of the host filter's choices (DelegationPlan.removed_host_ids). `staff`:
// the staff of the delegation's chamber.
// FAILED_PRECONDITION naming the field for a company that staff may not see
// (CheckNamedCompanies), for a named host in another country or in no city
// of the itinerary, and for a locked pair that can never be placed. The host
// filter picks only hosts the staff may read that are PartnerVisible to a
// delegate as the staff sees it. Errors of inputs.source as they came.
absl::StatusOr<socio::v1::DelegationPlan> MakePlan(const socio::v1::Delegation& delegation,
                                                   bool fresh, const ProfileAccess& staff,
                                                   const PlanningInputs& inputs,
                                                   const PlanOptions& options = {});

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_DELEGATION_PLAN_H_
