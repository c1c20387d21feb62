#include "reference/place_names.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "pugixml.hpp"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

// Folded names that are also everyday words, first names or surnames in one
// of the locales read, or places of the same name elsewhere, so a note using
// them means something else as often as not. Countries first, then states
// and cities (exemplar cities of tzdata's zones and first-level
// subdivisions) found by reading CLDR's lists against the six languages.
constexpr absl::string_view kAmbiguous[] = {
    // countries
    "turkey",
    "chad",
    "jordan",
    "georgia",
    "jersey",
    "guernsey",
    "guinea",
    "niger",
    // points of the compass and other words used as region names
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "norte",
    "sur",
    "sul",
    "este",
    "leste",
    "oeste",
    "nord",
    "sud",
    "ouest",
    "ovest",
    "central",
    "centre",
    "center",
    "capital",
    "oriental",
    "occidental",
    "littoral",
    "maritime",
    "plateau",
    "plateaux",
    "atlantique",
    "atlantico",
    "collines",
    "lacs",
    "savanes",
    "lagunes",
    "union",
    "libertad",
    "la libertad",
    "independencia",
    "esperanza",
    "progreso",
    "concepcion",
    // cities and states that are everyday words or names in these languages
    "phoenix",
    "nome",
    "lagos",
    "bahia",
    "fortaleza",
    "boa vista",
    "campo grande",
    "la paz",
    "asuncion",
    "antigua",
    "regina",
    "easter",
    "wake",
    "christmas",
    "cocos",
    "reunion",
    "resolute",
    "troll",
    "cayenne",
    "darwin",
    "perth",
    "santiago",
    "cordoba",
    "merida",
    "chihuahua",
    "matamoros",
    "chatham",
    "lord howe",
    "vostok",
    "casey",
    "davis",
    "palmer",
    "nassau",
    "victoria",
    "dominica",
    "montserrat",
    "salta",
    "mendoza",
    "belem",
    "tripoli",
    "juba",
    "marengo",
    "knox",
    "beulah",
    "petersburg",
    "vincennes",
    "dawson",
    "creston",
    "thule",
    "halifax",
    "kingston",
    "georgetown",
    "hamilton",
    "lima",
    "loreto",
    "san martin",
    "midway",
    "johnston",
    "macquarie",
    "mayo",
    "colon",
    "muscat",
    "male",
    "acre",
    "espirito santo",
    "nevada",
    "montana",
    "virginia",
    "guerrero",
    "hidalgo",
    "sonora",
    "tabasco",
    "marche",
    "porto",
    "faro",
    "guarda",
    "madeira",
    "los lagos",
    "los rios",
    "magdalena",
    "santander",
    "meta",
    "cesar",
    "choco",
    "misiones",
    "chaco",
    "corrientes",
    "formosa",
    "rio negro",
    "santa cruz",
    "san luis",
    "san juan",
    "miranda",
    "lara",
    "falcon",
    "trujillo",
    "portuguesa",
    "vargas",
    "el oro",
    "esmeraldas",
    "santa elena",
    "alberta",
    "carolina",
    "washington",
    "florida",
    "colorado",
    "santa catarina",
    "goias",
    "amazonas",
    "bolivar",
    "sucre",
    "distrito federal",
    "norfolk",
    "bermuda",
    "granada",
    "valle",
    "distrito capital",
    "la union",
    "paraiso",
};
// Words that say where someone comes from: a place right after one is where
// the member is, not where it wants to go.
constexpr absl::string_view kOriginWords[] = {"from", "aus", "desde", "depuis"};
constexpr size_t kShortest = 4;

bool IsAmbiguous(absl::string_view name) {
  return std::find(std::begin(kAmbiguous), std::end(kAmbiguous), name) != std::end(kAmbiguous);
}

// A word of a text: folded, and whether it was written with a capital.
struct Word {
  std::string folded;
  bool capital;
};

