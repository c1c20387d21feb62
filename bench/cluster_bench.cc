// socio-bench-cluster: the building blocks of the cluster mode on a real
// three-member etcd on this machine, beside a synced RocksDB put in the same
// run: a node's write (compare-and-swap with its receipt, answered once the
// node's own view has applied it) alone and from many writers at once, a
// bulk import straight into etcd, and how fast an empty node catches up.
//
//   socio-bench-cluster --records 100000 --writes 2000 --writers 16 --seconds 10
//
// Exits 1 if any write failed or the empty node did not catch up every
// record, 77 without /usr/bin/etcd (Debian's etcd-server).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "services/etcd/cluster_records.h"
#include "services/etcd/etcd_client.h"
#include "services/etcd/materializer.h"
#include "storage/database.h"
#include "storage/materialized_view.h"
#include "tests/support/etcd_cluster.h"

namespace socio::bench {
namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "socio-bench-cluster: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Check(absl::StatusOr<T> value, const std::string& what) {
  if (!value.ok()) Fail(what + ": " + value.status().ToString());
  return std::move(*value);
}

void Check(const absl::Status& status, const std::string& what) {
  if (!status.ok()) Fail(what + ": " + status.ToString());
}

// A cluster node's local side.
struct Node {
  std::shared_ptr<storage::Database> database;
  std::unique_ptr<storage::MaterializedView> view;
  std::unique_ptr<etcd::Materializer> materializer;
  std::unique_ptr<etcd::ClusterRecords> records;
};

Node StartNode(etcd::EtcdClient* client, const std::string& dir) {
  Node node;
  node.database = Check(storage::Database::Open(dir, {}), "open " + dir);
  node.view = Check(storage::MaterializedView::Open(node.database), "open the view");
  node.materializer = std::make_unique<etcd::Materializer>(
      client, node.view.get(), etcd::MaterializerOptions{.prefix = "socio/"});
  Check(node.materializer->Start(), "start the materializer");
  node.records = std::make_unique<etcd::ClusterRecords>(client, node.view.get(),
                                                        etcd::ClusterRecordsOptions{});
  return node;
}

