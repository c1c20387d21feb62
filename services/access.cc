#include "services/access.h"

#include "absl/strings/str_cat.h"

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

absl::Status CheckRead(const Caller& caller, const Profile& profile) {
  if (CanRead(caller, profile)) return absl::OkStatus();
  return Denied(caller, absl::StrCat("read profile '", profile.id(), "'"));
}

absl::Status CheckActsFor(const Caller& caller, const Profile& member, absl::string_view field) {
  if (caller.is_admin() || caller.is_staff_of(member.chamber_id()) ||
      caller.is_member(member.id())) {
    return absl::OkStatus();
  }
  return Denied(caller, absl::StrCat("act for profile '", member.id(), "' (", field, ")"));
}

bool CanSeeAsPartner(const Caller& caller, const Profile& member, const Profile& other) {
  if (caller.role != socio::v1::MEMBER) return CanRead(caller, other);
  if (other.visibility() == Profile::FEDERATION) return true;
  return other.visibility() == Profile::CHAMBER && other.chamber_id() == member.chamber_id();
}

}  // namespace socio::services
