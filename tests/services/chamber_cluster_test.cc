// ChamberStore and NotificationStore in cluster mode with real etcd members
// and real RocksDB: chambers and partner links written on one node are read
// on another, stale and racing writes are refused as a chamber's staff
// expect, a link's notification is committed with it and has the same
// sequence and id on every node, a request retried through another node
// gets the first answer, cursors never move back, settings and parked
// deliveries are shared, and a node rebuilt from nothing holds the same
// outbox.
//
// The etcd cluster and two nodes on it are shared by the suite's tests;
// each test uses chamber ids of its own.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "storage/chamber_store.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "storage/request_ids.h"
#include "tests/support/cluster_node_parts.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/two_node_suite.h"

namespace socio::storage {
namespace {

using socio::testing::AtOnce;
using socio::testing::Described;
using socio::testing::EtcdCluster;
using socio::testing::IsOk;
using socio::testing::Mask;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Chamber;
using socio::v1::ChamberPartner;
using socio::v1::Notification;
using socio::v1::NotificationSettings;
using socio::v1::ParkedDelivery;
using ::testing::HasSubstr;
using ::testing::SizeIs;

Chamber MakeChamber(std::string id, std::string name) {
  Chamber c;
  c.set_id(std::move(id));
  c.set_name(std::move(name));
  c.set_country("DE");
  c.set_city("München");
  return c;
}

// One cluster node over a directory (cluster_node_parts.h) with its
// request ids, notifications and chambers.
class Node : public socio::testing::NodeParts {
 public:
  static absl::StatusOr<std::unique_ptr<Node>> Start(const EtcdCluster& cluster,
                                                     const std::string& dir, int first) {
    auto node = std::unique_ptr<Node>(new Node);
    if (absl::Status s = node->OpenParts(cluster, dir, first); !s.ok()) return s;
    if (absl::Status s = node->OpenNotifications(); !s.ok()) return s;
    absl::StatusOr<std::unique_ptr<ChamberStore>> chambers = ChamberStore::Open(
        node->database, node->notifications.get(),
        {.reference = TestReference(), .view = node->view.get(), .cluster = node->records.get()});
    if (!chambers.ok()) return chambers.status();
    node->chambers = *std::move(chambers);
    if (absl::Status s = node->Follow(); !s.ok()) return s;
    return node;
  }

  std::unique_ptr<ChamberStore> chambers;

 private:
  Node() = default;
};

// The cursor of `channel` on `node`; 0 (and a test failure) if unreadable.
uint64_t CursorOf(const Node& node, const std::string& channel) {
  absl::StatusOr<uint64_t> cursor = node.notifications->Cursor(channel);
  EXPECT_THAT(cursor, IsOk());
  return cursor.ok() ? *cursor : 0;
}

// The notifications of `outbox` addressed to `recipient`.
std::vector<Notification> To(const std::vector<Notification>& outbox,
                             const std::string& recipient) {
  std::vector<Notification> out;
  for (const Notification& n : outbox) {
    if (n.recipient() == recipient) out.push_back(n);
  }
  return out;
}

// Nodes a_ and b_ on one etcd cluster, shared by the tests (two_node_suite.h).
class ChamberClusterTest : public socio::testing::TwoNodeSuite<Node> {};

TEST_F(ChamberClusterTest, AChamberWrittenOnOneNodeIsReadUpdatedAndDeletedOnTheOther) {
  ASSIGN_OR_FAIL(Chamber created,
                 a_->chambers->Create(MakeChamber("rec-muc", "IHK München"), nullptr));
  EXPECT_EQ(created.version(), 1);
  ASSIGN_OR_FAIL(Chamber on_a, a_->chambers->Get("rec-muc"));  // at once on its node
  EXPECT_EQ(on_a.SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(b_->chambers->Create(MakeChamber("rec-muc", "Again"), nullptr).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("chamber.id")));

  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Chamber on_b, b_->chambers->Get("rec-muc"));
  EXPECT_EQ(on_b.SerializeAsString(), created.SerializeAsString());
  Chamber patch;
  patch.set_id("rec-muc");
  patch.set_city("Nürnberg");
  ASSIGN_OR_FAIL(Chamber updated, b_->chambers->Update(patch, Mask({"city"}), 1));
  EXPECT_EQ(updated.version(), 2);
  // Node a has not seen version 2 yet: its write with version 1 expected
  // still loses, whatever its copy says.
  patch.set_city("Augsburg");
  EXPECT_THAT(a_->chambers->Update(patch, Mask({"city"}), 1).status(),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Chamber listed, a_->chambers->Get("rec-muc"));
  EXPECT_EQ(listed.city(), "Nürnberg");
  ASSIGN_OR_FAIL(auto page, a_->chambers->List("DE", 500, ""));
  EXPECT_THAT(page.first, ::testing::Contains(::testing::Property(&Chamber::id, "rec-muc")));

