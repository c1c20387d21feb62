// Agenda export: one company's meetings of a delegation visit as an RFC 5545
// iCalendar file (for calendar apps) and as an RFC 4180 CSV table (for
// spreadsheets and print). Pure functions of their input; no I/O.
//
//   Agenda agenda{.company_id = "de-0042", .company_name = "Acme GmbH",
//                 .calendar_name = "Mission to Mexico 2027 — Acme GmbH"};
//   absl::StatusOr<absl::Time> start = VenueTime(absl::CivilDay(2027, 3, 29), 9 * 60,
//                                                "America/Mexico_City");
//   if (!start.ok()) return start.status();
//   agenda.meetings.push_back({.uid = "mx27-de-0042-mx-0001@socio", .start = *start,
//                              .end = *start + absl::Minutes(30), ...});
//   absl::StatusOr<std::string> ics = AgendaToICalendar(agenda, absl::Now());
//   absl::StatusOr<std::string> csv = AgendaToCsv(agenda);
//
// Both exports list the meetings in time order (start, then end, then uid)
// whatever their order in the agenda, and validate the whole agenda first:
// either every meeting is exported or the call fails with INVALID_ARGUMENT
// naming the field, as "meetings[2].uid" (the index is the meeting's position
// in Agenda::meetings), when
//   - a uid is empty, or repeats an earlier meeting's uid;
//   - an end is not after its start (RFC 5545 wants DTEND later than DTSTART,
//     so a zero-length meeting is refused too);
//   - a start or end is not within the years 1..9999 UTC (e.g. infinite);
//   - a table or sequence is negative;
//   - a text field is not valid UTF-8.
// Times are exported to the second (iCalendar) or the minute (CSV); smaller
// parts are dropped.
//
// Thread safety: the functions share no state; call them from any thread.
#ifndef SOCIO_PLANNER_AGENDA_H_
#define SOCIO_PLANNER_AGENDA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace socio::planner {

struct AgendaMeeting {
  // Stable across exports and re-plans and unique in the agenda, so calendar
  // apps update a meeting instead of adding a copy, e.g.
  // "<delegation>-<delegate>-<host>@socio". Chosen by the caller.
  std::string uid;
  absl::Time start, end;
  // IANA zone of the venue ("America/Mexico_City"); the CSV's local times.
  std::string time_zone;
  std::string partner_id, partner_name;
  std::string summary;      // "Meeting with Salsas del Bajío (mx-0001)"
  std::string location;     // venue, city
  std::string description;  // why they meet; any text, newlines included
  int table = 0;            // table number at the venue, from 1; 0: none yet
  int sequence = 0;         // RFC 5545 SEQUENCE: bump it when a re-plan moves the meeting
};

// What a calendar asks of its reader (RFC 5546 iTIP): kPublish, an agenda to
// import; kRequest, an invitation to the meetings; kCancel, the meetings are
// called off (each event then carries STATUS:CANCELLED; give it a higher
// sequence than the invitation had).
enum class CalendarMethod { kPublish, kRequest, kCancel };

struct Agenda {
  std::string company_id, company_name;
  std::string calendar_name;  // "Mission to Mexico 2027 — Acme GmbH"
  std::vector<AgendaMeeting> meetings;
  // Default: kPublish.
  CalendarMethod method = CalendarMethod::kPublish;
  // E-mail addresses written into every event as its ORGANIZER and
  // ATTENDEEs ("mailto:"), as invitations carry them; empty: left out.
  std::string organizer;
  std::vector<std::string> attendees;
};

// One VCALENDAR (VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD (PUBLISH,
// REQUEST or CANCEL), X-WR-CALNAME = calendar_name, or company_name when that
// is empty) with one VEVENT per meeting: UID, DTSTAMP (= `stamp`), DTSTART
// and DTEND in UTC ("20270329T150000Z"), SEQUENCE, STATUS:CANCELLED (for
// kCancel only), ORGANIZER and ATTENDEE (when set), SUMMARY, LOCATION,
// DESCRIPTION (the last three left out when empty), in time order. time_zone is not read. Text is
// escaped as RFC 5545 TEXT: backslash, comma, semicolon and line breaks (LF,
// CR LF or a lone CR, each written "\n"); TEXT may hold no other control
// character than tab, so the others are dropped. Lines end in CRLF and are
// folded at 75 octets, never inside a UTF-8 character or an escape. Besides
// the errors above, INVALID_ARGUMENT naming "stamp" if it is outside the
// years 1..9999, or "organizer" / "attendees[i]" if an address holds other
// than printable ASCII (a space or a line break included).
absl::StatusOr<std::string> AgendaToICalendar(const Agenda& agenda, absl::Time stamp);

// RFC 4180 CSV, CRLF line ends, a cell quoted when it holds a comma, a quote
// or a line break. Header
//   date,start,end,time_zone,partner_id,partner_name,location,table,summary
// then one row per meeting: date (YYYY-MM-DD), start and end (HH:MM) are wall
// clock at the venue, in the meeting's time_zone; an end on a later local day
// than the start is written "YYYY-MM-DD HH:MM". table is empty when 0. A
// wall-clock time that a DST change repeats carries no offset: time_zone and
// the row order tell which one it is.
// Besides the errors above, INVALID_ARGUMENT naming "meetings[i].time_zone"
// when that zone is unknown.
absl::StatusOr<std::string> AgendaToCsv(const Agenda& agenda);

// One RFC 4180 cell: `text` as it is, or quoted (inner quotes doubled) when it
// holds a comma, a quote or a line break. For other tables of meetings.
std::string CsvCell(absl::string_view text);

// The instant a venue's wall clock shows `minutes_after_midnight` (0..1439)
// on `day` in the IANA zone `time_zone`. A wall-clock time that a DST change
// skips is read with the offset before the change (02:30 on the day Berlin
// springs forward is 03:30 CEST, 01:30 UTC); one it repeats is the first
// occurrence (02:30 on the day Berlin falls back is 02:30 CEST, 00:30 UTC).
// That is TimeZone::TimeInfo::pre in both cases. INVALID_ARGUMENT naming the
// zone if it is unknown, or "minutes_after_midnight" if out of range.
absl::StatusOr<absl::Time> VenueTime(absl::CivilDay day, int minutes_after_midnight,
                                     absl::string_view time_zone);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_AGENDA_H_
