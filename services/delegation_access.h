// Who may do what with a delegation: the organising chamber and, where the
// delegation names one, the host chamber that co-plans it
// (Delegation.host_chamber_id). Every DelegationService handler asks here.
//
//   ADMIN                    everything.
//   organising chamber staff the delegation whole, as before: create,
//                            update any field, plan, publish to the
//                            delegates, invite hosts.
//   host chamber staff       read the delegation and its plan; update only
//                            the host side (hosts, host_filter: an update
//                            whose mask writes any other field is
//                            PERMISSION_DENIED naming it); invite hosts and
//                            answer for their members; publish to the hosts.
//                            Not: delegates, itinerary, pairs, planning.
//   anyone else              the delegation does not exist (NOT_FOUND, as
//                            for an id nobody stored); companies read their
//                            own part through GetAgenda, ListDelegations with
//                            a member_id and ListHostInvitations.
//
// Which companies a delegation may name (checked when it is written, and
// again when it is planned): profiles the organising chamber's staff may
// read (access.h), and as hosts also members of the host chamber whatever
// their visibility, which the host chamber's staff recruit. Only the host
// chamber's staff (and operators) may add such a host that the organising
// chamber's staff may not read; the organising chamber's staff may keep it
// when they rewrite the hosts, not add one. What the organising chamber's
// staff are shown of such a host follows Disclosure (disclosure.h) as for
// every company: an anonymous one by its handle.
#ifndef SOCIO_SERVICES_DELEGATION_ACCESS_H_
#define SOCIO_SERVICES_DELEGATION_ACCESS_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "planner/planning_source.h"
#include "services/access.h"
#include "services/auth.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/delegation_service.pb.h"
#include "storage/delegation_store.h"

namespace socio::services {

// Who a caller is to a delegation.
enum class DelegationRole {
  kNone,       // may not see it
  kOperator,   // an ADMIN token
  kOrganiser,  // staff of its chamber_id
  kHost,       // staff of its host_chamber_id
};

DelegationRole RoleIn(const Caller& caller, const socio::v1::Delegation& delegation);

// NOT_FOUND "<field>: no delegation '<id>'": the answer for an id that names
// none and for one the caller may not see alike.
absl::Status NoDelegation(absl::string_view field, absl::string_view id);

// The stored delegation `id` and the caller's role in it, if the role is
// kOperator, kOrganiser, or kHost when `host_may` is true; else
// NoDelegation(field, id), the same whether it is missing or hidden.
// INVALID_ARGUMENT naming `field` for a malformed id; other errors of
// `store` as they came.
struct DelegationRead {
  socio::v1::Delegation delegation;
  DelegationRole role = DelegationRole::kNone;
};
absl::StatusOr<DelegationRead> ReadDelegation(const storage::DelegationStore& store,
                                              const Caller& caller, const std::string& id,
                                              absl::string_view field, bool host_may);

// OK unless `role` is kHost: then PERMISSION_DENIED "<field>: <what> is for
// the organising chamber's staff (host chamber '<c>' may ...)".
absl::Status RequireOrganiserSide(const Caller& caller, DelegationRole role,
                                  absl::string_view field, absl::string_view what);

// OK if an update of `patch` with `mask` writes only the host side (hosts,
// host_filter); else PERMISSION_DENIED naming the first other field it
// writes ("delegation.days: ...").
absl::Status CheckHostSideUpdate(const socio::v1::Delegation& patch,
                                 const google::protobuf::FieldMask& mask);

// The side a PublishPlan of `d` by `caller` (whose role it is `role`)
// publishes to, for `asked` (PublishPlanRequest.side says the rules):
// BOTH without a host chamber; with one DELEGATES or HOSTS.
// PERMISSION_DENIED "side: ..." for the other chamber's side,
// INVALID_ARGUMENT "side: ..." for a side the delegation does not have.
absl::StatusOr<socio::v1::PublishPlanRequest::Side> PublishSide(
    const Caller& caller, DelegationRole role, const socio::v1::Delegation& d,
    socio::v1::PublishPlanRequest::Side asked);

// Whom a delegation's companies must be visible to (see above), as planning
// asks it: the organising chamber's staff's access, where the host
// chamber's members also count as readable when `any_host_member`, or when
// they are among `kept` (hosts the stored delegation already names).
class DelegationCompanies final : public planner::ProfileAccess {
 public:
  DelegationCompanies(const socio::v1::Delegation& delegation, bool any_host_member,
                      absl::flat_hash_set<std::string> kept = {});
  bool CanRead(const socio::v1::Profile& profile) const override;
  bool SeesPrivatePartners(const socio::v1::Profile& member) const override;
  bool PartnerVisible(const socio::v1::Profile& member, const socio::v1::Profile& partner,
                      absl::Time now) const override;

 private:
  const CallerAccess organiser_;
  const std::string host_chamber_id_;
  const bool any_host_member_;
  const absl::flat_hash_set<std::string> kept_;
};

// The access a write by `role` is checked with: the organising chamber's
// staff keep the host chamber's members `stored` names as hosts (may be
// null: a new delegation); the host chamber's staff and operators may name
// any of them.
DelegationCompanies CompaniesForWriter(DelegationRole role, const socio::v1::Delegation& result,
                                       const socio::v1::Delegation* stored);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_DELEGATION_ACCESS_H_
