// How the gateway calls sociod for one HTTP request, through the client
// library (clients/): the request's Authorization header passed through as
// the call's `authorization` metadata, and the answer turned back into HTTP.
//
//   GetProfileRequest get;
//   get.set_id(request.path_params.at("id"));
//   return CallResponse(backend.profiles.GetProfile(get, CallOf(request)));
//
// Internal to the gateway (gateway/).
#ifndef SOCIO_GATEWAY_CALL_H_
#define SOCIO_GATEWAY_CALL_H_

#include <string>

#include "absl/status/statusor.h"
#include "clients/client_options.h"
#include "gateway/json.h"
#include "gateway/router.h"

namespace socio::gateway {

// The options of a call made for `request`: its Authorization header as it
// came (none without one); the client's deadline.
clients::CallOptions CallOf(const ApiRequest& request);

// The request_id (AIP-155) a create, import or plan made for `request`
// sends: its Idempotency-Key header as it came (sociod checks it), so that
// the HTTP client's retry is answered as its first try; without one, a fresh
// id for this HTTP request.
std::string RequestIdOf(const ApiRequest& request);

// `name` made safe for Content-Disposition's quoted string: quotes,
// backslashes, path separators and control characters become '_'.
std::string SafeFileName(std::string name);

// The response of a call as JSON with `ok_status`, or its error mapped by
// HttpStatusOf.
template <typename Response>
ApiResponse CallResponse(const absl::StatusOr<Response>& response, int ok_status = 200) {
  if (!response.ok()) return ErrorResponse(response.status());
  return JsonResponse(*response, ok_status);
}

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_CALL_H_
