// EtcdCluster: a real etcd cluster for tests of a cluster mode. Its members
// are /usr/bin/etcd child processes on 127.0.0.1, each with a data directory
// of its own inside a temporary directory the cluster owns:
//
//   if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
//   ASSIGN_OR_FAIL(std::unique_ptr<EtcdCluster> etcd, EtcdCluster::Start({.members = 3}));
//   ... point the code under test at etcd->ClientAddresses() ...
//   ASSIGN_OR_FAIL(int leader, etcd->Leader());
//   etcd->Kill(leader);                         // kill -9: no goodbye to its peers
//   ASSIGN_OR_FAIL(int next, etcd->Leader());   // the survivors elect another
//   ASSERT_THAT(etcd->Restart(leader), IsOk());  // same data, same ports
//
// Members beat every 50 ms and call an election after 500 ms without one,
// so a leader's death is noticed and mended within about a second. Each
// member logs (zap, level warn) to a file in the cluster's directory; errors
// of Start, Restart and WaitHealthy quote the end of it.
//
// Not thread-safe: one test thread drives an EtcdCluster. The members serve
// clients from anywhere.
#ifndef SOCIO_TESTS_SUPPORT_ETCD_CLUSTER_H_
#define SOCIO_TESTS_SUPPORT_ETCD_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {

// Why a test skips when etcd cannot be run here.
inline constexpr char kEtcdMissing[] =
    "/usr/bin/etcd or /usr/bin/etcdctl is missing: install the Debian packages etcd-server "
    "and etcd-client";

// Whether etcd can be run here: /usr/bin/etcd and /usr/bin/etcdctl exist and
// are executable. Tests GTEST_SKIP() with kEtcdMissing when not.
bool EtcdAvailable();

struct EtcdClusterOptions {
  // How many members the cluster has; at least 1.
  int members = 3;
  // Flags passed to every member after the helper's own, e.g.
  // "--quota-backend-bytes=16777216" or "--auto-compaction-retention=1".
  // A flag given twice takes its last value, so these may override the
  // helper's. Default none.
  std::vector<std::string> extra_flags;
};

class EtcdCluster {
 public:
  // Starts options.members members as one new cluster (a token of its own,
  // --initial-cluster-state new), each with a fresh data directory and with
  // client and peer ports on 127.0.0.1 that the kernel handed out as free,
  // and returns once every member reports healthy. A port can be taken by
  // another process between that moment and the member's start: when a
  // member fails to bind, the whole start is tried again with new ports, up
  // to 3 times. INVALID_ARGUMENT if options.members < 1; DEADLINE_EXCEEDED
  // if a member is not healthy within 30 s, and another error if a member
  // exits; either names the member and quotes the end of its log.
  static absl::StatusOr<std::unique_ptr<EtcdCluster>> Start(const EtcdClusterOptions& options);

  // Kills every running member with SIGKILL and removes all data.
  ~EtcdCluster();
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  // The number of members, running or not.
  int size() const { return static_cast<int>(members_.size()); }

  // Member i's client address as "127.0.0.1:PORT" (a gRPC target, no
  // scheme); it stays the same across Kill and Restart. REQUIRES: 0 <= i < size().
  std::string ClientAddress(int i) const;
  // Every member's ClientAddress, member `first` first and the others after
  // it in order (a client tries them in that order), whether it runs or not.
  // REQUIRES: 0 <= first < size().
  std::vector<std::string> ClientAddressList(int first = 0) const;
  // ClientAddressList() joined by ',' (for etcdctl's --endpoints).
  std::string ClientAddresses() const;

  // The index of the current leader: a running member that a majority of
  // all members (running ones, asked with `etcdctl endpoint status`) name
  // as their leader. Asks again until there is one; DEADLINE_EXCEEDED after
  // `timeout` without one, e.g. while fewer than a majority run.
  absl::StatusOr<int> Leader(absl::Duration timeout = absl::Seconds(10)) const;

  // Kills member i with SIGKILL and reaps it; its data directory stays for
  // Restart. Nothing happens if it is not running. REQUIRES: 0 <= i < size().
  void Kill(int i);
  // Whether member i's process runs (a member that exited by itself does
  // not). REQUIRES: 0 <= i < size().
  bool Running(int i) const;

  // Starts member i again with the flags of its first start, on the same
  // data directory and ports (etcd then ignores the initial-cluster flags
  // and rejoins as the member it was), and returns once it reports healthy.
  // FAILED_PRECONDITION if it runs; DEADLINE_EXCEEDED if it is not healthy
  // within 30 s, another error if it exits (e.g. its port was taken
  // meanwhile); either quotes the end of its log.
  absl::Status Restart(int i);

  // Returns once every running member reports healthy: GET /health on its
  // client URL answers "health": "true", which needs a leader and a read
  // through it. DEADLINE_EXCEEDED after `timeout`, and another error as
  // soon as a member has exited; either names the member and quotes the end
  // of its log.
  absl::Status WaitHealthy(absl::Duration timeout);

 private:
  struct Member {
    std::string name;  // "m0", "m1", ...
    int client_port = 0;
    int peer_port = 0;
    std::vector<std::string> argv;  // As first started; Restart reuses it.
    int starts = 0;                 // Starts so far, to name each run's log.
    std::unique_ptr<ChildProcess> process;
  };

  EtcdCluster() = default;

  // Starts member i's process with its argv, logging to a file of its own.
  absl::Status StartMember(int i);
  // Waits until the members `indices` report healthy (see WaitHealthy).
  absl::Status WaitMembersHealthy(const std::vector<int>& indices, absl::Duration timeout);
  // The last lines of member i's current log, for error messages.
  std::string LogTail(int i) const;
  // Where member i's current log goes, without the .out/.err suffix.
  std::string LogPrefix(int i) const;

  TempDir dir_;  // Declared first so that it goes last, after the members.
  std::vector<Member> members_;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_ETCD_CLUSTER_H_
