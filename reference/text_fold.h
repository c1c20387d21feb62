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
#include <vector>

#include "absl/strings/string_view.h"

namespace socio::reference {

std::string FoldLatin(absl::string_view text);

// The words of `text` after FoldLatin: runs of ASCII letters and digits and
// of bytes >= 0x80 (letters outside Latin-1 stay as they are), in order.
//
//   FoldedWords("Bio-Tee für Kanada") == {"bio", "tee", "fur", "kanada"}
std::vector<std::string> FoldedWords(absl::string_view text);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_TEXT_FOLD_H_
