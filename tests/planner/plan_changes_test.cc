// What changed for each company between the plan its participants were told
// and the plan made since: additions, removals, moves, new partners.
#include "planner/plan_changes.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::planner {
namespace {

using socio::v1::PlannedMeeting;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Kind = MeetingChange::Kind;

PlannedMeeting Meeting(const std::string& delegate, const std::string& host,
                       const std::string& date, const std::string& start, int table) {
  PlannedMeeting m;
  m.set_delegate_id(delegate);
  m.set_host_id(host);
  m.set_date(date);
  m.set_local_start(start);
  m.set_table(table);
  m.set_uid(absl::StrCat(delegate, "-", host));
  return m;
}

Meetings Plan(std::vector<PlannedMeeting> meetings) {
  Meetings out;
  for (PlannedMeeting& m : meetings) *out.Add() = std::move(m);
  return out;
}

// "added de-1/cl-1 2027-04-12 10:30 t1" and the like, for readable failures.
std::string Describe(const MeetingChange& c) {
  auto at = [](const PlannedMeeting& m) {
    return absl::StrCat(m.delegate_id(), "/", m.host_id(), " ", m.date(), " ", m.local_start(),
                        " t", m.table());
  };
  switch (c.kind) {
    case Kind::kAdded:
      return "added " + at(c.after);
    case Kind::kRemoved:
      return "removed " + at(c.before);
    case Kind::kMoved:
      return "moved " + at(c.before) + " -> " + at(c.after);
    case Kind::kNewPartner:
      return "new partner " + at(c.before) + " -> " + at(c.after);
  }
  return "";
}

std::map<std::string, std::vector<std::string>> Described(const Meetings& told,
                                                          const Meetings& now) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [id, changes] : ChangesByCompany(told, now)) {
    for (const MeetingChange& c : changes) out[id].push_back(Describe(c));
  }
  return out;
}

const Meetings kTold = Plan({
    Meeting("de-1", "cl-1", "2027-04-12", "10:30", 1),
    Meeting("de-1", "cl-2", "2027-04-12", "11:10", 1),
    Meeting("de-2", "cl-1", "2027-04-12", "11:10", 2),
    Meeting("de-2", "cl-3", "2027-04-13", "09:00", 1),
});

TEST(PlanChangesTest, TheSamePlanInAnotherOrderChangesNothing) {
  Meetings same = kTold;
  std::swap(*same.Mutable(0), *same.Mutable(3));
  // Scores, reasons and locks are not what participants were told.
  same.Mutable(1)->set_score(0.9);
  same.Mutable(1)->add_reasons("you seek a distributor");
  same.Mutable(2)->set_locked(true);
  EXPECT_THAT(ChangesByCompany(kTold, same), IsEmpty());
  EXPECT_THAT(ChangesByCompany({}, {}), IsEmpty());
}

TEST(PlanChangesTest, AMovedMeetingIsOneChangeForEachOfItsTwoCompaniesOnly) {
  Meetings now = kTold;
  now.Mutable(0)->set_date("2027-04-13");
  now.Mutable(0)->set_local_start("11:10");
  EXPECT_THAT(
      Described(kTold, now),
      ElementsAre(::testing::Pair("cl-1", ElementsAre("moved de-1/cl-1 2027-04-12 10:30 t1 "
                                                      "-> de-1/cl-1 2027-04-13 11:10 t1")),
                  ::testing::Pair("de-1", ElementsAre("moved de-1/cl-1 2027-04-12 10:30 t1 "
                                                      "-> de-1/cl-1 2027-04-13 11:10 t1"))));
}

TEST(PlanChangesTest, AnotherTableAtTheSameTimeIsAMove) {
  Meetings now = kTold;
  now.Mutable(3)->set_table(4);
  EXPECT_THAT(Described(kTold, now),
              ElementsAre(::testing::Pair("cl-3", ElementsAre(::testing::HasSubstr("-> de-2/cl-3 "
                                                                                   "2027-04-13 "
                                                                                   "09:00 t4"))),
                          ::testing::Pair("de-2", ::testing::SizeIs(1))));
}

