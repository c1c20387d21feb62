#include "services/call_scope.h"

#include "absl/status/statusor.h"
#include "services/grpc_status.h"
#include "services/request_metrics.h"

namespace socio::services {

grpc::Status Serve(const Authenticator& auth, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Caller&)> body) {
  absl::StatusOr<Caller> caller = auth.Authenticate(*context);
  if (caller.ok()) NoteCaller(*context, caller->Key());
  return ToGrpcStatus(caller.ok() ? body(*caller) : caller.status());
}

}  // namespace socio::services
