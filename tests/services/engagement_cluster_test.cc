// EngagementStore in cluster mode with real etcd members and real RocksDB:
// marks and meeting requests written on one node are read, answered and
// listed on another; two nodes marking a pair at once tell it of its mutual
// interest once; two nodes opening a request on one pair at once open one; a
// request retried through another node gets the first answer; two nodes
// sweeping the same due request write its expiry once; and a node rebuilt
// from nothing holds the same marks, requests, lists and reveals.
//
// The etcd cluster and two nodes on it are shared by the suite's tests;
// each test uses member ids of its own.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/engagement_store.h"
#include "storage/internal/encoding.h"
#include "storage/notification_store.h"
#include "storage/request_ids.h"
#include "tests/support/cluster_node_parts.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/two_node_suite.h"

namespace socio::storage {
namespace {

using socio::testing::AtOnce;
using socio::testing::clock_ahead_seconds;
using socio::testing::Described;
using socio::testing::EtcdCluster;
using socio::testing::IsOk;
using socio::testing::Kinds;
using socio::testing::NodeClock;
using socio::testing::StatusIs;
using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::Reveal;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// One cluster node over a directory (cluster_node_parts.h) with its
// request ids, notifications and engagement.
class Node : public socio::testing::NodeParts {
 public:
  static absl::StatusOr<std::unique_ptr<Node>> Start(const EtcdCluster& cluster,
                                                     const std::string& dir, int first) {
    auto node = std::unique_ptr<Node>(new Node);
    if (absl::Status s = node->OpenParts(cluster, dir, first); !s.ok()) return s;
    if (absl::Status s = node->OpenNotifications(); !s.ok()) return s;
    absl::StatusOr<std::unique_ptr<EngagementStore>> engagement = EngagementStore::Open(
        node->database, node->notifications.get(),
        {.clock = NodeClock, .view = node->view.get(), .cluster = node->records.get()});
    if (!engagement.ok()) return engagement.status();
    node->engagement = *std::move(engagement);
    if (absl::Status s = node->Follow(); !s.ok()) return s;
    return node;
  }

  // Everything a member sees of its engagement, as text, to compare nodes:
  // its marks (mutual or not), its requests newest first, and the
  // companies it was revealed to.
  std::vector<std::string> SeenBy(const std::string& member) const {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<Interest>> marks = engagement->MarksOf(member);
    EXPECT_THAT(marks, IsOk());
    if (marks.ok()) {
      for (Interest& mark : *marks) {
        absl::StatusOr<std::optional<Interest>> read =
            engagement->GetInterest(member, mark.partner_ref());
        EXPECT_THAT(read, IsOk());
        if (read.ok() && read->has_value()) {
          out.push_back(absl::StrCat("mark ", mark.partner_ref(), " ",
                                     Interest::Mark_Name((*read)->mark()), " mutual ",
                                     (*read)->mutual()));
        }
      }
    }
    absl::StatusOr<std::pair<std::vector<MeetingRequest>, std::string>> requests =
        engagement->ListRequests({.member_id = member}, EngagementStore::kMaxPageSize, "");
    EXPECT_THAT(requests, IsOk());
    if (requests.ok()) {
      for (const MeetingRequest& r : requests->first) {
        out.push_back(
            absl::StrCat("request ", r.id(), " ", RequestStateName(r.state()), " v", r.version()));
      }
    }
    absl::StatusOr<std::pair<std::vector<Reveal>, std::string>> reveals =
        engagement->ListReveals(member, EngagementStore::kMaxPageSize, "");
    EXPECT_THAT(reveals, IsOk());
    if (reveals.ok()) {
      for (const Reveal& r : reveals->first) {
        out.push_back(
            absl::StrCat("revealed to ", r.revealed_to(), " ", Reveal::Reason_Name(r.reason())));
      }
    }
    return out;
  }

  std::unique_ptr<EngagementStore> engagement;

