#include "planner/agenda.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace socio::planner {
namespace {

constexpr size_t kMaxLineOctets = 75;  // RFC 5545 3.1, CRLF not counted

// "meetings[2].end", the name errors give a field.
std::string Field(size_t index, absl::string_view name) {
  return absl::StrCat("meetings[", index, "].", name);
}

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length;
    uint32_t code_point;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;  // a continuation byte, or a lead byte of an overlong form or beyond U+10FFFF
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000) ||
        code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

absl::Status CheckUtf8(absl::string_view text, absl::string_view field) {
  if (IsValidUtf8(text)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, " is not valid UTF-8"));
}

// UTC civil time of `t`, or an error naming `field` outside the years
// 1..9999, which iCalendar's four-digit years (and infinite times) miss.
absl::StatusOr<absl::CivilSecond> UtcCivil(absl::Time t, absl::string_view field) {
  const absl::CivilSecond civil = absl::ToCivilSecond(t, absl::UTCTimeZone());
  if (civil.year() < 1 || civil.year() > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is ", absl::FormatTime(t), ", outside the years 1..9999"));
  }
  return civil;
}

// "20270329T150000Z".
std::string IcsUtc(absl::CivilSecond t) {
  return absl::StrCat(absl::Dec(t.year(), absl::kZeroPad4), absl::Dec(t.month(), absl::kZeroPad2),
                      absl::Dec(t.day(), absl::kZeroPad2), "T",
                      absl::Dec(t.hour(), absl::kZeroPad2), absl::Dec(t.minute(), absl::kZeroPad2),
                      absl::Dec(t.second(), absl::kZeroPad2), "Z");
}

std::string IsoDate(absl::CivilMinute t) {
  return absl::StrCat(absl::Dec(t.year(), absl::kZeroPad4), "-",
                      absl::Dec(t.month(), absl::kZeroPad2), "-",
                      absl::Dec(t.day(), absl::kZeroPad2));
}

std::string HourMinute(absl::CivilMinute t) {
  return absl::StrCat(absl::Dec(t.hour(), absl::kZeroPad2), ":",
                      absl::Dec(t.minute(), absl::kZeroPad2));
}

absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name, absl::string_view field) {
  absl::TimeZone zone;
  // LoadTimeZone also opens file paths ("/etc/localtime", "file:...") and
  // the machine's own zone ("localtime"); a venue names an IANA zone.
  const bool looks_like_iana = !name.empty() && name[0] != '/' && !absl::StrContains(name, "..") &&
                               !absl::StartsWith(name, "file:") && name != "localtime";
  if (!looks_like_iana || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " \"", name, "\" is not a known IANA time zone"));
  }
  return zone;
}

// Checks what both exports need (see the header) and returns the indexes of
// the meetings in time order.
absl::StatusOr<std::vector<size_t>> ValidateAndOrder(const Agenda& agenda) {
  absl::Status status = CheckUtf8(agenda.company_id, "company_id");
  if (status.ok()) status = CheckUtf8(agenda.company_name, "company_name");
  if (status.ok()) status = CheckUtf8(agenda.calendar_name, "calendar_name");
  if (!status.ok()) return status;

  std::map<absl::string_view, size_t> index_of_uid;
  for (size_t i = 0; i < agenda.meetings.size(); ++i) {
    const AgendaMeeting& m = agenda.meetings[i];
    if (m.uid.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(Field(i, "uid"), " is empty"));
    }
    const auto [it, inserted] = index_of_uid.emplace(m.uid, i);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(Field(i, "uid"), " \"", m.uid, "\" repeats ", Field(it->second, "uid")));
    }
    const struct {
      const std::string& text;
      const char* name;
    } texts[] = {{m.uid, "uid"},
                 {m.time_zone, "time_zone"},
                 {m.partner_id, "partner_id"},
                 {m.partner_name, "partner_name"},
                 {m.summary, "summary"},
                 {m.location, "location"},
                 {m.description, "description"}};
    for (const auto& text : texts) {
      status = CheckUtf8(text.text, Field(i, text.name));
      if (!status.ok()) return status;
    }
    for (const auto& [t, name] : {std::pair(m.start, "start"), std::pair(m.end, "end")}) {
      status = UtcCivil(t, Field(i, name)).status();
      if (!status.ok()) return status;
    }
    if (m.end <= m.start) {
      return absl::InvalidArgumentError(absl::StrCat(
          Field(i, "end"), " ", absl::FormatTime(m.end), " is not after ", Field(i, "start"), " ",
          absl::FormatTime(m.start), " (uid \"", m.uid, "\")"));
    }
    if (m.table < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(Field(i, "table"), " is ", m.table, "; tables count from 1, 0 is none"));
    }
    if (m.sequence < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(Field(i, "sequence"), " is ", m.sequence, "; it must not be negative"));
    }
  }

  std::vector<size_t> order(agenda.meetings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&agenda](size_t a, size_t b) {
    const AgendaMeeting& x = agenda.meetings[a];
    const AgendaMeeting& y = agenda.meetings[b];
    if (x.start != y.start) return x.start < y.start;
    if (x.end != y.end) return x.end < y.end;
    return x.uid < y.uid;  // unique, so the order is total
  });
  return order;
}

