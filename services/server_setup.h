// What Sociod::Start needs before it assembles a server: addresses checked,
// TLS credentials read from their files, the first operator token written.
// Internal to services/.
#ifndef SOCIO_SERVICES_SERVER_SETUP_H_
#define SOCIO_SERVICES_SERVER_SETUP_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "storage/token_store.h"

namespace socio::services::internal {

// 127.0.0.0/8, ::1 or localhost.
bool IsLoopback(const std::string& host);

struct TlsFiles {
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
};

// Plaintext without files, else TLS (mutual when a client CA is given).
// INVALID_ARGUMENT for half a pair; NOT_FOUND naming an unreadable file.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsFiles& options);

// Issues the first operator token into `path` (mode 0600) unless a valid
// ADMIN token exists; the path written, or "" when none was needed.
absl::StatusOr<std::string> BootstrapAdminToken(storage::TokenStore* tokens,
                                                const std::string& path);

}  // namespace socio::services::internal

#endif  // SOCIO_SERVICES_SERVER_SETUP_H_
