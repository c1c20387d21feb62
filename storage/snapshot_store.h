// SnapshotStore: named blobs of derived state, such as the matcher's index,
// kept in the "snapshots" column family of a shared Database so a restart
// can load them instead of deriving them again from the profiles.
//
//   absl::StatusOr<std::unique_ptr<SnapshotStore>> snapshots = SnapshotStore::Open(*db);
//   (*snapshots)->Put("match_index", sequence, bytes);
//   absl::StatusOr<Snapshot> loaded = (*snapshots)->Get("match_index");
//   // loaded->sequence: the profile change the state was derived up to
//
// A snapshot is replaced whole: Put writes the new bytes in chunks under a new
// generation and then, in one synced write, points the name at it, so a crash
// at any moment leaves either the old snapshot or the new one, never a mix.
// Snapshots are a cache: whoever reads one must be able to do without it.
//
// Thread safety: every method may be called from any thread; Puts of one
// name are serialised.
#ifndef SOCIO_STORAGE_SNAPSHOT_STORE_H_
#define SOCIO_STORAGE_SNAPSHOT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "storage/database.h"

namespace socio::storage {

struct Snapshot {
  uint64_t sequence = 0;  // as given to Put
  std::string data;
};

class SnapshotStore {
 public:
  // Opens the store over an open `database`, which it shares.
  // INVALID_ARGUMENT if `database` is missing.
  static absl::StatusOr<std::unique_ptr<SnapshotStore>> Open(std::shared_ptr<Database> database);

  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // Replaces the snapshot `name` (1..64 characters, no NUL) with `data`,
  // derived up to change `sequence`. Returns once the new snapshot is durable;
  // the space of the old one is reclaimed later by compaction.
  absl::Status Put(absl::string_view name, uint64_t sequence, absl::string_view data);

  // The snapshot `name`. NOT_FOUND if none was ever put; DATA_LOSS if its
  // chunks are missing or do not add up.
  absl::StatusOr<Snapshot> Get(absl::string_view name) const;

 private:
  explicit SnapshotStore(std::shared_ptr<Database> database);

  const std::shared_ptr<Database> database_;
  absl::Mutex put_mu_;
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_SNAPSHOT_STORE_H_
