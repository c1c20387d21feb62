// ClusterRecords with real etcd members and real node views: a node reads
// its own writes, stale writes are refused, two nodes incrementing one
// record lose nothing, and writes made while the etcd leader is killed are
// answered with what happened to them.
#include "services/etcd/cluster_records.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/etcd/materializer.h"
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
using socio::testing::StatusIs;
using socio::testing::TempDir;
using ::testing::HasSubstr;

constexpr char kPrefix[] = "socio/";

// One cluster node: its etcd client (member `first` first), database, view,
// materializer and writer.
class Node {
 public:
  static absl::StatusOr<std::unique_ptr<Node>> Start(const EtcdCluster& cluster,
                                                     const std::string& dir, int first = 0) {
    auto node = std::unique_ptr<Node>(new Node);
    absl::StatusOr<std::unique_ptr<EtcdClient>> etcd =
        EtcdClient::Connect({.endpoints = cluster.ClientAddressList(first)});
    if (!etcd.ok()) return etcd.status();
    node->etcd = std::move(*etcd);
    absl::StatusOr<std::shared_ptr<Database>> db = Database::Open(dir, {});
    if (!db.ok()) return db.status();
    node->database = *db;
    absl::StatusOr<std::unique_ptr<MaterializedView>> view = MaterializedView::Open(*db);
    if (!view.ok()) return view.status();
    node->view = std::move(*view);
    node->materializer = std::make_unique<Materializer>(node->etcd.get(), node->view.get(),
                                                        MaterializerOptions{kPrefix});
    if (absl::Status s = node->materializer->Start(); !s.ok()) return s;
    node->records = std::make_unique<ClusterRecords>(node->etcd.get(), node->view.get(),
                                                     ClusterRecordsOptions{});
    return node;
  }

  std::unique_ptr<EtcdClient> etcd;
  std::shared_ptr<Database> database;
  std::unique_ptr<MaterializedView> view;
  std::unique_ptr<Materializer> materializer;
  std::unique_ptr<ClusterRecords> records;

 private:
  Node() = default;
};

class ClusterRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSIGN_OR_FAIL(cluster_, EtcdCluster::Start({.members = 1}));
  }
  std::unique_ptr<EtcdCluster> cluster_;
  TempDir dir_;
};

