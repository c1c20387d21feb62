// socio-bench-store: how fast profiles get into Socio, beside RocksDB alone.
//
//   socio-bench-store [--profiles 200000] [--creates 2000] [--rounds 5]
//                     [--clients 16] [--role all|profiles] [--json]
//
// Measures, in one process and one run, round after round:
// - import: generated profiles streamed through ImportProfiles to a sociod on
//   loopback (synced WAL), profiles per second end to end;
// - raw batch: the same serialized profiles written straight into a fresh
//   RocksDB in synced WriteBatches of the same size (1,000), profiles per second;
// - create: single CreateProfile calls one after another on the fresh
//   server, latency p50/p99 (and the p50 again right after the import);
// - raw put: single synced one-profile WriteBatches, latency p50/p99;
// - get: single GetProfile calls, latency p50/p99: what one gRPC round trip
//   to sociod costs on this machine;
// - echo: single calls of the same sizes as a create to a gRPC server that
//   does nothing (EchoService, in process), latency p50: with the raw put's
//   p50, the floor under a create;
// - creates at once: --clients clients (a channel and a thread each) calling
//   CreateProfile as fast as they can, creates per second, beside raw put
//   at once: as many threads writing synced one-put batches into one RocksDB,
//   puts per second (RocksDB commits concurrent synced writes together).
// Prints the median of the rounds for each figure and the ratios. --role
// profiles starts sociod without the match index that follows the writes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "bench/load/echo_service.h"
#include "bench/profile_generator.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "services/server.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::bench {
namespace {

using socio::v1::Profile;

constexpr int kBatch = 1000;       // the server's import batch
constexpr int kStreamChunk = 500;  // profiles per stream message, as the CLI sends

struct Figures {
  double import_per_second = 0;
  double raw_batch_per_second = 0;
  double create_p50_ms = 0;
  double create_p99_ms = 0;
  double raw_put_p50_ms = 0;
  double raw_put_p99_ms = 0;
  double create_after_import_p50_ms = 0;
  double get_p50_ms = 0;
  double get_p99_ms = 0;
  double echo_p50_ms = 0;
  double creates_at_once_per_second = 0;
  double raw_puts_at_once_per_second = 0;
  // CPU time of the whole process (clients and sociod, or the raw writers)
  // per create or put at once, in microseconds.
  double cpu_per_create_at_once_us = 0;
  double cpu_per_raw_put_at_once_us = 0;
  // The echo server called the same way: gRPC's own share.
  double echo_at_once_per_second = 0;
  double cpu_per_echo_at_once_us = 0;
};

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "socio-bench-store: " << what << "\n";
    std::exit(1);
  }
}

std::unique_ptr<rocksdb::DB> OpenRaw(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &db);
  Check(s.ok(), "open raw RocksDB: " + s.ToString());
  return std::unique_ptr<rocksdb::DB>(db);
}

double RawBatchRate(const std::vector<Profile>& profiles, const std::string& dir) {
  std::unique_ptr<rocksdb::DB> db = OpenRaw(dir);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const absl::Time start = absl::Now();
  for (size_t i = 0; i < profiles.size(); i += kBatch) {
    rocksdb::WriteBatch batch;
    for (size_t j = i; j < std::min(profiles.size(), i + kBatch); ++j) {
      Check(batch.Put(profiles[j].id(), profiles[j].SerializeAsString()).ok(), "batch put");
    }
    Check(db->Write(sync, &batch).ok(), "raw batch write");
  }
  return profiles.size() / absl::ToDoubleSeconds(absl::Now() - start);
}

std::vector<double> RawPutLatencies(const std::vector<Profile>& profiles, int count,
                                    const std::string& dir) {
  std::unique_ptr<rocksdb::DB> db = OpenRaw(dir);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    const Profile& p = profiles[i % profiles.size()];
    const absl::Time start = absl::Now();
    rocksdb::WriteBatch batch;
    Check(batch.Put(p.id(), p.SerializeAsString()).ok(), "batch put");
    Check(db->Write(sync, &batch).ok(), "raw put");
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  return ms;
}

