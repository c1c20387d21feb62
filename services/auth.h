// Who is calling: the bearer token of each call checked and turned into a
// Caller (a role and its scope). What each role may do is in access.h.
//
//   StoreTokenVerifier verifier(tokens, profiles); // or RemoteTokenVerifier
//   Authenticator auth(&verifier);                 // Authenticator(nullptr): development mode
//   absl::StatusOr<Caller> caller = auth.Authenticate(*context);  // UNAUTHENTICATED
//
// Handlers do not call it themselves: Serve (call_scope.h) does.
//
// Calls carry `authorization: Bearer <token>` metadata. Tokens are checked
// in the handlers, not by a grpc::AuthMetadataProcessor: gRPC 1.51 aborts
// when one is set on insecure credentials, and development servers run
// without TLS.
#ifndef SOCIO_SERVICES_AUTH_H_
#define SOCIO_SERVICES_AUTH_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/admin_client.h"
#include "clients/channel.h"
#include "grpcpp/server_context.h"
#include "services/consistency.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "storage/profile_store.h"
#include "storage/token_store.h"

namespace socio::services {

// The caller of one RPC.
struct Caller {
  socio::v1::Role role = socio::v1::ROLE_UNSPECIFIED;
  std::string chamber_id;  // the chamber a STAFF caller acts for
  std::string profile_id;  // the profile a MEMBER caller is
  std::string token_id;    // empty in development mode

  bool is_admin() const { return role == socio::v1::ADMIN; }
  bool is_staff_of(absl::string_view chamber) const {
    return role == socio::v1::STAFF && chamber_id == chamber;
  }
  bool is_member(absl::string_view profile) const {
    return role == socio::v1::MEMBER && profile_id == profile;
  }
  // "operator", "staff of chamber 'x'", "member 'y'": for error messages.
  std::string Describe() const;
  // Whom the call is recorded for (remembered answers, the request log): the
  // token's id, or "development" in development mode, where every call is
  // the one operator's.
  std::string Key() const { return token_id.empty() ? "development" : token_id; }
};

// Checks a token and says whom it speaks for.
class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  // UNAUTHENTICATED for a token that is malformed, unknown or revoked;
  // UNAVAILABLE (or another code) when it cannot be checked right now.
  virtual absl::StatusOr<socio::v1::TokenInfo> Verify(absl::string_view token) const = 0;
};

// Checks tokens against this process's TokenStore, and MEMBER tokens
// against the profile they were issued for in its ProfileStore (both not
// owned): a token of a deleted profile is refused even when a profile with
// the same id was created since. WhoAmI answers what this verifier says,
// so the roles that ask the profile role (RemoteTokenVerifier) get the same.
class StoreTokenVerifier final : public TokenVerifier {
 public:
  StoreTokenVerifier(const storage::TokenStore* tokens, const storage::ProfileStore* profiles)
      : tokens_(tokens), profiles_(profiles) {}
  absl::StatusOr<socio::v1::TokenInfo> Verify(absl::string_view token) const override;

 private:
  const storage::TokenStore* const tokens_;
  const storage::ProfileStore* const profiles_;
};

// Checks tokens by asking the server that keeps them (AdminService.WhoAmI,
// as the token's holder), for processes that serve one role of a split
// deployment. Answers are remembered for `ttl`, so a revocation reaches
// this process within `ttl`.
class RemoteTokenVerifier final : public TokenVerifier {
 public:
  // `channel`: to the server that keeps the tokens; each call has its
  // deadline and carries the token being checked (not the channel's).
  RemoteTokenVerifier(std::shared_ptr<const clients::Channel> channel, absl::Duration ttl);
  absl::StatusOr<socio::v1::TokenInfo> Verify(absl::string_view token) const override;

 private:
  struct Entry {
    absl::Status status;
    socio::v1::TokenInfo info;
    absl::Time expires;
  };
  const clients::AdminClient admin_;
  const absl::Duration ttl_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

// Turns a call's metadata into a Caller.
class Authenticator {
 public:
  // `verifier` is not owned. nullptr is development mode: every call is an
  // operator's, token or not.
  explicit Authenticator(const TokenVerifier* verifier) : verifier_(verifier) {}
  // One that refuses every call it authenticates with FAILED_PRECONDITION
  // and `refusal`: for services this process cannot serve as configured (a
  // cluster node's services whose records are not kept in the cluster yet).
  Authenticator(const TokenVerifier* verifier, std::string refusal)
      : verifier_(verifier), refusal_(std::move(refusal)) {}

  // UNAUTHENTICATED naming what is wrong: no `authorization` metadata, not
  // "Bearer <token>", or a token the verifier refuses; then the refusal, if
  // this one has one.
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContext& context) const;

  bool development_mode() const { return verifier_ == nullptr; }

  // The gate (consistency.h; not owned) Serve applies to the calls this
  // authenticator admits: a cluster node's. nullptr (the default): none.
  // REQUIRES: set before any call is served.
  void set_consistency(const ConsistencyGate* gate) { consistency_ = gate; }
  const ConsistencyGate* consistency() const { return consistency_; }

 private:
  absl::StatusOr<Caller> Verify(const grpc::ServerContext& context) const;

  const TokenVerifier* const verifier_;
  const std::string refusal_;
  const ConsistencyGate* consistency_ = nullptr;
};

// The Caller a verified token speaks for.
Caller CallerOf(const socio::v1::TokenInfo& info);

// The metadata key and value that carry `token` on a call.
inline constexpr char kAuthorizationKey[] = "authorization";
std::string BearerValue(absl::string_view token);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_AUTH_H_
