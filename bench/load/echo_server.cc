// socio-echo-server: a gRPC server that does nothing, the baseline
// socio-bench-load measures sociod against.
//
//   socio-echo-server [--listen 127.0.0.1:0]
//
// Serves EchoService (bench/load/echo.proto) with the synchronous API, as
// sociod serves its services, with sociod's message size limit and gRPC's
// default pool of polling threads (echo_service.h says why); no
// interceptors, no auth, no storage. Prints
// "socio-echo-server: serving on HOST:PORT" on stderr once it serves; SIGTERM
// or SIGINT stops it.
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "bench/load/echo_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  CLI::App app{"socio-echo-server: a no-op gRPC server, the baseline of socio-bench-load"};
  app.add_option("--listen", listen, "host:port to serve on (port 0: any free port)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  // Taken synchronously below; gRPC's threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  socio::bench::EchoServiceImpl service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  socio::bench::ConfigureEchoServer(builder);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "socio-echo-server: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::fprintf(stderr, "socio-echo-server: serving on %s:%d\n", host.c_str(), port);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server->Shutdown();
  return 0;
}
