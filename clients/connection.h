// How every `socio` command reaches sociod: its global options (the server
// address, the bearer token each call carries and, when configured, TLS)
// made into the client library's (clients/client_options.h).
//
//   ProfileClient profiles(OpenChannel(global));
//   absl::StatusOr<Profile> profile = profiles.GetProfile(request);
#ifndef SOCIO_CLIENTS_CONNECTION_H_
#define SOCIO_CLIENTS_CONNECTION_H_

#include <memory>
#include <string>

#include "clients/channel.h"
#include "clients/client_options.h"

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

// The client options of `global`: each unary call has 30 s, errors name the
// options as the command line spells them ("--tls_ca: cannot read 'x'").
ClientOptions ToClientOptions(const GlobalOptions& global);

// Channel::Open(ToClientOptions(global)). An option file that cannot be read
// fails every call made on the channel, naming the option.
std::shared_ptr<const Channel> OpenChannel(const GlobalOptions& global);

// The options of a call that may take as long as it needs (an import, a
// watch).
CallOptions WithoutDeadline();

// The help of the commands' --request-id option.
inline constexpr char kRequestIdHelp[] =
    "Retry key (AIP-155, 8-64 characters, e.g. a UUID): running the command again with the same "
    "key within a day gets the first answer instead of doing it twice. Default: a fresh one";

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CONNECTION_H_
