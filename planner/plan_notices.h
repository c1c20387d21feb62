// What a delegation's companies are told when its plan is published
// (DelegationService.PublishPlan): one notification per company, in words.
//
//   std::vector<Notification> notices = PublicationNotices(d, partner_name);
//   // first publish: PLAN_PUBLISHED "Mission to Chile 2027: 3 meetings on
//   //   12–13 April: 12 April 10:30 with Huber GmbH (table 2); ..."
//   // later: MEETINGS_CHANGED "Mission to Chile 2027: your meeting with
//   //   Huber GmbH moved to 13 April 10:30, table 3"
//
// Pure: the names come from the caller.
#ifndef SOCIO_PLANNER_PLAN_NOTICES_H_
#define SOCIO_PLANNER_PLAN_NOTICES_H_

#include <functional>
#include <string>
#include <vector>

#include "socio/v1/delegation.pb.h"
#include "socio/v1/notification.pb.h"

namespace socio::planner {

// The name company `recipient` is shown for company `partner`, or empty
// where it may not be shown the partner (then the text says "a company of
// the delegation", as its agenda does).
using PartnerName =
    std::function<std::string(const std::string& recipient, const std::string& partner)>;

// The notifications a publish of d.plan() writes, with recipient (a profile
// id), kind, delegation_id and summary set:
// - if d was never published (no d.publication()): PLAN_PUBLISHED to every
//   delegate and then to every other company with a meeting, listing its
//   meetings in time order (the first ten, then how many more);
// - else MEETINGS_CHANGED to each company whose meetings changed against
//   d.publication().meetings() (plan_changes.h), naming each change, and
//   nothing to the others.
// Companies in the order of the delegation's delegates, then by id. Then,
// if any company is told and `staff_recipient` is not empty, one more to
// `staff_recipient` of the same kind, saying how many were told. With
// `told_of`, only the companies it returns true for are told (and counted):
// one side of a co-planned delegation.
// REQUIRES: d.has_plan().
std::vector<socio::v1::Notification> PublicationNotices(
    const socio::v1::Delegation& d, const PartnerName& partner_name,
    const std::string& staff_recipient,
    const std::function<bool(const std::string&)>& told_of = nullptr);

// "29 March" for "2027-03-29"; the text as given if it is not a date.
std::string DayInWords(const std::string& date);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLAN_NOTICES_H_
