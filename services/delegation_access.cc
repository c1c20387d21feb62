#include "services/delegation_access.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "storage/profile_validation.h"
#include "storage/update_mask.h"

namespace socio::services {

DelegationRole RoleIn(const Caller& caller, const socio::v1::Delegation& delegation) {
  if (caller.is_admin()) return DelegationRole::kOperator;
  if (caller.is_staff_of(delegation.chamber_id())) return DelegationRole::kOrganiser;
  if (!delegation.host_chamber_id().empty() && caller.is_staff_of(delegation.host_chamber_id())) {
    return DelegationRole::kHost;
  }
  return DelegationRole::kNone;
}

absl::Status NoDelegation(absl::string_view field, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(field, ": no delegation '", id, "'"));
}

absl::StatusOr<DelegationRead> ReadDelegation(const storage::DelegationStore& store,
                                              const Caller& caller, const std::string& id,
                                              absl::string_view field, bool host_may) {
  // A malformed id is the caller's mistake, named as the caller named it.
  if (absl::Status s = storage::ValidateId(field, id); !s.ok()) return s;
  absl::StatusOr<socio::v1::Delegation> delegation = store.Get(id);
  if (absl::IsNotFound(delegation.status())) return NoDelegation(field, id);
  if (!delegation.ok()) return delegation.status();
  const DelegationRole role = RoleIn(caller, *delegation);
  if (role == DelegationRole::kNone || (role == DelegationRole::kHost && !host_may)) {
    return NoDelegation(field, id);
  }
  return DelegationRead{.delegation = *std::move(delegation), .role = role};
}

absl::Status RequireOrganiserSide(const Caller& caller, DelegationRole role,
                                  absl::string_view field, absl::string_view what) {
  if (role != DelegationRole::kHost) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": ", caller.Describe(), " may not do ", what,
                   ": that is the organising chamber's; the host chamber co-plans the host "
                   "side only"));
}

absl::Status CheckHostSideUpdate(const socio::v1::Delegation& patch,
                                 const google::protobuf::FieldMask& mask) {
  const google::protobuf::Descriptor& descriptor = *socio::v1::Delegation::descriptor();
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const std::string& name = descriptor.field(i)->name();
    if (name == "hosts" || name == "host_filter" || !storage::IsWritableDelegationField(name)) {
      continue;
    }
    if (storage::UpdateWrites(patch, mask, name)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "delegation.", name, ": the host chamber's staff may not change '", name,
          "', which is the organising chamber's; they change the host side only (hosts, "
          "host_filter)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<socio::v1::PublishPlanRequest::Side> PublishSide(
    const Caller& caller, DelegationRole role, const socio::v1::Delegation& d,
    socio::v1::PublishPlanRequest::Side asked) {
  using Request = socio::v1::PublishPlanRequest;
  if (d.host_chamber_id().empty()) {
    if (asked == Request::SIDE_UNSPECIFIED || asked == Request::BOTH) return Request::BOTH;
    return absl::InvalidArgumentError(absl::StrCat(
        "side: delegation '", d.id(), "' has no host chamber, so its plan is published to ",
        "delegates and hosts together (BOTH), not to ", Request::Side_Name(asked), " alone"));
  }
  if (asked == Request::BOTH) {
    return absl::InvalidArgumentError(absl::StrCat(
        "side: delegation '", d.id(), "' is co-planned with host chamber '", d.host_chamber_id(),
        "': the organising chamber publishes to the DELEGATES, the host chamber to the HOSTS"));
  }
  if (asked == Request::SIDE_UNSPECIFIED) {
    return role == DelegationRole::kHost ? Request::HOSTS : Request::DELEGATES;
  }
  const bool own = role == DelegationRole::kOperator ||
                   (asked == Request::DELEGATES && role == DelegationRole::kOrganiser) ||
                   (asked == Request::HOSTS && role == DelegationRole::kHost);
  if (own) return asked;
  return absl::PermissionDeniedError(absl::StrCat(
      "side: ", caller.Describe(), " may not publish to the ", Request::Side_Name(asked),
      " of delegation '", d.id(), "'; each chamber publishes to its own companies"));
}

DelegationCompanies::DelegationCompanies(const socio::v1::Delegation& delegation,
                                         bool any_host_member,
                                         absl::flat_hash_set<std::string> kept)
    : organiser_(ChamberStaff(delegation.chamber_id())),
      host_chamber_id_(delegation.host_chamber_id()),
      any_host_member_(any_host_member),
      kept_(std::move(kept)) {}

bool DelegationCompanies::CanRead(const socio::v1::Profile& profile) const {
  if (organiser_.CanRead(profile)) return true;
  return !host_chamber_id_.empty() && profile.chamber_id() == host_chamber_id_ &&
         (any_host_member_ || kept_.contains(profile.id()));
}

bool DelegationCompanies::SeesPrivatePartners(const socio::v1::Profile& member) const {
  return organiser_.SeesPrivatePartners(member);
}

bool DelegationCompanies::PartnerVisible(const socio::v1::Profile& member,
                                         const socio::v1::Profile& partner, absl::Time now) const {
  return organiser_.PartnerVisible(member, partner, now);
}

DelegationCompanies CompaniesForWriter(DelegationRole role, const socio::v1::Delegation& result,
                                       const socio::v1::Delegation* stored) {
  if (role != DelegationRole::kOrganiser) return DelegationCompanies(result, true);
  absl::flat_hash_set<std::string> kept;
  if (stored != nullptr && stored->host_chamber_id() == result.host_chamber_id()) {
    for (const socio::v1::Participant& p : stored->hosts()) kept.insert(p.member_id());
  }
  return DelegationCompanies(result, false, std::move(kept));
}

}  // namespace socio::services
