#include "reference/itinerary.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(DateAndTimeTest, ParseOnlyTheExactForms) {
  EXPECT_EQ(ParseDate("2027-03-29"), absl::CivilDay(2027, 3, 29));
  EXPECT_EQ(ParseDate("2028-02-29"), absl::CivilDay(2028, 2, 29));
  for (const char* bad :
       {"2027-02-29", "2027-13-01", "2027-00-10", "2027-04-31", "2027-3-29", "27-03-29",
        " 2027-03-29", "2027/03/29", "2027-03-29T00", "", "+2027-03-2"}) {
    EXPECT_EQ(ParseDate(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseTimeOfDay("00:00"), 0);
  EXPECT_EQ(ParseTimeOfDay("23:59"), 23 * 60 + 59);
  for (const char* bad :
       {"24:00", "9:00", "09:5", "09:60", "0900", "09-00", "+9:00", "", "ab:cd"}) {
    EXPECT_EQ(ParseTimeOfDay(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(FormatTimeOfDay(0), "00:00");
  EXPECT_EQ(FormatTimeOfDay(9 * 60 + 5), "09:05");
  EXPECT_EQ(FormatTimeOfDay(23 * 60 + 59), "23:59");
}

TEST(SlotStartsTest, EveryMeetingEndsByTheEndAndTheLastPauseNeedNotFit) {
  EXPECT_THAT(SlotStarts(9 * 60, 12 * 60, 45, 15), ElementsAre(9 * 60, 10 * 60, 11 * 60));
  EXPECT_THAT(SlotStarts(9 * 60, 9 * 60 + 29, 30, 10), IsEmpty());
  EXPECT_THAT(SlotStarts(9 * 60, 17 * 60, 0, 10), IsEmpty());
  EXPECT_THAT(SlotStarts(9 * 60, 17 * 60, 30, -1), IsEmpty());
}

}  // namespace
}  // namespace socio::reference
