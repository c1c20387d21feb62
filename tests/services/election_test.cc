// Election against a real etcd: one holder at a time, a stopped holder hands
// the duty on at once, and a holder killed with SIGKILL (a real process) is
// replaced once its lease expires, not before.
#include "services/etcd/election.h"

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/etcd/etcd_client.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::etcd {
namespace {

using socio::testing::BuiltBinary;
using socio::testing::ChildProcess;
using socio::testing::EtcdAvailable;
using socio::testing::EtcdCluster;
using socio::testing::IsOk;
using socio::testing::kEtcdMissing;
using socio::testing::TempDir;

constexpr char kDuty[] = "socio/duties/delivery";

class ElectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSIGN_OR_FAIL(cluster_, EtcdCluster::Start({.members = 1}));
    ASSIGN_OR_FAIL(etcd_, EtcdClient::Connect({.endpoints = {cluster_->ClientAddress(0)}}));
  }

  std::unique_ptr<EtcdCluster> cluster_;
  std::unique_ptr<EtcdClient> etcd_;
};

TEST_F(ElectionTest, OneHolderAtATimeAndAStoppedOneHandsOnAtOnce) {
  Election a(etcd_.get(), {.key = kDuty, .node = "node-a", .ttl = absl::Seconds(5)});
  Election b(etcd_.get(), {.key = kDuty, .node = "node-b", .ttl = absl::Seconds(5)});
  a.Start();
  ASSERT_THAT(a.AwaitHolding(absl::Seconds(5)), IsOk());
  b.Start();
  for (int i = 0; i < 40; ++i) {
    EXPECT_TRUE(a.Holding());
    EXPECT_FALSE(b.Holding());
    absl::SleepFor(absl::Milliseconds(25));
  }
  ASSIGN_OR_FAIL(std::string holder, a.Holder());
  EXPECT_EQ(holder, "node-a");

  // Stopping revokes a's lease: b takes over well within the lease's 5 s.
  const absl::Time stopped = absl::Now();
  a.Stop();
  EXPECT_FALSE(a.Holding());
  ASSERT_THAT(b.AwaitHolding(absl::Seconds(3)), IsOk());
  EXPECT_LT(absl::Now() - stopped, absl::Seconds(2));
  ASSIGN_OR_FAIL(holder, b.Holder());
  EXPECT_EQ(holder, "node-b");

  b.Stop();
  ASSIGN_OR_FAIL(holder, b.Holder());
  EXPECT_EQ(holder, "");
}

TEST_F(ElectionTest, AKilledHoldersDutyMovesOnWhenItsLeaseExpires) {
  TempDir dir;
  ASSIGN_OR_FAIL(std::unique_ptr<ChildProcess> holder,
                 ChildProcess::Start({BuiltBinary("tests/services/election_holder"),
                                      cluster_->ClientAddress(0), kDuty, "node-killed", "2"},
                                     dir.Join("holder")));
  ASSERT_THAT(holder->WaitForStderrLine("holding", absl::Seconds(10)).status(), IsOk());

  Election b(etcd_.get(), {.key = kDuty, .node = "node-b", .ttl = absl::Seconds(2)});
  b.Start();
  absl::SleepFor(absl::Seconds(1));
  EXPECT_FALSE(b.Holding());  // the living holder keeps it
  ASSIGN_OR_FAIL(std::string who, b.Holder());
  EXPECT_EQ(who, "node-killed");

  const absl::Time killed = absl::Now();
  holder->Signal(SIGKILL);
  holder->Wait();
  ASSERT_THAT(b.AwaitHolding(absl::Seconds(10)), IsOk());
  const absl::Duration takeover = absl::Now() - killed;
  // Not before the dead holder's lease could expire (its last keep-alive
  // was at most ttl / 3 before the kill), and soon after.
  EXPECT_GE(takeover, absl::Seconds(1));
  EXPECT_LE(takeover, absl::Seconds(5));
  ASSIGN_OR_FAIL(who, b.Holder());
  EXPECT_EQ(who, "node-b");
}

TEST_F(ElectionTest, AHolderThatLosesEtcdStopsHoldingBeforeItsLeaseExpires) {
  // Calls give up soon: the campaigner then stops quickly once etcd is gone.
  ASSIGN_OR_FAIL(std::unique_ptr<EtcdClient> impatient,
                 EtcdClient::Connect({.endpoints = {cluster_->ClientAddress(0)},
                                      .call_timeout = absl::Milliseconds(300)}));
  Election a(impatient.get(), {.key = kDuty, .node = "node-a", .ttl = absl::Seconds(2)});
  a.Start();
  ASSERT_THAT(a.AwaitHolding(absl::Seconds(5)), IsOk());
  const absl::Time lost = absl::Now();
  cluster_->Kill(0);  // no keep-alive can succeed from here on
  while (a.Holding() && absl::Now() - lost < absl::Seconds(5))
    absl::SleepFor(absl::Milliseconds(10));
  EXPECT_FALSE(a.Holding());
  // Half the ttl after its last keep-alive at the latest: before etcd
  // could give the duty to anyone else.
  EXPECT_LE(absl::Now() - lost, absl::Seconds(1) + absl::Milliseconds(200));
  a.Stop();
}

}  // namespace
}  // namespace socio::etcd
