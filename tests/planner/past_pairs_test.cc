#include "planner/past_pairs.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::planner {
namespace {

using socio::v1::Delegation;
using socio::v1::MeetingPair;
using socio::v1::MetBefore;

std::string Show(const MeetingPair& p) {
  return p.delegate_id() + "×" + p.host_id() + ":" + MeetingPair::Status_Name(p.status());
}

std::vector<std::string> PairsOf(const Delegation& d) {
  std::vector<std::string> out;
  for (const MeetingPair& p : d.pairs()) out.push_back(Show(p));
  return out;
}

TEST(WithExcludedPairsTest, AddsEachExcludedPairOnceAsDeclinedAndKeepsThePairsNamed) {
  Delegation d;
  MeetingPair* locked = d.add_pairs();
  locked->set_delegate_id("de-1");
  locked->set_host_id("cl-1");
  locked->set_status(MeetingPair::REQUESTED);
  const Delegation out =
      WithExcludedPairs(d, {{"de-1", "cl-1"}, {"de-2", "cl-1"}, {"de-2", "cl-1"}});
  // The staff's lock wins; the other pair is declined, once.
  EXPECT_THAT(PairsOf(out), ::testing::ElementsAre("de-1×cl-1:REQUESTED", "de-2×cl-1:DECLINED"));
  // Nothing excluded: the delegation as it was.
  EXPECT_THAT(PairsOf(WithExcludedPairs(d, {})), ::testing::ElementsAre("de-1×cl-1:REQUESTED"));
}

TEST(MarkMetBeforeTest, MarksThePairsThatMetAndClearsTheOthers) {
  socio::v1::DelegationPlan plan;
  for (const char* host : {"cl-1", "cl-2"}) {
    socio::v1::PlannedMeeting* m = plan.add_meetings();
    m->set_delegate_id("de-1");
    m->set_host_id(host);
    m->mutable_met_before()->set_meetings(7);  // stale, from an earlier plan
  }
  MetBefore met;
  met.set_meetings(2);
  met.mutable_member_side()->set_rating(4);
  MarkMetBefore({{{"de-1", "cl-1"}, met}}, &plan);
  EXPECT_EQ(plan.meetings(0).met_before().meetings(), 2);
  EXPECT_EQ(plan.meetings(0).met_before().member_side().rating(), 4);
  EXPECT_FALSE(plan.meetings(1).has_met_before());
}

}  // namespace
}  // namespace socio::planner
