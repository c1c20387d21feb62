// Stems, stop words and the FreeDict lexicon of the five languages Socio
// reads beside English.
#include "reference/lexicon.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reference/stemmer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::reference {
namespace {

using socio::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;

TEST(StemmerTest, FormsOfAWordMeetInEachLanguage) {
  EXPECT_EQ(Stem(kSpanish, "distribuidores"), Stem(kSpanish, "distribuidor"));
  EXPECT_EQ(Stem(kPortuguese, "fornecedores"), Stem(kPortuguese, "fornecedor"));
  EXPECT_EQ(Stem(kGerman, "maschinen"), Stem(kGerman, "maschine"));
  EXPECT_EQ(Stem(kFrench, "meubles"), Stem(kFrench, "meuble"));
  EXPECT_EQ(Stem(kItalian, "mobili"), Stem(kItalian, "mobile"));
  EXPECT_EQ(Stem(kEnglish, "distributors"), Stem(kEnglish, "distribution"));
}

TEST(StemmerTest, StemsAreFolded) {
  EXPECT_EQ(Stem(kSpanish, "exportación"), "export");
  EXPECT_EQ(Stem(kGerman, "möbel"), "mobel");
  EXPECT_EQ(LowerWord("MÖBEL"), "möbel");
}

TEST(StemmerTest, AgentNounsAlsoGiveTheirVerbsStem) {
  EXPECT_THAT(StemCandidates(kSpanish, "importador"), Contains("import"));
  EXPECT_THAT(StemCandidates(kItalian, "importatore"), Contains("import"));
}

TEST(StemmerTest, StopWordsBelongToTheirLanguage) {
  EXPECT_TRUE(IsStopWord(kGerman, "fur"));
  EXPECT_TRUE(IsStopWord(kSpanish, "para"));
  EXPECT_TRUE(IsStopWord(kPortuguese, "procuramos"));
  EXPECT_TRUE(IsStopWord(kFrench, "avec"));
  EXPECT_TRUE(IsStopWord(kItalian, "della"));
  EXPECT_FALSE(IsStopWord(kEnglish, "para"));
  EXPECT_EQ(TextLanguageOf("pt"), kPortuguese);
  EXPECT_EQ(TextLanguageOf("ja"), -1);
}

TEST(LexiconTest, MapsWordsOfEachLanguageToTheirEnglishStem) {
  absl::StatusOr<Lexicon> lexicon = Lexicon::Load("/usr/share/dictd");
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_EQ(lexicon->languages(), 0b111110u) << lexicon->summary();
  EXPECT_EQ(lexicon->English(kGerman, Stem(kGerman, "möbel")), Stem(kEnglish, "furniture"));
  EXPECT_EQ(lexicon->English(kFrench, Stem(kFrench, "vin")), Stem(kEnglish, "wine"));
  EXPECT_EQ(lexicon->English(kItalian, Stem(kItalian, "scarpe")), Stem(kEnglish, "shoes"));
  EXPECT_EQ(lexicon->English(kSpanish, "distribu"), Stem(kEnglish, "distribute"));
  EXPECT_EQ(lexicon->English(kPortuguese, Stem(kPortuguese, "importador")), "import");
  EXPECT_EQ(lexicon->English(kSpanish, "zzzz"), "");
  EXPECT_THAT(lexicon->summary(), HasSubstr("de "));
  EXPECT_NE(lexicon->fingerprint(), 0u);
}

TEST(LexiconTest, RunsWithoutDictionariesAndSaysSo) {
  socio::testing::TempDir dir;
  absl::StatusOr<Lexicon> lexicon = Lexicon::Load(dir.path());
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_EQ(lexicon->languages(), 0u);
  EXPECT_EQ(lexicon->English(kSpanish, "distribu"), "");
  EXPECT_THAT(lexicon->summary(), HasSubstr("same language only"));
}

TEST(LexiconTest, ABadIndexIsDataLossNamingTheFile) {
  socio::testing::TempDir dir;
  std::ofstream(dir.path() + "/freedict-spa-eng.index") << "mueble\t!!\tB\n";
  EXPECT_THAT(Lexicon::Load(dir.path()),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("freedict-spa-eng.index")));
}

TEST(LexiconTest, AMissingDictIsDataLossNamingTheFile) {
  socio::testing::TempDir dir;
  std::ofstream(dir.path() + "/freedict-fra-eng.index") << "meuble\tA\tZ\n";
  EXPECT_THAT(Lexicon::Load(dir.path()),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("freedict-fra-eng.dict.dz")));
}

}  // namespace
}  // namespace socio::reference
