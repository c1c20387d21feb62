// PartnershipStore in cluster mode with real etcd members and real RocksDB:
// a partnership created on one node is read, reviewed and updated on
// another; two nodes recording a review at once number them 1 and 2; two
// nodes reminding of the same due review send it once; a request retried
// through another node gets the first answer; and a node rebuilt from
// nothing holds the same partnerships, reviews and lists.
//
// The etcd cluster and two nodes on it are shared by the suite's tests;
// each test uses member ids of its own.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/partnership_store.h"
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
using socio::v1::Notification;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

// One cluster node over a directory (cluster_node_parts.h) with its
// request ids, notifications and partnerships.
class Node : public socio::testing::NodeParts {
 public:
  static absl::StatusOr<std::unique_ptr<Node>> Start(const EtcdCluster& cluster,
                                                     const std::string& dir, int first) {
    auto node = std::unique_ptr<Node>(new Node);
    if (absl::Status s = node->OpenParts(cluster, dir, first); !s.ok()) return s;
    if (absl::Status s = node->OpenNotifications(); !s.ok()) return s;
    absl::StatusOr<std::unique_ptr<PartnershipStore>> partnerships = PartnershipStore::Open(
        node->database, node->notifications.get(),
        {.clock = NodeClock, .view = node->view.get(), .cluster = node->records.get()});
    if (!partnerships.ok()) return partnerships.status();
    node->partnerships = *std::move(partnerships);
    if (absl::Status s = node->Follow(); !s.ok()) return s;
    return node;
  }

  // A member's partnerships and each one's reviews, as text, to compare
  // nodes.
  std::vector<std::string> SeenBy(const std::string& member) const {
    std::vector<std::string> out;
    absl::StatusOr<std::pair<std::vector<Partnership>, std::string>> page =
        partnerships->List({.member_id = member}, PartnershipStore::kMaxPageSize, "");
    EXPECT_THAT(page, IsOk());
    if (!page.ok()) return out;
    for (const Partnership& p : page->first) {
      out.push_back(absl::StrCat(p.id(), " v", p.version(), " ",
                                 Partnership::Status_Name(p.status()), " reviews ",
                                 p.review_count(), " reminded ", p.review_reminded()));
      absl::StatusOr<std::pair<std::vector<PartnershipReview>, std::string>> reviews =
          partnerships->ListReviews(p.id(), PartnershipStore::kMaxPageSize, "");
      EXPECT_THAT(reviews, IsOk());
      if (!reviews.ok()) continue;
      for (const PartnershipReview& r : reviews->first) {
        out.push_back(absl::StrCat("  review ", r.number(), " by ", r.recorded_by()));
      }
    }
    return out;
  }

  std::unique_ptr<PartnershipStore> partnerships;

 private:
  Node() = default;
};

// A partnership of `first` and `second` with one goal, reviewed every two
// weeks.
Partnership Between(const std::string& first, const std::string& second) {
  Partnership p;
  p.set_first_member_id(first);
  p.set_second_member_id(second);
  p.set_first_chamber_id("ihk-muc");
  p.set_second_chamber_id("camara-scl");
  p.set_title("Valves for Chilean mining");
  p.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  p.mutable_origin()->set_source_request_id("mr-0123456789abcdef");
  socio::v1::SharedGoal* goal = p.add_goals();
  goal->set_title("Sell valves");
  goal->mutable_indicator()->set_name("Units sold");
  goal->mutable_indicator()->set_unit("count");
  goal->mutable_indicator()->set_target(100);
  goal->mutable_indicator()->set_due_date("2027-12-31");
  p.set_review_every_weeks(2);
  return p;
}

PartnershipReview Review(double units) {
  PartnershipReview r;
  r.set_judgement(PartnershipReview::ON_TRACK);
  r.set_note("First containers shipped.");
  auto* reading = r.add_readings();
  reading->set_indicator("Units sold");
  reading->set_value(units);
  return r;
}

