// Text across languages: a member writing in Spanish, Portuguese, German,
// French or Italian (its profile's `languages` say so) and an English-writing
// partner, hidden among 2,000 generated members, with the bilingual lexicon
// from Debian's FreeDict dictionaries. Each side must find the other in its
// top 5 with a text factor above zero (their words meet), and a look-alike
// whose text echoes the member's but who seeks too must not rise above the
// partner.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/ranking.h"

namespace socio::matcher {
namespace {

using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;
constexpr int kGenerated = 2000;

// Pairs "lgNN-a" (writes in its language) and "lgNN-b" (writes in English);
// "lgNN-x" echoes lgNN-b's text but seeks as lgNN-a does.
constexpr const char* kProfiles[] = {
    R"({"id": "lg01-a", "chamberId": "camara-valencia", "name": "Muebles Turia S.L.",
        "country": "ES", "employees": 40, "languages": ["es"],
        "description": "Fabricante de muebles de madera para el hogar.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["GB"],
                        "note": "buscamos distribuidores de muebles"}],
        "targetMarkets": ["GB"], "visibility": "FEDERATION"})",
    R"({"id": "lg01-b", "chamberId": "bcc-leeds", "name": "Northern Home Furnishing Ltd",
        "country": "GB", "employees": 30, "languages": ["en"],
        "description": "Furniture distributor for retailers in the north of England.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["GB"],
                        "note": "We distribute furniture made in Spain"}],
        "targetMarkets": ["ES"], "visibility": "FEDERATION"})",
    R"({"id": "lg02-a", "chamberId": "aci-porto", "name": "Calçado Ave Lda.",
        "country": "PT", "employees": 80, "languages": ["pt"],
        "description": "Fabricante de calçado de couro.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["IE"],
                        "note": "procuramos importador e representante comercial"}],
        "targetMarkets": ["IE"], "visibility": "FEDERATION"})",
    R"({"id": "lg02-b", "chamberId": "dublin-chamber", "name": "Liffey Footwear Imports",
        "country": "IE", "employees": 12, "languages": ["en"],
        "description": "Footwear importer and commercial agent; we represent leather brands.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["IE"],
                        "note": "Importer of leather footwear"}],
        "targetMarkets": ["PT"], "visibility": "FEDERATION"})",
    R"({"id": "lg03-a", "chamberId": "ihk-nuernberg", "name": "Frankenholz Möbelwerk GmbH",
        "country": "DE", "employees": 150, "languages": ["de"],
        "description": "Wir bauen Möbel aus Eiche.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CA"],
                        "note": "Suchen Importeur für Möbel in Kanada"}],
        "targetMarkets": ["CA"], "visibility": "FEDERATION"})",
    R"({"id": "lg03-b", "chamberId": "toronto-board", "name": "Lakeshore Furniture Importers",
        "country": "CA", "employees": 25, "languages": ["en"],
        "description": "Importer of European furniture for Canadian stores.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["CA"],
                        "note": "Furniture importer"}],
        "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "lg04-a", "chamberId": "cci-bordeaux", "name": "Château Garonne SAS",
        "country": "FR", "employees": 35, "languages": ["fr"],
        "description": "Producteur de vin de Bordeaux.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["US"],
                        "note": "cherchons importateur de vin"}],
        "targetMarkets": ["US"], "visibility": "FEDERATION"})",
    R"({"id": "lg04-b", "chamberId": "chicago-chamber", "name": "Lakefront Wine Imports",
        "country": "US", "employees": 18, "languages": ["en"],
        "description": "Wine importer for restaurants in Illinois.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["US"],
                        "note": "Importer of French wine"}],
        "targetMarkets": ["FR"], "visibility": "FEDERATION"})",
    R"({"id": "lg05-a", "chamberId": "cciaa-verona", "name": "Calzaturificio Adige S.r.l.",
        "country": "IT", "employees": 70, "languages": ["it"],
        "description": "Produciamo scarpe e vino della Valpolicella.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["AU"],
                        "note": "cerchiamo distributori di scarpe e vino"}],
        "targetMarkets": ["AU"], "visibility": "FEDERATION"})",
    R"({"id": "lg05-b", "chamberId": "sydney-chamber", "name": "Harbour Shoes and Wine Pty",
        "country": "AU", "employees": 20, "languages": ["en"],
        "description": "Distribution of Italian shoes and wine in Australia.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["AU"],
                        "note": "Shoes and wine distribution"}],
        "targetMarkets": ["IT"], "visibility": "FEDERATION"})",
    // Echoes lg03-b's words but seeks an importer itself.
    R"({"id": "lg03-x", "chamberId": "toronto-board", "name": "Maple Furniture Makers",
        "country": "CA", "employees": 25, "languages": ["en"],
        "description": "Furniture maker; we seek an importer of furniture in Germany.",
        "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["DE"],
                        "note": "Furniture importer"}],
        "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

