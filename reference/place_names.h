// Country names as members write them in their notes, in English, Spanish,
// Portuguese, German, French and Italian: every name CLDR gives a country in
// those locales (Debian's unicode-cldr-core, main/<locale>.xml), with its
// short and variant forms, folded (text_fold.h) so accents and case do not
// matter. Used to read the markets an objective's note names when the
// objective gives none.
//
//   absl::StatusOr<PlaceNames> places = PlaceNames::Load(cldr_dir, countries);
//   places->CountriesIn("Suchen Importeur für Bio-Tee in Kanada");
//   // {countries.Index("CA")}
//
// Names that are also common words or people's names in these languages
// ("Turkey", "Chad", "Jordan", "Georgia", "Jersey") and names shorter than
// four letters ("UK", "USA", "EAU") are left out: a note is read for markets
// only where a name cannot mean anything else. A name two countries share
// is left out too.
//
// Immutable once loaded; thread-safe.
#ifndef SOCIO_REFERENCE_PLACE_NAMES_H_
#define SOCIO_REFERENCE_PLACE_NAMES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reference/country_catalog.h"

namespace socio::reference {

class PlaceNames {
 public:
  // The locales whose names are read.
  static constexpr const char* kLocales[] = {"en", "es", "pt", "de", "fr", "it"};

  // Reads main/<locale>.xml below `cldr_dir` for each of kLocales, keeping
  // the names of countries `countries` knows. NOT_FOUND naming the file (and
  // the Debian package) if one is missing; DATA_LOSS if one does not parse.
  static absl::StatusOr<PlaceNames> Load(const std::string& cldr_dir,
                                         const CountryCatalog& countries);

  // Positions in the catalog (CountryCatalog::Index) of the countries `text`
  // names, in order of first mention, each once. Whole words only ("Indiana"
  // does not name India); the longest name wins ("Guinea-Bissau" is not
  // Guinea).
  std::vector<int> CountriesIn(absl::string_view text) const;

  // Number of distinct folded names kept.
  size_t size() const { return names_.size(); }

 private:
  absl::flat_hash_map<std::string, int> names_;  // folded name -> catalog index
  int longest_ = 1;                              // words in the longest name
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_PLACE_NAMES_H_