  ASSERT_THAT(a_->chambers->Delete("rec-muc", 2), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  EXPECT_THAT(b_->chambers->Get("rec-muc").status(), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ChamberClusterTest, ALinksNotificationIsCommittedWithItUnderOneSequenceOnEveryNode) {
  const uint64_t before_a = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(ChamberPartner proposed,
                 a_->chambers->Propose("seq-muc", "seq-mex", "Visits in spring", "staff:seq-muc",
                                       nullptr, nullptr));
  EXPECT_EQ(proposed.state(), ChamberPartner::PROPOSED);
  // Written with the link: on the node that wrote it at once.
  std::vector<Notification> told_on_a = To(a_->Outbox(before_a), "staff:seq-mex");
  ASSERT_THAT(told_on_a, SizeIs(1));
  EXPECT_EQ(told_on_a[0].kind(), Notification::CHAMBER_PARTNER_PROPOSED);
  EXPECT_EQ(told_on_a[0].id(), absl::StrCat("n-", told_on_a[0].sequence()));
  EXPECT_EQ(told_on_a[0].chamber_partner().chamber_id(), "seq-mex");

  // The other side accepts on node b.
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(ChamberPartner theirs, b_->chambers->GetPartner("seq-mex", "seq-muc"));
  EXPECT_EQ(theirs.state(), ChamberPartner::PROPOSED);
  ASSIGN_OR_FAIL(
      ChamberPartner accepted,
      b_->chambers->Accept("seq-mex", "seq-muc", theirs.version(), "staff:seq-mex", nullptr));
  EXPECT_EQ(accepted.state(), ChamberPartner::ACTIVE);
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(ChamberPartner mine, a_->chambers->GetPartner("seq-muc", "seq-mex"));
  EXPECT_EQ(mine.state(), ChamberPartner::ACTIVE);

  // Both nodes hold the same outbox: same sequences, same ids, in order.
  const std::vector<Notification> on_a = a_->Outbox(before_a);
  const std::vector<Notification> on_b = b_->Outbox(before_a);
  EXPECT_EQ(Described(on_a), Described(on_b));
  std::vector<Notification> accepted_told = To(on_b, "staff:seq-muc");
  ASSERT_THAT(accepted_told, SizeIs(1));
  EXPECT_EQ(accepted_told[0].kind(), Notification::CHAMBER_PARTNER_ACCEPTED);
  EXPECT_GT(accepted_told[0].sequence(), told_on_a[0].sequence());
  EXPECT_EQ(a_->notifications->last_sequence(), b_->notifications->last_sequence());
}

TEST_F(ChamberClusterTest, TwoNodesProposingThePairAtOnceMakeOneLinkAndOneNotification) {
  const uint64_t before = a_->notifications->last_sequence();
  for (int round = 0; round < 5; ++round) {
    const std::string x = absl::StrCat("race-x", round), y = absl::StrCat("race-y", round);
    absl::StatusOr<ChamberPartner> by_a, by_b;
    AtOnce(
        [&] {
          by_a = a_->chambers->Propose(x, y, "", absl::StrCat("staff:", x), nullptr, nullptr);
        },
        [&] {
          by_b = b_->chambers->Propose(y, x, "", absl::StrCat("staff:", y), nullptr, nullptr);
        });
    SCOPED_TRACE(absl::StrCat("round ", round, ": ", by_a.status().ToString(), " / ",
                              by_b.status().ToString()));
    // One proposal wins; the other is told the partnership was proposed
    // already.
    EXPECT_NE(by_a.ok(), by_b.ok());
    const absl::Status& lost = by_a.ok() ? by_b.status() : by_a.status();
    EXPECT_THAT(lost, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("accept it instead")));
  }
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  const std::vector<Notification> outbox = a_->Outbox(before);
  EXPECT_THAT(outbox, SizeIs(5));
  EXPECT_EQ(Described(outbox), Described(b_->Outbox(before)));
}

TEST_F(ChamberClusterTest, ARequestRetriedThroughAnotherNodeGetsTheFirstAnswer) {
  ASSIGN_OR_FAIL(RequestTicket ticket, RequestTicket::Make("tok-1", "CreateChamber", "req-0001"));
  ticket.set_fingerprint(FingerprintOf(MakeChamber("retry-muc", "IHK München")));
  ASSIGN_OR_FAIL(Chamber first,
                 a_->chambers->Create(MakeChamber("retry-muc", "IHK München"), &ticket));
  ASSERT_THAT(b_->Sync(), IsOk());
  // The retry reaches node b: the same answer, nothing written again.
  ASSIGN_OR_FAIL(Chamber again,
                 b_->chambers->Create(MakeChamber("retry-muc", "IHK München"), &ticket));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());

