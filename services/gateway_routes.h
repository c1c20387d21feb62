// The gateway's /api/v1 routes, each one call to sociod (docs/GATEWAY.md
// lists them), their patterns relative to the router's prefix.
//
//   auto backend = std::make_shared<Backend>(channel, absl::Seconds(30));
//   Router router("/api/v1");
//   AddApiRoutes(backend, &router);
//
// Internal to the gateway (services/gateway*).
#ifndef SOCIO_SERVICES_GATEWAY_ROUTES_H_
#define SOCIO_SERVICES_GATEWAY_ROUTES_H_

#include <memory>

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "services/gateway_router.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::services::gateway {

// The stubs the routes call sociod with. Stubs are thread-safe.
struct Backend {
  Backend(const std::shared_ptr<grpc::Channel>& channel, absl::Duration deadline);

  // How long each call may take.
  const absl::Duration deadline;
  const std::unique_ptr<socio::v1::ProfileService::Stub> profiles;
  const std::unique_ptr<socio::v1::MatchService::Stub> matches;
  const std::unique_ptr<socio::v1::DelegationService::Stub> delegations;
  const std::unique_ptr<socio::v1::AdminService::Stub> admin;
  const std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

// Every route: profiles (import included), partners, policies, delegations,
// destinations, whoami, stats and healthz.
void AddApiRoutes(std::shared_ptr<Backend> backend, Router* router);

// The delegation routes alone; AddApiRoutes adds them.
void AddDelegationRoutes(std::shared_ptr<Backend> backend, Router* router);

}  // namespace socio::services::gateway

#endif  // SOCIO_SERVICES_GATEWAY_ROUTES_H_
