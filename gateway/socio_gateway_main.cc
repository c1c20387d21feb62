// socio-gateway: Socio's JSON API over HTTP, in front of a sociod, and the
// web console's files (docs/GATEWAY.md).
//
//   socio-gateway --server 127.0.0.1:50051 --listen 127.0.0.1:8080 --web_dir clients/web
//
// Callers send `Authorization: Bearer <token>`; the gateway hands it to
// sociod unchanged. SIGTERM or SIGINT stops it after the requests in
// progress.
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "CLI/CLI.hpp"
#include "gateway/gateway.h"

int main(int argc, char** argv) {
  socio::gateway::GatewayOptions options;
  double deadline_seconds = 30;
  CLI::App app{"socio-gateway: Socio's JSON API over HTTP, calling a sociod over gRPC"};
  app.add_option("--server", options.server, "host:port of sociod")->capture_default_str();
  app.add_option("--listen", options.listen,
                 "host:port to serve HTTP on (port 0: any free port); plain HTTP, so loopback "
                 "or behind a TLS proxy")
      ->capture_default_str();
  app.add_option("--tls_ca", options.tls_ca,
                 "PEM CAs of sociod's TLS certificate (speak TLS to sociod)")
      ->check(CLI::ExistingFile);
  app.add_option("--web_dir", options.web_dir,
                 "serve the web console's files from this directory at / (paths outside /api/)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--deadline_seconds", deadline_seconds, "how long each call to sociod may take")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--threads", options.threads, "requests served at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--max_body_bytes", options.max_body_bytes,
                 "largest request body (an import file), in bytes")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 32));
  CLI11_PARSE(app, argc, argv);
  options.deadline = absl::Seconds(deadline_seconds);

  // Signals are taken synchronously by this thread; the threads the gateway
  // starts inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<socio::gateway::Gateway>> gateway =
      socio::gateway::Gateway::Start(options);
  if (!gateway.ok()) {
    std::fprintf(stderr, "socio-gateway: %s\n", gateway.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "socio-gateway: calling sociod at %s%s\n", options.server.c_str(),
               options.tls_ca.empty() ? "" : " (TLS)");
  // Scripts read the bound port from this line; keep its form.
  std::fprintf(stderr, "socio-gateway: serving on http://%s\n", (*gateway)->address().c_str());

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "socio-gateway: %s received, stopping\n", strsignal(signal_number));
  (*gateway)->Stop();
  return 0;
}
