#include "services/server_setup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace socio::services::internal {

absl::Status SplitHostPort(const char* field, const std::string& address, std::string* host,
                           int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(address).substr(colon + 1), port) || *port < 0 ||
      *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", address, "' is not host:port (like 127.0.0.1:50051)"));
  }
  *host = address.substr(0, colon);
  return absl::OkStatus();
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "[::1]" || host == "::1" ||
         absl::StartsWith(host, "127.");
}

// The whole of a PEM file; NOT_FOUND naming the option it was given to.
absl::StatusOr<std::string> ReadPem(const char* option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(option, ": cannot read '", path, "'"));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
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
  absl::StatusOr<std::string> cert = ReadPem("tls_cert", options.tls_cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem("tls_key", options.tls_key);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPem("tls_client_ca", options.tls_client_ca);
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
  absl::StatusOr<bool> has_admin = tokens->HasActiveAdmin();
  if (!has_admin.ok()) return has_admin.status();
  if (*has_admin) return std::string();
  absl::StatusOr<storage::IssuedToken> issued =
      tokens->Issue({.role = socio::v1::ADMIN, .label = "first operator token"});
  if (!issued.ok()) return issued.status();
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

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentials(
    const std::string& ca_file) {
  if (ca_file.empty()) return grpc::InsecureChannelCredentials();
  absl::StatusOr<std::string> ca = ReadPem("peer_tls_ca", ca_file);
  if (!ca.ok()) return ca.status();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = *ca;
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::string> ReadTokenFile(const char* option, const std::string& path) {
  absl::StatusOr<std::string> content = ReadPem(option, path);
  if (!content.ok()) return content.status();
  std::string token = content->substr(0, content->find('\n'));
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat(option, ": '", path, "' is empty"));
  return token;
}

}  // namespace socio::services::internal
