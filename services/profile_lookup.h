// ProfileLookup: reads one member profile by id, from the local store or, in
// a process without one (the matcher role), from the profile role over gRPC.
// MatchService uses it for the member's chamber (whose policy applies).
//
//   StoreProfileLookup local(store);
//   RemoteProfileLookup remote(clients::Channel::Open({.address = address, .token = token}));
//   absl::StatusOr<socio::v1::Profile> member = remote.GetProfile("mx-0001");
#ifndef SOCIO_SERVICES_PROFILE_LOOKUP_H_
#define SOCIO_SERVICES_PROFILE_LOOKUP_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "clients/profile_client.h"
#include "socio/v1/profile.pb.h"
#include "storage/profile_store.h"

namespace socio::services {

// Thread safety: implementations may be called from any thread.
class ProfileLookup {
 public:
  virtual ~ProfileLookup() = default;
  // The stored profile. NOT_FOUND if there is none; a remote lookup also
  // fails with the code and message of the failed call (UNAVAILABLE,
  // DEADLINE_EXCEEDED, PERMISSION_DENIED, ...).
  virtual absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const = 0;
  // The id of the profile whose handle (Profile.handle) is `handle`;
  // NOT_FOUND if none is; a remote lookup's errors as GetProfile's.
  virtual absl::StatusOr<std::string> IdOfHandle(const std::string& handle) const = 0;
};

class StoreProfileLookup final : public ProfileLookup {
 public:
  // `store` is not owned and must outlive the lookup.
  explicit StoreProfileLookup(const storage::ProfileStore* store) : store_(store) {}
  absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const override {
    return store_->Get(id);
  }
  absl::StatusOr<std::string> IdOfHandle(const std::string& handle) const override {
    return store_->IdOfHandle(handle);
  }

 private:
  const storage::ProfileStore* const store_;
};

// ProfileService.GetProfile on the profile role, one call per lookup, with
// the channel's token and deadline (retried on UNAVAILABLE, see
// clients/client_options.h).
class RemoteProfileLookup final : public ProfileLookup {
 public:
  explicit RemoteProfileLookup(std::shared_ptr<const clients::Channel> profiles)
      : profiles_(std::move(profiles)) {}
  absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const override;
  // GetProfile of the handle, which the profile role takes for the id.
  absl::StatusOr<std::string> IdOfHandle(const std::string& handle) const override;

 private:
  const clients::ProfileClient profiles_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_PROFILE_LOOKUP_H_
