#include "services/server_setup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/client_options.h"
#include "grpcpp/security/server_credentials.h"

namespace socio::services::internal {

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "[::1]" || host == "::1" ||
         absl::StartsWith(host, "127.");
}

// Plaintext, or TLS (mutual when a client CA is given) from the options' files.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsFiles& options) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "tls_cert, tls_key: give both (the certificate chain and its private key) or neither");
  }
  if (options.tls_cert.empty()) {
    if (!options.tls_client_ca.empty()) {
      return absl::InvalidArgumentError("tls_client_ca: needs tls_cert and tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert = clients::ReadOptionFile("tls_cert", options.tls_cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = clients::ReadOptionFile("tls_key", options.tls_key);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_client_ca.empty()) {
    absl::StatusOr<std::string> ca =
        clients::ReadOptionFile("tls_client_ca", options.tls_client_ca);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

// Issues the first operator token into `path` (mode 0600) unless a valid
// ADMIN token exists; the path written, or "".
absl::StatusOr<std::string> BootstrapAdminToken(storage::TokenStore* tokens,
                                                const std::string& path) {
  absl::StatusOr<std::optional<storage::IssuedToken>> first =
      tokens->IssueFirstAdmin("first operator token");
  if (!first.ok()) return first.status();
  if (!first->has_value()) return std::string();
  const storage::IssuedToken* issued = &**first;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool written = fd >= 0;
  const int open_errno = errno;
  if (written) {
    const std::string line = issued->token + "\n";
    written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
              ::fsync(fd) == 0;
    written = ::close(fd) == 0 && written;
  }
  if (!written) {
    // Nobody could ever use it: take it back so the next start tries again.
    absl::Status ignored = tokens->Revoke(issued->info.id()).status();
    (void)ignored;
    return absl::PermissionDeniedError(absl::StrCat("admin_token_file: cannot write '", path,
                                                    "': ", std::strerror(open_errno)));
  }
  return path;
}

}  // namespace socio::services::internal
