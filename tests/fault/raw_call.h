// RawCall: a gRPC call of any method with request bytes sent as they are
// (grpc::GenericStub), for tests that send what no generated stub would:
// random bytes, truncated messages, oversized ones.
//
//   grpc::GenericStub stub(channel);
//   RawAnswer answer = RawCall(stub, "/socio.v1.ProfileService/GetProfile", {"\x0a\x01"}, {});
//   answer.status.error_code();  // INVALID_ARGUMENT, NOT_FOUND, ...
//
// Every method is called as a bidirectional stream: the request messages are
// written, the client half-closes, and the responses are read until the
// server ends the call, `response_limit` responses have come or no response
// has come for `quiet` (then the call is cancelled: a stream that is open and
// waiting for more changes ends CANCELLED).
#ifndef SOCIO_TESTS_FAULT_RAW_CALL_H_
#define SOCIO_TESTS_FAULT_RAW_CALL_H_

#include <chrono>
#include <string>
#include <vector>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/status.h"

namespace socio::fault {

struct RawCallOptions {
  // The call's deadline, from now; negative: already passed when it starts.
  std::chrono::milliseconds deadline = std::chrono::seconds(20);
  int response_limit = 16;
  std::chrono::milliseconds quiet = std::chrono::milliseconds(500);
};

struct RawAnswer {
  grpc::Status status;
  std::vector<std::string> responses;  // the response messages' bytes
};

RawAnswer RawCall(grpc::GenericStub& stub, const std::string& method,
                  const std::vector<std::string>& messages, const RawCallOptions& options);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_RAW_CALL_H_
