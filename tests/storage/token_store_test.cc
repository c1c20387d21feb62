#include "storage/token_store.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/profile_store.h"
#include "rocksdb/env.h"
#include "tests/support/reference.h"
#include "tests/support/slow_sync_file_system.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::SlowSyncFileSystem;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Profile;
using socio::v1::TokenInfo;
using ::testing::AllOf;
using ::testing::HasSubstr;

class TokenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    ASSIGN_OR_FAIL(std::shared_ptr<Database> db, Database::Open(dir_.Join("db"), {}));
    ASSIGN_OR_FAIL(tokens_, TokenStore::Open(db, {}));
  }
  void Close() { tokens_.reset(); }

  TempDir dir_;
  std::unique_ptr<TokenStore> tokens_;
};

TEST_F(TokenStoreTest, IssuedTokenVerifiesAsItsGrant) {
  ASSIGN_OR_FAIL(IssuedToken issued, tokens_->Issue({.role = socio::v1::STAFF,
                                                     .chamber_id = "ihk-muenchen",
                                                     .label = "front desk"}));
  EXPECT_EQ(issued.token.substr(0, issued.info.id().size() + 1), issued.info.id() + ".");
  ASSIGN_OR_FAIL(TokenInfo who, tokens_->Verify(issued.token));
  EXPECT_EQ(who.id(), issued.info.id());
  EXPECT_EQ(who.role(), socio::v1::STAFF);
  EXPECT_EQ(who.chamber_id(), "ihk-muenchen");
  EXPECT_EQ(who.label(), "front desk");
  EXPECT_TRUE(who.has_issued_time());
  EXPECT_FALSE(who.has_revoked_time());

  // Two tokens for the same grant are different tokens.
  ASSIGN_OR_FAIL(IssuedToken again,
                 tokens_->Issue({.role = socio::v1::STAFF, .chamber_id = "ihk-muenchen"}));
  EXPECT_NE(again.token, issued.token);
  EXPECT_NE(again.info.id(), issued.info.id());
}