 private:
  Node() = default;
};

// A standalone request from `from` to `to`, proposing tomorrow morning.
MeetingRequest Asking(const std::string& from, const std::string& to) {
  MeetingRequest request;
  request.set_from_member_id(from);
  request.set_to_ref(to);
  request.set_message("Shall we meet about solar inverters?");
  socio::v1::TimeWindow* window = request.add_proposed();
  const absl::Time start = absl::Now() + absl::Hours(24);
  *window->mutable_start_time() = internal::ToTimestamp(start);
  *window->mutable_end_time() = internal::ToTimestamp(start + absl::Hours(1));
  return request;
}

EngagementStore::NewRequest How(absl::Duration expiry = absl::Hours(24 * 7)) {
  return {.from_chamber = "ihk-muc", .to_chamber = "cc-bcn", .expiry = expiry, .by = "member"};
}

// Nodes a_ and b_ on one etcd cluster, shared by the tests (two_node_suite.h).
class EngagementClusterTest : public socio::testing::TwoNodeSuite<Node> {};

TEST_F(EngagementClusterTest, AMarkOnEachNodeMakesThePairMutualWithRevealsOnBothNodes) {
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(Interest first, a_->engagement->SetInterest("mx-1", "my-1", Interest::INTERESTED,
                                                             "member", nullptr));
  EXPECT_FALSE(first.mutual());
  ASSERT_THAT(b_->Sync(), IsOk());
  // Node b knows the first mark: the second makes the pair mutual.
  ASSIGN_OR_FAIL(Interest second, b_->engagement->SetInterest("my-1", "mx-1", Interest::MUST_MEET,
                                                              "member", nullptr));
  EXPECT_TRUE(second.mutual());
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(std::optional<Interest> on_a, a_->engagement->GetInterest("mx-1", "my-1"));
  ASSERT_TRUE(on_a.has_value());
  EXPECT_TRUE(on_a->mutual());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(Kinds(node->Outbox(before)),
                ElementsAre("MUTUAL_INTEREST my-1", "MUTUAL_INTEREST mx-1"));
    ASSIGN_OR_FAIL(bool x_shown, node->engagement->IsRevealed("mx-1", "my-1"));
    ASSIGN_OR_FAIL(bool y_shown, node->engagement->IsRevealed("my-1", "mx-1"));
    EXPECT_TRUE(x_shown);
    EXPECT_TRUE(y_shown);
  }
  EXPECT_EQ(Described(a_->Outbox(before)), Described(b_->Outbox(before)));
  EXPECT_EQ(a_->SeenBy("mx-1"), b_->SeenBy("mx-1"));