// The words of `text`: runs of ASCII letters and digits and of bytes >= 0x80,
// as FoldedWords splits them.
std::vector<Word> WordsOf(absl::string_view text) {
  std::vector<Word> words;
  size_t start = 0;
  const auto flush = [&](size_t end) {
    if (end > start) {
      const absl::string_view raw = text.substr(start, end - start);
      const unsigned char first = static_cast<unsigned char>(raw[0]);
      const unsigned char second = raw.size() > 1 ? static_cast<unsigned char>(raw[1]) : 0;
      // A-Z, or a Latin-1 capital (U+00C0..U+00DE, UTF-8 C3 80..9E).
      const bool capital = absl::ascii_isupper(first) || (first == 0xC3 && second <= 0x9E);
      words.push_back({FoldLatin(raw), capital});
    }
    start = end + 1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!absl::ascii_isalnum(c) && c < 0x80) flush(i);
  }
  flush(text.size());
  return words;
}

// `text`'s words, folded, joined by single spaces ("Ciudad de México" ->
// "ciudad de mexico").
std::string FoldedName(absl::string_view text) {
  std::vector<std::string> words;
  for (Word& word : WordsOf(text)) words.push_back(std::move(word.folded));
  return absl::StrJoin(words, " ");
}

absl::Status LoadXml(const std::string& path, pugi::xml_document* doc) {
  const pugi::xml_parse_result parsed = doc->load_file(path.c_str());
  if (parsed.status == pugi::status_file_not_found || parsed.status == pugi::status_io_error) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read (install Debian's unicode-cldr-core)"));
  }
  if (!parsed) {
    return absl::DataLossError(absl::StrCat(path, ": does not parse: ", parsed.description()));
  }
  return absl::OkStatus();
}

// Collects names, keeping a country's or region's over a state's or city's
// and dropping a name two places of the same kind share.
class NameCollector {
 public:
  void Add(absl::string_view written, std::vector<int> countries, bool needs_capital) {
    if (countries.empty()) return;
    const std::string name = FoldedName(written);
    if (name.size() < kShortest || IsAmbiguous(name)) return;
    std::sort(countries.begin(), countries.end());
    countries.erase(std::unique(countries.begin(), countries.end()), countries.end());
    auto [it, inserted] = names_.try_emplace(name, PlaceNames::Place{countries, needs_capital});
    if (!inserted) {
      PlaceNames::Place& place = it->second;
      if (place.needs_capital && !needs_capital) {
        place = {std::move(countries), false};  // a country's name wins
        shared_.erase(name);
      } else if (place.needs_capital == needs_capital && place.countries != countries) {
        shared_.insert(name);
      }
    }
    longest_ = std::max(longest_, 1 + static_cast<int>(absl::c_count(name, ' ')));
  }

  absl::flat_hash_map<std::string, PlaceNames::Place> Take(int* longest) {
    for (const std::string& name : shared_) names_.erase(name);
    *longest = longest_;
    return std::move(names_);
  }

 private:
  absl::flat_hash_map<std::string, PlaceNames::Place> names_;
  absl::flat_hash_set<std::string> shared_;
  int longest_ = 1;
};

// The countries of each region or grouping CLDR's territory containment
// names ("150" Europe, "419" Latin America, "EU"), expanded to the catalog's
// countries.
absl::StatusOr<absl::flat_hash_map<std::string, std::vector<int>>> RegionCountries(
    const std::string& cldr_dir, const CountryCatalog& countries) {
  const std::string path = absl::StrCat(cldr_dir, "/supplemental/supplementalData.xml");
  pugi::xml_document doc;
  if (absl::Status s = LoadXml(path, &doc); !s.ok()) return s;
  absl::flat_hash_map<std::string, std::vector<std::string>> contains;
  for (pugi::xml_node group :
       doc.child("supplementalData").child("territoryContainment").children("group")) {
    if (absl::string_view(group.attribute("status").as_string()) == "deprecated") continue;
    std::vector<std::string>& members = contains[group.attribute("type").as_string()];
    for (absl::string_view code :
         absl::StrSplit(group.attribute("contains").as_string(), ' ', absl::SkipEmpty())) {
      members.emplace_back(code);
    }
  }
  if (contains.empty())
    return absl::DataLossError(absl::StrCat(path, ": no territory containment"));
  absl::flat_hash_map<std::string, std::vector<int>> regions;
  for (const auto& [code, unused] : contains) {
    // Regions are numeric (M49); of the groupings only the European Union
    // is a market people name. The world is no market.
    if (code == "001" || (code != "EU" && !absl::ascii_isdigit(code[0]))) continue;
    std::vector<int>& in = regions[code];
    std::vector<std::string> pending = {code};
    for (int guard = 0; !pending.empty() && guard < 10000; ++guard) {
      const std::string next = std::move(pending.back());
      pending.pop_back();
      if (const int index = countries.Index(next); index >= 0) {
        in.push_back(index);
      } else if (auto it = contains.find(next); it != contains.end()) {
        pending.insert(pending.end(), it->second.begin(), it->second.end());
      }
    }
  }
  return regions;
}

