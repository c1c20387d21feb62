#include "matcher/text.h"

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

TEST(TextTermsTest, KeepsNonAsciiWordsWholeAndLowerCasesAscii) {
  EXPECT_THAT(TextTerms("Salsas del Bajío"), ElementsAre("salsa", "del", "bajío"));
}

TEST(TextTermsTest, RepeatedTermsAppearOnce) {
  EXPECT_THAT(TextTerms("Sauces, sauce and SAUCES"), ElementsAre("sauc"));
}

TEST(AppendTermsTest, KeepsTheFirstSpellingForPeople) {
  std::vector<Term> terms;
  AppendTerms("Distributors of wine; distribution", &terms);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0].word, "distributors");
  EXPECT_EQ(terms[1].word, "wine");
}

}  // namespace
}  // namespace socio::matcher
