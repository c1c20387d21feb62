// `socio exchanges ...` end to end: the real binary against a real server
// with tokens on. Munich's staff create the exchange around their visit to
// Mexico, Mexico City's staff create their return visit and link it, both
// read the balance (tables and JSON), a third chamber finds nothing, and
// the exchange is deleted while its delegations stay.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/exchange.pb.h"
#include "socio/v1/exchange_service.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/process.h"
#include "tests/support/proto_helpers.h"

namespace socio::clients {
namespace {

using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::v1::Exchange;
using socio::v1::ExchangeBalance;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

constexpr char kMembers[] =
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "Munich", "sectors": ["28.41"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["MX"]}], "visibility": "FEDERATION"}
{"id": "de-2", "chamberId": "ihk-muenchen", "name": "Stille Werke", "country": "DE", "city": "Munich", "sectors": ["28.41"], "languages": ["de", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["MX"]}], "visibility": "FEDERATION"}
{"id": "mx-1", "chamberId": "camara-mexico", "name": "Distribuidora del Valle", "country": "MX", "city": "Mexico City", "sectors": ["46.62"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"]}], "visibility": "FEDERATION"}
)";

constexpr char kVisit[] = R"({"id": "muc-to-mex", "chamberId": "ihk-muenchen",
  "name": "Mission to Mexico 2027", "originCountry": "DE", "hostCountry": "MX",
  "days": [{"date": "2027-03-15", "city": "Mexico City", "startTime": "09:00", "endTime": "12:00"}],
  "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}], "hosts": [{"memberId": "mx-1"}]})";

constexpr char kReturn[] = R"({"id": "mex-to-muc", "chamberId": "camara-mexico",
  "name": "Return visit to Munich 2027", "originCountry": "MX", "hostCountry": "DE",
  "days": [{"date": "2027-10-11", "city": "Munich", "startTime": "09:00", "endTime": "12:00"}],
  "delegates": [{"memberId": "mx-1"}], "hosts": [{"memberId": "de-1"}]})";

class SocioExchangeCliTest : public SocioCliFixture {
 protected:
  SocioExchangeCliTest() { dev_insecure_ = false; }

  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    CommandResult imported = Socio({"--token_file", server_->data_dir() + "/admin.token",
                                    "profiles", "import", WriteFile("members.jsonl", kMembers)});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
    muc_ = server_->IssueToken(socio::v1::STAFF, "ihk-muenchen", "");
    mex_ = server_->IssueToken(socio::v1::STAFF, "camara-mexico", "");
    scl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    ASSERT_FALSE(HasFailure());
    CommandResult visit = As(muc_, {"delegation", "create", WriteFile("visit.json", kVisit)});
    ASSERT_EQ(visit.exit_status, 0) << visit.err;
    CommandResult back = As(mex_, {"delegation", "create", WriteFile("return.json", kReturn)});
    ASSERT_EQ(back.exit_status, 0) << back.err;
  }

  CommandResult As(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--token", token});
    return Socio(args);
  }

  std::string muc_, mex_, scl_, de1_;
};

TEST_F(SocioExchangeCliTest, AVisitAndItsReturnVisitLinkedAndTheirBalance) {
  CommandResult created =
      As(muc_, {"exchanges", "create", "muc-mex-2027", "--chamber", "ihk-muenchen", "--partner",
                "camara-mexico", "--visit", "muc-to-mex", "--name", "Munich and Mexico City 2027"});
  ASSERT_EQ(created.exit_status, 0) << created.err;
  EXPECT_THAT(created.out, ContainsRegex("\nvisit +muc-to-mex\n"));
  EXPECT_THAT(created.out, ContainsRegex("\nreturn visit +\\(not linked yet\\)\n"));

  // Munich's staff cannot link Mexico's delegation: it is not theirs to read.
  CommandResult refused =
      As(muc_, {"exchanges", "update", "muc-mex-2027", "--return", "mex-to-muc"});
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_THAT(refused.err, HasSubstr("NOT_FOUND"));
  EXPECT_THAT(refused.err, HasSubstr("exchange.return_delegation_id"));
  CommandResult nothing = As(mex_, {"exchanges", "update", "muc-mex-2027"});
  EXPECT_EQ(nothing.exit_status, 1);
  EXPECT_THAT(nothing.err, HasSubstr("--return"));

  CommandResult linked = As(mex_, {"--json", "exchanges", "update", "muc-mex-2027", "--return",
                                   "mex-to-muc", "--expected-version", "1"});
  ASSERT_EQ(linked.exit_status, 0) << linked.err;
  const Exchange exchange = FromJson<Exchange>(linked.out);
  EXPECT_EQ(exchange.return_delegation_id(), "mex-to-muc");
  EXPECT_EQ(exchange.name(), "Munich and Mexico City 2027");  // not given: kept
  EXPECT_EQ(exchange.version(), 2);

  CommandResult listed = As(mex_, {"exchanges", "list"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, ContainsRegex("muc-mex-2027 +Munich and Mexico City 2027 +ihk-muenchen "
                                        "+camara-mexico +muc-to-mex +mex-to-muc"));
  EXPECT_THAT(listed.out, HasSubstr("1 exchange\n"));

  CommandResult balance = As(muc_, {"exchanges", "balance", "muc-mex-2027"});
  ASSERT_EQ(balance.exit_status, 0) << balance.err;
  EXPECT_THAT(balance.out, ContainsRegex("Delegates we sent +2 +1\n"));
  EXPECT_THAT(balance.out, ContainsRegex("Delegates we received +1 +2\n"));
  EXPECT_THAT(balance.out, ContainsRegex("Companies we hosted +1 +1\n"));
  EXPECT_THAT(balance.out, ContainsRegex("Balance \\(sent - received\\) +1 +-1\n"));
  CommandResult json = As(mex_, {"--json", "exchanges", "balance", "muc-mex-2027"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  const ExchangeBalance b = FromJson<ExchangeBalance>(json.out);
  EXPECT_EQ(b.visit().delegates_sent(), 2);
  EXPECT_EQ(b.return_visit().delegates_sent(), 1);
  EXPECT_EQ(b.partner_chamber().delegates_balance(), -1);

  // A third chamber and members find no such exchange.
  for (const std::string* token : {&scl_, &de1_}) {
    CommandResult hidden = As(*token, {"exchanges", "get", "muc-mex-2027"});
    EXPECT_EQ(hidden.exit_status, 1);
    EXPECT_THAT(hidden.err, HasSubstr("NOT_FOUND: id: no exchange 'muc-mex-2027'"));
  }

  CommandResult deleted = As(mex_, {"exchanges", "delete", "muc-mex-2027"});
  ASSERT_EQ(deleted.exit_status, 0) << deleted.err;
  EXPECT_THAT(deleted.out, HasSubstr("its delegations stay"));
  CommandResult gone = As(muc_, {"exchanges", "get", "muc-mex-2027"});
  EXPECT_EQ(gone.exit_status, 1);
  CommandResult visit = As(muc_, {"delegation", "show", "muc-to-mex"});
  EXPECT_EQ(visit.exit_status, 0) << visit.err;
}

}  // namespace
}  // namespace socio::clients
