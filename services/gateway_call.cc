#include "services/gateway_call.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "clients/connection.h"
#include "services/auth.h"

namespace socio::services::gateway {

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> NewCallContext(const ApiRequest& request,
                                                                    absl::Duration deadline) {
  // gRPC aborts the process on metadata it cannot send; refuse it here.
  const bool printable = std::all_of(request.authorization.begin(), request.authorization.end(),
                                     [](char c) { return c >= 0x20 && c <= 0x7e; });
  if (!printable) {
    return absl::UnauthenticatedError(
        "the Authorization header holds characters a bearer token cannot have");
  }
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  if (!request.authorization.empty()) {
    context->AddMetadata(kAuthorizationKey, request.authorization);
  }
  return context;
}

std::string RequestIdOf(const ApiRequest& request) {
  return clients::RequestId(request.idempotency_key);
}

}  // namespace socio::services::gateway
