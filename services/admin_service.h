// AdminService over gRPC: tokens, backups and the server's figures, for
// operators. Thin handlers over storage::TokenStore and storage::Database.
#ifndef SOCIO_SERVICES_ADMIN_SERVICE_H_
#define SOCIO_SERVICES_ADMIN_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "services/auth.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "storage/database.h"
#include "storage/profile_store.h"
#include "storage/token_store.h"

namespace socio::services {

struct AdminServiceParts {
  const Authenticator* auth = nullptr;
  // The tokens this process keeps; nullptr when another process keeps them
  // (then IssueToken, RevokeToken and ListTokens are FAILED_PRECONDITION).
  storage::TokenStore* tokens = nullptr;
  // Member tokens are issued only for stored profiles; nullptr: not checked.
  const storage::ProfileStore* profiles = nullptr;
  // The data directory Backup copies.
  storage::Database* database = nullptr;
  // Fills in what this process knows beyond the database's figures (role,
  // uptime, the match index).
  std::function<void(socio::v1::Stats*)> add_stats;
};

class AdminServiceImpl final : public socio::v1::AdminService::Service {
 public:
  // None of `parts` is owned; all must outlive the service.
  explicit AdminServiceImpl(AdminServiceParts parts) : parts_(std::move(parts)) {}

  grpc::Status WhoAmI(grpc::ServerContext* context, const socio::v1::WhoAmIRequest* request,
                      socio::v1::TokenInfo* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context,
                          const socio::v1::IssueTokenRequest* request,
                          socio::v1::IssueTokenResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context,
                           const socio::v1::RevokeTokenRequest* request,
                           socio::v1::TokenInfo* response) override;
  grpc::Status ListTokens(grpc::ServerContext* context,
                          const socio::v1::ListTokensRequest* request,
                          socio::v1::ListTokensResponse* response) override;
  grpc::Status Backup(grpc::ServerContext* context, const socio::v1::BackupRequest* request,
                      socio::v1::BackupResponse* response) override;
  grpc::Status GetStats(grpc::ServerContext* context, const socio::v1::GetStatsRequest* request,
                        socio::v1::Stats* response) override;

 private:
  // Serve (call_scope.h) for operators only: `body` runs for an operator's
  // call, others get PERMISSION_DENIED naming `rpc`.
  grpc::Status ServeOperator(grpc::ServerContext* context, const char* rpc,
                             absl::FunctionRef<absl::Status(const Caller&)> body) const;
  // FAILED_PRECONDITION when this process keeps no tokens.
  absl::Status NeedTokens() const;

  const AdminServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_ADMIN_SERVICE_H_
