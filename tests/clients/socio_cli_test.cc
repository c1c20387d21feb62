// The socio CLI end to end: the real binary against a real server.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/import_relay.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::clients {
namespace {

using socio::testing::BuiltBinary;
using socio::testing::CommandResult;
using socio::testing::ImportRelay;
using socio::testing::IsOk;
using socio::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

// The import example of DESIGN.md section 3, as it is.
constexpr char kDesignExample[] =
    R"({"id": "mx-0001", "chamberId": "canaco-cdmx", "name": "Salsas del Bajío S.A. de C.V.", "country": "MX", "city": "León", "sectors": ["10.84"], "employees": 85, "foundedYear": 2004, "languages": ["es", "en"], "description": "Maker of bottled salsas and moles for retail and food service.", "keywords": ["salsa", "mole", "sauces"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.3"], "markets": ["US"], "note": "Food distributor for Texas and California"}], "targetMarkets": ["US", "CA"], "visibility": "FEDERATION"})";

using SocioCliTest = SocioCliFixture;

TEST_F(SocioCliTest, ImportKeepsGoodLinesAndReportsBadOnesByLineNumber) {
  const std::string csv =
      WriteFile("members.csv",
                "id,chamber_id,name,country,sectors,objectives,visibility\n"
                "de-1,ihk-muenchen,Maschinenbau Huber GmbH,DE,28.41,SEEK:AGENCY::BR:Agent for "
                "Brazil,FEDERATION\n"
                "de-2,ihk-muenchen,Bad Country AG,Germany,28.41,,FEDERATION\n"
                "de-3,ihk-muenchen,\"Quoted, Name GmbH\",DE,28.41;46.6,,CHAMBER\n"
                "de-4,ihk-muenchen,Too Few Cells\n"
                "de-1,ihk-muenchen,Duplicate,DE,28.41,,FEDERATION\n"
                "de-5,ihk-muenchen,Bad Sector KG,DE,28.411,,FEDERATION\n");
  CommandResult result = Socio({"profiles", "import", csv});
  EXPECT_EQ(result.exit_status, 2) << result.err;  // some lines rejected
  EXPECT_THAT(result.out, HasSubstr("line 3: de-2: profile.country: 'Germany'"));
  EXPECT_THAT(result.out, HasSubstr("line 5: "));
  EXPECT_THAT(result.out,
              HasSubstr("line 6: de-1: profile.id: 'de-1' appears earlier in the same import"));
  EXPECT_THAT(result.out, HasSubstr("line 7: de-5: profile.sectors[0]: '28.411'"));
  EXPECT_THAT(result.out, HasSubstr("6 records, 2 created, 0 updated, 4 rejected"));

  CommandResult got = Socio({"--json", "profiles", "get", "de-3"});
  ASSERT_EQ(got.exit_status, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr(R"("name":"Quoted, Name GmbH")"));
  EXPECT_THAT(got.out, HasSubstr(R"("sectors":["28.41","46.6"])"));
  EXPECT_EQ(Socio({"profiles", "get", "de-2"}).exit_status, 1);
}

TEST_F(SocioCliTest, ImportJsonSummaryListsEveryRejectedLine) {
  const std::string jsonl = WriteFile(
      "members.jsonl",
      absl::StrCat(
          kDesignExample, "\n", "{\"id\": \"x\", \"nme\": 1}\n", "\n",
          R"({"id": "us-1", "chamberId": "amcham-texas", "name": "Lone Star Foods", "country": "US", "sectors": ["46.3"]})",
          "\n"));
  CommandResult result = Socio({"--json", "profiles", "import", jsonl});
  EXPECT_EQ(result.exit_status, 2) << result.err;
  google::protobuf::Struct summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &summary).ok()) << result.out;
  const auto& f = summary.fields();
  EXPECT_EQ(f.at("created").number_value(), 2);
  EXPECT_EQ(f.at("rejected").number_value(), 1);
  ASSERT_EQ(f.at("errors").list_value().values_size(), 1);
  const auto& error = f.at("errors").list_value().values(0).struct_value().fields();
  EXPECT_EQ(error.at("line").number_value(), 2);
  EXPECT_THAT(error.at("message").string_value(), HasSubstr("nme"));

  CommandResult get = Socio({"profiles", "get", "mx-0001"});
  ASSERT_EQ(get.exit_status, 0) << get.err;
  EXPECT_THAT(get.out, HasSubstr("Salsas del Bajío S.A. de C.V."));
  EXPECT_THAT(get.out, HasSubstr("SEEK DISTRIBUTION sectors 46.3 in US"));
}

