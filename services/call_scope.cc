#include "services/call_scope.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/grpc_status.h"
#include "services/request_metrics.h"

namespace socio::services {

grpc::Status Serve(const Authenticator& auth, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Caller&)> body) {
  absl::StatusOr<Caller> caller = auth.Authenticate(*context);
  if (caller.ok()) NoteCaller(*context, caller->Key());
  return ToGrpcStatus(caller.ok() ? body(*caller) : caller.status());
}

grpc::Status Serve(const Authenticator& auth, const Disclosure* disclosure,
                   grpc::ServerContext* context, const google::protobuf::Message& request,
                   google::protobuf::Message* response,
                   absl::FunctionRef<absl::Status(const Caller&)> body) {
  absl::StatusOr<Caller> caller = auth.Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  NoteCaller(*context, caller->Key());
  Disclosure::Call call(disclosure, *caller);
  absl::Status status =
      call.TakeRequest(const_cast<google::protobuf::Message*>(&request));  // see the header
  if (status.ok()) status = body(*caller);
  if (status.ok()) {
    call.Show(response);
  } else {
    status = call.ShowStatus(status);
  }
  return ToGrpcStatus(status);
}

absl::Status WatchGoesOn(grpc::ServerContext* context, bool shutting_down, uint64_t after) {
  if (context->IsCancelled()) return absl::CancelledError("watch cancelled by the client");
  if (shutting_down) {
    return absl::UnavailableError(
        absl::StrCat("server is shutting down; resume after sequence ", after));
  }
  return absl::OkStatus();
}

}  // namespace socio::services
