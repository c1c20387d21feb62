#include "reference/culture.h"

#include <array>
#include <cmath>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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
using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::NotNull;
using ::testing::Optional;

constexpr char kHeader[] =
    "hofstede_code,hofstede_name,iso2,iso3,entity_type,pdi,idv,mas,uai,ltowvs,ivr\n";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string HofstedeCsv() { return socio::testing::SharedDataDir() + "/hofstede_6d_iso.csv"; }

// The country rows of the shared file, parsed independently of LoadCsv: the
// file has no quoted cells, so splitting at commas is enough. Columns 5..10
// are the six dimensions.
struct CountryRow {
  std::string iso2;
  std::array<std::optional<double>, kHofstedeDimensions> scores;
};

std::vector<CountryRow> ReadCountryRows(const std::string& path) {
  std::vector<CountryRow> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    EXPECT_EQ(line.find('"'), std::string::npos) << "this reader cannot parse " << line;
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    if (cells.size() != 11 || cells[4] != "country" || cells[2].empty()) continue;
    CountryRow row{cells[2], {}};
    for (int d = 0; d < kHofstedeDimensions; ++d) {
      double value;
      if (absl::SimpleAtod(cells[5 + d], &value)) row.scores[d] = value;
    }
    rows.push_back(row);
  }
  return rows;
}

// Variance of dimension d over the rows having it; population (divide by N)
// or sample (divide by N - 1).
double Variance(const std::vector<CountryRow>& rows, int d, bool population) {
  double sum = 0, squares = 0;
  int n = 0;
  for (const CountryRow& row : rows) {
    if (row.scores[d]) {
      sum += *row.scores[d];
      squares += *row.scores[d] * *row.scores[d];
      ++n;
    }
  }
  const double mean = sum / n;
  return (squares - n * mean * mean) / (population ? n : n - 1);
}

