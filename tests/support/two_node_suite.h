// A googletest fixture for tests of stores in cluster mode: one 3-member
// etcd cluster and two nodes on it, a_ and b_, started once for the whole
// suite (a node's database takes about a second to create) and shared by
// its tests, each of which therefore writes ids of its own.
//
//   class Node {  // a test's node: its stores over a view that follows etcd
//    public:
//     static absl::StatusOr<std::unique_ptr<Node>> Start(
//         const EtcdCluster& cluster, const std::string& dir, int first_member);
//     absl::Status Sync();  // returns once it holds every write etcd had
//   };
//   class MyClusterTest : public socio::testing::TwoNodeSuite<Node> {};
//   TEST_F(MyClusterTest, ...) { a_->...; ASSERT_THAT(b_->Sync(), IsOk()); }
//
// Each test starts with both nodes synced; without etcd it is skipped.
#ifndef SOCIO_TESTS_SUPPORT_TWO_NODE_SUITE_H_
#define SOCIO_TESTS_SUPPORT_TWO_NODE_SUITE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {

template <typename Node>
class TwoNodeSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!EtcdAvailable()) return;
    suite_error_ = StartSuite();
  }
  static void TearDownTestSuite() {
    b_.reset();
    a_.reset();
    cluster_.reset();
    nodes_dir_.reset();
  }

  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSERT_THAT(suite_error_, IsOk());
    ASSERT_THAT(a_->Sync(), IsOk());
    ASSERT_THAT(b_->Sync(), IsOk());
  }

  inline static absl::Status suite_error_;
  inline static std::unique_ptr<EtcdCluster> cluster_;
  inline static std::unique_ptr<TempDir> nodes_dir_;
  inline static std::unique_ptr<Node> a_;
  inline static std::unique_ptr<Node> b_;
  TempDir dir_;  // for the nodes of one test

 private:
  static absl::Status StartSuite() {
    absl::StatusOr<std::unique_ptr<EtcdCluster>> cluster = EtcdCluster::Start({.members = 3});
    if (!cluster.ok()) return cluster.status();
    cluster_ = *std::move(cluster);
    nodes_dir_ = std::make_unique<TempDir>();
    // The nodes talk to different etcd members first.
    absl::StatusOr<std::unique_ptr<Node>> a = Node::Start(*cluster_, nodes_dir_->Join("a"), 0);
    if (!a.ok()) return a.status();
    a_ = *std::move(a);
    absl::StatusOr<std::unique_ptr<Node>> b = Node::Start(*cluster_, nodes_dir_->Join("b"), 1);
    if (!b.ok()) return b.status();
    b_ = *std::move(b);
    return absl::OkStatus();
  }
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_TWO_NODE_SUITE_H_
