// The socio CLI end to end: the real binary against a real server.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace socio::clients {
namespace {

using socio::testing::BuiltBinary;
using socio::testing::CommandResult;
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
