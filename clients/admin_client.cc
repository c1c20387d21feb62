#include "clients/admin_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::AdminService;

AdminClient::AdminClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(AdminService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::TokenInfo> AdminClient::WhoAmI(const socio::v1::WhoAmIRequest& request,
                                                         const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AdminService::Stub::WhoAmI, request, call);
}

absl::StatusOr<socio::v1::IssueTokenResponse> AdminClient::IssueToken(
    const socio::v1::IssueTokenRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AdminService::Stub::IssueToken, request, call);
}

absl::StatusOr<socio::v1::TokenInfo> AdminClient::RevokeToken(
    const socio::v1::RevokeTokenRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AdminService::Stub::RevokeToken, request, call);
}

absl::StatusOr<socio::v1::ListTokensResponse> AdminClient::ListTokens(
    const socio::v1::ListTokensRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AdminService::Stub::ListTokens, request, call);
}

absl::StatusOr<socio::v1::BackupResponse> AdminClient::Backup(
    const socio::v1::BackupRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AdminService::Stub::Backup, request, call);
}

absl::StatusOr<socio::v1::Stats> AdminClient::GetStats(const socio::v1::GetStatsRequest& request,
                                                       const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AdminService::Stub::GetStats, request, call);
}

HealthClient::HealthClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)),
      stub_(grpc::health::v1::Health::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<grpc::health::v1::HealthCheckResponse> HealthClient::Check(
    const grpc::health::v1::HealthCheckRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &grpc::health::v1::Health::Stub::Check, request, call);
}

}  // namespace socio::clients
