// Products named in notes, mapped to NACE Rev. 2 codes: a hand-written list
// in six languages, then English words against Eurostat's class titles.
#include "reference/product_sectors.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reference/nace.h"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ProductSectorsTest : public ::testing::Test {
 protected:
  std::vector<std::string> Sectors(const std::string& text) const {
    return products_.SectorsIn(FoldedWords(text));
  }

  NaceCatalog nace_ = NaceCatalog::BuiltIn();
  ProductSectors products_{nace_};
};

TEST_F(ProductSectorsTest, ReadsCommonProductsInEachOfTheSixLanguages) {
  EXPECT_THAT(Sectors("Seeking an importer for our olive oil"), ElementsAre("10.41"));
  EXPECT_THAT(Sectors("Buscamos distribuidor de aceite de oliva"), ElementsAre("10.41"));
  EXPECT_THAT(Sectors("procuramos importador de vinhos e queijos"), ElementsAre("11.02", "10.51"));
  EXPECT_THAT(Sectors("Suchen Importeur für Bio-Tee in Kanada"), ElementsAre("10.83"));
  EXPECT_THAT(Sectors("Nous cherchons un distributeur de fromages et de vins"),
              ElementsAre("10.51", "11.02"));
  EXPECT_THAT(Sectors("Cerchiamo un agente per i nostri mobili"), ElementsAre("31.0"));
  EXPECT_THAT(Sectors("Vertrieb von Möbel und Schuhe"), ElementsAre("31.0", "15.20"));
}

TEST_F(ProductSectorsTest, EveryCodeOfTheListIsANaceCode) {
  for (const char* text :
       {"olive oil", "wine", "tea", "cheese", "furniture", "machinery", "software", "shoes",
        "clothing", "cosmetics", "beer", "chocolate", "pasta", "auto parts", "seafood", "toys",
        "medical devices", "medicines", "textiles"}) {
    const std::vector<std::string> codes = Sectors(text);
    ASSERT_THAT(codes, ::testing::SizeIs(1)) << text;
    EXPECT_NE(nace_.Find(codes[0]), nullptr) << text << ": " << codes[0];
  }
}

TEST_F(ProductSectorsTest, ReadsEnglishWordsAgainstTheClassTitlesMakersFirst) {
  // "bicycles" is in the titles of their maker and of their retail.
  EXPECT_THAT(Sectors("Distributors for our bicycles in Spain"), ElementsAre("30.92"));
  // Two words of one title beat one word of several.
  EXPECT_THAT(Sectors("ceramic tiles for builders"), ElementsAre("23.31"));
  EXPECT_THAT(Sectors("we make jewellery"), ElementsAre("32.12", "32.13"));
}

TEST_F(ProductSectorsTest, NotesThatNameNoProductGiveNothing) {
  for (const char* note :
       {"We seek a distributor in Germany", "Joint research projects, also publicly funded",
        "A jointly owned company for a new market", "Contract manufacturing with free capacity",
        "Partners who introduce us to clients", "Joint engineering of products and processes",
        "Suppliers of parts and materials", "We supply small and large series",
        "distribution partners wanted"}) {
    EXPECT_THAT(Sectors(note), IsEmpty()) << note;
  }
}

TEST_F(ProductSectorsTest, WhatATitleExcludesIsNotWhatItNames) {
  // 01.11 is "Growing of cereals (except rice), leguminous crops and oil
  // seeds"; 25.30 "Manufacture of steam generators, except central heating
  // hot water boilers".
  EXPECT_THAT(Sectors("rice"), ElementsAre("01.12"));
  EXPECT_THAT(Sectors("leguminous crops"), ElementsAre("01.11"));
  EXPECT_THAT(Sectors("boilers"), ::testing::Not(::testing::Contains("25.30")));
}

}  // namespace
}  // namespace socio::reference
