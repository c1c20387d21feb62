// The words of a text in a common form, so texts in English, Spanish,
// Portuguese, German, French and Italian share terms: "buscamos
// distribuidores de muebles" gives "distribut" and "furnitur", as "furniture
// distributor" does.
//
//   ForEachCommonTerm(note, LanguagesOf(profile.languages()), reference.lexicon(),
//                     [&](absl::string_view common, absl::string_view word) { ... });
//
// Pure; thread-safe.
#ifndef SOCIO_REFERENCE_COMMON_TERMS_H_
#define SOCIO_REFERENCE_COMMON_TERMS_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "reference/lexicon.h"
#include "reference/stemmer.h"

namespace socio::reference {

// English and the languages of the ISO 639-1 codes among `codes` that
// TextLanguageOf knows; others are ignored.
template <typename Codes>
TextLanguageSet LanguagesOf(const Codes& codes) {
  TextLanguageSet set = kEnglishOnly;
  for (const auto& code : codes) {
    if (const int language = TextLanguageOf(code); language >= 0) set |= 1u << language;
  }
  return set;
}

// Calls visit(common, word) for each word of `text` in order, repeats
// included; both views are valid only during the call.
//
// Words are runs of letters and digits (bytes >= 0x80 count as letters, so
// "Bajío" stays one word), longer ones cut at 64 bytes. Words shorter than
// 3 bytes, numbers, and the stop words of English and of every language in
// `languages` are skipped. `word` is the word in lower case (LowerWord).
// `common` is, for the first language of `languages` in the order es, pt,
// de, fr, it whose lexicon knows one of StemCandidates(language, word), that
// entry's English stem; otherwise the word's English stem (Stem(kEnglish,
// word): folded, with Socio's English endings cut). English is read in every
// case; a language the lexicon has not loaded adds only its stop words.
void ForEachCommonTerm(
    absl::string_view text, TextLanguageSet languages, const Lexicon& lexicon,
    absl::FunctionRef<void(absl::string_view common, absl::string_view word)> visit);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_COMMON_TERMS_H_
