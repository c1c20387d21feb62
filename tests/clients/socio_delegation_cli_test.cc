// `socio delegation ...` end to end: the real binary against a real server
// holding three German delegates and six Mexican hosts in two cities.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/delegation_service.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::testing::RunCommand;
using socio::v1::Delegation;
using socio::v1::PlannedMeeting;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPython[] = "/usr/bin/python3";

// Munich makers of food and packaging machines looking for Mexican
// distributors and agents; Mexican distributors of such machines in Mexico
// City and Monterrey who want German suppliers; and one Monterrey software
// house that wants nothing of theirs.
constexpr char kMembers[] =
    R"({"id": "de-0001", "chamberId": "ihk-muenchen", "name": "Huber Lebensmitteltechnik", "country": "DE", "city": "München", "sectors": ["28.93"], "employees": 180, "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["MX"], "note": "Distributor for our food machines in Mexico"}], "targetMarkets": ["MX"], "visibility": "FEDERATION"}
{"id": "de-0002", "chamberId": "ihk-muenchen", "name": "Bayern Verpackung", "country": "DE", "city": "München", "sectors": ["28.29"], "employees": 90, "languages": ["de", "en"], "objectives": [{"type": "AGENCY", "direction": "SEEK", "sectors": ["46.69"], "markets": ["MX"], "note": "Sales agent for packaging lines"}], "targetMarkets": ["MX"], "visibility": "FEDERATION"}
{"id": "de-0003", "chamberId": "ihk-muenchen", "name": "Alpen Kältetechnik", "country": "DE", "city": "München", "sectors": ["28.25"], "employees": 60, "languages": ["de", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["MX"], "note": "Distributor for cooling systems"}], "targetMarkets": ["MX"], "visibility": "FEDERATION"}
{"id": "mx-0001", "chamberId": "canaco-cdmx", "name": "Maquinaria Azteca", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "employees": 70, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"], "markets": ["MX"], "note": "We distribute industrial machines across Mexico"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
{"id": "mx-0002", "chamberId": "canaco-cdmx", "name": "Equipos del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "employees": 40, "languages": ["es"], "objectives": [{"type": "AGENCY", "direction": "OFFER", "sectors": ["28"], "markets": ["MX"], "note": "Sales agents for foreign machine makers"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
{"id": "mx-0003", "chamberId": "canaco-cdmx", "name": "Frío Industrial Capital", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "employees": 55, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.25"], "markets": ["MX"], "note": "Refrigeration equipment distributor"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
{"id": "mx-0004", "chamberId": "caintra-nl", "name": "Distribuidora Regia", "country": "MX", "city": "Monterrey", "sectors": ["46.69"], "employees": 120, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"], "markets": ["MX"], "note": "Machinery for the food industry of the north"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
{"id": "mx-0005", "chamberId": "caintra-nl", "name": "Agentes del Norte", "country": "MX", "city": "Monterrey", "sectors": ["46.69"], "employees": 25, "languages": ["es", "en"], "objectives": [{"type": "AGENCY", "direction": "OFFER", "sectors": ["28.29"], "markets": ["MX"], "note": "Agents for packaging machinery"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
{"id": "mx-0006", "chamberId": "caintra-nl", "name": "Código Norte", "country": "MX", "city": "Monterrey", "sectors": ["62.01"], "employees": 30, "languages": ["es"], "objectives": [{"type": "OUTSOURCING", "direction": "OFFER", "markets": ["US"], "note": "Nearshore software teams"}], "targetMarkets": ["US"], "visibility": "FEDERATION"}
)";

// Two days, one in each city; de-0002 asked to meet the software house (a
// pair the planner would not choose); de-0001 and mx-0001, the best-matched
// pair, declined.
constexpr char kDelegation[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [
    {"date": "2027-03-29", "city": "Ciudad de México", "venue": "Hotel Camino Real",
     "timeZone": "America/Mexico_City", "startTime": "09:00", "endTime": "12:00"},
    {"date": "2027-03-30", "city": "Monterrey", "venue": "Centro de Negocios",
     "timeZone": "America/Monterrey", "startTime": "09:00", "endTime": "12:00"}
  ],
  "meetingMinutes": 30, "breakMinutes": 10, "tablesPerVenue": 3,
  "delegates": [{"memberId": "de-0001"}, {"memberId": "de-0002"}, {"memberId": "de-0003"}],
  "hosts": [{"memberId": "mx-0001"}, {"memberId": "mx-0002"}, {"memberId": "mx-0003"},
            {"memberId": "mx-0004"}, {"memberId": "mx-0005"}, {"memberId": "mx-0006"}],
  "pairs": [{"delegateId": "de-0002", "hostId": "mx-0006", "status": "REQUESTED"},
            {"delegateId": "de-0001", "hostId": "mx-0001", "status": "DECLINED"}]
})";

bool Meets(const Delegation& d, absl::string_view delegate, absl::string_view host) {
  for (const PlannedMeeting& m : d.plan().meetings()) {
    if (m.delegate_id() == delegate && m.host_id() == host) return true;
  }
  return false;
}

class SocioDelegationCliTest : public SocioCliFixture {
 protected:
  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    CommandResult imported = Socio({"profiles", "import", WriteFile("members.jsonl", kMembers)});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
  }

  // Creates and plans kDelegation; returns the planned delegation.
  Delegation CreateAndPlan() {
    CommandResult created = Socio({"delegation", "create", WriteFile("mx27.json", kDelegation)});
    EXPECT_EQ(created.exit_status, 0) << created.err;
    CommandResult planned = Socio({"--json", "delegation", "plan", "mx27"});
    EXPECT_EQ(planned.exit_status, 0) << planned.err;
    return FromJson<Delegation>(planned.out);
  }

  // Whether /usr/bin/python3 can read iCalendar files; if not, the reason.
  std::string IcalendarMissing() {
    absl::StatusOr<CommandResult> probe =
        RunCommand({kPython, "-c", "import icalendar"}, dir_.path());
    if (probe.ok() && probe->exit_status == 0) return "";
    return absl::StrCat(kPython, " cannot import icalendar; install the Debian package ",
                        "python3-icalendar (", probe.ok() ? probe->err : probe.status().ToString(),
                        ")");
  }

  // Runs tests/planner/parse_ics.py, a reader that shares nothing with ours.
  CommandResult ParseIcs(const std::vector<std::string>& paths) {
    std::vector<std::string> argv = {kPython,
                                     socio::testing::SourceFile("tests/planner/parse_ics.py")};
    argv.insert(argv.end(), paths.begin(), paths.end());
    absl::StatusOr<CommandResult> result = RunCommand(argv, dir_.path());
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }
};

TEST_F(SocioDelegationCliTest, CreatePrintsTheStoredDelegation) {
  CommandResult created = Socio({"delegation", "create", WriteFile("mx27.json", kDelegation)});
  ASSERT_EQ(created.exit_status, 0) << created.err;
  EXPECT_THAT(created.out, ContainsRegex("\nid +mx27\n"));
  EXPECT_THAT(created.out, ContainsRegex("\nroute +DE → MX\n"));
  EXPECT_THAT(created.out,
              HasSubstr("Mon 2027-03-29  09:00–12:00  Ciudad de México, Hotel Camino Real"));
  EXPECT_THAT(created.out, HasSubstr("Tue 2027-03-30  09:00–12:00  Monterrey"));
  EXPECT_THAT(created.out, ContainsRegex("\ndelegates +3: de-0001, de-0002, de-0003\n"));
  EXPECT_THAT(created.out, ContainsRegex("\npairs +1 requested, 0 accepted, 1 declined\n"));
  EXPECT_THAT(created.out, ContainsRegex("\nversion +1\n"));
  EXPECT_THAT(created.out, HasSubstr("none yet (socio delegation plan mx27)"));

  CommandResult again = Socio({"delegation", "create", dir_.Join("mx27.json")});
  EXPECT_EQ(again.exit_status, 1);
  EXPECT_THAT(again.err, StartsWith("socio: ALREADY_EXISTS: "));
}

TEST_F(SocioDelegationCliTest, PlanAndShowHoldTheRequestedPairButNeverTheDeclinedOne) {
  ASSERT_EQ(Socio({"delegation", "create", WriteFile("mx27.json", kDelegation)}).exit_status, 0);
  CommandResult planned = Socio({"delegation", "plan", "mx27"});
  ASSERT_EQ(planned.exit_status, 0) << planned.err;
  EXPECT_THAT(planned.err, HasSubstr("planning mx27 ..."));
  EXPECT_THAT(planned.out, HasSubstr("planned mx27 (Mission to Mexico 2027), now version 2\n"));
  EXPECT_THAT(planned.out, ContainsRegex("\nmeetings +[1-9][0-9]*\n"));
  EXPECT_THAT(planned.out, ContainsRegex("\ngap +[0-9]+\\.[0-9]%\n"));
  EXPECT_THAT(planned.out, ContainsRegex("\nper delegate +min [0-9]+, mean [0-9.]+, max [0-9]+\n"));
  EXPECT_THAT(planned.out, Not(HasSubstr("TABLE")));  // the summary, not the schedule

  // --json may also follow the command.
  CommandResult json = Socio({"delegation", "show", "mx27", "--json"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const Delegation shown = FromJson<Delegation>(json.out);
  EXPECT_EQ(shown.version(), 2);
  ASSERT_TRUE(shown.has_plan());
  EXPECT_TRUE(Meets(shown, "de-0002", "mx-0006"));
  EXPECT_FALSE(Meets(shown, "de-0001", "mx-0001"));
  for (const PlannedMeeting& m : shown.plan().meetings()) {
    EXPECT_EQ(m.locked(), m.delegate_id() == "de-0002" && m.host_id() == "mx-0006")
        << m.ShortDebugString();
  }

  CommandResult text = Socio({"delegation", "show", "mx27"});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_THAT(text.out, ContainsRegex("\nplan +[0-9]+ meetings, made 2[0-9-]+ [0-9:]+ UTC from "
                                      "version 1\n"));
  EXPECT_THAT(text.out, ContainsRegex("\nbound +[0-9]+\\.[0-9]{3}\n"));
  // de-0002 (German, English) and mx-0006 (Spanish) share no language, and
  // the delegation names no interpreter.
  EXPECT_THAT(
      text.out,
      ContainsRegex("\nTue 2027-03-30  Monterrey, Centro de Negocios: [0-9]+ "
                    "meetings?\nTIME +TABLE +DELEGATE +HOST +SCORE +LOCKED +INTERPRETER\n"));
  EXPECT_THAT(text.out,
              ContainsRegex("\n[0-9]{2}:[0-9]{2} +[1-3] +de-0002 +mx-0006 +[01]\\.[0-9]{3} "
                            "+locked +NONE \\(de/en - es\\)\n"));
  EXPECT_THAT(text.out,
              ContainsRegex("\ninterpreters +[0-9]+ meetings? needs? one, [0-9]+ without"));
  EXPECT_THAT(text.out, Not(ContainsRegex("de-0001 +mx-0001")));
  // One row per meeting.
  int rows = 0;
  for (absl::string_view line : absl::StrSplit(text.out, '\n')) {
    rows += absl::StrContains(line, "de-00") && absl::StrContains(line, "mx-00") &&
            !absl::StrContains(line, "×");
  }
  EXPECT_EQ(rows, shown.plan().meetings_size());

  // A re-plan keeps the locked meeting where it was.
  CommandResult stale = Socio({"delegation", "plan", "mx27", "--expected-version", "1"});
  EXPECT_EQ(stale.exit_status, 1);
  EXPECT_THAT(stale.err, HasSubstr("socio: ABORTED: "));
  CommandResult again = Socio({"delegation", "plan", "mx27", "--expected-version", "2"});
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("now version 3\n"));
  EXPECT_THAT(again.out, ContainsRegex("\nmoved +0\n"));
}

TEST_F(SocioDelegationCliTest, ShowAndAgendaListTheProgrammeAndTheInterpreters) {
  // A briefing for all delegates takes Monday's first slot; Ana interprets
  // German and Spanish all days.
  std::string json = kDelegation;
  json.resize(json.rfind('}'));
  json += R"(, "programme": [{"id": "brief", "kind": "BRIEFING", "title": "Market briefing",
      "date": "2027-03-29", "startTime": "09:00", "endTime": "09:30", "allDelegates": true}],
      "interpreters": [{"name": "Ana", "languagePairs": [{"first": "de", "second": "es"}]}]})";
  ASSERT_EQ(Socio({"delegation", "create", WriteFile("mx27.json", json)}).exit_status, 0);
  CommandResult planned = Socio({"--json", "delegation", "plan", "mx27"});
  ASSERT_EQ(planned.exit_status, 0) << planned.err;
  const Delegation d = FromJson<Delegation>(planned.out);
  int flagged = 0;
  std::set<std::string> ana_busy;  // date and start
  for (const PlannedMeeting& m : d.plan().meetings()) {
    EXPECT_FALSE(m.date() == "2027-03-29" && m.local_start() == "09:00") << m.ShortDebugString();
    if (!m.needs_interpreter()) continue;
    ++flagged;
    if (m.interpreter() == "Ana") {
      EXPECT_TRUE(ana_busy.insert(m.date() + m.local_start()).second) << m.ShortDebugString();
    }
  }
  EXPECT_GT(flagged, 0);
  EXPECT_EQ(flagged, static_cast<int>(ana_busy.size()) + d.plan().interpreter_gaps_size());

  CommandResult text = Socio({"delegation", "show", "mx27"});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_THAT(text.out, ContainsRegex("\ninterpreters +Ana\n"));
  EXPECT_THAT(text.out,
              ContainsRegex("\nTIME +ITEM +TITLE +PLACE +WHO\n09:00-09:30 +briefing +Market "
                            "briefing +the venue +all delegates\n"));
  EXPECT_THAT(text.out, ContainsRegex(" +de-0002 +mx-0006 +[01]\\.[0-9]{3} +locked +Ana\n|"
                                      "de-0002 × mx-0006: every interpreter"));

  CommandResult agenda = Socio({"delegation", "agenda", "mx27", "de-0003"});
  ASSERT_EQ(agenda.exit_status, 0) << agenda.err;
  EXPECT_THAT(agenda.out,
              ContainsRegex("^de-0003 in mx27: [0-9]+ meetings? and 1 programme item\n"
                            "DAY +TIME +ITEM +TITLE +PLACE\nMon 2027-03-29 +09:00-09:30 "
                            "+briefing +Market briefing +the venue\n"));
}

TEST_F(SocioDelegationCliTest, PublishTellsTheCompaniesAndSaysHowMany) {
  CreateAndPlan();
  CommandResult published = Socio({"delegation", "publish", "mx27"});
  ASSERT_EQ(published.exit_status, 0) << published.err;
  EXPECT_THAT(published.out, HasSubstr("published the plan of mx27 (version 2, publication 1)"));
  EXPECT_THAT(published.out, HasSubstr("companies told"));
  CommandResult json = Socio({"--json", "delegation", "publish", "mx27"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  // Nothing changed since: nobody is told again.
  EXPECT_EQ(FromJson<Delegation>(json.out).publication().publish_count(), 2);
  CommandResult stale = Socio({"delegation", "publish", "mx27", "--expected-version", "1"});
  EXPECT_NE(stale.exit_status, 0);
  EXPECT_THAT(stale.err, HasSubstr("version"));
}

TEST_F(SocioDelegationCliTest, InviteListAndAnswerHostInvitations) {
  CreateAndPlan();
  CommandResult invited =
      Socio({"delegation", "invite", "mx27", "mx-0001", "mx-0002", "--deadline", "2099-03-01"});
  ASSERT_EQ(invited.exit_status, 0) << invited.err;
  EXPECT_THAT(invited.out, HasSubstr("invited 2 hosts to mx27"));
  EXPECT_THAT(invited.out, HasSubstr("2099-03-01 23:59"));
  EXPECT_THAT(invited.out, HasSubstr("2 invited: 0 accepted, 0 declined, 2 pending"));
  CommandResult answered =
      Socio({"delegation", "answer", "mx27", "mx-0001", "--accept", "--note", "Tuesday mornings"});
  ASSERT_EQ(answered.exit_status, 0) << answered.err;
  EXPECT_THAT(answered.out, HasSubstr("mx-0001 accepted the invitation to mx27"));
  CommandResult listed = Socio({"delegation", "invitations", "mx27"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, ContainsRegex("mx-0001 +ACCEPTED"));
  EXPECT_THAT(listed.out, ContainsRegex("mx-0002 +PENDING"));
  EXPECT_THAT(listed.out, HasSubstr("response rate 50%"));
  CommandResult mine = Socio({"--json", "delegation", "invitations", "--member", "mx-0001"});
  ASSERT_EQ(mine.exit_status, 0) << mine.err;
  const auto own = FromJson<socio::v1::ListHostInvitationsResponse>(mine.out);
  ASSERT_EQ(own.listings_size(), 1);
  EXPECT_EQ(own.listings(0).delegation_name(), "Mission to Mexico 2027");
  EXPECT_EQ(own.listings(0).invitation().note(), "Tuesday mornings");
  // A host that is not named, an answer that says neither.
  CommandResult unnamed = Socio({"delegation", "invite", "mx27", "de-0001"});
  EXPECT_NE(unnamed.exit_status, 0);
  EXPECT_THAT(unnamed.err, HasSubstr("host_ids[0]"));
  CommandResult neither = Socio({"delegation", "answer", "mx27", "mx-0002"});
  EXPECT_NE(neither.exit_status, 0);
  EXPECT_THAT(neither.err, HasSubstr("--accept or --decline"));
}

TEST_F(SocioDelegationCliTest, AgendaIsATableOrTheFileAsReceived) {
  const Delegation planned = CreateAndPlan();
  ASSERT_TRUE(Meets(planned, "de-0002", "mx-0006"));

  CommandResult table = Socio({"delegation", "agenda", "mx27", "de-0002"});
  ASSERT_EQ(table.exit_status, 0) << table.err;
  EXPECT_THAT(table.out, StartsWith("de-0002 in mx27: "));
  EXPECT_THAT(table.out, HasSubstr("DAY             TIME   TABLE  PARTNER"));
  EXPECT_THAT(table.out,
              ContainsRegex("\nTue 2027-03-30 +[0-9:]{5} +[1-3] +mx-0006 +[01]\\.[0-9]{3}"));

  CommandResult json =
      Socio({"--json", "delegation", "agenda", "mx27", "de-0002", "--format", "ics"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const socio::v1::Agenda agenda = FromJson<socio::v1::Agenda>(json.out);
  EXPECT_THAT(agenda.content_type(), HasSubstr("text/calendar"));

  CommandResult ics = Socio({"delegation", "agenda", "mx27", "de-0002", "--format", "ics"});
  ASSERT_EQ(ics.exit_status, 0) << ics.err;
  EXPECT_EQ(ics.out, agenda.content());  // byte for byte, so `> file.ics` works
  EXPECT_THAT(ics.out, StartsWith("BEGIN:VCALENDAR\r\n"));

  CommandResult csv = Socio({"delegation", "agenda", "mx27", "mx-0006", "--format", "csv"});
  ASSERT_EQ(csv.exit_status, 0) << csv.err;
  EXPECT_THAT(csv.out, StartsWith("date,start,end,time_zone,partner_id"));
  EXPECT_THAT(csv.out, HasSubstr("de-0002"));

  const std::string missing = IcalendarMissing();
  if (!missing.empty()) GTEST_SKIP() << missing;
  CommandResult parsed = ParseIcs({WriteFile("de-0002.ics", ics.out)});
  ASSERT_EQ(parsed.exit_status, 0) << parsed.err;
  EXPECT_THAT(parsed.out, HasSubstr(absl::StrCat("\"events\": \"", agenda.meetings_size(), "\"")));
}

TEST_F(SocioDelegationCliTest, ExportWritesACalendarPerCompanyAndThePlanAsCsv) {
  const Delegation planned = CreateAndPlan();
  std::set<std::string> companies = {"de-0001", "de-0002", "de-0003"};
  for (const PlannedMeeting& m : planned.plan().meetings()) companies.insert(m.host_id());

  const std::string out_dir = dir_.Join("export/mx27");  // created with its parent
  CommandResult exported = Socio({"--json", "delegation", "export", "mx27", "--dir", out_dir});
  ASSERT_EQ(exported.exit_status, 0) << exported.err;
  EXPECT_THAT(exported.err,
              HasSubstr(absl::StrCat("agendas: ", companies.size(), " / ", companies.size())));
  google::protobuf::Struct listing = FromJson<google::protobuf::Struct>(exported.out);
  EXPECT_EQ(listing.fields().at("meetings").number_value(), planned.plan().meetings_size());
  std::vector<std::string> calendars;
  std::set<std::string> members;
  std::string csv_path;
  for (const google::protobuf::Value& file : listing.fields().at("files").list_value().values()) {
    const std::string path = file.struct_value().fields().at("path").string_value();
    EXPECT_TRUE(std::filesystem::is_regular_file(path)) << path;
    EXPECT_EQ(std::filesystem::path(path).parent_path(), out_dir) << path;
    const std::string member = file.struct_value().fields().at("memberId").string_value();
    if (absl::EndsWith(path, ".ics")) {
      calendars.push_back(path);
      members.insert(member);
    } else {
      EXPECT_TRUE(member.empty()) << path;
      csv_path = path;
    }
  }
  EXPECT_EQ(members, companies);
  ASSERT_FALSE(csv_path.empty()) << exported.out;
  std::ifstream csv(csv_path);
  std::string header;
  std::getline(csv, header);
  EXPECT_THAT(header, StartsWith("date,"));

  // Again, for people, into the same directory.
  CommandResult text = Socio({"delegation", "export", "mx27", "--dir", out_dir});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_EQ(text.out, absl::StrCat("wrote ", companies.size() + 1, " files to ", out_dir, ": ",
                                   companies.size(), " agendas and the plan as ",
                                   std::filesystem::path(csv_path).filename().string(), "; ",
                                   planned.plan().meetings_size(), " meetings\n"));

  const std::string missing = IcalendarMissing();
  if (!missing.empty()) GTEST_SKIP() << missing;
  CommandResult parsed = ParseIcs(calendars);
  ASSERT_EQ(parsed.exit_status, 0) << parsed.err;
  EXPECT_EQ(std::count(parsed.out.begin(), parsed.out.end(), '\n'),
            static_cast<long>(calendars.size()) + 2 * planned.plan().meetings_size())
      << parsed.out;  // a line per calendar, a line per event, each meeting in two calendars
}

TEST_F(SocioDelegationCliTest, DestinationsRankMexicoFirst) {
  CommandResult json =
      Socio({"--json", "delegation", "destinations", "de-0001", "de-0002", "de-0003"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const auto response = FromJson<socio::v1::RecommendDestinationsResponse>(json.out);
  std::vector<std::string> with_members;
  for (const socio::v1::Destination& d : response.destinations()) {
    if (d.country() == "MX" || d.country() == "DE") with_members.push_back(d.country());
  }
  ASSERT_FALSE(with_members.empty()) << json.out;
  EXPECT_EQ(with_members.front(), "MX") << json.out;

  CommandResult text = Socio({"delegation", "destinations", "de-0001", "de-0002", "de-0003",
                              "--exclude", "DE", "--k", "3"});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_THAT(text.out, StartsWith("RANK  COUNTRY  SCORE  STRONG PARTNERS  TOP CITIES\n"));
  EXPECT_THAT(text.out, ContainsRegex("\n1 +MX +[01]\\.[0-9]{3} +[0-9]+ "));
  EXPECT_THAT(text.out, Not(ContainsRegex("\n[0-9]+ +DE ")));

  CommandResult k = Socio({"delegation", "destinations", "de-0001", "--k", "0"});
  EXPECT_EQ(k.exit_status, 1);
  EXPECT_THAT(k.err, HasSubstr("INVALID_ARGUMENT: --k"));
}

TEST_F(SocioDelegationCliTest, UpdateListAndDelete) {
  ASSERT_EQ(Socio({"delegation", "create", WriteFile("mx27.json", kDelegation)}).exit_status, 0);

  // Only the fields the file has are written: the days stay.
  const std::string pairs = WriteFile(
      "pairs.json",
      R"({"pairs": [{"delegateId": "de-0003", "hostId": "mx-0003", "status": "ACCEPTED"}]})");
  CommandResult updated = Socio({"delegation", "update", "mx27", pairs, "--expected-version", "1"});
  ASSERT_EQ(updated.exit_status, 0) << updated.err;
  EXPECT_THAT(updated.out, ContainsRegex("\npairs +0 requested, 1 accepted, 0 declined\n"));
  EXPECT_THAT(updated.out, HasSubstr("Tue 2027-03-30"));
  EXPECT_THAT(updated.out, ContainsRegex("\nversion +2\n"));

  CommandResult stale = Socio({"delegation", "update", "mx27", pairs, "--expected-version", "1"});
  EXPECT_EQ(stale.exit_status, 1);
  EXPECT_THAT(stale.err, HasSubstr("ABORTED"));

  // --mask names what to write, in either spelling.
  CommandResult masked = Socio({"--json", "delegation", "update", "mx27", dir_.Join("mx27.json"),
                                "--mask", "name,tablesPerVenue"});
  ASSERT_EQ(masked.exit_status, 0) << masked.err;
  EXPECT_EQ(FromJson<Delegation>(masked.out).pairs_size(), 1);  // not in the mask

  CommandResult bad_mask = Socio({"delegation", "update", "mx27", pairs, "--mask", "pears"});
  EXPECT_EQ(bad_mask.exit_status, 1);
  EXPECT_THAT(bad_mask.err, HasSubstr("--mask: 'pears' is not a field of Delegation"));

  CommandResult list = Socio({"delegation", "list", "--chamber", "ihk-muenchen"});
  ASSERT_EQ(list.exit_status, 0) << list.err;
  EXPECT_THAT(list.out, ContainsRegex("\nmx27 +ihk-muenchen +Mission to Mexico 2027 +DE → MX +"
                                      "2027-03-29 to 2027-03-30 +3 +6 +- +3\n1 delegation\n"));
  CommandResult other = Socio({"--json", "delegation", "list", "--chamber", "camara-madrid"});
  ASSERT_EQ(other.exit_status, 0) << other.err;
  EXPECT_EQ(FromJson<socio::v1::ListDelegationsResponse>(other.out).delegations_size(), 0);
  // A member's delegations, found by the company rather than the id.
  CommandResult hosting = Socio({"delegation", "list", "--member", "mx-0006"});
  ASSERT_EQ(hosting.exit_status, 0) << hosting.err;
  EXPECT_THAT(hosting.out, ContainsRegex("\nmx27 +ihk-muenchen +Mission to Mexico 2027 "));
  CommandResult nobody = Socio({"delegation", "list", "--member", "mx-9999"});
  EXPECT_EQ(nobody.exit_status, 1);
  EXPECT_THAT(nobody.err, HasSubstr("NOT_FOUND"));

  CommandResult deleted = Socio({"delegation", "delete", "mx27"});
  ASSERT_EQ(deleted.exit_status, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "deleted mx27\n");
  EXPECT_THAT(Socio({"delegation", "show", "mx27"}).err, HasSubstr("NOT_FOUND"));
}

TEST_F(SocioDelegationCliTest, ErrorsNameTheProblem) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"delegation", "show", "nowhere"},
           {"delegation", "plan", "nowhere"},
           {"delegation", "agenda", "nowhere", "de-0001"},
           {"delegation", "export", "nowhere", "--dir", dir_.Join("out")}}) {
    CommandResult result = Socio(args);
    EXPECT_EQ(result.exit_status, 1) << args[1];
    EXPECT_THAT(result.err, ContainsRegex("(^|\n)socio: NOT_FOUND: ")) << args[1];
  }

  std::string bad_date = kDelegation;
  bad_date.replace(bad_date.find("2027-03-30"), 10, "2027-02-30");
  CommandResult date = Socio({"delegation", "create", WriteFile("bad-date.json", bad_date)});
  EXPECT_EQ(date.exit_status, 1);
  EXPECT_THAT(date.err, StartsWith("socio: INVALID_ARGUMENT: "));
  EXPECT_THAT(date.err, HasSubstr("days[1].date"));

  const std::string not_json = WriteFile("broken.json", R"({"id": "x", "days": [)");
  CommandResult broken = Socio({"delegation", "create", not_json});
  EXPECT_EQ(broken.exit_status, 1);
  EXPECT_THAT(broken.err, StartsWith(absl::StrCat("socio: INVALID_ARGUMENT: ", not_json,
                                                  ": not a delegation in proto JSON: ")));
  CommandResult unknown_field =
      Socio({"delegation", "create", WriteFile("typo.json", R"({"id": "x", "dayz": []})")});
  EXPECT_EQ(unknown_field.exit_status, 1);
  EXPECT_THAT(unknown_field.err, HasSubstr("dayz"));

  CommandResult missing = Socio({"delegation", "create", dir_.Join("absent.json")});
  EXPECT_EQ(missing.exit_status, 1);
  EXPECT_THAT(missing.err, HasSubstr("NOT_FOUND: cannot open " + dir_.Join("absent.json")));

  // Nothing to show before a plan is made.
  ASSERT_EQ(Socio({"delegation", "create", WriteFile("mx27.json", kDelegation)}).exit_status, 0);
  CommandResult agenda = Socio({"delegation", "agenda", "mx27", "de-0001"});
  EXPECT_EQ(agenda.exit_status, 1);
  EXPECT_THAT(agenda.err, StartsWith("socio: FAILED_PRECONDITION: "));
  CommandResult exported = Socio({"delegation", "export", "mx27", "--dir", dir_.Join("out")});
  EXPECT_EQ(exported.exit_status, 1);
  EXPECT_THAT(exported.err, StartsWith("socio: FAILED_PRECONDITION: "));
  EXPECT_FALSE(std::filesystem::exists(dir_.Join("out")));
}

}  // namespace
}  // namespace socio::clients
