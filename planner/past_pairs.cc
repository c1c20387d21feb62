#include "planner/past_pairs.h"

#include "absl/container/flat_hash_set.h"

namespace socio::planner {

using socio::v1::Delegation;
using socio::v1::MeetingPair;

Delegation WithExcludedPairs(const Delegation& d, const std::vector<CompanyPair>& excluded) {
  Delegation out = d;
  absl::flat_hash_set<CompanyPair> named;
  for (const MeetingPair& p : d.pairs()) named.emplace(p.delegate_id(), p.host_id());
  for (const CompanyPair& pair : excluded) {
    if (!named.insert(pair).second) continue;
    MeetingPair* p = out.add_pairs();
    p->set_delegate_id(pair.first);
    p->set_host_id(pair.second);
    p->set_status(MeetingPair::DECLINED);
  }
  return out;
}

void MarkMetBefore(const absl::flat_hash_map<CompanyPair, socio::v1::MetBefore>& met,
                   socio::v1::DelegationPlan* plan) {
  for (socio::v1::PlannedMeeting& m : *plan->mutable_meetings()) {
    auto it = met.find(CompanyPair(m.delegate_id(), m.host_id()));
    if (it == met.end()) {
      m.clear_met_before();
    } else {
      *m.mutable_met_before() = it->second;
    }
  }
}

}  // namespace socio::planner
