// The checks of FindPartners' k and filters: what each accepts, how each
// rejection names its field, and the filters the matcher receives.
#include "services/match_request.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/features.h"
#include "storage/profile_validation.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::services {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::v1::MatchFilters;
using socio::v1::Objective;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

class MatchRequestTest : public ::testing::Test {
 protected:
  MatchRequestTest() : tables_(testing::TestReference()), validator_(testing::TestReference()) {}

  absl::StatusOr<matcher::PartnerFilters> Convert(const MatchFilters& filters) const {
    return ToPartnerFilters(filters, tables_, validator_);
  }
  int IndexOf(absl::string_view alpha2) const {
    return tables_.reference().countries().Index(alpha2);
  }

  matcher::ScoringTables tables_;
  storage::ProfileValidator validator_;
};

// --- k ---

TEST(CheckKTest, ZeroMeansTwenty) { EXPECT_EQ(*CheckK(0), 20); }

TEST(CheckKTest, AcceptsOneToAThousand) {
  EXPECT_EQ(*CheckK(1), 1);
  EXPECT_EQ(*CheckK(57), 57);
  EXPECT_EQ(*CheckK(1000), 1000);
}

TEST(CheckKTest, RejectsOutOfRange) {
  EXPECT_THAT(CheckK(5000), StatusIs(kInvalid, "k: must be between 1 and 1000, got 5000"));
  EXPECT_THAT(CheckK(1001), StatusIs(kInvalid, "k: must be between 1 and 1000, got 1001"));
  EXPECT_THAT(CheckK(-1), StatusIs(kInvalid, "k: must be between 1 and 1000, got -1"));
}

// --- no filters ---

TEST_F(MatchRequestTest, EmptyFiltersFilterNothing) {
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(MatchFilters()));
  EXPECT_FALSE(f.countries.has_value());
  EXPECT_TRUE(f.sectors.empty());
  EXPECT_EQ(f.type_keys, 0u);
  EXPECT_EQ(f.min_employees, 0u);
  EXPECT_EQ(f.max_employees, 0u);
  EXPECT_TRUE(f.languages.empty());
  EXPECT_TRUE(f.exclude_ids.empty());
  EXPECT_FALSE(f.exclude_own_chamber);
}

// --- countries ---

TEST_F(MatchRequestTest, CountriesBecomeTheirSet) {
  MatchFilters filters;
  filters.add_countries("MX");
  filters.add_countries("US");
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  ASSERT_TRUE(f.countries.has_value());
  EXPECT_TRUE(f.countries->Has(IndexOf("MX")));
  EXPECT_TRUE(f.countries->Has(IndexOf("US")));
  EXPECT_FALSE(f.countries->Has(IndexOf("CA")));
  EXPECT_FALSE(f.countries->Has(IndexOf("DE")));
}

TEST_F(MatchRequestTest, RejectsUnknownCountryNamingItsIndex) {
  MatchFilters filters;
  filters.add_countries("MX");
  filters.add_countries("USA");
  EXPECT_THAT(Convert(filters),
              StatusIs(kInvalid,
                       "filters.countries[1]: 'USA' is not an ISO 3166-1 alpha-2 country code "
                       "(did you mean 'US'?)"));
}

TEST_F(MatchRequestTest, CountryCodesAreExact) {
  MatchFilters filters;
  filters.add_countries("mx");
  EXPECT_THAT(Convert(filters), StatusIs(kInvalid, AllOf(StartsWith("filters.countries[0]: 'mx'"),
                                                         HasSubstr("(did you mean 'MX'?)"))));
}

TEST_F(MatchRequestTest, UnknownCountryWithoutNearCodeGetsNoSuggestion) {
  MatchFilters filters;
  filters.add_countries("QQ");
  EXPECT_THAT(
      Convert(filters),
      StatusIs(kInvalid, "filters.countries[0]: 'QQ' is not an ISO 3166-1 alpha-2 country code"));
}

// --- regions ---

TEST_F(MatchRequestTest, RegionSelectsItsCountries) {
  MatchFilters filters;
  filters.add_regions("150");  // Europe
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  ASSERT_TRUE(f.countries.has_value());
  EXPECT_TRUE(f.countries->Has(IndexOf("DE")));
  EXPECT_TRUE(f.countries->Has(IndexOf("ES")));
  EXPECT_TRUE(f.countries->Has(IndexOf("PL")));
  EXPECT_FALSE(f.countries->Has(IndexOf("MX")));
  EXPECT_FALSE(f.countries->Has(IndexOf("JP")));
}

TEST_F(MatchRequestTest, SubregionSelectsOnlyItsCountries) {
  MatchFilters filters;
  filters.add_regions("021");  // Northern America
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  ASSERT_TRUE(f.countries.has_value());
  EXPECT_TRUE(f.countries->Has(IndexOf("US")));
  EXPECT_TRUE(f.countries->Has(IndexOf("CA")));
  EXPECT_FALSE(f.countries->Has(IndexOf("MX")));  // Central America
  EXPECT_FALSE(f.countries->Has(IndexOf("DE")));
}

