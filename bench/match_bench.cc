// socio-bench-match: partner search over a large index, and how fast the
// index is rebuilt from RocksDB.
//
//   socio-bench-match [--profiles 1000000] [--queries 1000] [--brute 50] [--k 20]
//                     [--rebuilds 3] [--threads 2] [--json]
//
// In one process, on one thread for searches:
// - writes --profiles generated members into a ProfileStore in a scratch
//   directory (not timed);
// - rebuild: scans the store and builds a MatchIndex from it, --rebuilds
//   times, profiles per second (median), extraction on --threads threads;
// - start-up: saves the index as sociod does (a snapshot in RocksDB), then
//   --rebuilds times starts an IndexFollower that loads it, profiles per
//   second (median), beside the scan;
// - memory: the index's bytes per profile;
// - search: FindPartners top --k with explanations for --queries random
//   members, default weights: p50, p99 (wall and thread CPU time) and mean
//   candidates scored;
// - brute force: the first --brute of those queries scored against every
//   profile, side by side with the pruned search on the same queries: both
//   p50s, their ratio, and how many results were identical.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "bench/profile_generator.h"
#include "matcher/match_index.h"
#include "services/index_follower.h"
#include "storage/database.h"
#include "storage/profile_store.h"
#include "storage/snapshot_store.h"

namespace socio::bench {
namespace {

using socio::v1::Profile;
using Clock = std::chrono::steady_clock;

constexpr int64_t kNow = 1795000000;  // 2026-11-18; freshness is judged against it

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "socio-bench-match: " << what << "\n";
    std::exit(1);
  }
}

// This thread's CPU time in milliseconds: a search's cost without the time
// it waited for a core, which a shared machine adds at random.
double ThreadCpuMilliseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void FillStore(storage::ProfileStore& store, int count, int threads) {
  ProfileGenerator generator({.seed = 42});
  constexpr int kBatch = 5000;
  for (int begin = 0; begin < count; begin += kBatch) {
    const int n = std::min(kBatch, count - begin);
    std::vector<Profile> batch(n);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = t; i < n; i += threads) batch[i] = generator.Generate(begin + i);
      });
    }
    for (std::thread& w : workers) w.join();
    for (const auto& result : store.PutMany(&batch, /*upsert=*/false)) {
      Check(result.ok(), "put: " + result.status().ToString());
    }
    if ((begin / kBatch) % 20 == 0) {
      std::fprintf(stderr, "\rstoring profiles: %d / %d", begin + n, count);
    }
  }
  std::fprintf(stderr, "\rstoring profiles: %d / %d\n", count, count);
}

// Scans the store into a fresh index; returns profiles per second.
double Rebuild(const storage::ProfileStore& store,
               const std::shared_ptr<const matcher::ScoringTables>& tables, int threads,
               std::unique_ptr<matcher::MatchIndex>* index) {
  const Clock::time_point start = Clock::now();
  *index = std::make_unique<matcher::MatchIndex>(tables);
  absl::Status status = services::LoadIndex(store, index->get(), threads);
  Check(status.ok(), "scan: " + status.ToString());
  return (*index)->size() / (MillisecondsSince(start) / 1000);
}

