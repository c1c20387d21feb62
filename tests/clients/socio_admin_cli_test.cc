// `socio admin ...` and tokens end to end: the real binary against a real
// server with tokens on. The operator starts from the token file the first
// start wrote, issues a chamber's staff token, the staff work with it inside
// their chamber and are refused outside it; a backup serves the same data.
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using ::testing::HasSubstr;

constexpr char kMunich[] =
    R"({"id": "de-0001", "chamberId": "ihk-muenchen", "name": "Maschinenbau Huber", "country": "DE", "sectors": ["28.41"], "visibility": "FEDERATION"})";
constexpr char kMadrid[] =
    R"({"id": "es-0001", "chamberId": "camara-madrid", "name": "Software Castellano", "country": "ES", "sectors": ["62.01"], "visibility": "PRIVATE"})";

class SocioAdminCliTest : public SocioCliFixture {
 protected:
  SocioAdminCliTest() { dev_insecure_ = false; }

  std::string OperatorTokenFile() const { return server_->data_dir() + "/admin.token"; }

  CommandResult AsOperator(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--token_file", OperatorTokenFile()});
    return Socio(args, stdin_text);
  }
};

TEST_F(SocioAdminCliTest, OperatorIssuesStaffTokenThatWorksInsideItsChamberOnly) {
  // Without a token the server says what is missing, and so does the CLI.
  CommandResult anonymous = Socio({"profiles", "list"});
  EXPECT_EQ(anonymous.exit_status, 1);
  EXPECT_THAT(anonymous.err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(anonymous.err, HasSubstr("--token"));

  ASSERT_EQ(AsOperator({"profiles", "create", "-"}, kMadrid).exit_status, 0);
  CommandResult issued =
      AsOperator({"admin", "token", "issue", "--role", "staff", "--chamber", "ihk-muenchen",
                  "--label", "Munich front desk"});
  ASSERT_EQ(issued.exit_status, 0) << issued.err;
  const std::string token(absl::StripAsciiWhitespace(issued.out));
  EXPECT_THAT(issued.err, HasSubstr("chamber ihk-muenchen"));

  CommandResult who = Socio({"--token", token, "admin", "whoami"});
  EXPECT_EQ(who.exit_status, 0) << who.err;
  EXPECT_THAT(who.out, HasSubstr("staff (chamber ihk-muenchen)"));

  CommandResult own = Socio({"--token", token, "profiles", "create", "-"}, kMunich);
  EXPECT_EQ(own.exit_status, 0) << own.err;
  CommandResult foreign = Socio({"--token", token, "profiles", "get", "es-0001"});
  EXPECT_EQ(foreign.exit_status, 1);
  EXPECT_THAT(foreign.err, HasSubstr("NOT_FOUND"));  // as if it did not exist
  CommandResult not_theirs = Socio({"--token", token, "admin", "token", "list"});
  EXPECT_EQ(not_theirs.exit_status, 1);
  EXPECT_THAT(not_theirs.err, HasSubstr("PERMISSION_DENIED"));

  CommandResult listed = AsOperator({"admin", "token", "list"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("Munich front desk"));
  EXPECT_THAT(listed.out, HasSubstr("first operator token"));
  EXPECT_EQ(listed.out.find(token.substr(token.find('.') + 1)), std::string::npos)
      << "a listing must never show a secret";

  const std::string id = token.substr(0, token.find('.'));
  ASSERT_EQ(AsOperator({"admin", "token", "revoke", id}).exit_status, 0);
  CommandResult revoked = Socio({"--token", token, "admin", "whoami"});
  EXPECT_EQ(revoked.exit_status, 1);
  EXPECT_THAT(revoked.err, HasSubstr("revoked"));
}

TEST_F(SocioAdminCliTest, BackupServesTheSameDataAndStatsCountIt) {
  ASSERT_EQ(AsOperator({"profiles", "create", "-"}, kMunich).exit_status, 0);
  ASSERT_EQ(AsOperator({"profiles", "create", "-"}, kMadrid).exit_status, 0);

  CommandResult stats = AsOperator({"--json", "admin", "stats"});
  ASSERT_EQ(stats.exit_status, 0) << stats.err;
  EXPECT_THAT(stats.out, HasSubstr(R"("indexProfiles":"2")"));
  EXPECT_THAT(stats.out, HasSubstr(R"("role":"all")"));

  const std::string backup = dir_.Join("backup");
  CommandResult made = AsOperator({"admin", "backup", backup});
  ASSERT_EQ(made.exit_status, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("sociod --data_dir " + backup));
  CommandResult again = AsOperator({"admin", "backup", backup});
  EXPECT_EQ(again.exit_status, 1);
  EXPECT_THAT(again.err, HasSubstr("ALREADY_EXISTS"));

  // The copy is a data directory of its own: a second server starts on it
  // (while the first still runs) and serves the same members to the same
  // tokens.
  ASSIGN_OR_FAIL(std::unique_ptr<socio::testing::TestServer> copy,
                 socio::testing::TestServer::Start({.data_dir = backup}));
  EXPECT_EQ(copy->sociod().admin_token_file(), "") << "the copy keeps the operator token";
  absl::StatusOr<CommandResult> listed = socio::testing::RunCommand(
      {socio::testing::BuiltBinary("clients/socio"), "--server", copy->address(), "--token_file",
       OperatorTokenFile(), "profiles", "list"},
      dir_.path());
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->exit_status, 0) << listed->err;
  EXPECT_THAT(listed->out, HasSubstr("de-0001"));
  EXPECT_THAT(listed->out, HasSubstr("es-0001"));
}

TEST_F(SocioAdminCliTest, BackupToAPlaceItCannotWriteNamesTheDirAndWhy) {
  // Not even root may create a directory in /proc/sys.
  CommandResult denied = AsOperator({"admin", "backup", "/proc/sys/socio-backup"});
  EXPECT_EQ(denied.exit_status, 1);
  EXPECT_THAT(denied.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(denied.err, HasSubstr("dir: the server cannot create '/proc/sys/socio-backup'"));

  CommandResult orphan = AsOperator({"admin", "backup", dir_.Join("missing/backup")});
  EXPECT_EQ(orphan.exit_status, 1);
  EXPECT_THAT(orphan.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(orphan.err, HasSubstr("dir: the parent directory"));
  EXPECT_THAT(orphan.err, HasSubstr("cannot be found"));

  CommandResult under_file = AsOperator({"admin", "backup", OperatorTokenFile() + "/backup"});
  EXPECT_EQ(under_file.exit_status, 1);
  EXPECT_THAT(under_file.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(under_file.err, HasSubstr("is not a directory"));
}

}  // namespace
}  // namespace socio::clients
