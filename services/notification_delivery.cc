#include "services/notification_delivery.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/notification_mail.h"

namespace socio::services {
namespace {

using socio::v1::Notification;
using socio::v1::NotificationSettings;
using socio::v1::ParkedDelivery;

constexpr int kReadBatch = 100;
// How often a waiting channel looks at the stop flag.
constexpr absl::Duration kPollInterval = absl::Milliseconds(100);
// After a failed read of the outbox or write of a parked record.
constexpr absl::Duration kStoreRetryDelay = absl::Seconds(1);
constexpr int kMaxAttempts = 100;

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
}

}  // namespace

NotificationDelivery::NotificationDelivery(storage::NotificationStore* store,
                                           NotificationDeliveryOptions options)
    : store_(store),
      options_(std::move(options)),
      webhook_(WebhookOptions{.timeout = options_.webhook_timeout}) {}

NotificationDelivery::~NotificationDelivery() { Stop(); }

absl::Status NotificationDelivery::Start() {
  if (started_) return absl::FailedPreconditionError("notification delivery was started before");
  if (options_.max_attempts < 1 || options_.max_attempts > kMaxAttempts) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_attempts: must be 1 to ", kMaxAttempts, ", not ", options_.max_attempts));
  }
  if (options_.initial_backoff <= absl::ZeroDuration() ||
      options_.max_backoff < options_.initial_backoff) {
    return absl::InvalidArgumentError("initial_backoff: must be positive and at most max_backoff");
  }
  if (!options_.smtp_url.empty()) {
    absl::StatusOr<std::unique_ptr<MailSender>> mail =
        MailSender::Create({.url = options_.smtp_url,
                            .user = options_.smtp_user,
                            .password = options_.smtp_password,
                            .from = options_.mail_from,
                            .timeout = options_.smtp_timeout});
    if (!mail.ok()) return mail.status();
    mail_ = *std::move(mail);
  }
  std::vector<Channel*> channels;
  if (mail_ != nullptr) channels.push_back(&email_);
  if (options_.webhooks) channels.push_back(&webhook_channel_);
  for (Channel* channel : channels) {
    absl::StatusOr<uint64_t> cursor = store_->Cursor(channel->name);
    if (!cursor.ok()) return cursor.status();
    channel->cursor = *cursor;
  }
  started_ = true;
  if (mail_ != nullptr) {
    email_.thread = std::thread(
        [this] { Run(&email_, [this](const Notification& n) { return DeliverMail(n); }); });
  }
  if (options_.webhooks) {
    webhook_channel_.thread = std::thread([this] {
      Run(&webhook_channel_, [this](const Notification& n) { return DeliverWebhook(n); });
    });
  }
  return absl::OkStatus();
}

void NotificationDelivery::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  for (Channel* channel : {&email_, &webhook_channel_}) {
    if (channel->thread.joinable()) channel->thread.join();
  }
}

DeliveryCounters NotificationDelivery::counters(absl::string_view channel) const {
  const Channel* c = channel == kEmail     ? &email_
                     : channel == kWebhook ? &webhook_channel_
                                           : nullptr;
  if (c == nullptr) return {};
  return {.delivered = c->delivered.load(),
          .retried = c->retried.load(),
          .parked = c->parked.load(),
          .cursor = c->cursor.load()};
}

void NotificationDelivery::Run(Channel* channel,
                               const std::function<bool(const Notification&)>& deliver) {
  uint64_t cursor = channel->cursor.load();
  bool on_duty = !options_.on_duty;  // always, outside a cluster
  while (!stop_.HasBeenNotified()) {
    if (options_.on_duty && !options_.on_duty()) {
      on_duty = false;
      stop_.WaitForNotificationWithTimeout(kPollInterval);
      continue;
    }
    if (!on_duty) {
      // Taking over: from where the last holder got to.
      absl::Status caught_up = options_.take_over ? options_.take_over() : absl::OkStatus();
      absl::StatusOr<uint64_t> saved =
          caught_up.ok() ? store_->Cursor(channel->name) : absl::StatusOr<uint64_t>(caught_up);
      if (!saved.ok()) {
        std::fprintf(stderr, "sociod: %s delivery: taking over: %s\n", channel->name,
                     saved.status().ToString().c_str());
        stop_.WaitForNotificationWithTimeout(kStoreRetryDelay);
        continue;
      }
      cursor = std::max(cursor, *saved);
      channel->cursor = cursor;
      channel->failing.clear();
      on_duty = true;
    }
    absl::StatusOr<std::vector<Notification>> batch = store_->Read(cursor, kReadBatch);
    if (!batch.ok()) {
      std::fprintf(stderr, "sociod: %s delivery: reading the outbox after %" PRIu64 ": %s\n",
                   channel->name, cursor, batch.status().ToString().c_str());
      stop_.WaitForNotificationWithTimeout(kStoreRetryDelay);
      continue;
    }
    if (batch->empty()) {
      store_->WaitPast(cursor, absl::Now() + kPollInterval);
      continue;
    }
    for (const Notification& n : *batch) {
      if (options_.on_duty && !options_.on_duty()) break;  // another node delivers now
      auto shown = [this](Notification copy) {
        if (options_.show) options_.show(&copy);
        return copy;
      };
      // Stopped: the next run starts with this notification.
      if (stop_.HasBeenNotified() || !deliver(shown(n))) return;
      // The member's chamber's staff get their copy, under their own
      // settings (and parked apart).
      if (options_.chamber_of && !absl::StartsWith(n.recipient(), "staff:")) {
        const std::string chamber = options_.chamber_of(n.recipient());
        if (!chamber.empty()) {
          Notification copy = n;
          copy.set_recipient(storage::StaffRecipient(chamber));
          copy.set_summary(absl::StrCat("For your member ", n.recipient(), ": ", n.summary()));
          if (stop_.HasBeenNotified() || !deliver(shown(std::move(copy)))) return;
        }
      }
      cursor = n.sequence();
      channel->cursor = cursor;
      // A cursor not saved only means this notification may be sent again
      // after a restart, which at-least-once delivery allows.
      if (absl::Status s = store_->SetCursor(channel->name, cursor); !s.ok()) {
        std::fprintf(stderr, "sociod: %s delivery: saving the cursor %" PRIu64 ": %s\n",
                     channel->name, cursor, s.ToString().c_str());
      }
    }
  }
}

