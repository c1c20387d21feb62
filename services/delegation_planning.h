// Delegation planning over the stored data: from a Delegation, the members'
// profiles and their matches (a PartnerSource: local parts, or the profile
// and matcher roles over gRPC) to a planner::PlanProblem, and from the
// planner's result to the DelegationPlan that is stored and shown; agendas
// and destinations from the same parts. The service converts the statuses.
//
//   PlanningInputs inputs{.source = source, .reference = reference, .validator = validator,
//                         .weights = weights, .now = absl::Now()};
//   absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(delegation, false, inputs);
//   absl::StatusOr<socio::v1::Agenda> agenda =
//       MakeAgenda(stored, "de-0042", socio::v1::GetAgendaRequest::ICALENDAR, inputs);
//
// The grid: the itinerary's days in date order, each cut into slots (see
// storage::SlotsOfDay). Delegates can meet in every slot; a host in the slots
// of the days the delegation is in its city (the profile's city and the
// day's compared without case or accents). Unavailabilities remove slots
// they overlap. Hosts are the named ones, then the hosts of locked pairs
// that are not named, then those host_filter picks: profiles of the host
// country in a city of the itinerary, with the best reciprocal scores with
// any delegate (as each delegate's FindPartners ranks them).
#ifndef SOCIO_SERVICES_DELEGATION_PLANNING_H_
#define SOCIO_SERVICES_DELEGATION_PLANNING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "planner/plan.h"
#include "reference/reference_data.h"
#include "services/auth.h"
#include "services/partner_source.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/delegation_service.pb.h"
#include "socio/v1/match.pb.h"
#include "storage/profile_validation.h"

namespace socio::services {

// What planning reads. None is owned.
struct PlanningInputs {
  // Profiles, partners, pair scores and explanations.
  const PartnerSource* source = nullptr;
  const reference::ReferenceData* reference = nullptr;
  const storage::ProfileValidator* validator = nullptr;
  // The weights pairs are scored with (the organising chamber's policy), as
  // stored; REQUIRES: matcher::NormalizeWeights accepts them.
  socio::v1::FactorWeights weights;
  // The plan's time stamp. (Scores are judged when the source is asked.)
  absl::Time now;
};

// OK if the staff of the delegation's chamber may read (CanRead) every
// profile it names: its delegates, hosts, and both ids of each pair. Else
// `code` (INVALID_ARGUMENT when it is written, FAILED_PRECONDITION when it is
// planned) with "delegation.delegates[2]: no company 'x' that chamber 'c' may
// see", worded alike whether the profile is missing or hidden. Failed lookups
// other than NOT_FOUND as they came.
absl::Status CheckNamedCompanies(const socio::v1::Delegation& delegation,
                                 const ProfileLookup& profiles, absl::StatusCode code);

// Plans `delegation` (valid as storage::ValidateDelegation checks). Unless
// `fresh`, its stored plan is the previous one: its meetings stay where they
// can, and locked pairs without a fixed time keep their slot.
// FAILED_PRECONDITION naming the field for a company the organising chamber
// may not see (CheckNamedCompanies), for a named host in another country or
// in no city of the itinerary, and for a locked pair that can never be
// placed. The host filter picks only hosts the chamber's staff may read that
// are PartnerVisible (access.h) to a delegate as that staff sees it.
absl::StatusOr<socio::v1::DelegationPlan> MakePlan(const socio::v1::Delegation& delegation,
                                                   bool fresh, const PlanningInputs& inputs,
                                                   const planner::PlanOptions& options = {});

// One company's meetings of the stored plan as an iCalendar or CSV file, or
// (member_id empty) the whole plan as CSV, for `viewer`. A company the viewer
// may neither read nor be shown as the member's partner (access.h), hidden
// since the plan was made or never the member's partner, is named by its id
// alone in the whole plan, and in a company's agenda not at all: the meeting
// has no partner id, no reasons and a uid of its own. FAILED_PRECONDITION if the
// delegation has no plan; NOT_FOUND if the member takes no part in it;
// INVALID_ARGUMENT for ICALENDAR without a member. Reads inputs.source,
// .reference and .now.
absl::StatusOr<socio::v1::Agenda> MakeAgenda(const socio::v1::Delegation& delegation,
                                             const std::string& member_id,
                                             socio::v1::GetAgendaRequest::Format format,
                                             const Caller& viewer, const PlanningInputs& inputs);

// Host countries ranked for the delegates; see RecommendDestinationsRequest.
// Counts only partners PartnerVisible (access.h) to `caller`, who acts for
// every delegate. NOT_FOUND naming the field for an unknown delegate;
// INVALID_ARGUMENT for k or a country code out of range.
absl::StatusOr<socio::v1::RecommendDestinationsResponse> RankDestinations(
    const socio::v1::RecommendDestinationsRequest& request, const Caller& caller,
    const PlanningInputs& inputs);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_DELEGATION_PLANNING_H_
