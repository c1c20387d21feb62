#include "storage/outcome_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "planner/plan_notices.h"
#include "storage/database.h"
#include "storage/delegation_store.h"
#include "storage/engagement_store.h"
#include "storage/notification_store.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_clocks.h"

namespace socio::storage {
namespace {

using google::protobuf::util::TimeUtil;
using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Delegation;
using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRef;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr absl::Duration kDay = absl::Hours(24);

using TestClock = socio::testing::FixedClock;

google::protobuf::Timestamp At(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

MeetingFeedback Held(int rating) {
  MeetingFeedback f;
  f.set_attendance(MeetingFeedback::HELD);
  f.set_rating(rating);
  f.set_follow_up(MeetingFeedback::YES);
  f.set_note("Good fit for our valves in the Chilean mining sector.");
  return f;
}

FollowUpReport Signed() {
  FollowUpReport r;
  r.set_status(FollowUpReport::AGREEMENT_SIGNED);
  r.set_agreement_type(FollowUpReport::DISTRIBUTION);
  r.set_value_band(FollowUpReport::FROM_250K_TO_1M_EUR);
  return r;
}

// Members' chambers, and the follow-up days each chamber set.
std::string ChamberOf(const std::string& member) {
  return member.rfind("de-", 0) == 0 ? "ihk" : "camara-cl";
}
int FollowUpDays(const std::string& chamber) { return chamber == "camara-cl" ? 30 : 0; }

class OutcomeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    outcomes_.reset();
    delegations_.reset();
    engagement_.reset();
    notifications_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    NotificationStoreOptions n;
    n.clock = [this] { return clock_.Now(); };
    ASSIGN_OR_FAIL(notifications_, NotificationStore::Open(database_, n));
    EngagementStoreOptions e;
    e.clock = [this] { return clock_.Now(); };
    ASSIGN_OR_FAIL(engagement_, EngagementStore::Open(database_, notifications_.get(), e));
    ASSIGN_OR_FAIL(delegations_,
                   DelegationStore::Open(database_, {.reference = TestReference(),
                                                     .notifications = notifications_.get()}));
    OutcomeStoreOptions o;
    o.clock = [this] { return clock_.Now(); };
    o.delegations = delegations_.get();
    o.engagement = engagement_.get();
    o.chamber_of = ChamberOf;
    o.follow_up_days = FollowUpDays;
    ASSIGN_OR_FAIL(outcomes_, OutcomeStore::Open(database_, notifications_.get(), o));
  }

  // An ACCEPTED standalone request from `from` to `to`, meeting a day from
  // now for an hour.
  MeetingRequest Accepted(const std::string& from, const std::string& to) {
    MeetingRequest r;
    r.set_from_member_id(from);
    r.set_to_ref(to);
    socio::v1::TimeWindow* w = r.add_proposed();
    *w->mutable_start_time() = At(clock_.Now() + kDay);
    *w->mutable_end_time() = At(clock_.Now() + kDay + absl::Hours(1));
    absl::StatusOr<MeetingRequest> sent = engagement_->CreateRequest(
        r, {.from_chamber = ChamberOf(from), .to_chamber = ChamberOf(to), .by = "member"}, nullptr,
        nullptr);
    EXPECT_THAT(sent.status(), IsOk());
    absl::StatusOr<MeetingRequest> accepted =
        engagement_->Answer(sent->id(), {.accept = true, .by = "member"}, nullptr);
    EXPECT_THAT(accepted.status(), IsOk());
    return *accepted;
  }

  static MeetingRef RequestRef(const MeetingRequest& r) {
    MeetingRef ref;
    ref.set_request_id(r.id());
    return ref;
  }

