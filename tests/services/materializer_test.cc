// Materializer against real etcd members and a real RocksDB: the view
// follows writes and deletes, resumes from its own revision after a
// restart, reads everything again when its revision was compacted away,
// rebuilds from nothing, and ends equal to etcd after the etcd leader is
// killed mid-load.
#include "services/etcd/materializer.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/materialized_view.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::etcd {
namespace {

using socio::storage::Database;
using socio::storage::MaterializedView;
using socio::storage::ViewRecord;
using socio::testing::EtcdAvailable;
using socio::testing::EtcdCluster;
using socio::testing::IsOk;
using socio::testing::kEtcdMissing;
using socio::testing::TempDir;

constexpr absl::Duration kWait = absl::Seconds(10);

// A node's local side: its database directory and view, reopened at will.
struct Node {
  explicit Node(std::string dir) : dir(std::move(dir)) {}
  absl::Status Open() {
    absl::StatusOr<std::shared_ptr<Database>> db = Database::Open(dir, {});
    if (!db.ok()) return db.status();
    database = *db;
    absl::StatusOr<std::unique_ptr<MaterializedView>> opened = MaterializedView::Open(database);
    if (!opened.ok()) return opened.status();
    view = std::move(*opened);
    return absl::OkStatus();
  }
  void Close() {
    view.reset();
    database.reset();
  }
  std::string dir;
  std::shared_ptr<Database> database;
  std::unique_ptr<MaterializedView> view;
};

std::unique_ptr<EtcdClient> ClientOf(const EtcdCluster& cluster) {
  absl::StatusOr<std::unique_ptr<EtcdClient>> client =
      EtcdClient::Connect({.endpoints = cluster.ClientAddressList()});
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? std::move(*client) : nullptr;
}

// Creates or overwrites `key` whatever its revision.
absl::StatusOr<int64_t> Put(EtcdClient& etcd, const std::string& key, const std::string& value) {
  absl::StatusOr<std::optional<KeyValue>> now = etcd.Get(key);
  if (!now.ok()) return now.status();
  absl::StatusOr<CommitResult> done =
      etcd.Commit({{key, now->has_value() ? (*now)->mod_revision : 0}}, {{key, value}});
  if (!done.ok()) return done.status();
  if (!done->committed) return absl::AbortedError("raced");
  return done->revision;
}

absl::StatusOr<int64_t> Delete(EtcdClient& etcd, const std::string& key) {
  absl::StatusOr<std::optional<KeyValue>> now = etcd.Get(key);
  if (!now.ok()) return now.status();
  if (!now->has_value()) return absl::NotFoundError(key);
  absl::StatusOr<CommitResult> done =
      etcd.Commit({{key, (*now)->mod_revision}}, {{key, std::nullopt}});
  if (!done.ok()) return done.status();
  return done->revision;
}

// The view holds exactly etcd's records under `prefix`, with their revisions.
void ExpectEqualToEtcd(EtcdClient& etcd, const MaterializedView& view, const std::string& prefix) {
  std::vector<ViewRecord> expected;
  std::string begin = prefix;
  int64_t revision = 0;
  for (;;) {
    absl::StatusOr<RangePage> page =
        etcd.Range(begin, EtcdClient::PrefixEnd(prefix), revision, 500);
    ASSERT_TRUE(page.ok()) << page.status();
    revision = page->revision;
    for (const KeyValue& kv : page->kvs) expected.push_back({kv.key, kv.value, kv.mod_revision});
    if (!page->more) break;
    begin = expected.back().key + '\0';
  }
  ASSIGN_OR_FAIL(std::vector<ViewRecord> held, view.List(prefix));
  ASSERT_EQ(held.size(), expected.size());
  for (size_t i = 0; i < held.size(); ++i) {
    EXPECT_EQ(held[i].key, expected[i].key);
    EXPECT_EQ(held[i].value, expected[i].value) << held[i].key;
    EXPECT_EQ(held[i].mod_revision, expected[i].mod_revision) << held[i].key;
  }
}

class MaterializerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSIGN_OR_FAIL(cluster_, EtcdCluster::Start({.members = 1}));
    etcd_ = ClientOf(*cluster_);
    ASSERT_NE(etcd_, nullptr);
    ASSERT_THAT(node_.Open(), IsOk());
  }

  std::unique_ptr<EtcdCluster> cluster_;
  std::unique_ptr<EtcdClient> etcd_;
  TempDir dir_;
  Node node_{dir_.Join("node")};
};

