#include "tests/fault/cluster_harness.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "grpcpp/completion_queue.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "storage/profile_store.h"
#include "tests/fault/change_log_check.h"
#include "tests/support/process.h"

namespace socio::fault {
namespace {

using socio::testing::ChildProcess;
using socio::v1::Profile;
using socio::v1::ProfileChange;
using ProfileStub = socio::v1::ProfileService::Stub;

// How long every node may take to take writes again after an etcd fault.
constexpr absl::Duration kProbeTimeout = absl::Seconds(30);
// A probe's deadline: longer than a node's for a write (10 s), so that every
// probe is answered and none lands later.
constexpr auto kProbeDeadline = std::chrono::seconds(20);
constexpr absl::Duration kProbeInterval = absl::Milliseconds(100);
constexpr int kBarrierAttempts = 5;
constexpr absl::Duration kCatchUpTimeout = absl::Seconds(60);
constexpr absl::Duration kHealthyTimeout = absl::Seconds(30);
// Changes before the last one verified that an incremental read sees again.
constexpr size_t kLogOverlap = 64;
// Differences listed per check; the rest are counted.
constexpr size_t kMaxListed = 10;
// LogCheck: a node whose change log's start must be found out again.
constexpr uint64_t kUnknownStart = std::numeric_limits<uint64_t>::max();

std::string FileTail(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return "";
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return Tail(text);
}

// Whether the child has ended; leaves it a zombie for ChildProcess to reap.
bool Exited(const ChildProcess& process) {
  siginfo_t info = {};
  if (waitid(P_PID, process.pid(), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
  return info.si_pid != 0;
}

std::chrono::system_clock::time_point In(std::chrono::seconds seconds) {
  return std::chrono::system_clock::now() + seconds;
}

// The message's bytes, the same for equal messages.
std::string Canonical(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

std::string StatusText(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

Write CreateOf(const Profile& profile) {
  Write write;
  write.kind = Write::kCreate;
  ProfileState state = StateOf(profile);
  state.version = 1;
  write.outcomes.emplace_back(profile.id(), std::move(state));
  return write;
}

// What a node says of a write it made sure can never apply.
constexpr char kNotApplied[] = "the write was not applied";

// The number after `marker` in `text`, or -1.
int64_t NumberAfter(absl::string_view text, absl::string_view marker) {
  const size_t at = text.find(marker);
  if (at == absl::string_view::npos) return -1;
  absl::string_view digits = text.substr(at + marker.size());
  size_t end = 0;
  while (end < digits.size() && absl::ascii_isdigit(digits[end])) ++end;
  int64_t number = -1;
  return absl::SimpleAtoi(digits.substr(0, end), &number) ? number : -1;
}

// Whether a writer's `error` is an ImportProfiles stream that was answered
// OK with every item rejected by a failed write to etcd: how a node answers an
// import whose transaction failed (each item carries the write's error), so
// its outcome is that of the failed write, and it stays in flight.
bool ImportFailedWhole(absl::string_view error) {
  const int64_t items = NumberAfter(error, "the acknowledged import of ");
  return items > 0 && absl::StrContains(error, ", created 0, updated 0, rejected ") &&
         NumberAfter(error, ", rejected ") == items &&
         (absl::StrContains(error, "etcd") || absl::StrContains(error, "written at revision"));
}

// One node's change log over (after, last].
struct NodeLog {
  grpc::Status status;
  uint64_t after = 0;
  uint64_t last = 0;  // the socio-last-sequence metadata
  std::vector<ProfileChange> changes;
};

NodeLog ReadLog(ProfileStub& stub, uint64_t after) {
  NodeLog log;
  log.after = after;
  ChangeLogReader reader(stub, after);
  if (!reader.has_last()) {
    log.status = reader.Finish();
    if (log.status.ok()) {
      log.status = grpc::Status(grpc::StatusCode::INTERNAL, "no socio-last-sequence metadata");
    }
    return log;
  }
  log.last = reader.last();
  ProfileChange change;
  bool reached = log.last <= after;
  bool open = true;
  while (!reached && (open = reader.Read(&change))) {
    reached = change.sequence() >= log.last;
    log.changes.push_back(std::move(change));
  }
  if (open) reader.Cancel();             // the stream waits for more
  grpc::Status ended = reader.Finish();  // CANCELLED, as asked, once the end was read
  if (!reached) {
    log.status =
        ended.ok() ? grpc::Status(grpc::StatusCode::INTERNAL, "the stream ended early") : ended;
  } else if (!ended.ok() && ended.error_code() != grpc::StatusCode::CANCELLED) {
    log.status = ended;  // e.g. OUT_OF_RANGE for a log that starts later
  }
  return log;
}

// The start an OUT_OF_RANGE answer names: "... before the start of this
// node's change log (START; ...".
std::optional<uint64_t> StartNamedIn(absl::string_view message) {
  const int64_t start = NumberAfter(message, "change log (");
  if (start < 0) return std::nullopt;
  return static_cast<uint64_t>(start);
}

}  // namespace

const char* FaultName(Fault fault) {
  switch (fault) {
    case Fault::kEtcdLeader:
      return "etcd leader";
    case Fault::kEtcdFollower:
      return "etcd follower";
    case Fault::kSociod:
      return "sociod node";
  }
  return "fault";
}

// The change logs of all nodes, read through WatchProfiles after every
// cycle, against each other and against what earlier cycles read.
class ClusterHarness::LogCheck {
 public:
  struct Figures {
    int64_t entries_read = 0;
    int64_t deletes_compared = 0;
    int64_t delete_times_differing = 0;
  };

  // Reads every node's log from the start (`from_start`) or from a little
  // before the last change verified, and appends what is wrong to
  // `violations`. starts[i] is where node i's log starts (kUnknownStart: it
  // was read afresh, find out). The changes after the last one verified must
  // number `expected_new` (`accounting` says why); replaying the log must give
  // `stored`.
  void Verify(const std::vector<ProfileStub*>& stubs, std::vector<uint64_t>* starts,
              bool from_start, int64_t expected_new, const std::string& accounting,
              const StoredProfiles& stored, std::vector<std::string>* violations);

  // The sequence number of the last change verified; 0 before the first.
  uint64_t last() const { return entries_.empty() ? 0 : entries_.back().sequence; }
  const Figures& figures() const { return figures_; }

 private:
  struct Entry {
    uint64_t sequence = 0;
    size_t hash = 0;  // of the change without a delete's commit_time
  };
  static size_t HashOf(const ProfileChange& change);

  std::vector<Entry> entries_;
  // The log replayed up to last().
  ReplayedProfiles replay_;
  bool complete_ = true;  // entries_ hold every change from sequence 0 on
  Figures figures_;
};

size_t ClusterHarness::LogCheck::HashOf(const ProfileChange& change) {
  if (change.kind() != ProfileChange::DELETED) return std::hash<std::string>{}(Canonical(change));
  // A delete's commit_time is the applying node's clock: compared apart.
  ProfileChange copy = change;
  copy.clear_commit_time();
  return std::hash<std::string>{}(Canonical(copy));
}

void ClusterHarness::LogCheck::Verify(const std::vector<ProfileStub*>& stubs,
                                      std::vector<uint64_t>* starts, bool from_start,
                                      int64_t expected_new, const std::string& accounting,
                                      const StoredProfiles& stored,
                                      std::vector<std::string>* violations) {
  const uint64_t previous = last();
  uint64_t after = 0;
  if (!from_start && entries_.size() > kLogOverlap) {
    after = entries_[entries_.size() - kLogOverlap - 1].sequence;
  }
  std::vector<NodeLog> logs;
  for (size_t i = 0; i < stubs.size(); ++i) {
    uint64_t& start = (*starts)[i];
    const uint64_t from = start == kUnknownStart ? after : std::max(after, start);
    NodeLog log = ReadLog(*stubs[i], from);
    if (log.status.error_code() == grpc::StatusCode::OUT_OF_RANGE && start == kUnknownStart) {
      // A node read afresh: its log starts where the answer says.
      std::optional<uint64_t> named = StartNamedIn(log.status.error_message());
      if (named.has_value() && *named > from) {
        start = *named;
        log = ReadLog(*stubs[i], start);
      }
    } else if (log.status.ok() && start == kUnknownStart) {
      start = from;
    }
    figures_.entries_read += static_cast<int64_t>(log.changes.size());
    if (!log.status.ok()) {
      violations->push_back(absl::StrCat("node ", i, ": WatchProfiles after ", log.after,
                                         " failed: ", StatusText(log.status)));
    }
    logs.push_back(std::move(log));
  }
  for (const NodeLog& log : logs) {
    if (!log.status.ok()) return;
  }

  // Each log on its own: increasing, ending where it said.
  for (size_t i = 0; i < logs.size(); ++i) {
    uint64_t before = logs[i].after;
    for (const ProfileChange& change : logs[i].changes) {
      if (change.sequence() <= before) {
        violations->push_back(absl::StrCat("node ", i, ": change log not increasing: change ",
                                           change.sequence(), " came after change ", before));
        return;
      }
      before = change.sequence();
    }
    if (before != logs[i].last) {
      violations->push_back(absl::StrCat("node ", i, ": change log ends at ", before,
                                         " but its socio-last-sequence said ", logs[i].last));
      return;
    }
    if (logs[i].last != logs[0].last) {
      violations->push_back(absl::StrCat("node ", i, ": change log ends at ", logs[i].last,
                                         ", node 0's at ", logs[0].last));
    }
    if (logs[i].last < previous) {
      violations->push_back(absl::StrCat("node ", i, ": change log shrank: it ends at ",
                                         logs[i].last, ", change ", previous, " was read before"));
    }
  }

  // The reference: the log read from furthest back.
  size_t ref = 0;
  for (size_t i = 1; i < logs.size(); ++i) {
    if (logs[i].after < logs[ref].after) ref = i;
  }
  const std::vector<ProfileChange>& reference = logs[ref].changes;

  // The others equal it where they overlap, deletes' commit times apart.
  for (size_t i = 0; i < logs.size(); ++i) {
    if (i == ref) continue;
    auto first = std::upper_bound(reference.begin(), reference.end(), logs[i].after,
                                  [](uint64_t sequence, const ProfileChange& change) {
                                    return sequence < change.sequence();
                                  });
    const std::vector<ProfileChange>& mine = logs[i].changes;
    const size_t common = static_cast<size_t>(reference.end() - first);
    size_t listed = 0;
    for (size_t k = 0; k < std::max(common, mine.size()); ++k) {
      if (k >= common || k >= mine.size()) {
        violations->push_back(absl::StrCat("node ", i, " holds ", mine.size(), " changes after ",
                                           logs[i].after, ", node ", ref, " ", common));
        break;
      }
      const ProfileChange& a = *(first + static_cast<std::ptrdiff_t>(k));
      const ProfileChange& b = mine[k];
      if (a.sequence() != b.sequence() || HashOf(a) != HashOf(b)) {
        if (listed++ < kMaxListed) {
          violations->push_back(
              absl::StrCat("node ", i, "'s change log differs from node ", ref, "'s: node ", ref,
                           " has change ", a.sequence(), " (", ProfileChange::Kind_Name(a.kind()),
                           " of ", a.profile().id(), " version ", a.profile().version(), "), node ",
                           i, " change ", b.sequence(), " (", ProfileChange::Kind_Name(b.kind()),
                           " of ", b.profile().id(), " version ", b.profile().version(), ")"));
        }
        if (a.sequence() != b.sequence()) break;  // the rest would all differ
        continue;
      }
      if (a.kind() == ProfileChange::DELETED) {
        ++figures_.deletes_compared;
        if (Canonical(a.commit_time()) != Canonical(b.commit_time())) {
          ++figures_.delete_times_differing;
        }
      }
    }
    if (listed > kMaxListed) {
      violations->push_back(
          absl::StrCat("node ", i, ": ", listed - kMaxListed, " more changes differ"));
    }
  }

  // What was read before is unchanged.
  auto old = std::upper_bound(
      entries_.begin(), entries_.end(), logs[ref].after,
      [](uint64_t sequence, const Entry& entry) { return sequence < entry.sequence; });
  size_t k = 0;
  size_t changed = 0;
  for (; old != entries_.end(); ++old, ++k) {
    if (k >= reference.size() || reference[k].sequence() != old->sequence) {
      violations->push_back(absl::StrCat(
          "change ", old->sequence, ", read before, is gone from node ", ref, "'s log (it has ",
          k < reference.size() ? absl::StrCat("change ", reference[k].sequence()) : "nothing",
          " there)"));
      return;
    }
    if (HashOf(reference[k]) != old->hash && changed++ < kMaxListed) {
      violations->push_back(absl::StrCat("change ", old->sequence, " (",
                                         reference[k].profile().id(),
                                         ") differs from what the log held before"));
    }
  }
  if (changed > kMaxListed) {
    violations->push_back(absl::StrCat(changed - kMaxListed, " more changes differ"));
  }

  // The new changes: as many as the ledgers account for.
  const int64_t fresh = static_cast<int64_t>(reference.size() - k);
  if (logs[ref].after > previous) complete_ = false;  // a gap nobody can fill
  if (fresh != expected_new) {
    violations->push_back(absl::StrCat("the change logs hold ", fresh, " changes after ", previous,
                                       "; the ledgers account for ", expected_new, " (", accounting,
                                       ")"));
  }
  if (from_start && logs[ref].after == 0) replay_.clear();
  const size_t replay_from = from_start && logs[ref].after == 0 ? 0 : k;
  for (size_t j = replay_from; j < reference.size(); ++j) Replay(reference[j], &replay_);
  for (size_t j = k; j < reference.size(); ++j) {
    entries_.push_back({reference[j].sequence(), HashOf(reference[j])});
  }
  if (complete_) CheckReplay(replay_, stored, violations);
}

struct ClusterHarness::Node {
  int number = 0;
  std::string data_dir;
  int generation = 0;  // data directories so far
  int starts = 0;
  std::unique_ptr<ChildProcess> process;
  std::string address;
  std::atomic<bool> faulted = false;  // its writers' failures are the fault's
  uint64_t log_start = 0;             // where its change log starts; kUnknownStart: find out
};

struct ClusterHarness::CycleReport {
  Fault fault = Fault::kEtcdLeader;
  int killed = -1;  // the etcd member or the node
  bool fresh = false;
  int kill_ms = 0;
  double outage_seconds = -1;  // etcd faults: until every node took writes again
  int writers_stopped = 0;
  double restart_seconds = 0;
  double catch_up_seconds = 0;
  WriterCounts acknowledged;
  LedgerCheck ledger;  // the writers', against etcd's records
  int64_t probe_landed_items = 0;
  int64_t profiles = 0;
  int64_t chamber_entries = 0;
  int matcher_members = 0;
  int checks = 0;
  int checks_passed = 0;
};

ClusterHarness::ClusterHarness(ClusterHarnessOptions options)
    : options_(std::move(options)),
      writers_({.seed = options_.seed,
                .writers = options_.writers,
                .initial_profiles = options_.profiles,
                .owner_of = [this](int i) { return OwnerOf(i); },
                .max_import_items = options_.max_import_items}),
      log_(std::make_unique<LogCheck>()),
      rng_(options_.seed) {}

ClusterHarness::~ClusterHarness() {
  nodes_.clear();  // SIGKILL if they still run
  etcd_client_.reset();
  etcd_.reset();
}

std::shared_ptr<grpc::Channel> ClusterHarness::NewChannel(int node) const {
  return NewHarnessChannel(nodes_[static_cast<size_t>(node)]->address);
}

std::vector<std::shared_ptr<grpc::Channel>> ClusterHarness::NodeChannels() const {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int n = 0; n < kNodes; ++n) channels.push_back(NewChannel(n));
  return channels;
}

void ClusterHarness::Violation(int cycle, const std::string& message) {
  RecordViolation(cycle, message, &violations_);
}

WriterLedger* ClusterHarness::NewProbeLedger() {
  absl::MutexLock lock(&probe_mu_);
  probe_ledgers_.push_back(std::make_unique<WriterLedger>());
  return probe_ledgers_.back().get();
}

std::vector<WriterLedger*> ClusterHarness::AllLedgers() {
  std::vector<WriterLedger*> ledgers = writers_.Ledgers();
  ledgers.push_back(&probe_archive_);
  absl::MutexLock lock(&probe_mu_);
  for (auto& ledger : probe_ledgers_) ledgers.push_back(ledger.get());
  return ledgers;
}

void ClusterHarness::ArchiveProbeLedgers() {
  absl::MutexLock lock(&probe_mu_);
  Write settled;
  for (const auto& ledger : probe_ledgers_) {
    if (ledger->has_in_flight()) return;  // not settled (the check did not run)
    for (const auto& [id, state] : ledger->known()) settled.outcomes.emplace_back(id, state);
  }
  if (!settled.outcomes.empty()) {
    probe_archive_.Begin(std::move(settled));
    probe_archive_.Acknowledge();
  }
  probe_ledgers_.clear();
}

bool ClusterHarness::Setup() {
  if (!work_dir_.Make("socio-cluster-")) {
    std::fprintf(stderr, "socio-cluster-harness: cannot make a temporary directory\n");
    return false;
  }
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference = LoadSociodReference();
  if (!reference.ok()) {
    std::fprintf(stderr, "socio-cluster-harness: reference data: %s\n",
                 reference.status().ToString().c_str());
    return false;
  }
  reference_ = *std::move(reference);
  tables_ = std::make_shared<const matcher::ScoringTables>(reference_);
  errors_seen_.assign(writers_.size(), 0);

  std::fprintf(stderr, "starting 3 etcd members\n");
  absl::StatusOr<std::unique_ptr<socio::testing::EtcdCluster>> etcd =
      socio::testing::EtcdCluster::Start({.members = kNodes});
  if (!etcd.ok()) {
    std::fprintf(stderr, "socio-cluster-harness: starting etcd: %s\n",
                 etcd.status().ToString().c_str());
    return false;
  }
  etcd_ = *std::move(etcd);
  absl::StatusOr<std::unique_ptr<etcd::EtcdClient>> client =
      etcd::EtcdClient::Connect({.endpoints = etcd_->ClientAddressList()});
  if (!client.ok()) {
    std::fprintf(stderr, "socio-cluster-harness: %s\n", client.status().ToString().c_str());
    return false;
  }
  etcd_client_ = *std::move(client);

  std::fprintf(stderr, "starting 3 sociod nodes\n");
  for (int n = 0; n < kNodes; ++n) {
    nodes_.push_back(std::make_unique<Node>());
    nodes_.back()->number = n;
  }
  std::vector<std::thread> starting;
  std::array<bool, kNodes> started{};
  for (int n = 0; n < kNodes; ++n) {
    starting.emplace_back([this, n, &started] { started[n] = StartNode(n, /*fresh=*/true); });
  }
  for (std::thread& t : starting) t.join();
  return std::all_of(started.begin(), started.end(), [](bool ok) { return ok; });
}

bool ClusterHarness::StartNode(int n, bool fresh) {
  Node& node = *nodes_[static_cast<size_t>(n)];
  if (fresh) node.data_dir = absl::StrCat(work_dir_.path(), "/node-", n, "-", ++node.generation);
  const int start = ++node.starts;
  const std::string prefix = absl::StrCat(work_dir_.path(), "/sociod-", n, "-", start);
  std::vector<std::string> flags = {
      "--store",          "etcd",
      "--etcd_endpoints", absl::StrJoin(etcd_->ClientAddressList(n), ","),
      "--dev_insecure",   "--log_level",
      "warning"};
  node.process.reset();
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      socio::testing::StartSociod(node.data_dir, prefix, &node.address, flags);
  if (!process.ok()) {
    std::fprintf(stderr, "socio-cluster-harness: sociod node %d did not start: %s\n%s\n", n,
                 process.status().ToString().c_str(), FileTail(prefix + ".err").c_str());
    return false;
  }
  node.process = *std::move(process);
  // Output of the starts before the last two is of no more use.
  if (start > 2) RemoveOutput(absl::StrCat(work_dir_.path(), "/sociod-", n, "-", start - 2));
  return true;
}

bool ClusterHarness::ImportInitialProfiles() {
  auto stub = socio::v1::ProfileService::NewStub(NewChannel(0));
  int64_t created = 0;
  grpc::Status status = writers_.ImportInitialProfiles(*stub, &created);
  if (!status.ok() || created != options_.profiles) {
    std::fprintf(stderr,
                 "socio-cluster-harness: importing the first %d profiles: %s (%lld created)\n",
                 options_.profiles, StatusText(status).c_str(), static_cast<long long>(created));
    return false;
  }
  return true;
}

absl::StatusOr<StoredProfiles> ClusterHarness::ReadEtcdProfiles() {
  const std::string prefix = storage::ProfileStore::ClusterKey("");
  absl::StatusOr<etcd::RangePage> page =
      etcd_client_->Range(prefix, etcd::EtcdClient::PrefixEnd(prefix));
  if (!page.ok()) return page.status();
  StoredProfiles stored;
  for (const etcd::KeyValue& kv : page->kvs) {
    Profile profile;
    if (!profile.ParseFromString(kv.value) ||
        storage::ProfileStore::ClusterKey(profile.id()) != kv.key) {
      return absl::DataLossError(
          absl::StrCat("etcd's record '", kv.key, "' is not a profile with that id"));
    }
    std::string id = profile.id();
    stored.emplace(std::move(id), std::move(profile));
  }
  return stored;
}

bool ClusterHarness::InjectFault(int cycle, Fault fault, int* killed, absl::Time* at) {
  if (fault == Fault::kSociod) {
    const int n = sociod_kills_++ % kNodes;
    Node& node = *nodes_[static_cast<size_t>(n)];
    *killed = n;
    node.faulted = true;
    *at = absl::Now();
    node.process->Signal(SIGKILL);
    const int status = node.process->Wait();
    if (status != 128 + SIGKILL) {
      Violation(cycle, absl::StrCat("sociod node ", n, " ended with status ", status,
                                    " before it was killed: ", Tail(node.process->Stderr())));
    }
    return true;
  }
  absl::StatusOr<int> leader = etcd_->Leader();
  if (!leader.ok()) {
    Violation(cycle, absl::StrCat("no etcd leader before the fault: ", leader.status().ToString()));
    return false;
  }
  if (fault == Fault::kEtcdLeader) {
    *killed = *leader;
  } else {
    std::vector<int> followers;
    for (int i = 0; i < etcd_->size(); ++i) {
      if (i != *leader) followers.push_back(i);
    }
    *killed = followers[static_cast<size_t>(follower_kills_++) % followers.size()];
  }
  for (auto& node : nodes_) node->faulted = true;
  *at = absl::Now();
  etcd_->Kill(*killed);
  return true;
}

double ClusterHarness::ProbeUntilServing(int cycle, absl::Time since) {
  // One create in flight; its ledger is its own.
  struct Probe {
    int node = 0;
    WriterLedger* ledger = nullptr;
    ProfileState expected;
    socio::v1::CreateProfileRequest request;
    grpc::ClientContext context;
    Profile answer;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Profile>> reader;
  };
  grpc::CompletionQueue queue;
  std::vector<std::unique_ptr<ProfileStub>> stubs;
  for (int n = 0; n < kNodes; ++n)
    stubs.push_back(socio::v1::ProfileService::NewStub(NewChannel(n)));
  std::vector<std::unique_ptr<Probe>> probes;
  std::array<double, kNodes> served;
  served.fill(-1);
  bool all_served = false;
  int outstanding = 0;
  int64_t acknowledged = 0;
  const absl::Time give_up = since + kProbeTimeout;
  absl::Time next_launch = absl::Now();
  while (true) {
    const absl::Time now = absl::Now();
    const bool launching = !all_served && now < give_up;
    if (launching && now >= next_launch) {
      for (int n = 0; n < kNodes; ++n) {
        if (served[n] >= 0) continue;
        auto probe = std::make_unique<Probe>();
        probe->node = n;
        *probe->request.mutable_profile() = writers_.NewProfile();
        Write write = CreateOf(probe->request.profile());
        probe->expected = write.outcomes.front().second;
        probe->ledger = NewProbeLedger();
        probe->ledger->Begin(std::move(write));
        probe->context.set_deadline(In(kProbeDeadline));
        probe->reader = stubs[n]->AsyncCreateProfile(&probe->context, probe->request, &queue);
        probe->reader->Finish(&probe->answer, &probe->status, probe.get());
        probes.push_back(std::move(probe));
        ++outstanding;
      }
      next_launch = now + kProbeInterval;
    }
    // Every call is waited for: none may land after the checks began.
    if (!launching && outstanding == 0) break;
    void* tag = nullptr;
    bool ok = false;
    const absl::Time wake = launching ? next_launch : now + absl::Seconds(1);
    if (queue.AsyncNext(&tag, &ok, absl::ToChronoTime(wake)) != grpc::CompletionQueue::GOT_EVENT) {
      continue;
    }
    --outstanding;
    Probe& probe = *static_cast<Probe*>(tag);
    if (probe.status.ok()) {
      probe.ledger->Acknowledge();
      ++acknowledged;
      if (served[probe.node] < 0) served[probe.node] = absl::ToDoubleSeconds(absl::Now() - since);
      all_served = std::all_of(served.begin(), served.end(), [](double s) { return s >= 0; });
      if (!SameState(StateOf(probe.answer), probe.expected)) {
        Violation(cycle, absl::StrCat("node ", probe.node, ": the acknowledged probe create of '",
                                      probe.request.profile().id(), "' answered ",
                                      Describe(StateOf(probe.answer))));
      }
    } else {
      ++totals_.probe_failures;
      // The node says it made sure the write can never apply: checked.
      if (probe.status.error_code() == grpc::StatusCode::UNAVAILABLE &&
          absl::StrContains(probe.status.error_message(), kNotApplied)) {
        ++totals_.probes_not_applied;
        not_applied_.push_back(probe.request.profile().id());
      }
      if (!EndedByKill(probe.status)) {
        Violation(cycle,
                  absl::StrCat("node ", probe.node, ": a probe create during the outage failed: ",
                               StatusText(probe.status)));
      }
    }
  }
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  totals_.probe_writes += acknowledged;
  harness_changes_ += acknowledged;
  double slowest = 0;
  for (int n = 0; n < kNodes; ++n) {
    if (served[n] < 0) {
      Violation(cycle, absl::StrCat("node ", n, " took no write for ",
                                    absl::FormatDuration(kProbeTimeout), " after the fault"));
      return -1;
    }
    slowest = std::max(slowest, served[n]);
  }
  return slowest;
}

bool ClusterHarness::WaitForCatchUp(int cycle, int through, CycleReport* report) {
  const absl::Time start = absl::Now();
  auto stub = socio::v1::ProfileService::NewStub(NewChannel(through));
  uint64_t barrier = 0;
  std::string last_failure;
  for (int attempt = 1; attempt <= kBarrierAttempts && barrier == 0; ++attempt) {
    if (attempt > 1) {
      ++totals_.barrier_retries;
      std::fprintf(stderr,
                   "cycle %d: a write through node %d after the restart failed (%s); "
                   "trying again\n",
                   cycle, through, last_failure.c_str());
      absl::SleepFor(absl::Milliseconds(500));
    }
    WriterLedger* ledger = NewProbeLedger();
    socio::v1::CreateProfileRequest create;
    *create.mutable_profile() = writers_.NewProfile();
    ledger->Begin(CreateOf(create.profile()));
    Profile answer;
    grpc::ClientContext create_context;
    create_context.set_deadline(In(std::chrono::seconds(30)));
    grpc::Status status = stub->CreateProfile(&create_context, create, &answer);
    if (!status.ok()) {
      last_failure = absl::StrCat("create: ", StatusText(status));
      continue;
    }
    ledger->Acknowledge();
    ++harness_changes_;
    ++totals_.probe_writes;
    Write remove;
    remove.kind = Write::kDelete;
    remove.outcomes.emplace_back(create.profile().id(), ProfileState{});
    ledger->Begin(std::move(remove));
    socio::v1::DeleteProfileRequest request;
    request.set_id(create.profile().id());
    socio::v1::DeleteProfileResponse response;
    grpc::ClientContext delete_context;
    delete_context.set_deadline(In(std::chrono::seconds(30)));
    status = stub->DeleteProfile(&delete_context, request, &response);
    if (!status.ok()) {
      last_failure = absl::StrCat("delete: ", StatusText(status));
      continue;
    }
    ledger->Acknowledge();
    ++harness_changes_;
    ++totals_.probe_writes;
    barrier = response.sequence();
  }
  if (barrier == 0) {
    Violation(cycle,
              absl::StrCat("writes through node ", through, " still fail after the restart (",
                           kBarrierAttempts, " tries; last: ", last_failure, ")"));
    return false;
  }

  // Every node at the barrier (or at a write in flight that landed after
  // it), its match index too.
  std::vector<std::unique_ptr<socio::v1::AdminService::Stub>> admins;
  for (int n = 0; n < kNodes; ++n)
    admins.push_back(socio::v1::AdminService::NewStub(NewChannel(n)));
  std::vector<std::string> where(kNodes);
  while (true) {
    std::vector<uint64_t> at;
    for (int n = 0; n < kNodes; ++n) {
      socio::v1::Stats stats;
      grpc::ClientContext context;
      context.set_deadline(In(std::chrono::seconds(10)));
      grpc::Status status = admins[n]->GetStats(&context, {}, &stats);
      if (!status.ok()) {
        where[n] = absl::StrCat("GetStats failed: ", StatusText(status));
        continue;
      }
      where[n] =
          absl::StrCat("change ", stats.last_sequence(), ", index at ", stats.index_sequence());
      if (stats.last_sequence() >= barrier && stats.index_sequence() == stats.last_sequence()) {
        at.push_back(stats.last_sequence());
      }
    }
    if (at.size() == kNodes && std::count(at.begin(), at.end(), at.front()) == kNodes) {
      if (at.front() != barrier) {
        std::fprintf(stderr,
                     "cycle %d: the nodes are at change %llu, after the barrier write's %llu: a "
                     "write in flight landed late\n",
                     cycle, static_cast<unsigned long long>(at.front()),
                     static_cast<unsigned long long>(barrier));
      }
      agreed_sequence_ = at.front();
      break;
    }
    if (absl::Now() - start > kCatchUpTimeout) {
      std::vector<std::string> states;
      for (int n = 0; n < kNodes; ++n) states.push_back(absl::StrCat("node ", n, ": ", where[n]));
      Violation(cycle, absl::StrCat("the nodes did not all reach the barrier write (change ",
                                    barrier, ") within ", absl::FormatDuration(kCatchUpTimeout),
                                    ": ", absl::StrJoin(states, "; ")));
      return false;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  report->catch_up_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return true;
}

bool ClusterHarness::Verify(int cycle, int64_t acknowledged_changes, CycleReport* report) {
  const size_t before = violations_.size();
  std::vector<std::string> found;
  const auto take = [&](const std::string& what) -> bool {
    ++report->checks;
    for (std::string& v : found) Violation(cycle, absl::StrCat(what, ": ", v));
    const bool clean = found.empty();
    found.clear();
    if (clean) ++report->checks_passed;
    return clean;
  };

  // 1. etcd's records settle the writes in flight at the fault.
  absl::StatusOr<StoredProfiles> records = ReadEtcdProfiles();
  if (!records.ok()) {
    Violation(cycle, absl::StrCat("reading etcd's records: ", records.status().ToString()));
    return false;
  }
  // The writers' ids and the probes' apart, so that the figures are the
  // writers'; an id in neither is the writers' check's to report.
  std::vector<WriterLedger*> writer_ledgers = writers_.Ledgers();
  std::vector<WriterLedger*> probe_ledgers = {&probe_archive_};
  {
    absl::MutexLock lock(&probe_mu_);
    for (auto& ledger : probe_ledgers_) probe_ledgers.push_back(ledger.get());
  }
  StoredProfiles writer_records;
  StoredProfiles probe_records;
  int64_t ids = 0;
  for (WriterLedger* ledger : probe_ledgers) {
    ids += static_cast<int64_t>(ledger->known().size());
    for (const auto& [id, state] : ledger->known()) {
      if (auto it = records->find(id); it != records->end()) probe_records.insert(*it);
    }
  }
  for (const auto& [id, profile] : *records) {
    if (!probe_records.contains(id)) writer_records.emplace(id, profile);
  }
  for (WriterLedger* ledger : writer_ledgers) ids += static_cast<int64_t>(ledger->known().size());
  report->ledger = CheckLedgers(writer_ledgers, writer_records);
  found = report->ledger.violations;
  const LedgerCheck probes = CheckLedgers(probe_ledgers, probe_records);
  found.insert(found.end(), probes.violations.begin(), probes.violations.end());
  report->probe_landed_items = probes.landed_items;
  totals_.probes_in_flight += probes.in_flight_writes;
  totals_.probes_landed += probes.landed_writes;
  for (const std::string& id : not_applied_) {
    if (records->contains(id)) {
      found.push_back(absl::StrCat("probe '", id,
                                   "' was answered UNAVAILABLE, 'the write was not applied', but "
                                   "etcd holds it"));
    }
  }
  not_applied_.clear();
  for (const Write& write : not_applied_writes_) {
    for (const auto& [id, outcome] : write.outcomes) {
      auto it = records->find(id);
      const ProfileState now = it == records->end() ? ProfileState{} : StateOf(it->second);
      if (SameState(now, outcome)) {
        found.push_back(absl::StrCat("the import of ", write.outcomes.size(),
                                     " items whose every item was rejected with 'the write was "
                                     "not applied' landed: etcd holds '",
                                     id, "' at ", Describe(now)));
        break;
      }
    }
  }
  not_applied_writes_.clear();
  take("etcd");
  totals_.ids_checked += ids;
  ArchiveProbeLedgers();
  report->profiles = static_cast<int64_t>(records->size());

  std::vector<std::unique_ptr<ProfileStub>> stubs;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<StoredProfiles> stored(kNodes);
  for (int n = 0; n < kNodes; ++n) {
    channels.push_back(NewChannel(n));
    stubs.push_back(socio::v1::ProfileService::NewStub(channels.back()));
    absl::StatusOr<StoredProfiles> listed = ListAllProfiles(*stubs.back());
    if (!listed.ok()) {
      Violation(cycle,
                absl::StrCat("node ", n, ": listing its profiles: ", listed.status().ToString()));
      return false;
    }
    stored[n] = *std::move(listed);

    // 2. The node's profiles against the ledgers (nothing in flight now)...
    found = CheckLedgers(AllLedgers(), stored[n]).violations;
    take(absl::StrCat("node ", n, " ledgers"));
    totals_.ids_checked += ids;

    // 3. ...and against etcd's records, id by id.
    size_t listed_differences = 0;
    const auto differ = [&](std::string message) {
      if (listed_differences++ < kMaxListed) found.push_back(std::move(message));
    };
    for (const auto& [id, profile] : *records) {
      auto it = stored[n].find(id);
      if (it == stored[n].end()) {
        differ(absl::StrCat("etcd holds '", id, "' (version ", profile.version(),
                            "), the node does not"));
      } else if (Canonical(it->second) != Canonical(profile)) {
        differ(
            absl::StrCat("'", id, "' differs: etcd holds version ", profile.version(),
                         ", the node version ", it->second.version(),
                         it->second.version() == profile.version() ? " with other content" : ""));
      }
    }
    for (const auto& [id, profile] : stored[n]) {
      if (!records->contains(id)) {
        differ(absl::StrCat("the node holds '", id, "' (version ", profile.version(),
                            "), etcd does not"));
      }
    }
    if (listed_differences > kMaxListed) {
      found.push_back(absl::StrCat(listed_differences - kMaxListed, " more differences"));
    }
    totals_.profiles_compared += static_cast<int64_t>(records->size());
    take(absl::StrCat("node ", n, " against etcd"));

    // 4. The chamber index lists exactly the node's profiles.
    report->chamber_entries +=
        CheckChamberIndex(*stubs.back(), stored[n], writers_.ChambersWritten(), &found);
    take(absl::StrCat("node ", n, " chamber index"));
  }

  // 5. The change logs: alike, increasing, each change once, replaying to
  // the profiles.
  const int64_t expected_new =
      acknowledged_changes + report->ledger.landed_items + harness_changes_;
  const std::string accounting = absl::StrCat(
      acknowledged_changes, " acknowledged by the writers, ", report->ledger.landed_items,
      " landed of writes in flight, ", harness_changes_.load(), " by probes and barriers");
  harness_changes_ = 0;
  std::vector<ProfileStub*> raw_stubs;
  for (auto& stub : stubs) raw_stubs.push_back(stub.get());
  std::vector<uint64_t> starts;
  for (auto& node : nodes_) starts.push_back(node->log_start);
  const bool from_start = ReadsFullLog(cycle, options_.cycles, options_.full_log_every);
  log_->Verify(raw_stubs, &starts, from_start, expected_new, accounting, *records, &found);
  for (int n = 0; n < kNodes; ++n) nodes_[n]->log_start = starts[n];
  take("change log");

  // 6. Each match index as one built here from the profiles, for the same
  // members on every node.
  const std::mt19937_64 sample_rng = rng_;
  for (int n = 0; n < kNodes; ++n) {
    std::mt19937_64 rng = sample_rng;
    report->matcher_members += CheckMatcher(
        channels[n], stored[n], tables_,
        {.sample = options_.matcher_sample, .last_sequence = agreed_sequence_, .rng = &rng},
        &found);
    take(absl::StrCat("node ", n, " match index"));
  }
  rng_.discard(static_cast<unsigned long long>(options_.matcher_sample) + 1);

  // 7. Partner links and their notifications, alike on every node.
  totals_.chamber_links = CheckChambers(channels, chambers_, &found);
  take("partner links and notifications");

  totals_.checks_passed += report->checks_passed;
  totals_.chamber_entries_checked += report->chamber_entries;
  totals_.matcher_members_compared += report->matcher_members;
  return violations_.size() == before;
}

bool ClusterHarness::RunCycle(int cycle) {
  CycleReport report;
  report.fault = static_cast<Fault>((cycle - 1) % 3);
  report.kill_ms = DrawKillMs(rng_, options_.kill_min_ms, options_.kill_max_ms);
  const absl::Time cycle_start = absl::Now();
  for (auto& node : nodes_) node->faulted = false;
  std::atomic<bool> stop = false;
  std::vector<char> stopped_early(writers_.size(), 0);
  std::vector<std::thread> threads;
  for (size_t w = 0; w < writers_.size(); ++w) {
    const uint64_t seed = WriterSeed(options_.seed, cycle, w);
    Node& node = *nodes_[w % kNodes];
    threads.emplace_back([this, w, seed, channel = NewChannel(static_cast<int>(w % kNodes)), &node,
                          &stop, &stopped_early] {
      writers_[w].Run(channel, seed, stop, node.faulted);
      if (!stop) stopped_early[w] = 1;
    });
  }
  threads.emplace_back(
      [this, cycle, channels = NodeChannels(), &stop] { chambers_.Run(channels, cycle, stop); });
  absl::SleepFor(absl::Milliseconds(report.kill_ms));
  absl::Time fault_time;
  bool ok = InjectFault(cycle, report.fault, &report.killed, &fault_time);
  if (ok && report.fault != Fault::kSociod) {
    report.outage_seconds = ProbeUntilServing(cycle, fault_time);
    ok = report.outage_seconds >= 0;
  }
  absl::SleepFor(absl::Milliseconds(options_.after_fault_ms));
  stop = true;
  for (std::thread& t : threads) t.join();
  ++totals_.faults[static_cast<size_t>(report.fault)];
  for (size_t w = 0; w < writers_.size(); ++w) {
    CrashWriter& writer = writers_[w];
    for (size_t e = errors_seen_[w]; e < writer.errors().size(); ++e) {
      const std::string& error = writer.errors()[e];
      if (nodes_[w % kNodes]->faulted && writer.ledger().has_in_flight() &&
          ImportFailedWhole(error)) {
        // Still in flight: the check settles it.
        ++totals_.imports_failed_in_summary;
        if (absl::StrContains(error, kNotApplied)) {
          ++totals_.imports_not_applied;
          not_applied_writes_.push_back(*writer.ledger().in_flight());
        }
        continue;
      }
      Violation(cycle, error);
    }
    errors_seen_[w] = writer.errors().size();
    report.acknowledged.Add(writer.TakeCounts());
  }
  report.writers_stopped =
      static_cast<int>(std::count(stopped_early.begin(), stopped_early.end(), 1));
  totals_.writers_stopped_by_faults += report.writers_stopped;
  if (!ok || !violations_.empty()) return false;

  // The killed process back on its data (or, now and then, a node on none).
  const absl::Time restart = absl::Now();
  if (report.fault == Fault::kSociod) {
    report.fresh = options_.fresh_node_every > 0 && sociod_kills_ % options_.fresh_node_every == 0;
    if (!StartNode(report.killed, report.fresh)) {
      Violation(cycle, absl::StrCat("sociod node ", report.killed,
                                    " did not come back after SIGKILL (its output is kept)"));
      return false;
    }
    if (report.fresh) {
      ++totals_.fresh_nodes;
      nodes_[report.killed]->log_start = kUnknownStart;
    }
  } else if (absl::Status s = etcd_->Restart(report.killed); !s.ok()) {
    Violation(cycle,
              absl::StrCat("etcd member ", report.killed, " did not come back: ", s.ToString()));
    return false;
  }
  if (absl::Status s = etcd_->WaitHealthy(kHealthyTimeout); !s.ok()) {
    Violation(cycle, absl::StrCat("etcd is not healthy after the restart: ", s.ToString()));
    return false;
  }
  report.restart_seconds = absl::ToDoubleSeconds(absl::Now() - restart);
  totals_.max_restart_seconds = std::max(totals_.max_restart_seconds, report.restart_seconds);
  for (auto& node : nodes_) {
    if (Exited(*node->process)) {
      Violation(cycle, absl::StrCat("sociod node ", node->number, " exited by itself (status ",
                                    node->process->Wait(), "): ", Tail(node->process->Stderr())));
      return false;
    }
  }
  if (!WaitForCatchUp(cycle, cycle % kNodes, &report)) return false;
  totals_.max_catch_up_seconds = std::max(totals_.max_catch_up_seconds, report.catch_up_seconds);

  totals_.cycles = cycle;
  ok = Verify(cycle, report.acknowledged.changes(), &report);
  totals_.acknowledged.Add(report.acknowledged);
  totals_.ledgers.Add(report.ledger);
  if (report.fault == Fault::kEtcdLeader) {
    totals_.max_leader_outage = std::max(totals_.max_leader_outage, report.outage_seconds);
    totals_.sum_leader_outage += report.outage_seconds;
  } else if (report.fault == Fault::kEtcdFollower) {
    totals_.max_follower_outage = std::max(totals_.max_follower_outage, report.outage_seconds);
  }

  const std::string victim =
      report.fault == Fault::kSociod
          ? absl::StrCat("node ", report.killed, report.fresh ? ", back on an empty data dir" : "")
          : absl::StrCat("member ", report.killed);
  const std::string outage =
      report.outage_seconds >= 0
          ? absl::StrFormat("every node took writes again after %.2f s; ", report.outage_seconds)
          : "";
  std::fprintf(stderr,
               "cycle %d/%d: %s (%s) killed at %d ms: %s%d writers stopped; %s; back in %.2f s, "
               "caught up in %.2f s; %lld profiles, log at %llu; %s (%d/%d checks; %d members "
               "matched) [%.1f s]\n",
               cycle, options_.cycles, FaultName(report.fault), victim.c_str(), report.kill_ms,
               outage.c_str(), report.writers_stopped,
               CycleWrites(report.acknowledged, report.ledger).c_str(), report.restart_seconds,
               report.catch_up_seconds, static_cast<long long>(report.profiles),
               static_cast<unsigned long long>(log_->last()), ok ? "ok" : "VIOLATIONS",
               report.checks_passed, report.checks, report.matcher_members,
               absl::ToDoubleSeconds(absl::Now() - cycle_start));
  return ok;
}

void ClusterHarness::PrintSummary(double wall_seconds) const {
  const ClusterTotals& t = totals_;
  const LedgerFigures& f = t.ledgers;
  const int leader_kills = t.faults[static_cast<size_t>(Fault::kEtcdLeader)];
  const double mean_leader_outage = leader_kills > 0 ? t.sum_leader_outage / leader_kills : 0;
  if (options_.json) {
    std::string json = absl::StrFormat(
        "{\"cycles\": %d, \"seed\": %d, \"writers\": %d, \"initial_profiles\": %d, "
        "\"faults\": {\"etcd_leader\": %d, \"etcd_follower\": %d, \"sociod_node\": %d, "
        "\"fresh_nodes\": %d}, ",
        t.cycles, options_.seed, options_.writers, options_.profiles, t.faults[0], t.faults[1],
        t.faults[2], t.fresh_nodes);
    absl::StrAppend(
        &json, AcknowledgedJson(t.acknowledged),
        absl::StrFormat(
            "\"writers_stopped_by_faults\": %d, "
            "\"imports_answered_ok_all_rejected\": {\"total\": %d, \"not_applied\": %d}, ",
            t.writers_stopped_by_faults, t.imports_failed_in_summary, t.imports_not_applied),
        absl::StrFormat(
            "\"in_flight_at_faults\": {\"writes\": %d, \"items\": %d, \"items_landed\": %d, "
            "\"writes_landed_whole\": %d, \"by_kind\": {%s}}, ",
            f.in_flight_writes, f.in_flight_items, f.landed_items, f.landed_writes,
            InFlightByKindJson(f)),
        absl::StrFormat(
            "\"writes_again_after_leader_kill_seconds\": {\"max\": %.3f, \"mean\": %.3f}, "
            "\"writes_again_after_follower_kill_seconds_max\": %.3f, \"probes\": "
            "{\"acknowledged\": %d, \"failed\": %d, \"answered_not_applied\": %d, "
            "\"unknown_outcome\": %d, \"unknown_landed\": %d}, "
            "\"failed_writes_after_recovery\": %d, \"slowest_restart_seconds\": %.3f, "
            "\"slowest_catch_up_seconds\": %.3f, ",
            t.max_leader_outage, mean_leader_outage, t.max_follower_outage, t.probe_writes,
            t.probe_failures, t.probes_not_applied, t.probes_in_flight - t.probes_not_applied,
            t.probes_landed, t.barrier_retries, t.max_restart_seconds, t.max_catch_up_seconds),
        absl::StrFormat(
            "\"checks_passed\": %d, \"ids_checked\": %d, \"profiles_compared_with_etcd\": %d, "
            "\"chamber_index_entries_checked\": %d, \"change_log_entries_read\": %d, "
            "\"deletes_compared\": %d, \"delete_commit_times_differing\": %d, "
            "\"matcher_members_compared\": %d, \"partner_links_checked\": %d, ",
            t.checks_passed, t.ids_checked, t.profiles_compared, t.chamber_entries_checked,
            log_->figures().entries_read, log_->figures().deletes_compared,
            log_->figures().delete_times_differing, t.matcher_members_compared, t.chamber_links),
        absl::StrFormat("\"final_sequence\": %d, \"wall_seconds\": %.1f, \"violations\": [%s]}",
                        log_->last(), wall_seconds, JsonStrings(violations_)));
    std::printf("%s\n", json.c_str());
    return;
  }
  std::string text = absl::StrFormat(
      "socio-cluster-harness: %d cycles (seed %d, %d writers over 3 nodes, %d initial "
      "profiles)\n",
      t.cycles, options_.seed, options_.writers, options_.profiles);
  absl::StrAppend(
      &text,
      absl::StrFormat("  faults: %d etcd leader kills, %d etcd follower kills, %d sociod node "
                      "kills (%d back on an empty data dir)\n",
                      t.faults[0], t.faults[1], t.faults[2], t.fresh_nodes),
      AcknowledgedText(t.acknowledged),
      absl::StrFormat("  in flight at the faults: %d writes (%d items): %s; landed: %d items, "
                      "%d writes whole; %d writers stopped by a failed write\n",
                      f.in_flight_writes, f.in_flight_items, InFlightByKindText(f), f.landed_items,
                      f.landed_writes, t.writers_stopped_by_faults),
      absl::StrFormat("  imports answered OK with every item rejected by the failed write to "
                      "etcd: %d (%d saying 'not applied', none of which landed); counted in "
                      "flight\n",
                      t.imports_failed_in_summary, t.imports_not_applied),
      absl::StrFormat("  writes through every node again: after a leader kill %.2f s at most "
                      "(mean %.2f s), after a follower kill %.2f s at most\n",
                      t.max_leader_outage, mean_leader_outage, t.max_follower_outage),
      absl::StrFormat("  probes: %d writes acknowledged, %d failed during outages (%d answered "
                      "'not applied', none of them in etcd; %d of unknown outcome, %d of those "
                      "landed); %d writes failed after recovery\n",
                      t.probe_writes, t.probe_failures, t.probes_not_applied,
                      t.probes_in_flight - t.probes_not_applied, t.probes_landed,
                      t.barrier_retries),
      absl::StrFormat("  slowest restart %.2f s, slowest catch-up of all nodes %.2f s\n",
                      t.max_restart_seconds, t.max_catch_up_seconds),
      absl::StrFormat("  checks passed: %d (ids checked %d, profiles compared with etcd %d, "
                      "chamber index entries %d, change log entries read %d, FindPartners "
                      "compared %d, partner links with their notifications on every node %d)\n",
                      t.checks_passed, t.ids_checked, t.profiles_compared,
                      t.chamber_entries_checked, log_->figures().entries_read,
                      t.matcher_members_compared, t.chamber_links),
      absl::StrFormat("  deletes whose commit_time differs between nodes: %d of %d compared "
                      "(each node's clock when it applied the delete; not counted as a "
                      "violation)\n",
                      log_->figures().delete_times_differing, log_->figures().deletes_compared),
      absl::StrFormat("  final: log at %d\n  violations: %d\n  wall time: %.1f s\n", log_->last(),
                      violations_.size(), wall_seconds));
  for (const std::string& v : violations_) absl::StrAppend(&text, "  VIOLATION ", v, "\n");
  std::printf("%s", text.c_str());
}

int ClusterHarness::Run() {
  const absl::Time start = absl::Now();
  if (!Setup() || !ImportInitialProfiles()) {
    work_dir_.Keep();
    std::fprintf(stderr, "socio-cluster-harness: files kept in %s\n", work_dir_.path().c_str());
    return 2;
  }
  CycleReport baseline;
  bool ok = WaitForCatchUp(0, 0, &baseline) && Verify(0, options_.profiles, &baseline);
  std::fprintf(stderr, "cycle 0: %d profiles imported; %s (%d/%d checks)\n", options_.profiles,
               ok ? "checks ok" : "VIOLATIONS", baseline.checks_passed, baseline.checks);
  for (int cycle = 1; ok && cycle <= options_.cycles; ++cycle) ok = RunCycle(cycle);
  PrintSummary(absl::ToDoubleSeconds(absl::Now() - start));
  if (!ok) {
    work_dir_.Keep();
    std::fprintf(stderr, "socio-cluster-harness: the nodes' data and output kept in %s\n",
                 work_dir_.path().c_str());
    return violations_.empty() ? 2 : 1;
  }
  return 0;
}

}  // namespace socio::fault