// The country of each first-level subdivision code ("deby" -> DE).
absl::StatusOr<absl::flat_hash_map<std::string, int>> FirstLevelSubdivisions(
    const std::string& cldr_dir, const CountryCatalog& countries) {
  const std::string path = absl::StrCat(cldr_dir, "/supplemental/subdivisions.xml");
  pugi::xml_document doc;
  if (absl::Status s = LoadXml(path, &doc); !s.ok()) return s;
  absl::flat_hash_map<std::string, int> country_of;
  for (pugi::xml_node group :
       doc.child("supplementalData").child("subdivisionContainment").children("subgroup")) {
    const int index = countries.Index(group.attribute("type").as_string());
    if (index < 0) continue;  // a subdivision's own subdivisions, or no country
    for (absl::string_view code :
         absl::StrSplit(group.attribute("contains").as_string(), ' ', absl::SkipEmpty())) {
      country_of.emplace(code, index);
    }
  }
  if (country_of.empty()) return absl::DataLossError(absl::StrCat(path, ": no subdivisions"));
  return country_of;
}

// The country of each zone in tzdata's zone.tab ("Europe/Berlin" -> DE).
absl::StatusOr<absl::flat_hash_map<std::string, int>> ZoneCountries(
    const std::string& path, const CountryCatalog& countries) {
  std::ifstream in(path);
  if (!in)
    return absl::NotFoundError(absl::StrCat(path, ": cannot read (install Debian's tzdata)"));
  absl::flat_hash_map<std::string, int> zones;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<absl::string_view> cells = absl::StrSplit(line, '\t');
    if (cells.size() < 3) continue;
    if (const int index = countries.Index(cells[0]); index >= 0) zones.emplace(cells[2], index);
  }
  if (zones.empty()) return absl::DataLossError(absl::StrCat(path, ": no zones"));
  return zones;
}

}  // namespace

