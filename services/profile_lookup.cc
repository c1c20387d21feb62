#include "services/profile_lookup.h"

#include <utility>

#include "services/grpc_status.h"

namespace socio::services {

RemoteProfileLookup::RemoteProfileLookup(std::shared_ptr<grpc::ChannelInterface> profiles,
                                         const RemoteCallOptions& options)
    : stub_(socio::v1::ProfileService::NewStub(std::move(profiles))), options_(options) {}

absl::StatusOr<socio::v1::Profile> RemoteProfileLookup::GetProfile(const std::string& id) const {
  grpc::ClientContext context;
  PrepareCall(options_, &context);
  socio::v1::GetProfileRequest request;
  request.set_id(id);
  socio::v1::Profile profile;
  if (grpc::Status status = stub_->GetProfile(&context, request, &profile); !status.ok()) {
    return FromGrpcStatus(status);
  }
  return profile;
}

}  // namespace socio::services
