// MailSender: sends one plain-text e-mail (with optional attachments, such
// as a calendar invitation) through an SMTP relay, using libcurl's SMTP
// support. It writes the message itself (ComposeMail) and leaves the SMTP
// exchange, dot-stuffing and TLS to libcurl.
//
//   absl::StatusOr<std::unique_ptr<MailSender>> sender = MailSender::Create(
//       {.url = "smtp://relay.example:587", .user = "socio", .password = "...",
//        .from = "notify@chamber.example"});
//   absl::Status sent = (*sender)->Send({.to = "anna@acme.example",
//                                        .subject = "Huber GmbH asks to meet you",
//                                        .message_id = "n-17@chamber.example",
//                                        .date = absl::Now(), .text = "..."});
//
// Header values never write another header: line breaks and other control
// characters in them become spaces, and non-ASCII text is written as RFC
// 2047 encoded words. Bodies are quoted-printable (UTF-8), attachments
// base64, so the relay need not support 8BITMIME.
//
// Thread safety: Send may be called from several threads at once (each call
// uses a libcurl handle of its own).
#ifndef SOCIO_SERVICES_MAIL_SENDER_H_
#define SOCIO_SERVICES_MAIL_SENDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace socio::services {

struct SmtpOptions {
  // The relay: "smtp://host[:port]" (STARTTLS when the relay offers it;
  // required when `user` is set, so a password never travels in the clear)
  // or "smtps://host[:port]" (TLS from the first byte).
  std::string url;
  // Login at the relay; empty user: none.
  std::string user;
  std::string password;
  // The sender's address: the envelope's MAIL FROM and the From header.
  std::string from;
  // For the whole exchange with the relay, connecting included. Default: 30 s.
  absl::Duration timeout = absl::Seconds(30);
};

struct MailAttachment {
  // The MIME type with its parameters, e.g.
  // "text/calendar; charset=UTF-8; method=REQUEST".
  std::string content_type;
  // Offered to the reader when saving it, e.g. "invitation.ics".
  std::string filename;
  std::string content;
};

struct Mail {
  // One address.
  std::string to;
  // Any UTF-8 text.
  std::string subject;
  // Without angle brackets, e.g. "n-17@chamber.example". The same message
  // sent again carries the same id, so mail programs show it once.
  std::string message_id;
  absl::Time date;
  // Plain UTF-8 text; lines end in "\n".
  std::string text;
  std::vector<MailAttachment> attachments;
};

// The message as the relay receives it, CRLF line ends: From ("Socio
// <from>"), To, Subject, Date (RFC 5322, UTC), Message-ID, MIME-Version,
// then either the text (text/plain; charset=UTF-8, quoted-printable) or,
// with attachments, a multipart/mixed body with the text first and each
// attachment base64. A pure function of its input.
std::string ComposeMail(absl::string_view from, const Mail& mail);

class MailSender {
 public:
  // INVALID_ARGUMENT naming the field: a url that is not smtp:// or smtps://
  // with a host, a `from` that is not an address.
  static absl::StatusOr<std::unique_ptr<MailSender>> Create(SmtpOptions options);

  // Sends `mail` to `mail.to` through the relay. INVALID_ARGUMENT naming
  // "to" if it is not an address; UNAVAILABLE, with the relay's or the
  // network's reason after "smtp: ", if the relay cannot be reached, refuses
  // the login, the sender, the recipient or the message, or does not answer
  // within the timeout. Nothing is retried here.
  absl::Status Send(const Mail& mail) const;

  const SmtpOptions& options() const { return options_; }

 private:
  explicit MailSender(SmtpOptions options) : options_(std::move(options)) {}

  const SmtpOptions options_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_MAIL_SENDER_H_
