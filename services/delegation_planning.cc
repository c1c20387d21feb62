#include "services/delegation_planning.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "planner/agenda.h"
#include "services/access.h"
#include "storage/delegation_validation.h"

namespace socio::services {
namespace {

using socio::v1::Delegation;
using socio::v1::DelegationPlan;
using socio::v1::ItineraryDay;
using socio::v1::MeetingPair;
using socio::v1::Participant;
using socio::v1::PlannedMeeting;
using socio::v1::Profile;

// Partners per delegate RankDestinations looks at, and per country the best
// of them that count.
constexpr int kDestinationPartners = 500;
constexpr int kBestPerCountry = 10;
constexpr double kStrongPartner = 0.5;
constexpr int kReasonsPerMeeting = 3;

// A city name compared without case, spaces around it or the accents of
// Latin-1 letters ("León" = "leon").
std::string FoldCity(absl::string_view city) {
  // Base letters of U+00C0..U+00FF, the second byte of their UTF-8 form
  // being 0x80..0xBF.
  static constexpr char kBase[] =
      "aaaaaaaceeeeiiiidnoooooxouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
  city = absl::StripAsciiWhitespace(city);
  std::string out;
  for (size_t i = 0; i < city.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(city[i]);
    const unsigned char next = i + 1 < city.size() ? static_cast<unsigned char>(city[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
      out.push_back(kBase[next - 0x80]);
      ++i;
    } else {
      out.push_back(absl::ascii_tolower(c));
    }
  }
  return out;
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

// The meeting grid: the itinerary's days in date order, each cut into slots.
struct Grid {
  struct Slot {
    int position;  // of its day in date order
    int index;     // within the day
    absl::Time start, end;
  };
  std::vector<int> day_index;           // delegation.days() index by position
  std::vector<storage::DaySlots> days;  // by position
  std::vector<int> first_slot;          // by position
  std::vector<Slot> slots;              // in time order
  absl::flat_hash_map<std::string, int> position_of_date;

  // The slot of a day's date and its slot index; -1 if there is none.
  int SlotOf(const std::string& date, int index) const {
    auto it = position_of_date.find(date);
    if (it == position_of_date.end() || index < 0 ||
        index >= static_cast<int>(days[it->second].starts.size())) {
      return -1;
    }
    return first_slot[it->second] + index;
  }
};

absl::StatusOr<Grid> BuildGrid(const Delegation& d, const reference::ReferenceData& reference) {
  Grid grid;
  for (int i = 0; i < d.days_size(); ++i) grid.day_index.push_back(i);
  std::sort(grid.day_index.begin(), grid.day_index.end(),
            [&](int x, int y) { return d.days(x).date() < d.days(y).date(); });
  for (int position = 0; position < static_cast<int>(grid.day_index.size()); ++position) {
    const int i = grid.day_index[position];
    storage::DaySlots slots = storage::SlotsOfDay(d, d.days(i), reference);
    grid.position_of_date[d.days(i).date()] = position;
    grid.first_slot.push_back(static_cast<int>(grid.slots.size()));
    for (int k = 0; k < static_cast<int>(slots.starts.size()); ++k) {
      absl::StatusOr<absl::Time> start =
          planner::VenueTime(slots.date, slots.starts[k], slots.time_zone);
      if (!start.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("delegation.days[", i, "].time_zone: ", start.status().message()));
      }
      grid.slots.push_back({position, k, *start, *start + absl::Minutes(slots.meeting_minutes)});
    }
    grid.days.push_back(std::move(slots));
  }
  return grid;
}

// The slots a company can meet in: every slot, or (for a host) those of the
// days in its city; less its unavailabilities.
std::vector<bool> Availability(const Grid& grid, const Delegation& d, const Participant* p,
                               const std::string* host_city) {
  std::vector<bool> available(grid.slots.size(), true);
  if (host_city != nullptr) {
    for (size_t s = 0; s < grid.slots.size(); ++s) {
      const ItineraryDay& day = d.days(grid.day_index[grid.slots[s].position]);
      available[s] = FoldCity(day.city()) == *host_city;
    }
  }
  if (p == nullptr) return available;
  for (const socio::v1::Unavailability& u : p->unavailable()) {
    auto it = grid.position_of_date.find(u.date());
    if (it == grid.position_of_date.end()) continue;
    const storage::DaySlots& day = grid.days[it->second];
    const std::optional<int> from = storage::ParseTimeOfDay(u.start_time());
    const std::optional<int> to = storage::ParseTimeOfDay(u.end_time());
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

planner::Company ToCompany(const std::string& id, std::vector<bool> available,
                           const Participant* p) {
  planner::Company company;
  company.id = id;
  company.available = std::move(available);
  if (p != nullptr) {
    company.max_meetings = p->max_meetings() > 0 ? p->max_meetings() : -1;
    company.min_meetings = p->min_meetings();
  }
  return company;
}

// The profile of a member id, or NOT_FOUND naming `field`.
absl::StatusOr<Profile> ProfileOf(const PartnerSource& source, const std::string& field,
                                  const std::string& id) {
  absl::StatusOr<Profile> profile = source.GetProfile(id);
  if (absl::IsNotFound(profile.status())) {
    return absl::NotFoundError(absl::StrCat(field, ": no profile '", id, "'"));
  }
  return profile;
}

}  // namespace

absl::Status CheckNamedCompanies(const Delegation& d, const ProfileLookup& profiles,
                                 absl::StatusCode code) {
  const Caller staff = ChamberStaff(d.chamber_id());
  std::vector<std::pair<std::string, const std::string*>> named;
  for (int i = 0; i < d.delegates_size(); ++i) {
    named.emplace_back(absl::StrCat("delegation.delegates[", i, "]"), &d.delegates(i).member_id());
  }
  for (int i = 0; i < d.hosts_size(); ++i) {
    named.emplace_back(absl::StrCat("delegation.hosts[", i, "]"), &d.hosts(i).member_id());
  }
  for (int i = 0; i < d.pairs_size(); ++i) {
    named.emplace_back(absl::StrCat("delegation.pairs[", i, "].delegate_id"),
                       &d.pairs(i).delegate_id());
    named.emplace_back(absl::StrCat("delegation.pairs[", i, "].host_id"), &d.pairs(i).host_id());
  }
  absl::flat_hash_map<std::string, bool> visible;  // by id, each read once
  for (const auto& [field, id] : named) {
    auto [it, inserted] = visible.try_emplace(*id, false);
    if (inserted) {
      absl::StatusOr<Profile> profile = profiles.GetProfile(*id);
      // A malformed id names no profile either.
      if (!profile.ok() && !absl::IsNotFound(profile.status()) &&
          !absl::IsInvalidArgument(profile.status())) {
        return profile.status();
      }
      it->second = profile.ok() && CanRead(staff, *profile);
    }
    if (!it->second) {
      return absl::Status(code, absl::StrCat(field, ": no company '", *id, "' that chamber '",
                                             d.chamber_id(), "' may see"));
    }
  }
  return absl::OkStatus();
}

namespace {

bool IsLock(const MeetingPair& pair) {
  return pair.status() == MeetingPair::REQUESTED || pair.status() == MeetingPair::ACCEPTED;
}

// The planner's message names its locks by index; people know the pairs.
absl::Status RenameLock(const absl::Status& status, const std::vector<int>& lock_pair) {
  const std::string message(status.message());
  if (!absl::StartsWith(message, "locks[")) return status;
  const size_t close = message.find(']');
  int lock = -1;
  if (close == std::string::npos || !absl::SimpleAtoi(message.substr(6, close - 6), &lock) ||
      lock < 0 || lock >= static_cast<int>(lock_pair.size())) {
    return status;
  }
  return absl::Status(status.code(), absl::StrCat("delegation.pairs[", lock_pair[lock], "]",
                                                  message.substr(close + 1)));
}

socio::v1::MeetingLoad ToLoad(const planner::CompanyLoad& load) {
  socio::v1::MeetingLoad out;
  out.set_min(load.min);
  out.set_mean(load.mean);
  out.set_max(load.max);
  return out;
}

// Profile names by id, read once each, of the companies `viewer` may see:
// read, or (with `member`) be shown as the member's partners at `now`.
class Names {
 public:
  Names(const PartnerSource& source, const Caller& viewer, const Profile* member, absl::Time now)
      : source_(source), viewer_(viewer), member_(member), now_(now) {}
  // The name; the id for a company deleted or hidden since the plan.
  const std::string& Of(const std::string& id) { return Lookup(id).name; }
  bool Visible(const std::string& id) { return Lookup(id).visible; }

 private:
  struct Company {
    std::string name;
    bool visible = false;
  };
  const Company& Lookup(const std::string& id) {
    auto [it, inserted] = companies_.try_emplace(id, Company{id});
    if (inserted) {
      absl::StatusOr<Profile> profile = source_.GetProfile(id);
      it->second.visible =
          profile.ok() &&
          (CanRead(viewer_, *profile) ||
           (member_ != nullptr && PartnerVisible(viewer_, *member_, *profile, now_)));
      if (it->second.visible && !profile->name().empty()) it->second.name = profile->name();
    }
    return it->second;
  }

  const PartnerSource& source_;
  const Caller& viewer_;
  const Profile* const member_;
  const absl::Time now_;
  absl::flat_hash_map<std::string, Company> companies_;
};

}  // namespace

absl::StatusOr<DelegationPlan> MakePlan(const Delegation& d, bool fresh,
                                        const PlanningInputs& inputs,
                                        const planner::PlanOptions& options) {
  const reference::ReferenceData& reference = *inputs.reference;
  absl::StatusOr<Grid> grid = BuildGrid(d, reference);
  if (!grid.ok()) return grid.status();
  absl::flat_hash_set<std::string> cities;
  std::vector<std::string> city_names;
  for (const ItineraryDay& day : d.days()) {
    if (cities.insert(FoldCity(day.city())).second) city_names.push_back(day.city());
  }

  planner::PlanProblem problem;
  for (const Grid::Slot& slot : grid->slots) {
    problem.slot_day.push_back(slot.position);
    problem.tables.push_back(grid->days[slot.position].tables);
  }
  // Visibility may have changed since the delegation was stored.
  if (absl::Status s =
          CheckNamedCompanies(d, *inputs.source, absl::StatusCode::kFailedPrecondition);
      !s.ok()) {
    return s;
  }
  const Caller staff = ChamberStaff(d.chamber_id());
  std::vector<std::string> delegate_ids;
  std::vector<Profile> delegates;
  absl::flat_hash_map<std::string, int> delegate_index;
  for (int i = 0; i < d.delegates_size(); ++i) {
    const Participant& p = d.delegates(i);
    absl::StatusOr<Profile> profile = ProfileOf(
        *inputs.source, absl::StrCat("delegation.delegates[", i, "].member_id"), p.member_id());
    if (!profile.ok()) return profile.status();
    delegates.push_back(*std::move(profile));
    delegate_index[p.member_id()] = static_cast<int>(delegate_ids.size());
    delegate_ids.push_back(p.member_id());
    problem.delegates.push_back(ToCompany(p.member_id(), Availability(*grid, d, &p, nullptr), &p));
  }

  // Hosts: named, then those of locked pairs, then those the filter picks.
  std::vector<std::string> host_ids;
  absl::flat_hash_map<std::string, int> host_index;
  auto add_host = [&](const std::string& field, const std::string& id,
                      const Participant* p) -> absl::Status {
    absl::StatusOr<Profile> profile = ProfileOf(*inputs.source, field, id);
    if (!profile.ok()) return profile.status();
    if (profile->country() != d.host_country()) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": '", id, "' is in ", profile->country(), ", not in ", d.host_country()));
    }
    const std::string city = FoldCity(profile->city());
    if (!cities.contains(city)) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": '", id, "' is in '", profile->city(), "', which the itinerary does not visit (",
          absl::StrJoin(city_names, ", "), ")"));
    }
    host_index[id] = static_cast<int>(host_ids.size());
    host_ids.push_back(id);
    problem.hosts.push_back(ToCompany(id, Availability(*grid, d, p, &city), p));
    return absl::OkStatus();
  };
  for (int i = 0; i < d.hosts_size(); ++i) {
    absl::Status s = add_host(absl::StrCat("delegation.hosts[", i, "].member_id"),
                              d.hosts(i).member_id(), &d.hosts(i));
    if (!s.ok()) return s;
  }
  for (int i = 0; i < d.pairs_size(); ++i) {
    if (!IsLock(d.pairs(i)) || host_index.contains(d.pairs(i).host_id())) continue;
    absl::Status s =
        add_host(absl::StrCat("delegation.pairs[", i, "].host_id"), d.pairs(i).host_id(), nullptr);
    if (!s.ok()) return s;
  }
  if (d.host_filter().max_hosts() > 0) {
    socio::v1::MatchFilters filters;
    filters.add_countries(d.host_country());
    *filters.mutable_sectors() = d.host_filter().sectors();
    absl::flat_hash_map<std::string, double> best;
    absl::flat_hash_map<std::string, absl::StatusOr<Profile>> candidates;
    for (size_t i = 0; i < delegate_ids.size(); ++i) {
      absl::StatusOr<std::vector<socio::v1::Match>> found = inputs.source->FindPartners(
          delegate_ids[i], filters, std::min(1000, d.host_filter().max_hosts() * 2),
          inputs.weights);
      if (!found.ok()) return found.status();
      for (const socio::v1::Match& m : *found) {
        // Only partners of this delegate as the chamber's staff see them.
        auto [it, inserted] = candidates.try_emplace(m.partner_id(), Profile());
        if (inserted) it->second = inputs.source->GetProfile(m.partner_id());
        if (!it->second.ok() || !CanRead(staff, *it->second) ||
            !PartnerVisible(staff, delegates[i], *it->second, inputs.now)) {
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
      if (added == d.host_filter().max_hosts()) break;
      if (host_index.contains(id) || delegate_index.contains(id)) continue;
      // Hosts outside the itinerary's cities are passed over, not errors.
      if (add_host("host_filter", id, nullptr).ok()) ++added;
    }
  }

  absl::StatusOr<std::vector<double>> scores =
      inputs.source->PairScores(delegate_ids, host_ids, inputs.weights);
  if (!scores.ok()) return scores.status();
  problem.scores = *std::move(scores);

  // The previous plan, by pair.
  absl::flat_hash_map<std::pair<int, int>, int> previous_slot;
  if (!fresh && d.has_plan()) {
    for (const PlannedMeeting& m : d.plan().meetings()) {
      auto dl = delegate_index.find(m.delegate_id());
      auto h = host_index.find(m.host_id());
      const int slot = grid->SlotOf(m.date(), m.slot());
      if (dl == delegate_index.end() || h == host_index.end() || slot < 0) continue;
      problem.previous.push_back(
          {dl->second, h->second, slot, m.table() - 1, m.score(), m.locked()});
      previous_slot[{dl->second, h->second}] = slot;
    }
  }
  std::vector<int> lock_pair;  // pairs() index of each lock
  for (int i = 0; i < d.pairs_size(); ++i) {
    const MeetingPair& pair = d.pairs(i);
    auto dl = delegate_index.find(pair.delegate_id());
    auto h = host_index.find(pair.host_id());
    if (dl == delegate_index.end() || h == host_index.end()) continue;  // a declined outsider
    if (pair.status() == MeetingPair::DECLINED) {
      problem.excluded.emplace_back(dl->second, h->second);
      continue;
    }
    planner::Lock lock{dl->second, h->second, -1};
    if (!pair.date().empty()) {
      const auto position = grid->position_of_date.find(pair.date());
      const std::optional<int> minute = storage::ParseTimeOfDay(pair.start_time());
      if (position != grid->position_of_date.end() && minute) {
        const std::vector<int>& starts = grid->days[position->second].starts;
        const auto k = std::find(starts.begin(), starts.end(), *minute);
        if (k != starts.end())
          lock.slot = grid->first_slot[position->second] + (k - starts.begin());
      }
    } else if (auto it = previous_slot.find({lock.delegate, lock.host});
               it != previous_slot.end()) {
      lock.slot = it->second;  // locked meetings stay where they are
    }
    problem.locks.push_back(lock);
    lock_pair.push_back(i);
  }

  absl::StatusOr<planner::PlanResult> result = planner::PlanDelegation(problem, options);
  if (!result.ok()) return RenameLock(result.status(), lock_pair);

  DelegationPlan plan;
  for (const planner::Meeting& m : result->meetings) {
    const Grid::Slot& slot = grid->slots[m.slot];
    const ItineraryDay& day = d.days(grid->day_index[slot.position]);
    PlannedMeeting* out = plan.add_meetings();
    out->set_delegate_id(delegate_ids[m.delegate]);
    out->set_host_id(host_ids[m.host]);
    out->set_date(day.date());
    out->set_slot(slot.index);
    *out->mutable_start_time() = ToTimestamp(slot.start);
    *out->mutable_end_time() = ToTimestamp(slot.end);
    out->set_local_start(storage::FormatTimeOfDay(grid->days[slot.position].starts[slot.index]));
    out->set_table(m.table + 1);
    out->set_score(m.score);
    out->set_locked(m.locked);
    // Each side's agenda explains the meeting in its own words.
    for (bool delegate_side : {true, false}) {
      const std::string& a = delegate_side ? out->delegate_id() : out->host_id();
      const std::string& b = delegate_side ? out->host_id() : out->delegate_id();
      absl::StatusOr<socio::v1::Match> why = inputs.source->Explain(a, b, inputs.weights);
      if (!why.ok()) continue;  // a member the index no longer holds: no reasons
      for (int r = 0; r < std::min(kReasonsPerMeeting, why->reasons_size()); ++r) {
        *(delegate_side ? out->add_reasons() : out->add_host_reasons()) = why->reasons(r);
      }
    }
    out->set_uid(absl::StrCat(d.id(), "-", out->delegate_id(), "-", out->host_id(), "@socio"));
  }
  plan.set_total_score(result->total);
  plan.set_bound(result->bound);
  plan.set_gap(result->gap);
  *plan.mutable_delegate_load() = ToLoad(result->delegate_load);
  *plan.mutable_host_load() = ToLoad(result->host_load);
  for (const planner::UnplacedLock& u : result->unplaced_locks) {
    const MeetingPair& pair = d.pairs(lock_pair[u.lock]);
    socio::v1::UnplacedPair* out = plan.add_unplaced();
    out->set_delegate_id(pair.delegate_id());
    out->set_host_id(pair.host_id());
    out->set_reason(u.reason);
  }
  plan.set_moved(result->moved);
  plan.set_min_shortfall(result->min_shortfall);
  for (const std::string& id : host_ids) plan.add_host_ids(id);
  *plan.mutable_plan_time() = ToTimestamp(inputs.now);
  plan.set_delegation_version(d.version());
  return plan;
}

absl::StatusOr<socio::v1::Agenda> MakeAgenda(const Delegation& d, const std::string& member_id,
                                             socio::v1::GetAgendaRequest::Format format,
                                             const Caller& viewer, const PlanningInputs& inputs) {
  if (!d.has_plan()) {
    return absl::FailedPreconditionError(
        absl::StrCat("delegation '", d.id(), "' has no plan yet: plan it first"));
  }
  const DelegationPlan& plan = d.plan();
  const reference::ReferenceData& reference = *inputs.reference;
  // What the agendas say of each day, by date.
  struct Day {
    std::string time_zone;
    std::string place;  // "venue, city" or "city"
    int meeting_minutes;
  };
  absl::flat_hash_map<std::string, Day> day_of_date;
  for (const ItineraryDay& day : d.days()) {
    const storage::DaySlots slots = storage::SlotsOfDay(d, day, reference);
    day_of_date[day.date()] = {
        slots.time_zone, absl::StrCat(day.venue(), day.venue().empty() ? "" : ", ", day.city()),
        slots.meeting_minutes};
  }
  // The itinerary may have changed since the plan was made.
  for (const PlannedMeeting& m : plan.meetings()) {
    if (!day_of_date.contains(m.date())) {
      return absl::FailedPreconditionError(
          absl::StrCat("delegation '", d.id(), "': its plan has meetings on ", m.date(),
                       ", which is no longer a day of the itinerary; plan it again"));
    }
  }
  std::optional<Profile> member;
  if (!member_id.empty()) {
    absl::StatusOr<Profile> read = inputs.source->GetProfile(member_id);
    if (read.ok()) member = *std::move(read);
  }
  Names names(*inputs.source, viewer, member ? &*member : nullptr, inputs.now);
  socio::v1::Agenda agenda;
  agenda.set_delegation_id(d.id());
  agenda.set_member_id(member_id);

  if (member_id.empty()) {
    if (format == socio::v1::GetAgendaRequest::ICALENDAR) {
      return absl::InvalidArgumentError(
          "member_id: an iCalendar agenda is one company's; without member_id ask for CSV");
    }
    std::string csv =
        "date,start,end,time_zone,table,delegate_id,delegate_name,host_id,host_name,score,locked,"
        "location\r\n";
    for (const PlannedMeeting& m : plan.meetings()) {
      *agenda.add_meetings() = m;
      const Day& day = day_of_date.at(m.date());
      const int start = storage::ParseTimeOfDay(m.local_start()).value_or(0);
      absl::StrAppend(
          &csv, m.date(), ",", m.local_start(), ",",
          storage::FormatTimeOfDay(start + day.meeting_minutes), ",",
          planner::CsvCell(day.time_zone), ",", m.table(), ",", planner::CsvCell(m.delegate_id()),
          ",", planner::CsvCell(names.Of(m.delegate_id())), ",", planner::CsvCell(m.host_id()), ",",
          planner::CsvCell(names.Of(m.host_id())), ",", absl::StrFormat("%.3f", m.score()), ",",
          m.locked() ? "yes" : "no", ",", planner::CsvCell(day.place), "\r\n");
    }
    agenda.set_content(std::move(csv));
    agenda.set_content_type("text/csv; charset=utf-8");
    agenda.set_file_name(absl::StrCat(d.id(), "-plan.csv"));
    return agenda;
  }

  bool takes_part = std::count(plan.host_ids().begin(), plan.host_ids().end(), member_id) > 0;
  for (const Participant& p : d.delegates()) takes_part |= p.member_id() == member_id;
  if (!takes_part) {
    return absl::NotFoundError(
        absl::StrCat("member_id: '", member_id, "' takes no part in delegation '", d.id(), "'"));
  }
  planner::Agenda out;
  out.company_id = member_id;
  out.company_name = names.Of(member_id);
  out.calendar_name = absl::StrCat(d.name(), " — ", out.company_name);
  for (const PlannedMeeting& m : plan.meetings()) {
    if (m.delegate_id() != member_id && m.host_id() != member_id) continue;
    const bool delegate_side = m.delegate_id() == member_id;
    PlannedMeeting* shown = agenda.add_meetings();
    *shown = m;
    const Day& day = day_of_date.at(m.date());
    planner::AgendaMeeting meeting;
    meeting.partner_name = names.Of(delegate_side ? m.host_id() : m.delegate_id());
    if (!names.Visible(delegate_side ? m.host_id() : m.delegate_id())) {
      // A partner the viewer may not see is met but not named, nor
      // described, nor hinted at by the uid (one per slot of the company).
      delegate_side ? shown->clear_host_id() : shown->clear_delegate_id();
      shown->clear_reasons();
      shown->clear_host_reasons();
      shown->set_uid(absl::StrCat(d.id(), "-", member_id, "-", m.date(), "-", m.slot(), "@socio"));
      meeting.partner_name = "a company of the delegation";
    }
    meeting.uid = shown->uid();
    meeting.start = absl::FromUnixSeconds(m.start_time().seconds());
    meeting.end = absl::FromUnixSeconds(m.end_time().seconds());
    meeting.time_zone = day.time_zone;
    meeting.partner_id = delegate_side ? shown->host_id() : shown->delegate_id();
    meeting.summary =
        meeting.partner_id.empty()
            ? absl::StrCat("Meeting with ", meeting.partner_name)
            : absl::StrCat("Meeting with ", meeting.partner_name, " (", meeting.partner_id, ")");
    meeting.location = absl::StrCat(day.place, ", table ", m.table());
    meeting.description =
        absl::StrJoin(delegate_side ? shown->reasons() : shown->host_reasons(), "\n");
    meeting.table = m.table();
    meeting.sequence = static_cast<int>(plan.delegation_version());
    out.meetings.push_back(std::move(meeting));
  }
  absl::StatusOr<std::string> content;
  if (format == socio::v1::GetAgendaRequest::CSV) {
    content = planner::AgendaToCsv(out);
    agenda.set_content_type("text/csv; charset=utf-8");
    agenda.set_file_name(absl::StrCat(d.id(), "-", member_id, ".csv"));
  } else {
    // Stamped with the plan's time, so exporting twice gives the same file.
    content = planner::AgendaToICalendar(out, absl::FromUnixSeconds(plan.plan_time().seconds()));
    agenda.set_content_type("text/calendar; charset=utf-8");
    agenda.set_file_name(absl::StrCat(d.id(), "-", member_id, ".ics"));
  }
  if (!content.ok()) return content.status();
  agenda.set_content(*std::move(content));
  return agenda;
}

absl::StatusOr<socio::v1::RecommendDestinationsResponse> RankDestinations(
    const socio::v1::RecommendDestinationsRequest& request, const Caller& caller,
    const PlanningInputs& inputs) {
  if (request.delegate_ids_size() < 1 || request.delegate_ids_size() > 200) {
    return absl::InvalidArgumentError(
        absl::StrCat("delegate_ids: give 1 to 200, got ", request.delegate_ids_size()));
  }
  const int k = request.k() == 0 ? 10 : request.k();
  if (k < 1 || k > 50) {
    return absl::InvalidArgumentError(absl::StrCat("k: must be 1 to 50 (0: 10), got ", k));
  }
  absl::flat_hash_set<std::string> excluded;
  for (int i = 0; i < request.exclude_countries_size(); ++i) {
    const std::string& code = request.exclude_countries(i);
    if (absl::Status s =
            inputs.validator->CheckCountry(absl::StrCat("exclude_countries[", i, "]"), code);
        !s.ok()) {
      return s;
    }
    excluded.insert(code);
  }
  struct Country {
    double score_sum = 0;
    std::map<std::string, double> strong;  // partner id -> best score
  };
  std::map<std::string, Country> countries;
  for (int i = 0; i < request.delegate_ids_size(); ++i) {
    const std::string& id = request.delegate_ids(i);
    absl::StatusOr<Profile> profile =
        ProfileOf(*inputs.source, absl::StrCat("delegate_ids[", i, "]"), id);
    if (!profile.ok()) return profile.status();
    absl::StatusOr<std::vector<socio::v1::Match>> found = inputs.source->FindPartners(
        id, socio::v1::MatchFilters(), kDestinationPartners, inputs.weights);
    if (!found.ok()) return found.status();
    // The source ranks in the staff view, which is the caller's own if it
    // sees the member's PRIVATE partners; else each partner is judged.
    const bool staff_view = SeesPrivatePartners(caller, *profile);
    // Best first, so each country's first kBestPerCountry are its best.
    std::map<std::string, std::vector<double>> best;
    for (const socio::v1::Match& m : *found) {
      if (excluded.contains(m.partner_country())) continue;
      if (!staff_view) {
        absl::StatusOr<Profile> partner = inputs.source->GetProfile(m.partner_id());
        if (!partner.ok() || !PartnerVisible(caller, *profile, *partner, inputs.now)) continue;
      }
      std::vector<double>& scores = best[m.partner_country()];
      if (static_cast<int>(scores.size()) < kBestPerCountry) scores.push_back(m.score());
      if (m.score() >= kStrongPartner) {
        double& strong = countries[m.partner_country()].strong[m.partner_id()];
        strong = std::max(strong, m.score());
      }
    }
    for (const auto& [country, scores] : best) {
      double sum = 0;
      for (double s : scores) sum += s;
      countries[country].score_sum += sum / static_cast<double>(scores.size());
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [code, country] : countries) {
    ranked.emplace_back(-country.score_sum / request.delegate_ids_size(), code);
  }
  std::sort(ranked.begin(), ranked.end());
  if (static_cast<int>(ranked.size()) > k) ranked.resize(k);

  socio::v1::RecommendDestinationsResponse response;
  for (const auto& [negative_score, code] : ranked) {
    const Country& country = countries[code];
    socio::v1::Destination* out = response.add_destinations();
    out->set_country(code);
    out->set_score(-negative_score);
    out->set_strong_partners(static_cast<int>(country.strong.size()));
    std::map<std::string, std::pair<std::string, int>> cities;  // folded -> (as written, count)
    for (const auto& [partner, score] : country.strong) {
      absl::StatusOr<Profile> profile = inputs.source->GetProfile(partner);
      if (!profile.ok() || profile->city().empty()) continue;
      auto& city = cities[FoldCity(profile->city())];
      if (city.first.empty()) city.first = profile->city();
      ++city.second;
    }
    std::vector<std::pair<int, std::string>> by_count;
    for (const auto& [folded, city] : cities) by_count.emplace_back(-city.second, city.first);
    std::sort(by_count.begin(), by_count.end());
    for (const auto& [negative_count, name] : by_count) {
      socio::v1::DestinationCity* city = out->add_cities();
      city->set_city(name);
      city->set_strong_partners(-negative_count);
    }
  }
  return response;
}

}  // namespace socio::services
