#include "clients/channel.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace socio::clients {

Channel::Channel(std::shared_ptr<grpc::Channel> channel, ClientOptions options, absl::Status status,
                 std::string authorization)
    : channel_(std::move(channel)),
      options_(std::move(options)),
      status_(std::move(status)),
      authorization_(std::move(authorization)) {}

std::shared_ptr<const Channel> Channel::Open(const ClientOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(options);
  if (!channel.ok()) {
    // Never connected: NewContext refuses every call first.
    return std::shared_ptr<const Channel>(
        new Channel(grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()),
                    options, channel.status(), ""));
  }
  return Wrap(*std::move(channel), options);
}

std::shared_ptr<const Channel> Channel::Wrap(std::shared_ptr<grpc::Channel> channel,
                                             const ClientOptions& options) {
  absl::StatusOr<std::string> token = ResolveToken(options);
  return std::shared_ptr<const Channel>(new Channel(std::move(channel), options, token.status(),
                                                    token.ok() ? BearerAuthorization(*token) : ""));
}

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> Channel::NewContext(
    const CallOptions& call, bool streaming_read) const {
  if (!status_.ok()) return status_;
  const std::string& authorization = call.authorization.value_or(authorization_);
  const bool printable = std::all_of(authorization.begin(), authorization.end(),
                                     [](char c) { return c >= 0x20 && c <= 0x7e; });
  if (!printable) {
    return absl::UnauthenticatedError(
        "the Authorization header holds characters a bearer token cannot have");
  }
  auto context = std::make_unique<grpc::ClientContext>();
  const absl::Duration deadline =
      call.deadline.value_or(streaming_read ? absl::InfiniteDuration() : options_.deadline);
  if (deadline != absl::InfiniteDuration()) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  }
  if (!authorization.empty()) context->AddMetadata("authorization", authorization);
  if (!call.consistency_token.empty()) {
    const std::string& token = call.consistency_token;
    if (token.size() > kMaxConsistencyToken ||
        !std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c <= 0x7e; })) {
      return absl::InvalidArgumentError(absl::StrCat(
          kConsistencyTokenKey, ": not a token a Socio node sends (printable ASCII, at most ",
          kMaxConsistencyToken, " characters)"));
    }
    context->AddMetadata(kConsistencyTokenKey, token);
  }
  return context;
}

void Channel::KeepConsistencyToken(const grpc::ClientContext& context, std::string* answered) {
  if (answered == nullptr) return;
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find(kConsistencyTokenKey);
  if (it == trailers.end()) return;
  answered->assign(it->second.data(), it->second.size());
}

}  // namespace socio::clients
