#include "reference/country_catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/shared_data.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::reference {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::DoubleNear;
using ::testing::Field;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Le;
using ::testing::Not;

constexpr char kCldrDir[] = "/usr/share/unicode/cldr/common";

// A row of ../shared/data/countries_reference.csv.
struct ReferenceRow {
  std::string iso3;
  std::string name_en;
  bool assigned = false;
  std::string region_code;
  std::string subregion_code;
};

// One CSV record; the reference file quotes cells that hold commas but puts
// no line breaks in cells.
std::vector<std::string> SplitCsvLine(absl::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

// iso2 -> row, ordered for readable failure messages.
std::map<std::string, ReferenceRow> ReadReferenceCsv(const std::string& path) {
  std::map<std::string, ReferenceRow> rows;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return rows;
  }
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsvLine(absl::StripSuffix(line, "\r"));
  const auto column = [&header](absl::string_view name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << "no column " << name;
    return static_cast<size_t>(it - header.begin());
  };
  const size_t iso2 = column("iso2"), iso3 = column("iso3"),
               assigned = column("is_iso3166_assigned"), region = column("m49_region_code"),
               subregion = column("m49_subregion_code"), name_en = column("name_en");
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = SplitCsvLine(absl::StripSuffix(line, "\r"));
    if (cells.size() != header.size()) {
      ADD_FAILURE() << path << ": " << cells.size() << " cells in " << line;
      continue;
    }
    rows[cells[iso2]] = {.iso3 = cells[iso3],
                         .name_en = cells[name_en],
                         .assigned = cells[assigned] == "1",
                         .region_code = cells[region],
                         .subregion_code = cells[subregion]};
  }
  return rows;
}

void WriteFile(const std::string& path, absl::string_view text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<std::string> ZoneNames(const Country& country) {
  std::vector<std::string> names;
  for (const TimeZone& zone : country.time_zones) names.push_back(zone.name);
  return names;
}

// Debian's data, loaded once for the suite.
class CountryCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = std::make_unique<absl::StatusOr<CountryCatalog>>(CountryCatalog::Load({}));
  }
  static void TearDownTestSuite() { catalog_.reset(); }
  void SetUp() override { ASSERT_THAT(*catalog_, IsOk()); }

  static const CountryCatalog& catalog() { return **catalog_; }
  // The country, or a failure (and a stand-in) if it is missing.
  static const Country& Get(absl::string_view alpha2) {
    static const Country kMissing;
    const Country* country = catalog().Find(alpha2);
    if (country == nullptr) ADD_FAILURE() << alpha2 << " is not in the catalog";
    return country == nullptr ? kMissing : *country;
  }

 private:
  static inline std::unique_ptr<absl::StatusOr<CountryCatalog>> catalog_;
};

TEST_F(CountryCatalogTest, HoldsExactlyTheAssignedIso3166Countries) {
  const std::string dir = socio::testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  const std::map<std::string, ReferenceRow> rows =
      ReadReferenceCsv(dir + "/countries_reference.csv");

  std::set<std::string> expected;
  for (const auto& [iso2, row] : rows) {
    if (!row.assigned) continue;
    expected.insert(iso2);
    const Country* country = catalog().Find(iso2);
    if (country == nullptr) continue;  // Reported below.
    EXPECT_EQ(country->alpha3, row.iso3) << iso2;
  }
  std::set<std::string> actual;
  for (const Country& country : catalog().countries()) actual.insert(country.alpha2);
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  EXPECT_THAT(missing, IsEmpty());
  EXPECT_THAT(extra, IsEmpty());
  EXPECT_EQ(catalog().countries().size(), 249u);
}

TEST_F(CountryCatalogTest, LeavesOutGroupingsAndPrivateCodes) {
  for (absl::string_view code : {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA",
                                 "XB", "XK", "ZZ", "AN", "SU", "YU", "001", "150"}) {
    EXPECT_EQ(catalog().Find(code), nullptr) << code;
  }
}

