// The factor scores mean what match.proto says, and the numbers a Match
// reports add up.
#include "matcher/scoring.h"

#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "matcher/explanation.h"
#include "matcher/features.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::matcher {
namespace {

using socio::testing::StatusIs;
using socio::v1::Profile;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ContainsRegex;
using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class ScoringTest : public ::testing::Test {
 protected:
  ScoringTest() : tables_(socio::testing::TestReference()) {}

  Features Make(const std::string& json) {
    Profile p;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &p).ok()) << json;
    return ExtractFeatures(p, tables_, 0);
  }
  SectorCode Code(const char* code) { return PackSector(tables_.reference().sectors(), code); }

  ScoringTables tables_;
};

constexpr char kSauceMaker[] =
    R"({"id": "mx-1", "chamberId": "canaco", "name": "Salsas", "country": "MX", "sectors": ["10.84"],
        "employees": 85, "languages": ["es", "en"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.3"],
                        "markets": ["US"], "note": "Food distributor for Texas"}],
        "targetMarkets": ["US", "CA"]})";
constexpr char kTexanDistributor[] =
    R"({"id": "us-1", "chamberId": "amcham", "name": "Lone Star Foods", "country": "US",
        "city": "Houston", "sectors": ["46.38"], "employees": 120, "languages": ["en", "es"],
        "description": "We distribute food in Texas.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["10.8"],
                        "markets": ["US"], "note": "Distribution across Texas"},
                       {"type": "SUPPLY", "direction": "SEEK", "sectors": ["10"], "markets": ["MX"]}],
        "targetMarkets": ["MX"]})";

