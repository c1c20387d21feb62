// What a delegation's pairs have been through before it is planned, given
// as data (services/ reads it from the stores): the pairs either side
// declined or marked not interested, which are never proposed, and the
// pairs that met before, whose planned meetings say so.
//
//   Delegation planned = WithExcludedPairs(WithMemberChoices(d, marks, accepted), excluded);
//   DelegationPlan plan = *MakePlan(planned, ...);
//   MarkMetBefore(met, &plan);
#ifndef SOCIO_PLANNER_PAST_PAIRS_H_
#define SOCIO_PLANNER_PAST_PAIRS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/match.pb.h"

namespace socio::planner {

// A (delegate id, host id) pair.
using CompanyPair = std::pair<std::string, std::string>;

// `d` with each pair of `excluded` that its pairs do not name yet added as
// DECLINED (never scheduled together). Pairs the delegation names (the
// staff's, and those members' choices added) are kept as they are: a staff
// lock wins. Pairs in `excluded` more than once are added once.
socio::v1::Delegation WithExcludedPairs(const socio::v1::Delegation& d,
                                        const std::vector<CompanyPair>& excluded);

// Sets met_before on each meeting of `plan` whose (delegate, host) pair is
// in `met`, and clears it on the others.
void MarkMetBefore(const absl::flat_hash_map<CompanyPair, socio::v1::MetBefore>& met,
                   socio::v1::DelegationPlan* plan);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PAST_PAIRS_H_