TEST(HofstedeScoresTest, KogutSinghGermanyUnitedStatesMatchesHandComputation) {
  if (socio::testing::SharedDataDir().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  ASSIGN_OR_FAIL(HofstedeScores scores, HofstedeScores::LoadCsv(HofstedeCsv()));
  const std::vector<CountryRow> rows = ReadCountryRows(HofstedeCsv());
  ASSERT_EQ(rows.size(), 101u);
  EXPECT_EQ(scores.size(), 101);

  // From the file: GER,Germany,DE,DEU,country,35,67,66,65,83,40 and
  // USA,U.S.A.,US,USA,country,40,91,62,46,26,68.
  constexpr std::array<double, 6> kGermany = {35, 67, 66, 65, 83, 40};
  constexpr std::array<double, 6> kUnitedStates = {40, 91, 62, 46, 26, 68};
  double sum = 0;
  for (int d = 0; d < kHofstedeDimensions; ++d) {
    const double variance = Variance(rows, d, /*population=*/true);
    EXPECT_NEAR(scores.Variance(d), variance, 1e-9) << kHofstedeDimensionNames[d];
    sum += (kGermany[d] - kUnitedStates[d]) * (kGermany[d] - kUnitedStates[d]) / variance;
  }
  const double expected = sum / 6;
  EXPECT_THAT(scores.KogutSingh("DE", "US"), Optional(DoubleNear(expected, 1e-6)));
  EXPECT_THAT(scores.KogutSingh("US", "DE"), Optional(DoubleNear(expected, 1e-6)));
  EXPECT_THAT(scores.KogutSingh("DE", "DE"), Optional(0.0));

  const HofstedeScores::Scores* germany = scores.Find("DE");
  ASSERT_THAT(germany, NotNull());  // The country row, not "Germany East" (subnational).
  EXPECT_THAT((*germany)[4], Optional(83.0));
}

// The README's note: over the four original dimensions (pdi, idv, mas, uai)
// and the 69 countries that have all four, the population and the sample
// variance give DE-US figures about 1 % apart. LoadCsv uses the population one.
TEST(HofstedeScoresTest, FourDimensionsUsePopulationVariance) {
  if (socio::testing::SharedDataDir().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  std::vector<CountryRow> rows;
  std::string csv = kHeader;
  for (CountryRow row : ReadCountryRows(HofstedeCsv())) {
    if (!row.scores[0] || !row.scores[1] || !row.scores[2] || !row.scores[3]) continue;
    row.scores[4] = row.scores[5] = std::nullopt;
    rows.push_back(row);
    absl::StrAppend(&csv, "X,Name,", row.iso2, ",XXX,country,", *row.scores[0], ",", *row.scores[1],
                    ",", *row.scores[2], ",", *row.scores[3], ",,\n");
  }
  ASSERT_EQ(rows.size(), 69u);
  socio::testing::TempDir dir;
  WriteFile(dir.Join("four.csv"), csv);
  ASSIGN_OR_FAIL(HofstedeScores scores, HofstedeScores::LoadCsv(dir.Join("four.csv")));

  constexpr std::array<double, 4> kGermany = {35, 67, 66, 65};
  constexpr std::array<double, 4> kUnitedStates = {40, 91, 62, 46};
  double population = 0, sample = 0;
  for (int d = 0; d < 4; ++d) {
    const double square = (kGermany[d] - kUnitedStates[d]) * (kGermany[d] - kUnitedStates[d]);
    population += square / Variance(rows, d, /*population=*/true) / 4;
    sample += square / Variance(rows, d, /*population=*/false) / 4;
  }
  EXPECT_NEAR(population / sample, 69.0 / 68.0, 1e-12);  // "about 1 %" apart
  EXPECT_THAT(scores.KogutSingh("DE", "US"), Optional(DoubleNear(population, 1e-6)));
}

TEST(HofstedeScoresTest, UsesOnlyDimensionsBothCountriesHave) {
  socio::testing::TempDir dir;
  // Population variances: pdi over {0, 10, 20} = 200/3; idv over {0, 30} = 225.
  WriteFile(dir.Join("h.csv"), std::string(kHeader) +
                                   "AAA,Aland,AA,AAA,country,0,0,,,,\n"
                                   "BBB,Bland,BB,BBB,country,10,30,,,,\n"
                                   "CCC,Cland,CC,CCC,country,20,,,,,\n"
                                   "DDD,Dland,DD,DDD,country,,,,,,\n");
  ASSIGN_OR_FAIL(HofstedeScores scores, HofstedeScores::LoadCsv(dir.Join("h.csv")));
  EXPECT_EQ(scores.size(), 3);  // DD has no score.
  EXPECT_DOUBLE_EQ(scores.Variance(0), 200.0 / 3);
  EXPECT_DOUBLE_EQ(scores.Variance(1), 225.0);
  // n = 2: (100 / (200/3) + 900 / 225) / 2.
  EXPECT_THAT(scores.KogutSingh("AA", "BB"), Optional(DoubleNear((1.5 + 4.0) / 2, 1e-12)));
  // n = 1: only pdi is shared.
  EXPECT_THAT(scores.KogutSingh("BB", "CC"), Optional(DoubleNear(1.5, 1e-12)));
}

TEST(HofstedeScoresTest, MissingScoreInSharedFile) {
  if (socio::testing::SharedDataDir().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  ASSIGN_OR_FAIL(HofstedeScores scores, HofstedeScores::LoadCsv(HofstedeCsv()));
  // ALB,Albania,AL,ALB,country,,,,,61,15: only ltowvs and ivr, so n = 2.
  const HofstedeScores::Scores* albania = scores.Find("AL");
  ASSERT_THAT(albania, NotNull());
  EXPECT_FALSE((*albania)[0].has_value());
  const double expected = ((83.0 - 61) * (83.0 - 61) / scores.Variance(4) +
                           (40.0 - 15) * (40.0 - 15) / scores.Variance(5)) /
                          2;
  EXPECT_THAT(scores.KogutSingh("DE", "AL"), Optional(DoubleNear(expected, 1e-9)));
}

TEST(HofstedeScoresTest, UnknownCountryHasNoDistance) {
  socio::testing::TempDir dir;
  WriteFile(dir.Join("h.csv"), std::string(kHeader) +
                                   "AAA,Aland,AA,AAA,country,1,2,3,4,5,6\n"
                                   "REG,Region,,,region,1,2,3,4,5,6\n"
                                   "SUB,Sub,SS,SSS,subnational,1,2,3,4,5,6\n"
                                   "XXX,No code,,,country,1,2,3,4,5,6\n");
  ASSIGN_OR_FAIL(HofstedeScores scores, HofstedeScores::LoadCsv(dir.Join("h.csv")));
  EXPECT_EQ(scores.size(), 1);
  EXPECT_EQ(scores.Find("SS"), nullptr);
  EXPECT_EQ(scores.KogutSingh("AA", "ZZ"), std::nullopt);
  EXPECT_EQ(scores.KogutSingh("ZZ", "AA"), std::nullopt);
  EXPECT_EQ(scores.KogutSingh("AA", "SS"), std::nullopt);
  // One country: every variance is 0, so no dimension separates anything.
  EXPECT_EQ(scores.KogutSingh("AA", "AA"), std::nullopt);
}

TEST(HofstedeScoresTest, FindsColumnsByNameAndReadsQuotedCells) {
  socio::testing::TempDir dir;
  WriteFile(dir.Join("h.csv"),
            "\xEF\xBB\xBF"
            "ivr,ltowvs,uai,mas,idv,pdi,entity_type,iso2,hofstede_name\r\n"
            "6,5,4,3,2,1,country,AA,\"Aland, \"\"North\"\"\"\r\n"
            "\r\n"
            "7,5,4,3,2,3,\"country\",bb,\"Bland\nwith a line break\"\r\n");
  ASSIGN_OR_FAIL(HofstedeScores scores, HofstedeScores::LoadCsv(dir.Join("h.csv")));
  EXPECT_EQ(scores.size(), 2);
  const HofstedeScores::Scores* a = scores.Find("AA");
  ASSERT_THAT(a, NotNull());
  EXPECT_THAT((*a)[0], Optional(1.0));
  EXPECT_THAT((*a)[5], Optional(6.0));
  EXPECT_THAT(scores.Find("BB"), NotNull());
  // pdi variance 1, ivr variance 0.25; the other dimensions do not vary.
  EXPECT_THAT(scores.KogutSingh("AA", "BB"),
              Optional(DoubleNear((4.0 / 1 + 1.0 / 0.25) / 2, 1e-12)));
}

TEST(HofstedeScoresTest, NonNumericScoreNamesLineAndColumn) {
  socio::testing::TempDir dir;
  WriteFile(dir.Join("h.csv"), std::string(kHeader) +
                                   "AAA,\"Aland\nNorth\",AA,AAA,country,1,2,3,4,5,6\n"
                                   "BBB,Bland,BB,BBB,country,1,2,high,4,5,6\n");
  EXPECT_THAT(
      HofstedeScores::LoadCsv(dir.Join("h.csv")),
      StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr("h.csv"), HasSubstr("line 4"),
                                                         HasSubstr("mas"), HasSubstr("high"))));
}

TEST(HofstedeScoresTest, RejectsBadFiles) {
  socio::testing::TempDir dir;
  WriteFile(dir.Join("no_ivr.csv"),
            "iso2,entity_type,pdi,idv,mas,uai,ltowvs\nAA,country,1,2,3,4,5\n");
  EXPECT_THAT(
      HofstedeScores::LoadCsv(dir.Join("no_ivr.csv")),
      StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr("line 1"), HasSubstr("ivr"))));
  WriteFile(dir.Join("empty.csv"), "");
  EXPECT_THAT(HofstedeScores::LoadCsv(dir.Join("empty.csv")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  WriteFile(dir.Join("twice.csv"), std::string(kHeader) +
                                       "AAA,Aland,AA,AAA,country,1,2,3,4,5,6\n"
                                       "AAA,Aland,AA,AAA,country,1,2,3,4,5,6\n");
  EXPECT_THAT(
      HofstedeScores::LoadCsv(dir.Join("twice.csv")),
      StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr("line 3"), HasSubstr("iso2"))));
  WriteFile(dir.Join("open.csv"), std::string(kHeader) + "AAA,\"Aland,AA,AAA,country,1\n");
  EXPECT_THAT(HofstedeScores::LoadCsv(dir.Join("open.csv")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(HofstedeScores::LoadCsv(dir.Join("absent.csv")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("absent.csv")));
}

}  // namespace
}  // namespace socio::reference
