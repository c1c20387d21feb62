// `socio policy suggest` end to end: the real binary against a real server.
// Without outcomes it says how many there are and how many are needed; past
// the minimum (meetings planted through the RPCs,
// tests/support/planted_outcomes.h) it prints the seven factors current
// beside suggested, the out-of-time evaluation of both, and the `socio
// policy set` command that applies the suggestion, which, run as printed,
// stores exactly the suggested weights.
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/match_suggestion.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/planted_outcomes.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kChamber[] = "ihk-suggest";

class SocioPolicySuggestCliTest : public SocioCliFixture {
 protected:
  // Meetings end within days; their outcomes are recorded a week ahead.
  SocioPolicySuggestCliTest() {
    clock_ = [] { return absl::Now() + absl::Hours(24 * 7); };
  }
};

TEST_F(SocioPolicySuggestCliTest, BelowTheMinimumItSaysHowManyThereAreAndHowManyAreNeeded) {
  CommandResult text = Socio({"policy", "suggest", kChamber});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("No suggestion for ihk-suggest: it has 0 labelled meeting "
                                  "outcomes (0 positive); a suggestion needs at least 500."));
  EXPECT_THAT(text.out, Not(HasSubstr("socio policy set")));

  CommandResult json = Socio({"--json", "policy", "suggest", kChamber});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  socio::v1::MatchPolicySuggestion s;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &s).ok()) << json.out;
  EXPECT_FALSE(s.enough_outcomes());
  EXPECT_EQ(s.min_outcomes(), 500);
  EXPECT_EQ(s.outcomes(), 0);

  CommandResult bad = Socio({"policy", "suggest", "Not A Chamber"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT: chamber_id"));
}

TEST_F(SocioPolicySuggestCliTest, PrintsTheFactorsTheEvaluationAndTheCommandThatApplies) {
  absl::StatusOr<socio::testing::PlantedOutcomes> planted =
      socio::testing::PlantOutcomes(*server_, "", {.chamber_id = kChamber});
  ASSERT_TRUE(planted.ok()) << planted.status();

  CommandResult json = Socio({"--json", "policy", "suggest", kChamber});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  socio::v1::MatchPolicySuggestion s;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &s).ok()) << json.out;
  ASSERT_TRUE(s.enough_outcomes()) << s.message();
  EXPECT_EQ(s.outcomes(), planted->meetings);

  CommandResult text = Socio({"policy", "suggest", kChamber});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr(absl::StrCat("Weights for ihk-suggest fitted to ",
                                               planted->meetings, " labelled meeting outcomes (",
                                               planted->positives, " positive)")));
  EXPECT_THAT(text.out, ContainsRegex("FACTOR +CURRENT +SUGGESTED +CHANGE"));
  EXPECT_THAT(text.out,
              ContainsRegex(absl::StrFormat("objective +%.4f +%.4f ", s.current().objective(),
                                            s.suggested().objective())));
  for (const char* factor : {"market", "sector", "culture", "text", "size", "freshness"}) {
    EXPECT_THAT(text.out,
                ContainsRegex(absl::StrCat("\n", factor, " +0\\.[0-9]{4} +0\\.[0-9]{4} +[-+]")));
  }
  EXPECT_THAT(text.out,
              HasSubstr(absl::StrCat("fitted to the ", s.fitted_outcomes(), " older outcomes")));
  EXPECT_THAT(text.out, ContainsRegex(absl::StrFormat(
                            "suggested +%.3f +%.3f +%d +%d", s.held_out_suggested().auc(),
                            s.held_out_suggested().ndcg_at_10(), s.held_out_outcomes(),
                            s.held_out_suggested().positives())));
  EXPECT_THAT(text.out, ContainsRegex(absl::StrFormat(
                            "current +%.3f +%.3f +%d +%d", s.held_out_current().auc(),
                            s.held_out_current().ndcg_at_10(), s.held_out_outcomes(),
                            s.held_out_current().positives())));

  // The command as printed applies the suggestion, and only it changes the
  // policy: the suggestion left it at the defaults.
  CommandResult before = Socio({"policy", "get", kChamber});
  EXPECT_THAT(before.out, ContainsRegex("version +0 \\(defaults\\)"));
  const size_t at = text.out.find("socio policy set ");
  ASSERT_NE(at, std::string::npos) << text.out;
  const std::string command = text.out.substr(at, text.out.find('\n', at) - at);
  std::vector<std::string> args = absl::StrSplit(command, ' ');
  ASSERT_EQ(args.front(), "socio");
  args.erase(args.begin());
  CommandResult applied = Socio(args);
  ASSERT_EQ(applied.exit_status, 0) << applied.err;
  CommandResult stored = Socio({"--json", "policy", "get", kChamber});
  ASSERT_EQ(stored.exit_status, 0) << stored.err;
  socio::v1::MatchPolicy policy;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(stored.out, &policy).ok()) << stored.out;
  EXPECT_EQ(policy.version(), 1);
  EXPECT_NEAR(policy.weights().objective(), s.suggested().objective(), 5e-5);
  EXPECT_NEAR(policy.weights().market(), s.suggested().market(), 5e-5);
  EXPECT_NEAR(policy.weights().text(), s.suggested().text(), 5e-5);

  // Suggested again, the command names the stored version.
  CommandResult again = Socio({"policy", "suggest", kChamber});
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("beside the current ones (policy version 1)"));
  EXPECT_THAT(again.out, HasSubstr("--expected-version 1\n"));
}

}  // namespace
}  // namespace socio::clients
