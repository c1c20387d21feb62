// socio-bench-cluster-sociod: sociod's cluster mode (--store etcd on three
// etcd members on this machine, see docs/CLUSTER.md) beside its embedded
// RocksDB store, through real sociod processes over gRPC, in one run:
// 1. CreateProfile from one client, one call after another: p50 and p99 of
//    an embedded sociod and of cluster node 0;
// 2. ImportProfiles: one stream of --import profiles into each, profiles/s;
// 3. a new, empty cluster node: from its process start to "serving on", and
//    to the last profile written being readable on it (once per round);
// 4. the etcd leader killed with SIGKILL while one client creates profiles
//    through node 0 without pause: the longest time without a successful
//    create around the kill, and from the kill to the first success of a
//    call started after it; the member is restarted after each kill.
// 1 and 2 run in rounds in which the two setups take turns (which goes
// first alternates), so that the machine's noise hits both; figures are
// medians of the rounds, ratios medians of each round's ratio.
//
//   socio-bench-cluster-sociod --creates 500 --import 20000 --rounds 3 [--nodes 2] [--json]
//
// At the end every node lists its profiles. Exits 1 if one lacks an
// acknowledged write, holds a profile no call wrote, or holds one whose
// create was answered "not applied", or if any call outside the kills
// failed; 77 without /usr/bin/etcd (Debian's etcd-server).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "bench/profile_generator.h"
#include "clients/channel.h"
#include "clients/profile_client.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/process.h"

