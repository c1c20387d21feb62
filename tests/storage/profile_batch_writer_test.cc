// ProfileBatchWriter over a real RocksDB in a fresh temporary directory (and,
// for a full disk, on a small file system of its own).
#include "storage/profile_batch_writer.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/profile_store.h"
#include "tests/support/reference.h"
#include "tests/support/small_file_system.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::SmallFileSystem;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Profile;
using socio::v1::ProfileChange;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::SizeIs;

Profile MakeProfile(const std::string& id, int description_bytes = 0) {
  Profile p;
  p.set_id(id);
  p.set_chamber_id("ihk-muenchen");
  p.set_name("Werkzeugmaschinen " + id);
  p.set_country("DE");
  p.add_sectors("28.41");
  p.set_visibility(Profile::FEDERATION);
  if (description_bytes > 0) p.set_description(std::string(description_bytes, 'x'));
  return p;
}

// Batch `b` of `size` new profiles: ids "b<b>-<i>".
std::vector<Profile> Batch(int b, int size, int description_bytes = 0) {
  std::vector<Profile> items;
  for (int i = 0; i < size; ++i) {
    items.push_back(MakeProfile(absl::StrCat("b", b, "-", i), description_bytes));
  }
  return items;
}

absl::StatusOr<std::unique_ptr<ProfileStore>> OpenStore(const std::string& dir) {
  return ProfileStore::Open(dir, {.reference = TestReference()});
}

class ProfileBatchWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ProfileStore>> store = OpenStore(dir_.path());
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
  }

  TempDir dir_;
  std::unique_ptr<ProfileStore> store_;
};

TEST_F(ProfileBatchWriterTest, WritesBatchesInHandOverOrderAndReportsEachOnce) {
  constexpr int kBatches = 6;
  constexpr int kSize = 50;
  std::vector<int> reported;  // written by the writer's thread until Flush
  {
    ProfileBatchWriter writer(store_.get());
    for (int b = 0; b < kBatches; ++b) {
      writer.Write(store_->Prepare(Batch(b, kSize), /*upsert=*/false),
                   [&, b](const std::vector<Profile>& items, const BatchResults& results) {
                     EXPECT_THAT(items, SizeIs(kSize));
                     ASSERT_THAT(results, SizeIs(kSize));
                     for (const auto& result : results) {
                       ASSERT_THAT(result, IsOk());
                       EXPECT_EQ(*result, ProfileChange::CREATED);
                     }
                     // Items come back in their stored form.
                     EXPECT_EQ(items.front().version(), 1);
                     reported.push_back(b);
                   });
    }
    writer.Flush();
    EXPECT_THAT(reported, ElementsAre(0, 1, 2, 3, 4, 5));
    EXPECT_THAT(writer.store_failure(), IsOk());
  }

  // The change log holds each batch whole, after the batch handed over before it.
  absl::StatusOr<std::vector<ProfileChange>> changes = store_->ReadChanges(0, kBatches * kSize);
  ASSERT_THAT(changes, IsOk());
  ASSERT_THAT(*changes, SizeIs(kBatches * kSize));
  for (int b = 0; b < kBatches; ++b) {
    for (int i = 0; i < kSize; ++i) {
      EXPECT_EQ((*changes)[b * kSize + i].profile().id().substr(0, 3), absl::StrCat("b", b, "-"))
          << "change " << b * kSize + i;
    }
  }
}

