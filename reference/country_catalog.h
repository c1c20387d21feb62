// CountryCatalog: the world's countries as Socio knows them, loaded once from
// Debian's packages and never changed afterwards:
// - CLDR (unicode-cldr-core): English names (main/en.xml), alpha-3 codes
//   (supplementalData.xml codeMappings), UN M49 region and subregion
//   (territoryContainment), languages spoken in each territory with their
//   population share and official status (territoryInfo), language names;
// - tzdata: time zones and their coordinates per country (zone1970.tab), and
//   each country's principal zone at its own city (zone.tab).
//
//   absl::StatusOr<CountryCatalog> catalog = CountryCatalog::Load({});
//   const Country* mx = catalog->Find("MX");  // mx->name == "Mexico"
//
// A country is an ISO 3166-1 alpha-2 code: CLDR's two-letter territories that
// are not groupings (EU, UN, ...) and not CLDR's private or exceptional codes
// (AC, CP, DG, EA, IC, TA, XK, ZZ, ...).
//
// Thread safety: const methods may be called from any thread.
#ifndef SOCIO_REFERENCE_COUNTRY_CATALOG_H_
#define SOCIO_REFERENCE_COUNTRY_CATALOG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::reference {

struct LanguageShare {
  std::string code;         // ISO 639-1 ("es"); CLDR languages without one are left out
  double population_share;  // 0..1 of the territory's population that speaks it
  bool official;            // CLDR officialStatus "official" (or "de_facto_official")
};

struct TimeZone {
  std::string name;  // IANA name ("America/Mexico_City")
  double latitude;   // of the zone's principal city, degrees
  double longitude;
};

struct Country {
  std::string alpha2;                    // "MX"
  std::string alpha3;                    // "MEX"
  std::string name;                      // English, from CLDR: "Mexico"
  std::string region_code;               // UN M49 region: "019"
  std::string region;                    // "Americas"
  std::string subregion_code;            // UN M49 subregion: "013"
  std::string subregion;                 // "Central America"
  std::vector<LanguageShare> languages;  // largest share first
  // From zone1970.tab: the zones listing this country first, then those it
  // shares (DE: Europe/Berlin, then CH,DE,LI's Europe/Zurich), each in file
  // order. May be empty (BV).
  std::vector<TimeZone> time_zones;
  // Where the country does business: the zone of its capital or main
  // commercial city, with that city's own coordinates, from tzdata's
  // zone.tab (zone1970.tab files many countries under a neighbour's city:
  // Norway under Berlin, Iceland under Abidjan). The first zone.tab entry of
  // the country, or for a few large countries the one named in
  // country_catalog.cc (Moscow, Toronto, Sydney, São Paulo, ...). nullopt where
  // tzdata has none (BV, HM).
  std::optional<TimeZone> principal_zone;
  // Every zone tzdata's zone.tab files under this country, with the
  // coordinates of its own city, in file order (DE: Europe/Berlin,
  // Europe/Busingen). Empty where tzdata has none.
  std::vector<TimeZone> local_zones;
};

class CountryCatalog {
 public:
  struct Sources {
    // Default: Debian's unicode-cldr-core.
    std::string cldr_dir = "/usr/share/unicode/cldr/common";
    // Default: Debian's tzdata.
    std::string zone_tab = "/usr/share/zoneinfo/zone1970.tab";
    // Default: Debian's tzdata; one line per country and zone, with the
    // country's own city. Gives principal_zone.
    std::string country_zone_tab = "/usr/share/zoneinfo/zone.tab";
  };

  // NOT_FOUND naming the file if a source is missing (with the Debian package
  // to install); DATA_LOSS if one does not parse.
  static absl::StatusOr<CountryCatalog> Load(const Sources& sources);

  // Every country, ordered by alpha-2 code. Index() of a country is its
  // position here, dense, for pair tables.
  const std::vector<Country>& countries() const { return countries_; }
  // nullptr if `alpha2` is not a country; codes are exact ("mx" is not one).
  const Country* Find(absl::string_view alpha2) const;
  // Position in countries(), or -1.
  int Index(absl::string_view alpha2) const;

  // True for an ISO 639-1 code CLDR names ("es"); false otherwise.
  bool IsLanguage(absl::string_view code) const;
  // English name of a language ("Spanish"), or "" if unknown.
  std::string LanguageName(absl::string_view code) const;

  // A likely meant country code for a wrong one, or "" if none is close:
  // "mx" -> "MX", "MEX" -> "MX", "Mexico" -> "MX", "UK" -> "GB".
  std::string SuggestCountry(absl::string_view wrong) const;
  // Likewise for languages: "ES" -> "es", "spa" -> "es", "Spanish" -> "es".
  std::string SuggestLanguage(absl::string_view wrong) const;

 private:
  std::vector<Country> countries_;
  absl::flat_hash_map<std::string, int> index_;
  absl::flat_hash_map<std::string, std::string> language_names_;  // ISO 639-1 -> English
  absl::flat_hash_map<std::string, std::string> country_hints_;   // lower-case alias -> alpha-2
  absl::flat_hash_map<std::string, std::string> language_hints_;  // lower-case alias -> code
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_COUNTRY_CATALOG_H_
