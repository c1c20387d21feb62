// IndexFollower over a real RocksDB: the index it starts with, from a saved
// snapshot and the change log after it or from a scan, equals one built from
// scratch over the same profiles.
#include "services/index_follower.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/profile_generator.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "tests/support/reference.h"
#include "tests/support/index_answers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::services {
namespace {

using socio::testing::IsOk;
using socio::testing::TempDir;
using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;  // 2026-11-18

class IndexFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(database_, storage::Database::Open(dir_.path(), {}));
    ASSIGN_OR_FAIL(store_, storage::ProfileStore::Open(
                               database_, {.sync_writes = false, .reference = reference_}));
    ASSIGN_OR_FAIL(snapshots_, storage::SnapshotStore::Open(database_));
    std::vector<Profile> batch;
    for (int i = 0; i < 400; ++i) batch.push_back(generator_.Next());
    for (const auto& result : store_->PutMany(&batch, /*upsert=*/false)) {
      ASSERT_THAT(result.status(), IsOk());
    }
    ids_ = {};
    for (const Profile& p : batch) ids_.push_back(p.id());
  }

  // 20 changes of every kind, written straight to the store: 10 updates that
  // move a member to another country, 5 deletions, 5 new members.
  void Change(int round) {
    google::protobuf::FieldMask mask;
    mask.add_paths("country");
    mask.add_paths("description");
    for (int i = 0; i < 10; ++i) {
      Profile patch;
      patch.set_id(ids_[round * 40 + i]);
      patch.set_country(i % 2 ? "JP" : "BR");
      patch.set_description("Moved; now also exporting industrial machinery");
      ASSERT_THAT(store_->Update(patch, mask, 0).status(), IsOk());
    }
    for (int i = 10; i < 15; ++i)
      ASSERT_THAT(store_->Delete(ids_[round * 40 + i], 0).status(), IsOk());
    for (int i = 0; i < 5; ++i) {
      Profile p = generator_.Next();
      ASSERT_THAT(store_->Create(p).status(), IsOk());
      ids_.push_back(p.id());
    }
  }

  // The answers of an index for a sample of members.
  std::vector<std::string> Answers(const matcher::MatchIndex& index) {
    return socio::testing::IndexAnswers(index, ids_, 13, kNow);
  }

  // What a build from scratch over the store's profiles answers.
  std::vector<std::string> Expected() {
    matcher::MatchIndex index(tables_);
    EXPECT_THAT(LoadIndex(*store_, &index, 1), IsOk());
    return Answers(index);
  }

  TempDir dir_;
  std::shared_ptr<const reference::ReferenceData> reference_ = socio::testing::TestReference();
  std::shared_ptr<const matcher::ScoringTables> tables_ =
      std::make_shared<matcher::ScoringTables>(reference_);
  bench::ProfileGenerator generator_{{.seed = 21}};
  std::shared_ptr<storage::Database> database_;
  std::unique_ptr<storage::ProfileStore> store_;
  std::unique_ptr<storage::SnapshotStore> snapshots_;
  std::vector<std::string> ids_;
};

TEST_F(IndexFollowerTest, StartsFromTheSavedIndexAndReplaysTheChangesAfterIt) {
  {
    matcher::MatchIndex index(tables_);
    IndexFollower follower(store_.get(), &index, snapshots_.get(), {});
    ASSERT_THAT(follower.Start(), IsOk());
    EXPECT_FALSE(follower.build_stats().from_snapshot);
    EXPECT_EQ(follower.build_stats().profiles, 400u);
    follower.Stop();
    EXPECT_GE(follower.snapshots_saved(), 1);
  }
  Change(0);  // while no follower runs: only the change log has these
  matcher::MatchIndex index(tables_);
  IndexFollower follower(store_.get(), &index, snapshots_.get(), {});
  ASSERT_THAT(follower.Start(), IsOk());
  EXPECT_TRUE(follower.build_stats().from_snapshot);
  EXPECT_EQ(follower.build_stats().replayed, 20u);
  EXPECT_EQ(follower.applied_sequence(), store_->LastSequence());
  EXPECT_EQ(index.size(), 400u);
  EXPECT_EQ(Answers(index), Expected());

  // And it keeps following.
  Change(1);
  ASSERT_TRUE(follower.WaitForSequence(store_->LastSequence(), absl::Seconds(5)));
  EXPECT_EQ(Answers(index), Expected());
}

