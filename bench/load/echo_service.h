// EchoServiceImpl: the no-op EchoService (echo.proto) the benchmarks compare
// Socio with: socio-echo-server serves it as a process of its own for
// socio-bench-load, socio-bench-store in process for a round trip's floor.
//
//   socio::bench::EchoServiceImpl service;
//   socio::bench::ConfigureEchoServer(builder);
//   builder.RegisterService(&service);
//
// Thread safety: Echo may be called from any number of threads at once.
#ifndef SOCIO_BENCH_LOAD_ECHO_SERVICE_H_
#define SOCIO_BENCH_LOAD_ECHO_SERVICE_H_

#include "bench/load/echo.grpc.pb.h"
#include "grpcpp/server_builder.h"

namespace socio::bench {

// sociod's default message size limit (SociodOptions::max_message_bytes).
inline constexpr int kEchoMaxMessageBytes = 16 * 1024 * 1024;
// Sets `builder` up for the echo server: sociod's message size limits, and
// gRPC's own pool of polling threads (1-2). sociod keeps 2-32 (services/
// server.cc); with 16 clients calling at once that pool made this server
// slower (socio-bench-store, runs an hour apart: 166 us of CPU per call
// against 98), so the baseline keeps what gRPC does best.
inline void ConfigureEchoServer(grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(kEchoMaxMessageBytes);
  builder.SetMaxSendMessageSize(kEchoMaxMessageBytes);
}

class EchoServiceImpl final : public socio::bench::v1::EchoService::Service {
 public:
  // Answers with request->reply_bytes() bytes of 'x'; INVALID_ARGUMENT past
  // the message size limit.
  grpc::Status Echo(grpc::ServerContext* /*context*/, const socio::bench::v1::EchoRequest* request,
                    socio::bench::v1::EchoReply* reply) override {
    if (request->reply_bytes() < 0 || request->reply_bytes() > kEchoMaxMessageBytes) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "reply_bytes: out of range");
    }
    reply->mutable_payload()->assign(request->reply_bytes(), 'x');
    return grpc::Status::OK;
  }
};

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_ECHO_SERVICE_H_
