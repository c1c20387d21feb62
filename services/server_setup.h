// What Sociod::Start needs before it assembles a server: addresses checked,
// TLS credentials read from their files, the first operator token written.
// Internal to services/.
#ifndef SOCIO_SERVICES_SERVER_SETUP_H_
#define SOCIO_SERVICES_SERVER_SETUP_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "storage/token_store.h"

namespace socio::services::internal {

// Splits "host:port" or "[v6]:port" (the host keeps its brackets);
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status SplitHostPort(const char* field, const std::string& address, std::string* host,
                           int* port);

// 127.0.0.0/8, ::1 or localhost.
bool IsLoopback(const std::string& host);

// The whole of a file; NOT_FOUND naming the option it was given to.
absl::StatusOr<std::string> ReadPem(const char* option, const std::string& path);

// The first line of a token file; NOT_FOUND or INVALID_ARGUMENT naming `option`.
absl::StatusOr<std::string> ReadTokenFile(const char* option, const std::string& path);

struct TlsFiles {
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
};

// Plaintext without files, else TLS (mutual when a client CA is given).
// INVALID_ARGUMENT for half a pair; NOT_FOUND naming an unreadable file.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsFiles& options);

// Credentials for calls to the other roles: plaintext, or TLS trusting the
// CAs in `ca_file`.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentials(
    const std::string& ca_file);

// Issues the first operator token into `path` (mode 0600) unless a valid
// ADMIN token exists; the path written, or "" when none was needed.
absl::StatusOr<std::string> BootstrapAdminToken(storage::TokenStore* tokens,
                                                const std::string& path);

}  // namespace socio::services::internal

#endif  // SOCIO_SERVICES_SERVER_SETUP_H_
