#include "planner/agenda.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::planner {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPython[] = "/usr/bin/python3";

// An instant written as UTC wall clock, so expectations do not go through
// the code under test.
absl::Time Utc(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone());
}

std::string IsoUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

const absl::Time kStamp = Utc(2027, 1, 15, 8, 0);

AgendaMeeting Meeting(std::string uid, absl::Time start, absl::Duration length,
                      std::string time_zone = "America/Mexico_City") {
  AgendaMeeting m;
  m.uid = std::move(uid);
  m.start = start;
  m.end = start + length;
  m.time_zone = std::move(time_zone);
  m.partner_id = "mx-0001";
  m.partner_name = "Salsas del Bajío";
  m.summary = "Meeting with Salsas del Bajío (mx-0001)";
  m.location = "Hotel Camino Real, Ciudad de México";
  m.description = "Distribution of sauces in Germany";
  m.table = 7;
  return m;
}

Agenda AcmeInMexico() {
  Agenda agenda;
  agenda.company_id = "de-0042";
  agenda.company_name = "Acme GmbH";
  agenda.calendar_name = "Mission to Mexico 2027 — Acme GmbH";
  agenda.meetings.push_back(
      Meeting("mx27-de-0042-mx-0001@socio", Utc(2027, 4, 5, 15, 0), absl::Minutes(30)));
  return agenda;
}

// The content lines of `ics`: folds undone (RFC 5545 3.1), CRLF removed.
std::vector<std::string> ContentLines(const std::string& ics) {
  std::vector<std::string> lines =
      absl::StrSplit(absl::StrReplaceAll(ics, {{"\r\n ", ""}}), "\r\n");
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The values of every content line named `name` ("DESCRIPTION").
std::vector<std::string> Values(const std::string& ics, const std::string& name) {
  std::vector<std::string> values;
  for (const std::string& line : ContentLines(ics)) {
    if (absl::StartsWith(line, name + ":")) values.push_back(line.substr(name.size() + 1));
  }
  return values;
}

bool IsValidUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

// Checks the physical form of an export: CRLF only, lines of at most 75
// octets, each a whole UTF-8 text that never ends inside an escape.
void ExpectWellFormedLines(const std::string& ics) {
  ASSERT_TRUE(absl::EndsWith(ics, "\r\n"));
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_TRUE(i > 0 && ics[i - 1] == '\r') << "bare LF at " << i;
    }
    if (ics[i] == '\r') {
      EXPECT_TRUE(i + 1 < ics.size() && ics[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  std::vector<std::string> lines = absl::StrSplit(ics, "\r\n");
  lines.pop_back();  // after the last CRLF
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_TRUE(IsValidUtf8(line)) << "a UTF-8 character is split: " << line;
    const size_t backslashes = line.size() - line.find_last_not_of('\\') - 1;
    EXPECT_EQ(backslashes % 2, 0u) << "an escape is split: " << line;
  }
}

TEST(AgendaToICalendarTest, WritesOneCalendarWithOneEventPerMeeting) {
  ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(AcmeInMexico(), kStamp));
  EXPECT_EQ(ics,
            "BEGIN:VCALENDAR\r\n"
            "VERSION:2.0\r\n"
            "PRODID:-//Socio//Agenda Export//EN\r\n"
            "CALSCALE:GREGORIAN\r\n"
            "METHOD:PUBLISH\r\n"
            "X-WR-CALNAME:Mission to Mexico 2027 — Acme GmbH\r\n"
            "BEGIN:VEVENT\r\n"
            "UID:mx27-de-0042-mx-0001@socio\r\n"
            "DTSTAMP:20270115T080000Z\r\n"
            "DTSTART:20270405T150000Z\r\n"
            "DTEND:20270405T153000Z\r\n"
            "SEQUENCE:0\r\n"
            "SUMMARY:Meeting with Salsas del Bajío (mx-0001)\r\n"
            "LOCATION:Hotel Camino Real\\, Ciudad de México\r\n"
            "DESCRIPTION:Distribution of sauces in Germany\r\n"
            "END:VEVENT\r\n"
            "END:VCALENDAR\r\n");
}

TEST(AgendaToICalendarTest, OrdersEventsByTimeAndLeavesOutEmptyText) {
  Agenda agenda = AcmeInMexico();
  agenda.calendar_name.clear();  // the company's name stands in
  agenda.meetings.push_back(Meeting("early@socio", Utc(2027, 4, 5, 14, 0), absl::Minutes(30)));
  agenda.meetings.back().location.clear();
  agenda.meetings.back().description.clear();
  agenda.meetings.back().sequence = 3;
  ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(agenda, kStamp));
  EXPECT_THAT(Values(ics, "X-WR-CALNAME"), ElementsAre("Acme GmbH"));
  EXPECT_THAT(Values(ics, "UID"), ElementsAre("early@socio", "mx27-de-0042-mx-0001@socio"));
  EXPECT_THAT(Values(ics, "SEQUENCE"), ElementsAre("3", "0"));
  EXPECT_THAT(Values(ics, "LOCATION"), ElementsAre("Hotel Camino Real\\, Ciudad de México"));
  EXPECT_THAT(Values(ics, "DESCRIPTION"), ElementsAre("Distribution of sauces in Germany"));
}

