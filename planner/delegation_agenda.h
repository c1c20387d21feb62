// Agendas of a stored delegation plan: one company's meetings as an
// iCalendar or CSV file, or the whole plan as CSV, worded for the viewer.
//
//   absl::StatusOr<socio::v1::Agenda> agenda = MakeAgenda(
//       stored, "de-0042", socio::v1::GetAgendaRequest::ICALENDAR, viewer, inputs);
#ifndef SOCIO_PLANNER_DELEGATION_AGENDA_H_
#define SOCIO_PLANNER_DELEGATION_AGENDA_H_

#include <string>

#include "absl/status/statusor.h"
#include "planner/planning_source.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/delegation_service.pb.h"

namespace socio::planner {

// One company's meetings of the stored plan as an iCalendar or CSV file, or
// (member_id empty) the whole plan as CSV, for `viewer`. A company's file
// also holds the programme items it attends (uid
// "<delegation>-item-<item id>@socio", the item's place and the travel
// minutes it needs), and a meeting that needs an interpreter names the
// interpreter, or says none is assigned, in its description (the whole
// plan's CSV in its `interpreter` column). A company the viewer
// may neither read nor be shown as the member's partner, hidden since the
// plan was made or never the member's partner, is named by its id alone in
// the whole plan, and in a company's agenda not at all: the meeting has no
// partner id, no reasons and a uid of its own. FAILED_PRECONDITION if the
// delegation has no plan, or one with meetings on a day no longer in the
// itinerary; NOT_FOUND if the member takes no part in it; INVALID_ARGUMENT
// for ICALENDAR without a member. Reads inputs.source, .reference and .now
// (not .weights).
absl::StatusOr<socio::v1::Agenda> MakeAgenda(const socio::v1::Delegation& delegation,
                                             const std::string& member_id,
                                             socio::v1::GetAgendaRequest::Format format,
                                             const ProfileAccess& viewer,
                                             const PlanningInputs& inputs);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_DELEGATION_AGENDA_H_
