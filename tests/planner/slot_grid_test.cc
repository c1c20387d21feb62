#include "planner/slot_grid.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"

namespace socio::planner {
namespace {

using socio::testing::FromJson;
using socio::testing::TestReference;
using socio::v1::Delegation;
using ::testing::ElementsAre;

constexpr int kMonterrey = 0;
constexpr int kMexicoCity = 1;

// Two days in Mexico with 30-minute meetings and 10-minute breaks (the
// defaults), so the 29th's slots start at 09:00, 09:40, 10:20, ...; the days
// are listed out of date order.
Delegation ValidDelegation() {
  return FromJson<Delegation>(R"({
    "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
    "originCountry": "DE", "hostCountry": "MX",
    "days": [
      {"date": "2027-03-30", "city": "Monterrey", "startTime": "09:00", "endTime": "13:00",
       "timeZone": "America/Monterrey"},
      {"date": "2027-03-29", "city": "Ciudad de México", "startTime": "09:00",
       "endTime": "17:00", "venue": "Hotel Geneve"}],
    "delegates": [{"memberId": "de-1"}]})");
}

TEST(SlotsOfDayTest, ResolvesTheDefaultsAndTheHostCountrysZone) {
  const Delegation d = ValidDelegation();
  const DaySlots slots = SlotsOfDay(d, d.days(kMexicoCity), *TestReference());
  EXPECT_EQ(slots.date, absl::CivilDay(2027, 3, 29));
  EXPECT_EQ(slots.time_zone, "America/Mexico_City");
  EXPECT_EQ(slots.meeting_minutes, 30);
  EXPECT_EQ(slots.break_minutes, 10);
  EXPECT_EQ(slots.tables, 10);
  // 09:00 + k * 40 while the meeting ends by 17:00: the last starts at 16:20.
  ASSERT_EQ(slots.starts.size(), 12u);
  EXPECT_EQ(slots.starts.front(), 9 * 60);
  EXPECT_EQ(slots.starts[1], 9 * 60 + 40);
  EXPECT_EQ(slots.starts.back(), 16 * 60 + 20);
}

TEST(SlotsOfDayTest, ADayWithoutZoneTakesItsCitysZoneElseItsCountrys) {
  Delegation d = ValidDelegation();
  d.set_host_country("US");
  d.mutable_days(kMexicoCity)->set_city("Chicago");
  EXPECT_EQ(SlotsOfDay(d, d.days(kMexicoCity), *TestReference()).time_zone, "America/Chicago");
  // Germany keeps one clock: every city there has Berlin's zone.
  d.set_host_country("DE");
  d.mutable_days(kMexicoCity)->set_city("München");
  EXPECT_EQ(SlotsOfDay(d, d.days(kMexicoCity), *TestReference()).time_zone, "Europe/Berlin");
  // A day stored before a city's zone was required keeps being planned in
  // the country's main zone.
  d.set_host_country("US");
  d.mutable_days(kMexicoCity)->set_city("Dallas");
  EXPECT_EQ(SlotsOfDay(d, d.days(kMexicoCity), *TestReference()).time_zone, "America/New_York");
}

TEST(SlotsOfDayTest, UsesTheDaysOwnValuesFirst) {
  Delegation d = ValidDelegation();
  d.set_meeting_minutes(45);
  d.set_break_minutes(15);
  d.set_tables_per_venue(6);
  d.mutable_days(kMonterrey)->set_end_time("12:00");
  d.mutable_days(kMonterrey)->set_tables(4);
  const DaySlots monterrey = SlotsOfDay(d, d.days(kMonterrey), *TestReference());
  EXPECT_EQ(monterrey.time_zone, "America/Monterrey");
  EXPECT_EQ(monterrey.tables, 4);
  // 11:00 + 45 minutes ends by 12:00; the break after it need not fit.
  EXPECT_THAT(monterrey.starts, ElementsAre(9 * 60, 10 * 60, 11 * 60));
  EXPECT_EQ(SlotsOfDay(d, d.days(kMexicoCity), *TestReference()).tables, 6);
}

TEST(SlotsOfDayTest, IsSafeOnInputThatDoesNotValidate) {
  Delegation d = ValidDelegation();
  d.set_meeting_minutes(-5);
  d.mutable_days(kMexicoCity)->set_date("someday");
  EXPECT_TRUE(SlotsOfDay(d, d.days(kMexicoCity), *TestReference()).starts.empty());
  d.set_meeting_minutes(30);
  d.mutable_days(kMexicoCity)->set_start_time("9");
  const DaySlots slots = SlotsOfDay(d, d.days(kMexicoCity), *TestReference());
  EXPECT_TRUE(slots.starts.empty());
  EXPECT_EQ(slots.date, absl::CivilDay());
}

TEST(SlotGridTest, NumbersTheSlotsInDateOrder) {
  const Delegation d = ValidDelegation();
  absl::StatusOr<SlotGrid> grid = BuildSlotGrid(d, *TestReference());
  ASSERT_TRUE(grid.ok()) << grid.status();
  // 12 slots in Mexico City on the 29th, then 6 in Monterrey on the 30th.
  ASSERT_EQ(grid->slots.size(), 18u);
  EXPECT_THAT(grid->day_index, ElementsAre(kMexicoCity, kMonterrey));
  EXPECT_EQ(grid->SlotOf("2027-03-29", 0), 0);
  EXPECT_EQ(grid->SlotOf("2027-03-30", 1), 13);
  EXPECT_EQ(grid->SlotOf("2027-03-30", 6), -1);
  EXPECT_EQ(grid->SlotOf("2027-03-31", 0), -1);
  EXPECT_EQ(grid->SlotAt("2027-03-29", 9 * 60 + 40), 1);
  EXPECT_EQ(grid->SlotAt("2027-03-29", 9 * 60 + 30), -1);
  EXPECT_EQ(grid->SlotAt("2027-03-30", 9 * 60), 12);
  // 09:40 in Mexico City (UTC-6 in March 2027) is 15:40 UTC.
  EXPECT_EQ(grid->slots[1].start,
            absl::FromCivil(absl::CivilMinute(2027, 3, 29, 15, 40), absl::UTCTimeZone()));
  EXPECT_EQ(grid->slots[1].end - grid->slots[1].start, absl::Minutes(30));
}

}  // namespace
}  // namespace socio::planner
