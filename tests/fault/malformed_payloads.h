// Request bytes no well-behaved client sends, for every RPC of Socio's four
// services: random bytes, truncated messages, oversized ones; and what the
// server must make of them.
//
//   for (const RpcMethod& method : SocioMethods()) {
//     std::string bytes = FilledRequest(method).substr(0, 7);  // truncated
//     bool parses = Parses(method, bytes);
//   }
#ifndef SOCIO_TESTS_FAULT_MALFORMED_PAYLOADS_H_
#define SOCIO_TESTS_FAULT_MALFORMED_PAYLOADS_H_

#include <random>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace socio::fault {

struct RpcMethod {
  std::string path;  // "/socio.v1.ProfileService/CreateProfile"
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  bool client_streaming() const { return descriptor->client_streaming(); }
  bool server_streaming() const { return descriptor->server_streaming(); }
};

// Every method of ProfileService, MatchService, DelegationService and
// AdminService, in declaration order.
std::vector<RpcMethod> SocioMethods();

// The method's request with every field set (strings "x1", numbers 1, the
// first non-zero enum value, two elements per repeated field, messages three
// levels deep), serialized.
std::string FilledRequest(const RpcMethod& method);

// Whether `bytes` parse as the method's request type.
bool Parses(const RpcMethod& method, const std::string& bytes);

// `size` bytes drawn from `rng`.
std::string RandomBytes(std::mt19937_64& rng, size_t size);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_MALFORMED_PAYLOADS_H_