TEST_F(ScoringTest, WeightsAreNormalisedAndBadOnesNamed) {
  absl::StatusOr<Weights> w = NormalizeWeights(DefaultFactorWeights(), "weights");
  ASSERT_TRUE(w.ok());
  EXPECT_THAT(std::accumulate(w->w.begin(), w->w.end(), 0.0), DoubleNear(1, 1e-12));
  socio::v1::FactorWeights doubled;
  doubled.set_objective(2);
  doubled.set_market(2);
  absl::StatusOr<Weights> halves = NormalizeWeights(doubled, "weights");
  ASSERT_TRUE(halves.ok());
  EXPECT_EQ(halves->w[kObjective], 0.5);
  EXPECT_EQ(halves->w[kMarket], 0.5);

  socio::v1::FactorWeights bad = DefaultFactorWeights();
  bad.set_market(-1);
  EXPECT_THAT(NormalizeWeights(bad, "weights"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weights.market")));
  bad = DefaultFactorWeights();
  bad.set_text(std::nan(""));
  EXPECT_THAT(NormalizeWeights(bad, "weights"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weights.text")));
  EXPECT_THAT(NormalizeWeights(socio::v1::FactorWeights(), "weights"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least one")));
}

TEST_F(ScoringTest, HugeWeightsNormaliseWithoutOverflow) {
  socio::v1::FactorWeights huge;
  huge.set_objective(1e308);
  huge.set_market(1e308);
  huge.set_sector(1e308);
  huge.set_culture(1e308);
  absl::StatusOr<Weights> w = NormalizeWeights(huge, "weights");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_DOUBLE_EQ(w->w[kObjective], 0.25);
  EXPECT_DOUBLE_EQ(w->w[kCulture], 0.25);
  EXPECT_EQ(w->w[kText], 0);
  huge.set_text(std::numeric_limits<double>::max());
  huge.set_size(std::numeric_limits<double>::denorm_min());
  w = NormalizeWeights(huge, "weights");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(std::accumulate(w->w.begin(), w->w.end(), 0.0), DoubleNear(1, 1e-12));
  EXPECT_GT(w->w[kText], w->w[kObjective]);
  EXPECT_GE(w->w[kSize], 0);
}

TEST_F(ScoringTest, SectorSimilarityFollowsTheNaceHierarchy) {
  EXPECT_EQ(SectorSimilarity(Code("10.84"), Code("10.84")), 1);
  EXPECT_EQ(SectorSimilarity(Code("10.8"), Code("10.84")), 1);  // one covers the other
  EXPECT_EQ(SectorSimilarity(Code("C"), Code("10.84")), 1);
  EXPECT_EQ(SectorSimilarity(Code("10.84"), Code("10.85")), 0.75);
  EXPECT_EQ(SectorSimilarity(Code("10.84"), Code("10.71")), 0.5);
  EXPECT_EQ(SectorSimilarity(Code("10.84"), Code("28.41")), 0.25);
  EXPECT_EQ(SectorSimilarity(Code("10.84"), Code("62.01")), 0);
  EXPECT_EQ(UnpackSector(Code("10.84")), "10.84");
  EXPECT_EQ(UnpackSector(Code("C")), "C");
  EXPECT_EQ(UnpackSector(Code("01.1")), "01.1");
}

TEST_F(ScoringTest, MakersMeetTheTradeOfTheirGoodsBothWays) {
  const std::pair<const char*, const char*> linked[] = {
      {"31.01", "46.47"}, {"31", "46.47"},    {"31.0", "46.15"}, {"10.84", "46.37"},
      {"10", "46.39"},    {"28.41", "46.62"}, {"28", "46.69"},   {"13.93", "46.47"},
      {"14.13", "46.42"}, {"20.14", "46.75"}, {"27.40", "46.4"}, {"28.41", "33.12"},
  };
  for (const auto& [maker, trade] : linked) {
    EXPECT_EQ(SectorSimilarity(Code(maker), Code(trade)), kValueChainSimilarity) << maker;
    EXPECT_EQ(SectorSimilarity(Code(trade), Code(maker)), kValueChainSimilarity) << trade;
    bool maker_makes = false, trade_makes = true;
    ASSERT_NE(ValueChainLinkOf(Code(maker), Code(trade), &maker_makes), nullptr) << maker;
    ASSERT_NE(ValueChainLinkOf(Code(trade), Code(maker), &trade_makes), nullptr) << trade;
    EXPECT_TRUE(maker_makes);
    EXPECT_FALSE(trade_makes);
  }
  // Unrelated trades, the generic ones, and codes above the division level.
  EXPECT_EQ(SectorSimilarity(Code("31.01"), Code("46.73")), 0);
  EXPECT_EQ(SectorSimilarity(Code("31.01"), Code("46.90")), 0);
  EXPECT_EQ(SectorSimilarity(Code("31.01"), Code("46.19")), 0);
  EXPECT_EQ(SectorSimilarity(Code("10.84"), Code("46.47")), 0);
  EXPECT_EQ(SectorSimilarity(Code("C"), Code("46.47")), 0);
  EXPECT_EQ(SectorSimilarity(Code("31.01"), Code("G")), 0);
  // The hierarchy still wins where it is closer.
  EXPECT_EQ(SectorSimilarity(Code("46.47"), Code("46.4")), 1);
}

// SectorSimilarity reads the value chain from a table of code shapes, the
// explanation from the links themselves: the two agree on every division,
// every group and every class of the makers' and traders' divisions.
TEST_F(ScoringTest, TheValueChainTableAgreesWithItsLinks) {
  std::vector<std::string> codes;
  for (int division = 1; division < 100; ++division) {
    const std::string d = absl::StrCat(division < 10 ? "0" : "", division);
    if (Code(d.c_str()) == 0) continue;
    codes.push_back(d);
    for (int group = 0; group < 10; ++group) {
      codes.push_back(absl::StrCat(d, ".", group));
      if (division == 10 || division == 28 || division == 31 || division == 46) {
        for (int klass = 0; klass < 10; ++klass)
          codes.push_back(absl::StrCat(d, ".", group, klass));
      }
    }
  }
  int linked = 0;
  for (const std::string& x : codes) {
    for (const std::string& y : codes) {
      const SectorCode a = Code(x.c_str()), b = Code(y.c_str());
      const bool by_links = ValueChainLinkOf(a, b, nullptr) != nullptr;
      const double hierarchy = SectorSimilarity(a, b);
      if (by_links && hierarchy < kValueChainSimilarity) ADD_FAILURE() << x << " " << y;
      if (!by_links && hierarchy == kValueChainSimilarity) ADD_FAILURE() << x << " " << y;
      linked += by_links;
    }
  }
  EXPECT_GT(linked, 1000);
}

// FindPartners' bounds: a code linked with one of a member's codes is within
// the member's reach, and the reach of a trader is narrower than every maker.
// Where sectors cannot judge (a profile that gives none), the sector factor
// takes the text factor's score, so the words of the note decide; without
// words it stays neutral.
TEST_F(ScoringTest, TextStandsInForMissingSectors) {
  const Features seeker = Make(
      R"({"id": "de-1", "name": "Teehaus", "country": "DE", "languages": ["en"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK",
                          "note": "importer for grocers and delis"}]})");
  const Features silent = Make(
      R"({"id": "de-2", "name": "Teehaus", "country": "DE", "languages": ["en"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK"}]})");
  const Features tea = Make(
      R"({"id": "ca-1", "name": "Maple", "country": "CA", "sectors": ["46.37"],
          "languages": ["en"], "description": "Importer for grocers and delis."})");
  const Features steel = Make(
      R"({"id": "ca-2", "name": "Forge", "country": "CA", "sectors": ["46.72"],
          "languages": ["en"], "description": "Wholesale of steel beams."})");
  const Weights weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  const ScoreContext context{&tables_, weights, 20000};
  const PairScore with_tea = ScorePair(context, seeker.view(), tea.view());
  const PairScore with_steel = ScorePair(context, seeker.view(), steel.view());
  EXPECT_FALSE(SectorJudged(seeker.view(), tea.view()));
  EXPECT_EQ(with_tea.forward[kSector], with_tea.forward[kText]);
  EXPECT_GT(with_tea.forward[kSector], 0.5);
  EXPECT_EQ(with_steel.forward[kSector], 0);
  EXPECT_EQ(ScorePair(context, silent.view(), tea.view()).forward[kSector], 0.5);
  // The other way, the partner's sectors cannot meet a profile without any
  // either; the partner's own notes have no words: neutral.
  EXPECT_EQ(with_tea.backward[kSector], 0.5);
}

