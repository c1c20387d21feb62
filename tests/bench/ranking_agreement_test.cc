#include "bench/peer/ranking_agreement.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace socio::bench {
namespace {

constexpr double kTolerance = 1e-9;

std::optional<double> Unknown(const std::string&) { return std::nullopt; }

TEST(CompareRankingsTest, SameListsAgree) {
  const std::vector<RankedPartner> list = {{"a", 0.9}, {"b", 0.8}, {"c", 0.7}};
  const RankingAgreement agreement = CompareRankings(list, list, kTolerance, Unknown);
  EXPECT_TRUE(agreement.same);
  EXPECT_EQ(agreement.reordered, 0);
  EXPECT_EQ(agreement.difference, "");
}

TEST(CompareRankingsTest, ScoresWithinToleranceAgree) {
  const RankingAgreement agreement = CompareRankings(
      {{"a", 0.9}, {"b", 0.8}}, {{"a", 0.9 + 1e-12}, {"b", 0.8 - 1e-12}}, kTolerance, Unknown);
  EXPECT_TRUE(agreement.same);
}

TEST(CompareRankingsTest, DifferentScoreDisagrees) {
  const RankingAgreement agreement = CompareRankings(
      {{"a", 0.9}, {"b", 0.8}}, {{"a", 0.9}, {"b", 0.8 + 1e-6}}, kTolerance, Unknown);
  EXPECT_FALSE(agreement.same);
  EXPECT_NE(agreement.difference.find("rank 2"), std::string::npos) << agreement.difference;
}

TEST(CompareRankingsTest, DifferentLengthDisagrees) {
  EXPECT_FALSE(CompareRankings({{"a", 0.9}}, {{"a", 0.9}, {"b", 0.8}}, kTolerance, Unknown).same);
}

TEST(CompareRankingsTest, TiedPartnersInEitherOrderAgree) {
  const RankingAgreement agreement =
      CompareRankings({{"a", 0.9}, {"b", 0.8}, {"c", 0.8 + 1e-12}, {"d", 0.7}},
                      {{"a", 0.9}, {"c", 0.8}, {"b", 0.8}, {"d", 0.7}}, kTolerance, Unknown);
  EXPECT_TRUE(agreement.same) << agreement.difference;
  EXPECT_EQ(agreement.reordered, 2);
}

TEST(CompareRankingsTest, SameScoresOfOtherPartnersInsideTheListDisagree) {
  const RankingAgreement agreement =
      CompareRankings({{"a", 0.9}, {"b", 0.8}, {"c", 0.8}, {"d", 0.7}},
                      {{"a", 0.9}, {"b", 0.8}, {"x", 0.8}, {"d", 0.7}}, kTolerance, Unknown);
  EXPECT_FALSE(agreement.same);
  EXPECT_NE(agreement.difference.find("ranks 2-3"), std::string::npos) << agreement.difference;
}

TEST(CompareRankingsTest, TieCutByKAgreesWhenSocioScoresTheOtherPartnerTheSame) {
  auto socio_score_of = [](const std::string& id) -> std::optional<double> {
    if (id == "x") return 0.8;
    return std::nullopt;
  };
  const RankingAgreement agreement =
      CompareRankings({{"a", 0.9}, {"b", 0.8}, {"c", 0.8}}, {{"a", 0.9}, {"b", 0.8}, {"x", 0.8}},
                      kTolerance, socio_score_of);
  EXPECT_TRUE(agreement.same) << agreement.difference;
  EXPECT_EQ(agreement.cut_ties, 1);
}

TEST(CompareRankingsTest, TieCutByKDisagreesWhenSocioScoresTheOtherPartnerLower) {
  auto socio_score_of = [](const std::string& id) -> std::optional<double> {
    if (id == "x") return 0.5;
    return std::nullopt;
  };
  const RankingAgreement agreement =
      CompareRankings({{"a", 0.9}, {"b", 0.8}, {"c", 0.8}}, {{"a", 0.9}, {"b", 0.8}, {"x", 0.8}},
                      kTolerance, socio_score_of);
  EXPECT_FALSE(agreement.same);
  EXPECT_NE(agreement.difference.find("Socio scores 0.5"), std::string::npos)
      << agreement.difference;
}

}  // namespace
}  // namespace socio::bench