TEST_F(TokenStoreTest, WrongSecretsAndMalformedTokensAreUnauthenticated) {
  ASSIGN_OR_FAIL(IssuedToken issued, tokens_->Issue({.role = socio::v1::ADMIN}));
  std::string tampered = issued.token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_THAT(tokens_->Verify(tampered), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(tokens_->Verify(issued.info.id() + "."),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("malformed")));
  EXPECT_THAT(tokens_->Verify("not-a-token"),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("malformed")));
  EXPECT_THAT(tokens_->Verify("0123456789abcdef.secret"),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("not known")));
  EXPECT_THAT(tokens_->Verify(""), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(TokenStoreTest, RevokedTokensStopWorkingAndStayListed) {
  ASSIGN_OR_FAIL(IssuedToken member,
                 tokens_->Issue({.role = socio::v1::MEMBER, .profile_id = "de-0042"}));
  ASSIGN_OR_FAIL(IssuedToken admin, tokens_->Issue({.role = socio::v1::ADMIN}));
  ASSERT_THAT(tokens_->HasActiveAdmin(), IsOk());
  EXPECT_TRUE(*tokens_->HasActiveAdmin());
  // Verified once (and so remembered), then revoked: refused at once.
  ASSERT_THAT(tokens_->Verify(member.token), IsOk());

  ASSIGN_OR_FAIL(TokenInfo revoked, tokens_->Revoke(member.info.id()));
  EXPECT_TRUE(revoked.has_revoked_time());
  EXPECT_THAT(tokens_->Verify(member.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("revoked")));
  EXPECT_THAT(tokens_->Revoke(member.info.id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already revoked")));
  EXPECT_THAT(tokens_->Revoke("0123456789abcdef"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(tokens_->Verify(admin.token), IsOk());

  ASSERT_THAT(tokens_->Revoke(admin.info.id()), IsOk());
  EXPECT_FALSE(*tokens_->HasActiveAdmin());
  ASSIGN_OR_FAIL(std::vector<TokenInfo> all, tokens_->List());
  ASSERT_EQ(all.size(), 2u);
  for (const TokenInfo& info : all) EXPECT_TRUE(info.has_revoked_time()) << info.id();
}

// Verify serves records from memory: a revocation racing with checks of the
// same token must still be refused by every check that starts after Revoke
// returns.
TEST_F(TokenStoreTest, ARevocationWinsOverChecksRunningAtTheSameTime) {
  for (int round = 0; round < 20; ++round) {
    ASSIGN_OR_FAIL(IssuedToken admin, tokens_->Issue({.role = socio::v1::ADMIN}));
    std::atomic<bool> revoked{false}, stop{false};
    std::atomic<int> accepted_after{0};
    std::vector<std::thread> checkers;
    for (int t = 0; t < 3; ++t) {
      checkers.emplace_back([&] {
        while (!stop.load()) {
          const bool after = revoked.load();
          if (tokens_->Verify(admin.token).ok() && after) ++accepted_after;
        }
      });
    }
    absl::SleepFor(absl::Microseconds(200));
    ASSERT_THAT(tokens_->Revoke(admin.info.id()), IsOk());
    revoked = true;
    absl::SleepFor(absl::Milliseconds(2));
    stop = true;
    for (std::thread& t : checkers) t.join();
    EXPECT_EQ(accepted_after.load(), 0) << "round " << round;
    EXPECT_THAT(tokens_->Verify(admin.token), StatusIs(absl::StatusCode::kUnauthenticated));
  }
}

TEST_F(TokenStoreTest, GrantsNeedTheirScopeAndNothingElse) {
  EXPECT_THAT(tokens_->Issue({}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("role")));
  EXPECT_THAT(tokens_->Issue({.role = socio::v1::STAFF}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
  EXPECT_THAT(tokens_->Issue({.role = socio::v1::STAFF, .chamber_id = "x", .profile_id = "p"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile_id")));
  EXPECT_THAT(tokens_->Issue({.role = socio::v1::MEMBER}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile_id")));
  EXPECT_THAT(tokens_->Issue({.role = socio::v1::ADMIN, .chamber_id = "x"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
  EXPECT_THAT(tokens_->Issue({.role = socio::v1::STAFF, .chamber_id = "bad id!"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
  EXPECT_THAT(tokens_->Issue({.role = socio::v1::ADMIN, .label = std::string(201, 'x')}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("label")));
  ASSIGN_OR_FAIL(std::vector<TokenInfo> all, tokens_->List());
  EXPECT_TRUE(all.empty());
}

// What an operator relies on: tokens survive a restart, and the data
// directory never holds a secret, so a copied backup cannot be used to call
// the server.
TEST_F(TokenStoreTest, ReopenKeepsTokensAndFilesHoldNoSecret) {
  ASSIGN_OR_FAIL(IssuedToken issued,
                 tokens_->Issue({.role = socio::v1::STAFF, .chamber_id = "cci-paris"}));
  const std::string secret = issued.token.substr(issued.token.find('.') + 1);
  Close();

  bool record_seen = false;  // the files scanned do hold the token's record
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.Join("db"))) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str().find(secret), std::string::npos) << entry.path();
    record_seen = record_seen || content.str().find(issued.info.id()) != std::string::npos;
  }
  EXPECT_TRUE(record_seen);

  Open();
  ASSIGN_OR_FAIL(TokenInfo who, tokens_->Verify(issued.token));
  EXPECT_EQ(who.chamber_id(), "cci-paris");
}

TEST_F(TokenStoreTest, OneStorePerDatabase) {
  ASSIGN_OR_FAIL(std::shared_ptr<Database> db, Database::Open(dir_.Join("other"), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<TokenStore> first, TokenStore::Open(db, {}));
  EXPECT_THAT(TokenStore::Open(db, {}), StatusIs(absl::StatusCode::kFailedPrecondition));
}

Profile MemberProfile(const std::string& id) {
  Profile p;
  p.set_id(id);
  p.set_chamber_id("ihk-muenchen");
  p.set_name("Werkzeugmaschinen " + id);
  p.set_country("DE");
  p.add_sectors("28.41");
  return p;
}

TEST_F(TokenStoreTest, DeletingAProfileRevokesItsMemberTokensAndNoOthers) {
  ASSIGN_OR_FAIL(std::shared_ptr<Database> db, Database::Open(dir_.Join("shared"), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<TokenStore> tokens, TokenStore::Open(db, {}));
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> profiles,
                 ProfileStore::Open(db, {.reference = TestReference(), .tokens = tokens.get()}));
  ASSIGN_OR_FAIL(Profile reused, profiles->Create(MemberProfile("reuse-1")));
  ASSIGN_OR_FAIL(Profile other, profiles->Create(MemberProfile("other-1")));
  ASSIGN_OR_FAIL(IssuedToken member,
                 tokens->Issue({.role = socio::v1::MEMBER,
                                .profile_id = "reuse-1",
                                .profile_create_time = reused.create_time()}));
  ASSIGN_OR_FAIL(IssuedToken bystander,
                 tokens->Issue({.role = socio::v1::MEMBER,
                                .profile_id = "other-1",
                                .profile_create_time = other.create_time()}));
  ASSIGN_OR_FAIL(IssuedToken staff,
                 tokens->Issue({.role = socio::v1::STAFF, .chamber_id = "ihk-muenchen"}));
  EXPECT_TRUE(member.info.has_profile_create_time());
  ASSERT_THAT(tokens->Verify(member.token), IsOk());  // remembered from here on

  ASSERT_THAT(profiles->Delete("reuse-1", 0), IsOk());
  EXPECT_THAT(tokens->Verify(member.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("revoked")));
  EXPECT_THAT(tokens->Verify(bystander.token), IsOk());
  EXPECT_THAT(tokens->Verify(staff.token), IsOk());
  // Revoked for good: a new profile of the same id does not bring it back.
  ASSERT_THAT(profiles->Create(MemberProfile("reuse-1")), IsOk());
  EXPECT_THAT(tokens->Verify(member.token), StatusIs(absl::StatusCode::kUnauthenticated));

  // Tokens of another database cannot be revoked in this one's writes.
  EXPECT_THAT(ProfileStore::Open(dir_.Join("elsewhere"),
                                 {.reference = TestReference(), .tokens = tokens.get()}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tokens")));
}

// A company holds at most TokenStore::kMaxLiveMemberTokens member tokens not
// revoked (its profile's delete revokes them in one write); revoking one
// makes room, and other profiles are not counted against it.
TEST_F(TokenStoreTest, AProfileHoldsAtMostTheMostMemberTokensAndARevocationMakesRoom) {
  ASSIGN_OR_FAIL(std::shared_ptr<Database> db, Database::Open(dir_.Join("shared"), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<TokenStore> tokens, TokenStore::Open(db, {}));
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> profiles,
                 ProfileStore::Open(db, {.reference = TestReference(), .tokens = tokens.get()}));
  ASSIGN_OR_FAIL(Profile full, profiles->Create(MemberProfile("full-1")));
  ASSIGN_OR_FAIL(Profile other, profiles->Create(MemberProfile("other-1")));
  const TokenGrant grant{
      .role = socio::v1::MEMBER, .profile_id = "full-1", .profile_create_time = full.create_time()};
  std::vector<IssuedToken> issued;
  for (int i = 0; i < TokenStore::kMaxLiveMemberTokens; ++i) {
    ASSIGN_OR_FAIL(IssuedToken token, tokens->Issue(grant));
    issued.push_back(std::move(token));
  }
  EXPECT_THAT(tokens->Issue(grant),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("profile_id: 'full-1' has 100 member tokens"),
                             HasSubstr("revoke one"))));
  EXPECT_THAT(tokens->Issue({.role = socio::v1::MEMBER,
                             .profile_id = "other-1",
                             .profile_create_time = other.create_time()}),
              IsOk());
  EXPECT_THAT(tokens->Issue({.role = socio::v1::STAFF, .chamber_id = "ihk-muenchen"}), IsOk());
  ASSERT_THAT(tokens->Revoke(issued.front().info.id()), IsOk());
  ASSERT_THAT(tokens->Issue(grant), IsOk());
  EXPECT_THAT(tokens->Issue(grant), StatusIs(absl::StatusCode::kFailedPrecondition));

  // The delete revokes every one of them.
  ASSERT_THAT(profiles->Delete("full-1", 0), IsOk());
  for (const IssuedToken& token : issued) {
    EXPECT_THAT(tokens->Verify(token.token), StatusIs(absl::StatusCode::kUnauthenticated));
  }
}

// Verify keeps what it read in memory. While a profile's delete is being
// made durable, its member tokens' records on disk are still unrevoked, and
// checks made then keep them: once the delete returns, the token must be
// refused as revoked, not served from what those checks kept.
TEST_F(TokenStoreTest, ChecksDuringAProfilesDeleteDoNotKeepItsTokenUnrevoked) {
  auto disk = std::make_shared<SlowSyncFileSystem>(absl::ZeroDuration());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(disk);
  ASSIGN_OR_FAIL(std::shared_ptr<Database> db,
                 Database::Open(dir_.Join("slow"), {.env = env.get()}));
  ASSIGN_OR_FAIL(std::unique_ptr<TokenStore> tokens, TokenStore::Open(db, {}));
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> profiles,
                 ProfileStore::Open(db, {.reference = TestReference(), .tokens = tokens.get()}));
  ASSIGN_OR_FAIL(Profile profile, profiles->Create(MemberProfile("leaving-1")));
  ASSIGN_OR_FAIL(IssuedToken member, tokens->Issue({.role = socio::v1::MEMBER,
                                                    .profile_id = "leaving-1",
                                                    .profile_create_time = profile.create_time()}));
  ASSERT_THAT(tokens->Verify(member.token), IsOk());

  disk->set_delay(absl::Milliseconds(150));
  std::atomic<bool> stop{false};
  std::atomic<int> accepted{0};
  std::thread checker([&] {
    while (!stop.load()) {
      if (tokens->Verify(member.token).ok()) ++accepted;
    }
  });
  EXPECT_THAT(profiles->Delete("leaving-1", 0), IsOk());
  stop = true;
  checker.join();
  disk->set_delay(absl::ZeroDuration());

  // The window was there: checks during the delete still accepted the token.
  EXPECT_GT(accepted.load(), 0);
  EXPECT_THAT(tokens->Verify(member.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("revoked")));
}

TEST_F(TokenStoreTest, AMemberTokenSpeaksOnlyForTheProfileItWasIssuedFor) {
  using google::protobuf::util::TimeUtil;
  Profile profile = MemberProfile("de-0042");
  *profile.mutable_create_time() = TimeUtil::SecondsToTimestamp(1'700'000'000);
  ASSIGN_OR_FAIL(IssuedToken bound,
                 tokens_->Issue({.role = socio::v1::MEMBER,
                                 .profile_id = "de-0042",
                                 .profile_create_time = profile.create_time()}));
  EXPECT_THAT(CheckMemberToken(bound.info, &profile), IsOk());
  EXPECT_THAT(CheckMemberToken(bound.info, nullptr),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("was deleted")));
  Profile later = profile;
  *later.mutable_create_time() = TimeUtil::SecondsToTimestamp(1'700'000'001);
  EXPECT_THAT(CheckMemberToken(bound.info, &later),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("de-0042")));

  // A token issued before the binding was recorded speaks for a profile
  // created before it, not for one created after.
  ASSIGN_OR_FAIL(IssuedToken unbound,
                 tokens_->Issue({.role = socio::v1::MEMBER, .profile_id = "de-0042"}));
  EXPECT_FALSE(unbound.info.has_profile_create_time());
  EXPECT_THAT(CheckMemberToken(unbound.info, &profile), IsOk());
  *later.mutable_create_time() = unbound.info.issued_time();
  later.mutable_create_time()->set_seconds(later.create_time().seconds() + 1);
  EXPECT_THAT(CheckMemberToken(unbound.info, &later),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace socio::storage
