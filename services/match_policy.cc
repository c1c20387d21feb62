#include "services/match_policy.h"

#include "matcher/scoring.h"

namespace socio::services {

absl::StatusOr<socio::v1::MatchPolicy> PolicyOrDefaults(const storage::MatchPolicyStore& policies,
                                                        const std::string& chamber_id) {
  absl::StatusOr<socio::v1::MatchPolicy> stored = policies.Get(chamber_id);
  if (stored.ok() || !absl::IsNotFound(stored.status())) return stored;
  socio::v1::MatchPolicy defaults;
  defaults.set_chamber_id(chamber_id);
  *defaults.mutable_weights() = matcher::DefaultFactorWeights();
  return defaults;
}

}  // namespace socio::services