namespace socio::bench {
namespace {

using Clock = std::chrono::steady_clock;
using socio::v1::Profile;

constexpr int kStreamChunk = 500;  // profiles per import message, as the CLI sends
// How long a node may take to serve: a new cluster node reads every record first.
constexpr absl::Duration kStartTimeout = absl::Minutes(10);
// How long a node may lag behind the node that took a write.
constexpr absl::Duration kCatchUpTimeout = absl::Seconds(60);

double MillisecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

struct BenchOptions {
  int creates = 500;     // per setup and round
  int imported = 20000;  // per setup and round
  int rounds = 3;
  int nodes = 1;  // cluster nodes running from the start
  int kills = 3;
  uint64_t seed = 1;
  bool json = false;
};

// A sociod child process and a client of it.
struct Server {
  std::unique_ptr<testing::ChildProcess> process;
  std::unique_ptr<clients::ProfileClient> profiles;
};

// Starts sociod in development mode, logging warnings only, on `data_dir`
// with `flags`, and returns once it serves. (testing::StartSociod waits 30 s,
// too little for a new node reading a large import.)
absl::StatusOr<Server> StartServer(const std::string& data_dir, const std::string& output_prefix,
                                   const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {testing::BuiltBinary("services/sociod"),
                                   "--data_dir",
                                   data_dir,
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--dev_insecure",
                                   "--log_level",
                                   "warning"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Server server;
  absl::StatusOr<std::unique_ptr<testing::ChildProcess>> process =
      testing::ChildProcess::Start(std::move(argv), output_prefix);
  if (!process.ok()) return process.status();
  server.process = *std::move(process);
  absl::StatusOr<std::string> line =
      server.process->WaitForStderrLine("serving on ", kStartTimeout);
  if (!line.ok()) return line.status();
  // "sociod: serving on 127.0.0.1:PORT, data in DIR"
  std::string address = line->substr(line->find("serving on ") + 11);
  address = address.substr(0, address.find(','));
  server.profiles =
      std::make_unique<clients::ProfileClient>(clients::Channel::Open({.address = address}));
  return server;
}

// The flags of cluster node `n`: etcd's members, member n first.
std::vector<std::string> ClusterFlags(const testing::EtcdCluster& etcd, int n) {
  return {"--store", "etcd", "--etcd_endpoints",
          absl::StrJoin(etcd.ClientAddressList(n % etcd.size()), ",")};
}

// Connects and waits out gRPC's first call on a fresh channel.
absl::Status WarmUp(const clients::ProfileClient& client) {
  socio::v1::GetProfileRequest request;
  request.set_id("warm-up");
  absl::StatusOr<Profile> profile = client.GetProfile(request);
  if (profile.ok() || absl::IsNotFound(profile.status())) return absl::OkStatus();
  return profile.status();
}

socio::v1::CreateProfileRequest CreateOf(const Profile& profile, std::string id) {
  socio::v1::CreateProfileRequest request;
  *request.mutable_profile() = profile;
  request.mutable_profile()->set_id(std::move(id));
  return request;
}

// Creates `profiles` one call after another as ids `id_prefix`00000, ...;
// each call's milliseconds. The ids created go to `acknowledged`. The first
// failed call ends it.
absl::StatusOr<std::vector<double>> CreateLatencies(const clients::ProfileClient& client,
                                                    const std::vector<Profile>& profiles,
                                                    const std::string& id_prefix,
                                                    std::vector<std::string>* acknowledged) {
  std::vector<double> ms;
  for (size_t i = 0; i < profiles.size(); ++i) {
    const socio::v1::CreateProfileRequest request =
        CreateOf(profiles[i], absl::StrFormat("%s%05d", id_prefix, i));
    const Clock::time_point start = Clock::now();
    absl::StatusOr<Profile> created = client.CreateProfile(request);
    ms.push_back(MillisecondsBetween(start, Clock::now()));
    if (!created.ok()) {
      return absl::Status(created.status().code(), absl::StrCat("create ", request.profile().id(),
                                                                ": ", created.status().message()));
    }
    acknowledged->push_back(request.profile().id());
  }
  return ms;
}

// The import stream's messages, the ids prefixed with `id_prefix`; made
// before the clock starts, as a client has its records parsed already.
std::vector<socio::v1::ImportProfilesRequest> ImportChunks(const std::vector<Profile>& profiles,
                                                           const std::string& id_prefix) {
  std::vector<socio::v1::ImportProfilesRequest> chunks;
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (i % kStreamChunk == 0) chunks.emplace_back();
    Profile* profile = chunks.back().add_profiles();
    *profile = profiles[i];
    profile->set_id(id_prefix + profiles[i].id());
  }
  return chunks;
}

// Sends `chunks` through one ImportProfiles stream; profiles per second, end
// to end. Every profile must be created; their ids go to `acknowledged`.
absl::StatusOr<double> ImportRate(const clients::ProfileClient& client,
                                  std::vector<socio::v1::ImportProfilesRequest> chunks,
                                  std::vector<std::string>* acknowledged) {
  std::vector<std::string> ids;
  for (const auto& chunk : chunks) {
    for (const Profile& profile : chunk.profiles()) ids.push_back(profile.id());
  }
  const Clock::time_point start = Clock::now();
  absl::StatusOr<std::unique_ptr<clients::ImportStream>> stream =
      client.StartImport({.deadline = absl::Hours(1)});
  if (!stream.ok()) return stream.status();
  for (size_t i = 0; i < chunks.size(); ++i) {
    // A failed write ends the call; Finish says why.
    if (!(*stream)->Write(/*last=*/i + 1 == chunks.size(), &chunks[i])) break;
  }
  absl::StatusOr<socio::v1::ImportProfilesSummary> summary = (*stream)->Finish();
  const double seconds = MillisecondsBetween(start, Clock::now()) / 1000;
  if (!summary.ok()) return summary.status();
  if (summary->created() != static_cast<int64_t>(ids.size())) {
    return absl::InternalError(absl::StrCat(
        "import created ", summary->created(), " of ", ids.size(), " profiles",
        summary->errors().empty() ? std::string()
                                  : absl::StrCat("; first error: ", summary->errors(0).code(), " ",
                                                 summary->errors(0).message())));
  }
  acknowledged->insert(acknowledged->end(), ids.begin(), ids.end());
  return ids.size() / seconds;
}

// One create of the writer that runs through the kills.
struct Attempt {
  Clock::time_point start;
  Clock::time_point end;
  std::string id;
  absl::Status status;
};

// Creates profiles through `client` one call after another, without pause
// (2 ms after a failure, so that a refusing node is not spun on), from
// construction until Stop, and records every call.
class ContinuousWriter {
 public:
  // `client` and `profiles` (not empty) must outlive the writer.
  ContinuousWriter(const clients::ProfileClient* client, const std::vector<Profile>* profiles)
      : client_(client), profiles_(profiles), thread_([this] { Run(); }) {}
  ~ContinuousWriter() { Stop(); }
  ContinuousWriter(const ContinuousWriter&) = delete;
  ContinuousWriter& operator=(const ContinuousWriter&) = delete;

