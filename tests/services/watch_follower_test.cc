// WatchFollower against a real profile role (a sociod over RocksDB in a
// temporary directory, on a loopback port): the index it follows equals one
// built from the profile store itself, through restarts of either side, a
// saved snapshot, and a profile role restored from an older backup.
#include "services/watch_follower.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/profile_generator.h"
#include "clients/channel.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/auth.h"
#include "services/index_follower.h"
#include "services/match_service.h"
#include "services/profile_lookup.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "storage/database.h"
#include "storage/match_policy_store.h"
#include "storage/profile_store.h"
#include "storage/snapshot_store.h"
#include "tests/support/index_answers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace socio::services {
namespace {

using socio::testing::IsOk;
using socio::testing::TempDir;
using socio::testing::TestServer;
using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;  // 2026-11-18
constexpr int kProfiles = 2000;
constexpr absl::Duration kPatience = absl::Seconds(15);

// Waits up to kPatience for `condition`; whether it came true.
template <typename Condition>
bool Eventually(Condition condition) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

class WatchFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Profile> batch;
    for (int i = 0; i < kProfiles; ++i) batch.push_back(generator_.Next());
    for (const Profile& p : batch) ids_.push_back(p.id());
    ASSERT_NO_FATAL_FAILURE(WriteProfiles("profiles", batch));
    ASSIGN_OR_FAIL(profile_role_, TestServer::Start({.data_dir = dir_.Join("profiles"),
                                                     .sync_writes = false,
                                                     .dev_insecure = true}));
    channel_ = clients::Channel::Open({.address = profile_role_->address()});
    ASSIGN_OR_FAIL(matcher_database_, storage::Database::Open(dir_.Join("matcher"), {}));
    ASSIGN_OR_FAIL(snapshots_, storage::SnapshotStore::Open(matcher_database_));
  }

  void WriteProfiles(const std::string& name, std::vector<Profile> profiles) {
    ASSIGN_OR_FAIL(std::unique_ptr<storage::ProfileStore> store,
                   storage::ProfileStore::Open(dir_.Join(name),
                                               {.sync_writes = false, .reference = reference_}));
    for (const auto& result : store->PutMany(&profiles, /*upsert=*/false)) {
      ASSERT_THAT(result.status(), IsOk());
    }
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  // 20 changes through the profile role: 10 updates that move a member to
  // another country, 5 new members, 5 deletions. The last one's sequence.
  uint64_t Change(int round) {
    for (int i = 0; i < 10; ++i) {
      socio::v1::UpdateProfileRequest update;
      update.mutable_profile()->set_id(ids_[round * 40 + i]);
      update.mutable_profile()->set_country(i % 2 ? "JP" : "BR");
      update.mutable_profile()->set_description("Moved; now also exporting machinery");
      update.mutable_update_mask()->add_paths("country");
      update.mutable_update_mask()->add_paths("description");
      Profile updated;
      EXPECT_TRUE(profile_role_->profiles().UpdateProfile(Context().get(), update, &updated).ok());
    }
    for (int i = 0; i < 5; ++i) {
      socio::v1::CreateProfileRequest create;
      *create.mutable_profile() = generator_.Next();
      ids_.push_back(create.profile().id());
      Profile created;
      EXPECT_TRUE(profile_role_->profiles().CreateProfile(Context().get(), create, &created).ok());
    }
    uint64_t sequence = 0;
    for (int i = 10; i < 15; ++i) {
      socio::v1::DeleteProfileRequest remove;
      remove.set_id(ids_[round * 40 + i]);
      socio::v1::DeleteProfileResponse deleted;
      EXPECT_TRUE(profile_role_->profiles().DeleteProfile(Context().get(), remove, &deleted).ok());
      sequence = deleted.sequence();
    }
    return sequence;
  }

  // The answers of an index for a sample of members.
  std::vector<std::string> Answers(const matcher::MatchIndex& index) {
    return socio::testing::IndexAnswers(index, ids_, 37, kNow);
  }

  // What an index built from the profile store in `name` answers
  // (REQUIRES: no profile role runs over it).
  std::vector<std::string> Expected(const std::string& name) {
    absl::StatusOr<std::unique_ptr<storage::ProfileStore>> store = storage::ProfileStore::Open(
        dir_.Join(name), {.sync_writes = false, .reference = reference_});
    EXPECT_THAT(store.status(), IsOk());
    if (!store.ok()) return {};
    matcher::MatchIndex index(tables_);
    EXPECT_THAT(LoadIndex(**store, &index, 1), IsOk());
    return Answers(index);
  }

  TempDir dir_;
  std::shared_ptr<const reference::ReferenceData> reference_ = socio::testing::TestReference();
  std::shared_ptr<const matcher::ScoringTables> tables_ =
      std::make_shared<matcher::ScoringTables>(reference_);
  bench::ProfileGenerator generator_{{.seed = 21}};
  std::vector<std::string> ids_;
  // The profile role over dir_/profiles; its restarts come back at the same port.
  std::unique_ptr<TestServer> profile_role_;
  std::shared_ptr<const clients::Channel> channel_;
  std::shared_ptr<storage::Database> matcher_database_;
  std::unique_ptr<storage::SnapshotStore> snapshots_;
};