TEST_F(MatchRequestTest, RegionsCombineWithOr) {
  MatchFilters filters;
  filters.add_regions("155");  // Western Europe
  filters.add_regions("019");  // Americas
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  ASSERT_TRUE(f.countries.has_value());
  EXPECT_TRUE(f.countries->Has(IndexOf("DE")));
  EXPECT_TRUE(f.countries->Has(IndexOf("MX")));
  EXPECT_TRUE(f.countries->Has(IndexOf("BR")));
  EXPECT_FALSE(f.countries->Has(IndexOf("ES")));  // Southern Europe
  EXPECT_FALSE(f.countries->Has(IndexOf("CN")));
}

TEST_F(MatchRequestTest, RejectsUnknownRegionNamingItsIndex) {
  MatchFilters filters;
  filters.add_regions("150");
  filters.add_regions("999");
  EXPECT_THAT(
      Convert(filters),
      StatusIs(kInvalid, "filters.regions[1]: '999' is not a UN M49 region or subregion code"));
}

TEST_F(MatchRequestTest, RegionErrorsSuggestTheCode) {
  MatchFilters unpadded;
  unpadded.add_regions("19");
  EXPECT_THAT(Convert(unpadded), StatusIs(kInvalid, AllOf(StartsWith("filters.regions[0]: '19' "),
                                                          HasSubstr("(did you mean '019'?)"))));
  MatchFilters named;
  named.add_regions("Western Europe");
  EXPECT_THAT(Convert(named), StatusIs(kInvalid, HasSubstr("(did you mean '155'?)")));
}

TEST_F(MatchRequestTest, CountriesAndRegionsCombineWithAnd) {
  MatchFilters filters;
  filters.add_countries("MX");
  filters.add_countries("DE");
  filters.add_countries("US");
  filters.add_regions("150");
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  ASSERT_TRUE(f.countries.has_value());
  EXPECT_TRUE(f.countries->Has(IndexOf("DE")));
  EXPECT_FALSE(f.countries->Has(IndexOf("MX")));
  EXPECT_FALSE(f.countries->Has(IndexOf("US")));
  EXPECT_FALSE(f.countries->Has(IndexOf("FR")));  // in the region, not among the countries
}

TEST_F(MatchRequestTest, CountryPassesOnRegionOrSubregion) {
  MatchFilters by_region;
  by_region.add_countries("DE");
  by_region.add_countries("ES");
  by_region.add_regions("150");  // both are in Europe
  ASSIGN_OR_FAIL(matcher::PartnerFilters region, Convert(by_region));
  EXPECT_TRUE(region.countries->Has(IndexOf("DE")));
  EXPECT_TRUE(region.countries->Has(IndexOf("ES")));

  MatchFilters by_subregion = by_region;
  by_subregion.set_regions(0, "155");  // only DE is in Western Europe
  ASSIGN_OR_FAIL(matcher::PartnerFilters subregion, Convert(by_subregion));
  EXPECT_TRUE(subregion.countries->Has(IndexOf("DE")));
  EXPECT_FALSE(subregion.countries->Has(IndexOf("ES")));
}

TEST_F(MatchRequestTest, DisjointCountriesAndRegionsLetNoOneThrough) {
  MatchFilters filters;
  filters.add_countries("MX");
  filters.add_countries("US");
  filters.add_regions("155");
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  ASSERT_TRUE(f.countries.has_value());  // not "any country"
  EXPECT_TRUE(f.countries->Empty());
}

// --- sectors ---

TEST_F(MatchRequestTest, SectorsAreCanonicalisedAndPacked) {
  MatchFilters filters;
  filters.add_sectors("C10.84");
  filters.add_sectors("46.3");
  filters.add_sectors("C");
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  EXPECT_THAT(f.sectors, ElementsAre(0x030B0905u, 0x072F0400u, 0x03000000u));
  EXPECT_EQ(matcher::UnpackSector(f.sectors[0]), "10.84");
  EXPECT_EQ(matcher::UnpackSector(f.sectors[1]), "46.3");
}

TEST_F(MatchRequestTest, RejectsUnknownSectorNamingItsIndex) {
  MatchFilters filters;
  filters.add_sectors("10");
  filters.add_sectors("04");
  EXPECT_THAT(Convert(filters),
              StatusIs(kInvalid, StartsWith("filters.sectors[1]: '04' is not a NACE Rev. 2 code")));
}

TEST_F(MatchRequestTest, SectorErrorsSuggestTheCode) {
  MatchFilters filters;
  filters.add_sectors("1084");
  EXPECT_THAT(Convert(filters), StatusIs(kInvalid, AllOf(StartsWith("filters.sectors[0]: "),
                                                         HasSubstr("did you mean '10.84'?"))));
}

// --- types ---

TEST_F(MatchRequestTest, TypesBecomeObjectiveKeys) {
  MatchFilters filters;
  filters.add_types(Objective::DISTRIBUTION);
  filters.add_types(Objective::JOINT_VENTURE);
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  EXPECT_EQ(f.type_keys, matcher::ObjectiveKey(Objective::DISTRIBUTION, 1) |
                             matcher::ObjectiveKey(Objective::JOINT_VENTURE, 1));
}

