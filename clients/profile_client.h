// ProfileClient: ProfileService of a sociod, one method per rpc, each
// answering the response or the call's error (code and message as the
// server gave them). Over a Channel (clients/channel.h).
//
//   ProfileClient profiles(Channel::Open({.address = "127.0.0.1:50051"}));
//   socio::v1::GetProfileRequest get;
//   get.set_id("mx-0001");
//   absl::StatusOr<socio::v1::Profile> profile = profiles.GetProfile(get);
//
// GetProfile and ListProfiles are retried on UNAVAILABLE (ClientOptions);
// the others are not. Whole files are imported with ImportProfiles
// (clients/profile_import.h), which drives StartImport.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_PROFILE_CLIENT_H_
#define SOCIO_CLIENTS_PROFILE_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "clients/import_stream.h"
#include "clients/read_stream.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::clients {

// One WatchProfiles call: the changes as they come, until Finish or Cancel.
using WatchStream = ReadStream<socio::v1::ProfileChange>;

class ProfileClient {
 public:
  explicit ProfileClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::Profile> CreateProfile(const socio::v1::CreateProfileRequest& request,
                                                   const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Profile> GetProfile(const socio::v1::GetProfileRequest& request,
                                                const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Profile> UpdateProfile(const socio::v1::UpdateProfileRequest& request,
                                                   const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::DeleteProfileResponse> DeleteProfile(
      const socio::v1::DeleteProfileRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListProfilesResponse> ListProfiles(
      const socio::v1::ListProfilesRequest& request, const CallOptions& call = {}) const;

  // Opens an ImportProfiles stream (clients/import_stream.h); the summary is
  // Finish's. The client's deadline applies unless `call` gives another.
  absl::StatusOr<std::unique_ptr<ImportStream>> StartImport(const CallOptions& call = {}) const;

  // Opens a WatchProfiles stream. No deadline unless `call` gives one.
  absl::StatusOr<std::unique_ptr<WatchStream>> WatchProfiles(
      const socio::v1::WatchProfilesRequest& request, const CallOptions& call = {}) const;

  const Channel& channel() const { return *channel_; }

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::ProfileService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_PROFILE_CLIENT_H_
