#include "services/notification_delivery.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "tests/services/receivers.h"
#include "tests/support/reserved_port.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::services {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::Str;
using ::socio::v1::MeetingRequest;
using ::socio::v1::Notification;
using ::socio::v1::NotificationSettings;
using ::socio::v1::ParkedDelivery;
using ::socio::v1::TimeWindow;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kFrom[] = "notify@chamber.example";
constexpr char kSecret[] = "a-webhook-secret-of-some-length";

google::protobuf::Timestamp Utc(int year, int month, int day, int hour, int minute) {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone())));
}

TimeWindow Window(int day, int hour) {
  TimeWindow window;
  *window.mutable_start_time() = Utc(2027, 3, day, hour, 0);
  *window.mutable_end_time() = Utc(2027, 3, day, hour, 30);
  return window;
}

MeetingRequest Request() {
  MeetingRequest r;
  r.set_id("r-1");
  r.set_from_member_id("es-0001");
  r.set_to_ref("de-0042");
  r.set_message("We distribute sauces in Spain; shall we meet?");
  *r.add_proposed() = Window(29, 15);
  *r.add_proposed() = Window(30, 9);
  r.set_calendar_uid("r-1-meeting@socio");
  r.set_state(MeetingRequest::PENDING);
  r.set_version(1);
  return r;
}

Notification Received(const std::string& recipient) {
  Notification n;
  n.set_recipient(recipient);
  n.set_kind(Notification::REQUEST_RECEIVED);
  *n.mutable_request() = Request();
  n.set_summary("Salsas del Bajío asks to meet you");
  return n;
}

Notification Accepted(const std::string& recipient, bool in_delegation = false) {
  Notification n;
  n.set_recipient(recipient);
  n.set_kind(Notification::REQUEST_ACCEPTED);
  *n.mutable_request() = Request();
  n.mutable_request()->set_state(MeetingRequest::ACCEPTED);
  n.mutable_request()->set_version(2);
  *n.mutable_request()->mutable_accepted_window() = Window(30, 9);
  if (in_delegation) n.mutable_request()->set_delegation_id("mx27");
  n.set_summary("Huber GmbH accepted your meeting request");
  return n;
}

Notification Cancelled(const std::string& recipient) {
  Notification n = Accepted(recipient);
  n.set_kind(Notification::REQUEST_CANCELLED);
  n.mutable_request()->set_state(MeetingRequest::CANCELLED);
  n.mutable_request()->set_version(3);
  n.mutable_request()->set_reason("Our flight was cancelled");
  n.set_summary("Huber GmbH cancelled your meeting");
  return n;
}

std::string HexHmac(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char byte[3];
    std::snprintf(byte, sizeof(byte), "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(20)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

class NotificationDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<storage::Database>> db =
        storage::Database::Open(dir_.Join("db"), {});
    ASSERT_THAT(db, IsOk());
    db_ = *db;
    absl::StatusOr<std::unique_ptr<storage::NotificationStore>> store =
        storage::NotificationStore::Open(db_, {});
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
  }

  // Writes `n` to the outbox, as a store that causes it does, and returns it
  // as stored (with its id and sequence).
  Notification Add(Notification n) {
    rocksdb::WriteBatch batch;
    EXPECT_THAT(store_->Commit(&batch, {std::move(n)}, true), IsOk());
    absl::StatusOr<std::vector<Notification>> stored = store_->Read(store_->last_sequence() - 1, 1);
    EXPECT_THAT(stored, IsOk());
    return stored.ok() && !stored->empty() ? stored->front() : Notification();
  }

  void SetEmail(const std::string& recipient, std::vector<std::string> addresses) {
    NotificationSettings settings = *store_->Settings(recipient);
    settings.clear_email_to();
    for (const std::string& a : addresses) settings.add_email_to(a);
    ASSERT_THAT(store_->SetSettings(settings), IsOk());
  }

  void SetWebhook(const std::string& recipient, int port) {
    NotificationSettings settings = *store_->Settings(recipient);
    settings.set_webhook_url(absl::StrCat("http://127.0.0.1:", port, "/hooks/socio"));
    settings.set_webhook_secret(kSecret);
    ASSERT_THAT(store_->SetSettings(settings), IsOk());
  }

  NotificationDeliveryOptions MailOptions(int port) const {
    return {.smtp_url = absl::StrCat("smtp://127.0.0.1:", port),
            .mail_from = kFrom,
            .console_url = "https://socio.chamber.example/",
            .webhooks = false,
            .initial_backoff = absl::Milliseconds(20),
            .max_backoff = absl::Milliseconds(200),
            .max_attempts = 100};
  }

  NotificationDeliveryOptions WebhookOnly(int max_attempts) const {
    return {.initial_backoff = absl::Milliseconds(100),
            .max_backoff = absl::Seconds(2),
            .max_attempts = max_attempts};
  }

  std::vector<ParkedDelivery> Parked() const {
    auto page = store_->ListParked(0, "");
    EXPECT_THAT(page, IsOk());
    return page.ok() ? page->first : std::vector<ParkedDelivery>();
  }

  testing::TempDir dir_;
  std::shared_ptr<storage::Database> db_;
  std::unique_ptr<storage::NotificationStore> store_;
};

