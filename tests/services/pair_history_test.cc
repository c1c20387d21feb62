// FindPartners, ExplainMatch and the planner know the history, on a real
// sociod whose outcome clock the test moves: a partner who declined a
// request from the member, or marked the member not interested, is left out
// unless asked for; a partner met (an accepted request past its end, with
// outcomes recorded) is marked with the date and how it went, as each role
// may see it; an anonymous partner's history is not shown to those who may
// not see who it is; the planner does not plan a declined pair unless the
// staff lock it, and marks a pair that met before.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_clocks.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Interest;
using socio::v1::Match;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingRef;
using socio::v1::MeetingRequest;
using socio::v1::Profile;

// de-1 seeks distribution in Chile and Mexico; every other company offers it
// (or seeks it too, as de-2 does), so each is among de-1's partners.
constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL", "MX"]}], "targetMarkets": ["CL", "MX"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-stuttgart", "name": "Schwaben Pumpen", "country": "DE", "city": "Ulm", "sectors": ["28.13"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "cl-2", "chamberId": "camara-santiago", "name": "Comercial Pacifico", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "cl-3", "chamberId": "camara-santiago", "name": "Importadora Austral", "country": "CL", "city": "Concepcion", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION", "anonymous": true})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora del Valle", "country": "MX", "city": "Ciudad de Mexico", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

using TestClock = socio::testing::ShiftedClock;

MeetingFeedback Held(int rating, MeetingFeedback::FollowUp follow_up) {
  MeetingFeedback f;
  f.set_attendance(MeetingFeedback::HELD);
  f.set_rating(rating);
  f.set_follow_up(follow_up);
  return f;
}

std::vector<std::string> Ids(const socio::v1::FindPartnersResponse& response) {
  std::vector<std::string> ids;
  for (const Match& m : response.matches()) ids.push_back(m.partner_id());
  return ids;
}

std::optional<Match> Find(const socio::v1::FindPartnersResponse& response, const std::string& id) {
  for (const Match& m : response.matches()) {
    if (m.partner_id() == id) return m;
  }
  return std::nullopt;
}

class PairHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::SociodOptions options;
    options.request_expiry_sweep = absl::Milliseconds(20);
    options.clock = [clock = clock_] { return clock->Now(); };
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    admin_ = server_->admin_token();
    for (const char* json : kProfiles) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(json);
      Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
    }
    for (const char* id : {"de-1", "de-2", "cl-1", "cl-2", "cl-3", "mx-1"}) {
      member_[id] = server_->IssueToken(socio::v1::MEMBER, "", id);
    }
    staff_de_ = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    staff_cl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
    outcomes_ = socio::v1::OutcomeService::NewStub(server_->channel());
  }

  // A request from `from` to `to` for a window two days ahead, answered by
  // `to`.
  MeetingRequest Request(const std::string& from, const std::string& to, bool accept) {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(from);
    r.mutable_request()->set_to_ref(to);
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    const absl::Time start = absl::Now() + absl::Hours(48);
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Hours(1)));
    MeetingRequest sent, answered;
    grpc::Status created =
        engagement_->CreateMeetingRequest(WithToken(member_[from]).get(), r, &sent);
    EXPECT_TRUE(created.ok()) << created.error_message();
    socio::v1::AnswerMeetingRequestRequest answer;
    answer.set_id(sent.id());
    answer.set_accept(accept);
    grpc::Status done =
        engagement_->AnswerMeetingRequest(WithToken(member_[to]).get(), answer, &answered);
    EXPECT_TRUE(done.ok()) << done.error_message();
    return answered;
  }

  void Mark(const std::string& member, const std::string& partner, Interest::Mark mark) {
    socio::v1::SetInterestRequest r;
    r.set_member_id(member);
    r.set_partner_ref(partner);
    r.set_mark(mark);
    Interest out;
    ASSERT_RPC_OK(engagement_->SetInterest(WithToken(member_[member]).get(), r, &out));
  }

  void Record(const std::string& token, const MeetingRef& ref, const std::string& member,
              const MeetingFeedback& feedback) {
    socio::v1::RecordOutcomeRequest r;
    *r.mutable_meeting() = ref;
    r.set_member_id(member);
    *r.mutable_feedback() = feedback;
    socio::v1::MeetingOutcome out;
    ASSERT_RPC_OK(outcomes_->RecordOutcome(WithToken(token).get(), r, &out));
  }

  socio::v1::FindPartnersResponse FindFor(const std::string& token, const std::string& member,
                                          bool include_declined = false,
                                          bool include_not_interested = false) {
    socio::v1::FindPartnersRequest r;
    r.set_member_id(member);
    r.set_include_declined(include_declined);
    r.set_include_not_interested(include_not_interested);
    socio::v1::FindPartnersResponse out;
    grpc::Status status = server_->matches().FindPartners(WithToken(token).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  std::shared_ptr<TestClock> clock_ = std::make_shared<TestClock>();
  std::unique_ptr<TestServer> server_;
  std::string admin_, staff_de_, staff_cl_;
  std::map<std::string, std::string> member_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
};

TEST_F(PairHistoryTest, DeclinedAndNotInterestedPairsAreLeftOutUnlessAskedFor) {
  // Before anything happened, de-1 is proposed all three.
  const std::vector<std::string> before = Ids(FindFor(member_["de-1"], "de-1"));
  for (const char* id : {"mx-1", "cl-2", "cl-1"}) {
    EXPECT_THAT(before, ::testing::Contains(id)) << id;
  }

  Request("de-1", "mx-1", /*accept=*/false);       // mx-1 declined de-1's request
  Mark("cl-2", "de-1", Interest::NOT_INTERESTED);  // cl-2 is not interested in de-1
  Mark("de-1", "cl-1", Interest::NOT_INTERESTED);  // de-1 is not interested in cl-1

  for (const std::string* token : {&member_["de-1"], &staff_de_, &admin_}) {
    const std::vector<std::string> now = Ids(FindFor(*token, "de-1"));
    EXPECT_THAT(now, ::testing::Not(::testing::Contains("mx-1")));
    EXPECT_THAT(now, ::testing::Not(::testing::Contains("cl-2")));
    EXPECT_THAT(now, ::testing::Not(::testing::Contains("cl-1")));
    // The rest keep their order: only the three are gone.
    std::vector<std::string> expected;
    for (const std::string& id : Ids(FindFor(*token, "de-1", /*include_declined=*/true))) {
      if (id != "mx-1" && id != "cl-2" && id != "cl-1") expected.push_back(id);
    }
    EXPECT_EQ(now, expected);
  }
  // Either side: mx-1 is not proposed de-1 either.
  EXPECT_THAT(Ids(FindFor(member_["mx-1"], "mx-1")), ::testing::Not(::testing::Contains("de-1")));

  // include_not_interested brings back the member's own mark only.
  const std::vector<std::string> own = Ids(FindFor(member_["de-1"], "de-1", false, true));
  EXPECT_THAT(own, ::testing::Contains("cl-1"));
  EXPECT_THAT(own, ::testing::Not(::testing::Contains("cl-2")));
  EXPECT_THAT(own, ::testing::Not(::testing::Contains("mx-1")));
  // include_declined brings back all, in the order of the search without
  // history.
  EXPECT_EQ(Ids(FindFor(member_["de-1"], "de-1", true)), before);
}

TEST_F(PairHistoryTest, APartnerMetIsMarkedWithWhenAndHowItWentAsEachRoleMaySee) {
  const MeetingRequest meeting = Request("de-1", "cl-1", /*accept=*/true);
  MeetingRef ref;
  ref.set_request_id(meeting.id());
  // Not yet met: the meeting has not ended.
  std::optional<Match> not_yet = Find(FindFor(member_["de-1"], "de-1"), "cl-1");
  ASSERT_TRUE(not_yet.has_value());
  EXPECT_FALSE(not_yet->has_met_before());

  clock_->Advance(absl::Hours(50));
  Record(member_["de-1"], ref, "de-1", Held(4, MeetingFeedback::YES));
  Record(member_["cl-1"], ref, "cl-1", Held(2, MeetingFeedback::NO));

  // The member: its own side only.
  socio::v1::FindPartnersResponse as_member = FindFor(member_["de-1"], "de-1");
  std::optional<Match> m = Find(as_member, "cl-1");
  ASSERT_TRUE(m.has_value());
  ASSERT_TRUE(m->has_met_before());
  EXPECT_EQ(m->met_before().last_met(), meeting.accepted_window().end_time());
  EXPECT_EQ(m->met_before().meetings(), 1);
  EXPECT_EQ(m->met_before().member_side().attendance(), MeetingFeedback::HELD);
  EXPECT_EQ(m->met_before().member_side().rating(), 4);
  EXPECT_EQ(m->met_before().member_side().follow_up(), MeetingFeedback::YES);
  EXPECT_FALSE(m->met_before().has_partner_side());
  EXPECT_EQ(m->met_before().meeting().request_id(), meeting.id());
  // Partners not met carry nothing.
  for (const Match& other : as_member.matches()) {
    if (other.partner_id() != "cl-1") {
      EXPECT_FALSE(other.has_met_before()) << other.partner_id();
    }
  }
  // The other side sees its own answers, not de-1's.
  std::optional<Match> theirs = Find(FindFor(member_["cl-1"], "cl-1"), "de-1");
  ASSERT_TRUE(theirs.has_value());
  EXPECT_EQ(theirs->met_before().member_side().rating(), 2);
  EXPECT_FALSE(theirs->met_before().has_partner_side());

  // Staff of either chamber and operators: both sides.
  for (const std::string* token : {&staff_de_, &admin_}) {
    std::optional<Match> both = Find(FindFor(*token, "de-1"), "cl-1");
    ASSERT_TRUE(both.has_value());
    EXPECT_EQ(both->met_before().member_side().rating(), 4);
    EXPECT_EQ(both->met_before().partner_side().rating(), 2);
    EXPECT_EQ(both->met_before().partner_side().follow_up(), MeetingFeedback::NO);
  }
  std::optional<Match> from_cl = Find(FindFor(staff_cl_, "cl-1"), "de-1");
  ASSERT_TRUE(from_cl.has_value());
  EXPECT_EQ(from_cl->met_before().member_side().rating(), 2);
  EXPECT_EQ(from_cl->met_before().partner_side().rating(), 4);

  // ExplainMatch carries the same history.
  socio::v1::ExplainMatchRequest explain;
  explain.set_a_id("de-1");
  explain.set_b_id("cl-1");
  Match explained;
  ASSERT_RPC_OK(
      server_->matches().ExplainMatch(WithToken(member_["de-1"]).get(), explain, &explained));
  EXPECT_EQ(explained.met_before().member_side().rating(), 4);
  EXPECT_FALSE(explained.met_before().has_partner_side());
  ASSERT_RPC_OK(server_->matches().ExplainMatch(WithToken(staff_de_).get(), explain, &explained));
  EXPECT_EQ(explained.met_before().partner_side().rating(), 2);

  // A pair that declined is left out even if it met before.
  Mark("cl-1", "de-1", Interest::NOT_INTERESTED);
  EXPECT_FALSE(Find(FindFor(member_["de-1"], "de-1"), "cl-1").has_value());
  std::optional<Match> asked = Find(FindFor(member_["de-1"], "de-1", true), "cl-1");
  ASSERT_TRUE(asked.has_value());
  EXPECT_EQ(asked->met_before().member_side().rating(), 4);
}

constexpr char kMission[] = R"({
  "id": "cl27", "chamberId": "ihk-stuttgart", "name": "Mission to Chile 2027",
  "originCountry": "DE", "hostCountry": "CL",
  "days": [{"date": "2027-04-12", "city": "Santiago", "startTime": "09:00", "endTime": "12:00"}],
  "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}],
  "hosts": [{"memberId": "cl-1"}, {"memberId": "cl-2"}]
})";