TEST_F(IndexFollowerTest, BuildsFromTheProfilesWhenTheSavedIndexIsUnusable) {
  ASSERT_THAT(snapshots_->Put(IndexFollower::kSnapshotName, store_->LastSequence(), "garbage"),
              IsOk());
  {
    matcher::MatchIndex index(tables_);
    IndexFollower follower(store_.get(), &index, snapshots_.get(), {});
    ASSERT_THAT(follower.Start(), IsOk());
    EXPECT_FALSE(follower.build_stats().from_snapshot);
    EXPECT_EQ(Answers(index), Expected());
  }  // the destructor stops it and saves a good snapshot over the bad one
  // A snapshot from beyond the end of the change log (a restored older
  // directory, say) is not used either.
  ASSIGN_OR_FAIL(storage::Snapshot good, snapshots_->Get(IndexFollower::kSnapshotName));
  {
    matcher::MatchIndex index(tables_);
    IndexFollower follower(store_.get(), &index, snapshots_.get(), {});
    ASSERT_THAT(follower.Start(), IsOk());
    EXPECT_TRUE(follower.build_stats().from_snapshot);
  }
  ASSERT_THAT(snapshots_->Put(IndexFollower::kSnapshotName, store_->LastSequence() + 5, good.data),
              IsOk());
  matcher::MatchIndex index(tables_);
  IndexFollower follower(store_.get(), &index, snapshots_.get(), {});
  ASSERT_THAT(follower.Start(), IsOk());
  EXPECT_FALSE(follower.build_stats().from_snapshot);
  EXPECT_EQ(Answers(index), Expected());
}

TEST_F(IndexFollowerTest, SavesAfterEnoughChangesWhileRunning) {
  matcher::MatchIndex index(tables_);
  IndexFollower follower(store_.get(), &index, snapshots_.get(), {.snapshot_after_changes = 15});
  ASSERT_THAT(follower.Start(), IsOk());
  Change(0);
  ASSERT_TRUE(follower.WaitForSequence(store_->LastSequence(), absl::Seconds(5)));
  // One after the build from the scan, one after the 20 changes.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (follower.snapshots_saved() < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_GE(follower.snapshots_saved(), 2);
  ASSIGN_OR_FAIL(storage::Snapshot saved, snapshots_->Get(IndexFollower::kSnapshotName));
  EXPECT_GT(saved.sequence, 400u);
  // What was saved, loaded on its own with the changes after it replayed,
  // answers as the running index does.
  matcher::MatchIndex loaded(tables_);
  ASSERT_THAT(loaded.Load(saved.data), IsOk());
  ASSIGN_OR_FAIL(std::vector<socio::v1::ProfileChange> later,
                 store_->ReadChanges(saved.sequence, 1000));
  for (const socio::v1::ProfileChange& change : later) {
    if (change.kind() == socio::v1::ProfileChange::DELETED) {
      loaded.Remove(change.profile().id());
    } else {
      loaded.Upsert(change.profile());
    }
  }
  EXPECT_EQ(Answers(loaded), Answers(index));
}

TEST_F(IndexFollowerTest, WithoutASnapshotStoreAlwaysScans) {
  matcher::MatchIndex index(tables_);
  IndexFollower follower(store_.get(), &index, nullptr, {});
  ASSERT_THAT(follower.Start(), IsOk());
  follower.Stop();
  EXPECT_EQ(follower.snapshots_saved(), 0);
  EXPECT_EQ(snapshots_->Get(IndexFollower::kSnapshotName).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace socio::services
