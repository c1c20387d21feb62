#include "gateway/gateway.h"

#include <algorithm>
#include <exception>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/channel.h"
#include "clients/client_options.h"
#include "gateway/json.h"
#include "gateway/router.h"
#include "gateway/routes.h"
#include "gateway/static_files.h"
#include "http/listener.h"
#include "httplib.h"

namespace socio::gateway {
namespace {

constexpr char kApiPrefix[] = "/api/v1";

// One HTTP request: the API under /api/, the web console's files elsewhere.
// `body`, `content_type` and `file_name` as ApiRequest has them.
ApiResponse Answer(const Router& router, const StaticFiles* files, const httplib::Request& http,
                   absl::string_view body, std::string content_type, std::string file_name) {
  const absl::string_view target = http.target;
  const size_t query_start = std::min(target.find('?'), target.size());
  const absl::string_view path = target.substr(0, query_start);
  if (path == "/api" || absl::StartsWith(path, "/api/")) {
    ApiRequest request;
    request.method = http.method;
    // Not httplib's params, which mix in a form-encoded body's fields.
    absl::StatusOr<std::multimap<std::string, std::string>> query =
        ParseQuery(target.substr(std::min(query_start + 1, target.size())));
    if (!query.ok()) return ErrorResponse(query.status());
    request.query = *std::move(query);
    request.body = body;
    request.content_type = std::move(content_type);
    request.file_name = std::move(file_name);
    request.authorization = http.get_header_value("Authorization");
    request.idempotency_key = http.get_header_value("Idempotency-Key");
    request.consistency_token = http.get_header_value(kConsistencyTokenHeader);
    ApiResponse response = router.Dispatch(http.method, path, &request);
    if (!request.answered_consistency_token.empty()) {
      response.headers.emplace_back(kConsistencyTokenHeader, request.answered_consistency_token);
    }
    // Answers speak for one caller at one moment: no cache keeps them.
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }
  if (files == nullptr) {
    return ErrorResponse(
        absl::NotFoundError(absl::StrCat("no route for ", http.method, " ", path)));
  }
  if (http.method != "GET" && http.method != "HEAD") {
    ApiResponse response = ErrorResponse(
        405, absl::UnimplementedError(absl::StrCat(path, " takes GET, not ", http.method)));
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  return files->Serve(path, http.get_header_value("If-None-Match"));
}

// The headers every answer carries, whatever made it. The console loads
// its scripts, styles and images from the gateway alone, with no inline
// script or style; nobody may frame it (clickjacking), browsers must not
// guess types, and no URL leaks to other sites in a Referer.
void AddSecurityHeaders(httplib::Response& out) {
  out.set_header("Content-Security-Policy", kContentSecurityPolicy);
  out.set_header("X-Frame-Options", "DENY");
  out.set_header("X-Content-Type-Options", "nosniff");
  out.set_header("Referrer-Policy", "no-referrer");
  if (!out.has_header("Cache-Control")) out.set_header("Cache-Control", "no-store");
}

void Reply(ApiResponse response, httplib::Response& out) {
  out.status = response.status;
  for (auto& [name, value] : response.headers) out.set_header(name, value);
  AddSecurityHeaders(out);
  if (response.status == 304) return;  // no body, and no Content-Type for it
  out.set_content(std::move(response.body), response.content_type);
}

// An error httplib answers by itself, before any route: what it means.
absl::Status HttpError(int http_status, size_t max_body_bytes) {
  switch (http_status) {
    case 413:
      return absl::ResourceExhaustedError(
          absl::StrCat("the request body is larger than ", max_body_bytes, " bytes"));
    case 400:
    case 414:
    case 431:
      return absl::InvalidArgumentError(absl::StrCat("malformed HTTP request (", http_status, ")"));
    case 404:
      return absl::NotFoundError("no such route");
    default:
      return absl::UnknownError(absl::StrCat("HTTP error ", http_status));
  }
}

}  // namespace

Gateway::Gateway() = default;

Gateway::~Gateway() { Stop(); }

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(const GatewayOptions& options) {
  std::string server_host;
  int server_port = 0;
  if (absl::Status s = http::SplitHostPort("server", options.server, &server_host, &server_port);
      !s.ok()) {
    return s;
  }
  if (options.threads < 1) return absl::InvalidArgumentError("threads: must be at least 1");
  clients::ClientOptions client;
  client.address = options.server;
  client.tls_ca = options.tls_ca;
  client.deadline = options.deadline;
  client.max_message_bytes = options.max_message_bytes;
  std::shared_ptr<const clients::Channel> channel = clients::Channel::Open(client);
  if (!channel->status().ok()) return channel->status();

  std::unique_ptr<Gateway> gateway(new Gateway());
  if (!options.web_dir.empty()) {
    absl::StatusOr<StaticFiles> files = StaticFiles::Open(options.web_dir);
    if (!files.ok()) return files.status();
    gateway->files_ = std::make_unique<StaticFiles>(*std::move(files));
  }
  gateway->router_ = std::make_unique<Router>(kApiPrefix);
  AddApiRoutes(std::make_shared<Backend>(channel), gateway->router_.get());
  if (absl::Status s = gateway->Listen(options); !s.ok()) return s;
  return gateway;
}

absl::Status Gateway::Listen(const GatewayOptions& options) {
  std::unique_ptr<httplib::Server> server = http::NewServer(options.threads);
  server->set_payload_max_length(options.max_body_bytes);

  // Every path and method comes to Answer, which routes them itself (httplib
  // would answer a known path's other methods with 404, not 405).
  const auto without_body = [router = router_.get(), files = files_.get()](
                                const httplib::Request& request, httplib::Response& out) {
    Reply(Answer(*router, files, request, "", request.get_header_value("Content-Type"), ""), out);
  };
  // Requests with a body read it here: httplib's own reading would parse a
  // form-encoded body into the query's parameters and refuse one over 8 KiB.
  const auto with_body = [router = router_.get(), files = files_.get()](
                             const httplib::Request& request, httplib::Response& out,
                             const httplib::ContentReader& read) {
    std::string body;
    std::string content_type = request.get_header_value("Content-Type");
    std::string file_name;
    bool read_all = false;
    if (request.is_multipart_form_data()) {
      // The first part with a file name, else the first part.
      int parts = 0;
      bool chosen = false;  // whether the part being read is the one kept
      read_all = read(
          [&](const httplib::MultipartFormData& part) {
            const bool better = parts == 0 || (file_name.empty() && !part.filename.empty());
            ++parts;
            chosen = better;
            if (better) {
              body.clear();
              content_type = part.content_type;
              file_name = part.filename;
            }
            return true;
          },
          [&](const char* data, size_t size) {
            if (chosen) body.append(data, size);
            return true;
          });
    } else {
      read_all = read([&](const char* data, size_t size) {
        body.append(data, size);
        return true;
      });
    }
    if (!read_all) {
      // httplib set 413 for a body over the limit; the error handler adds
      // the JSON body.
      if (out.status < 400) out.status = 400;
      return;
    }
    Reply(Answer(*router, files, request, body, std::move(content_type), std::move(file_name)),
          out);
  };
  server->Get(".*", without_body);
  server->Options(".*", without_body);
  server->Post(".*", without_body);
  server->Post(".*", with_body);
  server->Put(".*", without_body);
  server->Put(".*", with_body);
  server->Patch(".*", without_body);
  server->Patch(".*", with_body);
  server->Delete(".*", without_body);
  server->Delete(".*", with_body);
  // httplib's own errors (413 for a body over the limit, 400 for a request
  // it cannot parse) get the same JSON body as ours.
  const httplib::Server::HandlerWithResponse on_error =
      [max_body_bytes = options.max_body_bytes](const httplib::Request&, httplib::Response& out) {
        if (!out.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        ApiResponse response = ErrorResponse(out.status, HttpError(out.status, max_body_bytes));
        AddSecurityHeaders(out);
        out.set_content(std::move(response.body), response.content_type);
        return httplib::Server::HandlerResponse::Handled;
      };
  server->set_error_handler(on_error);
  server->set_exception_handler(
      [](const httplib::Request&, httplib::Response& out, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        ApiResponse response = ErrorResponse(absl::InternalError(what));
        out.status = response.status;
        AddSecurityHeaders(out);
        out.set_content(std::move(response.body), response.content_type);
      });

  absl::StatusOr<std::unique_ptr<http::Listener>> listener =
      http::Listener::Start(std::move(server), options.listen);
  if (!listener.ok()) return listener.status();
  listener_ = *std::move(listener);
  return absl::OkStatus();
}

std::string Gateway::address() const { return listener_ == nullptr ? "" : listener_->address(); }

void Gateway::Stop() {
  if (listener_ != nullptr) listener_->Stop();
}

}  // namespace socio::gateway