// RFC 5545 3.3.11 TEXT.
std::string EscapeText(absl::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '\\':
        escaped += "\\\\";
        break;
      case ';':
        escaped += "\\;";
        break;
      case ',':
        escaped += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        escaped += "\\n";
        break;
      case '\n':
        escaped += "\\n";
        break;
      default:
        // TEXT holds no control characters but tab; they carry nothing a
        // reader of an agenda could see, so they are dropped.
        if ((c < 0x20 && c != '\t') || c == 0x7F) break;
        escaped.push_back(static_cast<char>(c));
    }
  }
  return escaped;
}

// Octets in the unit starting at line[i] that a fold must not cut: an escape
// ("\," ...) or one UTF-8 character. `line` holds valid UTF-8 in which every
// backslash starts an escape.
size_t UnitLength(absl::string_view line, size_t i) {
  const unsigned char c = static_cast<unsigned char>(line[i]);
  size_t length = 1;
  if (c == '\\') {
    length = 2;
  } else if (c >= 0xF0) {
    length = 4;
  } else if (c >= 0xE0) {
    length = 3;
  } else if (c >= 0xC0) {
    length = 2;
  }
  return std::min(length, line.size() - i);
}

// Appends the content line "name:value" with its CRLF, folded (RFC 5545 3.1)
// so that no line exceeds 75 octets; a continuation line starts with a space.
void AppendContentLine(absl::string_view name, absl::string_view value, std::string* out) {
  const std::string line = absl::StrCat(name, ":", value);
  size_t octets = 0;  // on the current physical line
  for (size_t i = 0; i < line.size();) {
    const size_t unit = UnitLength(line, i);
    if (octets + unit > kMaxLineOctets) {
      out->append("\r\n ");
      octets = 1;
    }
    out->append(line, i, unit);
    octets += unit;
    i += unit;
  }
  out->append("\r\n");
}

void AppendTextLine(absl::string_view name, absl::string_view text, std::string* out) {
  AppendContentLine(name, EscapeText(text), out);
}

absl::string_view MethodName(CalendarMethod method) {
  switch (method) {
    case CalendarMethod::kPublish:
      break;
    case CalendarMethod::kRequest:
      return "REQUEST";
    case CalendarMethod::kCancel:
      return "CANCEL";
  }
  return "PUBLISH";
}

