#include "planner/internal/problem_builder.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "planner/internal/companies.h"
#include "planner/interpreters.h"
#include "planner/programme.h"
#include "reference/itinerary.h"
#include "reference/travel_times.h"

namespace socio::planner::internal {
namespace {

using socio::v1::Delegation;
using socio::v1::ItineraryDay;
using socio::v1::MeetingPair;
using socio::v1::Participant;
using socio::v1::PlannedMeeting;
using socio::v1::Profile;

bool IsLock(const MeetingPair& pair) {
  return pair.status() == MeetingPair::REQUESTED || pair.status() == MeetingPair::ACCEPTED;
}

// The slots a company can meet in: every slot, or (for a host) those of the
// days in its city; less its unavailabilities and the programme items it
// attends, travel included.
std::vector<bool> Availability(const SlotGrid& grid, const Delegation& d, const TravelRules& rules,
                               const std::string& id, const Participant* p,
                               const std::string* host_city) {
  std::vector<bool> available(grid.slots.size(), true);
  if (host_city != nullptr) {
    for (size_t s = 0; s < grid.slots.size(); ++s) {
      const ItineraryDay& day = d.days(grid.day_index[grid.slots[s].position]);
      available[s] = reference::FoldPlace(day.city()) == *host_city;
    }
  }
  BlockProgrammeSlots(d, grid, rules, id, host_city == nullptr, &available);
  if (p == nullptr) return available;
  for (const socio::v1::Unavailability& u : p->unavailable()) {
    auto it = grid.position_of_date.find(u.date());
    if (it == grid.position_of_date.end()) continue;
    const DaySlots& day = grid.days[it->second];
    const std::optional<int> from = reference::ParseTimeOfDay(u.start_time());
    const std::optional<int> to = reference::ParseTimeOfDay(u.end_time());
    for (size_t k = 0; k < day.starts.size(); ++k) {
      const int start = day.starts[k], end = start + day.meeting_minutes;
      const bool whole_day = u.start_time().empty() && u.end_time().empty();
      if (whole_day || (from && to && start < *to && end > *from)) {
        available[grid.first_slot[it->second] + k] = false;
      }
    }
  }
  return available;
}

Company ToCompany(const std::string& id, std::vector<bool> available, const Participant* p) {
  Company company;
  company.id = id;
  company.available = std::move(available);
  if (p != nullptr) {
    company.max_meetings = p->max_meetings() > 0 ? p->max_meetings() : -1;
    company.min_meetings = p->min_meetings();
  }
  return company;
}

}  // namespace

ProblemBuilder::ProblemBuilder(const Delegation& d, const SlotGrid& grid,
                               const ProfileAccess& staff, const PlanningInputs& inputs)
    : d_(d),
      grid_(grid),
      staff_(staff),
      inputs_(inputs),
      travel_rules_(TravelRulesOf(
          d, inputs.reference != nullptr ? inputs.reference->travel_times() : nullptr)) {
  for (const ItineraryDay& day : d.days()) {
    if (cities_.insert(reference::FoldPlace(day.city())).second) city_names_.push_back(day.city());
  }
  for (const SlotGrid::Slot& slot : grid.slots) {
    problem_.slot_day.push_back(slot.position);
    problem_.tables.push_back(grid.days[slot.position].tables);
  }
  // Removing a named host keeps it out until it is named again, over any number of plans.
  absl::flat_hash_set<std::string> named;
  for (const Participant& p : d.hosts()) named.insert(p.member_id());
  auto removed = [&](const std::string& id) {
    if (!named.contains(id) && removed_.insert(id).second) removed_host_ids_.push_back(id);
  };
  const int earlier_named = std::min(d.plan().named_hosts(), d.plan().host_ids_size());
  for (int i = 0; i < earlier_named; ++i) removed(d.plan().host_ids(i));
  for (const std::string& id : d.plan().removed_host_ids()) removed(id);
}

absl::Status ProblemBuilder::AddDelegates() {
  for (int i = 0; i < d_.delegates_size(); ++i) {
    const Participant& p = d_.delegates(i);
    absl::StatusOr<Profile> profile = ProfileOf(
        *inputs_.source, absl::StrCat("delegation.delegates[", i, "].member_id"), p.member_id());
    if (!profile.ok()) return profile.status();
    delegates_.push_back(*std::move(profile));
    delegate_index_[p.member_id()] = static_cast<int>(delegate_ids_.size());
    delegate_ids_.push_back(p.member_id());
    problem_.delegates.push_back(ToCompany(
        p.member_id(), Availability(grid_, d_, travel_rules_, p.member_id(), &p, nullptr), &p));
  }
  return absl::OkStatus();
}

absl::Status ProblemBuilder::AddNamedHosts() {
  for (int i = 0; i < d_.hosts_size(); ++i) {
    if (absl::Status s = AddHost(absl::StrCat("delegation.hosts[", i, "].member_id"),
                                 d_.hosts(i).member_id(), &d_.hosts(i));
        !s.ok()) {
      return s;
    }
  }
  for (int i = 0; i < d_.pairs_size(); ++i) {
    if (!IsLock(d_.pairs(i)) || host_index_.contains(d_.pairs(i).host_id())) continue;
    if (absl::Status s = AddHost(absl::StrCat("delegation.pairs[", i, "].host_id"),
                                 d_.pairs(i).host_id(), nullptr);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ProblemBuilder::AddFilteredHosts() {
  const int max_hosts = d_.host_filter().max_hosts();
  if (max_hosts <= 0) return absl::OkStatus();
  socio::v1::MatchFilters filters;
  filters.add_countries(d_.host_country());
  *filters.mutable_sectors() = d_.host_filter().sectors();
  absl::flat_hash_map<std::string, double> best;
  absl::flat_hash_map<std::string, absl::StatusOr<Profile>> candidates;
  for (size_t i = 0; i < delegate_ids_.size(); ++i) {
    absl::StatusOr<std::vector<socio::v1::Match>> found = inputs_.source->FindPartners(
        delegate_ids_[i], filters, std::min(1000, max_hosts * 2), inputs_.weights);
    if (!found.ok()) return found.status();
    for (const socio::v1::Match& m : *found) {
      // Only partners of this delegate as the chamber's staff see them.
      auto [it, inserted] = candidates.try_emplace(m.partner_id(), Profile());
      if (inserted) it->second = inputs_.source->GetProfile(m.partner_id());
      if (!it->second.ok() || !staff_.CanRead(*it->second) ||
          !staff_.PartnerVisible(delegates_[i], *it->second, inputs_.now)) {
        continue;
      }
      double& score = best[m.partner_id()];
      score = std::max(score, m.score());
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [id, score] : best) ranked.emplace_back(-score, id);
  std::sort(ranked.begin(), ranked.end());
  int added = 0;
  for (const auto& [negative_score, id] : ranked) {
    if (added == max_hosts) break;
    if (host_index_.contains(id) || delegate_index_.contains(id) || removed_.contains(id)) {
      continue;
    }
    // Hosts outside the itinerary's cities are passed over, not errors.
    if (AddHost("host_filter", id, nullptr).ok()) ++added;
  }
  return absl::OkStatus();
}

absl::Status ProblemBuilder::AddScores() {
  absl::StatusOr<std::vector<double>> scores =
      inputs_.source->PairScores(delegate_ids_, host_ids_, inputs_.weights);
  if (!scores.ok()) return scores.status();
  problem_.scores = *std::move(scores);
  return absl::OkStatus();
}

void ProblemBuilder::AddPreviousAndLocks(bool fresh) {
  absl::flat_hash_map<std::pair<int, int>, int> previous_slot;
  if (!fresh && d_.has_plan()) {
    for (const PlannedMeeting& m : d_.plan().meetings()) {
      auto dl = delegate_index_.find(m.delegate_id());
      auto h = host_index_.find(m.host_id());
      const int slot = grid_.SlotOf(m.date(), m.slot());
      if (dl == delegate_index_.end() || h == host_index_.end() || slot < 0) {
        ++dropped_previous_;
        continue;
      }
      problem_.previous.push_back(
          {dl->second, h->second, slot, m.table() - 1, m.score(), m.locked()});
      previous_slot[{dl->second, h->second}] = slot;
    }
  }
  for (int i = 0; i < d_.pairs_size(); ++i) {
    const MeetingPair& pair = d_.pairs(i);
    auto dl = delegate_index_.find(pair.delegate_id());
    auto h = host_index_.find(pair.host_id());
    if (dl == delegate_index_.end() || h == host_index_.end()) continue;  // a declined outsider
    if (pair.status() == MeetingPair::DECLINED) {
      problem_.excluded.emplace_back(dl->second, h->second);
      continue;
    }
    Lock lock{dl->second, h->second, -1};
    if (!pair.date().empty()) {
      const std::optional<int> minute = reference::ParseTimeOfDay(pair.start_time());
      if (minute) lock.slot = grid_.SlotAt(pair.date(), *minute);
    } else if (auto it = previous_slot.find({lock.delegate, lock.host});
               it != previous_slot.end() && problem_.tables[it->second] > 0 &&
               problem_.delegates[lock.delegate].available[it->second] &&
               problem_.hosts[lock.host].available[it->second]) {
      lock.slot = it->second;  // locked meetings stay where they are while they can
    }
    problem_.locks.push_back(lock);
    lock_pair_.push_back(i);
  }
}

void ProblemBuilder::AddInterpreters() {
  for (const socio::v1::Interpreter& interpreter : d_.interpreters()) {
    problem_.interpreters.push_back(
        {.id = interpreter.name(), .available = InterpreterSlots(interpreter, grid_)});
  }
  for (size_t dl = 0; dl < delegates_.size(); ++dl) {
    for (size_t h = 0; h < host_ids_.size(); ++h) {
      const Languages& delegate = delegates_[dl].languages();
      const Languages& host = host_languages_[h];
      if (!NeedsInterpreter(delegate, host)) continue;
      InterpreterNeed& need = problem_.interpreter_needs.emplace_back();
      need.delegate = static_cast<int>(dl);
      need.host = static_cast<int>(h);
      for (int i = 0; i < d_.interpreters_size(); ++i) {
        if (Covers(d_.interpreters(i), delegate, host)) need.interpreters.push_back(i);
      }
    }
  }
}

absl::Status ProblemBuilder::AddHost(const std::string& field, const std::string& id,
                                     const Participant* p) {
  absl::StatusOr<Profile> profile = ProfileOf(*inputs_.source, field, id);
  if (!profile.ok()) return profile.status();
  if (profile->country() != d_.host_country()) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": '", id, "' is in ", profile->country(), ", not in ", d_.host_country()));
  }
  const std::string city = reference::FoldPlace(profile->city());
  if (!cities_.contains(city)) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": '", id, "' is in '", profile->city(), "', which the itinerary does not visit (",
        absl::StrJoin(city_names_, ", "), ")"));
  }
  host_index_[id] = static_cast<int>(host_ids_.size());
  host_ids_.push_back(id);
  problem_.hosts.push_back(ToCompany(id, Availability(grid_, d_, travel_rules_, id, p, &city), p));
  host_languages_.push_back(profile->languages());
  return absl::OkStatus();
}

}  // namespace socio::planner::internal
