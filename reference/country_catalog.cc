#include "reference/country_catalog.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "pugixml.hpp"

namespace socio::reference {
namespace {

constexpr absl::string_view kCldrPackage = "unicode-cldr-core";
constexpr absl::string_view kTzdataPackage = "tzdata";

// What people call countries that neither CLDR's English names nor its
// territory aliases ("UK", "USA", "MEX", "484", ...) cover.
constexpr std::pair<absl::string_view, absl::string_view> kCountryNicknames[] = {
    {"england", "GB"},
    {"scotland", "GB"},
    {"wales", "GB"},
    {"northern ireland", "GB"},
    {"great britain", "GB"},
    {"britain", "GB"},
    {"america", "US"},
    {"united states of america", "US"},
    {"holland", "NL"},
    {"vatican", "VA"},
    {"macedonia", "MK"},
    {"burma", "MM"},
    {"korea", "KR"},
    {"turkiye", "TR"},
    {"russian federation", "RU"},
    {"uae", "AE"},
    {"aland", "AX"},
    {"bonaire", "BQ"},
    {"democratic republic of congo", "CD"},
    {"dr congo", "CD"},
    {"drc", "CD"},
    {"republic of congo", "CG"},
    {"heard island and mcdonald islands", "HM"},
    {"united states minor outlying islands", "UM"},
    {"us minor outlying islands", "UM"},
};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// The whole file; NOT_FOUND naming the Debian package that provides it.
absl::StatusOr<std::string> ReadSource(const std::string& path, absl::string_view package) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat(path, " not found; install Debian's ", package, " package"));
    }
    return absl::ErrnoToStatus(error, absl::StrCat("cannot open ", path));
  }
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
  }
  return text;
}

absl::Status LoadXml(const std::string& path, pugi::xml_document& doc) {
  absl::StatusOr<std::string> text = ReadSource(path, kCldrPackage);
  if (!text.ok()) return text.status();
  const pugi::xml_parse_result parsed = doc.load_buffer(text->data(), text->size());
  if (!parsed) {
    return absl::DataLossError(absl::StrCat(path, ": not well-formed XML at byte ", parsed.offset,
                                            ": ", parsed.description()));
  }
  return absl::OkStatus();
}

// The child reached by `names` from `node`, or DATA_LOSS naming the path.
absl::StatusOr<pugi::xml_node> Descend(pugi::xml_node node,
                                       std::initializer_list<const char*> names,
                                       const std::string& path) {
  for (const char* name : names) {
    node = node.child(name);
    if (!node) {
      return absl::DataLossError(
          absl::StrCat(path, ": no <", name, "> in ", absl::StrJoin(names, "/")));
    }
  }
  return node;
}

bool IsAlpha2(absl::string_view code) {
  return code.size() == 2 && absl::ascii_isupper(code[0]) && absl::ascii_isupper(code[1]);
}

bool IsIso639_1(absl::string_view code) {
  return code.size() == 2 && absl::ascii_islower(code[0]) && absl::ascii_islower(code[1]);
}

// ISO 3166-1 leaves AA, QM-QZ, XA-XZ and ZZ to users; CLDR uses them for
// Outlying Oceania (QO), Kosovo (XK), pseudo-locales (XA, XB) and Unknown (ZZ).
bool IsUserAssigned(absl::string_view alpha2) {
  return alpha2 == "AA" || alpha2 == "ZZ" || alpha2[0] == 'X' ||
         (alpha2[0] == 'Q' && alpha2[1] >= 'M');
}

// Latin-1 letters U+00C0..U+00FF (UTF-8 C3 80..C3 BF) without accents.
constexpr absl::string_view kLatin1Folded =
    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";

