// ReferenceData: everything Socio validates and scores against, loaded once
// at start-up and shared, immutable, by storage validation, the matcher and
// the CLI:
//
//   absl::StatusOr<std::shared_ptr<const ReferenceData>> ref = ReferenceData::Load({});
//   (*ref)->countries().Find("MX");
//   (*ref)->sectors().Canonical("C10.84");
//   (*ref)->pairs().Closeness(a, b);
//
// Countries, languages and time zones come from Debian's packages (see
// country_catalog.h); NACE Rev. 2 is built in at all four levels (an
// optional catalog CSV replaces its groups and classes); Hofstede's dimensions
// come only from a CSV the operator names, as do travel times between places. Without it, culture
// closeness uses shared languages, regions and working-hour overlap only. The bilingual lexicon
// comes from the FreeDict dictionaries in the directory the operator names (see lexicon.h); without
// it, text matches words of one language only.
#ifndef SOCIO_REFERENCE_REFERENCE_DATA_H_
#define SOCIO_REFERENCE_REFERENCE_DATA_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "reference/country_catalog.h"
#include "reference/country_pairs.h"
#include "reference/culture.h"
#include "reference/lexicon.h"
#include "reference/nace.h"
#include "reference/place_names.h"
#include "reference/product_sectors.h"
#include "reference/travel_times.h"

namespace socio::reference {

struct ReferenceOptions {
  CountryCatalog::Sources sources;
  // A NACE Rev. 2 catalog CSV (the columns of Eurostat's list); "" for the
  // built-in table.
  std::string nace_catalog_csv;
  // Hofstede's six dimensions per country as CSV; "" for none.
  std::string hofstede_csv;
  // The operator's travel times between places as CSV (travel_times.h); ""
  // for none.
  std::string travel_times_csv;
  // Where FreeDict's dictd files are (Debian: /usr/share/dictd); "" for no
  // bilingual lexicon. Dictionaries missing there are no error: their
  // languages are left out, as lexicon().summary() says.
  std::string dictionary_dir;
};

class ReferenceData {
 public:
  // Errors name the file that is missing or bad.
  static absl::StatusOr<std::shared_ptr<const ReferenceData>> Load(const ReferenceOptions& options);

  const CountryCatalog& countries() const { return countries_; }
  const NaceCatalog& sectors() const { return sectors_; }
  // nullptr when no Hofstede file was given.
  const HofstedeScores* hofstede() const { return hofstede_ ? &*hofstede_ : nullptr; }
  // nullptr when no travel times file was given.
  const TravelTimeTable* travel_times() const { return travel_times_ ? &*travel_times_ : nullptr; }
  const CountryPairs& pairs() const { return pairs_; }
  // Country names in six languages, to read the markets a note names.
  const PlaceNames& places() const { return places_; }
  // Words of five languages mapped to English; empty without
  // dictionary_dir. Its summary() is the line to show the operator.
  const Lexicon& lexicon() const { return lexicon_; }
  // Products named in text, mapped to the NACE codes of sectors().
  const ProductSectors& products() const { return products_; }

 private:
  ReferenceData() = default;

  CountryCatalog countries_;
  NaceCatalog sectors_;
  std::optional<HofstedeScores> hofstede_;
  std::optional<TravelTimeTable> travel_times_;
  CountryPairs pairs_;
  PlaceNames places_;
  Lexicon lexicon_;
  ProductSectors products_;
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_REFERENCE_DATA_H_