TEST_F(CountryCatalogTest, IndexIsThePositionInAlpha2Order) {
  const std::vector<Country>& countries = catalog().countries();
  for (size_t i = 0; i < countries.size(); ++i) {
    EXPECT_EQ(catalog().Index(countries[i].alpha2), static_cast<int>(i));
    if (i > 0) {
      EXPECT_LT(countries[i - 1].alpha2, countries[i].alpha2);
    }
  }
  EXPECT_EQ(catalog().Index("ZZ"), -1);
  EXPECT_EQ(catalog().Index("mx"), -1);  // Codes are exact; SuggestCountry fixes case.
  EXPECT_EQ(catalog().Find("mx"), nullptr);
  ASSERT_NE(catalog().Find("MX"), nullptr);
  EXPECT_EQ(catalog().Find("MX")->alpha2, "MX");
}

TEST_F(CountryCatalogTest, NamesCountriesInEnglish) {
  EXPECT_EQ(Get("MX").name, "Mexico");
  EXPECT_EQ(Get("DE").name, "Germany");
  EXPECT_EQ(Get("US").name, "United States");
  EXPECT_EQ(Get("MX").alpha3, "MEX");
}

TEST_F(CountryCatalogTest, PlacesCountriesInM49RegionsAndSubregions) {
  const Country& de = Get("DE");
  EXPECT_EQ(de.region_code, "150");
  EXPECT_EQ(de.region, "Europe");
  EXPECT_EQ(de.subregion_code, "155");
  EXPECT_EQ(de.subregion, "Western Europe");
  const Country& mx = Get("MX");
  EXPECT_EQ(mx.region_code, "019");
  EXPECT_EQ(mx.region, "Americas");
  EXPECT_EQ(mx.subregion_code, "013");
  EXPECT_EQ(mx.subregion, "Central America");
  const Country& jp = Get("JP");
  EXPECT_EQ(jp.region_code, "142");
  EXPECT_EQ(jp.region, "Asia");
  EXPECT_EQ(jp.subregion_code, "030");
  EXPECT_EQ(jp.subregion, "Eastern Asia");
  // CLDR's own "Outlying Oceania" (QO) stands in for a subregion of Antarctica.
  EXPECT_EQ(Get("AQ").region_code, "009");
  EXPECT_EQ(Get("AQ").subregion_code, "QO");
}

TEST_F(CountryCatalogTest, M49PlacementAgreesWithReferenceTable) {
  const std::string dir = socio::testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  std::vector<std::string> mismatches;
  for (const auto& [iso2, row] : ReadReferenceCsv(dir + "/countries_reference.csv")) {
    const Country* country = catalog().Find(iso2);
    if (!row.assigned || country == nullptr) continue;
    if (country->region_code != row.region_code || country->subregion_code != row.subregion_code) {
      mismatches.push_back(absl::StrCat(iso2, ": CLDR ", country->region_code, "/",
                                        country->subregion_code, ", table ", row.region_code, "/",
                                        row.subregion_code));
    }
  }
  EXPECT_THAT(mismatches, IsEmpty());
}

TEST_F(CountryCatalogTest, ListsLanguagesWithSharesAndOfficialStatus) {
  const auto language = [](const char* code) { return Field(&LanguageShare::code, code); };
  const auto official = [](const char* code) {
    return AllOf(Field(&LanguageShare::code, code), Field(&LanguageShare::official, true));
  };
  EXPECT_THAT(Get("DE").languages, Contains(official("de")));
  EXPECT_THAT(Get("AT").languages, Contains(official("de")));
  EXPECT_THAT(Get("ES").languages, Contains(official("es")));
  EXPECT_THAT(Get("MX").languages, Contains(official("es")));      // CLDR: de_facto_official.
  EXPECT_THAT(Get("MX").languages, Contains(AllOf(language("en"),  // Spoken, not official.
                                                  Field(&LanguageShare::official, false))));
  // Only through zh_Hant: script variants count for their base language.
  EXPECT_THAT(Get("TW").languages, Contains(official("zh")));
  // Three-letter CLDR languages (Yucatec Maya, "yua") are left out.
  EXPECT_THAT(Get("MX").languages, Not(Contains(language("yua"))));
  EXPECT_EQ(Get("MX").languages.front().code, "es");

  for (const Country& country : catalog().countries()) {
    std::set<std::string> codes;
    for (size_t i = 0; i < country.languages.size(); ++i) {
      const LanguageShare& share = country.languages[i];
      EXPECT_THAT(share.population_share, AllOf(Ge(0.0), Le(1.0))) << country.alpha2;
      EXPECT_TRUE(catalog().IsLanguage(share.code)) << country.alpha2 << " " << share.code;
      EXPECT_TRUE(codes.insert(share.code).second) << country.alpha2 << " twice " << share.code;
      if (i > 0) {
        EXPECT_GE(country.languages[i - 1].population_share, share.population_share)
            << country.alpha2;
      }
    }
  }
}