TEST_F(WatchFollowerTest, FollowsTheProfileRoleAcrossItsRestart) {
  matcher::MatchIndex index(tables_);
  WatchFollower follower(channel_, &index, {});
  follower.Start();
  ASSERT_TRUE(follower.WaitForCatchUp(kPatience));
  EXPECT_TRUE(follower.connected());
  EXPECT_EQ(follower.applied_sequence(), static_cast<uint64_t>(kProfiles));
  EXPECT_EQ(index.size(), static_cast<size_t>(kProfiles));

  // Creates, updates and deletes arrive as they are made.
  const uint64_t first = Change(0);
  ASSERT_TRUE(follower.WaitForSequence(first, kPatience));

  // The profile role goes away and comes back on the same port; changes made
  // before the follower reconnects arrive too.
  profile_role_->Stop();
  EXPECT_EQ(Answers(index), Expected("profiles"));
  ASSERT_TRUE(Eventually([&] { return !follower.connected(); }));
  ASSERT_THAT(profile_role_->Restart(), IsOk());
  const uint64_t second = Change(1);
  ASSERT_TRUE(follower.WaitForSequence(second, kPatience));
  const uint64_t third = Change(2);
  ASSERT_TRUE(follower.WaitForSequence(third, kPatience));
  EXPECT_TRUE(follower.connected());
  // Every change applied once: nothing lost, nothing twice.
  EXPECT_EQ(follower.applied_sequence(), third);
  EXPECT_EQ(follower.changes_applied(), third);
  EXPECT_EQ(follower.rebuilds(), 0);
  profile_role_->Stop();
  EXPECT_EQ(Answers(index), Expected("profiles"));
}

TEST_F(WatchFollowerTest, StartDoesNotWaitForAProfileRoleThatIsDown) {
  profile_role_->Stop();
  matcher::MatchIndex index(tables_);
  WatchFollower follower(channel_, &index, {});
  const absl::Time start = absl::Now();
  follower.Start();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_FALSE(follower.WaitUntilCurrent(absl::Milliseconds(300)));
  EXPECT_FALSE(follower.connected());
  EXPECT_EQ(index.size(), 0u);

  ASSERT_THAT(profile_role_->Restart(), IsOk());
  ASSERT_TRUE(follower.WaitForCatchUp(kPatience));
  EXPECT_EQ(index.size(), static_cast<size_t>(kProfiles));
}

TEST_F(WatchFollowerTest, ResumesFromItsSnapshot) {
  uint64_t saved = 0;
  {
    matcher::MatchIndex index(tables_);
    WatchFollower follower(channel_, &index, {.snapshots = snapshots_.get()});
    follower.Start();
    EXPECT_FALSE(follower.from_snapshot());
    ASSERT_TRUE(follower.WaitForCatchUp(kPatience));
    follower.Stop();
    EXPECT_GE(follower.snapshots_saved(), 1);
    saved = follower.applied_sequence();
  }
  ASSIGN_OR_FAIL(storage::Snapshot snapshot, snapshots_->Get(WatchFollower::kSnapshotName));
  EXPECT_EQ(snapshot.sequence, saved);

  // Changes while no follower runs; a new one loads the snapshot and replays
  // only those.
  const uint64_t last = Change(0);
  matcher::MatchIndex index(tables_);
  WatchFollower follower(channel_, &index, {.snapshots = snapshots_.get()});
  follower.Start();
  EXPECT_TRUE(follower.from_snapshot());
  EXPECT_EQ(follower.start_sequence(), saved);
  EXPECT_EQ(index.size(), static_cast<size_t>(kProfiles));  // before any change arrives
  ASSERT_TRUE(follower.WaitForSequence(last, kPatience));
  EXPECT_EQ(follower.changes_applied(), last - saved);
  EXPECT_EQ(follower.changes_applied(), 20u);
  profile_role_->Stop();
  EXPECT_EQ(Answers(index), Expected("profiles"));
}