TEST_F(ScoringTest, ValueChainReachBoundsEveryLink) {
  std::vector<std::string> codes = {"10.84", "31.01", "46.47", "46.3", "28",   "33.12",
                                    "45.31", "95.24", "46",    "G",    "47.5", "13.93"};
  for (const reference::ValueChainLink& link : reference::ValueChainLinks()) {
    codes.push_back(link.maker);
    codes.push_back(link.partner);
  }
  for (const std::string& x : codes) {
    const uint32_t mine = Code(x.c_str());
    const ChainReach reach = ValueChainReach(absl::MakeConstSpan(&mine, 1));
    for (const std::string& y : codes) {
      for (std::string z : {y, y + "0", y + "9", y.size() == 2 ? y + ".1" : y}) {
        const SectorCode theirs = Code(z.c_str());
        if (theirs == 0 || ValueChainLinkOf(mine, theirs, nullptr) == nullptr) continue;
        EXPECT_TRUE(reach.Reaches(tables_.DivisionsOf(theirs), TradeGroupsOf(theirs)))
            << x << " " << z;
      }
    }
  }
  const uint32_t furniture_trade = Code("46.47");
  const ChainReach trader = ValueChainReach(absl::MakeConstSpan(&furniture_trade, 1));
  EXPECT_TRUE(trader.Reaches(tables_.DivisionsOf(Code("31.01")), TradeGroupsOf(Code("31.01"))));
  EXPECT_FALSE(trader.Reaches(tables_.DivisionsOf(Code("10.84")), TradeGroupsOf(Code("10.84"))));
  const uint32_t furniture = Code("31.01");
  const ChainReach maker = ValueChainReach(absl::MakeConstSpan(&furniture, 1));
  EXPECT_TRUE(maker.Reaches(tables_.DivisionsOf(Code("46.47")), TradeGroupsOf(Code("46.47"))));
  EXPECT_FALSE(maker.Reaches(tables_.DivisionsOf(Code("46.3")), TradeGroupsOf(Code("46.3"))));
}

