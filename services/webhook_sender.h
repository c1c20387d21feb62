// WebhookSender: posts a notification to a recipient's webhook as JSON
// (protobuf's JSON mapping), signed with the recipient's secret, over
// libcurl.
//
//   WebhookSender sender({.timeout = absl::Seconds(10)});
//   absl::Status posted = sender.Post(settings.webhook_url(),
//                                     settings.webhook_secret(), notification);
//
// The request: POST, body WebhookBody(notification), headers
//   Content-Type: application/json
//   X-Socio-Event: <Notification.Kind name, e.g. REQUEST_ACCEPTED>
//   X-Socio-Delivery: <notification id, the same on every retry>
//   X-Socio-Signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>
// A receiver recomputes the signature over the body as received and
// compares in constant time. Redirects are not followed; only http and
// https are spoken.
//
// Thread safety: Post may be called from several threads at once.
#ifndef SOCIO_SERVICES_WEBHOOK_SENDER_H_
#define SOCIO_SERVICES_WEBHOOK_SENDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "socio/v1/notification.pb.h"

namespace socio::services {

struct WebhookOptions {
  // To open the connection (TLS included). Default: 5 s.
  absl::Duration connect_timeout = absl::Seconds(5);
  // For the whole request, answer included. Default: 10 s.
  absl::Duration timeout = absl::Seconds(10);
};

// The JSON body: the notification in protobuf's JSON mapping (camelCase
// names, enums by name), on one line.
absl::StatusOr<std::string> WebhookBody(const socio::v1::Notification& notification);

// "sha256=" and the lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
std::string WebhookSignature(absl::string_view secret, absl::string_view body);

class WebhookSender {
 public:
  explicit WebhookSender(const WebhookOptions& options) : options_(options) {}

  // Posts `notification` to `url`. OK when the receiver answers 2xx;
  // UNAVAILABLE with a short reason otherwise ("HTTP 503", or the network's
  // reason: refused, timed out, TLS). INVALID_ARGUMENT naming the field for
  // an empty url or secret. Nothing is retried here.
  absl::Status Post(absl::string_view url, absl::string_view secret,
                    const socio::v1::Notification& notification) const;

 private:
  const WebhookOptions options_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_WEBHOOK_SENDER_H_
