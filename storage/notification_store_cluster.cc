// NotificationStore in cluster mode: the outbox, cursors, parked deliveries
// and settings kept in etcd (see "Cluster mode" in notification_store.h).
#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/notification_store.h"

namespace socio::storage {
namespace {

using internal::FromRocksDb;
using internal::SequenceKey;
using internal::ToTimestamp;
using socio::v1::Notification;

constexpr absl::string_view kOutboxPrefix = "socio/outbox/";
constexpr absl::string_view kStatePrefix = "socio/notification-state/";
// A transaction's notifications: "<16 hex digits>-<3 digits>".
constexpr size_t kWriteIdLength = 16;
constexpr size_t kOutboxIdLength = kWriteIdLength + 1 + 3;
// Tries of a state write that lost a race to another node's write.
constexpr int kAttempts = 5;

// The place of the notification `key` names in its transaction; DATA_LOSS
// if it names none.
absl::StatusOr<int> IndexOf(absl::string_view key) {
  absl::string_view id = key;
  int index = 0;
  if (!absl::ConsumePrefix(&id, kOutboxPrefix) || id.size() != kOutboxIdLength ||
      id[kWriteIdLength] != '-' || !absl::SimpleAtoi(id.substr(kWriteIdLength + 1), &index) ||
      index < 0 || index >= NotificationStore::kMaxPerWrite) {
    return absl::DataLossError(
        absl::StrCat("cluster: the record '", key, "' is not a notification"));
  }
  return index;
}

uint64_t SequenceOf(int64_t revision, int index) {
  return static_cast<uint64_t>(revision) * 1000 + static_cast<uint64_t>(index) + 1;
}

// `value` (a notification's record) as the outbox row of `sequence`.
absl::StatusOr<std::string> OutboxRow(absl::string_view key, const std::string& value,
                                      uint64_t sequence) {
  Notification n;
  if (!n.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("cluster: the notification '", key, "' does not parse"));
  }
  n.set_sequence(sequence);
  n.set_id(absl::StrCat("n-", sequence));
  return n.SerializeAsString();
}

}  // namespace

// Writes each notification record into the outbox under the sequence its
// revision and index give. Records are never changed; etcd's deletion of an
// expired one leaves the node's row, as the embedded outbox keeps its rows.
class NotificationStore::Outbox final : public ViewListener {
 public:
  explicit Outbox(NotificationStore* store) : store_(store) {}

  absl::string_view prefix() const override { return kOutboxPrefix; }

  absl::Status AddChanges(const std::vector<const ViewChange*>& changes,
                          rocksdb::WriteBatch* batch) override {
    for (const ViewChange* change : changes) {
      if (!change->value.has_value()) continue;
      absl::StatusOr<int> index = IndexOf(change->key);
      if (!index.ok()) return index.status();
      if (absl::Status s =
              Add(change->key, *change->value, SequenceOf(change->revision, *index), batch);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  // Records read at a revision are the ones still in etcd: they are added
  // (again, under the same sequences); rows of expired ones stay.
  absl::Status AddReplacement(const std::vector<const ViewRecord*>& records, int64_t /*revision*/,
                              rocksdb::WriteBatch* batch) override {
    for (const ViewRecord* record : records) {
      absl::StatusOr<int> index = IndexOf(record->key);
      if (!index.ok()) return index.status();
      if (absl::Status s =
              Add(record->key, record->value, SequenceOf(record->mod_revision, *index), batch);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  void Written(int64_t /*revision*/) override {
    if (last_ != 0) {
      absl::MutexLock lock(&store_->mu_);
      store_->last_sequence_ = std::max(store_->last_sequence_, last_);
    }
    Dropped();
  }

  void Dropped() override { last_ = 0; }

 private:
  absl::Status Add(absl::string_view key, const std::string& value, uint64_t sequence,
                   rocksdb::WriteBatch* batch) {
    absl::StatusOr<std::string> row = OutboxRow(key, value, sequence);
    if (!row.ok()) return row.status();
    if (absl::Status s = FromRocksDb(
            batch->Put(store_->database_->outbox(), SequenceKey(sequence), *row), "add to outbox");
        !s.ok()) {
      return s;
    }
    last_ = std::max(last_, sequence);
    return absl::OkStatus();
  }

  NotificationStore* const store_;
  uint64_t last_ = 0;  // the greatest sequence the batch adds
};

void NotificationStore::FollowView() {
  outbox_ = std::make_unique<Outbox>(this);
  state_ = std::make_unique<FamilyMirror>(FamilyMirror::Options{
      .prefix = std::string(kStatePrefix),
      .family = database_->notification_state(),
      .check = [](absl::string_view, const std::string&) { return absl::OkStatus(); },
      .family_key =
          [](absl::string_view id) {
            return HexDecodedId(kStatePrefix, id, "notification state");
          }});
  options_.view->AddListener(outbox_.get());
  options_.view->AddListener(state_.get());
}

absl::StatusOr<std::vector<RecordWrite>> NotificationStore::ClusterWrites(
    std::vector<Notification> notifications) const {
  if (!clustered()) {
    return absl::FailedPreconditionError(
        "notifications: the embedded store writes them in the cause's own batch (Commit)");
  }
  if (notifications.size() > static_cast<size_t>(kMaxPerWrite)) {
    return absl::InvalidArgumentError(absl::StrCat("notifications: at most ", kMaxPerWrite,
                                                   " in one write, not ", notifications.size()));
  }
  thread_local std::mt19937_64 random(std::random_device{}());
  const std::string write_id = absl::StrFormat("%016x", random());
  const google::protobuf::Timestamp now = ToTimestamp(Now());
  std::vector<RecordWrite> writes;
  writes.reserve(notifications.size());
  for (size_t i = 0; i < notifications.size(); ++i) {
    Notification& n = notifications[i];
    n.clear_sequence();
    n.clear_id();
    *n.mutable_create_time() = now;
    writes.push_back(RecordWrite{
        .key = absl::StrFormat("%s%s-%03d", kOutboxPrefix, write_id, i),
        .value = n.SerializeAsString(),
        .expected_revision = 0,
        .expires_after = kClusterRetention,
    });
  }
  return writes;
}

absl::Status NotificationStore::UpdateStateInCluster(const std::string& key,
                                                     const StateUpdate& next) {
  const std::string record_key = absl::StrCat(kStatePrefix, absl::BytesToHexString(key));
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::optional<ViewRecord>> record = options_.view->Get(record_key);
    if (!record.ok()) return record.status();
    absl::StatusOr<std::optional<std::string>> updated =
        next(record->has_value() ? std::optional<std::string>((*record)->value) : std::nullopt);
    if (!updated.ok()) return updated.status();
    if (!updated->has_value()) return absl::OkStatus();
    const int64_t revision = record->has_value() ? (*record)->mod_revision : 0;
    absl::StatusOr<int64_t> written =
        options_.cluster->Write({{record_key, **std::move(updated), revision}});
    if (written.ok()) return absl::OkStatus();
    if (!absl::IsAborted(written.status()) || attempt == kAttempts) return written.status();
    AwaitChange(*options_.view, record_key, revision);
  }
}

}  // namespace socio::storage