bool NotificationDelivery::Deliver(Channel* channel, const Notification& notification,
                                   const Attempt& attempt) {
  const bool failing = channel->failing.contains(notification.recipient());
  const int max_attempts = failing ? 1 : options_.max_attempts;
  absl::Duration backoff = options_.initial_backoff;
  std::string webhook_url;
  absl::Status last_error;
  int tries = 0;
  while (true) {
    ++tries;
    absl::StatusOr<bool> delivered = attempt(&webhook_url);
    if (delivered.ok()) {
      if (*delivered) channel->failing.erase(notification.recipient());
      return true;
    }
    last_error = delivered.status();
    if (tries >= max_attempts) break;
    if (stop_.WaitForNotificationWithTimeout(backoff)) return false;
    ++channel->retried;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  ParkedDelivery parked;
  parked.set_notification_id(notification.id());
  parked.set_sequence(notification.sequence());
  parked.set_recipient(notification.recipient());
  parked.set_webhook_url(webhook_url);
  parked.set_channel(channel->name);
  parked.set_attempts(tries);
  parked.set_last_error(std::string(last_error.message()));
  *parked.mutable_parked_time() = Now();
  // Moving on without the record would lose the delivery silently.
  for (absl::Status s = store_->Park(parked); !s.ok(); s = store_->Park(parked)) {
    std::fprintf(stderr, "sociod: %s delivery: parking %s: %s\n", channel->name,
                 notification.id().c_str(), s.ToString().c_str());
    if (stop_.WaitForNotificationWithTimeout(kStoreRetryDelay)) return false;
  }
  std::fprintf(stderr, "sociod: %s delivery of %s to %s parked after %d tries: %s\n", channel->name,
               notification.id().c_str(), notification.recipient().c_str(), tries,
               parked.last_error().c_str());
  ++channel->parked;
  channel->failing.insert(notification.recipient());
  return true;
}

bool NotificationDelivery::DeliverMail(const Notification& notification) {
  // Addresses already sent to are not sent to again on a retry.
  absl::flat_hash_set<std::string> sent;
  const NotificationMailOptions mail_options{.from = options_.mail_from,
                                             .console_url = options_.console_url};
  return Deliver(&email_, notification, [&](std::string*) -> absl::StatusOr<bool> {
    absl::StatusOr<NotificationSettings> settings = store_->Settings(notification.recipient());
    if (!settings.ok()) {
      return absl::Status(settings.status().code(),
                          absl::StrCat("smtp: settings: ", settings.status().message()));
    }
    absl::Status first_error;
    for (const std::string& to : settings->email_to()) {
      if (sent.contains(to)) continue;
      absl::Status s = mail_->Send(NotificationMail(notification, to, mail_options));
      if (s.ok()) {
        sent.insert(to);
        ++email_.delivered;
      } else if (first_error.ok()) {
        first_error = absl::Status(
            s.code(), absl::StrCat(absl::StartsWith(s.message(), "smtp: ") ? "" : "smtp: ",
                                   s.message(), " (to ", to, ")"));
      }
    }
    if (!first_error.ok()) return first_error;
    return !sent.empty();
  });
}

bool NotificationDelivery::DeliverWebhook(const Notification& notification) {
  return Deliver(
      &webhook_channel_, notification, [&](std::string* webhook_url) -> absl::StatusOr<bool> {
        absl::StatusOr<NotificationSettings> settings = store_->Settings(notification.recipient());
        if (!settings.ok()) {
          return absl::Status(settings.status().code(),
                              absl::StrCat("settings: ", settings.status().message()));
        }
        if (settings->webhook_url().empty()) return false;
        *webhook_url = settings->webhook_url();
        absl::Status s =
            webhook_.Post(settings->webhook_url(), settings->webhook_secret(), notification);
        if (!s.ok()) return s;
        ++webhook_channel_.delivered;
        return true;
      });
}

}  // namespace socio::services
