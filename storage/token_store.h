// TokenStore: the bearer tokens callers present, kept in the "tokens" column
// family of a shared Database. Only a SHA-256 hash of each token's secret is
// stored; the token itself is returned once, by Issue.
//
//   absl::StatusOr<std::unique_ptr<TokenStore>> tokens = TokenStore::Open(*db, {});
//   absl::StatusOr<IssuedToken> issued =
//       (*tokens)->Issue({.role = socio::v1::STAFF, .chamber_id = "ihk-muenchen"});
//   // hand issued->token to the caller: "3f9c0a1b2c3d4e5f.Qm9v..."
//   absl::StatusOr<socio::v1::TokenInfo> who = (*tokens)->Verify(issued->token);
//
// A token reads "<id>.<secret>": the id (16 hex digits) names the record, the
// secret (43 characters of base64url, 256 random bits) proves possession.
// Verify compares hashes in constant time.
//
// A MEMBER token is bound to one profile: the one with its profile_id and
// profile_create_time. CheckMemberToken tells a token for a deleted
// profile from one for the profile now stored under that id, and a
// ProfileStore opened with this store (ProfileStoreOptions::tokens) revokes
// a profile's MEMBER tokens in the write that deletes it.
//
// Thread safety: every method may be called from any thread.
#ifndef SOCIO_STORAGE_TOKEN_STORE_H_
#define SOCIO_STORAGE_TOKEN_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/timestamp.pb.h"
#include "socio/v1/admin_service.pb.h"
#include "socio/v1/profile.pb.h"
#include "storage/database.h"
#include "storage/replicated_records.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

struct TokenStoreOptions {
  // Default: true. Issue and Revoke return after the write-ahead log is
  // synced, so a revocation survives power loss.
  bool sync_writes = true;
  // Default: nullptr, the embedded store. A cluster node's view of the
  // records in etcd and the writer to etcd (see ProfileStore's "Cluster
  // mode"): both or neither. Tokens are then kept in etcd under
  // "socio/tokens/<id>", so a token issued through one node works on every
  // node, and a revocation reaches them all. Not owned; must outlive the store.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

// What a new token is for; see IssueTokenRequest in admin_service.proto.
struct TokenGrant {
  socio::v1::Role role = socio::v1::ROLE_UNSPECIFIED;
  std::string chamber_id;
  std::string profile_id;
  // MEMBER: the create_time of the profile `profile_id` names, which the
  // token is bound to. Unset: bound to no incarnation, checked by issue time
  // only (see CheckMemberToken).
  google::protobuf::Timestamp profile_create_time;
  std::string label;
};

struct IssuedToken {
  socio::v1::TokenInfo info;
  std::string token;  // the only copy of the secret
};

class TokenStore {
 public:
  // INVALID_ARGUMENT if `database` is missing; FAILED_PRECONDITION if another
  // TokenStore is open over it.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Open(std::shared_ptr<Database> database,
                                                          const TokenStoreOptions& options);
  ~TokenStore();
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // The most MEMBER tokens not revoked one profile may have. (A profile's
  // delete revokes them in one transaction, which a cluster's etcd bounds to
  // 128 operations.)
  static constexpr int kMaxLiveMemberTokens = 100;

  // Issues a token for `grant`. INVALID_ARGUMENT naming the field for a
  // missing role, a STAFF grant without chamber_id or with profile_id, a
  // MEMBER grant without profile_id, an ADMIN grant with either, a malformed
  // id or a label over 200 characters. FAILED_PRECONDITION naming
  // profile_id for a MEMBER grant whose profile has kMaxLiveMemberTokens
  // tokens not revoked. (Whether the profile exists is the caller's
  // business.)
  absl::StatusOr<IssuedToken> Issue(const TokenGrant& grant);

  // The token's record if it is valid. UNAUTHENTICATED (never saying which
  // part was wrong, beyond malformed vs. unknown) for a malformed token, an
  // unknown id, a wrong secret or a revoked token.
  absl::StatusOr<socio::v1::TokenInfo> Verify(absl::string_view token) const;

  // Marks the token revoked and returns its record. NOT_FOUND for an unknown
  // id; FAILED_PRECONDITION if it is revoked already.
  absl::StatusOr<socio::v1::TokenInfo> Revoke(absl::string_view id);

  // Every token, in id order (revoked ones too).
  absl::StatusOr<std::vector<socio::v1::TokenInfo>> List() const;

  // Whether a valid ADMIN token exists.
  absl::StatusOr<bool> HasActiveAdmin() const;

