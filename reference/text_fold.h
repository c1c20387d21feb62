// Text folded for comparing names as people type them: ASCII letters in
// lower case and the accented letters of Latin-1 (U+00C0..U+00FF) as their
// base letter, so "México", "MEXICO" and "mexico" compare equal.
//
//   FoldLatin("Zürich") == "zurich"
//
// Other bytes are kept as they are. Pure; thread-safe.
#ifndef SOCIO_REFERENCE_TEXT_FOLD_H_
#define SOCIO_REFERENCE_TEXT_FOLD_H_

#include <string>

#include "absl/strings/string_view.h"

namespace socio::reference {

std::string FoldLatin(absl::string_view text);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_TEXT_FOLD_H_
