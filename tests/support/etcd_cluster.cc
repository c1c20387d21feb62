#include "tests/support/etcd_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "httplib.h"

namespace socio::testing {
namespace {

constexpr char kEtcd[] = "/usr/bin/etcd";
constexpr char kEtcdctl[] = "/usr/bin/etcdctl";
constexpr int kStartAttempts = 3;
constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kPollInterval = absl::Milliseconds(50);
// How much of a member's log an error message quotes.
constexpr int kLogTailLines = 20;

// Whether the child `process` has ended. Unlike ChildProcess::Wait it leaves
// the process a zombie, so the ChildProcess still reaps it (and never
// signals a pid that another process may have by then).
bool Ended(const ChildProcess& process) {
  siginfo_t info = {};
  if (waitid(P_PID, process.pid(), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
  return info.si_pid != 0;
}

// `count` distinct ports on 127.0.0.1 that the kernel hands out as free.
// The sockets stay bound until all are chosen, so no port comes twice, and
// are closed before returning: a port may be taken again before its member
// binds it, which Start mends by trying again.
absl::StatusOr<std::vector<int>> ReservePorts(int count) {
  std::vector<int> fds;
  std::vector<int> ports;
  absl::Status status;
  for (int i = 0; i < count && status.ok(); ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      status = absl::InternalError(absl::StrCat("socket: errno ", errno));
      break;
    }
    fds.push_back(fd);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      status = absl::InternalError(absl::StrCat("binding a port on 127.0.0.1: errno ", errno));
      break;
    }
    ports.push_back(ntohs(address.sin_port));
  }
  for (int fd : fds) close(fd);
  if (!status.ok()) return status;
  return ports;
}

// What follows "key": in `json` at its first occurrence, from the start of
// the value on; whitespace may stand around the colon.
std::optional<absl::string_view> JsonValue(absl::string_view json, absl::string_view key) {
  const std::string quoted = absl::StrCat("\"", key, "\"");
  const size_t at = json.find(quoted);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(json.substr(at + quoted.size()));
  if (!absl::ConsumePrefix(&rest, ":")) return std::nullopt;
  return absl::StripLeadingAsciiWhitespace(rest);
}

// The unsigned number that is the value of "key" in `json`.
std::optional<uint64_t> JsonNumber(absl::string_view json, absl::string_view key) {
  const std::optional<absl::string_view> value = JsonValue(json, key);
  if (!value.has_value()) return std::nullopt;
  size_t digits = 0;
  while (digits < value->size() && absl::ascii_isdigit((*value)[digits])) ++digits;
  uint64_t number = 0;
  if (digits == 0 || !absl::SimpleAtoi(value->substr(0, digits), &number)) return std::nullopt;
  return number;
}

// Whether the value of "key" in `json` is "true" or the bare true.
bool JsonTrue(absl::string_view json, absl::string_view key) {
  const std::optional<absl::string_view> value = JsonValue(json, key);
  return value.has_value() &&
         (absl::StartsWith(*value, "\"true\"") || absl::StartsWith(*value, "true"));
}

// Whether the member serving clients at `port` reports itself healthy.
bool Healthy(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  client.set_read_timeout(2);
  httplib::Result response = client.Get("/health");
  return response && response->status == 200 && JsonTrue(response->body, "health");
}

// Runs etcdctl (API v3) with `args`, keeping its output files in `scratch_dir`.
absl::StatusOr<CommandResult> Etcdctl(std::vector<std::string> args,
                                      const std::string& scratch_dir) {
  std::vector<std::string> argv = {"/usr/bin/env", "ETCDCTL_API=3", kEtcdctl};
  argv.insert(argv.end(), std::make_move_iterator(args.begin()),
              std::make_move_iterator(args.end()));
  return RunCommand(std::move(argv), scratch_dir);
}

// The last `lines` lines of a member's `log`. A member warns of each GET
// /health it fails, so that waiting for it repeats one line every poll;
// only the last of those is kept, where it stood.
std::string TailOfLog(absl::string_view log, int lines) {
  std::vector<absl::string_view> all =
      absl::StrSplit(absl::StripTrailingAsciiWhitespace(log), '\n');
  auto is_health = [](absl::string_view line) { return absl::StrContains(line, "/health error"); };
  size_t last_health = all.size();
  for (size_t i = 0; i < all.size(); ++i) {
    if (is_health(all[i])) last_health = i;
  }
  std::vector<absl::string_view> kept;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!is_health(all[i]) || i == last_health) kept.push_back(all[i]);
  }
  const size_t first = kept.size() > static_cast<size_t>(lines) ? kept.size() - lines : 0;
  return absl::StrJoin(kept.begin() + first, kept.end(), "\n");
}

