// MetricsHttpServer: serves a RequestMetrics to Prometheus over plain HTTP,
// `GET /metrics` (text/plain; version=0.0.4), on threads of its own. Every
// other path is 404.
//
//   MetricsHttpServer http(&metrics, "127.0.0.1:9464");
//   if (absl::Status s = http.Start(); !s.ok()) return s;
//   ...                      // http.port() is the bound port
//   http.Stop();             // before what the gauges read goes away
//
// There is no authentication and no TLS: listen on loopback, or on an
// address only the monitoring network reaches.
#ifndef SOCIO_SERVICES_METRICS_HTTP_H_
#define SOCIO_SERVICES_METRICS_HTTP_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "http/listener.h"
#include "services/request_metrics.h"

namespace socio::services {

class MetricsHttpServer {
 public:
  // `metrics` is not owned and must outlive the server. `address` is
  // "host:port" or "[v6]:port"; port 0 lets the kernel pick one.
  MetricsHttpServer(const RequestMetrics* metrics, std::string address);
  // Stops the server if it runs.
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // Binds and starts serving; returns once requests are accepted.
  // INVALID_ARGUMENT if the address is not host:port; UNAVAILABLE naming the
  // address if it cannot be bound; FAILED_PRECONDITION if already started.
  absl::Status Start();

  // The bound port; 0 when not serving.
  int port() const { return listener_ == nullptr ? 0 : listener_->port(); }

  // Stops accepting, waits for requests in progress and joins the threads.
  // Safe to call more than once, and without Start.
  void Stop();

  // Start and Stop are not thread-safe against each other: call them from
  // the thread that owns the server.

 private:
  const RequestMetrics* const metrics_;
  const std::string address_;
  std::unique_ptr<http::Listener> listener_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_METRICS_HTTP_H_
