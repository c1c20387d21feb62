// `socio partnerships ...` end to end: the real binary against a real server
// with tokens on; a company of Stuttgart and one of Chile start a
// partnership, set goals and milestones, review it and move it on; a third
// company does not see it. And `socio analytics` over such partnerships.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/analytics_service.pb.h"
#include "socio/v1/partnership.pb.h"
#include "socio/v1/partnership_service.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/proto_helpers.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kMembers[] =
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"}
{"id": "de-2", "chamberId": "ihk-stuttgart", "name": "Schwaben Pumpen", "country": "DE", "city": "Ulm", "sectors": ["28.13"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"}
{"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
)";

class SocioPartnershipCliTest : public SocioCliFixture {
 protected:
  SocioPartnershipCliTest() { dev_insecure_ = false; }

  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    CommandResult imported = Socio({"--token_file", server_->data_dir() + "/admin.token",
                                    "profiles", "import", WriteFile("members.jsonl", kMembers)});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    de2_ = server_->IssueToken(socio::v1::MEMBER, "", "de-2");
    cl1_ = server_->IssueToken(socio::v1::MEMBER, "", "cl-1");
    staff_cl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    staff_de_ = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    ASSERT_FALSE(HasFailure());
  }

  CommandResult As(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--token", token});
    return Socio(args);
  }

  std::string de1_, de2_, cl1_, staff_cl_, staff_de_;
};

TEST_F(SocioPartnershipCliTest, TwoCompaniesSetGoalsReviewAndEndAPartnership) {
  CommandResult created =
      As(de1_,
         {"partnerships", "create", "--member", "de-1", "--with", "cl-1", "--title",
          "Valves for Chilean mining", "--goal", "Sell in Chile|Units sold|units|0|500|2027-12-31",
          "--milestone", "First order|2027-04-30", "--milestone", "Service training|2027-06-30",
          "--every-weeks", "6", "--from-match"});
  ASSERT_EQ(created.exit_status, 0) << created.err;
  EXPECT_THAT(created.out, ContainsRegex("\nstatus +exploring\n"));
  EXPECT_THAT(created.out, ContainsRegex("\nparties +de-1 and cl-1\n"));
  EXPECT_THAT(created.out, ContainsRegex("\norigin +match\n"));
  EXPECT_THAT(created.out, ContainsRegex("Sell in Chile +Units sold +units +0 +500 +2027-12-31"));
  EXPECT_THAT(created.out, ContainsRegex("\n2 +Service training +2027-06-30"));
  std::vector<std::string> lines = absl::StrSplit(created.out, '\n');
  const std::string id = lines[1].substr(lines[1].rfind(' ') + 1);
  ASSERT_THAT(id, StartsWith("pt-"));

  // The partner and its chamber list it; another company does not see it.
  CommandResult listed = As(staff_cl_, {"partnerships", "list", "--status", "exploring"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out,
              ContainsRegex(id + " +de-1 and cl-1 +Valves for Chilean mining +exploring +1 +0"));
  EXPECT_THAT(listed.out, HasSubstr("\n1 partnership\n"));
  CommandResult hidden = As(de2_, {"partnerships", "show", id});
  EXPECT_EQ(hidden.exit_status, 1);
  EXPECT_THAT(hidden.err, HasSubstr("NOT_FOUND"));

  // The partner moves it on and marks the first milestone reached.
  CommandResult active =
      As(cl1_, {"--json", "partnerships", "update", id, "--status", "active", "--done", "1"});
  ASSERT_EQ(active.exit_status, 0) << active.err;
  const auto moved = FromJson<Partnership>(active.out);
  EXPECT_EQ(moved.status(), Partnership::ACTIVE);
  EXPECT_TRUE(moved.milestones(0).has_done_time());
  EXPECT_FALSE(moved.milestones(1).has_done_time());

  // A review needs every indicator's value; then it is recorded.
  CommandResult missing =
      As(cl1_, {"partnerships", "review", id, "--judgement", "at-risk", "--note", "Customs"});
  EXPECT_EQ(missing.exit_status, 1);
  EXPECT_THAT(missing.err, HasSubstr("needs a value for indicator 'Units sold'"));
  CommandResult reviewed =
      As(cl1_,
         {"--json", "partnerships", "review", id, "--value", "Units sold=120", "--judgement",
          "at-risk", "--goal", "Units sold=on-track", "--note", "Customs delays in Valparaíso."});
  ASSERT_EQ(reviewed.exit_status, 0) << reviewed.err;
  const auto review = FromJson<PartnershipReview>(reviewed.out);
  EXPECT_EQ(review.number(), 1);
  EXPECT_EQ(review.judgement(), PartnershipReview::AT_RISK);
  ASSERT_THAT(review.readings(), SizeIs(1));
  EXPECT_EQ(review.readings(0).value(), 120);
  EXPECT_EQ(review.readings(0).judgement(), PartnershipReview::ON_TRACK);  // the goal's own

  CommandResult shown = As(de1_, {"partnerships", "show", id});
  ASSERT_EQ(shown.exit_status, 0) << shown.err;
  EXPECT_THAT(shown.out, ContainsRegex("\nreviews +1 \\(every 6 weeks\\)\n"));
  EXPECT_THAT(shown.out, ContainsRegex("\n1 +[0-9-]+ [0-9:]+ UTC +member:cl-1 +at-risk +Units "
                                       "sold=120 \\(on-track\\) +Customs delays"));

  // Ending needs a reason; an ended partnership takes no review.
  CommandResult no_reason = As(de1_, {"partnerships", "update", id, "--status", "ended"});
  EXPECT_EQ(no_reason.exit_status, 1);
  EXPECT_THAT(no_reason.err, HasSubstr("partnership.end_reason"));
  CommandResult ended = As(de1_, {"partnerships", "update", id, "--status", "ended", "--reason",
                                  "The distributor was sold."});
  ASSERT_EQ(ended.exit_status, 0) << ended.err;
  EXPECT_THAT(ended.out, ContainsRegex("\nend reason +The distributor was sold.\n"));
  CommandResult late = As(
      cl1_, {"partnerships", "review", id, "--value", "Units sold=130", "--judgement", "on-track"});
  EXPECT_EQ(late.exit_status, 1);
  EXPECT_THAT(late.err, HasSubstr("FAILED_PRECONDITION"));
}

TEST_F(SocioPartnershipCliTest, BadArgumentsNameTheOption) {
  CommandResult goal = As(de1_, {"partnerships", "create", "--member", "de-1", "--with", "cl-1",
                                 "--goal", "Sell in Chile|Units sold"});
  EXPECT_EQ(goal.exit_status, 1);
  EXPECT_THAT(goal.err, HasSubstr("--goal: 'Sell in Chile|Units sold' is not TITLE|INDICATOR"));
  CommandResult judgement = As(de1_, {"partnerships", "review", "pt-1", "--judgement", "fine"});
  EXPECT_EQ(judgement.exit_status, 1);
  EXPECT_THAT(judgement.err, HasSubstr("--judgement: 'fine' is not a judgement"));
  CommandResult goal_judgement =
      As(de1_, {"partnerships", "review", "pt-1", "--value", "Units sold=1", "--judgement",
                "on-track", "--goal", "Units sold=great"});
  EXPECT_EQ(goal_judgement.exit_status, 1);
  EXPECT_THAT(goal_judgement.err, HasSubstr("--goal: 'great' is not a judgement"));
  CommandResult goal_without_value =
      As(de1_, {"partnerships", "review", "pt-1", "--value", "Units sold=1", "--judgement",
                "on-track", "--goal", "Dealers=at-risk"});
  EXPECT_EQ(goal_without_value.exit_status, 1);
  EXPECT_THAT(goal_without_value.err, HasSubstr("--goal: 'Dealers' has no --value"));
  CommandResult status = As(de1_, {"partnerships", "list", "--status", "done"});
  EXPECT_EQ(status.exit_status, 1);
  EXPECT_THAT(status.err, HasSubstr("--status: 'done' is not a status"));
}

// `socio analytics`: the figures of the partnerships written here, as a table
// for people with where the chamber stands, as JSON, and as CSV; members are
// refused.
TEST_F(SocioPartnershipCliTest, AnalyticsShowsTheChambersFiguresAsTableJsonAndCsv) {
  int partnerships = 0;
  for (const char* with : {"cl-1", "de-2"}) {
    CommandResult created = As(de1_, {"partnerships", "create", "--member", "de-1", "--with", with,
                                      "--goal", "Sell|Units sold|units|0|500|2027-12-31"});
    ASSERT_EQ(created.exit_status, 0) << created.err;
    ++partnerships;
  }

  CommandResult table = As(staff_de_, {"analytics", "--by", "country-pair"});
  ASSERT_EQ(table.exit_status, 0) << table.err;
  EXPECT_THAT(table.out, ContainsRegex("\nCL-DE +0 "));
  EXPECT_THAT(table.out, ContainsRegex("\nDE-DE +0 "));
  EXPECT_THAT(table.out, ContainsRegex("\n\\(total\\) +0 "));
  EXPECT_THAT(table.out, HasSubstr("Requests accepted: -, no figures yet (40-60 %"));
  EXPECT_THAT(table.out, HasSubstr("Meetings held: -, no figures yet (75-85 %"));

  CommandResult json = As(staff_de_, {"--json", "analytics", "--by", "country-pair"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const auto answer = FromJson<socio::v1::GetAnalyticsResponse>(json.out);
  EXPECT_EQ(answer.chamber_id(), "ihk-stuttgart");
  EXPECT_EQ(answer.total().partnerships(), partnerships);
  EXPECT_EQ(answer.total().goals_not_reviewed(), partnerships);
  ASSERT_THAT(answer.rows(), SizeIs(2));

  CommandResult csv = As(staff_de_, {"analytics", "--by", "country-pair", "--csv"});
  ASSERT_EQ(csv.exit_status, 0) << csv.err;
  std::vector<std::string> lines = absl::StrSplit(csv.out, "\r\n");
  ASSERT_EQ(lines.size(), 5u) << csv.out;  // header, two pairs, total, ""
  const std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  EXPECT_EQ(header[0], "group");
  size_t column = 0;
  while (column < header.size() && header[column] != "partnerships") ++column;
  ASSERT_LT(column, header.size());
  const std::vector<std::string> total = absl::StrSplit(lines[3], ',');
  EXPECT_EQ(total[0], "(total)");
  EXPECT_EQ(total[column], std::to_string(partnerships));

  CommandResult member = As(de1_, {"analytics"});
  EXPECT_EQ(member.exit_status, 1);
  EXPECT_THAT(member.err, HasSubstr("PERMISSION_DENIED"));
  CommandResult by = As(staff_de_, {"analytics", "--by", "weekly"});
  EXPECT_EQ(by.exit_status, 1);
  EXPECT_THAT(by.err, HasSubstr("--by: 'weekly' is not"));
  CommandResult from = As(staff_de_, {"analytics", "--from", "2027-02-30"});
  EXPECT_EQ(from.exit_status, 1);
  EXPECT_THAT(from.err, HasSubstr("from_date"));
}

}  // namespace
}  // namespace socio::clients
