// How a program reaches sociod through the client library: the address, the
// bearer token, TLS, deadlines, message limits and the retry policy of the
// calls that are safe to repeat.
//
//   ClientOptions options;
//   options.address = "127.0.0.1:50051";
//   options.token_file = "/etc/socio/token";
//   std::shared_ptr<const Channel> channel = Channel::Open(options);   // clients/channel.h
//   ProfileClient profiles(channel);                                     //
//   clients/profile_client.h absl::StatusOr<Profile> profile = profiles.GetProfile(request);
//
// MakeChannel is the one place a gRPC channel to sociod is made; every
// client in clients/ (and the gateway, and the sociod roles that call each
// other) goes through it.
#ifndef SOCIO_CLIENTS_CLIENT_OPTIONS_H_
#define SOCIO_CLIENTS_CLIENT_OPTIONS_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace socio::clients {

struct ClientOptions {
  // host:port of sociod ("[v6]:port" for IPv6).
  std::string address;
  // The bearer token every call carries; else the first line of token_file.
  // Both empty: no authorization is sent (enough for a server in
  // development mode).
  std::string token;
  std::string token_file;
  // TLS: PEM file of the CAs the server's certificate must chain to. Empty
  // with tls_cert empty: plaintext; empty otherwise: the system's CAs.
  std::string tls_ca;
  // Mutual TLS: this client's certificate chain and private key, PEM files.
  std::string tls_cert;
  std::string tls_key;
  // How long each call may take, unless CallOptions says otherwise.
  // absl::InfiniteDuration(): no deadline. Default: 30 s.
  absl::Duration deadline = absl::Seconds(30);
  // Largest message sent or received, in bytes. Default: 16 MiB, as
  // sociod's own limit.
  int max_message_bytes = 16 * 1024 * 1024;
  // Whether calls that read only (Get*, List*, Find*, Explain*, Score*,
  // WhoAmI, GetStats, health checks, ...) are retried when they fail with
  // UNAVAILABLE: up to 4 attempts in all, backing off from 100 ms, within
  // the call's deadline. Calls that write are never retried by the channel.
  bool retry_idempotent = true;
  // Prefixed to option names in errors: "--" makes "--tls_ca: cannot read
  // 'x'" for a command line, "peer_" makes "peer_tls_ca: ...".
  std::string option_prefix;
};

// The metadata key of the consistency token a cluster node's answers carry
// in their trailing metadata and calls may send back (docs/CLUSTER.md).
inline constexpr char kConsistencyTokenKey[] = "socio-consistency-token";
// The longest consistency token a call may send.
inline constexpr size_t kMaxConsistencyToken = 64;

// What one call may change of the client's options.
struct CallOptions {
  // The whole `authorization` metadata value ("Bearer <token>") sent instead
  // of the client's token; "" sends none. The gateway passes a request's
  // Authorization header through this way. Unset: the client's token.
  std::optional<std::string> authorization;
  // The call's deadline from now instead of the client's; InfiniteDuration:
  // none. Unset: the client's.
  std::optional<absl::Duration> deadline;
  // A consistency token an earlier answer of a cluster node carried
  // (docs/CLUSTER.md), sent as `socio-consistency-token` metadata so that
  // the node serving this call has applied as much first; "" sends none.
  std::string consistency_token;
  // Where a unary call, or an import at ImportStream::Finish, puts the
  // consistency token its answer carried, error or not (left as it is when
  // it carried none). Not owned; may be null.
  std::string* answered_consistency_token = nullptr;

  // The options of a call made with `token` instead of the client's.
  static CallOptions WithToken(const std::string& token);
};

// The `authorization` metadata value for a bearer token ("" for none).
std::string BearerAuthorization(const std::string& token);

// A channel to options.address: TLS when tls_ca or tls_cert is set (each
// PEM file read once, here), else plaintext; messages up to
// max_message_bytes; after the server is gone, reconnection tried after
// 50 ms, doubling up to 2 s (gRPC's own default waits up to 2 minutes); the
// retry policy above set through the channel's service config. NOT_FOUND
// naming the option (with option_prefix) for a PEM file that cannot be read;
// INVALID_ARGUMENT for tls_cert without tls_key or the reverse.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ClientOptions& options);

// The token calls carry: options.token, else the first line of
// options.token_file with surrounding whitespace removed, else "".
// NOT_FOUND or INVALID_ARGUMENT (an empty file) naming the option.
absl::StatusOr<std::string> ResolveToken(const ClientOptions& options);

// The whole of a file given to an option; NOT_FOUND naming `option` and the
// path if it cannot be read.
absl::StatusOr<std::string> ReadOptionFile(const std::string& option, const std::string& path);

// The request_id (AIP-155) a create, import or plan sends, so that sending
// it again is safe: `given` (a --request-id option, an Idempotency-Key
// header) if not empty, else a fresh random UUID (version 4).
std::string RequestId(const std::string& given);

// The service config JSON (gRPC's `grpc.service_config`) holding the retry
// policy of the read-only methods; exposed for tests.
const std::string& RetryServiceConfig();

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CLIENT_OPTIONS_H_
