// Programme items, travel times and interpreters on their own: the pure
// functions of planner/programme.h and planner/interpreters.h, and the
// interpreters PlanDelegation assigns to a schedule.
#include "planner/programme.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/interpreters.h"
#include "planner/plan.h"
#include "socio/v1/profile.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::planner {
namespace {

using socio::testing::FromJson;
using socio::testing::IsOk;
using socio::testing::TestReference;
using socio::v1::Delegation;
using socio::v1::ProgrammeItem;
using ::testing::ElementsAre;

// One day in Monterrey, 09:00-12:00, 30-minute meetings and 10-minute breaks:
// slots at 09:00, 09:40, 10:20, 11:00 (the last ends 11:30).
Delegation OneDay(const std::string& more) {
  return FromJson<Delegation>(R"({"id": "mx27", "chamberId": "ihk", "name": "Mission",
      "originCountry": "DE", "hostCountry": "MX",
      "days": [{"date": "2027-03-29", "city": "Monterrey", "venue": "Cintermex",
                "latitude": 25.6785, "longitude": -100.2849,
                "startTime": "09:00", "endTime": "12:00"}],
      "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}],
      "hosts": [{"memberId": "mx-1"}])" +
                              more + "}");
}

TEST(TravelTest, TheSamePlaceNeedsNoTravelWhateverItsCaseOrAccents) {
  const TravelRules rules;
  EXPECT_EQ(TravelMinutes({.name = "Cintermex"}, {.name = " CINTERMEX "}, rules), 0);
  EXPECT_EQ(TravelMinutes({.name = "Museo León"}, {.name = "museo leon"}, rules), 0);
}

TEST(TravelTest, CoordinatesGiveTheDistanceAtTheSpeedRoundedUpAndAtLeastTheMinimum) {
  TravelRules rules;
  rules.speed_kmh = 30;
  rules.min_minutes = 10;
  // One degree of latitude is 111.19 km on the sphere of 6,371 km.
  EXPECT_NEAR(DistanceKm(25, -100, 26, -100), 111.19, 0.01);
  // 0.1 degree north: 11.12 km at 30 km/h is 22.24 minutes, so 23.
  const Place venue{.name = "Venue", .latitude = 25.0, .longitude = -100.0};
  const Place far{.name = "Plant", .latitude = 25.1, .longitude = -100.0};
  EXPECT_EQ(TravelMinutes(venue, far, rules), 23);
  EXPECT_EQ(TravelMinutes(far, venue, rules), 23);
  // 1 km is 2 minutes, below the minimum.
  const Place near{.name = "Cafe", .latitude = 25.009, .longitude = -100.0};
  EXPECT_EQ(TravelMinutes(venue, near, rules), 10);
  // Without coordinates on one side: the minimum.
  EXPECT_EQ(TravelMinutes(venue, {.name = "Somewhere"}, rules), 10);
}

TEST(TravelTest, StaffsTableOverridesCoordinatesEitherWay) {
  const Delegation d = OneDay(R"(, "travelSpeedKmh": 30, "minTravelMinutes": 10,
      "travelTimes": [{"from": "cintermex", "to": "Planta Norte", "minutes": 45}])");
  const TravelRules rules = TravelRulesOf(d, nullptr);
  EXPECT_EQ(rules.speed_kmh, 30);
  EXPECT_EQ(rules.min_minutes, 10);
  const Place venue{.name = "Cintermex", .latitude = 25.0, .longitude = -100.0};
  const Place plant{.name = "Planta Norte", .latitude = 25.0, .longitude = -100.0};
  EXPECT_EQ(TravelMinutes(venue, plant, rules), 45);
  EXPECT_EQ(TravelMinutes(plant, venue, rules), 45);
}

