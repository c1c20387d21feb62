#include "services/internal/curl.h"

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"

namespace socio::services::internal {

absl::StatusOr<CurlEasy> NewCurlEasy() {
  // curl_global_init is not thread-safe; it runs once, before any handle.
  static absl::once_flag once;
  static CURLcode init = CURLE_OK;
  absl::call_once(once, [] { init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("libcurl did not initialise: ", curl_easy_strerror(init)));
  }
  CurlEasy curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("libcurl could not make a handle");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  return curl;
}

absl::Status AppendTo(CurlList* list, const std::string& item) {
  curl_slist* longer = curl_slist_append(list->get(), item.c_str());
  if (longer == nullptr) return absl::ResourceExhaustedError("libcurl: out of memory for a list");
  // curl_slist_append returns the list's head, which is unchanged once set.
  (void)list->release();
  list->reset(longer);
  return absl::OkStatus();
}

std::string CurlFailure(CURLcode code, const char* error_buffer) {
  if (error_buffer != nullptr && error_buffer[0] != '\0') return error_buffer;
  return curl_easy_strerror(code);
}

}  // namespace socio::services::internal
