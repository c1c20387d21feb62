#include "clients/connection.h"

#include "absl/time/time.h"

namespace socio::clients {

ClientOptions ToClientOptions(const GlobalOptions& global) {
  ClientOptions options;
  options.address = global.server;
  options.token = global.token;
  options.token_file = global.token_file;
  options.tls_ca = global.tls_ca;
  options.tls_cert = global.tls_cert;
  options.tls_key = global.tls_key;
  options.deadline = absl::Seconds(30);
  options.option_prefix = "--";
  return options;
}

std::shared_ptr<const Channel> OpenChannel(const GlobalOptions& global) {
  return Channel::Open(ToClientOptions(global));
}

CallOptions WithoutDeadline() {
  CallOptions call;
  call.deadline = absl::InfiniteDuration();
  return call;
}

}  // namespace socio::clients
