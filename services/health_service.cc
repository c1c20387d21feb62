#include "services/health_service.h"

#include <optional>
#include <utility>

#include "absl/time/time.h"
#include "grpcpp/ext/health_check_service_server_builder_option.h"
#include "grpcpp/health_check_service_interface.h"

namespace socio::services {
namespace {

using grpc::health::v1::HealthCheckResponse;

// How long a Watch sleeps between looks at its caller.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(200);

// What Server::GetHealthCheckService() returns: the HealthService, not owned.
class HealthCheckForwarder final : public grpc::HealthCheckServiceInterface {
 public:
  explicit HealthCheckForwarder(HealthService* health) : health_(health) {}
  void SetServingStatus(const std::string& service_name, bool serving) override {
    health_->SetServingStatus(service_name, serving);
  }
  void SetServingStatus(bool serving) override { health_->SetServingStatus(serving); }
  void Shutdown() override { health_->Shutdown(); }

 private:
  HealthService* const health_;
};

}  // namespace

void HealthService::SetServingStatus(const std::string& service, bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  serving_[service] = serving;
  ++generation_;
  changed_.SignalAll();
}

void HealthService::SetServingStatus(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  for (auto& [name, value] : serving_) value = serving;
  ++generation_;
  changed_.SignalAll();
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  for (auto& [name, value] : serving_) value = false;
  shut_down_ = true;
  ++generation_;
  changed_.SignalAll();
}

std::unique_ptr<grpc::ServerBuilderOption> HealthService::BuilderOption() {
  return std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(
      std::make_unique<HealthCheckForwarder>(this));
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& service) const {
  auto it = serving_.find(service);
  if (it == serving_.end()) return HealthCheckResponse::SERVICE_UNKNOWN;
  return it->second ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthService::Check(grpc::ServerContext* /*context*/,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  absl::MutexLock lock(&mu_);
  const ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "service: '" + request->service() + "' is not served here");
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::optional<ServingStatus> sent;
  uint64_t seen = 0;
  while (true) {
    ServingStatus status;
    bool shut_down = false;
    {
      absl::MutexLock lock(&mu_);
      // Wakes on a change, and now and then to look at the caller.
      if (sent.has_value() && generation_ == seen) changed_.WaitWithTimeout(&mu_, kWatchPoll);
      seen = generation_;
      status = StatusOf(request->service());
      shut_down = shut_down_;
    }
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled by the client");
    }
    if (sent != status) {
      HealthCheckResponse response;
      response.set_status(status);
      if (!writer->Write(response)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "watcher went away");
      }
      sent = status;
    }
    if (shut_down) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down");
  }
}

}  // namespace socio::services