  ASSIGN_OR_FAIL(RequestTicket propose, RequestTicket::Make("tok-1", "ProposePartner", "req-0002"));
  propose.set_fingerprint(FingerprintOf(MakeChamber("retry-mex", "the proposal")));
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(ChamberPartner link, a_->chambers->Propose("retry-muc", "retry-mex", "",
                                                            "staff:retry-muc", &propose, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(
      ChamberPartner retried,
      b_->chambers->Propose("retry-muc", "retry-mex", "", "staff:retry-muc", &propose, nullptr));
  EXPECT_EQ(retried.SerializeAsString(), link.SerializeAsString());
  EXPECT_THAT(b_->Outbox(before), SizeIs(1));  // told once
}

TEST_F(ChamberClusterTest, CursorsSettingsAndParkedDeliveriesAreSharedAndCursorsNeverMoveBack) {
  ASSERT_THAT(a_->notifications->SetCursor("shared-channel", 5000), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  EXPECT_EQ(CursorOf(*b_, "shared-channel"), 5000u);
  // A holder that lost the duty and saves an older cursor moves nothing.
  ASSERT_THAT(b_->notifications->SetCursor("shared-channel", 4000), IsOk());
  ASSERT_THAT(a_->notifications->SetCursor("shared-channel", 4500), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  EXPECT_EQ(CursorOf(*a_, "shared-channel"), 5000u);
  EXPECT_EQ(CursorOf(*b_, "shared-channel"), 5000u);

  NotificationSettings settings;
  settings.set_recipient("staff:set-muc");
  settings.set_webhook_url("https://hooks.example/socio");
  settings.set_webhook_secret("0123456789abcdef0123");
  ASSIGN_OR_FAIL(NotificationSettings stored, a_->notifications->SetSettings(settings));
  EXPECT_TRUE(stored.webhook_secret().empty());
  ASSERT_THAT(b_->Sync(), IsOk());
  // Changed on node b without the secret: the one set on node a is kept.
  settings.clear_webhook_secret();
  settings.add_email_to("desk@set-muc.example");
  ASSERT_THAT(b_->notifications->SetSettings(settings), IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(NotificationSettings read, a_->notifications->Settings("staff:set-muc"));
  EXPECT_EQ(read.webhook_secret(), "0123456789abcdef0123");
  EXPECT_THAT(read.email_to(), ::testing::ElementsAre("desk@set-muc.example"));
  // A webhook without any secret is still refused, naming the field.
  settings.set_recipient("staff:set-mex");
  EXPECT_THAT(b_->notifications->SetSettings(settings).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("settings.webhook_secret")));

  ParkedDelivery parked;
  parked.set_notification_id("n-77001");
  parked.set_sequence(77001);
  parked.set_recipient("staff:set-muc");
  parked.set_channel("webhook");
  parked.set_attempts(6);
  parked.set_last_error("connection refused");
  ASSERT_THAT(a_->notifications->Park(parked), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(auto page, b_->notifications->ListParked(1000, ""));
  EXPECT_THAT(page.first, ::testing::Contains(
                              ::testing::Property(&ParkedDelivery::notification_id, "n-77001")));
}

TEST_F(ChamberClusterTest, ANodeRebuiltFromNothingHoldsTheSameOutboxAndRecords) {
  ASSERT_THAT(a_->chambers->Propose("rebuilt-muc", "rebuilt-mex", "", "staff:rebuilt-muc", nullptr,
                                    nullptr),
              IsOk());
  ASSERT_THAT(a_->chambers->Create(MakeChamber("rebuilt-muc", "IHK"), nullptr), IsOk());
  ASSIGN_OR_FAIL(std::unique_ptr<Node> fresh, Node::Start(*cluster_, dir_.Join("fresh"), 2));
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(fresh->Sync(), IsOk());
  EXPECT_EQ(Described(fresh->Outbox()), Described(a_->Outbox()));
  EXPECT_EQ(fresh->notifications->last_sequence(), a_->notifications->last_sequence());
  ASSIGN_OR_FAIL(ChamberPartner link, fresh->chambers->GetPartner("rebuilt-mex", "rebuilt-muc"));
  EXPECT_EQ(link.partner_name(), "IHK");
  EXPECT_EQ(link.state(), ChamberPartner::PROPOSED);
}

TEST_F(ChamberClusterTest, ACauseOutsideEtcdCannotWriteNotificationsOnACluster) {
  rocksdb::WriteBatch batch;
  Notification n;
  n.set_recipient("staff:x");
  EXPECT_THAT(a_->notifications->Commit(&batch, {n}, true),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("etcd")));
  EXPECT_THAT(a_->notifications->ClusterWrites(std::vector<Notification>(101, n)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 100")));
  // The embedded store has no records to give.
  TempDir dir;
  ASSIGN_OR_FAIL(std::shared_ptr<Database> database, Database::Open(dir.path(), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<NotificationStore> embedded,
                 NotificationStore::Open(database, {}));
  EXPECT_THAT(embedded->ClusterWrites({n}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Chambers on a cluster need the notifications there too.
  EXPECT_THAT(
      ChamberStore::Open(
          database, embedded.get(),
          {.reference = TestReference(), .view = a_->view.get(), .cluster = a_->records.get()})
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cluster mode")));
}

}  // namespace
}  // namespace socio::storage