int Main(int argc, char** argv) {
  CLI::App app("The cluster mode's building blocks on a three-member etcd, beside RocksDB");
  int records = 100000, writes = 2000, writers = 16, seconds = 10, value_bytes = 1024;
  bool json = false;
  app.add_option("--records", records, "Records imported, then caught up by an empty node")
      ->check(CLI::Range(100, 10000000))
      ->capture_default_str();
  app.add_option("--writes", writes, "Single writes timed, one at a time")
      ->check(CLI::Range(10, 1000000))
      ->capture_default_str();
  app.add_option("--writers", writers, "Writers at once in the concurrent phase")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--seconds", seconds, "Length of the concurrent phase")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  app.add_option("--value_bytes", value_bytes, "Bytes per record")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_flag("--json", json, "One JSON object on stdout");
  CLI11_PARSE(app, argc, argv);
  if (!testing::EtcdAvailable()) {
    std::fprintf(stderr, "socio-bench-cluster: %s\n", testing::kEtcdMissing);
    return 77;  // skipped
  }

  std::fprintf(stderr, "starting three etcd members\n");
  std::unique_ptr<testing::EtcdCluster> cluster =
      Check(testing::EtcdCluster::Start({.members = 3}), "start etcd");
  std::unique_ptr<etcd::EtcdClient> client =
      Check(etcd::EtcdClient::Connect({.endpoints = cluster->ClientAddressList()}), "connect");
  ScratchDir scratch;
  Node node = StartNode(client.get(), scratch.Join("node"));
  const std::string value(value_bytes, 'v');

  // Raw RocksDB, synced one-put writes, on the same disk.
  rocksdb::Options rocks_options;
  rocks_options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(rocks_options, scratch.Join("raw"), &raw).ok()) Fail("open raw RocksDB");
  std::unique_ptr<rocksdb::DB> raw_db(raw);
  rocksdb::WriteOptions synced;
  synced.sync = true;

  // 1. One at a time: a node's create, beside a synced put.
  std::vector<double> cluster_ms, raw_ms;
  for (int i = 0; i < writes; ++i) {
    const std::string key = absl::StrFormat("socio/single/%08d", i);
    Clock::time_point start = Clock::now();
    Check(node.records->Write({{key, value, 0}}).status(), "write " + key);
    cluster_ms.push_back(MillisecondsSince(start));
    start = Clock::now();
    if (!raw_db->Put(synced, key, value).ok()) Fail("raw put");
    raw_ms.push_back(MillisecondsSince(start));
    if (i % 200 == 199) std::fprintf(stderr, "\rsingle writes: %d / %d", i + 1, writes);
  }
  std::fprintf(stderr, "\n");

  // 2. Many writers at once for `seconds`.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0}, failed{0};
  std::vector<std::vector<double>> latencies(writers);
  std::vector<std::thread> threads;
  const Clock::time_point concurrent_start = Clock::now();
  for (int t = 0; t < writers; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string key = absl::StrFormat("socio/many/%03d/%08d", t, i);
        const Clock::time_point start = Clock::now();
        if (node.records->Write({{key, value, 0}}).ok()) {
          latencies[t].push_back(MillisecondsSince(start));
          ++done;
        } else {
          ++failed;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double concurrent_s = MillisecondsSince(concurrent_start) / 1000;
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());

  // 3. Bulk import straight into etcd: 100 creates per transaction.
  const Clock::time_point import_start = Clock::now();
  constexpr int kPerTransaction = 100;
  for (int begin = 0; begin < records; begin += kPerTransaction) {
    std::vector<etcd::Expect> expects;
    std::vector<etcd::Change> changes;
    for (int i = begin; i < std::min(records, begin + kPerTransaction); ++i) {
      const std::string key = absl::StrFormat("socio/import/%08d", i);
      expects.push_back({key, 0});
      changes.push_back({key, value, 0});
    }
    etcd::CommitResult result = Check(client->Commit(expects, changes), "import");
    if (!result.committed) Fail("import: a key existed");
    if ((begin / kPerTransaction) % 50 == 49) {
      std::fprintf(stderr, "\rimported: %d / %d", begin + kPerTransaction, records);
    }
  }
  std::fprintf(stderr, "\n");
  const double import_s = MillisecondsSince(import_start) / 1000;

  // 4. An empty node catches up: a full read of everything.
  const Clock::time_point catch_up_start = Clock::now();
  Node empty = StartNode(client.get(), scratch.Join("empty"));
  const double catch_up_s = MillisecondsSince(catch_up_start) / 1000;
  const int64_t total = writes + done.load() + records;
  // The empty node holds every record written.
  const size_t caught_up = Check(empty.view->List("socio/"), "list the caught-up view").size();
  if (caught_up != static_cast<size_t>(total)) {
    Fail(absl::StrFormat("the empty node caught up %d records of %d", caught_up, total));
  }

  const double single_p50 = Median(cluster_ms), raw_p50 = Median(raw_ms);
  const int exit_code = failed.load() == 0 ? 0 : 1;
  if (json) {
    std::printf(
        "{\"single_write_p50_ms\": %.3f, \"single_write_p99_ms\": %.3f, \"raw_put_p50_ms\": %.3f, "
        "\"writers\": %d, \"concurrent_writes_per_second\": %.0f, \"concurrent_p50_ms\": %.3f, "
        "\"concurrent_p99_ms\": %.3f, \"concurrent_failed\": %lld, \"import_keys_per_second\": "
        "%.0f, \"catch_up_records\": %lld, \"catch_up_records_per_second\": %.0f}\n",
        single_p50, Percentile(cluster_ms, 0.99), raw_p50, writers, done.load() / concurrent_s,
        Median(all), Percentile(all, 0.99), static_cast<long long>(failed.load()),
        records / import_s, static_cast<long long>(total), total / catch_up_s);
    return exit_code;
  }
  std::printf("three etcd members on this machine; %d-byte records\n", value_bytes);
  std::printf(
      "single write (CAS + receipt + own view applied)  p50 %.3f ms, p99 %.3f ms over %d"
      " (synced RocksDB put p50 %.3f ms: %.1fx)\n",
      single_p50, Percentile(cluster_ms, 0.99), writes, raw_p50, single_p50 / raw_p50);
  std::printf(
      "%d writers at once for %.0f s                   %.0f writes/s, p50 %.3f ms, p99 "
      "%.3f ms, %lld failed\n",
      writers, concurrent_s, done.load() / concurrent_s, Median(all), Percentile(all, 0.99),
      static_cast<long long>(failed.load()));
  std::printf("bulk import, %d keys per transaction            %.0f keys/s (%d keys)\n",
              kPerTransaction, records / import_s, records);
  std::printf(
      "empty node catching up (full read + view)        %.0f records/s (%lld records in "
      "%.1f s)\n",
      total / catch_up_s, static_cast<long long>(total), catch_up_s);
  return 0;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) { return socio::bench::Main(argc, argv); }
