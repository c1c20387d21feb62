// AnalyticsService on a real sociod: the test writes meeting requests (sent,
// accepted, declined, left to expire), a delegation's published plan,
// outcomes (held, a no-show, an agreement) and partnerships with reviews
// (a judgement per goal), keeping its own count of what it wrote, and the
// figures GetAnalytics answers must equal that count: in total, by month and
// by country pair, for a period. Staff of another chamber are refused the
// chamber's figures and see only their own; members are refused; the answer
// names no company.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/analytics_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_clocks.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::AnalyticsFigures;
using socio::v1::FollowUpReport;
using socio::v1::GetAnalyticsRequest;
using socio::v1::GetAnalyticsResponse;
using socio::v1::ListOutcomesRequest;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRef;
using socio::v1::MeetingRequest;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;
using socio::v1::Profile;
using ::testing::HasSubstr;
using ::testing::Not;

// Chamber of each company, and its country.
struct Company {
  const char* id;
  const char* chamber;
  const char* country;
  const char* name;
  const char* sector;
};
constexpr Company kCompanies[] = {
    {"de-1", "ihk-stuttgart", "DE", "Huber Ventiltechnik", "28.14"},
    {"de-2", "ihk-stuttgart", "DE", "Schwaben Pumpen", "28.13"},
    {"cl-1", "camara-santiago", "CL", "Distribuidora Andina", "46.69"},
    {"cl-2", "camara-santiago", "CL", "Minera Austral", "46.63"},
    {"mx-1", "canaco-cdmx", "MX", "Distribuidora del Valle", "46.62"},
};
constexpr char kChamber[] = "ihk-stuttgart";

// German companies seek distributors in Chile; the others offer
// distribution of machinery, so the mission's plan pairs them.
std::string ProfileJson(const Company& c) {
  const bool german = std::string(c.country) == "DE";
  const std::string objective =
      german ? R"({"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]})"
             : R"({"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]})";
  return absl::StrCat(R"({"id": ")", c.id, R"(", "chamberId": ")", c.chamber, R"(", "name": ")",
                      c.name, R"(", "country": ")", c.country, R"(", "city": ")",
                      german ? "Stuttgart" : "Santiago", R"(", "sectors": [")", c.sector,
                      R"("], "languages": ["es", "en"], "objectives": [)", objective,
                      R"(], "targetMarkets": [")", german ? "CL" : "DE",
                      R"("], "visibility": "FEDERATION"})");
}

constexpr char kMission[] = R"({
  "id": "cl27", "chamberId": "ihk-stuttgart", "name": "Mission to Chile 2027",
  "originCountry": "DE", "hostCountry": "CL",
  "days": [{"date": "2027-04-12", "city": "Santiago", "startTime": "09:00", "endTime": "12:00"}],
  "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}],
  "hosts": [{"memberId": "cl-1"}, {"memberId": "cl-2"}]
})";

using TestClock = socio::testing::ShiftedClock;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string Month(absl::Time t) { return absl::FormatTime("%Y-%m", t, absl::UTCTimeZone()); }

// What the test wrote, counted as analytics.proto says, for one group.
struct Expected {
  int sent = 0, accepted = 0, declined = 0, expired = 0;
  int planned = 0, held = 0, no_show = 0, cancelled = 0;
  int ratings = 0, rating_sum = 0, yes = 0, maybe = 0, no = 0;
  int agreements = 0;
  int partnerships = 0, active = 0, on_track = 0, at_risk = 0, off_track = 0, unreviewed = 0;
};

