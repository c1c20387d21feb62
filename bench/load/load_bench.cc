// socio-bench-load: FindPartners and GetProfile under sustained load over
// loopback, beside a no-op gRPC echo server, so the ratios show what Socio
// costs on top of gRPC itself.
//
//   socio-bench-load [--profiles 100000] [--duration 60] [--warmup 5] [--concurrency 16]
//                    [--mix 50] [--view full|basic] [--sociod PATH] [--previous_sociod PATH]
//                    [--echo_server PATH] [--seed 1] [--open_loop F] [--json]
//
// In one run, on this machine:
// - starts sociod as a child process, as shipped (bearer tokens on), on a
//   scratch data directory; imports --profiles generated members through the
//   ImportProfiles stream, 500 a message, and waits until the match index
//   holds them all (none of this is timed);
// - Socio: keeps --concurrency calls in flight with gRPC's callback API,
//   --mix percent FindPartners (top 20, default weights, --view) and the rest
//   GetProfile, each for a random imported member, each completion starting
//   the next call; after --warmup seconds, measures for --duration seconds:
//   calls per second and p50/p99/p99.9 latency per kind, failed calls by
//   status code, CPU time per call, and sociod's VmRSS every second;
// - with --previous_sociod, first does the same with that binary (the build
//   before a change), so both builds' figures come from one run;
// - echo: stops sociod, starts socio-echo-server (gRPC's synchronous server,
//   as sociod uses) and drives it the same way with calls of the request and
//   response sizes the Socio run measured, kind by kind;
// - with --open_loop F (a fraction, e.g. 0.5; default 0: off), each server
//   is driven a second time right after its closed loop, in the same
//   process: an open loop whose calls start at F x the calls per second its
//   closed loop measured (echo: at Socio's open-loop rate, the same load),
//   evenly spaced, without waiting for earlier calls to complete, for
//   --warmup then --duration seconds. Each call's latency runs from its
//   scheduled start (so a server or load generator that falls behind is
//   charged for it); at most 10,000 calls are outstanding, and a call due
//   beyond that is not started and counts as failed (RESOURCE_EXHAUSTED).
//   Reported per kind: target and achieved rate, p50/p99/p99.9, p99 / p50,
//   errors by code; per server: how late calls started, the most
//   outstanding, and VmRSS over the open loop's measured window;
// - prints both side by side with the Socio / echo ratios (--json: one JSON
//   object); progress goes to stderr.
// Exits 1 if any call failed, after printing how many for each status code.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "bench/load/closed_loop.h"
#include "bench/load/echo_calls.h"
#include "bench/load/load_report.h"
#include "bench/load/open_loop.h"
#include "bench/load/server_process.h"
#include "bench/load/socio_calls.h"
#include "bench/profile_generator.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::bench {
namespace {

using socio::v1::Profile;

constexpr int kStreamChunk = 500;  // profiles per import message, as the CLI sends
constexpr int kK = 20;             // FindPartners' default k
constexpr absl::Duration kStartTimeout = absl::Seconds(120);
constexpr absl::Duration kIndexTimeout = absl::Seconds(300);
// The open loop's cap on calls outstanding: each holds a slot (its context
// and messages) in the load generator.
constexpr int kOpenLoopMaxOutstanding = 10'000;

struct BenchOptions {
  int profiles = 100'000;
  int duration_seconds = 60;
  int warmup_seconds = 5;
  // Two cores are saturated by 8-16 calls in flight; more only queue (see
  // docs/PERFORMANCE.md).
  int concurrency = 16;
  int find_partners_percent = 50;
  std::string sociod;
  // Another sociod binary driven the same way just before `sociod`: the
  // build before a change, measured in the same run.
  std::string previous_sociod;
  std::string echo_server;
  socio::v1::FindPartnersRequest::View view = socio::v1::FindPartnersRequest::FULL;
  uint64_t seed = 1;
  // After each closed loop, an open loop at this fraction of its calls per
  // second; 0: none.
  double open_loop = 0;
  bool json = false;
};

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "\nsocio-bench-load: " << what << "\n";
    std::exit(1);
  }
}

