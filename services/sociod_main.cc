// sociod: the Socio server. Serves the gRPC API over an embedded RocksDB.
//
//   sociod --data_dir ./socio-data --listen 127.0.0.1:50051
//
// SIGTERM or SIGINT shuts it down gracefully: health turns NOT_SERVING,
// in-flight calls finish (up to --grace_seconds), RocksDB is closed cleanly.
#include <signal.h>

#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "services/server.h"

int main(int argc, char** argv) {
  socio::services::SociodOptions options;
  double grace_seconds = 10;
  CLI::App app{"sociod: Socio's server (profiles over gRPC on an embedded RocksDB)"};
  app.add_option("--data_dir", options.data_dir, "RocksDB data directory (created if missing)")
      ->capture_default_str();
  app.add_option("--listen", options.listen, "host:port to serve gRPC on (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--sync_writes", options.sync_writes,
                 "fsync the write-ahead log before acknowledging a write; false keeps "
                 "acknowledged writes across a crash of sociod but not of the machine")
      ->capture_default_str();
  app.add_option("--max_message_bytes", options.max_message_bytes,
                 "largest gRPC message accepted or sent")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1 << 30));
  app.add_option("--nace_catalog", options.reference.nace_catalog_csv,
                 "NACE Rev. 2 catalog CSV (Eurostat's columns: order,level,code,parent,title): "
                 "checks groups and classes exactly and adds their titles; without it, sections "
                 "and divisions are exact and groups and classes are checked by structure");
  app.add_option("--hofstede_csv", options.reference.hofstede_csv,
                 "Hofstede's six cultural dimensions per country (columns iso2, entity_type, "
                 "pdi, idv, mas, uai, ltowvs, ivr); without it, culture closeness uses shared "
                 "languages, regions and working-hour overlap only");
  app.add_option("--grace_seconds", grace_seconds,
                 "on SIGTERM/SIGINT, how long in-flight calls may take to finish")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  CLI11_PARSE(app, argc, argv);

  // Signals are taken synchronously by this thread; every thread gRPC starts
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<socio::services::Sociod>> server =
      socio::services::Sociod::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "sociod: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "sociod: serving on %s, data in %s\n", (*server)->address().c_str(),
               options.data_dir.c_str());

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "sociod: %s received, shutting down\n", strsignal(signal_number));
  (*server)->Shutdown(absl::Seconds(grace_seconds));
  server->reset();
  std::fprintf(stderr, "sociod: stopped cleanly\n");
  return 0;
}
