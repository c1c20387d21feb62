// Small pieces the validators in storage/ share: how a field error reads and
// how text is measured.
#ifndef SOCIO_STORAGE_INTERNAL_FIELD_CHECKS_H_
#define SOCIO_STORAGE_INTERNAL_FIELD_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace socio::storage::internal {

// INVALID_ARGUMENT "field: reason".
absl::Status FieldError(absl::string_view field, absl::string_view reason);
// "field[i]".
std::string Indexed(absl::string_view field, int i);
// Characters as people count them (UTF-8 code points), not bytes.
size_t CodePoints(absl::string_view s);
// Empty or only ASCII white space.
bool IsBlank(absl::string_view s);
// FieldError if `value` has more than `max_length` characters.
absl::Status CheckLength(absl::string_view field, absl::string_view value, size_t max_length);
// CheckLength, and a FieldError if `value`, one line of text people read
// (a name, a city), holds a control character (C0, DEL, C1, U+2028/9) or
// one that reorders text (U+061C, U+200E/F, U+202A..E, U+2066..9), which
// would make what is shown differ from what is stored.
absl::Status CheckDisplayLine(absl::string_view field, absl::string_view value,
                              size_t max_length);

// Whether `url` is an http:// or https:// URL with a host, no spaces or
// control characters, at most 2000 characters.
bool IsHttpUrl(absl::string_view url);

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_FIELD_CHECKS_H_