TEST_F(ScoringTest, AValueChainPairReadsInWords) {
  const Features maker = Make(
      R"({"id": "it-1", "name": "Mobili", "country": "IT", "sectors": ["31.01"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["31.01"]}]})");
  const Features wholesaler = Make(
      R"({"id": "de-1", "name": "Moebelhandel", "country": "DE", "sectors": ["46.47"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.47"]}]})");
  ScoreContext context{&tables_, *NormalizeWeights(DefaultFactorWeights(), "weights"), 20000};
  EXPECT_EQ(SectorScore(maker.view(), wholesaler.view(), nullptr, nullptr), kValueChainSimilarity);
  EXPECT_EQ(SectorScore(wholesaler.view(), maker.view(), nullptr, nullptr), kValueChainSimilarity);
  ObjectiveMatch fit;
  ObjectiveScore(tables_, maker.view(), wholesaler.view(), &fit);
  EXPECT_EQ(fit.sector_fit, kValueChainSimilarity);
  auto no_words = [](uint32_t) { return std::string(); };
  socio::v1::Match m = DescribeMatch(context, maker.view(), wholesaler.view(),
                                     {"de-1", "Moebelhandel", ""}, no_words);
  EXPECT_THAT(m.reasons(),
              Contains("They trade what you make (46.47 wholesale of furniture for your 31.01)."));
  m = DescribeMatch(context, wholesaler.view(), maker.view(), {"it-1", "Mobili", ""}, no_words);
  EXPECT_THAT(m.reasons(), Contains(AllOf(HasSubstr("They make what you trade (31.01"),
                                          HasSubstr("furniture for your 46.47)."))));
}

// Staff read the reasons about the member by its name, with verbs that
// agree; the member reads the same reasons addressed to it.
TEST_F(ScoringTest, ReasonsNameTheMemberForStaffAndAddressItOtherwise) {
  const Features maker = Make(
      R"({"id": "it-1", "name": "Mobili", "country": "IT", "sectors": ["31.01"], "employees": 40,
          "languages": ["it", "en"], "targetMarkets": ["DE"], "keywords": ["sofa"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["31.01"]},
                         {"type": "SUPPLY", "direction": "OFFER"}]})");
  const Features wholesaler = Make(
      R"({"id": "de-1", "name": "Moebelhandel", "country": "DE", "sectors": ["46.47"],
          "employees": 45, "languages": ["de", "en"], "targetMarkets": ["IT"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.47"]},
                         {"type": "SUPPLY", "direction": "SEEK"}]})");
  ScoreContext context{&tables_, *NormalizeWeights(DefaultFactorWeights(), "weights"), 20000};
  auto no_words = [](uint32_t) { return std::string(); };
  const socio::v1::Match to = DescribeMatch(context, maker.view(), wholesaler.view(),
                                            {"de-1", "Moebelhandel", ""}, no_words);
  const socio::v1::Match about = DescribeMatch(context, maker.view(), wholesaler.view(),
                                               {"de-1", "Moebelhandel", ""}, no_words, "Mobili");
  ASSERT_EQ(about.reasons_size(), to.reasons_size());
  EXPECT_THAT(to.reasons(), Contains("You offer supply; they seek a supplier."));
  EXPECT_THAT(about.reasons(), Contains("Mobili offers supply; they seek a supplier."));
  EXPECT_THAT(to.reasons(), Contains("Your working days overlap by 8 hours."));
  EXPECT_THAT(about.reasons(), Contains("Their working days and Mobili's overlap by 8 hours."));
  EXPECT_THAT(about.reasons(),
              Contains("They trade what Mobili makes (46.47 wholesale of furniture for Mobili's "
                       "31.01)."));
  EXPECT_THAT(about.reasons(), Contains("They are in Germany, one of Mobili's target markets."));
  EXPECT_THAT(about.reasons(), Contains("Mobili is in Italy, one of their target markets."));
  EXPECT_THAT(about.reasons(), Contains("Mobili and they share a business language: English."));
  EXPECT_THAT(about.reasons(), Contains("Similar size: 45 employees, Mobili 40."));
  for (const std::string& reason : about.reasons()) {
    EXPECT_THAT(reason, Not(ContainsRegex("(^|[^a-z])(you|You|your|Your)[^a-z]"))) << reason;
  }
  // The same reasons, in the same order, only worded for another reader.
  for (int i = 0; i < to.reasons_size(); ++i) {
    EXPECT_EQ(absl::StrContains(to.reasons(i), "target markets"),
              absl::StrContains(about.reasons(i), "target markets"));
  }
  // From the other side, read about the wholesaler.
  const socio::v1::Match other = DescribeMatch(context, wholesaler.view(), maker.view(),
                                               {"it-1", "Mobili", ""}, no_words, "Moebelhandel");
  EXPECT_THAT(other.reasons(), Contains("Moebelhandel seeks a supplier; they offer supply."));
  EXPECT_THAT(other.reasons(), Contains(StartsWith("They make what Moebelhandel trades (31.01 ")));
}