  // Creates delegation "mx27" (delegates de-1, de-2; host mx-1) and plans
  // meetings with mx-1 for `delegates`, each an hour, on 2027-03-29.
  void Plan(const std::vector<std::string>& delegates) {
    absl::StatusOr<Delegation> stored = delegations_->Get("mx27");
    if (absl::IsNotFound(stored.status())) {
      Delegation d;
      d.set_id("mx27");
      d.set_chamber_id("ihk");
      d.set_name("Mission to Mexico 2027");
      d.set_origin_country("DE");
      d.set_host_country("MX");
      socio::v1::ItineraryDay* day = d.add_days();
      day->set_date("2027-03-29");
      day->set_city("Ciudad de México");
      day->set_start_time("09:00");
      day->set_end_time("17:00");
      d.add_delegates()->set_member_id("de-1");
      d.add_delegates()->set_member_id("de-2");
      d.add_hosts()->set_member_id("mx-1");
      stored = delegations_->Create(d);
    }
    ASSERT_THAT(stored.status(), IsOk());
    socio::v1::DelegationPlan plan;
    const absl::Time first = absl::FromUnixSeconds(1806310800);  // 2027-03-29 09:00 UTC
    for (size_t i = 0; i < delegates.size(); ++i) {
      socio::v1::PlannedMeeting* m = plan.add_meetings();
      m->set_delegate_id(delegates[i]);
      m->set_host_id("mx-1");
      m->set_date("2027-03-29");
      m->set_slot(static_cast<int>(i));
      m->set_local_start(absl::StrFormat("%02d:00", 9 + i));
      *m->mutable_start_time() = At(first + absl::Hours(i));
      *m->mutable_end_time() = At(first + absl::Hours(i + 1));
      m->set_table(1);
      m->set_uid(absl::StrCat("mx27-", delegates[i], "-mx-1@socio"));
    }
    plan.set_delegation_version(stored->version());
    ASSERT_THAT(delegations_->SetPlan("mx27", stored->version(), plan).status(), IsOk());
    ASSERT_THAT(delegations_
                    ->Publish("mx27", 0,
                              [](const Delegation& d) {
                                return planner::PublicationNotices(
                                    d, [](const std::string&, const std::string& p) { return p; },
                                    StaffRecipient(d.chamber_id()));
                              })
                    .status(),
                IsOk());
  }

  static MeetingRef PlanRef(const std::string& delegate) {
    MeetingRef ref;
    ref.set_delegation_id("mx27");
    ref.set_meeting_uid(absl::StrCat("mx27-", delegate, "-mx-1@socio"));
    return ref;
  }

  int Sweep() {
    absl::StatusOr<int> written = outcomes_->Sweep(500, [](const Notification& n) {
      return absl::StrCat(Notification::Kind_Name(n.kind()), " for ", n.recipient());
    });
    EXPECT_THAT(written.status(), IsOk());
    return written.ok() ? *written : -1;
  }

  // "KIND recipient" of the outcome reminders written so far.
  std::vector<std::string> Reminders() {
    absl::StatusOr<std::vector<Notification>> all = notifications_->Read(0, 1000);
    EXPECT_THAT(all.status(), IsOk());
    std::vector<std::string> out;
    for (const Notification& n : *all) {
      if (n.kind() != Notification::OUTCOME_FEEDBACK_DUE &&
          n.kind() != Notification::OUTCOME_FOLLOW_UP_DUE) {
        continue;
      }
      EXPECT_EQ(n.summary(),
                absl::StrCat(Notification::Kind_Name(n.kind()), " for ", n.recipient()));
      for (const socio::v1::SideOutcome& side : n.outcome().sides()) {
        EXPECT_FALSE(side.has_feedback()) << "a reminder carries nobody's answers";
      }
      out.push_back(absl::StrCat(Notification::Kind_Name(n.kind()), " ", n.recipient()));
    }
    return out;
  }

  // The meetings listed for `scope` `id`, by key.
  std::vector<std::string> Listed(OutcomeStore::Scope scope, const std::string& id) {
    absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> page =
        outcomes_->List(scope, id, nullptr, 0, "");
    EXPECT_THAT(page.status(), IsOk());
    std::vector<std::string> out;
    for (const MeetingOutcome& o : page->first) {
      out.push_back(o.meeting().request_id().empty() ? o.meeting().meeting_uid()
                                                     : o.meeting().request_id());
    }
    return out;
  }

