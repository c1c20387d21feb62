// MaterializedView: a node's local copy of records whose store of record is
// elsewhere (etcd, in cluster mode), as they were at one revision of it. The
// records and that revision are written together in one RocksDB write, so
// after a crash the view is the source's state at the revision it says it
// has applied, never a mix; from there it catches up, and it can always be
// rebuilt from the source. It never goes back: a revision lower than the one
// applied is refused (etcd 3.4 before 3.4.32 could hand one out after a
// crash during compaction).
//
//   auto view = MaterializedView::Open(database);
//   (*view)->Replace(records_read_at_r, r);              // a full read
//   (*view)->Apply({{"profiles/p-1", bytes, r + 1}}, r + 1);  // then each change
//   (*view)->AwaitRevision(r + 1, absl::Seconds(5));     // read your own write
//
// Keys are the source's keys, values its values, each with the revision of
// its last change. Stores that derive tables of their own from some of the
// records (a cluster node's ProfileStore) listen (see replicated_records.h):
// their rows go in the same write. One view per Database (it has one column family).
// Thread safety: safe for concurrent use; Apply and Replace are meant for
// one writer (the node's materializer).
#ifndef SOCIO_STORAGE_MATERIALIZED_VIEW_H_
#define SOCIO_STORAGE_MATERIALIZED_VIEW_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/database.h"
#include "storage/replicated_records.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

class MaterializedView final : public RecordView {
 public:
  // The view of `database`, with the revision it last applied (0: none).
  static absl::StatusOr<std::unique_ptr<MaterializedView>> Open(std::shared_ptr<Database> database);

  // The source's revision the view holds: every change up to it, none after.
  int64_t applied_revision() const override;

  // Applies `changes` (in revision order, each after applied_revision() and
  // at most `revision`) and records `revision` as applied, in one synced
  // write, together with what each listener derives from the changes under
  // its prefix. `revision` equal to applied_revision() with no changes is a
  // no-op. FAILED_PRECONDITION, with nothing written, if `revision` or a
  // change's revision is not after applied_revision(), or the changes are
  // out of order.
  absl::Status Apply(const std::vector<ViewChange>& changes, int64_t revision);

  // Replaces every record with `records` (the source's whole state, read at
  // `revision`) in one write, with each listener's tables replaced by what
  // it derives from them. FAILED_PRECONDITION, with nothing written, if
  // `revision` is lower than applied_revision() or a record's mod_revision
  // is after it.
  absl::Status Replace(const std::vector<ViewRecord>& records, int64_t revision);

  // The record of `key`; std::nullopt if the view has none.
  absl::StatusOr<std::optional<ViewRecord>> Get(absl::string_view key) const override;
  // Every record whose key starts with `prefix`, in key order.
  absl::StatusOr<std::vector<ViewRecord>> List(absl::string_view prefix) const;

  // Returns once applied_revision() >= `revision`; DEADLINE_EXCEEDED, saying
  // both revisions, after `timeout`.
  absl::Status AwaitRevision(int64_t revision, absl::Duration timeout) const;

  // See RecordView::AddListener.
  void AddListener(ViewListener* listener) override;
  void RemoveListener(ViewListener* listener) override;

 private:
  MaterializedView(std::shared_ptr<Database> database, int64_t applied);
  absl::Status Write(rocksdb::WriteBatch& batch, int64_t revision, absl::string_view what)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const std::shared_ptr<Database> database_;
  mutable absl::Mutex mu_;
  int64_t applied_ ABSL_GUARDED_BY(mu_);
  // Held by Apply and Replace for their check and write.
  absl::Mutex write_mu_;
  std::vector<ViewListener*> listeners_ ABSL_GUARDED_BY(write_mu_);
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_MATERIALIZED_VIEW_H_
