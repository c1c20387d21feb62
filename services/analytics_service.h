// AnalyticsService over gRPC: a chamber's figures (analytics.proto). The
// handler checks who asks, reads the chamber's meeting requests, meetings
// and partnerships from the stores (analytics_records.h), and counts them
// with the pure analytics library (analytics/figures.h).
//
// Who: operators for any chamber, a chamber's staff for their own
// (PERMISSION_DENIED for another), members never (PERMISSION_DENIED). The
// answer is figures only, so Disclosure has nothing to hide in it.
#ifndef SOCIO_SERVICES_ANALYTICS_SERVICE_H_
#define SOCIO_SERVICES_ANALYTICS_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "analytics/figures.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/analytics_service.grpc.pb.h"
#include "storage/engagement_store.h"
#include "storage/outcome_store.h"
#include "storage/partnership_store.h"

namespace socio::services {

// What the service reads; none is owned, all must outlive it.
struct AnalyticsServiceParts {
  const storage::EngagementStore* engagement = nullptr;
  const storage::OutcomeStore* outcomes = nullptr;
  const storage::PartnershipStore* partnerships = nullptr;
  const ProfileLookup* profiles = nullptr;
  const Authenticator* auth = nullptr;
  // May be null.
  const Disclosure* disclosure = nullptr;
};

class AnalyticsServiceImpl final : public socio::v1::AnalyticsService::Service {
 public:
  explicit AnalyticsServiceImpl(AnalyticsServiceParts parts) : parts_(parts) {}

  grpc::Status GetAnalytics(grpc::ServerContext* context,
                            const socio::v1::GetAnalyticsRequest* request,
                            socio::v1::GetAnalyticsResponse* response) override;

 private:
  const AnalyticsServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_ANALYTICS_SERVICE_H_