  TestClock clock_;
  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<NotificationStore> notifications_;
  std::unique_ptr<EngagementStore> engagement_;
  std::unique_ptr<DelegationStore> delegations_;
  std::unique_ptr<OutcomeStore> outcomes_;
};

TEST_F(OutcomeStoreTest, FeedbackOpensAtTheMeetingsEndAndEachSideIsRemindedOnce) {
  const MeetingRequest r = Accepted("de-1", "cl-1");
  EXPECT_EQ(Sweep(), 0);
  EXPECT_THAT(Listed(OutcomeStore::Scope::kMember, "de-1"), ElementsAre(r.id()));
  EXPECT_THAT(Listed(OutcomeStore::Scope::kChamber, "camara-cl"), ElementsAre(r.id()));

  const absl::Status early =
      outcomes_->Record(RequestRef(r), {.member_id = "de-1", .feedback = Held(4), .by = "member"})
          .status();
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kFailedPrecondition,
                              HasSubstr(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                                         clock_.Now() + kDay + absl::Hours(1),
                                                         absl::UTCTimeZone()))));

  clock_.Advance(kDay + absl::Hours(1));
  EXPECT_EQ(Sweep(), 2);
  EXPECT_THAT(Reminders(),
              UnorderedElementsAre("OUTCOME_FEEDBACK_DUE de-1", "OUTCOME_FEEDBACK_DUE cl-1"));
  EXPECT_EQ(Sweep(), 0);
  Reopen();
  EXPECT_EQ(Sweep(), 0);
  EXPECT_THAT(Reminders(), ::testing::SizeIs(2));

  ASSIGN_OR_FAIL(
      MeetingOutcome recorded,
      outcomes_->Record(RequestRef(r), {.member_id = "de-1", .feedback = Held(4), .by = "member"}));
  ASSERT_EQ(recorded.sides_size(), 2);
  EXPECT_EQ(recorded.sides(0).member_id(), "de-1");
  EXPECT_EQ(recorded.sides(0).feedback().rating(), 4);
  EXPECT_EQ(recorded.sides(0).version(), 1);
  EXPECT_EQ(recorded.sides(0).updated_by(), "member");
  EXPECT_FALSE(recorded.sides(1).has_feedback());

  // A correction names the version it corrects; a stale one is refused.
  ASSIGN_OR_FAIL(
      MeetingOutcome corrected,
      outcomes_->Record(
          RequestRef(r),
          {.member_id = "de-1", .feedback = Held(5), .by = "staff:ihk", .expected_version = 1}));
  EXPECT_EQ(corrected.sides(0).feedback().rating(), 5);
  EXPECT_EQ(corrected.sides(0).version(), 2);
  EXPECT_THAT(
      outcomes_
          ->Record(
              RequestRef(r),
              {.member_id = "de-1", .feedback = Held(3), .by = "member", .expected_version = 1})
          .status(),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  ASSIGN_OR_FAIL(MeetingOutcome read, outcomes_->Get(RequestRef(r)));
  EXPECT_EQ(read.sides(0).feedback().rating(), 5);

  EXPECT_THAT(
      outcomes_->Record(RequestRef(r), {.member_id = "de-2", .feedback = Held(3), .by = "member"})
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("member_id")));
}

TEST_F(OutcomeStoreTest, FollowUpFallsDueByEachSidesChamberAndMayBeAnsweredEarly) {
  const MeetingRequest r = Accepted("de-1", "cl-1");
  EXPECT_EQ(Sweep(), 0);
  clock_.Advance(kDay + absl::Hours(1));
  EXPECT_EQ(Sweep(), 2);

  // Stage 2 before it is due: accepted; de-1 is not reminded then.
  ASSERT_THAT(
      outcomes_->Record(RequestRef(r), {.member_id = "de-1", .follow_up = Signed(), .by = "member"})
          .status(),
      IsOk());
  ASSIGN_OR_FAIL(MeetingOutcome read, outcomes_->Get(RequestRef(r)));
  const absl::Time end = clock_.Now();
  EXPECT_EQ(read.sides(0).follow_up_due_time().seconds(), absl::ToUnixSeconds(end + 182 * kDay));
  EXPECT_EQ(read.sides(1).follow_up_due_time().seconds(), absl::ToUnixSeconds(end + 30 * kDay));

  clock_.Advance(29 * kDay);
  EXPECT_EQ(Sweep(), 0);
  clock_.Advance(kDay);
  EXPECT_EQ(Sweep(), 1);
  EXPECT_EQ(Sweep(), 0);
  clock_.Advance(200 * kDay);
  EXPECT_EQ(Sweep(), 0);
  EXPECT_THAT(Reminders(), ElementsAre(::testing::_, ::testing::_, "OUTCOME_FOLLOW_UP_DUE cl-1"));
}

