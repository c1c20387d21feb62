#include "clients/reason_summary.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::clients {
namespace {

// A one-line summary keeps the sentence and the codes and cuts long sector
// titles only, so the partner's side still fits the line.
TEST(ReasonSummaryTest, CutsLongSectorTitlesAndKeepsTheRest) {
  EXPECT_EQ(SummarizeReason("You seek a distributor for wholesale trade, except of motor vehicles "
                            "and motorcycles (46) in Mexico; they offer distribution in Mexico."),
            "You seek a distributor for wholesale trade… (46) in Mexico; they offer distribution "
            "in Mexico.");
  // No comma early enough: cut after the last whole word that fits.
  EXPECT_EQ(SummarizeReason("Their sector is the one Huber looks for: manufacture of food "
                            "products (10)."),
            "Their sector is the one Huber looks for: manufacture of food… (10).");
  // Two titles in one reason, the first capitalised as a title is.
  EXPECT_EQ(SummarizeReason("Their sector Manufacture of food products (10) is close to "
                            "wholesale trade, except of motor vehicles and motorcycles (46)."),
            "Their sector Manufacture of food… (10) is close to wholesale trade… (46).");
  // Short titles, the value chain's own wording, other parentheses and a
  // code whose title the text does not give stay as they are.
  for (const std::string& kept :
       {std::string("They offer supply for manufacturing (C)."),
        std::string("They trade what you make (46.47 wholesale of furniture for your 31.01)."),
        std::string("You seek a supplier; they offer supply, a close fit (counted at 70 %)."),
        std::string("You seek a distributor for furniture (46)."), std::string("")}) {
    EXPECT_EQ(SummarizeReason(kept), kept);
  }
  // The cut follows max_title.
  EXPECT_EQ(SummarizeReason("for manufacture of food products (10).", 100),
            "for manufacture of food products (10).");
}

}  // namespace
}  // namespace socio::clients