TEST_F(ProfileBatchWriterTest, ReportsEachItemsOutcomeAtItsPosition) {
  ASSERT_THAT(store_->Create(MakeProfile("taken")), IsOk());
  std::vector<Profile> first = {MakeProfile("new-1"), MakeProfile("taken"), MakeProfile("new-2"),
                                MakeProfile("new-1")};
  first[2].set_country("XX");  // no such country
  std::vector<absl::StatusCode> codes;
  ProfileBatchWriter writer(store_.get());
  writer.Write(store_->Prepare(std::move(first), /*upsert=*/false),
               [&](const std::vector<Profile>&, const BatchResults& results) {
                 for (const auto& result : results) codes.push_back(result.status().code());
               });
  std::vector<ProfileChange::Kind> kinds;
  writer.Write(store_->Prepare({MakeProfile("taken"), MakeProfile("new-3")}, /*upsert=*/true),
               [&](const std::vector<Profile>&, const BatchResults& results) {
                 for (const auto& result : results) {
                   ASSERT_THAT(result, IsOk());
                   kinds.push_back(*result);
                 }
               });
  writer.Flush();
  EXPECT_THAT(codes,
              ElementsAre(absl::StatusCode::kOk, absl::StatusCode::kAlreadyExists,
                          absl::StatusCode::kInvalidArgument, absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(kinds, ElementsAre(ProfileChange::UPDATED, ProfileChange::CREATED));
  // Rejected items are not a full disk.
  EXPECT_THAT(writer.store_failure(), IsOk());
  EXPECT_THAT(store_->Get("new-1"), IsOk());
  EXPECT_THAT(store_->Get("new-2"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ProfileBatchWriterTest, ReportsOnItsOwnThreadOneBatchAtATime) {
  const std::thread::id owner = std::this_thread::get_id();
  std::atomic<int> running{0};
  std::atomic<int> overlapped{0};
  std::vector<std::thread::id> threads;
  ProfileBatchWriter writer(store_.get());
  for (int b = 0; b < 4; ++b) {
    writer.Write(store_->Prepare(Batch(b, 10), /*upsert=*/false),
                 [&](const std::vector<Profile>&, const BatchResults&) {
                   if (running.fetch_add(1) != 0) overlapped.fetch_add(1);
                   threads.push_back(std::this_thread::get_id());
                   absl::SleepFor(absl::Milliseconds(20));
                   running.fetch_sub(1);
                 });
  }
  writer.Flush();
  EXPECT_EQ(overlapped.load(), 0);
  ASSERT_THAT(threads, SizeIs(4));
  EXPECT_NE(threads.front(), owner);
  EXPECT_THAT(threads, Each(threads.front()));
}

TEST_F(ProfileBatchWriterTest, WriteWaitsUntilTheBatchBeforeIsReported) {
  absl::Notification release;
  std::atomic<bool> first_reported{false};
  ProfileBatchWriter writer(store_.get());
  writer.Write(store_->Prepare(Batch(0, 5), /*upsert=*/false),
               [&](const std::vector<Profile>&, const BatchResults&) {
                 release.WaitForNotification();
                 first_reported = true;
               });
  // Write returns at once for the first batch; the second waits for it.
  std::thread releaser([&] {
    absl::SleepFor(absl::Milliseconds(100));
    release.Notify();
  });
  writer.Write(store_->Prepare(Batch(1, 5), /*upsert=*/false),
               [](const std::vector<Profile>&, const BatchResults&) {});
  EXPECT_TRUE(first_reported.load());
  releaser.join();
  writer.Flush();
  EXPECT_EQ(store_->LastSequence(), 10u);
}

TEST_F(ProfileBatchWriterTest, DestroyingTheWriterWritesAndReportsTheBatchInHand) {
  int reported = 0;
  {
    ProfileBatchWriter writer(store_.get());
    writer.Write(store_->Prepare(Batch(0, 100), /*upsert=*/false),
                 [&](const std::vector<Profile>&, const BatchResults&) { ++reported; });
    writer.Write(store_->Prepare(Batch(1, 100), /*upsert=*/false),
                 [&](const std::vector<Profile>&, const BatchResults&) { ++reported; });
  }  // no Flush
  EXPECT_EQ(reported, 2);
  EXPECT_EQ(store_->LastSequence(), 200u);
  EXPECT_THAT(store_->Get("b1-99"), IsOk());
}

TEST_F(ProfileBatchWriterTest, AWriterGivenNothingStopsAtOnce) {
  ProfileBatchWriter writer(store_.get());
  writer.Flush();
  EXPECT_THAT(writer.store_failure(), IsOk());
}

TEST(ProfileBatchWriterFullDiskTest, AFullDiskIsReportedPerItemAndLaterBatchesAreStillTried) {
  SmallFileSystem disk(24 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, OpenStore(disk.Join("db")));
  ASSERT_THAT(store->Create(MakeProfile("before")), IsOk());
  ASSERT_THAT(disk.FillLeaving("filler", 1 << 20), IsOk());

  std::vector<std::vector<absl::StatusCode>> codes;
  ProfileBatchWriter writer(store.get());
  for (int b = 0; b < 3; ++b) {
    writer.Write(store->Prepare(Batch(b, 200, 4000), /*upsert=*/false),
                 [&](const std::vector<Profile>&, const BatchResults& results) {
                   std::vector<absl::StatusCode>& batch = codes.emplace_back();
                   for (const auto& result : results) batch.push_back(result.status().code());
                 });
  }
  writer.Flush();
  ASSERT_THAT(codes, SizeIs(3)) << "every batch is tried and reported";
  EXPECT_THAT(codes.back(), Each(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(writer.store_failure(), StatusIs(absl::StatusCode::kResourceExhausted));
  // A batch is stored whole or not at all.
  for (const std::vector<absl::StatusCode>& batch : codes) {
    EXPECT_THAT(batch, Each(batch.front()));
  }
  EXPECT_THAT(store->Get("before"), IsOk());
}

}  // namespace
}  // namespace socio::storage
