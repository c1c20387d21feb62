#include "storage/database.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/internal/rocksdb_status.h"

namespace socio::storage {

absl::StatusOr<std::shared_ptr<Database>> Database::Open(const std::string& dir,
                                                         const DatabaseOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  // Directories from before a family existed get it, empty.
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  // Reused log files are already allocated, so a synced write's fdatasync
  // need not update the inode: lower latency for every acknowledged write.
  db_options.recycle_log_file_num = 4;
  if (options.env != nullptr) db_options.env = options.env;

  rocksdb::ColumnFamilyOptions family_options(db_options);
  // Profiles are looked up by id, and an import looks up ids that are mostly
  // absent: Bloom filters in the memtable and the table files answer those
  // misses without searching.
  rocksdb::ColumnFamilyOptions profile_options = family_options;
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  profile_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  profile_options.memtable_prefix_bloom_size_ratio = 0.05;
  profile_options.memtable_whole_key_filtering = true;
  // Snapshots are large blobs read whole and already compact: no compression,
  // big blocks.
  rocksdb::ColumnFamilyOptions snapshot_options = family_options;
  snapshot_options.compression = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions snapshot_table;
  snapshot_table.block_size = 1 << 20;
  snapshot_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(snapshot_table));
  // In the order of Family. The names are the on-disk format: never rename one.
  const std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, family_options},
      {"profiles", profile_options},
      {"profiles_by_chamber", family_options},
      {"profile_changes", family_options},
      {"match_policies", family_options},
      {"snapshots", snapshot_options},
      {"delegations", family_options},
      {"tokens", family_options},
      {"request_ids", family_options},
  };
  static_assert(kFamilyCount == 9, "one descriptor per Family");

  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, dir, descriptors, &families, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!status.ok()) {
    if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory ", dir,
          " is in use by another process or already open in this one: ", status.ToString()));
    }
    return internal::FromRocksDb(status, absl::StrCat("open database in ", dir));
  }
  return std::shared_ptr<Database>(new Database(dir, std::move(db), std::move(families)));
}

Database::Database(std::string dir, std::unique_ptr<rocksdb::DB> db,
                   std::vector<rocksdb::ColumnFamilyHandle*> families)
    : dir_(std::move(dir)), db_(std::move(db)), families_(std::move(families)) {}

Database::~Database() {
  rocksdb::Status ignored;
  if (sync_wal_on_close_) {
    // Best effort on the way out: writes made with sync off then survive a
    // machine crash too; a failure only leaves them as durable as they were.
    ignored = db_->SyncWAL();
  }
  for (rocksdb::ColumnFamilyHandle* family : families_) {
    // Destroying a handle fails only for a handle of another DB.
    ignored = db_->DestroyColumnFamilyHandle(family);
  }
  // Close() reports errors of background work already logged by RocksDB;
  // nothing is left for us to do about them at this point.
  ignored = db_->Close();
  (void)ignored;
}

absl::Status Database::Checkpoint(const std::string& target_dir) const {
  std::error_code error;
  if (std::filesystem::exists(target_dir, error)) {
    return absl::AlreadyExistsError(
        absl::StrCat(target_dir, " already exists; back up into a new directory"));
  }
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(db_.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (status.ok()) {
    // 0: always flush the memtables first, so the copy needs no log replay
    // beyond what is in it.
    status = checkpoint->CreateCheckpoint(target_dir, /*log_size_for_flush=*/0);
  }
  return internal::FromRocksDb(status, absl::StrCat("checkpoint into ", target_dir));
}

Database::Figures Database::ApproximateFigures() const {
  Figures figures;
  for (rocksdb::ColumnFamilyHandle* family : families_) {
    uint64_t value = 0;
    if (db_->GetIntProperty(family, rocksdb::DB::Properties::kLiveSstFilesSize, &value)) {
      figures.disk_bytes += static_cast<int64_t>(value);
    }
    if (db_->GetIntProperty(family, rocksdb::DB::Properties::kCurSizeAllMemTables, &value)) {
      figures.memory_bytes += static_cast<int64_t>(value);
    }
  }
  uint64_t keys = 0;
  if (db_->GetIntProperty(profiles(), rocksdb::DB::Properties::kEstimateNumKeys, &keys)) {
    figures.profiles = static_cast<int64_t>(keys);
  }
  if (db_->GetIntProperty(delegations(), rocksdb::DB::Properties::kEstimateNumKeys, &keys)) {
    figures.delegations = static_cast<int64_t>(keys);
  }
  return figures;
}

}  // namespace socio::storage