TEST(ShortCompanyNameTest, DropsTheLegalFormOnly) {
  EXPECT_EQ(ShortCompanyName("Salsas del Bajío S.A. de C.V."), "Salsas del Bajío");
  EXPECT_EQ(ShortCompanyName("Huber Maschinenbau GmbH"), "Huber Maschinenbau");
  EXPECT_EQ(ShortCompanyName("Huber Maschinenbau GmbH & Co. KG"), "Huber Maschinenbau");
  EXPECT_EQ(ShortCompanyName("Lone Star Foods, Inc."), "Lone Star Foods");
  EXPECT_EQ(ShortCompanyName("Distribuidora del Valle, S. de R.L. de C.V."),
            "Distribuidora del Valle");
  EXPECT_EQ(ShortCompanyName("Huber Maschinenbau"), "Huber Maschinenbau");
  EXPECT_EQ(ShortCompanyName("Sasa"), "Sasa");
  EXPECT_EQ(ShortCompanyName("GmbH"), "GmbH");  // nothing else to call it
}

TEST_F(ScoringTest, ASeekMeetsAnOfferOfTheSameTypeOnly) {
  const Features maker = Make(kSauceMaker);
  const Features distributor = Make(kTexanDistributor);
  ObjectiveMatch best;
  EXPECT_EQ(ObjectiveScore(tables_, maker.view(), distributor.view(), &best), 1);
  EXPECT_EQ(best.mine, 0);
  EXPECT_EQ(best.theirs, 0);
  // From the distributor's side the same pair: the maker fits its sectors and market.
  EXPECT_EQ(ObjectiveScore(tables_, distributor.view(), maker.view(), nullptr), 1);

  const Features other_seeker = Make(
      R"({"id": "de-1", "country": "DE", "sectors": ["10.84"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["US"]}]})");
  EXPECT_EQ(ObjectiveScore(tables_, maker.view(), other_seeker.view(), nullptr), 0);

  const Features lab_a =
      Make(R"({"id": "fi-1", "country": "FI", "objectives": [{"type": "RESEARCH_COOPERATION"}]})");
  const Features lab_b = Make(
      R"({"id": "kr-1", "country": "KR", "objectives": [{"type": "RESEARCH_COOPERATION", "direction": "SEEK"}]})");
  EXPECT_EQ(ObjectiveScore(tables_, lab_a.view(), lab_b.view(), nullptr), 1);
}

