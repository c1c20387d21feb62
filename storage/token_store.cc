#include "storage/token_store.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/field_checks.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/profile_validation.h"

namespace socio::storage {
namespace {

using internal::FieldError;
using internal::FromRocksDb;
using socio::v1::StoredToken;
using socio::v1::TokenInfo;

constexpr size_t kIdBytes = 8;
constexpr size_t kSecretBytes = 32;
constexpr size_t kMaxLabel = 200;
// Records TokenStore keeps in memory at most (about 200 bytes each).
constexpr size_t kMaxCachedTokens = 100'000;

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("the system's random number generator failed");
  }
  return bytes;
}

std::string Sha256(absl::string_view data) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("token ", why));
}

absl::Status CheckGrant(const TokenGrant& grant) {
  switch (grant.role) {
    case socio::v1::ADMIN:
      if (!grant.chamber_id.empty()) return FieldError("chamber_id", "must be empty for ADMIN");
      if (!grant.profile_id.empty()) return FieldError("profile_id", "must be empty for ADMIN");
      break;
    case socio::v1::STAFF:
      if (absl::Status s = ValidateId("chamber_id", grant.chamber_id); !s.ok()) return s;
      if (!grant.profile_id.empty()) return FieldError("profile_id", "must be empty for STAFF");
      break;
    case socio::v1::MEMBER:
      if (absl::Status s = ValidateId("profile_id", grant.profile_id); !s.ok()) return s;
      if (!grant.chamber_id.empty()) {
        if (absl::Status s = ValidateId("chamber_id", grant.chamber_id); !s.ok()) return s;
      }
      break;
    default:
      return FieldError("role", "must be ADMIN, STAFF or MEMBER");
  }
  return internal::CheckLength("label", grant.label, kMaxLabel);
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Open(std::shared_ptr<Database> database,
                                                             const TokenStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database is required");
  if ((options.view == nullptr) != (options.cluster == nullptr)) {
    return absl::InvalidArgumentError(
        "TokenStoreOptions.view and .cluster go together (cluster mode) or not at all");
  }
  if (database->has_token_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a TokenStore is already open over the database in ", database->dir()));
  }
  if (!options.sync_writes) database->sync_wal_on_close_ = true;
  return std::unique_ptr<TokenStore>(new TokenStore(std::move(database), options));
}

TokenStore::TokenStore(std::shared_ptr<Database> database, const TokenStoreOptions& options)
    : database_(std::move(database)), options_(options) {
  if (options_.view != nullptr) Listen();
}

absl::StatusOr<StoredToken> TokenStore::Read(absl::string_view id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(rocksdb::ReadOptions(), database_->tokens(),
                                                rocksdb::Slice(id.data(), id.size()), &value);
  if (status.IsNotFound()) return absl::NotFoundError(absl::StrCat("no token '", id, "'"));
  if (absl::Status s = FromRocksDb(status, "read token"); !s.ok()) return s;
  StoredToken stored;
  if (!stored.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("stored token '", id, "' does not parse"));
  }
  return stored;
}

absl::StatusOr<StoredToken> TokenStore::CachedRead(absl::string_view id) const {
  uint64_t forgets = 0;
  {
    absl::MutexLock lock(&cache_mu_);
    if (auto it = cache_.find(id); it != cache_.end()) return it->second;
    forgets = forgets_;
  }
  absl::StatusOr<StoredToken> stored = Read(id);
  if (stored.ok()) {
    absl::MutexLock lock(&cache_mu_);
    // A token is written only by this store; ids are random, so only a flood
    // of issues outgrows this, and then the cache starts over.
    if (cache_.size() >= kMaxCachedTokens) cache_.clear();
    if (forgets == forgets_) cache_.emplace(std::string(id), *stored);
  }
  return stored;
}

void TokenStore::Forget(absl::string_view id) const {
  absl::MutexLock lock(&cache_mu_);
  cache_.erase(id);
  ++forgets_;
}

void TokenStore::ForgetAll() const {
  absl::MutexLock lock(&cache_mu_);
  cache_.clear();
  ++forgets_;
}

absl::Status TokenStore::Write(const StoredToken& stored) {
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  absl::Status written =
      FromRocksDb(database_->db()->Put(write_options, database_->tokens(), stored.info().id(),
                                       stored.SerializeAsString()),
                  "write token");
  Forget(stored.info().id());  // after the write: a read from now on sees it
  return written;
}

