// What changed for each company between two plans of a delegation: the
// meetings its participants were told of and the meetings planned now.
//
//   std::map<std::string, std::vector<MeetingChange>> changes =
//       ChangesByCompany(d.publication().meetings(), d.plan().meetings());
//   for (const auto& [member_id, mine] : changes) ... tell member_id ...
//
// A meeting is known by its pair (delegate, host). For each company of
// either plan, a pair only in the new plan is ADDED, one only in the old
// plan REMOVED, and one in both MOVED if its day, start or table differs. A
// REMOVED and an ADDED meeting of the company at the same day and start are
// one NEW_PARTNER change: the company keeps the slot and meets someone
// else. Scores, reasons and locks are not changes a participant is told of.
// Pure: no I/O, no state.
#ifndef SOCIO_PLANNER_PLAN_CHANGES_H_
#define SOCIO_PLANNER_PLAN_CHANGES_H_

#include <map>
#include <string>
#include <vector>

#include "google/protobuf/repeated_ptr_field.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner {

using Meetings = google::protobuf::RepeatedPtrField<socio::v1::PlannedMeeting>;

struct MeetingChange {
  enum class Kind { kAdded, kRemoved, kMoved, kNewPartner };
  Kind kind = Kind::kAdded;
  // The meeting as it was told (kRemoved, kMoved, kNewPartner).
  socio::v1::PlannedMeeting before;
  // The meeting as it is planned now (kAdded, kMoved, kNewPartner).
  socio::v1::PlannedMeeting after;
};

// The meetings of `meetings` that `member_id` takes part in (as delegate or
// host), in time order (day, then start).
std::vector<socio::v1::PlannedMeeting> MeetingsOf(const Meetings& meetings,
                                                  const std::string& member_id);

// The changes from `told` to `now`, per company id; a company whose
// meetings did not change is absent. Each company's changes are in the time
// order of the meeting they concern (its new time, or its old one for a
// removal).
std::map<std::string, std::vector<MeetingChange>> ChangesByCompany(const Meetings& told,
                                                                   const Meetings& now);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLAN_CHANGES_H_
