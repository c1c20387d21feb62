#include "storage/internal/group_commit.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/options.h"
#include "tests/support/slow_sync_file_system.h"
#include "tests/support/temp_dir.h"

namespace socio::storage::internal {
namespace {

using socio::testing::SlowSyncFileSystem;
using socio::testing::TempDir;

// A real RocksDB with a synced WAL, and a store-like writer over it: a
// counter read and written under the write lock, as a store checks a version.
class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.env = env_.get();
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.Join("db"), &db).ok());
    db_.reset(db);
    families_ = {db_->DefaultColumnFamily()};
    commits_ = std::make_unique<GroupCommit>(
        db_.get(), families_, /*sync=*/true, &mu_, "write test",
        GroupCommit::Callbacks{.on_written =
                                   [this](uint64_t last) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                     EXPECT_GT(last, published_);
                                     published_ = last;
                                   },
                               .on_failed =
                                   [this](uint64_t first) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                     failed_from_ = first;
                                     next_sequence_ = first;
                                   }});
  }
  void TearDown() override {
    commits_.reset();
    db_.reset();
  }

  std::string Get(const std::string& key) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &value);
    return s.ok() ? value : "";
  }

  // Adds one to the counter `key` and logs the change under the next
  // sequence number, as a store's read-check-write does.
  absl::Status Increment(const std::string& key) {
    absl::MutexLock lock(&mu_);
    commits_->AwaitKeys({key});
    const std::string stored = Get(key);
    const int value = stored.empty() ? 0 : std::stoi(stored);
    rocksdb::WriteBatch batch;
    const uint64_t sequence = next_sequence_++;
    EXPECT_TRUE(batch.Put(key, std::to_string(value + 1)).ok());
    EXPECT_TRUE(batch.Put(absl::StrCat("log/", 100000 + sequence), key).ok());
    return commits_->Commit(std::move(batch), {key}, sequence, sequence);
  }

  TempDir dir_;
  std::unique_ptr<rocksdb::Env> env_ =
      rocksdb::NewCompositeEnv(std::make_shared<SlowSyncFileSystem>(absl::Milliseconds(1)));
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  absl::Mutex mu_;
  uint64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t published_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t failed_from_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<GroupCommit> commits_;
};

TEST_F(GroupCommitTest, ConcurrentWritersShareSyncedWritesAndLoseNothing) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) EXPECT_TRUE(Increment(absl::StrCat("own-", t)).ok());
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(Get(absl::StrCat("own-", t)), "40");
  absl::MutexLock lock(&mu_);
  const uint64_t total = kThreads * kPerThread;
  EXPECT_EQ(published_, total);
  // Every sequence number once, no gaps.
  for (uint64_t s = 1; s <= total; ++s) {
    EXPECT_NE(Get(absl::StrCat("log/", 100000 + s)), "") << s;
  }
  EXPECT_EQ(commits_->batches(), total);
  // Sixteen writers waiting on syncs share them: without grouping, 640
  // writes of a millisecond each.
  EXPECT_LT(commits_->writes(), total / 4);
}

TEST_F(GroupCommitTest, AWriterReadsTheQueuedWritesOfItsKeysAfterTheyAreCommitted) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < kPerThread; ++i) EXPECT_TRUE(Increment("shared").ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  // No increment read a value a queued write was about to replace.
  EXPECT_EQ(Get("shared"), std::to_string(kThreads * kPerThread));
}

TEST_F(GroupCommitTest, AFailedWriteWritesNothingAndHandsItsSequenceNumbersOutAgain) {
  // A batch naming a column family this database does not have: RocksDB
  // refuses the whole write.
  TempDir other_dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* other = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, other_dir.Join("db"), &other).ok());
  std::unique_ptr<rocksdb::DB> other_db(other);
  rocksdb::ColumnFamilyHandle* elsewhere = nullptr;
  ASSERT_TRUE(
      other_db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "elsewhere", &elsewhere).ok());

  ASSERT_TRUE(Increment("a").ok());
  {
    absl::MutexLock lock(&mu_);
    commits_->AwaitKeys({"a"});
    rocksdb::WriteBatch batch;
    const uint64_t sequence = next_sequence_++;
    ASSERT_TRUE(batch.Put(elsewhere, "x", "y").ok());
    ASSERT_TRUE(batch.Put("a", "written by a failed write").ok());
    absl::Status status = commits_->Commit(std::move(batch), {"a"}, sequence, sequence);
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.message().find("write test"), std::string::npos) << status;
    EXPECT_EQ(failed_from_, 2u);
    EXPECT_EQ(next_sequence_, 2u);
    EXPECT_EQ(published_, 1u);
  }
  ASSERT_TRUE(other_db->DestroyColumnFamilyHandle(elsewhere).ok());
  EXPECT_EQ(Get("a"), "1");  // nothing of the failed batch
  // RocksDB stops writing after a batch it could not apply; the next write
  // is refused in turn, not left waiting, and takes the same number.
  EXPECT_FALSE(Increment("a").ok());
  absl::MutexLock lock(&mu_);
  EXPECT_EQ(failed_from_, 2u);
  EXPECT_EQ(next_sequence_, 2u);
  EXPECT_EQ(published_, 1u);
}

}  // namespace
}  // namespace socio::storage::internal
