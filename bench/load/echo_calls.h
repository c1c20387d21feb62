// The calls socio-bench-load makes to socio-echo-server: one Echo shape per
// kind of Socio call, with that kind's request and response sizes, mixed in
// the same shares, so the echo run carries the same bytes as the Socio run.
#ifndef SOCIO_BENCH_LOAD_ECHO_CALLS_H_
#define SOCIO_BENCH_LOAD_ECHO_CALLS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/load/closed_loop.h"
#include "bench/load/echo.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace socio::bench {

// Echo calls that stand for one kind of Socio call.
struct EchoShape {
  std::string name;
  // Serialized sizes of the EchoRequest and the EchoReply, in bytes; the
  // payloads are cut to make them so, as near as the encoding allows.
  int request_bytes = 0;
  int reply_bytes = 0;
  // Share of the calls with this shape, in percent; the shares add up to 100.
  int percent = 0;
};

class EchoCalls final : public CallSource {
 public:
  // REQUIRES: shapes is not empty.
  EchoCalls(const std::shared_ptr<grpc::Channel>& channel, std::vector<EchoShape> shapes, int slots,
            uint64_t seed);

  int slots() const override { return static_cast<int>(slots_.size()); }
  std::vector<std::string> KindNames() const override;
  void Start(int slot, std::function<void(const CallOutcome&)> done) override;

 private:
  struct Slot {
    std::mt19937_64 random;
    std::unique_ptr<grpc::ClientContext> context;
    socio::bench::v1::EchoReply reply;
  };

  // Which shape a percentile draw 0..99 falls in.
  int ShapeFor(int draw) const;

  std::unique_ptr<socio::bench::v1::EchoService::Stub> stub_;
  const std::vector<EchoShape> shapes_;
  // One ready request per shape; calls only read them.
  std::vector<socio::bench::v1::EchoRequest> requests_;
  std::vector<Slot> slots_;
};

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_ECHO_CALLS_H_