TEST(AgendaToICalendarTest, WritesAnInvitationAndItsCancellation) {
  Agenda agenda = AcmeInMexico();
  agenda.method = CalendarMethod::kRequest;
  agenda.organizer = "notify@socio.example";
  agenda.attendees = {"anna@acme.example"};
  ASSIGN_OR_FAIL(const std::string invitation, AgendaToICalendar(agenda, kStamp));
  EXPECT_THAT(Values(invitation, "METHOD"), ElementsAre("REQUEST"));
  EXPECT_THAT(Values(invitation, "ORGANIZER"), ElementsAre("mailto:notify@socio.example"));
  EXPECT_THAT(Values(invitation, "ATTENDEE"), ElementsAre("mailto:anna@acme.example"));
  EXPECT_THAT(Values(invitation, "STATUS"), ElementsAre());

  agenda.method = CalendarMethod::kCancel;
  agenda.meetings[0].sequence = 1;
  ASSIGN_OR_FAIL(const std::string cancel, AgendaToICalendar(agenda, kStamp));
  EXPECT_THAT(Values(cancel, "METHOD"), ElementsAre("CANCEL"));
  EXPECT_THAT(Values(cancel, "UID"), ElementsAre("mx27-de-0042-mx-0001@socio"));
  EXPECT_THAT(Values(cancel, "STATUS"), ElementsAre("CANCELLED"));
  EXPECT_THAT(Values(cancel, "SEQUENCE"), ElementsAre("1"));
}

TEST(AgendaToICalendarTest, RefusesAnAddressThatCouldEndItsLine) {
  Agenda agenda = AcmeInMexico();
  agenda.organizer = "a@b.example\r\nATTENDEE:mailto:x@evil.example";
  EXPECT_THAT(AgendaToICalendar(agenda, kStamp),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organizer")));
  agenda.organizer.clear();
  agenda.attendees = {"ok@b.example", "sp ace@b.example"};
  EXPECT_THAT(AgendaToICalendar(agenda, kStamp),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("attendees[1]")));
}

TEST(AgendaToICalendarTest, EscapesText) {
  Agenda agenda = AcmeInMexico();
  agenda.calendar_name = "Mission; 2027, Mexico";
  AgendaMeeting& m = agenda.meetings[0];
  m.uid = "a,b;c@socio";
  m.summary = "Sales; marketing, \"export\"";
  // Every line break becomes \n; control characters other than tab go.
  m.description = "a\\b,c;d\ne\r\nf\rg\th\x01i\x7fj";
  ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(agenda, kStamp));
  EXPECT_THAT(Values(ics, "X-WR-CALNAME"), ElementsAre(R"(Mission\; 2027\, Mexico)"));
  EXPECT_THAT(Values(ics, "UID"), ElementsAre(R"(a\,b\;c@socio)"));
  EXPECT_THAT(Values(ics, "SUMMARY"), ElementsAre(R"(Sales\; marketing\, "export")"));
  EXPECT_THAT(Values(ics, "DESCRIPTION"), ElementsAre(R"(a\\b\,c\;d\ne\nf\ng)"
                                                      "\th"
                                                      "ij"));
  ExpectWellFormedLines(ics);
}

