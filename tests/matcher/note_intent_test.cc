// Intent written only in words: regions, states, cities and products named
// in an objective's note (or the profile's description) stand in for the
// markets and sectors the objective leaves open. Hand-written notes in
// Spanish, Portuguese, German, French and Italian, each ranking its partner
// in the top five among generated members; look-alikes that must not rise.
#include <algorithm>
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
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1795000000;
constexpr int kGenerated = 2000;

Profile Parse(const std::string& json) { return socio::testing::ProfileFromJson(json); }

// A member in `country` that ticks "seek distribution" and writes the rest
// in the note; it gives no sectors or markets anywhere.
Profile Member(const std::string& id, const std::string& country, const std::string& note,
               const std::string& description = "") {
  return Parse(absl::StrCat(R"({"id": ")", id, R"(", "chamberId": "chamber-)", country,
                            R"(", "name": "Member )", id, R"(", "country": ")", country, R"(",
      "languages": ["en"], "visibility": "FEDERATION", "employees": 25,
      "description": ")",
                            description, R"(",
      "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "note": ")",
                            note, R"("}]})"));
}

// A wholesaler in `country` offering distribution of the goods of `product`
// (a maker's NACE code) to makers from anywhere.
Profile Distributor(const std::string& id, const std::string& country, const std::string& product,
                    const std::string& wholesale) {
  return Parse(absl::StrCat(R"({"id": ")", id, R"(", "chamberId": "chamber-)", country,
                            R"(", "name": "Trade )", id, R"(", "country": ")", country,
                            R"(", "sectors": [")", wholesale, R"("], "languages": ["en"],
      "visibility": "FEDERATION", "employees": 60,
      "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": [")",
                            product, R"("]}]})"));
}