TEST(PlanChangesTest, AddedAndRemovedMeetingsReachBothSidesInTimeOrder) {
  Meetings now = Plan({
      Meeting("de-1", "cl-1", "2027-04-12", "10:30", 1),
      Meeting("de-2", "cl-1", "2027-04-12", "11:10", 2),
      Meeting("de-2", "cl-3", "2027-04-13", "09:00", 1),
      Meeting("de-1", "cl-4", "2027-04-13", "09:00", 2),
      Meeting("de-3", "cl-4", "2027-04-12", "09:00", 1),
  });
  EXPECT_THAT(
      Described(kTold, now),
      ElementsAre(::testing::Pair("cl-2", ElementsAre("removed de-1/cl-2 2027-04-12 11:10 t1")),
                  ::testing::Pair("cl-4", ElementsAre("added de-3/cl-4 2027-04-12 09:00 t1",
                                                      "added de-1/cl-4 2027-04-13 09:00 t2")),
                  ::testing::Pair("de-1", ElementsAre("removed de-1/cl-2 2027-04-12 11:10 t1",
                                                      "added de-1/cl-4 2027-04-13 09:00 t2")),
                  ::testing::Pair("de-3", ElementsAre("added de-3/cl-4 2027-04-12 09:00 t1"))));
}

TEST(PlanChangesTest, AnotherPartnerInTheSameSlotIsOneChangeForTheCompanyThatKeepsIt) {
  // de-1 keeps its 11:10 slot but meets cl-3 there instead of cl-2.
  Meetings now = kTold;
  now.Mutable(1)->set_host_id("cl-3");
  now.Mutable(1)->set_table(3);
  const auto changes = Described(kTold, now);
  EXPECT_THAT(changes.at("de-1"), ElementsAre("new partner de-1/cl-2 2027-04-12 11:10 t1 -> "
                                              "de-1/cl-3 2027-04-12 11:10 t3"));
  // For the two hosts it is a meeting lost and a meeting won.
  EXPECT_THAT(changes.at("cl-2"), ElementsAre("removed de-1/cl-2 2027-04-12 11:10 t1"));
  EXPECT_THAT(changes.at("cl-3"), ElementsAre("added de-1/cl-3 2027-04-12 11:10 t3"));
  EXPECT_EQ(changes.size(), 3u);
}

TEST(PlanChangesTest, EverythingIsNewAgainstNothingToldAndGoneAgainstNothingPlanned) {
  const auto all_new = ChangesByCompany({}, kTold);
  ASSERT_EQ(all_new.size(), 5u);  // de-1, de-2, cl-1, cl-2, cl-3
  for (const auto& [id, changes] : all_new) {
    for (const MeetingChange& c : changes) EXPECT_EQ(c.kind, Kind::kAdded) << id;
  }
  EXPECT_EQ(all_new.at("de-1").size(), 2u);
  const auto all_gone = ChangesByCompany(kTold, {});
  ASSERT_EQ(all_gone.size(), 5u);
  for (const MeetingChange& c : all_gone.at("cl-1")) EXPECT_EQ(c.kind, Kind::kRemoved);
  EXPECT_EQ(all_gone.at("cl-1").size(), 2u);
}

TEST(PlanChangesTest, MeetingsOfACompanyAreInTimeOrder) {
  std::vector<std::string> at;
  for (const PlannedMeeting& m : MeetingsOf(kTold, "cl-1")) {
    at.push_back(absl::StrCat(m.delegate_id(), " ", m.local_start()));
  }
  EXPECT_THAT(at, ElementsAre("de-1 10:30", "de-2 11:10"));
  EXPECT_THAT(MeetingsOf(Plan({Meeting("de-1", "cl-1", "2027-04-13", "09:00", 1),
                               Meeting("de-1", "cl-2", "2027-04-12", "17:00", 1)}),
                         "de-1")[0]
                  .host_id(),
              "cl-2");
  EXPECT_THAT(MeetingsOf(kTold, "xx-9"), IsEmpty());
}

}  // namespace
}  // namespace socio::planner
