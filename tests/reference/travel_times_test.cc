// The operator's travel times file (sociod --travel_times_csv): what it
// accepts, how places are compared, and the errors an operator sees.
#include "reference/travel_times.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::reference {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Optional;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

TEST(TravelTimeTableTest, ReadsPairsEitherWayWithNamesFolded) {
  socio::testing::TempDir dir;
  WriteFile(dir.Join("t.csv"),
            "\xEF\xBB\xBF"
            "Minutes,From,To,note\r\n"
            "35,Hotel Camino Real,World Trade Center México,by car\r\n"
            "40,\"Messe München, Halle A4\",Allianz Arena,\r\n"
            "\r\n"
            "0,Hotel Camino Real,Camino Real (lobby),same building\r\n");
  ASSIGN_OR_FAIL(TravelTimeTable table, TravelTimeTable::LoadCsv(dir.Join("t.csv")));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_THAT(table.Minutes("world trade center mexico", " HOTEL CAMINO REAL"), Optional(35));
  EXPECT_THAT(table.Minutes("Hotel Camino Real", "World Trade Center México"), Optional(35));
  EXPECT_THAT(table.Minutes("allianz arena", "Messe Munchen, Halle A4"), Optional(40));
  EXPECT_THAT(table.Minutes("Camino Real (lobby)", "Hotel Camino Real"), Optional(0));
  EXPECT_EQ(table.Minutes("Allianz Arena", "Hotel Camino Real"), std::nullopt);
}

TEST(TravelTimeTableTest, TheSamePairTwiceIsFineWhenTheMinutesAgree) {
  ASSIGN_OR_FAIL(TravelTimeTable table,
                 TravelTimeTable::ParseCsv("from,to,minutes\nA,B,20\nb,a,20\n", "t.csv"));
  EXPECT_EQ(table.size(), 1u);
  EXPECT_THAT(TravelTimeTable::ParseCsv("from,to,minutes\nA,B,20\nB,A,25\n", "t.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("t.csv"), HasSubstr("line 3"), HasSubstr("20 minutes"))));
}

TEST(TravelTimeTableTest, ErrorsNameTheFileLineAndColumn) {
  EXPECT_THAT(TravelTimeTable::ParseCsv("", "t.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no header")));
  EXPECT_THAT(TravelTimeTable::ParseCsv("from,to,time\nA,B,20\n", "t.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 1"), HasSubstr("minutes"))));
  EXPECT_THAT(TravelTimeTable::ParseCsv("from,to,minutes\nA,B,20\nA,,20\n", "t.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 3"), HasSubstr("to: is empty"))));
  EXPECT_THAT(TravelTimeTable::ParseCsv("from,to,minutes\nLeón,leon ,20\n", "t.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("same place")));
  for (const char* minutes : {"-1", "601", "half an hour", "2.5", ""}) {
    EXPECT_THAT(
        TravelTimeTable::ParseCsv(std::string("from,to,minutes\nA,B,") + minutes + "\n", "t.csv"),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr("line 2"), HasSubstr("minutes"), HasSubstr("0 to 600"))))
        << minutes;
  }
  EXPECT_THAT(TravelTimeTable::ParseCsv("from,to,minutes\n\"A,B,20\n", "t.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  socio::testing::TempDir dir;
  EXPECT_THAT(TravelTimeTable::LoadCsv(dir.Join("absent.csv")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("absent.csv")));
}

}  // namespace
}  // namespace socio::reference
