#include "gateway/call.h"

namespace socio::gateway {

clients::CallOptions CallOf(const ApiRequest& request) {
  clients::CallOptions call;
  call.authorization = request.authorization;
  call.consistency_token = request.consistency_token;
  call.answered_consistency_token = &request.answered_consistency_token;
  return call;
}

std::string RequestIdOf(const ApiRequest& request) {
  return clients::RequestId(request.idempotency_key);
}

std::string SafeFileName(std::string name) {
  for (char& c : name) {
    if (c == '"' || c == '\\' || c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = '_';
    }
  }
  return name;
}

}  // namespace socio::gateway
