// Between RocksDB's Slice and absl::string_view, which Debian's Abseil does
// not alias to std::string_view, so neither converts to the other.
#ifndef SOCIO_STORAGE_INTERNAL_SLICES_H_
#define SOCIO_STORAGE_INTERNAL_SLICES_H_

#include "absl/strings/string_view.h"
#include "rocksdb/slice.h"

namespace socio::storage::internal {

// Both refer to the bytes of their argument, which must outlive them.
inline absl::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }
inline rocksdb::Slice ToSlice(absl::string_view view) { return {view.data(), view.size()}; }

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_SLICES_H_
