// socio-cluster-harness: three etcd members and three sociod nodes in
// cluster mode; kills the etcd leader, an etcd follower or a node with
// SIGKILL while writers are busy, again and again, and checks after every
// restart that every node holds exactly etcd's records, acknowledged writes
// survived whole and unacknowledged ones are whole or absent, the change logs
// agree, and the indexes follow (see cluster_harness.h).
//
//   build/tests/fault/socio-cluster-harness --cycles 30 --seed 1
//
// Progress goes to stderr, one line per cycle; the summary to stdout (JSON
// with --json). Exit status 0: no violation; 1: violations, each on stderr
// with what was expected and what was found; 2: the harness could not run;
// 77: etcd is not installed (skipped).
#include <cstdio>

#include "CLI/CLI.hpp"
#include "storage/profile_store.h"
#include "tests/fault/cluster_harness.h"
#include "tests/support/etcd_cluster.h"

int main(int argc, char** argv) {
  socio::fault::ClusterHarnessOptions options;
  CLI::App app{
      "socio-cluster-harness: kill etcd members and sociod nodes of a cluster with SIGKILL under "
      "load and check every node's data"};
  app.add_option("--cycles", options.cycles,
                 "fault and restart cycles; they rotate: etcd leader, etcd follower, sociod node")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--seed", options.seed, "seeds the profiles, the writes and the fault times")
      ->capture_default_str();
  app.add_option("--writers", options.writers,
                 "concurrent writer threads; writer w writes through node w % 3")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--profiles", options.profiles, "profiles imported before the first cycle")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  app.add_flag("--json", options.json, "print the summary as JSON");
  app.add_option("--kill_min_ms", options.kill_min_ms,
                 "earliest fault, in ms after the writers start")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  app.add_option("--kill_max_ms", options.kill_max_ms,
                 "latest fault, in ms after the writers start")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  app.add_option("--max_import_items", options.max_import_items,
                 "largest ImportProfiles stream, in profiles; at most one transaction's worth, "
                 "so that a stream lands whole or not at all")
      ->capture_default_str()
      ->check(CLI::Range(1, static_cast<int>(socio::storage::ProfileStore::kMaxProfilesPerWrite)));
  app.add_option("--matcher_sample", options.matcher_sample,
                 "members whose FindPartners answers are compared per node and cycle")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  app.add_option("--full_log_every", options.full_log_every,
                 "read the change logs from sequence 0 every this many cycles (else from near "
                 "the last check); the first and last check always do")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  app.add_option("--fresh_node_every", options.fresh_node_every,
                 "every this many sociod kills the node comes back on an empty data directory "
                 "(a full read from etcd); 0: never")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  app.add_option("--after_fault_ms", options.after_fault_ms,
                 "how long writers go on once every node takes writes again")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  CLI11_PARSE(app, argc, argv);
  if (options.kill_max_ms < options.kill_min_ms) {
    std::fprintf(stderr, "socio-cluster-harness: --kill_max_ms is below --kill_min_ms\n");
    return 2;
  }
  if (!socio::testing::EtcdAvailable()) {
    std::fprintf(stderr, "socio-cluster-harness: skipped: %s\n", socio::testing::kEtcdMissing);
    return 77;
  }
  socio::fault::ClusterHarness harness(options);
  return harness.Run();
}
