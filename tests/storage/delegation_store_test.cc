#include "storage/delegation_store.h"

#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/plan_notices.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::Ids;
using socio::testing::Mask;

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Delegation;
using socio::v1::DelegationPlan;
using socio::v1::MeetingPair;
using socio::v1::Notification;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Delegation MakeDelegation(std::string id, std::string chamber_id = "ihk-muenchen") {
  Delegation d;
  d.set_id(std::move(id));
  d.set_chamber_id(std::move(chamber_id));
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
  MeetingPair* pair = d.add_pairs();
  pair->set_delegate_id("de-1");
  pair->set_host_id("mx-1");
  pair->set_status(MeetingPair::REQUESTED);
  return d;
}

DelegationPlan MakePlan(double total_score) {
  DelegationPlan plan;
  socio::v1::PlannedMeeting* meeting = plan.add_meetings();
  meeting->set_delegate_id("de-1");
  meeting->set_host_id("mx-1");
  meeting->set_date("2027-03-29");
  meeting->set_local_start("09:00");
  meeting->set_table(1);
  plan.set_total_score(total_score);
  return plan;
}

class DelegationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    ASSIGN_OR_FAIL(store_, DelegationStore::Open(database_, {.reference = TestReference()}));
  }

  // The stored bytes of `id`, to show a rejected write changed nothing.
  std::string Stored(const std::string& id) {
    absl::StatusOr<Delegation> d = store_->Get(id);
    return d.ok() ? d->SerializeAsString() : d.status().ToString();
  }

  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<DelegationStore> store_;
};