// A CSV file of `count` members of one chamber, cli-0000 on, and `extra`.
std::string MembersCsv(int count, const std::string& extra = "") {
  std::string csv = "id,chamber_id,name,country,sectors,description\n";
  for (int i = 0; i < count; ++i) {
    absl::StrAppendFormat(&csv, "cli-%04d,ihk-muenchen,Member %d GmbH,DE,28.41,\n", i, i);
  }
  return csv + extra;
}

class SocioCliRelayTest : public SocioCliFixture {
 protected:
  // `socio profiles import` of 1,200 members (messages of 500, 500 and 200)
  // through a relay that does `fault` to the second message.
  CommandResult ImportThrough(ImportRelay::Fault fault) {
    const std::string csv = WriteFile("members.csv", MembersCsv(1200));
    ImportRelay relay(server_->address(), 2, fault);
    EXPECT_THAT(relay.Start(), IsOk());
    absl::StatusOr<CommandResult> result = RunCommand(
        {BuiltBinary("clients/socio"), "--server", relay.address(), "profiles", "import", csv},
        dir_.path());
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }
};

// The server answers OK having read less than the CLI sent: the CLI says so
// and fails.
TEST_F(SocioCliRelayTest, ImportFailsWhenTheServerReadLessThanWasSent) {
  CommandResult result = ImportThrough(ImportRelay::Fault::kDrop);
  EXPECT_EQ(result.exit_status, 1) << result.out;
  EXPECT_THAT(result.err, HasSubstr("socio: DATA_LOSS: the server read 700 of the 1200 profiles "
                                    "sent (2 of 3 messages) and answered OK"));
}

// A message the server cannot parse: the server's INVALID_ARGUMENT, and what
// the CLI sent and what the server keeps.
TEST_F(SocioCliRelayTest, ImportFailsWhenAMessageDoesNotParse) {
  google::protobuf::LogSilencer quiet;  // the relay's protobuf logs the name it spoils
  CommandResult result = ImportThrough(ImportRelay::Fault::kSpoil);
  EXPECT_EQ(result.exit_status, 1) << result.out;
  EXPECT_THAT(result.err, HasSubstr("socio: INVALID_ARGUMENT: message 2 of the import stream does "
                                    "not parse"));
  EXPECT_THAT(result.err, HasSubstr("read before: 1 message, 500 items, of which 0 stored"));
  EXPECT_THAT(result.err, HasSubstr("(sent before the call ended: "));
  EXPECT_THAT(result.err, HasSubstr("the server keeps only the batches of 1000 it committed "
                                    "before the failure"));
  EXPECT_EQ(Socio({"profiles", "get", "cli-0000"}).exit_status, 1);
}

