// OutcomeService on a real sociod whose outcome clock the test moves: a
// member asks another for a meeting, the other accepts; feedback is refused
// before the meeting's end; once the clock passes it each side is reminded on
// its notification stream, once; each role sees exactly the answers it
// should; the follow-up reminder comes when stage 2 falls due. And a
// delegation's meetings, once its plan is published.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_clocks.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::FollowUpReport;
using socio::v1::ListOutcomesRequest;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRef;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::Profile;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-stuttgart", "name": "Schwaben Pumpen", "country": "DE", "city": "Ulm", "sectors": ["28.13"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

constexpr char kMission[] = R"({
  "id": "cl27", "chamberId": "ihk-stuttgart", "name": "Mission to Chile 2027",
  "originCountry": "DE", "hostCountry": "CL",
  "days": [{"date": "2027-04-12", "city": "Santiago", "startTime": "09:00", "endTime": "11:00"}],
  "delegates": [{"memberId": "de-1"}],
  "hosts": [{"memberId": "cl-1"}]
})";

using TestClock = socio::testing::ShiftedClock;

MeetingFeedback Held(int rating) {
  MeetingFeedback f;
  f.set_attendance(MeetingFeedback::HELD);
  f.set_rating(rating);
  f.set_follow_up(MeetingFeedback::YES);
  f.set_note("Strong fit for valves in Chilean mining.");
  return f;
}

class OutcomeServiceTest : public ::testing::Test {
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
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    de2_ = server_->IssueToken(socio::v1::MEMBER, "", "de-2");
    cl1_ = server_->IssueToken(socio::v1::MEMBER, "", "cl-1");
    staff_de_ = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    staff_cl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    staff_mx_ = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
    engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
    outcomes_ = socio::v1::OutcomeService::NewStub(server_->channel());
  }

  // A meeting of de-1 with cl-1 two days ahead, an hour long, requested by
  // de-1 and accepted by cl-1.
  MeetingRequest Meeting() {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id("de-1");
    r.mutable_request()->set_to_ref("cl-1");
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    const absl::Time start = absl::Now() + absl::Hours(48);
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Hours(1)));
    MeetingRequest sent, accepted;
    EXPECT_TRUE(engagement_->CreateMeetingRequest(WithToken(de1_).get(), r, &sent).ok());
    socio::v1::AnswerMeetingRequestRequest answer;
    answer.set_id(sent.id());
    answer.set_accept(true);
    EXPECT_TRUE(engagement_->AnswerMeetingRequest(WithToken(cl1_).get(), answer, &accepted).ok());
    return accepted;
  }

  static MeetingRef Ref(const std::string& request_id) {
    MeetingRef ref;
    ref.set_request_id(request_id);
    return ref;
  }

  grpc::Status Get(const std::string& token, const MeetingRef& ref, MeetingOutcome* out) {
    socio::v1::GetMeetingOutcomeRequest r;
    *r.mutable_meeting() = ref;
    return outcomes_->GetMeetingOutcome(WithToken(token).get(), r, out);
  }

  grpc::Status Record(const std::string& token, const MeetingRef& ref, const std::string& member,
                      const MeetingFeedback& feedback, MeetingOutcome* out) {
    socio::v1::RecordOutcomeRequest r;
    *r.mutable_meeting() = ref;
    r.set_member_id(member);
    *r.mutable_feedback() = feedback;
    return outcomes_->RecordOutcome(WithToken(token).get(), r, out);
  }

  socio::v1::ListOutcomesResponse List(const std::string& token, ListOutcomesRequest r) {
    socio::v1::ListOutcomesResponse out;
    grpc::Status status = outcomes_->ListOutcomes(WithToken(token).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  // Lists as `token` with `r` until `count` meetings are listed or five
  // seconds passed (the sweep learns of meetings every 20 ms).
  socio::v1::ListOutcomesResponse ListUntil(const std::string& token, const ListOutcomesRequest& r,
                                            int count) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    socio::v1::ListOutcomesResponse out = List(token, r);
    while (out.outcomes_size() < count && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
      out = List(token, r);
    }
    return out;
  }

  // The outcome reminders of `kind` `token` is streamed, reading until
  // `count` arrived or two seconds passed, and then for 200 ms more (ten
  // sweeps) to catch any second one.
  std::vector<Notification> Reminders(const std::string& token, Notification::Kind kind,
                                      size_t count) {
    std::vector<Notification> out;
    const absl::Time deadline = absl::Now() + absl::Seconds(2);
    while (out.size() < count && absl::Now() < deadline) {
      out = ReadAll(token, kind, absl::Milliseconds(100));
    }
    absl::SleepFor(absl::Milliseconds(200));
    return ReadAll(token, kind, absl::Milliseconds(100));
  }

  std::vector<Notification> ReadAll(const std::string& token, Notification::Kind kind,
                                    absl::Duration wait) {
    std::unique_ptr<grpc::ClientContext> context = WithToken(token, wait);
    auto reader =
        notifications_->WatchNotifications(context.get(), socio::v1::WatchNotificationsRequest());
    std::vector<Notification> out;
    Notification n;
    while (reader->Read(&n)) {
      if (n.kind() == kind) out.push_back(n);
    }
    reader->Finish().IgnoreError();
    return out;
  }

  std::shared_ptr<TestClock> clock_ = std::make_shared<TestClock>();
  std::unique_ptr<TestServer> server_;
  std::string admin_, de1_, de2_, cl1_, staff_de_, staff_cl_, staff_mx_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
};

