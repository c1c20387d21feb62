// The etcd cluster helper (tests/support/etcd_cluster.h) against real etcd
// processes: the members elect a leader and replicate a write, the
// survivors elect another when the leader is killed, and the killed member
// comes back on its data and catches up.
#include "tests/support/etcd_cluster.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {
namespace {

using ::testing::AllOf;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Lt;
using ::testing::Ne;

// Runs etcdctl (API v3) with `args`; output files go to `scratch`.
absl::StatusOr<CommandResult> Etcdctl(const TempDir& scratch, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/env", "ETCDCTL_API=3", "/usr/bin/etcdctl",
                                   "--dial-timeout=2s", "--command-timeout=5s"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(std::move(argv), scratch.path());
}

// What `etcdctl get key --print-value-only` at `endpoints` prints, without
// the trailing newline; the error (with etcdctl's stderr) when it fails.
absl::StatusOr<std::string> Get(const TempDir& scratch, const std::string& endpoints,
                                const std::string& key) {
  absl::StatusOr<CommandResult> result =
      Etcdctl(scratch, {"--endpoints=" + endpoints, "get", key, "--print-value-only"});
  if (!result.ok()) return result.status();
  if (result->exit_status != 0) {
    return absl::UnavailableError(absl::StrCat("etcdctl get at ", endpoints, " exited with ",
                                               result->exit_status, ": ", result->err));
  }
  return std::string(absl::StripTrailingAsciiWhitespace(result->out));
}

// Runs `etcdctl put key value` at `endpoints`; the error (with etcdctl's
// stderr) when it fails.
absl::Status Put(const TempDir& scratch, const std::string& endpoints, const std::string& key,
                 const std::string& value) {
  absl::StatusOr<CommandResult> result =
      Etcdctl(scratch, {"--endpoints=" + endpoints, "put", key, value});
  if (!result.ok()) return result.status();
  if (result->exit_status != 0 || !absl::StrContains(result->out, "OK")) {
    return absl::UnavailableError(absl::StrCat("etcdctl put at ", endpoints, " exited with ",
                                               result->exit_status, ": ", result->out,
                                               result->err));
  }
  return absl::OkStatus();
}

TEST(EtcdClusterTest, RejectsAClusterWithoutMembers) {
  absl::StatusOr<std::unique_ptr<EtcdCluster>> cluster = EtcdCluster::Start({.members = 0});
  EXPECT_EQ(cluster.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EtcdClusterTest, AMemberThatExitsFailsTheStartWithItsLog) {
  if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
  // extra_flags reach every member; etcd refuses one it does not know.
  absl::StatusOr<std::unique_ptr<EtcdCluster>> cluster =
      EtcdCluster::Start({.members = 1, .extra_flags = {"--no-such-flag"}});
  ASSERT_FALSE(cluster.ok());
  EXPECT_THAT(cluster.status().message(), HasSubstr("etcd member m0"));
  EXPECT_THAT(cluster.status().message(), HasSubstr("flag provided but not defined"));
}

TEST(EtcdClusterTest, ElectsReplicatesFailsOverAndRestarts) {
  if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
  TempDir scratch;
  ASSIGN_OR_FAIL(std::unique_ptr<EtcdCluster> etcd, EtcdCluster::Start({.members = 3}));
  ASSERT_EQ(etcd->size(), 3);

  // Three distinct "127.0.0.1:PORT" addresses, the list of them in order.
  std::set<std::string> distinct;
  for (int i = 0; i < etcd->size(); ++i) {
    EXPECT_TRUE(absl::StartsWith(etcd->ClientAddress(i), "127.0.0.1:")) << etcd->ClientAddress(i);
    EXPECT_TRUE(etcd->Running(i)) << i;
    distinct.insert(etcd->ClientAddress(i));
  }
  EXPECT_EQ(distinct.size(), 3u);
  EXPECT_EQ(etcd->ClientAddresses(),
            absl::StrCat(etcd->ClientAddress(0), ",", etcd->ClientAddress(1), ",",
                         etcd->ClientAddress(2)));

  ASSIGN_OR_FAIL(const int leader, etcd->Leader());
  EXPECT_THAT(leader, AllOf(Ge(0), Lt(3)));

  // A write through the cluster reads back from every member.
  ASSERT_THAT(Put(scratch, etcd->ClientAddresses(), "k", "v"), IsOk());
  for (int i = 0; i < etcd->size(); ++i) {
    ASSIGN_OR_FAIL(const std::string value, Get(scratch, etcd->ClientAddress(i), "k"));
    EXPECT_EQ(value, "v") << "member " << i;
  }

  // Restart is only for stopped members.
  EXPECT_EQ(etcd->Restart(leader).code(), absl::StatusCode::kFailedPrecondition);

  // kill -9 of the leader: the two others elect one of them, and the
  // cluster still takes writes.
  const absl::Time killed_at = absl::Now();
  etcd->Kill(leader);
  EXPECT_FALSE(etcd->Running(leader));
  etcd->Kill(leader);  // Harmless when stopped.
  ASSIGN_OR_FAIL(const int next_leader, etcd->Leader(absl::Seconds(10)));
  EXPECT_THAT(next_leader, Ne(leader));
  EXPECT_TRUE(etcd->Running(next_leader));
  EXPECT_LT(absl::Now() - killed_at, absl::Seconds(10));
  ASSERT_THAT(Put(scratch, etcd->ClientAddresses(), "k", "v2"), IsOk());
  ASSERT_THAT(etcd->WaitHealthy(absl::Seconds(10)), IsOk());

  // The killed member comes back on its data at its address and catches up.
  ASSERT_THAT(etcd->Restart(leader), IsOk());
  EXPECT_TRUE(etcd->Running(leader));
  ASSIGN_OR_FAIL(const std::string value, Get(scratch, etcd->ClientAddress(leader), "k"));
  EXPECT_EQ(value, "v2");
  ASSERT_THAT(etcd->WaitHealthy(absl::Seconds(10)), IsOk());
  ASSIGN_OR_FAIL(const int after_restart, etcd->Leader());
  EXPECT_THAT(after_restart, AllOf(Ge(0), Lt(3)));
}

}  // namespace
}  // namespace socio::testing
