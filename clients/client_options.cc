#include "clients/client_options.h"

#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace socio::clients {
namespace {

// The methods that only read: repeating one is harmless.
struct IdempotentMethods {
  const char* service;
  std::vector<const char*> methods;
};

const std::vector<IdempotentMethods>& Idempotent() {
  static const auto* const kMethods = new std::vector<IdempotentMethods>{
      {"socio.v1.ProfileService", {"GetProfile", "ListProfiles"}},
      {"socio.v1.MatchService",
       {"FindPartners", "ExplainMatch", "GetMatchPolicy", "ScorePairs", "SuggestMatchPolicy"}},
      {"socio.v1.DelegationService",
       {"GetDelegation", "ListDelegations", "RecommendDestinations", "GetAgenda",
        "ListHostInvitations", "GetDelegationBriefing"}},
      {"socio.v1.AdminService", {"WhoAmI", "ListTokens", "GetStats"}},
      {"socio.v1.EngagementService",
       {"ListInterests", "GetMeetingRequest", "ListMeetingRequests", "ListReveals"}},
      {"grpc.health.v1.Health", {"Check"}},
  };
  return *kMethods;
}

std::string BuildRetryServiceConfig() {
  std::vector<std::string> names;
  for (const IdempotentMethods& service : Idempotent()) {
    for (const char* method : service.methods) {
      names.push_back(
          absl::StrCat(R"({"service":")", service.service, R"(","method":")", method, R"("})"));
    }
  }
  return absl::StrCat(R"({"methodConfig":[{"name":[)", absl::StrJoin(names, ","),
                      R"(],"retryPolicy":{"maxAttempts":4,"initialBackoff":"0.1s",)",
                      R"("maxBackoff":"1s","backoffMultiplier":2,)",
                      R"("retryableStatusCodes":["UNAVAILABLE"]}}]})");
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials(
    const ClientOptions& options) {
  if (options.tls_ca.empty() && options.tls_cert.empty() && options.tls_key.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  const std::string& prefix = options.option_prefix;
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "tls_cert, ", prefix,
                     "tls_key: give both (the certificate chain and its private key) or neither"));
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadOptionFile(prefix + "tls_ca", options.tls_ca);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  if (!options.tls_cert.empty()) {
    absl::StatusOr<std::string> cert = ReadOptionFile(prefix + "tls_cert", options.tls_cert);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadOptionFile(prefix + "tls_key", options.tls_key);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

CallOptions CallOptions::WithToken(const std::string& token) {
  CallOptions options;
  options.authorization = BearerAuthorization(token);
  return options;
}

std::string BearerAuthorization(const std::string& token) {
  return token.empty() ? "" : absl::StrCat("Bearer ", token);
}

const std::string& RetryServiceConfig() {
  static const auto* const kConfig = new std::string(BuildRetryServiceConfig());
  return *kConfig;
}

absl::StatusOr<std::string> ReadOptionFile(const std::string& option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(option, ": cannot read '", path, "'"));
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::StatusOr<std::string> ResolveToken(const ClientOptions& options) {
  if (!options.token.empty() || options.token_file.empty()) return options.token;
  const std::string option = options.option_prefix + "token_file";
  absl::StatusOr<std::string> content = ReadOptionFile(option, options.token_file);
  if (!content.ok()) return content.status();
  std::string token(absl::StripAsciiWhitespace(content->substr(0, content->find('\n'))));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": '", options.token_file, "' is empty"));
  }
  return token;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ClientOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = Credentials(options);
  if (!credentials.ok()) return credentials.status();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  if (options.retry_idempotent) {
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
    args.SetServiceConfigJSON(RetryServiceConfig());
  } else {
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  }
  return grpc::CreateCustomChannel(options.address, *credentials, args);
}

std::string RequestId(const std::string& given) {
  if (!given.empty()) return given;
  std::random_device random;  // the kernel's generator
  uint32_t words[4];
  for (uint32_t& word : words) word = random();
  words[1] = (words[1] & 0xFFFF0FFFu) | 0x00004000u;  // version 4
  words[2] = (words[2] & 0x3FFFFFFFu) | 0x80000000u;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%04x%08x", words[0], words[1] >> 16,
                         words[1] & 0xFFFF, words[2] >> 16, words[2] & 0xFFFF, words[3]);
}

}  // namespace socio::clients