// A path relative to the directory this binary is in: the build tree puts
// sociod at <build>/services/sociod and this binary at <build>/bench/load/.
std::string BesideThisBinary(const std::string& relative) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  Check(!error, "cannot find this binary's directory: " + error.message());
  return (self.parent_path() / relative).lexically_normal().string();
}

double LoadAverage() {
  double one_minute = 0;
  std::ifstream("/proc/loadavg") >> one_minute;
  return one_minute;
}

std::vector<Profile> GenerateProfiles(int count, uint64_t seed) {
  ProfileGenerator generator({.seed = seed});
  std::vector<Profile> profiles;
  profiles.reserve(count);
  for (int i = 0; i < count; ++i) profiles.push_back(generator.Next());
  return profiles;
}

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> argv,
                                           const std::string& output_prefix, std::string* address) {
  const std::string name = argv[0];
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(std::move(argv), output_prefix);
  Check(server.ok(), absl::StrCat("start ", name, ": ", server.status().ToString()));
  absl::StatusOr<std::string> serving = (*server)->WaitUntilServing(kStartTimeout);
  Check(serving.ok(), absl::StrCat(name, ": ", serving.status().ToString()));
  *address = *serving;
  return *std::move(server);
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

void ImportProfiles(const std::vector<Profile>& profiles, const std::string& address,
                    const std::string& token) {
  auto stub = socio::v1::ProfileService::NewStub(NewChannel(address));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  socio::v1::ImportProfilesSummary summary;
  auto stream = stub->ImportProfiles(&context, &summary);
  for (size_t begin = 0; begin < profiles.size(); begin += kStreamChunk) {
    socio::v1::ImportProfilesRequest chunk;
    const size_t end = std::min(profiles.size(), begin + kStreamChunk);
    for (size_t i = begin; i < end; ++i) *chunk.add_profiles() = profiles[i];
    Check(stream->Write(chunk), "import stream write failed");
    std::fprintf(stderr, "\rimporting: %zu / %zu profiles", end, profiles.size());
  }
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  std::fprintf(stderr, "\n");
  Check(status.ok(), "import: " + status.error_message());
  Check(summary.created() == static_cast<int64_t>(profiles.size()),
        absl::StrCat("import stored ", summary.created(), " of ", profiles.size()));
}

// The index follows the store in the background; the load must find every
// member in it, so wait until it reflects the whole import.
void WaitForIndex(int64_t profiles, const std::string& address, const std::string& token) {
  auto admin = socio::v1::AdminService::NewStub(NewChannel(address));
  const absl::Time deadline = absl::Now() + kIndexTimeout;
  while (true) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    socio::v1::Stats stats;
    const grpc::Status status = admin->GetStats(&context, {}, &stats);
    Check(status.ok(), "GetStats: " + status.error_message());
    if (stats.index_profiles() >= profiles && stats.index_sequence() >= stats.last_sequence()) {
      std::fprintf(stderr, "indexed: %lld profiles, index %.0f MiB\n",
                   static_cast<long long>(stats.index_profiles()),
                   stats.index_bytes() / (1024.0 * 1024.0));
      return;
    }
    Check(absl::Now() < deadline,
          absl::StrCat("the index holds ", stats.index_profiles(), " of ", profiles,
                       " profiles after ", absl::FormatDuration(kIndexTimeout)));
    absl::SleepFor(absl::Milliseconds(100));
  }
}

// Once a second of a loop's run: prints progress to stderr and samples the
// server's VmRSS, and CPU time of both processes, over the measured window.
class WindowSampler {
 public:
  WindowSampler(ServerProcess& server, const BenchOptions& options, std::string label)
      : server_(server), options_(options), label_(std::move(label)) {}