TEST(TravelTest, OperatorsTableComesAfterStaffsAndBeforeCoordinates) {
  absl::StatusOr<socio::reference::TravelTimeTable> table =
      socio::reference::TravelTimeTable::ParseCsv(
          "from,to,minutes\n"
          "Cintermex,Planta Norte,50\n"
          "\"Hotel Safi, Centro\",CINTERMEX,20\n",
          "travel.csv");
  ASSERT_THAT(table.status(), IsOk());
  const Delegation d = OneDay(R"(, "travelTimes": [{"from": "Cintermex", "to": "Planta Norte",
      "minutes": 45}])");
  const TravelRules rules = TravelRulesOf(d, &*table);
  const Place venue{.name = "Cintermex", .latitude = 25.0, .longitude = -100.0};
  // Staff's own figure wins over the operator's for the same two places.
  EXPECT_EQ(TravelMinutes(venue, {.name = "Planta Norte"}, rules), 45);
  // The operator's figure wins over coordinates, either way, names folded.
  const Place hotel{.name = " hotel safi, centro", .latitude = 25.0, .longitude = -100.0};
  EXPECT_EQ(TravelMinutes(venue, hotel, rules), 20);
  EXPECT_EQ(TravelMinutes(hotel, venue, rules), 20);
  // Places neither table lists: coordinates, then the least travel time.
  EXPECT_EQ(TravelMinutes(venue, {.name = "Elsewhere"}, rules), 15);
  // Without the operator's table the hotel is 0 km away: the least time.
  EXPECT_EQ(TravelMinutes(venue, hotel, TravelRulesOf(d, nullptr)), 15);
}

TEST(TravelTest, PlanReportsTheMinutesOfEveryPlaceAwayFromTheVenueOnce) {
  absl::StatusOr<socio::reference::TravelTimeTable> table =
      socio::reference::TravelTimeTable::ParseCsv("from,to,minutes\nCintermex,Hotel,25\n",
                                                  "travel.csv");
  ASSERT_THAT(table.status(), IsOk());
  const Delegation d = OneDay(R"(, "programme": [
      {"id": "a", "date": "2027-03-29", "startTime": "09:00", "endTime": "09:30",
       "place": {"name": "Hotel"}, "allDelegates": true},
      {"id": "b", "date": "2027-03-29", "startTime": "12:00", "endTime": "12:30",
       "place": {"name": "hotel"}, "allDelegates": true},
      {"id": "c", "date": "2027-03-29", "startTime": "13:00", "endTime": "13:30",
       "allDelegates": true}])");
  const std::vector<socio::v1::ProgrammeTravelTime> times =
      TravelTimesOf(d, TravelRulesOf(d, &*table));
  ASSERT_EQ(times.size(), 1u);
  EXPECT_EQ(times[0].from(), d.days(0).venue());
  EXPECT_EQ(times[0].to(), "Hotel");
  EXPECT_EQ(times[0].minutes(), 25);
}

TEST(TravelTest, DefaultsAreTwentyFiveKmPerHourAndFifteenMinutes) {
  const TravelRules rules = TravelRulesOf(OneDay(""), nullptr);
  EXPECT_EQ(rules.speed_kmh, 25);
  EXPECT_EQ(rules.min_minutes, 15);
}

TEST(ProgrammeTest, AllDelegatesMeansDelegatesAndListedMembersAttendToo) {
  const ProgrammeItem item =
      FromJson<ProgrammeItem>(R"({"id": "r", "allDelegates": true, "memberIds": ["mx-1"]})");
  EXPECT_TRUE(Attends(item, "de-1", true));
  EXPECT_TRUE(Attends(item, "mx-1", false));
  EXPECT_FALSE(Attends(item, "mx-2", false));
  const ProgrammeItem listed = FromJson<ProgrammeItem>(R"({"id": "v", "memberIds": ["de-2"]})");
  EXPECT_FALSE(Attends(listed, "de-1", true));
  EXPECT_TRUE(Attends(listed, "de-2", true));
}

TEST(ProgrammeTest, AnItemElsewhereBlocksTheSlotsOfItsTimeAndOfTheTravel) {
  // A visit 10:30-11:00 at a plant 0.1 degree north (11.12 km): 27 minutes
  // at 25 km/h each way, so busy 10:03-11:27: the slots at 09:40 (ends 10:10),
  // 10:20 and 11:00 are blocked; 09:00 is free.
  const Delegation d = OneDay(R"(, "programme": [{"id": "visit", "kind": "COMPANY_VISIT",
      "title": "Plant visit", "date": "2027-03-29", "startTime": "10:30", "endTime": "11:00",
      "place": {"name": "Planta Norte", "latitude": 25.7785, "longitude": -100.2849},
      "memberIds": ["de-1"]}])");
  const BusyWindow busy = BusyTime(d.programme(0), d.days(0), TravelRulesOf(d, nullptr));
  EXPECT_EQ(busy.from, 10 * 60 + 3);
  EXPECT_EQ(busy.to, 11 * 60 + 27);
  absl::StatusOr<SlotGrid> grid = BuildSlotGrid(d, *TestReference());
  ASSERT_THAT(grid.status(), IsOk());
  std::vector<bool> de1(grid->slots.size(), true), de2(grid->slots.size(), true);
  BlockProgrammeSlots(d, *grid, TravelRulesOf(d, nullptr), "de-1", true, &de1);
  BlockProgrammeSlots(d, *grid, TravelRulesOf(d, nullptr), "de-2", true, &de2);
  EXPECT_THAT(de1, ElementsAre(true, false, false, false));
  EXPECT_THAT(de2, ElementsAre(true, true, true, true));
}