// Runs call(t, i) for i in [0, count / threads) on each of `threads` threads
// at once; calls per second over the wall time, and the process's CPU time
// per call in microseconds.
struct AtOnce {
  double per_second = 0;
  double cpu_us = 0;
};
AtOnce RunAtOnce(int count, int threads, const std::function<void(int t, int i)>& call) {
  const int each = count / threads;
  std::vector<std::thread> callers;
  const double cpu = ProcessCpuSeconds();
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) call(t, i);
    });
  }
  for (std::thread& c : callers) c.join();
  const double calls = static_cast<double>(each) * threads;
  return {calls / absl::ToDoubleSeconds(absl::Now() - start),
          (ProcessCpuSeconds() - cpu) * 1e6 / calls};
}

// `threads` threads writing synced one-put batches into one RocksDB at once.
AtOnce RawPutsAtOnce(const std::vector<Profile>& profiles, int count, int threads,
                     const std::string& dir) {
  std::unique_ptr<rocksdb::DB> db = OpenRaw(dir);
  return RunAtOnce(count, threads, [&](int t, int i) {
    const Profile& p = profiles[(t * 7919 + i) % profiles.size()];
    rocksdb::WriteOptions sync;
    sync.sync = true;
    rocksdb::WriteBatch batch;
    Check(batch.Put(absl::StrCat(p.id(), "-", t, "-", i), p.SerializeAsString()).ok(), "batch put");
    Check(db->Write(sync, &batch).ok(), "raw put");
  });
}

// A stub per client, each on a connection of its own.
template <typename Service>
std::vector<std::unique_ptr<typename Service::Stub>> StubsPerClient(const std::string& address,
                                                                    int clients) {
  std::vector<std::unique_ptr<typename Service::Stub>> stubs;
  for (int c = 0; c < clients; ++c) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("socio.bench.client", c);  // channels with other arguments share nothing
    stubs.push_back(Service::NewStub(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments)));
  }
  return stubs;
}

// `clients` clients creating profiles one call after another, all at once.
AtOnce CreatesAtOnce(const std::vector<Profile>& profiles, int count, int clients,
                     const std::string& address, const std::string& token) {
  auto stubs = StubsPerClient<socio::v1::ProfileService>(address, clients);
  return RunAtOnce(count, clients, [&](int c, int i) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = profiles[(c * 7919 + i) % profiles.size()];
    request.mutable_profile()->set_id(absl::StrCat("at-once-", c, "-", i));
    Profile created;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    context.AddMetadata("authorization", "Bearer " + token);
    grpc::Status status = stubs[c]->CreateProfile(&context, request, &created);
    Check(status.ok(), "create at once: " + status.error_message());
  });
}

// A gRPC server that does nothing (EchoService), in process.
class EchoServer {
 public:
  EchoServer() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    ConfigureEchoServer(builder);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    Check(server_ != nullptr && port_ != 0, "start the echo server");
  }
  ~EchoServer() { server_->Shutdown(); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  EchoServiceImpl service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// A request of `request_bytes` asking for a reply of `reply_bytes`.
socio::bench::v1::EchoRequest EchoOf(size_t request_bytes, size_t reply_bytes) {
  socio::bench::v1::EchoRequest request;
  request.set_payload(std::string(request_bytes, 'p'));
  request.set_reply_bytes(static_cast<int>(reply_bytes));
  return request;
}

void CallEcho(socio::bench::v1::EchoService::Stub& stub,
              const socio::bench::v1::EchoRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  socio::bench::v1::EchoReply reply;
  grpc::Status status = stub.Echo(&context, request, &reply);
  Check(status.ok(), "echo: " + status.error_message());
}

// `clients` clients calling the echo server one call after another, all at
// once, with the sizes of a create.
AtOnce EchoAtOnce(const EchoServer& server, const socio::bench::v1::EchoRequest& request, int count,
                  int clients) {
  auto stubs = StubsPerClient<socio::bench::v1::EchoService>(server.address(), clients);
  return RunAtOnce(count, clients, [&](int c, int) { CallEcho(*stubs[c], request); });
}

// Round trips to the echo server one after another.
std::vector<double> EchoLatencies(const EchoServer& server,
                                  const socio::bench::v1::EchoRequest& request, int count) {
  auto stub = socio::bench::v1::EchoService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  CallEcho(*stub, request);  // connects
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    const absl::Time start = absl::Now();
    CallEcho(*stub, request);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  return ms;
}

// The import stream's messages, made before the clock starts: a client has
// its profiles parsed already (the CLI moves each parsed record into a chunk).
std::vector<socio::v1::ImportProfilesRequest> Chunks(const std::vector<Profile>& profiles) {
  std::vector<socio::v1::ImportProfilesRequest> chunks;
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (i % kStreamChunk == 0) chunks.emplace_back();
    *chunks.back().add_profiles() = profiles[i];
  }
  return chunks;
}