TEST(AgendaToICalendarTest, FoldsLongNonAsciiTextAndUnfoldsBackExactly) {
  Agenda agenda = AcmeInMexico();
  std::string description;
  for (int i = 0; i < 20; ++i) description += "Bajío — ñandú 😀 Größe 東京 ";
  agenda.meetings[0].description = description;
  agenda.calendar_name = "Misión comercial a México 2027 — Acme GmbH — 😀😀😀😀😀😀😀😀😀😀";
  ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(agenda, kStamp));
  ExpectWellFormedLines(ics);
  EXPECT_THAT(ics, HasSubstr("\r\n "));
  EXPECT_THAT(Values(ics, "DESCRIPTION"), ElementsAre(description));
  EXPECT_THAT(Values(ics, "X-WR-CALNAME"), ElementsAre(agenda.calendar_name));
}

TEST(AgendaToICalendarTest, FoldsAtSeventyFiveOctetsBeforeACharacterOrEscape) {
  // "DESCRIPTION:" is 12 octets, so 63 more fill a line.
  const std::string x62(62, 'x');
  struct Case {
    std::string description;
    std::string line;  // as written
  } cases[] = {
      {x62 + "y", "DESCRIPTION:" + x62 + "y\r\n"},
      {x62 + "yz", "DESCRIPTION:" + x62 + "y\r\n z\r\n"},
      {x62 + "é", "DESCRIPTION:" + x62 + "\r\n é\r\n"},  // é is 2 octets
      {x62 + ",", "DESCRIPTION:" + x62 + "\r\n \\,\r\n"},
      {x62 + "y" + std::string(74, 'z') + "!",
       "DESCRIPTION:" + x62 + "y\r\n " + std::string(74, 'z') + "\r\n !\r\n"},
  };
  for (const Case& c : cases) {
    Agenda agenda = AcmeInMexico();
    agenda.meetings[0].description = c.description;
    ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(agenda, kStamp));
    EXPECT_THAT(ics, HasSubstr("\r\n" + c.line)) << c.description;
  }
}

TEST(AgendaToICalendarTest, NeverSplitsAnEscape) {
  Agenda agenda = AcmeInMexico();
  agenda.meetings[0].description = std::string(100, ',') + std::string(100, '\\') + "\n\n;;";
  ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(agenda, kStamp));
  ExpectWellFormedLines(ics);
  EXPECT_THAT(Values(ics, "DESCRIPTION"),
              ElementsAre(absl::StrReplaceAll(
                  agenda.meetings[0].description,
                  {{",", "\\,"}, {"\\", "\\\\"}, {"\n", "\\n"}, {";", "\\;"}})));
}

// A delegation in Berlin over the night the clocks go forward (2027-03-28,
// 02:00 CET -> 03:00 CEST) and back (2027-10-31, 03:00 CEST -> 02:00 CET),
// and one in Mexico City, which keeps UTC-6 all year since 2022.
TEST(VenueTimeTest, ReadsWallClockInTheVenueZoneAcrossDstChanges) {
  struct Case {
    absl::CivilDay day;
    int minutes;
    const char* zone;
    absl::Time want;
  } cases[] = {
      {absl::CivilDay(2027, 3, 27), 9 * 60, "Europe/Berlin", Utc(2027, 3, 27, 8, 0)},
      {absl::CivilDay(2027, 3, 28), 1 * 60 + 30, "Europe/Berlin", Utc(2027, 3, 28, 0, 30)},
      {absl::CivilDay(2027, 3, 28), 9 * 60, "Europe/Berlin", Utc(2027, 3, 28, 7, 0)},
      // Skipped: read with CET, the offset before the change (03:30 CEST).
      {absl::CivilDay(2027, 3, 28), 2 * 60 + 30, "Europe/Berlin", Utc(2027, 3, 28, 1, 30)},
      // Repeated: the first time, still CEST.
      {absl::CivilDay(2027, 10, 31), 2 * 60 + 30, "Europe/Berlin", Utc(2027, 10, 31, 0, 30)},
      {absl::CivilDay(2027, 10, 31), 9 * 60, "Europe/Berlin", Utc(2027, 10, 31, 8, 0)},
      {absl::CivilDay(2027, 1, 10), 9 * 60, "America/Mexico_City", Utc(2027, 1, 10, 15, 0)},
      {absl::CivilDay(2027, 4, 4), 9 * 60, "America/Mexico_City", Utc(2027, 4, 4, 15, 0)},
      {absl::CivilDay(2027, 7, 1), 23 * 60 + 59, "America/Mexico_City", Utc(2027, 7, 2, 5, 59)},
      // Mexico City still had summer time in 2022: the zone's history is used.
      {absl::CivilDay(2022, 6, 1), 9 * 60, "America/Mexico_City", Utc(2022, 6, 1, 14, 0)},
  };
  for (const Case& c : cases) {
    ASSIGN_OR_FAIL(const absl::Time got, VenueTime(c.day, c.minutes, c.zone));
    EXPECT_EQ(IsoUtc(got), IsoUtc(c.want)) << c.day << " +" << c.minutes << "min " << c.zone;
  }
}

