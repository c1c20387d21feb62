#include "gateway/call.h"

namespace socio::gateway {

clients::CallOptions CallOf(const ApiRequest& request) {
  clients::CallOptions call;
  call.authorization = request.authorization;
  return call;
}

std::string RequestIdOf(const ApiRequest& request) {
  return clients::RequestId(request.idempotency_key);
}

}  // namespace socio::gateway
