#include "storage/record_batch.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"

namespace socio::storage {
namespace {

constexpr absl::string_view kNul("\0", 1);

// How long a write that lost a race waits for this node to see the winner.
constexpr absl::Duration kRaceWait = absl::Seconds(1);

}  // namespace

std::string RecordTable::ClusterKey(absl::string_view key) const {
  switch (keys) {
    case Keys::kVerbatim:
      return absl::StrCat(cluster_prefix, key);
    case Keys::kNulAsSlash: {
      std::string id(key);
      for (char& c : id) {
        if (c == '\0') c = '/';
      }
      return absl::StrCat(cluster_prefix, id);
    }
    case Keys::kHex:
      return absl::StrCat(cluster_prefix, absl::BytesToHexString(key));
  }
  return absl::StrCat(cluster_prefix, key);
}

absl::StatusOr<std::string> RecordTable::FamilyKey(absl::string_view id) const {
  auto not_one = [&]() {
    return absl::DataLossError(
        absl::StrCat("cluster: the record '", cluster_prefix, id, "' names no key of its table"));
  };
  switch (keys) {
    case Keys::kVerbatim:
      if (id.empty() || id.find(kNul) != absl::string_view::npos) return not_one();
      return std::string(id);
    case Keys::kNulAsSlash: {
      if (id.empty() || id.find(kNul) != absl::string_view::npos) return not_one();
      std::string key(id);
      for (char& c : key) {
        if (c == '/') c = '\0';
      }
      return key;
    }
    case Keys::kHex:
      return HexDecodedId(cluster_prefix, id, "a key of its table in hex");
  }
  return not_one();
}

std::unique_ptr<FamilyMirror> RecordTable::Mirror(
    std::function<absl::Status(absl::string_view family_key, const std::string& value)> check)
    const {
  const RecordTable table = *this;
  return std::make_unique<FamilyMirror>(FamilyMirror::Options{
      .prefix = cluster_prefix,
      .family = family,
      .check =
          [table, check = std::move(check)](absl::string_view id, const std::string& value) {
            absl::StatusOr<std::string> key = table.FamilyKey(id);
            if (!key.ok()) return key.status();
            return check(*key, value);
          },
      .family_key = [table](absl::string_view id) { return table.FamilyKey(id); }});
}

TableMirrors::~TableMirrors() {
  for (const std::unique_ptr<FamilyMirror>& mirror : mirrors_) view_->RemoveListener(mirror.get());
}

void TableMirrors::Follow(RecordView* view, const RecordTable& table, Check check) {
  if (view == nullptr) return;
  view_ = view;
  mirrors_.push_back(table.Mirror(std::move(check)));
  view_->AddListener(mirrors_.back().get());
}

absl::StatusOr<RecordBatch::Entry*> RecordBatch::Find(const RecordTable& table,
                                                      absl::string_view key) {
  std::string cluster_key = table.ClusterKey(key);
  auto found = by_key_.find(cluster_key);
  if (found != by_key_.end()) return found->second;
  auto entry = std::make_unique<Entry>();
  entry->table = &table;
  entry->key = std::string(key);
  if (stores_.view != nullptr) {
    absl::StatusOr<std::optional<ViewRecord>> record = stores_.view->Get(cluster_key);
    if (!record.ok()) return record.status();
    if (record->has_value()) {
      entry->value = std::move((*record)->value);
      entry->revision = (*record)->mod_revision;
    }
  } else {
    absl::StatusOr<std::optional<std::string>> stored =
        Read(*stores_.database, table, key, nullptr);
    if (!stored.ok()) return stored.status();
    entry->value = *std::move(stored);
  }
  Entry* kept = entry.get();
  entries_.push_back(std::move(entry));
  by_key_.emplace(std::move(cluster_key), kept);
  return kept;
}

absl::StatusOr<std::optional<std::string>> RecordBatch::Read(const RecordTable& table,
                                                             absl::string_view key) {
  absl::StatusOr<Entry*> entry = Find(table, key);
  if (!entry.ok()) return entry.status();
  return (*entry)->value;
}

absl::StatusOr<std::optional<std::string>> RecordBatch::Read(const Database& database,
                                                             const RecordTable& table,
                                                             absl::string_view key,
                                                             RecordBatch* batch) {
  if (batch != nullptr) return batch->Read(table, key);
  std::string value;
  rocksdb::Status status =
      database.db()->Get(rocksdb::ReadOptions(), table.family, internal::ToSlice(key), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (absl::Status s = internal::FromRocksDb(status, "read a record"); !s.ok()) return s;
  return value;
}

absl::Status RecordBatch::Put(const RecordTable& table, absl::string_view key, std::string value) {
  absl::StatusOr<Entry*> entry = Find(table, key);
  if (!entry.ok()) return entry.status();
  (*entry)->value = std::move(value);
  (*entry)->written = true;
  return absl::OkStatus();
}

absl::Status RecordBatch::Delete(const RecordTable& table, absl::string_view key) {
  absl::StatusOr<Entry*> entry = Find(table, key);
  if (!entry.ok()) return entry.status();
  (*entry)->value.reset();
  (*entry)->written = true;
  return absl::OkStatus();
}

absl::Status RecordBatch::Commit(std::vector<socio::v1::Notification> notifications,
                                 const RequestTicket* ticket, absl::string_view answer,
                                 bool* raced) {
  if (stores_.cluster != nullptr) {
    return CommitInCluster(std::move(notifications), ticket, answer, raced);
  }
  rocksdb::WriteBatch batch;
  for (const std::unique_ptr<Entry>& entry : entries_) {
    if (!entry->written) continue;
    rocksdb::Status s =
        entry->value.has_value()
            ? batch.Put(entry->table->family, internal::ToSlice(entry->key), *entry->value)
            : batch.Delete(entry->table->family, internal::ToSlice(entry->key));
    if (!s.ok()) return internal::FromRocksDb(s, "prepare a write");
  }
  if (ticket != nullptr) {
    RequestIdStore::AddTo(*stores_.database, *ticket, answer, absl::Now(), &batch);
  }
  if (stores_.notifications != nullptr) {
    return stores_.notifications->Commit(&batch, std::move(notifications), stores_.sync_writes);
  }
  if (!notifications.empty()) {
    return absl::InternalError("a write with notifications names no notification store");
  }
  rocksdb::WriteOptions options;
  options.sync = stores_.sync_writes;
  return internal::FromRocksDb(stores_.database->db()->Write(options, &batch), "write");
}

absl::Status RecordBatch::CommitInCluster(std::vector<socio::v1::Notification> notifications,
                                          const RequestTicket* ticket, absl::string_view answer,
                                          bool* raced) {
  std::vector<RecordWrite> writes;
  for (const auto& [cluster_key, entry] : by_key_) {
    RecordWrite write{
        .key = cluster_key,
        .value = entry->value,
        .expected_revision = entry->revision,
        // Deleting what is not there writes nothing, but
        // still requires it to stay absent.
        .compare_only = !entry->written || (!entry->value.has_value() && entry->revision == 0)};
    writes.push_back(std::move(write));
  }
  if (!notifications.empty()) {
    if (stores_.notifications == nullptr) {
      return absl::InternalError("a write with notifications names no notification store");
    }
    absl::StatusOr<std::vector<RecordWrite>> told =
        stores_.notifications->ClusterWrites(std::move(notifications));
    if (!told.ok()) return told.status();
    writes.insert(writes.end(), told->begin(), told->end());
  }
  if (ticket != nullptr) {
    // Remembered in the same transaction: a retry on any node finds it.
    absl::StatusOr<RecordWrite> remembered =
        RequestIdStore::ClusterWrite(*stores_.view, *ticket, answer, absl::Now());
    if (!remembered.ok()) return remembered.status();
    writes.push_back(*std::move(remembered));
  }
  absl::StatusOr<int64_t> written = stores_.cluster->Write(writes);
  if (!absl::IsAborted(written.status())) return written.status();
  // Another node's write came first: once this node has it, read again.
  const absl::Time deadline = absl::Now() + kRaceWait;
  for (bool seen = false; !seen && absl::Now() < deadline;) {
    for (const auto& [cluster_key, entry] : by_key_) {
      absl::StatusOr<int64_t> now = RevisionOf(*stores_.view, cluster_key);
      if (!now.ok() || *now != entry->revision) {
        seen = true;
        break;
      }
    }
    if (!seen) absl::SleepFor(absl::Milliseconds(2));
  }
  *raced = true;
  return absl::AbortedError(
      "the records this write read kept being changed by other writes; read them again and "
      "retry");
}

}  // namespace socio::storage