// The form aliases are stored and looked up in, so that "Sao Tome and
// Principe" finds "São Tomé & Príncipe" and "Saint Lucia" "St. Lucia": ASCII
// lower case, accents and punctuation gone, "&" spelt "and", "St" spelt
// "saint", no "the", single spaces. Underscores stay, for locales ("zh_Hant").
std::string HintKey(absl::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
      folded.push_back(absl::ascii_tolower(kLatin1Folded[next - 0x80]));
      ++i;
    } else if (text.substr(i, 3) == "\xE2\x80\x99") {  // Right single quotation mark.
      i += 2;
    } else if (c == '.' || c == '\'') {
      continue;
    } else if (c == '&') {
      folded += " and ";
    } else if (absl::ascii_isspace(c) || c == ',' || c == '(' || c == ')' || c == '-') {
      folded.push_back(' ');
    } else {
      folded.push_back(absl::ascii_tolower(c));
    }
  }
  const std::vector<absl::string_view> words = absl::StrSplit(folded, ' ', absl::SkipEmpty());
  std::string key;
  for (absl::string_view word : words) {
    if (word == "the") continue;
    if (word == "st" && words.size() > 1) word = "saint";  // Alone, "ST" is São Tomé.
    absl::StrAppend(&key, key.empty() ? "" : " ", word);
  }
  return key;
}

