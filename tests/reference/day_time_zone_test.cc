// The zone of an itinerary day that names none: its city's where tzdata
// knows the city, else its country's where the country keeps one clock.
#include "reference/day_time_zone.h"

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::reference {
namespace {

using socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

MATCHER_P(IsOkAndHolds, value, "") {
  if (!arg.ok()) {
    *result_listener << arg.status();
    return false;
  }
  *result_listener << *arg;
  return *arg == value;
}

class DayTimeZoneTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::string> Zone(absl::string_view country, absl::string_view city,
                                   absl::string_view given = "") const {
    return DayTimeZone(*reference_, country, city, given, "days[0].time_zone");
  }

  std::shared_ptr<const ReferenceData> reference_ = socio::testing::TestReference();
};

TEST_F(DayTimeZoneTest, AGivenZoneIsKeptAsItIs) {
  EXPECT_THAT(Zone("US", "Dallas", "America/Chicago"), IsOkAndHolds("America/Chicago"));
}

TEST_F(DayTimeZoneTest, AKnownCityGetsItsOwnZone) {
  EXPECT_THAT(Zone("US", "Chicago"), IsOkAndHolds("America/Chicago"));
  EXPECT_THAT(Zone("US", "los angeles"), IsOkAndHolds("America/Los_Angeles"));
  // CLDR's Spanish exemplar city and the English one from the zone's name.
  EXPECT_THAT(Zone("MX", "Ciudad de México"), IsOkAndHolds("America/Mexico_City"));
  EXPECT_THAT(Zone("MX", "CIUDAD DE MEXICO"), IsOkAndHolds("America/Mexico_City"));
  EXPECT_THAT(Zone("MX", "Mexico City"), IsOkAndHolds("America/Mexico_City"));
  EXPECT_THAT(Zone("MX", "Monterrey"), IsOkAndHolds("America/Monterrey"));
}

TEST_F(DayTimeZoneTest, ACountryWithOneClockGivesItsZoneToEveryCity) {
  EXPECT_THAT(Zone("DE", "München"), IsOkAndHolds("Europe/Berlin"));
  EXPECT_THAT(Zone("DE", "Berlin"), IsOkAndHolds("Europe/Berlin"));
  EXPECT_THAT(Zone("DE", "Ulm"), IsOkAndHolds("Europe/Berlin"));
  EXPECT_TRUE(KeepsOneClock(*reference_->countries().Find("DE")));
  EXPECT_FALSE(KeepsOneClock(*reference_->countries().Find("US")));
}

TEST_F(DayTimeZoneTest, AnUnknownCityOfACountryWithSeveralZonesIsRefused) {
  EXPECT_THAT(Zone("US", "Dallas"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("days[0].time_zone: is required"),
                             HasSubstr("US has several time zones"),
                             HasSubstr("'Dallas' is not one the reference data knows"),
                             HasSubstr("(US uses America/New_York, "))));
  // A city of another country is not one of this country's.
  EXPECT_THAT(Zone("MX", "Chicago"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("MX has several time zones")));
}

TEST_F(DayTimeZoneTest, ACountryWithoutZonesNeedsOneGiven) {
  EXPECT_THAT(Zone("BV", "Anywhere"), StatusIs(absl::StatusCode::kInvalidArgument,
                                               HasSubstr("days[0].time_zone: is required")));
}

// Every zone of tzdata's zone.tab, read here on its own: its English city
// (from the zone's name) in its country gives it back.
TEST_F(DayTimeZoneTest, EveryZoneTabCityGivesItsZone) {
  std::ifstream in("/usr/share/zoneinfo/zone.tab");
  ASSERT_TRUE(in);
  int checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> cells = absl::StrSplit(line, '\t');
    ASSERT_GE(cells.size(), 3u) << line;
    if (reference_->countries().Find(cells[0]) == nullptr) continue;
    const std::string city =
        absl::StrReplaceAll(cells[2].substr(cells[2].rfind('/') + 1), {{"_", " "}});
    absl::StatusOr<std::string> zone = Zone(cells[0], city);
    ASSERT_TRUE(zone.ok()) << line << ": " << zone.status();
    // Only a country keeping one clock may answer with another zone.
    if (*zone != cells[2]) {
      EXPECT_TRUE(KeepsOneClock(*reference_->countries().Find(cells[0]))) << line;
    }
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

}  // namespace
}  // namespace socio::reference
