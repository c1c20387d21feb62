// The match policy a chamber's searches and plans score with.
#ifndef SOCIO_SERVICES_MATCH_POLICY_H_
#define SOCIO_SERVICES_MATCH_POLICY_H_

#include <string>

#include "absl/status/statusor.h"
#include "socio/v1/match.pb.h"
#include "storage/match_policy_store.h"

namespace socio::services {

// The chamber's stored policy, or the default weights at version 0 if it
// never set one. Errors of the store.
absl::StatusOr<socio::v1::MatchPolicy> PolicyOrDefaults(const storage::MatchPolicyStore& policies,
                                                        const std::string& chamber_id);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_MATCH_POLICY_H_