TEST_F(OutcomeServiceTest, FeedbackOpensAtTheEndWithOneReminderPerSideAndEachRoleSeesItsShare) {
  const MeetingRequest meeting = Meeting();
  const MeetingRef ref = Ref(meeting.id());
  ListOutcomesRequest own;
  ASSERT_THAT(ListUntil(de1_, own, 1).outcomes(), SizeIs(1));

  // Too early: the answer names the end.
  MeetingOutcome out;
  grpc::Status early = Record(de1_, ref, "", Held(5), &out);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(early.error_message(),
              HasSubstr(absl::FormatTime(
                  "ends at %Y-%m-%dT%H:%M:%SZ",
                  absl::FromUnixSeconds(meeting.accepted_window().end_time().seconds()),
                  absl::UTCTimeZone())));
  EXPECT_THAT(ReadAll(de1_, Notification::OUTCOME_FEEDBACK_DUE, absl::Milliseconds(100)),
              SizeIs(0));

  // Outsiders: as if there were no such meeting.
  MeetingOutcome nothing;
  const grpc::Status missing = Get(de1_, Ref("mr-nothing"), &nothing);
  for (const std::string* token : {&de2_, &staff_mx_}) {
    grpc::Status hidden = Get(*token, ref, &out);
    EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(hidden.error_message(),
              absl::StrReplaceAll(missing.error_message(), {{"mr-nothing", meeting.id()}}));
    EXPECT_EQ(Record(*token, ref, "de-1", Held(1), &out).error_code(), grpc::StatusCode::NOT_FOUND);
  }

  // The meeting ends: each side is reminded, once.
  clock_->Advance(absl::Hours(50));
  std::vector<Notification> de_told = Reminders(de1_, Notification::OUTCOME_FEEDBACK_DUE, 1);
  ASSERT_THAT(de_told, SizeIs(1));
  EXPECT_EQ(de_told[0].outcome().meeting().request_id(), meeting.id());
  EXPECT_THAT(de_told[0].summary(), HasSubstr("Your meeting with Distribuidora Andina on "));
  std::vector<Notification> cl_told = Reminders(cl1_, Notification::OUTCOME_FEEDBACK_DUE, 1);
  ASSERT_THAT(cl_told, SizeIs(1));
  EXPECT_THAT(cl_told[0].summary(), HasSubstr("Huber Ventiltechnik"));

  // Who may record which side.
  ASSERT_RPC_OK(Record(de1_, ref, "", Held(5), &out));
  EXPECT_EQ(out.sides(0).feedback().rating(), 5);
  EXPECT_EQ(out.sides(0).version(), 1);
  EXPECT_TRUE(out.sides(1).hidden());
  for (const std::string* token : {&de1_, &staff_de_}) {
    grpc::Status denied = Record(*token, ref, "cl-1", Held(1), &out);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(denied.error_message(), HasSubstr("may not record"));
  }
  MeetingFeedback no_show;
  no_show.set_attendance(MeetingFeedback::NO_SHOW);
  no_show.set_absent(MeetingFeedback::OTHER_SIDE);
  ASSERT_RPC_OK(Record(staff_cl_, ref, "cl-1", no_show, &out));
  grpc::Status bad = Record(cl1_, ref, "", Held(9), &out);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("feedback.rating"));

  // Each side sees its own answer; both chambers' staff and operators both.
  ASSERT_RPC_OK(Get(de1_, ref, &out));
  EXPECT_EQ(out.sides(0).feedback().rating(), 5);
  EXPECT_TRUE(out.sides(1).hidden());
  EXPECT_FALSE(out.sides(1).has_feedback());
  EXPECT_EQ(out.sides(1).member_id(), "cl-1");
  ASSERT_RPC_OK(Get(cl1_, ref, &out));
  EXPECT_TRUE(out.sides(0).hidden());
  EXPECT_FALSE(out.sides(0).has_feedback());
  EXPECT_EQ(out.sides(1).feedback().attendance(), MeetingFeedback::NO_SHOW);
  EXPECT_EQ(out.sides(1).updated_by(), "staff:camara-santiago");
  for (const std::string* token : {&staff_de_, &staff_cl_, &admin_}) {
    ASSERT_RPC_OK(Get(*token, ref, &out));
    EXPECT_FALSE(out.sides(0).hidden());
    EXPECT_FALSE(out.sides(1).hidden());
    EXPECT_EQ(out.sides(0).feedback().rating(), 5);
    EXPECT_EQ(out.sides(1).feedback().absent(), MeetingFeedback::OTHER_SIDE);
  }

  // Lists: what each caller may see, in the state asked for.
  EXPECT_THAT(List(staff_de_, own).outcomes(), SizeIs(1));
  EXPECT_THAT(List(staff_cl_, own).outcomes(), SizeIs(1));
  EXPECT_THAT(List(staff_mx_, own).outcomes(), SizeIs(0));
  ListOutcomesRequest chamber;
  chamber.set_chamber_id("ihk-stuttgart");
  socio::v1::ListOutcomesResponse listed;
  EXPECT_EQ(outcomes_->ListOutcomes(WithToken(staff_mx_).get(), chamber, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ListOutcomesRequest open;
  open.set_filter(ListOutcomesRequest::FEEDBACK_OPEN);
  EXPECT_THAT(List(de1_, open).outcomes(), SizeIs(0));
  open.set_filter(ListOutcomesRequest::FEEDBACK_ANSWERED);
  EXPECT_THAT(List(de1_, open).outcomes(), SizeIs(1));
  open.set_filter(ListOutcomesRequest::FOLLOW_UP_OPEN);
  EXPECT_THAT(List(de1_, open).outcomes(), SizeIs(0));

  // Stage 2 falls due six months on: each side is reminded, once.
  clock_->Advance(absl::Hours(24 * 182));
  EXPECT_THAT(Reminders(de1_, Notification::OUTCOME_FOLLOW_UP_DUE, 1), SizeIs(1));
  EXPECT_THAT(Reminders(cl1_, Notification::OUTCOME_FOLLOW_UP_DUE, 1), SizeIs(1));
  EXPECT_THAT(List(de1_, open).outcomes(), SizeIs(1));
  socio::v1::RecordOutcomeRequest report;
  *report.mutable_meeting() = ref;
  report.mutable_follow_up()->set_status(FollowUpReport::AGREEMENT_SIGNED);
  report.mutable_follow_up()->set_agreement_type(FollowUpReport::SUPPLY);
  report.mutable_follow_up()->set_value_band(FollowUpReport::UNDER_50K_EUR);
  report.set_expected_version(1);
  ASSERT_RPC_OK(outcomes_->RecordOutcome(WithToken(de1_).get(), report, &out));
  EXPECT_EQ(out.sides(0).version(), 2);
  EXPECT_EQ(out.sides(0).follow_up().agreement_type(), FollowUpReport::SUPPLY);
  EXPECT_THAT(List(de1_, open).outcomes(), SizeIs(0));
  // A correction from a stale version is refused.
  EXPECT_EQ(outcomes_->RecordOutcome(WithToken(de1_).get(), report, &out).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(OutcomeServiceTest, APlansMeetingsCarryOutcomesOncePublished) {
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
  socio::v1::Delegation delegation;
  ASSERT_RPC_OK(
      server_->delegations().CreateDelegation(WithToken(staff_de_).get(), create, &delegation));
  socio::v1::PlanDelegationRequest plan;
  plan.set_id("cl27");
  ASSERT_RPC_OK(
      server_->delegations().PlanDelegation(WithToken(staff_de_).get(), plan, &delegation));
  ASSERT_THAT(delegation.plan().meetings(), SizeIs(1));
  MeetingRef ref;
  ref.set_delegation_id("cl27");
  ref.set_meeting_uid(delegation.plan().meetings(0).uid());

  // Not published yet: its chamber's staff are told why; others find nothing.
  MeetingOutcome out;
  grpc::Status unpublished = Get(staff_de_, ref, &out);
  EXPECT_EQ(unpublished.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(unpublished.error_message(), HasSubstr("not published"));
  EXPECT_EQ(Get(de1_, ref, &out).error_code(), grpc::StatusCode::NOT_FOUND);

  socio::v1::PublishPlanRequest publish;
  publish.set_id("cl27");
  ASSERT_RPC_OK(
      server_->delegations().PublishPlan(WithToken(staff_de_).get(), publish, &delegation));
  ListOutcomesRequest by_delegation;
  by_delegation.set_delegation_id("cl27");
  ASSERT_THAT(ListUntil(staff_de_, by_delegation, 1).outcomes(), SizeIs(1));
  EXPECT_THAT(List(cl1_, by_delegation).outcomes(), SizeIs(1));
  EXPECT_THAT(List(de2_, by_delegation).outcomes(), SizeIs(0));
  ASSERT_RPC_OK(Get(de1_, ref, &out));
  EXPECT_EQ(out.sides(0).member_id(), "de-1");
  EXPECT_EQ(out.sides(1).member_id(), "cl-1");
  EXPECT_EQ(out.end_time(), delegation.plan().meetings(0).end_time());
  EXPECT_EQ(Get(de2_, ref, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace socio::testing