TEST_F(NotificationDeliveryTest, MailsEachAddressOnceWithTheFactsAndALink) {
  absl::StatusOr<testing::Receiver> smtp = testing::StartSmtpReceiver(dir_.path());
  ASSERT_THAT(smtp, IsOk());
  SetEmail("de-0042", {"anna@huber.example", "sales@huber.example"});
  const Notification received = Add(Received("de-0042"));
  Add(Received("fr-0007"));  // chose no e-mail
  NotificationDelivery delivery(store_.get(), MailOptions(smtp->port));
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("email").cursor == 2; }));
  delivery.Stop();

  const auto mails = testing::ReadRecords(smtp->records);
  ASSERT_EQ(mails.size(), 2u);
  std::set<std::string> to;
  for (const auto& mail : mails) {
    ASSERT_EQ(mail.fields().at("rcptTos").list_value().values_size(), 1);
    to.insert(mail.fields().at("rcptTos").list_value().values(0).string_value());
    EXPECT_EQ(Str(mail, "mailFrom"), kFrom);
    EXPECT_EQ(Str(mail, "headers", "Subject"), "Salsas del Bajío asks to meet you");
    EXPECT_EQ(Str(mail, "headers", "Message-ID"),
              absl::StrCat("<", received.id(), "@chamber.example>"));
    EXPECT_EQ(Str(mail, "headers", "From"), "Socio <notify@chamber.example>");
    EXPECT_EQ(Str(mail, "calendar"), "");
    const std::string text = Str(mail, "text");
    EXPECT_THAT(text, StartsWith("Salsas del Bajío asks to meet you"));
    EXPECT_THAT(text, HasSubstr("What: Meeting request received"));
    EXPECT_THAT(text, HasSubstr("From: es-0001"));
    EXPECT_THAT(text, HasSubstr("Message: We distribute sauces in Spain; shall we meet?"));
    EXPECT_THAT(text, HasSubstr("Proposed: 2027-03-29 15:00 to 15:30 UTC"));
    EXPECT_THAT(text, HasSubstr("Proposed: 2027-03-30 09:00 to 09:30 UTC"));
    EXPECT_THAT(text, HasSubstr("https://socio.chamber.example/#/requests"));
  }
  EXPECT_THAT(to, ElementsAre("anna@huber.example", "sales@huber.example"));
  EXPECT_EQ(delivery.counters("email").delivered, 2);
  EXPECT_EQ(delivery.counters("email").parked, 0);
  ASSIGN_OR_FAIL(const uint64_t cursor, store_->Cursor("email"));
  EXPECT_EQ(cursor, 2u);
}

TEST_F(NotificationDeliveryTest, AChambersStaffGetTheirMembersNotificationsOnTheirOwnChannels) {
  absl::StatusOr<testing::Receiver> smtp = testing::StartSmtpReceiver(dir_.path());
  ASSERT_THAT(smtp, IsOk());
  SetEmail("staff:ihk-muenchen", {"aussenwirtschaft@ihk.example"});
  Add(Received("de-0042"));  // the member chose no e-mail; its chamber did
  Add(Received("fr-0007"));  // another chamber's member, whose staff chose nothing
  NotificationDeliveryOptions options = MailOptions(smtp->port);
  options.chamber_of = [](const std::string& member) {
    return member == "de-0042" ? std::string("ihk-muenchen") : std::string("cci-paris");
  };
  NotificationDelivery delivery(store_.get(), options);
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("email").cursor == 2; }));
  delivery.Stop();
  const auto mails = testing::ReadRecords(smtp->records);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].fields().at("rcptTos").list_value().values(0).string_value(),
            "aussenwirtschaft@ihk.example");
  EXPECT_EQ(Str(mails[0], "headers", "Subject"),
            "For your member de-0042: Salsas del Bajío asks to meet you");
}

