#include "storage/partnership_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_clocks.h"

namespace socio::storage {
namespace {

using google::protobuf::util::TimeUtil;
using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::v1::Notification;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr absl::Duration kWeek = absl::Hours(24 * 7);

using TestClock = socio::testing::FixedClock;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string Summary(const Notification& n) {
  return Notification::Kind_Name(n.kind()) + " for " + n.recipient();
}

// A partnership of de-1 (ihk) and cl-1 (camara) with two goals.
Partnership Companies() {
  Partnership p;
  p.set_first_member_id("de-1");
  p.set_second_member_id("cl-1");
  p.set_first_chamber_id("ihk");
  p.set_second_chamber_id("camara");
  p.set_title("Valves for Chilean mining");
  p.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  p.mutable_origin()->set_source_request_id("mr-0123456789abcdef");
  for (const char* name : {"Units sold", "Service partners trained"}) {
    socio::v1::SharedGoal* goal = p.add_goals();
    goal->set_title(std::string("Goal: ") + name);
    goal->mutable_indicator()->set_name(name);
    goal->mutable_indicator()->set_unit("count");
    goal->mutable_indicator()->set_baseline(0);
    goal->mutable_indicator()->set_target(100);
    goal->mutable_indicator()->set_due_date("2027-12-31");
  }
  socio::v1::Milestone* m = p.add_milestones();
  m->set_title("First order");
  m->set_due_date("2027-04-30");
  p.set_review_every_weeks(2);
  return p;
}

PartnershipReview Review(double units, double trained) {
  PartnershipReview r;
  r.set_judgement(PartnershipReview::ON_TRACK);
  r.set_note("First containers shipped.");
  auto* a = r.add_readings();
  a->set_indicator("Units sold");
  a->set_value(units);
  auto* b = r.add_readings();
  b->set_indicator("Service partners trained");
  b->set_value(trained);
  return r;
}

class PartnershipStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    partnerships_.reset();
    notifications_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    NotificationStoreOptions n;
    n.clock = [this] { return clock_.Now(); };
    ASSIGN_OR_FAIL(notifications_, NotificationStore::Open(database_, n));
    PartnershipStoreOptions o;
    o.clock = [this] { return clock_.Now(); };
    ASSIGN_OR_FAIL(partnerships_, PartnershipStore::Open(database_, notifications_.get(), o));
  }

  std::vector<std::string> Outbox(uint64_t after = 0) {
    absl::StatusOr<std::vector<Notification>> read = notifications_->Read(after, 1000);
    EXPECT_THAT(read.status(), IsOk());
    std::vector<std::string> out;
    if (read.ok()) {
      for (const Notification& n : *read) out.push_back(n.summary());
    }
    return out;
  }

  const PartnershipStore::Actor kDe1{.by = "member:de-1", .first = true};
  const PartnershipStore::Actor kCl1{.by = "member:cl-1", .second = true};

  TempDir dir_;
  TestClock clock_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<NotificationStore> notifications_;
  std::unique_ptr<PartnershipStore> partnerships_;
};