std::shared_ptr<const reference::ReferenceData> ReferenceWithLexicon() {
  reference::ReferenceOptions options;
  options.dictionary_dir = "/usr/share/dictd";
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> loaded =
      reference::ReferenceData::Load(options);
  if (!loaded.ok()) std::abort();
  return *std::move(loaded);
}

class LanguageQualityTest : public ::testing::Test {
 protected:
  LanguageQualityTest()
      : index_tables_(std::make_shared<ScoringTables>(ReferenceWithLexicon())),
        index_(index_tables_) {
    std::vector<Profile> members = socio::testing::GeneratedCrowd(2026, kGenerated);
    for (const char* json : kProfiles) members.push_back(socio::testing::ProfileFromJson(json));
    index_.UpsertMany(members);
    weights_ = *NormalizeWeights(DefaultFactorWeights(), "weights");
  }

  // The 1-based rank of `partner` among `member`'s top 5, or 0.
  int RankOf(const std::string& member, const std::string& partner, std::string* top) {
    return socio::testing::RankOf(index_, member, partner, 5, kNow, top);
  }

  // The text factor of member -> partner.
  double TextForward(const std::string& member, const std::string& partner) {
    absl::StatusOr<socio::v1::Match> match = index_.Explain(member, partner, weights_, kNow, false);
    EXPECT_TRUE(match.ok()) << match.status();
    if (!match.ok()) return 0;
    for (const socio::v1::FactorScore& f : match->factors()) {
      if (f.factor() == socio::v1::FactorScore::TEXT) return f.forward();
    }
    return 0;
  }

  std::shared_ptr<ScoringTables> index_tables_;
  MatchIndex index_;
  Weights weights_;
};

TEST_F(LanguageQualityTest, EachLanguageAndEnglishFindEachOther) {
  socio::testing::PairTally tally;
  for (int pair = 1; pair <= 5; ++pair) {
    const std::string foreign = absl::StrCat("lg0", pair, "-a");
    const std::string english = absl::StrCat("lg0", pair, "-b");
    EXPECT_GT(TextForward(foreign, english), 0)
        << foreign << "'s note meets no word of " << english;
    EXPECT_GT(TextForward(english, foreign), 0)
        << english << "'s note meets no word of " << foreign;
    socio::testing::RankBothWays(index_, foreign, english, 5, kNow, &tally);
  }
  std::printf("languages: %d of %d in the top 5, %d first\n", tally.found, tally.directions,
              tally.first);
  EXPECT_EQ(tally.found, tally.directions);
}

// A product the short hand-written list does not know reaches the NACE class
// titles through the lexicon: the note's words in their English form.
TEST_F(LanguageQualityTest, ProductsInEachLanguageReachTheNaceTitles) {
  const std::pair<const char*, const char*> notes[] = {
      {"es", "Buscamos importador de alfombras"},
      {"pt", "Procuramos importador de tapetes"},
      {"de", "Suchen Importeur für Teppiche"},
      {"fr", "Nous cherchons un importateur de tapis"},
      {"it", "Cerchiamo un importatore di tappeti"},
      {"en", "Importer of carpets"},
  };
  const ScoringTables& tables = *index_tables_;
  for (const auto& [language, note] : notes) {
    Profile p;
    p.set_id("p-1");
    p.set_country("US");
    p.add_languages(language);
    socio::v1::Objective* o = p.add_objectives();
    o->set_type(socio::v1::Objective::DISTRIBUTION);
    o->set_direction(socio::v1::Objective::SEEK);
    o->set_note(note);
    const Features f = ExtractFeatures(p, tables, 0);
    std::vector<std::string> sectors;
    f.view().ForEachObjective([&](const ObjectiveView& x) {
      for (uint32_t code : x.sectors) sectors.push_back(UnpackSector(code));
    });
    EXPECT_THAT(sectors, ::testing::ElementsAre("13.93")) << language << ": " << note;
  }
}

TEST_F(LanguageQualityTest, AnEchoThatAlsoSeeksDoesNotRiseAboveThePartner) {
  std::string top;
  const int rank = RankOf("lg03-a", "lg03-b", &top);
  ASSERT_GT(rank, 0) << top;
  const int echo = RankOf("lg03-a", "lg03-x", &top);
  EXPECT_TRUE(echo == 0 || echo > rank) << "lg03-x rises above lg03-b: " << top;
}

}  // namespace
}  // namespace socio::matcher
