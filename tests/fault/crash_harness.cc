#include "tests/fault/crash_harness.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/fault/crash_ledger.h"
#include "tests/fault/store_checks.h"

namespace socio::fault {
namespace {

using socio::testing::ChildProcess;

// Generated members the chamber book is drawn from.
constexpr int kChamberBookSample = 5000;
constexpr int kInitialChunk = 250;
constexpr absl::Duration kStartTimeout = absl::Seconds(60);

std::string Tail(const std::string& text, size_t n = 2000) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

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
    : options_(std::move(options)), generator_({.seed = options_.seed}), rng_(options_.seed) {}

CrashHarness::~CrashHarness() {
  server_.reset();  // SIGKILL if it still runs
  if (remove_work_dir_) {
    std::error_code ignored;  // a leftover temporary directory is not worth an error
    std::filesystem::remove_all(work_dir_, ignored);
  }
}

std::shared_ptr<grpc::Channel> CrashHarness::NewChannel() const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
}

absl::btree_set<std::string> CrashHarness::AllChambers() const {
  absl::btree_set<std::string> all;
  for (const auto& writer : writers_) {
    all.insert(writer->chambers_written().begin(), writer->chambers_written().end());
  }
  return all;
}

void CrashHarness::Violation(int cycle, const std::string& message) {
  std::string line = absl::StrCat("cycle ", cycle, ": ", message);
  std::fprintf(stderr, "VIOLATION %s\n", line.c_str());
  violations_.push_back(std::move(line));
}

bool CrashHarness::Setup() {
  std::string pattern = (std::filesystem::temp_directory_path() / "socio-crash-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "socio-crash-harness: cannot make a temporary directory\n");
    return false;
  }
  work_dir_ = pattern;
  remove_work_dir_ = true;
  data_dir_ = options_.data_dir.empty() ? work_dir_ + "/data" : options_.data_dir;
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

  // The reference data of sociod's defaults, so the rebuilt index scores as
  // the server's does.
  reference::ReferenceOptions reference_options;
  reference_options.dictionary_dir = reference::kDebianDictionaryDir;
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load(reference_options);
  if (!reference.ok()) {
    std::fprintf(stderr, "socio-crash-harness: reference data: %s\n",
                 reference.status().ToString().c_str());
    return false;
  }
  reference_ = *std::move(reference);
  tables_ = std::make_shared<const matcher::ScoringTables>(reference_);

  for (int i = 0; i < kChamberBookSample; ++i) {
    const socio::v1::Profile p = generator_.Generate(i);
    std::vector<std::string>& chambers = chambers_[p.country()];
    if (std::find(chambers.begin(), chambers.end(), p.chamber_id()) == chambers.end()) {
      chambers.push_back(p.chamber_id());
    }
  }
  // Writer 0 owns half the first profiles, so its imports span several
  // batches; the others share the rest.
  std::vector<int> owned(static_cast<size_t>(options_.writers), 0);
  for (int i = 0; i < options_.profiles; ++i) ++owned[OwnerOf(i)];
  for (int w = 0; w < options_.writers; ++w) {
    writers_.push_back(std::make_unique<CrashWriter>(WriterOptions{
        .number = w,
        .target_present = std::max(1, owned[static_cast<size_t>(w)]),
        .max_import_items = options_.max_import_items,
        .generator = &generator_,
        .next_index = &next_index_,
        .chambers = &chambers_,
    }));
  }
  return true;
}

size_t CrashHarness::OwnerOf(int i) const {
  if (options_.writers == 1 || i % 2 == 0) return 0;
  return 1 + static_cast<size_t>(i / 2 % (options_.writers - 1));
}

bool CrashHarness::StartServer() {
  const int start = ++starts_;
  const std::string prefix = absl::StrCat(work_dir_, "/sociod-", start);
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
  if (start > 2) {
    std::error_code ignored;
    for (const char* suffix : {".out", ".err"}) {
      std::filesystem::remove(absl::StrCat(work_dir_, "/sociod-", start - 2, suffix), ignored);
    }
  }
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
  std::vector<Write> owned(writers_.size());
  socio::v1::ImportProfilesSummary summary;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(5)));
  auto stub = socio::v1::ProfileService::NewStub(NewChannel());
  auto stream = stub->ImportProfiles(&context, &summary);
  socio::v1::ImportProfilesRequest message;
  for (int i = 0; i < options_.profiles; ++i) {
    socio::v1::Profile profile = generator_.Generate(next_index_.fetch_add(1));
    ProfileState state = StateOf(profile);
    state.version = 1;
    Write& write = owned[OwnerOf(i)];
    write.kind = Write::kImport;
    write.outcomes.emplace_back(profile.id(), std::move(state));
    *message.add_profiles() = std::move(profile);
    if (message.profiles_size() == kInitialChunk || i + 1 == options_.profiles) {
      if (!stream->Write(message)) break;
      message.Clear();
    }
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok() || summary.created() != options_.profiles) {
    std::fprintf(stderr,
                 "socio-crash-harness: importing the first %d profiles: %d %s (%lld created)\n",
                 options_.profiles, status.error_code(), status.error_message().c_str(),
                 static_cast<long long>(summary.created()));
    return false;
  }
  for (size_t w = 0; w < writers_.size(); ++w) {
    writers_[w]->ledger().Begin(std::move(owned[w]));
    writers_[w]->ledger().Acknowledge();
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
  std::vector<WriterLedger*> ledgers;
  for (auto& writer : writers_) ledgers.push_back(&writer->ledger());
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
  const bool from_start = cycle == 0 || cycle == options_.cycles ||
                          (options_.full_log_every > 0 && cycle % options_.full_log_every == 0);
  const int64_t read_before = log_.entries_read();
  log_.Verify(*stub, from_start, expected_last, accounting, *stored, &found);
  totals_.log_entries_read += log_.entries_read() - read_before;
  take();

  // 3. The chamber index equals the profiles.
  report->chamber_entries = CheckChamberIndex(*stub, *stored, AllChambers(), &found);
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
  report.kill_ms = options_.kill_min_ms +
                   static_cast<int>(rng_() % static_cast<uint64_t>(options_.kill_max_ms -
                                                                   options_.kill_min_ms + 1));
  const absl::Time cycle_start = absl::Now();
  std::atomic<bool> stop = false;
  std::atomic<bool> killed = false;
  std::vector<std::thread> threads;
  for (size_t w = 0; w < writers_.size(); ++w) {
    const uint64_t seed = options_.seed * 1000003 + static_cast<uint64_t>(cycle) * 1009 + w;
    threads.emplace_back([this, w, seed, channel = NewChannel(), &stop, &killed] {
      writers_[w]->Run(channel, seed, stop, killed);
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
  for (auto& writer : writers_) {
    for (const std::string& error : writer->errors()) Violation(cycle, error);
    report.acknowledged.Add(writer->TakeCounts());
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
  totals_.in_flight_writes += report.ledger.in_flight_writes;
  totals_.in_flight_items += report.ledger.in_flight_items;
  totals_.landed_writes += report.ledger.landed_writes;
  totals_.landed_items += report.ledger.landed_items;
  totals_.partial_imports += report.ledger.partial_imports;
  for (size_t k = 0; k < totals_.in_flight_by_kind.size(); ++k) {
    totals_.in_flight_by_kind[k] += report.ledger.in_flight_by_kind[k];
    totals_.landed_by_kind[k] += report.ledger.landed_by_kind[k];
  }
  if (report.ledger.in_flight_writes > 0) ++totals_.unfinished_kills;

  const WriterCounts& a = report.acknowledged;
  std::fprintf(stderr,
               "cycle %d/%d: killed at %d ms: %lld writes acknowledged (%lld creates, %lld "
               "updates, %lld deletes, %lld imports of %lld items), %lld in flight (%lld of "
               "%lld items landed); back in %.2f s with %lld profiles, log at %llu; %s (%d/4 "
               "checks; %d members matched) [%.1f s]\n",
               cycle, options_.cycles, report.kill_ms, static_cast<long long>(a.writes()),
               static_cast<long long>(a.creates), static_cast<long long>(a.updates),
               static_cast<long long>(a.deletes), static_cast<long long>(a.imports),
               static_cast<long long>(a.import_items),
               static_cast<long long>(report.ledger.in_flight_writes),
               static_cast<long long>(report.ledger.landed_items),
               static_cast<long long>(report.ledger.in_flight_items), report.restart_seconds,
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
  const absl::btree_set<std::string> chambers = AllChambers();
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

namespace {

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace

void CrashHarness::PrintSummary(double wall_seconds, const std::string& final_note) const {
  const WriterCounts& a = totals_.acknowledged;
  const HarnessTotals& t = totals_;
  constexpr Write::Kind kKinds[] = {Write::kCreate, Write::kUpdate, Write::kDelete, Write::kImport};
  if (options_.json) {
    std::vector<std::string> by_kind;
    for (Write::Kind kind : kKinds) {
      by_kind.push_back(absl::StrFormat("\"%s\": {\"in_flight\": %d, \"landed\": %d}",
                                        KindName(kind), t.in_flight_by_kind[kind],
                                        t.landed_by_kind[kind]));
    }
    std::vector<std::string> violations;
    for (const std::string& v : violations_) violations.push_back(JsonString(v));
    std::string json = absl::StrFormat(
        "{\"cycles\": %d, \"seed\": %d, \"writers\": %d, \"initial_profiles\": %d, ", t.cycles,
        options_.seed, options_.writers, options_.profiles);
    absl::StrAppend(
        &json,
        absl::StrFormat(
            "\"writes_acknowledged\": %d, \"acknowledged\": {\"creates\": %d, \"updates\": %d, "
            "\"updates_with_expected_version\": %d, \"deletes\": %d, "
            "\"deletes_with_expected_version\": %d, \"imports\": %d, \"import_items\": %d}, "
            "\"changes_acknowledged\": %d, ",
            a.writes(), a.creates, a.updates, a.checked_updates, a.deletes, a.checked_deletes,
            a.imports, a.import_items, a.changes()),
        absl::StrFormat(
            "\"in_flight_at_kill\": {\"writes\": %d, \"items\": %d, \"items_landed\": %d, "
            "\"writes_landed_whole\": %d, \"imports_landed_in_part\": %d, "
            "\"kills_with_writes_in_flight\": %d, \"by_kind\": {%s}}, ",
            t.in_flight_writes, t.in_flight_items, t.landed_items, t.landed_writes,
            t.partial_imports, t.unfinished_kills, absl::StrJoin(by_kind, ", ")),
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
            JsonString(final_note), wall_seconds, absl::StrJoin(violations, ", ")));
    std::printf("%s\n", json.c_str());
    return;
  }
  std::vector<std::string> by_kind;
  for (Write::Kind kind : kKinds) {
    by_kind.push_back(absl::StrFormat("%d %ss (%d landed)", t.in_flight_by_kind[kind],
                                      KindName(kind), t.landed_by_kind[kind]));
  }
  std::string text =
      absl::StrFormat("socio-crash-harness: %d cycles (seed %d, %d writers, %d initial profiles)\n",
                      t.cycles, options_.seed, options_.writers, options_.profiles);
  absl::StrAppend(
      &text,
      absl::StrFormat("  acknowledged writes: %d (%d creates, %d updates of which %d with "
                      "expected_version, %d deletes of which %d with expected_version, %d "
                      "imports of %d items); %d changes\n",
                      a.writes(), a.creates, a.updates, a.checked_updates, a.deletes,
                      a.checked_deletes, a.imports, a.import_items, a.changes()),
      absl::StrFormat("  in flight at the kills: %d writes (%d items) in %d of %d kills: %s; "
                      "landed: %d items, %d writes whole, %d imports in whole batches\n",
                      t.in_flight_writes, t.in_flight_items, t.unfinished_kills, t.cycles,
                      absl::StrJoin(by_kind, ", "), t.landed_items, t.landed_writes,
                      t.partial_imports),
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
    remove_work_dir_ = false;
    std::fprintf(stderr, "socio-crash-harness: files kept in %s\n", work_dir_.c_str());
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
    remove_work_dir_ = false;
    std::fprintf(stderr, "socio-crash-harness: data and sociod's output kept in %s%s%s\n",
                 work_dir_.c_str(), options_.data_dir.empty() ? "" : " and ",
                 options_.data_dir.c_str());
    return violations_.empty() ? 2 : 1;
  }
  return 0;
}

}  // namespace socio::fault