int Main(int argc, char** argv) {
  CLI::App app("Partner search over a large index, beside brute force; index rebuild rate");
  int profiles = 1000000, queries = 1000, brute = 50, k = 20, rebuilds = 3, threads = 2;
  bool json = false;
  std::string view = "full";
  app.add_option("--profiles", profiles, "Generated members in the index")
      ->check(CLI::Range(100, 10000000));
  app.add_option("--queries", queries, "Searches timed")->check(CLI::Range(1, 100000));
  app.add_option("--brute", brute, "Of those, searches also run by brute force")
      ->check(CLI::Range(0, 100000));
  app.add_option("--k", k, "Partners per search")->check(CLI::Range(1, 1000));
  app.add_option("--rebuilds", rebuilds, "Index rebuilds timed")->check(CLI::Range(1, 100));
  app.add_option("--threads", threads, "Threads extracting features in a rebuild")
      ->check(CLI::Range(1, 64));
  app.add_option("--view", view, "What each match says: full (every factor and reason) or basic")
      ->check(CLI::IsMember({"full", "basic"}))
      ->capture_default_str();
  app.add_flag("--json", json, "One JSON object on stdout");
  CLI11_PARSE(app, argc, argv);
  brute = std::min(brute, queries);

  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load({});
  Check(reference.ok(), "reference data: " + reference.status().ToString());
  auto tables = std::make_shared<const matcher::ScoringTables>(*reference);

  ScratchDir dir;
  absl::StatusOr<std::shared_ptr<storage::Database>> database =
      storage::Database::Open(dir.Join("db"), {});
  Check(database.ok(), "open: " + database.status().ToString());
  absl::StatusOr<std::unique_ptr<storage::ProfileStore>> store =
      storage::ProfileStore::Open(*database, {.sync_writes = false, .reference = *reference});
  Check(store.ok(), "open: " + store.status().ToString());
  absl::StatusOr<std::unique_ptr<storage::SnapshotStore>> snapshots =
      storage::SnapshotStore::Open(*database);
  Check(snapshots.ok(), "open: " + snapshots.status().ToString());
  FillStore(**store, profiles, threads);

  std::vector<double> rates;
  std::unique_ptr<matcher::MatchIndex> index;
  for (int round = 0; round < rebuilds; ++round) {
    index.reset();
    rates.push_back(Rebuild(**store, tables, threads, &index));
    std::fprintf(stderr, "rebuild %d: %.0f profiles/s\n", round + 1, rates.back());
  }
  Clock::time_point start = Clock::now();
  const std::string saved = index->Save();
  Check((*snapshots)
            ->Put(services::IndexFollower::kSnapshotName, (*store)->LastSequence(), saved)
            .ok(),
        "save snapshot");
  const double save_ms = MillisecondsSince(start);
  std::vector<double> load_rates;
  for (int round = 0; round < rebuilds; ++round) {
    matcher::MatchIndex loaded(tables);
    services::IndexFollower follower(store->get(), &loaded, snapshots->get(), {.threads = threads});
    Check(follower.Start().ok(), "start from snapshot");
    const services::IndexBuildStats& stats = follower.build_stats();
    Check(stats.from_snapshot && loaded.size() == index->size(), "snapshot not used");
    load_rates.push_back(loaded.size() / absl::ToDoubleSeconds(stats.elapsed));
    std::fprintf(stderr, "start from snapshot %d: %.0f profiles/s\n", round + 1, load_rates.back());
  }
  const matcher::IndexMemory memory = index->Memory();
  const double bytes_per_profile = static_cast<double>(memory.total()) / index->size();

  // Random members, the same for the pruned and the brute-force runs.
  std::mt19937_64 random(7);
  ProfileGenerator generator({.seed = 42});
  std::vector<std::string> members;
  for (int i = 0; i < queries; ++i) members.push_back(generator.Generate(random() % profiles).id());
  matcher::PartnerQuery query;
  query.k = k;
  query.weights = *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights");
  query.now_seconds = kNow;
  query.detail = view == "basic" ? matcher::MatchDetail::kBasic : matcher::MatchDetail::kFull;

  std::vector<double> latencies, cpu_latencies;
  double scored = 0, postings_read = 0, bounded = 0;
  std::vector<std::vector<std::string>> pruned_ids;
  for (int i = 0; i < queries; ++i) {
    query.member_id = members[i];
    const Clock::time_point start = Clock::now();
    const double cpu_start = ThreadCpuMilliseconds();
    absl::StatusOr<matcher::PartnerResult> result = index->FindPartners(query);
    cpu_latencies.push_back(ThreadCpuMilliseconds() - cpu_start);
    latencies.push_back(MillisecondsSince(start));
    Check(result.ok(), "search: " + result.status().ToString());
    scored += result->candidates_scored;
    postings_read += result->postings_read;
    bounded += result->candidates_bounded;
    if (i < brute) {
      std::vector<std::string> ids;
      for (const auto& m : result->matches) ids.push_back(m.partner_id());
      pruned_ids.push_back(std::move(ids));
    }
    if (i % 100 == 99) std::fprintf(stderr, "\rsearches: %d / %d", i + 1, queries);
  }
  std::fprintf(stderr, "\n");
  std::vector<double> brute_latencies;
  std::vector<double> pruned_same_queries(latencies.begin(), latencies.begin() + brute);
  int identical = 0;
  for (int i = 0; i < brute; ++i) {
    query.member_id = members[i];
    const Clock::time_point start = Clock::now();
    absl::StatusOr<matcher::PartnerResult> result = index->FindPartnersBruteForce(query);
    brute_latencies.push_back(MillisecondsSince(start));
    Check(result.ok(), "brute force: " + result.status().ToString());
    std::vector<std::string> ids;
    for (const auto& m : result->matches) ids.push_back(m.partner_id());
    identical += ids == pruned_ids[i];
    std::fprintf(stderr, "\rbrute force: %d / %d", i + 1, brute);
  }
  if (brute > 0) std::fprintf(stderr, "\n");

  const double p50 = Percentile(latencies, 0.5), p99 = Percentile(latencies, 0.99);
  const double cpu_p50 = Percentile(cpu_latencies, 0.5), cpu_p99 = Percentile(cpu_latencies, 0.99);
  const double cpu_mean =
      std::accumulate(cpu_latencies.begin(), cpu_latencies.end(), 0.0) / cpu_latencies.size();
  const double brute_p50 = Median(brute_latencies), pruned_p50 = Median(pruned_same_queries);
  if (json) {
    std::printf(
        "{\"profiles\": %d, \"rebuild_per_second\": %.0f, \"snapshot_load_per_second\": %.0f, "
        "\"snapshot_bytes\": %zu, \"snapshot_save_ms\": %.0f, \"bytes_per_profile\": %.1f, "
        "\"search_p50_ms\": %.3f, \"search_p99_ms\": %.3f, \"search_cpu_p50_ms\": %.3f, "
        "\"search_cpu_p99_ms\": %.3f, \"search_cpu_mean_ms\": %.3f, \"view\": \"%s\", "
        "\"mean_scored\": %.0f, \"mean_postings_read\": %.0f, \"mean_bounded\": %.0f, "
        "\"brute_queries\": %d, \"brute_p50_ms\": %.3f, \"pruned_p50_same_ms\": %.3f, "
        "\"identical\": %d}\n",
        profiles, Median(rates), Median(load_rates), saved.size(), save_ms, bytes_per_profile, p50,
        p99, cpu_p50, cpu_p99, cpu_mean, view.c_str(), scored / queries, postings_read / queries,
        bounded / queries, brute, brute_p50, pruned_p50, identical);
    return 0;
  }
  std::printf("profiles                      %d\n", profiles);
  std::printf("rebuild from RocksDB          %.0f profiles/s (median of %d)\n", Median(rates),
              rebuilds);
  std::printf(
      "start from saved index        %.0f profiles/s (median of %d; %.1f bytes/profile saved in "
      "%.0f ms)\n",
      Median(load_rates), rebuilds, static_cast<double>(saved.size()) / index->size(), save_ms);
  std::printf(
      "index memory                  %.1f bytes/profile (records %.1f, words %.1f, postings %.1f, "
      "lookup %.1f)\n",
      bytes_per_profile, static_cast<double>(memory.records) / index->size(),
      static_cast<double>(memory.words) / index->size(),
      static_cast<double>(memory.postings) / index->size(),
      static_cast<double>(memory.lookup) / index->size());
  std::printf(
      "FindPartners top %d (%s)    p50 %.3f ms, p99 %.3f ms over %d members (CPU time: p50 %.3f "
      "ms, p99 %.3f ms, mean %.3f ms)\n",
      k, view.c_str(), p50, p99, queries, cpu_p50, cpu_p99, cpu_mean);
  std::printf(
      "  work per search (mean)      %.0f posting entries read, %.0f candidates bounded from their "
      "summary, %.0f scored in full\n",
      postings_read / queries, bounded / queries, scored / queries);
  if (brute > 0) {
    std::printf(
        "brute force, same %d queries  p50 %.3f ms vs pruned %.3f ms: %.0fx; identical results %d "
        "/ %d\n",
        brute, brute_p50, pruned_p50, brute_p50 / pruned_p50, identical, brute);
  }
  return 0;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) { return socio::bench::Main(argc, argv); }
