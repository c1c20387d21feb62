// Places as members write them in their notes, in English, Spanish,
// Portuguese, German, French and Italian, each standing for the countries it
// lies in, all read from Debian's unicode-cldr-core and tzdata and folded
// (text_fold.h) so accents and case do not matter:
// - countries: every name CLDR gives a country in those locales
//   (main/<locale>.xml), with its short and variant forms ("Kanada");
// - regions: CLDR's names of the UN M49 regions and of the European Union,
//   standing for the countries supplementalData.xml's territory containment
//   puts in them ("Südamerika", "América Latina", "Europe", "Asia");
// - states and provinces: the first-level subdivisions of a country
//   (subdivisions/<locale>.xml, supplemental/subdivisions.xml: "Bayern",
//   "Kalifornien", "Ontario");
// - major cities: the exemplar cities of tzdata's zones (zone.tab, one
//   country per zone) in each locale (main/<locale>.xml) and in English from
//   the zone's own name ("São Paulo", "Mailand", "Chicago").
//
//   absl::StatusOr<PlaceNames> places = PlaceNames::Load(sources, countries);
//   places->CountriesIn("Suchen Importeur für Bio-Tee in Kanada");
//   // {countries.Index("CA")}
//
// A note is read for places only where a name cannot mean anything else:
// - names that are also common words or people's names in these languages
//   ("Turkey", "Chad", "Jordan", "Georgia", "Victoria", "La Paz", "Phoenix")
//   and names shorter than four letters ("UK", "USA", "EAU") are left out;
// - a name two places of the same kind share is left out ("Punjab", "La
//   Rioja"); a country's or region's name wins over a state's or city's
//   ("Puerto Rico" is PR, not a state of the US);
// - a state or city is read only where the note writes it with a capital
//   ("in Bayern", not "la montana");
// - a place directly after a word saying where someone comes from ("from",
//   "aus", "desde", "depuis") is skipped: "Hersteller aus Deutschland" names
//   no market.
//
// The same exemplar cities also give the time zone of a city
// (CityZone): "Chicago" is America/Chicago, "Ciudad de México" and "Mexico
// City" are America/Mexico_City.
//
// Immutable once loaded; thread-safe.
#ifndef SOCIO_REFERENCE_PLACE_NAMES_H_
#define SOCIO_REFERENCE_PLACE_NAMES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reference/country_catalog.h"

namespace socio::reference {

// The English city of an IANA zone, from its name: "America/Mexico_City" ->
// "Mexico City", "America/Argentina/Buenos_Aires" -> "Buenos Aires".
std::string CityOfZone(absl::string_view zone);

class PlaceNames {
 public:
  // What one name stands for.
  struct Place {
    std::vector<int> countries;  // catalog indices, ascending
    bool needs_capital;          // a state or city: read only when capitalised
  };

  // The locales whose names are read.
  static constexpr const char* kLocales[] = {"en", "es", "pt", "de", "fr", "it"};

  // Reads below sources.cldr_dir main/<locale>.xml and
  // subdivisions/<locale>.xml for each of kLocales,
  // supplemental/supplementalData.xml and supplemental/subdivisions.xml, and
  // sources.country_zone_tab, keeping the places of countries `countries`
  // knows. NOT_FOUND naming the file (and the Debian package) if one is
  // missing; DATA_LOSS if one does not parse.
  static absl::StatusOr<PlaceNames> Load(const CountryCatalog::Sources& sources,
                                         const CountryCatalog& countries);

  // Positions in the catalog (CountryCatalog::Index) of the countries `text`
  // names, directly or through a region, state or city, in order of first
  // mention (a region's countries in catalog order), each once. Whole words
  // only ("Indiana" does not name India); the longest name wins
  // ("Guinea-Bissau" is not Guinea).
  std::vector<int> CountriesIn(absl::string_view text) const;

  // Number of distinct folded names kept.
  size_t size() const { return names_.size(); }

  // The IANA zone whose exemplar city, in one of kLocales or in English from
  // the zone's own name, is `city` (compared folded, word by word, as
  // CountriesIn compares names; no name is left out as ambiguous here), among
  // the zones zone.tab files under country `country` (a CountryCatalog
  // index). nullptr if none is, or if two zones of the country share the name.
  const std::string* CityZone(int country, absl::string_view city) const;

 private:
  absl::flat_hash_map<std::string, Place> names_;  // folded name -> place
  // (country index, folded city) -> zone name; "" for a name two zones share.
  absl::flat_hash_map<std::pair<int, std::string>, std::string> city_zones_;
  int longest_ = 1;                                // words in the longest name
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_PLACE_NAMES_H_