TEST_F(CountryCatalogTest, HasTimeZonesWithCoordinates) {
  const Country& jp = Get("JP");
  const auto tokyo = std::find_if(jp.time_zones.begin(), jp.time_zones.end(),
                                  [](const TimeZone& zone) { return zone.name == "Asia/Tokyo"; });
  ASSERT_NE(tokyo, jp.time_zones.end());
  EXPECT_THAT(tokyo->latitude, DoubleNear(35.65, 0.01));
  EXPECT_THAT(tokyo->longitude, DoubleNear(139.74, 0.01));

  const std::vector<std::string> us = ZoneNames(Get("US"));
  EXPECT_GE(us.size(), 5u);
  EXPECT_THAT(us, Contains("America/New_York"));
  EXPECT_THAT(us, Contains("America/Los_Angeles"));
  EXPECT_THAT(us, Contains("Pacific/Honolulu"));
  EXPECT_EQ(us.front(), "America/New_York");  // zone1970.tab's first US line.

  // A zone goes to every country it lists; a country's own zones come first.
  const std::vector<std::string> de = ZoneNames(Get("DE"));
  ASSERT_THAT(de, Contains("Europe/Zurich"));
  EXPECT_EQ(de.front(), "Europe/Berlin");
  EXPECT_THAT(ZoneNames(Get("LI")), Contains("Europe/Zurich"));

  for (const Country& country : catalog().countries()) {
    for (const TimeZone& zone : country.time_zones) {
      EXPECT_THAT(zone.latitude, AllOf(Ge(-90.0), Le(90.0))) << zone.name;
      EXPECT_THAT(zone.longitude, AllOf(Ge(-180.0), Le(180.0))) << zone.name;
    }
  }
  // Southern hemisphere, western longitude: the signs are kept.
  const std::vector<TimeZone>& ar = Get("AR").time_zones;
  ASSERT_FALSE(ar.empty());
  EXPECT_LT(ar.front().latitude, 0);
  EXPECT_LT(ar.front().longitude, 0);
}

TEST_F(CountryCatalogTest, KnowsIso639_1Languages) {
  EXPECT_TRUE(catalog().IsLanguage("es"));
  EXPECT_TRUE(catalog().IsLanguage("de"));
  EXPECT_FALSE(catalog().IsLanguage("xx"));
  EXPECT_FALSE(catalog().IsLanguage("ES"));
  EXPECT_FALSE(catalog().IsLanguage("spa"));
  EXPECT_FALSE(catalog().IsLanguage(""));
  EXPECT_EQ(catalog().LanguageName("de"), "German");
  EXPECT_EQ(catalog().LanguageName("es"), "Spanish");
  EXPECT_EQ(catalog().LanguageName("xx"), "");
}

