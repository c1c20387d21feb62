// `socio match`, `socio explain` and `socio policy` end to end: the real binary
// against a real server holding a handful of hand-written members.
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/match_service.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

// A Mexican sauce maker looking for a food distributor in the US, a Texan
// food distributor that wants Mexican products, and companies that have
// nothing to do with either. Every one in its own chamber.
constexpr char kMembers[] =
    R"({"id": "mx-0001", "chamberId": "canaco-cdmx", "name": "Salsas del Bajío", "country": "MX", "city": "León", "sectors": ["10.84"], "employees": 85, "languages": ["es", "en"], "description": "Maker of bottled salsas and moles.", "keywords": ["salsa", "mole"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.3"], "markets": ["US"], "note": "Food distributor for Texas"}], "targetMarkets": ["US", "CA"], "visibility": "FEDERATION"}
{"id": "us-0001", "chamberId": "amcham-texas", "name": "Lone Star Foods", "country": "US", "city": "San Antonio", "sectors": ["46.38"], "employees": 120, "languages": ["en", "es"], "description": "Food wholesaler for Texan retailers.", "keywords": ["food", "distribution"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["10.8"], "markets": ["US"], "note": "We distribute Mexican food products in Texas"}], "targetMarkets": ["MX", "US"], "visibility": "FEDERATION"}
{"id": "de-0001", "chamberId": "ihk-muenchen", "name": "Maschinenbau Huber", "country": "DE", "sectors": ["28.41"], "employees": 300, "languages": ["de", "en"], "objectives": [{"type": "AGENCY", "direction": "SEEK", "markets": ["BR"]}], "targetMarkets": ["BR"], "visibility": "FEDERATION"}
{"id": "jp-0001", "chamberId": "osaka-cci", "name": "Naniwa Optics", "country": "JP", "sectors": ["26.70"], "employees": 40, "languages": ["ja"], "objectives": [{"type": "LICENSING", "direction": "OFFER", "markets": ["KR"]}], "targetMarkets": ["KR"], "visibility": "FEDERATION"}
{"id": "fi-0001", "chamberId": "helsinki-cc", "name": "Nordic Timber", "country": "FI", "sectors": ["16.10"], "employees": 60, "languages": ["fi", "sv"], "objectives": [{"type": "SUPPLY", "direction": "OFFER", "markets": ["SE"]}], "targetMarkets": ["SE", "NO"], "visibility": "FEDERATION"}
{"id": "es-0001", "chamberId": "camara-madrid", "name": "Software Castellano", "country": "ES", "sectors": ["62.01"], "employees": 25, "languages": ["es"], "objectives": [{"type": "OUTSOURCING", "direction": "OFFER", "markets": ["FR"]}], "targetMarkets": ["FR"], "visibility": "FEDERATION"}
)";

class SocioMatchCliTest : public SocioCliFixture {
 protected:
  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;

    const std::string path = dir_.Join("members.jsonl");
    std::ofstream(path, std::ios::binary) << kMembers;
    CommandResult imported = Socio({"--json", "profiles", "import", path});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
    google::protobuf::Struct summary;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(imported.out, &summary).ok());
    last_sequence_ = static_cast<uint64_t>(summary.fields().at("lastSequence").number_value());
  }

  // Waits until the match index has seen the import (it follows the store
  // within 100 ms).
  void WaitForIndex() {
    const absl::Time deadline = absl::Now() + absl::Seconds(3);
    CommandResult result;
    do {
      result = Socio({"--json", "match", "mx-0001", "--k", "1"});
      socio::v1::FindPartnersResponse response;
      if (result.exit_status == 0 &&
          google::protobuf::util::JsonStringToMessage(result.out, &response).ok() &&
          response.index_sequence() >= last_sequence_) {
        return;
      }
      ASSERT_THAT(result.err, Not(HasSubstr("UNIMPLEMENTED")));
      absl::SleepFor(absl::Milliseconds(20));
    } while (absl::Now() < deadline);
    FAIL() << "the index did not reach sequence " << last_sequence_ << ": " << result.out
           << result.err;
  }

  uint64_t last_sequence_ = 0;
};

