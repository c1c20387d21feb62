#include "planner/plan_changes.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace socio::planner {
namespace {

using socio::v1::PlannedMeeting;

bool Earlier(const PlannedMeeting& a, const PlannedMeeting& b) {
  return std::forward_as_tuple(a.date(), a.local_start(), a.table()) <
         std::forward_as_tuple(b.date(), b.local_start(), b.table());
}

bool SameTime(const PlannedMeeting& a, const PlannedMeeting& b) {
  return a.date() == b.date() && a.local_start() == b.local_start();
}

// The meeting a change is ordered by: where it is now, or was for a removal.
const PlannedMeeting& Anchor(const MeetingChange& c) {
  return c.kind == MeetingChange::Kind::kRemoved ? c.before : c.after;
}

using Pair = std::pair<std::string, std::string>;  // delegate, host

absl::flat_hash_map<Pair, const PlannedMeeting*> ByPair(const Meetings& meetings) {
  absl::flat_hash_map<Pair, const PlannedMeeting*> out;
  // A plan meets a pair once; were it listed twice, the first counts.
  for (const PlannedMeeting& m : meetings) out.try_emplace(Pair{m.delegate_id(), m.host_id()}, &m);
  return out;
}

// A removal and an addition of one company at the same time become one
// kNewPartner change, where the first of the two was.
void MergeNewPartners(std::vector<MeetingChange>* changes) {
  using Kind = MeetingChange::Kind;
  std::vector<MeetingChange> merged;
  std::vector<bool> used(changes->size(), false);
  for (size_t i = 0; i < changes->size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    MeetingChange c = std::move((*changes)[i]);
    const bool removed = c.kind == Kind::kRemoved;
    if (removed || c.kind == Kind::kAdded) {
      const Kind other_kind = removed ? Kind::kAdded : Kind::kRemoved;
      for (size_t j = i + 1; j < changes->size(); ++j) {
        MeetingChange& other = (*changes)[j];
        if (used[j] || other.kind != other_kind || !SameTime(Anchor(c), Anchor(other))) continue;
        used[j] = true;
        if (removed) {
          c.after = std::move(other.after);
        } else {
          c.before = std::move(other.before);
        }
        c.kind = Kind::kNewPartner;
        break;
      }
    }
    merged.push_back(std::move(c));
  }
  *changes = std::move(merged);
}

}  // namespace

std::vector<PlannedMeeting> MeetingsOf(const Meetings& meetings, const std::string& member_id) {
  std::vector<PlannedMeeting> out;
  for (const PlannedMeeting& m : meetings) {
    if (m.delegate_id() == member_id || m.host_id() == member_id) out.push_back(m);
  }
  std::stable_sort(out.begin(), out.end(), Earlier);
  return out;
}

std::map<std::string, std::vector<MeetingChange>> ChangesByCompany(const Meetings& told,
                                                                   const Meetings& now) {
  const absl::flat_hash_map<Pair, const PlannedMeeting*> before = ByPair(told);
  const absl::flat_hash_map<Pair, const PlannedMeeting*> after = ByPair(now);
  std::map<std::string, std::vector<MeetingChange>> changes;
  auto add = [&](const MeetingChange& change, const PlannedMeeting& m) {
    changes[m.delegate_id()].push_back(change);
    changes[m.host_id()].push_back(change);
  };
  for (const PlannedMeeting& m : now) {
    auto it = before.find(Pair{m.delegate_id(), m.host_id()});
    if (it == before.end()) {
      add({.kind = MeetingChange::Kind::kAdded, .after = m}, m);
    } else if (!SameTime(*it->second, m) || it->second->table() != m.table()) {
      add({.kind = MeetingChange::Kind::kMoved, .before = *it->second, .after = m}, m);
    }
  }
  for (const PlannedMeeting& m : told) {
    if (!after.contains(Pair{m.delegate_id(), m.host_id()})) {
      add({.kind = MeetingChange::Kind::kRemoved, .before = m}, m);
    }
  }
  for (auto& [member_id, mine] : changes) {
    std::stable_sort(mine.begin(), mine.end(), [](const MeetingChange& a, const MeetingChange& b) {
      return Earlier(Anchor(a), Anchor(b));
    });
    MergeNewPartners(&mine);
  }
  return changes;
}

}  // namespace socio::planner
