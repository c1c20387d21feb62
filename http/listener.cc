#include "http/listener.h"

#include <sys/socket.h>

#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace socio::http {

absl::Status SplitHostPort(const std::string& option, const std::string& address, std::string* host,
                           int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(address).substr(colon + 1), port) || *port < 0 ||
      *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": '", address, "' is not host:port (like 127.0.0.1:50051)"));
  }
  *host = address.substr(0, colon);
  return absl::OkStatus();
}

std::unique_ptr<httplib::Server> NewServer(int threads) {
  auto server = std::make_unique<httplib::Server>();
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server->set_socket_options([](int socket) {
    int on = 1;
    // If this fails, a restart only waits for the old socket's TIME_WAIT.
    (void)setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  });
  return server;
}

Listener::Listener(std::unique_ptr<httplib::Server> server, std::string host)
    : host_(std::move(host)), server_(std::move(server)) {}

Listener::~Listener() { Stop(); }

absl::StatusOr<std::unique_ptr<Listener>> Listener::Start(std::unique_ptr<httplib::Server> server,
                                                          const std::string& address,
                                                          const ListenOptions& options) {
  std::string host;
  int requested_port = 0;
  if (absl::Status s = SplitHostPort(options.option, address, &host, &requested_port); !s.ok()) {
    return s;
  }
  // httplib resolves the host without the brackets of "[::1]:8080".
  std::string bind_host = host;
  if (bind_host.size() >= 2 && bind_host.front() == '[' && bind_host.back() == ']') {
    bind_host = bind_host.substr(1, bind_host.size() - 2);
  }
  int port = requested_port;
  if (requested_port == 0) {
    port = server->bind_to_any_port(bind_host);  // -1 on failure
  } else if (!server->bind_to_port(bind_host, requested_port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve ", options.what, " on ", address,
                                               " (address in use or not local?)"));
  }
  std::unique_ptr<Listener> listener(new Listener(std::move(server), std::move(host)));
  httplib::Server* const raw = listener->server_.get();
  std::atomic<bool>* const returned = &listener->returned_;
  listener->thread_ = std::thread([raw, returned] {
    // Returns when Stop() closes the socket; at once only if accepting
    // failed, which is seen below as the loop returning before it ran.
    raw->listen_after_bind();
    *returned = true;
  });
  // httplib's stop() does nothing until the loop runs, so wait for it.
  while (!raw->is_running() && !listener->returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!raw->is_running()) {
    listener->thread_.join();
    listener->server_.reset();
    return absl::UnavailableError(absl::StrCat("cannot serve ", options.what, " on ", address));
  }
  listener->port_ = port;
  return listener;
}

std::string Listener::address() const { return absl::StrCat(host_, ":", port_.load()); }

void Listener::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  thread_.join();
  server_.reset();
  port_ = 0;
}

}  // namespace socio::http
