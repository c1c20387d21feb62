#include "services/metrics_http.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace socio::services {
namespace {

// Requests are rare (a scrape every few seconds) and quick.
constexpr int kWorkerThreads = 2;

}  // namespace

MetricsHttpServer::MetricsHttpServer(const RequestMetrics* metrics, std::string address)
    : metrics_(metrics), address_(std::move(address)) {}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

absl::Status MetricsHttpServer::Start() {
  if (listener_ != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("metrics server on ", address_, " is already started"));
  }
  std::unique_ptr<httplib::Server> server = http::NewServer(kWorkerThreads);
  server->Get("/metrics", [metrics = metrics_](const httplib::Request&,
                                               httplib::Response& response) {
    response.set_content(metrics->RenderPrometheus(), "text/plain; version=0.0.4; charset=utf-8");
  });
  absl::StatusOr<std::unique_ptr<http::Listener>> listener = http::Listener::Start(
      std::move(server), address_, {.option = "metrics_listen", .what = "metrics"});
  if (!listener.ok()) return listener.status();
  listener_ = *std::move(listener);
  return absl::OkStatus();
}

void MetricsHttpServer::Stop() {
  if (listener_ == nullptr) return;
  listener_->Stop();
  listener_.reset();
}

}  // namespace socio::services
