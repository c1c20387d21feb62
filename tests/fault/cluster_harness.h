// ClusterHarness: the crash harness's counterpart for sociod's cluster mode
// (docs/CLUSTER.md). It runs three etcd members and three sociod nodes
// (--store etcd, each with a data directory of its own) as child processes,
// and in every cycle injects one fault while writers are busy, rotating:
//   (a) the etcd leader gets SIGKILL,
//   (b) an etcd follower gets SIGKILL,
//   (c) one sociod node gets SIGKILL (each node in turn);
// the killed process is restarted on its data, and once every node has caught
// up (a write made after the restart is visible on all of them) it checks:
//   - every writer's ledger (crash_ledger.h) against etcd's records read
//     directly, which settles the writes in flight at the fault, and then
//     against EACH node's profiles: acknowledged writes are there with their
//     version, in-flight ones whole or not at all, on every node;
//   - the three nodes hold exactly etcd's records (ids, versions, content);
//   - each node's chamber index lists exactly its profiles (server_checks.h);
//   - the nodes' change logs (WatchProfiles) are identical where they
//     overlap, strictly increasing, hold each acknowledged change once, and
//     replay to the stored profiles;
//   - each node's match index answers FindPartners for sampled members as an
//     index built here from the stored profiles does (so all three alike).
// After an etcd fault, probes (creates of new members) go through every node
// every 100 ms until each takes writes again: the time that takes is the
// outage the summary reports; a probe answered UNAVAILABLE "the write was not
// applied" must not be in etcd.
//
// Writer w writes through node w % 3. Writes that fail around the fault
// count as in flight (outcome unknown), as after the crash harness's kill:
// for an etcd fault the writers of every node, for a node's kill only that
// node's writers. So does an import answered OK with every item rejected by
// the failed transaction (a node's way of answering one).
//
//   ClusterHarness harness(options);
//   int exit_status = harness.Run();  // 0: no violation; 1: violations; 2: harness error
#ifndef SOCIO_TESTS_FAULT_CLUSTER_HARNESS_H_
#define SOCIO_TESTS_FAULT_CLUSTER_HARNESS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "matcher/features.h"
#include "reference/reference_data.h"
#include "services/etcd/etcd_client.h"
#include "tests/fault/chamber_ledger.h"
#include "tests/fault/crash_ledger.h"
#include "tests/fault/crash_writer.h"
#include "tests/fault/harness_common.h"
#include "tests/fault/server_checks.h"
#include "tests/support/etcd_cluster.h"

namespace socio::fault {

struct ClusterHarnessOptions {
  int cycles = 6;
  uint64_t seed = 1;
  int writers = 6;      // writer w writes through node w % 3
  int profiles = 1000;  // imported through node 0 before the first cycle
  bool json = false;
  int kill_min_ms = 100;  // the fault comes this long after the writers start...
  int kill_max_ms = 600;  // ...at most
  // Largest ImportProfiles stream: at most ProfileStore::kMaxProfilesPerWrite
  // (100), so that a stream is one transaction and lands whole or not at all.
  int max_import_items = 100;
  int matcher_sample = 8;   // members whose FindPartners answers are compared per node
  int full_log_every = 10;  // read the whole change logs every this many cycles
  // Every this many sociod kills the node comes back on an empty data
  // directory (a new node: a full read, a change log that starts later); 0: never.
  int fresh_node_every = 0;
  // How long writers go on after every node takes writes again (etcd
  // faults) or after a node's kill.
  int after_fault_ms = 300;
};

// The three kinds of fault, in the order cycles rotate through them.
enum class Fault { kEtcdLeader = 0, kEtcdFollower = 1, kSociod = 2 };
const char* FaultName(Fault fault);

// Totals over the run.
struct ClusterTotals {
  int cycles = 0;
  std::array<int, 3> faults{};  // by Fault
  int fresh_nodes = 0;
  WriterCounts acknowledged;
  LedgerFigures ledgers;                  // the writes in flight at the faults
  int64_t writers_stopped_by_faults = 0;  // writers whose write failed at a fault
  // Imports answered OK with every item rejected by the failed write to etcd
  // (in flight), and those of them whose items said "not applied" (checked).
  int64_t imports_failed_in_summary = 0;
  int64_t imports_not_applied = 0;
  int64_t probe_writes = 0;        // acknowledged probe and barrier writes
  int64_t probe_failures = 0;      // probe calls that failed during an outage
  int64_t probes_not_applied = 0;  // ... answered UNAVAILABLE "not applied": checked
  int64_t probes_in_flight = 0;    // ... with an unknown outcome
  int64_t probes_landed = 0;       // ... of which etcd holds the profile
  int64_t barrier_retries = 0;     // failed writes after recovery (tried again)
  // Writes through every node again, after the kill of the etcd leader / a
  // follower: the longest and the sum over such cycles, in seconds.
  double max_leader_outage = 0;
  double sum_leader_outage = 0;
  double max_follower_outage = 0;
  double max_restart_seconds = 0;   // the killed process back and healthy
  double max_catch_up_seconds = 0;  // then every node at the barrier write
  int64_t ids_checked = 0;
  int64_t profiles_compared = 0;  // node profiles compared with etcd's records
  int64_t chamber_entries_checked = 0;
  int64_t log_entries_read = 0;
  int64_t deletes_compared = 0;
  // Deletes whose commit_time differs between nodes (it is each node's clock
  // when its view applied the delete): counted, not a violation.
  int64_t delete_times_differing = 0;
  int64_t matcher_members_compared = 0;
  int64_t chamber_links = 0;  // partner links checked on each node (chamber_ledger.h), last cycle
  int64_t checks_passed = 0;
};

class ClusterHarness {
 public:
  static constexpr int kNodes = 3;

