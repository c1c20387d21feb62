#include "planner/delegation_agenda.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "planner/agenda.h"
#include "planner/programme.h"
#include "planner/slot_grid.h"
#include "reference/itinerary.h"

namespace socio::planner {
namespace {

using socio::v1::Delegation;
using socio::v1::DelegationPlan;
using socio::v1::ItineraryDay;
using socio::v1::Participant;
using socio::v1::PlannedMeeting;
using socio::v1::Profile;

// Profile names by id, read once each, of the companies `viewer` may see:
// read, or (with `member`) be shown as the member's partners at `now`.
class Names {
 public:
  Names(const PlanningSource& source, const ProfileAccess& viewer, const Profile* member,
        absl::Time now)
      : source_(source), viewer_(viewer), member_(member), now_(now) {}
  // The name; the id for a company deleted or hidden since the plan; the
  // handle for one the viewer is shown anonymously.
  const std::string& Of(const std::string& id) { return Lookup(id).name; }
  bool Visible(const std::string& id) { return Lookup(id).visible; }
  // The id as the viewer is shown it: the handle for an anonymous company.
  const std::string& ShownId(const std::string& id) { return Lookup(id).shown_id; }
  bool Anonymous(const std::string& id) { return Lookup(id).shown_id != id; }

 private:
  struct Company {
    std::string name;
    std::string shown_id;
    bool visible = false;
  };
  const Company& Lookup(const std::string& id) {
    auto [it, inserted] = companies_.try_emplace(id, Company{id, id});
    if (inserted) {
      absl::StatusOr<Profile> profile = source_.GetProfile(id);
      it->second.visible =
          profile.ok() &&
          (viewer_.CanRead(*profile) ||
           (member_ != nullptr && viewer_.PartnerVisible(*member_, *profile, now_)));
      if (it->second.visible && !profile->name().empty()) it->second.name = profile->name();
      if (it->second.visible) {
        if (std::string handle = viewer_.Pseudonym(*profile); !handle.empty()) {
          it->second.name = handle;
          it->second.shown_id = std::move(handle);
        }
      }
    }
    return it->second;
  }

