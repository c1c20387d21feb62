// Serve: the opening and the closing every Socio handler shares, written
// once. It authenticates the call, tells the request log who made it, runs
// the handler's body with the Caller and converts the body's absl::Status to
// the grpc::Status gRPC sends (same code, same message).
//
//   grpc::Status ProfileServiceImpl::GetProfile(grpc::ServerContext* context,
//                                               const GetProfileRequest* request,
//                                               Profile* response) {
//     return Serve(*auth_, context, [&](const Caller& caller) -> absl::Status {
//       absl::StatusOr<Profile> profile = ReadProfile(..., caller, request->id(), "id");
//       if (!profile.ok()) return profile.status();
//       *response = *std::move(profile);
//       return absl::OkStatus();
//     });
//   }
//
// A call whose token is refused gets UNAUTHENTICATED (see auth.h) and the
// body does not run. The body fills the response itself; gRPC sends it only
// with an OK status.
//
// Why a function rather than a server interceptor: gRPC's server
// interceptors cannot end a call before its handler runs, nor hand the
// handler anything (the Caller), so the handler would check the token
// again; and they would run for the health and reflection services, which
// need no token.
#ifndef SOCIO_SERVICES_CALL_SCOPE_H_
#define SOCIO_SERVICES_CALL_SCOPE_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "services/auth.h"
#include "services/disclosure.h"

namespace socio::services {

// Authenticates the call `context` with `auth` and returns what `body`
// returns for its Caller, as a grpc::Status. `body` runs on the calling
// thread, at most once, before Serve returns.
grpc::Status Serve(const Authenticator& auth, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Caller&)> body);

// The same for a call whose request and response name profiles: `request`
// has its handles taken for ids before `body` runs, and `response` (or the
// error) is shown to the caller as `disclosure` rules (see disclosure.h)
// after. `disclosure` may be null: nothing is changed.
//
// `request` is the message gRPC handed the handler: Serve rewrites it in
// place (gRPC's pointer is to const, the message itself is not), so a body
// reads ids where the caller sent handles.
grpc::Status Serve(const Authenticator& auth, const Disclosure* disclosure,
                   grpc::ServerContext* context, const google::protobuf::Message& request,
                   google::protobuf::Message* response,
                   absl::FunctionRef<absl::Status(const Caller&)> body);

// A body's last step: moves `result` into `response` and returns OK, or
// returns its error and leaves `response` alone.
//
//   return Respond(delegations_->Get(request->id()), response);
template <typename Message>
absl::Status Respond(absl::StatusOr<Message> result, Message* response) {
  if (!result.ok()) return result.status();
  *response = *std::move(result);
  return absl::OkStatus();
}

// Whether a watch stream (WatchProfiles, WatchNotifications) goes on: OK, or
// CANCELLED when the client cancelled, or UNAVAILABLE saying where to resume
// (after sequence `after`) when the server is shutting down.
absl::Status WatchGoesOn(grpc::ServerContext* context, bool shutting_down, uint64_t after);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_CALL_SCOPE_H_