absl::StatusOr<IssuedToken> TokenStore::Issue(const TokenGrant& grant) {
  if (absl::Status s = CheckGrant(grant); !s.ok()) return s;
  StoredToken stored;
  absl::StatusOr<IssuedToken> issued = NewToken(grant, &stored);
  if (!issued.ok()) return issued.status();
  if (options_.cluster != nullptr) {
    if (absl::Status s = CreateInCluster(stored); !s.ok()) return s;
  } else {
    absl::MutexLock lock(&write_mu_);
    // 64 random bits: a collision is not expected, but it must not overwrite.
    if (Read(issued->info.id()).ok()) return absl::AbortedError("token id collision; issue again");
    if (grant.role == socio::v1::MEMBER) {
      if (absl::Status s = CheckMemberTokenRoom(grant.profile_id); !s.ok()) return s;
    }
    if (absl::Status s = Write(stored); !s.ok()) return s;
  }
  return issued;
}

absl::Status TokenStore::CheckMemberTokenRoom(absl::string_view profile_id) const {
  absl::StatusOr<std::vector<std::string>> live = LiveMemberTokens(profile_id);
  if (!live.ok()) return live.status();
  if (live->size() < static_cast<size_t>(kMaxLiveMemberTokens)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "profile_id: '", profile_id, "' has ", live->size(),
      " member tokens not revoked, the most one company may have; revoke one it no longer "
      "uses (AdminService.RevokeToken, `socio admin token revoke ID`) and issue again"));
}

absl::StatusOr<std::optional<IssuedToken>> TokenStore::IssueFirstAdmin(absl::string_view label) {
  const TokenGrant grant{.role = socio::v1::ADMIN, .label = std::string(label)};
  if (options_.cluster == nullptr) {
    absl::StatusOr<bool> has_admin = HasActiveAdmin();
    if (!has_admin.ok()) return has_admin.status();
    if (*has_admin) return std::nullopt;
    return Issue(grant);
  }
  for (;;) {
    // The guard first: an ADMIN token the check below misses came after it.
    absl::StatusOr<int64_t> guard = RevisionOf(*options_.view, std::string(kFirstAdminGuardKey));
    if (!guard.ok()) return guard.status();
    absl::StatusOr<bool> has_admin = HasActiveAdmin();
    if (!has_admin.ok()) return has_admin.status();
    if (*has_admin) return std::nullopt;
    StoredToken stored;
    absl::StatusOr<IssuedToken> issued = NewToken(grant, &stored);
    if (!issued.ok()) return issued.status();
    absl::Status created = CreateFirstAdminInCluster(stored, *guard);
    if (created.ok()) return *std::move(issued);
    if (!absl::IsAborted(created)) return created;
    // Another node issued one: see it, and issue none.
    AwaitChange(*options_.view, std::string(kFirstAdminGuardKey), *guard);
  }
}

absl::StatusOr<IssuedToken> TokenStore::NewToken(const TokenGrant& grant, StoredToken* stored) {
  absl::StatusOr<std::string> id_bytes = RandomBytes(kIdBytes);
  if (!id_bytes.ok()) return id_bytes.status();
  absl::StatusOr<std::string> secret_bytes = RandomBytes(kSecretBytes);
  if (!secret_bytes.ok()) return secret_bytes.status();
  const std::string secret = absl::WebSafeBase64Escape(*secret_bytes);

  TokenInfo& info = *stored->mutable_info();
  info.set_id(absl::BytesToHexString(*id_bytes));
  info.set_role(grant.role);
  info.set_chamber_id(grant.chamber_id);
  info.set_profile_id(grant.profile_id);
  info.set_label(grant.label);
  if (grant.role == socio::v1::MEMBER && (grant.profile_create_time.seconds() != 0 ||
                                            grant.profile_create_time.nanos() != 0)) {
    *info.mutable_profile_create_time() = grant.profile_create_time;
  }
  *info.mutable_issued_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  stored->set_secret_sha256(Sha256(secret));
  return IssuedToken{.info = info, .token = absl::StrCat(info.id(), ".", secret)};
}

