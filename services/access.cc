#include "services/access.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "matcher/match_index.h"
#include "storage/profile_validation.h"

namespace socio::services {
namespace {

using socio::v1::Profile;

absl::Status Denied(const Caller& caller, absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat(caller.Describe(), " may not ", what));
}

}  // namespace

absl::Status RequireAdmin(const Caller& caller, absl::string_view what) {
  if (caller.is_admin()) return absl::OkStatus();
  return Denied(caller, absl::StrCat("call ", what, " (operators only)"));
}

absl::Status RequireChamber(const Caller& caller, absl::string_view chamber_id,
                            absl::string_view field) {
  if (caller.is_admin() || caller.is_staff_of(chamber_id)) return absl::OkStatus();
  return Denied(caller, absl::StrCat("act for chamber '", chamber_id, "' (", field, ")"));
}

bool CanRead(const Caller& caller, const Profile& profile) {
  if (caller.is_admin() || caller.is_member(profile.id())) return true;
  if (caller.role != socio::v1::STAFF) return false;
  return caller.chamber_id == profile.chamber_id() || profile.visibility() == Profile::FEDERATION;
}

absl::Status NoProfile(absl::string_view field, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(field, ": no profile '", id, "'"));
}

absl::StatusOr<Profile> ReadProfile(const ProfileLookup& profiles, const Caller& caller,
                                    const std::string& id, absl::string_view field,
                                    const Disclosure* disclosure) {
  // A malformed id is named by the request's field, not the store's "id".
  if (absl::Status s = storage::ValidateId(field, id); !s.ok()) return s;
  absl::StatusOr<Profile> profile = profiles.GetProfile(id);
  if (absl::IsNotFound(profile.status())) return NoProfile(field, id);
  if (profile.ok() && !CanRead(caller, *profile) &&
      !(disclosure != nullptr && Disclosure::Call(disclosure, caller).RevealedTo(*profile))) {
    return NoProfile(field, id);
  }
  return profile;
}

absl::Status CheckActsFor(const Caller& caller, const Profile& member, absl::string_view field) {
  if (caller.is_admin() || caller.is_staff_of(member.chamber_id()) ||
      caller.is_member(member.id())) {
    return absl::OkStatus();
  }
  return Denied(caller, absl::StrCat("act for profile '", member.id(), "' (", field, ")"));
}

bool SeesPrivatePartners(const Caller& caller, const Profile& member) {
  return caller.is_admin() || caller.is_staff_of(member.chamber_id());
}

bool PartnerVisible(const Caller& caller, const Profile& member, const Profile& partner,
                    absl::Time now) {
  if (partner.id() == member.id()) return false;
  const int64_t valid_until =
      partner.has_valid_until() ? partner.valid_until().seconds() : matcher::kNoEnd;
  return matcher::PartnerVisible(partner.visibility(), partner.chamber_id() == member.chamber_id(),
                                 SeesPrivatePartners(caller, member), valid_until,
                                 absl::ToUnixSeconds(now));
}

Caller ChamberStaff(absl::string_view chamber_id) {
  Caller staff;
  staff.role = socio::v1::STAFF;
  staff.chamber_id = std::string(chamber_id);
  return staff;
}

bool CallerAccess::CanRead(const Profile& profile) const {
  return services::CanRead(caller_, profile);
}

bool CallerAccess::SeesPrivatePartners(const Profile& member) const {
  return services::SeesPrivatePartners(caller_, member);
}

bool CallerAccess::PartnerVisible(const Profile& member, const Profile& partner,
                                  absl::Time now) const {
  return services::PartnerVisible(caller_, member, partner, now);
}

std::string CallerAccess::Pseudonym(const Profile& profile) const {
  if (disclosure_ == nullptr || !profile.anonymous()) return "";
  if (!call_.has_value()) call_.emplace(disclosure_, caller_);
  return call_->Sees(profile) ? "" : profile.handle();
}

}  // namespace socio::services
