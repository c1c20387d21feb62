// HostInvitationDesk: the work of DelegationService's InviteHosts,
// AnswerHostInvitation and ListHostInvitations, whose handlers hand it the
// Caller (delegation_service.cc). Who may do what is delegation_access.h's;
// the rules of an invitation are storage/host_invitations.h's.
//
// Thread safety: every method may be called from any thread.
#ifndef SOCIO_SERVICES_HOST_INVITATION_DESK_H_
#define SOCIO_SERVICES_HOST_INVITATION_DESK_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/delegation_service.pb.h"
#include "storage/delegation_store.h"
#include "storage/request_ids.h"

namespace socio::services {

struct HostInvitationDeskParts {
  // Not owned; must outlive the desk.
  storage::DelegationStore* delegations = nullptr;
  const ProfileLookup* profiles = nullptr;
  const Disclosure* disclosure = nullptr;  // may be null
  // Default: absl::Now. What invitations go by: invite and answer times,
  // deadlines.
  std::function<absl::Time()> clock;
};

class HostInvitationDesk {
 public:
  explicit HostInvitationDesk(HostInvitationDeskParts parts);

  // InviteHosts (delegation_service.proto): operators, the organising and
  // the host chamber's staff. `ticket` may be null (no request_id).
  absl::Status Invite(const Caller& caller, const socio::v1::InviteHostsRequest& request,
                      const storage::RequestTicket* ticket,
                      socio::v1::InviteHostsResponse* response) const;

  // AnswerHostInvitation: the host itself, its chamber's staff, operators.
  absl::Status Answer(const Caller& caller, const socio::v1::AnswerHostInvitationRequest& request,
                      socio::v1::HostInvitation* response) const;

  // ListHostInvitations: by delegation or by member.
  absl::Status List(const Caller& caller, const socio::v1::ListHostInvitationsRequest& request,
                    socio::v1::ListHostInvitationsResponse* response) const;

 private:
  absl::Time Now() const;

  const HostInvitationDeskParts parts_;
};

// The listing of `invitation` with what its host may know of `d`.
socio::v1::HostInvitationListing ListingOf(const socio::v1::Delegation& d,
                                           const socio::v1::HostInvitation& invitation);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_HOST_INVITATION_DESK_H_
