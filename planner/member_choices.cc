#include "planner/member_choices.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace socio::planner {

using socio::v1::Delegation;
using socio::v1::Interest;
using socio::v1::MeetingPair;
using socio::v1::MeetingRequest;

Delegation WithMemberChoices(const Delegation& d, const std::vector<Interest>& marks,
                             const std::vector<MeetingRequest>& accepted) {
  absl::flat_hash_set<std::string> delegates, hosts;
  for (const auto& p : d.delegates()) delegates.insert(p.member_id());
  for (const auto& p : d.hosts()) hosts.insert(p.member_id());
  // And the hosts the filter chose for the last plan, which a re-plan keeps.
  for (const std::string& id : d.plan().host_ids()) hosts.insert(id);
  // The strongest choice per (delegate, host): ACCEPTED > DECLINED > REQUESTED.
  auto rank = [](MeetingPair::Status s) {
    return s == MeetingPair::ACCEPTED ? 3 : s == MeetingPair::DECLINED ? 2 : 1;
  };
  absl::flat_hash_map<std::pair<std::string, std::string>, MeetingPair::Status> chosen;
  std::vector<std::pair<std::string, std::string>> order;  // first seen first
  auto choose = [&](const std::string& a, const std::string& b, MeetingPair::Status status) {
    std::pair<std::string, std::string> pair;
    if (delegates.contains(a) && hosts.contains(b)) {
      pair = {a, b};
    } else if (delegates.contains(b) && hosts.contains(a)) {
      pair = {b, a};
    } else {
      return;
    }
    auto [it, inserted] = chosen.try_emplace(pair, status);
    if (inserted) {
      order.push_back(pair);
    } else if (rank(status) > rank(it->second)) {
      it->second = status;
    }
  };
  for (const MeetingRequest& r : accepted) {
    if (r.state() == MeetingRequest::ACCEPTED && r.delegation_id() == d.id()) {
      choose(r.from_member_id(), r.to_ref(), MeetingPair::ACCEPTED);
    }
  }
  for (const Interest& m : marks) {
    if (m.mark() == Interest::NOT_INTERESTED) {
      choose(m.member_id(), m.partner_ref(), MeetingPair::DECLINED);
    } else if (m.mark() == Interest::MUST_MEET) {
      choose(m.member_id(), m.partner_ref(), MeetingPair::REQUESTED);
    }
  }
  Delegation out = d;
  absl::flat_hash_set<std::pair<std::string, std::string>> staff;
  for (const MeetingPair& p : d.pairs()) staff.emplace(p.delegate_id(), p.host_id());
  for (const auto& pair : order) {
    if (staff.contains(pair)) continue;
    MeetingPair* p = out.add_pairs();
    p->set_delegate_id(pair.first);
    p->set_host_id(pair.second);
    p->set_status(chosen.at(pair));
  }
  return out;
}

}  // namespace socio::planner