// ISO 6709 as zone1970.tab writes it, sign included: +DDMM or +DDMMSS for a
// latitude (degree_digits 2), +DDDMM or +DDDMMSS for a longitude (3).
std::optional<double> ParseAngle(absl::string_view text, size_t degree_digits, int max_degrees) {
  if (text.empty() || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const absl::string_view digits = text.substr(1);
  if (digits.size() != degree_digits + 2 && digits.size() != degree_digits + 4) return std::nullopt;
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const auto number = [digits](size_t pos, size_t len) {
    int value = 0;
    for (char c : digits.substr(pos, len)) value = value * 10 + (c - '0');
    return value;
  };
  const int degrees = number(0, degree_digits);
  const int minutes = number(degree_digits, 2);
  const int seconds = digits.size() > degree_digits + 2 ? number(degree_digits + 2, 2) : 0;
  if (minutes >= 60 || seconds >= 60) return std::nullopt;
  const double value = degrees + minutes / 60.0 + seconds / 3600.0;
  if (value > max_degrees) return std::nullopt;
  return text[0] == '-' ? -value : value;
}

std::optional<std::pair<double, double>> ParseCoordinates(absl::string_view text) {
  const size_t longitude_start = text.find_first_of("+-", 1);
  if (longitude_start == absl::string_view::npos) return std::nullopt;
  const std::optional<double> latitude = ParseAngle(text.substr(0, longitude_start), 2, 90);
  const std::optional<double> longitude = ParseAngle(text.substr(longitude_start), 3, 180);
  if (!latitude || !longitude) return std::nullopt;
  return std::make_pair(*latitude, *longitude);
}

// English display names from main/en.xml.
struct EnglishNames {
  absl::flat_hash_map<std::string, std::string> territories;  // code -> name
  absl::flat_hash_map<std::string, std::string> languages;    // CLDR code -> name
  // Short and variant names ("UK", "Czech Republic", "Azeri"): suggestions only.
  std::vector<std::pair<std::string, std::string>> territory_alternates;  // (code, name)
  std::vector<std::pair<std::string, std::string>> language_alternates;
};

absl::StatusOr<EnglishNames> LoadEnglishNames(const std::string& path) {
  pugi::xml_document doc;
  if (absl::Status status = LoadXml(path, doc); !status.ok()) return status;
  absl::StatusOr<pugi::xml_node> names = Descend(doc, {"ldml", "localeDisplayNames"}, path);
  if (!names.ok()) return names.status();

  EnglishNames english;
  const auto collect = [](pugi::xml_node list, const char* element,
                          absl::flat_hash_map<std::string, std::string>& primary,
                          std::vector<std::pair<std::string, std::string>>& alternates) {
    for (pugi::xml_node entry : list.children(element)) {
      std::string code = entry.attribute("type").as_string();
      std::string name = entry.child_value();
      if (code.empty() || name.empty()) continue;
      if (entry.attribute("alt")) {
        alternates.emplace_back(std::move(code), std::move(name));
      } else {
        primary.emplace(std::move(code), std::move(name));
      }
    }
  };
  collect(names->child("territories"), "territory", english.territories,
          english.territory_alternates);
  collect(names->child("languages"), "language", english.languages, english.language_alternates);
  if (english.territories.empty() || english.languages.empty()) {
    return absl::DataLossError(absl::StrCat(path, ": no territory or language names"));
  }
  return english;
}

// What supplemental/supplementalData.xml says about territories.
struct TerritoryData {
  struct Codes {
    std::string alpha3;
    std::string numeric;
  };
  struct Spoken {
    std::string language;  // CLDR code, possibly with a script ("uz_Arab")
    double percent;
    bool official;
  };
  absl::flat_hash_map<std::string, Codes> codes;
  // Members of each group, from the groups without a status (not deprecated,
  // not a grouping such as EU or UN).
  absl::flat_hash_map<std::string, std::vector<std::string>> members;
  absl::flat_hash_map<std::string, std::vector<Spoken>> spoken;
};

absl::StatusOr<TerritoryData> LoadTerritoryData(const std::string& path) {
  pugi::xml_document doc;
  if (absl::Status status = LoadXml(path, doc); !status.ok()) return status;
  absl::StatusOr<pugi::xml_node> root = Descend(doc, {"supplementalData"}, path);
  if (!root.ok()) return root.status();

  TerritoryData data;
  for (pugi::xml_node entry : root->child("codeMappings").children("territoryCodes")) {
    data.codes.emplace(entry.attribute("type").as_string(),
                       TerritoryData::Codes{.alpha3 = entry.attribute("alpha3").as_string(),
                                            .numeric = entry.attribute("numeric").as_string()});
  }
  for (pugi::xml_node group : root->child("territoryContainment").children("group")) {
    if (group.attribute("status")) continue;
    std::vector<std::string>& members = data.members[group.attribute("type").as_string()];
    for (absl::string_view member :
         absl::StrSplit(group.attribute("contains").as_string(), ' ', absl::SkipEmpty())) {
      members.emplace_back(member);
    }
  }
  for (pugi::xml_node territory : root->child("territoryInfo").children("territory")) {
    const char* code = territory.attribute("type").as_string();
    std::vector<TerritoryData::Spoken>& spoken = data.spoken[code];
    for (pugi::xml_node language : territory.children("languagePopulation")) {
      const absl::string_view type = language.attribute("type").as_string();
      const absl::string_view percent_text = language.attribute("populationPercent").as_string();
      double percent;
      if (!absl::SimpleAtod(percent_text, &percent) || percent < 0) {
        return absl::DataLossError(absl::StrCat(path, ": territory ", code, ", language ", type,
                                                ": bad populationPercent \"", percent_text, "\""));
      }
      const absl::string_view status = language.attribute("officialStatus").as_string();
      spoken.push_back({.language = std::string(type),
                        .percent = percent,
                        .official = status == "official" || status == "de_facto_official"});
    }
  }
  if (data.codes.empty() || data.members.empty()) {
    return absl::DataLossError(absl::StrCat(path, ": no codeMappings or territoryContainment"));
  }
  return data;
}

// The languages of a territory by ISO 639-1 code: script and region variants
// ("zh_Hant") count for their base language, whose shares they add to.
std::vector<LanguageShare> LanguageShares(
    const std::vector<TerritoryData::Spoken>& spoken,
    const absl::flat_hash_map<std::string, std::string>& language_names) {
  std::vector<LanguageShare> shares;
  for (const TerritoryData::Spoken& entry : spoken) {
    const absl::string_view base =
        absl::string_view(entry.language)
            .substr(0, std::min(entry.language.find('_'), entry.language.size()));
    if (!language_names.contains(base)) continue;
    auto it = std::find_if(shares.begin(), shares.end(),
                           [base](const LanguageShare& share) { return share.code == base; });
    if (it == shares.end()) {
      shares.push_back({.code = std::string(base), .population_share = 0, .official = false});
      it = shares.end() - 1;
    }
    it->population_share = std::min(1.0, it->population_share + entry.percent / 100);
    it->official = it->official || entry.official;
  }
  std::sort(shares.begin(), shares.end(), [](const LanguageShare& a, const LanguageShare& b) {
    if (a.population_share != b.population_share) return a.population_share > b.population_share;
    return a.code < b.code;
  });
  return shares;
}

// One line of a tzdata zone table: the countries it is for and the zone.
struct ZoneTabLine {
  std::vector<absl::string_view> countries;  // alpha-2 codes, into the file's text
  TimeZone zone;
};

// Parses zone1970.tab or zone.tab: "codes<TAB>ISO 6709 coordinates<TAB>zone
// name[<TAB>comments]", codes comma-separated (zone.tab has one per line).
// DATA_LOSS naming the line for a malformed one.
absl::StatusOr<std::vector<ZoneTabLine>> ParseZoneTab(const std::string& path,
                                                      absl::string_view text) {
  std::vector<ZoneTabLine> lines;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripSuffix(line, "\r");
    if (line.empty() || line[0] == '#') continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    const auto bad_line = [&](absl::string_view what) {
      return absl::DataLossError(
          absl::StrCat(path, ": line ", line_number, ": ", what, " in \"", line, "\""));
    };
    if (fields.size() < 3 || fields[2].empty()) {
      return bad_line("expected country codes, coordinates and a zone name");
    }
    const std::optional<std::pair<double, double>> coordinates = ParseCoordinates(fields[1]);
    if (!coordinates) return bad_line("bad ISO 6709 coordinates");
    ZoneTabLine& parsed = lines.emplace_back();
    parsed.zone = TimeZone{.name = std::string(fields[2]),
                           .latitude = coordinates->first,
                           .longitude = coordinates->second};
    for (absl::string_view code : absl::StrSplit(fields[0], ',')) {
      if (!IsAlpha2(code)) return bad_line("bad country code");
      parsed.countries.push_back(code);
    }
  }
  return lines;
}