TEST_F(OutcomeStoreTest, OnlyPublishedPlansAndAcceptedStandaloneRequestsCarryOutcomes) {
  MeetingRef both = PlanRef("de-1");
  both.set_request_id("mr-1");
  EXPECT_THAT(outcomes_->Get(both).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("meeting")));
  EXPECT_THAT(outcomes_->Get(MeetingRef()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("meeting")));
  MeetingRef nothing;
  nothing.set_request_id("mr-nothing");
  EXPECT_THAT(outcomes_->Get(nothing).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("mr-nothing")));
  EXPECT_THAT(outcomes_->Get(PlanRef("de-1")).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("mx27")));

  // A request not (or no longer) accepted.
  MeetingRequest pending;
  pending.set_from_member_id("de-2");
  pending.set_to_ref("cl-2");
  socio::v1::TimeWindow* w = pending.add_proposed();
  *w->mutable_start_time() = At(clock_.Now() + kDay);
  *w->mutable_end_time() = At(clock_.Now() + kDay + absl::Hours(1));
  ASSIGN_OR_FAIL(MeetingRequest sent,
                 engagement_->CreateRequest(pending, {.by = "member"}, nullptr, nullptr));
  EXPECT_THAT(outcomes_->Get(RequestRef(sent)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PENDING")));

  // A plan not published yet, then published.
  Delegation d;
  d.set_id("mx27");
  d.set_chamber_id("ihk");
  d.set_name("Mission to Mexico 2027");
  d.set_origin_country("DE");
  d.set_host_country("MX");
  socio::v1::ItineraryDay* day = d.add_days();
  day->set_date("2027-03-29");
  day->set_city("Ciudad de México");
  day->set_start_time("09:00");
  day->set_end_time("17:00");
  d.add_delegates()->set_member_id("de-1");
  d.add_hosts()->set_member_id("mx-1");
  ASSERT_THAT(delegations_->Create(d).status(), IsOk());
  EXPECT_THAT(outcomes_->Get(PlanRef("de-1")).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not published")));
  Plan({"de-1"});
  ASSIGN_OR_FAIL(MeetingOutcome planned, outcomes_->Get(PlanRef("de-1")));
  EXPECT_EQ(planned.sides(0).member_id(), "de-1");
  EXPECT_EQ(planned.sides(1).member_id(), "mx-1");
  EXPECT_EQ(planned.sides(1).chamber_id(), "camara-cl");
  EXPECT_THAT(outcomes_->Get(PlanRef("de-2")).status(), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(OutcomeStoreTest, TrackedMeetingsFollowRepublishesAndCancellations) {
  Plan({"de-1", "de-2"});
  const MeetingRequest r = Accepted("de-1", "cl-1");
  EXPECT_EQ(Sweep(), 0);
  EXPECT_THAT(Listed(OutcomeStore::Scope::kDelegation, "mx27"),
              UnorderedElementsAre("mx27-de-1-mx-1@socio", "mx27-de-2-mx-1@socio"));
  EXPECT_THAT(Listed(OutcomeStore::Scope::kMember, "de-1"),
              UnorderedElementsAre(r.id(), "mx27-de-1-mx-1@socio"));

  // de-2's meeting is dropped from the plan; the request is cancelled.
  Plan({"de-1"});
  ASSERT_THAT(engagement_->Cancel(r.id(), {.side = "cl-1", .by = "member"}, nullptr).status(),
              IsOk());
  EXPECT_EQ(Sweep(), 0);
  EXPECT_THAT(Listed(OutcomeStore::Scope::kDelegation, "mx27"),
              ElementsAre("mx27-de-1-mx-1@socio"));
  EXPECT_THAT(Listed(OutcomeStore::Scope::kMember, "de-1"), ElementsAre("mx27-de-1-mx-1@socio"));

  // Only the meeting that is left is reminded of, to both its sides.
  clock_.Advance(absl::FromUnixSeconds(1806310800) + absl::Hours(3) - clock_.Now());
  EXPECT_EQ(Sweep(), 2);
  EXPECT_THAT(Reminders(),
              UnorderedElementsAre("OUTCOME_FEEDBACK_DUE de-1", "OUTCOME_FEEDBACK_DUE mx-1"));
}

TEST_F(OutcomeStoreTest, AMovedMeetingIsRemindedOfAtItsNewEnd) {
  Plan({"de-1", "de-2"});  // de-1 09:00-10:00, de-2 10:00-11:00
  EXPECT_EQ(Sweep(), 0);
  Plan({"de-2", "de-1"});  // re-published: de-1 10:00-11:00, de-2 09:00-10:00
  const absl::Time nine = absl::FromUnixSeconds(1806310800);
  clock_.Advance(nine + absl::Minutes(90) - clock_.Now());
  EXPECT_EQ(Sweep(), 2);
  EXPECT_THAT(Reminders(),
              UnorderedElementsAre("OUTCOME_FEEDBACK_DUE de-2", "OUTCOME_FEEDBACK_DUE mx-1"));
  ASSIGN_OR_FAIL(MeetingOutcome moved, outcomes_->Get(PlanRef("de-1")));
  EXPECT_EQ(moved.end_time().seconds(), absl::ToUnixSeconds(nine + absl::Hours(2)));
  clock_.Advance(absl::Minutes(30));
  EXPECT_EQ(Sweep(), 2);
  EXPECT_THAT(Reminders(), ::testing::SizeIs(4));
}

TEST_F(OutcomeStoreTest, ListsKeepWhatTheCallerAsksForAndPage) {
  std::vector<std::string> ids;
  for (const char* partner : {"cl-1", "cl-2", "cl-3"})
    ids.push_back(Accepted("de-1", partner).id());
  EXPECT_EQ(Sweep(), 0);
  absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> first =
      outcomes_->List(OutcomeStore::Scope::kMember, "de-1", nullptr, 2, "");
  ASSERT_THAT(first.status(), IsOk());
  ASSERT_EQ(first->first.size(), 2u);
  ASSERT_FALSE(first->second.empty());
  absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> second =
      outcomes_->List(OutcomeStore::Scope::kMember, "de-1", nullptr, 2, first->second);
  ASSERT_THAT(second.status(), IsOk());
  ASSERT_EQ(second->first.size(), 1u);
  EXPECT_TRUE(second->second.empty());
  EXPECT_THAT(
      outcomes_->List(OutcomeStore::Scope::kMember, "de-2", nullptr, 2, first->second).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(outcomes_->List(OutcomeStore::Scope::kMember, "de-1", nullptr, 501, "").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));

  absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> kept = outcomes_->List(
      OutcomeStore::Scope::kMember, "de-1",
      [&](const MeetingOutcome& o) { return o.meeting().request_id() == ids[1]; }, 0, "");
  ASSERT_THAT(kept.status(), IsOk());
  ASSERT_EQ(kept->first.size(), 1u);
  EXPECT_EQ(kept->first[0].meeting().request_id(), ids[1]);
  EXPECT_THAT(Listed(OutcomeStore::Scope::kChamber, "nobody"), IsEmpty());
}

TEST(OutcomeValidationTest, AnswersBreakingTheRulesNameTheirField) {
  struct Case {
    MeetingFeedback feedback;
    std::string field;
  };
  std::vector<Case> cases;
  MeetingFeedback f;
  cases.push_back({f, "feedback.attendance"});
  f = Held(0);
  cases.push_back({f, "feedback.rating"});
  f = Held(6);
  cases.push_back({f, "feedback.rating"});
  f = Held(3);
  f.clear_follow_up();
  cases.push_back({f, "feedback.follow_up"});
  f = Held(3);
  f.set_note(std::string(1001, 'x'));
  cases.push_back({f, "feedback.note"});
  f = MeetingFeedback();
  f.set_attendance(MeetingFeedback::NO_SHOW);
  cases.push_back({f, "feedback.absent"});
  f.set_absent(MeetingFeedback::OTHER_SIDE);
  f.set_rating(2);
  cases.push_back({f, "feedback.rating"});
  f = MeetingFeedback();
  f.set_attendance(MeetingFeedback::CANCELLED);
  f.set_absent(MeetingFeedback::THIS_SIDE);
  cases.push_back({f, "feedback.absent"});
  for (const Case& c : cases) {
    EXPECT_THAT(OutcomeStore::ValidateFeedback(c.feedback, "feedback"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field + ":")))
        << c.feedback.DebugString();
  }
  f = MeetingFeedback();
  f.set_attendance(MeetingFeedback::NO_SHOW);
  f.set_absent(MeetingFeedback::OTHER_SIDE);
  EXPECT_THAT(OutcomeStore::ValidateFeedback(f, "feedback"), IsOk());

  FollowUpReport r;
  EXPECT_THAT(OutcomeStore::ValidateFollowUp(r, "follow_up"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("follow_up.status:")));
  r.set_status(FollowUpReport::AGREEMENT_SIGNED);
  EXPECT_THAT(OutcomeStore::ValidateFollowUp(r, "follow_up"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("follow_up.agreement_type:")));
  r.set_status(FollowUpReport::NEGOTIATING);
  r.set_value_band(FollowUpReport::OVER_5M_EUR);
  EXPECT_THAT(OutcomeStore::ValidateFollowUp(r, "follow_up"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("follow_up.value_band:")));
  EXPECT_THAT(OutcomeStore::ValidateFollowUp(Signed(), "follow_up"), IsOk());
}

}  // namespace
}  // namespace socio::storage