TEST_F(ScoringTest, NearTypesScoreAsAComplementTimesTheirDiscount) {
  using socio::v1::Objective;
  struct Case {
    Objective::Type x_type;
    Objective::Direction x_direction;
    Objective::Type y_type;
    Objective::Direction y_direction;
    double discount;
  };
  const Case cases[] = {
      {Objective::DISTRIBUTION, Objective::SEEK, Objective::AGENCY, Objective::OFFER, 0.8},
      {Objective::AGENCY, Objective::SEEK, Objective::DISTRIBUTION, Objective::OFFER, 0.8},
      {Objective::DISTRIBUTION, Objective::SEEK, Objective::SUPPLY, Objective::OFFER, 0.7},
      {Objective::SUPPLY, Objective::SEEK, Objective::DISTRIBUTION, Objective::OFFER, 0.7},
      {Objective::MANUFACTURING, Objective::SEEK, Objective::SUPPLY, Objective::OFFER, 0.7},
      {Objective::SUPPLY, Objective::SEEK, Objective::MANUFACTURING, Objective::OFFER, 0.7},
      {Objective::LICENSING, Objective::OFFER, Objective::TECHNICAL_COOPERATION,
       Objective::DIRECTION_UNSPECIFIED, 0.6},
      {Objective::LICENSING, Objective::SEEK, Objective::TECHNICAL_COOPERATION, Objective::SEEK,
       0.6},
  };
  auto profile = [&](const char* id, Objective::Type type, Objective::Direction direction) {
    return Make(absl::StrCat(R"({"id": ")", id, R"(", "country": "DE", "sectors": ["10.84"],
        "objectives": [{"type": ")",
                             Objective::Type_Name(type), R"(", "direction": ")",
                             Objective::Direction_Name(direction),
                             R"(", "sectors": ["10.84"], "markets": ["DE"]}]})"));
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(Objective::Type_Name(c.x_type), " ",
                              Objective::Direction_Name(c.x_direction), " / ",
                              Objective::Type_Name(c.y_type)));
    EXPECT_EQ(NearTypeDiscount(c.x_type, c.x_direction, c.y_type, c.y_direction), c.discount);
    EXPECT_EQ(NearTypeDiscount(c.y_type, c.y_direction, c.x_type, c.x_direction), c.discount);
    const Features x = profile("x", c.x_type, c.x_direction);
    const Features y = profile("y", c.y_type, c.y_direction);
    // Sectors and markets fit fully: the exact value is 1.
    ObjectiveMatch forward;
    EXPECT_DOUBLE_EQ(ObjectiveScore(tables_, x.view(), y.view(), &forward), c.discount);
    EXPECT_EQ(forward.discount, c.discount);
    EXPECT_DOUBLE_EQ(ObjectiveScore(tables_, y.view(), x.view(), nullptr), c.discount);
    EXPECT_NE(NearComplementKeys(ObjectiveKey(c.x_type, c.x_direction)) &
                  ObjectiveKey(c.y_type, c.y_direction),
              0u);
    // Both sides on the same side of the near pair: nothing.
    if (!IsSymmetricType(c.y_type)) {
      const Objective::Direction same = c.x_direction;
      EXPECT_EQ(NearTypeDiscount(c.x_type, c.x_direction, c.y_type, same), 0);
      EXPECT_EQ(ObjectiveScore(tables_, x.view(), profile("z", c.y_type, same).view(), nullptr), 0);
    }
  }
  // Exact complements are not in the table, and types far apart score 0.
  EXPECT_EQ(NearTypeDiscount(Objective::DISTRIBUTION, Objective::SEEK, Objective::DISTRIBUTION,
                             Objective::OFFER),
            0);
  EXPECT_EQ(
      NearTypeDiscount(Objective::INVESTMENT, Objective::SEEK, Objective::SUPPLY, Objective::OFFER),
      0);
  EXPECT_EQ(NearTypeDiscount(Objective::DISTRIBUTION, Objective::SEEK, Objective::SUPPLY,
                             Objective::SEEK),
            0);
}

