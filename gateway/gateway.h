// Gateway: Socio's JSON API over HTTP, for browsers and scripts. Each HTTP
// request under /api/v1/ becomes one call to a sociod's gRPC services; the
// messages travel in the protobuf JSON mapping (lowerCamelCase names, enums
// by name, 64-bit integers as strings). The routes, the status mapping and
// examples are in docs/GATEWAY.md; docs/openapi.yaml describes them.
//
//   absl::StatusOr<std::unique_ptr<Gateway>> gateway = Gateway::Start(
//       {.server = "127.0.0.1:50051", .listen = "127.0.0.1:0", .web_dir = "web"});
//   if (!gateway.ok()) return gateway.status();
//   int port = (*gateway)->port();     // the port the kernel picked
//   ...
//   (*gateway)->Stop();
//
// The gateway keeps no state and checks no tokens itself: a request's
// `Authorization: Bearer <token>` header goes unchanged to sociod as the
// call's `authorization` metadata, and sociod answers for it. It speaks
// plain HTTP: listen on loopback, or behind a proxy that terminates TLS.
//
// With a web_dir, GET requests for paths outside /api/ serve the files under
// it (the web console): "/" is index.html. Nothing outside web_dir is ever
// served: ".." and hidden names ("/.git") are refused, and so are symbolic
// links that lead out of it.
//
// Behind the gateway, a cluster node's consistency token (docs/CLUSTER.md)
// travels as the HTTP header kConsistencyTokenHeader: an API answer carries
// the one its call's answer carried, and a request that sends it back has
// each of its calls wait for it on the node that serves it.
//
// Every answer carries kContentSecurityPolicy, X-Frame-Options: DENY,
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer. API
// answers are Cache-Control: no-store; the console's files carry an ETag
// and Cache-Control: no-cache, and a request whose If-None-Match names the
// ETag gets 304 without the body.
//
// Thread-safe: requests are served on threads of the gateway's own.
#ifndef SOCIO_GATEWAY_GATEWAY_H_
#define SOCIO_GATEWAY_GATEWAY_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/listener.h"

namespace socio::gateway {

// The Content-Security-Policy of every answer: what the web console needs
// (its own scripts, styles and images, data: and blob: images, calls to the
// gateway itself) and nothing else; no page may frame it.
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The HTTP header of the consistency token, both ways.
inline constexpr char kConsistencyTokenHeader[] = "Socio-Consistency-Token";

class Router;
class StaticFiles;

struct GatewayOptions {
  // host:port of the sociod whose services the gateway calls.
  std::string server = "127.0.0.1:50051";
  // host:port ("[v6]:port") to serve HTTP on; port 0 lets the kernel pick.
  std::string listen = "127.0.0.1:8080";
  // PEM file of the CAs sociod's TLS certificate must chain to; "" speaks
  // plaintext to sociod.
  std::string tls_ca;
  // Directory of the web console's files; "" serves none (every path
  // outside /api/ is then 404).
  std::string web_dir;
  // How long each call to sociod may take. Default: 30 s.
  absl::Duration deadline = absl::Seconds(30);
  // Requests served at once; more wait for a free thread. Default: 16.
  int threads = 16;
  // Largest request body, in bytes (an import file); larger ones get 413.
  // Default: 64 MiB.
  size_t max_body_bytes = 64 << 20;
  // Largest gRPC message to or from sociod, in bytes. Default: 16 MiB, as
  // sociod's own limit.
  int max_message_bytes = 16 * 1024 * 1024;
};

class Gateway {
 public:
  // Binds the HTTP address and starts serving. Does not wait for sociod: a
  // request made while it is down gets 503. INVALID_ARGUMENT naming the
  // option for a malformed address or a web_dir that is not a directory;
  // NOT_FOUND if tls_ca cannot be read; UNAVAILABLE if `listen` cannot be
  // bound.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(const GatewayOptions& options);

  // Stops serving if Stop was not called.
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // The bound port; 0 once stopped.
  int port() const { return listener_ == nullptr ? 0 : listener_->port(); }
  // "host:port" as clients dial it (the host as `listen` gave it).
  std::string address() const;

  // Stops accepting connections, lets requests in progress finish and joins
  // the threads. Safe to call more than once, from the thread that owns the
  // gateway (not from two threads at once).
  void Stop();

 private:
  Gateway();
  // Binds and starts the listener thread; see Start.
  absl::Status Listen(const GatewayOptions& options);

  // Both outlive listener_, whose handlers use them. files_ is null
  // without a web_dir.
  std::unique_ptr<Router> router_;
  std::unique_ptr<StaticFiles> files_;
  std::unique_ptr<http::Listener> listener_;
};

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_GATEWAY_H_
