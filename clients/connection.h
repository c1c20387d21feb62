// How every `socio` command reaches sociod: the server address, the bearer
// token each call carries and, when configured, TLS.
//
//   std::shared_ptr<grpc::Channel> channel = OpenChannel(global);
//   auto stub = socio::v1::ProfileService::NewStub(channel);
//   stub->GetProfile(UnaryContext(global).get(), request, &profile);
#ifndef SOCIO_CLIENTS_CONNECTION_H_
#define SOCIO_CLIENTS_CONNECTION_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace socio::clients {

struct GlobalOptions {
  // host:port of sociod.
  std::string server;
  // Print JSON for programs instead of tables.
  bool json = false;
  // The bearer token; else the first line of token_file. Empty: none is
  // sent (enough for a server in development mode).
  std::string token;
  std::string token_file;
  // TLS: PEM file of the CAs the server's certificate must chain to (empty
  // with tls_cert empty: plaintext; empty otherwise: the system's CAs).
  std::string tls_ca;
  // Mutual TLS: this client's certificate chain and key, PEM files.
  std::string tls_cert;
  std::string tls_key;
};

// A channel to global.server: TLS when tls_ca or tls_cert is set, else
// plaintext. A PEM file that cannot be read is reported on stderr and the
// channel made without it (the call then fails with the server's reason).
std::shared_ptr<grpc::Channel> OpenChannel(const GlobalOptions& global);

// Adds the bearer token, if any, to a call.
void Authorize(const GlobalOptions& global, grpc::ClientContext* context);

// A context for one unary call: the CLI's deadline (30 s) and the token.
std::unique_ptr<grpc::ClientContext> UnaryContext(const GlobalOptions& global);

// The request_id (AIP-155) a create, import or plan sends, so that sending
// it again is safe: `given` (the command's --request-id) if not empty, else
// a fresh random UUID (version 4) for this run of the command.
std::string RequestId(const std::string& given);
// The help of the commands' --request-id option.
inline constexpr char kRequestIdHelp[] =
    "Retry key (AIP-155, 8-64 characters, e.g. a UUID): running the command again with the same "
    "key within a day gets the first answer instead of doing it twice. Default: a fresh one";

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CONNECTION_H_