TEST(ProgrammeTest, AnItemAtTheVenueBlocksOnlyItsOwnTime) {
  // A briefing 09:00-09:45 at the venue (no place named) for all delegates:
  // the 09:00 and 09:40 slots; the host is free all morning.
  const Delegation d = OneDay(R"(, "programme": [{"id": "b", "kind": "BRIEFING",
      "title": "Briefing", "date": "2027-03-29", "startTime": "09:00", "endTime": "09:45",
      "allDelegates": true}])");
  absl::StatusOr<SlotGrid> grid = BuildSlotGrid(d, *TestReference());
  ASSERT_THAT(grid.status(), IsOk());
  std::vector<bool> delegate(grid->slots.size(), true), host(grid->slots.size(), true);
  BlockProgrammeSlots(d, *grid, TravelRulesOf(d, nullptr), "de-2", true, &delegate);
  BlockProgrammeSlots(d, *grid, TravelRulesOf(d, nullptr), "mx-1", false, &host);
  EXPECT_THAT(delegate, ElementsAre(false, false, true, true));
  EXPECT_THAT(host, ElementsAre(true, true, true, true));
}

socio::v1::Interpreter InterpreterOf(const std::string& json) {
  return FromJson<socio::v1::Interpreter>(json);
}

TEST(InterpretersTest, OnlySidesThatNameLanguagesAndShareNoneNeedOne) {
  const socio::v1::Profile de = FromJson<socio::v1::Profile>(R"({"languages": ["de"]})");
  const socio::v1::Profile mx = FromJson<socio::v1::Profile>(R"({"languages": ["es"]})");
  const socio::v1::Profile both = FromJson<socio::v1::Profile>(R"({"languages": ["es", "de"]})");
  const socio::v1::Profile none;
  EXPECT_TRUE(NeedsInterpreter(de.languages(), mx.languages()));
  EXPECT_FALSE(NeedsInterpreter(de.languages(), both.languages()));
  EXPECT_FALSE(NeedsInterpreter(none.languages(), mx.languages()));
}

TEST(InterpretersTest, PairsCoverEitherWayAndALanguageSetCoversAnyTwo) {
  const socio::v1::Profile de = FromJson<socio::v1::Profile>(R"({"languages": ["de"]})");
  const socio::v1::Profile es = FromJson<socio::v1::Profile>(R"({"languages": ["es"]})");
  const socio::v1::Profile fr = FromJson<socio::v1::Profile>(R"({"languages": ["fr"]})");
  const socio::v1::Interpreter pair =
      InterpreterOf(R"({"name": "Ana", "languagePairs": [{"first": "es", "second": "de"}]})");
  EXPECT_TRUE(Covers(pair, de.languages(), es.languages()));
  EXPECT_TRUE(Covers(pair, es.languages(), de.languages()));
  EXPECT_FALSE(Covers(pair, de.languages(), fr.languages()));
  const socio::v1::Interpreter set =
      InterpreterOf(R"({"name": "Ben", "languages": ["de", "fr", "en"]})");
  EXPECT_TRUE(Covers(set, de.languages(), fr.languages()));
  EXPECT_FALSE(Covers(set, de.languages(), es.languages()));
}

TEST(InterpretersTest, AnInterpreterWorksInSlotsWhollyInsideItsHours) {
  const Delegation d = OneDay("");
  absl::StatusOr<SlotGrid> grid = BuildSlotGrid(d, *TestReference());
  ASSERT_THAT(grid.status(), IsOk());
  EXPECT_THAT(InterpreterSlots(InterpreterOf(R"({"name": "A", "languages": ["de", "es"]})"), *grid),
              ElementsAre(true, true, true, true));
  // 09:30-11:00 holds the 09:40 and 10:20 slots; 11:00 ends 11:30.
  EXPECT_THAT(InterpreterSlots(InterpreterOf(R"({"name": "B", "languages": ["de", "es"],
                  "available": [{"date": "2027-03-29", "startTime": "09:30",
                                 "endTime": "11:00"}]})"),
                               *grid),
              ElementsAre(false, true, true, false));
  EXPECT_THAT(InterpreterSlots(InterpreterOf(R"({"name": "C", "languages": ["de", "es"],
                  "available": [{"date": "2027-03-30"}]})"),
                               *grid),
              ElementsAre(false, false, false, false));
}

