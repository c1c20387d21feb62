// Markets read from an objective's note when the objective names none, as
// members write them ("Buscamos distribuidor en Alemania"), in the ranking
// and in the explanation's words.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/ranking.h"
#include "tests/support/reference.h"

namespace socio::matcher {
namespace {

using socio::v1::Match;
using socio::v1::Profile;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1795000000;
constexpr int kGenerated = 2000;

Profile Parse(const std::string& json) { return socio::testing::ProfileFromJson(json); }

// A Spanish olive-oil maker that seeks distribution; where is written only
// in the note, or (markets) given as codes too.
Profile Maker(const std::string& id, const std::string& note, const std::string& markets = "") {
  return Parse(absl::StrCat(R"({"id": ")", id, R"(", "chamberId": "camara-jaen",
      "name": "Aceites del Sur", "country": "ES", "sectors": ["10.41"], "languages": ["es", "en"],
      "visibility": "FEDERATION", "employees": 40,
      "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.33"],
                      "markets": [)",
                            markets, R"(], "note": ")", note, R"("}]})"));
}

// A food wholesaler in `country` that offers distribution of olive oil.
Profile Distributor(const std::string& id, const std::string& country) {
  return Parse(absl::StrCat(R"({"id": ")", id, R"(", "chamberId": "chamber-)", country,
                            R"(", "name": "Feinkost )", id, R"(", "country": ")", country, R"(",
      "sectors": ["46.33"], "languages": ["en"], "visibility": "FEDERATION", "employees": 60,
      "description": "Wholesale of edible oils and fine foods",
      "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["10.41"]}],
      "targetMarkets": ["ES"]})"));
}

class NoteMarketsTest : public ::testing::Test {
 protected:
  NoteMarketsTest() : index_(std::make_shared<ScoringTables>(socio::testing::TestReference())) {
    index_.UpsertMany(socio::testing::GeneratedCrowd(18, kGenerated));
    for (const char* country : {"DE", "FR", "BR", "CA", "IT"}) {
      index_.Upsert(Distributor(absl::StrCat("dist-", country), country));
    }
  }

  std::vector<std::string> Top(const std::string& member, int k) {
    return socio::testing::TopPartners(index_, member, k, kNow);
  }

  std::string Reasons(const std::string& a, const std::string& b) {
    return socio::testing::ReasonsOf(index_, a, b, kNow);
  }

  MatchIndex index_;
};

TEST_F(NoteMarketsTest, TheCountryANoteNamesRanksFirstInEachLanguage) {
  const std::vector<std::pair<std::string, std::string>> notes = {
      {"DE", "Buscamos distribuidor de aceite de oliva en Alemania"},
      {"CA", "Suchen Importeur für Olivenöl in Kanada"},
      {"BR", "procuramos distribuidor no Brasil"},
      {"FR", "Nous cherchons un distributeur en France"},
      {"IT", "Cerchiamo un distributore in Italia"},
  };
  for (const auto& [country, note] : notes) {
    SCOPED_TRACE(note);
    const std::string maker = absl::StrCat("maker-", country);
    index_.Upsert(Maker(maker, note));
    const std::vector<std::string> top = Top(maker, 5);
    ASSERT_FALSE(top.empty());
    EXPECT_EQ(top.front(), absl::StrCat("dist-", country)) << ::testing::PrintToString(top);
  }
}

TEST_F(NoteMarketsTest, TheExplanationSaysTheMarketWasReadFromTheNote) {
  index_.Upsert(Maker("maker", "Buscamos distribuidor en Alemania"));
  EXPECT_THAT(Reasons("maker", "dist-DE"), HasSubstr("in Germany (read from the note)"));
}

TEST_F(NoteMarketsTest, MarketsGivenAsCodesWinOverTheNote) {
  index_.Upsert(Maker("maker", "Buscamos distribuidor en Alemania", R"("FR")"));
  EXPECT_EQ(Top("maker", 1).front(), "dist-FR");
  EXPECT_THAT(Reasons("maker", "dist-FR"), Not(HasSubstr("read from the note")));
}

TEST_F(NoteMarketsTest, ANoteNamingNoCountryLeavesTheMarketOpen) {
  index_.Upsert(Maker("maker", "Buscamos distribuidor de aceite de oliva"));
  const std::string reasons = Reasons("maker", "dist-DE");
  EXPECT_THAT(reasons, Not(HasSubstr("read from the note")));
}

}  // namespace
}  // namespace socio::matcher