  const PlanningSource& source_;
  const ProfileAccess& viewer_;
  const Profile* const member_;
  const absl::Time now_;
  absl::flat_hash_map<std::string, Company> companies_;
};

// What the agendas say of each day.
struct Day {
  const ItineraryDay* itinerary_day;
  std::string time_zone;
  std::string place;  // "venue, city" or "city"
  int meeting_minutes;
};
using Days = absl::flat_hash_map<std::string, Day>;  // by date

// The itinerary's days; FAILED_PRECONDITION if the plan has meetings on a
// day the itinerary no longer has.
absl::StatusOr<Days> DaysOf(const Delegation& d, const reference::ReferenceData& reference) {
  Days day_of_date;
  for (const ItineraryDay& day : d.days()) {
    const DaySlots slots = SlotsOfDay(d, day, reference);
    day_of_date[day.date()] = {
        &day, slots.time_zone,
        absl::StrCat(day.venue(), day.venue().empty() ? "" : ", ", day.city()),
        slots.meeting_minutes};
  }
  for (const PlannedMeeting& m : d.plan().meetings()) {
    if (!day_of_date.contains(m.date())) {
      return absl::FailedPreconditionError(
          absl::StrCat("delegation '", d.id(), "': its plan has meetings on ", m.date(),
                       ", which is no longer a day of the itinerary; plan it again"));
    }
  }
  return day_of_date;
}

// What a meeting's agenda says of its interpreter: the name, or that one is
// needed and none is assigned; empty when the two share a language.
std::string InterpreterNote(const PlannedMeeting& m) {
  if (!m.needs_interpreter()) return "";
  if (!m.interpreter().empty()) return m.interpreter();
  return absl::StrCat("needed (", absl::StrJoin(m.delegate_languages(), "/"), " - ",
                      absl::StrJoin(m.host_languages(), "/"), "), none assigned");
}

// What people call an item's kind.
std::string KindName(socio::v1::ProgrammeItem::Kind kind) {
  switch (kind) {
    case socio::v1::ProgrammeItem::BRIEFING:
      return "Briefing";
    case socio::v1::ProgrammeItem::COMPANY_VISIT:
      return "Company visit";
    case socio::v1::ProgrammeItem::SEMINAR:
      return "Seminar";
    case socio::v1::ProgrammeItem::RECEPTION:
      return "Reception";
    default:
      return "Programme";
  }
}

// The programme items `member_id` attends, as agenda entries. An item whose
// time cannot be placed in its day's zone is left out (the plan could not
// have been made either).
void AddProgramme(const Delegation& d, const TravelRules& rules, const std::string& member_id,
                  bool is_delegate, const Days& day_of_date, Agenda* out) {
  for (const socio::v1::ProgrammeItem& item : d.programme()) {
    if (!Attends(item, member_id, is_delegate)) continue;
    const auto day = day_of_date.find(item.date());
    const std::optional<absl::CivilDay> date = reference::ParseDate(item.date());
    const std::optional<int> from = reference::ParseTimeOfDay(item.start_time());
    const std::optional<int> to = reference::ParseTimeOfDay(item.end_time());
    if (day == day_of_date.end() || !date || !from || !to) continue;
    absl::StatusOr<absl::Time> start = VenueTime(*date, *from, day->second.time_zone);
    absl::StatusOr<absl::Time> end = VenueTime(*date, *to, day->second.time_zone);
    if (!start.ok() || !end.ok()) continue;
    AgendaMeeting entry;
    entry.uid = absl::StrCat(d.id(), "-item-", item.id(), "@socio");
    entry.start = *start;
    entry.end = *end;
    entry.time_zone = day->second.time_zone;
    entry.summary = absl::StrCat(KindName(item.kind()), ": ", item.title());
    const Place venue = VenueOf(*day->second.itinerary_day);
    const Place place = PlaceOf(item, *day->second.itinerary_day);
    entry.location =
        item.place().name().empty()
            ? day->second.place
            : absl::StrCat(item.place().name(), item.place().address().empty() ? "" : ", ",
                           item.place().address());
    const int there = TravelMinutes(venue, place, rules);
    const int back = TravelMinutes(place, venue, rules);
    if (there > 0 || back > 0) {
      entry.description = absl::StrCat("Away from the venue: allow ", there,
                                       " minutes to get there and ", back, " to come back.");
    }
    entry.sequence = static_cast<int>(d.plan().delegation_version());
    out->meetings.push_back(std::move(entry));
  }
}

// The whole plan as CSV, into `agenda`.
void WholePlan(const Delegation& d, const Days& day_of_date, Names* names,
               socio::v1::Agenda* agenda) {
  const DelegationPlan& plan = d.plan();
  std::string csv =
      "date,start,end,time_zone,table,delegate_id,delegate_name,host_id,host_name,score,locked,"
      "location,interpreter\r\n";
  for (const PlannedMeeting& m : plan.meetings()) {
    PlannedMeeting* shown = agenda->add_meetings();
    *shown = m;
    // A pair's history would tell who an anonymous company is.
    if (names->Anonymous(m.delegate_id()) || names->Anonymous(m.host_id()) ||
        !names->Visible(m.delegate_id()) || !names->Visible(m.host_id())) {
      shown->clear_met_before();
    }
    const Day& day = day_of_date.at(m.date());
    const int start = reference::ParseTimeOfDay(m.local_start()).value_or(0);
    absl::StrAppend(&csv, m.date(), ",", m.local_start(), ",",
                    reference::FormatTimeOfDay(start + day.meeting_minutes), ",",
                    CsvCell(day.time_zone), ",", m.table(), ",",
                    CsvCell(names->ShownId(m.delegate_id())), ",",
                    CsvCell(names->Of(m.delegate_id())), ",", CsvCell(names->ShownId(m.host_id())),
                    ",", CsvCell(names->Of(m.host_id())), ",", absl::StrFormat("%.3f", m.score()),
                    ",", m.locked() ? "yes" : "no", ",", CsvCell(day.place), ",",
                    CsvCell(InterpreterNote(m)), "\r\n");
  }
  agenda->set_content(std::move(csv));
  agenda->set_content_type("text/csv; charset=utf-8");
  agenda->set_file_name(absl::StrCat(d.id(), "-plan.csv"));
}

// The meetings of `member_id`, who takes part in the plan, into `agenda`.
// `both_sides`: whether the viewer reads the partners' answers of a pair's
// history (MetBefore) too, as the company's staff do.
// `rules` are the delegation's travel rules.
absl::Status CompanyAgenda(const Delegation& d, const TravelRules& rules,
                           const std::string& member_id, socio::v1::GetAgendaRequest::Format format,
                           const Days& day_of_date, bool both_sides, Names* names,
                           socio::v1::Agenda* agenda) {
  const DelegationPlan& plan = d.plan();
  Agenda out;
  out.company_id = member_id;
  out.company_name = names->Of(member_id);
  out.calendar_name = absl::StrCat(d.name(), " — ", out.company_name);
  for (const PlannedMeeting& m : plan.meetings()) {
    if (m.delegate_id() != member_id && m.host_id() != member_id) continue;
    const bool delegate_side = m.delegate_id() == member_id;
    PlannedMeeting* shown = agenda->add_meetings();
    *shown = m;
    const Day& day = day_of_date.at(m.date());
    const std::string slot_uid =
        absl::StrCat(d.id(), "-", member_id, "-", m.date(), "-", m.slot(), "@socio");
    AgendaMeeting meeting;
    meeting.partner_name = names->Of(delegate_side ? m.host_id() : m.delegate_id());
    if (!names->Visible(delegate_side ? m.host_id() : m.delegate_id())) {
      // A partner the viewer may not see is met but not named, nor
      // described, nor hinted at by the uid (one per slot of the company).
      delegate_side ? shown->clear_host_id() : shown->clear_delegate_id();
      delegate_side ? shown->clear_host_languages() : shown->clear_delegate_languages();
      shown->clear_reasons();
      shown->clear_host_reasons();
      shown->set_uid(slot_uid);
      meeting.partner_name = "a company of the delegation";
    } else if (const std::string& partner = delegate_side ? m.host_id() : m.delegate_id();
               names->Anonymous(partner)) {
      // Named by its handle, which stands for its id too; the uid names
      // neither.
      delegate_side ? shown->set_host_id(names->ShownId(partner))
                    : shown->set_delegate_id(names->ShownId(partner));
      shown->set_uid(slot_uid);
    }
    if (shown->has_met_before()) {
      // The company's own answers first; the partner's for its staff only.
      socio::v1::MetBefore* met = shown->mutable_met_before();
      if (!delegate_side) met->mutable_member_side()->Swap(met->mutable_partner_side());
      if (!both_sides) met->clear_partner_side();
      const std::string& partner = delegate_side ? m.host_id() : m.delegate_id();
      if (!names->Visible(partner) || names->Anonymous(partner)) shown->clear_met_before();
    }
    meeting.uid = shown->uid();
    meeting.start = absl::FromUnixSeconds(m.start_time().seconds());
    meeting.end = absl::FromUnixSeconds(m.end_time().seconds());
    meeting.time_zone = day.time_zone;
    meeting.partner_id = delegate_side ? shown->host_id() : shown->delegate_id();
    meeting.summary =
        meeting.partner_id.empty() || meeting.partner_id == meeting.partner_name
            ? absl::StrCat("Meeting with ", meeting.partner_name)
            : absl::StrCat("Meeting with ", meeting.partner_name, " (", meeting.partner_id, ")");
    meeting.location = absl::StrCat(day.place, ", table ", m.table());
    meeting.description =
        absl::StrJoin(delegate_side ? shown->reasons() : shown->host_reasons(), "\n");
    if (const std::string note = InterpreterNote(m); !note.empty()) {
      absl::StrAppend(&meeting.description, meeting.description.empty() ? "" : "\n",
                      "Interpreter: ", note);
    }
    meeting.table = m.table();
    meeting.sequence = static_cast<int>(plan.delegation_version());
    out.meetings.push_back(std::move(meeting));
  }
  bool is_delegate = false;
  for (const Participant& p : d.delegates()) is_delegate |= p.member_id() == member_id;
  AddProgramme(d, rules, member_id, is_delegate, day_of_date, &out);
  std::vector<const socio::v1::ProgrammeItem*> items;
  for (const socio::v1::ProgrammeItem& item : d.programme()) {
    if (Attends(item, member_id, is_delegate)) items.push_back(&item);
  }
  std::stable_sort(items.begin(), items.end(), [](const auto* a, const auto* b) {
    return std::make_pair(a->date(), a->start_time()) < std::make_pair(b->date(), b->start_time());
  });
  for (const socio::v1::ProgrammeItem* item : items) {
    socio::v1::ProgrammeItem* shown = agenda->add_programme();
    *shown = *item;
    shown->clear_member_ids();  // who else attends is not the member's to read
  }
  absl::StatusOr<std::string> content;
  if (format == socio::v1::GetAgendaRequest::CSV) {
    content = AgendaToCsv(out);
    agenda->set_content_type("text/csv; charset=utf-8");
    agenda->set_file_name(absl::StrCat(d.id(), "-", member_id, ".csv"));
  } else {
    // Stamped with the plan's time, so exporting twice gives the same file.
    content = AgendaToICalendar(out, absl::FromUnixSeconds(plan.plan_time().seconds()));
    agenda->set_content_type("text/calendar; charset=utf-8");
    agenda->set_file_name(absl::StrCat(d.id(), "-", member_id, ".ics"));
  }
  if (!content.ok()) return content.status();
  agenda->set_content(*std::move(content));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<socio::v1::Agenda> MakeAgenda(const Delegation& d, const std::string& member_id,
                                             socio::v1::GetAgendaRequest::Format format,
                                             const ProfileAccess& viewer,
                                             const PlanningInputs& inputs) {
  if (!d.has_plan()) {
    return absl::FailedPreconditionError(
        absl::StrCat("delegation '", d.id(), "' has no plan yet: plan it first"));
  }
  // The itinerary may have changed since the plan was made.
  absl::StatusOr<Days> days = DaysOf(d, *inputs.reference);
  if (!days.ok()) return days.status();
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
    WholePlan(d, *days, &names, &agenda);
    return agenda;
  }
  const DelegationPlan& plan = d.plan();
  bool takes_part = std::count(plan.host_ids().begin(), plan.host_ids().end(), member_id) > 0;
  for (const Participant& p : d.delegates()) takes_part |= p.member_id() == member_id;
  if (!takes_part) {
    return absl::NotFoundError(
        absl::StrCat("member_id: '", member_id, "' takes no part in delegation '", d.id(), "'"));
  }
  const bool both_sides = member.has_value() && viewer.SeesPrivatePartners(*member);
  if (absl::Status s = CompanyAgenda(d, TravelRulesOf(d, inputs.reference->travel_times()),
                                     member_id, format, *days, both_sides, &names, &agenda);
      !s.ok()) {
    return s;
  }
  return agenda;
}

}  // namespace socio::planner
