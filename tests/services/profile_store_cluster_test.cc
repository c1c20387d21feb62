// ProfileStore and TokenStore in cluster mode with real etcd members and
// real RocksDB: a node reads its own writes at once and another node's once
// synced, stale and racing writes are refused or retried as expected_version
// says, every node's change log holds the same changes under the same
// sequence numbers, a token issued or revoked on one node is so on every
// node (a profile's delete revoking its MEMBER tokens with it), and a node
// rebuilt from nothing or restarted on its directory catches up.
//
// The etcd cluster and two nodes on it are shared by the suite's tests. Each
// test writes profiles with ids of its own and reads back what it wrote (or,
// comparing two nodes, everything), so the tests' order does not matter.
// Tokens likewise, but for HasActiveAdmin: only ANewNodeCatchesUpByAFullRead
// and OnlyOneOfTwoNodesIssuesTheFirstOperatorToken issue ADMIN tokens, and
// each revokes its own again.
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/etcd/cluster_records.h"
#include "services/etcd/etcd_client.h"
#include "services/etcd/materializer.h"
#include "storage/database.h"
#include "storage/match_policy_store.h"
#include "storage/materialized_view.h"
#include "storage/profile_store.h"
#include "storage/token_store.h"
#include "tests/support/cluster_node_parts.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/two_node_suite.h"

namespace socio::storage {
namespace {

using socio::etcd::ClusterRecords;
using socio::etcd::ClusterRecordsOptions;
using socio::etcd::EtcdClient;
using socio::etcd::Materializer;
using socio::etcd::MaterializerOptions;
using socio::testing::EtcdAvailable;
using socio::testing::EtcdCluster;
using socio::testing::Ids;
using socio::testing::IsOk;
using socio::testing::kEtcdMissing;
using socio::testing::Mask;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Profile;
using socio::v1::ProfileChange;
using socio::v1::TokenInfo;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// More changes than any test makes: ReadChanges returns the whole log.
constexpr size_t kWholeLog = 100'000;

Profile MakeProfile(std::string id, std::string chamber = "ihk-muenchen") {
  Profile p;
  p.set_id(std::move(id));
  p.set_chamber_id(std::move(chamber));
  p.set_name("Werkzeugmaschinen " + p.id());
  p.set_country("DE");
  p.add_sectors("28.41");
  p.set_visibility(Profile::FEDERATION);
  return p;
}

// A patch of `id`'s description, for Update with Mask({"description"}).
Profile DescriptionPatch(std::string id, std::string description) {
  Profile patch;
  patch.set_id(std::move(id));
  patch.set_description(std::move(description));
  return patch;
}

// One cluster node over a directory (cluster_node_parts.h) with its token
// store and profile store (which revokes a deleted profile's MEMBER tokens)
// and match policies.
class Node : public socio::testing::NodeParts {
 public:
  // Opens the node's local side on `dir` (new, or as a node left it),
  // without following etcd yet.
  static absl::StatusOr<std::unique_ptr<Node>> Open(const EtcdCluster& cluster,
                                                    const std::string& dir, int first) {
    auto node = std::unique_ptr<Node>(new Node);
    if (absl::Status s = node->OpenParts(cluster, dir, first); !s.ok()) return s;
    absl::StatusOr<std::unique_ptr<TokenStore>> tokens = TokenStore::Open(
        node->database, {.view = node->view.get(), .cluster = node->records.get()});
    if (!tokens.ok()) return tokens.status();
    node->tokens = *std::move(tokens);
    absl::StatusOr<std::unique_ptr<ProfileStore>> store =
        ProfileStore::Open(node->database, {.reference = TestReference(),
                                            .tokens = node->tokens.get(),
                                            .view = node->view.get(),
                                            .cluster = node->records.get()});
    if (!store.ok()) return store.status();
    node->store = *std::move(store);
    absl::StatusOr<std::unique_ptr<MatchPolicyStore>> policies = MatchPolicyStore::Open(
        node->database, {.view = node->view.get(), .cluster = node->records.get()});
    if (!policies.ok()) return policies.status();
    node->policies = *std::move(policies);
    return node;
  }

  // Open, then Follow.
  static absl::StatusOr<std::unique_ptr<Node>> Start(const EtcdCluster& cluster,
                                                     const std::string& dir, int first) {
    absl::StatusOr<std::unique_ptr<Node>> node = Open(cluster, dir, first);
    if (!node.ok()) return node.status();
    if (absl::Status s = (*node)->Follow(); !s.ok()) return s;
    return node;
  }

  // The node's whole change log from `after` on; empty (and a test
  // failure) if it cannot be read.
  std::vector<ProfileChange> ChangesAfter(uint64_t after) const {
    absl::StatusOr<std::vector<ProfileChange>> changes = store->ReadChanges(after, kWholeLog);
    EXPECT_THAT(changes, IsOk());
    return changes.ok() ? *std::move(changes) : std::vector<ProfileChange>{};
  }

  // The profiles of `chamber` this node lists, by id.
  std::vector<std::string> ChamberIds(const std::string& chamber) const {
    absl::StatusOr<ProfilePage> page =
        store->List({.chamber_id = chamber, .page_size = ProfileStore::kMaxPageSize});
    EXPECT_THAT(page, IsOk());
    if (!page.ok()) return {};
    EXPECT_THAT(page->next_page_token, IsEmpty());
    return Ids(page->profiles);
  }

  // Every profile this node holds, in id order.
  std::vector<Profile> AllProfiles() const {
    std::vector<Profile> all;
    EXPECT_THAT(store->ForEachProfile([&](const Profile& p) {
      all.push_back(p);
      return absl::OkStatus();
    }),
                IsOk());
    return all;
  }

  // Every token this node lists, in id order; empty (and a test failure) if
  // they cannot be read.
  std::vector<TokenInfo> AllTokens() const {
    absl::StatusOr<std::vector<TokenInfo>> tokens = this->tokens->List();
    EXPECT_THAT(tokens, IsOk());
    return tokens.ok() ? *std::move(tokens) : std::vector<TokenInfo>{};
  }

