// The gateway's /api/v1 routes, each one call to sociod (docs/GATEWAY.md
// lists them), their patterns relative to the router's prefix.
//
//   auto backend = std::make_shared<Backend>(clients::Channel::Open(options));
//   Router router("/api/v1");
//   AddApiRoutes(backend, &router);
//
// Internal to the gateway (gateway/).
#ifndef SOCIO_GATEWAY_ROUTES_H_
#define SOCIO_GATEWAY_ROUTES_H_

#include <memory>

#include "absl/time/time.h"
#include "clients/admin_client.h"
#include "clients/analytics_client.h"
#include "clients/chamber_client.h"
#include "clients/channel.h"
#include "clients/delegation_client.h"
#include "clients/engagement_client.h"
#include "clients/exchange_client.h"
#include "clients/match_client.h"
#include "clients/outcome_client.h"
#include "clients/partnership_client.h"
#include "clients/profile_client.h"
#include "gateway/router.h"

namespace socio::gateway {

// The clients the routes call sociod with, all on one channel. Thread-safe.
struct Backend {
  explicit Backend(const std::shared_ptr<const clients::Channel>& channel);

  // How long each call may take (the channel's).
  const absl::Duration deadline;
  const clients::ProfileClient profiles;
  const clients::MatchClient matches;
  const clients::DelegationClient delegations;
  const clients::EngagementClient engagement;
  const clients::NotificationClient notifications;
  const clients::OutcomeClient outcomes;
  const clients::PartnershipClient partnerships;
  const clients::AnalyticsClient analytics;
  const clients::ExchangeClient exchanges;
  const clients::ChamberClient chambers;
  const clients::AdminClient admin;
  const clients::HealthClient health;
};

// Every route: profiles (import included), partners, policies, delegations,
// destinations, marks of interest, meeting requests, reveals, notification
// settings, meeting outcomes, partnerships and their reviews, analytics, exchanges, chambers and
// their partner chambers, sectors (NACE titles), whoami, stats and healthz.
void AddApiRoutes(std::shared_ptr<Backend> backend, Router* router);

// The delegation routes alone; AddApiRoutes adds them.
void AddDelegationRoutes(std::shared_ptr<Backend> backend, Router* router);

// The routes of marks of interest, meeting requests, reveals and
// notification settings alone; AddApiRoutes adds them.
void AddEngagementRoutes(std::shared_ptr<Backend> backend, Router* router);

// The meeting outcome routes alone; AddApiRoutes adds them.
void AddOutcomeRoutes(std::shared_ptr<Backend> backend, Router* router);
// The routes of partnerships and their reviews alone; AddApiRoutes adds them.
void AddPartnershipRoutes(std::shared_ptr<Backend> backend, Router* router);
// Host invitations: POST /delegations/{id}:invite, GET
// /delegations/{id}/invitations, POST
// /delegations/{id}/invitations/{host_id}:answer, GET /host-invitations.
void AddHostInvitationRoutes(std::shared_ptr<Backend> backend, Router* router);

// A delegation's briefing (JSON or Markdown) alone; AddApiRoutes adds it.
void AddBriefingRoutes(std::shared_ptr<Backend> backend, Router* router);
// The analytics route alone; AddApiRoutes adds it.
void AddAnalyticsRoutes(std::shared_ptr<Backend> backend, Router* router);
// The routes of exchanges and their balance alone; AddApiRoutes adds them.
void AddExchangeRoutes(std::shared_ptr<Backend> backend, Router* router);
// The routes of chambers and their partner chambers alone; AddApiRoutes adds
// them.
void AddChamberRoutes(std::shared_ptr<Backend> backend, Router* router);

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_ROUTES_H_
