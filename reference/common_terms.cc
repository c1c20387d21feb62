#include "reference/common_terms.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

// Longer words are cut to this many bytes.
constexpr size_t kMaxWordBytes = 64;

bool IsWordByte(unsigned char c) { return absl::ascii_isalnum(c) || c >= 0x80; }

}  // namespace

void ForEachCommonTerm(
    absl::string_view text, TextLanguageSet languages, const Lexicon& lexicon,
    absl::FunctionRef<void(absl::string_view common, absl::string_view word)> visit) {
  languages |= kEnglishOnly;
  const TextLanguageSet lookup = languages & lexicon.languages();
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(text[i])) ++i;
    const size_t begin = i;
    bool has_letter = false;
    while (i < text.size() && IsWordByte(text[i])) {
      has_letter |= !absl::ascii_isdigit(text[i]);
      ++i;
    }
    size_t n = std::min(i - begin, kMaxWordBytes);
    // Never cut inside a UTF-8 sequence.
    while (n > 0 && n < i - begin && (static_cast<unsigned char>(text[begin + n]) & 0xC0) == 0x80) {
      --n;
    }
    if (n < 3 || !has_letter) continue;
    const std::string word = LowerWord(text.substr(begin, n));
    const std::string folded = FoldLatin(word);
    bool stop = false;
    for (int l = 0; l < kTextLanguageCount && !stop; ++l) {
      stop = ((languages >> l) & 1) && IsStopWord(static_cast<TextLanguage>(l), folded);
    }
    if (stop) continue;
    absl::string_view common;
    for (int l = kSpanish; l < kTextLanguageCount && common.empty(); ++l) {
      if (((lookup >> l) & 1) == 0) continue;
      for (const std::string& stem : StemCandidates(static_cast<TextLanguage>(l), word)) {
        common = lexicon.English(static_cast<TextLanguage>(l), stem);
        if (!common.empty()) break;
      }
    }
    if (!common.empty()) {
      visit(common, word);
    } else {
      visit(Stem(kEnglish, word), word);
    }
  }
}

}  // namespace socio::reference
