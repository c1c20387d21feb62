// Translation of RocksDB statuses into absl::Status, done once at the edge of
// storage/ so nothing above it sees RocksDB types.
#ifndef SOCIO_STORAGE_INTERNAL_ROCKSDB_STATUS_H_
#define SOCIO_STORAGE_INTERNAL_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace socio::storage::internal {

// OK stays OK. Otherwise the closest canonical code (NotFound -> NOT_FOUND,
// Busy/TryAgain -> UNAVAILABLE, Corruption -> DATA_LOSS, IOError and the rest
// -> INTERNAL), with `context` ("write profile batch") before RocksDB's text.
absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context);

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_ROCKSDB_STATUS_H_
