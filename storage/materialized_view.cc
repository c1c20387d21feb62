#include "storage/materialized_view.h"

#include <algorithm>
#include <utility>

#include "absl/base/internal/endian.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"

namespace socio::storage {
namespace {

using internal::FromRocksDb;
using internal::ToSlice;
using internal::View;

// The family's keys: "r" + the source's key -> 8 bytes of mod_revision (big
// endian) + the value; "m" -> 8 bytes of the applied revision.
constexpr char kRecordTag = 'r';
constexpr absl::string_view kAppliedKey = "m";

std::string RecordKey(absl::string_view key) { return absl::StrCat("r", key); }

std::string EncodeRevision(int64_t revision) {
  std::string bytes(8, '\0');
  absl::big_endian::Store64(bytes.data(), static_cast<uint64_t>(revision));
  return bytes;
}

int64_t DecodeRevision(absl::string_view bytes) {
  return static_cast<int64_t>(absl::big_endian::Load64(bytes.data()));
}

absl::StatusOr<ViewRecord> DecodeRecord(absl::string_view key, absl::string_view stored) {
  if (stored.size() < 8) {
    return absl::DataLossError(absl::StrCat("cluster view: record '", key, "' is truncated"));
  }
  return ViewRecord{std::string(key), std::string(stored.substr(8)),
                    DecodeRevision(stored.substr(0, 8))};
}

}  // namespace

absl::StatusOr<std::unique_ptr<MaterializedView>> MaterializedView::Open(
    std::shared_ptr<Database> database) {
  std::string stored;
  rocksdb::Status status = database->db()->Get(rocksdb::ReadOptions(), database->cluster_view(),
                                               ToSlice(kAppliedKey), &stored);
  int64_t applied = 0;
  if (status.ok()) {
    if (stored.size() != 8) {
      return absl::DataLossError("cluster view: the applied revision is damaged");
    }
    applied = DecodeRevision(stored);
  } else if (!status.IsNotFound()) {
    return FromRocksDb(status, "read the cluster view's revision");
  }
  return std::unique_ptr<MaterializedView>(new MaterializedView(std::move(database), applied));
}

MaterializedView::MaterializedView(std::shared_ptr<Database> database, int64_t applied)
    : database_(std::move(database)), applied_(applied) {}

int64_t MaterializedView::applied_revision() const {
  absl::MutexLock lock(&mu_);
  return applied_;
}

absl::Status MaterializedView::Apply(const std::vector<ViewChange>& changes, int64_t revision) {
  absl::MutexLock write_lock(&write_mu_);
  const int64_t applied = applied_revision();
  if (changes.empty() && revision == applied) return absl::OkStatus();
  if (revision <= applied) {
    return absl::FailedPreconditionError(
        absl::StrCat("cluster view: revision ", revision, " is not after the applied revision ",
                     applied, "; the store of record went back in time, refused"));
  }
  rocksdb::WriteBatch batch;
  int64_t last = applied;
  for (const ViewChange& change : changes) {
    if (change.revision <= applied || change.revision < last || change.revision > revision) {
      return absl::FailedPreconditionError(
          absl::StrCat("cluster view: change of '", change.key, "' at revision ", change.revision,
                       " is out of order (applied ", applied, ", batch up to ", revision, ")"));
    }
    last = change.revision;
    const std::string key = RecordKey(change.key);
    rocksdb::Status s =
        change.value.has_value()
            ? batch.Put(database_->cluster_view(), key,
                        absl::StrCat(EncodeRevision(change.revision), *change.value))
            : batch.Delete(database_->cluster_view(), key);
    if (!s.ok()) return FromRocksDb(s, "prepare the cluster view's changes");
  }
  for (ViewListener* listener : listeners_) {
    std::vector<const ViewChange*> mine;
    for (const ViewChange& change : changes) {
      if (absl::StartsWith(change.key, listener->prefix())) mine.push_back(&change);
    }
    if (mine.empty()) continue;
    if (absl::Status s = listener->AddChanges(mine, &batch); !s.ok()) {
      for (ViewListener* l : listeners_) l->Dropped();
      return s;
    }
  }
  return Write(batch, revision, "apply changes to the cluster view");
}

absl::Status MaterializedView::Replace(const std::vector<ViewRecord>& records, int64_t revision) {
  absl::MutexLock write_lock(&write_mu_);
  const int64_t applied = applied_revision();
  if (revision < applied) {
    return absl::FailedPreconditionError(
        absl::StrCat("cluster view: revision ", revision, " is before the applied revision ",
                     applied, "; the store of record went back in time, refused"));
  }
  rocksdb::WriteBatch batch;
  // Every record key: from "r" up to "s".
  rocksdb::Status s = batch.DeleteRange(database_->cluster_view(), std::string(1, kRecordTag),
                                        std::string(1, kRecordTag + 1));
  for (const ViewRecord& record : records) {
    if (!s.ok()) break;
    if (record.mod_revision > revision) {
      return absl::FailedPreconditionError(
          absl::StrCat("cluster view: record '", record.key, "' changed at revision ",
                       record.mod_revision, ", after the revision read, ", revision));
    }
    s = batch.Put(database_->cluster_view(), RecordKey(record.key),
                  absl::StrCat(EncodeRevision(record.mod_revision), record.value));
  }
  if (!s.ok()) return FromRocksDb(s, "prepare the cluster view's records");
  for (ViewListener* listener : listeners_) {
    std::vector<const ViewRecord*> mine;
    for (const ViewRecord& record : records) {
      if (absl::StartsWith(record.key, listener->prefix())) mine.push_back(&record);
    }
    if (absl::Status s = listener->AddReplacement(mine, revision, &batch); !s.ok()) {
      for (ViewListener* l : listeners_) l->Dropped();
      return s;
    }
  }
  return Write(batch, revision, "replace the cluster view");
}

absl::Status MaterializedView::Write(rocksdb::WriteBatch& batch, int64_t revision,
                                     absl::string_view what) {
  rocksdb::Status s =
      batch.Put(database_->cluster_view(), ToSlice(kAppliedKey), EncodeRevision(revision));
  rocksdb::WriteOptions options;
  options.sync = true;
  if (s.ok()) s = database_->db()->Write(options, &batch);
  if (!s.ok()) {
    for (ViewListener* listener : listeners_) listener->Dropped();
    return FromRocksDb(s, what);
  }
  for (ViewListener* listener : listeners_) listener->Written(revision);
  absl::MutexLock lock(&mu_);
  applied_ = revision;
  return absl::OkStatus();
}

void MaterializedView::AddListener(ViewListener* listener) {
  absl::MutexLock write_lock(&write_mu_);
  listeners_.push_back(listener);
}

void MaterializedView::RemoveListener(ViewListener* listener) {
  absl::MutexLock write_lock(&write_mu_);
  listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), listener), listeners_.end());
}

