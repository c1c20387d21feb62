#include "storage/internal/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace socio::storage::internal {

absl::Status FieldError(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

std::string Indexed(absl::string_view field, int i) { return absl::StrCat(field, "[", i, "]"); }

size_t CodePoints(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsBlank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

absl::Status CheckLength(absl::string_view field, absl::string_view value, size_t max_length) {
  if (CodePoints(value) > max_length) {
    return FieldError(field, absl::StrFormat("is %d characters long; at most %d are allowed",
                                             CodePoints(value), max_length));
  }
  return absl::OkStatus();
}

}  // namespace socio::storage::internal
