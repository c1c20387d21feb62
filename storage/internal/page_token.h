// The page tokens the stores' List calls hand out: opaque to callers, they
// carry a tag of the kind of list, the filters the first page was asked with
// and the last id read.
#ifndef SOCIO_STORAGE_INTERNAL_PAGE_TOKEN_H_
#define SOCIO_STORAGE_INTERNAL_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::storage::internal {

std::string EncodePageToken(absl::string_view kind, const std::vector<std::string>& filters,
                            absl::string_view last_id);

// The last id read. INVALID_ARGUMENT on "page_token" if the token is not one
// EncodePageToken made for `kind`, or "page_token: was issued for <mismatch>
// as for the first page" if it was made for other filters.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view kind,
                                            const std::vector<std::string>& filters,
                                            absl::string_view mismatch);

// The same for a list that resumes after a key of its own, which may hold
// any bytes (NULs among them): the key travels as hex.
std::string EncodeKeyPageToken(absl::string_view kind, const std::vector<std::string>& filters,
                               absl::string_view last_key);
absl::StatusOr<std::string> DecodeKeyPageToken(absl::string_view token, absl::string_view kind,
                                               const std::vector<std::string>& filters,
                                               absl::string_view mismatch);

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_PAGE_TOKEN_H_
