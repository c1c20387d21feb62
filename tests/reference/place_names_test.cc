// Countries named in notes as members write them, in six languages, read
// from Debian's CLDR.
#include "reference/place_names.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reference/text_fold.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::reference {
namespace {

using socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class PlaceNamesTest : public ::testing::Test {
 protected:
  std::vector<std::string> Named(const std::string& text) const {
    std::vector<std::string> codes;
    for (int index : reference_->places().CountriesIn(text)) {
      codes.push_back(reference_->countries().countries()[index].alpha2);
    }
    return codes;
  }

  std::shared_ptr<const ReferenceData> reference_ = socio::testing::TestReference();
};

TEST_F(PlaceNamesTest, ReadsCountriesInEachOfTheSixLanguages) {
  EXPECT_THAT(Named("procuramos representante comercial no Chile"), ElementsAre("CL"));
  EXPECT_THAT(Named("Suchen Importeur für Bio-Tee in Kanada"), ElementsAre("CA"));
  EXPECT_THAT(Named("Buscamos distribuidor en Alemania y Austria"), ElementsAre("DE", "AT"));
  EXPECT_THAT(Named("Nous cherchons un agent aux États-Unis"), ElementsAre("US"));
  EXPECT_THAT(Named("cerchiamo un importatore negli Stati Uniti o in Giappone"),
              ElementsAre("US", "JP"));
  EXPECT_THAT(Named("seeking a wholesaler in the United Kingdom"), ElementsAre("GB"));
  EXPECT_THAT(Named("Vertriebspartner im Vereinigten Königreich"), IsEmpty())
      << "declined forms are not CLDR's names";
  EXPECT_THAT(Named("Vertriebspartner: Vereinigtes Königreich"), ElementsAre("GB"));
}

TEST_F(PlaceNamesTest, FoldsCaseAndAccentsAndTakesEachCountryOnce) {
  EXPECT_THAT(Named("MÉXICO, Mexico und méxico"), ElementsAre("MX"));
  EXPECT_THAT(Named("Perú o Peru"), ElementsAre("PE"));
}

TEST_F(PlaceNamesTest, TakesWholeWordsAndTheLongestName) {
  EXPECT_THAT(Named("Indiana and Indianapolis"), IsEmpty());
  EXPECT_THAT(Named("partners in Guinea-Bissau"), ElementsAre("GW"));
  EXPECT_THAT(Named("Papua New Guinea"), ElementsAre("PG"));
}

TEST_F(PlaceNamesTest, LeavesOutNamesThatAreEverydayWords) {
  EXPECT_THAT(Named("turkey sandwiches for Chad and Jordan, a Jersey knit, Georgia pine"),
              IsEmpty());
  EXPECT_THAT(Named("we sell to the UK and the USA"), IsEmpty())
      << "names shorter than four letters are not read";
}

TEST_F(PlaceNamesTest, AMissingLocaleFileNamesTheFileAndThePackage) {
  socio::testing::TempDir empty;
  EXPECT_THAT(PlaceNames::Load(empty.path(), reference_->countries()),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("/main/en.xml"), HasSubstr("unicode-cldr-core"))));
}

TEST(TextFoldTest, LowersAndStripsLatinAccents) {
  EXPECT_EQ(FoldLatin("Zürich, SÃO PAULO, Ñuñoa"), "zurich, sao paulo, nunoa");
}

}  // namespace
}  // namespace socio::reference
