#include "services/metrics_http.h"

#include <sys/socket.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "services/server_setup.h"

namespace socio::services {
namespace {

// Requests are rare (a scrape every few seconds) and quick.
constexpr int kWorkerThreads = 2;

}  // namespace

MetricsHttpServer::MetricsHttpServer(const RequestMetrics* metrics, std::string address)
    : metrics_(metrics), address_(std::move(address)) {}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

absl::Status MetricsHttpServer::Start() {
  if (http_ != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("metrics server on ", address_, " is already started"));
  }
  std::string host;
  int requested_port = 0;
  if (absl::Status s = internal::SplitHostPort("metrics_listen", address_, &host, &requested_port);
      !s.ok()) {
    return s;
  }
  // httplib resolves the host without the brackets of "[::1]:9464".
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }

  auto http = std::make_unique<httplib::Server>();
  http->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  // httplib's default also sets SO_REUSEPORT, which would let a second
  // server bind the same port and silently take half the scrapes.
  http->set_socket_options([](int socket) {
    int on = 1;
    // If this fails, a restart only waits for the old socket's TIME_WAIT.
    (void)setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  });
  http->Get("/metrics", [metrics = metrics_](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics->RenderPrometheus(), "text/plain; version=0.0.4; charset=utf-8");
  });
  int port = requested_port;
  if (requested_port == 0) {
    port = http->bind_to_any_port(host);  // -1 on failure
  } else if (!http->bind_to_port(host, requested_port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for metrics on ", address_, " (address in use or not local?)"));
  }

  listener_returned_ = false;
  listener_ = std::thread([this, server = http.get()] {
    // Returns when Stop() closes the socket; false only if accepting failed,
    // which Start sees as the listener returning before it ran.
    server->listen_after_bind();
    listener_returned_ = true;
  });
  // httplib's stop() does nothing until the loop runs, so wait for it.
  while (!http->is_running() && !listener_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!http->is_running()) {
    listener_.join();
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address_));
  }
  http_ = std::move(http);
  port_ = port;
  return absl::OkStatus();
}

void MetricsHttpServer::Stop() {
  if (http_ == nullptr) return;
  http_->stop();
  listener_.join();
  http_.reset();
  port_ = 0;
}

}  // namespace socio::services
