// A Channel is what every typed client of sociod (ProfileClient,
// MatchClient, DelegationClient, AdminClient) is built on: the gRPC channel
// made by MakeChannel, the token resolved once, and the default deadline.
// It makes each call's context and turns the call's grpc::Status into an
// absl::Status (clients/grpc_status.h), so that the clients' methods are one
// line each.
//
//   std::shared_ptr<const Channel> channel = Channel::Open(options);
//   if (!channel->status().ok()) ...     // optional: calls would report it too
//   ProfileClient profiles(channel);
//
// Thread-safe: one Channel serves any number of clients and threads.
#ifndef SOCIO_CLIENTS_CHANNEL_H_
#define SOCIO_CLIENTS_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/client_options.h"
#include "clients/grpc_status.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace socio::clients {

class Channel {
 public:
  // A channel made from `options` (MakeChannel, ResolveToken). Never fails:
  // if an option is wrong (a PEM or token file that cannot be read), status()
  // says so and every call made on the channel fails with that status,
  // without reaching the network.
  static std::shared_ptr<const Channel> Open(const ClientOptions& options);

  // A Channel over a gRPC channel made elsewhere (tests, in-process
  // servers); the TLS fields of `options` are not used, the token is.
  static std::shared_ptr<const Channel> Wrap(std::shared_ptr<grpc::Channel> channel,
                                             const ClientOptions& options);

  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // OK, or why the options could not make a channel.
  const absl::Status& status() const { return status_; }
  // Never null (a channel that is never used when status() is not OK).
  const std::shared_ptr<grpc::Channel>& grpc_channel() const { return channel_; }
  const ClientOptions& options() const { return options_; }

  // The context of one call: the deadline (call's, else the client's), the
  // authorization and the consistency token. status() if it is not OK;
  // UNAUTHENTICATED if the authorization holds characters gRPC metadata
  // cannot carry (outside printable ASCII), which gRPC would otherwise abort
  // the process on; INVALID_ARGUMENT for such a consistency token or one
  // over 64 characters.
  // `streaming_read`: a server stream (WatchProfiles) has no deadline
  // unless the call gives one.
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> NewContext(
      const CallOptions& call, bool streaming_read = false) const;

  // Makes one unary call: the response, or the call's error as an
  // absl::Status with the server's code and message.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub* stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request, const CallOptions& call) const {
    absl::StatusOr<std::unique_ptr<grpc::ClientContext>> context = NewContext(call);
    if (!context.ok()) return context.status();
    Response response;
    const grpc::Status status = (stub->*method)(context->get(), request, &response);
    KeepConsistencyToken(**context, call.answered_consistency_token);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  // Puts the consistency token the finished call of `context` was answered
  // with in `*answered`, if `answered` is not null and there is one.
  static void KeepConsistencyToken(const grpc::ClientContext& context, std::string* answered);

 private:

  Channel(std::shared_ptr<grpc::Channel> channel, ClientOptions options, absl::Status status,
          std::string authorization);

  const std::shared_ptr<grpc::Channel> channel_;
  const ClientOptions options_;
  const absl::Status status_;
  const std::string authorization_;  // "Bearer <token>" or ""
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CHANNEL_H_