TEST_F(MaterializerTest, TheViewFollowsWritesAndDeletesUnderItsPrefix) {
  ASSIGN_OR_FAIL(int64_t before, Put(*etcd_, "socio/p-0", "written before start"));
  Materializer materializer(etcd_.get(), node_.view.get(), {.prefix = "socio/"});
  ASSERT_THAT(materializer.Start(), IsOk());
  EXPECT_EQ(materializer.full_reads(), 1);
  EXPECT_GE(node_.view->applied_revision(), before);

  ASSIGN_OR_FAIL(int64_t put, Put(*etcd_, "socio/p-1", "one"));
  ASSERT_THAT(Put(*etcd_, "elsewhere/x", "not followed").status(), IsOk());
  ASSIGN_OR_FAIL(int64_t changed, Put(*etcd_, "socio/p-1", "one, changed"));
  ASSIGN_OR_FAIL(int64_t deleted, Delete(*etcd_, "socio/p-0"));
  ASSERT_THAT(node_.view->AwaitRevision(deleted, kWait), IsOk());
  EXPECT_GT(changed, put);

  ASSIGN_OR_FAIL(std::optional<ViewRecord> p1, node_.view->Get("socio/p-1"));
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->value, "one, changed");
  EXPECT_EQ(p1->mod_revision, changed);
  ASSIGN_OR_FAIL(std::optional<ViewRecord> p0, node_.view->Get("socio/p-0"));
  EXPECT_FALSE(p0.has_value());
  ASSIGN_OR_FAIL(std::optional<ViewRecord> other, node_.view->Get("elsewhere/x"));
  EXPECT_FALSE(other.has_value());
  ExpectEqualToEtcd(*etcd_, *node_.view, "socio/");
  EXPECT_THAT(materializer.error(), IsOk());
}

// Sync: the view is etcd's state as of the call, even when the latest
// revisions changed keys elsewhere (the view then records them as applied,
// so a reader waiting for any revision it was given is not kept waiting).
TEST_F(MaterializerTest, SyncBringsTheViewToEtcdsRevisionOfNow) {
  Materializer materializer(etcd_.get(), node_.view.get(), {.prefix = "socio/"});
  ASSERT_THAT(materializer.Start(), IsOk());
  ASSIGN_OR_FAIL(int64_t mine, Put(*etcd_, "socio/p-1", "one"));
  ASSIGN_OR_FAIL(int64_t elsewhere, Put(*etcd_, "elsewhere/x", "not followed"));
  ASSERT_GT(elsewhere, mine);
  ASSERT_THAT(materializer.Sync(kWait), IsOk());
  EXPECT_GE(node_.view->applied_revision(), elsewhere);
  ASSIGN_OR_FAIL(std::optional<ViewRecord> p1, node_.view->Get("socio/p-1"));
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->mod_revision, mine);

  // Start catches up the same way: a node started after writes elsewhere
  // has applied etcd's revision of then.
  Node late(dir_.Join("late"));
  ASSERT_THAT(late.Open(), IsOk());
  ASSIGN_OR_FAIL(int64_t later, Put(*etcd_, "elsewhere/y", "not followed"));
  Materializer second(etcd_.get(), late.view.get(), {.prefix = "socio/"});
  ASSERT_THAT(second.Start(), IsOk());
  EXPECT_GE(late.view->applied_revision(), later);
  ExpectEqualToEtcd(*etcd_, *late.view, "socio/");
}

TEST_F(MaterializerTest, ARestartedNodeResumesFromItsOwnRevision) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(Put(*etcd_, absl::StrFormat("socio/p-%d", i), "first").status(), IsOk());
  }
  {
    Materializer materializer(etcd_.get(), node_.view.get(), {.prefix = "socio/"});
    ASSERT_THAT(materializer.Start(), IsOk());
  }
  const int64_t stopped_at = node_.view->applied_revision();
  node_.Close();
  // Written while the node is down.
  ASSERT_THAT(Put(*etcd_, "socio/p-1", "second").status(), IsOk());
  ASSERT_THAT(Delete(*etcd_, "socio/p-2").status(), IsOk());
  ASSIGN_OR_FAIL(int64_t last, Put(*etcd_, "socio/p-9", "new"));

  ASSERT_THAT(node_.Open(), IsOk());
  EXPECT_EQ(node_.view->applied_revision(), stopped_at);
  Materializer materializer(etcd_.get(), node_.view.get(), {.prefix = "socio/"});
  ASSERT_THAT(materializer.Start(), IsOk());
  EXPECT_EQ(materializer.full_reads(), 0);  // the changes since, not everything
  ASSERT_THAT(node_.view->AwaitRevision(last, kWait), IsOk());
  ExpectEqualToEtcd(*etcd_, *node_.view, "socio/");
}

