#include "services/mail_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/internal/curl.h"

namespace socio::services {
namespace {

constexpr char kDisplayName[] = "Socio";
constexpr size_t kMaxLine = 76;  // RFC 2045 6.7 (5)

// A header value on one line: control characters (CR and LF above all)
// become spaces, so a value cannot start a header of its own.
std::string OneLine(absl::string_view value) {
  std::string line(value);
  for (char& c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return line;
}

bool IsPrintableAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= ' ' && c <= '~'; });
}

// Octets in the UTF-8 character starting with `lead`.
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// `text` as a header value: as it is when printable ASCII, else RFC 2047
// encoded words ("=?UTF-8?B?...?="), each at most 75 characters and never
// splitting a character, folded onto continuation lines.
std::string HeaderText(absl::string_view text) {
  const std::string line = OneLine(text);
  if (IsPrintableAscii(line)) return line;
  constexpr size_t kMaxChunk = 39;  // 52 characters of base64: a word and "Subject: " fit in 78
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    size_t end = i;
    while (end < line.size()) {
      const size_t next =
          std::min(line.size(), end + Utf8Length(static_cast<unsigned char>(line[end])));
      if (next - i > kMaxChunk) break;
      end = next;
    }
    if (end == i) end = std::min(line.size(), i + kMaxChunk);  // a broken character
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(line.substr(i, end - i)), "?=");
    i = end;
  }
  return out;
}

// RFC 2045 quoted-printable of UTF-8 text whose lines end in "\n" (or
// "\r\n"): CRLF line ends, "=XX" for '=', non-ASCII and control octets and
// for a space or tab ending a line, soft breaks keeping lines within 76.
std::string QuotedPrintable(absl::string_view text) {
  std::string out;
  size_t column = 0;
  auto emit = [&](absl::string_view token) {
    if (column + token.size() > kMaxLine - 1) {  // room for a soft break's '='
      out += "=\r\n";
      column = 0;
    }
    out.append(token.data(), token.size());
    column += token.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      out += "\r\n";
      column = 0;
      continue;
    }
    const bool line_ends = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    const bool literal =
        (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_ends);
    if (literal) {
      emit(absl::string_view(&text[i], 1));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const char token[3] = {'=', kHex[c >> 4], kHex[c & 0xf]};
      emit(absl::string_view(token, 3));
    }
  }
  return out;
}

// Base64 in lines of 76 characters, each ending in CRLF.
std::string Base64Lines(absl::string_view content) {
  const std::string encoded = absl::Base64Escape(content);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += kMaxLine) {
    absl::StrAppend(&out, absl::string_view(encoded).substr(i, kMaxLine), "\r\n");
  }
  return out;
}

// A MIME parameter value in quotes, without quotes, backslashes or
// control characters.
std::string QuotedParameter(absl::string_view value) {
  std::string quoted = "\"";
  for (const char c : OneLine(value)) {
    if (c != '"' && c != '\\') quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

// What libcurl reads the message from.
struct Upload {
  absl::string_view rest;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

// One '@' with text on both sides, printable ASCII without spaces, angle
// brackets, commas, semicolons or quotes: an address for the envelope.
bool IsMailAddress(absl::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 == address.size() ||
      address.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  return std::all_of(address.begin(), address.end(), [](char c) {
    return c > ' ' && c <= '~' && c != '<' && c != '>' && c != ',' && c != ';' && c != '"';
  });
}

}  // namespace

std::string ComposeMail(absl::string_view from, const Mail& mail) {
  std::string message;
  absl::StrAppend(&message, "From: ", kDisplayName, " <", OneLine(from), ">\r\n");
  absl::StrAppend(&message, "To: <", OneLine(mail.to), ">\r\n");
  absl::StrAppend(&message, "Subject: ", HeaderText(mail.subject), "\r\n");
  absl::StrAppend(&message, "Date: ",
                  absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", mail.date, absl::UTCTimeZone()),
                  "\r\n");
  absl::StrAppend(&message, "Message-ID: <", OneLine(mail.message_id), ">\r\n");
  absl::StrAppend(&message, "MIME-Version: 1.0\r\n");
  constexpr absl::string_view kTextHeaders =
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n";
  const std::string text = QuotedPrintable(mail.text);
  if (mail.attachments.empty()) {
    absl::StrAppend(&message, kTextHeaders, "\r\n", text);
    if (!absl::EndsWith(text, "\r\n")) message += "\r\n";
    return message;
  }
  // "=_" never occurs in quoted-printable or base64 content, so the
  // boundary cannot either.
  const std::string boundary = absl::StrCat("=_socio_", OneLine(mail.message_id));
  absl::StrAppend(&message, "Content-Type: multipart/mixed; boundary=", QuotedParameter(boundary),
                  "\r\n\r\n");
  absl::StrAppend(&message, "This is a message in MIME format.\r\n");
  absl::StrAppend(&message, "\r\n--", boundary, "\r\n", kTextHeaders, "\r\n", text);
  if (!absl::EndsWith(text, "\r\n")) message += "\r\n";
  for (const MailAttachment& attachment : mail.attachments) {
    absl::StrAppend(&message, "\r\n--", boundary, "\r\n");
    absl::StrAppend(&message, "Content-Type: ", OneLine(attachment.content_type), "\r\n");
    absl::StrAppend(&message, "Content-Transfer-Encoding: base64\r\n");
    absl::StrAppend(&message, "Content-Disposition: attachment; filename=",
                    QuotedParameter(attachment.filename), "\r\n\r\n");
    absl::StrAppend(&message, Base64Lines(attachment.content));
  }
  absl::StrAppend(&message, "\r\n--", boundary, "--\r\n");
  return message;
}

absl::StatusOr<std::unique_ptr<MailSender>> MailSender::Create(SmtpOptions options) {
  absl::string_view rest = options.url;
  if ((!absl::ConsumePrefix(&rest, "smtp://") && !absl::ConsumePrefix(&rest, "smtps://")) ||
      rest.empty() || rest.front() == '/' || !IsPrintableAscii(options.url) ||
      absl::StrContains(options.url, ' ')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "smtp_url: '", OneLine(options.url), "' is not smtp://HOST[:PORT] or smtps://HOST[:PORT]"));
  }
  if (!IsMailAddress(options.from)) {
    return absl::InvalidArgumentError(
        absl::StrCat("mail_from: '", OneLine(options.from), "' is not an e-mail address"));
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("smtp timeout: must be positive");
  }
  return std::unique_ptr<MailSender>(new MailSender(std::move(options)));
}

absl::Status MailSender::Send(const Mail& mail) const {
  if (!IsMailAddress(mail.to)) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: '", OneLine(mail.to), "' is not an e-mail address"));
  }
  absl::StatusOr<internal::CurlEasy> curl = internal::NewCurlEasy();
  if (!curl.ok()) return curl.status();
  internal::CurlList recipients;
  if (absl::Status s = internal::AppendTo(&recipients, absl::StrCat("<", mail.to, ">")); !s.ok()) {
    return s;
  }
  const std::string message = ComposeMail(options_.from, mail);
  Upload upload{message};
  const std::string mail_from = absl::StrCat("<", options_.from, ">");
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl->get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  // smtps:// is TLS already; on smtp:// STARTTLS is taken when offered, and
  // demanded before a password is sent.
  curl_easy_setopt(c, CURLOPT_USE_SSL, options_.user.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("smtp: ", internal::CurlFailure(code, error)));
  }
  return absl::OkStatus();
}

}  // namespace socio::services
