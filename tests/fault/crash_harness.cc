#include "tests/fault/crash_harness.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/fault/store_checks.h"

namespace socio::fault {
namespace {

using socio::testing::ChildProcess;

constexpr absl::Duration kStartTimeout = absl::Seconds(60);

}  // namespace

struct CrashHarness::CycleReport {
  int kill_ms = 0;
  double restart_seconds = 0;
  WriterCounts acknowledged;
  LedgerCheck ledger;
  int64_t profiles = 0;
  int64_t chamber_entries = 0;
  int matcher_members = 0;
  int checks_passed = 0;
};

CrashHarness::CrashHarness(HarnessOptions options)
    : options_(std::move(options)),
      writers_({.seed = options_.seed,
                .writers = options_.writers,
                .initial_profiles = options_.profiles,
                .owner_of = [this](int i) { return OwnerOf(i); },
                .max_import_items = options_.max_import_items}),
      rng_(options_.seed) {}

CrashHarness::~CrashHarness() {
  server_.reset();  // SIGKILL if it still runs
}

void CrashHarness::Violation(int cycle, const std::string& message) {
  RecordViolation(cycle, message, &violations_);
}

bool CrashHarness::Setup() {
  if (!work_dir_.Make("socio-crash-")) {
    std::fprintf(stderr, "socio-crash-harness: cannot make a temporary directory\n");
    return false;
  }
  data_dir_ = options_.data_dir.empty() ? work_dir_.path() + "/data" : options_.data_dir;
  std::error_code error;
  if (!options_.data_dir.empty() && std::filesystem::exists(data_dir_, error) &&
      !std::filesystem::is_empty(data_dir_, error)) {
    std::fprintf(stderr,
                 "socio-crash-harness: --data_dir %s is not empty; the ledger must know every "
                 "profile, so give a new or empty directory\n",
                 data_dir_.c_str());
    return false;
  }
  if (options_.sociod.empty()) options_.sociod = socio::testing::BuiltBinary("services/sociod");

  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference = LoadSociodReference();
  if (!reference.ok()) {
    std::fprintf(stderr, "socio-crash-harness: reference data: %s\n",
                 reference.status().ToString().c_str());
    return false;
  }
  reference_ = *std::move(reference);
  tables_ = std::make_shared<const matcher::ScoringTables>(reference_);
  return true;
}

// Writer 0 owns half the first profiles, so its imports span several
// batches; the others share the rest.
size_t CrashHarness::OwnerOf(int i) const {
  if (options_.writers == 1 || i % 2 == 0) return 0;
  return 1 + static_cast<size_t>(i / 2 % (options_.writers - 1));
}

bool CrashHarness::StartServer() {
  const int start = ++starts_;
  const std::string prefix = absl::StrCat(work_dir_.path(), "/sociod-", start);
  std::vector<std::string> argv = {
      options_.sociod, "--data_dir",  data_dir_,
      "--listen",      "127.0.0.1:0", "--dev_insecure",
      "--log_level",   "warning",     absl::StrCat("--sync_writes=", options_.sync_writes)};
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Start(argv, prefix);
  if (!process.ok()) {
    std::fprintf(stderr, "socio-crash-harness: %s\n", process.status().ToString().c_str());
    return false;
  }
  absl::StatusOr<std::string> line = (*process)->WaitForStderrLine("serving on ", kStartTimeout);
  if (!line.ok()) {
    std::fprintf(stderr, "socio-crash-harness: sociod did not start: %s\n",
                 Tail(line.status().ToString()).c_str());
    server_ = *std::move(process);
    return false;
  }
  // "sociod: serving on 127.0.0.1:PORT, data in DIR"
  std::string rest = line->substr(line->find("serving on ") + 11);
  address_ = rest.substr(0, rest.find(','));
  server_ = *std::move(process);
  // Output of the starts before the last two is of no more use.
  if (start > 2) RemoveOutput(absl::StrCat(work_dir_.path(), "/sociod-", start - 2));
  return true;
}

bool CrashHarness::StopServerCleanly() {
  server_->Signal(SIGTERM);
  const int status = server_->Wait();
  if (status != 0 || !absl::StrContains(server_->Stderr(), "stopped cleanly")) {
    Violation(totals_.cycles, absl::StrCat("sociod did not stop cleanly on SIGTERM (exit status ",
                                           status, "): ", Tail(server_->Stderr())));
    return false;
  }
  return true;
}

bool CrashHarness::ImportInitialProfiles() {
  auto stub = socio::v1::ProfileService::NewStub(NewChannel());
  int64_t created = 0;
  grpc::Status status = writers_.ImportInitialProfiles(*stub, &created);
  if (!status.ok() || created != options_.profiles) {
    std::fprintf(stderr,
                 "socio-crash-harness: importing the first %d profiles: %d %s (%lld created)\n",
                 options_.profiles, status.error_code(), status.error_message().c_str(),
                 static_cast<long long>(created));
    return false;
  }
  return true;
}

bool CrashHarness::Verify(int cycle, int64_t acknowledged_changes, CycleReport* report) {
  const size_t before = violations_.size();
  std::vector<std::string> found;
  const auto take = [&]() -> bool {
    for (std::string& v : found) Violation(cycle, v);
    const bool clean = found.empty();
    found.clear();
    if (clean) ++report->checks_passed;
    return clean;
  };
  std::shared_ptr<grpc::Channel> channel = NewChannel();
  auto stub = socio::v1::ProfileService::NewStub(channel);
  absl::StatusOr<StoredProfiles> stored = ListAllProfiles(*stub);
  if (!stored.ok()) {
    Violation(cycle, absl::StrCat("listing the stored profiles: ", stored.status().ToString()));
    return false;
  }
  report->profiles = static_cast<int64_t>(stored->size());

  // 1. Acknowledged writes are there; in-flight ones whole or not at all.
  std::vector<WriterLedger*> ledgers = writers_.Ledgers();
  int64_t ids = 0;
  for (WriterLedger* ledger : ledgers) ids += static_cast<int64_t>(ledger->known().size());
  report->ledger = CheckLedgers(ledgers, *stored);
  found = report->ledger.violations;
  take();
  totals_.ids_checked += ids;

  // 2. The change log: no hole, nothing changed, as long as the ledgers say,
  // replaying to the stored profiles.
  const uint64_t previous = log_.verified();
  const uint64_t expected_last = previous + static_cast<uint64_t>(acknowledged_changes) +
                                 static_cast<uint64_t>(report->ledger.landed_items);
  const std::string accounting =
      absl::StrCat(previous, " at the last check + ", acknowledged_changes, " acknowledged + ",
                   report->ledger.landed_items, " of ", report->ledger.in_flight_items,
                   " in-flight items that landed");
  const bool from_start = ReadsFullLog(cycle, options_.cycles, options_.full_log_every);
  const int64_t read_before = log_.entries_read();
  log_.Verify(*stub, from_start, expected_last, accounting, *stored, &found);
  totals_.log_entries_read += log_.entries_read() - read_before;
  take();

  // 3. The chamber index equals the profiles.
  report->chamber_entries = CheckChamberIndex(*stub, *stored, writers_.ChambersWritten(), &found);
  totals_.chamber_entries_checked += report->chamber_entries;
  take();

  // 4. The match index equals one built from scratch.
  report->matcher_members = CheckMatcher(
      channel, *stored, tables_,
      {.sample = options_.matcher_sample, .last_sequence = log_.verified(), .rng = &rng_}, &found);
  totals_.matcher_members_compared += report->matcher_members;
  take();

  totals_.checks_passed += report->checks_passed;
  last_stored_ = *std::move(stored);
  return violations_.size() == before;
}

bool CrashHarness::RunCycle(int cycle) {
  CycleReport report;
  report.kill_ms = DrawKillMs(rng_, options_.kill_min_ms, options_.kill_max_ms);
  const absl::Time cycle_start = absl::Now();
  std::atomic<bool> stop = false;
  std::atomic<bool> killed = false;
  std::vector<std::thread> threads;
  for (size_t w = 0; w < writers_.size(); ++w) {
    const uint64_t seed = WriterSeed(options_.seed, cycle, w);
    threads.emplace_back([this, w, seed, channel = NewChannel(), &stop, &killed] {
      writers_[w].Run(channel, seed, stop, killed);
    });
  }
  absl::SleepFor(absl::Milliseconds(report.kill_ms));
  killed = true;
  server_->Signal(SIGKILL);
  const int exit_status = server_->Wait();
  stop = true;
  for (std::thread& t : threads) t.join();
  if (exit_status != 128 + SIGKILL) {
    Violation(cycle, absl::StrCat("sociod ended with status ", exit_status,
                                  " before it was killed: ", Tail(server_->Stderr())));
  }
  for (size_t w = 0; w < writers_.size(); ++w) {
    for (const std::string& error : writers_[w].errors()) Violation(cycle, error);
    report.acknowledged.Add(writers_[w].TakeCounts());
  }
  if (!violations_.empty()) return false;

  const absl::Time restart = absl::Now();
  if (!StartServer()) {
    Violation(cycle, "sociod did not come back after SIGKILL (its output is kept)");
    return false;
  }
  report.restart_seconds = absl::ToDoubleSeconds(absl::Now() - restart);
  totals_.max_restart_seconds = std::max(totals_.max_restart_seconds, report.restart_seconds);
  totals_.cycles = cycle;
  const bool ok = Verify(cycle, report.acknowledged.changes(), &report);
  totals_.acknowledged.Add(report.acknowledged);
  totals_.ledgers.Add(report.ledger);
  if (report.ledger.in_flight_writes > 0) ++totals_.unfinished_kills;

  std::fprintf(stderr,
               "cycle %d/%d: killed at %d ms: %s; back in %.2f s with %lld profiles, log at %llu; "
               "%s (%d/4 checks; %d members matched) [%.1f s]\n",
               cycle, options_.cycles, report.kill_ms,
               CycleWrites(report.acknowledged, report.ledger).c_str(), report.restart_seconds,
               static_cast<long long>(report.profiles),
               static_cast<unsigned long long>(log_.verified()), ok ? "ok" : "VIOLATIONS",
               report.checks_passed, report.matcher_members,
               absl::ToDoubleSeconds(absl::Now() - cycle_start));
  if (!ok) return false;

  if (options_.clean_restart_every > 0 && cycle % options_.clean_restart_every == 0 &&
      cycle != options_.cycles) {
    if (!StopServerCleanly()) return false;
    if (!StartServer()) {
      Violation(cycle, "sociod did not start after a clean stop");
      return false;
    }
    ++totals_.clean_restarts;
  }
  return true;
}

bool CrashHarness::FinalStoreCheck() {
  if (!StopServerCleanly()) return false;
  std::vector<std::string> found;
  const absl::btree_set<std::string> chambers = writers_.ChambersWritten();
  const std::string note = CheckStoreDirectory({.data_dir = data_dir_,
                                                .reference = reference_,
                                                .tables = tables_,
                                                .expected = &last_stored_,
                                                .chambers = &chambers,
                                                .log = &log_},
                                               &found);
  for (const std::string& v : found) Violation(totals_.cycles, absl::StrCat("store: ", v));
  std::fprintf(stderr, "final store check: %s: %s\n", note.c_str(),
               found.empty() ? "ok" : "VIOLATIONS");
  if (found.empty()) ++totals_.checks_passed;
  return found.empty();
}

void CrashHarness::PrintSummary(double wall_seconds, const std::string& final_note) const {
  const HarnessTotals& t = totals_;
  const LedgerFigures& f = t.ledgers;
  if (options_.json) {
    std::string json = absl::StrFormat(
        "{\"cycles\": %d, \"seed\": %d, \"writers\": %d, \"initial_profiles\": %d, ", t.cycles,
        options_.seed, options_.writers, options_.profiles);
    absl::StrAppend(
        &json, AcknowledgedJson(t.acknowledged),
        absl::StrFormat(
            "\"in_flight_at_kill\": {\"writes\": %d, \"items\": %d, \"items_landed\": %d, "
            "\"writes_landed_whole\": %d, \"imports_landed_in_part\": %d, "
            "\"kills_with_writes_in_flight\": %d, \"by_kind\": {%s}}, ",
            f.in_flight_writes, f.in_flight_items, f.landed_items, f.landed_writes,
            f.partial_imports, t.unfinished_kills, InFlightByKindJson(f)),
        absl::StrFormat(
            "\"checks_passed\": %d, \"ids_checked\": %d, \"chamber_index_entries_checked\": %d, "
            "\"change_log_entries_read\": %d, \"matcher_members_compared\": %d, ",
            t.checks_passed, t.ids_checked, t.chamber_entries_checked, t.log_entries_read,
            t.matcher_members_compared),
        absl::StrFormat(
            "\"clean_restarts\": %d, \"slowest_restart_seconds\": %.3f, \"final_profiles\": %d, "
            "\"final_sequence\": %d, \"final_store_check\": %s, \"wall_seconds\": %.1f, "
            "\"violations\": [%s]}",
            t.clean_restarts, t.max_restart_seconds, last_stored_.size(), log_.verified(),
            JsonString(final_note), wall_seconds, JsonStrings(violations_)));
    std::printf("%s\n", json.c_str());
    return;
  }
  std::string text =
      absl::StrFormat("socio-crash-harness: %d cycles (seed %d, %d writers, %d initial profiles)\n",
                      t.cycles, options_.seed, options_.writers, options_.profiles);
  absl::StrAppend(
      &text, AcknowledgedText(t.acknowledged),
      absl::StrFormat("  in flight at the kills: %d writes (%d items) in %d of %d kills: %s; "
                      "landed: %d items, %d writes whole, %d imports in whole batches\n",
                      f.in_flight_writes, f.in_flight_items, t.unfinished_kills, t.cycles,
                      InFlightByKindText(f), f.landed_items, f.landed_writes, f.partial_imports),
      absl::StrFormat("  checks passed: %d (ids checked %d, chamber index entries %d, change "
                      "log entries read %d, FindPartners compared %d)\n",
                      t.checks_passed, t.ids_checked, t.chamber_entries_checked, t.log_entries_read,
                      t.matcher_members_compared),
      absl::StrFormat("  restarts: %d after SIGKILL (slowest %.2f s), %d after SIGTERM; final: "
                      "%d profiles, log at %d; store opened directly: %s\n",
                      t.cycles, t.max_restart_seconds, t.clean_restarts, last_stored_.size(),
                      log_.verified(), final_note),
      absl::StrFormat("  violations: %d\n  wall time: %.1f s\n", violations_.size(), wall_seconds));
  for (const std::string& v : violations_) absl::StrAppend(&text, "  VIOLATION ", v, "\n");
  std::printf("%s", text.c_str());
}

int CrashHarness::Run() {
  const absl::Time start = absl::Now();
  if (!Setup()) return 2;
  if (!StartServer() || !ImportInitialProfiles()) {
    work_dir_.Keep();
    std::fprintf(stderr, "socio-crash-harness: files kept in %s\n", work_dir_.path().c_str());
    return 2;
  }
  CycleReport baseline;
  bool ok = Verify(0, options_.profiles, &baseline);
  std::fprintf(stderr, "cycle 0: %d profiles imported; %s\n", options_.profiles,
               ok ? "checks ok" : "VIOLATIONS");
  for (int cycle = 1; ok && cycle <= options_.cycles; ++cycle) ok = RunCycle(cycle);
  std::string final_note = "not run";
  if (ok) {
    ok = FinalStoreCheck();
    final_note = ok ? "ok" : "violations";
  }
  PrintSummary(absl::ToDoubleSeconds(absl::Now() - start), final_note);
  if (!ok) {
    work_dir_.Keep();
    std::fprintf(stderr, "socio-crash-harness: data and sociod's output kept in %s%s%s\n",
                 work_dir_.path().c_str(), options_.data_dir.empty() ? "" : " and ",
                 options_.data_dir.c_str());
    return violations_.empty() ? 2 : 1;
  }
  return 0;
}

}  // namespace socio::fault
