// GroupCommit: lets a store that checks and prepares its writes one at a time,
// under its own write lock, commit them several at once: the batches queued
// while one synced write is under way go to RocksDB together in the next, one
// WAL append and one fsync for all of them. RocksDB groups concurrent writers
// by itself, but only those that call Write at the same moment; a store that
// holds its lock across the Write never has two.
//
//   absl::MutexLock lock(&write_mu_);
//   commits_.AwaitKeys({id});            // no queued write holds `id` any more
//   ... read what is stored, check, build `batch` with sequences first..last ...
//   absl::Status s = commits_.Commit(std::move(batch), {id}, first, last);
//
// Commit releases the write lock while it waits or writes, so the next writer
// can check and queue meanwhile. A queued write is not in RocksDB yet: a
// writer must AwaitKeys the keys it reads before it reads them, and Commit
// keeps a write's keys held until its batch is written (or failed).
//
// Batches are written in the order they were queued, so the order of their
// sequence numbers is the commit order. If a write fails, its batches and
// every batch queued after them fail with its error and are not written;
// `on_failed` is told the first sequence number of the first of them, which
// the store hands out again. After a write succeeds, `on_written` is told the
// last sequence number it stored. Both are called with the write lock held.
//
// Thread safety: every method REQUIRES the store's write lock (`mu`).
#ifndef SOCIO_STORAGE_INTERNAL_GROUP_COMMIT_H_
#define SOCIO_STORAGE_INTERNAL_GROUP_COMMIT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/write_batch.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace socio::storage::internal {

class GroupCommit {
 public:
  struct Callbacks {
    std::function<void(uint64_t last_sequence)> on_written;
    std::function<void(uint64_t first_sequence)> on_failed;
  };

  // `db`, its column `families` (every one a queued batch may write) and
  // `mu` must outlive this object. `what` names the write in errors.
  GroupCommit(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& families, bool sync,
              absl::Mutex* mu, std::string what, Callbacks callbacks);
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Returns once no queued write holds any of `keys`, releasing the write
  // lock while it waits.
  void AwaitKeys(const std::vector<std::string>& keys) ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu_);

  // Queues `batch`, whose change-log entries are first_sequence..last_sequence
  // (0, 0 for none), holding `keys`, and returns once it is written or has
  // failed: the status of the RocksDB write that carried it.
  absl::Status Commit(rocksdb::WriteBatch batch, std::vector<std::string> keys,
                      uint64_t first_sequence, uint64_t last_sequence)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu_);

  // Writes RocksDB has been asked for, and batches they carried: for tests
  // and figures.
  uint64_t writes() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu_) { return writes_; }
  uint64_t batches() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu_) { return batches_; }

 private:
  struct Queued {
    rocksdb::WriteBatch batch;
    std::vector<std::string> keys;
    uint64_t first_sequence = 0;
    uint64_t last_sequence = 0;
    bool done = false;
    absl::Status status;
  };

  // Takes every queued batch and writes them; REQUIRES: no write under way.
  void WriteQueued() ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu_);
  // Marks `q` done with `status` and lets its keys go.
  void Finish(Queued* q, const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu_);

  rocksdb::DB* const db_;
  absl::flat_hash_map<uint32_t, rocksdb::ColumnFamilyHandle*> families_;  // by id
  const bool sync_;
  absl::Mutex* const mu_;
  const std::string what_;
  const Callbacks callbacks_;

  std::deque<Queued*> queue_ ABSL_GUARDED_BY(*mu_);
  bool writing_ ABSL_GUARDED_BY(*mu_) = false;
  // The queued writer a finished write named to write the queue next; null:
  // whoever finds no write under way.
  const Queued* next_leader_ ABSL_GUARDED_BY(*mu_) = nullptr;
  absl::flat_hash_map<std::string, int> held_ ABSL_GUARDED_BY(*mu_);  // key: queued writes
  uint64_t writes_ ABSL_GUARDED_BY(*mu_) = 0;
  uint64_t batches_ ABSL_GUARDED_BY(*mu_) = 0;
};

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_GROUP_COMMIT_H_