TEST_F(ClusterRecordsTest, ANodeReadsItsOwnWriteAndStaleWritesAreRefused) {
  ASSIGN_OR_FAIL(std::unique_ptr<Node> node, Node::Start(*cluster_, dir_.Join("a")));
  const std::string key = "socio/profiles/p-1";
  ASSIGN_OR_FAIL(int64_t created, node->records->Write({{key, "v1", 0}}));
  // No waiting: the view has it when Write returns.
  ASSIGN_OR_FAIL(std::optional<ViewRecord> read, node->view->Get(key));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, "v1");
  EXPECT_EQ(read->mod_revision, created);

  ASSIGN_OR_FAIL(int64_t updated, node->records->Write({{key, "v2", created}}));
  EXPECT_GT(updated, created);
  EXPECT_THAT(node->records->Write({{key, "lost", created}}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr(key)));
  EXPECT_THAT(node->records->Write({{key, "twice", 0}}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("read it again")));
  ASSIGN_OR_FAIL(read, node->view->Get(key));
  EXPECT_EQ(read->value, "v2");

  // Two keys at once: both or neither.
  const std::string other = "socio/profiles/p-2";
  EXPECT_THAT(node->records->Write({{key, "v3", created}, {other, "x", 0}}),
              StatusIs(absl::StatusCode::kAborted));
  ASSIGN_OR_FAIL(read, node->view->Get(other));
  EXPECT_FALSE(read.has_value());
  ASSIGN_OR_FAIL(int64_t both,
                 node->records->Write({{key, std::nullopt, updated}, {other, "x", 0}}));
  ASSIGN_OR_FAIL(read, node->view->Get(key));
  EXPECT_FALSE(read.has_value());
  ASSIGN_OR_FAIL(read, node->view->Get(other));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->mod_revision, both);

  EXPECT_THAT(node->records->Write({}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(node->records->Write({{other, "a", both}, {other, "b", both}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("twice")));
  // Receipts are outside the view's prefix.
  ASSIGN_OR_FAIL(std::vector<ViewRecord> all, node->view->List(""));
  for (const ViewRecord& record : all) EXPECT_THAT(record.key, ::testing::StartsWith(kPrefix));
}

// A record written with expires_after is on a lease: etcd deletes it after
// that time, and the view applies the delete like any other; records
// written without one stay.
TEST_F(ClusterRecordsTest, ARecordWrittenToExpireIsRemovedFromTheViewAfterItsTime) {
  ASSIGN_OR_FAIL(std::unique_ptr<Node> node, Node::Start(*cluster_, dir_.Join("a")));
  const std::string expiring = "socio/request-ids/6162";
  const std::string kept = "socio/profiles/kept-1";
  const absl::Time written = absl::Now();
  ASSIGN_OR_FAIL(int64_t revision,
                 node->records->Write({{expiring, "answer", 0, absl::Seconds(2)}, {kept, "k", 0}}));
  ASSIGN_OR_FAIL(std::optional<socio::etcd::KeyValue> in_etcd, node->etcd->Get(expiring));
  ASSERT_TRUE(in_etcd.has_value());
  EXPECT_NE(in_etcd->lease, 0);
  ASSIGN_OR_FAIL(in_etcd, node->etcd->Get(kept));
  ASSERT_TRUE(in_etcd.has_value());
  EXPECT_EQ(in_etcd->lease, 0);

  ASSIGN_OR_FAIL(std::optional<ViewRecord> read, node->view->Get(expiring));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->mod_revision, revision);
  absl::Time gone;
  for (;;) {
    ASSIGN_OR_FAIL(read, node->view->Get(expiring));
    if (!read.has_value()) {
      gone = absl::Now();
      break;
    }
    ASSERT_LT(absl::Now() - written, absl::Seconds(20)) << "the expiring record never went";
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_GE(gone - written, absl::Seconds(2)) << "removed before its time";
  ASSIGN_OR_FAIL(read, node->view->Get(kept));
  EXPECT_TRUE(read.has_value());

  EXPECT_THAT(node->records->Write({{kept, std::nullopt, revision, absl::Seconds(2)}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expires_after")));
}

// Each node reads the counter from its own view, writes it plus one over
// the revision it read, and on ABORTED reads again.
TEST_F(ClusterRecordsTest, TwoNodesIncrementingOneRecordLoseNoIncrement) {
  ASSIGN_OR_FAIL(std::unique_ptr<Node> a, Node::Start(*cluster_, dir_.Join("a")));
  ASSIGN_OR_FAIL(std::unique_ptr<Node> b, Node::Start(*cluster_, dir_.Join("b")));
  const std::string key = "socio/counter";
  constexpr int kPerThread = 25;
  std::atomic<int> aborted{0};
  auto increment = [&](Node* node) {
    for (int done = 0; done < kPerThread;) {
      absl::StatusOr<std::optional<ViewRecord>> read = node->view->Get(key);
      ASSERT_TRUE(read.ok()) << read.status();
      int value = 0;
      if (read->has_value()) {
        ASSERT_TRUE(absl::SimpleAtoi((*read)->value, &value));
      }
      absl::StatusOr<int64_t> written = node->records->Write(
          {{key, absl::StrCat(value + 1), read->has_value() ? (*read)->mod_revision : 0}});
      if (written.ok()) {
        ++done;
      } else {
        ASSERT_TRUE(absl::IsAborted(written.status())) << written.status();
        ++aborted;
      }
    }
  };
  std::vector<std::thread> threads;
  for (Node* node : {a.get(), a.get(), b.get(), b.get()}) threads.emplace_back(increment, node);
  for (std::thread& t : threads) t.join();

  ASSIGN_OR_FAIL(std::optional<KeyValue> stored, a->etcd->Get(key));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->value, absl::StrCat(4 * kPerThread));
  EXPECT_GT(aborted.load(), 0);  // they did race
  for (Node* node : {a.get(), b.get()}) {
    ASSERT_THAT(node->view->AwaitRevision(stored->mod_revision, absl::Seconds(5)), IsOk());
    ASSIGN_OR_FAIL(std::optional<ViewRecord> held, node->view->Get(key));
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(held->value, stored->value);
  }
}

// The node talks to the leader first; the leader is killed while it
// creates keys. Every write answered OK is in etcd with its value, every
// one answered "not applied" is not; none is left unanswered for long.
TEST(ClusterRecordsClusterTest, WritesDuringTheLeadersDeathAreAnsweredWithWhatHappened) {
  if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
  ASSIGN_OR_FAIL(std::unique_ptr<EtcdCluster> cluster, EtcdCluster::Start({.members = 3}));
  ASSIGN_OR_FAIL(const int leader, cluster->Leader());
  TempDir dir;
  ASSIGN_OR_FAIL(std::unique_ptr<Node> node, Node::Start(*cluster, dir.Join("node"), leader));

  std::atomic<bool> stop{false};
  std::map<std::string, absl::Status> outcomes;
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      const std::string key = absl::StrFormat("socio/w/%06d", i);
      outcomes[key] = node->records->Write({{key, key, 0}}).status();
    }
  });
  absl::SleepFor(absl::Milliseconds(500));
  cluster->Kill(leader);
  absl::SleepFor(absl::Seconds(2));
  stop = true;
  writer.join();

  int ok = 0, not_applied = 0, unknown = 0;
  for (const auto& [key, status] : outcomes) {
    ASSIGN_OR_FAIL(std::optional<KeyValue> stored, node->etcd->Get(key));
    if (status.ok()) {
      ++ok;
      ASSERT_TRUE(stored.has_value()) << key << " was answered OK";
      EXPECT_EQ(stored->value, key);
    } else if (absl::IsUnavailable(status)) {
      ++not_applied;
      EXPECT_THAT(status.message(), HasSubstr("not applied"));
      EXPECT_FALSE(stored.has_value()) << key << " was answered 'not applied'";
    } else {
      ++unknown;
      EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
    }
  }
  EXPECT_GT(ok, 20);
  EXPECT_EQ(unknown, 0);
  ::testing::Test::RecordProperty("not_applied", not_applied);
}

}  // namespace
}  // namespace socio::etcd
