// ProductSectors: the NACE Rev. 2 codes of the products a text names, to
// read an objective's sectors from its note when it gives none ("Suchen
// Importeur für Bio-Tee" -> 10.83, "Buscamos distribuidor de aceite de
// oliva" -> 10.41).
//
// Two sources, tried in this order:
// 1. A short hand-written list of products members name most, each in
//    English, Spanish, Portuguese, German, French and Italian, mapped to the
//    class, group or division that makes them (product_sectors.cc lists
//    them; "Käse" and "queso" -> 10.51). The titles alone cannot do this:
//    they are English and name few products ("olive oil" is in no title).
// 2. English words against the titles of the NACE classes: a word that
//    appears in the titles of at most a handful of classes (so "products",
//    "equipment" or "services" never count) names those classes. Words the
//    text shares with a title are counted per class and the classes with
//    the most win; of those, makers are kept before traders and services
//    (manufacturing, then agriculture, then mining), because the value chain
//    links a maker's code to the wholesale and agency of its goods. More than
//    three classes become their common group or division, or nothing where
//    they have none (too vague to narrow a search).
//
// Words are read as FoldedWords gives them (text_fold.h). Matching is in
// English: words of another language reach the titles only through a
// translation into English (the hand-written list aside), which callers
// apply before SectorsIn.
//
//   ProductSectors products(nace);
//   products.SectorsIn(FoldedWords("wholesale of tea in Canada"));  // {"10.83"}
//
// Immutable once built; thread-safe.
#ifndef SOCIO_REFERENCE_PRODUCT_SECTORS_H_
#define SOCIO_REFERENCE_PRODUCT_SECTORS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "reference/nace.h"

namespace socio::reference {

class ProductSectors {
 public:
  ProductSectors() = default;
  // Indexes the class titles of `nace` and the hand-written list (whose
  // codes `nace` must know; one it does not is skipped).
  explicit ProductSectors(const NaceCatalog& nace);

  // Canonical NACE codes of the products `words` name (folded, in text
  // order), in order of first mention, each once; at most kMaxCodes. Empty
  // when the words name no product clearly.
  std::vector<std::string> SectorsIn(absl::Span<const std::string> words) const;

  // As SectorsIn(words), and where that finds nothing, the class titles read
  // once more against `common`: the text's words in their common form
  // (common_terms.h: the English stem of a word or of its translation), so
  // "Suchen Händler für Holzspielzeug" meets a title through "toy". Title
  // words are stemmed the same way; the stems of the stop words never count.
  std::vector<std::string> SectorsIn(absl::Span<const std::string> words,
                                     absl::Span<const std::string> common) const;

  static constexpr int kMaxCodes = 3;

 private:
  // Step 2 of SectorsIn over `keys` (title words or stems) in `index`.
  std::vector<std::string> FromTitles(
      absl::Span<const std::string> keys,
      const absl::flat_hash_map<std::string, std::vector<std::string>>& index) const;

  absl::flat_hash_map<std::string, std::string> phrases_;  // hand list: phrase -> code
  int longest_phrase_ = 1;                                 // in words
  // Title word (singular) -> the classes whose titles have it; only words
  // of at most a few classes are kept.
  absl::flat_hash_map<std::string, std::vector<std::string>> title_words_;
  // The same by English stem (Stem(kEnglish, word)), for common forms.
  absl::flat_hash_map<std::string, std::vector<std::string>> title_stems_;
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_PRODUCT_SECTORS_H_