TEST_F(NotificationDeliveryTest, AnAcceptedRequestCarriesTheInvitationAndACancelCancelsIt) {
  absl::StatusOr<testing::Receiver> smtp = testing::StartSmtpReceiver(dir_.path());
  ASSERT_THAT(smtp, IsOk());
  SetEmail("de-0042", {"anna@huber.example"});
  Add(Accepted("de-0042"));
  Add(Cancelled("de-0042"));
  Add(Accepted("de-0042", /*in_delegation=*/true));  // the plan places it, not an invitation
  NotificationDelivery delivery(store_.get(), MailOptions(smtp->port));
  ASSERT_THAT(delivery.Start(), IsOk());
  const auto mails = testing::WaitForRecords(smtp->records, 3);
  ASSERT_EQ(mails.size(), 3u);

  // Mails go out in the outbox's order.
  const std::string invitation = Str(mails[0], "calendar");
  EXPECT_EQ(Str(mails[0], "calendarMethod"), "REQUEST");
  EXPECT_THAT(invitation, HasSubstr("METHOD:REQUEST\r\n"));
  EXPECT_THAT(invitation, HasSubstr("UID:r-1-meeting@socio\r\n"));
  EXPECT_THAT(invitation, HasSubstr("DTSTART:20270330T090000Z\r\n"));
  EXPECT_THAT(invitation, HasSubstr("DTEND:20270330T093000Z\r\n"));
  EXPECT_THAT(invitation, HasSubstr("ATTENDEE:mailto:anna@huber.example\r\n"));
  EXPECT_THAT(Str(mails[0], "text"), HasSubstr("Accepted time: 2027-03-30 09:00 to 09:30 UTC"));

  const std::string cancel = Str(mails[1], "calendar");
  EXPECT_EQ(Str(mails[1], "calendarMethod"), "CANCEL");
  EXPECT_THAT(cancel, HasSubstr("METHOD:CANCEL\r\n"));
  EXPECT_THAT(cancel, HasSubstr("UID:r-1-meeting@socio\r\n"));
  EXPECT_THAT(cancel, HasSubstr("STATUS:CANCELLED\r\n"));
  EXPECT_THAT(cancel, HasSubstr("SEQUENCE:3\r\n"));
  EXPECT_THAT(Str(mails[1], "text"), HasSubstr("Reason: Our flight was cancelled"));

  EXPECT_EQ(Str(mails[2], "calendar"), "");
  EXPECT_THAT(Str(mails[2], "text"), HasSubstr("Delegation: mx27"));
}

TEST_F(NotificationDeliveryTest, ARelayThatIsDownAtFirstGetsTheMailOnceItIsUp) {
  const testing::ReservedPort relay;  // down: connections refused
  ASSERT_NE(relay.port(), 0);
  const int port = relay.port();
  SetEmail("de-0042", {"anna@huber.example"});
  Add(Received("de-0042"));
  NotificationDelivery delivery(store_.get(), MailOptions(port));
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("email").retried >= 2; }));
  EXPECT_EQ(delivery.counters("email").cursor, 0u);

  absl::StatusOr<testing::Receiver> smtp = testing::StartSmtpReceiver(dir_.path(), port);
  ASSERT_THAT(smtp, IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("email").cursor == 1; }));
  delivery.Stop();
  const auto mails = testing::ReadRecords(smtp->records);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(Str(mails[0], "headers", "Subject"), "Salsas del Bajío asks to meet you");
  EXPECT_EQ(delivery.counters("email").delivered, 1);
  EXPECT_THAT(Parked(), IsEmpty());
}