TEST_F(ScoringTest, AnExactComplementBeatsANearOneWithTheSameFits) {
  const Features maker = Make(kSauceMaker);  // seeks a distributor (46.3) in the US
  const Features exact = Make(
      R"({"id": "us-3", "country": "US", "sectors": ["46.38"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["10.8"], "markets": ["US"]}]})");
  const Features near = Make(
      R"({"id": "us-4", "country": "US", "sectors": ["46.38"],
          "objectives": [{"type": "SUPPLY", "direction": "OFFER", "sectors": ["10.8"], "markets": ["US"]}]})");
  ObjectiveMatch exact_match, near_match;
  const double exact_score = ObjectiveScore(tables_, maker.view(), exact.view(), &exact_match);
  const double near_score = ObjectiveScore(tables_, maker.view(), near.view(), &near_match);
  EXPECT_EQ(exact_match.discount, 1);
  EXPECT_EQ(near_match.discount, 0.7);
  EXPECT_EQ(exact_match.sector_fit, near_match.sector_fit);
  EXPECT_EQ(exact_match.market_fit, near_match.market_fit);
  EXPECT_GT(exact_score, near_score);
  EXPECT_DOUBLE_EQ(near_score, 0.7 * exact_score);

  ScoreContext context{&tables_, *NormalizeWeights(DefaultFactorWeights(), "weights"), 20000};
  EXPECT_GT(ScorePair(context, maker.view(), exact.view()).score,
            ScorePair(context, maker.view(), near.view()).score);
  socio::v1::Match m = DescribeMatch(context, maker.view(), near.view(), {"us-4", "Near", "c"},
                                     [](uint32_t) { return std::string(); });
  EXPECT_THAT(m.reasons(), Contains(AllOf(HasSubstr("You seek a distributor"),
                                          HasSubstr("they offer supply for"),
                                          HasSubstr("a close fit (counted at 70 %)"))));
  m = DescribeMatch(context, near.view(), maker.view(), {"mx-1", "Salsas", "c"},
                    [](uint32_t) { return std::string(); });
  EXPECT_THAT(m.reasons(),
              Contains(AllOf(HasSubstr("You offer supply"), HasSubstr("they seek a distributor"),
                             HasSubstr("a close fit"))));
  m = DescribeMatch(context, maker.view(), exact.view(), {"us-3", "Exact", "c"},
                    [](uint32_t) { return std::string(); });
  EXPECT_THAT(m.reasons(), Not(Contains(HasSubstr("a close fit"))));

  const Features lab = Make(
      R"({"id": "fi-2", "country": "FI", "objectives": [{"type": "LICENSING", "direction": "OFFER"}]})");
  const Features engineers =
      Make(R"({"id": "in-2", "country": "IN", "objectives": [{"type": "TECHNICAL_COOPERATION"}]})");
  m = DescribeMatch(context, engineers.view(), lab.view(), {"fi-2", "Lab", "c"},
                    [](uint32_t) { return std::string(); });
  EXPECT_THAT(m.reasons(), Contains(AllOf(HasSubstr("You want technical cooperation"),
                                          HasSubstr("they offer licences"),
                                          HasSubstr("a close fit (counted at 60 %)"))));
}

TEST_F(ScoringTest, ObjectivesAreNarrowedBySectorsAndMarkets) {
  const Features maker = Make(kSauceMaker);
  const Features wrong_sector = Make(
      R"({"id": "us-2", "country": "US", "sectors": ["62.01"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["26"], "markets": ["US"]}]})");
  const Features wrong_market = Make(
      R"({"id": "jp-2", "country": "JP", "sectors": ["46.38"],
          "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["JP"]}]})");
  const double right =
      ObjectiveScore(tables_, maker.view(), Make(kTexanDistributor).view(), nullptr);
  const double sector_off = ObjectiveScore(tables_, maker.view(), wrong_sector.view(), nullptr);
  const double market_off = ObjectiveScore(tables_, maker.view(), wrong_market.view(), nullptr);
  EXPECT_GT(right, market_off);
  EXPECT_GT(market_off, sector_off);
  EXPECT_GT(sector_off, 0);
}