absl::StatusOr<PlaceNames> PlaceNames::Load(const CountryCatalog::Sources& sources,
                                            const CountryCatalog& countries) {
  const std::string& cldr_dir = sources.cldr_dir;
  std::vector<pugi::xml_document> mains(std::size(kLocales));
  for (size_t i = 0; i < std::size(kLocales); ++i) {
    const std::string path = absl::StrCat(cldr_dir, "/main/", kLocales[i], ".xml");
    if (absl::Status s = LoadXml(path, &mains[i]); !s.ok()) return s;
    if (!mains[i].child("ldml").child("localeDisplayNames").child("territories")) {
      return absl::DataLossError(absl::StrCat(path, ": no territory names"));
    }
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::vector<int>>> regions =
      RegionCountries(cldr_dir, countries);
  if (!regions.ok()) return regions.status();
  absl::StatusOr<absl::flat_hash_map<std::string, int>> subdivisions =
      FirstLevelSubdivisions(cldr_dir, countries);
  if (!subdivisions.ok()) return subdivisions.status();
  absl::StatusOr<absl::flat_hash_map<std::string, int>> zones =
      ZoneCountries(sources.country_zone_tab, countries);
  if (!zones.ok()) return zones.status();

  PlaceNames places;
  const auto add_city_zone = [&](absl::string_view city, const std::string& zone, int country) {
    std::string key = FoldedName(city);
    if (key.empty()) return;
    auto [it, inserted] = places.city_zones_.try_emplace({country, std::move(key)}, zone);
    if (!inserted && it->second != zone) it->second.clear();  // two zones share the name
  };

  NameCollector names;
  for (const pugi::xml_document& doc : mains) {
    for (pugi::xml_node entry :
         doc.child("ldml").child("localeDisplayNames").child("territories").children("territory")) {
      const std::string code = entry.attribute("type").as_string();
      if (const int index = countries.Index(code); index >= 0) {
        names.Add(entry.child_value(), {index}, /*needs_capital=*/false);
      } else if (auto it = regions->find(code); it != regions->end()) {
        names.Add(entry.child_value(), it->second, /*needs_capital=*/false);
      }
    }
  }
  for (const pugi::xml_document& doc : mains) {
    for (pugi::xml_node zone :
         doc.child("ldml").child("dates").child("timeZoneNames").children("zone")) {
      auto it = zones->find(zone.attribute("type").as_string());
      if (it == zones->end() || !zone.child("exemplarCity")) continue;
      names.Add(zone.child("exemplarCity").child_value(), {it->second}, /*needs_capital=*/true);
      add_city_zone(zone.child("exemplarCity").child_value(), it->first, it->second);
    }
  }
  for (const auto& [zone, index] : *zones) {
    // English: the zone's own name ("America/Sao_Paulo": "Sao Paulo").
    const std::string written = CityOfZone(zone);
    names.Add(written, {index}, /*needs_capital=*/true);
    add_city_zone(written, zone, index);
  }
  for (const char* locale : kLocales) {
    const std::string path = absl::StrCat(cldr_dir, "/subdivisions/", locale, ".xml");
    pugi::xml_document doc;
    if (absl::Status s = LoadXml(path, &doc); !s.ok()) return s;
    for (pugi::xml_node entry : doc.child("ldml")
                                    .child("localeDisplayNames")
                                    .child("subdivisions")
                                    .children("subdivision")) {
      auto it = subdivisions->find(entry.attribute("type").as_string());
      if (it == subdivisions->end()) continue;
      names.Add(entry.child_value(), {it->second}, /*needs_capital=*/true);
    }
  }
  places.names_ = names.Take(&places.longest_);
  if (places.names_.empty()) {
    return absl::DataLossError(absl::StrCat(cldr_dir, "/main: no country names"));
  }
  return places;
}

std::string CityOfZone(absl::string_view zone) {
  const size_t slash = zone.rfind('/');
  return absl::StrReplaceAll(slash == absl::string_view::npos ? zone : zone.substr(slash + 1),
                             {{"_", " "}});
}

const std::string* PlaceNames::CityZone(int country, absl::string_view city) const {
  auto it = city_zones_.find(std::make_pair(country, FoldedName(city)));
  if (it == city_zones_.end() || it->second.empty()) return nullptr;
  return &it->second;
}

std::vector<int> PlaceNames::CountriesIn(absl::string_view text) const {
  std::vector<int> found;
  const std::vector<Word> words = WordsOf(text);
  for (size_t start = 0; start < words.size();) {
    size_t taken = 0;
    for (size_t n = std::min<size_t>(longest_, words.size() - start); n >= 1; --n) {
      std::string candidate = words[start].folded;
      for (size_t k = 1; k < n; ++k) absl::StrAppend(&candidate, " ", words[start + k].folded);
      auto it = names_.find(candidate);
      if (it == names_.end()) continue;
      const Place& place = it->second;
      if (place.needs_capital && !words[start].capital) continue;
      taken = n;
      const bool origin = start > 0 && std::find(std::begin(kOriginWords), std::end(kOriginWords),
                                                 words[start - 1].folded) != std::end(kOriginWords);
      if (origin) break;
      for (int index : place.countries) {
        if (std::find(found.begin(), found.end(), index) == found.end()) found.push_back(index);
      }
      break;
    }
    start += taken > 0 ? taken : 1;
  }
  return found;
}

}  // namespace socio::reference
