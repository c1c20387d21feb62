// `socio chambers ...` end to end: the real binary against a real server
// with tokens on. The operator enters the Munich chamber; its staff edit
// the record; Munich proposes Mexico City (which has no record) as a
// partner chamber, Mexico City's staff list and accept it, and Munich ends
// it. Members read the public entry only.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/chamber.pb.h"
#include "socio/v1/chamber_service.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/proto_helpers.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::v1::Chamber;
using socio::v1::ChamberPartner;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kMember[] =
    R"({"id": "de-1", "chamberId": "ihk-muc", "name": "Huber Ventiltechnik", "country": "DE", "sectors": ["28.14"], "visibility": "FEDERATION"}
)";

class SocioChamberCliTest : public SocioCliFixture {
 protected:
  SocioChamberCliTest() { dev_insecure_ = false; }

  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    admin_ = server_->admin_token();
    CommandResult imported =
        As(admin_, {"profiles", "import", WriteFile("members.jsonl", kMember)});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
    member_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    staff_muc_ = server_->IssueToken(socio::v1::STAFF, "ihk-muc", "");
    staff_mx_ = server_->IssueToken(socio::v1::STAFF, "canaco-mx", "");
    ASSERT_FALSE(HasFailure());
  }

  CommandResult As(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--token", token});
    return Socio(args);
  }

  std::string admin_, member_, staff_muc_, staff_mx_;
};

