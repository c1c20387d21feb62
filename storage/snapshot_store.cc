#include "storage/snapshot_store.h"

#include <algorithm>
#include <utility>

#include "absl/base/internal/endian.h"
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

// Chunks keep every RocksDB value small enough for the memtable and the
// write-ahead log; a batch groups several of them per write.
constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr size_t kChunksPerBatch = 16;

// The pointer under the bare name: generation, sequence, size, chunk count.
struct Head {
  uint64_t generation = 0;
  uint64_t sequence = 0;
  uint64_t size = 0;
  uint64_t chunks = 0;
};

std::string EncodeHead(const Head& head) {
  std::string out(32, '\0');
  absl::big_endian::Store64(out.data(), head.generation);
  absl::big_endian::Store64(out.data() + 8, head.sequence);
  absl::big_endian::Store64(out.data() + 16, head.size);
  absl::big_endian::Store64(out.data() + 24, head.chunks);
  return out;
}

bool DecodeHead(absl::string_view bytes, Head* head) {
  if (bytes.size() != 32) return false;
  head->generation = absl::big_endian::Load64(bytes.data());
  head->sequence = absl::big_endian::Load64(bytes.data() + 8);
  head->size = absl::big_endian::Load64(bytes.data() + 16);
  head->chunks = absl::big_endian::Load64(bytes.data() + 24);
  return true;
}

// name NUL generation (8 bytes) [chunk (8 bytes)]: a generation's chunks sort
// together, after the head and in order.
std::string ChunkKey(absl::string_view name, uint64_t generation, uint64_t chunk) {
  std::string key(name);
  key.push_back('\0');
  key.resize(key.size() + 16);
  absl::big_endian::Store64(key.data() + name.size() + 1, generation);
  absl::big_endian::Store64(key.data() + name.size() + 9, chunk);
  return key;
}

absl::Status ValidateName(absl::string_view name) {
  if (name.empty() || name.size() > 64 || name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("snapshot name '", name, "': must be 1 to 64 characters without NUL"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SnapshotStore>> SnapshotStore::Open(
    std::shared_ptr<Database> database) {
  if (database == nullptr) return absl::InvalidArgumentError("database is required");
  return std::unique_ptr<SnapshotStore>(new SnapshotStore(std::move(database)));
}

SnapshotStore::SnapshotStore(std::shared_ptr<Database> database) : database_(std::move(database)) {}

absl::Status SnapshotStore::Put(absl::string_view name, uint64_t sequence, absl::string_view data) {
  if (absl::Status s = ValidateName(name); !s.ok()) return s;
  absl::MutexLock lock(&put_mu_);
  rocksdb::DB* db = database_->db();
  rocksdb::ColumnFamilyHandle* family = database_->snapshots();
  Head old;
  std::string value;
  rocksdb::Status status = db->Get(rocksdb::ReadOptions(), family, ToSlice(name), &value);
  const bool had_old = status.ok() && DecodeHead(value, &old);
  if (!status.ok() && !status.IsNotFound()) return FromRocksDb(status, "read snapshot head");

  Head head{.generation = had_old ? old.generation + 1 : 1,
            .sequence = sequence,
            .size = data.size(),
            .chunks = (data.size() + kChunkBytes - 1) / kChunkBytes};
  // The chunks go through the log unsynced: the synced write of the head
  // below syncs the log up to it, and before that nothing points at them.
  rocksdb::WriteOptions unsynced;
  for (uint64_t first = 0; first < head.chunks; first += kChunksPerBatch) {
    rocksdb::WriteBatch batch;
    for (uint64_t chunk = first; chunk < std::min(head.chunks, first + kChunksPerBatch); ++chunk) {
      const absl::string_view bytes = data.substr(chunk * kChunkBytes, kChunkBytes);
      status = batch.Put(family, ChunkKey(name, head.generation, chunk), ToSlice(bytes));
      if (!status.ok()) return FromRocksDb(status, "batch snapshot chunk");
    }
    status = db->Write(unsynced, &batch);
    if (!status.ok()) return FromRocksDb(status, "write snapshot chunks");
  }
  rocksdb::WriteBatch batch;
  status = batch.Put(family, ToSlice(name), EncodeHead(head));
  if (status.ok() && had_old) {
    status = batch.DeleteRange(family, ChunkKey(name, old.generation, 0),
                               ChunkKey(name, old.generation + 1, 0));
  }
  if (!status.ok()) return FromRocksDb(status, "batch snapshot head");
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return FromRocksDb(db->Write(synced, &batch), "write snapshot head");
}

absl::StatusOr<Snapshot> SnapshotStore::Get(absl::string_view name) const {
  if (absl::Status s = ValidateName(name); !s.ok()) return s;
  rocksdb::DB* db = database_->db();
  rocksdb::ColumnFamilyHandle* family = database_->snapshots();
  // One consistent view: a Put running meanwhile neither shows nor hides
  // chunks of the generation read here.
  const rocksdb::Snapshot* view = db->GetSnapshot();
  rocksdb::ReadOptions options;
  options.snapshot = view;
  std::string value;
  rocksdb::Status status = db->Get(options, family, ToSlice(name), &value);
  Head head;
  absl::StatusOr<Snapshot> result;
  if (status.IsNotFound()) {
    result = absl::NotFoundError(absl::StrCat("no snapshot '", name, "'"));
  } else if (!status.ok()) {
    result = FromRocksDb(status, "read snapshot head");
  } else if (!DecodeHead(value, &head)) {
    result = absl::DataLossError(absl::StrCat("snapshot '", name, "': malformed head"));
  } else {
    Snapshot snapshot;
    snapshot.sequence = head.sequence;
    snapshot.data.reserve(head.size);
    const std::string end = ChunkKey(name, head.generation + 1, 0);
    const rocksdb::Slice upper(end);
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options, family));
    uint64_t chunks = 0;
    for (it->Seek(ChunkKey(name, head.generation, 0)); it->Valid(); it->Next(), ++chunks) {
      if (it->key() != ToSlice(ChunkKey(name, head.generation, chunks))) break;
      snapshot.data.append(it->value().data(), it->value().size());
    }
    if (absl::Status s = FromRocksDb(it->status(), "read snapshot chunks"); !s.ok()) {
      result = s;
    } else if (chunks != head.chunks || snapshot.data.size() != head.size) {
      result = absl::DataLossError(absl::StrCat("snapshot '", name, "': ", chunks, " of ",
                                                head.chunks, " chunks, ", snapshot.data.size(),
                                                " of ", head.size, " bytes"));
    } else {
      result = std::move(snapshot);
    }
  }
  db->ReleaseSnapshot(view);
  return result;
}

}  // namespace socio::storage
