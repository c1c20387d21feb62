// Notifications survive SIGKILL: sociod runs as operators run it, with an
// SMTP relay (aiosmtpd) and a webhook receiver that fails at first; meeting
// requests are sent and withdrawn while it delivers; it is killed, restarted
// on the same directory, and every notification the outbox holds (each one
// committed with the change that caused it) arrives on both channels.
#include <signal.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/services/receivers.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::MeetingRequest;
using socio::v1::Notification;

constexpr int kRoundsBeforeKill = 40;  // a request and its withdrawal each

std::unique_ptr<grpc::ClientContext> Context(absl::Duration deadline = absl::Seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return context;
}

class DeliveryProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.Join("smtp"));
    std::filesystem::create_directories(dir_.Join("hook"));
    absl::StatusOr<Receiver> smtp = StartSmtpReceiver(dir_.Join("smtp"));
    ASSERT_TRUE(smtp.ok()) << smtp.status();
    smtp_ = *std::move(smtp);
    // The first posts fail, so deliveries are still being retried at the kill.
    absl::StatusOr<Receiver> hook = StartWebhookReceiver(dir_.Join("hook"), /*fail=*/25);
    ASSERT_TRUE(hook.ok()) << hook.status();
    hook_ = *std::move(hook);
    Start("first");
  }

  void Start(const std::string& name) {
    absl::StatusOr<std::unique_ptr<ChildProcess>> sociod =
        StartSociod(dir_.Join("db"), dir_.Join(name), &address_,
                    {"--dev_insecure", "--smtp_url", absl::StrCat("smtp://127.0.0.1:", smtp_.port),
                     "--mail_from", "notify@socio.test", "--delivery_backoff_seconds", "0.05",
                     "--delivery_max_backoff_seconds", "0.2", "--delivery_max_attempts", "100"});
    ASSERT_TRUE(sociod.ok()) << sociod.status();
    sociod_ = *std::move(sociod);
    auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    profiles_ = socio::v1::ProfileService::NewStub(channel);
    engagement_ = socio::v1::EngagementService::NewStub(channel);
    notifications_ = socio::v1::NotificationService::NewStub(channel);
  }

  void CreateProfile(const std::string& id, const std::string& chamber, const std::string& country,
                     const std::string& name) {
    socio::v1::CreateProfileRequest r;
    r.mutable_profile()->set_id(id);
    r.mutable_profile()->set_chamber_id(chamber);
    r.mutable_profile()->set_name(name);
    r.mutable_profile()->set_country(country);
    r.mutable_profile()->add_sectors("28.14");
    r.mutable_profile()->set_visibility(socio::v1::Profile::FEDERATION);
    socio::v1::Profile out;
    grpc::Status status = profiles_->CreateProfile(Context().get(), r, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The ids of every notification to `recipient` in the outbox.
  std::set<std::string> OutboxFor(const std::string& recipient) {
    std::unique_ptr<grpc::ClientContext> context = Context(absl::Seconds(3));
    socio::v1::WatchNotificationsRequest r;
    r.set_recipient(recipient);
    auto reader = notifications_->WatchNotifications(context.get(), r);
    std::set<std::string> ids;
    Notification n;
    while (reader->Read(&n)) ids.insert(n.id());  // ends at the deadline
    reader->Finish().IgnoreError();
    return ids;
  }

  TempDir dir_;
  Receiver smtp_, hook_;
  std::string address_;
  std::unique_ptr<ChildProcess> sociod_;
  std::unique_ptr<socio::v1::ProfileService::Stub> profiles_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
};

TEST_F(DeliveryProcessTest, EveryNotificationCommittedBeforeSigkillIsDeliveredAfterRestart) {
  CreateProfile("de-1", "ihk-stuttgart", "DE", "Huber Ventiltechnik");
  CreateProfile("cl-1", "camara-santiago", "CL", "Distribuidora Andina");
  socio::v1::SetNotificationSettingsRequest settings;
  settings.mutable_settings()->set_recipient("cl-1");
  settings.mutable_settings()->add_email_to("ventas@andina.example");
  settings.mutable_settings()->set_webhook_url(
      absl::StrCat("http://127.0.0.1:", hook_.port, "/socio"));
  settings.mutable_settings()->set_webhook_secret("andina-webhook-secret");
  socio::v1::NotificationSettings stored;
  grpc::Status set = notifications_->SetNotificationSettings(Context().get(), settings, &stored);
  ASSERT_TRUE(set.ok()) << set.error_message();

  // Each round: de-1 asks, then withdraws; cl-1 is told both times.
  int acknowledged = 0;
  for (int round = 0; round < kRoundsBeforeKill; ++round) {
    socio::v1::CreateMeetingRequestRequest create;
    create.mutable_request()->set_from_member_id("de-1");
    create.mutable_request()->set_to_ref("cl-1");
    socio::v1::TimeWindow* w = create.mutable_request()->add_proposed();
    const absl::Time start = absl::Now() + absl::Hours(24 + round);
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Minutes(30)));
    MeetingRequest sent;
    grpc::Status status = engagement_->CreateMeetingRequest(Context().get(), create, &sent);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++acknowledged;
    socio::v1::CancelMeetingRequestRequest withdraw;
    withdraw.set_id(sent.id());
    MeetingRequest withdrawn;
    status = engagement_->CancelMeetingRequest(Context().get(), withdraw, &withdrawn);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++acknowledged;
  }
  // Killed while the webhook channel is still working through its retries.
  ASSERT_LT(ReadRecords(hook_.records).size(), static_cast<size_t>(acknowledged + 25));
  sociod_->Signal(SIGKILL);
  sociod_->Wait();

  Start("second");
  const std::set<std::string> outbox = OutboxFor("cl-1");
  ASSERT_EQ(outbox.size(), static_cast<size_t>(acknowledged));

  // Every one arrives on both channels (at least once: a delivery in flight
  // at the kill may come twice, with the same id).
  std::set<std::string> posted, mailed;
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while ((posted.size() < outbox.size() || mailed.size() < outbox.size()) &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
    posted.clear();
    for (const auto& post : ReadRecords(hook_.records)) {
      if (post.fields().at("status").number_value() == 200) {
        posted.insert(Str(post, "headers", "X-Socio-Delivery"));
      }
    }
    mailed.clear();
    for (const auto& mail : ReadRecords(smtp_.records)) {
      std::string id = Str(mail, "headers", "Message-ID");  // <n-7@socio.test>
      if (id.size() > 2) mailed.insert(id.substr(1, id.find('@') - 1));
    }
  }
  EXPECT_EQ(posted, outbox);
  EXPECT_EQ(mailed, outbox);
}

}  // namespace
}  // namespace socio::testing