  // Clearing a mark on one node clears it on the other.
  ASSERT_THAT(
      b_->engagement->SetInterest("mx-1", "my-1", Interest::MARK_UNSPECIFIED, "member", nullptr),
      IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSIGN_OR_FAIL(on_a, a_->engagement->GetInterest("mx-1", "my-1"));
  EXPECT_FALSE(on_a.has_value());
  ASSIGN_OR_FAIL(std::optional<Interest> theirs, a_->engagement->GetInterest("my-1", "mx-1"));
  ASSERT_TRUE(theirs.has_value());
  EXPECT_FALSE(theirs->mutual());
  // The reveals stay on record.
  ASSIGN_OR_FAIL(bool still_shown, a_->engagement->IsRevealed("mx-1", "my-1"));
  EXPECT_TRUE(still_shown);
}

// Each node reads the other side's mark as absent when both write at once;
// the write that lands second must see the first, or neither side would
// ever be told.
TEST_F(EngagementClusterTest, TwoNodesMarkingAPairAtOnceTellItOfItsMutualInterestOnce) {
  constexpr int kRounds = 5;
  const uint64_t before = a_->notifications->last_sequence();
  for (int round = 0; round < kRounds; ++round) {
    const std::string x = absl::StrCat("race-mx", round), y = absl::StrCat("race-my", round);
    absl::StatusOr<Interest> by_a, by_b;
    AtOnce(
        [&] { by_a = a_->engagement->SetInterest(x, y, Interest::INTERESTED, "member", nullptr); },
        [&] { by_b = b_->engagement->SetInterest(y, x, Interest::INTERESTED, "member", nullptr); });
    SCOPED_TRACE(absl::StrCat("round ", round));
    ASSERT_THAT(by_a, IsOk());
    ASSERT_THAT(by_b, IsOk());
    // Whichever landed second saw the first.
    EXPECT_TRUE(by_a->mutual() || by_b->mutual());
  }
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  const std::vector<Notification> outbox = a_->Outbox(before);
  EXPECT_THAT(outbox, SizeIs(2 * kRounds));  // both sides, once per pair
  for (const Notification& n : outbox) EXPECT_EQ(n.kind(), Notification::MUTUAL_INTEREST);
  EXPECT_EQ(Described(outbox), Described(b_->Outbox(before)));
  for (int round = 0; round < kRounds; ++round) {
    ASSIGN_OR_FAIL(bool shown, b_->engagement->IsRevealed(absl::StrCat("race-mx", round),
                                                          absl::StrCat("race-my", round)));
    EXPECT_TRUE(shown) << "round " << round;
  }
}

TEST_F(EngagementClusterTest, ARequestSentOnOneNodeIsAnsweredOnTheOtherAndListedOnBoth) {
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(MeetingRequest sent,
                 a_->engagement->CreateRequest(Asking("rq-x", "rq-y"), How(), nullptr, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(MeetingRequest on_b, b_->engagement->GetRequest(sent.id()));
  EXPECT_EQ(on_b.SerializeAsString(), sent.SerializeAsString());
  // The receiver's chamber lists it on node b.
  ASSIGN_OR_FAIL(auto chamber_list,
                 b_->engagement->ListRequests({.chamber_id = "cc-bcn"}, 500, ""));
  bool listed = false;
  for (const MeetingRequest& r : chamber_list.first) listed |= r.id() == sent.id();
  EXPECT_TRUE(listed) << "the receiver's chamber does not list the request on the other node";

  ASSIGN_OR_FAIL(
      MeetingRequest accepted,
      b_->engagement->Answer(sent.id(),
                             {.accept = true, .window = 0, .by = "member", .expected_version = 1},
                             nullptr));
  EXPECT_EQ(accepted.state(), MeetingRequest::ACCEPTED);
  EXPECT_EQ(accepted.version(), 2);
  ASSERT_THAT(a_->Sync(), IsOk());
  // Node a's copy is version 2: an answer made there on version 1 is stale.
  EXPECT_THAT(a_->engagement->Cancel(
                  sent.id(), {.side = "rq-x", .by = "member", .expected_version = 1}, nullptr),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  ASSIGN_OR_FAIL(MeetingRequest on_a, a_->engagement->GetRequest(sent.id()));
  EXPECT_EQ(on_a.state(), MeetingRequest::ACCEPTED);
  EXPECT_EQ(on_a.calendar_uid(), absl::StrCat(sent.id(), "@socio"));
  // A new request on the pair is allowed once the first is answered.
  ASSERT_THAT(a_->engagement->CreateRequest(Asking("rq-y", "rq-x"), How(), nullptr, nullptr),
              IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(Kinds(node->Outbox(before)),
                ElementsAre("REQUEST_RECEIVED rq-y", "REQUEST_ACCEPTED rq-x",
                            "REQUEST_ACCEPTED rq-y", "REQUEST_RECEIVED rq-x"));
  }
  EXPECT_EQ(a_->SeenBy("rq-x"), b_->SeenBy("rq-x"));
  EXPECT_THAT(a_->SeenBy("rq-x"), SizeIs(3));  // two requests, one reveal
}

TEST_F(EngagementClusterTest, TwoNodesOpeningARequestOnOnePairAtOnceOpenOne) {
  constexpr int kRounds = 5;
  const uint64_t before = a_->notifications->last_sequence();
  for (int round = 0; round < kRounds; ++round) {
    const std::string x = absl::StrCat("open-x", round), y = absl::StrCat("open-y", round);
    absl::StatusOr<MeetingRequest> by_a, by_b;
    AtOnce([&] { by_a = a_->engagement->CreateRequest(Asking(x, y), How(), nullptr, nullptr); },
           [&] { by_b = b_->engagement->CreateRequest(Asking(y, x), How(), nullptr, nullptr); });
    SCOPED_TRACE(absl::StrCat("round ", round, ": ", by_a.status().ToString(), " / ",
                              by_b.status().ToString()));
    EXPECT_NE(by_a.ok(), by_b.ok());
    const absl::Status& lost = by_a.ok() ? by_b.status() : by_a.status();
    EXPECT_THAT(lost, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("PENDING")));
  }
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  EXPECT_THAT(a_->Outbox(before), SizeIs(kRounds));  // one REQUEST_RECEIVED each
  EXPECT_EQ(Described(a_->Outbox(before)), Described(b_->Outbox(before)));
}

TEST_F(EngagementClusterTest, ARequestRetriedThroughAnotherNodeGetsTheFirstAnswer) {
  ASSIGN_OR_FAIL(RequestTicket ticket,
                 RequestTicket::Make("tok-1", "CreateMeetingRequest", "req-0001"));
  ticket.set_fingerprint(FingerprintOf(Asking("retry-x", "retry-y")));
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(MeetingRequest first, a_->engagement->CreateRequest(Asking("retry-x", "retry-y"),
                                                                     How(), &ticket, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(MeetingRequest again, b_->engagement->CreateRequest(Asking("retry-x", "retry-y"),
                                                                     How(), &ticket, nullptr));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(b_->Outbox(before), SizeIs(1));  // told once
}

TEST_F(EngagementClusterTest, TwoNodesSweepingADueRequestWriteItsExpiryOnce) {
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(MeetingRequest sent,
                 a_->engagement->CreateRequest(Asking("due-x", "due-y"), How(absl::Hours(1)),
                                               nullptr, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  clock_ahead_seconds = 2 * 3600;
  absl::StatusOr<int> by_a, by_b;
  AtOnce([&] { by_a = a_->engagement->ExpireDue(500, nullptr); },
         [&] { by_b = b_->engagement->ExpireDue(500, nullptr); });
  clock_ahead_seconds = 0;
  ASSERT_THAT(by_a, IsOk());
  ASSERT_THAT(by_b, IsOk());
  EXPECT_EQ(*by_a + *by_b, 1) << "a: " << *by_a << ", b: " << *by_b;
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(Kinds(node->Outbox(before)),
                ElementsAre("REQUEST_RECEIVED due-y", "REQUEST_EXPIRED due-x"));
    ASSIGN_OR_FAIL(MeetingRequest read, node->engagement->GetRequest(sent.id()));
    EXPECT_EQ(read.state(), MeetingRequest::EXPIRED);
    EXPECT_EQ(read.version(), 2);
    // Nothing is due any more on either node.
    ASSIGN_OR_FAIL(int none, node->engagement->ExpireDue(500, nullptr));
    EXPECT_EQ(none, 0);
  }
}

TEST_F(EngagementClusterTest, ANodeRebuiltFromNothingHoldsTheSameMarksRequestsAndReveals) {
  ASSERT_THAT(
      a_->engagement->SetInterest("fresh-x", "fresh-y", Interest::INTERESTED, "member", nullptr),
      IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSERT_THAT(
      b_->engagement->SetInterest("fresh-y", "fresh-x", Interest::INTERESTED, "member", nullptr),
      IsOk());
  ASSIGN_OR_FAIL(MeetingRequest sent, b_->engagement->CreateRequest(Asking("fresh-x", "fresh-y"),
                                                                    How(), nullptr, nullptr));
  ASSIGN_OR_FAIL(std::unique_ptr<Node> fresh, Node::Start(*cluster_, dir_.Join("fresh"), 2));
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(fresh->Sync(), IsOk());
  for (const std::string member : {"fresh-x", "fresh-y"}) {
    EXPECT_EQ(fresh->SeenBy(member), a_->SeenBy(member)) << member;
    EXPECT_THAT(fresh->SeenBy(member), SizeIs(3)) << member;  // mark, request, reveal
  }
  // The rebuilt node's open-pair row holds: a second request is refused.
  EXPECT_THAT(
      fresh->engagement->CreateRequest(Asking("fresh-y", "fresh-x"), How(), nullptr, nullptr),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(sent.id())));
}

TEST_F(EngagementClusterTest, TheStoreRefusesToMixClusterAndEmbeddedParts) {
  socio::testing::TempDir dir;
  ASSIGN_OR_FAIL(std::shared_ptr<Database> local, Database::Open(dir.Join("db"), {}));
  ASSIGN_OR_FAIL(std::unique_ptr<NotificationStore> embedded, NotificationStore::Open(local, {}));
  EXPECT_THAT(EngagementStore::Open(local, embedded.get(),
                                    {.view = a_->view.get(), .cluster = a_->records.get()}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("go together")));
}

}  // namespace
}  // namespace socio::storage