TEST_F(CountryCatalogTest, SuggestsCountryCodes) {
  EXPECT_EQ(catalog().SuggestCountry("mx"), "MX");
  EXPECT_EQ(catalog().SuggestCountry("MEX"), "MX");
  EXPECT_EQ(catalog().SuggestCountry("mex"), "MX");
  EXPECT_EQ(catalog().SuggestCountry("Mexico"), "MX");
  EXPECT_EQ(catalog().SuggestCountry(" mexico "), "MX");
  EXPECT_EQ(catalog().SuggestCountry("484"), "MX");
  EXPECT_EQ(catalog().SuggestCountry("UK"), "GB");
  EXPECT_EQ(catalog().SuggestCountry("USA"), "US");
  EXPECT_EQ(catalog().SuggestCountry("U.S.A."), "US");
  EXPECT_EQ(catalog().SuggestCountry("England"), "GB");
  EXPECT_EQ(catalog().SuggestCountry("the Netherlands"), "NL");
  EXPECT_EQ(catalog().SuggestCountry("Czech Republic"), "CZ");         // CLDR's variant name.
  EXPECT_EQ(catalog().SuggestCountry("Saint Lucia"), "LC");            // CLDR: "St. Lucia".
  EXPECT_EQ(catalog().SuggestCountry("Sao Tome and Principe"), "ST");  // "São Tomé & Príncipe".
  EXPECT_EQ(catalog().SuggestCountry("cote d'ivoire"), "CI");          // "Côte d’Ivoire".
  EXPECT_EQ(catalog().SuggestCountry("st"), "ST");
  EXPECT_EQ(catalog().SuggestCountry("Atlantis"), "");
  EXPECT_EQ(catalog().SuggestCountry(""), "");
}

// The reference table's English names come from another source
// (countries-list), so they test spellings CLDR does not use.
TEST_F(CountryCatalogTest, SuggestsCodesForReferenceTableNames) {
  const std::string dir = socio::testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  for (const auto& [iso2, row] : ReadReferenceCsv(dir + "/countries_reference.csv")) {
    if (!row.assigned) continue;
    EXPECT_EQ(catalog().SuggestCountry(row.name_en), iso2) << row.name_en;
    EXPECT_EQ(catalog().SuggestCountry(row.iso3), iso2);
  }
}

TEST_F(CountryCatalogTest, SuggestsLanguageCodes) {
  EXPECT_EQ(catalog().SuggestLanguage("spa"), "es");
  EXPECT_EQ(catalog().SuggestLanguage("ES"), "es");
  EXPECT_EQ(catalog().SuggestLanguage("es"), "es");
  EXPECT_EQ(catalog().SuggestLanguage("Spanish"), "es");
  EXPECT_EQ(catalog().SuggestLanguage("ger"), "de");  // ISO 639-2/B.
  EXPECT_EQ(catalog().SuggestLanguage("deu"), "de");  // ISO 639-2/T.
  EXPECT_EQ(catalog().SuggestLanguage("iw"), "he");   // Retired code.
  EXPECT_EQ(catalog().SuggestLanguage("es-MX"), "es");
  EXPECT_EQ(catalog().SuggestLanguage("zh_Hant"), "zh");
  EXPECT_EQ(catalog().SuggestLanguage("British English"), "en");
  EXPECT_EQ(catalog().SuggestLanguage("Klingonese"), "");
  EXPECT_EQ(catalog().SuggestLanguage(""), "");
}

TEST(CountryCatalogLoadTest, MissingCldrIsNotFoundNamingThePath) {
  socio::testing::TempDir dir;
  CountryCatalog::Sources sources;
  sources.cldr_dir = dir.Join("no-cldr");
  EXPECT_THAT(CountryCatalog::Load(sources),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr(sources.cldr_dir), HasSubstr("unicode-cldr-core"))));
}

TEST(CountryCatalogLoadTest, MissingZoneTabIsNotFoundNamingThePackage) {
  socio::testing::TempDir dir;
  CountryCatalog::Sources sources;
  sources.zone_tab = dir.Join("zone1970.tab");
  EXPECT_THAT(CountryCatalog::Load(sources),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr(sources.zone_tab), HasSubstr("tzdata"))));
}

TEST(CountryCatalogLoadTest, MalformedXmlIsDataLoss) {
  socio::testing::TempDir dir;
  std::filesystem::create_directories(dir.Join("cldr/main"));
  std::filesystem::copy_file(std::string(kCldrDir) + "/main/en.xml", dir.Join("cldr/main/en.xml"));
  const std::string bad = dir.Join("cldr/supplemental/supplementalData.xml");
  WriteFile(bad, "<supplementalData><codeMappings><territoryCodes type=\"MX\"");
  CountryCatalog::Sources sources;
  sources.cldr_dir = dir.Join("cldr");
  EXPECT_THAT(CountryCatalog::Load(sources), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(bad)));
}

