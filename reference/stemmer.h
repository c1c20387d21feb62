// Stems and stop words of the six languages Socio reads text in: English,
// Spanish, Portuguese, German, French and Italian.
//
//   Stem(kSpanish, "distribuidores");  // "distribuidor"
//   Stem(kEnglish, "distributors");    // "distribut"
//   IsStopWord(kGerman, "fur");        // true ("für", folded)
//
// English keeps Socio's own crude stemmer: it cuts agent and action endings
// alike, so "distributor", "distributes" and "distribution" meet, which
// Snowball's English (Porter 2) does not do. The other five languages use
// Snowball's stemmers (libstemmer), given the word with its accents (they
// read them: "exportación" -> "export", while "exportacion" keeps its
// ending). Stems are folded (reference/text_fold.h): "möbel" -> "mobel".
//
// Pure functions; thread-safe (each thread keeps its own Snowball stemmers,
// created on first use and freed when the thread ends).
#ifndef SOCIO_REFERENCE_STEMMER_H_
#define SOCIO_REFERENCE_STEMMER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace socio::reference {

enum TextLanguage : int { kEnglish = 0, kSpanish, kPortuguese, kGerman, kFrench, kItalian };
inline constexpr int kTextLanguageCount = 6;

// A set of TextLanguages: bit (1 << language) for each.
using TextLanguageSet = uint32_t;
inline constexpr TextLanguageSet kEnglishOnly = 1u << kEnglish;

// The language of an ISO 639-1 code ("es"; lower case), or -1 for any other.
int TextLanguageOf(absl::string_view iso639_1);
// The ISO 639-1 code of `language` ("es").
absl::string_view TextLanguageCode(TextLanguage language);

// `word` in lower case: ASCII letters and the capitals of Latin-1
// (U+00C0..U+00DE, as UTF-8) lowered; other bytes kept.
std::string LowerWord(absl::string_view word);

// Whether the folded, lower-case `word` is one of the language's most common
// function words (articles, pronouns, prepositions, conjunctions, forms of
// "to be" and "to have") or a word every business text carries ("company",
// "seek"). The lists are short and built in.
bool IsStopWord(TextLanguage language, absl::string_view word);

// The stem of the lower-case word (UTF-8; see LowerWord), folded. Words that
// are no word of the language come back shortened by whatever ending looks
// like one of its endings; that is harmless where only equal stems count.
std::string Stem(TextLanguage language, absl::string_view word);

// The stem and, for Spanish, Portuguese, French, Italian and German, the
// stem without an agent ending ("importador" -> "import", "distributeur" ->
// "distribu"), which is how a dictionary lists the trade: by its verb. The
// stem comes first; each candidate appears once.
std::vector<std::string> StemCandidates(TextLanguage language, absl::string_view word);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_STEMMER_H_
