// grpc.health.v1.Health for sociod: the whole server ("") and each service it
// serves by its full name ("socio.v1.ProfileService"), so a probe of one
// service is answered. Unlike gRPC's default service, Shutdown ends every
// open Watch at once (NOT_SERVING, then UNAVAILABLE), so a watcher does not
// hold a graceful shutdown for its whole grace period.
//
//   HealthService health;
//   builder.SetOption(health.BuilderOption());   // instead of gRPC's default
//   builder.RegisterService(&health);
//   ... BuildAndStart ...
//   health.SetServingStatus("socio.v1.ProfileService", true);
//   health.Shutdown();                              // before server->Shutdown
//
// Check answers NOT_FOUND for a name never set; Watch of such a name sends
// SERVICE_UNKNOWN and waits for it to appear (as the protocol says).
//
// Thread safety: every method may be called from any thread. Must outlive
// the server it is registered with.
#ifndef SOCIO_SERVICES_HEALTH_SERVICE_H_
#define SOCIO_SERVICES_HEALTH_SERVICE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/server_builder.h"

namespace socio::services {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  // Sets `service` ("" = the whole server) SERVING or NOT_SERVING and tells
  // its watchers. Ignored after Shutdown.
  void SetServingStatus(const std::string& service, bool serving);
  // Every name set so far.
  void SetServingStatus(bool serving);
  // Every name NOT_SERVING for good; open watches are sent that and end.
  void Shutdown();

  // The ServerBuilder option that keeps gRPC's default health service out
  // and points Server::GetHealthCheckService() here.
  std::unique_ptr<grpc::ServerBuilderOption> BuilderOption();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  ServingStatus StatusOf(const std::string& service) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::CondVar changed_;
  absl::flat_hash_map<std::string, bool> serving_ ABSL_GUARDED_BY(mu_);
  // Grows by one with every change, so a watcher can wait for the next.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_HEALTH_SERVICE_H_
