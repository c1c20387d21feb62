// libcurl handles owned by std::unique_ptr, made after libcurl's global
// initialisation (once per process, whichever thread asks first), for the
// senders of mail and webhooks.
//
//   absl::StatusOr<CurlEasy> curl = NewCurlEasy();
//   if (!curl.ok()) return curl.status();
//   curl_easy_setopt(curl->get(), CURLOPT_URL, url.c_str());
//
// Thread safety: NewCurlEasy may be called from any thread; one handle is
// used by one thread at a time.
#ifndef SOCIO_SERVICES_INTERNAL_CURL_H_
#define SOCIO_SERVICES_INTERNAL_CURL_H_

#include <curl/curl.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace socio::services::internal {

struct CurlEasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

// A new easy handle that sends no signals (it runs on worker threads).
// INTERNAL if libcurl cannot initialise or make one.
absl::StatusOr<CurlEasy> NewCurlEasy();

// Appends `item` to `list`; RESOURCE_EXHAUSTED if libcurl runs out of memory.
absl::Status AppendTo(CurlList* list, const std::string& item);

// A transfer's failure in a few words: libcurl's error buffer when it says
// something, else the words of `code`.
std::string CurlFailure(CURLcode code, const char* error_buffer);

}  // namespace socio::services::internal

#endif  // SOCIO_SERVICES_INTERNAL_CURL_H_