double ImportRate(const std::vector<socio::v1::ImportProfilesRequest>& chunks, size_t count,
                  socio::v1::ProfileService::Stub& stub, const std::string& token) {
  const absl::Time start = absl::Now();
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  socio::v1::ImportProfilesSummary summary;
  auto stream = stub.ImportProfiles(&context, &summary);
  for (const socio::v1::ImportProfilesRequest& chunk : chunks) {
    Check(stream->Write(chunk), "import stream write");
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  Check(status.ok(), "import: " + status.error_message());
  Check(summary.created() == static_cast<int64_t>(count),
        absl::StrCat("import stored ", summary.created(), " of ", count));
  return count / absl::ToDoubleSeconds(absl::Now() - start);
}

std::vector<double> CreateLatencies(const std::vector<Profile>& profiles, int count,
                                    absl::string_view id_prefix,
                                    socio::v1::ProfileService::Stub& stub,
                                    const std::string& token) {
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = profiles[i % profiles.size()];
    request.mutable_profile()->set_id(absl::StrCat(id_prefix, i));
    Profile created;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", "Bearer " + token);
    const absl::Time start = absl::Now();
    grpc::Status status = stub.CreateProfile(&context, request, &created);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    Check(status.ok(), "create: " + status.error_message());
  }
  return ms;
}

std::vector<double> GetLatencies(int count, socio::v1::ProfileService::Stub& stub,
                                 const std::string& token) {
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    socio::v1::GetProfileRequest request;
    request.set_id(absl::StrCat("create-", i));
    Profile profile;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", "Bearer " + token);
    const absl::Time start = absl::Now();
    grpc::Status status = stub.GetProfile(&context, request, &profile);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    Check(status.ok() || status.error_code() == grpc::StatusCode::NOT_FOUND,
          "get: " + status.error_message());
  }
  return ms;
}