TEST(CountryCatalogLoadTest, BadCoordinateIsDataLossNamingTheLine) {
  socio::testing::TempDir dir;
  CountryCatalog::Sources sources;
  sources.zone_tab = dir.Join("zone1970.tab");
  WriteFile(sources.zone_tab,
            "# comment\n"
            "MX\t+1924-09909\tAmerica/Mexico_City\n"
            "JP\t+3539x+13944\tAsia/Tokyo\n");
  EXPECT_THAT(CountryCatalog::Load(sources),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(sources.zone_tab), HasSubstr("line 3"))));
  WriteFile(sources.zone_tab, "JP\t+3539+13944\n");
  EXPECT_THAT(CountryCatalog::Load(sources),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("line 1")));
  WriteFile(sources.zone_tab, "JP\t+9539+13944\tAsia/Tokyo\n");  // Latitude past the pole.
  EXPECT_THAT(CountryCatalog::Load(sources), StatusIs(absl::StatusCode::kDataLoss));
}

// A small hand-made CLDR, to pin the rules down independently of Debian's
// version: exclusions, merging of script variants, the share cap.
TEST(CountryCatalogLoadTest, AppliesTheRulesToAHandMadeCldr) {
  socio::testing::TempDir dir;
  WriteFile(dir.Join("cldr/main/en.xml"), R"(<?xml version="1.0" encoding="UTF-8" ?>
<ldml><localeDisplayNames>
  <languages>
    <language type="hu">Hungarian</language>
    <language type="sr">Serbian</language>
    <language type="sr_Latn">Serbian (Latin)</language>
  </languages>
  <territories>
    <territory type="001">World</territory>
    <territory type="039">Southern Europe</territory>
    <territory type="150">Europe</territory>
    <territory type="RS">Serbia</territory>
    <territory type="RS" alt="variant">Srbija</territory>
    <territory type="XK">Kosovo</territory>
    <territory type="EU">European Union</territory>
  </territories>
</localeDisplayNames></ldml>
)");
  WriteFile(dir.Join("cldr/supplemental/supplementalData.xml"), R"(<supplementalData>
  <territoryContainment>
    <group type="001" contains="150"/>
    <group type="001" contains="EU" status="grouping"/>
    <group type="150" contains="039"/>
    <group type="039" contains="RS XK"/>
    <group type="039" contains="YU" status="deprecated"/>
  </territoryContainment>
  <territoryInfo>
    <territory type="RS">
      <languagePopulation type="sr" populationPercent="60"/>
      <languagePopulation type="sr_Latn" populationPercent="50" officialStatus="official"/>
      <languagePopulation type="hu" populationPercent="3.1" officialStatus="official_regional"/>
      <languagePopulation type="rmc" populationPercent="1"/>
    </territory>
  </territoryInfo>
  <codeMappings>
    <territoryCodes type="RS" numeric="688" alpha3="SRB"/>
    <territoryCodes type="XK" numeric="983" alpha3="XKK"/>
    <territoryCodes type="YU" numeric="891" alpha3="YUG"/>
    <territoryCodes type="EU" numeric="967" alpha3="QUU"/>
  </codeMappings>
</supplementalData>
)");
  WriteFile(dir.Join("cldr/supplemental/supplementalMetadata.xml"), R"(<supplementalData>
  <metadata><alias>
    <languageAlias type="srp" replacement="sr" reason="overlong"/>
    <languageAlias type="sh" replacement="sr_Latn" reason="legacy"/>
    <territoryAlias type="YU" replacement="RS ME" reason="deprecated"/>
  </alias></metadata>
</supplementalData>
)");
  CountryCatalog::Sources sources;
  sources.cldr_dir = dir.Join("cldr");
  sources.zone_tab = dir.Join("zone1970.tab");
  WriteFile(sources.zone_tab, "RS,XK\t+4450+02030\tEurope/Belgrade\n");

  ASSIGN_OR_FAIL(const CountryCatalog catalog, CountryCatalog::Load(sources));
  ASSERT_EQ(catalog.countries().size(), 1u);
  const Country& rs = catalog.countries()[0];
  EXPECT_EQ(rs.alpha2, "RS");
  EXPECT_EQ(rs.alpha3, "SRB");
  EXPECT_EQ(rs.name, "Serbia");
  EXPECT_EQ(rs.region, "Europe");
  EXPECT_EQ(rs.subregion, "Southern Europe");
  ASSERT_EQ(rs.languages.size(), 2u);
  EXPECT_EQ(rs.languages[0].code, "sr");
  EXPECT_DOUBLE_EQ(rs.languages[0].population_share, 1.0);  // 60 % + 50 %, capped.
  EXPECT_TRUE(rs.languages[0].official);
  EXPECT_EQ(rs.languages[1].code, "hu");
  EXPECT_DOUBLE_EQ(rs.languages[1].population_share, 0.031);
  EXPECT_FALSE(rs.languages[1].official);  // official_regional is not official.
  ASSERT_EQ(rs.time_zones.size(), 1u);
  EXPECT_EQ(rs.time_zones[0].name, "Europe/Belgrade");
  EXPECT_DOUBLE_EQ(rs.time_zones[0].latitude, 44 + 50 / 60.0);
  EXPECT_DOUBLE_EQ(rs.time_zones[0].longitude, 20 + 30 / 60.0);

  EXPECT_EQ(catalog.SuggestCountry("srbija"), "RS");
  EXPECT_EQ(catalog.SuggestCountry("YU"), "RS");
  EXPECT_EQ(catalog.SuggestCountry("Kosovo"), "");
  EXPECT_EQ(catalog.SuggestLanguage("srp"), "sr");
  EXPECT_EQ(catalog.SuggestLanguage("sh"), "sr");
  EXPECT_EQ(catalog.SuggestLanguage("Serbian (Latin)"), "sr");
  EXPECT_THAT(catalog.LanguageName("sr"), "Serbian");
  EXPECT_FALSE(catalog.IsLanguage("sr_Latn"));
}