TEST_F(NotificationDeliveryTest, MailGivenUpOnIsParkedAndTheChannelMovesOn) {
  SetEmail("de-0042", {"anna@huber.example"});
  const Notification first = Add(Received("de-0042"));
  Add(Received("fr-0007"));
  const testing::ReservedPort relay;  // down: connections refused
  NotificationDeliveryOptions options = MailOptions(relay.port());
  options.max_attempts = 3;
  NotificationDelivery delivery(store_.get(), options);
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("email").cursor == 2; }));
  delivery.Stop();
  const std::vector<ParkedDelivery> parked = Parked();
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked[0].notification_id(), first.id());
  EXPECT_EQ(parked[0].recipient(), "de-0042");
  EXPECT_EQ(parked[0].webhook_url(), "");
  EXPECT_EQ(parked[0].attempts(), 3);
  EXPECT_THAT(parked[0].last_error(), StartsWith("smtp: "));
  EXPECT_EQ(delivery.counters("email").parked, 1);
  EXPECT_EQ(delivery.counters("email").retried, 2);
}

TEST_F(NotificationDeliveryTest, WebhookIsSignedAndRetriedWithGrowingDelays) {
  absl::StatusOr<testing::Receiver> hook = testing::StartWebhookReceiver(dir_.path(), /*fail=*/3);
  ASSERT_THAT(hook, IsOk());
  SetWebhook("de-0042", hook->port);
  const Notification accepted = Add(Accepted("de-0042"));
  NotificationDelivery delivery(store_.get(), WebhookOnly(/*max_attempts=*/6));
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("webhook").cursor == 1; }));
  delivery.Stop();

  const auto posts = testing::ReadRecords(hook->records);
  ASSERT_EQ(posts.size(), 4u);
  std::vector<double> times;
  for (const auto& post : posts) {
    times.push_back(post.fields().at("time").number_value());
    EXPECT_EQ(Str(post, "path"), "/hooks/socio");
    EXPECT_EQ(Str(post, "headers", "Content-Type"), "application/json");
    EXPECT_EQ(Str(post, "headers", "X-Socio-Event"), "REQUEST_ACCEPTED");
    EXPECT_EQ(Str(post, "headers", "X-Socio-Delivery"), accepted.id());
    const std::string body = Str(post, "body");
    EXPECT_EQ(Str(post, "headers", "X-Socio-Signature"),
              absl::StrCat("sha256=", HexHmac(kSecret, body)));
    Notification parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok()) << body;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, accepted))
        << parsed.DebugString();
  }
  EXPECT_EQ(posts[3].fields().at("status").number_value(), 200);
  // 100 ms, 200 ms, 400 ms between the tries (the receiver's clock).
  for (size_t i = 1; i < times.size(); ++i) {
    EXPECT_GE(times[i] - times[i - 1], 0.1 * (1 << (i - 1)) - 0.01) << "before try " << i + 1;
    if (i > 1) {
      EXPECT_GT(times[i] - times[i - 1], times[i - 1] - times[i - 2]);
    }
  }
  EXPECT_EQ(delivery.counters("webhook").retried, 3);
  EXPECT_EQ(delivery.counters("webhook").delivered, 1);
  EXPECT_THAT(Parked(), IsEmpty());
}

TEST_F(NotificationDeliveryTest, WebhookGivenUpOnIsParkedAndOthersStillArrive) {
  // 500 to the first four POSTs.
  absl::StatusOr<testing::Receiver> hook = testing::StartWebhookReceiver(dir_.path(), /*fail=*/4);
  ASSERT_THAT(hook, IsOk());
  SetWebhook("de-0042", hook->port);
  SetWebhook("es-0001", hook->port);
  const Notification first = Add(Received("de-0042"));   // tries 1-3: parked
  const Notification second = Add(Received("de-0042"));  // parked before: one try (4), parked
  Add(Received("fr-0007"));                              // no webhook: nothing sent
  const Notification third = Add(Accepted("es-0001"));   // try 5: delivered
  const Notification fourth = Add(Accepted("de-0042"));  // try 6: delivered
  NotificationDelivery delivery(store_.get(), WebhookOnly(/*max_attempts=*/3));
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] { return delivery.counters("webhook").cursor == 5; }));
  delivery.Stop();

  const auto posts = testing::ReadRecords(hook->records);
  std::vector<std::string> ids;
  for (const auto& post : posts) ids.push_back(Str(post, "headers", "X-Socio-Delivery"));
  EXPECT_THAT(
      ids, ElementsAre(first.id(), first.id(), first.id(), second.id(), third.id(), fourth.id()));
  const std::vector<ParkedDelivery> parked = Parked();
  ASSERT_EQ(parked.size(), 2u);
  EXPECT_EQ(parked[0].notification_id(), first.id());
  EXPECT_EQ(parked[0].attempts(), 3);
  EXPECT_EQ(parked[0].last_error(), "HTTP 500");
  EXPECT_EQ(parked[0].webhook_url(), absl::StrCat("http://127.0.0.1:", hook->port, "/hooks/socio"));
  EXPECT_TRUE(parked[0].has_parked_time());
  EXPECT_EQ(parked[1].notification_id(), second.id());
  EXPECT_EQ(parked[1].attempts(), 1);
  EXPECT_EQ(delivery.counters("webhook").parked, 2);
  EXPECT_EQ(delivery.counters("webhook").delivered, 2);
}

