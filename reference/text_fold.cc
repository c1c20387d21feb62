#include "reference/text_fold.h"

#include <utility>

#include "absl/strings/ascii.h"

namespace socio::reference {

std::string FoldLatin(absl::string_view text) {
  // Base letters of U+00C0..U+00FF, the second byte of their UTF-8 form
  // being 0x80..0xBF.
  static constexpr char kBase[] =
      "aaaaaaaceeeeiiiidnoooooxouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
      out.push_back(kBase[next - 0x80]);
      ++i;
    } else {
      out.push_back(absl::ascii_tolower(c));
    }
  }
  return out;
}

std::vector<std::string> FoldedWords(absl::string_view text) {
  const std::string folded = FoldLatin(text);
  std::vector<std::string> words;
  std::string word;
  for (const char ch : folded) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (absl::ascii_isalnum(c) || c >= 0x80) {
      word.push_back(ch);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace socio::reference
