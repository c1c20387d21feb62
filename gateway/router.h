// The gateway's routing: HTTP requests as the route handlers see them, their
// answers, and the table from method and path to handler. Paths follow
// Google's API conventions: segments separated by '/', each a literal or a
// "{name}" parameter, and an optional custom verb after the last one
// ("/delegations/{id}:plan").
//
//   Router router("/api/v1");
//   router.Add("GET", "/profiles/{id}", [](const ApiRequest& request) {
//     return ...;   // request.path_params.at("id"), percent-decoded
//   });
//   ApiResponse response = router.Dispatch("GET", "/api/v1/profiles/de-1", &request);
//
// Internal to the gateway (gateway/).
#ifndef SOCIO_GATEWAY_ROUTER_H_
#define SOCIO_GATEWAY_ROUTER_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::gateway {

// One HTTP request, as a handler sees it.
struct ApiRequest {
  // "GET", "POST", ...; HEAD is routed as GET.
  std::string method;
  // The path's parameters by name, percent-decoded. Set by Router::Dispatch.
  absl::flat_hash_map<std::string, std::string> path_params;
  // The query's parameters, percent-decoded ('+' is a space).
  std::multimap<std::string, std::string> query;
  // The body; valid while the handler runs. Of a multipart/form-data body
  // (a browser's form upload), the file: its first part with a file name,
  // else its first part.
  absl::string_view body;
  // The Content-Type header (of a multipart body, the file part's); "" when
  // absent.
  std::string content_type;
  // The file name a multipart body gave its file part; "" otherwise.
  std::string file_name;
  // The Authorization header; "" when absent.
  std::string authorization;
  // The Idempotency-Key header; "" when absent. See RequestIdOf.
  std::string idempotency_key;
  // The Socio-Consistency-Token header, sent on with each call CallOf
  // makes; "" when absent.
  std::string consistency_token;
  // The consistency token the last call CallOf made was answered with
  // (a cluster node's), sent back as the Socio-Consistency-Token header.
  mutable std::string answered_consistency_token;
};

// What goes back.
struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  // More headers (Allow, Content-Disposition).
  std::vector<std::pair<std::string, std::string>> headers;
};

class Router {
 public:
  using Handler = std::function<ApiResponse(const ApiRequest&)>;

  // Every pattern Add is given is prefixed with `prefix` ("/api/v1").
  explicit Router(std::string prefix) : prefix_(std::move(prefix)) {}

  // Routes `method` requests for paths matching prefix + `pattern` to
  // `handler`. REQUIRES: `pattern` starts with '/'; method and pattern are
  // not yet routed.
  void Add(absl::string_view method, absl::string_view pattern, Handler handler);

  // Calls the handler for `method` and `raw_path` (the whole path as sent,
  // prefix included, still percent-encoded, without the query) after setting
  // request->path_params. When no pattern matches the path: 404; when some
  // do but not for this method: 405 with an Allow header; a malformed
  // percent-escape in a parameter: 400. Errors have the JSON error body.
  ApiResponse Dispatch(absl::string_view method, absl::string_view raw_path,
                       ApiRequest* request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // a literal, or "{name}"
    std::string verb;                   // "" for none
    Handler handler;
  };
  const std::string prefix_;
  std::vector<Route> routes_;
};

// "a=1&b=x+y" -> {a: "1", b: "x y"}: names and values percent-decoded, '+'
// a space, a name without '=' an empty value. INVALID_ARGUMENT for a
// malformed percent-escape.
absl::StatusOr<std::multimap<std::string, std::string>> ParseQuery(absl::string_view query);

// "%2F" -> "/"; INVALID_ARGUMENT for a '%' not followed by two hex digits.
// '+' stays '+' (it means a space only in queries).
absl::StatusOr<std::string> PercentDecode(absl::string_view text);

// Query parameters. INVALID_ARGUMENT naming a parameter the route does not
// take (a typo would otherwise be ignored silently) or one given twice.
absl::Status CheckQuery(const ApiRequest& request, std::initializer_list<absl::string_view> names);
// The parameter's value; "" when absent.
std::string QueryString(const ApiRequest& request, absl::string_view name);
// Parse the parameter into `*value` if present (else leave it);
// INVALID_ARGUMENT naming it if it does not parse.
absl::Status QueryInt32(const ApiRequest& request, absl::string_view name, int32_t* value);
absl::Status QueryInt64(const ApiRequest& request, absl::string_view name, int64_t* value);
// true/false (also 1/0, yes/no).
absl::Status QueryBool(const ApiRequest& request, absl::string_view name, bool* value);

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_ROUTER_H_
