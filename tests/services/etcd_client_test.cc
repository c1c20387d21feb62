// EtcdClient against real etcd members (tests/support/etcd_cluster.h): the
// compare-and-swap writes, paged reads at one revision, the watch (in order,
// once, across a member's death, from a compacted revision, a catch-up
// larger than gRPC's default message limit), leases, and what a full
// database answers.
#include "services/etcd/etcd_client.h"

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/status_matchers.h"

namespace socio::etcd {
namespace {

using socio::testing::EtcdAvailable;
using socio::testing::EtcdCluster;
using socio::testing::IsOk;
using socio::testing::kEtcdMissing;
using socio::testing::StatusIs;
using ::testing::HasSubstr;

// A client of every member, member `first` first (calls go there until it
// fails), or of member `only` alone.
std::unique_ptr<EtcdClient> ClientOf(const EtcdCluster& cluster, int only = -1, int first = 0) {
  ClientOptions options;
  options.endpoints = only < 0 ? cluster.ClientAddressList(first)
                               : std::vector<std::string>{cluster.ClientAddress(only)};
  absl::StatusOr<std::unique_ptr<EtcdClient>> client = EtcdClient::Connect(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? std::move(*client) : nullptr;
}

// Collects a watch's events until `want` have come or `timeout` passes.
std::vector<WatchEvent> Collect(WatchStream& watch, size_t want, absl::Duration timeout) {
  std::vector<WatchEvent> all;
  const absl::Time give_up = absl::Now() + timeout;
  while (all.size() < want && absl::Now() < give_up) {
    absl::StatusOr<std::vector<WatchEvent>> got = watch.Next(absl::Milliseconds(200));
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok()) break;
    all.insert(all.end(), got->begin(), got->end());
  }
  return all;
}

class EtcdClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!EtcdAvailable()) return;
    absl::StatusOr<std::unique_ptr<EtcdCluster>> started = EtcdCluster::Start({.members = 1});
    ASSERT_TRUE(started.ok()) << started.status();
    cluster_ = std::move(*started).release();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSERT_NE(cluster_, nullptr);
    client_ = ClientOf(*cluster_);
    ASSERT_NE(client_, nullptr);
    // Each test writes under a prefix of its own.
    prefix_ = absl::StrCat(::testing::UnitTest::GetInstance()->current_test_info()->name(), "/");
  }

  static EtcdCluster* cluster_;
  std::unique_ptr<EtcdClient> client_;
  std::string prefix_;
};
EtcdCluster* EtcdClientTest::cluster_ = nullptr;

TEST_F(EtcdClientTest, AWriteLandsOnlyOverTheRevisionItExpects) {
  const std::string key = prefix_ + "p-1";
  ASSIGN_OR_FAIL(CommitResult created, client_->Commit({{key, 0}}, {{key, "v1"}}));
  EXPECT_TRUE(created.committed);
  EXPECT_TRUE(created.current.empty());

  // A second create of the same key is refused, and says what is there.
  ASSIGN_OR_FAIL(CommitResult again, client_->Commit({{key, 0}}, {{key, "other"}}));
  EXPECT_FALSE(again.committed);
  ASSERT_EQ(again.current.size(), 1u);
  EXPECT_EQ(again.current[0].value, "v1");
  EXPECT_EQ(again.current[0].mod_revision, created.revision);
  EXPECT_EQ(again.current[0].version, 1);

  // An update over the revision read lands at a new revision; one over a
  // stale revision does not.
  ASSIGN_OR_FAIL(CommitResult updated, client_->Commit({{key, created.revision}}, {{key, "v2"}}));
  EXPECT_TRUE(updated.committed);
  EXPECT_GT(updated.revision, created.revision);
  ASSIGN_OR_FAIL(CommitResult stale, client_->Commit({{key, created.revision}}, {{key, "lost"}}));
  EXPECT_FALSE(stale.committed);
  ASSIGN_OR_FAIL(std::optional<KeyValue> read, client_->Get(key));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, "v2");
  EXPECT_EQ(read->mod_revision, updated.revision);
  EXPECT_EQ(read->create_revision, created.revision);

  // The old value is still readable at its revision.
  ASSIGN_OR_FAIL(std::optional<KeyValue> before, client_->Get(key, created.revision));
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->value, "v1");

  // Two keys in one transaction: both or neither.
  const std::string other = prefix_ + "p-2";
  ASSIGN_OR_FAIL(CommitResult neither, client_->Commit({{key, updated.revision}, {other, 12345}},
                                                       {{key, "v3"}, {other, "x"}}));
  EXPECT_FALSE(neither.committed);
  ASSERT_EQ(neither.current.size(), 2u);
  EXPECT_EQ(neither.current[1].mod_revision, 0);  // absent
  ASSIGN_OR_FAIL(read, client_->Get(key));
  EXPECT_EQ(read->value, "v2");
  ASSIGN_OR_FAIL(read, client_->Get(other));
  EXPECT_FALSE(read.has_value());

  // A delete over the revision read.
  ASSIGN_OR_FAIL(CommitResult deleted,
                 client_->Commit({{key, updated.revision}}, {{key, std::nullopt}}));
  EXPECT_TRUE(deleted.committed);
  ASSIGN_OR_FAIL(read, client_->Get(key));
  EXPECT_FALSE(read.has_value());
}