TEST(CountryCatalogLoadTest, RejectsCldrWithoutRegions) {
  socio::testing::TempDir dir;
  std::filesystem::create_directories(dir.Join("cldr/main"));
  std::filesystem::copy_file(std::string(kCldrDir) + "/main/en.xml", dir.Join("cldr/main/en.xml"));
  const std::string data = dir.Join("cldr/supplemental/supplementalData.xml");
  WriteFile(data, "<supplementalData><codeMappings/></supplementalData>");
  CountryCatalog::Sources sources;
  sources.cldr_dir = dir.Join("cldr");
  EXPECT_THAT(CountryCatalog::Load(sources),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(data)));
}

}  // namespace
TEST_F(CountryCatalogTest, PrincipalZonesSitInTheirOwnCountry) {
  // zone1970.tab files Norway under Berlin's zone and coordinates; zone.tab has Oslo.
  ASSERT_TRUE(Get("NO").principal_zone.has_value());
  EXPECT_EQ(Get("NO").principal_zone->name, "Europe/Oslo");
  EXPECT_NEAR(Get("NO").principal_zone->latitude, 59.9, 0.1);
  EXPECT_EQ(Get("IS").principal_zone->name, "Atlantic/Reykjavik");
  // Large countries take their business capital, not tzdata's first entry.
  EXPECT_EQ(Get("RU").principal_zone->name, "Europe/Moscow");
  EXPECT_EQ(Get("BR").principal_zone->name, "America/Sao_Paulo");
  EXPECT_EQ(Get("CA").principal_zone->name, "America/Toronto");
  EXPECT_EQ(Get("AU").principal_zone->name, "Australia/Sydney");
  EXPECT_EQ(Get("DE").principal_zone->name, "Europe/Berlin");
  EXPECT_FALSE(Get("BV").principal_zone.has_value());
}

}  // namespace socio::reference
