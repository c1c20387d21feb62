// TokenStore in cluster mode: tokens kept in etcd under "socio/tokens/<id>",
// written through the RecordWriter, and the tokens table following the
// node's RecordView (see TokenStoreOptions::view).
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/token_store.h"

namespace socio::storage {
namespace {

using socio::v1::StoredToken;
using socio::v1::TokenInfo;

constexpr absl::string_view kClusterPrefix = "socio/tokens/";
// A key per profile that every MEMBER token issued for it changes, and that
// the profile's delete compares (and removes): a delete that did not see
// every such token fails and reads again, so none escapes its revocation.
constexpr absl::string_view kMemberGuardPrefix = "socio/member-tokens/";
// Tries of a write that lost a race to another write of the same keys.
constexpr int kAttempts = 5;

std::string MemberGuardKey(absl::string_view profile_id) {
  return absl::StrCat(kMemberGuardPrefix, profile_id);
}

}  // namespace

std::string TokenStore::ClusterKey(absl::string_view id) {
  return absl::StrCat(kClusterPrefix, id);
}

void TokenStore::Listen() {
  listener_ = std::make_unique<FamilyMirror>(FamilyMirror::Options{
      .prefix = std::string(kClusterPrefix),
      .family = database_->tokens(),
      .check =
          [](absl::string_view id, const std::string& value) {
            StoredToken stored;
            if (!stored.ParseFromString(value) || stored.info().id() != id) {
              return absl::DataLossError(absl::StrCat("cluster: the record '", kClusterPrefix, id,
                                                      "' is not a token with that id"));
            }
            return absl::OkStatus();
          },
      // The cache must not serve what changed.
      .written =
          [this](const std::vector<std::string>& ids, bool replaced) {
            if (replaced) ForgetAll();
            for (const std::string& id : ids) Forget(id);
          },
  });
  options_.view->AddListener(listener_.get());
}

TokenStore::~TokenStore() {
  if (listener_ != nullptr) options_.view->RemoveListener(listener_.get());
  database_->has_token_store_ = false;
}

absl::Status TokenStore::CreateInCluster(const StoredToken& stored) {
  const std::string key = ClusterKey(stored.info().id());
  const bool member = stored.info().role() == socio::v1::MEMBER;
  const std::string guard = MemberGuardKey(stored.info().profile_id());
  for (int attempt = 1;; ++attempt) {
    // 64 random bits: a collision is not expected, but it must not overwrite.
    std::vector<RecordWrite> writes = {{key, stored.SerializeAsString(), /*expected_revision=*/0}};
    int64_t guard_revision = 0;
    if (member) {
      absl::StatusOr<int64_t> revision = RevisionOf(*options_.view, guard);
      if (!revision.ok()) return revision.status();
      guard_revision = *revision;
      // Counted after the guard was read: a token the count misses came
      // after it, and the write below fails.
      if (absl::Status s = CheckMemberTokenRoom(stored.info().profile_id()); !s.ok()) return s;
      writes.push_back({guard, stored.info().id(), guard_revision});
    }
    absl::StatusOr<int64_t> written = options_.cluster->Write(writes);
    if (!absl::IsAborted(written.status())) return written.status();
    absl::StatusOr<int64_t> taken = RevisionOf(*options_.view, key);
    if (!taken.ok()) return taken.status();
    if (*taken != 0 || !member || attempt == kAttempts) {
      return absl::AbortedError("token id collision; issue again");
    }
    AwaitChange(*options_.view, guard, guard_revision);  // another token for the profile
  }
}

absl::Status TokenStore::CreateFirstAdminInCluster(const StoredToken& stored,
                                                   int64_t guard_revision) {
  absl::StatusOr<int64_t> written = options_.cluster->Write(
      {{ClusterKey(stored.info().id()), stored.SerializeAsString(), /*expected_revision=*/0},
       {std::string(kFirstAdminGuardKey), stored.info().id(), guard_revision}});
  return written.status();
}

absl::StatusOr<TokenInfo> TokenStore::RevokeInCluster(absl::string_view id) {
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::optional<ViewRecord>> record = options_.view->Get(ClusterKey(id));
    if (!record.ok()) return record.status();
    if (!record->has_value()) return absl::NotFoundError(absl::StrCat("no token '", id, "'"));
    StoredToken stored;
    if (!stored.ParseFromString((*record)->value)) {
      return absl::DataLossError(absl::StrCat("stored token '", id, "' does not parse"));
    }
    if (absl::Status s = MarkRevoked(stored); !s.ok()) return s;
    absl::StatusOr<int64_t> written = options_.cluster->Write(
        {{ClusterKey(id), stored.SerializeAsString(), (*record)->mod_revision}});
    if (written.ok()) return stored.info();
    if (!absl::IsAborted(written.status()) || attempt == kAttempts) {
      return written.status();
    }
  }
}

absl::StatusOr<std::vector<RecordWrite>> TokenStore::MemberRevocationWrites(
    absl::string_view profile_id, const google::protobuf::Timestamp& now) const {
  // The guard first: a token the list below misses was applied after it,
  // so the guard's revision moved on and the transaction fails.
  const std::string guard = MemberGuardKey(profile_id);
  absl::StatusOr<int64_t> guard_revision = RevisionOf(*options_.view, guard);
  if (!guard_revision.ok()) return guard_revision.status();
  std::vector<RecordWrite> writes = {{guard, std::nullopt, *guard_revision}};
  absl::StatusOr<std::vector<std::string>> ids = LiveMemberTokens(profile_id);
  if (!ids.ok()) return ids.status();
  for (const std::string& id : *ids) {
    // From the view, with the revision the write compares.
    absl::StatusOr<std::optional<ViewRecord>> record = options_.view->Get(ClusterKey(id));
    if (!record.ok()) return record.status();
    if (!record->has_value()) continue;
    StoredToken stored;
    if (!stored.ParseFromString((*record)->value)) {
      return absl::DataLossError(absl::StrCat("stored token '", id, "' does not parse"));
    }
    if (stored.info().has_revoked_time()) continue;
    *stored.mutable_info()->mutable_revoked_time() = now;
    writes.push_back({(*record)->key, stored.SerializeAsString(), (*record)->mod_revision});
  }
  return writes;
}

}  // namespace socio::storage