  // The token `id` as this node lists it; empty (and a test failure) if it
  // lists none.
  TokenInfo ListedToken(const std::string& id) const {
    for (TokenInfo& info : AllTokens()) {
      if (info.id() == id) return std::move(info);
    }
    ADD_FAILURE() << "no token '" << id << "' listed";
    return TokenInfo();
  }

  std::unique_ptr<TokenStore> tokens;
  std::unique_ptr<ProfileStore> store;
  std::unique_ptr<MatchPolicyStore> policies;

 private:
  Node() = default;
};

// What a STAFF token of `chamber` is for.
TokenGrant StaffGrant(std::string chamber, std::string label) {
  return {.role = socio::v1::STAFF, .chamber_id = std::move(chamber), .label = std::move(label)};
}

// What a MEMBER token bound to `profile` (as stored) is for.
TokenGrant MemberGrant(const Profile& profile, std::string label) {
  return {.role = socio::v1::MEMBER,
          .profile_id = profile.id(),
          .profile_create_time = profile.create_time(),
          .label = std::move(label)};
}

// `token` with the first character of its secret changed: its id, a secret
// of the right form, not the right one.
std::string WithWrongSecret(std::string token) {
  const size_t secret = token.find('.') + 1;
  token[secret] = token[secret] == 'A' ? 'B' : 'A';
  return token;
}

// Each record serialized, to compare two nodes' lists.
std::vector<std::string> Serialized(const std::vector<TokenInfo>& tokens) {
  std::vector<std::string> out;
  for (const TokenInfo& info : tokens) out.push_back(info.SerializeAsString());
  return out;
}

// The sequence, kind and id of each change, for messages.
std::string Describe(const std::vector<ProfileChange>& changes) {
  std::string out;
  for (const ProfileChange& c : changes) {
    absl::StrAppend(&out, c.sequence(), " ", ProfileChange::Kind_Name(c.kind()), " ",
                    c.profile().id(), " v", c.profile().version(), "\n");
  }
  return out;
}

// Nodes a_ and b_ on one etcd cluster, shared by the tests (two_node_suite.h).
class ProfileStoreClusterTest : public socio::testing::TwoNodeSuite<Node> {};

TEST_F(ProfileStoreClusterTest, AWriteIsReadAtOnceOnItsNodeAndOnAnotherOnceSynced) {
  ASSIGN_OR_FAIL(Profile created, a_->store->Create(MakeProfile("read-1")));
  EXPECT_EQ(created.version(), 1);
  // No waiting on the node that wrote it.
  {
    ASSIGN_OR_FAIL(Profile read, a_->store->Get("read-1"));
    EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
  }

  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Profile on_b, b_->store->Get("read-1"));
  EXPECT_EQ(on_b.version(), 1);
  EXPECT_EQ(on_b.handle(), created.handle());
  EXPECT_EQ(on_b.create_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_EQ(on_b.SerializeAsString(), created.SerializeAsString());
  {
    ASSIGN_OR_FAIL(std::string id, b_->store->IdOfHandle(created.handle()));
    EXPECT_EQ(id, "read-1");
  }

  // An update on b is read at once on b, too.
  ASSIGN_OR_FAIL(Profile updated,
                 b_->store->Update(DescriptionPatch("read-1", "Fräsen"), Mask({"description"}), 1));
  EXPECT_EQ(updated.version(), 2);
  ASSIGN_OR_FAIL(Profile read, b_->store->Get("read-1"));
  EXPECT_EQ(read.SerializeAsString(), updated.SerializeAsString());
  EXPECT_EQ(read.create_time().SerializeAsString(), created.create_time().SerializeAsString());
}

TEST_F(ProfileStoreClusterTest, AStaleExpectedVersionIsAbortedWhicheverNodeWrote) {
  ASSERT_THAT(a_->store->Create(MakeProfile("stale-1")), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Profile read_on_b, b_->store->Get("stale-1"));
  ASSERT_EQ(read_on_b.version(), 1);

  ASSIGN_OR_FAIL(Profile on_a, a_->store->Update(DescriptionPatch("stale-1", "written on a"),
                                                 Mask({"description"}), 1));
  ASSERT_EQ(on_a.version(), 2);
  // b may not have seen a's update yet: its compare-and-swap fails, it reads
  // again and finds version 2.
  EXPECT_THAT(b_->store->Update(DescriptionPatch("stale-1", "lost on b"), Mask({"description"}), 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 2")));
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    ASSIGN_OR_FAIL(Profile read, node->store->Get("stale-1"));
    EXPECT_EQ(read.SerializeAsString(), on_a.SerializeAsString());
  }

  ASSIGN_OR_FAIL(Profile on_b, b_->store->Update(DescriptionPatch("stale-1", "written on b"),
                                                 Mask({"description"}), 2));
  EXPECT_EQ(on_b.version(), 3);
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    ASSIGN_OR_FAIL(Profile read, node->store->Get("stale-1"));
    EXPECT_EQ(read.version(), 3);
    EXPECT_EQ(read.description(), "written on b");
    EXPECT_EQ(read.SerializeAsString(), on_b.SerializeAsString());
  }
}

// Updates without an expected version that lose a race to another node's
// are read and checked again: none is refused, none is lost.
TEST_F(ProfileStoreClusterTest, ConcurrentUpdatesOnTwoNodesLoseNone) {
  ASSERT_THAT(a_->store->Create(MakeProfile("race-1")), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  constexpr int kUpdatesPerThread = 10;
  const std::vector<Node*> writers = {a_.get(), a_.get(), b_.get(), b_.get()};
  std::atomic<int> done{0};
  absl::Mutex mu;
  std::vector<std::string> failures;  // guarded by mu
  std::vector<std::thread> threads;
  for (size_t t = 0; t < writers.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUpdatesPerThread; ++i) {
        absl::StatusOr<Profile> updated = writers[t]->store->Update(
            DescriptionPatch("race-1", absl::StrFormat("thread %d, update %d", t, i)),
            Mask({"description"}), 0);
        if (updated.ok()) {
          ++done;
        } else {
          absl::MutexLock lock(&mu);
          failures.push_back(absl::StrCat("node ", t < 2 ? "a" : "b", ", thread ", t, ", update ",
                                          i, ": ", updated.status().ToString()));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const int total = static_cast<int>(writers.size()) * kUpdatesPerThread;
  EXPECT_EQ(done.load(), total) << "refused:\n" << absl::StrJoin(failures, "\n");

  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Profile on_a, a_->store->Get("race-1"));
  ASSIGN_OR_FAIL(Profile on_b, b_->store->Get("race-1"));
  EXPECT_EQ(on_a.version(), 1 + done.load());
  EXPECT_EQ(on_a.SerializeAsString(), on_b.SerializeAsString());
  // Each node's log holds every version once, in order, from the create on.
  for (Node* node : {a_.get(), b_.get()}) {
    std::vector<int64_t> versions;
    for (const ProfileChange& change : node->ChangesAfter(node->store->LogStart())) {
      if (change.profile().id() == "race-1") versions.push_back(change.profile().version());
    }
    std::vector<int64_t> expected;
    for (int v = 1; v <= 1 + done.load(); ++v) expected.push_back(v);
    EXPECT_THAT(versions, ElementsAreArray(expected));
  }
}

TEST_F(ProfileStoreClusterTest, ACreateOfOneIdOnTwoNodesSucceedsOnce) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = absl::StrCat("twice-", round);
    std::atomic<bool> go{false};
    absl::StatusOr<Profile> from_a, from_b;
    std::thread on_a([&] {
      while (!go.load()) {
      }
      from_a = a_->store->Create(MakeProfile(id, "ihk-from-a"));
    });
    std::thread on_b([&] {
      while (!go.load()) {
      }
      from_b = b_->store->Create(MakeProfile(id, "ihk-from-b"));
    });
    go = true;
    on_a.join();
    on_b.join();
    ASSERT_NE(from_a.ok(), from_b.ok())
        << id << ": a: " << from_a.status() << "; b: " << from_b.status();
    const absl::StatusOr<Profile>& won = from_a.ok() ? from_a : from_b;
    const absl::StatusOr<Profile>& lost = from_a.ok() ? from_b : from_a;
    EXPECT_THAT(lost, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(id)));
    ASSERT_THAT(a_->Sync(), IsOk());
    ASSERT_THAT(b_->Sync(), IsOk());
    for (Node* node : {a_.get(), b_.get()}) {
      ASSIGN_OR_FAIL(Profile read, node->store->Get(id));
      EXPECT_EQ(read.SerializeAsString(), won->SerializeAsString());
    }
  }
}

TEST_F(ProfileStoreClusterTest, ADeleteOnOneNodeRemovesTheProfileEverywhere) {
  ASSIGN_OR_FAIL(Profile created, a_->store->Create(MakeProfile("gone-1")));
  ASSERT_THAT(a_->store->Update(DescriptionPatch("gone-1", "v2"), Mask({"description"}), 1),
              IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());

  EXPECT_THAT(b_->store->Delete("gone-1", 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 2")));
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    ASSIGN_OR_FAIL(Profile read, node->store->Get("gone-1"));
    EXPECT_EQ(read.version(), 2);
  }

  ASSERT_THAT(a_->store->Delete("gone-1", 2), IsOk());
  EXPECT_THAT(a_->store->Get("gone-1"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(node->store->Get("gone-1"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'gone-1' not found")));
    EXPECT_THAT(node->store->IdOfHandle(created.handle()), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(node->ChamberIds("ihk-muenchen"), ::testing::Not(::testing::Contains("gone-1")));
  }
  EXPECT_THAT(b_->store->Delete("gone-1", 0), StatusIs(absl::StatusCode::kNotFound));

  // The id is free again.
  ASSIGN_OR_FAIL(Profile again, b_->store->Create(MakeProfile("gone-1")));
  EXPECT_EQ(again.version(), 1);
}

TEST_F(ProfileStoreClusterTest, EveryNodesChangeLogHoldsTheSameChanges) {
  const uint64_t a_before = a_->store->LastSequence();
  const uint64_t b_before = b_->store->LastSequence();
  // Each node writes over what it has seen of the other's writes.
  ASSERT_THAT(a_->store->Create(MakeProfile("log-1")), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSERT_THAT(b_->store->Create(MakeProfile("log-2")), IsOk());
  ASSERT_THAT(b_->store->Update(DescriptionPatch("log-1", "on b"), Mask({"description"}), 0),
              IsOk());
  std::vector<Profile> items = {MakeProfile("log-4"), MakeProfile("log-3")};
  for (const absl::StatusOr<ProfileChange::Kind>& result : a_->store->PutMany(&items, false)) {
    EXPECT_THAT(result, IsOk());
  }
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(const uint64_t deleted, a_->store->Delete("log-2", 0));
  ASSERT_THAT(a_->store->Update(DescriptionPatch("log-3", "on a"), Mask({"description"}), 0),
              IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());

  EXPECT_EQ(a_before, b_before);
  const std::vector<ProfileChange> on_a = a_->ChangesAfter(a_before);
  const std::vector<ProfileChange> on_b = b_->ChangesAfter(b_before);
  ASSERT_EQ(on_a.size(), on_b.size()) << "a:\n" << Describe(on_a) << "b:\n" << Describe(on_b);
  for (size_t i = 0; i < on_a.size(); ++i) {
    EXPECT_EQ(on_a[i].sequence(), on_b[i].sequence()) << i;
    EXPECT_EQ(on_a[i].kind(), on_b[i].kind()) << i;
    EXPECT_EQ(on_a[i].profile().SerializeAsString(), on_b[i].profile().SerializeAsString()) << i;
    if (i > 0) {
      EXPECT_GT(on_a[i].sequence(), on_a[i - 1].sequence()) << i;
    }
  }
  std::vector<std::string> kinds_and_ids;
  for (const ProfileChange& change : on_a) {
    kinds_and_ids.push_back(
        absl::StrCat(ProfileChange::Kind_Name(change.kind()), " ", change.profile().id()));
  }
  // PutMany's two in id order, in one transaction: one revision.
  EXPECT_THAT(kinds_and_ids,
              ElementsAre("CREATED log-1", "CREATED log-2", "UPDATED log-1", "CREATED log-3",
                          "CREATED log-4", "DELETED log-2", "UPDATED log-3"))
      << Describe(on_a);
  ASSERT_EQ(on_a.size(), 7u);
  EXPECT_EQ(on_a[3].sequence() / ProfileStore::kChangesPerRevision,
            on_a[4].sequence() / ProfileStore::kChangesPerRevision);
  EXPECT_EQ(on_a[4].sequence(), on_a[3].sequence() + 1);
  // Delete's answer is the sequence of its change, on either node.
  EXPECT_EQ(on_a[5].sequence(), deleted);
  EXPECT_EQ(on_a[5].profile().version(), 1);  // as it was just before
  EXPECT_EQ(a_->store->LastSequence(), on_a.back().sequence());
  EXPECT_EQ(b_->store->LastSequence(), on_b.back().sequence());
}

// More profiles than one etcd transaction takes.
TEST_F(ProfileStoreClusterTest, APutManyOfManyTransactionsStoresEveryProfile) {
  constexpr int kCount = 250;
  static_assert(kCount > 2 * ProfileStore::kMaxProfilesPerWrite);
  std::vector<Profile> items;
  std::vector<std::string> ids;
  for (int i = 0; i < kCount; ++i) {
    ids.push_back(absl::StrFormat("bulk-%03d", i));
    items.push_back(MakeProfile(ids.back(), "ihk-bulk"));
  }
  std::vector<Profile> again = items;
  const uint64_t b_before = b_->store->LastSequence();

  std::vector<absl::StatusOr<ProfileChange::Kind>> created = a_->store->PutMany(&items, false);
  ASSERT_EQ(created.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_THAT(created[i], IsOk()) << ids[i];
    EXPECT_EQ(*created[i], ProfileChange::CREATED) << ids[i];
    EXPECT_EQ(items[i].version(), 1) << ids[i];
  }
  ASSERT_THAT(b_->Sync(), IsOk());
  EXPECT_THAT(b_->ChamberIds("ihk-bulk"), ElementsAreArray(ids));
  // b's log numbers them in id order, at most kMaxProfilesPerWrite to a
  // revision.
  const std::vector<ProfileChange> changes = b_->ChangesAfter(b_before);
  ASSERT_EQ(changes.size(), static_cast<size_t>(kCount));
  std::vector<std::string> logged;
  std::set<uint64_t> revisions;
  for (const ProfileChange& change : changes) {
    EXPECT_EQ(change.kind(), ProfileChange::CREATED);
    logged.push_back(change.profile().id());
    revisions.insert(change.sequence() / ProfileStore::kChangesPerRevision);
    EXPECT_LT(change.sequence() % ProfileStore::kChangesPerRevision,
              ProfileStore::kMaxProfilesPerWrite);
  }
  EXPECT_THAT(logged, ElementsAreArray(ids));
  EXPECT_EQ(revisions.size(), 3u);

  std::vector<absl::StatusOr<ProfileChange::Kind>> updated = b_->store->PutMany(&again, true);
  ASSERT_EQ(updated.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_THAT(updated[i], IsOk()) << ids[i];
    EXPECT_EQ(*updated[i], ProfileChange::UPDATED) << ids[i];
    EXPECT_EQ(again[i].version(), 2) << ids[i];
    EXPECT_EQ(again[i].handle(), items[i].handle()) << ids[i];
  }
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(ProfilePage page, a_->store->List({.chamber_id = "ihk-bulk", .page_size = 1000}));
  ASSERT_EQ(page.profiles.size(), static_cast<size_t>(kCount));
  for (const Profile& p : page.profiles) EXPECT_EQ(p.version(), 2) << p.id();
}

TEST_F(ProfileStoreClusterTest, AChamberChangeMovesTheProfileOnEveryNode) {
  ASSERT_THAT(a_->store->Create(MakeProfile("move-1", "ihk-move-from")), IsOk());
  ASSERT_THAT(a_->store->Create(MakeProfile("move-2", "ihk-move-from")), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  EXPECT_THAT(b_->ChamberIds("ihk-move-from"), ElementsAre("move-1", "move-2"));

  Profile patch;
  patch.set_id("move-1");
  patch.set_chamber_id("ihk-move-to");
  ASSERT_THAT(a_->store->Update(patch, Mask({"chamber_id"}), 1), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(node->ChamberIds("ihk-move-from"), ElementsAre("move-2"));
    EXPECT_THAT(node->ChamberIds("ihk-move-to"), ElementsAre("move-1"));
  }
}

TEST_F(ProfileStoreClusterTest, ATokenIssuedOnOneNodeVerifiesOnAnotherOnceSynced) {
  ASSIGN_OR_FAIL(Profile profile, a_->store->Create(MakeProfile("token-issue-1", "ihk-tokens")));
  ASSIGN_OR_FAIL(IssuedToken staff, a_->tokens->Issue(StaffGrant("ihk-tokens", "issued on a")));
  ASSIGN_OR_FAIL(IssuedToken member, a_->tokens->Issue(MemberGrant(profile, "issued on a")));
  ASSERT_TRUE(member.info.has_profile_create_time());
  // No waiting on the node that issued them.
  for (const IssuedToken* issued : {&staff, &member}) {
    ASSIGN_OR_FAIL(TokenInfo on_a, a_->tokens->Verify(issued->token));
    EXPECT_EQ(on_a.SerializeAsString(), issued->info.SerializeAsString());
  }

  ASSERT_THAT(b_->Sync(), IsOk());
  for (const IssuedToken* issued : {&staff, &member}) {
    ASSIGN_OR_FAIL(TokenInfo on_b, b_->tokens->Verify(issued->token));
    EXPECT_EQ(on_b.SerializeAsString(), issued->info.SerializeAsString());
    EXPECT_EQ(b_->ListedToken(issued->info.id()).SerializeAsString(),
              issued->info.SerializeAsString());
    EXPECT_THAT(b_->tokens->Verify(WithWrongSecret(issued->token)),
                StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("not known")));
  }
  ASSIGN_OR_FAIL(Profile on_b, b_->store->Get(profile.id()));
  EXPECT_THAT(CheckMemberToken(member.info, &on_b), IsOk());
}

TEST_F(ProfileStoreClusterTest, ARevocationOnOneNodeReachesEveryNode) {
  ASSIGN_OR_FAIL(IssuedToken revoked, a_->tokens->Issue(StaffGrant("ihk-tokens", "revoked on b")));
  ASSIGN_OR_FAIL(IssuedToken kept, a_->tokens->Issue(StaffGrant("ihk-tokens", "kept")));
  ASSERT_THAT(b_->Sync(), IsOk());

  ASSIGN_OR_FAIL(TokenInfo on_b, b_->tokens->Revoke(revoked.info.id()));
  ASSERT_TRUE(on_b.has_revoked_time());
  TokenInfo expected = revoked.info;
  *expected.mutable_revoked_time() = on_b.revoked_time();
  EXPECT_EQ(on_b.SerializeAsString(), expected.SerializeAsString());
  // No waiting on the node that revoked it.
  const std::string was_revoked = absl::StrCat("'", revoked.info.id(), "' was revoked");
  EXPECT_THAT(b_->tokens->Verify(revoked.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr(was_revoked)));

  ASSERT_THAT(a_->Sync(), IsOk());
  EXPECT_THAT(a_->tokens->Verify(revoked.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr(was_revoked)));
  EXPECT_THAT(a_->tokens->Revoke(revoked.info.id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already revoked")));
  EXPECT_THAT(a_->tokens->Revoke("0000000000000000"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("0000000000000000")));
  ASSIGN_OR_FAIL(TokenInfo still_valid, a_->tokens->Verify(kept.token));
  EXPECT_EQ(still_valid.SerializeAsString(), kept.info.SerializeAsString());

  ASSERT_THAT(b_->Sync(), IsOk());
  const std::vector<TokenInfo> listed_on_a = a_->AllTokens();
  EXPECT_THAT(Serialized(b_->AllTokens()), ElementsAreArray(Serialized(listed_on_a)));
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_EQ(node->ListedToken(revoked.info.id()).SerializeAsString(),
              expected.SerializeAsString());
    EXPECT_FALSE(node->ListedToken(kept.info.id()).has_revoked_time());
  }
}

// The delete's transaction revokes the MEMBER tokens the deleting node has
// seen (b syncs first), whichever node issued them.
TEST_F(ProfileStoreClusterTest, ADeleteOnOneNodeRevokesTheProfilesMemberTokensEverywhere) {
  ASSIGN_OR_FAIL(Profile deleted, a_->store->Create(MakeProfile("token-gone-1", "ihk-tokens")));
  ASSIGN_OR_FAIL(Profile other, a_->store->Create(MakeProfile("token-kept-1", "ihk-tokens")));
  ASSIGN_OR_FAIL(IssuedToken member_1, a_->tokens->Issue(MemberGrant(deleted, "first")));
  ASSIGN_OR_FAIL(IssuedToken member_2, a_->tokens->Issue(MemberGrant(deleted, "second")));
  ASSIGN_OR_FAIL(IssuedToken revoked_before,
                 a_->tokens->Issue(MemberGrant(deleted, "revoked before")));
  ASSIGN_OR_FAIL(TokenInfo first_revocation, a_->tokens->Revoke(revoked_before.info.id()));
  ASSIGN_OR_FAIL(IssuedToken other_member, a_->tokens->Issue(MemberGrant(other, "other")));
  ASSIGN_OR_FAIL(IssuedToken staff, a_->tokens->Issue(StaffGrant("ihk-tokens", "staff")));
  // a has read (and keeps) member_1's record before the delete.
  ASSERT_THAT(a_->tokens->Verify(member_1.token), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());

  ASSERT_THAT(b_->store->Delete(deleted.id(), 0), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    SCOPED_TRACE(node == a_.get() ? "on a" : "on b");
    EXPECT_THAT(node->store->Get(deleted.id()), StatusIs(absl::StatusCode::kNotFound));
    for (const IssuedToken* revoked : {&member_1, &member_2, &revoked_before}) {
      EXPECT_THAT(node->tokens->Verify(revoked->token),
                  StatusIs(absl::StatusCode::kUnauthenticated,
                           HasSubstr(absl::StrCat("'", revoked->info.id(), "' was revoked"))));
    }
    for (const IssuedToken* kept : {&other_member, &staff}) {
      ASSIGN_OR_FAIL(TokenInfo info, node->tokens->Verify(kept->token));
      EXPECT_EQ(info.SerializeAsString(), kept->info.SerializeAsString());
    }
    EXPECT_THAT(node->tokens->Revoke(member_1.info.id()),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already revoked")));
  }

  // Both revoked at the delete's time, the same on both nodes; the token
  // revoked before keeps its time.
  const TokenInfo listed_1 = a_->ListedToken(member_1.info.id());
  const TokenInfo listed_2 = a_->ListedToken(member_2.info.id());
  ASSERT_TRUE(listed_1.has_revoked_time());
  ASSERT_TRUE(listed_2.has_revoked_time());
  EXPECT_EQ(listed_1.revoked_time().SerializeAsString(),
            listed_2.revoked_time().SerializeAsString());
  EXPECT_EQ(b_->ListedToken(member_1.info.id()).SerializeAsString(), listed_1.SerializeAsString());
  EXPECT_EQ(b_->ListedToken(member_2.info.id()).SerializeAsString(), listed_2.SerializeAsString());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_EQ(node->ListedToken(revoked_before.info.id()).SerializeAsString(),
              first_revocation.SerializeAsString());
  }
}

// A profile's delete revokes its member tokens in one etcd transaction (at
// most 128 operations): a profile holds at most kMaxLiveMemberTokens, on
// whichever nodes they were issued, and its delete revokes them all.
TEST_F(ProfileStoreClusterTest, AProfileWithTheMostMemberTokensIsDeletedWithAllOfThemRevoked) {
  ASSIGN_OR_FAIL(Profile full, a_->store->Create(MakeProfile("token-full-1", "ihk-tokens")));
  ASSERT_THAT(b_->Sync(), IsOk());
  std::vector<IssuedToken> issued;
  for (int i = 0; i < TokenStore::kMaxLiveMemberTokens; ++i) {
    Node* node = i % 2 == 0 ? a_.get() : b_.get();
    ASSIGN_OR_FAIL(IssuedToken token, node->tokens->Issue(MemberGrant(full, absl::StrCat(i))));
    issued.push_back(std::move(token));
  }
  for (Node* node : {a_.get(), b_.get()}) {
    ASSERT_THAT(node->Sync(), IsOk());
    EXPECT_THAT(node->tokens->Issue(MemberGrant(full, "one too many")),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("revoke one")));
  }

  ASSERT_THAT(b_->store->Delete(full.id(), 0), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(node->store->Get(full.id()), StatusIs(absl::StatusCode::kNotFound));
    for (const IssuedToken& token : issued) {
      EXPECT_THAT(node->tokens->Verify(token.token),
                  StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("was revoked")));
    }
  }
}

TEST_F(ProfileStoreClusterTest, ACachedVerifyDoesNotOutliveARevocationOnAnotherNode) {
  ASSIGN_OR_FAIL(IssuedToken issued, a_->tokens->Issue(StaffGrant("ihk-tokens", "cached on a")));
  // Twice: the second is served from a's cache.
  ASSERT_THAT(a_->tokens->Verify(issued.token), IsOk());
  ASSERT_THAT(a_->tokens->Verify(issued.token), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());

  ASSERT_THAT(b_->tokens->Revoke(issued.info.id()), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  EXPECT_THAT(a_->tokens->Verify(issued.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("was revoked")));
}

// A TokenStore that keeps its tokens elsewhere than the profiles are kept
// could not revoke them in the profile's delete.
TEST_F(ProfileStoreClusterTest, TokensInAnotherModeThanTheProfilesAreRefused) {
  ASSIGN_OR_FAIL(std::shared_ptr<Database> database, Database::Open(dir_.Join("modes"), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<MaterializedView> view, MaterializedView::Open(database));
  ClusterRecords records(a_->etcd.get(), view.get(), ClusterRecordsOptions{});
  const std::string refused = "must be in cluster mode if and only if the profiles are";
  {
    ASSIGN_OR_FAIL(std::unique_ptr<TokenStore> embedded, TokenStore::Open(database, {}));
    EXPECT_THAT(ProfileStore::Open(database, {.reference = TestReference(),
                                              .tokens = embedded.get(),
                                              .view = view.get(),
                                              .cluster = &records}),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(refused)));
    // Refused before the database was taken: the same tokens in the same
    // mode as the profiles open.
    EXPECT_THAT(
        ProfileStore::Open(database, {.reference = TestReference(), .tokens = embedded.get()}),
        IsOk());
  }
  ASSIGN_OR_FAIL(std::unique_ptr<TokenStore> in_cluster,
                 TokenStore::Open(database, {.view = view.get(), .cluster = &records}));
  EXPECT_THAT(
      ProfileStore::Open(database, {.reference = TestReference(), .tokens = in_cluster.get()}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(refused)));
}

// A chamber's match policy set through one node ranks on every node: the
// same version on both, and a stale expected_version refused whichever node
// is asked.
TEST_F(ProfileStoreClusterTest, AMatchPolicySetOnOneNodeIsEveryNodes) {
  socio::v1::MatchPolicy policy;
  policy.set_chamber_id("ihk-policy");
  policy.mutable_weights()->set_objective(0.7);
  ASSIGN_OR_FAIL(socio::v1::MatchPolicy first, a_->policies->Put(policy, 0));
  EXPECT_EQ(first.version(), 1);
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(socio::v1::MatchPolicy on_b, b_->policies->Get("ihk-policy"));
  EXPECT_EQ(on_b.SerializeAsString(), first.SerializeAsString());

  policy.mutable_weights()->set_objective(0.4);
  ASSIGN_OR_FAIL(socio::v1::MatchPolicy second, b_->policies->Put(policy, 1));
  EXPECT_EQ(second.version(), 2);
  // a has not synced: its view still says version 1, and the write it tries
  // with expected_version 1 loses the race, reads again and is refused.
  EXPECT_THAT(a_->policies->Put(policy, 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 2, not 1")));
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(socio::v1::MatchPolicy on_a, a_->policies->Get("ihk-policy"));
  EXPECT_EQ(on_a.SerializeAsString(), second.SerializeAsString());
  EXPECT_THAT(a_->policies->Get("ihk-none"), StatusIs(absl::StatusCode::kNotFound));
}

// Of two nodes starting at once on a cluster without an operator token, one
// issues the first: the other's issue compares the first-admin guard key
// the first one changed, fails, sees the token and issues none. Leaves no
// valid ADMIN token behind, as it found none.
TEST_F(ProfileStoreClusterTest, OnlyOneOfTwoNodesIssuesTheFirstOperatorToken) {
  for (const TokenInfo& info : a_->AllTokens()) {
    if (info.role() == socio::v1::ADMIN && !info.has_revoked_time()) {
      ASSERT_THAT(a_->tokens->Revoke(info.id()), IsOk());
    }
  }
  ASSERT_THAT(b_->Sync(), IsOk());
  // b's view stops following: it does not see the token a issues now.
  b_->materializer->Stop();
  ASSIGN_OR_FAIL(std::optional<IssuedToken> first, a_->tokens->IssueFirstAdmin("first on a"));
  ASSERT_TRUE(first.has_value());

  absl::StatusOr<std::optional<IssuedToken>> second;
  std::thread issue([&] { second = b_->tokens->IssueFirstAdmin("first on b"); });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_THAT(b_->Follow(), IsOk());
  issue.join();
  ASSERT_THAT(second, IsOk());
  EXPECT_FALSE(second->has_value());
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    int valid_admins = 0;
    for (const TokenInfo& info : node->AllTokens()) {
      if (info.role() == socio::v1::ADMIN && !info.has_revoked_time()) ++valid_admins;
    }
    EXPECT_EQ(valid_admins, 1);
  }
  // Once one exists, neither node issues another.
  ASSIGN_OR_FAIL(std::optional<IssuedToken> again, a_->tokens->IssueFirstAdmin("again"));
  EXPECT_FALSE(again.has_value());
  ASSERT_THAT(a_->tokens->Revoke(first->info.id()), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
}

// A delete made on a node that has not yet seen a MEMBER token issued on
// another node still revokes it: the delete's transaction compares the
// profile's guard key, which the token's issue changed, so it fails, the node
// reads again and revokes the token too.
TEST_F(ProfileStoreClusterTest, ADeleteRevokesAMemberTokenItsNodeHadNotSeenYet) {
  ASSIGN_OR_FAIL(std::unique_ptr<Node> u, Node::Start(*cluster_, dir_.Join("unseen"), 0));
  ASSIGN_OR_FAIL(Profile profile, a_->store->Create(MakeProfile("token-unseen-1", "ihk-tokens")));
  ASSERT_THAT(u->Sync(), IsOk());
  // u's view stops following: it does not see the token a issues now.
  u->materializer->Stop();
  ASSIGN_OR_FAIL(IssuedToken unseen, a_->tokens->Issue(MemberGrant(profile, "unseen by u")));

  absl::Status deleted;
  std::thread remove([&] { deleted = u->store->Delete(profile.id(), 0).status(); });
  // The first try fails meanwhile and waits for u's view to change: u
  // follows again and sees the token.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_THAT(u->Follow(), IsOk());
  remove.join();
  ASSERT_THAT(deleted, IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), u.get()}) {
    SCOPED_TRACE(node == a_.get() ? "on a" : "on u");
    EXPECT_THAT(node->store->Get(profile.id()), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(node->tokens->Verify(unseen.token),
                StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("was revoked")));
    EXPECT_TRUE(node->ListedToken(unseen.info.id()).has_revoked_time());
  }
}

// An upsert on a node whose view still shows a profile that another node
// has deleted loses the race, reads again, finds no profile and creates one:
// a new profile, version 1, with a handle of its own (the deleted one's
// names nobody).
TEST_F(ProfileStoreClusterTest, AnUpsertThatLostToADeleteCreatesTheProfileAfresh) {
  ASSIGN_OR_FAIL(std::unique_ptr<Node> u, Node::Start(*cluster_, dir_.Join("u"), 0));
  ASSIGN_OR_FAIL(Profile old, u->store->Create(MakeProfile("upsert-1")));
  ASSERT_THAT(u->store->Update(DescriptionPatch("upsert-1", "v2"), Mask({"description"}), 1),
              IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  // u's view stops following: it still shows version 2 when b deletes it.
  u->materializer->Stop();
  ASSERT_THAT(b_->store->Delete("upsert-1", 2), IsOk());

  std::vector<Profile> items = {MakeProfile("upsert-1")};
  std::vector<absl::StatusOr<ProfileChange::Kind>> results;
  std::thread upsert([&] { results = u->store->PutMany(&items, /*upsert=*/true); });
  // The first attempt fails meanwhile and waits (up to a second) for u's
  // view to change: u follows again, and the view shows the delete.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_THAT(u->Follow(), IsOk());
  upsert.join();
  ASSERT_EQ(results.size(), 1u);
  ASSERT_THAT(results[0], IsOk());
  EXPECT_EQ(*results[0], ProfileChange::CREATED);
  EXPECT_EQ(items[0].version(), 1);
  EXPECT_NE(items[0].handle(), old.handle());
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {u.get(), b_.get()}) {
    ASSIGN_OR_FAIL(Profile read, node->store->Get("upsert-1"));
    EXPECT_EQ(read.version(), 1);
    EXPECT_EQ(read.handle(), items[0].handle());
    EXPECT_EQ(read.SerializeAsString(), items[0].SerializeAsString());
    EXPECT_THAT(node->store->IdOfHandle(old.handle()), StatusIs(absl::StatusCode::kNotFound));
  }
}

TEST_F(ProfileStoreClusterTest, ANewNodeCatchesUpByAFullRead) {
  ASSIGN_OR_FAIL(Profile first, a_->store->Create(MakeProfile("late-1", "ihk-late")));
  ASSERT_THAT(b_->store->Create(MakeProfile("late-2", "ihk-late")), IsOk());
  ASSERT_THAT(a_->store->Update(DescriptionPatch("late-1", "v2"), Mask({"description"}), 0),
              IsOk());
  ASSERT_THAT(a_->store->Create(MakeProfile("late-3", "ihk-late")), IsOk());
  ASSERT_THAT(a_->store->Delete("late-3", 0), IsOk());
  ASSIGN_OR_FAIL(IssuedToken admin, a_->tokens->Issue({.role = socio::v1::ADMIN}));
  ASSIGN_OR_FAIL(IssuedToken valid, a_->tokens->Issue(StaffGrant("ihk-late", "valid")));
  ASSIGN_OR_FAIL(IssuedToken revoked, b_->tokens->Issue(StaffGrant("ihk-late", "revoked")));
  ASSERT_THAT(b_->tokens->Revoke(revoked.info.id()), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());

  ASSIGN_OR_FAIL(std::unique_ptr<Node> c, Node::Start(*cluster_, dir_.Join("c"), 2));
  EXPECT_EQ(c->materializer->full_reads(), 1);
  // Every profile, with its handle and chamber index entry.
  const std::vector<Profile> on_a = a_->AllProfiles();
  const std::vector<Profile> on_c = c->AllProfiles();
  ASSERT_THAT(Ids(on_c), ElementsAreArray(Ids(on_a)));
  for (size_t i = 0; i < on_a.size(); ++i) {
    EXPECT_EQ(on_c[i].SerializeAsString(), on_a[i].SerializeAsString()) << on_a[i].id();
  }
  EXPECT_THAT(c->ChamberIds("ihk-late"), ElementsAre("late-1", "late-2"));
  {
    ASSIGN_OR_FAIL(std::string id, c->store->IdOfHandle(first.handle()));
    EXPECT_EQ(id, "late-1");
  }
  // Its log starts after the revision read, past every change a holds.
  const uint64_t start = c->store->LogStart();
  EXPECT_GT(start, 0u);
  EXPECT_GE(start, a_->store->LastSequence());
  EXPECT_EQ(c->store->LastSequence(), start);
  EXPECT_THAT(c->store->ReadChanges(0, 10),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("list the profiles again")));
  EXPECT_THAT(c->store->ReadChanges(start - 1, 10),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("list the profiles again")));
  ASSIGN_OR_FAIL(std::vector<ProfileChange> none, c->store->ReadChanges(start, 10));
  EXPECT_THAT(none, IsEmpty());

  // Later writes land in its log, under the sequence a gives them too.
  ASSIGN_OR_FAIL(Profile later,
                 a_->store->Update(DescriptionPatch("late-2", "later"), Mask({"description"}), 0));
  ASSERT_THAT(c->Sync(), IsOk());
  const std::vector<ProfileChange> changes = c->ChangesAfter(start);
  ASSERT_EQ(changes.size(), 1u) << Describe(changes);
  EXPECT_EQ(changes[0].kind(), ProfileChange::UPDATED);
  EXPECT_EQ(changes[0].profile().SerializeAsString(), later.SerializeAsString());
  EXPECT_GT(changes[0].sequence(), start);
  EXPECT_EQ(changes[0].sequence(), a_->store->LastSequence());
  EXPECT_EQ(c->store->LastSequence(), changes[0].sequence());

  // Every token, the revoked ones as revoked.
  EXPECT_THAT(Serialized(c->AllTokens()), ElementsAreArray(Serialized(a_->AllTokens())));
  for (const IssuedToken* issued : {&admin, &valid}) {
    ASSIGN_OR_FAIL(TokenInfo info, c->tokens->Verify(issued->token));
    EXPECT_EQ(info.SerializeAsString(), issued->info.SerializeAsString());
  }
  EXPECT_THAT(c->tokens->Verify(revoked.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("was revoked")));
  {
    ASSIGN_OR_FAIL(bool has_admin, c->tokens->HasActiveAdmin());
    EXPECT_TRUE(has_admin);
  }
  // The suite's only ADMIN token revoked through c: none is left on any node.
  ASSERT_THAT(c->tokens->Revoke(admin.info.id()), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  for (Node* node : {a_.get(), c.get()}) {
    ASSIGN_OR_FAIL(bool has_admin, node->tokens->HasActiveAdmin());
    EXPECT_FALSE(has_admin);
  }
}

TEST_F(ProfileStoreClusterTest, ARestartedNodeResumesWithoutAFullRead) {
  const std::string dir = dir_.Join("r");
  ASSIGN_OR_FAIL(std::unique_ptr<Node> r, Node::Start(*cluster_, dir, 2));
  ASSERT_THAT(r->store->Create(MakeProfile("restart-1")), IsOk());
  ASSERT_THAT(r->store->Update(DescriptionPatch("restart-1", "v2"), Mask({"description"}), 1),
              IsOk());
  ASSIGN_OR_FAIL(IssuedToken revoked_while_down,
                 r->tokens->Issue(StaffGrant("ihk-restart", "revoked while r is down")));
  ASSERT_THAT(r->tokens->Verify(revoked_while_down.token), IsOk());
  const uint64_t last = r->store->LastSequence();
  const uint64_t start = r->store->LogStart();
  const std::vector<ProfileChange> before = r->ChangesAfter(start);
  ASSERT_EQ(before.size(), 2u) << Describe(before);
  r.reset();

  // Written while r is down.
  ASSERT_THAT(a_->store->Create(MakeProfile("restart-2")), IsOk());
  const uint64_t while_down = a_->store->LastSequence();
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(a_->tokens->Revoke(revoked_while_down.info.id()), IsOk());
  ASSIGN_OR_FAIL(IssuedToken issued_while_down,
                 a_->tokens->Issue(StaffGrant("ihk-restart", "issued while r is down")));

  ASSIGN_OR_FAIL(r, Node::Open(*cluster_, dir, 2));
  EXPECT_EQ(r->store->LastSequence(), last);
  EXPECT_EQ(r->store->LogStart(), start);
  ASSERT_THAT(r->Follow(), IsOk());
  EXPECT_EQ(r->materializer->full_reads(), 0);
  EXPECT_EQ(r->store->LogStart(), start);
  // Its log goes on where it stopped: the old changes, then the missed one.
  const std::vector<ProfileChange> after = r->ChangesAfter(start);
  ASSERT_EQ(after.size(), before.size() + 1) << Describe(after);
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString()) << i;
  }
  EXPECT_EQ(after.back().kind(), ProfileChange::CREATED);
  EXPECT_EQ(after.back().profile().id(), "restart-2");
  EXPECT_EQ(after.back().sequence(), while_down);
  EXPECT_EQ(r->store->LastSequence(), while_down);
  ASSIGN_OR_FAIL(Profile read, r->store->Get("restart-2"));
  EXPECT_EQ(read.version(), 1);
  EXPECT_THAT(r->tokens->Verify(revoked_while_down.token),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("was revoked")));
  ASSIGN_OR_FAIL(TokenInfo info, r->tokens->Verify(issued_while_down.token));
  EXPECT_EQ(info.SerializeAsString(), issued_while_down.info.SerializeAsString());
}

}  // namespace
}  // namespace socio::storage
