// socio-bench-load: FindPartners and GetProfile under sustained load over
// loopback, beside a no-op gRPC echo server, so the ratios show what Socio
// costs on top of gRPC itself.
//
//   socio-bench-load [--profiles 100000] [--duration 60] [--warmup 5] [--concurrency 16]
//                    [--mix 50] [--view full|basic] [--sociod PATH] [--previous_sociod PATH]
//                    [--echo_server PATH] [--seed 1] [--json]
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
// - prints both side by side with the Socio / echo ratios (--json: one JSON
//   object); progress goes to stderr.
// Exits 1 if any call failed, after printing how many for each status code.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
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

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
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

// Drives `server` with `calls` and samples its memory and both processes'
// CPU time over the measured window.
ServerRun Drive(CallSource& calls, ServerProcess& server, const BenchOptions& options,
                const char* label) {
  ServerRun run;
  double server_cpu_begin = 0, client_cpu_begin = 0;
  const auto on_second = [&](const LoadProgress& progress) {
    if (progress.measured_seconds < 0) {
      std::fprintf(stderr, "\r%s: warm-up, %d s to go     ", label, -progress.measured_seconds);
      return;
    }
    const absl::StatusOr<int64_t> rss = server.ResidentBytes();
    run.rss_bytes.push_back(rss.ok() ? *rss : 0);  // 0: the server died; its calls fail
    const absl::StatusOr<double> cpu = server.CpuSeconds();
    if (progress.measured_seconds == 0) {
      server_cpu_begin = cpu.value_or(0);
      client_cpu_begin = OwnCpuSeconds();
    } else if (progress.measured_seconds == options.duration_seconds) {
      run.server_cpu_seconds = cpu.value_or(0) - server_cpu_begin;
      run.client_cpu_seconds = OwnCpuSeconds() - client_cpu_begin;
    }
    std::fprintf(stderr, "\r%s: %d / %d s, %.0f calls/s, VmRSS %.0f MiB     ", label,
                 progress.measured_seconds, options.duration_seconds,
                 progress.measured_calls / std::max(1.0, 1.0 * progress.measured_seconds),
                 run.rss_bytes.back() / (1024.0 * 1024.0));
  };
  run.load = RunClosedLoop(calls,
                           {.warmup = absl::Seconds(options.warmup_seconds),
                            .duration = absl::Seconds(options.duration_seconds)},
                           on_second);
  std::fprintf(stderr, "\n");
  return run;
}

// Drives the sociod binary `binary` (label: what the progress line says).
ServerRun RunSocio(const BenchOptions& options, const std::string& binary, const char* label,
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
  SocioCalls calls(NewChannel(address), token, std::move(member_ids),
                   {.slots = options.concurrency,
                    .find_partners_percent = options.find_partners_percent,
                    .k = kK,
                    .view = options.view,
                    .seed = options.seed});
  ServerRun run = Drive(calls, *sociod, options, label);
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

ServerRun RunEcho(const BenchOptions& options, const LoadResult& socio) {
  ScratchDir scratch;
  std::string address;
  std::unique_ptr<ServerProcess> echo =
      StartServer({options.echo_server, "--listen", "127.0.0.1:0"}, scratch.Join("echo"), &address);
  EchoCalls calls(NewChannel(address), ShapesOf(socio, options.find_partners_percent),
                  options.concurrency, options.seed);
  ServerRun run = Drive(calls, *echo, options, "echo");
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
  };
  if (!options.previous_sociod.empty()) {
    int64_t ignored = 0;
    report.previous =
        socio::bench::RunSocio(options, options.previous_sociod, "previous build", &ignored);
  }
  report.socio =
      socio::bench::RunSocio(options, options.sociod, "socio", &report.sociod_rss_after_import);
  report.echo = socio::bench::RunEcho(options, report.socio.load);
  if (options.json) {
    socio::bench::PrintJson(report, std::cout);
  } else {
    socio::bench::PrintTable(report, std::cout);
  }
  const int64_t errors = report.socio.load.ErrorCount() + report.echo.load.ErrorCount() +
                         (report.previous ? report.previous->load.ErrorCount() : 0);
  if (errors > 0) {
    std::cerr << "socio-bench-load: " << errors
              << " calls failed (codes above); errors must be 0\n";
    return 1;
  }
  return 0;
}
