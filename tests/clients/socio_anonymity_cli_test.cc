// Anonymity until mutual interest through the `socio` binary, end to end
// against a real server with tokens on: the CSV import's `anonymous` column,
// what `profiles get` and `match` print before and after a mutual interest
// set with `socio interest`, and `socio reveals list`.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/engagement.pb.h"
#include "socio/v1/engagement_service.pb.h"
#include "socio/v1/match_service.pb.h"
#include "socio/v1/profile.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/proto_helpers.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::v1::FindPartnersResponse;
using socio::v1::ListRevealsResponse;
using socio::v1::Profile;
using socio::v1::Reveal;
using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;

// Two companies of Stuttgart, two of Chile; Distribuidora Andina chose to be
// shown anonymously; the last row's anonymous cell is no yes or no.
constexpr char kMembersCsv[] =
    "id,chamber_id,name,country,city,sectors,employees,languages,objectives,target_markets,"
    "visibility,anonymous\n"
    "de-1,ihk-stuttgart,Huber Ventiltechnik,DE,Stuttgart,28.14,240,de;en;es,"
    "SEEK:DISTRIBUTION:46.69:CL,CL,FEDERATION,no\n"
    "de-2,ihk-stuttgart,Schwaben Pumpen,DE,Ulm,28.13,,de,SEEK:DISTRIBUTION::CL,CL,FEDERATION,\n"
    "cl-1,camara-santiago,Distribuidora Andina,CL,Santiago,46.69,60,es;en,"
    "OFFER:DISTRIBUTION:28.1,DE,FEDERATION,yes\n"
    "cl-2,camara-santiago,Importadora Pacífico,CL,Valparaíso,46.69,,es,OFFER:DISTRIBUTION:28,DE,"
    "FEDERATION,0\n"
    "cl-3,camara-santiago,Minera Norte,CL,Antofagasta,07.29,,es,,DE,FEDERATION,maybe\n";

class SocioAnonymityCliTest : public SocioCliFixture {
 protected:
  SocioAnonymityCliTest() { dev_insecure_ = false; }

  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    imported_ = AsOperator({"profiles", "import", WriteFile("members.csv", kMembersCsv)});
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    de2_ = server_->IssueToken(socio::v1::MEMBER, "", "de-2");
    cl1_ = server_->IssueToken(socio::v1::MEMBER, "", "cl-1");
    staff_cl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    staff_de_ = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    ASSERT_FALSE(HasFailure());
    CommandResult shown = AsOperator({"--json", "profiles", "get", "cl-1"});
    ASSERT_EQ(shown.exit_status, 0) << shown.err;
    handle_ = FromJson<Profile>(shown.out).handle();
    ASSERT_THAT(handle_, MatchesRegex("anon-[a-z2-7]{16}"));
  }

  CommandResult AsOperator(std::vector<std::string> args) {
    args.insert(args.begin(), {"--token_file", server_->data_dir() + "/admin.token"});
    return Socio(args);
  }

  CommandResult As(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--token", token});
    return Socio(args);
  }

  // Both members mark each other interested: a mutual interest.
  void MarkMutual(const std::string& member_token, const std::string& member,
                  const std::string& partner_ref) {
    CommandResult one = As(member_token, {"interest", "set", member, partner_ref, "interested"});
    ASSERT_EQ(one.exit_status, 0) << one.err;
    CommandResult two = As(cl1_, {"interest", "set", "cl-1", member, "interested"});
    ASSERT_EQ(two.exit_status, 0) << two.err;
    EXPECT_THAT(two.out, HasSubstr("(mutual: both sides are interested)"));
  }

  CommandResult imported_;
  std::string de1_, de2_, cl1_, staff_cl_, staff_de_;
  std::string handle_;
};