TEST_F(SocioMatchCliTest, MatchListsTheDistributorFirst) {
  WaitForIndex();
  CommandResult result = Socio({"match", "mx-0001"});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("YOU→THEM"));
  EXPECT_THAT(result.out,
              ContainsRegex("\n1  +us-0001  +Lone Star Foods  +US  +46\\.38  +[01]\\.[0-9]{3}"));
  EXPECT_THAT(result.out, Not(HasSubstr("mx-0001")));  // never itself
  // The top reason on one line: the sector's long title cut, its code kept.
  EXPECT_THAT(result.out, ContainsRegex("You seek a distributor for [^(\n]+… \\(46\\.3\\)"));

  CommandResult explained = Socio({"match", "mx-0001", "--k", "1", "--explain"});
  ASSERT_EQ(explained.exit_status, 0) << explained.err;
  EXPECT_THAT(explained.out, HasSubstr("#1  mx-0001 and us-0001 (Lone Star Foods, US)"));
  EXPECT_THAT(explained.out, ContainsRegex("\nobjective  +0\\.[0-9]{3}"));
  EXPECT_THAT(explained.out, HasSubstr("reasons:\n  - "));
}

TEST_F(SocioMatchCliTest, APartnerThatMarkedTheMemberNotInterestedIsListedOnlyWhenAskedFor) {
  WaitForIndex();
  CommandResult marked = Socio({"interest", "set", "us-0001", "mx-0001", "not-interested"});
  ASSERT_EQ(marked.exit_status, 0) << marked.out << marked.err;
  CommandResult result = Socio({"match", "mx-0001"});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_THAT(result.out, ContainsRegex("THEM→YOU +MET +TOP REASON\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("us-0001")));
  CommandResult asked = Socio({"match", "mx-0001", "--include-declined"});
  ASSERT_EQ(asked.exit_status, 0) << asked.err;
  EXPECT_THAT(asked.out, ContainsRegex("\n1  +us-0001  +Lone Star Foods"));
}

TEST_F(SocioMatchCliTest, MatchJsonIsTheResponseBestFirst) {
  WaitForIndex();
  CommandResult result = Socio({"--json", "match", "mx-0001"});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  socio::v1::FindPartnersResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &response).ok())
      << result.out;
  ASSERT_GE(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).partner_id(), "us-0001");
  for (int i = 0; i < response.matches_size(); ++i) {
    const socio::v1::Match& m = response.matches(i);
    SCOPED_TRACE(m.partner_id());
    EXPECT_EQ(m.rank(), i + 1);
    if (i > 0) {
      EXPECT_LE(m.score(), response.matches(i - 1).score());
    }
    EXPECT_THAT(m.reasons(), Not(::testing::IsEmpty()));
    const double f = m.forward_score();
    const double b = m.backward_score();
    EXPECT_NEAR(m.score(), f + b > 0 ? 2 * f * b / (f + b) : 0, 1e-4);
  }
  EXPECT_GT(response.matches(0).forward_score(), 0);
  EXPECT_GT(response.matches(0).backward_score(), 0);
}

TEST_F(SocioMatchCliTest, MatchFiltersNarrowTheList) {
  WaitForIndex();
  CommandResult us = Socio({"match", "mx-0001", "--type", "distribution", "--country", "US,DE"});
  ASSERT_EQ(us.exit_status, 0) << us.err;
  EXPECT_THAT(us.out, HasSubstr("us-0001"));
  EXPECT_THAT(us.out, Not(HasSubstr("jp-0001")));

  CommandResult excluded = Socio({"match", "mx-0001", "--exclude", "us-0001", "--country", "US"});
  ASSERT_EQ(excluded.exit_status, 0) << excluded.err;
  EXPECT_THAT(excluded.out, HasSubstr("No partners found."));

  CommandResult none = Socio({"match", "mx-0001", "--country", "NZ"});
  ASSERT_EQ(none.exit_status, 0) << none.err;
  EXPECT_EQ(none.out, "No partners found.\n");
}

