#include "reference/country_pairs.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reference/country_catalog.h"
#include "reference/culture.h"
#include "tests/support/shared_data.h"
#include "tests/support/status_matchers.h"

namespace socio::reference {
namespace {

using ::testing::AllOf;
using ::testing::FloatNear;
using ::testing::Ge;
using ::testing::Gt;
using ::testing::Le;
using ::testing::Lt;
using ::testing::Optional;

// The catalog from Debian's unicode-cldr-core and tzdata, loaded once.
class CountryPairsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<CountryCatalog> catalog = CountryCatalog::Load({});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::make_unique<CountryCatalog>(*std::move(catalog));
    pairs_ = std::make_unique<CountryPairs>(CountryPairs::Build(*catalog_, nullptr));
  }
  static void TearDownTestSuite() {
    pairs_.reset();
    catalog_.reset();
  }

  void SetUp() override { ASSERT_NE(catalog_, nullptr) << "CountryCatalog::Load failed"; }

  static int Index(absl::string_view alpha2) {
    const int index = catalog_->Index(alpha2);
    EXPECT_GE(index, 0) << alpha2;
    return index;
  }

  static std::unique_ptr<CountryCatalog> catalog_;
  static std::unique_ptr<CountryPairs> pairs_;  // without Hofstede scores
};

std::unique_ptr<CountryCatalog> CountryPairsTest::catalog_;
std::unique_ptr<CountryPairs> CountryPairsTest::pairs_;

// Equal, NaN included.
bool Same(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST_F(CountryPairsTest, SizeIsTheCatalogs) {
  EXPECT_EQ(pairs_->size(), static_cast<int>(catalog_->countries().size()));
}

TEST_F(CountryPairsTest, SharedLanguage) {
  const int de = Index("DE"), at = Index("AT"), es = Index("ES"), mx = Index("MX"),
            jp = Index("JP");
  EXPECT_GT(pairs_->SharedLanguage(de, at), 0.5f);  // German
  EXPECT_GT(pairs_->SharedLanguage(es, mx), 0.5f);  // Spanish
  EXPECT_LT(pairs_->SharedLanguage(de, jp), 0.05f);
  EXPECT_LE(pairs_->SharedLanguage(de, at), 1.0f);  // capped
  EXPECT_GT(pairs_->SharedLanguage(jp, jp), 0.5f);
}

TEST_F(CountryPairsTest, WorkingHourOverlap) {
  const int de = Index("DE"), fr = Index("FR"), jp = Index("JP"), us = Index("US");
  EXPECT_FLOAT_EQ(pairs_->WorkingHourOverlap(de, fr), 8.0f);
  EXPECT_FLOAT_EQ(pairs_->WorkingHourOverlap(de, de), 8.0f);
  EXPECT_THAT(pairs_->WorkingHourOverlap(jp, us), AllOf(Ge(0.0f), Le(1.0f)));
  // Berlin and Tokyo are 8 hours apart in January and 7 in July.
  EXPECT_FLOAT_EQ(pairs_->WorkingHourOverlap(de, jp), 0.5f);
}

TEST_F(CountryPairsTest, CountryWithoutTimeZone) {
  const int bv = Index("BV"), de = Index("DE");
  ASSERT_TRUE(catalog_->countries()[bv].time_zones.empty());
  EXPECT_EQ(pairs_->WorkingHourOverlap(bv, de), 0.0f);
  EXPECT_EQ(pairs_->WorkingHourOverlap(bv, bv), 0.0f);
  EXPECT_TRUE(std::isnan(pairs_->DistanceKm(bv, de)));
  EXPECT_THAT(pairs_->Closeness(bv, de), AllOf(Ge(0.0f), Le(1.0f)));
}

TEST_F(CountryPairsTest, DistanceKm) {
  const int de = Index("DE"), fr = Index("FR"), jp = Index("JP");
  EXPECT_THAT(pairs_->DistanceKm(de, fr), AllOf(Gt(400.0f), Lt(1000.0f)));
  EXPECT_THAT(pairs_->DistanceKm(de, jp), AllOf(Gt(8000.0f), Lt(10000.0f)));
  EXPECT_EQ(pairs_->DistanceKm(de, de), 0.0f);
}

TEST_F(CountryPairsTest, TablesAreSymmetric) {
  const int n = pairs_->size();
  int asymmetric = 0;
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < a; ++b) {
      if (!Same(pairs_->SharedLanguage(a, b), pairs_->SharedLanguage(b, a)) ||
          !Same(pairs_->WorkingHourOverlap(a, b), pairs_->WorkingHourOverlap(b, a)) ||
          !Same(pairs_->DistanceKm(a, b), pairs_->DistanceKm(b, a)) ||
          !Same(pairs_->Closeness(a, b), pairs_->Closeness(b, a))) {
        ++asymmetric;
      }
    }
  }
  EXPECT_EQ(asymmetric, 0);
}

