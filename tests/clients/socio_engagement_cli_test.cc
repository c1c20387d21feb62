// `socio interest ...`, `socio requests ...`, `socio notifications ...` and
// `socio admin parked` end to end: the real binary against a real server with
// tokens on, two companies of Stuttgart and two of Chile, each company and
// each chamber's staff with a token of its own.
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/engagement.pb.h"
#include "socio/v1/engagement_service.pb.h"
#include "socio/v1/notification.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/process.h"

namespace socio::clients {
namespace {

using socio::testing::ChildProcess;
using socio::testing::CommandResult;
using socio::testing::FromJson;
using socio::v1::Interest;
using socio::v1::ListInterestsResponse;
using socio::v1::ListMeetingRequestsResponse;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kMembers[] =
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "employees": 240, "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"}
{"id": "de-2", "chamberId": "ihk-stuttgart", "name": "Schwaben Pumpen", "country": "DE", "city": "Ulm", "sectors": ["28.13"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"}
{"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "employees": 60, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
{"id": "cl-2", "chamberId": "camara-santiago", "name": "Importadora Pacífico", "country": "CL", "city": "Valparaíso", "sectors": ["46.69"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"}
)";

// A whole hour `hours` from the test's start, as the command line takes it
// ("2027-03-02T10:00Z") and as `requests show` prints it ("2027-03-02 10:00").
absl::Time Hour(int hours) {
  static const int64_t start = absl::ToUnixSeconds(absl::Now()) / 3600 * 3600;
  return absl::FromUnixSeconds(start + int64_t{3600} * hours);
}
std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%MZ", t, absl::UTCTimeZone());
}
std::string Shown(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, absl::UTCTimeZone());
}
// START/END of a half-hour window.
std::string Window(int hours) {
  return Iso(Hour(hours)) + "/" + Iso(Hour(hours) + absl::Minutes(30));
}
// The window as `requests show` prints it.
std::string WindowShown(int hours) {
  return absl::StrCat(
      Shown(Hour(hours)), "–",
      absl::FormatTime("%H:%M", Hour(hours) + absl::Minutes(30), absl::UTCTimeZone()), " UTC");
}

// The lines of `text`, without the empty last one.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  return lines;
}

class SocioEngagementCliTest : public SocioCliFixture {
 protected:
  SocioEngagementCliTest() { dev_insecure_ = false; }

  void SetUp() override {
    SocioCliFixture::SetUp();
    if (HasFatalFailure()) return;
    CommandResult imported =
        AsOperator({"profiles", "import", WriteFile("members.jsonl", kMembers)});
    ASSERT_EQ(imported.exit_status, 0) << imported.out << imported.err;
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    de2_ = server_->IssueToken(socio::v1::MEMBER, "", "de-2");
    cl1_ = server_->IssueToken(socio::v1::MEMBER, "", "cl-1");
    staff_cl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    ASSERT_FALSE(HasFailure());
  }

  CommandResult AsOperator(std::vector<std::string> args) {
    args.insert(args.begin(), {"--token_file", server_->data_dir() + "/admin.token"});
    return Socio(args);
  }

  CommandResult As(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--token", token});
    return Socio(args);
  }

  // de-1 asks cl-1 for a meeting in one of two windows; the request sent.
  MeetingRequest SendTwoWindows() {
    CommandResult sent =
        As(de1_, {"--json", "requests", "send", "--from", "de-1", "--to", "cl-1", "--message",
                  "Wir suchen einen Vertriebspartner für Ventile in Chile.", "--window", Window(48),
                  "--window", Window(72)});
    EXPECT_EQ(sent.exit_status, 0) << sent.err;
    return FromJson<MeetingRequest>(sent.out);
  }

  std::string de1_, de2_, cl1_, staff_cl_;
};

TEST_F(SocioEngagementCliTest, AMemberSendsThePartnerListsItsInboxAndAccepts) {
  CommandResult sent = As(de1_, {"requests", "send", "--from", "de-1", "--to", "cl-1", "--message",
                                 "Wir suchen einen Vertriebspartner für Ventile in Chile.",
                                 "--window", Window(48), "--window", Window(72)});
  ASSERT_EQ(sent.exit_status, 0) << sent.err;
  EXPECT_THAT(sent.out, ContainsRegex("\nstate +pending\n"));
  EXPECT_THAT(sent.out, ContainsRegex("\nwindow 1 +" + WindowShown(48) + "\n"));
  EXPECT_THAT(sent.out, ContainsRegex("\nwindow 2 +" + WindowShown(72) + "\n"));
  EXPECT_THAT(sent.out, ContainsRegex("\nchanged by +member\n"));
  const std::string id = Lines(sent.out)[1].substr(Lines(sent.out)[1].rfind(' ') + 1);
  ASSERT_THAT(id, StartsWith("mr-"));

  // The partner's inbox holds it, its sent box does not.
  CommandResult inbox = As(cl1_, {"requests", "list", "--received"});
  ASSERT_EQ(inbox.exit_status, 0) << inbox.err;
  EXPECT_THAT(inbox.out, StartsWith("ID "));
  EXPECT_THAT(inbox.out,
              ContainsRegex(id + " +de-1 +cl-1 +pending +2 windows proposed +Wir suchen"));
  EXPECT_THAT(inbox.out, HasSubstr("\n1 request\n"));
  CommandResult outbox = As(cl1_, {"requests", "list", "--sent"});
  ASSERT_EQ(outbox.exit_status, 0) << outbox.err;
  EXPECT_THAT(outbox.out, HasSubstr("\n0 requests\n"));

  // It accepts the second window; both sides see the meeting then.
  CommandResult accepted = As(cl1_, {"requests", "accept", id, "--window", "2"});
  ASSERT_EQ(accepted.exit_status, 0) << accepted.err;
  EXPECT_THAT(accepted.out, ContainsRegex("\nstate +accepted\n"));
  EXPECT_THAT(accepted.out, ContainsRegex("\naccepted window +" + WindowShown(72) + "\n"));
  EXPECT_THAT(accepted.out, ContainsRegex("\ncalendar uid +[^ ]+\n"));

  CommandResult listed = As(de1_, {"--json", "requests", "list", "--sent", "--state", "accepted"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  const auto mine = FromJson<ListMeetingRequestsResponse>(listed.out);
  ASSERT_THAT(mine.requests(), SizeIs(1));
  EXPECT_EQ(mine.requests(0).id(), id);
  EXPECT_EQ(mine.requests(0).accepted_window().start_time().seconds(),
            absl::ToUnixSeconds(Hour(72)));
  CommandResult pending = As(de1_, {"--json", "requests", "list", "--state", "pending,declined"});
  ASSERT_EQ(pending.exit_status, 0) << pending.err;
  EXPECT_THAT(FromJson<ListMeetingRequestsResponse>(pending.out).requests(), IsEmpty());

  // The requester was told, in words and as JSON.
  CommandResult told = As(de1_, {"notifications", "watch", "--once"});
  ASSERT_EQ(told.exit_status, 0) << told.err;
  ASSERT_THAT(Lines(told.out), SizeIs(1)) << told.out;
  EXPECT_THAT(
      told.out,
      ContainsRegex("^[0-9]+  [0-9-]+ [0-9:]+ UTC  request accepted  to de-1: Distribuidora "
                    "Andina accepted your meeting request on " +
                    Shown(Hour(72))));
  const std::string sequence = told.out.substr(0, told.out.find(' '));
  EXPECT_THAT(told.err, HasSubstr("caught up after sequence " + sequence +
                                  "; resume with --after " + sequence + "\n"));
  CommandResult resumed = As(de1_, {"notifications", "watch", "--once", "--after", sequence});
  ASSERT_EQ(resumed.exit_status, 0) << resumed.err;
  EXPECT_EQ(resumed.out, "");

  CommandResult json = As(cl1_, {"--json", "notifications", "watch", "--once"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  std::vector<std::string> lines = Lines(json.out);
  ASSERT_THAT(lines, SizeIs(2)) << json.out;
  const auto received = FromJson<Notification>(lines[0]);
  EXPECT_EQ(received.kind(), Notification::REQUEST_RECEIVED);
  EXPECT_EQ(received.summary(), "Huber Ventiltechnik asks to meet you");
  EXPECT_EQ(received.request().id(), id);
  const auto confirmed = FromJson<Notification>(lines[1]);
  EXPECT_EQ(confirmed.kind(), Notification::REQUEST_ACCEPTED);
  EXPECT_EQ(confirmed.summary(),
            "You accepted the meeting with Huber Ventiltechnik on " + Shown(Hour(72)) + " UTC");
  EXPECT_GT(confirmed.sequence(), received.sequence());

  // An accepted meeting is cancelled, not withdrawn.
  CommandResult withdrawn = As(de1_, {"requests", "withdraw", id});
  EXPECT_EQ(withdrawn.exit_status, 1);
  EXPECT_THAT(withdrawn.err, HasSubstr("socio: FAILED_PRECONDITION: request " + id +
                                       " is ACCEPTED; withdraw takes back a PENDING request"));
  EXPECT_THAT(withdrawn.err, HasSubstr("socio requests cancel"));
  CommandResult cancelled = As(de1_, {"requests", "cancel", id, "--reason", "Reise verschoben"});
  ASSERT_EQ(cancelled.exit_status, 0) << cancelled.err;
  EXPECT_THAT(cancelled.out, ContainsRegex("\nstate +cancelled\n"));
  EXPECT_THAT(cancelled.out, ContainsRegex("\nreason +Reise verschoben\n"));
}

TEST_F(SocioEngagementCliTest, StaffDeclineForTheirMemberAndTheRequesterIsTold) {
  const MeetingRequest sent = SendTwoWindows();
  ASSERT_FALSE(sent.id().empty());

  // The chamber's staff see their member's inbox and answer for it.
  CommandResult chamber = As(staff_cl_, {"requests", "list"});
  ASSERT_EQ(chamber.exit_status, 0) << chamber.err;
  EXPECT_THAT(chamber.out, HasSubstr(sent.id()));
  CommandResult declined = As(staff_cl_, {"requests", "decline", sent.id(), "--reason",
                                          "Wir haben schon einen Partner in dieser Region."});
  ASSERT_EQ(declined.exit_status, 0) << declined.err;
  EXPECT_THAT(declined.out, ContainsRegex("\nstate +declined\n"));
  EXPECT_THAT(declined.out, ContainsRegex("\nchanged by +staff:camara-santiago\n"));

  CommandResult told = As(de1_, {"notifications", "watch", "--once"});
  ASSERT_EQ(told.exit_status, 0) << told.err;
  EXPECT_THAT(told.out, HasSubstr("request declined  to de-1: Distribuidora Andina declined your "
                                  "meeting request"));
  // The staff's stream carries what their members are told.
  CommandResult staff_told = As(staff_cl_, {"notifications", "watch", "--once"});
  ASSERT_EQ(staff_told.exit_status, 0) << staff_told.err;
  EXPECT_THAT(staff_told.out, HasSubstr("request received  to cl-1: Huber Ventiltechnik asks"));

  // A declined request cannot be accepted; the error names its state.
  CommandResult late = As(cl1_, {"requests", "accept", sent.id()});
  EXPECT_EQ(late.exit_status, 1);
  EXPECT_THAT(late.err, HasSubstr("socio: FAILED_PRECONDITION: "));
  EXPECT_THAT(late.err, HasSubstr("is DECLINED"));
}

TEST_F(SocioEngagementCliTest, ErrorsNameTheOptionOrCarryTheServersMessage) {
  CommandResult malformed = As(de1_, {"requests", "send", "--from", "de-1", "--to", "cl-1",
                                      "--window", "2027-03-02T10:00/2027-03-02T10:30Z"});
  EXPECT_EQ(malformed.exit_status, 1);
  EXPECT_THAT(malformed.err, StartsWith("socio: INVALID_ARGUMENT: --window: '2027-03-02T10:00' "));
  EXPECT_THAT(malformed.err, HasSubstr("UTC offset or Z"));
  CommandResult no_end =
      As(de1_, {"requests", "send", "--from", "de-1", "--to", "cl-1", "--window", Iso(Hour(48))});
  EXPECT_EQ(no_end.exit_status, 1);
  EXPECT_THAT(no_end.err, HasSubstr("--window: '" + Iso(Hour(48)) + "' is not START/END"));
  CommandResult none = As(de1_, {"requests", "send", "--from", "de-1", "--to", "cl-1"});
  EXPECT_EQ(none.exit_status, 1);
  EXPECT_THAT(none.err, HasSubstr("--window: a request outside a delegation proposes"));

  // What only the server knows comes with its message.
  CommandResult past =
      As(de1_, {"requests", "send", "--from", "de-1", "--to", "cl-1", "--window", Window(-48)});
  EXPECT_EQ(past.exit_status, 1);
  EXPECT_THAT(past.err, HasSubstr("socio: INVALID_ARGUMENT: request.proposed[0]"));
  EXPECT_THAT(past.err, HasSubstr("starts in the past"));
  CommandResult unknown = As(cl1_, {"requests", "show", "mr-0000000000000000"});
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_EQ(unknown.err, "socio: NOT_FOUND: id: no meeting request 'mr-0000000000000000'\n");
  CommandResult foreign =
      As(de1_, {"requests", "send", "--from", "de-2", "--to", "cl-1", "--window", Window(48)});
  EXPECT_EQ(foreign.exit_status, 1);  // another member's profile is as good as missing
  EXPECT_EQ(foreign.err, "socio: NOT_FOUND: request.from_member_id: no profile 'de-2'\n");

  const MeetingRequest sent = SendTwoWindows();
  // An outsider may not see it: the same answer as for no request.
  CommandResult outsider = As(de2_, {"requests", "show", sent.id()});
  EXPECT_EQ(outsider.exit_status, 1);
  EXPECT_EQ(outsider.err, "socio: NOT_FOUND: id: no meeting request '" + sent.id() + "'\n");
  CommandResult window = As(cl1_, {"requests", "accept", sent.id(), "--window", "3"});
  EXPECT_EQ(window.exit_status, 1);
  EXPECT_THAT(window.err,
              HasSubstr("--window: must be 1 to 2: request " + sent.id() + " proposes 2 windows"));
  CommandResult stale = As(cl1_, {"requests", "decline", sent.id(), "--expected-version", "7"});
  EXPECT_EQ(stale.exit_status, 1);
  EXPECT_THAT(stale.err, HasSubstr("socio: ABORTED: "));
  CommandResult own = As(de1_, {"requests", "accept", sent.id()});
  EXPECT_EQ(own.exit_status, 1);
  EXPECT_THAT(own.err, HasSubstr("only the receiving company"));
  CommandResult state = As(de1_, {"requests", "list", "--state", "open"});
  EXPECT_EQ(state.exit_status, 1);
  EXPECT_THAT(state.err, HasSubstr("--state: 'open' is not a state"));

  // The requester withdraws it (the version it read goes with the call).
  CommandResult cancel = As(de1_, {"requests", "cancel", sent.id()});
  EXPECT_EQ(cancel.exit_status, 1);
  EXPECT_THAT(cancel.err, HasSubstr("is PENDING; cancel calls off an ACCEPTED meeting"));
  CommandResult withdrawn = As(de1_, {"--json", "requests", "withdraw", sent.id(),
                                      "--expect-version", absl::StrCat(sent.version())});
  ASSERT_EQ(withdrawn.exit_status, 0) << withdrawn.err;
  EXPECT_EQ(FromJson<MeetingRequest>(withdrawn.out).state(), MeetingRequest::WITHDRAWN);
}

TEST_F(SocioEngagementCliTest, MarksBecomeMutualAndBothSidesAreTold) {
  CommandResult one = As(de1_, {"interest", "set", "de-1", "cl-1", "interested"});
  ASSERT_EQ(one.exit_status, 0) << one.err;
  EXPECT_EQ(one.out, "de-1 → cl-1: interested\n");
  CommandResult other = As(staff_cl_, {"interest", "set", "cl-1", "de-1", "must-meet"});
  ASSERT_EQ(other.exit_status, 0) << other.err;
  EXPECT_EQ(other.out, "cl-1 → de-1: must-meet (mutual: both sides are interested)\n");
  CommandResult no = As(de1_, {"interest", "set", "de-1", "cl-2", "not-interested"});
  ASSERT_EQ(no.exit_status, 0) << no.err;

  CommandResult listed = As(de1_, {"interest", "list"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  EXPECT_THAT(listed.out, StartsWith("MEMBER "));
  EXPECT_THAT(listed.out, ContainsRegex("\nde-1 +cl-1 +interested +mutual +member +2[0-9-]+ "));
  EXPECT_THAT(listed.out, ContainsRegex("\nde-1 +cl-2 +not-interested +member "));
  EXPECT_THAT(listed.out, HasSubstr("\n2 marks\n"));
  CommandResult mutual = As(staff_cl_, {"--json", "interest", "list", "--mutual"});
  ASSERT_EQ(mutual.exit_status, 0) << mutual.err;
  const auto marks = FromJson<ListInterestsResponse>(mutual.out);
  ASSERT_THAT(marks.interests(), SizeIs(1));
  EXPECT_EQ(marks.interests(0).member_id(), "cl-1");
  EXPECT_EQ(marks.interests(0).mark(), Interest::MUST_MEET);
  EXPECT_EQ(marks.interests(0).set_by(), "staff:camara-santiago");

  CommandResult told = As(de1_, {"notifications", "watch", "--once"});
  ASSERT_EQ(told.exit_status, 0) << told.err;
  EXPECT_THAT(told.out,
              HasSubstr("mutual interest  to de-1: You and Distribuidora Andina are interested in "
                        "each other"));

  CommandResult cleared = As(de1_, {"interest", "set", "de-1", "cl-1", "clear"});
  ASSERT_EQ(cleared.exit_status, 0) << cleared.err;
  EXPECT_EQ(cleared.out, "de-1 → cl-1: cleared\n");
  CommandResult bad = As(de1_, {"interest", "set", "de-1", "cl-1", "maybe"});
  EXPECT_NE(bad.exit_status, 0);
  EXPECT_THAT(bad.err, HasSubstr("maybe"));
  CommandResult hidden = As(de1_, {"interest", "set", "de-1", "nobody-1", "interested"});
  EXPECT_EQ(hidden.exit_status, 1);
  EXPECT_THAT(hidden.err, HasSubstr("NOT_FOUND"));
}

TEST_F(SocioEngagementCliTest, WatchPrintsWhatArrivesAndEndsCleanlyOnSigint) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> watch =
      ChildProcess::Start({socio::testing::BuiltBinary("clients/socio"), "--server",
                           server_->address(), "--token", cl1_, "notifications", "watch"},
                          dir_.Join("watch"));
  ASSERT_TRUE(watch.ok()) << watch.status();
  const MeetingRequest sent = SendTwoWindows();
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!absl::StrContains((*watch)->Stdout(), "request received") && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  const std::string out = (*watch)->Stdout();
  ASSERT_THAT(out, HasSubstr("request received  to cl-1: Huber Ventiltechnik asks to meet you"));
  const std::string sequence = out.substr(0, out.find(' '));
  (*watch)->Signal(SIGINT);
  EXPECT_EQ((*watch)->Wait(), 0) << (*watch)->Stderr();
  EXPECT_THAT((*watch)->Stderr(), HasSubstr("socio: stopped after sequence " + sequence +
                                            "; resume with --after " + sequence + "\n"));
  EXPECT_THAT((*watch)->Stderr(), Not(HasSubstr("CANCELLED")));
}

TEST_F(SocioEngagementCliTest, SettingsKeepTheWebhookSecretOffTheCommandLineAndOutOfSight) {
  CommandResult shown = As(cl1_, {"notifications", "settings"});
  ASSERT_EQ(shown.exit_status, 0) << shown.err;
  EXPECT_THAT(shown.out, ContainsRegex("\nrecipient +cl-1\n"));
  EXPECT_THAT(shown.out, ContainsRegex("\ne-mail +none\n"));
  EXPECT_THAT(shown.out, ContainsRegex("\nwebhook +none\n"));

  CommandResult no_secret =
      As(cl1_, {"notifications", "settings", "--webhook", "https://crm.andina.example/socio"});
  EXPECT_EQ(no_secret.exit_status, 1);
  EXPECT_THAT(no_secret.err, HasSubstr("--webhook-secret-file: is required"));
  const std::string secret = "s3cret-andina-2027-webhook";
  CommandResult set = As(cl1_, {"notifications", "settings", "--email",
                                "ventas@andina.example,gerencia@andina.example", "--webhook",
                                "https://crm.andina.example/socio", "--webhook-secret-file",
                                WriteFile("secret.txt", secret + "\n")});
  ASSERT_EQ(set.exit_status, 0) << set.err;
  EXPECT_THAT(set.out, ContainsRegex("\ne-mail +ventas@andina.example, gerencia@andina.example\n"));
  EXPECT_THAT(set.out, ContainsRegex("\nwebhook +https://crm.andina.example/socio\n"));
  EXPECT_THAT(set.out, ContainsRegex("\nwebhook secret +set\n"));
  EXPECT_THAT(set.out, Not(HasSubstr(secret)));

  // A change of addresses keeps the webhook and its secret.
  CommandResult email = As(staff_cl_, {"--json", "notifications", "settings", "--recipient", "cl-1",
                                       "--email", "info@andina.example"});
  ASSERT_EQ(email.exit_status, 0) << email.err;
  EXPECT_THAT(email.out, Not(HasSubstr(secret)));
  const auto stored = FromJson<socio::v1::NotificationSettings>(email.out);
  ASSERT_THAT(stored.email_to(), SizeIs(1));
  EXPECT_EQ(stored.email_to(0), "info@andina.example");
  EXPECT_EQ(stored.webhook_url(), "https://crm.andina.example/socio");
  EXPECT_TRUE(stored.webhook_secret_set());

  CommandResult bad = As(cl1_, {"notifications", "settings", "--email", "not-an-address"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_THAT(bad.err, HasSubstr("settings.email_to[0]"));
  CommandResult missing =
      As(cl1_, {"notifications", "settings", "--webhook", "https://crm.andina.example/socio",
                "--webhook-secret-file", dir_.Join("no-such-file")});
  EXPECT_EQ(missing.exit_status, 1);
  EXPECT_THAT(missing.err, HasSubstr("--webhook-secret-file: cannot read"));

  CommandResult cleared =
      As(cl1_, {"notifications", "settings", "--clear-email", "--clear-webhook"});
  ASSERT_EQ(cleared.exit_status, 0) << cleared.err;
  EXPECT_THAT(cleared.out, ContainsRegex("\ne-mail +none\n"));
  EXPECT_THAT(cleared.out, ContainsRegex("\nwebhook +none\n"));

  CommandResult other = As(cl1_, {"notifications", "settings", "--recipient", "de-1"});
  EXPECT_EQ(other.exit_status, 1);
  EXPECT_THAT(other.err, HasSubstr("NOT_FOUND"));
}

TEST_F(SocioEngagementCliTest, OperatorsListParkedDeliveries) {
  CommandResult parked = AsOperator({"admin", "parked"});
  ASSERT_EQ(parked.exit_status, 0) << parked.err;
  EXPECT_THAT(parked.out, StartsWith("SEQUENCE "));
  EXPECT_THAT(parked.out, HasSubstr("\n0 parked deliveries\n"));
  CommandResult json = AsOperator({"--json", "admin", "parked"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  EXPECT_EQ(json.out, "{}\n");
  CommandResult member = As(cl1_, {"admin", "parked"});
  EXPECT_EQ(member.exit_status, 1);
  EXPECT_THAT(member.err, HasSubstr("PERMISSION_DENIED"));
}

}  // namespace
}  // namespace socio::clients