  void OnSecond(const LoadProgress& progress) {
    if (progress.measured_seconds < 0) {
      std::fprintf(stderr, "\r%s: warm-up, %d s to go     ", label_.c_str(),
                   -progress.measured_seconds);
      return;
    }
    const absl::StatusOr<int64_t> rss = server_.ResidentBytes();
    rss_bytes_.push_back(rss.ok() ? *rss : 0);  // 0: the server died; its calls fail
    const absl::StatusOr<double> cpu = server_.CpuSeconds();
    if (progress.measured_seconds == 0) {
      server_cpu_begin_ = cpu.value_or(0);
      client_cpu_begin_ = ProcessCpuSeconds();
    } else if (progress.measured_seconds == options_.duration_seconds) {
      server_cpu_seconds_ = cpu.value_or(0) - server_cpu_begin_;
      client_cpu_seconds_ = ProcessCpuSeconds() - client_cpu_begin_;
    }
    std::fprintf(stderr, "\r%s: %d / %d s, %.0f calls/s, VmRSS %.0f MiB     ", label_.c_str(),
                 progress.measured_seconds, options_.duration_seconds,
                 progress.measured_calls / std::max(1.0, 1.0 * progress.measured_seconds),
                 rss_bytes_.back() / (1024.0 * 1024.0));
  }
  std::function<void(const LoadProgress&)> Callback() {
    return [this](const LoadProgress& progress) { OnSecond(progress); };
  }

  const std::vector<int64_t>& rss_bytes() const { return rss_bytes_; }
  double server_cpu_seconds() const { return server_cpu_seconds_; }
  double client_cpu_seconds() const { return client_cpu_seconds_; }

 private:
  ServerProcess& server_;
  const BenchOptions& options_;
  const std::string label_;
  std::vector<int64_t> rss_bytes_;
  double server_cpu_begin_ = 0, client_cpu_begin_ = 0;
  double server_cpu_seconds_ = 0, client_cpu_seconds_ = 0;
};

LoadOptions WindowOf(const BenchOptions& options) {
  return {.warmup = absl::Seconds(options.warmup_seconds),
          .duration = absl::Seconds(options.duration_seconds)};
}

// Drives `server` with `calls` in a closed loop and samples its memory and
// both processes' CPU time over the measured window.
ServerRun Drive(CallSource& calls, ServerProcess& server, const BenchOptions& options,
                const std::string& label) {
  WindowSampler sampler(server, options, label);
  ServerRun run;
  run.load = RunClosedLoop(calls, WindowOf(options), sampler.Callback());
  std::fprintf(stderr, "\n");
  run.rss_bytes = sampler.rss_bytes();
  run.server_cpu_seconds = sampler.server_cpu_seconds();
  run.client_cpu_seconds = sampler.client_cpu_seconds();
  return run;
}

// Drives `server` with `calls` (kOpenLoopMaxOutstanding slots) in an open
// loop at `calls_per_second`, into run->open_loop; none if that is 0 (every
// closed-loop call failed, which fails the run anyway).
void DriveOpenLoop(CallSource& calls, double calls_per_second, ServerProcess& server,
                   const BenchOptions& options, const std::string& label, ServerRun* run) {
  if (calls_per_second <= 0) {
    std::fprintf(stderr, "%s: no open loop: the closed loop measured no calls\n", label.c_str());
    return;
  }
  WindowSampler sampler(server, options,
                        absl::StrFormat("%s open loop at %.0f calls/s", label, calls_per_second));
  OpenLoopRun open;
  open.load = RunOpenLoop(calls, calls_per_second, WindowOf(options), sampler.Callback());
  std::fprintf(stderr, "\n");
  open.rss_bytes = sampler.rss_bytes();
  run->open_loop = std::move(open);
}

