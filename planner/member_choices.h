// What members chose about each other, as pairs of a delegation's plan: a
// delegation's staff decide its pairs (Delegation.pairs); members' marks of
// interest and their accepted meeting requests (engagement.proto) add to
// them before it is planned.
//
//   Delegation planned = WithMemberChoices(delegation, marks, accepted);
//   MakePlan(planned, ...);
//
// For each delegate and named host that the staff's pairs leave open:
// - a meeting request accepted inside this delegation between the two:
//   ACCEPTED (locked into the plan);
// - else NOT_INTERESTED marked by either on the other: DECLINED (never
//   scheduled together);
// - else MUST_MEET marked by either on the other: REQUESTED (locked into
//   the plan, so placed before the pairs chosen by score).
// The staff's own pairs are kept as they are and win over members' choices.
// Hosts are those named and those the host filter chose for the last plan
// (DelegationPlan.host_ids); the filter's choices of a first plan are not
// known before it is made.
#ifndef SOCIO_PLANNER_MEMBER_CHOICES_H_
#define SOCIO_PLANNER_MEMBER_CHOICES_H_

#include <vector>

#include "socio/v1/delegation.pb.h"
#include "socio/v1/engagement.pb.h"

namespace socio::planner {

// `marks`: marks set by the delegation's companies (others are ignored);
// `accepted`: ACCEPTED requests (others, and those of other delegations,
// are ignored).
socio::v1::Delegation WithMemberChoices(const socio::v1::Delegation& d,
                                        const std::vector<socio::v1::Interest>& marks,
                                        const std::vector<socio::v1::MeetingRequest>& accepted);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_MEMBER_CHOICES_H_
