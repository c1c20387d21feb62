// Translation of RocksDB statuses into absl::Status, done once at the edge of
// storage/ so nothing above it sees RocksDB types.
#ifndef SOCIO_STORAGE_INTERNAL_ROCKSDB_STATUS_H_
#define SOCIO_STORAGE_INTERNAL_ROCKSDB_STATUS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace socio::storage::internal {

// OK stays OK. Otherwise the closest canonical code (NotFound -> NOT_FOUND,
// Busy/TryAgain -> UNAVAILABLE, Corruption -> DATA_LOSS, a full file system
// -> RESOURCE_EXHAUSTED saying what to do, IOError and the rest -> INTERNAL),
// with `context` ("write profile batch") before RocksDB's text. A full file
// system is also counted (see StorageFullErrors in database.h).
absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context);

// How many statuses FromRocksDb has seen for a full file system.
int64_t StorageFullCount();

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_ROCKSDB_STATUS_H_
