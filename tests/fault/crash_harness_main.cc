// socio-crash-harness: SIGKILLs a real sociod while writers are busy, again
// and again, and checks after every restart that acknowledged writes
// survived whole and unacknowledged ones are whole or absent (see
// crash_harness.h and docs/RELIABILITY.md).
//
//   build/tests/fault/socio-crash-harness --cycles 200 --seed 1
//
// Progress goes to stderr, one line per cycle; the summary to stdout (JSON
// with --json). Exit status 0: no violation; 1: violations, each on stderr
// with what was expected and what was found; 2: the harness could not run.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "tests/fault/crash_harness.h"

int main(int argc, char** argv) {
  socio::fault::HarnessOptions options;
  CLI::App app{"socio-crash-harness: kill sociod with SIGKILL under load and check its data"};
  app.add_option("--cycles", options.cycles, "kill and restart cycles")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--seed", options.seed, "seeds the profiles, the writes and the kill times")
      ->capture_default_str();
  app.add_option("--writers", options.writers, "concurrent writer threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--profiles", options.profiles, "profiles imported before the first cycle")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  app.add_option("--data_dir", options.data_dir,
                 "sociod's data directory, new or empty (default: a temporary directory, "
                 "removed after a run without violations)");
  app.add_option("--sociod", options.sociod, "the sociod binary (default: this build's)");
  app.add_flag("--json", options.json, "print the summary as JSON");
  app.add_option("--kill_min_ms", options.kill_min_ms,
                 "earliest kill, in ms after the writers start")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  app.add_option("--kill_max_ms", options.kill_max_ms, "latest kill, in ms after the writers start")
      ->capture_default_str()
      ->check(CLI::Range(0, 600000));
  app.add_option("--max_import_items", options.max_import_items,
                 "largest ImportProfiles stream, in profiles")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--matcher_sample", options.matcher_sample,
                 "members whose FindPartners answers are compared per cycle")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  app.add_option("--full_log_every", options.full_log_every,
                 "read the change log from sequence 0 every this many cycles (else from near "
                 "the last check); the first and last check always do")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  app.add_option("--clean_restart_every", options.clean_restart_every,
                 "also stop sociod with SIGTERM and restart it every this many cycles, so later "
                 "starts load a fresh index snapshot; 0: never")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  app.add_option("--sync_writes", options.sync_writes, "sociod's --sync_writes")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (options.kill_max_ms < options.kill_min_ms) {
    std::fprintf(stderr, "socio-crash-harness: --kill_max_ms is below --kill_min_ms\n");
    return 2;
  }
  socio::fault::CrashHarness harness(options);
  return harness.Run();
}
