#include "matcher/text.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::matcher {
namespace {

using ::testing::ElementsAre;

TEST(TextTermsTest, FormsOfAWordMeet) {
  EXPECT_EQ(TextTerms("distributor"), TextTerms("distributors"));
  EXPECT_EQ(TextTerms("distributes"), TextTerms("distribution"));
  EXPECT_EQ(TextTerms("supplies"), TextTerms("suppliers"));
  EXPECT_EQ(TextTerms("supply"), TextTerms("supplier"));
  EXPECT_EQ(TextTerms("manufacturing"), TextTerms("manufacturer"));
  EXPECT_EQ(TextTerms("service"), TextTerms("services"));
  EXPECT_EQ(TextTerms("glass"), TextTerms("glasses"));
}

TEST(TextTermsTest, DropsStopWordsShortWordsAndNumbersAndKeepsOrder) {
  EXPECT_THAT(TextTerms("We seek a food distributor for Texas, since 1998!"),
              ElementsAre("food", "distribut", "texa", "sinc"));
}

TEST(TextTermsTest, KeepsNonAsciiWordsWholeAndFoldsAccents) {
  EXPECT_THAT(TextTerms("Salsas del Bajío"), ElementsAre("salsa", "del", "bajio"));
  EXPECT_EQ(TextTerms("EXPORTACIÓN"), TextTerms("exportacion"));
}

TEST(TextTermsTest, RepeatedTermsAppearOnce) {
  EXPECT_THAT(TextTerms("Sauces, sauce and SAUCES"), ElementsAre("sauc"));
}

TEST(AppendTermsTest, KeepsTheFirstSpellingForPeople) {
  std::vector<Term> terms;
  const reference::Lexicon no_lexicon;
  AppendTerms("Distributors of wine; distribution", reference::kEnglishOnly, no_lexicon, &terms);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0].word, "distributors");
  EXPECT_EQ(terms[1].word, "wine");
}

// Debian's FreeDict dictionaries, loaded once for the tests below.
const reference::Lexicon& FreeDict() {
  static const reference::Lexicon* const lexicon = [] {
    absl::StatusOr<reference::Lexicon> loaded = reference::Lexicon::Load("/usr/share/dictd");
    if (!loaded.ok()) std::abort();
    return new reference::Lexicon(*std::move(loaded));
  }();
  return *lexicon;
}

// The terms `a` (in language `code`) and `b` (English) share.
std::vector<std::string> Shared(absl::string_view a, absl::string_view code, absl::string_view b) {
  const std::vector<std::string> codes = {std::string(code)};
  const std::vector<std::string> x = TextTerms(a, reference::LanguagesOf(codes), FreeDict());
  const std::vector<std::string> y = TextTerms(b, reference::kEnglishOnly, FreeDict());
  std::vector<std::string> shared;
  for (const std::string& term : x) {
    if (std::find(y.begin(), y.end(), term) != y.end()) shared.push_back(term);
  }
  return shared;
}

TEST(CommonTermsTest, ASpanishNoteMeetsAnEnglishDescription) {
  EXPECT_THAT(Shared("buscamos distribuidores de muebles", "es", "furniture distributor"),
              ::testing::Contains("distribut"));
}

TEST(CommonTermsTest, EachLanguageMeetsEnglish) {
  EXPECT_THAT(Shared("Suchen Importeur für Möbel", "de", "furniture importer"),
              ::testing::UnorderedElementsAre("import", "furnitur"));
  EXPECT_THAT(Shared("procuramos importador de calçado", "pt", "footwear importer"),
              ::testing::Contains("import"));
  EXPECT_THAT(Shared("cherchons importateur de vin", "fr", "wine importer"),
              ::testing::UnorderedElementsAre("import", "wine"));
  EXPECT_THAT(Shared("cerchiamo distributori di scarpe e vino", "it", "shoe and wine distribution"),
              ::testing::IsSupersetOf({"shoe", "wine"}));
}

TEST(CommonTermsTest, ALanguageNotListedIsReadAsEnglish) {
  EXPECT_THAT(Shared("Suchen Importeur für Möbel", "en", "furniture importer"),
              ::testing::Not(::testing::Contains("furnitur")));
}

TEST(CommonTermsTest, StopWordsOfTheListedLanguagesAreDropped) {
  EXPECT_THAT(
      TextTerms("der Wein und die Maschinen für uns",
                reference::LanguagesOf(std::vector<std::string>{"de"}), reference::Lexicon()),
      ElementsAre("wein", "maschinen", "uns"));
}

}  // namespace
}  // namespace socio::matcher
