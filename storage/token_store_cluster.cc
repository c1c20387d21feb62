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

// Past every token id (16 hex digits).
constexpr absl::string_view kEndOfIds = "\xff";

std::string MemberGuardKey(absl::string_view profile_id) {
  return absl::StrCat(kMemberGuardPrefix, profile_id);
}

}  // namespace

std::string TokenStore::ClusterKey(absl::string_view id) {
  return absl::StrCat(kClusterPrefix, id);
}

// Keeps the tokens table of a cluster node equal to its view's records under
// kClusterPrefix, and the cache from serving what changed.
class TokenStore::Listener final : public ViewListener {
 public:
  explicit Listener(TokenStore* store) : store_(store) {}

  absl::string_view prefix() const override { return kClusterPrefix; }

  absl::Status AddChanges(const std::vector<const ViewChange*>& changes,
                          rocksdb::WriteBatch* batch) override {
    for (const ViewChange* change : changes) {
      const std::string id = change->key.substr(kClusterPrefix.size());
      rocksdb::Status s;
      if (change->value.has_value()) {
        if (absl::Status checked = Check(change->key, *change->value); !checked.ok()) {
          return checked;
        }
        s = batch->Put(store_->database_->tokens(), id, *change->value);
      } else {
        s = batch->Delete(store_->database_->tokens(), id);
      }
      if (!s.ok()) return internal::FromRocksDb(s, "prepare the tokens' changes");
      changed_.push_back(id);
    }
    return absl::OkStatus();
  }

  absl::Status AddReplacement(const std::vector<const ViewRecord*>& records, int64_t /*revision*/,
                              rocksdb::WriteBatch* batch) override {
    rocksdb::Status s = batch->DeleteRange(store_->database_->tokens(), "",
                                           rocksdb::Slice(kEndOfIds.data(), kEndOfIds.size()));
    for (const ViewRecord* record : records) {
      if (!s.ok()) break;
      if (absl::Status checked = Check(record->key, record->value); !checked.ok()) return checked;
      s = batch->Put(store_->database_->tokens(), record->key.substr(kClusterPrefix.size()),
                     record->value);
    }
    if (!s.ok()) return internal::FromRocksDb(s, "replace the tokens");
    replaced_ = true;
    return absl::OkStatus();
  }

  void Written(int64_t /*revision*/) override {
    if (replaced_) store_->ForgetAll();
    for (const std::string& id : changed_) store_->Forget(id);
    Dropped();
  }

  void Dropped() override {
    changed_.clear();
    replaced_ = false;
  }

 private:
  // DATA_LOSS unless `value` is the token `key` names.
  static absl::Status Check(absl::string_view key, const std::string& value) {
    StoredToken stored;
    if (!stored.ParseFromString(value) || ClusterKey(stored.info().id()) != key) {
      return absl::DataLossError(
          absl::StrCat("cluster: the record '", key, "' is not a token with that id"));
    }
    return absl::OkStatus();
  }

  TokenStore* const store_;
  std::vector<std::string> changed_;  // ids the batch writes
  bool replaced_ = false;
};

void TokenStore::Listen() {
  listener_ = std::make_unique<Listener>(this);
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