TEST_F(MatchRequestTest, RejectsUnspecifiedType) {
  MatchFilters filters;
  filters.add_types(Objective::AGENCY);
  filters.add_types(Objective::TYPE_UNSPECIFIED);
  EXPECT_THAT(Convert(filters),
              StatusIs(kInvalid, StartsWith("filters.types[1]: TYPE_UNSPECIFIED is not a "
                                            "partnership type")));
}

TEST_F(MatchRequestTest, RejectsUndefinedType) {
  MatchFilters filters;
  filters.mutable_types()->Add(42);  // proto3 enums are open: any number can arrive
  EXPECT_THAT(Convert(filters),
              StatusIs(kInvalid, "filters.types[0]: 42 is not a partnership type"));
}

// --- employees ---

TEST_F(MatchRequestTest, EmployeeBoundsAreCopied) {
  MatchFilters filters;
  filters.set_min_employees(10);
  filters.set_max_employees(500);
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  EXPECT_EQ(f.min_employees, 10u);
  EXPECT_EQ(f.max_employees, 500u);
}

TEST_F(MatchRequestTest, EitherEmployeeBoundMayBeOpenOrEqual) {
  MatchFilters min_only;
  min_only.set_min_employees(100);
  EXPECT_THAT(Convert(min_only), IsOk());
  MatchFilters max_only;
  max_only.set_max_employees(50);
  EXPECT_THAT(Convert(max_only), IsOk());
  MatchFilters equal;
  equal.set_min_employees(50);
  equal.set_max_employees(50);
  EXPECT_THAT(Convert(equal), IsOk());
}

TEST_F(MatchRequestTest, RejectsNegativeEmployeeBounds) {
  MatchFilters min;
  min.set_min_employees(-1);
  EXPECT_THAT(Convert(min), StatusIs(kInvalid, StartsWith("filters.min_employees: must be >= 0")));
  MatchFilters max;
  max.set_max_employees(-5);
  EXPECT_THAT(Convert(max), StatusIs(kInvalid, StartsWith("filters.max_employees: must be >= 0")));
}

TEST_F(MatchRequestTest, RejectsMaxBelowMin) {
  MatchFilters filters;
  filters.set_min_employees(500);
  filters.set_max_employees(100);
  EXPECT_THAT(
      Convert(filters),
      StatusIs(kInvalid, "filters.max_employees: must be >= filters.min_employees (500), got 100"));
}

// --- languages ---

TEST_F(MatchRequestTest, LanguagesBecomeWords) {
  MatchFilters filters;
  filters.add_languages("es");
  filters.add_languages("en");
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  EXPECT_THAT(f.languages, ElementsAre(matcher::LanguageWord("es"), matcher::LanguageWord("en")));
}

TEST_F(MatchRequestTest, RejectsUnknownLanguageNamingItsIndex) {
  MatchFilters filters;
  filters.add_languages("es");
  filters.add_languages("ES");
  EXPECT_THAT(Convert(filters),
              StatusIs(kInvalid,
                       "filters.languages[1]: 'ES' is not an ISO 639-1 language code "
                       "(did you mean 'es'?)"));
  MatchFilters three_letters;
  three_letters.add_languages("spa");
  EXPECT_THAT(Convert(three_letters), StatusIs(kInvalid, AllOf(StartsWith("filters.languages[0]: "),
                                                               HasSubstr("did you mean 'es'?"))));
}

// --- exclusions ---

TEST_F(MatchRequestTest, ExclusionsAreCopied) {
  MatchFilters filters;
  filters.add_exclude_ids("mx-0001");
  filters.add_exclude_ids("de-0042");
  filters.set_exclude_own_chamber(true);
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  EXPECT_THAT(f.exclude_ids, ElementsAre("mx-0001", "de-0042"));
  EXPECT_TRUE(f.exclude_own_chamber);
}

TEST_F(MatchRequestTest, AcceptsTenThousandExcludedIdsButNoMore) {
  MatchFilters filters;
  for (int i = 0; i < kMaxExcludeIds; ++i) filters.add_exclude_ids(absl::StrCat("p-", i));
  ASSIGN_OR_FAIL(matcher::PartnerFilters f, Convert(filters));
  EXPECT_EQ(f.exclude_ids.size(), 10'000u);

  filters.add_exclude_ids("one-too-many");
  EXPECT_THAT(
      Convert(filters),
      StatusIs(kInvalid, "filters.exclude_ids: has 10001 entries; at most 10000 are allowed"));
}

// --- order ---

TEST_F(MatchRequestTest, ReportsTheFirstBadFieldInFieldOrder) {
  MatchFilters filters;
  filters.add_languages("xx");
  filters.add_countries("ZZ");
  EXPECT_THAT(Convert(filters), StatusIs(kInvalid, StartsWith("filters.countries[0]: ")));
}

}  // namespace
}  // namespace socio::services
