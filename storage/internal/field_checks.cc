#include "storage/internal/field_checks.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

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

namespace {

// The code point starting at s[*i], advancing *i past it. A malformed
// sequence yields its first byte and advances by one (UTF-8 validity is
// checked elsewhere).
uint32_t NextCodePoint(absl::string_view s, size_t* i) {
  const auto byte = [&](size_t k) -> uint32_t { return static_cast<unsigned char>(s[k]); };
  const uint32_t lead = byte(*i);
  int extra = -1;
  if (lead < 0x80) {
    extra = 0;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
  }
  if (extra <= 0 || *i + extra >= s.size()) {
    ++*i;
    return lead;
  }
  uint32_t code = lead & (0x3Fu >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return lead;
    }
    code = (code << 6) | (byte(*i + k) & 0x3F);
  }
  *i += extra + 1;
  return code;
}

bool IsControl(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

bool IsBidiFormatting(uint32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

absl::Status CheckDisplayLine(absl::string_view field, absl::string_view value,
                              size_t max_length) {
  if (absl::Status s = CheckLength(field, value, max_length); !s.ok()) return s;
  size_t position = 0;
  for (size_t i = 0; i < value.size(); ++position) {
    const uint32_t c = NextCodePoint(value, &i);
    if (IsControl(c) || IsBidiFormatting(c)) {
      return FieldError(
          field, absl::StrFormat("holds %s U+%04X at character %d; it must be one line of "
                                 "visible text",
                                 IsControl(c) ? "the control character"
                                              : "the text direction override",
                                 c, position + 1));
    }
  }
  return absl::OkStatus();
}

bool IsHttpUrl(absl::string_view url) {
  if (url.size() > 2000) return false;
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "https://") && !absl::ConsumePrefix(&rest, "http://")) {
    return false;
  }
  if (rest.empty() || rest.front() == '/') return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u == 0x7f;
  });
}

}  // namespace socio::storage::internal
