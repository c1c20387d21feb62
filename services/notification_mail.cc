#include "services/notification_mail.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "planner/agenda.h"

namespace socio::services {
namespace {

using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::TimeWindow;

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// "2027-03-29 15:00 to 15:30 UTC", or with both dates when the window
// crosses midnight.
std::string WindowInWords(const TimeWindow& window) {
  const absl::Time start = FromTimestamp(window.start_time());
  const absl::Time end = FromTimestamp(window.end_time());
  const absl::TimeZone utc = absl::UTCTimeZone();
  const bool same_day =
      absl::FormatTime("%Y-%m-%d", start, utc) == absl::FormatTime("%Y-%m-%d", end, utc);
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", start, utc), " to ",
                      absl::FormatTime(same_day ? "%H:%M" : "%Y-%m-%d %H:%M", end, utc), " UTC");
}

std::string MarkInWords(Interest::Mark mark) {
  switch (mark) {
    case Interest::INTERESTED:
      return "interested";
    case Interest::MUST_MEET:
      return "must meet";
    case Interest::NOT_INTERESTED:
      return "not interested";
    default:
      return "no mark";
  }
}

bool HasWindow(const TimeWindow& window) {
  return window.has_start_time() && window.has_end_time();
}

// The console's page for the notification: the delegation for a plan, the
// requests inbox for everything else.
std::string ConsoleLink(const Notification& n, absl::string_view console_url) {
  absl::string_view base = console_url;
  while (absl::ConsumeSuffix(&base, "/")) {
  }
  if ((n.kind() == Notification::PLAN_PUBLISHED || n.kind() == Notification::MEETINGS_CHANGED) &&
      !n.delegation_id().empty()) {
    return absl::StrCat(base, "/#/delegations/", n.delegation_id());
  }
  return absl::StrCat(base, "/#/requests");
}

std::string Text(const Notification& n, const NotificationMailOptions& options) {
  std::vector<std::pair<std::string, std::string>> facts;
  facts.emplace_back("What", KindInWords(n.kind()));
  if (n.has_request()) {
    const MeetingRequest& r = n.request();
    facts.emplace_back("Request", r.id());
    facts.emplace_back("From", r.from_member_id());
    facts.emplace_back("To", r.to_ref());
    if (!r.message().empty()) facts.emplace_back("Message", r.message());
    for (const TimeWindow& window : r.proposed()) {
      if (HasWindow(window)) facts.emplace_back("Proposed", WindowInWords(window));
    }
    if (HasWindow(r.accepted_window())) {
      facts.emplace_back("Accepted time", WindowInWords(r.accepted_window()));
    }
    if (!r.reason().empty()) facts.emplace_back("Reason", r.reason());
    if (!r.delegation_id().empty()) facts.emplace_back("Delegation", r.delegation_id());
  } else if (!n.delegation_id().empty()) {
    facts.emplace_back("Delegation", n.delegation_id());
  }
  if (n.has_partnership()) {
    const socio::v1::Partnership& p = n.partnership();
    facts.emplace_back("Partnership", p.title().empty() ? p.id() : p.title());
    facts.emplace_back("Status", socio::v1::Partnership::Status_Name(p.status()));
  }
  if (n.has_interest()) {
    const Interest& i = n.interest();
    facts.emplace_back("Interest",
                       absl::StrCat(i.member_id(), " marked ", i.partner_ref(), " ",
                                    MarkInWords(i.mark()), i.mutual() ? " (mutual)" : ""));
  }

  std::string text =
      absl::StrCat(n.summary().empty() ? KindInWords(n.kind()) : n.summary(), "\n\n");
  for (const auto& [label, value] : facts) {
    // A message or reason may hold line breaks; later lines are indented.
    std::string indented = value;
    for (size_t at = indented.find('\n'); at != std::string::npos;
         at = indented.find('\n', at + 1)) {
      indented.insert(at + 1, "  ");
    }
    absl::StrAppend(&text, label, ": ", indented, "\n");
  }
  if (!options.console_url.empty()) {
    absl::StrAppend(&text, "\nOpen it in Socio: ", ConsoleLink(n, options.console_url), "\n");
  }
  absl::StrAppend(&text, "\n-- \nNotification ", n.id(), " for ", n.recipient(),
                  ", sent because e-mail notifications are on for it in Socio.\n");
  return text;
}

// The invitation (or its cancellation) for an accepted standalone request;
// no attachment for anything else, or when the request's data cannot make
// a calendar (the text still carries the facts).
std::vector<MailAttachment> Invitation(const Notification& n, absl::string_view to,
                                       const NotificationMailOptions& options) {
  const bool accepted = n.kind() == Notification::REQUEST_ACCEPTED;
  const bool cancelled = n.kind() == Notification::REQUEST_CANCELLED;
  const MeetingRequest& r = n.request();
  if ((!accepted && !cancelled) || !n.has_request() || !r.delegation_id().empty() ||
      r.calendar_uid().empty() || !HasWindow(r.accepted_window())) {
    return {};
  }
  planner::Agenda agenda;
  agenda.company_id = n.recipient();
  agenda.calendar_name = "Socio meeting";
  agenda.method = accepted ? planner::CalendarMethod::kRequest : planner::CalendarMethod::kCancel;
  agenda.organizer = options.from;
  agenda.attendees = {std::string(to)};
  planner::AgendaMeeting meeting;
  meeting.uid = r.calendar_uid();
  meeting.start = FromTimestamp(r.accepted_window().start_time());
  meeting.end = FromTimestamp(r.accepted_window().end_time());
  meeting.summary = absl::StrCat("Meeting: ", r.from_member_id(), " and ", r.to_ref());
  meeting.description = r.message();
  meeting.sequence = static_cast<int>(r.version());
  agenda.meetings.push_back(std::move(meeting));
  absl::StatusOr<std::string> ics =
      planner::AgendaToICalendar(agenda, FromTimestamp(n.create_time()));
  if (!ics.ok()) return {};
  return {MailAttachment{.content_type = absl::StrCat("text/calendar; charset=UTF-8; method=",
                                                      accepted ? "REQUEST" : "CANCEL"),
                         .filename = "invitation.ics",
                         .content = *std::move(ics)}};
}

}  // namespace

