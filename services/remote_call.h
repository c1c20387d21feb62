// How one Socio role calls another (the planner the matcher, the matcher the
// profile role): channels that reconnect quickly after the peer restarts and
// carry large replies, and per-call deadlines and bearer tokens.
//
//   std::shared_ptr<grpc::Channel> channel =
//       NewRoleChannel("10.0.0.7:50051", grpc::InsecureChannelCredentials());
//   grpc::ClientContext context;
//   PrepareCall({.deadline = absl::Seconds(10), .token = token}, &context);
//   grpc::Status status = stub->GetProfile(&context, request, &profile);
#ifndef SOCIO_SERVICES_REMOTE_CALL_H_
#define SOCIO_SERVICES_REMOTE_CALL_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"

namespace socio::services {

struct RemoteCallOptions {
  // How long each call may take. Default: 10 s.
  absl::Duration deadline = absl::Seconds(10);
  // Sent as "authorization: Bearer <token>" with every call. Default: empty,
  // no authorization metadata.
  std::string token;
};

// A channel to `address` ("host:port") that accepts replies up to
// `max_message_bytes` and, once the peer is gone, tries to reconnect after
// 50 ms, doubling up to 2 s (gRPC's own default waits up to 2 minutes).
std::shared_ptr<grpc::Channel> NewRoleChannel(
    const std::string& address, const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    int max_message_bytes = 16 * 1024 * 1024);

// Adds the bearer token, if any, to `context`.
void AddBearerToken(const std::string& token, grpc::ClientContext* context);

// Sets the deadline (from now) and adds the bearer token.
void PrepareCall(const RemoteCallOptions& options, grpc::ClientContext* context);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_REMOTE_CALL_H_