// 1,500 members, then one whose message is over the server's size limit:
// the first batch of 1,000 is stored, the 500 after it are not, and the CLI
// says what the server keeps.
TEST_F(SocioCliTest, ImportCutByAnOversizedMessageKeepsWholeBatchesAndSaysSo) {
  server_->options().data_dir = "small-messages";
  server_->options().max_message_bytes = 64 << 10;
  ASSERT_THAT(server_->Restart(), IsOk());
  const std::string csv = WriteFile(
      "members.csv", MembersCsv(1500, absl::StrCat("cli-big,ihk-muenchen,Big GmbH,DE,28.41,",
                                                   std::string(70'000, 'x'), "\n")));
  CommandResult result = Socio({"profiles", "import", csv});
  EXPECT_EQ(result.exit_status, 1) << result.out;
  EXPECT_THAT(result.err, HasSubstr("socio: RESOURCE_EXHAUSTED: Received message larger than max"));
  EXPECT_THAT(result.err, HasSubstr("the server keeps only the batches of 1000 it committed "
                                    "before the failure: at most 1000 of them"));
  EXPECT_EQ(Socio({"profiles", "get", "cli-0999"}).exit_status, 0);
  EXPECT_EQ(Socio({"profiles", "get", "cli-1000"}).exit_status, 1);
  EXPECT_EQ(Socio({"profiles", "get", "cli-1499"}).exit_status, 1);
  CommandResult list = Socio({"--json", "profiles", "list", "--all"});
  ASSERT_EQ(list.exit_status, 0) << list.err;
  EXPECT_EQ(std::vector<std::string>(absl::StrSplit(list.out, '\n', absl::SkipEmpty())).size(),
            1000u);
}

TEST_F(SocioCliTest, CreateUpdateListDeleteAndWatch) {
  CommandResult created = Socio({"profiles", "create", "-"}, kDesignExample);
  ASSERT_EQ(created.exit_status, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("version "));

  CommandResult updated =
      Socio({"--json", "profiles", "update", "mx-0001", "--set", "city=Guadalajara", "--set",
             R"(languages=["es"])", "--expected-version", "1"});
  ASSERT_EQ(updated.exit_status, 0) << updated.err;
  EXPECT_THAT(updated.out, HasSubstr(R"("city":"Guadalajara")"));
  EXPECT_THAT(updated.out, HasSubstr(R"("languages":["es"])"));
  EXPECT_THAT(updated.out, HasSubstr(R"("version":"2")"));

  CommandResult stale =
      Socio({"profiles", "update", "mx-0001", "--set", "city=León", "--expected-version", "1"});
  EXPECT_EQ(stale.exit_status, 1);
  EXPECT_THAT(stale.err, HasSubstr("ABORTED"));

  CommandResult bad_field = Socio({"profiles", "update", "mx-0001", "--set", "ctiy=León"});
  EXPECT_EQ(bad_field.exit_status, 1);
  EXPECT_THAT(bad_field.err, HasSubstr("'ctiy' is not a field of Profile"));

  CommandResult list = Socio({"profiles", "list", "--country", "MX"});
  ASSERT_EQ(list.exit_status, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("mx-0001"));
  EXPECT_THAT(list.out, HasSubstr("1 profile"));
  EXPECT_THAT(Socio({"profiles", "list", "--country", "US"}).out, Not(HasSubstr("mx-0001")));

  ASSERT_EQ(Socio({"profiles", "delete", "mx-0001"}).exit_status, 0);
  CommandResult watch = Socio({"--json", "profiles", "watch", "--limit", "3"});
  ASSERT_EQ(watch.exit_status, 0) << watch.err;
  std::vector<std::string> lines = absl::StrSplit(watch.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr(R"("kind":"CREATED")"));
  EXPECT_THAT(lines[1], HasSubstr(R"("kind":"UPDATED")"));
  EXPECT_THAT(lines[2], HasSubstr(R"("kind":"DELETED")"));
}

TEST_F(SocioCliTest, GetPrintsContactPersons) {
  ASSERT_EQ(Socio({"profiles", "create", "-"}, kDesignExample).exit_status, 0);
  CommandResult updated = Socio(
      {"profiles", "update", "mx-0001", "--set",
       R"(contacts=[{"name": "Ana López", "role": "Export manager", "email": "ana@salsas.mx", "phone": "+52 477 555 0101", "languages": ["es", "en"]}, {"name": "Jorge Ruiz"}])"});
  ASSERT_EQ(updated.exit_status, 0) << updated.err;

  CommandResult got = Socio({"profiles", "get", "mx-0001"});
  ASSERT_EQ(got.exit_status, 0) << got.err;
  EXPECT_THAT(got.out,
              HasSubstr("Ana López (Export manager) <ana@salsas.mx> +52 477 555 0101 [es, en]"));
  EXPECT_THAT(got.out, HasSubstr("Jorge Ruiz"));
  CommandResult json = Socio({"--json", "profiles", "get", "mx-0001"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr(R"("email":"ana@salsas.mx")"));

  CommandResult bad = Socio({"profiles", "update", "mx-0001", "--set",
                             R"(contacts=[{"name": "Ana", "email": "ana at salsas.mx"}])"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_THAT(bad.err, HasSubstr("profile.contacts[0].email: 'ana at salsas.mx'"));
}

// Staff look members up as in their CRM: by a word of the name or a
// keyword, sorted, with how many match.
TEST_F(SocioCliTest, ListFindsMembersByNameSortsAndCounts) {
  const std::string csv = WriteFile("named.csv",
                                    "id,chamber_id,name,country,sectors,keywords\n"
                                    "n-1,ihk-muenchen,Zahnrad Bajío GmbH,DE,28.41,\n"
                                    "n-2,ihk-muenchen,Ärztebedarf Huber,DE,32.50,salsa\n"
                                    "n-3,ihk-muenchen,Bajio Salsas AG,DE,10.84,\n"
                                    "n-4,ihk-muenchen,Maschinen Meier,DE,28.41,\n");
  ASSERT_EQ(Socio({"profiles", "import", csv}).exit_status, 0);

  CommandResult found = Socio({"profiles", "list", "--name", "BAJIO", "--sort", "name desc"});
  ASSERT_EQ(found.exit_status, 0) << found.err;
  EXPECT_THAT(found.out, ::testing::ContainsRegex("n-1[^\n]*\n[^\n]*n-3"));  // Z before B
  EXPECT_THAT(found.out, Not(HasSubstr("n-2")));
  EXPECT_THAT(found.out, HasSubstr("2 profiles of 2 matching"));

  CommandResult page =
      Socio({"profiles", "list", "--name", "salsa", "--page-size", "1", "--count"});
  ASSERT_EQ(page.exit_status, 0) << page.err;
  EXPECT_THAT(page.out, HasSubstr("n-2"));  // by its keyword, first by id
  EXPECT_THAT(page.out, HasSubstr("1 profile of 2 matching; more with --page-token"));

  CommandResult bad = Socio({"profiles", "list", "--sort", "size"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT: order_by: 'size'"));
}

TEST_F(SocioCliTest, RefShowsCountriesSectorsAndCulture) {
  CommandResult countries = Socio({"ref", "countries", "--region", "155"});
  ASSERT_EQ(countries.exit_status, 0) << countries.err;
  EXPECT_THAT(countries.out, ::testing::ContainsRegex("DE +DEU +Germany"));
  EXPECT_THAT(countries.out, Not(HasSubstr("Mexico")));

  CommandResult sectors = Socio({"ref", "sectors", "C"});
  ASSERT_EQ(sectors.exit_status, 0) << sectors.err;
  EXPECT_THAT(sectors.out, HasSubstr("Manufacture of food products"));

  CommandResult culture = Socio({"--json", "ref", "culture", "DE", "AT"});
  ASSERT_EQ(culture.exit_status, 0) << culture.err;
  google::protobuf::Struct pair;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(culture.out, &pair).ok()) << culture.out;
  EXPECT_GT(pair.fields().at("sharedLanguage").number_value(), 0.5);
  EXPECT_EQ(pair.fields().at("workingHourOverlapHours").number_value(), 8);
  EXPECT_FALSE(pair.fields().contains("kogutSingh"));  // no Hofstede file given

  CommandResult unknown = Socio({"ref", "culture", "DE", "UK"});
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_THAT(unknown.err,
              HasSubstr("b: 'UK' is not an ISO 3166-1 alpha-2 country code (did you mean 'GB'?)"));
}

TEST_F(SocioCliTest, UnreachableServerSaysSo) {
  absl::StatusOr<CommandResult> result =
      RunCommand({BuiltBinary("clients/socio"), "--server", "127.0.0.1:1", "profiles", "get", "x"},
                 dir_.path());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->exit_status, 1);
  EXPECT_THAT(result->err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(result->err, HasSubstr("--server"));
}

// A script whose command timed out runs it again with the same --request-id
// and gets the first answer; each run without one is a request of its own.
TEST_F(SocioCliTest, RunningACommandAgainWithItsRequestIdGetsTheFirstAnswer) {
  const std::vector<std::string> create = {"--json", "profiles",     "create",
                                           "-",      "--request-id", "nightly-sync-0042"};
  CommandResult first = Socio(create, kDesignExample);
  ASSERT_EQ(first.exit_status, 0) << first.err;
  CommandResult again = Socio(create, kDesignExample);
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_EQ(again.out, first.out);
  CommandResult fresh = Socio({"profiles", "create", "-"}, kDesignExample);
  EXPECT_EQ(fresh.exit_status, 1);
  EXPECT_THAT(fresh.err, HasSubstr("ALREADY_EXISTS"));

  const std::string jsonl = WriteFile(
      "more.jsonl",
      R"({"id": "mx-0002", "chamberId": "canaco-cdmx", "name": "Mole Poblano SA", "country": "MX"})"
      "\n");
  const std::vector<std::string> import = {"profiles", "import",       jsonl,
                                           "--upsert", "--request-id", "nightly-sync-0043"};
  CommandResult imported = Socio(import);
  ASSERT_EQ(imported.exit_status, 0) << imported.err;
  CommandResult reimported = Socio(import);
  ASSERT_EQ(reimported.exit_status, 0) << reimported.err;
  EXPECT_EQ(reimported.out, imported.out);
  CommandResult got = Socio({"--json", "profiles", "get", "mx-0002"});
  EXPECT_THAT(got.out, HasSubstr(R"("version":"1")"));  // not imported twice

  CommandResult malformed =
      Socio({"profiles", "create", "-", "--request-id", "no"}, kDesignExample);
  EXPECT_EQ(malformed.exit_status, 1);
  EXPECT_THAT(malformed.err, HasSubstr("request_id: must be 8 to 64 characters"));
}

}  // namespace
}  // namespace socio::clients