  explicit ClusterHarness(ClusterHarnessOptions options);
  ~ClusterHarness();

  int Run();

 private:
  struct Node;
  struct CycleReport;
  class LogCheck;

  bool Setup();
  size_t OwnerOf(int i) const { return static_cast<size_t>(i % options_.writers); }
  bool StartNode(int n, bool fresh);
  bool ImportInitialProfiles();
  bool RunCycle(int cycle);
  // Injects `fault`; the member or node killed goes to *killed.
  bool InjectFault(int cycle, Fault fault, int* killed, absl::Time* at);
  // Starts a create through every node every 100 ms from `since` on, until
  // each node has acknowledged one, and waits for every answer; returns the
  // time until the last node did (seconds), or -1.
  double ProbeUntilServing(int cycle, absl::Time since);
  // A create and a delete through node `through` after the restart; every
  // node must reach the delete's sequence number, with its match index.
  bool WaitForCatchUp(int cycle, int through, CycleReport* report);
  // The checks; false if any failed (violations_ says why).
  bool Verify(int cycle, int64_t acknowledged_changes, CycleReport* report);
  absl::StatusOr<StoredProfiles> ReadEtcdProfiles();
  // A ledger of its own for one probe or barrier call.
  WriterLedger* NewProbeLedger();
  std::vector<WriterLedger*> AllLedgers();
  // Folds the settled probe ledgers into one.
  void ArchiveProbeLedgers();
  // Every node's channel, in node order.
  std::vector<std::shared_ptr<grpc::Channel>> NodeChannels() const;
  std::shared_ptr<grpc::Channel> NewChannel(int node) const;
  void Violation(int cycle, const std::string& message);
  void PrintSummary(double wall_seconds) const;

  ClusterHarnessOptions options_;
  WorkDir work_dir_;
  std::unique_ptr<socio::testing::EtcdCluster> etcd_;
  std::unique_ptr<etcd::EtcdClient> etcd_client_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::shared_ptr<const reference::ReferenceData> reference_;
  std::shared_ptr<const matcher::ScoringTables> tables_;
  WriterGroup writers_;
  // Proposes partner links while the faults come (chamber_ledger.h).
  ChamberWriter chambers_;
  absl::Mutex probe_mu_;
  std::vector<std::unique_ptr<WriterLedger>> probe_ledgers_ ABSL_GUARDED_BY(probe_mu_);
  WriterLedger probe_archive_;  // every settled probe and barrier id
  // Probes answered "not applied" since the last check: never in etcd.
  std::vector<std::string> not_applied_;
  // Imports whose every item was rejected with "not applied": none may land.
  std::vector<Write> not_applied_writes_;
  std::vector<size_t> errors_seen_;  // per writer: its errors() already judged
  // Changes of the probe and barrier writes acknowledged since the last check.
  std::atomic<int64_t> harness_changes_ = 0;
  std::unique_ptr<LogCheck> log_;
  uint64_t agreed_sequence_ = 0;  // every node's last change after the last catch-up
  std::mt19937_64 rng_;
  int sociod_kills_ = 0;
  int follower_kills_ = 0;
  ClusterTotals totals_;
  std::vector<std::string> violations_;
};

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CLUSTER_HARNESS_H_