void ExpectFigures(const Expected& e, const AnalyticsFigures& f, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(f.requests_sent(), e.sent);
  EXPECT_EQ(f.requests_accepted(), e.accepted);
  EXPECT_EQ(f.requests_declined(), e.declined);
  EXPECT_EQ(f.requests_expired(), e.expired);
  const int answered = e.accepted + e.declined + e.expired;
  EXPECT_EQ(f.has_acceptance_rate(), answered > 0);
  if (answered > 0) {
    EXPECT_DOUBLE_EQ(f.acceptance_rate(), double(e.accepted) / answered);
  }
  EXPECT_EQ(f.meetings_planned(), e.planned);
  EXPECT_EQ(f.meetings_held(), e.held);
  EXPECT_EQ(f.meetings_no_show(), e.no_show);
  EXPECT_EQ(f.meetings_cancelled(), e.cancelled);
  const int reported = e.held + e.no_show + e.cancelled;
  EXPECT_EQ(f.meetings_reported(), reported);
  EXPECT_EQ(f.has_held_rate(), reported > 0);
  if (reported > 0) {
    EXPECT_DOUBLE_EQ(f.held_rate(), double(e.held) / reported);
    EXPECT_DOUBLE_EQ(f.no_show_rate(), double(e.no_show) / reported);
  }
  EXPECT_EQ(f.ratings(), e.ratings);
  if (e.ratings > 0) {
    EXPECT_DOUBLE_EQ(f.average_rating(), double(e.rating_sum) / e.ratings);
  }
  EXPECT_EQ(f.follow_up_yes(), e.yes);
  EXPECT_EQ(f.follow_up_maybe(), e.maybe);
  EXPECT_EQ(f.follow_up_no(), e.no);
  EXPECT_EQ(f.agreements_signed(), e.agreements);
  EXPECT_EQ(f.partnerships(), e.partnerships);
  EXPECT_EQ(f.partnerships_active(), e.active);
  EXPECT_EQ(f.goals_on_track(), e.on_track);
  EXPECT_EQ(f.goals_at_risk(), e.at_risk);
  EXPECT_EQ(f.goals_off_track(), e.off_track);
  EXPECT_EQ(f.goals_not_reviewed(), e.unreviewed);
}

std::string PairOf(const std::string& a, const std::string& b) {
  return a < b ? absl::StrCat(a, "-", b) : absl::StrCat(b, "-", a);
}

class AnalyticsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::SociodOptions options;
    options.request_expiry_sweep = absl::Milliseconds(20);
    options.clock = [clock = clock_] { return clock->Now(); };
    options.engagement_clock = options.clock;
    options.partnership_clock = options.clock;
    options.delivery.webhooks = false;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    token_["admin"] = server_->admin_token();
    for (const Company& c : kCompanies) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(ProfileJson(c));
      Profile created;
      ASSERT_RPC_OK(
          server_->profiles().CreateProfile(WithToken(token_["admin"]).get(), request, &created));
      token_[c.id] = server_->IssueToken(socio::v1::MEMBER, "", c.id);
      country_[c.id] = c.country;
      chamber_[c.id] = c.chamber;
    }
    token_["staff-de"] = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    token_["staff-mx"] = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
    engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
    outcomes_ = socio::v1::OutcomeService::NewStub(server_->channel());
    partnerships_ = socio::v1::PartnershipService::NewStub(server_->channel());
    analytics_ = socio::v1::AnalyticsService::NewStub(server_->channel());
  }

  bool Ours(const std::string& a, const std::string& b) {
    return chamber_[a] == kChamber || chamber_[b] == kChamber;
  }

  // A standalone request from `from` to `to`, a day or more ahead, answered
  // as `answer` says (PENDING: left alone). Counted.
  MeetingRequest Request(const std::string& from, const std::string& to,
                         MeetingRequest::State answer, int day) {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(from);
    r.mutable_request()->set_to_ref(to);
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    const absl::Time start = clock_->Now() + absl::Hours(24 * day);
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Hours(1)));
    MeetingRequest sent;
    EXPECT_TRUE(engagement_->CreateMeetingRequest(WithToken(token_[from]).get(), r, &sent).ok());
    if (Ours(from, to)) {
      Expected* e[] = {&total_, &by_pair_[PairOf(country_[from], country_[to])],
                       &by_month_[Month(TimeOf(sent.create_time()))]};
      for (Expected* x : e) ++x->sent;
      for (Expected* x : e) {
        if (answer == MeetingRequest::ACCEPTED) ++x->accepted;
        if (answer == MeetingRequest::DECLINED) ++x->declined;
        if (answer == MeetingRequest::PENDING) ++x->expired;  // once the clock passes expiry
      }
    }
    if (answer == MeetingRequest::PENDING) return sent;
    socio::v1::AnswerMeetingRequestRequest a;
    a.set_id(sent.id());
    a.set_accept(answer == MeetingRequest::ACCEPTED);
    MeetingRequest answered;
    EXPECT_TRUE(engagement_->AnswerMeetingRequest(WithToken(token_[to]).get(), a, &answered).ok());
    if (answer == MeetingRequest::ACCEPTED && Ours(from, to)) {
      for (Expected* x : {&total_, &by_pair_[PairOf(country_[from], country_[to])],
                          &by_month_[Month(TimeOf(answered.accepted_window().start_time()))]}) {
        ++x->planned;
      }
    }
    return answered;
  }

  // The Expected groups a meeting of `a` and `b` starting at `start` counts in.
  std::vector<Expected*> MeetingGroups(const std::string& a, const std::string& b,
                                       absl::Time start) {
    return {&total_, &by_pair_[PairOf(country_[a], country_[b])], &by_month_[Month(start)]};
  }

  grpc::Status Record(const std::string& who, const MeetingRef& ref,
                      const MeetingFeedback& feedback, MeetingOutcome* out) {
    socio::v1::RecordOutcomeRequest r;
    *r.mutable_meeting() = ref;
    *r.mutable_feedback() = feedback;
    return outcomes_->RecordOutcome(WithToken(token_[who]).get(), r, out);
  }

  // Records `feedback` for `who`'s side and counts its rating and follow-up.
  void Feedback(const std::string& who, const MeetingOutcome& meeting,
                const MeetingFeedback& feedback) {
    MeetingOutcome out;
    ASSERT_RPC_OK(Record(who, meeting.meeting(), feedback, &out));
    for (Expected* x : MeetingGroups(meeting.sides(0).member_id(), meeting.sides(1).member_id(),
                                     TimeOf(meeting.start_time()))) {
      if (feedback.rating() > 0) {
        ++x->ratings;
        x->rating_sum += feedback.rating();
      }
      if (feedback.follow_up() == MeetingFeedback::YES) ++x->yes;
      if (feedback.follow_up() == MeetingFeedback::MAYBE) ++x->maybe;
      if (feedback.follow_up() == MeetingFeedback::NO) ++x->no;
    }
  }

  static MeetingFeedback Answer(MeetingFeedback::Attendance a, int rating,
                                MeetingFeedback::FollowUp f) {
    MeetingFeedback fb;
    fb.set_attendance(a);
    fb.set_rating(rating);
    fb.set_follow_up(f);
    if (a == MeetingFeedback::NO_SHOW) fb.set_absent(MeetingFeedback::OTHER_SIDE);
    return fb;
  }

  Partnership CreatePartnership(const std::string& first, const std::string& second,
                                std::vector<std::string> goals) {
    socio::v1::CreatePartnershipRequest r;
    Partnership* p = r.mutable_partnership();
    p->set_first_member_id(first);
    p->set_second_member_id(second);
    p->set_title("Valves for Chilean mining");
    for (const std::string& name : goals) {
      socio::v1::SharedGoal* goal = p->add_goals();
      goal->set_title(absl::StrCat("Goal ", name));
      goal->mutable_indicator()->set_name(name);
      goal->mutable_indicator()->set_unit("units");
      goal->mutable_indicator()->set_target(100);
      goal->mutable_indicator()->set_due_date("2028-12-31");
    }
    Partnership out;
    EXPECT_TRUE(partnerships_->CreatePartnership(WithToken(token_[first]).get(), r, &out).ok());
    if (Ours(first, second)) {
      for (Expected* x : {&total_, &by_pair_[PairOf(country_[first], country_[second])],
                          &by_month_[Month(TimeOf(out.create_time()))]}) {
        ++x->partnerships;
        x->unreviewed += static_cast<int>(goals.size());
      }
    }
    return out;
  }

  GetAnalyticsResponse Analytics(const std::string& who, GetAnalyticsRequest r) {
    GetAnalyticsResponse out;
    grpc::Status status = analytics_->GetAnalytics(WithToken(token_[who]).get(), r, &out);
    EXPECT_TRUE(status.ok()) << who << ": " << status.error_message();
    return out;
  }

  grpc::Status Call(const std::string& who, GetAnalyticsRequest r) {
    GetAnalyticsResponse out;
    return analytics_->GetAnalytics(WithToken(token_[who]).get(), r, &out);
  }

  // The chamber's meetings as its staff list them, once `count` are listed.
  std::vector<MeetingOutcome> Meetings(size_t count) {
    ListOutcomesRequest r;
    r.set_chamber_id(kChamber);
    r.set_page_size(500);
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    socio::v1::ListOutcomesResponse out;
    do {
      out.Clear();
      EXPECT_TRUE(outcomes_->ListOutcomes(WithToken(token_["staff-de"]).get(), r, &out).ok());
      if (static_cast<size_t>(out.outcomes_size()) >= count) break;
      absl::SleepFor(absl::Milliseconds(20));
    } while (absl::Now() < deadline);
    return {out.outcomes().begin(), out.outcomes().end()};
  }

  std::shared_ptr<TestClock> clock_ = std::make_shared<TestClock>();
  std::unique_ptr<TestServer> server_;
  std::map<std::string, std::string> token_, country_, chamber_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
  std::unique_ptr<socio::v1::PartnershipService::Stub> partnerships_;
  std::unique_ptr<socio::v1::AnalyticsService::Stub> analytics_;
  Expected total_;
  std::map<std::string, Expected> by_pair_, by_month_;
};

