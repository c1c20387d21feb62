// Host invitations: the rules that change a delegation's host_invitations
// (delegation.proto, HostInvitation), and the notifications each change
// writes. Pure: they change the Delegation they are given and return the
// notifications; DelegationStore::ChangeInvitations and SweepInvitations
// write both in one RocksDB write.
//
//   std::vector<HostInvitation> sent;
//   absl::StatusOr<std::vector<Notification>> notices =
//       InviteHosts(&delegation, {"mx-1"}, deadline, now, "ihk-muenchen", &sent);
//   // delegation.host_invitations(): mx-1 PENDING; notices: HOST_INVITED to mx-1
//
// The invitations live in the delegation's own record rather than in a store
// of their own: an invitation means nothing without the delegation and its
// hosts (removing a host withdraws its invitation in the same write), the
// planner reads the answers with the delegation it plans, and a delegation
// has hundreds of hosts at most, so the record stays small.
//
// Thread safety: the functions share no state.
#ifndef SOCIO_STORAGE_HOST_INVITATIONS_H_
#define SOCIO_STORAGE_HOST_INVITATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/notification.pb.h"

namespace socio::storage {

// How long an invitation runs when neither the request nor the delegation
// names a deadline.
inline constexpr absl::Duration kDefaultInvitationPeriod = absl::Hours(24 * 14);
// The reminder goes out this long before the deadline (or halfway between
// the invitation and the deadline, when that is later).
inline constexpr absl::Duration kInvitationReminderBefore = absl::Hours(48);
// The longest note an answer may carry, in characters.
inline constexpr int kMaxInvitationNoteLength = 1000;

// The invitations of `d` counted by status.
socio::v1::HostInvitationSummary CountInvitations(const socio::v1::Delegation& d);

// The invitation of `host_id` in `d`, or null.
const socio::v1::HostInvitation* FindInvitation(const socio::v1::Delegation& d,
                                                absl::string_view host_id);

// Invites `host_ids` (empty: every named host without an invitation) to `d`
// at `now`, answerable until `deadline`, on behalf of the staff of
// `chamber_id`. A host already PENDING or ACCEPTED is left as it is; one
// DECLINED, EXPIRED or WITHDRAWN is invited again. Appends the invitations
// sent to `*sent` and returns one HOST_INVITED notification per host.
// INVALID_ARGUMENT "host_ids[i]: ..." for a host `d` does not name (in hosts),
// or named twice; "deadline: ..." for a deadline not after `now`. On error
// `d` is unchanged.
absl::StatusOr<std::vector<socio::v1::Notification>> InviteHosts(
    socio::v1::Delegation* d, const std::vector<std::string>& host_ids, absl::Time deadline,
    absl::Time now, absl::string_view chamber_id, std::vector<socio::v1::HostInvitation>* sent);

// Records `host_id`'s answer at `now`, and returns the notification to the
// staff of the chamber that invited. NOT_FOUND "host_id: ..." when the host
// has no invitation; FAILED_PRECONDITION when it is WITHDRAWN, EXPIRED, or
// past its deadline (answers may change until then); INVALID_ARGUMENT
// "note: ..." for a note too long or holding a control character. On error `d` is unchanged.
absl::StatusOr<socio::v1::Notification> AnswerInvitation(
    socio::v1::Delegation* d, absl::string_view host_id, bool accept, absl::string_view note,
    socio::v1::HostInvitation::AnsweredBy answered_by, absl::Time now);

// The due work of `d` at `now`: each PENDING invitation past its deadline
// becomes EXPIRED (HOST_INVITATION_EXPIRED to the staff that invited), and
// each PENDING one within its reminder window not reminded yet is reminded
// once (HOST_INVITATION_REMINDER to the host). The notifications, empty when
// nothing was due.
std::vector<socio::v1::Notification> SweepInvitations(socio::v1::Delegation* d, absl::Time now);

// Withdraws (WITHDRAWN, at `now`) the PENDING invitations of hosts `d` no
// longer names; whether any was.
bool WithdrawUnnamed(socio::v1::Delegation* d, absl::Time now);

// What the planner schedules of `d`: `d` itself without
// require_host_acceptance. With it, `d` without the named hosts whose
// invitation is not ACCEPTED, without the requested and accepted pairs with
// a host that is not (a pair's host not named cannot have been invited), and
// with a host filter that proposes nobody; `left_out` gets each host left
// out with why, `filter_held_back` the filter's max_hosts.
socio::v1::Delegation ScheduledPart(const socio::v1::Delegation& d,
                                    std::vector<socio::v1::HostInvitationOmission>* left_out,
                                    int* filter_held_back);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_HOST_INVITATIONS_H_
