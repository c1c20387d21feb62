#include "storage/match_policy_store.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/database.h"
#include "storage/profile_store.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::MakePolicy;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::MatchPolicy;
using socio::v1::Profile;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Profile MakeProfile(std::string id, std::string chamber_id) {
  Profile p;
  p.set_id(std::move(id));
  p.set_chamber_id(std::move(chamber_id));
  p.set_name("Werkzeugmaschinen " + p.id());
  p.set_country("DE");
  p.add_sectors("28.41");
  return p;
}

class MatchPolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    ASSIGN_OR_FAIL(store_, MatchPolicyStore::Open(database_, {}));
  }

  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<MatchPolicyStore> store_;
};

TEST_F(MatchPolicyStoreTest, PutThenGetRoundTrips) {
  MatchPolicy input = MakePolicy("ihk-muenchen");
  input.set_version(77);                        // output-only: ignored
  input.mutable_update_time()->set_seconds(5);  // output-only: ignored
  ASSIGN_OR_FAIL(MatchPolicy stored, store_->Put(input, 0));
  EXPECT_EQ(stored.chamber_id(), "ihk-muenchen");
  EXPECT_EQ(stored.version(), 1);
  EXPECT_GT(stored.update_time().seconds(), 5);
  EXPECT_EQ(stored.weights().SerializeAsString(), input.weights().SerializeAsString());
  ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("ihk-muenchen"));
  EXPECT_EQ(read.SerializeAsString(), stored.SerializeAsString());
}

TEST_F(MatchPolicyStoreTest, UnknownFieldsAreDroppedAtEveryDepth) {
  MatchPolicy input = MakePolicy("ihk-muenchen");
  socio::testing::AddUnknownField(&input, 99, std::string(1 << 20, 'x'));
  socio::testing::AddUnknownField(input.mutable_weights(), 98, "nested");
  ASSIGN_OR_FAIL(MatchPolicy stored, store_->Put(input, 0));
  EXPECT_EQ(socio::testing::CountUnknownFields(stored), 0);
  ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("ihk-muenchen"));
  EXPECT_EQ(socio::testing::CountUnknownFields(read), 0);
  EXPECT_LT(read.ByteSizeLong(), 1024u);
}

