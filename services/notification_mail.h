// The e-mail that tells a person about a notification: subject, plain text
// with the facts and a link to the console, and for a standalone meeting
// request that was accepted (or, later, cancelled) a calendar invitation
// (or its cancellation) that calendar programs file under the request's
// calendar_uid.
//
//   Mail mail = NotificationMail(notification, "anna@acme.example",
//                                {.from = "notify@chamber.example",
//                                 .console_url = "https://socio.chamber.example"});
//   absl::Status sent = sender->Send(mail);
//
// Thread safety: pure functions; call them from any thread.
#ifndef SOCIO_SERVICES_NOTIFICATION_MAIL_H_
#define SOCIO_SERVICES_NOTIFICATION_MAIL_H_

#include <string>

#include "absl/strings/string_view.h"
#include "services/mail_sender.h"
#include "socio/v1/notification.pb.h"

namespace socio::services {

struct NotificationMailOptions {
  // The sender's address: the Message-ID's domain and the invitation's
  // organizer.
  std::string from;
  // The web console's address, e.g. "https://socio.chamber.example"; the
  // text links to its page for the notification. Empty: no link.
  std::string console_url;
};

// The mail to `to` about `notification`:
// - subject: the notification's summary (its kind in words when empty);
// - Message-ID "<notification id>@<domain of from>", the same for every
//   resend; Date: the notification's create_time;
// - text: the summary, then one line per fact the notification carries
//   (what happened in words, the request's id, who asked whom, the
//   message, the proposed and accepted windows in UTC, the reason, the
//   delegation, the mark of interest), the console link, and the
//   notification's id;
// - for REQUEST_ACCEPTED of a standalone request (no delegation) with an
//   accepted window and a calendar_uid: "invitation.ics", text/calendar
//   METHOD:REQUEST; for REQUEST_CANCELLED of such a request:
//   METHOD:CANCEL with the same UID and a higher SEQUENCE (the request's
//   version). Organizer: `from`; attendee: `to`.
Mail NotificationMail(const socio::v1::Notification& notification, absl::string_view to,
                      const NotificationMailOptions& options);

// The kind in words a person reads: "Meeting request accepted".
std::string KindInWords(socio::v1::Notification::Kind kind);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_NOTIFICATION_MAIL_H_