TEST_F(EtcdClientTest, PagesOfARangeAllShowOneRevision) {
  for (int i = 0; i < 25; ++i) {
    const std::string key = absl::StrFormat("%sk-%03d", prefix_, i);
    ASSIGN_OR_FAIL(CommitResult done, client_->Commit({{key, 0}}, {{key, "x"}}));
    ASSERT_TRUE(done.committed);
  }
  const std::string end = EtcdClient::PrefixEnd(prefix_);
  ASSIGN_OR_FAIL(RangePage first, client_->Range(prefix_, end, 0, 10));
  ASSERT_EQ(first.kvs.size(), 10u);
  EXPECT_TRUE(first.more);
  // A key written between pages is not in the later pages read at the
  // first page's revision.
  const std::string late = prefix_ + "k-010a";
  ASSIGN_OR_FAIL(CommitResult written, client_->Commit({{late, 0}}, {{late, "late"}}));
  ASSERT_TRUE(written.committed);
  std::vector<std::string> keys;
  for (const KeyValue& kv : first.kvs) keys.push_back(kv.key);
  RangePage page = first;
  while (page.more) {
    ASSIGN_OR_FAIL(page, client_->Range(page.kvs.back().key + '\0', end, first.revision, 10));
    EXPECT_EQ(page.revision, written.revision);  // the header says the store's revision now
    for (const KeyValue& kv : page.kvs) keys.push_back(kv.key);
  }
  ASSERT_EQ(keys.size(), 25u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::count(keys.begin(), keys.end(), late), 0);

  EXPECT_EQ(EtcdClient::PrefixEnd("a/"), "a0");
  EXPECT_EQ(EtcdClient::PrefixEnd(std::string("a\xff", 2)), "b");
  EXPECT_EQ(EtcdClient::PrefixEnd(""), std::string(1, '\0'));
}

TEST_F(EtcdClientTest, AWatchGivesEveryChangeOnceInRevisionOrder) {
  const std::string a = prefix_ + "a", b = prefix_ + "b";
  ASSIGN_OR_FAIL(CommitResult first, client_->Commit({{a, 0}}, {{a, "1"}}));
  std::unique_ptr<WatchStream> watch = client_->Watch(prefix_, first.revision);
  ASSIGN_OR_FAIL(CommitResult second, client_->Commit({{b, 0}}, {{b, "1"}}));
  ASSIGN_OR_FAIL(CommitResult third,
                 client_->Commit({{a, first.revision}}, {{a, "2"}, {b, std::nullopt}}));
  // A key just past the prefix is not watched.
  const std::string outside = EtcdClient::PrefixEnd(prefix_);
  ASSERT_THAT(client_->Commit({{outside, 0}}, {{outside, "no"}}).status(), IsOk());

  std::vector<WatchEvent> events = Collect(*watch, 4, absl::Seconds(5));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kv.key, a);
  EXPECT_EQ(events[0].kv.mod_revision, first.revision);  // from the revision asked for
  EXPECT_EQ(events[1].kv.key, b);
  EXPECT_EQ(events[1].kv.mod_revision, second.revision);
  // One transaction: two events at one revision.
  EXPECT_EQ(events[2].kv.mod_revision, third.revision);
  EXPECT_EQ(events[3].kv.mod_revision, third.revision);
  std::map<std::string, WatchEvent::Type> at_third = {{events[2].kv.key, events[2].type},
                                                      {events[3].kv.key, events[3].type}};
  EXPECT_EQ(at_third[a], WatchEvent::Type::kPut);
  EXPECT_EQ(at_third[b], WatchEvent::Type::kDelete);
  EXPECT_EQ(watch->next_revision(), third.revision + 1);
  ASSIGN_OR_FAIL(std::vector<WatchEvent> more, watch->Next(absl::Milliseconds(300)));
  EXPECT_TRUE(more.empty());
}