TEST_F(WatchFollowerTest, SavesAfterEnoughChanges) {
  matcher::MatchIndex index(tables_);
  WatchFollower follower(channel_, &index,
                         {.snapshots = snapshots_.get(), .snapshot_after_changes = 15});
  follower.Start();
  ASSERT_TRUE(follower.WaitForCatchUp(kPatience));
  const uint64_t last = Change(0);
  ASSERT_TRUE(follower.WaitForSequence(last, kPatience));
  // Once caught up with the 2,000 profiles, once after 15 of the changes.
  ASSERT_TRUE(Eventually([&] { return follower.snapshots_saved() >= 2; }));
  ASSIGN_OR_FAIL(storage::Snapshot snapshot, snapshots_->Get(WatchFollower::kSnapshotName));
  EXPECT_GE(snapshot.sequence, static_cast<uint64_t>(kProfiles) + 15);
}

TEST_F(WatchFollowerTest, RebuildsWhenTheProfileRoleIsBehindIt) {
  matcher::MatchIndex index(tables_);
  WatchFollower follower(channel_, &index, {.snapshots = snapshots_.get()});
  follower.Start();
  ASSERT_TRUE(follower.WaitForCatchUp(kPatience));
  const uint64_t last = Change(0);
  ASSERT_TRUE(follower.WaitForSequence(last, kPatience));

  // The profile role comes back from an older backup: half the profiles,
  // its log 1,000 changes long.
  profile_role_->Stop();
  bench::ProfileGenerator generator({.seed = 21});
  std::vector<Profile> older;
  for (int i = 0; i < kProfiles / 2; ++i) older.push_back(generator.Next());
  ASSERT_NO_FATAL_FAILURE(WriteProfiles("older", older));
  profile_role_->options().data_dir = dir_.Join("older");
  ASSERT_THAT(profile_role_->Restart(), IsOk());
  ASSERT_TRUE(Eventually(
      [&] { return follower.rebuilds() == 1 && follower.WaitUntilCurrent(absl::ZeroDuration()); }));
  EXPECT_EQ(follower.applied_sequence(), static_cast<uint64_t>(kProfiles / 2));
  EXPECT_EQ(index.size(), static_cast<size_t>(kProfiles / 2));
  profile_role_->Stop();
  EXPECT_EQ(Answers(index), Expected("older"));

  // What it saved describes the rebuilt index.
  follower.Stop();
  ASSIGN_OR_FAIL(storage::Snapshot snapshot, snapshots_->Get(WatchFollower::kSnapshotName));
  EXPECT_EQ(snapshot.sequence, static_cast<uint64_t>(kProfiles / 2));
}

// The matcher role's parts put together: its own index fed by the stream,
// profiles read from the profile role, its own policy store.
TEST_F(WatchFollowerTest, AMatcherRoleAnswersAsTheProfileRoleDoes) {
  matcher::MatchIndex index(tables_);
  WatchFollower follower(channel_, &index, {});
  follower.Start();
  ASSERT_TRUE(follower.WaitForCatchUp(kPatience));
  ASSIGN_OR_FAIL(std::unique_ptr<storage::MatchPolicyStore> policies,
                 storage::MatchPolicyStore::Open(matcher_database_, {.sync_writes = false}));
  RemoteProfileLookup lookup(channel_);
  Authenticator development(nullptr);
  MatchServiceImpl service(&lookup, policies.get(), &index, &follower, tables_, &development,
                           /*disclosure=*/nullptr);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  auto matcher_role = socio::v1::MatchService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  socio::v1::MatchService::Stub& all_in_one = profile_role_->matches();

  for (size_t i = 0; i < ids_.size(); i += 199) {
    socio::v1::FindPartnersRequest request;
    request.set_member_id(ids_[i]);
    socio::v1::FindPartnersResponse expected, got;
    ASSERT_RPC_OK(all_in_one.FindPartners(Context().get(), request, &expected));
    ASSERT_RPC_OK(matcher_role->FindPartners(Context().get(), request, &got));
    got.clear_candidates_scored();  // how much pruning saved may differ
    expected.clear_candidates_scored();
    EXPECT_EQ(got.ShortDebugString(), expected.ShortDebugString());
  }
  socio::v1::FindPartnersRequest unknown;
  unknown.set_member_id("nobody");
  socio::v1::FindPartnersResponse ignored;
  EXPECT_EQ(matcher_role->FindPartners(Context().get(), unknown, &ignored).error_code(),
            grpc::StatusCode::NOT_FOUND);
  server->Shutdown();
}

}  // namespace
}  // namespace socio::services
