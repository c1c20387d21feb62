// Words for text relevance: what a company's objective notes ask for, and
// what its description, keywords and notes say it does, in a common form
// across English, Spanish, Portuguese, German, French and Italian (see
// reference/common_terms.h).
//
//   std::vector<std::string> terms = TextTerms("Food distributors for Texas");
//   // {"food", "distribut", "texa"}: lower-cased, stop words dropped, plural
//   // and agent endings cut so "distributor", "distributes" and
//   // "distribution" meet.
//   TextTerms("distribuidores de muebles", LanguagesOf({"es"}), lexicon);
//   // {"distribut", "furnitur"}, as "furniture distributors" gives.
#ifndef SOCIO_MATCHER_TEXT_H_
#define SOCIO_MATCHER_TEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "reference/common_terms.h"

namespace socio::matcher {

// One term as it appears in the text (for people) and its common form (for
// comparing).
struct Term {
  std::string stem;
  std::string word;  // lower case, as first seen
};

// The distinct terms of `text` in order of first appearance, read in
// `languages` (English always) with `lexicon` (see
// reference::ForEachCommonTerm for what is kept and how it is stemmed).
void AppendTerms(absl::string_view text, reference::TextLanguageSet languages,
                 const reference::Lexicon& lexicon, std::vector<Term>* terms);

// The fingerprints (TermHash) of AppendTerms' stems, without their words;
// appended if not already in `*hashes`.
void AppendTermHashes(absl::string_view text, reference::TextLanguageSet languages,
                      const reference::Lexicon& lexicon, std::vector<uint32_t>* hashes);

// The stems of AppendTerms, for tests and callers that need no words.
std::vector<std::string> TextTerms(absl::string_view text, reference::TextLanguageSet languages,
                                   const reference::Lexicon& lexicon);
// English only, no lexicon.
std::vector<std::string> TextTerms(absl::string_view text);

// 32-bit fingerprint of a stem (FNV-1a). Two different stems share one with
// a chance of about 2^-32, which at worst nudges a text score.
uint32_t TermHash(absl::string_view stem);

}  // namespace socio::matcher

#endif  // SOCIO_MATCHER_TEXT_H_
