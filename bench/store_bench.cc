// socio-bench-store: how fast profiles get into Socio, beside RocksDB alone.
//
//   socio-bench-store [--profiles 200000] [--creates 2000] [--rounds 5]
//                     [--role all|profiles] [--json]
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
//   to sociod costs on this machine, the floor under a create.
// Prints the median of the rounds for each figure and the ratios. --role
// profiles starts sociod without the match index that follows the writes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "bench/profile_generator.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
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

Figures Round(const std::vector<Profile>& profiles, int creates, int round,
              services::ServerRole role) {
  ScratchDir dir;
  Figures f;
  f.raw_batch_per_second = RawBatchRate(profiles, dir.Join("raw-batch"));
  std::vector<double> raw_put = RawPutLatencies(profiles, creates, dir.Join("raw-put"));
  f.raw_put_p50_ms = Percentile(raw_put, 0.5);
  f.raw_put_p99_ms = Percentile(raw_put, 0.99);

  absl::StatusOr<std::unique_ptr<services::Sociod>> server =
      services::Sociod::Start(
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
      "%.3f ms p99 %.3f ms; get p50 %.3f ms p99 %.3f ms); create p50 after import %.3f ms\n",
      round, f.import_per_second, f.raw_batch_per_second, f.create_p50_ms, f.create_p99_ms,
      f.raw_put_p50_ms, f.raw_put_p99_ms, f.get_p50_ms, f.get_p99_ms, f.create_after_import_p50_ms);
  return f;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) {
  int profile_count = 200'000;
  int creates = 2'000;
  int rounds = 5;
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

  std::vector<double> import, raw_batch, c50, c99, r50, r99, g50, g99, after50;
  for (int r = 1; r <= rounds; ++r) {
    socio::bench::Figures f = socio::bench::Round(profiles, creates, r, role);
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
  if (json) {
    std::cout << absl::StrFormat(
        "{\"profiles\":%d,\"rounds\":%d,\"importPerSecond\":%.0f,\"rawBatchPerSecond\":%.0f,"
        "\"createP50Ms\":%.4f,\"createP99Ms\":%.4f,\"rawPutP50Ms\":%.4f,\"rawPutP99Ms\":%.4f,"
        "\"getP50Ms\":%.4f,\"getP99Ms\":%.4f,\"createAfterImportP50Ms\":%.4f}\n",
        profile_count, rounds, mi, mr, m50, m99, mr50, mr99, mg50, mg99, ma50);
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
      "| single create p50 right after the import, ms | %.3f | | |\n",
      rounds, socio::bench::kBatch, mi, mr, mi / mr, m50, mr50, m50 / mr50, m99, mr99, m99 / mr99,
      mg50, mg99, ma50);
  return 0;
}
