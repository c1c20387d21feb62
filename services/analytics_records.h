// The records analytics counts (analytics/figures.h), read from the stores:
// a chamber's meeting requests, meetings and partnerships, or those of one
// delegation. AnalyticsService counts a chamber's; ExchangeService each
// visit's of an exchange; both with analytics::Compute, so a figure is
// counted one way wherever it shows.
//
//   absl::StatusOr<analytics::Records> records = ReadChamberRecords(sources, "ihk-muenchen");
//   analytics::Figures figures = analytics::Compute(*records, {});
//
// Companies are read only to place them (country, sector); nothing returned
// names one beyond what analytics/figures.h keeps to tell meetings apart.
//
// Thread safety: as the stores; each call reads on its own.
#ifndef SOCIO_SERVICES_ANALYTICS_RECORDS_H_
#define SOCIO_SERVICES_ANALYTICS_RECORDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "analytics/figures.h"
#include "services/profile_lookup.h"
#include "socio/v1/delegation.pb.h"
#include "storage/engagement_store.h"
#include "storage/outcome_store.h"
#include "storage/partnership_store.h"

namespace socio::services {

// Where the records come from; none is owned, all must outlive the calls.
struct AnalyticsSources {
  const storage::EngagementStore* engagement = nullptr;
  const storage::OutcomeStore* outcomes = nullptr;
  const storage::PartnershipStore* partnerships = nullptr;
  const ProfileLookup* profiles = nullptr;
};

// Every meeting request, meeting and partnership of `chamber_id`'s members
// (and the chamber's own partnerships). Errors of the stores.
absl::StatusOr<analytics::Records> ReadChamberRecords(const AnalyticsSources& sources,
                                                      const std::string& chamber_id);

// The meetings of `delegation` (its published plan's, as OutcomeService
// lists them) and the partnerships of its organising chamber that came from
// it; no meeting requests. Errors of the stores.
absl::StatusOr<analytics::Records> ReadDelegationRecords(const AnalyticsSources& sources,
                                                         const socio::v1::Delegation& delegation);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_ANALYTICS_RECORDS_H_