class NoteIntentTest : public ::testing::Test {
 protected:
  NoteIntentTest() : index_(std::make_shared<ScoringTables>(socio::testing::TestReference())) {
    index_.UpsertMany(socio::testing::GeneratedCrowd(19, kGenerated));
    // Food wholesalers in many countries, each one a look-alike for the
    // others: only where the note points tells them apart.
    for (const char* country : {"DE", "FR", "BR", "CA", "IT", "US", "AR", "JP", "ES", "PT"}) {
      index_.Upsert(Distributor(absl::StrCat("oil-", country), country, "10.41", "46.33"));
      index_.Upsert(Distributor(absl::StrCat("tea-", country), country, "10.83", "46.37"));
      index_.Upsert(Distributor(absl::StrCat("wine-", country), country, "11.02", "46.34"));
      index_.Upsert(Distributor(absl::StrCat("cheese-", country), country, "10.51", "46.33"));
      index_.Upsert(Distributor(absl::StrCat("furniture-", country), country, "31.09", "46.47"));
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

struct Case {
  std::string country;  // the member's
  std::string note;
  std::string partner;  // the one distributor that fits
};

TEST_F(NoteIntentTest, ProductsAndPlacesInTheNoteFindThePartnerInEachLanguage) {
  const std::vector<Case> cases = {
      // A product and a country.
      {"ES", "Buscamos distribuidor de aceite de oliva en Japón", "oil-JP"},
      {"PT", "procuramos importador de vinhos no Canadá", "wine-CA"},
      {"AT", "Suchen Importeur für Bio-Tee in Kanada", "tea-CA"},
      {"BE", "Nous cherchons un distributeur de fromages au Brésil", "cheese-BR"},
      {"CH", "Cerchiamo un distributore per i nostri mobili in Argentina", "furniture-AR"},
      // A product and a region, a state or a city.
      {"ES", "Buscamos distribuidor de vinos en Sudamérica", "wine-AR"},
      {"PT", "procuramos distribuidor de azeite em São Paulo", "oil-BR"},
      {"AT", "Suchen Händler für unsere Möbel in Kalifornien", "furniture-US"},
      {"BE", "Nous cherchons un importateur de thé et café à Toronto", "tea-CA"},
      {"CH", "Cerchiamo un importatore di formaggi in Baviera", "cheese-DE"},
  };
  int i = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.note);
    const std::string member = absl::StrCat("member-", i++);
    index_.Upsert(Member(member, c.country, c.note));
    const std::vector<std::string> top = Top(member, 5);
    EXPECT_THAT(top, Contains(c.partner)) << ::testing::PrintToString(top);
    // The note's product tells the partner from the wholesalers of other
    // goods in the same country: they rank below it.
    const std::vector<std::string> ranked = Top(member, 100);
    const auto rank = [&](const std::string& id) {
      return std::find(ranked.begin(), ranked.end(), id) - ranked.begin();
    };
    const std::string country = c.partner.substr(c.partner.find('-') + 1);
    for (const char* other : {"oil", "tea", "wine", "cheese", "furniture"}) {
      const std::string look_alike = absl::StrCat(other, "-", country);
      if (look_alike != c.partner) {
        EXPECT_LT(rank(c.partner), rank(look_alike)) << look_alike;
      }
    }
  }
}

TEST_F(NoteIntentTest, TheExplanationSaysWhatWasReadFromTheNote) {
  index_.Upsert(Member("member", "AT", "Suchen Importeur für Bio-Tee in Kanada"));
  const std::string reasons = Reasons("member", "tea-CA");
  EXPECT_THAT(reasons, HasSubstr("processing of tea and coffee (10.83) (read from the note)"));
  EXPECT_THAT(reasons, HasSubstr("in Canada (read from the note)"));
}

TEST_F(NoteIntentTest, TheDescriptionGivesMarketsAndSectorsWhenTheNoteNamesNone) {
  index_.Upsert(Member("member", "ES", "Buscamos distribuidor",
                       "Productores de aceite de oliva; exportamos a Japón."));
  EXPECT_THAT(Top("member", 5), Contains("oil-JP"));
  const std::string reasons = Reasons("member", "oil-JP");
  EXPECT_THAT(reasons, HasSubstr("in Japan (read from the description)"));
  EXPECT_THAT(reasons, HasSubstr("(10.41) (read from the description)"));
}

TEST_F(NoteIntentTest, TheNoteWinsOverTheDescription) {
  index_.Upsert(Member("member", "ES", "Buscamos distribuidor de vinos en Canadá",
                       "Productores de aceite de oliva; exportamos a Japón."));
  EXPECT_THAT(Top("member", 5), Contains("wine-CA"));
  const std::string reasons = Reasons("member", "wine-CA");
  EXPECT_THAT(reasons, HasSubstr("in Canada (read from the note)"));
  EXPECT_THAT(reasons, Not(HasSubstr("Japan")));
}

// Look-alikes: where the member is from is not where it wants to sell.
TEST_F(NoteIntentTest, WhereTheMemberComesFromIsNotAWantedMarket) {
  // An Austrian member writing where its goods come from.
  index_.Upsert(Member("from", "AT", "Wir sind ein Hersteller von Tee aus Deutschland"));
  EXPECT_THAT(Reasons("from", "tea-DE"), Not(HasSubstr("Germany (read from the note)")));
  // "German" is an adjective, not a country name: nothing is read.
  index_.Upsert(Member("adjective", "AT", "We are a German maker of tea"));
  EXPECT_THAT(Reasons("adjective", "tea-DE"), Not(HasSubstr("Germany")));
  // A member's own country, named in its note or description, is never a
  // market read from text.
  index_.Upsert(Member("own", "ES", "Somos un productor de aceite de España",
                       "Productores de aceite de oliva en Andalucía, España."));
  EXPECT_THAT(Reasons("own", "oil-ES"), Not(HasSubstr("Spain (read from")));
}

TEST_F(NoteIntentTest, GivenSectorsAndMarketsWinOverTheNote) {
  Profile member = Member("member", "ES", "Buscamos distribuidor de vinos en Canadá");
  member.mutable_objectives(0)->add_sectors("10.41");
  member.mutable_objectives(0)->add_markets("JP");
  index_.Upsert(member);
  EXPECT_EQ(Top("member", 1).front(), "oil-JP");
  EXPECT_THAT(Reasons("member", "oil-JP"), Not(HasSubstr("read from")));
}

TEST_F(NoteIntentTest, EverydayWordsNameNoPlaceOrProduct) {
  index_.Upsert(
      Member("member", "ES", "Buscamos socios para la montaña y la costa, con capital propio"));
  const std::string reasons = Reasons("member", "oil-US");
  EXPECT_THAT(reasons, Not(HasSubstr("read from")));
}

}  // namespace
}  // namespace socio::matcher
