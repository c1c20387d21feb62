// The two sides of a store whose records live elsewhere (etcd, on a cluster
// node; see docs/CLUSTER.md): a RecordView, the node's local copy of the
// records as of one revision of the store of record, and a RecordWriter,
// which writes to the store of record by compare-and-swap. A store that
// keeps tables of its own derived from those records (the profiles' chamber
// index and change log, say) registers a ViewListener, whose rows are written
// in the same local write as the records they derive from.
//
// storage/ defines these and never speaks to etcd itself: services/etcd
// implements RecordWriter (ClusterRecords); storage/materialized_view.h
// implements RecordView.
#ifndef SOCIO_STORAGE_REPLICATED_RECORDS_H_
#define SOCIO_STORAGE_REPLICATED_RECORDS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace rocksdb {
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

// A record as the store of record held it.
struct ViewRecord {
  std::string key;
  std::string value;
  int64_t mod_revision = 0;  // the store of record's revision of its last change
};

// A change of the store of record: `key` put to `value`, or deleted
// (std::nullopt), at `revision`.
struct ViewChange {
  std::string key;
  std::optional<std::string> value;
  int64_t revision = 0;
};

// One key of a write: set to `value`, or deleted (std::nullopt), if its
// revision is still `expected_revision` (0: it must not exist). With
// `compare_only`, the key is not written: the write only requires its
// revision (a record the write's decision read, say).
struct RecordWrite {
  std::string key;
  std::optional<std::string> value;
  int64_t expected_revision = 0;
  // Zero: kept until written again. Otherwise the store of record deletes
  // the record (a change every view applies) at least this long after the
  // write and at most 1/24 longer. Only with a value.
  absl::Duration expires_after = absl::ZeroDuration();
  bool compare_only = false;
};

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Writes `writes` as one transaction if every key's revision is still the
  // expected one, and returns the revision written at once the node's
  // RecordView has applied it (so the caller reads its own write).
  // ABORTED: a key's revision had moved on, nothing written; read again.
  // UNAVAILABLE: certainly not written. DEADLINE_EXCEEDED: the outcome could
  // not be learnt in time (the message says so). INVALID_ARGUMENT if
  // `writes` is empty or names a key twice.
  virtual absl::StatusOr<int64_t> Write(const std::vector<RecordWrite>& writes) = 0;
};

// A store's tables derived from the records under prefix(). Its calls come
// one at a time, from the view's writer, while the view is being written.
class ViewListener {
 public:
  virtual ~ViewListener() = default;
  // The keys whose records it derives from.
  virtual absl::string_view prefix() const = 0;
  // Adds to `batch` what `changes` (those under prefix(), in revision order;
  // several may share a revision, in the order of its transaction) make of
  // its tables, as they stand before `batch`.
  virtual absl::Status AddChanges(const std::vector<const ViewChange*>& changes,
                                  rocksdb::WriteBatch* batch) = 0;
  // Adds to `batch` what replaces its tables by those of `records` (every
  // record under prefix(), read at `revision`).
  virtual absl::Status AddReplacement(const std::vector<const ViewRecord*>& records,
                                      int64_t revision, rocksdb::WriteBatch* batch) = 0;
  // The batch last given to AddChanges or AddReplacement is durable, and
  // `revision` is applied; called before the view says so to anyone waiting
  // for that revision.
  virtual void Written(int64_t revision) = 0;
  // The batch last given could not be written (nothing of it is stored).
  virtual void Dropped() = 0;
};

class RecordView {
 public:
  virtual ~RecordView() = default;
  // The store of record's revision the view holds: every change up to it,
  // none after.
  virtual int64_t applied_revision() const = 0;
  // The record of `key`; std::nullopt if the view has none.
  virtual absl::StatusOr<std::optional<ViewRecord>> Get(absl::string_view key) const = 0;
  // Adds `listener` (not owned; must outlive the view) for every later write
  // of the view. REQUIRES: nothing is being applied (call it before the
  // view is fed).
  virtual void AddListener(ViewListener* listener) = 0;
  // Stops calling `listener`; returns once no call to it is in progress.
  virtual void RemoveListener(ViewListener* listener) = 0;
};

// The listener of a store whose table is a copy of the records under a
// prefix: each record's key without the prefix (or what `family_key` makes
// of it), and its value.
class FamilyMirror final : public ViewListener {
 public:
  struct Options {
    std::string prefix;
    rocksdb::ColumnFamilyHandle* family = nullptr;  // not owned
    // DATA_LOSS (saying why) unless `value` is the record of `id` (the key
    // without the prefix); written nowhere then.
    std::function<absl::Status(absl::string_view id, const std::string& value)> check;
    // Optional: the table's key of the record of `id`; DATA_LOSS (saying
    // why) for an id that names none. Default: `id` itself.
    std::function<absl::StatusOr<std::string>(absl::string_view id)> family_key;
    // Optional: after a write, the ids it changed, or (`replaced`) every id.
    std::function<void(const std::vector<std::string>& ids, bool replaced)> written;
  };
  explicit FamilyMirror(Options options) : options_(std::move(options)) {}

  absl::string_view prefix() const override { return options_.prefix; }
  absl::Status AddChanges(const std::vector<const ViewChange*>& changes,
                          rocksdb::WriteBatch* batch) override;
  absl::Status AddReplacement(const std::vector<const ViewRecord*>& records, int64_t revision,
                              rocksdb::WriteBatch* batch) override;
  void Written(int64_t revision) override;
  void Dropped() override;

 private:
  absl::StatusOr<std::string> FamilyKey(absl::string_view id) const;

  const Options options_;
  std::vector<std::string> changed_;  // ids the batch writes
  bool replaced_ = false;
};

// Past every key of the tables derived from records (ids, chamber ids,
// handles, token ids and sequence keys never start with 0xFF bytes): the end
// of the range a listener clears before a full read.
inline constexpr absl::string_view kEndOfKeys = "\xff\xff\xff\xff\xff\xff\xff\xff";

// The bytes a record's id after `prefix` encodes in hex (for tables keyed
// by bytes etcd keys should not hold); DATA_LOSS saying the record
// `prefix``id` is not `what` unless `id` is a non-empty even run of hex
// digits.
absl::StatusOr<std::string> HexDecodedId(absl::string_view prefix, absl::string_view id,
                                         absl::string_view what);

// The revision of `key`'s record in `view` (0: it has none).
absl::StatusOr<int64_t> RevisionOf(const RecordView& view, const std::string& key);

// For a writer whose write lost a race (ABORTED): returns once the view's
// record of `key` is no longer at `revision` (the winner may have deleted it,
// a change the writer learns no revision of), or after `timeout`.
void AwaitChange(const RecordView& view, const std::string& key, int64_t revision,
                 absl::Duration timeout = absl::Seconds(1));

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_REPLICATED_RECORDS_H_
