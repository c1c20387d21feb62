// What each company of a delegation is told when its plan is published, and
// after a re-plan what only the companies whose meetings changed are told.
#include "planner/plan_notices.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::planner {
namespace {

using socio::v1::Delegation;
using socio::v1::Notification;
using socio::v1::PlannedMeeting;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

void AddMeeting(socio::v1::DelegationPlan* plan, const std::string& delegate,
                const std::string& host, const std::string& date, const std::string& start,
                int table) {
  PlannedMeeting* m = plan->add_meetings();
  m->set_delegate_id(delegate);
  m->set_host_id(host);
  m->set_date(date);
  m->set_local_start(start);
  m->set_table(table);
}

// Two delegates, one with three meetings over two days, one with none; two
// hosts with meetings; a third delegate in no meeting.
Delegation Mission() {
  Delegation d;
  d.set_id("cl27");
  d.set_chamber_id("ihk-stuttgart");
  d.set_name("Mission to Chile 2027");
  for (const char* id : {"de-1", "de-2", "de-3"}) d.add_delegates()->set_member_id(id);
  socio::v1::DelegationPlan* plan = d.mutable_plan();
  AddMeeting(plan, "de-1", "cl-2", "2027-04-13", "09:00", 2);
  AddMeeting(plan, "de-1", "cl-1", "2027-04-12", "10:30", 2);
  AddMeeting(plan, "de-2", "cl-1", "2027-04-12", "11:10", 1);
  AddMeeting(plan, "de-1", "cl-3", "2027-04-12", "11:10", 3);
  return d;
}

// Names as a company is shown them; cl-3 is not shown to de-1, nor de-3
// (a company without a name here) to anyone.
std::string Name(const std::string& recipient, const std::string& partner) {
  static const std::map<std::string, std::string> kNames = {{"de-1", "Huber Ventiltechnik"},
                                                            {"de-2", "Schwaben Pumpen"},
                                                            {"cl-1", "Distribuidora Andina"},
                                                            {"cl-2", "Importadora Pacífico"},
                                                            {"cl-3", "Aceros del Sur"}};
  if (recipient == "de-1" && partner == "cl-3") return "";
  auto it = kNames.find(partner);
  return it == kNames.end() ? "" : it->second;
}

std::map<std::string, Notification> ByRecipient(const std::vector<Notification>& notices) {
  std::map<std::string, Notification> out;
  for (const Notification& n : notices) {
    EXPECT_TRUE(out.emplace(n.recipient(), n).second) << "two for " << n.recipient();
  }
  return out;
}

std::vector<std::string> Recipients(const std::vector<Notification>& notices) {
  std::vector<std::string> out;
  for (const Notification& n : notices) {
    out.push_back(absl::StrCat(Notification::Kind_Name(n.kind()), " ", n.recipient()));
  }
  return out;
}

// `d` as it is stored after its plan was published.
Delegation Published(Delegation d) {
  d.mutable_publication()->set_publish_count(1);
  *d.mutable_publication()->mutable_meetings() = d.plan().meetings();
  return d;
}

TEST(PlanNoticesTest, TheFirstPublishTellsEveryDelegateAndEveryHostWithAMeeting) {
  const std::vector<Notification> notices =
      PublicationNotices(Mission(), Name, "staff:ihk-stuttgart");
  EXPECT_THAT(Recipients(notices),
              ElementsAre("PLAN_PUBLISHED de-1", "PLAN_PUBLISHED de-2", "PLAN_PUBLISHED de-3",
                          "PLAN_PUBLISHED cl-1", "PLAN_PUBLISHED cl-2", "PLAN_PUBLISHED cl-3",
                          "PLAN_PUBLISHED staff:ihk-stuttgart"));
  for (const Notification& n : notices) EXPECT_EQ(n.delegation_id(), "cl27");
  const std::map<std::string, Notification> to = ByRecipient(notices);
  // Its own meetings, in time order, with the partner it may be shown.
  EXPECT_EQ(to.at("de-1").summary(),
            "Mission to Chile 2027: 3 meetings on 12–13 April: "
            "12 April 10:30 with Distribuidora Andina (table 2); "
            "12 April 11:10 with a company of the delegation (table 3); "
            "13 April 09:00 with Importadora Pacífico (table 2)");
  EXPECT_EQ(to.at("cl-1").summary(),
            "Mission to Chile 2027: 2 meetings on 12 April: "
            "12 April 10:30 with Huber Ventiltechnik (table 2); "
            "12 April 11:10 with Schwaben Pumpen (table 1)");
  EXPECT_THAT(to.at("de-3").summary(), HasSubstr("no meetings for you"));
  EXPECT_THAT(to.at("cl-3").summary(), HasSubstr("1 meeting on 12 April"));
  EXPECT_THAT(to.at("staff:ihk-stuttgart").summary(), HasSubstr("6 companies were told"));
  // Nobody reads another company's meetings.
  EXPECT_THAT(to.at("de-2").summary(), Not(HasSubstr("Importadora")));
}

TEST(PlanNoticesTest, WithoutAStaffRecipientOnlyCompaniesAreTold) {
  EXPECT_THAT(Recipients(PublicationNotices(Mission(), Name, "")),
              Not(testing::Contains(HasSubstr("staff"))));
}

TEST(PlanNoticesTest, APublishAfterAReplanTellsOnlyTheCompaniesWhoseMeetingsChanged) {
  Delegation d = Published(Mission());
  // de-1's meeting with cl-2 moves to the afternoon; nothing else changes.
  d.mutable_plan()->mutable_meetings(0)->set_local_start("15:20");
  d.mutable_plan()->mutable_meetings(0)->set_table(1);
  const std::vector<Notification> notices = PublicationNotices(d, Name, "staff:ihk-stuttgart");
  EXPECT_THAT(Recipients(notices), ElementsAre("MEETINGS_CHANGED de-1", "MEETINGS_CHANGED cl-2",
                                               "MEETINGS_CHANGED staff:ihk-stuttgart"));
  const std::map<std::string, Notification> to = ByRecipient(notices);
  EXPECT_EQ(to.at("de-1").summary(),
            "Mission to Chile 2027: your meeting with Importadora Pacífico moved to 13 April "
            "15:20, table 1");
  EXPECT_EQ(to.at("cl-2").summary(),
            "Mission to Chile 2027: your meeting with Huber Ventiltechnik moved to 13 April "
            "15:20, table 1");
  EXPECT_THAT(to.at("staff:ihk-stuttgart").summary(), HasSubstr("2 companies were told"));
}

TEST(PlanNoticesTest, EachKindOfChangeIsSaidInWords) {
  Delegation d = Published(Mission());
  socio::v1::DelegationPlan* plan = d.mutable_plan();
  plan->mutable_meetings(2)->set_host_id("cl-2");  // de-2 meets cl-2 instead of cl-1 at 11:10
  plan->mutable_meetings()->DeleteSubrange(3, 1);  // de-1 no longer meets cl-3
  AddMeeting(plan, "de-3", "cl-1", "2027-04-13", "09:40", 1);  // de-3's first meeting
  const std::map<std::string, Notification> to = ByRecipient(PublicationNotices(d, Name, ""));
  EXPECT_EQ(to.at("de-2").summary(),
            "Mission to Chile 2027: on 12 April 11:10 you now meet Importadora Pacífico instead "
            "of Distribuidora Andina, table 1");
  EXPECT_EQ(to.at("de-1").summary(),
            "Mission to Chile 2027: your meeting with a company of the delegation on 12 April "
            "11:10 is cancelled");
  EXPECT_EQ(to.at("cl-3").summary(),
            "Mission to Chile 2027: your meeting with Huber Ventiltechnik on 12 April 11:10 is "
            "cancelled");
  EXPECT_EQ(to.at("de-3").summary(),
            "Mission to Chile 2027: new meeting with Distribuidora Andina on 13 April 09:40, "
            "table 1");
  // cl-1 lost de-2 and won de-3: two changes, in time order, one notification.
  EXPECT_EQ(to.at("cl-1").summary(),
            "Mission to Chile 2027: your meeting with Schwaben Pumpen on 12 April 11:10 is "
            "cancelled; new meeting with a company of the delegation on 13 April 09:40, table 1");
  EXPECT_EQ(to.size(), 6u);
}

TEST(PlanNoticesTest, APublishOfThePlanAsToldTellsNobody) {
  Delegation d = Published(Mission());
  // Re-planned with the same meetings (new scores, same times and tables).
  for (PlannedMeeting& m : *d.mutable_plan()->mutable_meetings()) m.set_score(m.score() + 0.1);
  EXPECT_THAT(PublicationNotices(d, Name, "staff:ihk-stuttgart"), IsEmpty());
}

TEST(PlanNoticesTest, ALongAgendaIsCutShortAndDaysAcrossMonthsAreSpelledOut) {
  Delegation d;
  d.set_id("big");
  d.set_name("Big fair");
  d.add_delegates()->set_member_id("de-1");
  for (int i = 0; i < 12; ++i) {
    AddMeeting(d.mutable_plan(), "de-1", absl::StrCat("cl-", 10 + i),
               i < 6 ? "2027-04-30" : "2027-05-02", absl::StrCat(10 + i % 6, ":00"), 1);
  }
  const std::vector<Notification> notices = PublicationNotices(
      d, [](const std::string&, const std::string& p) { return p; }, "");
  ASSERT_FALSE(notices.empty());
  EXPECT_THAT(notices[0].summary(), HasSubstr("Big fair: 12 meetings on 30 April – 2 May: "));
  EXPECT_THAT(notices[0].summary(), HasSubstr("; and 2 more in your agenda"));
  EXPECT_THAT(notices[0].summary(), Not(HasSubstr("cl-21")));
  EXPECT_EQ(DayInWords("2027-12-01"), "1 December");
  EXPECT_EQ(DayInWords("not a date"), "not a date");
}

}  // namespace
}  // namespace socio::planner