std::string KindInWords(Notification::Kind kind) {
  switch (kind) {
    case Notification::REQUEST_RECEIVED:
      return "Meeting request received";
    case Notification::REQUEST_ACCEPTED:
      return "Meeting request accepted";
    case Notification::REQUEST_DECLINED:
      return "Meeting request declined";
    case Notification::REQUEST_EXPIRED:
      return "Meeting request expired";
    case Notification::REQUEST_WITHDRAWN:
      return "Meeting request withdrawn";
    case Notification::REQUEST_CANCELLED:
      return "Meeting cancelled";
    case Notification::MUTUAL_INTEREST:
      return "Mutual interest";
    case Notification::PLAN_PUBLISHED:
      return "Delegation plan published";
    case Notification::MEETINGS_CHANGED:
      return "Your meetings changed";
    case Notification::PARTNERSHIP_CREATED:
      return "Partnership started";
    case Notification::PARTNERSHIP_REVIEW_DUE:
      return "Partnership review due";
    case Notification::PARTNERSHIP_REVIEWED:
      return "Partnership reviewed";
    case Notification::PARTNERSHIP_STATUS_CHANGED:
      return "Partnership status changed";
    case Notification::CHAMBER_PARTNER_PROPOSED:
      return "Partner chamber proposed";
    case Notification::CHAMBER_PARTNER_ACCEPTED:
      return "Partner chamber accepted";
    default:
      return "Notification";
  }
}

Mail NotificationMail(const Notification& notification, absl::string_view to,
                      const NotificationMailOptions& options) {
  Mail mail;
  mail.to = std::string(to);
  mail.subject =
      notification.summary().empty() ? KindInWords(notification.kind()) : notification.summary();
  const size_t at = options.from.rfind('@');
  const absl::string_view domain = at == std::string::npos
                                       ? absl::string_view("socio")
                                       : absl::string_view(options.from).substr(at + 1);
  mail.message_id = absl::StrCat(notification.id(), "@", domain);
  mail.date = FromTimestamp(notification.create_time());
  mail.text = Text(notification, options);
  mail.attachments = Invitation(notification, to, options);
  return mail;
}

}  // namespace socio::services