TEST_F(EtcdClientTest, HistoryBeforeACompactionIsOutOfRangeAndSaysWhereItStarts) {
  const std::string key = prefix_ + "k";
  ASSIGN_OR_FAIL(CommitResult first, client_->Commit({{key, 0}}, {{key, "1"}}));
  ASSIGN_OR_FAIL(CommitResult second, client_->Commit({{key, first.revision}}, {{key, "2"}}));
  ASSERT_THAT(client_->Compact(second.revision), IsOk());

  EXPECT_THAT(client_->Get(key, first.revision),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("compacted")));
  std::unique_ptr<WatchStream> watch = client_->Watch(prefix_, first.revision);
  absl::StatusOr<std::vector<WatchEvent>> got = watch->Next(absl::Seconds(5));
  EXPECT_THAT(got, StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("read everything")));
  EXPECT_EQ(watch->compact_revision(), second.revision);
  // The way on: read at a revision, watch from the next.
  ASSIGN_OR_FAIL(RangePage now, client_->Range(prefix_, EtcdClient::PrefixEnd(prefix_)));
  ASSERT_EQ(now.kvs.size(), 1u);
  EXPECT_EQ(now.kvs[0].value, "2");
  std::unique_ptr<WatchStream> resumed = client_->Watch(prefix_, now.revision + 1);
  ASSIGN_OR_FAIL(CommitResult third, client_->Commit({{key, second.revision}}, {{key, "3"}}));
  std::vector<WatchEvent> events = Collect(*resumed, 1, absl::Seconds(5));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kv.mod_revision, third.revision);
}

// A watch that starts far behind receives the whole backlog at once: more
// than gRPC's default 4 MiB in one message.
TEST_F(EtcdClientTest, ACatchUpLargerThanFourMebibytesArrivesWhole) {
  const std::string value(100 * 1024, 'v');
  int64_t start = 0;
  constexpr int kKeys = 60;  // 6 MB
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = absl::StrCat(prefix_, i);
    ASSIGN_OR_FAIL(CommitResult done, client_->Commit({{key, 0}}, {{key, value}}));
    if (start == 0) start = done.revision;
  }
  std::unique_ptr<WatchStream> watch = client_->Watch(prefix_, start);
  std::vector<WatchEvent> events = Collect(*watch, kKeys, absl::Seconds(20));
  ASSERT_EQ(events.size(), static_cast<size_t>(kKeys));
  for (const WatchEvent& event : events) EXPECT_EQ(event.kv.value.size(), value.size());
}

