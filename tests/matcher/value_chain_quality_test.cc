// Value chains: makers and the wholesalers of their goods, each side giving
// its own NACE code (a furniture maker 31.01, a furniture wholesaler 46.47),
// hidden among 2,000 generated members. Each side must find the other in its
// top 5, and a generic distributor with an unrelated code must not rise above
// the specialist.
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/ranking.h"
#include "tests/support/reference.h"

namespace socio::matcher {
namespace {

using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;
constexpr int kGenerated = 2000;

// Pairs "vcNN-a" (the maker) and "vcNN-b" (the trade), then look-alikes.
constexpr const char* kProfiles[] = {
    // Furniture 31.01 and a furniture wholesaler 46.47.
    R"({"id": "vc01-a", "chamberId": "cciaa-treviso", "name": "Mobilificio Piave S.r.l.",
        "country": "IT", "sectors": ["31.01"], "employees": 60, "languages": ["it", "en"],
        "description": "We make office desks, conference tables and shop fittings in oak.",
        "keywords": ["office furniture", "desks", "oak"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["31.01"],
                        "markets": ["DE"], "note": "Distributor for office furniture"}],
        "targetMarkets": ["DE", "AT"], "visibility": "FEDERATION"})",
    R"({"id": "vc01-b", "chamberId": "ihk-koeln", "name": "Rheinland Objektmoebel GmbH",
        "country": "DE", "sectors": ["46.47"], "employees": 45, "languages": ["de", "en"],
        "description": "Wholesaler of office furniture for dealers and planners.",
        "keywords": ["office furniture", "wholesale"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.47"],
                        "markets": ["DE", "AT"], "note": "We take on furniture brands"}],
        "targetMarkets": ["IT"], "visibility": "FEDERATION"})",
    // Food 10.83 and a coffee and tea wholesaler 46.37.
    R"({"id": "vc02-a", "chamberId": "camara-bogota", "name": "Tostadora Andina S.A.S.",
        "country": "CO", "sectors": ["10.83"], "employees": 90, "languages": ["es", "en"],
        "description": "Roaster of specialty coffee from Huila and Nariño.",
        "keywords": ["coffee", "specialty roast"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["10.83"],
                        "markets": ["US"], "note": "Importer for roasted coffee"}],
        "targetMarkets": ["US", "CA"], "visibility": "FEDERATION"})",
    R"({"id": "vc02-b", "chamberId": "miami-chamber", "name": "Bayfront Coffee Traders",
        "country": "US", "sectors": ["46.37"], "employees": 30, "languages": ["en", "es"],
        "description": "Wholesale of coffee and tea to cafés and grocers in Florida.",
        "keywords": ["coffee", "tea", "wholesale"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.37"],
                        "markets": ["US"], "note": "Adding Latin American roasters"}],
        "targetMarkets": ["CO"], "visibility": "FEDERATION"})",
    // Machinery 28.41 and a machine-tool wholesaler 46.62.
    R"({"id": "vc03-a", "chamberId": "ihk-stuttgart", "name": "Neckar Biegetechnik GmbH",
        "country": "DE", "sectors": ["28.41"], "employees": 200, "languages": ["de", "en"],
        "description": "CNC press brakes and bending cells.",
        "keywords": ["press brake", "bending"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["28.41"],
                        "markets": ["PL"], "note": "Dealer for machine tools"}],
        "targetMarkets": ["PL", "CZ"], "visibility": "FEDERATION"})",
    R"({"id": "vc03-b", "chamberId": "kig-warszawa", "name": "Maszyny Wisła Sp. z o.o.",
        "country": "PL", "sectors": ["46.62"], "employees": 25, "languages": ["pl", "de", "en"],
        "description": "Sells and services machine tools for metalworking shops.",
        "keywords": ["machine tools", "metalworking"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.62"],
                        "markets": ["PL"], "note": "Representing German machine builders"}],
        "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    // Textiles 14.13 and a clothing wholesaler 46.42.
    R"({"id": "vc04-a", "chamberId": "aci-porto", "name": "Confecções Minho Lda.",
        "country": "PT", "sectors": ["14.13"], "employees": 120, "languages": ["pt", "en", "fr"],
        "description": "Women's outerwear, cut and sewn in Portugal.",
        "keywords": ["apparel", "outerwear"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["14.13"],
                        "markets": ["FR"], "note": "Clothing wholesaler for France"}],
        "targetMarkets": ["FR", "BE"], "visibility": "FEDERATION"})",
    R"({"id": "vc04-b", "chamberId": "cci-lyon", "name": "Rhône Mode Diffusion SARL",
        "country": "FR", "sectors": ["46.42"], "employees": 35, "languages": ["fr", "en"],
        "description": "Wholesale of clothing to boutiques in the south of France.",
        "keywords": ["clothing", "wholesale", "boutiques"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.42"],
                        "markets": ["FR"], "note": "New European labels welcome"}],
        "targetMarkets": ["PT"], "visibility": "FEDERATION"})",
    // Chemicals 20.14 and a chemicals wholesaler 46.75.
    R"({"id": "vc05-a", "chamberId": "voka-antwerp", "name": "Scheldt Organics NV",
        "country": "BE", "sectors": ["20.14"], "employees": 400, "languages": ["nl", "en", "fr"],
        "description": "Produces solvents and glycol ethers.",
        "keywords": ["solvents", "glycol ethers"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["20.14"],
                        "markets": ["ES"], "note": "Chemical distributor for Spain"}],
        "targetMarkets": ["ES", "PT"], "visibility": "FEDERATION"})",
    R"({"id": "vc05-b", "chamberId": "camara-barcelona", "name": "Química Mediterránea S.L.",
        "country": "ES", "sectors": ["46.75"], "employees": 50, "languages": ["es", "en"],
        "description": "Distributes industrial chemicals to coating and cleaning makers.",
        "keywords": ["chemical distribution", "solvents"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.75"],
                        "markets": ["ES"], "note": "Looking for European producers"}],
        "targetMarkets": ["BE"], "visibility": "FEDERATION"})",
    // Look-alike of vc01-b: a generic distributor with an unrelated code
    // (non-specialised wholesale) and the same objective, country and words.
    R"({"id": "vc01-x", "chamberId": "ihk-koeln", "name": "Rheinland Handelshaus GmbH",
        "country": "DE", "sectors": ["46.90"], "employees": 45, "languages": ["de", "en"],
        "description": "Wholesaler of office furniture and everything else for dealers.",
        "keywords": ["office furniture", "wholesale"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.90"],
                        "markets": ["DE", "AT"], "note": "We take on furniture brands"}],
        "targetMarkets": ["IT"], "visibility": "FEDERATION"})",
    // Look-alike of vc05-b: a wholesaler of a neighbouring but unrelated
    // trade (metals), same words.
    R"({"id": "vc05-x", "chamberId": "camara-barcelona", "name": "Metales Mediterráneo S.L.",
        "country": "ES", "sectors": ["46.72"], "employees": 50, "languages": ["es", "en"],
        "description": "Distributes industrial chemicals and metals to coating makers.",
        "keywords": ["chemical distribution", "solvents"],
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["46.72"],
                        "markets": ["ES"], "note": "Looking for European producers"}],
        "targetMarkets": ["BE"], "visibility": "FEDERATION"})",
};