TEST_F(SocioAnonymityCliTest, CsvImportReadsTheAnonymousColumnAndNamesABadCell) {
  EXPECT_EQ(imported_.exit_status, 2) << imported_.out << imported_.err;  // one row rejected
  EXPECT_THAT(imported_.out,
              HasSubstr("line 6: column anonymous: 'maybe' is not yes or no (also true/false, "
                        "1/0)\n"));
  EXPECT_THAT(imported_.out, HasSubstr("5 records, 4 created, 0 updated, 1 rejected"));

  // Its own chamber's staff see the whole profile, the choice and the handle.
  CommandResult own = As(staff_cl_, {"profiles", "get", "cl-1"});
  ASSERT_EQ(own.exit_status, 0) << own.err;
  EXPECT_THAT(own.out, ContainsRegex("\nname +Distribuidora Andina\n"));
  EXPECT_THAT(own.out,
              ContainsRegex("\nanonymous +yes \\(shown to others as " + handle_ + "\\)\n"));
  EXPECT_THAT(own.out, ContainsRegex("\nhandle +" + handle_ + "\n"));
  // Every profile has a handle; only an anonymous one says so.
  for (const char* id : {"de-1", "cl-2"}) {
    CommandResult plain = AsOperator({"profiles", "get", id});
    ASSERT_EQ(plain.exit_status, 0) << plain.err;
    EXPECT_THAT(plain.out, ContainsRegex("\nhandle +anon-[a-z2-7]{16}\n")) << id;
    EXPECT_THAT(plain.out, Not(HasSubstr("anonymous"))) << id;
  }
}