Figures Round(const std::vector<Profile>& profiles, int creates, int clients, int round,
              services::ServerRole role) {
  ScratchDir dir;
  Figures f;
  f.raw_batch_per_second = RawBatchRate(profiles, dir.Join("raw-batch"));
  std::vector<double> raw_put = RawPutLatencies(profiles, creates, dir.Join("raw-put"));
  f.raw_put_p50_ms = Percentile(raw_put, 0.5);
  f.raw_put_p99_ms = Percentile(raw_put, 0.99);
  const AtOnce raw_at_once = RawPutsAtOnce(profiles, creates, clients, dir.Join("raw-at-once"));
  f.raw_puts_at_once_per_second = raw_at_once.per_second;
  f.cpu_per_raw_put_at_once_us = raw_at_once.cpu_us;
  {
    socio::v1::CreateProfileRequest create;
    *create.mutable_profile() = profiles.front();
    // A created profile comes back with its version, times and handle.
    const socio::bench::v1::EchoRequest request =
        EchoOf(create.ByteSizeLong(), profiles.front().ByteSizeLong() + 60);
    EchoServer echo;
    f.echo_p50_ms = Percentile(EchoLatencies(echo, request, creates), 0.5);
    const AtOnce echo_at_once = EchoAtOnce(echo, request, creates, clients);
    f.echo_at_once_per_second = echo_at_once.per_second;
    f.cpu_per_echo_at_once_us = echo_at_once.cpu_us;
  }

  absl::StatusOr<std::unique_ptr<services::Sociod>> server = services::Sociod::Start(
      {.data_dir = dir.Join("sociod"), .listen = "127.0.0.1:0", .role = role});
  Check(server.ok(), absl::StrCat("start sociod: ", server.status().ToString()));
  // Every call carries the operator token and is checked, as in production.
  std::string token;
  std::getline(std::ifstream((*server)->admin_token_file()), token);
  Check(!token.empty(), "read the operator token");
  auto stub = socio::v1::ProfileService::NewStub(
      grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials()));
  // Latency first, on a fresh store as the raw puts had.
  (void)GetLatencies(1, *stub, token);  // connects
  std::vector<double> create = CreateLatencies(profiles, creates, "create-", *stub, token);
  f.create_p50_ms = Percentile(create, 0.5);
  f.create_p99_ms = Percentile(create, 0.99);
  std::vector<double> get = GetLatencies(creates, *stub, token);
  f.get_p50_ms = Percentile(get, 0.5);
  f.get_p99_ms = Percentile(get, 0.99);
  const AtOnce creates_at_once =
      CreatesAtOnce(profiles, creates, clients, (*server)->address(), token);
  f.creates_at_once_per_second = creates_at_once.per_second;
  f.cpu_per_create_at_once_us = creates_at_once.cpu_us;
  f.import_per_second = ImportRate(Chunks(profiles), profiles.size(), *stub, token);
  // Creates right after the import, while RocksDB flushes it in the
  // background; on a channel of their own: on the channel that just carried
  // the import stream, gRPC 1.51 holds the next call for about 180 ms (once).
  stub = socio::v1::ProfileService::NewStub(
      grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials()));
  (void)GetLatencies(1, *stub, token);  // connects
  f.create_after_import_p50_ms =
      Percentile(CreateLatencies(profiles, creates, "after-import-", *stub, token), 0.5);
  (*server)->Shutdown(absl::Seconds(5));
  std::cerr << absl::StrFormat(
      "round %d: import %.0f/s (raw batch %.0f/s); create p50 %.3f ms p99 %.3f ms (raw put p50 "
      "%.3f ms p99 %.3f ms; get p50 %.3f ms p99 %.3f ms; echo p50 %.3f ms); create p50 after "
      "import %.3f ms; %d at once: creates %.0f/s, CPU %.0f us each (raw puts %.0f/s, CPU %.0f us "
      "each; echo %.0f/s, CPU %.0f us each)\n",
      round, f.import_per_second, f.raw_batch_per_second, f.create_p50_ms, f.create_p99_ms,
      f.raw_put_p50_ms, f.raw_put_p99_ms, f.get_p50_ms, f.get_p99_ms, f.echo_p50_ms,
      f.create_after_import_p50_ms, clients, f.creates_at_once_per_second,
      f.cpu_per_create_at_once_us, f.raw_puts_at_once_per_second, f.cpu_per_raw_put_at_once_us,
      f.echo_at_once_per_second, f.cpu_per_echo_at_once_us);
  return f;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) {
  int profile_count = 200'000;
  int creates = 2'000;
  int rounds = 5;
  int clients = 16;
  uint64_t seed = 1;
  bool json = false;
  std::string role_name = "all";
  CLI::App app{"socio-bench-store: import and create speed beside raw RocksDB"};
  app.add_option("--profiles", profile_count, "Generated profiles per import round")
      ->capture_default_str()
      ->check(CLI::Range(1000, 10'000'000));
  app.add_option("--creates", creates, "Single creates per round")
      ->capture_default_str()
      ->check(CLI::Range(10, 1'000'000));
  app.add_option("--rounds", rounds, "Rounds; figures are medians over rounds")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--clients", clients, "Clients (and raw writer threads) at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--seed", seed, "Generator seed")->capture_default_str();
  app.add_option("--role", role_name, "sociod's role: all, or profiles (no match index)")
      ->capture_default_str()
      ->check(CLI::IsMember({"all", "profiles"}));
  app.add_flag("--json", json, "Print JSON");
  CLI11_PARSE(app, argc, argv);
  const socio::services::ServerRole role = *socio::services::ParseServerRole(role_name);

  socio::bench::ProfileGenerator generator({.seed = seed});
  std::vector<socio::v1::Profile> profiles;
  profiles.reserve(profile_count);
  for (int i = 0; i < profile_count; ++i) profiles.push_back(generator.Next());
  size_t bytes = 0;
  for (const auto& p : profiles) bytes += p.ByteSizeLong();
  std::cerr << absl::StrFormat("%d profiles, %.0f bytes each on average; %d rounds\n",
                               profile_count, static_cast<double>(bytes) / profile_count, rounds);

  std::vector<double> import, raw_batch, c50, c99, r50, r99, g50, g99, after50, e50, at_once,
      raw_at_once, floor_ratio, at_once_ratio, echo_at_once, cpu_create, cpu_raw, cpu_echo;
  for (int r = 1; r <= rounds; ++r) {
    socio::bench::Figures f = socio::bench::Round(profiles, creates, clients, r, role);
    e50.push_back(f.echo_p50_ms);
    at_once.push_back(f.creates_at_once_per_second);
    raw_at_once.push_back(f.raw_puts_at_once_per_second);
    floor_ratio.push_back(f.create_p50_ms / (f.raw_put_p50_ms + f.echo_p50_ms));
    at_once_ratio.push_back(f.creates_at_once_per_second / f.raw_puts_at_once_per_second);
    echo_at_once.push_back(f.echo_at_once_per_second);
    cpu_create.push_back(f.cpu_per_create_at_once_us);
    cpu_raw.push_back(f.cpu_per_raw_put_at_once_us);
    cpu_echo.push_back(f.cpu_per_echo_at_once_us);
    import.push_back(f.import_per_second);
    raw_batch.push_back(f.raw_batch_per_second);
    c50.push_back(f.create_p50_ms);
    c99.push_back(f.create_p99_ms);
    r50.push_back(f.raw_put_p50_ms);
    r99.push_back(f.raw_put_p99_ms);
    g50.push_back(f.get_p50_ms);
    g99.push_back(f.get_p99_ms);
    after50.push_back(f.create_after_import_p50_ms);
  }
  using socio::bench::Median;
  const double mi = Median(import), mr = Median(raw_batch);
  const double m50 = Median(c50), m99 = Median(c99), mr50 = Median(r50), mr99 = Median(r99);
  const double mg50 = Median(g50), mg99 = Median(g99), ma50 = Median(after50);
  const double me50 = Median(e50), mat = Median(at_once), mrat = Median(raw_at_once);
  const double mfloor = Median(floor_ratio), mat_ratio = Median(at_once_ratio);
  const double meat = Median(echo_at_once), mcc = Median(cpu_create), mcr = Median(cpu_raw),
               mce = Median(cpu_echo);
  if (json) {
    std::cout << absl::StrFormat(
        "{\"profiles\":%d,\"rounds\":%d,\"importPerSecond\":%.0f,\"rawBatchPerSecond\":%.0f,"
        "\"createP50Ms\":%.4f,\"createP99Ms\":%.4f,\"rawPutP50Ms\":%.4f,\"rawPutP99Ms\":%.4f,"
        "\"getP50Ms\":%.4f,\"getP99Ms\":%.4f,\"createAfterImportP50Ms\":%.4f,"
        "\"echoP50Ms\":%.4f,\"createOverFloor\":%.3f,\"clients\":%d,"
        "\"createsAtOncePerSecond\":%.0f,\"rawPutsAtOncePerSecond\":%.0f,"
        "\"createsOverRawAtOnce\":%.3f,\"echoAtOncePerSecond\":%.0f,\"cpuPerCreateAtOnceUs\":%.0f,"
        "\"cpuPerRawPutAtOnceUs\":%.0f,\"cpuPerEchoAtOnceUs\":%.0f}\n",
        profile_count, rounds, mi, mr, m50, m99, mr50, mr99, mg50, mg99, ma50, me50, mfloor,
        clients, mat, mrat, mat_ratio, meat, mcc, mcr, mce);
    return 0;
  }
  std::cout << absl::StrFormat(
      "| figure (median of %d rounds) | Socio | raw RocksDB | Socio / raw |\n"
      "|---|---|---|---|\n"
      "| import, profiles/s (gRPC stream vs synced WriteBatch of %d) | %.0f | %.0f | %.2f |\n"
      "| single create p50, ms (gRPC CreateProfile vs synced one-put batch) | %.3f | %.3f | %.2f "
      "|\n"
      "| single create p99, ms | %.3f | %.3f | %.2f |\n"
      "| single get p50 / p99, ms (gRPC round trip, no disk) | %.3f / %.3f | | |\n"
      "| single create p50 right after the import, ms | %.3f | | |\n"
      "| single create p50 vs one synced put + one echo round trip (%.3f ms), ms | %.3f | %.3f | "
      "%.2f |\n"
      "| %d clients creating at once vs %d threads of synced one-put batches, per s | %.0f | "
      "%.0f | %.2f |\n"
      "| ... CPU per create vs per put, us (whole process: clients too) | %.0f | %.0f | |\n"
      "| ... the same clients calling the echo server: calls/s, CPU per call, us | %.0f, %.0f | | "
      "|\n",
      rounds, socio::bench::kBatch, mi, mr, mi / mr, m50, mr50, m50 / mr50, m99, mr99, m99 / mr99,
      mg50, mg99, ma50, me50, m50, mr50 + me50, mfloor, clients, clients, mat, mrat, mat_ratio, mcc,
      mcr, meat, mce);
  std::cout << "(ratios are medians of each round's ratio)\n";
  return 0;
}