// Adds the zones of zone1970.tab to `countries`: for each country, the zones
// that list it first (its own), then those it shares with the country listed
// first, each in file order.
void AddTimeZones(const std::vector<ZoneTabLine>& lines,
                  const absl::flat_hash_map<std::string, int>& index,
                  std::vector<Country>& countries) {
  std::vector<std::vector<TimeZone>> shared(countries.size());
  for (const ZoneTabLine& line : lines) {
    for (size_t k = 0; k < line.countries.size(); ++k) {
      // tzdata may know a country this CLDR does not; such a zone stays out.
      const auto it = index.find(line.countries[k]);
      if (it == index.end()) continue;
      (k == 0 ? countries[it->second].time_zones : shared[it->second]).push_back(line.zone);
    }
  }
  for (size_t i = 0; i < countries.size(); ++i) {
    for (TimeZone& zone : shared[i]) countries[i].time_zones.push_back(std::move(zone));
  }
}

// Countries with several zone.tab entries whose first is not where the
// country does business; the others take their first entry.
constexpr std::pair<absl::string_view, absl::string_view> kPrincipalZones[] = {
    {"AU", "Australia/Sydney"}, {"BR", "America/Sao_Paulo"}, {"CA", "America/Toronto"},
    {"FM", "Pacific/Pohnpei"},  {"RU", "Europe/Moscow"},     {"UA", "Europe/Kyiv"},
    {"UZ", "Asia/Tashkent"},
};

// Sets each country's principal_zone and local_zones from zone.tab: one line
// per country and zone, with coordinates of a city in that country.
void AddPrincipalZones(const std::vector<ZoneTabLine>& lines,
                       const absl::flat_hash_map<std::string, int>& index,
                       std::vector<Country>& countries) {
  for (const ZoneTabLine& line : lines) {
    for (absl::string_view code : line.countries) {
      const auto it = index.find(code);
      if (it == index.end()) continue;  // a code this CLDR does not know
      Country& country = countries[it->second];
      country.local_zones.push_back(line.zone);
      const auto chosen = std::find_if(std::begin(kPrincipalZones), std::end(kPrincipalZones),
                                       [&](const auto& p) { return p.first == country.alpha2; });
      const bool named = chosen != std::end(kPrincipalZones);
      if (named ? chosen->second != line.zone.name : country.principal_zone.has_value()) continue;
      country.principal_zone = line.zone;
    }
  }
}

// Replacement of a CLDR alias entry, up to its first space ("SU" is replaced
// by "RU AM AZ ...": the first is the likeliest meant).
absl::string_view FirstReplacement(pugi::xml_node alias) {
  const absl::string_view replacement = alias.attribute("replacement").as_string();
  return replacement.substr(0, std::min(replacement.find(' '), replacement.size()));
}

}  // namespace

