#include "storage/internal/rocksdb_status.h"

#include <atomic>

#include "absl/strings/str_cat.h"

namespace socio::storage::internal {
namespace {

std::atomic<int64_t> storage_full_count{0};

}  // namespace

absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  if (status.IsNoSpace()) {
    storage_full_count.fetch_add(1, std::memory_order_relaxed);
    // RocksDB refuses writes from the first failed one on and retries by
    // itself; its SstFileManager lets writes resume once it finds room for
    // a memtable (64 MiB) free.
    return absl::ResourceExhaustedError(absl::StrCat(
        context, ": the disk holding the data directory is full (", status.ToString(),
        "); free space on it: writes resume by themselves once 64 MiB are free, or at the "
        "next start"));
  }
  std::string message = absl::StrCat(context, ": ", status.ToString());
  switch (status.code()) {
    case rocksdb::Status::kNotFound:
      return absl::NotFoundError(message);
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
    case rocksdb::Status::kTimedOut:
      return absl::UnavailableError(message);
    case rocksdb::Status::kCorruption:
      return absl::DataLossError(message);
    case rocksdb::Status::kInvalidArgument:
    case rocksdb::Status::kNotSupported:
      return absl::FailedPreconditionError(message);
    case rocksdb::Status::kAborted:
      return absl::AbortedError(message);
    default:
      return absl::InternalError(message);
  }
}

int64_t StorageFullCount() { return storage_full_count.load(std::memory_order_relaxed); }

}  // namespace socio::storage::internal
