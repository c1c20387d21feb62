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

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/client_options.h"
#include "gateway/json.h"
#include "gateway/router.h"

namespace socio::gateway {

// The options of a call made for `request`: its Authorization header as it
// came (none without one); its Socio-Consistency-Token header, and where
// the answer's token goes (request.answered_consistency_token); the
// client's deadline.
clients::CallOptions CallOf(const ApiRequest& request);

// The request_id (AIP-155) a create, import or plan made for `request`
// sends: its Idempotency-Key header as it came (sociod checks it), so that
// the HTTP client's retry is answered as its first try; without one, a fresh
// id for this HTTP request.
std::string RequestIdOf(const ApiRequest& request);

// `name` made safe for Content-Disposition's quoted string: quotes,
// backslashes, path separators and control characters become '_'.
std::string SafeFileName(std::string name);

// A call on the resource at the {id} path parameter that takes an optional
// `expected_version` query parameter and no other (DELETE /x/{id}): sets
// `request`'s id and expected_version (0 when absent). INVALID_ARGUMENT
// naming the parameter for any other query parameter or a malformed version.
template <typename Request>
absl::Status IdAndVersionOf(const ApiRequest& r, Request* request) {
  int64_t expected_version = 0;
  absl::Status s = CheckQuery(r, {"expected_version"});
  if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
  if (!s.ok()) return s;
  request->set_id(r.path_params.at("id"));
  request->set_expected_version(expected_version);
  return absl::OkStatus();
}

// A PATCH of the resource at the {id} path parameter: the body's keys are
// the mask (ParsePatchBody, into `resource` and `update`'s update_mask), the
// optional `expected_version` query parameter goes into `update`. Errors as
// IdAndVersionOf's and ParsePatchBody's.
template <typename Update, typename Resource>
absl::Status PatchOf(const ApiRequest& r, Update* update, Resource* resource) {
  int64_t expected_version = 0;
  absl::Status s = CheckQuery(r, {"expected_version"});
  if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
  if (!s.ok()) return s;
  update->set_expected_version(expected_version);
  return ParsePatchBody(r.body, r.path_params.at("id"), resource, update->mutable_update_mask());
}

// The response of a call as JSON with `ok_status`, or its error mapped by
// HttpStatusOf.
template <typename Response>
ApiResponse CallResponse(const absl::StatusOr<Response>& response, int ok_status = 200) {
  if (!response.ok()) return ErrorResponse(response.status());
  return JsonResponse(*response, ok_status);
}

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_CALL_H_
