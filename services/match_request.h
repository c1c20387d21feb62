// Checks of a FindPartnersRequest's k and filters, and their translation into
// the matcher's query; the size check of a ScorePairsRequest. Every rejection
// is INVALID_ARGUMENT naming the field and the reason, with a suggestion where
// a near value would be accepted:
//
//   absl::StatusOr<matcher::PartnerFilters> filters =
//       ToPartnerFilters(request.filters(), tables, validator);
//   // filters.status().message(): "filters.countries[1]: 'USA' is not an ISO
//   //                              3166-1 alpha-2 country code (did you mean 'US'?)"
//
// The first bad field is reported, in the order of MatchFilters' fields.
#ifndef SOCIO_SERVICES_MATCH_REQUEST_H_
#define SOCIO_SERVICES_MATCH_REQUEST_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "matcher/features.h"
#include "matcher/match_index.h"
#include "socio/v1/match_service.pb.h"
#include "storage/profile_validation.h"

namespace socio::services {

// k when the request leaves it 0, and the largest k accepted.
inline constexpr int kDefaultK = 20;
inline constexpr int kMaxK = 1000;
// Most exclude_ids one request may carry.
inline constexpr int kMaxExcludeIds = 10'000;

// The number of partners to return: kDefaultK for 0, `k` for 1..kMaxK, else
// INVALID_ARGUMENT naming "k".
absl::StatusOr<int> CheckK(int32_t k);

// Most pairs one ScorePairs request may score (8 MB of scores).
inline constexpr int64_t kMaxScoredPairs = 1'000'000;

// INVALID_ARGUMENT naming "a_ids" or "b_ids" when one is empty, or both when
// they make more than kMaxScoredPairs pairs.
absl::Status CheckPairCount(size_t a_count, size_t b_count);

// Validates `filters` (fields named "filters.<field>[i]") and packs them for
// the matcher. Countries and regions combine with AND into one CountrySet
// (indices of tables.reference().countries()): the given countries that lie
// in one of the given UN M49 regions or subregions; nullopt when neither is
// given, and empty (no partner passes) when none of the countries is in the
// regions. REQUIRES: `tables` and `validator` use the same reference data.
absl::StatusOr<matcher::PartnerFilters> ToPartnerFilters(
    const socio::v1::MatchFilters& filters, const matcher::ScoringTables& tables,
    const storage::ProfileValidator& validator);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_MATCH_REQUEST_H_
