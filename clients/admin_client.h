// AdminClient: AdminService of a sociod (tokens, backups and statistics), one method per rpc, each
// answering the response or the call's error (code and message as the
// server gave them). Over a Channel (clients/channel.h); see ProfileClient
// (clients/profile_client.h) for an example.
//
// WhoAmI, ListTokens and GetStats are retried on UNAVAILABLE (ClientOptions); the
// others are not.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_ADMIN_CLIENT_H_
#define SOCIO_CLIENTS_ADMIN_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "socio/v1/admin_service.grpc.pb.h"

namespace socio::clients {

class AdminClient {
 public:
  explicit AdminClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::TokenInfo> WhoAmI(const socio::v1::WhoAmIRequest& request,
                                              const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::IssueTokenResponse> IssueToken(
      const socio::v1::IssueTokenRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::TokenInfo> RevokeToken(const socio::v1::RevokeTokenRequest& request,
                                                   const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListTokensResponse> ListTokens(
      const socio::v1::ListTokensRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::BackupResponse> Backup(const socio::v1::BackupRequest& request,
                                                   const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Stats> GetStats(const socio::v1::GetStatsRequest& request,
                                            const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::AdminService::Stub> stub_;
};

// HealthClient: the standard gRPC health service (grpc.health.v1) of a
// sociod, for the whole server (service ""). Check is retried on UNAVAILABLE.
class HealthClient {
 public:
  explicit HealthClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<grpc::health::v1::HealthCheckResponse> Check(
      const grpc::health::v1::HealthCheckRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_ADMIN_CLIENT_H_
