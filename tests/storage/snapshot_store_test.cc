#include "storage/snapshot_store.h"

#include <memory>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using ::testing::HasSubstr;

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(random());
  return out;
}

class SnapshotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    ASSIGN_OR_FAIL(store_, SnapshotStore::Open(database_));
  }

  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<SnapshotStore> store_;
};

TEST_F(SnapshotStoreTest, NothingSavedIsNotFound) {
  EXPECT_THAT(store_->Get("match_index"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SnapshotStoreTest, KeepsBytesOfManyChunksAcrossReopen) {
  // Several 1 MiB chunks and a partial one, with every byte value.
  const std::string data = RandomBytes((size_t{5} << 20) + 12345, 1);
  ASSERT_THAT(store_->Put("match_index", 42, data), IsOk());
  Reopen();
  ASSIGN_OR_FAIL(Snapshot snapshot, store_->Get("match_index"));
  EXPECT_EQ(snapshot.sequence, 42u);
  EXPECT_TRUE(snapshot.data == data);
}

TEST_F(SnapshotStoreTest, APutReplacesTheWholeSnapshot) {
  ASSERT_THAT(store_->Put("match_index", 1, RandomBytes(3 << 20, 2)), IsOk());
  // Shorter than the first: none of its chunks may show through.
  const std::string second = RandomBytes(1000, 3);
  ASSERT_THAT(store_->Put("match_index", 7, second), IsOk());
  ASSIGN_OR_FAIL(Snapshot snapshot, store_->Get("match_index"));
  EXPECT_EQ(snapshot.sequence, 7u);
  EXPECT_TRUE(snapshot.data == second);
  ASSERT_THAT(store_->Put("match_index", 8, ""), IsOk());
  ASSIGN_OR_FAIL(Snapshot empty, store_->Get("match_index"));
  EXPECT_EQ(empty.sequence, 8u);
  EXPECT_EQ(empty.data, "");
}

TEST_F(SnapshotStoreTest, NamesAreIndependent) {
  ASSERT_THAT(store_->Put("a", 1, "first"), IsOk());
  ASSERT_THAT(store_->Put("ab", 2, "second"), IsOk());
  ASSERT_THAT(store_->Put("a", 3, "third"), IsOk());
  ASSIGN_OR_FAIL(Snapshot a, store_->Get("a"));
  ASSIGN_OR_FAIL(Snapshot ab, store_->Get("ab"));
  EXPECT_EQ(a.data, "third");
  EXPECT_EQ(ab.data, "second");
}

TEST_F(SnapshotStoreTest, RefusesBadNames) {
  for (const std::string& name : {std::string(), std::string(65, 'x'), std::string("a\0b", 3)}) {
    EXPECT_THAT(store_->Put(name, 1, "x"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("snapshot name")));
    EXPECT_THAT(store_->Get(name), StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

}  // namespace
}  // namespace socio::storage