TEST_F(SocioChamberCliTest, OperatorsEnterAChamberItsStaffEditItMembersSeeNoContacts) {
  CommandResult created =
      As(admin_, {"chambers", "create", "ihk-muc", "--name", "IHK München und Oberbayern",
                  "--country", "DE", "--city", "München", "--language", "de,en", "--website",
                  "https://www.ihk-muenchen.de", "--contact",
                  "Anna Huber|Head of international|anna.huber@ihk.example|+49 89 5116 0"});
  ASSERT_EQ(created.exit_status, 0) << created.err;
  EXPECT_THAT(created.out, ContainsRegex("\nname +IHK München und Oberbayern\n"));
  EXPECT_THAT(created.out, ContainsRegex("\nlanguages +de, en\n"));
  EXPECT_THAT(created.out, ContainsRegex("\ncontact +Anna Huber \\(Head of international\\) "
                                         "<anna.huber@ihk.example> \\+49 89 5116 0\n"));
  EXPECT_THAT(created.out, ContainsRegex("\nversion +1\n"));

  // Staff of another chamber may not create; a bad country names the field.
  CommandResult refused =
      As(staff_mx_, {"chambers", "create", "canaco-mx", "--name", "CANACO", "--country", "MX"});
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_THAT(refused.err, HasSubstr("socio: PERMISSION_DENIED: "));
  CommandResult bad =
      As(admin_, {"chambers", "create", "canaco-mx", "--name", "CANACO", "--country", "Mexico"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_THAT(bad.err, HasSubstr("socio: INVALID_ARGUMENT: chamber.country: "));

  CommandResult updated = As(
      staff_muc_, {"chambers", "update", "ihk-muc", "--city", "Munich", "--expected-version", "1"});
  ASSERT_EQ(updated.exit_status, 0) << updated.err;
  EXPECT_THAT(updated.out, ContainsRegex("\ncity +Munich\n"));
  EXPECT_THAT(updated.out, ContainsRegex("\nversion +2\n"));
  CommandResult stale = As(staff_muc_, {"chambers", "update", "ihk-muc", "--city", "Muenchen",
                                        "--expected-version", "1"});
  EXPECT_EQ(stale.exit_status, 1);
  EXPECT_THAT(stale.err, HasSubstr("socio: ABORTED: "));
  CommandResult nothing = As(staff_muc_, {"chambers", "update", "ihk-muc"});
  EXPECT_EQ(nothing.exit_status, 1);
  EXPECT_THAT(nothing.err, HasSubstr("nothing to change"));

  // Members read the public entry; --json for programs.
  CommandResult seen = As(member_, {"--json", "chambers", "get", "ihk-muc"});
  ASSERT_EQ(seen.exit_status, 0) << seen.err;
  Chamber chamber = FromJson<Chamber>(seen.out);
  EXPECT_EQ(chamber.city(), "Munich");
  EXPECT_THAT(chamber.contacts(), IsEmpty());
  CommandResult listed = As(member_, {"chambers", "list", "--country", "DE"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, ContainsRegex("ihk-muc +IHK München und Oberbayern +DE +Munich +de,en"));
  EXPECT_THAT(listed.out, HasSubstr("\n1 chamber\n"));

  CommandResult deleted = As(admin_, {"chambers", "delete", "ihk-muc"});
  ASSERT_EQ(deleted.exit_status, 0) << deleted.err;
  CommandResult gone = As(staff_muc_, {"chambers", "get", "ihk-muc"});
  EXPECT_EQ(gone.exit_status, 1);
  EXPECT_THAT(gone.err, HasSubstr("socio: NOT_FOUND: id: no chamber record 'ihk-muc'"));
}

TEST_F(SocioChamberCliTest, PartnerChambersNeedBothSidesAndEitherEndsIt) {
  ASSERT_EQ(
      As(admin_, {"chambers", "create", "ihk-muc", "--name", "IHK München", "--country", "DE"})
          .exit_status,
      0);
  CommandResult proposed = As(staff_muc_, {"chambers", "partners", "propose", "canaco-mx", "--note",
                                           "Exchange visits in 2027"});
  ASSERT_EQ(proposed.exit_status, 0) << proposed.err;
  EXPECT_THAT(proposed.out, HasSubstr("ihk-muc and canaco-mx: proposed (version 1)"));

  // Without a subcommand, `partners` lists.
  CommandResult theirs = As(staff_mx_, {"chambers", "partners"});
  ASSERT_EQ(theirs.exit_status, 0) << theirs.err;
  EXPECT_THAT(theirs.out,
              ContainsRegex("IHK München \\(ihk-muc\\) +proposed +them .*Exchange visits in 2027"));
  CommandResult own = As(staff_muc_, {"chambers", "partners", "accept", "canaco-mx"});
  EXPECT_EQ(own.exit_status, 1);
  EXPECT_THAT(own.err, HasSubstr("socio: FAILED_PRECONDITION: "));

  CommandResult accepted = As(staff_mx_, {"chambers", "partners", "accept", "ihk-muc"});
  ASSERT_EQ(accepted.exit_status, 0) << accepted.err;
  EXPECT_THAT(accepted.out, HasSubstr("canaco-mx and IHK München (ihk-muc): active (version 2)"));
  CommandResult active =
      As(staff_muc_, {"--json", "chambers", "partners", "list", "--state", "active"});
  ASSERT_EQ(active.exit_status, 0) << active.err;
  auto links = FromJson<socio::v1::ListPartnerChambersResponse>(active.out);
  ASSERT_THAT(links.partners(), SizeIs(1));
  EXPECT_EQ(links.partners(0).partner_chamber_id(), "canaco-mx");
  EXPECT_EQ(links.partners(0).accepted_by(), "staff:canaco-mx");

  CommandResult ended =
      As(staff_muc_, {"chambers", "partners", "end", "canaco-mx", "--reason", "Programme over"});
  ASSERT_EQ(ended.exit_status, 0) << ended.err;
  CommandResult after = As(staff_mx_, {"chambers", "partners", "list"});
  EXPECT_THAT(after.out, ContainsRegex("IHK München \\(ihk-muc\\) +ended +them .*Programme over"));
  // Members read no links; a bad state is refused before any call.
  CommandResult member = As(member_, {"chambers", "partners", "--chamber", "ihk-muc"});
  EXPECT_EQ(member.exit_status, 1);
  EXPECT_THAT(member.err, HasSubstr("socio: PERMISSION_DENIED: "));
  CommandResult state = As(staff_mx_, {"chambers", "partners", "list", "--state", "pending"});
  EXPECT_EQ(state.exit_status, 1);
  EXPECT_THAT(state.err, HasSubstr("--state: 'pending' is not a state"));
  EXPECT_THAT(state.out, Not(HasSubstr("ihk-muc")));
}

}  // namespace
}  // namespace socio::clients