// An inbound mission of camara-santiago: its anonymous cl-3 visits de-1.
constexpr char kVisit[] = R"({
  "id": "de27", "chamberId": "camara-santiago", "name": "Mission to Germany 2027",
  "originCountry": "CL", "hostCountry": "DE",
  "days": [{"date": "2027-04-12", "city": "Stuttgart", "startTime": "09:00", "endTime": "12:00"}],
  "delegates": [{"memberId": "cl-3"}],
  "hosts": [{"memberId": "de-1"}]
})";

const socio::v1::PlannedMeeting* Meeting(const socio::v1::Delegation& d, const std::string& a,
                                         const std::string& b) {
  for (const auto& m : d.plan().meetings()) {
    if (m.delegate_id() == a && m.host_id() == b) return &m;
  }
  return nullptr;
}

TEST_F(PairHistoryTest, ThePlannerLeavesOutDeclinedPairsUnlessLockedAndMarksPairsMetBefore) {
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
  socio::v1::Delegation d;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(WithToken(staff_de_).get(), create, &d));
  socio::v1::PlanDelegationRequest plan;
  plan.set_id("cl27");
  plan.set_fresh(true);
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(staff_de_).get(), plan, &d));
  // Without history every pair meets.
  ASSERT_NE(Meeting(d, "de-1", "cl-2"), nullptr);
  ASSERT_NE(Meeting(d, "de-2", "cl-1"), nullptr);
  EXPECT_EQ(Meeting(d, "de-2", "cl-1")->met_before().meetings(), 0);

  // cl-2 declined de-1's request; de-2 met cl-1 and both answered.
  Request("de-1", "cl-2", /*accept=*/false);
  const MeetingRequest met = Request("de-2", "cl-1", /*accept=*/true);
  clock_->Advance(absl::Hours(50));
  MeetingRef ref;
  ref.set_request_id(met.id());
  Record(member_["de-2"], ref, "de-2", Held(4, MeetingFeedback::YES));
  Record(staff_cl_, ref, "cl-1", Held(5, MeetingFeedback::MAYBE));

  ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(staff_de_).get(), plan, &d));
  EXPECT_EQ(Meeting(d, "de-1", "cl-2"), nullptr);
  const socio::v1::PlannedMeeting* again = Meeting(d, "de-2", "cl-1");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->met_before().meetings(), 1);
  EXPECT_EQ(again->met_before().last_met(), met.accepted_window().end_time());
  EXPECT_EQ(again->met_before().member_side().rating(), 4);
  EXPECT_EQ(again->met_before().partner_side().rating(), 5);
  // Pairs not met carry nothing.
  EXPECT_FALSE(Meeting(d, "de-1", "cl-1")->has_met_before());

  // A staff lock names the declined pair: it is planned.
  socio::v1::UpdateDelegationRequest update;
  update.mutable_delegation()->set_id("cl27");
  socio::v1::MeetingPair* lock = update.mutable_delegation()->add_pairs();
  lock->set_delegate_id("de-1");
  lock->set_host_id("cl-2");
  lock->set_status(socio::v1::MeetingPair::REQUESTED);
  update.mutable_update_mask()->add_paths("pairs");
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(WithToken(staff_de_).get(), update, &d));
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(staff_de_).get(), plan, &d));
  EXPECT_NE(Meeting(d, "de-1", "cl-2"), nullptr);

  // A member reads its agenda: its own side of the history only.
  socio::v1::GetAgendaRequest agenda;
  agenda.set_delegation_id("cl27");
  agenda.set_member_id("cl-1");
  socio::v1::Agenda read;
  ASSERT_RPC_OK(server_->delegations().GetAgenda(WithToken(member_["cl-1"]).get(), agenda, &read));
  bool seen = false;
  for (const auto& m : read.meetings()) {
    if (m.delegate_id() != "de-2") continue;
    seen = true;
    EXPECT_EQ(m.met_before().member_side().rating(), 5);
    EXPECT_FALSE(m.met_before().has_partner_side());
  }
  EXPECT_TRUE(seen);
}

