// CrashWriter: one writer thread of the crash harness. It writes generated
// member profiles to a sociod over gRPC (creates, recreates of deleted ids,
// updates with and without expected_version and with and without a field
// mask, chamber moves, deletes, ImportProfiles streams of whole batches and
// more) and keeps a WriterLedger of what the server acknowledged and what was
// in flight when the server died.
//
//   CrashWriter writer({.number = 0, .generator = &generator, ...});
//   std::thread t([&] { writer.Run(channel, seed, stop, killed); });
//   ... kill the server, set `killed` first, then `stop` ...
//   t.join();
//   writer.errors();  // calls that failed for another reason than the kill
//
// Each id belongs to one writer, which makes one call at a time, so its
// ledger knows every id's state exactly but for the write in flight.
//
// A WriterGroup holds a harness's writers and what they share, and imports
// the profiles they start with.
#ifndef SOCIO_TESTS_FAULT_CRASH_WRITER_H_
#define SOCIO_TESTS_FAULT_CRASH_WRITER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "bench/profile_generator.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/fault/crash_ledger.h"

namespace socio::fault {

// The chambers of each country, to move members between them.
using ChamberBook = absl::btree_map<std::string, std::vector<std::string>>;

struct WriterOptions {
  int number = 0;
  // Present profiles the writer keeps about: it creates more below, deletes
  // more above. Its ImportProfiles streams resend up to all of them, so a
  // writer with more than ImportProfiles' batch (1,000) sends streams the
  // server commits in several batches.
  int target_present = 500;
  // Largest ImportProfiles stream, in items.
  int max_import_items = 2500;
  // Not owned; shared by all writers.
  const bench::ProfileGenerator* generator = nullptr;
  std::atomic<uint64_t>* next_index = nullptr;  // generator index of the next new id
  const ChamberBook* chambers = nullptr;
};

// Whether a call ended as a killed server's calls do (UNAVAILABLE,
// CANCELLED, UNKNOWN, DEADLINE_EXCEEDED): its outcome is unknown.
bool EndedByKill(const grpc::Status& status);

// Acknowledged writes, by kind.
struct WriterCounts {
  int64_t creates = 0;
  int64_t updates = 0;
  int64_t checked_updates = 0;  // with expected_version
  int64_t deletes = 0;
  int64_t checked_deletes = 0;
  int64_t imports = 0;
  int64_t import_items = 0;
  // Change-log entries the acknowledged writes added: one per item.
  int64_t changes() const { return creates + updates + deletes + import_items; }
  int64_t writes() const { return creates + updates + deletes + imports; }
  void Add(const WriterCounts& other);
};

class CrashWriter {
 public:
  explicit CrashWriter(const WriterOptions& options) : options_(options) {}

  // Writes over `channel` until `stop` is set or a call fails. A call that
  // fails as a killed server's calls do (UNAVAILABLE, CANCELLED, UNKNOWN,
  // DEADLINE_EXCEEDED) after `killed` was set stays in flight in the ledger;
  // any other failure, or a wrong answer, is recorded in errors().
  // REQUIRES: nothing in flight (CheckLedgers settled the last run).
  void Run(const std::shared_ptr<grpc::Channel>& channel, uint64_t seed,
           const std::atomic<bool>& stop, const std::atomic<bool>& killed);

  WriterLedger& ledger() { return ledger_; }
  // Since the counts were last taken.
  WriterCounts TakeCounts();
  const std::vector<std::string>& errors() const { return errors_; }
  // Every chamber id this writer has written.
  const absl::btree_set<std::string>& chambers_written() const { return chambers_written_; }

 private:
  struct Call;  // one prepared write: its ledger entry and how to send it

  Call PrepareCreate(std::mt19937_64& rng);
  Call PrepareUpdate(std::mt19937_64& rng);
  Call PrepareDelete(std::mt19937_64& rng);
  Call PrepareImport(std::mt19937_64& rng);
  // Sends `call`: the call's status; an OK answer that is wrong goes to
  // call.wrong_answer.
  grpc::Status Send(socio::v1::ProfileService::Stub& stub, Call& call);
  // A profile's content with a few fields changed as members change them;
  // `mask` receives the paths changed, or stays empty for a full replacement.
  socio::v1::Profile Edit(const socio::v1::Profile& current, std::mt19937_64& rng,
                          std::vector<std::string>* mask);
  socio::v1::Profile Donor(std::mt19937_64& rng) const;
  void Acknowledged(const Call& call);

  const WriterOptions options_;
  WriterLedger ledger_;
  WriterCounts counts_;
  std::vector<std::string> errors_;
  absl::btree_set<std::string> chambers_written_;
  // Ids present and absent in the ledger, for picking; rebuilt by Run.
  std::vector<std::string> present_;
  std::vector<std::string> absent_;
};

struct WriterGroupOptions {
  uint64_t seed = 1;  // seeds the profile generator
  int writers = 4;
  // Profiles imported before the first cycle; the i-th belongs to writer
  // owner_of(i), and each writer keeps about as many present as it owns.
  int initial_profiles = 0;
  std::function<size_t(int i)> owner_of;
  int max_import_items = 2500;  // WriterOptions::max_import_items
};

// A harness's writers and what they share: the profile generator, the
// generator index of the next new id, and a chamber book drawn from the
// first 5,000 generated members.
//
//   WriterGroup writers({.seed = 7, .writers = 4, .initial_profiles = 2000,
//                        .owner_of = [](int i) { return i % 4; }});
//   int64_t created = 0;
//   grpc::Status status = writers.ImportInitialProfiles(*stub, &created);
//   std::thread t([&] { writers[0].Run(channel, seed, stop, killed); });
//
// Thread safety: NewProfile may be called from any thread; each writer
// belongs to its own; the rest to the harness's thread, the writers stopped.
class WriterGroup {
 public:
  explicit WriterGroup(WriterGroupOptions options);
  WriterGroup(const WriterGroup&) = delete;
  WriterGroup& operator=(const WriterGroup&) = delete;

  // Imports the initial profiles, new generated ones, in one ImportProfiles
  // stream; if the call succeeds and creates them all, each enters its
  // owner's ledger as acknowledged. Returns the call's status; *created
  // receives the summary's count.
  grpc::Status ImportInitialProfiles(socio::v1::ProfileService::Stub& stub, int64_t* created);

  // A generated profile with an id no one has used.
  socio::v1::Profile NewProfile();

  size_t size() const { return writers_.size(); }
  CrashWriter& operator[](size_t w) { return *writers_[w]; }
  // Every writer's ledger, in writer order.
  std::vector<WriterLedger*> Ledgers();
  // Every chamber any writer has written.
  absl::btree_set<std::string> ChambersWritten() const;

 private:
  const WriterGroupOptions options_;
  bench::ProfileGenerator generator_;
  std::atomic<uint64_t> next_index_ = 0;
  ChamberBook chambers_;
  std::vector<std::unique_ptr<CrashWriter>> writers_;
};

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CRASH_WRITER_H_
