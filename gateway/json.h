// The gateway's JSON: messages to and from the protobuf JSON mapping, the
// error body every failure has, and how gRPC's codes become HTTP statuses.
//
//   socio::v1::Profile profile;
//   if (absl::Status s = ParseJsonBody(request.body, &profile); !s.ok()) {
//     return ErrorResponse(s);                    // 400 with the parser's message
//   }
//   return JsonResponse(created, 201);
//
// Internal to the gateway (gateway/).
#ifndef SOCIO_GATEWAY_JSON_H_
#define SOCIO_GATEWAY_JSON_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/router.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace socio::gateway {

// INVALID_ARGUMENT, OUT_OF_RANGE 400; UNAUTHENTICATED 401; PERMISSION_DENIED
// 403; NOT_FOUND 404; ALREADY_EXISTS, ABORTED 409; FAILED_PRECONDITION 412;
// RESOURCE_EXHAUSTED 429; UNAVAILABLE 503; DEADLINE_EXCEEDED 504; any other
// code 500. REQUIRES: code is not OK.
int HttpStatusOf(absl::StatusCode code);

// `status` (not OK) as `{"error": {"code": "NOT_FOUND", "message": "..."}}`
// with HttpStatusOf(code), or `http_status` when given.
ApiResponse ErrorResponse(const absl::Status& status);
ApiResponse ErrorResponse(int http_status, const absl::Status& status);

// `message` in the JSON mapping (fields with default values left out) with
// `http_status`; 500 if it cannot be printed.
ApiResponse JsonResponse(const google::protobuf::Message& message, int http_status = 200);

// Parses a request body into `*message`. Unknown fields are errors, so a
// typo is not silently dropped. An empty body is an empty message.
// INVALID_ARGUMENT with the parser's message.
absl::Status ParseJsonBody(absl::string_view body, google::protobuf::Message* message);

// The update mask a PATCH body implies: the proto names of the body's
// top-level keys ("targetMarkets" -> "target_markets"), `path_field` ("id")
// left out: the path names the resource. REQUIRES: `body` parsed into a
// `descriptor` message already (its keys are fields). INVALID_ARGUMENT if
// the body is not an object or names no field besides `path_field`: there is
// nothing to change.
absl::StatusOr<google::protobuf::FieldMask> MaskOfBody(
    absl::string_view body, const google::protobuf::Descriptor& descriptor,
    absl::string_view path_field);

// A PATCH body for the resource `id` names in the path: parsed into
// `*message`, its mask from its keys (MaskOfBody), message->id() set to
// `id`. INVALID_ARGUMENT if the body names a different id.
template <typename Message>
absl::Status ParsePatchBody(absl::string_view body, const std::string& id, Message* message,
                            google::protobuf::FieldMask* mask) {
  if (absl::Status parsed = ParseJsonBody(body, message); !parsed.ok()) return parsed;
  if (!message->id().empty() && message->id() != id) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: id '", message->id(), "' differs from the path's '", id, "'"));
  }
  absl::StatusOr<google::protobuf::FieldMask> from_keys =
      MaskOfBody(body, *message->GetDescriptor(), "id");
  if (!from_keys.ok()) return from_keys.status();
  *mask = *std::move(from_keys);
  message->set_id(id);
  return absl::OkStatus();
}

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view text);

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_JSON_H_