// Drives the sociod binary `binary` (label: what the progress line says).
ServerRun RunSocio(const BenchOptions& options, const std::string& binary, const std::string& label,
                   int64_t* rss_after_import) {
  ScratchDir scratch;
  std::string address;
  std::unique_ptr<ServerProcess> sociod =
      StartServer({binary, "--data_dir", scratch.Join("data"), "--listen", "127.0.0.1:0"},
                  scratch.Join("sociod"), &address);
  // Written at the first start of a data directory: the operator's token.
  std::string token;
  std::getline(std::ifstream(scratch.Join("data/admin.token")), token);
  Check(!token.empty(), "no operator token in " + scratch.Join("data/admin.token"));

  std::vector<std::string> member_ids;
  {
    const std::vector<Profile> profiles = GenerateProfiles(options.profiles, options.seed);
    ImportProfiles(profiles, address, token);
    for (const Profile& p : profiles) member_ids.push_back(p.id());
  }
  WaitForIndex(options.profiles, address, token);
  *rss_after_import = sociod->ResidentBytes().value_or(0);

  // A channel of its own: the one that carried the import stream holds the
  // next call for a while (see store_bench.cc).
  const std::shared_ptr<grpc::Channel> channel = NewChannel(address);
  const auto socio_calls = [&](int slots) {
    return std::make_unique<SocioCalls>(channel, token, member_ids,
                                        SocioCallOptions{
                                            .slots = slots,
                                            .find_partners_percent = options.find_partners_percent,
                                            .k = kK,
                                            .view = options.view,
                                            .seed = options.seed,
                                        });
  };
  ServerRun run = Drive(*socio_calls(options.concurrency), *sociod, options, label);
  if (options.open_loop > 0) {
    // A slot per call outstanding.
    DriveOpenLoop(*socio_calls(kOpenLoopMaxOutstanding),
                  options.open_loop * run.load.CallsPerSecond(), *sociod, options, label, &run);
  }
  const int exit_status = sociod->Stop();
  if (exit_status != 0) {
    std::fprintf(stderr, "sociod exited with %d; its stderr ends:\n%s\n", exit_status,
                 sociod->Stderr().c_str());
  }
  return run;
}

// The echo calls carry what the Socio calls carried, kind by kind.
std::vector<EchoShape> ShapesOf(const LoadResult& socio, int find_partners_percent) {
  std::vector<EchoShape> shapes;
  for (const KindResult& kind : socio.kinds) {
    shapes.push_back({.name = kind.name,
                      .request_bytes = static_cast<int>(kind.MeanRequestBytes()),
                      .reply_bytes = static_cast<int>(kind.MeanResponseBytes())});
  }
  shapes[SocioCalls::kFindPartners].percent = find_partners_percent;
  shapes[SocioCalls::kGetProfile].percent = 100 - find_partners_percent;
  return shapes;
}

