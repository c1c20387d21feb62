#include "planner/plan_notices.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "planner/plan_changes.h"
#include "reference/itinerary.h"

namespace socio::planner {
namespace {

using socio::v1::Delegation;
using socio::v1::Notification;
using socio::v1::PlannedMeeting;

// Meetings listed one by one in a PLAN_PUBLISHED text; the agenda has them all.
constexpr size_t kListedMeetings = 10;

constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};

// "29 March", "29–30 March" or "30 March – 2 April" for the days of `mine`.
std::string DaysSpan(const std::vector<PlannedMeeting>& mine) {
  const std::string& first = mine.front().date();
  const std::string& last = mine.back().date();
  if (first == last) return DayInWords(first);
  const std::optional<absl::CivilDay> a = reference::ParseDate(first);
  const std::optional<absl::CivilDay> b = reference::ParseDate(last);
  if (a && b && a->year() == b->year() && a->month() == b->month()) {
    return absl::StrCat(a->day(), "–", DayInWords(last));
  }
  return absl::StrCat(DayInWords(first), " – ", DayInWords(last));
}

std::string When(const PlannedMeeting& m) {
  return absl::StrCat(DayInWords(m.date()), " ", m.local_start());
}

class Wording {
 public:
  Wording(const std::string& recipient, const PartnerName& partner_name)
      : recipient_(recipient), partner_name_(partner_name) {}

  // The other company of `m`, as the recipient is shown it.
  std::string Partner(const PlannedMeeting& m) const {
    const std::string& other = m.delegate_id() == recipient_ ? m.host_id() : m.delegate_id();
    std::string name = partner_name_ ? partner_name_(recipient_, other) : "";
    return name.empty() ? "a company of the delegation" : name;
  }

  std::string Published(const std::vector<PlannedMeeting>& mine) const {
    if (mine.empty()) return "the plan is published; it has no meetings for you";
    std::vector<std::string> listed;
    for (size_t i = 0; i < mine.size() && i < kListedMeetings; ++i) {
      listed.push_back(absl::StrCat(When(mine[i]), " with ", Partner(mine[i]), " (table ",
                                    mine[i].table(), ")"));
    }
    std::string text = absl::StrCat(mine.size(), mine.size() == 1 ? " meeting" : " meetings",
                                    " on ", DaysSpan(mine), ": ", absl::StrJoin(listed, "; "));
    if (mine.size() > kListedMeetings) {
      absl::StrAppend(&text, "; and ", mine.size() - kListedMeetings, " more in your agenda");
    }
    return text;
  }

  std::string Change(const MeetingChange& c) const {
    switch (c.kind) {
      case MeetingChange::Kind::kAdded:
        return absl::StrCat("new meeting with ", Partner(c.after), " on ", When(c.after),
                            ", table ", c.after.table());
      case MeetingChange::Kind::kRemoved:
        return absl::StrCat("your meeting with ", Partner(c.before), " on ", When(c.before),
                            " is cancelled");
      case MeetingChange::Kind::kMoved:
        return absl::StrCat("your meeting with ", Partner(c.after), " moved to ", When(c.after),
                            ", table ", c.after.table());
      case MeetingChange::Kind::kNewPartner:
        return absl::StrCat("on ", When(c.after), " you now meet ", Partner(c.after),
                            " instead of ", Partner(c.before), ", table ", c.after.table());
    }
    return "";
  }

 private:
  const std::string& recipient_;
  const PartnerName& partner_name_;
};

Notification Notice(const Delegation& d, const std::string& recipient, Notification::Kind kind,
                    const std::string& text) {
  Notification n;
  n.set_recipient(recipient);
  n.set_kind(kind);
  n.set_delegation_id(d.id());
  n.set_summary(absl::StrCat(d.name().empty() ? d.id() : d.name(), ": ", text));
  return n;
}

// The delegates in their order, then every other company of `meetings` by id.
std::vector<std::string> Companies(const Delegation& d, const std::set<std::string>& in_meetings) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const socio::v1::Participant& p : d.delegates()) {
    if (seen.insert(p.member_id()).second) out.push_back(p.member_id());
  }
  for (const std::string& id : in_meetings) {
    if (seen.insert(id).second) out.push_back(id);
  }
  return out;
}

// The notifications to the companies (PublicationNotices without staff's).
std::vector<Notification> CompanyNotices(const Delegation& d, const PartnerName& partner_name) {
  std::vector<Notification> out;
  if (!d.has_publication()) {
    std::set<std::string> in_meetings;
    for (const PlannedMeeting& m : d.plan().meetings()) {
      in_meetings.insert(m.delegate_id());
      in_meetings.insert(m.host_id());
    }
    for (const std::string& id : Companies(d, in_meetings)) {
      const Wording wording(id, partner_name);
      out.push_back(Notice(d, id, Notification::PLAN_PUBLISHED,
                           wording.Published(MeetingsOf(d.plan().meetings(), id))));
    }
    return out;
  }
  const std::map<std::string, std::vector<MeetingChange>> changes =
      ChangesByCompany(d.publication().meetings(), d.plan().meetings());
  std::set<std::string> changed;
  for (const auto& [id, mine] : changes) changed.insert(id);
  for (const std::string& id : Companies(d, changed)) {
    auto it = changes.find(id);
    if (it == changes.end()) continue;  // a delegate whose meetings stayed as told
    const Wording wording(id, partner_name);
    std::vector<std::string> parts;
    for (const MeetingChange& c : it->second) parts.push_back(wording.Change(c));
    out.push_back(Notice(d, id, Notification::MEETINGS_CHANGED, absl::StrJoin(parts, "; ")));
  }
  return out;
}

}  // namespace

std::string DayInWords(const std::string& date) {
  const std::optional<absl::CivilDay> day = reference::ParseDate(date);
  if (!day) return date;
  return absl::StrCat(day->day(), " ", kMonths[day->month() - 1]);
}

std::vector<Notification> PublicationNotices(
    const Delegation& d, const PartnerName& partner_name, const std::string& staff_recipient,
    const std::function<bool(const std::string&)>& told_of) {
  std::vector<Notification> out = CompanyNotices(d, partner_name);
  if (told_of) {
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](const Notification& n) { return !told_of(n.recipient()); }),
              out.end());
  }
  if (out.empty() || staff_recipient.empty()) return out;
  const size_t told = out.size();
  const bool first = !d.has_publication();
  out.push_back(Notice(
      d, staff_recipient, first ? Notification::PLAN_PUBLISHED : Notification::MEETINGS_CHANGED,
      first ? absl::StrCat("the plan is published; ", told,
                           told == 1 ? " company was" : " companies were", " told their meetings")
            : absl::StrCat("the plan is published again; ", told,
                           told == 1 ? " company was" : " companies were",
                           " told what changed in their meetings")));
  return out;
}

}  // namespace socio::planner
