#include "services/call_scope.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/grpc_status.h"
#include "services/request_metrics.h"

namespace socio::services {

namespace {

// The caller of `context`, once authenticated and (on a cluster node)
// admitted by the consistency gate; noted for the request log.
// `*authenticated`: whether the caller's token was accepted.
absl::StatusOr<Caller> Admit(const Authenticator& auth, const grpc::ServerContext& context,
                             bool* authenticated) {
  absl::StatusOr<Caller> caller = auth.Authenticate(context);
  *authenticated = caller.ok();
  if (!caller.ok()) return caller;
  NoteCaller(context, caller->Key());
  if (const ConsistencyGate* gate = auth.consistency(); gate != nullptr) {
    if (absl::Status admitted = gate->Admit(context); !admitted.ok()) return admitted;
  }
  return caller;
}

// `status` as gRPC sends it; for an authenticated caller of a cluster node,
// with the consistency token of what the node has applied now.
grpc::Status Finish(const Authenticator& auth, grpc::ServerContext* context, bool authenticated,
                    const absl::Status& status) {
  if (authenticated && auth.consistency() != nullptr) auth.consistency()->Stamp(context);
  return ToGrpcStatus(status);
}

}  // namespace

grpc::Status Serve(const Authenticator& auth, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Caller&)> body) {
  bool authenticated = false;
  absl::StatusOr<Caller> caller = Admit(auth, *context, &authenticated);
  return Finish(auth, context, authenticated, caller.ok() ? body(*caller) : caller.status());
}

grpc::Status Serve(const Authenticator& auth, const Disclosure* disclosure,
                   grpc::ServerContext* context, const google::protobuf::Message& request,
                   google::protobuf::Message* response,
                   absl::FunctionRef<absl::Status(const Caller&)> body) {
  bool authenticated = false;
  absl::StatusOr<Caller> caller = Admit(auth, *context, &authenticated);
  if (!caller.ok()) return Finish(auth, context, authenticated, caller.status());
  Disclosure::Call call(disclosure, *caller);
  absl::Status status =
      call.TakeRequest(const_cast<google::protobuf::Message*>(&request));  // see the header
  if (status.ok()) status = body(*caller);
  if (status.ok()) {
    call.Show(response);
  } else {
    status = call.ShowStatus(status);
  }
  return Finish(auth, context, true, status);
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