TEST_F(PairHistoryTest, AnAnonymousPartnersHistoryIsNotShownToThoseWhoMayNotSeeWhoItIs) {
  // The anonymous cl-3 meets de-1 in a published plan of its own chamber:
  // the plan reveals nothing, so de-1 and its staff are shown cl-3 by its
  // handle only.
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kVisit);
  socio::v1::Delegation d;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(WithToken(staff_cl_).get(), create, &d));
  socio::v1::PlanDelegationRequest plan;
  plan.set_id("de27");
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(staff_cl_).get(), plan, &d));
  const socio::v1::PlannedMeeting* with_anonymous = Meeting(d, "cl-3", "de-1");
  ASSERT_NE(with_anonymous, nullptr);
  MeetingRef ref;
  ref.set_delegation_id("de27");
  ref.set_meeting_uid(with_anonymous->uid());
  socio::v1::PublishPlanRequest publish;
  publish.set_id("de27");
  ASSERT_RPC_OK(server_->delegations().PublishPlan(WithToken(staff_cl_).get(), publish, &d));
  clock_->Advance(absl::Hours(24 * 365 * 3));  // past the mission's day
  Record(admin_, ref, "de-1", Held(3, MeetingFeedback::MAYBE));
  Record(admin_, ref, "cl-3", Held(3, MeetingFeedback::MAYBE));

  // Its own chamber's staff and operators see who cl-3 is, and its history.
  for (const std::string* token : {&staff_cl_, &admin_}) {
    std::optional<Match> m = Find(FindFor(*token, "cl-3"), "de-1");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->met_before().meetings(), 1);
  }
  ASSERT_TRUE(Find(FindFor(admin_, "de-1"), "cl-3").has_value());
  EXPECT_EQ(Find(FindFor(admin_, "de-1"), "cl-3")->met_before().meetings(), 1);
  // de-1 and its staff: cl-3 under its handle, with no history.
  for (const std::string* token : {&member_["de-1"], &staff_de_}) {
    socio::v1::FindPartnersResponse found = FindFor(*token, "de-1");
    EXPECT_FALSE(Find(found, "cl-3").has_value());
    int anonymous = 0;
    for (const Match& m : found.matches()) {
      if (m.partner_id().rfind("anon-", 0) != 0) continue;
      ++anonymous;
      EXPECT_FALSE(m.has_met_before());
    }
    EXPECT_EQ(anonymous, 1);
  }
}

}  // namespace
}  // namespace socio::testing
