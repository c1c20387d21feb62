#include "gateway/json.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace socio::gateway {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kFailedPrecondition:
      return 412;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

ApiResponse ErrorResponse(const absl::Status& status) {
  return ErrorResponse(HttpStatusOf(status.code()), status);
}

ApiResponse ErrorResponse(int http_status, const absl::Status& status) {
  ApiResponse response;
  response.status = http_status;
  response.body =
      absl::StrCat(R"({"error":{"code":)", JsonQuote(absl::StatusCodeToString(status.code())),
                   R"(,"message":)", JsonQuote(status.message()), "}}");
  return response;
}

ApiResponse JsonResponse(const google::protobuf::Message& message, int http_status) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  ApiResponse response;
  response.status = http_status;
  auto printed = google::protobuf::util::MessageToJsonString(message, &response.body, options);
  if (!printed.ok()) {
    return ErrorResponse(absl::InternalError(
        absl::StrCat("cannot print the answer as JSON: ",
                     absl::string_view(printed.message().data(), printed.message().size()))));
  }
  return response;
}

absl::Status ParseJsonBody(absl::string_view body, google::protobuf::Message* message) {
  if (absl::StripAsciiWhitespace(body).empty()) {
    message->Clear();
    return absl::OkStatus();
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), message, options);
  if (parsed.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("body: ", absl::string_view(parsed.message().data(), parsed.message().size())));
}

absl::StatusOr<google::protobuf::FieldMask> MaskOfBody(
    absl::string_view body, const google::protobuf::Descriptor& descriptor,
    absl::string_view path_field) {
  google::protobuf::Struct object;
  if (absl::Status parsed = ParseJsonBody(body, &object); !parsed.ok()) return parsed;
  google::protobuf::FieldMask mask;
  for (const auto& [key, value] : object.fields()) {
    const google::protobuf::FieldDescriptor* field = nullptr;
    for (int i = 0; i < descriptor.field_count() && field == nullptr; ++i) {
      const google::protobuf::FieldDescriptor* candidate = descriptor.field(i);
      if (candidate->json_name() == key || candidate->name() == key) field = candidate;
    }
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("body: ", descriptor.name(), " has no field '", key, "'"));
    }
    if (field->name() != path_field) mask.add_paths(field->name());
  }
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: name at least one field of the ", descriptor.name(), " to change"));
  }
  // Struct's map has no order; sociod does not care, but logs read better sorted.
  std::sort(mask.mutable_paths()->begin(), mask.mutable_paths()->end());
  return mask;
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, absl::StrFormat("\\u%04x", static_cast<unsigned char>(c)));
        } else {
          out += c;  // UTF-8 passes through as it is
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace socio::gateway