  // Returns once the call in flight has ended. Safe to call more than once.
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Successful calls started at or after `since`.
  int SuccessesSince(Clock::time_point since) const {
    absl::MutexLock lock(&mu_);
    int successes = 0;
    for (auto it = attempts_.rbegin(); it != attempts_.rend() && it->start >= since; ++it) {
      if (it->status.ok()) ++successes;
    }
    return successes;
  }

  // Every call so far, in order (one call at a time: by start and by end).
  std::vector<Attempt> Attempts() const {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  void Run() {
    for (size_t i = 0; !stop_; ++i) {
      const socio::v1::CreateProfileRequest request =
          CreateOf((*profiles_)[i % profiles_->size()], absl::StrFormat("kill-%07d", i));
      Attempt attempt;
      attempt.id = request.profile().id();
      attempt.start = Clock::now();
      attempt.status = client_->CreateProfile(request, {.deadline = absl::Seconds(10)}).status();
      attempt.end = Clock::now();
      const bool failed = !attempt.status.ok();
      {
        absl::MutexLock lock(&mu_);
        attempts_.push_back(std::move(attempt));
      }
      if (failed) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  const clients::ProfileClient* const client_;
  const std::vector<Profile>* const profiles_;
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  std::vector<Attempt> attempts_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once the rest is made
};

// What one kill of the etcd leader did to the writer.
struct KillFigures {
  int member = 0;
  // The longest time between two successful creates from the last success
  // before the kill to the first success of a call started after it.
  double longest_gap_ms = 0;
  // From the kill to the end of that first success.
  double to_first_success_ms = 0;
  // Calls that failed in that window.
  int failed = 0;
};

// The writer's record around a kill at `kill_at`. REQUIRES: a call started
// after the kill succeeded.
KillFigures FiguresOfKill(const std::vector<Attempt>& attempts, Clock::time_point kill_at) {
  KillFigures figures;
  Clock::time_point previous{};
  bool before = false, after = false;
  for (const Attempt& attempt : attempts) {
    if (attempt.end <= kill_at) {
      if (attempt.status.ok()) {
        previous = attempt.end;
        before = true;
      }
      continue;
    }
    if (!attempt.status.ok()) {
      if (before) ++figures.failed;
      continue;
    }
    if (before) {
      figures.longest_gap_ms =
          std::max(figures.longest_gap_ms, MillisecondsBetween(previous, attempt.end));
    }
    previous = attempt.end;
    before = true;
    if (attempt.start >= kill_at) {
      figures.to_first_success_ms = MillisecondsBetween(kill_at, attempt.end);
      after = true;
      break;
    }
  }
  if (!after) figures.to_first_success_ms = -1;
  return figures;
}

// Waits until `condition` holds, checking every 5 ms; false after `timeout`.
template <typename Condition>
bool WaitFor(Condition condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Kills the etcd leader `kills` times while `writer` creates through a node;
// each member killed is restarted once a call started after its kill has
// succeeded. Returns each kill's figures.
absl::StatusOr<std::vector<KillFigures>> KillLeaders(testing::EtcdCluster& etcd, int kills,
                                                     ContinuousWriter& writer) {
  std::vector<std::pair<int, Clock::time_point>> killed;
  for (int k = 0; k < kills; ++k) {
    // Steady writes first: a second and 20 successes.
    const Clock::time_point steady_from = Clock::now();
    if (!WaitFor(
            [&] {
              return Clock::now() - steady_from >= std::chrono::seconds(1) &&
                     writer.SuccessesSince(steady_from) >= 20;
            },
            absl::Seconds(60))) {
      return absl::DeadlineExceededError(
          absl::StrCat("kill ", k + 1, ": fewer than 20 creates succeeded in 60 s before it"));
    }
    absl::StatusOr<int> leader = etcd.Leader();
    if (!leader.ok()) return leader.status();
    const Clock::time_point kill_at = Clock::now();
    etcd.Kill(*leader);
    killed.emplace_back(*leader, kill_at);
    if (!WaitFor([&] { return writer.SuccessesSince(kill_at) >= 1; }, absl::Seconds(120))) {
      return absl::DeadlineExceededError(absl::StrCat(
          "kill ", k + 1, ": no create succeeded within 120 s of killing member ", *leader));
    }
    if (absl::Status s = etcd.Restart(*leader); !s.ok()) return s;
    std::fprintf(stderr, "kill %d of %d: member %d killed and restarted\n", k + 1, kills, *leader);
  }
  // Writes after the last restart, so that the window of the last kill is whole.
  absl::SleepFor(absl::Milliseconds(500));
  writer.Stop();
  const std::vector<Attempt> attempts = writer.Attempts();
  std::vector<KillFigures> figures;
  for (const auto& [member, kill_at] : killed) {
    figures.push_back(FiguresOfKill(attempts, kill_at));
    figures.back().member = member;
    // Where the time went: the calls around the kill that failed or were slow.
    for (const Attempt& attempt : attempts) {
      const double from_kill_ms = MillisecondsBetween(kill_at, attempt.start);
      const double took_ms = MillisecondsBetween(attempt.start, attempt.end);
      if (attempt.end < kill_at || from_kill_ms > figures.back().to_first_success_ms) continue;
      if (attempt.status.ok() && took_ms < 100) continue;
      std::fprintf(stderr, "  member %d's kill: call started %+.0f ms from it took %.0f ms: %s\n",
                   member, from_kill_ms, took_ms, attempt.status.ToString().c_str());
    }
  }
  return figures;
}

// The ids of every profile `client` lists.
absl::StatusOr<absl::flat_hash_set<std::string>> ListedIds(const clients::ProfileClient& client) {
  absl::flat_hash_set<std::string> ids;
  socio::v1::ListProfilesRequest request;
  request.set_page_size(1000);
  do {
    absl::StatusOr<socio::v1::ListProfilesResponse> page = client.ListProfiles(request);
    if (!page.ok()) return page.status();
    for (const Profile& profile : page->profiles()) ids.insert(profile.id());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return ids;
}

// What one node holds against what was written to it.
struct NodeCheck {
  std::string name;
  size_t listed = 0;
  std::vector<std::string> missing;     // acknowledged, not listed
  std::vector<std::string> unexpected;  // listed, written by no call
  std::vector<std::string> landed;      // listed, their create failed
  std::vector<std::string> refuted;     // listed, their create answered "not applied"
};

// Lists `client`'s profiles again until every acknowledged id is there (a
// node applies etcd's changes a moment after the node that took them), up to
// kCatchUpTimeout; `failed` maps the ids of failed creates to their error.
absl::StatusOr<NodeCheck> CheckNode(const std::string& name, const clients::ProfileClient& client,
                                    const absl::flat_hash_set<std::string>& acknowledged,
                                    const absl::flat_hash_map<std::string, absl::Status>& failed) {
  const absl::Time deadline = absl::Now() + kCatchUpTimeout;
  while (true) {
    absl::StatusOr<absl::flat_hash_set<std::string>> listed = ListedIds(client);
    if (!listed.ok()) return listed.status();
    NodeCheck check{.name = name, .listed = listed->size()};
    for (const std::string& id : acknowledged) {
      if (!listed->contains(id)) check.missing.push_back(id);
    }
    for (const std::string& id : *listed) {
      if (acknowledged.contains(id)) continue;
      auto it = failed.find(id);
      if (it == failed.end()) {
        check.unexpected.push_back(id);
      } else {
        check.landed.push_back(id);
        if (absl::StrContains(it->second.message(), "not applied")) check.refuted.push_back(id);
      }
    }
    if (check.missing.empty() || absl::Now() > deadline) return check;
    absl::SleepFor(absl::Milliseconds(500));
  }
}

bool Violated(const NodeCheck& check) {
  return !check.missing.empty() || !check.unexpected.empty() || !check.refuted.empty();
}

std::string Describe(const NodeCheck& check) {
  auto some = [](const std::vector<std::string>& ids) {
    return absl::StrJoin(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), 5), ", ");
  };
  std::string text = absl::StrFormat("%s lists %d profiles", check.name, check.listed);
  if (!check.missing.empty()) {
    absl::StrAppend(&text, "; ", check.missing.size(), " acknowledged missing (",
                    some(check.missing), ")");
  }
  if (!check.unexpected.empty()) {
    absl::StrAppend(&text, "; ", check.unexpected.size(), " written by no call (",
                    some(check.unexpected), ")");
  }
  if (!check.refuted.empty()) {
    absl::StrAppend(&text, "; ", check.refuted.size(), " answered 'not applied' but stored (",
                    some(check.refuted), ")");
  }
  return text;
}

// Figures of the whole run.
struct Report {
  std::vector<double> create_p50_ms[2], create_p99_ms[2], import_per_second[2];
  std::vector<double> create_p50_ratio, create_p99_ratio, import_ratio;
  size_t join_profiles = 0;
  std::vector<double> join_serving_s, join_all_s;
  std::vector<KillFigures> kills;
  int kill_calls_failed = 0;
  size_t landed_in_doubt = 0;
  size_t acknowledged[2] = {0, 0};
  std::vector<NodeCheck> checks;
};

constexpr int kEmbedded = 0, kCluster = 1;
constexpr const char* kSetupNames[2] = {"embedded", "cluster"};

// "1.25, 1.50" with `decimals` digits after the point.
std::string Joined(const std::vector<double>& values, int decimals) {
  return absl::StrJoin(values, ", ", [decimals](std::string* out, double v) {
    absl::StrAppend(out, absl::StrFormat("%.*f", decimals, v));
  });
}

void PrintTable(const BenchOptions& options, const Report& r) {
  std::vector<double> gaps, firsts;
  for (const KillFigures& k : r.kills) {
    gaps.push_back(k.longest_gap_ms);
    firsts.push_back(k.to_first_success_ms);
  }
  std::printf(
      "3 etcd members (heartbeat 50 ms, election after 500 ms) and %d sociod node(s) on this "
      "machine; per setup and round %d creates and an import of %d; %d rounds, setups "
      "alternating\n\n",
      options.nodes, options.creates, options.imported, options.rounds);
  std::printf("| figure (median of rounds) | embedded | cluster | cluster / embedded |\n");
  std::printf("|---|---|---|---|\n");
  std::printf("| CreateProfile p50, ms (one client, sequential) | %.3f | %.3f | %.2f |\n",
              Median(r.create_p50_ms[kEmbedded]), Median(r.create_p50_ms[kCluster]),
              Median(r.create_p50_ratio));
  std::printf("| CreateProfile p99, ms | %.3f | %.3f | %.2f |\n",
              Median(r.create_p99_ms[kEmbedded]), Median(r.create_p99_ms[kCluster]),
              Median(r.create_p99_ratio));
  std::printf("| ImportProfiles, profiles/s (one stream of %d) | %.0f | %.0f | %.2f |\n",
              options.imported, Median(r.import_per_second[kEmbedded]),
              Median(r.import_per_second[kCluster]), Median(r.import_ratio));
  std::printf("| new empty node: start to serving, s (%zu profiles; each: %s) | | %.2f | |\n",
              r.join_profiles, Joined(r.join_serving_s, 2).c_str(), Median(r.join_serving_s));
  std::printf("| new empty node: start to the last profile readable, s (each: %s) | | %.2f | |\n",
              Joined(r.join_all_s, 2).c_str(), Median(r.join_all_s));
  std::printf(
      "| etcd leader killed: longest time without a successful create, ms (each: %s) | | %.0f "
      "| |\n",
      Joined(gaps, 0).c_str(), Median(gaps));
  std::printf("| etcd leader killed: kill to the first success, ms (each: %s) | | %.0f | |\n",
              Joined(firsts, 0).c_str(), Median(firsts));
  std::printf(
      "| creates failed around the kills (of them stored anyway, their outcome unknown) | | %d "
      "(%zu) | |\n",
      r.kill_calls_failed, r.landed_in_doubt);
  // The first check is the embedded sociod's, the others the cluster nodes'.
  std::vector<std::string> listed;
  for (size_t i = 1; i < r.checks.size(); ++i) {
    listed.push_back(absl::StrCat(r.checks[i].listed, " (", r.checks[i].name, ")"));
  }
  std::printf("| profiles acknowledged / listed at the end | %zu / %zu | %zu / %s | |\n",
              r.acknowledged[kEmbedded], r.checks.front().listed, r.acknowledged[kCluster],
              absl::StrJoin(listed, ", ").c_str());
  std::printf("\n(ratios are medians of each round's ratio)\n");
}

void PrintJson(const BenchOptions& options, const Report& r) {
  std::vector<double> gaps, firsts;
  for (const KillFigures& k : r.kills) {
    gaps.push_back(k.longest_gap_ms);
    firsts.push_back(k.to_first_success_ms);
  }
  size_t missing = 0;
  for (const NodeCheck& check : r.checks) missing += check.missing.size();
  std::printf(
      "{\"nodes\": %d, \"creates\": %d, \"import\": %d, \"rounds\": %d, "
      "\"embedded_create_p50_ms\": %.3f, \"cluster_create_p50_ms\": %.3f, "
      "\"create_p50_ratio\": %.3f, \"embedded_create_p99_ms\": %.3f, "
      "\"cluster_create_p99_ms\": %.3f, \"create_p99_ratio\": %.3f, "
      "\"embedded_import_per_second\": %.0f, \"cluster_import_per_second\": %.0f, "
      "\"import_ratio\": %.3f, \"join_profiles\": %zu, \"join_serving_s\": %.3f, "
      "\"join_all_s\": %.3f, \"kill_longest_gap_ms\": %.1f, \"kill_longest_gap_each_ms\": [%s], "
      "\"kill_to_first_success_ms\": %.1f, \"kill_calls_failed\": %d, \"landed_in_doubt\": %zu, "
      "\"embedded_acknowledged\": %zu, \"cluster_acknowledged\": %zu, \"missing\": %zu}\n",
      options.nodes, options.creates, options.imported, options.rounds,
      Median(r.create_p50_ms[kEmbedded]), Median(r.create_p50_ms[kCluster]),
      Median(r.create_p50_ratio), Median(r.create_p99_ms[kEmbedded]),
      Median(r.create_p99_ms[kCluster]), Median(r.create_p99_ratio),
      Median(r.import_per_second[kEmbedded]), Median(r.import_per_second[kCluster]),
      Median(r.import_ratio), r.join_profiles, Median(r.join_serving_s), Median(r.join_all_s),
      Median(gaps), Joined(gaps, 1).c_str(), Median(firsts), r.kill_calls_failed, r.landed_in_doubt,
      r.acknowledged[kEmbedded], r.acknowledged[kCluster], missing);
}

// The whole run; an error ends it (the processes end with their owners).
absl::Status Run(const BenchOptions& options, Report& report) {
  ScratchDir scratch;  // first: removed after every process in it has gone
  const ProfileGenerator generator({.seed = options.seed});
  std::vector<Profile> create_profiles, import_profiles;
  for (int i = 0; i < options.creates; ++i) create_profiles.push_back(generator.Generate(i));
  for (int i = 0; i < options.imported; ++i) {
    import_profiles.push_back(generator.Generate(options.creates + i));
  }

  std::fprintf(stderr, "starting three etcd members, %d cluster node(s) and an embedded sociod\n",
               options.nodes);
  absl::StatusOr<std::unique_ptr<testing::EtcdCluster>> etcd =
      testing::EtcdCluster::Start({.members = 3});
  if (!etcd.ok()) return etcd.status();
  Server servers[2];  // kEmbedded, kCluster (node 0)
  std::vector<Server> other_nodes;
  {
    absl::StatusOr<Server> embedded =
        StartServer(scratch.Join("embedded"), scratch.Join("embedded"), {});
    if (!embedded.ok()) return embedded.status();
    servers[kEmbedded] = *std::move(embedded);
  }
  for (int n = 0; n < options.nodes; ++n) {
    const std::string name = absl::StrCat("node-", n);
    absl::StatusOr<Server> node =
        StartServer(scratch.Join(name), scratch.Join(name), ClusterFlags(**etcd, n));
    if (!node.ok()) return node.status();
    if (n == 0) {
      servers[kCluster] = *std::move(node);
    } else {
      other_nodes.push_back(*std::move(node));
    }
  }
  std::vector<std::string> acknowledged[2];

  // 1. Creates, the setups taking turns.
  for (int s : {kEmbedded, kCluster}) {
    if (absl::Status st = WarmUp(*servers[s].profiles); !st.ok()) return st;
  }
  for (int round = 1; round <= options.rounds; ++round) {
    double p50[2], p99[2];
    for (int turn = 0; turn < 2; ++turn) {
      const int s = (round + turn) % 2;  // odd rounds: cluster first
      absl::StatusOr<std::vector<double>> ms =
          CreateLatencies(*servers[s].profiles, create_profiles,
                          absl::StrCat("create-r", round, "-"), &acknowledged[s]);
      if (!ms.ok()) return ms.status();
      p50[s] = Percentile(*ms, 0.5);
      p99[s] = Percentile(*ms, 0.99);
      report.create_p50_ms[s].push_back(p50[s]);
      report.create_p99_ms[s].push_back(p99[s]);
    }
    report.create_p50_ratio.push_back(p50[kCluster] / p50[kEmbedded]);
    report.create_p99_ratio.push_back(p99[kCluster] / p99[kEmbedded]);
    std::fprintf(stderr,
                 "round %d: create p50 / p99: embedded %.3f / %.3f ms, cluster %.3f / %.3f ms "
                 "(%.2fx / %.2fx)\n",
                 round, p50[kEmbedded], p99[kEmbedded], p50[kCluster], p99[kCluster],
                 p50[kCluster] / p50[kEmbedded], p99[kCluster] / p99[kEmbedded]);
  }

  // 2. Imports, the setups taking turns.
  for (int round = 1; round <= options.rounds; ++round) {
    double rate[2];
    for (int turn = 0; turn < 2; ++turn) {
      const int s = (round + turn) % 2;
      absl::StatusOr<double> per_second = ImportRate(
          *servers[s].profiles, ImportChunks(import_profiles, absl::StrCat("import-r", round, "-")),
          &acknowledged[s]);
      if (!per_second.ok()) {
        return absl::Status(per_second.status().code(),
                            absl::StrCat(kSetupNames[s], " import, round ", round, ": ",
                                         per_second.status().message()));
      }
      rate[s] = *per_second;
      report.import_per_second[s].push_back(rate[s]);
    }
    report.import_ratio.push_back(rate[kCluster] / rate[kEmbedded]);
    std::fprintf(stderr, "round %d: import: embedded %.0f/s, cluster %.0f/s (%.2fx)\n", round,
                 rate[kEmbedded], rate[kCluster], rate[kCluster] / rate[kEmbedded]);
  }

  // 3. A new, empty node per round; the last one stays for the check.
  const std::string last_id = acknowledged[kCluster].back();
  report.join_profiles = acknowledged[kCluster].size();
  Server joined;
  for (int round = 1; round <= options.rounds; ++round) {
    if (joined.process != nullptr) {
      joined.process->Signal(SIGTERM);
      joined.process->Wait();
    }
    const std::string name = absl::StrCat("joined-", round);
    const Clock::time_point start = Clock::now();
    absl::StatusOr<Server> node =
        StartServer(scratch.Join(name), scratch.Join(name), ClusterFlags(**etcd, options.nodes));
    if (!node.ok()) return node.status();
    joined = *std::move(node);
    const double serving_s = MillisecondsBetween(start, Clock::now()) / 1000;
    socio::v1::GetProfileRequest get;
    get.set_id(last_id);
    absl::Status last_read;
    if (!WaitFor(
            [&] {
              last_read = joined.profiles->GetProfile(get).status();
              return last_read.ok();
            },
            kCatchUpTimeout)) {
      return absl::DeadlineExceededError(absl::StrCat("the new node did not have '", last_id,
                                                      "' within 60 s: ", last_read.ToString()));
    }
    const double all_s = MillisecondsBetween(start, Clock::now()) / 1000;
    report.join_serving_s.push_back(serving_s);
    report.join_all_s.push_back(all_s);
    std::fprintf(stderr, "round %d: new node serving after %.2f s, '%s' readable after %.2f s\n",
                 round, serving_s, last_id.c_str(), all_s);
  }

  // 4. The etcd leader killed under a writer through node 0, on a channel of
  // its own (the one that carried the imports holds its next call once).
  absl::flat_hash_map<std::string, absl::Status> failed;
  {
    clients::ProfileClient writer_client(
        clients::Channel::Open(servers[kCluster].profiles->channel().options()));
    if (absl::Status st = WarmUp(writer_client); !st.ok()) return st;
    ContinuousWriter writer(&writer_client, &create_profiles);
    absl::StatusOr<std::vector<KillFigures>> kills = KillLeaders(**etcd, options.kills, writer);
    if (!kills.ok()) return kills.status();
    report.kills = *std::move(kills);
    for (const Attempt& attempt : writer.Attempts()) {
      if (attempt.status.ok()) {
        acknowledged[kCluster].push_back(attempt.id);
      } else {
        failed.emplace(attempt.id, attempt.status);
      }
    }
    report.kill_calls_failed = static_cast<int>(failed.size());
    for (const KillFigures& k : report.kills) {
      std::fprintf(stderr,
                   "leader (member %d) killed: longest time without a success %.0f ms, kill to "
                   "first success %.0f ms, %d calls failed\n",
                   k.member, k.longest_gap_ms, k.to_first_success_ms, k.failed);
    }
    for (const auto& [id, status] : failed) {
      std::fprintf(stderr, "failed create %s: %s\n", id.c_str(), status.ToString().c_str());
    }
  }

  // Every node holds what was acknowledged to it.
  for (int s : {kEmbedded, kCluster}) report.acknowledged[s] = acknowledged[s].size();
  const absl::flat_hash_set<std::string> embedded_ids(acknowledged[kEmbedded].begin(),
                                                      acknowledged[kEmbedded].end());
  const absl::flat_hash_set<std::string> cluster_ids(acknowledged[kCluster].begin(),
                                                     acknowledged[kCluster].end());
  std::vector<std::pair<std::string, const clients::ProfileClient*>> to_check = {
      {"embedded", servers[kEmbedded].profiles.get()},
      {"node 0", servers[kCluster].profiles.get()}};
  for (size_t n = 0; n < other_nodes.size(); ++n) {
    to_check.emplace_back(absl::StrCat("node ", n + 1), other_nodes[n].profiles.get());
  }
  to_check.emplace_back("new node", joined.profiles.get());
  for (const auto& [name, client] : to_check) {
    const bool embedded = client == servers[kEmbedded].profiles.get();
    absl::StatusOr<NodeCheck> check =
        CheckNode(name, *client, embedded ? embedded_ids : cluster_ids,
                  embedded ? absl::flat_hash_map<std::string, absl::Status>() : failed);
    if (!check.ok()) return check.status();
    if (!embedded) report.landed_in_doubt = std::max(report.landed_in_doubt, check->landed.size());
    std::fprintf(stderr, "check: %s\n", Describe(*check).c_str());
    report.checks.push_back(*std::move(check));
  }
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  CLI::App app(
      "sociod's cluster mode (three etcd members) beside its embedded store, through real "
      "sociod processes over gRPC");
  BenchOptions options;
  app.add_option("--creates", options.creates, "Sequential creates per setup and round")
      ->check(CLI::Range(10, 1000000))
      ->capture_default_str();
  app.add_option("--import", options.imported, "Profiles in one import stream per setup and round")
      ->check(CLI::Range(100, 10000000))
      ->capture_default_str();
  app.add_option("--rounds", options.rounds,
                 "Rounds of creates and of imports (the setups take turns), and new nodes started")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--nodes", options.nodes, "Cluster nodes running from the start (writes go to 0)")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  app.add_option("--kills", options.kills, "Times the etcd leader is killed under writes")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Profile generator seed")->capture_default_str();
  app.add_flag("--json", options.json, "One JSON object on stdout instead of the table");
  CLI11_PARSE(app, argc, argv);
  if (!testing::EtcdAvailable()) {
    std::fprintf(stderr, "socio-bench-cluster-sociod: %s\n", testing::kEtcdMissing);
    return 77;  // skipped
  }

  Report report;
  if (absl::Status s = Run(options, report); !s.ok()) {
    std::fprintf(stderr, "socio-bench-cluster-sociod: %s\n", s.ToString().c_str());
    return 1;
  }
  if (options.json) {
    PrintJson(options, report);
  } else {
    PrintTable(options, report);
  }
  for (const NodeCheck& check : report.checks) {
    if (Violated(check)) {
      std::fprintf(stderr, "socio-bench-cluster-sociod: %s\n", Describe(check).c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) { return socio::bench::Main(argc, argv); }
