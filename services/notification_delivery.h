// NotificationDelivery: delivers the outbox (NotificationStore) by e-mail
// and by signed webhook, at least once, each channel on a thread of its own
// and independent of the other.
//
//   NotificationDelivery delivery(notifications.get(),
//                                 {.smtp_url = "smtp://relay.example:587",
//                                  .mail_from = "notify@chamber.example",
//                                  .console_url = "https://socio.chamber.example"});
//   absl::Status started = delivery.Start();
//   ...
//   delivery.Stop();
//
// Each channel reads the outbox in order from its durable cursor
// (NotificationStore::Cursor("email") / ("webhook")). For each notification
// it reads the recipient's settings: nothing to do if the channel is not set
// for it; otherwise it sends (one mail per address, a POST to the webhook)
// and, on failure, tries again after a delay that doubles from
// initial_backoff up to max_backoff, max_attempts tries in all. A delivery
// that still fails is parked (NotificationStore::Park: for e-mail with an
// empty webhook_url and a last_error starting "smtp:") and the channel moves
// on. The cursor moves past a notification once it is delivered, not needed
// or parked, so after a crash or a restart delivery resumes where it
// stopped; a notification in flight at the crash is sent again (receivers
// de-duplicate on its id: the Message-ID, X-Socio-Delivery). Settings are
// read again before every try, so a fixed webhook_url is used at once.
//
// On a cluster node (on_duty), one node delivers at a time and another takes
// over from the cursors the last holder saved. A holder that loses the duty
// in the middle of a send finishes it, so a notification may be sent twice
// around a hand-over; receivers de-duplicate on its id, as after a crash.
//
// A recipient whose delivery was parked is tried once only (no retries) on
// that channel until a delivery to it succeeds again, so one dead endpoint
// does not hold up everyone else's notifications.
//
// Thread safety: Start and Stop from one thread; counters() from any.
#ifndef SOCIO_SERVICES_NOTIFICATION_DELIVERY_H_
#define SOCIO_SERVICES_NOTIFICATION_DELIVERY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/mail_sender.h"
#include "services/webhook_sender.h"
#include "socio/v1/notification.pb.h"
#include "storage/notification_store.h"

namespace socio::services {

struct NotificationDeliveryOptions {
  // The SMTP relay (see SmtpOptions::url); empty: the e-mail channel does
  // not run and its cursor stays where it is.
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password;
  // The sender's address; required with smtp_url.
  std::string mail_from;
  // Default: 30 s.
  absl::Duration smtp_timeout = absl::Seconds(30);
  // The web console's address; mails link to it. Empty: no link.
  std::string console_url;
  // Whether the webhook channel runs. Default: true.
  bool webhooks = true;
  // For one POST, answer included. Default: 10 s.
  absl::Duration webhook_timeout = absl::Seconds(10);
  // The delay before the second try; it doubles up to max_backoff.
  // Default: 1 s.
  absl::Duration initial_backoff = absl::Seconds(1);
  // Default: 60 s.
  absl::Duration max_backoff = absl::Seconds(60);
  // Tries of one delivery before it is parked (1 to 100). Default: 6
  // (about 31 s of waiting with the default delays).
  int max_attempts = 6;
  // The chamber of a member ("" if unknown). With it, what a member is told
  // also goes to the channels its chamber's staff chose
  // ("staff:<chamber>"), its summary beginning "For your member <id>: ".
  // Default: none, members' channels only.
  std::function<std::string(const std::string& member_id)> chamber_of;
  // Rewrites a notification as its recipient may see it (sociod: as
  // disclosure.h shows answers to the recipient's member or staff token),
  // on every channel, just before it is sent. Default: none.
  std::function<void(socio::v1::Notification*)> show;
  // On a cluster node, whether this node holds the duty of delivering
  // (etcd::Election::Holding), asked before each notification: the channels
  // wait while it is false. Each time the duty begins, `take_over` runs
  // first (it returns once this node has applied everything the last
  // holder wrote; the channels wait while it fails) and the cursors are
  // read again. Default: none, always on duty.
  std::function<bool()> on_duty;
  std::function<absl::Status()> take_over;
};

// What a channel did since Start, for metrics.
struct DeliveryCounters {
  // Notifications delivered (for e-mail: mails accepted by the relay, one
  // per address).
  int64_t delivered = 0;
  // Tries after a failed one.
  int64_t retried = 0;
  // Deliveries given up on.
  int64_t parked = 0;
  // The last outbox sequence the channel is done with.
  uint64_t cursor = 0;
};

class NotificationDelivery {
 public:
  static constexpr char kEmail[] = "email";
  static constexpr char kWebhook[] = "webhook";

  // `store` is not owned and must outlive this object.
  NotificationDelivery(storage::NotificationStore* store, NotificationDeliveryOptions options);
  // Stops the threads (Stop).
  ~NotificationDelivery();
  NotificationDelivery(const NotificationDelivery&) = delete;
  NotificationDelivery& operator=(const NotificationDelivery&) = delete;

  // Checks the options and starts the channels' threads. INVALID_ARGUMENT
  // naming the option (smtp_url, mail_from, max_attempts, a backoff);
  // FAILED_PRECONDITION if started before; errors reading a cursor.
  absl::Status Start();
  // Stops the threads promptly (within about 100 ms, or the time a send in
  // progress takes to finish or time out); a delivery cut short is tried
  // again by the next Start over the same store. Safe to call more than
  // once.
  void Stop();

  // `channel` is kEmail or kWebhook; zeros for another name.
  DeliveryCounters counters(absl::string_view channel) const;

 private:
  struct Channel {
    explicit Channel(const char* name) : name(name) {}
    const char* const name;
    std::thread thread;
    std::atomic<int64_t> delivered = 0, retried = 0, parked = 0;
    std::atomic<uint64_t> cursor = 0;
    // Recipients whose last delivery on this channel was parked. Touched by
    // the channel's thread only.
    absl::flat_hash_set<std::string> failing;
  };
  // One try at delivering a notification: true if delivered, false if the
  // channel is not set for the recipient, else why it failed. Sets
  // `*webhook_url` to the URL tried, for the parked record.
  using Attempt = std::function<absl::StatusOr<bool>(std::string* webhook_url)>;

  // Reads the outbox on from the channel's cursor until Stop.
  void Run(Channel* channel, const std::function<bool(const socio::v1::Notification&)>& deliver);
  // Tries `attempt` until it succeeds or runs out of tries, then parks.
  // False if Stop came first (the notification is not done).
  bool Deliver(Channel* channel, const socio::v1::Notification& notification,
               const Attempt& attempt);
  bool DeliverMail(const socio::v1::Notification& notification);
  bool DeliverWebhook(const socio::v1::Notification& notification);

  storage::NotificationStore* const store_;
  const NotificationDeliveryOptions options_;
  std::unique_ptr<MailSender> mail_;
  WebhookSender webhook_;
  Channel email_{kEmail};
  Channel webhook_channel_{kWebhook};
  bool started_ = false;
  absl::Notification stop_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_NOTIFICATION_DELIVERY_H_
