// How the gateway calls sociod for one HTTP request: the request's
// Authorization header passed through as the call's `authorization`
// metadata, the gateway's deadline, and the answer turned back into HTTP.
//
//   GetProfileRequest get;
//   get.set_id(request.path_params.at("id"));
//   return CallUnary(deadline, request, stub, &ProfileService::Stub::GetProfile, get);
//
// Internal to the gateway (services/gateway*).
#ifndef SOCIO_SERVICES_GATEWAY_CALL_H_
#define SOCIO_SERVICES_GATEWAY_CALL_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "services/gateway_json.h"
#include "services/gateway_router.h"
#include "services/grpc_status.h"

namespace socio::services::gateway {

// A context for one call made for `request`: deadline from now, and the
// Authorization header as it came. UNAUTHENTICATED if the header holds
// characters gRPC metadata cannot carry (outside printable ASCII).
absl::StatusOr<std::unique_ptr<grpc::ClientContext>> NewCallContext(const ApiRequest& request,
                                                                    absl::Duration deadline);

// The request_id (AIP-155) a create, import or plan made for `request`
// sends: its Idempotency-Key header as it came (sociod checks it), so that
// the HTTP client's retry is answered as its first try; without one, a fresh
// id for this HTTP request.
std::string RequestIdOf(const ApiRequest& request);

// Calls a unary RPC and answers with its response as JSON and `ok_status`,
// or with the error mapped by HttpStatusOf.
template <typename Stub, typename Request, typename Response>
ApiResponse CallUnary(absl::Duration deadline, const ApiRequest& http, Stub* stub,
                      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                      const Request& request, int ok_status = 200) {
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> context = NewCallContext(http, deadline);
  if (!context.ok()) return ErrorResponse(context.status());
  Response response;
  const grpc::Status status = (stub->*method)(context->get(), request, &response);
  if (!status.ok()) return ErrorResponse(FromGrpcStatus(status));
  return JsonResponse(response, ok_status);
}

}  // namespace socio::services::gateway

#endif  // SOCIO_SERVICES_GATEWAY_CALL_H_
