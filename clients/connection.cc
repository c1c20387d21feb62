#include "clients/connection.h"

#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace socio::clients {
namespace {

// The file's content; "" (and a message on stderr) if it cannot be read.
std::string ReadFileOrWarn(const char* option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "socio: " << option << ": cannot read '" << path << "'\n";
    return "";
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Token(const GlobalOptions& global) {
  if (!global.token.empty() || global.token_file.empty()) return global.token;
  std::string content = ReadFileOrWarn("--token_file", global.token_file);
  return std::string(absl::StripAsciiWhitespace(content.substr(0, content.find('\n'))));
}

}  // namespace

std::shared_ptr<grpc::Channel> OpenChannel(const GlobalOptions& global) {
  if (global.tls_ca.empty() && global.tls_cert.empty()) {
    return grpc::CreateChannel(global.server, grpc::InsecureChannelCredentials());
  }
  grpc::SslCredentialsOptions ssl;
  if (!global.tls_ca.empty()) ssl.pem_root_certs = ReadFileOrWarn("--tls_ca", global.tls_ca);
  if (!global.tls_cert.empty()) {
    ssl.pem_cert_chain = ReadFileOrWarn("--tls_cert", global.tls_cert);
    ssl.pem_private_key = ReadFileOrWarn("--tls_key", global.tls_key);
  }
  return grpc::CreateChannel(global.server, grpc::SslCredentials(ssl));
}

void Authorize(const GlobalOptions& global, grpc::ClientContext* context) {
  const std::string token = Token(global);
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
}

std::unique_ptr<grpc::ClientContext> UnaryContext(const GlobalOptions& global) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  Authorize(global, context.get());
  return context;
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
