// What a Database makes of a disk that fills up and of a damaged write-ahead
// log: real RocksDB on a real (small) file system, real bytes flipped.
#include "storage/database.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/profile_store.h"
#include "tests/support/file_damage.h"
#include "tests/support/reference.h"
#include "tests/support/small_file_system.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::FlipByte;
using socio::testing::IsOk;
using socio::testing::LargestWriteAheadLog;
using socio::testing::SmallFileSystem;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Profile;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

Profile MakeProfile(int i) {
  Profile p;
  p.set_id(absl::StrCat("m-", i));
  p.set_chamber_id("ihk-muenchen");
  p.set_name(absl::StrCat("Werkzeugmaschinen ", i));
  p.set_country("DE");
  p.add_sectors("28.41");
  // Large, so a small disk fills after a few hundred writes.
  p.set_description(std::string(4000, static_cast<char>('a' + i % 26)));
  return p;
}

absl::StatusOr<std::unique_ptr<ProfileStore>> OpenStore(const std::string& dir,
                                                        const DatabaseOptions& options = {}) {
  absl::StatusOr<std::shared_ptr<Database>> database = Database::Open(dir, options);
  if (!database.ok()) return database.status();
  return ProfileStore::Open(*std::move(database), {.reference = TestReference()});
}

// ---------------------------------------------------------------- full disk

TEST(DatabaseFullDiskTest, WritesAreResourceExhaustedCountedAndResumeOnceThereIsRoom) {
  SmallFileSystem disk(24 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, OpenStore(disk.Join("db")));
  ASSERT_THAT(store->Create(MakeProfile(0)), IsOk());
  ASSERT_THAT(disk.FillLeaving("filler", 1 << 20), IsOk());

  const int64_t full_before = StorageFullErrors();
  absl::Status refused;
  int created = 1;
  for (; created < 2000 && refused.ok(); ++created) {
    refused = store->Create(MakeProfile(created)).status();
  }
  // RESOURCE_EXHAUSTED saying what is wrong and what to do; the process
  // (RocksDB's own logger trips an assertion on a full disk) lives on.
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                AllOf(HasSubstr("disk holding the data directory is full"),
                                      HasSubstr("free space"))));
  // An import's items say the same.
  std::vector<Profile> batch = {MakeProfile(5000), MakeProfile(5001)};
  for (const auto& result : store->PutMany(&batch, /*upsert=*/false)) {
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  }
  // The create and the batch (one write for all its items).
  EXPECT_GE(StorageFullErrors(), full_before + 2);
  // What was acknowledged reads back.
  EXPECT_THAT(store->Get("m-0"), IsOk());
  EXPECT_THAT(store->Get(absl::StrCat("m-", created - 2)), IsOk());

  // Room again (RocksDB wants a memtable's worth, 64 MiB): writes resume
  // without a restart.
  ASSERT_THAT(disk.Resize(256 << 20), IsOk());
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  absl::Status again = refused;
  while (!again.ok() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    again = store->Create(MakeProfile(9000)).status();
  }
  EXPECT_THAT(again, IsOk());
}

TEST(DatabaseFullDiskTest, OpeningOnAFullDiskIsRefusedWithWhatToDo) {
  SmallFileSystem disk(24 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  {
    ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, OpenStore(disk.Join("db")));
    for (int i = 0; i < 50; ++i) ASSERT_THAT(store->Create(MakeProfile(i)), IsOk());
  }
  ASSERT_THAT(disk.FillLeaving("filler", 0), IsOk());
  EXPECT_THAT(Database::Open(disk.Join("db"), {}),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("free space on that disk"), HasSubstr("MiB free"))));
  // Nothing was harmed: with room again, everything is there.
  std::filesystem::remove(disk.Join("filler"));
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, OpenStore(disk.Join("db")));
  EXPECT_EQ(store->LastSequence(), 50u);
  EXPECT_THAT(store->Get("m-49"), IsOk());
}

// ------------------------------------------------------ damaged write-ahead log

class WalDamageTest : public ::testing::Test {
 protected:
  static constexpr int kWrites = 300;

  // kWrites profiles, each its own synced write; closed without a flush, so
  // they are in the write-ahead log only.
  void SetUp() override {
    ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, OpenStore(dir()));
    for (int i = 0; i < kWrites; ++i) ASSERT_THAT(store->Create(MakeProfile(i)), IsOk());
    store.reset();
    log_ = LargestWriteAheadLog(dir());
    ASSERT_FALSE(log_.empty());
    ASSERT_GT(std::filesystem::file_size(log_), 100'000u) << "the writes are not in the log";
  }

  std::string dir() const { return dir_.Join("db"); }

  TempDir dir_;
  std::string log_;
};

TEST_F(WalDamageTest, DamageInsideTheLogIsDataLossSayingWhatToDo) {
  FlipByte(log_, std::filesystem::file_size(log_) / 2);
  for (int attempt = 0; attempt < 2; ++attempt) {  // refusing changed nothing
    EXPECT_THAT(Database::Open(dir(), {}),
                StatusIs(absl::StatusCode::kDataLoss,
                         AllOf(HasSubstr("write-ahead log is damaged before its end"),
                               HasSubstr("Restore the latest backup"),
                               HasSubstr("--accept_wal_data_loss"))));
  }
}

TEST_F(WalDamageTest, AcceptingTheLossOpensWithWhatPrecedesTheDamageAndSaysHowMuchWentMissing) {
  FlipByte(log_, std::filesystem::file_size(log_) / 2);
  ASSIGN_OR_FAIL(std::shared_ptr<Database> database,
                 Database::Open(dir(), {.accept_wal_data_loss = true}));
  const WalRecovery recovery = database->wal_recovery();
  EXPECT_TRUE(recovery.dropped);
  EXPECT_GT(recovery.recovered_sequence, 0u);
  EXPECT_GT(recovery.logged_sequence, recovery.recovered_sequence);
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store,
                 ProfileStore::Open(database, {.reference = TestReference()}));
  // A prefix of the writes, whole: the change log ends where the profiles do.
  const uint64_t kept = store->LastSequence();
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, static_cast<uint64_t>(kWrites));
  EXPECT_THAT(store->Get(absl::StrCat("m-", kept - 1)), IsOk());
  EXPECT_THAT(store->Get(absl::StrCat("m-", kept)), StatusIs(absl::StatusCode::kNotFound));
  store.reset();
  database.reset();
  // Accepted once: the next open is an ordinary one.
  ASSIGN_OR_FAIL(database, Database::Open(dir(), {}));
  EXPECT_FALSE(database->wal_recovery().dropped);
}

TEST_F(WalDamageTest, ATornLastRecordIsDroppedAndTheRestOpens) {
  // A crash in the middle of appending the last record (never acknowledged).
  std::filesystem::resize_file(log_, std::filesystem::file_size(log_) - 7);
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, OpenStore(dir()));
  EXPECT_EQ(store->LastSequence(), static_cast<uint64_t>(kWrites - 1));
  EXPECT_THAT(store->Get(absl::StrCat("m-", kWrites - 2)), IsOk());
}

}  // namespace
}  // namespace socio::storage
