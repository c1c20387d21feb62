// The sociod binary as operators run it: acknowledged writes survive SIGKILL
// (the process is killed while writers are busy, restarted on the same
// directory, and checked), and SIGTERM shuts it down gracefully.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/file_damage.h"
#include "tests/support/process.h"
#include "tests/support/small_file_system.h"
#include "tests/support/temp_dir.h"

namespace socio {
namespace {

using socio::testing::ChildProcess;
using socio::testing::StartSociod;
using socio::testing::TempDir;
using socio::v1::Profile;

constexpr int kWriters = 4;
constexpr int kAcknowledgedBeforeKill = 400;

std::unique_ptr<socio::v1::ProfileService::Stub> Connect(const std::string& address) {
  return socio::v1::ProfileService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

// sociod in development mode on `data_dir` and `listen`, not waited for: a
// start that is to fail.
absl::StatusOr<std::unique_ptr<ChildProcess>> LaunchSociod(const std::string& data_dir,
                                                           const std::string& listen,
                                                           const std::string& output_prefix) {
  return ChildProcess::Start({socio::testing::BuiltBinary("services/sociod"), "--data_dir",
                              data_dir, "--listen", listen, "--dev_insecure"},
                             output_prefix);
}

// Runs sociod as a child process on a fresh data directory.
class SociodProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { Start("first"); }

  // (Re)starts sociod on the same data directory; `name` keeps its output apart.
  void Start(const std::string& name) {
    absl::StatusOr<std::unique_ptr<ChildProcess>> sociod =
        StartSociod(dir_.Join("db"), dir_.Join(name), &address_);
    ASSERT_TRUE(sociod.ok()) << sociod.status();
    sociod_ = *std::move(sociod);
  }

  TempDir dir_;
  std::string address_;
  std::unique_ptr<ChildProcess> sociod_;
};

TEST_F(SociodProcessTest, AcknowledgedCreatesSurviveSigkill) {
  const std::string address = address_;

  absl::Mutex mu;
  std::vector<std::string> acknowledged;  // guarded by mu
  std::atomic<bool> stop = false;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = Connect(address);
      for (int i = 0; !stop; ++i) {
        socio::v1::CreateProfileRequest request;
        Profile* p = request.mutable_profile();
        p->set_id(absl::StrCat("w", w, "-", i));
        p->set_chamber_id(absl::StrCat("chamber-", w));
        p->set_name(absl::StrCat("Company ", w, "/", i));
        p->set_country("DE");
        Profile created;
        if (!stub->CreateProfile(Context().get(), request, &created).ok()) break;
        absl::MutexLock lock(&mu);
        acknowledged.push_back(p->id());
      }
    });
  }
  auto count = [&] {
    absl::MutexLock lock(&mu);
    return acknowledged.size();
  };
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (count() < kAcknowledgedBeforeKill && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  sociod_->Signal(SIGKILL);  // writers are mid-call
  EXPECT_EQ(sociod_->Wait(), 128 + SIGKILL);
  stop = true;
  for (std::thread& t : writers) t.join();
  ASSERT_GE(count(), static_cast<size_t>(kAcknowledgedBeforeKill));

  ASSERT_NO_FATAL_FAILURE(Start("second"));
  auto stub = Connect(address_);

  // Every acknowledged create is there, whole.
  absl::MutexLock lock(&mu);
  for (const std::string& id : acknowledged) {
    socio::v1::GetProfileRequest get;
    get.set_id(id);
    Profile p;
    grpc::Status status = stub->GetProfile(Context().get(), get, &p);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    EXPECT_EQ(p.version(), 1);
    EXPECT_EQ(p.name().substr(0, 8), "Company ");
  }

  // The chamber index holds exactly the stored profiles; at most one
  // unacknowledged create per writer (in flight at the kill) may be there too.
  absl::flat_hash_set<std::string> stored;
  for (int w = 0; w < kWriters; ++w) {
    socio::v1::ListProfilesRequest list;
    list.set_chamber_id(absl::StrCat("chamber-", w));
    list.set_page_size(1000);
    do {
      socio::v1::ListProfilesResponse page;
      ASSERT_TRUE(stub->ListProfiles(Context().get(), list, &page).ok());
      for (const Profile& p : page.profiles()) stored.insert(p.id());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
  }
  EXPECT_GE(stored.size(), acknowledged.size());
  EXPECT_LE(stored.size(), acknowledged.size() + kWriters);
  for (const std::string& id : acknowledged) EXPECT_TRUE(stored.contains(id)) << id;

  // The change log has one entry per stored profile, numbered 1..N with no gap.
  socio::v1::WatchProfilesRequest watch;
  auto watch_context = Context();
  auto reader = stub->WatchProfiles(watch_context.get(), watch);
  socio::v1::ProfileChange change;
  uint64_t expected = 1;
  while (expected <= stored.size() && reader->Read(&change)) {
    EXPECT_EQ(change.sequence(), expected);
    EXPECT_TRUE(stored.contains(change.profile().id())) << change.profile().id();
    ++expected;
  }
  EXPECT_EQ(expected, stored.size() + 1);
  watch_context->TryCancel();
  (void)reader->Finish();  // CANCELLED, as asked
}

TEST_F(SociodProcessTest, SigtermEndsWatchesAndClosesTheStoreCleanly) {
  auto stub = Connect(address_);
  socio::v1::CreateProfileRequest create;
  create.mutable_profile()->set_id("de-1");
  create.mutable_profile()->set_chamber_id("ihk");
  create.mutable_profile()->set_name("Huber GmbH");
  create.mutable_profile()->set_country("DE");
  Profile created;
  ASSERT_TRUE(stub->CreateProfile(Context().get(), create, &created).ok());

  auto watch_context = Context();
  auto reader = stub->WatchProfiles(watch_context.get(), {});
  socio::v1::ProfileChange change;
  ASSERT_TRUE(reader->Read(&change));  // the stream is open and served

  sociod_->Signal(SIGTERM);
  EXPECT_FALSE(reader->Read(&change));
  grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE) << ended.error_message();
  EXPECT_EQ(sociod_->Wait(), 0);
  EXPECT_THAT(sociod_->Stderr(), ::testing::HasSubstr("stopped cleanly"));

  // The directory was released and holds the data.
  ASSERT_NO_FATAL_FAILURE(Start("second"));
  socio::v1::GetProfileRequest get;
  get.set_id("de-1");
  Profile read;
  ASSERT_TRUE(Connect(address_)->GetProfile(Context().get(), get, &read).ok());
  EXPECT_EQ(read.name(), "Huber GmbH");
}

