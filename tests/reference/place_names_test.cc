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
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

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
  EXPECT_THAT(Named("Indiana and Indianapolis"), ElementsAre("US"))
      << "a state and a city, not India";
  EXPECT_THAT(Named("partners in Guinea-Bissau"), ElementsAre("GW"));
  EXPECT_THAT(Named("Papua New Guinea"), ElementsAre("PG"));
}

TEST_F(PlaceNamesTest, LeavesOutNamesThatAreEverydayWords) {
  EXPECT_THAT(Named("turkey sandwiches for Chad and Jordan, a Jersey knit, Georgia pine"),
              IsEmpty());
  EXPECT_THAT(Named("we sell to the UK and the USA"), IsEmpty())
      << "names shorter than four letters are not read";
}

// The countries a region stands for, as codes.
TEST_F(PlaceNamesTest, ReadsRegionsAsTheirCountries) {
  const std::vector<std::string> south_america = Named("Buscamos distribuidores en Sudamérica");
  EXPECT_THAT(south_america, AllOf(Contains("BR"), Contains("AR"), Contains("CL")));
  EXPECT_THAT(south_america, Not(Contains("MX")));
  EXPECT_EQ(Named("Suchen Importeure in Südamerika"), south_america);
  EXPECT_THAT(Named("procuramos parceiros na América Latina"),
              AllOf(Contains("MX"), Contains("BR"), Contains("CU"), Not(Contains("US"))));
  EXPECT_THAT(Named("agents wanted across Europe"),
              AllOf(Contains("DE"), Contains("FR"), Contains("NO"), Not(Contains("TR"))));
  EXPECT_THAT(Named("cerchiamo distributori in Asia"),
              AllOf(Contains("JP"), Contains("CN"), Contains("IN"), Not(Contains("AU"))));
  EXPECT_THAT(Named("distributeurs dans l'Union européenne"),
              AllOf(Contains("DE"), Contains("IT"), Not(Contains("CH")), Not(Contains("GB"))));
}

TEST_F(PlaceNamesTest, ReadsStatesAndMajorCitiesAsTheirCountry) {
  EXPECT_THAT(Named("Suchen Handelsvertreter in Bayern"), ElementsAre("DE"));
  EXPECT_THAT(Named("Suchen Importeur in Kalifornien"), ElementsAre("US"));
  EXPECT_THAT(Named("buscamos socio en Ontario"), ElementsAre("CA"));
  EXPECT_THAT(Named("procuramos distribuidor em São Paulo"), ElementsAre("BR"));
  EXPECT_THAT(Named("cerchiamo un agente a San Paolo"), ElementsAre("BR"));
  EXPECT_THAT(Named("nous cherchons un importateur à Chicago"), ElementsAre("US"));
  EXPECT_THAT(Named("Vertrieb in der Lombardei und in Cataluña"), ElementsAre("IT", "ES"));
}

TEST_F(PlaceNamesTest, StatesAndCitiesNeedACapital) {
  // Everyday words that are also a state somewhere, as a note writes them.
  EXPECT_THAT(Named("equipos para la montana y la costa"), IsEmpty());
  EXPECT_THAT(Named("suchen partner in bayern"), IsEmpty())
      << "a state written in lower case is not read";
  EXPECT_THAT(Named("Buscamos socios en Montana"), IsEmpty()) << "everyday word in Spanish";
}

TEST_F(PlaceNamesTest, ACountryNameWinsOverAStateOfTheSameName) {
  EXPECT_THAT(Named("Puerto Rico"), ElementsAre("PR"));
}

// Look-alikes: where the member comes from is not a market it wants.
TEST_F(PlaceNamesTest, WhereTheMemberComesFromIsNotRead) {
  EXPECT_THAT(Named("Wir sind ein Hersteller aus Deutschland"), IsEmpty());
  EXPECT_THAT(Named("somos un fabricante desde España"), IsEmpty());
  EXPECT_THAT(Named("we are a German maker"), IsEmpty()) << "adjectives are not country names";
  EXPECT_THAT(Named("products from Italy for buyers in Canada"), ElementsAre("CA"));
  // Not distinguished: "de" is "of" as often as "from".
  EXPECT_THAT(Named("fabricante de España"), ElementsAre("ES"));
}

TEST_F(PlaceNamesTest, AMissingLocaleFileNamesTheFileAndThePackage) {
  socio::testing::TempDir empty;
  CountryCatalog::Sources sources;
  sources.cldr_dir = empty.path();
  EXPECT_THAT(PlaceNames::Load(sources, reference_->countries()),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("/main/en.xml"), HasSubstr("unicode-cldr-core"))));
}

TEST(TextFoldTest, LowersAndStripsLatinAccents) {
  EXPECT_EQ(FoldLatin("Zürich, SÃO PAULO, Ñuñoa"), "zurich, sao paulo, nunoa");
}

}  // namespace
}  // namespace socio::reference