TEST_F(CountryPairsTest, ClosenessWithoutScores) {
  const int n = pairs_->size();
  int out_of_range = 0;
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      const float closeness = pairs_->Closeness(a, b);
      if (!(closeness >= 0.0f && closeness <= 1.0f)) ++out_of_range;
    }
  }
  EXPECT_EQ(out_of_range, 0);

  const int de = Index("DE"), at = Index("AT"), jp = Index("JP");
  EXPECT_GT(pairs_->Closeness(de, at), pairs_->Closeness(de, jp));
  // Same subregion (Western Europe): 0.5 * language + 0.25 + 0.25 * hours / 8.
  EXPECT_NEAR(
      pairs_->Closeness(de, at),
      0.5 * pairs_->SharedLanguage(de, at) + 0.25 + 0.25 * pairs_->WorkingHourOverlap(de, at) / 8,
      1e-6);
  EXPECT_EQ(pairs_->KogutSingh(Index("DE"), Index("US")), std::nullopt);
}

TEST_F(CountryPairsTest, ClosenessWithScores) {
  if (socio::testing::SharedDataDir().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  ASSIGN_OR_FAIL(HofstedeScores scores,
                 HofstedeScores::LoadCsv(socio::testing::SharedDataDir() + "/hofstede_6d_iso.csv"));
  const CountryPairs pairs = CountryPairs::Build(*catalog_, &scores);
  const int de = Index("DE"), at = Index("AT"), jp = Index("JP"), us = Index("US"),
            aq = Index("AQ");

  EXPECT_THAT(pairs.KogutSingh(de, us), Optional(FloatNear(*scores.KogutSingh("DE", "US"), 1e-5)));
  EXPECT_THAT(pairs.KogutSingh(us, de), Optional(FloatNear(*scores.KogutSingh("DE", "US"), 1e-5)));
  EXPECT_THAT(pairs.KogutSingh(de, de), Optional(0.0f));
  EXPECT_EQ(pairs.KogutSingh(de, aq), std::nullopt);  // Antarctica has no scores.

  const int n = pairs.size();
  int out_of_range = 0;
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      const float closeness = pairs.Closeness(a, b);
      if (!(closeness >= 0.0f && closeness <= 1.0f)) ++out_of_range;
    }
  }
  EXPECT_EQ(out_of_range, 0);

  EXPECT_GT(pairs.Closeness(de, at), pairs.Closeness(de, jp));
  const float cd = *pairs.KogutSingh(de, at);
  EXPECT_NEAR(pairs.Closeness(de, at),
              0.4 / (1 + cd) + 0.3 * pairs.SharedLanguage(de, at) + 0.15 +
                  0.15 * pairs.WorkingHourOverlap(de, at) / 8,
              1e-6);
  // Without a figure for the pair, the formula without scores applies.
  EXPECT_FLOAT_EQ(pairs.Closeness(de, aq), pairs_->Closeness(de, aq));
  // The other tables do not depend on the scores.
  EXPECT_EQ(pairs.SharedLanguage(de, jp), pairs_->SharedLanguage(de, jp));
  EXPECT_EQ(pairs.DistanceKm(de, jp), pairs_->DistanceKm(de, jp));
}

}  // namespace
TEST_F(CountryPairsTest, DistancesUseEachCountrysOwnCity) {
  const CountryPairs pairs = CountryPairs::Build(*catalog_, nullptr);
  const auto km = [&](const char* a, const char* b) {
    return pairs.DistanceKm(catalog_->Index(a), catalog_->Index(b));
  };
  EXPECT_NEAR(km("DE", "NO"), 840, 150);   // Berlin - Oslo, not Berlin - Berlin
  EXPECT_NEAR(km("DE", "IS"), 2400, 250);  // Berlin - Reykjavik, not Berlin - Abidjan
  EXPECT_NEAR(km("DE", "RU"), 1600, 200);  // Berlin - Moscow
  EXPECT_NEAR(pairs.WorkingHourOverlap(catalog_->Index("DE"), catalog_->Index("RU")), 7, 0.51);
}

}  // namespace socio::reference