absl::StatusOr<CountryCatalog> CountryCatalog::Load(const Sources& sources) {
  const std::string en_path = absl::StrCat(sources.cldr_dir, "/main/en.xml");
  const std::string data_path =
      absl::StrCat(sources.cldr_dir, "/supplemental/supplementalData.xml");
  const std::string metadata_path =
      absl::StrCat(sources.cldr_dir, "/supplemental/supplementalMetadata.xml");

  absl::StatusOr<EnglishNames> english = LoadEnglishNames(en_path);
  if (!english.ok()) return english.status();
  absl::StatusOr<TerritoryData> territories = LoadTerritoryData(data_path);
  if (!territories.ok()) return territories.status();
  pugi::xml_document metadata;
  if (absl::Status status = LoadXml(metadata_path, metadata); !status.ok()) return status;
  absl::StatusOr<pugi::xml_node> aliases =
      Descend(metadata, {"supplementalData", "metadata", "alias"}, metadata_path);
  if (!aliases.ok()) return aliases.status();
  absl::StatusOr<std::string> zone_tab = ReadSource(sources.zone_tab, kTzdataPackage);
  if (!zone_tab.ok()) return zone_tab.status();
  absl::StatusOr<std::string> country_zone_tab =
      ReadSource(sources.country_zone_tab, kTzdataPackage);
  if (!country_zone_tab.ok()) return country_zone_tab.status();

  CountryCatalog catalog;
  for (const auto& [code, name] : english->languages) {
    if (IsIso639_1(code)) catalog.language_names_.emplace(code, name);
  }

  const auto english_name = [&](const std::string& code) -> absl::StatusOr<std::string> {
    const auto it = english->territories.find(code);
    if (it == english->territories.end()) {
      return absl::DataLossError(absl::StrCat(en_path, ": no English name for territory ", code));
    }
    return it->second;
  };
  // M49: World (001) holds the regions, each region its subregions, each
  // subregion its territories. Of those, the countries are the ISO codes
  // with an alpha-3 and a numeric code: not AC, CP, DG, EA, IC or TA.
  const auto world = territories->members.find("001");
  if (world == territories->members.end()) {
    return absl::DataLossError(absl::StrCat(data_path, ": no M49 regions in World (001)"));
  }
  for (const std::string& region_code : world->second) {
    absl::StatusOr<std::string> region = english_name(region_code);
    if (!region.ok()) return region.status();
    for (const std::string& subregion_code : territories->members[region_code]) {
      absl::StatusOr<std::string> subregion = english_name(subregion_code);
      if (!subregion.ok()) return subregion.status();
      for (const std::string& code : territories->members[subregion_code]) {
        if (!IsAlpha2(code) || IsUserAssigned(code)) continue;
        const auto codes = territories->codes.find(code);
        if (codes == territories->codes.end() || codes->second.alpha3.empty() ||
            codes->second.numeric.empty()) {
          continue;
        }
        if (catalog.index_.contains(code)) continue;
        absl::StatusOr<std::string> name = english_name(code);
        if (!name.ok()) return name.status();
        catalog.index_.emplace(code, -1);
        catalog.countries_.push_back(
            {.alpha2 = code,
             .alpha3 = codes->second.alpha3,
             .name = *std::move(name),
             .region_code = region_code,
             .region = *region,
             .subregion_code = subregion_code,
             .subregion = *subregion,
             .languages = LanguageShares(territories->spoken[code], catalog.language_names_)});
      }
    }
  }
  if (catalog.countries_.empty()) {
    return absl::DataLossError(absl::StrCat(data_path, ": no countries in the M49 subregions"));
  }
  std::sort(catalog.countries_.begin(), catalog.countries_.end(),
            [](const Country& a, const Country& b) { return a.alpha2 < b.alpha2; });
  for (size_t i = 0; i < catalog.countries_.size(); ++i) {
    catalog.index_[catalog.countries_[i].alpha2] = static_cast<int>(i);
  }

  absl::StatusOr<std::vector<ZoneTabLine>> zones = ParseZoneTab(sources.zone_tab, *zone_tab);
  if (!zones.ok()) return zones.status();
  AddTimeZones(*zones, catalog.index_, catalog.countries_);
  absl::StatusOr<std::vector<ZoneTabLine>> country_zones =
      ParseZoneTab(sources.country_zone_tab, *country_zone_tab);
  if (!country_zones.ok()) return country_zones.status();
  AddPrincipalZones(*country_zones, catalog.index_, catalog.countries_);

  // Suggestions: earlier entries win, so a real code is never shadowed by
  // somebody's alias.
  for (const Country& country : catalog.countries_) {
    catalog.country_hints_.try_emplace(HintKey(country.alpha2), country.alpha2);
    catalog.country_hints_.try_emplace(HintKey(country.alpha3), country.alpha2);
    catalog.country_hints_.try_emplace(HintKey(country.name), country.alpha2);
    catalog.country_hints_.try_emplace(territories->codes[country.alpha2].numeric, country.alpha2);
  }
  for (const auto& [code, name] : english->territory_alternates) {
    if (catalog.index_.contains(code)) catalog.country_hints_.try_emplace(HintKey(name), code);
  }
  for (pugi::xml_node alias : aliases->children("territoryAlias")) {
    const absl::string_view replacement = FirstReplacement(alias);
    if (catalog.index_.contains(replacement)) {
      catalog.country_hints_.try_emplace(HintKey(alias.attribute("type").as_string()),
                                         std::string(replacement));
    }
  }
  for (const auto& [nickname, code] : kCountryNicknames) {
    if (catalog.index_.contains(code)) {
      catalog.country_hints_.try_emplace(HintKey(nickname), std::string(code));
    }
  }

  for (const auto& [code, name] : catalog.language_names_) {
    catalog.language_hints_.try_emplace(code, code);
  }
  for (const auto& [code, name] : catalog.language_names_) {
    catalog.language_hints_.try_emplace(HintKey(name), code);
  }
  // Then alternate names, and names of variants ("British English",
  // "Simplified Chinese"), for their base language.
  const auto add_variant_name = [&catalog](absl::string_view code, absl::string_view name) {
    const absl::string_view base = code.substr(0, std::min(code.find('_'), code.size()));
    if (catalog.language_names_.contains(base)) {
      catalog.language_hints_.try_emplace(HintKey(name), std::string(base));
    }
  };
  for (const auto& [code, name] : english->language_alternates) add_variant_name(code, name);
  for (const auto& [code, name] : english->languages) {
    if (absl::StrContains(code, '_')) add_variant_name(code, name);
  }
  // CLDR's aliases: three-letter codes ("spa", "ger") and retired ones ("iw").
  for (pugi::xml_node alias : aliases->children("languageAlias")) {
    const absl::string_view type = alias.attribute("type").as_string();
    if (absl::StrContains(type, '_')) continue;
    absl::string_view replacement = FirstReplacement(alias);
    replacement = replacement.substr(0, std::min(replacement.find('_'), replacement.size()));
    if (catalog.language_names_.contains(replacement)) {
      catalog.language_hints_.try_emplace(HintKey(type), std::string(replacement));
    }
  }
  return catalog;
}

