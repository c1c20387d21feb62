#include "matcher/text.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace socio::matcher {
namespace {

// Longer words are cut to this many bytes.
constexpr size_t kMaxWordBytes = 64;

// Common English function words and the words every business text carries.
constexpr std::array<absl::string_view, 62> kStopWords = {
    "about", "across",  "after", "all",   "also",    "and",     "any",   "are",   "based",
    "been",  "both",    "but",   "can",   "company", "for",     "from",  "has",   "have",
    "her",   "his",     "its",   "into",  "more",    "most",    "new",   "not",   "now",
    "off",   "one",     "only",  "other", "our",     "out",     "over",  "own",   "per",
    "seek",  "seeking", "such",  "than",  "that",    "the",     "their", "them",  "then",
    "there", "these",   "they",  "this",  "those",   "through", "under", "using", "very",
    "was",   "were",    "what",  "which", "while",   "who",     "will",  "with"};

bool IsStopWord(absl::string_view word) {
  static const auto* const kSet =
      new absl::flat_hash_set<absl::string_view>(kStopWords.begin(), kStopWords.end());
  return kSet->contains(word);
}

bool IsWordByte(unsigned char c) { return absl::ascii_isalnum(c) || c >= 0x80; }

// Cuts one English ending of the lower-case word w[0..n) so the forms of a
// word meet: "distributors", "distributes", "distribution" -> "distribut";
// "supplies", "suppliers" -> "supply"; "service", "services" -> "servic".
// Keeps at least four bytes. Returns the new length; w needs room for one
// more byte ("ies" -> "y" never grows it).
size_t Stem(char* w, size_t n) {
  static constexpr std::array<absl::string_view, 13> kEndings = {
      "ations", "ation", "ings", "ing", "ions", "ion", "ers", "ors", "er", "or", "es", "ed", "s"};
  absl::string_view word(w, n);
  if (n > 4 && absl::EndsWith(word, "ies")) {
    w[n - 3] = 'y';
    return n - 2;
  }
  for (absl::string_view ending : kEndings) {
    if (ending == "s" && (absl::EndsWith(word, "ss") || absl::EndsWith(word, "us"))) break;
    if (n >= ending.size() + 4 && absl::EndsWith(word, ending)) {
      n -= ending.size();
      break;
    }
  }
  if (n > 4 && w[n - 1] == 'i') w[n - 1] = 'y';  // "suppli" -> "supply"
  if (n > 4 && w[n - 1] == 'e') --n;             // "service" -> "servic"
  return n;
}

// Calls visit(stem, word) for each word of `text` that is not dropped; both
// views are valid only during the call.
template <typename Visit>
void ForEachStem(absl::string_view text, Visit&& visit) {
  char word[kMaxWordBytes];
  char stem[kMaxWordBytes];
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(text[i])) ++i;
    const size_t begin = i;
    bool has_letter = false;
    while (i < text.size() && IsWordByte(text[i])) {
      has_letter |= !absl::ascii_isdigit(text[i]);
      ++i;
    }
    const size_t n = std::min(i - begin, kMaxWordBytes);
    if (n < 3 || !has_letter) continue;
    for (size_t j = 0; j < n; ++j) word[j] = absl::ascii_tolower(text[begin + j]);
    const absl::string_view lower(word, n);
    if (IsStopWord(lower)) continue;
    std::memcpy(stem, word, n);
    visit(absl::string_view(stem, Stem(stem, n)), lower);
  }
}

}  // namespace

void AppendTerms(absl::string_view text, std::vector<Term>* terms) {
  ForEachStem(text, [terms](absl::string_view stem, absl::string_view word) {
    for (const Term& term : *terms) {
      if (term.stem == stem) return;
    }
    terms->push_back({std::string(stem), std::string(word)});
  });
}

void AppendTermHashes(absl::string_view text, std::vector<uint32_t>* hashes) {
  ForEachStem(text, [hashes](absl::string_view stem, absl::string_view /*word*/) {
    const uint32_t hash = TermHash(stem);
    if (std::find(hashes->begin(), hashes->end(), hash) == hashes->end()) {
      hashes->push_back(hash);
    }
  });
}

std::vector<std::string> TextTerms(absl::string_view text) {
  std::vector<Term> terms;
  AppendTerms(text, &terms);
  std::vector<std::string> stems;
  stems.reserve(terms.size());
  for (Term& term : terms) stems.push_back(std::move(term.stem));
  return stems;
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
