#include "services/profile_lookup.h"

namespace socio::services {

absl::StatusOr<socio::v1::Profile> RemoteProfileLookup::GetProfile(const std::string& id) const {
  socio::v1::GetProfileRequest request;
  request.set_id(id);
  return profiles_.GetProfile(request);
}

absl::StatusOr<std::string> RemoteProfileLookup::IdOfHandle(const std::string& handle) const {
  absl::StatusOr<socio::v1::Profile> profile = GetProfile(handle);
  if (!profile.ok()) return profile.status();
  return profile->id();
}

}  // namespace socio::services
