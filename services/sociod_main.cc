// sociod: the Socio server. Serves the gRPC API over an embedded RocksDB.
//
//   sociod --data_dir ./socio-data --listen 127.0.0.1:50051
//
// Callers present bearer tokens (see AdminService); at the first start an
// operator token is written to DATA_DIR/admin.token. --dev_insecure turns
// tokens off on loopback addresses.
//
// SIGTERM or SIGINT shuts it down gracefully: health turns NOT_SERVING,
// in-flight calls finish (up to --grace_seconds), RocksDB is closed cleanly.
#include <signal.h>

#include <cstdio>
#include <fstream>
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
  app.add_flag("--accept_wal_data_loss", options.accept_wal_data_loss,
               "start even though the write-ahead log is damaged before its end, keeping the "
               "writes before the damage and dropping the rest (acknowledged ones too); "
               "without it such a start fails with DATA_LOSS. For one start, after the backup "
               "was found missing or older");
  app.add_option("--max_message_bytes", options.max_message_bytes,
                 "largest gRPC message accepted or sent")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1 << 30));
  app.add_option("--nace_catalog", options.reference.nace_catalog_csv,
                 "NACE Rev. 2 catalog CSV (Eurostat's columns: order,level,code,parent,title): "
                 "replaces the built-in groups and classes (every level of Eurostat's NACE Rev. 2 "
                 "is built in; the file's sections and divisions must be Eurostat's)");
  app.add_option("--hofstede_csv", options.reference.hofstede_csv,
                 "Hofstede's six cultural dimensions per country (columns iso2, entity_type, "
                 "pdi, idv, mas, uai, ltowvs, ivr); without it, culture closeness uses shared "
                 "languages, regions and working-hour overlap only");
  app.add_option("--travel_times_csv", options.reference.travel_times_csv,
                 "travel minutes between the places of delegation programmes (columns from, to, "
                 "minutes; either way): used where a delegation's own travel_times do not list "
                 "two places, before their coordinates")
      ->check(CLI::ExistingFile);
  options.reference.dictionary_dir = socio::reference::kDebianDictionaryDir;
  app.add_option("--dictionary_dir", options.reference.dictionary_dir,
                 "FreeDict dictionaries (dictd format, Debian's dict-freedict-spa-eng, -por-eng, "
                 "-deu-eng, -fra-eng, -ita-eng) for matching text across Spanish, Portuguese, "
                 "German, French, Italian and English; empty or missing: text matches words of "
                 "the same language only")
      ->capture_default_str();
  app.add_flag("--dev_insecure", options.dev_insecure,
               "development only: no tokens, every caller is an operator; refused unless "
               "--listen is a loopback address");
  app.add_option("--admin_token_file", options.admin_token_file,
                 "where the first operator token is written (mode 0600) when the data has no "
                 "valid operator token (default: DATA_DIR/admin.token)");
  app.add_option("--tls_cert", options.tls_cert, "PEM certificate chain: serve TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls_key", options.tls_key, "PEM private key of --tls_cert")
      ->check(CLI::ExistingFile);
  app.add_option("--tls_client_ca", options.tls_client_ca,
                 "PEM CA certificates: require client certificates they signed (mutual TLS)")
      ->check(CLI::ExistingFile);
  app.add_option("--metrics_listen", options.metrics_listen,
                 "host:port to serve Prometheus metrics on (GET /metrics); empty: off");
  std::string log_level = "info";
  app.add_option("--log_level", log_level,
                 "request log on stderr: debug (every call), info (writes), warning "
                 "(server errors), off")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warning", "off"}));
  std::string store = "embedded";
  app.add_option("--store", store,
                 "where the records are kept: embedded (RocksDB in --data_dir, the default) or "
                 "etcd (this process is one node of a cluster: etcd holds the records, --data_dir "
                 "the node's copy of them; see docs/CLUSTER.md)")
      ->capture_default_str()
      ->check(CLI::IsMember({"embedded", "etcd"}));
  app.add_option("--etcd_endpoints", options.etcd_endpoints,
                 "with --store etcd: the etcd members' client addresses, host:port,...")
      ->delimiter(',');
  std::string role = "all";
  app.add_option("--role", role,
                 "what this process serves: all (one process, the default), profiles, matcher "
                 "or planner (a split deployment, one process per role)")
      ->capture_default_str()
      ->check(CLI::IsMember({"all", "profiles", "matcher", "planner"}));
  app.add_option("--profiles_server", options.profiles_server,
                 "matcher and planner roles: host:port of the profile role");
  app.add_option("--matcher_server", options.matcher_server,
                 "planner role: host:port of the matcher role");
  app.add_option("--peer_token_file", options.peer_token_file,
                 "matcher and planner roles: file holding the operator token they call the "
                 "other roles with")
      ->check(CLI::ExistingFile);
  app.add_option("--peer_tls_ca", options.peer_tls_ca,
                 "PEM CAs of the other roles' TLS certificates (speak TLS to them)")
      ->check(CLI::ExistingFile);
  // Notifications by e-mail and webhook.
  std::string smtp_password_file;
  double webhook_timeout_seconds = 10, backoff_seconds = 1, max_backoff_seconds = 60;
  app.add_option("--smtp_url", options.delivery.smtp_url,
                 "SMTP relay for notification e-mail, smtp://host:587 (STARTTLS when offered) "
                 "or smtps://host:465; empty: no e-mail");
  app.add_option("--smtp_user", options.delivery.smtp_user, "user name at the SMTP relay");
  app.add_option("--smtp_password_file", smtp_password_file,
                 "file holding the SMTP password (first line)")
      ->check(CLI::ExistingFile);
  app.add_option("--mail_from", options.delivery.mail_from,
                 "sender address of notification e-mail (required with --smtp_url)");
  app.add_option("--console_url", options.delivery.console_url,
                 "the web console's address, linked from notification e-mail");
  app.add_option("--webhooks", options.delivery.webhooks,
                 "deliver notifications to the webhooks recipients set")
      ->capture_default_str();
  app.add_option("--webhook_timeout_seconds", webhook_timeout_seconds,
                 "how long one webhook POST may take, answer included")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 300.0));
  app.add_option("--delivery_backoff_seconds", backoff_seconds,
                 "delay before a failed delivery is tried again; it doubles up to "
                 "--delivery_max_backoff_seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--delivery_max_backoff_seconds", max_backoff_seconds,
                 "longest delay between tries of one delivery")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  app.add_option("--delivery_max_attempts", options.delivery.max_attempts,
                 "tries of one delivery before it is parked for the operator")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--grace_seconds", grace_seconds,
                 "on SIGTERM/SIGINT, how long in-flight calls may take to finish")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  CLI11_PARSE(app, argc, argv);
  // CLI11 checked the value is one of the four.
  options.log_level = *socio::services::ParseLogLevel(log_level);
  options.role = *socio::services::ParseServerRole(role);
  options.store = *socio::services::ParseStoreKind(store);
  options.delivery.webhook_timeout = absl::Seconds(webhook_timeout_seconds);
  options.delivery.initial_backoff = absl::Seconds(backoff_seconds);
  options.delivery.max_backoff = absl::Seconds(max_backoff_seconds);
  if (!smtp_password_file.empty()) {
    std::ifstream in(smtp_password_file);
    std::getline(in, options.delivery.smtp_password);
    if (!in && options.delivery.smtp_password.empty()) {
      std::fprintf(stderr, "sociod: --smtp_password_file: cannot read %s\n",
                   smtp_password_file.c_str());
      return 1;
    }
  }

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
  if (const socio::storage::WalRecovery& wal = (*server)->wal_recovery(); wal.dropped) {
    std::fprintf(stderr,
                 "sociod: the write-ahead log was damaged; as --accept_wal_data_loss allows, the "
                 "writes after the damage were dropped: the data now ends at RocksDB sequence "
                 "%llu, the log held writes up to sequence %llu or later (%llu or more sequence "
                 "numbers, one per key written, dropped)\n",
                 static_cast<unsigned long long>(wal.recovered_sequence),
                 static_cast<unsigned long long>(wal.logged_sequence),
                 static_cast<unsigned long long>(wal.logged_sequence - wal.recovered_sequence));
  }
  if (!(*server)->admin_token_file().empty()) {
    std::fprintf(stderr,
                 "sociod: no operator token existed; one was written to %s (use it with "
                 "`socio --token_file %s admin ...`)\n",
                 (*server)->admin_token_file().c_str(), (*server)->admin_token_file().c_str());
  }
  if (options.dev_insecure) {
    std::fprintf(stderr, "sociod: development mode: no tokens asked for, every caller is an "
                         "operator\n");
  }
  if ((*server)->metrics_port() != 0) {
    std::fprintf(stderr, "sociod: metrics on http://%s:%d/metrics\n",
                 options.metrics_listen.substr(0, options.metrics_listen.rfind(':')).c_str(),
                 (*server)->metrics_port());
  }
  std::fprintf(stderr, "sociod: serving on %s, data in %s%s%s\n", (*server)->address().c_str(),
               options.data_dir.c_str(), options.tls_cert.empty() ? "" : " (TLS)",
               options.role == socio::services::ServerRole::kAll
                   ? ""
                   : (std::string(" (role ") + socio::services::RoleName(options.role) + ")")
                         .c_str());

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "sociod: %s received, shutting down\n", strsignal(signal_number));
  (*server)->Shutdown(absl::Seconds(grace_seconds));
  server->reset();
  std::fprintf(stderr, "sociod: stopped cleanly\n");
  return 0;
}
