// What socio-crash-harness (crash_harness.h) and socio-cluster-harness
// (cluster_harness.h) share around their checks: the run's working
// directory, the reference data an index rebuilt here scores with, channels
// of their own, the seeded draws of a cycle, the violations list, and the
// parts of the progress lines and summaries that report the writers.
//
//   WorkDir work_dir;
//   if (!work_dir.Make("socio-crash-")) return false;
//   std::vector<std::string> violations;
//   RecordViolation(cycle, "profile 'x' lost", &violations);
//   std::string line = CycleWrites(counts, ledger_check);
//
// Thread safety: WorkDir and RecordViolation belong to the harness's thread.
#ifndef SOCIO_TESTS_FAULT_HARNESS_COMMON_H_
#define SOCIO_TESTS_FAULT_HARNESS_COMMON_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "reference/reference_data.h"
#include "tests/fault/crash_ledger.h"
#include "tests/fault/crash_writer.h"

namespace socio::fault {

// A new directory under the system's temporary directory for a run's files,
// removed with everything in it on destruction unless Keep() was called.
class WorkDir {
 public:
  WorkDir() = default;
  ~WorkDir();
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;

  // Makes the directory, named `prefix` and six random characters; false if
  // it cannot.
  bool Make(const std::string& prefix);
  // The files stay, to be looked at after a failed run.
  void Keep() { keep_ = true; }
  // "" before Make.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool keep_ = false;
};

// The reference data of sociod's defaults (dictionaries from Debian's
// dictd), so that an index rebuilt here scores as the server's does.
absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> LoadSociodReference();

// An insecure channel to `address` with a connection of its own (not shared
// with other channels) and room for 64 MiB answers.
std::shared_ptr<grpc::Channel> NewHarnessChannel(const std::string& address);

// The last `n` characters of a child process's output, for a message.
std::string Tail(const std::string& text, size_t n = 2000);
// Removes a child process's output files `prefix`.out and `prefix`.err; one
// that cannot be removed is left.
void RemoveOutput(const std::string& prefix);

// A cycle's kill (or fault) time, in ms after the writers start: in
// [min_ms, max_ms], drawn from `rng`.
int DrawKillMs(std::mt19937_64& rng, int min_ms, int max_ms);
// Writer `w`'s seed in `cycle` of a run seeded with `seed`.
uint64_t WriterSeed(uint64_t seed, int cycle, size_t w);
// Whether the check after `cycle` reads the change log from its start rather
// than from near the last check: the first and the last do, and every
// `full_log_every`-th (0: no others).
bool ReadsFullLog(int cycle, int cycles, int full_log_every);

// Prints "VIOLATION cycle N: message" to stderr and appends "cycle N:
// message" to `violations`.
void RecordViolation(int cycle, const std::string& message, std::vector<std::string>* violations);

// The parts of the progress lines and summaries both harnesses print.
//
// "W writes acknowledged (C creates, U updates, D deletes, I imports of N
// items), F in flight (L of T items landed)": a cycle's writes.
std::string CycleWrites(const WriterCounts& acknowledged, const LedgerCheck& ledger);
// "  acknowledged writes: ...; N changes\n": a summary's line.
std::string AcknowledgedText(const WriterCounts& acknowledged);
// "\"writes_acknowledged\": W, \"acknowledged\": {...}, \"changes_acknowledged\": N, ".
std::string AcknowledgedJson(const WriterCounts& acknowledged);
// "F creates (L landed), ...": the writes in flight by kind.
std::string InFlightByKindText(const LedgerFigures& figures);
// "\"create\": {\"in_flight\": F, \"landed\": L}, ...".
std::string InFlightByKindJson(const LedgerFigures& figures);
// `text` as a JSON string, quotes and all.
std::string JsonString(const std::string& text);
// The elements of a JSON array of `texts` (without the brackets).
std::string JsonStrings(const std::vector<std::string>& texts);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_HARNESS_COMMON_H_
