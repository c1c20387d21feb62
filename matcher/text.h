// Words for text relevance: what a company's objective notes ask for, and
// what its description, keywords and notes say it does.
//
//   std::vector<std::string> terms = TextTerms("Food distributors for Texas");
//   // {"food", "distribut", "texa"}: lower-cased, stop words dropped, plural
//   // and agent endings cut so "distributor", "distributes" and
//   // "distribution" meet.
//
// The stemming is deliberately crude: English endings only, no dictionary. It
// only has to make the same word in different forms compare equal.
#ifndef SOCIO_MATCHER_TEXT_H_
#define SOCIO_MATCHER_TEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace socio::matcher {

// One term as it appears in the text (for people) and its stem (for
// comparing).
struct Term {
  std::string stem;
  std::string word;  // lower case, as first seen
};

// The distinct terms of `text` in order of first appearance. Words are runs of
// letters and digits (bytes >= 0x80 count as letters, so "Bajío" stays one
// word); words shorter than 3 bytes, numbers and stop words are dropped.
void AppendTerms(absl::string_view text, std::vector<Term>* terms);

// The fingerprints (TermHash) of AppendTerms' stems, without their words and
// without allocating per word; appended if not already in `*hashes`.
void AppendTermHashes(absl::string_view text, std::vector<uint32_t>* hashes);

// The stems of AppendTerms, for tests and callers that need no words.
std::vector<std::string> TextTerms(absl::string_view text);

// 32-bit fingerprint of a stem (FNV-1a). Two different stems share one with
// a chance of about 2^-32, which at worst nudges a text score.
uint32_t TermHash(absl::string_view stem);

}  // namespace socio::matcher

#endif  // SOCIO_MATCHER_TEXT_H_