  // Issues an ADMIN token for `label` unless a valid ADMIN token exists
  // (std::nullopt then): a server's first operator token. In cluster mode
  // one node at a time can: of nodes starting together, one issues it.
  absl::StatusOr<std::optional<IssuedToken>> IssueFirstAdmin(absl::string_view label);

 private:
  friend class ProfileStore;

  TokenStore(std::shared_ptr<Database> database, const TokenStoreOptions& options);

  // Cluster mode: the key every first operator token's issue changes.
  static constexpr absl::string_view kFirstAdminGuardKey = "socio/first-admin";
  // Cluster mode: the key of token `id` in etcd; starts following the view.
  static std::string ClusterKey(absl::string_view id);
  void Listen();
  // Cluster mode's writes: a new token (ABORTED if the id is taken), and a
  // revocation.
  absl::Status CreateInCluster(const socio::v1::StoredToken& stored);
  // The first operator token: with a compare of the first-admin guard key
  // as read when no valid ADMIN token was seen. ABORTED if another node
  // issued one meanwhile.
  absl::Status CreateFirstAdminInCluster(const socio::v1::StoredToken& stored,
                                         int64_t guard_revision);
  // A new token's record for `grant` and the token to hand over.
  static absl::StatusOr<IssuedToken> NewToken(const TokenGrant& grant,
                                              socio::v1::StoredToken* stored);
  absl::StatusOr<socio::v1::TokenInfo> RevokeInCluster(absl::string_view id);
  // Cluster mode: the writes that revoke, at `now`, every MEMBER token for
  // `profile_id` not revoked yet, each comparing the revision read, and
  // that remove the profile's guard key (which every MEMBER token issued
  // for it changes), so the transaction fails if a token was issued that
  // these writes miss; for the transaction that deletes the profile.
  absl::StatusOr<std::vector<RecordWrite>> MemberRevocationWrites(
      absl::string_view profile_id, const google::protobuf::Timestamp& now) const;
  // Drops every record from the cache.
  void ForgetAll() const;
  // The ids of the MEMBER tokens for `profile_id` not revoked yet.
  absl::StatusOr<std::vector<std::string>> LiveMemberTokens(absl::string_view profile_id) const;
  // FAILED_PRECONDITION if `profile_id` has kMaxLiveMemberTokens live
  // member tokens.
  absl::Status CheckMemberTokenRoom(absl::string_view profile_id) const;
  // Marks `stored` revoked now; FAILED_PRECONDITION if it is already.
  static absl::Status MarkRevoked(socio::v1::StoredToken& stored);

  // Adds to `batch` the revocation, at `now`, of every MEMBER token for
  // `profile_id` not revoked yet, and their ids to `*revoked`. ProfileStore::
  // Delete calls it so a profile and its tokens go in one write, and calls
  // Forget for each of `*revoked` once the write is durable.
  absl::Status AddMemberRevocations(absl::string_view profile_id,
                                    const google::protobuf::Timestamp& now,
                                    rocksdb::WriteBatch& batch, std::vector<std::string>* revoked);

  absl::StatusOr<socio::v1::StoredToken> Read(absl::string_view id) const;
  // Read through the cache: a record read before is served from memory.
  absl::StatusOr<socio::v1::StoredToken> CachedRead(absl::string_view id) const;
  // Drops `id` from the cache; a read that began before does not put back
  // what it read.
  void Forget(absl::string_view id) const;
  absl::Status Write(const socio::v1::StoredToken& stored);

  const std::shared_ptr<Database> database_;
  const TokenStoreOptions options_;
  // Held for the read-check-write of Revoke.
  absl::Mutex write_mu_;
  // The records Verify read, by id (the token table is small: one record per
  // token issued). Every write through this store forgets its record after
  // it is written. A MEMBER token's revocation with its profile
  // (AddMemberRevocations) is forgotten before the profile's delete is
  // written and again after it is: in between, Verify may read and keep the
  // record without it, and the token is refused anyway once its profile is
  // gone (CheckMemberToken).
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, socio::v1::StoredToken> cache_
      ABSL_GUARDED_BY(cache_mu_);
  // Counts Forget calls: a read that saw another count does not cache.
  mutable uint64_t forgets_ ABSL_GUARDED_BY(cache_mu_) = 0;

  std::unique_ptr<ViewListener> listener_;  // cluster mode only
};

// Whether the MEMBER token `info` (verified) speaks for `profile`, the profile
// stored now under info.profile_id() (nullptr: none is). It does only for
// the profile it was issued for: same create_time, or, for a token issued
// before profile_create_time was recorded, a profile created before the
// token. UNAUTHENTICATED saying the token's profile was deleted otherwise.
absl::Status CheckMemberToken(const socio::v1::TokenInfo& info, const socio::v1::Profile* profile);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_TOKEN_STORE_H_