TEST_F(SocioMatchCliTest, MatchRejectsBadRequestsNamingTheField) {
  for (const char* k : {"0", "5000"}) {
    CommandResult result = Socio({"match", "mx-0001", "--k", k});
    EXPECT_EQ(result.exit_status, 1) << k;
    EXPECT_THAT(result.err, HasSubstr("INVALID_ARGUMENT")) << k;
    EXPECT_THAT(result.err, HasSubstr("k")) << k;
  }

  CommandResult country = Socio({"match", "mx-0001", "--country", "XX"});
  EXPECT_EQ(country.exit_status, 1);
  EXPECT_THAT(country.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(country.err, HasSubstr("countries"));

  CommandResult unknown = Socio({"match", "zz-9999"});
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
}

// Mistakes in the options themselves are found before anything is sent.
TEST_F(SocioMatchCliTest, BadOptionsFailLocally) {
  CommandResult type = Socio({"match", "mx-0001", "--type", "nonsense"});
  EXPECT_NE(type.exit_status, 0);
  EXPECT_THAT(type.err, HasSubstr("--type"));
  EXPECT_THAT(type.err, HasSubstr("'nonsense'"));
  EXPECT_THAT(type.err, HasSubstr("distribution"));  // lists the valid names

  CommandResult k = Socio({"match", "mx-0001", "--k", "0"});
  EXPECT_EQ(k.exit_status, 1);
  EXPECT_THAT(k.err, HasSubstr("INVALID_ARGUMENT: --k"));

  CommandResult name = Socio({"match", "mx-0001", "--weights", "objective=1,price=2"});
  EXPECT_EQ(name.exit_status, 1);
  EXPECT_THAT(name.err, HasSubstr("--weights: 'price' is not a factor"));

  CommandResult number = Socio({"policy", "set", "canaco-cdmx", "--weights", "objective=high"});
  EXPECT_EQ(number.exit_status, 1);
  EXPECT_THAT(number.err, HasSubstr("--weights: objective='high' is not a finite number"));
}

TEST_F(SocioMatchCliTest, ExplainShowsBothIdsScoresAndReasons) {
  WaitForIndex();
  CommandResult json = Socio({"--json", "explain", "mx-0001", "us-0001"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  socio::v1::Match match;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &match).ok()) << json.out;
  EXPECT_EQ(match.partner_id(), "us-0001");
  ASSERT_THAT(match.reasons(), Not(::testing::IsEmpty()));

  CommandResult text = Socio({"explain", "mx-0001", "us-0001"});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("mx-0001 and us-0001 (Lone Star Foods, US)"));
  EXPECT_THAT(text.out, ContainsRegex("score 0\\.[0-9]{3}: harmonic mean of forward"));
  for (const std::string& reason : match.reasons()) EXPECT_THAT(text.out, HasSubstr(reason));

  CommandResult unknown = Socio({"explain", "mx-0001", "zz-9999"});
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
}

TEST_F(SocioMatchCliTest, PolicyStartsAtTheDefaultsAndKeepsWhatIsSet) {
  CommandResult defaults = Socio({"policy", "get", "canaco-cdmx"});
  ASSERT_EQ(defaults.exit_status, 0) << defaults.err;
  EXPECT_THAT(defaults.out, ContainsRegex("version +0 \\(defaults\\)"));
  EXPECT_THAT(defaults.out, ContainsRegex("objective +0\\.35 "));

  CommandResult set = Socio({"policy", "set", "canaco-cdmx", "--weights", "objective=1,market=1"});
  ASSERT_EQ(set.exit_status, 0) << set.err;
  EXPECT_THAT(set.out, ContainsRegex("version +1\n"));

  CommandResult got = Socio({"policy", "get", "canaco-cdmx"});
  ASSERT_EQ(got.exit_status, 0) << got.err;
  EXPECT_THAT(got.out, ContainsRegex("version +1\n"));
  EXPECT_THAT(got.out, ContainsRegex("objective +1 \\(50\\.0%\\)"));
  EXPECT_THAT(got.out, ContainsRegex("market +1 \\(50\\.0%\\)"));
  EXPECT_THAT(got.out, ContainsRegex("sector +0 \\(0\\.0%\\)"));

  CommandResult json = Socio({"--json", "policy", "get", "canaco-cdmx"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  socio::v1::MatchPolicy policy;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &policy).ok()) << json.out;
  EXPECT_EQ(policy.version(), 1);
  EXPECT_EQ(policy.weights().objective(), 1);
  EXPECT_EQ(policy.weights().culture(), 0);

  CommandResult negative = Socio({"policy", "set", "canaco-cdmx", "--weights", "market=-1"});
  EXPECT_EQ(negative.exit_status, 1);
  EXPECT_THAT(negative.err, HasSubstr("INVALID_ARGUMENT"));

  CommandResult stale = Socio(
      {"policy", "set", "canaco-cdmx", "--weights", "objective=2", "--expected-version", "7"});
  EXPECT_EQ(stale.exit_status, 1);
  EXPECT_THAT(stale.err, HasSubstr("ABORTED"));
  EXPECT_THAT(Socio({"policy", "get", "canaco-cdmx"}).out, ContainsRegex("version +1\n"));
}

}  // namespace
}  // namespace socio::clients
