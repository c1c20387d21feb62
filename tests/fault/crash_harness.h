// CrashHarness: kills a real sociod process with SIGKILL while writers are
// busy, restarts it on the same data directory, and checks that nothing
// acknowledged was lost and nothing unacknowledged is half there.
//
// Each cycle: W writer threads (crash_writer.h) send creates, updates,
// deletes and ImportProfiles streams; at a seeded random moment sociod gets
// SIGKILL; it is restarted and checked:
//   - every id is in its acknowledged state, or in the state the write in
//     flight at the kill would leave, whole (crash_ledger.h); an import in
//     flight landed as a prefix of whole batches;
//   - the chamber index lists exactly the stored profiles (server_checks.h);
//   - the change log runs 1..N without a hole, what was read before is
//     unchanged, N is what the ledgers account for, and replaying it gives
//     exactly the stored profiles (change_log_check.h);
//   - the match index (from its snapshot plus the log, or a scan) answers
//     FindPartners as an index built here from the stored profiles does.
// Every few cycles sociod is also stopped with SIGTERM, so the next start
// loads a fresh snapshot of the index and replays the log after it. At the
// end the directory is opened in this process and checked directly
// (store_checks.h).
//
//   CrashHarness harness(options);
//   int exit_status = harness.Run();  // 0: no violation; 1: violations; 2: harness error
#ifndef SOCIO_TESTS_FAULT_CRASH_HARNESS_H_
#define SOCIO_TESTS_FAULT_CRASH_HARNESS_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "matcher/features.h"
#include "reference/reference_data.h"
#include "tests/fault/change_log_check.h"
#include "tests/fault/crash_ledger.h"
#include "tests/fault/crash_writer.h"
#include "tests/fault/harness_common.h"
#include "tests/fault/server_checks.h"
#include "tests/support/process.h"

namespace socio::fault {

struct HarnessOptions {
  int cycles = 20;
  uint64_t seed = 1;
  int writers = 4;
  int profiles = 2000;   // imported before the first cycle
  std::string data_dir;  // "" = a new temporary directory
  std::string sociod;    // "" = the sociod this build made
  bool json = false;
  int kill_min_ms = 50;   // the kill comes this long after the writers start...
  int kill_max_ms = 400;  // ...at most
  int max_import_items = 2500;
  int matcher_sample = 16;
  int full_log_every = 10;      // read the whole change log every this many cycles
  int clean_restart_every = 5;  // also SIGTERM and restart every this many cycles; 0: never
  bool sync_writes = true;      // sociod's --sync_writes
};

// Totals over the run.
struct HarnessTotals {
  int cycles = 0;
  WriterCounts acknowledged;
  LedgerFigures ledgers;         // the writes in flight at the kills
  int64_t unfinished_kills = 0;  // cycles whose kill found a write in flight
  int64_t ids_checked = 0;
  int64_t chamber_entries_checked = 0;
  int64_t log_entries_read = 0;
  int64_t matcher_members_compared = 0;
  int64_t checks_passed = 0;
  int clean_restarts = 0;
  double max_restart_seconds = 0;
};

class CrashHarness {
 public:
  explicit CrashHarness(HarnessOptions options);
  ~CrashHarness();

  int Run();

 private:
  struct CycleReport;

  bool Setup();
  // The writer that owns the i-th profile imported before the first cycle.
  size_t OwnerOf(int i) const;
  bool StartServer();
  bool StopServerCleanly();
  bool ImportInitialProfiles();
  bool RunCycle(int cycle);
  // The checks after a restart; false if any failed (violations_ says why).
  bool Verify(int cycle, int64_t acknowledged_changes, CycleReport* report);
  bool FinalStoreCheck();
  std::shared_ptr<grpc::Channel> NewChannel() const { return NewHarnessChannel(address_); }
  void Violation(int cycle, const std::string& message);
  void PrintSummary(double wall_seconds, const std::string& final_note) const;

  HarnessOptions options_;
  WorkDir work_dir_;  // sociod's output files; the data unless --data_dir
  std::string data_dir_;
  int starts_ = 0;
  std::unique_ptr<socio::testing::ChildProcess> server_;
  std::string address_;
  std::shared_ptr<const reference::ReferenceData> reference_;
  std::shared_ptr<const matcher::ScoringTables> tables_;
  WriterGroup writers_;
  ChangeLogCheck log_;
  std::mt19937_64 rng_;
  HarnessTotals totals_;
  std::vector<std::string> violations_;
  StoredProfiles last_stored_;  // what the server held at the last check
};

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CRASH_HARNESS_H_