std::string ClusterToken() {
  static std::atomic<int> counter{0};
  return absl::StrCat("socio-test-", getpid(), "-", counter.fetch_add(1), "-",
                      absl::ToUnixNanos(absl::Now()));
}

std::string Url(int port) { return absl::StrCat("http://127.0.0.1:", port); }

}  // namespace

bool EtcdAvailable() { return access(kEtcd, X_OK) == 0 && access(kEtcdctl, X_OK) == 0; }

absl::StatusOr<std::unique_ptr<EtcdCluster>> EtcdCluster::Start(const EtcdClusterOptions& options) {
  if (options.members < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("an etcd cluster needs at least 1 member, not ", options.members));
  }
  absl::Status last_error;
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    absl::StatusOr<std::vector<int>> ports = ReservePorts(2 * options.members);
    if (!ports.ok()) return ports.status();
    std::unique_ptr<EtcdCluster> cluster(new EtcdCluster());
    std::vector<std::string> initial_cluster;
    for (int i = 0; i < options.members; ++i) {
      Member member;
      member.name = absl::StrCat("m", i);
      member.client_port = (*ports)[2 * i];
      member.peer_port = (*ports)[2 * i + 1];
      initial_cluster.push_back(absl::StrCat(member.name, "=", Url(member.peer_port)));
      cluster->members_.push_back(std::move(member));
    }
    const std::string token = ClusterToken();
    for (Member& member : cluster->members_) {
      member.argv = {
          kEtcd,
          absl::StrCat("--name=", member.name),
          absl::StrCat("--data-dir=", cluster->dir_.Join(member.name + ".etcd")),
          absl::StrCat("--listen-client-urls=", Url(member.client_port)),
          absl::StrCat("--advertise-client-urls=", Url(member.client_port)),
          absl::StrCat("--listen-peer-urls=", Url(member.peer_port)),
          absl::StrCat("--initial-advertise-peer-urls=", Url(member.peer_port)),
          absl::StrCat("--initial-cluster=", absl::StrJoin(initial_cluster, ",")),
          "--initial-cluster-state=new",
          absl::StrCat("--initial-cluster-token=", token),
          "--heartbeat-interval=50",
          "--election-timeout=500",
          // Tests write little; the default (100,000) keeps more
          // entries in memory before a snapshot than they need.
          "--snapshot-count=10000",
          "--logger=zap",
          "--log-level=warn",
          "--log-outputs=stderr",
      };
      member.argv.insert(member.argv.end(), options.extra_flags.begin(), options.extra_flags.end());
    }
    // All members are started before any is waited for: each waits for its
    // peers to elect a leader.
    absl::Status status;
    for (int i = 0; i < cluster->size() && status.ok(); ++i) status = cluster->StartMember(i);
    if (status.ok()) {
      std::vector<int> all;
      for (int i = 0; i < cluster->size(); ++i) all.push_back(i);
      status = cluster->WaitMembersHealthy(all, kStartTimeout);
    }
    if (status.ok()) return cluster;
    bool port_taken = false;
    for (int i = 0; i < cluster->size(); ++i) {
      port_taken = port_taken || absl::StrContains(cluster->LogTail(i), "address already in use");
    }
    last_error =
        absl::Status(status.code(), absl::StrCat("starting an etcd cluster of ", options.members,
                                                 " (attempt ", attempt, "): ", status.message()));
    if (!port_taken) break;
  }
  return last_error;
}

EtcdCluster::~EtcdCluster() {
  // Each ChildProcess sends SIGKILL and reaps; then dir_ removes the data.
  members_.clear();
}

std::string EtcdCluster::ClientAddress(int i) const {
  return absl::StrCat("127.0.0.1:", members_.at(i).client_port);
}

std::vector<std::string> EtcdCluster::ClientAddressList(int first) const {
  std::vector<std::string> addresses;
  for (int n = 0; n < size(); ++n) addresses.push_back(ClientAddress((first + n) % size()));
  return addresses;
}

std::string EtcdCluster::ClientAddresses() const { return absl::StrJoin(ClientAddressList(), ","); }