TEST_F(ScoringTest, MarketCountsTargetsFullyAndTheirRegionsInPart) {
  const Features maker = Make(kSauceMaker);  // targets US, CA
  const reference::CountryCatalog& c = tables_.reference().countries();
  EXPECT_EQ(MarketScore(tables_, maker.view(), c.Index("US")), 1);
  EXPECT_EQ(MarketScore(tables_, maker.view(), c.Index("BM")), 0.6);  // Northern America
  EXPECT_EQ(MarketScore(tables_, maker.view(), c.Index("BR")), 0.3);  // the Americas
  EXPECT_EQ(MarketScore(tables_, maker.view(), c.Index("DE")), 0);
  const Features no_targets = Make(R"({"id": "x", "country": "FR"})");
  EXPECT_EQ(MarketScore(tables_, no_targets.view(), c.Index("DE")), 0.5);
}

TEST_F(ScoringTest, TextCountsTheShareOfNoteWordsThePartnerUses) {
  const Features maker = Make(kSauceMaker);  // note: food, distributor, texas
  const Features distributor = Make(kTexanDistributor);
  std::vector<uint32_t> matched;
  EXPECT_EQ(TextScore(maker.view(), distributor.view(), &matched), 1);
  EXPECT_EQ(matched.size(), 3u);
  const Features silent = Make(R"({"id": "x", "country": "FR", "description": "Bicycles."})");
  EXPECT_EQ(TextScore(maker.view(), silent.view(), nullptr), 0);
  EXPECT_EQ(TextScore(silent.view(), maker.view(), nullptr), 0.5);  // no notes: no judgement
}

TEST_F(ScoringTest, AMatchAddsUpAndReadsInWords) {
  const Features maker = Make(kSauceMaker);
  const Features distributor = Make(kTexanDistributor);
  ScoreContext context{&tables_, *NormalizeWeights(DefaultFactorWeights(), "weights"), 20000};
  socio::v1::Match m =
      DescribeMatch(context, maker.view(), distributor.view(),
                    {"us-1", "Lone Star Foods", "amcham"}, [](uint32_t) { return std::string(); });
  double forward = 0, backward = 0, reciprocal = 0;
  ASSERT_EQ(m.factors_size(), kFactorCount);
  for (const socio::v1::FactorScore& f : m.factors()) {
    forward += f.forward_contribution();
    backward += f.backward_contribution();
    reciprocal += f.contribution();
  }
  EXPECT_THAT(forward, DoubleNear(m.forward_score(), 1e-12));
  EXPECT_THAT(backward, DoubleNear(m.backward_score(), 1e-12));
  EXPECT_THAT(reciprocal, DoubleNear(m.score(), 1e-12));
  EXPECT_THAT(m.score(), DoubleNear(2 * m.forward_score() * m.backward_score() /
                                        (m.forward_score() + m.backward_score()),
                                    1e-12));
  EXPECT_EQ(m.partner_country(), "US");
  EXPECT_THAT(m.reasons(),
              Contains(AllOf(HasSubstr("You seek a distributor"), HasSubstr("the United States"),
                             HasSubstr("they offer distribution"))));
  EXPECT_THAT(m.reasons(), Contains(HasSubstr("one of your target markets")));
  EXPECT_THAT(m.reasons(), Contains(HasSubstr("You are in Mexico, one of their target markets")));
  EXPECT_THAT(m.reasons(), Contains(HasSubstr("share a business language")));
}

}  // namespace
}  // namespace socio::matcher