TEST_F(PartnershipStoreTest, ACreatedPartnershipExploresAndTellsTheOtherCompany) {
  ASSIGN_OR_FAIL(Partnership p, partnerships_->Create(Companies(), kDe1, nullptr, Summary));
  EXPECT_THAT(p.id(), ::testing::StartsWith("pt-"));
  EXPECT_EQ(p.status(), Partnership::EXPLORING);
  EXPECT_EQ(p.version(), 1);
  EXPECT_EQ(p.created_by(), "member:de-1");
  EXPECT_EQ(TimeOf(p.next_review_time()), clock_.Now() + 2 * kWeek);
  EXPECT_THAT(Outbox(), ElementsAre("PARTNERSHIP_CREATED for cl-1"));

  ASSIGN_OR_FAIL(Partnership got, partnerships_->Get(p.id()));
  EXPECT_EQ(got.SerializeAsString(), p.SerializeAsString());
  EXPECT_THAT(partnerships_->Get("pt-none"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(PartnershipStoreTest, ABadPartnershipIsRefusedNamingTheField) {
  struct Case {
    std::string field;
    std::function<void(Partnership*)> spoil;
  };
  const std::vector<Case> cases = {
      {"partnership.second_member_id", [](Partnership* p) { p->set_second_member_id("de-1"); }},
      {"partnership.first_member_id", [](Partnership* p) { p->clear_first_member_id(); }},
      {"partnership.second_chamber_id", [](Partnership* p) { p->clear_second_chamber_id(); }},
      {"partnership.status", [](Partnership* p) { p->set_status(Partnership::ACTIVE); }},
      {"partnership.review_every_weeks", [](Partnership* p) { p->set_review_every_weeks(53); }},
      {"partnership.goals[1].indicator.name",
       [](Partnership* p) { p->mutable_goals(1)->mutable_indicator()->set_name("Units sold"); }},
      {"partnership.goals[0].indicator.due_date",
       [](Partnership* p) {
         p->mutable_goals(0)->mutable_indicator()->set_due_date("2027-02-30");
       }},
      {"partnership.goals[0].indicator.target",
       [](Partnership* p) { p->mutable_goals(0)->mutable_indicator()->set_target(NAN); }},
      {"partnership.milestones[0].due_date",
       [](Partnership* p) { p->mutable_milestones(0)->clear_due_date(); }},
      {"partnership.origin",
       [](Partnership* p) { p->mutable_origin()->clear_source_request_id(); }},
      {"partnership.end_reason", [](Partnership* p) { p->set_end_reason("not yet"); }},
      {"partnership.title", [](Partnership* p) { p->set_title(std::string(201, 'x')); }},
  };
  for (const Case& c : cases) {
    Partnership p = Companies();
    c.spoil(&p);
    absl::StatusOr<Partnership> created = partnerships_->Create(p, kDe1, nullptr, Summary);
    EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)))
        << c.field;
  }
  EXPECT_THAT(Outbox(), IsEmpty());
}

TEST_F(PartnershipStoreTest, AChamberPartnershipNamesTwoChambersAndTellsTheirStaff) {
  Partnership p;
  p.set_first_chamber_id("ihk");
  p.set_second_chamber_id("camara");
  p.set_title("Cooperation agreement");
  ASSIGN_OR_FAIL(
      Partnership created,
      partnerships_->Create(p, {.by = "staff:camara", .second = true}, nullptr, Summary));
  EXPECT_TRUE(IsChamberPartnership(created));
  EXPECT_EQ(created.review_every_weeks(), PartnershipStore::kDefaultReviewWeeks);
  EXPECT_THAT(Outbox(), ElementsAre("PARTNERSHIP_CREATED for staff:ihk"));
  p.set_second_chamber_id("ihk");
  EXPECT_THAT(partnerships_->Create(p, kDe1, nullptr, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("second_chamber_id")));
}