const Country* CountryCatalog::Find(absl::string_view alpha2) const {
  const int index = Index(alpha2);
  return index < 0 ? nullptr : &countries_[index];
}

int CountryCatalog::Index(absl::string_view alpha2) const {
  const auto it = index_.find(alpha2);
  return it == index_.end() ? -1 : it->second;
}

bool CountryCatalog::IsLanguage(absl::string_view code) const {
  return language_names_.contains(code);
}

std::string CountryCatalog::LanguageName(absl::string_view code) const {
  const auto it = language_names_.find(code);
  return it == language_names_.end() ? "" : it->second;
}

std::string CountryCatalog::SuggestCountry(absl::string_view wrong) const {
  const auto it = country_hints_.find(HintKey(wrong));
  return it == country_hints_.end() ? "" : it->second;
}

std::string CountryCatalog::SuggestLanguage(absl::string_view wrong) const {
  std::string key = HintKey(wrong);
  auto it = language_hints_.find(key);
  if (it == language_hints_.end()) {
    // A locale ("es-MX", "zh_Hant") for its language.
    const size_t separator = key.find_first_of(" _");
    if (separator != std::string::npos) it = language_hints_.find(key.substr(0, separator));
  }
  return it == language_hints_.end() ? "" : it->second;
}

}  // namespace socio::reference