// A retry after the server died (kill -9) right after answering, and came
// back: the answer was written with the profile, so the retry gets it again
// instead of ALREADY_EXISTS.
TEST_F(SociodProcessTest, RetryAfterSigkillAndRestartGetsTheFirstAnswer) {
  socio::v1::CreateProfileRequest create;
  create.mutable_profile()->set_id("de-1");
  create.mutable_profile()->set_chamber_id("ihk");
  create.mutable_profile()->set_name("Huber GmbH");
  create.mutable_profile()->set_country("DE");
  create.set_request_id("3e9b7c10-6d2f-4c1a-9a55-0c7d2b1e8f42");
  Profile first;
  ASSERT_TRUE(Connect(address_)->CreateProfile(Context().get(), create, &first).ok());

  sociod_->Signal(SIGKILL);
  EXPECT_EQ(sociod_->Wait(), 128 + SIGKILL);
  ASSERT_NO_FATAL_FAILURE(Start("second"));

  auto stub = Connect(address_);
  Profile retried;
  grpc::Status status = stub->CreateProfile(Context().get(), create, &retried);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  // The same request without its request_id is a second create.
  create.clear_request_id();
  EXPECT_EQ(stub->CreateProfile(Context().get(), create, &retried).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

// Probes ask for one service by name, and a SIGTERM ends health watches at
// once: the watcher hears NOT_SERVING and the stream ends UNAVAILABLE, not
// when the default 10 s grace period runs out, and nothing is logged as a
// server error.
TEST_F(SociodProcessTest, EveryServiceHasAHealthNameAndSigtermEndsHealthWatchesAtOnce) {
  using grpc::health::v1::HealthCheckRequest;
  using grpc::health::v1::HealthCheckResponse;
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  HealthCheckRequest request;
  HealthCheckResponse response;
  for (const char* name : {"", "socio.v1.ProfileService", "socio.v1.MatchService",
                           "socio.v1.DelegationService", "socio.v1.AdminService"}) {
    request.set_service(name);
    grpc::Status status = health->Check(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << "'" << name << "': " << status.error_message();
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << name;
  }
  request.set_service("socio.v1.NoSuchService");
  EXPECT_EQ(health->Check(Context().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  request.set_service("socio.v1.ProfileService");
  auto reader = health->Watch(&watch_context, request);
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  const absl::Time start = absl::Now();
  sociod_->Signal(SIGTERM);
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(reader->Read(&response));
  grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE) << ended.error_message();
  // Not held until the 10 s grace period runs out (seconds spare for a busy machine).
  EXPECT_LT(absl::Now() - start, absl::Seconds(8));
  EXPECT_EQ(sociod_->Wait(), 0);
  EXPECT_THAT(sociod_->Stderr(), ::testing::HasSubstr("stopped cleanly"));
  EXPECT_THAT(sociod_->Stderr(), ::testing::Not(::testing::HasSubstr("UNKNOWN")));
}

TEST_F(SociodProcessTest, ASecondSociodOnTheSameAddressFailsToStart) {
  // Another data directory, so only the address is shared.
  absl::StatusOr<std::unique_ptr<ChildProcess>> second =
      LaunchSociod(dir_.Join("other-db"), address_, dir_.Join("same-address"));
  ASSERT_TRUE(second.ok()) << second.status();
  absl::StatusOr<std::string> served =
      (*second)->WaitForStderrLine("serving on ", absl::Seconds(30));
  ASSERT_FALSE(served.ok()) << "a second sociod serves on the same address: " << *served;
  // It ended before serving.
  EXPECT_EQ(served.status().code(), absl::StatusCode::kFailedPrecondition) << served.status();
  EXPECT_EQ((*second)->Wait(), 1);
  EXPECT_THAT((*second)->Stderr(), ::testing::HasSubstr("address in use"));

  // The first one serves on, alone.
  socio::v1::GetProfileRequest get;
  get.set_id("nobody");
  Profile read;
  EXPECT_EQ(Connect(address_)->GetProfile(Context().get(), get, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(SociodStartTest, AFullDiskIsRefusedAtStartSayingSo) {
  socio::testing::SmallFileSystem disk(16 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  ASSERT_TRUE(disk.FillLeaving("filler", 0).ok());
  TempDir output;  // not on the full disk
  absl::StatusOr<std::unique_ptr<ChildProcess>> sociod =
      LaunchSociod(disk.Join("db"), "127.0.0.1:0", output.Join("sociod"));
  ASSERT_TRUE(sociod.ok()) << sociod.status();
  // An exit with a reason, not an abort inside RocksDB.
  EXPECT_EQ((*sociod)->Wait(), 1) << (*sociod)->Stderr();
  EXPECT_THAT((*sociod)->Stderr(), ::testing::AllOf(::testing::HasSubstr("RESOURCE_EXHAUSTED"),
                                                    ::testing::HasSubstr("free space")));
}

TEST_F(SociodProcessTest, ADamagedLogStopsTheStartUntilTheLossIsAccepted) {
  auto stub = Connect(address_);
  constexpr int kCreated = 200;
  for (int i = 0; i < kCreated; ++i) {
    socio::v1::CreateProfileRequest create;
    create.mutable_profile()->set_id(absl::StrCat("de-", i));
    create.mutable_profile()->set_chamber_id("ihk");
    create.mutable_profile()->set_name(absl::StrCat("Huber ", i));
    create.mutable_profile()->set_description(std::string(500, 'x'));
    create.mutable_profile()->set_country("DE");
    Profile created;
    grpc::Status status = stub->CreateProfile(Context().get(), create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  sociod_->Signal(SIGKILL);
  sociod_->Wait();
  const std::string log = socio::testing::LargestWriteAheadLog(dir_.Join("db"));
  ASSERT_FALSE(log.empty());
  socio::testing::FlipByte(log, std::filesystem::file_size(log) / 2);

  absl::StatusOr<std::unique_ptr<ChildProcess>> refused =
      LaunchSociod(dir_.Join("db"), "127.0.0.1:0", dir_.Join("refused"));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ((*refused)->Wait(), 1) << (*refused)->Stderr();
  EXPECT_THAT((*refused)->Stderr(),
              ::testing::AllOf(::testing::HasSubstr("DATA_LOSS"),
                               ::testing::HasSubstr("Restore the latest backup"),
                               ::testing::HasSubstr("--accept_wal_data_loss")));

  absl::StatusOr<std::unique_ptr<ChildProcess>> accepted =
      StartSociod(dir_.Join("db"), dir_.Join("accepted"), &address_,
                  {"--dev_insecure", "--accept_wal_data_loss"});
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_THAT((*accepted)->Stderr(), ::testing::HasSubstr("were dropped"));
  // A prefix of the creates is there, the rest is not.
  auto reopened = Connect(address_);
  int found = 0;
  for (int i = 0; i < kCreated; ++i) {
    socio::v1::GetProfileRequest get;
    get.set_id(absl::StrCat("de-", i));
    Profile read;
    found += reopened->GetProfile(Context().get(), get, &read).ok() ? 1 : 0;
  }
  EXPECT_GT(found, 0);
  EXPECT_LT(found, kCreated);
}

}  // namespace
}  // namespace socio