TEST_F(NotificationDeliveryTest, StopInterruptsABackoffPromptly) {
  absl::StatusOr<testing::Receiver> hook = testing::StartWebhookReceiver(dir_.path(), /*fail=*/100);
  ASSERT_THAT(hook, IsOk());
  SetWebhook("de-0042", hook->port);
  Add(Received("de-0042"));
  NotificationDeliveryOptions options = WebhookOnly(5);
  options.initial_backoff = absl::Seconds(30);
  options.max_backoff = absl::Seconds(30);
  NotificationDelivery delivery(store_.get(), options);
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_EQ(testing::WaitForRecords(hook->records, 1).size(), 1u);
  const absl::Time before = absl::Now();
  delivery.Stop();
  EXPECT_LT(absl::Now() - before, absl::Seconds(2));
  // Not done: the next start tries it again.
  EXPECT_EQ(delivery.counters("webhook").cursor, 0u);
  ASSIGN_OR_FAIL(const uint64_t cursor, store_->Cursor("webhook"));
  EXPECT_EQ(cursor, 0u);
}

TEST_F(NotificationDeliveryTest, ANewRunResumesAfterWhatWasDelivered) {
  absl::StatusOr<testing::Receiver> hook = testing::StartWebhookReceiver(dir_.path(), /*fail=*/0);
  ASSERT_THAT(hook, IsOk());
  absl::StatusOr<testing::Receiver> smtp = testing::StartSmtpReceiver(dir_.path());
  ASSERT_THAT(smtp, IsOk());
  SetWebhook("de-0042", hook->port);
  SetEmail("de-0042", {"anna@huber.example"});
  NotificationDeliveryOptions options = MailOptions(smtp->port);
  options.webhooks = true;

  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Add(Received("de-0042")).id());
  {
    NotificationDelivery delivery(store_.get(), options);
    ASSERT_THAT(delivery.Start(), IsOk());
    ASSERT_TRUE(WaitUntil([&] {
      return delivery.counters("webhook").cursor == 3 && delivery.counters("email").cursor == 3;
    }));
  }  // stopped
  for (int i = 0; i < 2; ++i) ids.push_back(Add(Received("de-0042")).id());
  NotificationDelivery delivery(store_.get(), options);
  ASSERT_THAT(delivery.Start(), IsOk());
  ASSERT_TRUE(WaitUntil([&] {
    return delivery.counters("webhook").cursor == 5 && delivery.counters("email").cursor == 5;
  }));
  EXPECT_EQ(delivery.counters("webhook").delivered, 2);
  EXPECT_EQ(delivery.counters("email").delivered, 2);
  delivery.Stop();

  std::vector<std::string> posted, mailed;
  for (const auto& post : testing::ReadRecords(hook->records)) {
    posted.push_back(Str(post, "headers", "X-Socio-Delivery"));
  }
  for (const auto& mail : testing::ReadRecords(smtp->records)) {
    mailed.push_back(Str(mail, "headers", "Message-ID"));
  }
  EXPECT_EQ(posted, ids);
  ASSERT_EQ(mailed.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(mailed[i], absl::StrCat("<", ids[i], "@chamber.example>"));
  }
}

TEST_F(NotificationDeliveryTest, RefusesBadOptionsNamingThem) {
  NotificationDeliveryOptions options;
  options.smtp_url = "smtp://relay.example";
  EXPECT_THAT(NotificationDelivery(store_.get(), options).Start(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mail_from")));
  EXPECT_THAT(NotificationDelivery(store_.get(), {.max_attempts = 0}).Start(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("max_attempts")));
}

}  // namespace
}  // namespace socio::services