// Two delegates, two hosts, two slots, two tables: every pair scores and
// both delegates need an interpreter with both hosts.
PlanProblem TwoByTwo() {
  PlanProblem problem;
  problem.slot_day = {0, 0};
  problem.tables = {2, 2};
  for (const char* id : {"d0", "d1"}) {
    problem.delegates.push_back({.id = id, .available = {true, true}, .max_meetings = 1});
  }
  for (const char* id : {"h0", "h1"}) {
    problem.hosts.push_back({.id = id, .available = {true, true}, .max_meetings = 1});
  }
  problem.scores = {0.9, 0.1, 0.1, 0.9};  // d0-h0 and d1-h1
  return problem;
}

TEST(AssignInterpretersTest, AMeetingWithoutAFreeInterpreterMovesToASlotWithOne) {
  PlanProblem problem = TwoByTwo();
  problem.interpreters = {{.id = "ana", .available = {true, true}}};
  problem.interpreter_needs = {{.delegate = 0, .host = 0, .interpreters = {0}},
                               {.delegate = 1, .host = 1, .interpreters = {0}}};
  absl::StatusOr<PlanResult> plan = PlanDelegation(problem);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings.size(), 2u);
  EXPECT_NE(plan->meetings[0].slot, plan->meetings[1].slot);
  for (const Meeting& m : plan->meetings) {
    EXPECT_TRUE(m.needs_interpreter);
    EXPECT_EQ(m.interpreter, 0);
  }
  EXPECT_TRUE(plan->uncovered.empty());
  EXPECT_DOUBLE_EQ(plan->total, 1.8);
}

TEST(AssignInterpretersTest, ALockedMeetingStaysAndIsReportedUncovered) {
  PlanProblem problem = TwoByTwo();
  problem.locks = {{.delegate = 0, .host = 0, .slot = 0}, {.delegate = 1, .host = 1, .slot = 0}};
  problem.interpreters = {{.id = "ana", .available = {true, true}}};
  problem.interpreter_needs = {{.delegate = 0, .host = 0, .interpreters = {0}},
                               {.delegate = 1, .host = 1, .interpreters = {0}}};
  absl::StatusOr<PlanResult> plan = PlanDelegation(problem);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings.size(), 2u);
  EXPECT_EQ(plan->meetings[0].slot, 0);
  EXPECT_EQ(plan->meetings[1].slot, 0);
  EXPECT_EQ(plan->uncovered.size(), 1u);
  EXPECT_EQ(plan->interpreter_moves, 0);
}

TEST(AssignInterpretersTest, ANeedNoInterpreterCoversIsUncoveredAndAnInterpreterIsPerSlot) {
  PlanProblem problem = TwoByTwo();
  problem.interpreters = {{.id = "ana", .available = {true, false}}};
  problem.interpreter_needs = {{.delegate = 0, .host = 0, .interpreters = {}},
                               {.delegate = 1, .host = 1, .interpreters = {0}}};
  absl::StatusOr<PlanResult> plan = PlanDelegation(problem);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings.size(), 2u);
  ASSERT_EQ(plan->uncovered.size(), 1u);
  const Meeting& uncovered = plan->meetings[plan->uncovered[0]];
  EXPECT_EQ(uncovered.delegate, 0);
  for (const Meeting& m : plan->meetings) {
    if (m.delegate == 1) {
      EXPECT_EQ(m.interpreter, 0);
      EXPECT_EQ(m.slot, 0);  // ana works in slot 0 only
    }
  }
}

TEST(AssignInterpretersTest, BadNeedsAreRejectedNamingTheField) {
  PlanProblem problem = TwoByTwo();
  problem.interpreters = {{.id = "ana", .available = {true}}};
  EXPECT_THAT(PlanDelegation(problem).status(),
              socio::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                       ::testing::HasSubstr("interpreters[0].available")));
  problem.interpreters = {{.id = "ana", .available = {true, true}}};
  problem.interpreter_needs = {{.delegate = 0, .host = 0, .interpreters = {3}}};
  EXPECT_THAT(
      PlanDelegation(problem).status(),
      socio::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                               ::testing::HasSubstr("interpreter_needs[0].interpreters[0]")));
}

}  // namespace
}  // namespace socio::planner