TEST_F(PartnershipStoreTest, StatusMovesUntilEndedWhichNeedsAReasonAndIsFinal) {
  ASSIGN_OR_FAIL(Partnership p, partnerships_->Create(Companies(), kDe1, nullptr, Summary));
  const uint64_t after = notifications_->last_sequence();
  Partnership patch;
  patch.set_id(p.id());
  patch.set_status(Partnership::ACTIVE);
  ASSIGN_OR_FAIL(Partnership active, partnerships_->Update(patch, {}, 1, kCl1, Summary));
  EXPECT_EQ(active.status(), Partnership::ACTIVE);
  EXPECT_EQ(active.version(), 2);
  EXPECT_EQ(active.changed_by(), "member:cl-1");
  EXPECT_EQ(active.goals_size(), 2);  // not named: kept
  EXPECT_THAT(Outbox(after), ElementsAre("PARTNERSHIP_STATUS_CHANGED for de-1"));

  // A stale version is refused.
  patch.set_status(Partnership::PAUSED);
  EXPECT_THAT(partnerships_->Update(patch, {}, 1, kDe1, Summary),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));

  patch.set_status(Partnership::ENDED);
  EXPECT_THAT(partnerships_->Update(patch, {}, 0, kDe1, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("partnership.end_reason")));
  patch.set_end_reason("The distributor was sold.");
  ASSIGN_OR_FAIL(Partnership ended, partnerships_->Update(patch, {}, 0, kDe1, Summary));
  EXPECT_EQ(ended.status(), Partnership::ENDED);
  EXPECT_FALSE(ended.has_next_review_time());

  patch.set_status(Partnership::ACTIVE);
  patch.clear_end_reason();
  EXPECT_THAT(partnerships_->Update(patch, {}, 0, kDe1, Summary),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is ENDED")));
  EXPECT_THAT(partnerships_->RecordReview(p.id(), Review(1, 1), 0, kDe1, Summary),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(PartnershipStoreTest, TheMaskNamesWhatIsWrittenAndNothingElse) {
  ASSIGN_OR_FAIL(Partnership p, partnerships_->Create(Companies(), kDe1, nullptr, Summary));
  Partnership patch;
  patch.set_id(p.id());
  patch.set_review_every_weeks(6);
  patch.set_title("ignored: not in the mask");
  google::protobuf::FieldMask mask;
  mask.add_paths("review_every_weeks");
  mask.add_paths("milestones");  // cleared: the patch has none
  ASSIGN_OR_FAIL(Partnership updated, partnerships_->Update(patch, mask, 0, kDe1, Summary));
  EXPECT_EQ(updated.review_every_weeks(), 6);
  EXPECT_EQ(updated.title(), p.title());
  EXPECT_THAT(updated.milestones(), IsEmpty());
  EXPECT_EQ(TimeOf(updated.next_review_time()), TimeOf(p.create_time()) + 6 * kWeek);

  mask.Clear();
  mask.add_paths("first_member_id");
  EXPECT_THAT(partnerships_->Update(patch, mask, 0, kDe1, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[0]")));
}

TEST_F(PartnershipStoreTest, AReviewReadsEveryIndicatorAndMovesTheNextOne) {
  ASSIGN_OR_FAIL(Partnership p, partnerships_->Create(Companies(), kDe1, nullptr, Summary));
  clock_.Advance(absl::Hours(24));
  PartnershipReview missing = Review(10, 1);
  missing.mutable_readings()->RemoveLast();
  EXPECT_THAT(partnerships_->RecordReview(p.id(), missing, 0, kCl1, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("needs a value for indicator 'Service partners trained'")));
  PartnershipReview unknown = Review(10, 1);
  unknown.mutable_readings(1)->set_indicator("Revenue");
  EXPECT_THAT(partnerships_->RecordReview(p.id(), unknown, 0, kCl1, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("review.readings[1]")));
  PartnershipReview unjudged = Review(10, 1);
  unjudged.clear_judgement();
  EXPECT_THAT(partnerships_->RecordReview(p.id(), unjudged, 0, kCl1, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("review.judgement")));
  PartnershipReview bad_goal = Review(10, 1);
  bad_goal.mutable_readings(1)->set_judgement(static_cast<PartnershipReview::Judgement>(9));
  EXPECT_THAT(partnerships_->RecordReview(p.id(), bad_goal, 0, kCl1, Summary),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("review.readings[1].judgement: must be ON_TRACK")));

  const uint64_t after = notifications_->last_sequence();
  ASSIGN_OR_FAIL(PartnershipReview first,
                 partnerships_->RecordReview(p.id(), Review(10, 1), 0, kCl1, Summary));
  EXPECT_EQ(first.number(), 1);
  EXPECT_EQ(first.partnership_id(), p.id());
  EXPECT_EQ(first.recorded_by(), "member:cl-1");
  EXPECT_THAT(Outbox(after), ElementsAre("PARTNERSHIP_REVIEWED for de-1"));
  clock_.Advance(absl::Hours(24));
  // A goal's own judgement beside the review's, kept with its reading.
  PartnershipReview judged = Review(25, 2);
  judged.mutable_readings(0)->set_judgement(PartnershipReview::OFF_TRACK);
  ASSIGN_OR_FAIL(PartnershipReview second,
                 partnerships_->RecordReview(p.id(), judged, 0, kDe1, Summary));
  EXPECT_EQ(second.number(), 2);
  EXPECT_EQ(second.readings(0).judgement(), PartnershipReview::OFF_TRACK);
  EXPECT_EQ(second.readings(1).judgement(), PartnershipReview::JUDGEMENT_UNSPECIFIED);

  ASSIGN_OR_FAIL(Partnership now, partnerships_->Get(p.id()));
  EXPECT_EQ(now.review_count(), 2);
  EXPECT_EQ(now.version(), 3);
  EXPECT_EQ(TimeOf(now.next_review_time()), clock_.Now() + 2 * kWeek);

  // Newest first, in pages.
  ASSIGN_OR_FAIL(auto page, partnerships_->ListReviews(p.id(), 1, ""));
  ASSERT_THAT(page.first, SizeIs(1));
  EXPECT_EQ(page.first[0].number(), 2);
  EXPECT_EQ(page.first[0].readings(0).value(), 25);
  EXPECT_EQ(page.first[0].readings(0).judgement(), PartnershipReview::OFF_TRACK);
  ASSIGN_OR_FAIL(auto rest, partnerships_->ListReviews(p.id(), 1, page.second));
  ASSERT_THAT(rest.first, SizeIs(1));
  EXPECT_EQ(rest.first[0].number(), 1);
  EXPECT_TRUE(rest.second.empty());
  EXPECT_THAT(partnerships_->ListReviews("pt-none", 0, ""), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(PartnershipStoreTest, ListsByMemberAndChamberNewestFirstWithStatuses) {
  std::vector<std::string> ids;
  for (const char* other : {"cl-1", "cl-2", "cl-3"}) {
    Partnership p = Companies();
    p.set_second_member_id(other);
    ASSIGN_OR_FAIL(Partnership created, partnerships_->Create(p, kDe1, nullptr, Summary));
    ids.push_back(created.id());
    clock_.Advance(absl::Minutes(1));
  }
  Partnership active;
  active.set_id(ids[1]);
  active.set_status(Partnership::ACTIVE);
  ASSERT_THAT(partnerships_->Update(active, {}, 0, kDe1, Summary).status(), IsOk());

  auto ids_of = [](const std::vector<Partnership>& ps) {
    std::vector<std::string> out;
    for (const Partnership& p : ps) out.push_back(p.id());
    return out;
  };
  ASSIGN_OR_FAIL(auto de1, partnerships_->List({.member_id = "de-1"}, 2, ""));
  EXPECT_THAT(ids_of(de1.first), ElementsAre(ids[2], ids[1]));
  ASSIGN_OR_FAIL(auto de1_rest, partnerships_->List({.member_id = "de-1"}, 2, de1.second));
  EXPECT_THAT(ids_of(de1_rest.first), ElementsAre(ids[0]));
  ASSIGN_OR_FAIL(auto cl2, partnerships_->List({.member_id = "cl-2"}, 0, ""));
  EXPECT_THAT(ids_of(cl2.first), ElementsAre(ids[1]));
  ASSIGN_OR_FAIL(auto camara, partnerships_->List({.chamber_id = "camara"}, 0, ""));
  EXPECT_THAT(ids_of(camara.first), ElementsAre(ids[2], ids[1], ids[0]));
  ASSIGN_OR_FAIL(
      auto exploring,
      partnerships_->List({.chamber_id = "ihk", .statuses = {Partnership::EXPLORING}}, 0, ""));
  EXPECT_THAT(ids_of(exploring.first), ElementsAre(ids[2], ids[0]));
  ASSIGN_OR_FAIL(auto other, partnerships_->List({.chamber_id = "cc-fr"}, 0, ""));
  EXPECT_THAT(other.first, IsEmpty());
  // A token of one list does not page another.
  EXPECT_THAT(partnerships_->List({.member_id = "cl-1"}, 2, de1.second),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(PartnershipStoreTest, ADueReviewIsRemindedOnceToBothPartiesAcrossRestarts) {
  ASSIGN_OR_FAIL(Partnership p, partnerships_->Create(Companies(), kDe1, nullptr, Summary));
  const uint64_t after = notifications_->last_sequence();
  clock_.Advance(2 * kWeek - absl::Seconds(1));
  ASSIGN_OR_FAIL(int early, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(early, 0);
  clock_.Advance(absl::Seconds(1));
  ASSIGN_OR_FAIL(int due, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(due, 1);
  EXPECT_THAT(Outbox(after), UnorderedElementsAre("PARTNERSHIP_REVIEW_DUE for de-1",
                                                  "PARTNERSHIP_REVIEW_DUE for cl-1"));
  ASSIGN_OR_FAIL(Partnership reminded, partnerships_->Get(p.id()));
  EXPECT_TRUE(reminded.review_reminded());
  EXPECT_EQ(reminded.version(), p.version());

  // Again, and after a restart: nothing more.
  ASSIGN_OR_FAIL(int again, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(again, 0);
  Reopen();
  ASSIGN_OR_FAIL(int reopened, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(reopened, 0);
  // A change that keeps the due time sends none either.
  Partnership patch;
  patch.set_id(p.id());
  patch.set_title("Valves and pumps for Chilean mining");
  ASSERT_THAT(partnerships_->Update(patch, {}, 0, kDe1, Summary).status(), IsOk());
  ASSIGN_OR_FAIL(int after_change, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(after_change, 0);
  EXPECT_THAT(Outbox(after), SizeIs(2));

  // The review is recorded; the next one falls due two weeks later.
  ASSERT_THAT(partnerships_->RecordReview(p.id(), Review(5, 0), 0, kCl1, Summary).status(), IsOk());
  const uint64_t reviewed = notifications_->last_sequence();
  clock_.Advance(2 * kWeek);
  ASSIGN_OR_FAIL(int next, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(next, 1);
  EXPECT_THAT(Outbox(reviewed), SizeIs(2));
}

TEST_F(PartnershipStoreTest, APausedPartnershipIsNotReminded) {
  ASSIGN_OR_FAIL(Partnership p, partnerships_->Create(Companies(), kDe1, nullptr, Summary));
  Partnership patch;
  patch.set_id(p.id());
  patch.set_status(Partnership::PAUSED);
  ASSERT_THAT(partnerships_->Update(patch, {}, 0, kDe1, Summary).status(), IsOk());
  const uint64_t after = notifications_->last_sequence();
  clock_.Advance(5 * kWeek);
  ASSIGN_OR_FAIL(int paused, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(paused, 0);
  // Active again, the overdue review is reminded.
  patch.set_status(Partnership::ACTIVE);
  ASSERT_THAT(partnerships_->Update(patch, {}, 0, kDe1, Summary).status(), IsOk());
  ASSIGN_OR_FAIL(int active, partnerships_->RemindDue(100, Summary));
  EXPECT_EQ(active, 1);
  EXPECT_THAT(Outbox(after),
              ElementsAre("PARTNERSHIP_STATUS_CHANGED for cl-1", "PARTNERSHIP_REVIEW_DUE for de-1",
                          "PARTNERSHIP_REVIEW_DUE for cl-1"));
}

}  // namespace
}  // namespace socio::storage