class ValueChainQualityTest : public ::testing::Test {
 protected:
  ValueChainQualityTest()
      : index_(std::make_shared<ScoringTables>(socio::testing::TestReference())) {
    std::vector<Profile> members = socio::testing::GeneratedCrowd(2026, kGenerated);
    for (const char* json : kProfiles) members.push_back(socio::testing::ProfileFromJson(json));
    index_.UpsertMany(members);
  }

  // The 1-based rank of `partner` among `member`'s top 5, or 0.
  int RankOf(const std::string& member, const std::string& partner, std::string* top) {
    return socio::testing::RankOf(index_, member, partner, 5, kNow, top);
  }

  MatchIndex index_;
};

TEST_F(ValueChainQualityTest, MakersAndTheirWholesalersFindEachOther) {
  socio::testing::PairTally tally;
  for (int pair = 1; pair <= 5; ++pair) {
    socio::testing::RankBothWays(index_, absl::StrCat("vc0", pair, "-a"),
                                 absl::StrCat("vc0", pair, "-b"), 5, kNow, &tally);
  }
  std::printf("value chains: %d of %d in the top 5, %d first\n", tally.found, tally.directions,
              tally.first);
  EXPECT_EQ(tally.found, tally.directions);
}

TEST_F(ValueChainQualityTest, AGenericDistributorDoesNotRiseAboveTheSpecialist) {
  for (const auto& [member, specialist, lookalike] :
       {std::tuple("vc01-a", "vc01-b", "vc01-x"), std::tuple("vc05-a", "vc05-b", "vc05-x")}) {
    std::string top;
    const int rank = RankOf(member, specialist, &top);
    ASSERT_GT(rank, 0) << member << "; top 5: " << top;
    const int lookalike_rank = RankOf(member, lookalike, &top);
    EXPECT_TRUE(lookalike_rank == 0 || lookalike_rank > rank)
        << lookalike << " rises above " << specialist << ": " << top;
  }
}

}  // namespace
}  // namespace socio::matcher