// With --open_loop, echo's open loop runs at the rate of Socio's (not at a
// fraction of echo's own, which is several times higher): what gRPC alone
// does at the load Socio was given. On two CPUs, evenly spaced calls cost
// more each than a closed loop's, which gRPC batches, so half of echo's
// closed-loop rate is more than echo can take.
ServerRun RunEcho(const BenchOptions& options, const ServerRun& socio) {
  ScratchDir scratch;
  std::string address;
  std::unique_ptr<ServerProcess> echo =
      StartServer({options.echo_server, "--listen", "127.0.0.1:0"}, scratch.Join("echo"), &address);
  const std::shared_ptr<grpc::Channel> channel = NewChannel(address);
  const std::vector<EchoShape> shapes = ShapesOf(socio.load, options.find_partners_percent);
  EchoCalls calls(channel, shapes, options.concurrency, options.seed);
  ServerRun run = Drive(calls, *echo, options, "echo");
  if (socio.open_loop) {
    EchoCalls open_calls(channel, shapes, kOpenLoopMaxOutstanding, options.seed);
    DriveOpenLoop(open_calls, socio.open_loop->load.target_per_second, *echo, options, "echo",
                  &run);
  }
  echo->Stop();
  return run;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) {
  socio::bench::BenchOptions options;
  CLI::App app{"socio-bench-load: FindPartners and GetProfile under load, beside a gRPC echo"};
  app.add_option("--profiles", options.profiles, "Generated profiles imported into sociod")
      ->capture_default_str()
      ->check(CLI::Range(100, 10'000'000));
  app.add_option("--duration", options.duration_seconds, "Measured seconds per server")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--warmup", options.warmup_seconds, "Seconds of load before measuring")
      ->capture_default_str()
      ->check(CLI::Range(0, 600));
  app.add_option("--concurrency", options.concurrency, "Calls always in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--mix", options.find_partners_percent,
                 "Percent of calls that are FindPartners; the rest are GetProfile")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  app.add_option("--sociod", options.sociod,
                 "sociod binary (default: services/sociod of this build tree)");
  app.add_option("--previous_sociod", options.previous_sociod,
                 "another sociod binary (the build before a change) driven the same way just "
                 "before sociod, its figures printed beside");
  std::string view = "full";
  app.add_option("--view", view, "FindPartners' view: full (every factor and reason) or basic")
      ->capture_default_str()
      ->check(CLI::IsMember({"full", "basic"}));
  app.add_option("--echo_server", options.echo_server,
                 "socio-echo-server binary (default: the one beside this binary)");
  app.add_option("--seed", options.seed, "Generator and load seed")->capture_default_str();
  app.add_option("--open_loop", options.open_loop,
                 "After each server's closed loop, an open loop at this fraction of its calls per "
                 "second (e.g. 0.5), evenly spaced, latency from each call's scheduled start; "
                 "0: none")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  app.add_flag("--json", options.json, "Print JSON");
  CLI11_PARSE(app, argc, argv);
  options.view = view == "basic" ? socio::v1::FindPartnersRequest::BASIC
                                 : socio::v1::FindPartnersRequest::FULL;
  if (options.sociod.empty()) {
    options.sociod = socio::bench::BesideThisBinary("../../services/sociod");
  }
  if (options.echo_server.empty()) {
    options.echo_server = socio::bench::BesideThisBinary("socio-echo-server");
  }

  socio::bench::LoadReport report{
      .profiles = options.profiles,
      .concurrency = options.concurrency,
      .find_partners_percent = options.find_partners_percent,
      .k = socio::bench::kK,
      .warmup_seconds = options.warmup_seconds,
      .duration_seconds = options.duration_seconds,
      .seed = options.seed,
      .cpus = static_cast<int>(std::thread::hardware_concurrency()),
      .load_average_before = socio::bench::LoadAverage(),
      .view = view,
      .open_loop_fraction = options.open_loop,
      .open_loop_max_outstanding =
          options.open_loop > 0 ? socio::bench::kOpenLoopMaxOutstanding : 0,
  };
  if (!options.previous_sociod.empty()) {
    int64_t ignored = 0;
    report.previous =
        socio::bench::RunSocio(options, options.previous_sociod, "previous build", &ignored);
  }
  report.socio =
      socio::bench::RunSocio(options, options.sociod, "socio", &report.sociod_rss_after_import);
  report.echo = socio::bench::RunEcho(options, report.socio);
  if (options.json) {
    socio::bench::PrintJson(report, std::cout);
  } else {
    socio::bench::PrintTable(report, std::cout);
  }
  const auto errors_of = [](const socio::bench::ServerRun& run) {
    return run.load.ErrorCount() + (run.open_loop ? run.open_loop->load.load.ErrorCount() : 0);
  };
  const int64_t errors = errors_of(report.socio) + errors_of(report.echo) +
                         (report.previous ? errors_of(*report.previous) : 0);
  if (errors > 0) {
    std::cerr << "socio-bench-load: " << errors
              << " calls failed (codes above); errors must be 0\n";
    return 1;
  }
  return 0;
}
