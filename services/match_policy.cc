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

absl::StatusOr<socio::v1::MatchPolicy> SetPolicy(storage::MatchPolicyStore& policies,
                                                 const socio::v1::MatchPolicy& policy,
                                                 int64_t expected_version) {
  // Checked here, where policies are served, so that every stored policy is
  // one the matcher can rank with; the store checks only its shape.
  if (policy.has_weights()) {
    if (absl::Status s = matcher::NormalizeWeights(policy.weights(), "policy.weights").status();
        !s.ok()) {
      return s;
    }
  }
  return policies.Put(policy, expected_version);
}

}  // namespace socio::services
