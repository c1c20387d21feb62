#include "storage/internal/page_token.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace socio::storage::internal {
namespace {

// Fields are NUL-separated, which no id or filter value contains.
constexpr absl::string_view kSeparator("\0", 1);

}  // namespace

std::string EncodePageToken(absl::string_view kind, const std::vector<std::string>& filters,
                            absl::string_view last_id) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kind, kSeparator, absl::StrJoin(filters, kSeparator), kSeparator, last_id));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view kind,
                                            const std::vector<std::string>& filters,
                                            absl::string_view mismatch) {
  const absl::Status malformed = absl::InvalidArgumentError(
      "page_token: is not a token this server issued; start again with an empty page_token");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return malformed;
  std::vector<std::string> parts = absl::StrSplit(raw, kSeparator);
  if (parts.size() != filters.size() + 2 || parts.front() != kind || parts.back().empty()) {
    return malformed;
  }
  if (!std::equal(filters.begin(), filters.end(), parts.begin() + 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_token: was issued for ", mismatch, " as for the first page"));
  }
  return std::move(parts.back());
}

std::string EncodeKeyPageToken(absl::string_view kind, const std::vector<std::string>& filters,
                               absl::string_view last_key) {
  return EncodePageToken(kind, filters, absl::BytesToHexString(last_key));
}

absl::StatusOr<std::string> DecodeKeyPageToken(absl::string_view token, absl::string_view kind,
                                               const std::vector<std::string>& filters,
                                               absl::string_view mismatch) {
  absl::StatusOr<std::string> hex = DecodePageToken(token, kind, filters, mismatch);
  if (!hex.ok()) return hex.status();
  return absl::HexStringToBytes(*hex);
}

}  // namespace socio::storage::internal
