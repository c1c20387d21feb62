#include "services/webhook_sender.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/internal/curl.h"

namespace socio::services {
namespace {

using socio::v1::Notification;

// The answer's body is not read; libcurl is told it was.
size_t DiscardBody(char*, size_t size, size_t count, void*) { return size * count; }

}  // namespace

absl::StatusOr<std::string> WebhookBody(const Notification& notification) {
  std::string body;
  const auto status = google::protobuf::util::MessageToJsonString(notification, &body);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("notification ", notification.id(), " has no JSON form: ", status.ToString()));
  }
  return body;
}

std::string WebhookSignature(absl::string_view secret, absl::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  return absl::StrCat(
      "sha256=", absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest),
                                                          static_cast<size_t>(length))));
}

absl::Status WebhookSender::Post(absl::string_view url, absl::string_view secret,
                                 const Notification& notification) const {
  if (url.empty()) return absl::InvalidArgumentError("webhook_url: is empty");
  if (secret.empty()) return absl::InvalidArgumentError("webhook_secret: is empty");
  absl::StatusOr<std::string> body = WebhookBody(notification);
  if (!body.ok()) return body.status();
  absl::StatusOr<internal::CurlEasy> curl = internal::NewCurlEasy();
  if (!curl.ok()) return curl.status();
  internal::CurlList headers;
  for (const std::string& header :
       {std::string("Content-Type: application/json"),
        absl::StrCat("X-Socio-Event: ", Notification::Kind_Name(notification.kind())),
        absl::StrCat("X-Socio-Delivery: ", notification.id()),
        absl::StrCat("X-Socio-Signature: ", WebhookSignature(secret, *body)),
        std::string("Expect:")}) {  // no "100-continue" round trip
    if (absl::Status s = internal::AppendTo(&headers, header); !s.ok()) return s;
  }
  const std::string url_text(url);
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl->get();
  curl_easy_setopt(c, CURLOPT_URL, url_text.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Socio-Webhook/1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &DiscardBody);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("http: ", internal::CurlFailure(code, error)));
  }
  long http_status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http_status);
  if (http_status < 200 || http_status > 299) {
    return absl::UnavailableError(absl::StrCat("HTTP ", http_status));
  }
  return absl::OkStatus();
}

}  // namespace socio::services
