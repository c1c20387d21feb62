// The match policy a chamber's searches and plans score with.
#ifndef SOCIO_SERVICES_MATCH_POLICY_H_
#define SOCIO_SERVICES_MATCH_POLICY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "socio/v1/match.pb.h"
#include "storage/match_policy_store.h"

namespace socio::services {

// The chamber's stored policy, or the default weights at version 0 if it
// never set one. Errors of the store.
absl::StatusOr<socio::v1::MatchPolicy> PolicyOrDefaults(const storage::MatchPolicyStore& policies,
                                                        const std::string& chamber_id);

// Stores `policy` (MatchPolicyStore::Put) once the matcher accepts its
// weights: INVALID_ARGUMENT naming the factor ("policy.weights.market: ...")
// for a weight that is negative or not finite, or when none is above 0, and
// nothing is stored. Otherwise as Put: the policy as stored, or the store's
// error (ABORTED for a stale expected_version).
absl::StatusOr<socio::v1::MatchPolicy> SetPolicy(storage::MatchPolicyStore& policies,
                                                 const socio::v1::MatchPolicy& policy,
                                                 int64_t expected_version);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_MATCH_POLICY_H_