TEST_F(EtcdClientTest, KeysOnARevokedLeaseAreGone) {
  ASSIGN_OR_FAIL(int64_t lease, client_->GrantLease(absl::Seconds(30)));
  const std::string key = prefix_ + "holder";
  ASSIGN_OR_FAIL(CommitResult held, client_->Commit({{key, 0}}, {{key, "node-1", lease}}));
  ASSERT_TRUE(held.committed);
  ASSERT_THAT(client_->KeepAlive(lease), IsOk());
  ASSIGN_OR_FAIL(std::optional<KeyValue> read, client_->Get(key));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->lease, lease);
  ASSERT_THAT(client_->RevokeLease(lease), IsOk());
  ASSIGN_OR_FAIL(read, client_->Get(key));
  EXPECT_FALSE(read.has_value());
  EXPECT_THAT(client_->KeepAlive(lease), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(client_->GrantLease(absl::Milliseconds(10)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ttl")));
}

TEST(EtcdClientConnectTest, EndpointsMustBeHostAndPort) {
  EXPECT_THAT(EtcdClient::Connect({}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("etcd_endpoints")));
  EXPECT_THAT(EtcdClient::Connect({.endpoints = {"http://127.0.0.1:2379"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("without a scheme")));
}

// etcd refuses writes once its database reaches the quota (the NOSPACE
// alarm): the client says so, and what an operator does.
TEST(EtcdClientQuotaTest, AFullDatabaseIsResourceExhaustedAndSaysWhatToDo) {
  if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
  ASSIGN_OR_FAIL(
      std::unique_ptr<EtcdCluster> cluster,
      EtcdCluster::Start({.members = 1, .extra_flags = {"--quota-backend-bytes=4194304"}}));
  std::unique_ptr<EtcdClient> client = ClientOf(*cluster);
  ASSERT_NE(client, nullptr);
  const std::string value(256 * 1024, 'q');
  absl::Status refused;
  for (int i = 0; i < 200 && refused.ok(); ++i) {
    const std::string key = absl::StrCat("fill/", i);
    absl::StatusOr<CommitResult> done = client->Commit({{key, 0}}, {{key, value}});
    if (!done.ok()) refused = done.status();
  }
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("alarm disarm")));
  // Reads still work.
  EXPECT_THAT(client->Get("fill/0").status(), IsOk());
}

// Three members; the leader is killed with SIGKILL while a writer creates
// keys through a client that knows every member and talks to the leader,
// and a watch through the leader follows. Every write the client
// acknowledged is on every member afterwards, and the watch, which had to
// move to another member, delivered each acknowledged key once.
TEST(EtcdClientClusterTest, AcknowledgedWritesSurviveTheLeadersDeath) {
  if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
  ASSIGN_OR_FAIL(std::unique_ptr<EtcdCluster> cluster, EtcdCluster::Start({.members = 3}));
  ASSIGN_OR_FAIL(const int leader, cluster->Leader());
  std::unique_ptr<EtcdClient> client = ClientOf(*cluster, -1, leader);
  ASSERT_NE(client, nullptr);
  ASSIGN_OR_FAIL(RangePage start, client->Range("w/", EtcdClient::PrefixEnd("w/")));
  std::unique_ptr<WatchStream> watch = client->Watch("w/", start.revision + 1);

  std::atomic<bool> stop{false};
  std::vector<std::string> acknowledged;
  int unknown = 0;
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      const std::string key = absl::StrFormat("w/%06d", i);
      absl::StatusOr<CommitResult> done = client->Commit({{key, 0}}, {{key, "x"}});
      if (done.ok() && done->committed) {
        acknowledged.push_back(key);
      } else if (!done.ok()) {
        ++unknown;  // may or may not be there
      }
    }
  });
  absl::SleepFor(absl::Milliseconds(500));
  cluster->Kill(leader);
  absl::SleepFor(absl::Seconds(2));
  stop = true;
  writer.join();
  ASSERT_GT(acknowledged.size(), 20u);
  const size_t before_kill_and_after = acknowledged.size();
  // Writes went on after the leader's death.
  ASSIGN_OR_FAIL(const int next_leader, cluster->Leader());
  EXPECT_NE(next_leader, leader);
  std::unique_ptr<EtcdClient> survivor = ClientOf(*cluster, next_leader);
  ASSIGN_OR_FAIL(std::optional<KeyValue> last, survivor->Get(acknowledged.back()));
  ASSERT_TRUE(last.has_value());

  ASSERT_THAT(cluster->Restart(leader), IsOk());
  for (int member = 0; member < cluster->size(); ++member) {
    std::unique_ptr<EtcdClient> one = ClientOf(*cluster, member);
    ASSERT_NE(one, nullptr);
    std::set<std::string> held;
    RangePage page;
    std::string begin = "w/";
    do {
      ASSIGN_OR_FAIL(page, one->Range(begin, EtcdClient::PrefixEnd("w/"), 0, 1000));
      for (const KeyValue& kv : page.kvs) held.insert(kv.key);
      if (!page.kvs.empty()) begin = page.kvs.back().key + '\0';
    } while (page.more);
    for (const std::string& key : acknowledged) {
      EXPECT_EQ(held.count(key), 1u) << "member " << member << " lacks " << key;
    }
  }
  // Every acknowledged key, then whatever else comes within a moment (a
  // key twice would be there by then).
  std::vector<WatchEvent> events = Collect(*watch, before_kill_and_after, absl::Seconds(10));
  ASSIGN_OR_FAIL(std::vector<WatchEvent> rest, watch->Next(absl::Milliseconds(500)));
  events.insert(events.end(), rest.begin(), rest.end());
  std::map<std::string, int> seen;
  int64_t last_revision = 0;
  for (const WatchEvent& event : events) {
    ++seen[event.kv.key];
    EXPECT_GT(event.kv.mod_revision, last_revision);
    last_revision = event.kv.mod_revision;
  }
  for (const std::string& key : acknowledged) EXPECT_EQ(seen[key], 1) << key;
  EXPECT_LE(events.size(), before_kill_and_after + static_cast<size_t>(unknown));
}

}  // namespace
}  // namespace socio::etcd