TEST(VenueTimeTest, RefusesUnknownZonesAndMinutesOutsideTheDay) {
  const absl::CivilDay day(2027, 3, 28);
  EXPECT_THAT(VenueTime(day, 600, "Mars/Olympus_Mons"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"Mars/Olympus_Mons\"")));
  EXPECT_THAT(VenueTime(day, 600, ""), StatusIs(absl::StatusCode::kInvalidArgument));
  // A path is not a zone name, even one to a zone file.
  EXPECT_THAT(VenueTime(day, 600, "/usr/share/zoneinfo/Europe/Berlin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("time_zone")));
  EXPECT_THAT(VenueTime(day, 600, "../zoneinfo/Europe/Berlin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("time_zone")));
  EXPECT_THAT(VenueTime(day, 24 * 60, "Europe/Berlin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("minutes_after_midnight")));
  EXPECT_THAT(VenueTime(day, -1, "Europe/Berlin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("minutes_after_midnight")));
  EXPECT_THAT(VenueTime(day, 0, "UTC"), IsOk());
}

// A Mexican delegation meeting Berlin companies on the weekend the clocks
// go forward; the last meeting spans the change.
Agenda MexicansInBerlin() {
  Agenda agenda;
  agenda.company_id = "mx-0001";
  agenda.company_name = "Salsas del Bajío";
  agenda.calendar_name = "Misión a Alemania 2027 — Salsas del Bajío";
  auto berlin = [](int day, int minutes) {
    return *VenueTime(absl::CivilDay(2027, 3, day), minutes, "Europe/Berlin");
  };
  AgendaMeeting a =
      Meeting("de27-mx-0001-de-0042@socio", berlin(27, 9 * 60), absl::Minutes(45), "Europe/Berlin");
  a.partner_id = "de-0042";
  a.partner_name = "Acme GmbH";
  a.summary = "Treffen mit Acme GmbH (de-0042)";
  a.location = "Messe Berlin, Halle 2";
  a.description = "Vertrieb; Größenordnung, Logistik\nund Kühlkette";
  AgendaMeeting b =
      Meeting("de27-mx-0001-de-0077@socio", berlin(28, 9 * 60), absl::Minutes(30), "Europe/Berlin");
  b.partner_id = "de-0077";
  b.partner_name = "Feinkost Müller KG";
  b.summary = "Treffen mit Feinkost Müller KG (de-0077)";
  b.location = "Messe Berlin, Halle 2";
  b.table = 0;
  b.sequence = 2;
  AgendaMeeting c =
      Meeting("de27-mx-0001-de-0100@socio", berlin(28, 90), absl::Hours(1), "Europe/Berlin");
  c.partner_id = "de-0100";
  c.partner_name = "Nachtschicht GmbH";
  c.summary = "Night shift";
  c.location = "";
  c.description = "";
  agenda.meetings = {b, a, c};
  return agenda;
}

TEST(AgendaToICalendarTest, WritesUtcTimesAcrossADstChange) {
  ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(MexicansInBerlin(), kStamp));
  EXPECT_THAT(Values(ics, "DTSTART"),
              ElementsAre("20270327T080000Z", "20270328T003000Z", "20270328T070000Z"));
  EXPECT_THAT(Values(ics, "DTEND"),
              ElementsAre("20270327T084500Z", "20270328T013000Z", "20270328T073000Z"));
  EXPECT_THAT(Values(ics, "DTSTAMP"),
              ElementsAre("20270115T080000Z", "20270115T080000Z", "20270115T080000Z"));
}

TEST(AgendaToCsvTest, WritesVenueWallClockAcrossADstChange) {
  ASSIGN_OR_FAIL(const std::string csv, AgendaToCsv(MexicansInBerlin()));
  EXPECT_EQ(csv,
            "date,start,end,time_zone,partner_id,partner_name,location,table,summary\r\n"
            "2027-03-27,09:00,09:45,Europe/Berlin,de-0042,Acme GmbH,\"Messe Berlin, Halle 2\",7,"
            "Treffen mit Acme GmbH (de-0042)\r\n"
            // 01:30 CET to 03:30 CEST is one hour.
            "2027-03-28,01:30,03:30,Europe/Berlin,de-0100,Nachtschicht GmbH,,7,Night shift\r\n"
            "2027-03-28,09:00,09:30,Europe/Berlin,de-0077,Feinkost Müller KG,"
            "\"Messe Berlin, Halle 2\",,Treffen mit Feinkost Müller KG (de-0077)\r\n");
}

TEST(AgendaToCsvTest, QuotesCellsAndWritesRowsInTimeOrder) {
  Agenda agenda;
  agenda.company_id = "de-0042";
  // Given out of order: the CSV sorts by time.
  AgendaMeeting late = Meeting("c@socio", Utc(2027, 4, 6, 5, 30), absl::Hours(1));
  late.partner_id = "mx-0003";
  late.partner_name = "Cena";
  late.location = "Restaurante";
  late.table = 0;
  late.summary = "Dinner\r\nwith the owners";
  AgendaMeeting second = Meeting("b@socio", Utc(2027, 4, 5, 16, 0), absl::Minutes(30));
  second.partner_name = "Salsas \"La Abuela\", S.A.";
  second.location = "Hotel Camino Real, CDMX";
  second.table = 12;
  second.summary = "Line one\nline two";
  AgendaMeeting first = Meeting("a@socio", Utc(2027, 4, 5, 15, 0), absl::Minutes(30));
  first.partner_id = "mx-0002";
  first.partner_name = "Plain";
  first.location = "Sala 1";
  first.table = 1;
  first.summary = "Intro";
  agenda.meetings = {late, second, first};
  ASSIGN_OR_FAIL(const std::string csv, AgendaToCsv(agenda));
  EXPECT_EQ(csv,
            "date,start,end,time_zone,partner_id,partner_name,location,table,summary\r\n"
            "2027-04-05,09:00,09:30,America/Mexico_City,mx-0002,Plain,Sala 1,1,Intro\r\n"
            "2027-04-05,10:00,10:30,America/Mexico_City,mx-0001,\"Salsas \"\"La Abuela\"\", "
            "S.A.\",\"Hotel Camino Real, CDMX\",12,\"Line one\nline two\"\r\n"
            // Ends after midnight at the venue: the end has its date.
            "2027-04-05,23:30,2027-04-06 00:30,America/Mexico_City,mx-0003,Cena,Restaurante,,"
            "\"Dinner\r\nwith the owners\"\r\n");
}

TEST(AgendaToCsvTest, WritesOnlyTheHeaderForNoMeetings) {
  Agenda agenda;
  ASSIGN_OR_FAIL(const std::string csv, AgendaToCsv(agenda));
  EXPECT_EQ(csv, "date,start,end,time_zone,partner_id,partner_name,location,table,summary\r\n");
}

// Both exports refuse the same bad agendas, naming the field.
TEST(AgendaExportTest, RefusesBadMeetingsNamingTheField) {
  struct Case {
    const char* what;
    void (*spoil)(Agenda*);
    const char* message;
  } cases[] = {
      {"empty uid", [](Agenda* a) { a->meetings[1].uid.clear(); }, "meetings[1].uid is empty"},
      {"repeated uid", [](Agenda* a) { a->meetings[1].uid = a->meetings[0].uid; },
       "meetings[1].uid \"a@socio\" repeats meetings[0].uid"},
      {"end before start",
       [](Agenda* a) { a->meetings[1].end = a->meetings[1].start - absl::Minutes(1); },
       "meetings[1].end"},
      {"zero length", [](Agenda* a) { a->meetings[1].end = a->meetings[1].start; },
       "meetings[1].end"},
      {"infinite start", [](Agenda* a) { a->meetings[1].start = absl::InfinitePast(); },
       "meetings[1].start"},
      {"infinite end", [](Agenda* a) { a->meetings[1].end = absl::InfiniteFuture(); },
       "meetings[1].end"},
      {"negative table", [](Agenda* a) { a->meetings[1].table = -1; }, "meetings[1].table"},
      {"negative sequence", [](Agenda* a) { a->meetings[1].sequence = -1; },
       "meetings[1].sequence"},
      {"broken UTF-8", [](Agenda* a) { a->meetings[1].description = "Baj\xC3o"; },
       "meetings[1].description is not valid UTF-8"},
      {"surrogate in UTF-8", [](Agenda* a) { a->meetings[1].partner_name = "\xED\xA0\x80"; },
       "meetings[1].partner_name is not valid UTF-8"},
      {"broken calendar name", [](Agenda* a) { a->calendar_name = "\xFF"; },
       "calendar_name is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    Agenda agenda;
    agenda.meetings = {Meeting("a@socio", Utc(2027, 4, 5, 15, 0), absl::Minutes(30)),
                       Meeting("b@socio", Utc(2027, 4, 5, 16, 0), absl::Minutes(30))};
    ASSERT_THAT(AgendaToICalendar(agenda, kStamp), IsOk());
    c.spoil(&agenda);
    EXPECT_THAT(AgendaToICalendar(agenda, kStamp),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.what;
    EXPECT_THAT(AgendaToCsv(agenda),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.what;
  }
}

TEST(AgendaExportTest, RefusesAnUnknownZoneInCsvAndABadStampInICalendar) {
  Agenda agenda = AcmeInMexico();
  agenda.meetings.push_back(
      Meeting("b@socio", Utc(2027, 4, 5, 16, 0), absl::Minutes(30), "Mars/Olympus_Mons"));
  EXPECT_THAT(AgendaToCsv(agenda),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("meetings[1].time_zone"), HasSubstr("Mars/Olympus_Mons"))));
  // The iCalendar file is in UTC and does not read the zone.
  EXPECT_THAT(AgendaToICalendar(agenda, kStamp), IsOk());
  EXPECT_THAT(AgendaToICalendar(agenda, absl::InfiniteFuture()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stamp")));
}

TEST(AgendaToICalendarTest, KeepsUidsAndOutputStableBetweenExports) {
  Agenda agenda = MexicansInBerlin();
  ASSIGN_OR_FAIL(const std::string first, AgendaToICalendar(agenda, kStamp));
  ASSIGN_OR_FAIL(const std::string again, AgendaToICalendar(agenda, kStamp));
  EXPECT_EQ(first, again);

  // The meetings' order in the agenda does not matter.
  std::reverse(agenda.meetings.begin(), agenda.meetings.end());
  ASSIGN_OR_FAIL(const std::string reversed, AgendaToICalendar(agenda, kStamp));
  EXPECT_EQ(reversed, first);

  // A later export differs in DTSTAMP only.
  ASSIGN_OR_FAIL(const std::string later, AgendaToICalendar(agenda, kStamp + absl::Hours(24 * 30)));
  EXPECT_THAT(Values(later, "DTSTAMP"),
              Not(ElementsAre("20270115T080000Z", "20270115T080000Z", "20270115T080000Z")));
  EXPECT_EQ(absl::StrReplaceAll(later, {{"DTSTAMP:20270214T080000Z", "DTSTAMP:20270115T080000Z"}}),
            first);

  // A re-plan moves a meeting and bumps its SEQUENCE; the UIDs stay.
  for (AgendaMeeting& m : agenda.meetings) {
    if (m.uid != "de27-mx-0001-de-0042@socio") continue;
    m.start += absl::Hours(26);
    m.end += absl::Hours(26);
    ++m.sequence;
  }
  ASSIGN_OR_FAIL(const std::string replanned, AgendaToICalendar(agenda, kStamp));
  std::vector<std::string> uids = Values(first, "UID");
  std::vector<std::string> replanned_uids = Values(replanned, "UID");
  std::sort(uids.begin(), uids.end());
  std::sort(replanned_uids.begin(), replanned_uids.end());
  EXPECT_EQ(uids, replanned_uids);
  EXPECT_THAT(Values(replanned, "UID"),
              ElementsAre("de27-mx-0001-de-0100@socio", "de27-mx-0001-de-0077@socio",
                          "de27-mx-0001-de-0042@socio"));
  EXPECT_THAT(Values(replanned, "SEQUENCE"), ElementsAre("0", "2", "1"));
}

// Decodes one line of parse_ics.py's output: a flat JSON object whose values
// are strings. Enough JSON for that output, no more.
std::optional<std::map<std::string, std::string>> ParseFlatJsonObject(absl::string_view text) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  auto hex4 = [&](uint32_t* value) {
    if (text.size() - i < 4) return false;
    *value = 0;
    for (int k = 0; k < 4; ++k, ++i) {
      const char c = text[i];
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return false;
      *value = *value * 16 + digit;
    }
    return true;
  };
  auto string = [&](std::string* out) {
    if (i >= text.size() || text[i] != '"') return false;
    ++i;
    while (i < text.size() && text[i] != '"') {
      if (text[i] != '\\') {
        out->push_back(text[i++]);
        continue;
      }
      if (++i >= text.size()) return false;
      const char c = text[i++];
      switch (c) {
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'u': {
          uint32_t code = 0;
          if (!hex4(&code)) return false;
          if (code >= 0xD800 && code < 0xDC00) {  // a surrogate pair
            uint32_t low = 0;
            if (text.substr(i, 2) != "\\u") return false;
            i += 2;
            if (!hex4(&low)) return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          if (code < 0x80) {
            out->push_back(static_cast<char>(code));
          } else if (code < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (code >> 6)));
            out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
          } else if (code < 0x10000) {
            out->push_back(static_cast<char>(0xE0 | (code >> 12)));
            out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
          } else {
            out->push_back(static_cast<char>(0xF0 | (code >> 18)));
            out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
          }
          break;
        }
        default:
          out->push_back(c);  // '"', '\\', '/'
      }
    }
    if (i >= text.size()) return false;
    ++i;
    return true;
  };

  std::map<std::string, std::string> object;
  skip_space();
  if (i >= text.size() || text[i++] != '{') return std::nullopt;
  for (;;) {
    skip_space();
    std::string key, value;
    if (!string(&key)) return std::nullopt;
    skip_space();
    if (i >= text.size() || text[i++] != ':') return std::nullopt;
    skip_space();
    if (!string(&value)) return std::nullopt;
    object[key] = value;
    skip_space();
    if (i >= text.size()) return std::nullopt;
    if (text[i] == '}') break;
    if (text[i++] != ',') return std::nullopt;
  }
  return object;
}

TEST(ParseFlatJsonObjectTest, DecodesWhatPythonWrites) {
  // json.dumps({"a": "x\n\"\\ é😀", "b": "\x01"}, ensure_ascii=False), and
  // the same with ensure_ascii=True.
  const std::map<std::string, std::string> want = {{"a", "x\n\"\\ é😀"}, {"b", "\x01"}};
  EXPECT_EQ(ParseFlatJsonObject(R"({"a": "x\n\"\\ é😀", "b": "\u0001"})"), want);
  EXPECT_EQ(ParseFlatJsonObject(R"({"a": "x\n\"\\ \u00e9\ud83d\ude00", "b": "\u0001"})"), want);
  EXPECT_EQ(ParseFlatJsonObject(R"({"a": "x)"), std::nullopt);
}

// Every meeting of several agendas, written as .ics files and read back by
// the icalendar package, a parser that shares nothing with ours.
TEST(AgendaToICalendarTest, IcalendarPackageReadsEveryMeetingBack) {
  socio::testing::TempDir dir;
  absl::StatusOr<socio::testing::CommandResult> probe =
      socio::testing::RunCommand({kPython, "-c", "import icalendar"}, dir.path());
  ASSERT_THAT(probe, IsOk());
  if (probe->exit_status != 0) {
    GTEST_SKIP() << kPython << " cannot import icalendar; install the Debian package "
                 << "python3-icalendar (" << probe->err << ")";
  }

  Agenda acme = AcmeInMexico();
  std::string long_text;
  for (int i = 0; i < 12; ++i) long_text += "Kühlkette für Salsas del Bajío, 東京; 😀 ";
  AgendaMeeting two =
      Meeting("mx27-de-0042-mx-0002@socio", Utc(2027, 4, 5, 16, 0), absl::Minutes(45));
  two.partner_id = "mx-0002";
  two.partner_name = "Mole Poblano, S.A. de C.V.";
  two.summary = "Meeting with Mole Poblano, S.A. de C.V. (mx-0002)";
  two.location = "Hotel Camino Real; Salón \"Jacarandas\", Ciudad de México";
  // icalendar 4.0.3 unescapes "\\" wrongly when an n, N, comma or semicolon
  // follows (it reads "\\n" as a line break), so the backslash here is
  // followed by a letter that is safe; EscapesText covers the rest.
  two.description = long_text + "\nSecond line,\tthird part; C:\\Agenda\n";
  two.sequence = 4;
  AgendaMeeting three =
      Meeting("mx27-de-0042-mx-0003@socio", Utc(2027, 4, 6, 23, 15), absl::Minutes(90));
  three.summary = std::string(120, 's');
  three.description = "";
  acme.meetings.push_back(two);
  acme.meetings.push_back(three);

  Agenda empty;
  empty.company_name = "Nobody Yet";
  empty.calendar_name = "Misión vacía, sin reuniones";

  const std::vector<Agenda> agendas = {acme, MexicansInBerlin(), empty};
  std::vector<std::string> argv = {kPython,
                                   socio::testing::SourceFile("tests/planner/parse_ics.py")};
  std::vector<std::string> paths;
  for (size_t a = 0; a < agendas.size(); ++a) {
    ASSIGN_OR_FAIL(const std::string ics, AgendaToICalendar(agendas[a], kStamp));
    paths.push_back(dir.Join(absl::StrCat("agenda-", a, ".ics")));
    std::ofstream(paths.back(), std::ios::binary) << ics;
    argv.push_back(paths.back());
  }

  ASSIGN_OR_FAIL(const socio::testing::CommandResult parsed,
                 socio::testing::RunCommand(argv, dir.path()));
  ASSERT_EQ(parsed.exit_status, 0) << parsed.err;
  std::map<std::string, std::map<std::string, std::string>> calendars;  // by file
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>>
      events;  // by file and uid
  for (absl::string_view line : absl::StrSplit(parsed.out, '\n', absl::SkipEmpty())) {
    std::optional<std::map<std::string, std::string>> record = ParseFlatJsonObject(line);
    ASSERT_TRUE(record.has_value()) << line;
    const std::string& file = (*record)["file"];
    if ((*record)["kind"] == "calendar") {
      calendars[file] = *record;
    } else {
      ASSERT_TRUE(events.emplace(std::make_pair(file, (*record)["uid"]), *record).second) << line;
    }
  }

  ASSERT_EQ(calendars.size(), agendas.size()) << parsed.out;
  size_t meetings = 0;
  for (size_t a = 0; a < agendas.size(); ++a) {
    const Agenda& agenda = agendas[a];
    std::map<std::string, std::string>& calendar = calendars[paths[a]];
    EXPECT_EQ(calendar["name"], agenda.calendar_name);
    EXPECT_EQ(calendar["events"], absl::StrCat(agenda.meetings.size()));
    for (const AgendaMeeting& m : agenda.meetings) {
      ++meetings;
      const auto found = events.find({paths[a], m.uid});
      ASSERT_NE(found, events.end()) << m.uid << " missing from " << paths[a];
      std::map<std::string, std::string> event = found->second;
      EXPECT_EQ(event["dtstart"], IsoUtc(m.start)) << m.uid;
      EXPECT_EQ(event["dtend"], IsoUtc(m.end)) << m.uid;
      EXPECT_EQ(event["summary"], m.summary) << m.uid;
      EXPECT_EQ(event["location"], m.location) << m.uid;
      EXPECT_EQ(event["description"], m.description) << m.uid;
      EXPECT_EQ(event["sequence"], absl::StrCat(m.sequence)) << m.uid;
    }
  }
  EXPECT_EQ(events.size(), meetings);
  EXPECT_EQ(meetings, 6u);
}

}  // namespace
}  // namespace socio::planner