TEST_F(MatchPolicyStoreTest, GetOfAChamberWithoutPolicyIsNotFound) {
  EXPECT_THAT(store_->Get("ihk-muenchen"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("ihk-muenchen")));
  ASSERT_THAT(store_->Put(MakePolicy("ihk-berlin"), 0), IsOk());
  EXPECT_THAT(store_->Get("ihk-muenchen"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(MatchPolicyStoreTest, GetOfAMalformedChamberIdIsInvalid) {
  EXPECT_THAT(store_->Get(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
  EXPECT_THAT(store_->Get("no spaces"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
}

TEST_F(MatchPolicyStoreTest, VersionGrowsByOneAndAStaleExpectedVersionChangesNothing) {
  ASSIGN_OR_FAIL(MatchPolicy v1, store_->Put(MakePolicy("c1", 1), 0));
  EXPECT_EQ(v1.version(), 1);
  ASSIGN_OR_FAIL(MatchPolicy v2, store_->Put(MakePolicy("c1", 2), 1));
  EXPECT_EQ(v2.version(), 2);

  EXPECT_THAT(store_->Put(MakePolicy("c1", 3), 1),
              StatusIs(absl::StatusCode::kAborted, AllOf(HasSubstr("version 2"), HasSubstr("c1"))));
  ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("c1"));
  EXPECT_EQ(read.SerializeAsString(), v2.SerializeAsString());

  // 0 skips the check.
  ASSIGN_OR_FAIL(MatchPolicy v3, store_->Put(MakePolicy("c1", 4), 0));
  EXPECT_EQ(v3.version(), 3);
  EXPECT_EQ(v3.weights().objective(), 4);
}

TEST_F(MatchPolicyStoreTest, AnExpectedVersionForAChamberWithoutPolicyIsAborted) {
  EXPECT_THAT(store_->Put(MakePolicy("c1"), 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 0")));
  EXPECT_THAT(store_->Get("c1"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(MatchPolicyStoreTest, ChambersHaveTheirOwnVersions) {
  ASSERT_THAT(store_->Put(MakePolicy("c1"), 0), IsOk());
  ASSERT_THAT(store_->Put(MakePolicy("c1"), 0), IsOk());
  ASSIGN_OR_FAIL(MatchPolicy other, store_->Put(MakePolicy("c2"), 0));
  EXPECT_EQ(other.version(), 1);
}

struct InvalidCase {
  std::string name;
  MatchPolicy policy;
  std::string field;  // named in the error
};

std::vector<InvalidCase> InvalidCases() {
  std::vector<InvalidCase> cases;
  MatchPolicy missing = MakePolicy("c1");
  missing.clear_weights();
  cases.push_back({"missing weights", missing, "policy.weights"});
  cases.push_back({"empty chamber id", MakePolicy(""), "policy.chamber_id"});
  cases.push_back({"malformed chamber id", MakePolicy("ihk münchen"), "policy.chamber_id"});
  cases.push_back({"chamber id too long", MakePolicy(std::string(65, 'c')), "policy.chamber_id"});
  for (int days : {-1, 29, 731}) {
    MatchPolicy follow_up = MakePolicy("c1");
    follow_up.set_outcome_follow_up_days(days);
    cases.push_back({absl::StrCat("follow-up after ", days, " days"), follow_up,
                     "policy.outcome_follow_up_days"});
  }
  return cases;
}

TEST_F(MatchPolicyStoreTest, EachInvalidPolicyIsRejectedNamingTheFieldAndChangesNothing) {
  for (const InvalidCase& c : InvalidCases()) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(store_->Put(c.policy, 0),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field + ":")));
  }
  EXPECT_THAT(store_->Get("c1"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(MatchPolicyStoreTest, FollowUpDaysAreKeptWithinTheirRange) {
  for (int days : {0, 30, 182, 730}) {
    MatchPolicy policy = MakePolicy("c1");
    policy.set_outcome_follow_up_days(days);
    ASSERT_THAT(store_->Put(policy, 0), IsOk()) << days;
    ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("c1"));
    EXPECT_EQ(read.outcome_follow_up_days(), days);
  }
}

TEST_F(MatchPolicyStoreTest, AnInvalidPolicyLeavesTheStoredOneAsItWas) {
  ASSIGN_OR_FAIL(MatchPolicy stored, store_->Put(MakePolicy("c1"), 0));
  MatchPolicy no_weights = MakePolicy("c1");
  no_weights.clear_weights();
  EXPECT_THAT(store_->Put(no_weights, 1), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("c1"));
  EXPECT_EQ(read.SerializeAsString(), stored.SerializeAsString());
}

TEST_F(MatchPolicyStoreTest, ANegativeExpectedVersionIsInvalid) {
  EXPECT_THAT(store_->Put(MakePolicy("c1"), -1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected_version")));
}

TEST_F(MatchPolicyStoreTest, PoliciesSurviveClosingAndReopening) {
  ASSERT_THAT(store_->Put(MakePolicy("c1", 1), 0), IsOk());
  ASSIGN_OR_FAIL(MatchPolicy stored, store_->Put(MakePolicy("c1", 2), 0));
  Reopen();
  ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("c1"));
  EXPECT_EQ(read.SerializeAsString(), stored.SerializeAsString());
  ASSIGN_OR_FAIL(MatchPolicy next, store_->Put(MakePolicy("c1", 3), 2));
  EXPECT_EQ(next.version(), 3);
}

TEST_F(MatchPolicyStoreTest, ConcurrentReadModifyWritesLoseNoUpdate) {
  constexpr int kThreads = 4;
  constexpr int kUpdatesPerThread = 25;
  store_.reset();
  ASSIGN_OR_FAIL(store_, MatchPolicyStore::Open(database_, {.sync_writes = false}));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int done = 0; done < kUpdatesPerThread;) {
        absl::StatusOr<MatchPolicy> current = store_->Get("c1");
        const int64_t version = current.ok() ? current->version() : 0;
        const double objective = current.ok() ? current->weights().objective() : 0;
        absl::StatusOr<MatchPolicy> put = store_->Put(MakePolicy("c1", objective + 1), version);
        if (put.ok()) {
          ++done;
        } else {
          // Another thread came first (or, for the very first write, also
          // skipped the check with version 0); read again and retry.
          ASSERT_THAT(put, StatusIs(absl::StatusCode::kAborted));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSIGN_OR_FAIL(MatchPolicy final_policy, store_->Get("c1"));
  EXPECT_EQ(final_policy.version(), kThreads * kUpdatesPerThread);
}

TEST_F(MatchPolicyStoreTest, ASecondStoreOverOneDatabaseIsRefusedUntilTheFirstCloses) {
  EXPECT_THAT(MatchPolicyStore::Open(database_, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already open")));
  store_.reset();
  EXPECT_THAT(MatchPolicyStore::Open(database_, {}), IsOk());
}

TEST_F(MatchPolicyStoreTest, ASecondDatabaseOnTheSameDirectoryIsRefused) {
  EXPECT_THAT(Database::Open(dir_.path(), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
}

TEST(MatchPolicyStoreOpenTest, AMissingDatabaseIsInvalid) {
  EXPECT_THAT(MatchPolicyStore::Open(nullptr, {}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ProfileStore::Open(std::shared_ptr<Database>(), {.reference = TestReference()}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SharedDatabaseTest, ProfilesAndPoliciesLiveSideBySideInOneDirectory) {
  TempDir dir;
  {
    ASSIGN_OR_FAIL(std::shared_ptr<Database> database, Database::Open(dir.path(), {}));
    ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> profiles,
                   ProfileStore::Open(database, {.reference = TestReference()}));
    ASSIGN_OR_FAIL(std::unique_ptr<MatchPolicyStore> policies,
                   MatchPolicyStore::Open(database, {}));
    EXPECT_THAT(ProfileStore::Open(database, {.reference = TestReference()}),
                StatusIs(absl::StatusCode::kFailedPrecondition));
    ASSERT_THAT(profiles->Create(MakeProfile("de-1", "ihk-muenchen")), IsOk());
    ASSERT_THAT(policies->Put(MakePolicy("ihk-muenchen"), 0), IsOk());
    EXPECT_THAT(profiles->Get("de-1"), IsOk());
    EXPECT_THAT(policies->Get("ihk-muenchen"), IsOk());
    // The stores keep the database open after the caller lets go of it.
    database.reset();
    EXPECT_THAT(profiles->Get("de-1"), IsOk());
    EXPECT_THAT(policies->Get("ihk-muenchen"), IsOk());
  }
  {
    // A store opened on the directory alone sees the same data.
    ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> profiles,
                   ProfileStore::Open(dir.path(), {.reference = TestReference()}));
    EXPECT_THAT(profiles->Get("de-1"), IsOk());
    EXPECT_EQ(profiles->LastSequence(), 1u);
  }
  ASSIGN_OR_FAIL(std::shared_ptr<Database> database, Database::Open(dir.path(), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<MatchPolicyStore> policies, MatchPolicyStore::Open(database, {}));
  ASSIGN_OR_FAIL(MatchPolicy policy, policies->Get("ihk-muenchen"));
  EXPECT_EQ(policy.version(), 1);
}

TEST(SharedDatabaseTest, ADirectoryFromBeforeMatchPoliciesOpensAndGainsTheFamily) {
  TempDir dir;
  // The layout ProfileStore wrote before match policies existed.
  const std::vector<std::string> old_families = {rocksdb::kDefaultColumnFamilyName, "profiles",
                                                 "profiles_by_chamber", "profile_changes"};
  {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : old_families) descriptors.emplace_back(name, rocksdb::Options());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw_db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.path(), descriptors, &handles, &raw_db).ok());
    std::unique_ptr<rocksdb::DB> db(raw_db);
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    ASSERT_TRUE(db->Close().ok());
  }
  {
    ASSIGN_OR_FAIL(std::shared_ptr<Database> database, Database::Open(dir.path(), {}));
    ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> profiles,
                   ProfileStore::Open(database, {.reference = TestReference()}));
    ASSIGN_OR_FAIL(std::unique_ptr<MatchPolicyStore> policies,
                   MatchPolicyStore::Open(database, {}));
    EXPECT_THAT(policies->Get("c1"), StatusIs(absl::StatusCode::kNotFound));
    ASSERT_THAT(profiles->Create(MakeProfile("de-1", "c1")), IsOk());
    ASSERT_THAT(policies->Put(MakePolicy("c1"), 0), IsOk());
  }
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.path(), &families).ok());
  EXPECT_THAT(families, UnorderedElementsAre(
                            rocksdb::kDefaultColumnFamilyName, "profiles", "profiles_by_chamber",
                            "profile_changes", "match_policies", "snapshots", "delegations",
                            "tokens", "request_ids", "outbox", "notification_state", "interests",
                            "meeting_requests", "engagement_index", "profile_handles", "outcomes",
                            "partnerships", "partnership_index", "exchanges", "chambers",
                            "chamber_partners", "cluster_view"));
}

}  // namespace
}  // namespace socio::storage