TEST_F(DelegationStoreTest, CreateThenGetRoundTripsAndIgnoresOutputOnlyFields) {
  Delegation input = MakeDelegation("mx27");
  input.set_version(77);
  input.mutable_create_time()->set_seconds(5);
  *input.mutable_plan() = MakePlan(3);
  ASSIGN_OR_FAIL(Delegation created, store_->Create(input));
  EXPECT_EQ(created.version(), 1);
  EXPECT_GT(created.create_time().seconds(), 5);
  EXPECT_EQ(created.update_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_FALSE(created.has_plan());
  EXPECT_EQ(created.days(0).city(), "Ciudad de México");
  ASSIGN_OR_FAIL(Delegation read, store_->Get("mx27"));
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(DelegationStoreTest, DelegationsAndPlansSurviveClosingAndReopening) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  ASSIGN_OR_FAIL(Delegation planned, store_->SetPlan("mx27", 1, MakePlan(2.5)));
  Reopen();
  ASSIGN_OR_FAIL(Delegation read, store_->Get("mx27"));
  EXPECT_EQ(read.SerializeAsString(), planned.SerializeAsString());
  ASSIGN_OR_FAIL(Delegation next, store_->SetPlan("mx27", 2, MakePlan(3)));
  EXPECT_EQ(next.version(), 3);
}

TEST_F(DelegationStoreTest, UnknownFieldsAreDroppedOnCreateAndUpdateAtEveryDepth) {
  const std::string big(1 << 20, 'x');
  const auto with_unknown = [&](std::string id) {
    Delegation d = MakeDelegation(std::move(id));
    socio::testing::AddUnknownField(&d, 99, big);
    socio::testing::AddUnknownField(d.mutable_days(0), 98, "nested");
    socio::testing::AddUnknownField(d.mutable_pairs(0), 97, "nested");
    return d;
  };
  ASSIGN_OR_FAIL(Delegation created, store_->Create(with_unknown("mx27")));
  EXPECT_EQ(socio::testing::CountUnknownFields(created), 0);
  ASSIGN_OR_FAIL(Delegation read, store_->Get("mx27"));
  EXPECT_EQ(socio::testing::CountUnknownFields(read), 0);
  EXPECT_LT(read.ByteSizeLong(), 4096u);

  ASSERT_THAT(store_->Update(with_unknown("mx27"), {}, 0), IsOk());
  ASSERT_THAT(store_->Update(with_unknown("mx27"), Mask({"days", "pairs"}), 0), IsOk());
  ASSIGN_OR_FAIL(read, store_->Get("mx27"));
  EXPECT_EQ(read.version(), 3);
  EXPECT_EQ(socio::testing::CountUnknownFields(read), 0);
  EXPECT_LT(read.ByteSizeLong(), 4096u);
}

TEST_F(DelegationStoreTest, CreateOfATakenIdIsAlreadyExistsAndChangesNothing) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  const std::string before = Stored("mx27");
  Delegation other = MakeDelegation("mx27", "ihk-berlin");
  EXPECT_THAT(store_->Create(other),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'mx27' already exists")));
  EXPECT_EQ(Stored("mx27"), before);
}

TEST_F(DelegationStoreTest, AnInvalidCreateIsRejectedNamingTheFieldAndStoresNothing) {
  Delegation bad = MakeDelegation("mx27");
  bad.mutable_days(0)->set_end_time("25:00");
  EXPECT_THAT(store_->Create(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "delegation.days[0].end_time: '25:00' is not a time of day (HH:MM)"));
  EXPECT_THAT(store_->Get("mx27"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(DelegationStoreTest, GetOfAnUnknownOrMalformedIdFails) {
  EXPECT_THAT(store_->Get("mx27"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("'mx27'")));
  EXPECT_THAT(store_->Get(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("id")));
}

TEST_F(DelegationStoreTest, UpdateWritesOnlyTheMaskedFieldsAndKeepsThePlan) {
  ASSIGN_OR_FAIL(Delegation created, store_->Create(MakeDelegation("mx27")));
  ASSIGN_OR_FAIL(Delegation planned, store_->SetPlan("mx27", 1, MakePlan(2.5)));
  Delegation patch = MakeDelegation("mx27", "ihk-berlin");
  patch.set_name("Mission to Mexico, spring 2027");
  patch.mutable_days(0)->set_end_time("13:00");
  patch.clear_delegates();  // not in the mask: kept
  patch.set_version(99);
  ASSIGN_OR_FAIL(Delegation updated, store_->Update(patch, Mask({"name", "days"}), 2));
  EXPECT_EQ(updated.version(), 3);
  EXPECT_EQ(updated.name(), "Mission to Mexico, spring 2027");
  EXPECT_EQ(updated.days(0).end_time(), "13:00");
  EXPECT_EQ(updated.chamber_id(), "ihk-muenchen");
  EXPECT_EQ(updated.delegates_size(), 2);
  EXPECT_EQ(updated.create_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_EQ(updated.plan().SerializeAsString(), planned.plan().SerializeAsString());
  ASSIGN_OR_FAIL(Delegation read, store_->Get("mx27"));
  EXPECT_EQ(read.SerializeAsString(), updated.SerializeAsString());
}

TEST_F(DelegationStoreTest, UpdateWithStarWritesEveryWritableFieldButNotOutputOnlyOnes) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  ASSIGN_OR_FAIL(Delegation planned, store_->SetPlan("mx27", 1, MakePlan(2.5)));
  Delegation patch = MakeDelegation("mx27", "ihk-berlin");
  patch.set_meeting_minutes(45);
  patch.clear_pairs();
  patch.set_version(99);
  *patch.mutable_plan() = MakePlan(7);
  ASSIGN_OR_FAIL(Delegation updated, store_->Update(patch, Mask({"*"}), 0));
  EXPECT_EQ(updated.chamber_id(), "ihk-berlin");
  EXPECT_EQ(updated.meeting_minutes(), 45);
  EXPECT_THAT(updated.pairs(), IsEmpty());
  EXPECT_EQ(updated.version(), 3);
  EXPECT_EQ(updated.plan().SerializeAsString(), planned.plan().SerializeAsString());
}

TEST_F(DelegationStoreTest, UpdateWithAnEmptyMaskWritesOnlyTheFieldsTheRequestSets) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  ASSIGN_OR_FAIL(Delegation before, store_->Get("mx27"));
  ASSERT_GT(before.pairs_size(), 0);
  Delegation patch;
  patch.set_id("mx27");
  patch.set_name("Mission 2028");
  patch.set_meeting_minutes(45);
  ASSIGN_OR_FAIL(Delegation updated, store_->Update(patch, {}, 1));
  EXPECT_EQ(updated.name(), "Mission 2028");
  EXPECT_EQ(updated.meeting_minutes(), 45);
  EXPECT_EQ(updated.chamber_id(), before.chamber_id());
  EXPECT_EQ(updated.days_size(), before.days_size());
  EXPECT_EQ(updated.delegates_size(), before.delegates_size());
  EXPECT_EQ(updated.pairs_size(), before.pairs_size());
  Delegation nothing;
  nothing.set_id("mx27");
  EXPECT_THAT(store_->Update(nothing, {}, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
}

TEST_F(DelegationStoreTest, AMaskedFieldMissingFromThePatchIsCleared) {
  Delegation input = MakeDelegation("mx27");
  input.mutable_host_filter()->set_max_hosts(50);
  input.set_break_minutes(5);
  ASSERT_THAT(store_->Create(input), IsOk());
  Delegation patch;
  patch.set_id("mx27");
  ASSIGN_OR_FAIL(Delegation updated,
                 store_->Update(patch, Mask({"host_filter", "break_minutes"}), 1));
  EXPECT_FALSE(updated.has_host_filter());
  EXPECT_EQ(updated.break_minutes(), 0);
}

TEST_F(DelegationStoreTest, UpdateRejectsBadMaskPathsNamingThem) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  const std::string before = Stored("mx27");
  const Delegation patch = MakeDelegation("mx27");
  EXPECT_THAT(store_->Update(patch, Mask({"name", "nmae"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("update_mask.paths[1]: 'nmae' is not a writable field")));
  EXPECT_THAT(
      store_->Update(patch, Mask({"plan"}), 0),
      StatusIs(absl::StatusCode::kInvalidArgument, "update_mask.paths[0]: 'plan' is output only"));
  EXPECT_THAT(store_->Update(patch, Mask({"version"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[0]")));
  EXPECT_THAT(
      store_->Update(patch, Mask({"id"}), 0),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[0]: 'id'")));
  EXPECT_THAT(store_->Update(patch, Mask({"host_filter.max_hosts"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[0]")));
  EXPECT_EQ(Stored("mx27"), before);
}

TEST_F(DelegationStoreTest, EveryFieldOfDelegationIsWritableOrOutputOnly) {
  // Guards the store's list of writable fields against a field added to
  // delegation.proto and forgotten there.
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  const Delegation patch = MakeDelegation("mx27");
  const google::protobuf::Descriptor* descriptor = Delegation::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const std::string name = descriptor->field(i)->name();
    SCOPED_TRACE(name);
    absl::StatusOr<Delegation> updated = store_->Update(patch, Mask({name.c_str()}), 0);
    if (name == "id" || name == "version" || name == "create_time" || name == "update_time" ||
        name == "plan" || name == "publication" || name == "host_invitations" ||
        name == "invitation_summary" || name == "host_publication") {
      EXPECT_THAT(updated, StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("update_mask.paths[0]: '" + name + "'")));
    } else {
      EXPECT_THAT(updated, IsOk());
    }
  }
}

TEST_F(DelegationStoreTest, UpdateOfAStaleVersionIsAbortedAndChangesNothing) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  ASSERT_THAT(store_->SetPlan("mx27", 1, MakePlan(1)), IsOk());
  const std::string before = Stored("mx27");
  Delegation patch = MakeDelegation("mx27");
  patch.set_name("Renamed");
  EXPECT_THAT(store_->Update(patch, Mask({"name"}), 1),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("'mx27'"), HasSubstr("version 2, not 1"))));
  EXPECT_EQ(Stored("mx27"), before);
  EXPECT_THAT(store_->Update(patch, Mask({"name"}), -1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected_version")));
  patch.set_id("mx28");
  EXPECT_THAT(store_->Update(patch, Mask({"name"}), 0), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(DelegationStoreTest, AnUpdateWithAnInvalidResultChangesNothing) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  const std::string before = Stored("mx27");
  Delegation patch = MakeDelegation("mx27");
  patch.mutable_delegates(0)->set_member_id("de-9");  // pairs[0] names de-1
  EXPECT_THAT(store_->Update(patch, Mask({"delegates"}), 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "delegation.pairs[0].delegate_id: 'de-1' is not a delegate"));
  patch = MakeDelegation("mx27");
  patch.set_meeting_minutes(-1);
  EXPECT_THAT(store_->Update(patch, {}, 1), StatusIs(absl::StatusCode::kInvalidArgument,
                                                     HasSubstr("delegation.meeting_minutes")));
  EXPECT_EQ(Stored("mx27"), before);
}

TEST_F(DelegationStoreTest, DeleteChecksTheVersionAndRemovesTheDelegationWithItsPlan) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  ASSERT_THAT(store_->SetPlan("mx27", 0, MakePlan(1)), IsOk());
  EXPECT_THAT(store_->Delete("mx27", 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_THAT(store_->Get("mx27"), IsOk());
  EXPECT_THAT(store_->Delete("mx27", 2), IsOk());
  EXPECT_THAT(store_->Get("mx27"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Delete("mx27", 0), StatusIs(absl::StatusCode::kNotFound));
  // The id is free again, and a new delegation starts over without a plan.
  ASSIGN_OR_FAIL(Delegation again, store_->Create(MakeDelegation("mx27")));
  EXPECT_EQ(again.version(), 1);
  EXPECT_FALSE(again.has_plan());
}

TEST_F(DelegationStoreTest, ListPagesThroughOneChamberInIdOrder) {
  for (int i = 0; i < 8; ++i) {
    ASSERT_THAT(store_->Create(MakeDelegation(absl::StrFormat("d-%02d", i),
                                              i % 3 == 1 ? "ihk-berlin" : "ihk-muenchen")),
                IsOk());
  }
  // ihk-muenchen: d-00 d-02 d-03 d-05 d-06; ihk-berlin: d-01 d-04 d-07.
  using Page = std::pair<std::vector<Delegation>, std::string>;
  ASSIGN_OR_FAIL(Page first, store_->List("ihk-muenchen", "", 2, ""));
  EXPECT_THAT(Ids(first.first), ElementsAre("d-00", "d-02"));
  ASSERT_FALSE(first.second.empty());
  ASSIGN_OR_FAIL(Page second, store_->List("ihk-muenchen", "", 2, first.second));
  EXPECT_THAT(Ids(second.first), ElementsAre("d-03", "d-05"));
  ASSIGN_OR_FAIL(Page last, store_->List("ihk-muenchen", "", 2, second.second));
  EXPECT_THAT(Ids(last.first), ElementsAre("d-06"));
  EXPECT_EQ(last.second, "");

  // A page that ends exactly at the last one has no token either.
  ASSIGN_OR_FAIL(Page berlin, store_->List("ihk-berlin", "", 3, ""));
  EXPECT_THAT(Ids(berlin.first), ElementsAre("d-01", "d-04", "d-07"));
  EXPECT_EQ(berlin.second, "");

  // No chamber: all of them; page size 0 means 100.
  ASSIGN_OR_FAIL(Page all, store_->List("", "", 0, ""));
  EXPECT_EQ(all.first.size(), 8u);
  EXPECT_EQ(all.second, "");
  ASSIGN_OR_FAIL(Page none, store_->List("ihk-koeln", "", 0, ""));
  EXPECT_THAT(none.first, IsEmpty());
}

TEST_F(DelegationStoreTest, ListByMemberFindsEveryRoleTheCompanyHas) {
  // de-9 a delegate of d-a, a host of d-b, the host of a pair of d-c, a
  // host chosen by d-d's plan; d-e does not name it.
  Delegation a = MakeDelegation("d-a");
  a.add_delegates()->set_member_id("de-9");
  Delegation b = MakeDelegation("d-b", "ihk-berlin");
  b.add_hosts()->set_member_id("de-9");
  Delegation c = MakeDelegation("d-c");
  MeetingPair* pair = c.add_pairs();
  pair->set_delegate_id("de-2");
  pair->set_host_id("de-9");
  pair->set_status(MeetingPair::DECLINED);
  for (const Delegation& d : {a, b, c, MakeDelegation("d-d"), MakeDelegation("d-e")}) {
    ASSERT_THAT(store_->Create(d), IsOk());
  }
  DelegationPlan plan = MakePlan(1);
  plan.add_host_ids("de-9");
  ASSERT_THAT(store_->SetPlan("d-d", 1, plan), IsOk());

  using Page = std::pair<std::vector<Delegation>, std::string>;
  ASSIGN_OR_FAIL(Page all, store_->List("", "de-9", 0, ""));
  EXPECT_THAT(Ids(all.first), ElementsAre("d-a", "d-b", "d-c", "d-d"));
  ASSIGN_OR_FAIL(Page munich, store_->List("ihk-muenchen", "de-9", 0, ""));
  EXPECT_THAT(Ids(munich.first), ElementsAre("d-a", "d-c", "d-d"));

  // Pages of a member's delegations, and their tokens bound to the member.
  ASSIGN_OR_FAIL(Page first, store_->List("", "de-9", 3, ""));
  EXPECT_THAT(Ids(first.first), ElementsAre("d-a", "d-b", "d-c"));
  ASSIGN_OR_FAIL(Page rest, store_->List("", "de-9", 3, first.second));
  EXPECT_THAT(Ids(rest.first), ElementsAre("d-d"));
  EXPECT_EQ(rest.second, "");
  EXPECT_THAT(store_->List("", "de-1", 3, first.second),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(store_->List("", "de 9", 0, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("member_id")));
}

TEST_F(DelegationStoreTest, ListRejectsBadArgumentsNamingThem) {
  ASSERT_THAT(store_->Create(MakeDelegation("d-1")), IsOk());
  ASSERT_THAT(store_->Create(MakeDelegation("d-2")), IsOk());
  EXPECT_THAT(store_->List("", "", 0, "not a token!"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(store_->List("", "", 0, "ZDE"),  // base64 of "d1" alone
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  ASSIGN_OR_FAIL(auto page, store_->List("ihk-muenchen", "", 1, ""));
  ASSERT_FALSE(page.second.empty());
  EXPECT_THAT(store_->List("ihk-berlin", "", 1, page.second),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token: was issued for another chamber_id or member_id")));
  EXPECT_THAT(store_->List("", "", 1, page.second), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->List("", "", -1, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size: -1")));
  EXPECT_THAT(store_->List("", "", 1001, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size: 1001")));
  EXPECT_THAT(store_->List("ihk muenchen", "", 0, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
}

TEST_F(DelegationStoreTest, SetPlanStoresThePlanAsAWriteOfItsOwn) {
  ASSIGN_OR_FAIL(Delegation created, store_->Create(MakeDelegation("mx27")));
  DelegationPlan plan = MakePlan(4.25);
  plan.set_delegation_version(1);
  ASSIGN_OR_FAIL(Delegation planned, store_->SetPlan("mx27", 1, plan));
  EXPECT_EQ(planned.version(), 2);
  EXPECT_EQ(planned.plan().SerializeAsString(), plan.SerializeAsString());
  EXPECT_EQ(planned.create_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_GE(planned.update_time().seconds(), created.update_time().seconds());
  // Everything but the plan, version and update time is as it was.
  Delegation rest = planned;
  rest.clear_plan();
  rest.set_version(1);
  *rest.mutable_update_time() = created.update_time();
  EXPECT_EQ(rest.SerializeAsString(), created.SerializeAsString());

  const std::string before = Stored("mx27");
  EXPECT_THAT(store_->SetPlan("mx27", 1, MakePlan(9)),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2, not 1")));
  EXPECT_EQ(Stored("mx27"), before);
  EXPECT_THAT(store_->SetPlan("mx28", 0, MakePlan(9)), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->SetPlan("mx27", -1, MakePlan(9)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected_version")));
}

TEST_F(DelegationStoreTest, ConcurrentVersionedWritesLoseNoUpdate) {
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 10;
  store_.reset();
  ASSIGN_OR_FAIL(store_, DelegationStore::Open(
                             database_, {.sync_writes = false, .reference = TestReference()}));
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int done = 0; done < kWritesPerThread;) {
        absl::StatusOr<Delegation> current = store_->Get("mx27");
        ASSERT_THAT(current, IsOk());
        absl::StatusOr<Delegation> written =
            t % 2 == 0 ? store_->SetPlan("mx27", current->version(),
                                         MakePlan(current->plan().total_score() + 1))
                       : store_->Update(*current, {}, current->version());
        if (written.ok()) {
          ++done;
        } else {
          ASSERT_THAT(written, StatusIs(absl::StatusCode::kAborted));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSIGN_OR_FAIL(Delegation final_state, store_->Get("mx27"));
  EXPECT_EQ(final_state.version(), 1 + kThreads * kWritesPerThread);
  EXPECT_EQ(final_state.plan().total_score(), kThreads / 2 * kWritesPerThread);
}

TEST_F(DelegationStoreTest, ASecondStoreOverOneDatabaseIsRefusedUntilTheFirstCloses) {
  EXPECT_THAT(DelegationStore::Open(database_, {.reference = TestReference()}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already open")));
  store_.reset();
  EXPECT_THAT(DelegationStore::Open(database_, {.reference = TestReference()}), IsOk());
}

TEST(DelegationStoreOpenTest, ADatabaseAndReferenceDataAreRequired) {
  EXPECT_THAT(DelegationStore::Open(nullptr, {.reference = TestReference()}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("database")));
  TempDir dir;
  ASSIGN_OR_FAIL(std::shared_ptr<Database> database, Database::Open(dir.path(), {}));
  EXPECT_THAT(DelegationStore::Open(database, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reference")));
  // The refusal did not leave the store marked open.
  EXPECT_THAT(DelegationStore::Open(database, {.reference = TestReference()}), IsOk());
}

// Publishing: the store with an outbox, and a plan stored the way
// PlanDelegation stores it (made from the version before its own write).
class DelegationPublishTest : public DelegationStoreTest {
 protected:
  void SetUp() override {
    DelegationStoreTest::SetUp();
    OpenWithOutbox();
  }

  void OpenWithOutbox() {
    store_.reset();
    notifications_.reset();
    ASSIGN_OR_FAIL(notifications_, NotificationStore::Open(database_, {}));
    ASSIGN_OR_FAIL(store_,
                   DelegationStore::Open(database_, {.reference = TestReference(),
                                                     .notifications = notifications_.get()}));
  }

  // Closes everything and opens it again over the same directory.
  void ReopenAll() {
    store_.reset();
    notifications_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    OpenWithOutbox();
  }

  // Stores a plan of `meetings` (delegate, host, start on 2027-03-29, table).
  Delegation Plan(
      const std::vector<std::tuple<std::string, std::string, std::string, int>>& meetings) {
    absl::StatusOr<Delegation> stored = store_->Get("mx27");
    EXPECT_THAT(stored, IsOk());
    DelegationPlan plan;
    for (const auto& [delegate, host, start, table] : meetings) {
      socio::v1::PlannedMeeting* m = plan.add_meetings();
      m->set_delegate_id(delegate);
      m->set_host_id(host);
      m->set_date("2027-03-29");
      m->set_local_start(start);
      m->set_table(table);
    }
    plan.set_delegation_version(stored->version());
    plan.mutable_plan_time()->set_seconds(1800000000 + stored->version());
    absl::StatusOr<Delegation> planned = store_->SetPlan("mx27", stored->version(), plan);
    EXPECT_THAT(planned, IsOk());
    return *planned;
  }

  // planner's notices, partners named by id.
  static std::vector<Notification> Notices(const Delegation& stored) {
    return planner::PublicationNotices(
        stored, [](const std::string&, const std::string& partner) { return partner; },
        StaffRecipient(stored.chamber_id()));
  }

  std::vector<std::string> Outbox() {
    absl::StatusOr<std::vector<Notification>> all = notifications_->Read(0, 1000);
    EXPECT_THAT(all, IsOk());
    std::vector<std::string> out;
    for (const Notification& n : *all) {
      EXPECT_EQ(n.delegation_id(), "mx27");
      out.push_back(absl::StrCat(Notification::Kind_Name(n.kind()), " ", n.recipient()));
    }
    return out;
  }

  std::unique_ptr<NotificationStore> notifications_;
};

TEST_F(DelegationPublishTest, PublishStoresWhatWasToldAndItsNotificationsTogether) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  const Delegation planned = Plan({{"de-1", "mx-1", "09:00", 1}, {"de-2", "mx-1", "09:40", 2}});
  ASSIGN_OR_FAIL(Delegation published, store_->Publish("mx27", planned.version(), Notices));
  // The version stays: nothing staff edit changed, and the plan is current.
  EXPECT_EQ(published.version(), planned.version());
  EXPECT_EQ(published.update_time().SerializeAsString(), planned.update_time().SerializeAsString());
  const socio::v1::PlanPublication& p = published.publication();
  EXPECT_EQ(p.delegation_version(), planned.version());
  EXPECT_EQ(p.plan_time().seconds(), planned.plan().plan_time().seconds());
  EXPECT_EQ(p.publish_count(), 1);
  EXPECT_EQ(p.notified(), 3);  // de-1, de-2, mx-1; not the staff
  EXPECT_GT(p.publish_time().seconds(), 0);
  EXPECT_EQ(p.meetings().size(), 2);
  EXPECT_EQ(p.meetings(1).SerializeAsString(), planned.plan().meetings(1).SerializeAsString());
  EXPECT_THAT(Outbox(), ElementsAre("PLAN_PUBLISHED de-1", "PLAN_PUBLISHED de-2",
                                    "PLAN_PUBLISHED mx-1", "PLAN_PUBLISHED staff:ihk-muenchen"));

  // Both were one write: after closing and opening again, both are there.
  const std::string before = Stored("mx27");
  ReopenAll();
  EXPECT_EQ(Stored("mx27"), before);
  EXPECT_THAT(Outbox(), SizeIs(4));
  EXPECT_EQ(notifications_->last_sequence(), 4u);
}

TEST_F(DelegationPublishTest, ARepublishTellsOnlyWhatChangedAgainstWhatWasTold) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  Delegation planned = Plan({{"de-1", "mx-1", "09:00", 1}, {"de-2", "mx-1", "09:40", 2}});
  ASSERT_THAT(store_->Publish("mx27", 0, Notices), IsOk());
  // Two re-plans before the next publish: only the difference between what
  // was told and the last plan counts (de-2's meeting went to 10:20 and back).
  Plan({{"de-1", "mx-1", "09:00", 1}, {"de-2", "mx-1", "10:20", 2}});
  planned = Plan({{"de-1", "mx-1", "11:00", 1}, {"de-2", "mx-1", "09:40", 2}});
  std::vector<Delegation> seen;
  ASSIGN_OR_FAIL(Delegation published,
                 store_->Publish("mx27", planned.version(), [&](const Delegation& stored) {
                   seen.push_back(stored);
                   return Notices(stored);
                 }));
  ASSERT_THAT(seen, SizeIs(1));
  EXPECT_EQ(seen[0].publication().meetings(0).local_start(), "09:00");
  EXPECT_EQ(seen[0].plan().meetings(0).local_start(), "11:00");
  EXPECT_THAT(Outbox(),
              ElementsAre("PLAN_PUBLISHED de-1", "PLAN_PUBLISHED de-2", "PLAN_PUBLISHED mx-1",
                          "PLAN_PUBLISHED staff:ihk-muenchen", "MEETINGS_CHANGED de-1",
                          "MEETINGS_CHANGED mx-1", "MEETINGS_CHANGED staff:ihk-muenchen"));
  EXPECT_EQ(published.publication().publish_count(), 2);
  EXPECT_EQ(published.publication().notified(), 2);
  EXPECT_EQ(published.publication().delegation_version(), planned.version());
  EXPECT_EQ(published.publication().meetings(0).local_start(), "11:00");
  // An update keeps the publication: the next publish compares with it.
  ASSIGN_OR_FAIL(Delegation updated, store_->Update(MakeDelegation("mx27"), Mask({"name"}), 0));
  EXPECT_EQ(updated.publication().SerializeAsString(), published.publication().SerializeAsString());
}

TEST_F(DelegationPublishTest, ARepublishOfAnUnchangedPlanTellsNobody) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  Plan({{"de-1", "mx-1", "09:00", 1}});
  ASSERT_THAT(store_->Publish("mx27", 0, Notices), IsOk());
  const uint64_t told = notifications_->last_sequence();
  // Published again as it is, and again after a re-plan to the same meetings.
  ASSIGN_OR_FAIL(Delegation again, store_->Publish("mx27", 0, Notices));
  Plan({{"de-1", "mx-1", "09:00", 1}});
  ASSIGN_OR_FAIL(Delegation replanned, store_->Publish("mx27", 0, Notices));
  EXPECT_EQ(notifications_->last_sequence(), told);
  EXPECT_EQ(again.publication().notified(), 0);
  EXPECT_EQ(replanned.publication().notified(), 0);
  EXPECT_EQ(replanned.publication().publish_count(), 3);
}

TEST_F(DelegationPublishTest, RefusedPublishesChangeNothingAndTellNobody) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  EXPECT_THAT(store_->Publish("mx27", 0, Notices),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has no plan")));
  const Delegation planned = Plan({{"de-1", "mx-1", "09:00", 1}});
  EXPECT_THAT(store_->Publish("mx27", planned.version() - 1, Notices),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("not 1")));
  EXPECT_THAT(store_->Publish("mx28", 0, Notices), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Publish("mx 27", 0, Notices),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("id")));
  EXPECT_THAT(store_->Publish("mx27", -1, Notices),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected_version")));
  // The delegation changed since it was planned: its plan is out of date.
  ASSERT_THAT(store_->Update(MakeDelegation("mx27"), Mask({"name"}), 0), IsOk());
  const std::string before = Stored("mx27");
  EXPECT_THAT(
      store_->Publish("mx27", 0, Notices),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("changed since its plan was made"), HasSubstr("plan it again"))));
  EXPECT_EQ(Stored("mx27"), before);
  EXPECT_THAT(Outbox(), IsEmpty());

  // A store without an outbox cannot tell anyone, so it publishes nothing.
  store_.reset();
  ASSIGN_OR_FAIL(store_, DelegationStore::Open(database_, {.reference = TestReference()}));
  Plan({{"de-1", "mx-1", "09:00", 1}});
  EXPECT_THAT(store_->Publish("mx27", 0, Notices),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no notification outbox")));
  EXPECT_FALSE(store_->Get("mx27")->has_publication());
}

TEST_F(DelegationPublishTest, ARetriedPublishIsAnsweredOnceAndTellsOnce) {
  ASSERT_THAT(store_->Create(MakeDelegation("mx27")), IsOk());
  Plan({{"de-1", "mx-1", "09:00", 1}});
  ASSIGN_OR_FAIL(RequestTicket ticket, RequestTicket::Make("token-1", "PublishPlan", "retry-0001"));
  ticket.set_fingerprint(FingerprintOf(MakeDelegation("mx27")));
  ASSIGN_OR_FAIL(Delegation first, store_->Publish("mx27", 0, Notices, &ticket));
  ASSIGN_OR_FAIL(Delegation retry, store_->Publish("mx27", 0, Notices, &ticket));
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(store_->Get("mx27")->publication().publish_count(), 1);
  // de-1, de-2 (a delegate without meetings), mx-1, the staff; not twice.
  EXPECT_THAT(Outbox(), SizeIs(4));
}

}  // namespace
}  // namespace socio::storage
