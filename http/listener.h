// Listener: an httplib::Server bound to "host:port" and serving on a thread
// of its own, what both the gateway and sociod's /metrics endpoint run on.
//
//   auto server = NewServer(/*threads=*/2);
//   server->Get("/metrics", handler);
//   absl::StatusOr<std::unique_ptr<Listener>> listener =
//       Listener::Start(std::move(server), "127.0.0.1:0", {.option = "metrics_listen"});
//   if (!listener.ok()) return listener.status();
//   int port = (*listener)->port();   // the port the kernel picked
//   ...
//   (*listener)->Stop();              // or let it go out of scope
//
// Thread safety: Start and Stop from the thread that owns the listener;
// port() and address() from any.
#ifndef SOCIO_HTTP_LISTENER_H_
#define SOCIO_HTTP_LISTENER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace socio::http {

// Splits "host:port" or "[v6]:port" (the host keeps its brackets);
// INVALID_ARGUMENT naming `option` otherwise.
absl::Status SplitHostPort(const std::string& option, const std::string& address, std::string* host,
                           int* port);

// A server whose requests run on a pool of `threads` threads and whose
// socket sets SO_REUSEADDR but not SO_REUSEPORT (httplib's default, which
// would let a second server bind the same port and silently take half the
// requests). The caller adds the routes.
std::unique_ptr<httplib::Server> NewServer(int threads);

struct ListenOptions {
  // The option that gave the address, named in errors.
  std::string option = "listen";
  // What is served, for errors: "cannot serve <what> on <address>".
  std::string what = "HTTP";
};

class Listener {
 public:
  // Binds `address` (port 0 lets the kernel pick one) and serves `server`
  // (its routes set) until Stop; returns once requests are accepted.
  // INVALID_ARGUMENT naming the option if `address` is not host:port;
  // UNAVAILABLE naming the address if it cannot be bound or served.
  static absl::StatusOr<std::unique_ptr<Listener>> Start(std::unique_ptr<httplib::Server> server,
                                                         const std::string& address,
                                                         const ListenOptions& options = {});

  // Stops serving if Stop was not called.
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The bound port; 0 once stopped.
  int port() const { return port_; }
  // "host:port" as clients dial it (the host as the address gave it).
  std::string address() const;

  // Stops accepting connections, lets requests in progress finish and joins
  // the threads. Safe to call more than once.
  void Stop();

 private:
  Listener(std::unique_ptr<httplib::Server> server, std::string host);

  const std::string host_;
  std::atomic<int> port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> returned_ = false;
};

}  // namespace socio::http

#endif  // SOCIO_HTTP_LISTENER_H_
