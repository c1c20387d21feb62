// `socio outcomes ...` end to end: the real binary against a real server
// with tokens on, whose outcome clock runs a week ahead so that a meeting
// two days off has ended for it. A Stuttgart company and a Chilean one meet;
// each side records its feedback and the follow-up; each sees what it may.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/engagement.pb.h"
#include "socio/v1/outcome.pb.h"
#include "socio/v1/outcome_service.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/proto_helpers.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRequest;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMembers[] =
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"}
{"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
)";

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%MZ", t, absl::UTCTimeZone());
}

class SocioOutcomesCliTest : public SocioCliFixture {
 protected:
  SocioOutcomesCliTest() {
    dev_insecure_ = false;
    clock_ = [] { return absl::Now() + absl::Hours(24 * 7); };
  }

  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    CommandResult imported = Socio({"--token_file", server_->data_dir() + "/admin.token",
                                    "profiles", "import", WriteFile("members.jsonl", kMembers)});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    cl1_ = server_->IssueToken(socio::v1::MEMBER, "", "cl-1");
    staff_de_ = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    ASSERT_FALSE(HasFailure());
    // de-1 and cl-1 meet in two days, for half an hour.
    const absl::Time start =
        absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) / 3600 * 3600) + absl::Hours(48);
    CommandResult sent = As(de1_, {"--json", "requests", "send", "--from", "de-1", "--to", "cl-1",
                                   "--window", Iso(start) + "/" + Iso(start + absl::Minutes(30))});
    ASSERT_EQ(sent.exit_status, 0) << sent.err;
    meeting_ = FromJson<MeetingRequest>(sent.out).id();
    CommandResult accepted = As(cl1_, {"requests", "accept", meeting_});
    ASSERT_EQ(accepted.exit_status, 0) << accepted.err;
  }

  CommandResult As(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--token", token});
    return Socio(args);
  }

  std::string de1_, cl1_, staff_de_, meeting_;
};

TEST_F(SocioOutcomesCliTest, EachSideRecordsAndSeesItsOwnAnswersAndStaffSeeBoth) {
  CommandResult recorded =
      As(de1_, {"outcomes", "record", meeting_, "--attendance", "held", "--rating", "4",
                "--follow-up", "yes", "--note", "Gute Gespräche über Ventile"});
  ASSERT_EQ(recorded.exit_status, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("held, 4/5, follow up: yes"));
  EXPECT_THAT(recorded.out, HasSubstr("Gute Gespräche über Ventile"));
  EXPECT_THAT(recorded.out, HasSubstr("(not shown)"));  // cl-1's side

  CommandResult no_show = As(cl1_, {"outcomes", "record", meeting_, "--attendance", "no-show",
                                    "--absent", "other-side", "--note", "Nadie vino"});
  ASSERT_EQ(no_show.exit_status, 0) << no_show.err;
  EXPECT_THAT(no_show.out, HasSubstr("no-show (other-side)"));
  EXPECT_THAT(no_show.out, Not(HasSubstr("Gute Gespräche")));

  // The Stuttgart chamber's staff see both sides.
  CommandResult shown = As(staff_de_, {"--json", "outcomes", "show", meeting_});
  ASSERT_EQ(shown.exit_status, 0) << shown.err;
  const MeetingOutcome both = FromJson<MeetingOutcome>(shown.out);
  ASSERT_EQ(both.sides_size(), 2);
  EXPECT_EQ(both.sides(0).feedback().rating(), 4);
  EXPECT_EQ(both.sides(1).feedback().attendance(), MeetingFeedback::NO_SHOW);
  EXPECT_FALSE(both.sides(1).hidden());

  // Stage 2, then the lists.
  CommandResult report = As(de1_, {"--json", "outcomes", "record", meeting_, "--status",
                                   "agreement-signed", "--agreement", "supply", "--value",
                                   "from-50k-to-250k-eur", "--expected-version", "1"});
  ASSERT_EQ(report.exit_status, 0) << report.err;
  const MeetingOutcome reported = FromJson<MeetingOutcome>(report.out);
  EXPECT_EQ(reported.sides(0).follow_up().agreement_type(), FollowUpReport::SUPPLY);
  EXPECT_EQ(reported.sides(0).version(), 2);

  CommandResult mine = As(de1_, {"outcomes", "list"});
  ASSERT_EQ(mine.exit_status, 0) << mine.err;
  EXPECT_THAT(mine.out, HasSubstr("agreement-signed (supply, from-50k-to-250k-eur)"));
  EXPECT_THAT(mine.out, HasSubstr("1 meeting\n"));
  CommandResult open = As(staff_de_, {"outcomes", "list", "--filter", "feedback-open"});
  ASSERT_EQ(open.exit_status, 0) << open.err;
  EXPECT_THAT(open.out, HasSubstr("0 meetings\n"));
}

TEST_F(SocioOutcomesCliTest, MistakesAreNamed) {
  CommandResult nothing = As(de1_, {"outcomes", "record", meeting_});
  EXPECT_EQ(nothing.exit_status, 1);
  EXPECT_THAT(nothing.err, HasSubstr("--attendance or --status"));
  CommandResult bad_ref = As(de1_, {"outcomes", "show", "cl27/"});
  EXPECT_EQ(bad_ref.exit_status, 1);
  EXPECT_THAT(bad_ref.err, HasSubstr("MEETING"));
  CommandResult rating =
      As(de1_, {"outcomes", "record", meeting_, "--attendance", "held", "--follow-up", "no"});
  EXPECT_EQ(rating.exit_status, 1);
  EXPECT_THAT(rating.err, HasSubstr("INVALID_ARGUMENT: feedback.rating"));
  CommandResult other_side =
      As(de1_, {"outcomes", "record", meeting_, "--member", "cl-1", "--attendance", "cancelled"});
  EXPECT_EQ(other_side.exit_status, 1);
  EXPECT_THAT(other_side.err, HasSubstr("PERMISSION_DENIED"));
}

}  // namespace
}  // namespace socio::clients
