// A bilingual lexicon: words of Spanish, Portuguese, German, French and
// Italian mapped to a common form, the stem (reference/stemmer.h) of their
// English translation, so "muebles", "Möbel" and "furniture" meet:
//
//   absl::StatusOr<Lexicon> lexicon = Lexicon::Load("/usr/share/dictd");
//   lexicon->English(kSpanish, "distribu");  // "distribut" (distribuir)
//
// The source is FreeDict's dictionaries as Debian ships them (packages
// dict-freedict-spa-eng, -por-eng, -deu-eng, -fra-eng, -ita-eng, in dictd
// format: NAME.index and NAME.dict.dz). Each headword of one word is keyed by
// its stem in its language. Its common form is the English stem that wins a
// vote among the one-word translations of all articles with that key: the
// first translation of an article counts most, then the rest of its first
// sense, then later senses; a translation the reverse dictionary
// (dict-freedict-eng-spa and so on, where installed) confirms gains, and a
// cognate (sharing its first four letters with the word, as "importador"
// and "import") gains most, since trade words are mostly cognates.
//
// Immutable once loaded; thread-safe to read.
#ifndef SOCIO_REFERENCE_LEXICON_H_
#define SOCIO_REFERENCE_LEXICON_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reference/stemmer.h"

namespace socio::reference {

// Where Debian installs FreeDict's dictionaries; sociod's default.
inline constexpr char kDebianDictionaryDir[] = "/usr/share/dictd";

class Lexicon {
 public:
  // No language: English() finds nothing.
  Lexicon() = default;
  Lexicon(Lexicon&&) = default;
  Lexicon& operator=(Lexicon&&) = default;

  // Reads freedict-<xxx>-eng (and freedict-eng-<xxx> where present) below
  // `dir` for each of the five languages. A language whose dictionary is
  // missing is left out (see languages()); none at all is not an error.
  // DATA_LOSS naming the file when one is present but cannot be read or
  // decompressed.
  static absl::StatusOr<Lexicon> Load(const std::string& dir);

  // The common form of a word whose stem in `language` is `stem`, or "" when
  // the lexicon does not know it (English always: its words are their own
  // common form).
  absl::string_view English(TextLanguage language, absl::string_view stem) const;

  // The languages loaded (bit 1 << language; English is never set).
  TextLanguageSet languages() const { return languages_; }
  // Number of keys of `language`.
  size_t size(TextLanguage language) const { return maps_[language].size(); }
  // One line for the operator: which languages were loaded from where, with
  // their sizes, or that none was and text matches words of one language.
  const std::string& summary() const { return summary_; }
  // Equal for two lexicons that map every stem the same way (a hash of
  // their keys and common forms); 0 for an empty one.
  uint64_t fingerprint() const { return fingerprint_; }
  // Bytes held by the keys, common forms and tables, for the operator.
  size_t memory_bytes() const;

 private:
  // A possible common form of a key, with its votes.
  struct Candidate {
    std::string common;
    int votes;
  };
  using Candidates = absl::flat_hash_map<std::string, std::vector<Candidate>>;
  // Adds one dictionary's entries to `*candidates`; `reverse` for an
  // English-to-`language` one.
  absl::Status AddDictionary(TextLanguage language, const std::string& base, bool reverse,
                             Candidates* candidates);
  // Keeps for each key the common form with the most votes.
  void Resolve(TextLanguage language, const Candidates& candidates);
  // The index of `english` in commons_, added if new.
  uint32_t Common(absl::string_view english);

  // Keys and common forms live in arenas, so the maps hold views: blocks
  // that never move once allocated.
  absl::string_view Keep(absl::string_view text);

  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  std::vector<absl::string_view> commons_;
  absl::flat_hash_map<absl::string_view, uint32_t> common_index_;
  std::array<absl::flat_hash_map<absl::string_view, uint32_t>, kTextLanguageCount> maps_;
  TextLanguageSet languages_ = 0;
  std::string summary_ =
      "no bilingual lexicon (no dictionary directory): text matches words of the same "
      "language only";
  uint64_t fingerprint_ = 0;
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_LEXICON_H_