TEST_F(SocioAnonymityCliTest, AnotherChambersMemberSeesTheHandleUntilMutualInterest) {
  // Before: the match names Distribuidora Andina by its handle only.
  CommandResult before = As(de1_, {"match", "de-1"});
  ASSERT_EQ(before.exit_status, 0) << before.err;
  EXPECT_THAT(before.out, ContainsRegex("\n[0-9]+ +" + handle_ + " +" + handle_ + " +CL "));
  EXPECT_THAT(before.out, ContainsRegex("\n[0-9]+ +cl-2 +Importadora Pacífico +CL "));
  EXPECT_THAT(before.out, AllOf(Not(HasSubstr("cl-1")), Not(HasSubstr("Andina"))));
  CommandResult json = As(de1_, {"--json", "match", "de-1"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const auto matches = FromJson<FindPartnersResponse>(json.out);
  bool listed = false;
  for (const auto& m : matches.matches()) {
    EXPECT_NE(m.partner_id(), "cl-1");
    listed |= m.partner_id() == handle_;
  }
  EXPECT_TRUE(listed) << json.out;

  // Another chamber's staff read its profile by the handle, without what
  // identifies it; by its id it is not found, as a missing one. A member
  // reads no other profile before a reveal.
  CommandResult by_handle = As(staff_de_, {"profiles", "get", handle_});
  ASSERT_EQ(by_handle.exit_status, 0) << by_handle.err;
  EXPECT_THAT(by_handle.out, ContainsRegex("\nid +" + handle_ + "\n"));
  EXPECT_THAT(by_handle.out, ContainsRegex("\nanonymous +yes \\(its name and details are hidden"));
  EXPECT_THAT(by_handle.out, ContainsRegex("\nemployees +50\n"));  // its size band
  EXPECT_THAT(by_handle.out,
              AllOf(Not(HasSubstr("Andina")), Not(HasSubstr("Santiago")), Not(HasSubstr("cl-1"))));
  for (const std::string* token : {&staff_de_, &de1_}) {
    CommandResult by_id = As(*token, {"profiles", "get", "cl-1"});
    EXPECT_EQ(by_id.exit_status, 1);
    EXPECT_THAT(by_id.err, HasSubstr("socio: NOT_FOUND: "));
  }

  // The member marks the handle, Distribuidora Andina marks back: mutual.
  MarkMutual(de1_, "de-1", handle_);

  // After: the member and its chamber's staff see the name.
  for (const std::string* token : {&de1_, &staff_de_}) {
    CommandResult after = As(*token, {"match", "de-1"});
    ASSERT_EQ(after.exit_status, 0) << after.err;
    EXPECT_THAT(after.out, ContainsRegex("\n[0-9]+ +cl-1 +Distribuidora Andina +CL "));
    EXPECT_THAT(after.out, Not(HasSubstr(handle_)));
  }
  CommandResult full = As(de1_, {"profiles", "get", "cl-1"});
  ASSERT_EQ(full.exit_status, 0) << full.err;
  EXPECT_THAT(full.out, ContainsRegex("\ncity +Santiago\n"));

  // A member of the same chamber as de-1 that marked nothing still sees the handle.
  CommandResult other = As(de2_, {"match", "de-2"});
  ASSERT_EQ(other.exit_status, 0) << other.err;
  EXPECT_THAT(other.out, AllOf(HasSubstr(handle_), Not(HasSubstr("Andina"))));
}

TEST_F(SocioAnonymityCliTest, RevealsListShowsTheChamberToWhomWhyAndWhen) {
  CommandResult none = As(staff_cl_, {"reveals", "list", "cl-1"});
  ASSERT_EQ(none.exit_status, 0) << none.err;
  EXPECT_THAT(none.out, HasSubstr("cl-1 was revealed to 0 companies\n"));

  MarkMutual(de1_, "de-1", handle_);
  MarkMutual(de2_, "de-2", handle_);

  CommandResult listed = As(staff_cl_, {"reveals", "list", "cl-1"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, ContainsRegex("^COMPANY +WHY +WHEN\n"));
  EXPECT_THAT(listed.out,
              ContainsRegex("\nde-1 +mutual interest +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]+ UTC\n"));
  EXPECT_THAT(listed.out, ContainsRegex("\nde-2 +mutual interest +"));
  EXPECT_THAT(listed.out, HasSubstr("cl-1 was revealed to 2 companies\n"));

  // As JSON, one page at a time: the same two reveals.
  CommandResult json = As(staff_cl_, {"--json", "reveals", "list", "cl-1", "--page-size", "1"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const auto reveals = FromJson<ListRevealsResponse>(json.out);
  ASSERT_THAT(reveals.reveals(), SizeIs(2));
  EXPECT_EQ(reveals.reveals(0).profile_id(), "cl-1");
  EXPECT_EQ(reveals.reveals(0).revealed_to(), "de-1");
  EXPECT_EQ(reveals.reveals(0).reason(), Reveal::MUTUAL_INTEREST);
  EXPECT_GT(reveals.reveals(0).reveal_time().seconds(), 0);
  EXPECT_EQ(reveals.reveals(1).revealed_to(), "de-2");
  EXPECT_TRUE(reveals.next_page_token().empty());

  // The profile itself may list them; another chamber's member may not.
  CommandResult itself = As(cl1_, {"reveals", "list", "cl-1"});
  ASSERT_EQ(itself.exit_status, 0) << itself.err;
  EXPECT_THAT(itself.out, HasSubstr("cl-1 was revealed to 2 companies\n"));
  CommandResult refused = As(de1_, {"reveals", "list", "cl-1"});
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_THAT(refused.err, ContainsRegex("^socio: [A-Z_]+: "));
  EXPECT_EQ(refused.out, "");
}

TEST_F(SocioAnonymityCliTest, StaffSetAnonymousWithProfilesUpdate) {
  CommandResult updated = As(staff_cl_, {"profiles", "update", "cl-2", "--set", "anonymous=true"});
  ASSERT_EQ(updated.exit_status, 0) << updated.err;
  EXPECT_THAT(updated.out, ContainsRegex("\nanonymous +yes \\(shown to others as anon-"));
  CommandResult seen = As(de1_, {"match", "de-1"});
  ASSERT_EQ(seen.exit_status, 0) << seen.err;
  EXPECT_THAT(seen.out, AllOf(Not(HasSubstr("Importadora")), Not(HasSubstr("cl-2"))));

  CommandResult cleared = As(staff_cl_, {"profiles", "update", "cl-2", "--set", "anonymous=false"});
  ASSERT_EQ(cleared.exit_status, 0) << cleared.err;
  EXPECT_THAT(cleared.out, Not(HasSubstr("anonymous")));
  CommandResult named = As(de1_, {"match", "de-1"});
  ASSERT_EQ(named.exit_status, 0) << named.err;
  EXPECT_THAT(named.out, HasSubstr("Importadora Pacífico"));
}

}  // namespace
}  // namespace socio::clients