absl::StatusOr<std::optional<ViewRecord>> MaterializedView::Get(absl::string_view key) const {
  std::string stored;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->cluster_view(),
                                           RecordKey(key), &stored);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocksDb(s, "read the cluster view");
  absl::StatusOr<ViewRecord> record = DecodeRecord(key, stored);
  if (!record.ok()) return record.status();
  return std::move(*record);
}

absl::StatusOr<std::vector<ViewRecord>> MaterializedView::List(absl::string_view prefix) const {
  std::vector<ViewRecord> records;
  const std::string start = RecordKey(prefix);
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->cluster_view()));
  for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
    absl::StatusOr<ViewRecord> record = DecodeRecord(View(it->key()).substr(1), View(it->value()));
    if (!record.ok()) return record.status();
    records.push_back(std::move(*record));
  }
  if (absl::Status s = FromRocksDb(it->status(), "list the cluster view"); !s.ok()) return s;
  return records;
}

absl::Status MaterializedView::AwaitRevision(int64_t revision, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  struct Wait {
    const MaterializedView* view;
    int64_t revision;
  } wait{this, revision};
  if (!mu_.AwaitWithTimeout(absl::Condition(
                                +[](Wait* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                  return w->view->applied_ >= w->revision;
                                },
                                &wait),
                            timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("cluster view: revision ", revision, " not applied within ",
                     absl::FormatDuration(timeout), " (applied: ", applied_, ")"));
  }
  return absl::OkStatus();
}

}  // namespace socio::storage
