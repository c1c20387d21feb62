// RecordBatch: one write of a store's records, kept either in the column
// families of the node's Database (the embedded store) or in etcd (a
// cluster node, where the families are the node's copy; see docs/CLUSTER.md),
// with the notifications it causes and a request's answer, all or nothing.
//
//   const RecordTable marks{database->interests(), "socio/interests/",
//                           RecordTable::Keys::kHex};
//   return RetryingRaces<Interest>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Interest> {
//     RecordBatch batch(records_);
//     absl::StatusOr<std::optional<std::string>> theirs = batch.Read(marks, their_key);
//     ...
//     if (absl::Status s = batch.Put(marks, my_key, mine.SerializeAsString()); !s.ok()) return s;
//     if (absl::Status s = batch.Commit(std::move(told), ticket, answer, raced); !s.ok()) return s;
//     return mine;
//   });
//
// What a batch promises in cluster mode: the transaction it commits compares
// the etcd revision of every record it read (Read) or wrote (Put, Delete)
// with the one the node's view held when the batch looked, so a decision
// made on what was read holds when the write lands. If another node's write
// came first, nothing is written, `*raced` is set and Commit returns ABORTED
// once the view has that write: read again (RetryingRaces does).
// In embedded mode the caller's lock (the one RetryingRaces holds) keeps the
// reads and the write together; nothing races.
//
// Thread safety: a RecordBatch is used by one thread.
#ifndef SOCIO_STORAGE_RECORD_BATCH_H_
#define SOCIO_STORAGE_RECORD_BATCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "socio/v1/notification.pb.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "storage/replicated_records.h"
#include "storage/request_ids.h"

namespace rocksdb {
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace socio::storage {

// Where one kind of record is kept: a column family, and on a cluster node
// the etcd keys `cluster_prefix` + the family key, written as `keys` says.
struct RecordTable {
  enum class Keys {
    kVerbatim,    // ids as they are (no '/', no NUL)
    kNulAsSlash,  // "<a>\0<b>" as "<a>/<b>" (ids without '/')
    kHex,         // any bytes, in hex
  };
  rocksdb::ColumnFamilyHandle* family = nullptr;  // not owned
  std::string cluster_prefix;                     // "socio/interests/"
  Keys keys = Keys::kVerbatim;

  // The etcd key of the record under `key` in the family.
  std::string ClusterKey(absl::string_view key) const;
  // The family key of the etcd record `cluster_prefix` + `id`; DATA_LOSS
  // naming the record if `id` is no key of this table.
  absl::StatusOr<std::string> FamilyKey(absl::string_view id) const;
  // The listener that keeps the family a copy of the etcd records; `check`
  // as FamilyMirror::Options::check (DATA_LOSS for a value that is not the
  // record of its family key).
  std::unique_ptr<FamilyMirror> Mirror(
      std::function<absl::Status(absl::string_view family_key, const std::string& value)> check)
      const;
};

// The listeners that keep a store's families copies of its records on a
// cluster node (RecordTable::Mirror), removed from the view when destroyed.
// In the embedded store (no view) it holds none and does nothing.
class TableMirrors {
 public:
  // DATA_LOSS (saying why) unless `value` is the record under `family_key`.
  using Check = std::function<absl::Status(absl::string_view family_key, const std::string& value)>;

  TableMirrors() = default;
  ~TableMirrors();
  TableMirrors(const TableMirrors&) = delete;
  TableMirrors& operator=(const TableMirrors&) = delete;

  // With a `view`: keeps `table`'s family a copy of its records in `view`
  // from now on, each record checked with `check`. REQUIRES: the view is
  // not being fed yet (RecordView::AddListener); one view for all calls.
  void Follow(RecordView* view, const RecordTable& table, Check check);

 private:
  RecordView* view_ = nullptr;
  std::vector<std::unique_ptr<FamilyMirror>> mirrors_;
};

// What a store's batches are written through. In cluster mode `view` and
// `cluster` are set (and `notifications` is in cluster mode too).
struct RecordStores {
  Database* database = nullptr;                // not owned
  NotificationStore* notifications = nullptr;  // not owned; required to notify
  RecordView* view = nullptr;                  // cluster mode
  RecordWriter* cluster = nullptr;             // cluster mode
  bool sync_writes = true;
};

class RecordBatch {
 public:
  explicit RecordBatch(const RecordStores& stores) : stores_(stores) {}
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;

  // The record under `key` in `table` as this batch would leave it (what it
  // writes, or else what is stored); std::nullopt if none. The write
  // requires it to be unchanged.
  absl::StatusOr<std::optional<std::string>> Read(const RecordTable& table, absl::string_view key);
  // The same through `batch` if given, else from the node's family (a read
  // outside any write).
  static absl::StatusOr<std::optional<std::string>> Read(const Database& database,
                                                         const RecordTable& table,
                                                         absl::string_view key, RecordBatch* batch);
  // Sets the record under `key`, or deletes it. The last of a batch's
  // writes of a key is the one written.
  absl::Status Put(const RecordTable& table, absl::string_view key, std::string value);
  absl::Status Delete(const RecordTable& table, absl::string_view key);

  // Writes the batch, `notifications` and (with a `ticket`) the request's
  // `answer` (request_ids.h) as one write. ABORTED with `*raced` set if
  // another node's write came first (cluster mode; nothing written).
  // Other errors as RecordWriter::Write or the database's.
  absl::Status Commit(std::vector<socio::v1::Notification> notifications,
                      const RequestTicket* ticket, absl::string_view answer, bool* raced);

 private:
  struct Entry {
    const RecordTable* table;
    std::string key;
    std::optional<std::string> value;  // as the batch leaves it
    int64_t revision = 0;              // cluster mode: as read
    bool written = false;
  };
  // The entry of `key` in `table`, looked up in the store if new.
  absl::StatusOr<Entry*> Find(const RecordTable& table, absl::string_view key);
  absl::Status CommitInCluster(std::vector<socio::v1::Notification> notifications,
                               const RequestTicket* ticket, absl::string_view answer, bool* raced);

  const RecordStores stores_;
  std::vector<std::unique_ptr<Entry>> entries_;      // in the order first named
  absl::flat_hash_map<std::string, Entry*> by_key_;  // by cluster key
};

// Runs `attempt` under `mu` until it has not raced another node's write
// (RecordBatch::Commit's `*raced`), at most kRaceAttempts times; returns its
// last result.
inline constexpr int kRaceAttempts = 5;
template <typename T>
absl::StatusOr<T> RetryingRaces(absl::Mutex* mu,
                                const std::function<absl::StatusOr<T>(bool* raced)>& attempt) {
  absl::MutexLock lock(mu);
  for (int tries = 1;; ++tries) {
    bool raced = false;
    absl::StatusOr<T> result = attempt(&raced);
    if (!raced || tries == kRaceAttempts) return result;
  }
}

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_RECORD_BATCH_H_