TEST_F(MaterializerTest, ACompactedRevisionMeansReadingEverythingAgain) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(Put(*etcd_, absl::StrFormat("socio/p-%d", i), "first").status(), IsOk());
  }
  {
    Materializer materializer(etcd_.get(), node_.view.get(), {.prefix = "socio/"});
    ASSERT_THAT(materializer.Start(), IsOk());
  }
  // While the node is down, etcd changes and forgets the history.
  ASSERT_THAT(Delete(*etcd_, "socio/p-3").status(), IsOk());
  ASSIGN_OR_FAIL(int64_t last, Put(*etcd_, "socio/p-4", "second"));
  ASSERT_THAT(etcd_->Compact(last), IsOk());

  Materializer materializer(etcd_.get(), node_.view.get(), {.prefix = "socio/"});
  ASSERT_THAT(materializer.Start(), IsOk());
  EXPECT_EQ(materializer.full_reads(), 1);
  EXPECT_GE(node_.view->applied_revision(), last);
  ExpectEqualToEtcd(*etcd_, *node_.view, "socio/");

  // And it follows from there.
  ASSIGN_OR_FAIL(int64_t later, Put(*etcd_, "socio/p-5", "after"));
  ASSERT_THAT(node_.view->AwaitRevision(later, kWait), IsOk());
  ExpectEqualToEtcd(*etcd_, *node_.view, "socio/");
}

TEST_F(MaterializerTest, AWipedNodeIsRebuiltFromEtcd) {
  for (int i = 0; i < 30; ++i) {
    ASSERT_THAT(Put(*etcd_, absl::StrFormat("socio/p-%02d", i), std::string(i, 'x')).status(),
                IsOk());
  }
  Node wiped(dir_.Join("wiped"));
  ASSERT_THAT(wiped.Open(), IsOk());
  // Small pages: the full read spans many, all at one revision.
  Materializer materializer(etcd_.get(), wiped.view.get(), {.prefix = "socio/", .page_size = 7});
  ASSERT_THAT(materializer.Start(), IsOk());
  ExpectEqualToEtcd(*etcd_, *wiped.view, "socio/");
}

// Three members; writers create and update keys through every member while
// the leader is killed; the view of a node following through the whole
// cluster ends equal to etcd, every acknowledged write in it.
TEST(MaterializerClusterTest, TheViewEndsEqualToEtcdAfterTheLeaderIsKilled) {
  if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
  ASSIGN_OR_FAIL(std::unique_ptr<EtcdCluster> cluster, EtcdCluster::Start({.members = 3}));
  std::unique_ptr<EtcdClient> etcd = ClientOf(*cluster);
  ASSERT_NE(etcd, nullptr);
  TempDir dir;
  Node node(dir.Join("node"));
  ASSERT_THAT(node.Open(), IsOk());
  Materializer materializer(etcd.get(), node.view.get(), {.prefix = "socio/"});
  ASSERT_THAT(materializer.Start(), IsOk());

  std::atomic<bool> stop{false};
  std::vector<std::pair<std::string, int64_t>> acknowledged;
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      const std::string key = absl::StrFormat("socio/p-%03d", i % 150);
      absl::StatusOr<int64_t> revision = Put(*etcd, key, absl::StrCat("v", i));
      if (revision.ok()) acknowledged.emplace_back(key, *revision);
    }
  });
  absl::SleepFor(absl::Milliseconds(500));
  ASSIGN_OR_FAIL(const int leader, cluster->Leader());
  cluster->Kill(leader);
  absl::SleepFor(absl::Seconds(2));
  stop = true;
  writer.join();
  ASSERT_GT(acknowledged.size(), 20u);

  int64_t last = 0;
  for (const auto& [key, revision] : acknowledged) last = std::max(last, revision);
  ASSERT_THAT(node.view->AwaitRevision(last, kWait), IsOk());
  ExpectEqualToEtcd(*etcd, *node.view, "socio/");
  EXPECT_THAT(materializer.error(), IsOk());
}

}  // namespace
}  // namespace socio::etcd