// An e-mail address written after "mailto:": printable ASCII only, so it
// can neither end the content line nor hide in one.
absl::Status CheckAddress(absl::string_view address, absl::string_view field) {
  for (const char c : address) {
    if (c <= ' ' || c > '~') {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " \"", address, "\" holds other than printable ASCII"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string CsvCell(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

absl::StatusOr<std::string> AgendaToICalendar(const Agenda& agenda, absl::Time stamp) {
  absl::StatusOr<std::vector<size_t>> order = ValidateAndOrder(agenda);
  if (!order.ok()) return order.status();
  if (absl::Status s = CheckAddress(agenda.organizer, "organizer"); !s.ok()) return s;
  for (size_t i = 0; i < agenda.attendees.size(); ++i) {
    if (absl::Status s = CheckAddress(agenda.attendees[i], absl::StrCat("attendees[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<absl::CivilSecond> stamp_utc = UtcCivil(stamp, "stamp");
  if (!stamp_utc.ok()) return stamp_utc.status();
  const std::string dtstamp = IcsUtc(*stamp_utc);

  std::string ics;
  AppendContentLine("BEGIN", "VCALENDAR", &ics);
  AppendContentLine("VERSION", "2.0", &ics);
  AppendContentLine("PRODID", "-//Socio//Agenda Export//EN", &ics);
  AppendContentLine("CALSCALE", "GREGORIAN", &ics);
  AppendContentLine("METHOD", MethodName(agenda.method), &ics);
  AppendTextLine("X-WR-CALNAME",
                 agenda.calendar_name.empty() ? agenda.company_name : agenda.calendar_name, &ics);
  for (const size_t i : *order) {
    const AgendaMeeting& m = agenda.meetings[i];
    AppendContentLine("BEGIN", "VEVENT", &ics);
    AppendTextLine("UID", m.uid, &ics);
    AppendContentLine("DTSTAMP", dtstamp, &ics);
    // Validated above, so both are within range.
    AppendContentLine("DTSTART", IcsUtc(absl::ToCivilSecond(m.start, absl::UTCTimeZone())), &ics);
    AppendContentLine("DTEND", IcsUtc(absl::ToCivilSecond(m.end, absl::UTCTimeZone())), &ics);
    AppendContentLine("SEQUENCE", absl::StrCat(m.sequence), &ics);
    if (agenda.method == CalendarMethod::kCancel) AppendContentLine("STATUS", "CANCELLED", &ics);
    if (!agenda.organizer.empty()) {
      AppendContentLine("ORGANIZER", absl::StrCat("mailto:", agenda.organizer), &ics);
    }
    for (const std::string& attendee : agenda.attendees) {
      AppendContentLine("ATTENDEE", absl::StrCat("mailto:", attendee), &ics);
    }
    if (!m.summary.empty()) AppendTextLine("SUMMARY", m.summary, &ics);
    if (!m.location.empty()) AppendTextLine("LOCATION", m.location, &ics);
    if (!m.description.empty()) AppendTextLine("DESCRIPTION", m.description, &ics);
    AppendContentLine("END", "VEVENT", &ics);
  }
  AppendContentLine("END", "VCALENDAR", &ics);
  return ics;
}

absl::StatusOr<std::string> AgendaToCsv(const Agenda& agenda) {
  absl::StatusOr<std::vector<size_t>> order = ValidateAndOrder(agenda);
  if (!order.ok()) return order.status();
  // An agenda has a handful of venues; load each zone once.
  std::map<std::string, absl::TimeZone, std::less<>> zones;
  for (size_t i = 0; i < agenda.meetings.size(); ++i) {
    const std::string& name = agenda.meetings[i].time_zone;
    if (zones.find(name) != zones.end()) continue;
    absl::StatusOr<absl::TimeZone> zone = LoadZone(name, Field(i, "time_zone"));
    if (!zone.ok()) return zone.status();
    zones.emplace(name, *zone);
  }

  std::string csv = "date,start,end,time_zone,partner_id,partner_name,location,table,summary\r\n";
  for (const size_t i : *order) {
    const AgendaMeeting& m = agenda.meetings[i];
    const absl::TimeZone& zone = zones.find(m.time_zone)->second;
    const absl::CivilMinute start = absl::ToCivilMinute(m.start, zone);
    const absl::CivilMinute end = absl::ToCivilMinute(m.end, zone);
    std::string end_text = HourMinute(end);
    if (absl::CivilDay(end) != absl::CivilDay(start)) {
      end_text = absl::StrCat(IsoDate(end), " ", end_text);
    }
    absl::StrAppend(&csv, IsoDate(start), ",", HourMinute(start), ",", end_text, ",",
                    CsvCell(m.time_zone), ",", CsvCell(m.partner_id), ",", CsvCell(m.partner_name),
                    ",", CsvCell(m.location), ",", m.table > 0 ? absl::StrCat(m.table) : "", ",",
                    CsvCell(m.summary), "\r\n");
  }
  return csv;
}

absl::StatusOr<absl::Time> VenueTime(absl::CivilDay day, int minutes_after_midnight,
                                     absl::string_view time_zone) {
  if (minutes_after_midnight < 0 || minutes_after_midnight >= 24 * 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("minutes_after_midnight is ", minutes_after_midnight, ", outside 0..1439"));
  }
  absl::StatusOr<absl::TimeZone> zone = LoadZone(time_zone, "time_zone");
  if (!zone.ok()) return zone.status();
  // Not FromCivil, which maps a skipped time to the transition instead.
  return zone->At(absl::CivilMinute(day) + minutes_after_midnight).pre;
}

}  // namespace socio::planner