absl::StatusOr<TokenInfo> TokenStore::Verify(absl::string_view token) const {
  const size_t dot = token.find('.');
  if (dot != 2 * kIdBytes || token.size() <= dot + 1) {
    return Unauthenticated("is malformed: expected '<id>.<secret>' as `socio admin token issue` "
                           "prints it");
  }
  absl::StatusOr<StoredToken> stored = CachedRead(token.substr(0, dot));
  if (absl::IsNotFound(stored.status())) return Unauthenticated("is not known to this server");
  if (!stored.ok()) return stored.status();
  const std::string hash = Sha256(token.substr(dot + 1));
  if (stored->secret_sha256().size() != hash.size() ||
      CRYPTO_memcmp(hash.data(), stored->secret_sha256().data(), hash.size()) != 0) {
    return Unauthenticated("is not known to this server");
  }
  if (stored->info().has_revoked_time()) {
    return Unauthenticated(absl::StrCat("'", stored->info().id(), "' was revoked"));
  }
  return stored->info();
}

absl::StatusOr<TokenInfo> TokenStore::Revoke(absl::string_view id) {
  if (options_.cluster != nullptr) return RevokeInCluster(id);
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<StoredToken> stored = Read(id);
  if (!stored.ok()) return stored.status();
  if (absl::Status s = MarkRevoked(*stored); !s.ok()) return s;
  if (absl::Status s = Write(*stored); !s.ok()) return s;
  return stored->info();
}

absl::Status TokenStore::MarkRevoked(StoredToken& stored) {
  if (stored.info().has_revoked_time()) {
    return absl::FailedPreconditionError(
        absl::StrCat("token '", stored.info().id(), "' is already revoked"));
  }
  *stored.mutable_info()->mutable_revoked_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  return absl::OkStatus();
}

absl::Status TokenStore::AddMemberRevocations(absl::string_view profile_id,
                                              const google::protobuf::Timestamp& now,
                                              rocksdb::WriteBatch& batch,
                                              std::vector<std::string>* revoked) {
  // Locked before listing: a token issued meanwhile is listed too.
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::vector<std::string>> ids = LiveMemberTokens(profile_id);
  if (!ids.ok()) return ids.status();
  for (const std::string& id : *ids) {
    // Read again under the lock: the listed record carries no secret hash.
    absl::StatusOr<StoredToken> stored = Read(id);
    if (!stored.ok()) return stored.status();
    if (stored->info().has_revoked_time()) continue;
    *stored->mutable_info()->mutable_revoked_time() = now;
    Forget(stored->info().id());
    revoked->push_back(stored->info().id());
    rocksdb::Status ignored =
        batch.Put(database_->tokens(), stored->info().id(), stored->SerializeAsString());
    (void)ignored;  // WriteBatch appends fail only past a size limit we do not set.
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TokenInfo>> TokenStore::List() const {
  std::vector<TokenInfo> tokens;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->tokens()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    StoredToken stored;
    if (!stored.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("stored token '", it->key().ToString(), "' does not parse"));
    }
    tokens.push_back(std::move(*stored.mutable_info()));
  }
  if (absl::Status s = FromRocksDb(it->status(), "list tokens"); !s.ok()) return s;
  return tokens;
}

absl::StatusOr<std::vector<std::string>> TokenStore::LiveMemberTokens(
    absl::string_view profile_id) const {
  absl::StatusOr<std::vector<TokenInfo>> tokens = List();
  if (!tokens.ok()) return tokens.status();
  std::vector<std::string> ids;
  for (const TokenInfo& listed : *tokens) {
    if (listed.role() == socio::v1::MEMBER && listed.profile_id() == profile_id &&
        !listed.has_revoked_time()) {
      ids.push_back(listed.id());
    }
  }
  return ids;
}

absl::StatusOr<bool> TokenStore::HasActiveAdmin() const {
  absl::StatusOr<std::vector<TokenInfo>> tokens = List();
  if (!tokens.ok()) return tokens.status();
  for (const TokenInfo& info : *tokens) {
    if (info.role() == socio::v1::ADMIN && !info.has_revoked_time()) return true;
  }
  return false;
}

absl::Status CheckMemberToken(const TokenInfo& info, const socio::v1::Profile* profile) {
  using google::protobuf::util::TimeUtil;
  bool issued_for = false;
  if (profile != nullptr) {
    const google::protobuf::Timestamp& bound = info.profile_create_time();
    issued_for = info.has_profile_create_time()
                     ? bound.seconds() == profile->create_time().seconds() &&
                           bound.nanos() == profile->create_time().nanos()
                     : TimeUtil::TimestampToNanoseconds(profile->create_time()) <=
                           TimeUtil::TimestampToNanoseconds(info.issued_time());
  }
  if (issued_for) return absl::OkStatus();
  return Unauthenticated(absl::StrCat("'", info.id(), "' was revoked: the profile '",
                                      info.profile_id(), "' it was issued for was deleted"));
}

}  // namespace socio::storage
