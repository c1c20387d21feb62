#include "clients/profile_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::ProfileService;

ProfileClient::ProfileClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(ProfileService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::Profile> ProfileClient::CreateProfile(
    const socio::v1::CreateProfileRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ProfileService::Stub::CreateProfile, request, call);
}

absl::StatusOr<socio::v1::Profile> ProfileClient::GetProfile(
    const socio::v1::GetProfileRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ProfileService::Stub::GetProfile, request, call);
}

absl::StatusOr<socio::v1::Profile> ProfileClient::UpdateProfile(
    const socio::v1::UpdateProfileRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ProfileService::Stub::UpdateProfile, request, call);
}

absl::StatusOr<socio::v1::DeleteProfileResponse> ProfileClient::DeleteProfile(
    const socio::v1::DeleteProfileRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ProfileService::Stub::DeleteProfile, request, call);
}

absl::StatusOr<socio::v1::ListProfilesResponse> ProfileClient::ListProfiles(
    const socio::v1::ListProfilesRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ProfileService::Stub::ListProfiles, request, call);
}

absl::StatusOr<std::unique_ptr<ImportStream>> ProfileClient::StartImport(
    const CallOptions& call) const {
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> context = channel_->NewContext(call);
  if (!context.ok()) return context.status();
  return std::make_unique<ImportStream>(*std::move(context), stub_.get(),
                                        call.answered_consistency_token);
}

absl::StatusOr<std::unique_ptr<WatchStream>> ProfileClient::WatchProfiles(
    const socio::v1::WatchProfilesRequest& request, const CallOptions& call) const {
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> context =
      channel_->NewContext(call, /*streaming_read=*/true);
  if (!context.ok()) return context.status();
  auto reader = stub_->WatchProfiles(context->get(), request);
  return std::make_unique<WatchStream>(*std::move(context), std::move(reader));
}

}  // namespace socio::clients