TEST_F(AnalyticsServiceTest, FiguresEqualWhatWasWrittenInTotalAndByGroup) {
  // Requests: accepted, declined (from Mexico), left to expire; one between
  // two other chambers that ihk-stuttgart does not count.
  const MeetingRequest first = Request("de-1", "cl-1", MeetingRequest::ACCEPTED, 2);
  const MeetingRequest second = Request("de-1", "cl-2", MeetingRequest::ACCEPTED, 3);
  Request("mx-1", "de-2", MeetingRequest::DECLINED, 2);
  Request("de-2", "cl-2", MeetingRequest::PENDING, 2);
  Request("mx-1", "cl-1", MeetingRequest::ACCEPTED, 4);

  // A delegation's plan, published: its meetings count as planned.
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
  socio::v1::Delegation delegation;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(WithToken(token_["staff-de"]).get(), create,
                                                        &delegation));
  socio::v1::PlanDelegationRequest plan;
  plan.set_id("cl27");
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(token_["staff-de"]).get(), plan,
                                                      &delegation));
  ASSERT_GE(delegation.plan().meetings_size(), 2);
  socio::v1::PublishPlanRequest publish;
  publish.set_id("cl27");
  ASSERT_RPC_OK(server_->delegations().PublishPlan(WithToken(token_["staff-de"]).get(), publish,
                                                   &delegation));
  int mission_meetings = 0;
  for (const socio::v1::PlannedMeeting& m : delegation.plan().meetings()) {
    ++mission_meetings;
    for (Expected* x : MeetingGroups(m.delegate_id(), m.host_id(), TimeOf(m.start_time()))) {
      ++x->planned;
    }
  }

  // Past every meeting's end (and past the pending request's expiry).
  const std::vector<MeetingOutcome> meetings = Meetings(2 + mission_meetings);
  ASSERT_EQ(meetings.size(), 2u + mission_meetings);
  clock_->Advance(absl::Hours(24 * 200));

  // Outcomes: the first request's meeting held by both, rated, and an
  // agreement; the second a no-show told by one side; the first mission
  // meeting held by one side's word and a no-show by the other's (held, by
  // the rule), the second cancelled.
  std::map<std::string, MeetingOutcome> by_request;
  std::vector<MeetingOutcome> mission;
  for (const MeetingOutcome& m : meetings) {
    if (!m.meeting().request_id().empty()) by_request[m.meeting().request_id()] = m;
    if (!m.meeting().delegation_id().empty()) mission.push_back(m);
  }
  ASSERT_EQ(by_request.count(first.id()), 1u);
  ASSERT_EQ(by_request.count(second.id()), 1u);
  ASSERT_GE(mission.size(), 2u);
  auto groups = [&](const MeetingOutcome& m) {
    return MeetingGroups(m.sides(0).member_id(), m.sides(1).member_id(), TimeOf(m.start_time()));
  };

  const MeetingOutcome& met = by_request[first.id()];
  Feedback("de-1", met, Answer(MeetingFeedback::HELD, 5, MeetingFeedback::YES));
  Feedback("cl-1", met, Answer(MeetingFeedback::HELD, 4, MeetingFeedback::MAYBE));
  for (Expected* x : groups(met)) ++x->held;
  socio::v1::RecordOutcomeRequest agreement;
  *agreement.mutable_meeting() = met.meeting();
  agreement.mutable_follow_up()->set_status(FollowUpReport::AGREEMENT_SIGNED);
  agreement.mutable_follow_up()->set_agreement_type(FollowUpReport::DISTRIBUTION);
  MeetingOutcome agreed;
  ASSERT_RPC_OK(outcomes_->RecordOutcome(WithToken(token_["de-1"]).get(), agreement, &agreed));
  for (Expected* x : groups(met)) ++x->agreements;

  Feedback("de-1", by_request[second.id()],
           Answer(MeetingFeedback::NO_SHOW, 0, MeetingFeedback::FOLLOW_UP_UNSPECIFIED));
  for (Expected* x : groups(by_request[second.id()])) ++x->no_show;

  const MeetingOutcome& disputed = mission[0];
  Feedback(disputed.sides(0).member_id(), disputed,
           Answer(MeetingFeedback::HELD, 3, MeetingFeedback::NO));
  Feedback(disputed.sides(1).member_id(), disputed,
           Answer(MeetingFeedback::NO_SHOW, 0, MeetingFeedback::FOLLOW_UP_UNSPECIFIED));
  for (Expected* x : groups(disputed)) ++x->held;
  Feedback(mission[1].sides(1).member_id(), mission[1],
           Answer(MeetingFeedback::CANCELLED, 0, MeetingFeedback::FOLLOW_UP_UNSPECIFIED));
  for (Expected* x : groups(mission[1])) ++x->cancelled;

  // Partnerships: one ACTIVE with two goals, reviewed with a judgement of
  // its own for one goal (the review's for the other); one never reviewed;
  // one between two other chambers.
  Partnership valves = CreatePartnership("de-1", "cl-1", {"Units sold", "Dealers"});
  socio::v1::UpdatePartnershipRequest activate;
  activate.mutable_partnership()->set_id(valves.id());
  activate.mutable_partnership()->set_status(Partnership::ACTIVE);
  activate.mutable_update_mask()->add_paths("status");
  ASSERT_RPC_OK(
      partnerships_->UpdatePartnership(WithToken(token_["de-1"]).get(), activate, &valves));
  for (Expected* x :
       {&total_, &by_pair_["CL-DE"], &by_month_[Month(TimeOf(valves.create_time()))]}) {
    ++x->active;
  }
  socio::v1::RecordReviewRequest review;
  review.set_partnership_id(valves.id());
  review.mutable_review()->set_judgement(PartnershipReview::AT_RISK);
  socio::v1::IndicatorReading* units = review.mutable_review()->add_readings();
  units->set_indicator("Units sold");
  units->set_value(40);
  units->set_judgement(PartnershipReview::ON_TRACK);
  socio::v1::IndicatorReading* dealers = review.mutable_review()->add_readings();
  dealers->set_indicator("Dealers");
  dealers->set_value(1);
  PartnershipReview recorded;
  ASSERT_RPC_OK(partnerships_->RecordReview(WithToken(token_["cl-1"]).get(), review, &recorded));
  EXPECT_EQ(recorded.readings(0).judgement(), PartnershipReview::ON_TRACK);
  for (Expected* x :
       {&total_, &by_pair_["CL-DE"], &by_month_[Month(TimeOf(valves.create_time()))]}) {
    x->unreviewed -= 2;
    ++x->on_track;  // its own judgement
    ++x->at_risk;   // the review's
  }
  CreatePartnership("de-2", "cl-2", {"Pumps installed"});
  CreatePartnership("mx-1", "cl-1", {"Trucks"});

  // Total.
  GetAnalyticsResponse all = Analytics("staff-de", {});
  EXPECT_EQ(all.chamber_id(), kChamber);
  EXPECT_TRUE(all.rows().empty());
  ExpectFigures(total_, all.total(), "total");
  ASSERT_EQ(all.total().agreements_by_type_size(), 1);
  EXPECT_EQ(all.total().agreements_by_type(0).type(), FollowUpReport::DISTRIBUTION);
  // Days from the pair's first meeting to the report of the agreement.
  absl::Time first_meeting = TimeOf(met.start_time());
  for (const MeetingOutcome& m : meetings) {
    std::set<std::string> sides = {m.sides(0).member_id(), m.sides(1).member_id()};
    if (sides == std::set<std::string>{"de-1", "cl-1"}) {
      first_meeting = std::min(first_meeting, TimeOf(m.start_time()));
    }
  }
  const absl::Time reported =
      TimeOf(agreed.sides(0).member_id() == "de-1" ? agreed.sides(0).update_time()
                                                   : agreed.sides(1).update_time());
  EXPECT_NEAR(all.total().median_days_to_agreement(),
              absl::ToDoubleHours(reported - first_meeting) / 24, 1e-6);
  EXPECT_EQ(all.typical().acceptance_rate().low(), 0.40);
  EXPECT_EQ(all.typical().held_rate().high(), 0.85);

  // By country pair and by month: one row per group the test wrote into.
  GetAnalyticsRequest by_pair;
  by_pair.set_group_by(GetAnalyticsRequest::COUNTRY_PAIR);
  GetAnalyticsResponse pairs = Analytics("admin", [&] {
    by_pair.set_chamber_id(kChamber);
    return by_pair;
  }());
  ASSERT_EQ(static_cast<size_t>(pairs.rows_size()), by_pair_.size());
  for (const socio::v1::AnalyticsRow& row : pairs.rows()) {
    ASSERT_EQ(by_pair_.count(row.key()), 1u) << row.key();
    ExpectFigures(by_pair_[row.key()], row.figures(), row.key());
  }
  GetAnalyticsRequest by_month;
  by_month.set_group_by(GetAnalyticsRequest::MONTH);
  GetAnalyticsResponse months = Analytics("staff-de", by_month);
  ASSERT_EQ(static_cast<size_t>(months.rows_size()), by_month_.size());
  for (const socio::v1::AnalyticsRow& row : months.rows()) {
    ASSERT_EQ(by_month_.count(row.key()), 1u) << row.key();
    ExpectFigures(by_month_[row.key()], row.figures(), row.key());
  }

  // A period: the mission's day only.
  GetAnalyticsRequest mission_day;
  mission_day.set_from_date("2027-04-12");
  mission_day.set_to_date("2027-04-12");
  const AnalyticsFigures day = Analytics("staff-de", mission_day).total();
  EXPECT_EQ(day.meetings_planned(), mission_meetings);
  EXPECT_EQ(day.requests_sent(), 0);
  // The delegation alone.
  GetAnalyticsRequest only_mission;
  only_mission.set_delegation_id("cl27");
  EXPECT_EQ(Analytics("staff-de", only_mission).total().meetings_planned(), mission_meetings);

  // Another chamber's staff: refused ihk-stuttgart's figures; its own hold
  // only what its member took part in (the declined request, and its own
  // partnership).
  GetAnalyticsRequest theirs;
  theirs.set_chamber_id(kChamber);
  EXPECT_EQ(Call("staff-mx", theirs).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const AnalyticsFigures mx = Analytics("staff-mx", {}).total();
  EXPECT_EQ(mx.requests_sent(), 2);
  EXPECT_EQ(mx.requests_declined(), 1);
  EXPECT_EQ(mx.requests_accepted(), 1);
  EXPECT_EQ(mx.meetings_held() + mx.meetings_no_show() + mx.meetings_cancelled(), 0);
  EXPECT_EQ(mx.partnerships(), 1);
  // Members are refused, their own chamber's figures too.
  EXPECT_EQ(Call("de-1", {}).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Figures only: nothing in any answer names a company.
  for (const GetAnalyticsResponse& answer : {all, pairs, months}) {
    const std::string text = answer.DebugString();
    for (const Company& c : kCompanies) {
      EXPECT_THAT(text, Not(HasSubstr(c.id)));
      EXPECT_THAT(text, Not(HasSubstr(c.name)));
    }
  }
}

TEST_F(AnalyticsServiceTest, MalformedRequestsNameTheField) {
  auto error = [&](const std::string& who, GetAnalyticsRequest r) {
    grpc::Status s = Call(who, r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    return s.error_message();
  };
  GetAnalyticsRequest r;
  r.set_from_date("2027-13-01");
  EXPECT_THAT(error("staff-de", r), HasSubstr("from_date"));
  r.set_from_date("2027-05-01");
  r.set_to_date("2027-04-30");
  EXPECT_THAT(error("staff-de", r), HasSubstr("to_date"));
  r.Clear();
  r.set_group_by(static_cast<GetAnalyticsRequest::GroupBy>(99));
  EXPECT_THAT(error("staff-de", r), HasSubstr("group_by"));
  EXPECT_THAT(error("admin", {}), HasSubstr("chamber_id"));
  // An empty chamber: every figure 0, no rate.
  GetAnalyticsRequest empty;
  empty.set_group_by(GetAnalyticsRequest::SECTOR);
  GetAnalyticsResponse out = Analytics("staff-de", empty);
  EXPECT_EQ(out.total().requests_sent(), 0);
  EXPECT_FALSE(out.total().has_acceptance_rate());
  EXPECT_TRUE(out.rows().empty());
}

}  // namespace
}  // namespace socio::testing