PartnershipStore::Actor As(const std::string& member, bool first) {
  return {.by = absl::StrCat("member:", member), .first = first, .second = !first};
}

// Nodes a_ and b_ on one etcd cluster, shared by the tests (two_node_suite.h).
class PartnershipClusterTest : public socio::testing::TwoNodeSuite<Node> {};

TEST_F(PartnershipClusterTest, ACreatedPartnershipIsReadReviewedAndUpdatedOnTheOtherNode) {
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(Partnership created, a_->partnerships->Create(Between("pa-x", "pa-y"),
                                                               As("pa-x", true), nullptr, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Partnership on_b, b_->partnerships->Get(created.id()));
  EXPECT_EQ(on_b.SerializeAsString(), created.SerializeAsString());

  ASSIGN_OR_FAIL(
      PartnershipReview review,
      b_->partnerships->RecordReview(created.id(), Review(5), 1, As("pa-y", false), nullptr));
  EXPECT_EQ(review.number(), 1);
  ASSERT_THAT(a_->Sync(), IsOk());
  // Node a's copy is version 2: a change made there on version 1 is stale.
  Partnership patch;
  patch.set_id(created.id());
  patch.set_status(Partnership::ACTIVE);
  google::protobuf::FieldMask status;
  status.add_paths("status");
  EXPECT_THAT(a_->partnerships->Update(patch, status, 1, As("pa-x", true), nullptr),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  ASSIGN_OR_FAIL(Partnership active,
                 a_->partnerships->Update(patch, status, 2, As("pa-x", true), nullptr));
  EXPECT_EQ(active.status(), Partnership::ACTIVE);
  ASSERT_THAT(b_->Sync(), IsOk());
  for (Node* node : {a_.get(), b_.get()}) {
    EXPECT_THAT(Kinds(node->Outbox(before)),
                ::testing::ElementsAre("PARTNERSHIP_CREATED pa-y", "PARTNERSHIP_REVIEWED pa-x",
                                       "PARTNERSHIP_STATUS_CHANGED pa-y"));
    EXPECT_THAT(node->SeenBy("pa-x"), SizeIs(2));  // the partnership, its review
  }
  EXPECT_EQ(a_->SeenBy("pa-x"), b_->SeenBy("pa-x"));
  EXPECT_EQ(Described(a_->Outbox(before)), Described(b_->Outbox(before)));
}

// Each node reads review_count 0 when both record at once; the write that
// lands second must see the first, or both would be review 1 and one lost.
TEST_F(PartnershipClusterTest, TwoNodesRecordingAReviewAtOnceNumberThemOneAndTwo) {
  ASSIGN_OR_FAIL(Partnership created, a_->partnerships->Create(Between("pr-x", "pr-y"),
                                                               As("pr-x", true), nullptr, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  absl::StatusOr<PartnershipReview> by_a, by_b;
  AtOnce(
      [&] {
        by_a =
            a_->partnerships->RecordReview(created.id(), Review(3), 0, As("pr-x", true), nullptr);
      },
      [&] {
        by_b =
            b_->partnerships->RecordReview(created.id(), Review(4), 0, As("pr-y", false), nullptr);
      });
  ASSERT_THAT(by_a, IsOk());
  ASSERT_THAT(by_b, IsOk());
  EXPECT_THAT((std::vector<int>{by_a->number(), by_b->number()}), UnorderedElementsAre(1, 2));
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Partnership read, a_->partnerships->Get(created.id()));
  EXPECT_EQ(read.review_count(), 2);
  EXPECT_EQ(read.version(), 3);
  EXPECT_THAT(a_->SeenBy("pr-x"), SizeIs(3));  // the partnership, two reviews
  EXPECT_EQ(a_->SeenBy("pr-x"), b_->SeenBy("pr-x"));
}

TEST_F(PartnershipClusterTest, TwoNodesRemindingOfADueReviewSendItOnce) {
  ASSIGN_OR_FAIL(Partnership created, a_->partnerships->Create(Between("pd-x", "pd-y"),
                                                               As("pd-x", true), nullptr, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  const uint64_t before = a_->notifications->last_sequence();
  clock_ahead_seconds = 15 * 24 * 3600;  // past the two weeks
  absl::StatusOr<int> by_a, by_b;
  AtOnce([&] { by_a = a_->partnerships->RemindDue(500, nullptr); },
         [&] { by_b = b_->partnerships->RemindDue(500, nullptr); });
  ASSERT_THAT(by_a, IsOk());
  ASSERT_THAT(by_b, IsOk());
  ASSERT_THAT(a_->Sync(), IsOk());
  ASSERT_THAT(b_->Sync(), IsOk());
  // Other tests' partnerships may be due too; this one is reminded once.
  std::vector<std::string> mine;
  for (const Notification& n : a_->Outbox(before)) {
    if (n.partnership().id() == created.id()) mine.push_back(n.recipient());
  }
  EXPECT_THAT(mine, UnorderedElementsAre("pd-x", "pd-y"));
  // Nothing is due any more on either node.
  for (Node* node : {a_.get(), b_.get()}) {
    ASSIGN_OR_FAIL(int none, node->partnerships->RemindDue(500, nullptr));
    EXPECT_EQ(none, 0);
  }
  clock_ahead_seconds = 0;
  ASSIGN_OR_FAIL(Partnership read, b_->partnerships->Get(created.id()));
  EXPECT_TRUE(read.review_reminded());
  EXPECT_EQ(Described(a_->Outbox(before)), Described(b_->Outbox(before)));
}

TEST_F(PartnershipClusterTest, ARequestRetriedThroughAnotherNodeGetsTheFirstAnswer) {
  ASSIGN_OR_FAIL(RequestTicket ticket,
                 RequestTicket::Make("tok-1", "CreatePartnership", "req-0001"));
  ticket.set_fingerprint(FingerprintOf(Between("pt-x", "pt-y")));
  const uint64_t before = a_->notifications->last_sequence();
  ASSIGN_OR_FAIL(Partnership first, a_->partnerships->Create(Between("pt-x", "pt-y"),
                                                             As("pt-x", true), &ticket, nullptr));
  ASSERT_THAT(b_->Sync(), IsOk());
  ASSIGN_OR_FAIL(Partnership again, b_->partnerships->Create(Between("pt-x", "pt-y"),
                                                             As("pt-x", true), &ticket, nullptr));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(b_->Outbox(before), SizeIs(1));  // told once
  EXPECT_THAT(b_->SeenBy("pt-x"), SizeIs(1));  // one partnership
}

TEST_F(PartnershipClusterTest, ANodeRebuiltFromNothingHoldsTheSamePartnershipsAndReviews) {
  ASSIGN_OR_FAIL(Partnership created, a_->partnerships->Create(Between("pf-x", "pf-y"),
                                                               As("pf-x", true), nullptr, nullptr));
  ASSERT_THAT(
      a_->partnerships->RecordReview(created.id(), Review(7), 1, As("pf-y", false), nullptr),
      IsOk());
  ASSIGN_OR_FAIL(std::unique_ptr<Node> fresh, Node::Start(*cluster_, dir_.Join("fresh"), 2));
  ASSERT_THAT(fresh->Sync(), IsOk());
  for (const std::string member : {"pf-x", "pf-y"}) {
    EXPECT_EQ(fresh->SeenBy(member), a_->SeenBy(member)) << member;
    EXPECT_THAT(fresh->SeenBy(member), SizeIs(2)) << member;
  }
  ASSIGN_OR_FAIL(auto chamber_page,
                 fresh->partnerships->List({.chamber_id = "camara-scl"}, 500, ""));
  bool listed = false;
  for (const Partnership& p : chamber_page.first) listed |= p.id() == created.id();
  EXPECT_TRUE(listed) << "the rebuilt node's chamber list misses the partnership";
}

}  // namespace
}  // namespace socio::storage
