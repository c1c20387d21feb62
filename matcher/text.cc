#include "matcher/text.h"

#include <algorithm>

namespace socio::matcher {

void AppendTerms(absl::string_view text, reference::TextLanguageSet languages,
                 const reference::Lexicon& lexicon, std::vector<Term>* terms) {
  reference::ForEachCommonTerm(text, languages, lexicon,
                               [terms](absl::string_view stem, absl::string_view word) {
                                 for (const Term& term : *terms) {
                                   if (term.stem == stem) return;
                                 }
                                 terms->push_back({std::string(stem), std::string(word)});
                               });
}

void AppendTermHashes(absl::string_view text, reference::TextLanguageSet languages,
                      const reference::Lexicon& lexicon, std::vector<uint32_t>* hashes) {
  reference::ForEachCommonTerm(
      text, languages, lexicon, [hashes](absl::string_view stem, absl::string_view /*word*/) {
        const uint32_t hash = TermHash(stem);
        if (std::find(hashes->begin(), hashes->end(), hash) == hashes->end()) {
          hashes->push_back(hash);
        }
      });
}

std::vector<std::string> TextTerms(absl::string_view text, reference::TextLanguageSet languages,
                                   const reference::Lexicon& lexicon) {
  std::vector<Term> terms;
  AppendTerms(text, languages, lexicon, &terms);
  std::vector<std::string> stems;
  stems.reserve(terms.size());
  for (Term& term : terms) stems.push_back(std::move(term.stem));
  return stems;
}

std::vector<std::string> TextTerms(absl::string_view text) {
  static const reference::Lexicon* const kNone = new reference::Lexicon();
  return TextTerms(text, reference::kEnglishOnly, *kNone);
}

uint32_t TermHash(absl::string_view stem) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : stem) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace socio::matcher
