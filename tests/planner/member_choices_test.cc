#include "planner/member_choices.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::planner {
namespace {

using socio::v1::Delegation;
using socio::v1::Interest;
using socio::v1::MeetingPair;
using socio::v1::MeetingRequest;
using ::testing::UnorderedElementsAre;

Delegation Mission() {
  Delegation d;
  d.set_id("cl27");
  for (const char* id : {"de-1", "de-2", "de-3"}) d.add_delegates()->set_member_id(id);
  for (const char* id : {"cl-1", "cl-2"}) d.add_hosts()->set_member_id(id);
  return d;
}

Interest Mark(const std::string& member, const std::string& partner, Interest::Mark mark) {
  Interest i;
  i.set_member_id(member);
  i.set_partner_ref(partner);
  i.set_mark(mark);
  return i;
}

MeetingRequest Accepted(const std::string& from, const std::string& to,
                        const std::string& delegation) {
  MeetingRequest r;
  r.set_from_member_id(from);
  r.set_to_ref(to);
  r.set_delegation_id(delegation);
  r.set_state(MeetingRequest::ACCEPTED);
  return r;
}

std::vector<std::string> Pairs(const Delegation& d) {
  std::vector<std::string> out;
  for (const MeetingPair& p : d.pairs()) {
    out.push_back(p.delegate_id() + "-" + p.host_id() + " " + MeetingPair::Status_Name(p.status()));
  }
  return out;
}

TEST(MemberChoicesTest, MarksAndAcceptedRequestsBecomePairsEitherWayRound) {
  const Delegation d = WithMemberChoices(
      Mission(),
      {Mark("de-1", "cl-1", Interest::NOT_INTERESTED), Mark("cl-2", "de-2", Interest::MUST_MEET),
       Mark("de-3", "cl-1", Interest::INTERESTED)},
      {Accepted("cl-2", "de-3", "cl27")});
  EXPECT_THAT(Pairs(d), UnorderedElementsAre("de-1-cl-1 DECLINED", "de-2-cl-2 REQUESTED",
                                             "de-3-cl-2 ACCEPTED"));
}

TEST(MemberChoicesTest, AnAcceptedRequestOutranksADeclineWhichOutranksAMustMeet) {
  const Delegation d = WithMemberChoices(
      Mission(),
      {Mark("de-1", "cl-1", Interest::MUST_MEET), Mark("cl-1", "de-1", Interest::NOT_INTERESTED),
       Mark("de-2", "cl-1", Interest::NOT_INTERESTED)},
      {Accepted("de-2", "cl-1", "cl27")});
  EXPECT_THAT(Pairs(d), UnorderedElementsAre("de-1-cl-1 DECLINED", "de-2-cl-1 ACCEPTED"));
}

TEST(MemberChoicesTest, StaffPairsStayAndOutsidersOtherVisitsAndOtherStatesAreIgnored) {
  Delegation mission = Mission();
  MeetingPair* staff = mission.add_pairs();
  staff->set_delegate_id("de-1");
  staff->set_host_id("cl-1");
  staff->set_status(MeetingPair::REQUESTED);
  MeetingRequest declined = Accepted("de-2", "cl-2", "cl27");
  declined.set_state(MeetingRequest::DECLINED);
  const Delegation d = WithMemberChoices(
      mission,
      {Mark("de-1", "cl-1", Interest::NOT_INTERESTED), Mark("de-1", "mx-9", Interest::MUST_MEET),
       Mark("de-1", "de-2", Interest::MUST_MEET)},
      {Accepted("de-3", "cl-1", "another-visit"), declined});
  EXPECT_THAT(Pairs(d), UnorderedElementsAre("de-1-cl-1 REQUESTED"));
}

TEST(MemberChoicesTest, HostsTheFilterChoseForTheLastPlanCountAsHosts) {
  Delegation mission = Mission();
  mission.mutable_plan()->add_host_ids("cl-9");
  const Delegation d = WithMemberChoices(mission, {Mark("cl-9", "de-1", Interest::NOT_INTERESTED)},
                                         {Accepted("de-2", "cl-9", "cl27")});
  EXPECT_THAT(Pairs(d), UnorderedElementsAre("de-1-cl-9 DECLINED", "de-2-cl-9 ACCEPTED"));
}

}  // namespace
}  // namespace socio::planner
