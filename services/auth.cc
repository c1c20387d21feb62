#include "services/auth.h"

#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/grpc_status.h"

namespace socio::services {
namespace {

constexpr absl::string_view kBearer = "Bearer ";
// Cached answers kept at most; beyond it the cache starts afresh.
constexpr size_t kMaxCached = 10000;

}  // namespace

std::string Caller::Describe() const {
  switch (role) {
    case socio::v1::ADMIN:
      return "an operator";
    case socio::v1::STAFF:
      return absl::StrCat("staff of chamber '", chamber_id, "'");
    case socio::v1::MEMBER:
      return absl::StrCat("member '", profile_id, "'");
    default:
      return "an unknown caller";
  }
}

Caller CallerOf(const socio::v1::TokenInfo& info) {
  Caller caller;
  caller.role = info.role();
  caller.chamber_id = info.role() == socio::v1::STAFF ? info.chamber_id() : "";
  caller.profile_id = info.role() == socio::v1::MEMBER ? info.profile_id() : "";
  caller.token_id = info.id();
  return caller;
}

std::string BearerValue(absl::string_view token) { return absl::StrCat(kBearer, token); }

absl::StatusOr<Caller> Authenticator::Authenticate(const grpc::ServerContext& context) const {
  absl::StatusOr<Caller> caller = Verify(context);
  if (caller.ok() && !refusal_.empty()) return absl::FailedPreconditionError(refusal_);
  return caller;
}

absl::StatusOr<Caller> Authenticator::Verify(const grpc::ServerContext& context) const {
  if (verifier_ == nullptr) return Caller{.role = socio::v1::ADMIN};
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kAuthorizationKey);
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "authorization: no token; send the metadata 'authorization: Bearer <token>' (socio: "
        "--token or SOCIO_TOKEN)");
  }
  const absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError("authorization: must read 'Bearer <token>'");
  }
  absl::StatusOr<socio::v1::TokenInfo> info =
      verifier_->Verify(absl::StripAsciiWhitespace(value.substr(kBearer.size())));
  if (!info.ok()) return info.status();
  return CallerOf(*info);
}

absl::StatusOr<socio::v1::TokenInfo> StoreTokenVerifier::Verify(absl::string_view token) const {
  absl::StatusOr<socio::v1::TokenInfo> info = tokens_->Verify(token);
  if (!info.ok() || info->role() != socio::v1::MEMBER) return info;
  absl::StatusOr<socio::v1::Profile> profile = profiles_->Get(info->profile_id());
  if (!profile.ok() && !absl::IsNotFound(profile.status())) return profile.status();
  if (absl::Status s = storage::CheckMemberToken(*info, profile.ok() ? &*profile : nullptr);
      !s.ok()) {
    return s;
  }
  return info;
}

RemoteTokenVerifier::RemoteTokenVerifier(std::shared_ptr<const clients::Channel> channel,
                                         absl::Duration ttl)
    : admin_(std::move(channel)), ttl_(ttl) {}

absl::StatusOr<socio::v1::TokenInfo> RemoteTokenVerifier::Verify(absl::string_view token) const {
  const std::string key(token);
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires > now) {
      if (!it->second.status.ok()) return it->second.status;
      return it->second.info;
    }
  }
  clients::CallOptions as_holder;
  as_holder.authorization = BearerValue(token);
  absl::StatusOr<socio::v1::TokenInfo> answer = admin_.WhoAmI({}, as_holder);
  const absl::Status result = answer.status();
  const socio::v1::TokenInfo info = answer.ok() ? *std::move(answer) : socio::v1::TokenInfo();
  if (!result.ok() && !absl::IsUnauthenticated(result)) {
    // The keeper of tokens cannot answer: the caller may retry; nothing cached.
    return absl::UnavailableError(
        absl::StrCat("cannot check the token with the profile server: ", result.message()));
  }
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[key] = Entry{.status = result, .info = info, .expires = now + ttl_};
  if (!result.ok()) return result;
  return info;
}

}  // namespace socio::services