absl::StatusOr<int> EtcdCluster::Leader(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  const int majority = size() / 2 + 1;
  std::string last_view;
  while (true) {
    // Member index and id of each member that answered, and how many name
    // each id as their leader.
    std::map<uint64_t, int> index_of;
    std::map<uint64_t, int> votes;
    std::vector<std::string> view;
    for (int i = 0; i < size(); ++i) {
      if (!Running(i)) continue;
      absl::StatusOr<CommandResult> status =
          Etcdctl({absl::StrCat("--endpoints=", ClientAddress(i)), "--dial-timeout=1s",
                   "--command-timeout=2s", "endpoint", "status", "-w", "json"},
                  dir_.path());
      if (!status.ok()) return status.status();
      if (status->exit_status != 0) {
        view.push_back(
            absl::StrCat(members_[i].name, " did not answer: ", TailOfLog(status->err, 1)));
        continue;
      }
      const std::optional<uint64_t> id = JsonNumber(status->out, "member_id");
      // Without a leader the field is left out (its value would be 0,
      // raft's "no leader").
      const uint64_t leader = JsonNumber(status->out, "leader").value_or(0);
      if (!id.has_value()) {
        view.push_back(absl::StrCat(members_[i].name, " answered ", status->out));
        continue;
      }
      index_of[*id] = i;
      if (leader == 0) {
        view.push_back(absl::StrCat(members_[i].name, " (", *id, ") has no leader"));
        continue;
      }
      ++votes[leader];
      view.push_back(absl::StrCat(members_[i].name, " (", *id, ") follows ", leader));
    }
    for (const auto& [leader, count] : votes) {
      auto it = index_of.find(leader);
      if (count >= majority && it != index_of.end()) return it->second;
    }
    last_view = absl::StrJoin(view, "; ");
    if (absl::Now() + kPollInterval > deadline) break;
    absl::SleepFor(kPollInterval);
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "no etcd member is followed by a majority (", majority, " of ", size(), ") after ",
      absl::FormatDuration(timeout), ": ", last_view.empty() ? "no member runs" : last_view));
}

void EtcdCluster::Kill(int i) {
  Member& member = members_.at(i);
  if (member.process == nullptr) return;
  member.process->Signal(SIGKILL);
  member.process->Wait();
  member.process.reset();
}

bool EtcdCluster::Running(int i) const {
  const Member& member = members_.at(i);
  return member.process != nullptr && !Ended(*member.process);
}

absl::Status EtcdCluster::Restart(int i) {
  Member& member = members_.at(i);
  if (Running(i)) {
    return absl::FailedPreconditionError(
        absl::StrCat("etcd member ", member.name, " is running; Kill it before Restart"));
  }
  // A member that exited by itself is reaped here.
  Kill(i);
  absl::Status status = StartMember(i);
  if (status.ok()) status = WaitMembersHealthy({i}, kStartTimeout);
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat("restarting etcd member ", member.name, " at ",
                                                  ClientAddress(i), ": ", status.message()));
}

absl::Status EtcdCluster::WaitHealthy(absl::Duration timeout) {
  std::vector<int> running;
  for (int i = 0; i < size(); ++i) {
    if (Running(i)) running.push_back(i);
  }
  return WaitMembersHealthy(running, timeout);
}

absl::Status EtcdCluster::StartMember(int i) {
  Member& member = members_.at(i);
  ++member.starts;
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      ChildProcess::Start(member.argv, LogPrefix(i));
  if (!process.ok()) return process.status();
  member.process = *std::move(process);
  return absl::OkStatus();
}

absl::Status EtcdCluster::WaitMembersHealthy(const std::vector<int>& indices,
                                             absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int unhealthy = -1;
    for (int i : indices) {
      Member& member = members_[i];
      if (member.process == nullptr || Ended(*member.process)) {
        const int exit_status = member.process == nullptr ? -1 : member.process->Wait();
        member.process.reset();
        return absl::UnavailableError(
            absl::StrCat("etcd member ", member.name, " (client ", ClientAddress(i),
                         ", peer 127.0.0.1:", member.peer_port, ") exited with status ",
                         exit_status, "; its log ends:\n", LogTail(i)));
      }
      if (unhealthy < 0 && !Healthy(member.client_port)) unhealthy = i;
    }
    if (unhealthy < 0) return absl::OkStatus();
    if (absl::Now() + kPollInterval > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("etcd member ", members_[unhealthy].name, " (client ",
                       ClientAddress(unhealthy), ") not healthy after ",
                       absl::FormatDuration(timeout), "; its log ends:\n", LogTail(unhealthy)));
    }
    absl::SleepFor(kPollInterval);
  }
}

std::string EtcdCluster::LogPrefix(int i) const {
  const Member& member = members_.at(i);
  return dir_.Join(absl::StrCat(member.name, "-run", member.starts));
}

std::string EtcdCluster::LogTail(int i) const {
  std::ifstream in(LogPrefix(i) + ".err", std::ios::binary);
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (log.empty()) return "(empty)";
  return TailOfLog(log, kLogTailLines);
}

}  // namespace socio::testing
