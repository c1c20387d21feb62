#include "storage/database.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/internal/info_log.h"
#include "storage/internal/rocksdb_status.h"

namespace socio::storage {

namespace {

// Room left on the file system holding `dir`, in bytes; -1 if unknown.
int64_t FreeBytes(const std::string& dir) {
  std::error_code error;
  const std::filesystem::space_info space = std::filesystem::space(dir, error);
  if (error || space.available == static_cast<std::uintmax_t>(-1)) return -1;
  return static_cast<int64_t>(space.available);
}

// Bytes of write-ahead log in `dir`, which opening replays into table files.
int64_t WalBytes(const std::string& dir) {
  int64_t bytes = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".log") continue;
    std::error_code size_error;
    const std::uintmax_t size = entry.file_size(size_error);
    if (!size_error) bytes += static_cast<int64_t>(size);
  }
  return bytes;
}

std::string Mib(int64_t bytes) { return absl::StrFormat("%.1f MiB", bytes / 1048576.0); }

// RESOURCE_EXHAUSTED unless `dir`'s file system has room to open it: RocksDB
// writes a manifest, an options file and the replayed log at every start, and
// a start that runs out of room half way fails further in.
absl::Status CheckRoomToOpen(const std::string& dir) {
  const int64_t free = FreeBytes(dir);
  if (free < 0) return absl::OkStatus();  // unknown: let RocksDB try
  const int64_t wal = WalBytes(dir);
  const int64_t needed = Database::kMinFreeBytesToOpen + wal;
  if (free >= needed) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("data directory ", dir, ": its disk has ", Mib(free),
                   " free, and opening it needs ", Mib(needed), " (", Mib(wal),
                   " to replay its write-ahead log, the rest for RocksDB's own "
                   "files); free space on that disk or move the directory to a larger one"));
}

// The last sequence number of the database in `dir` opened read-only (which
// writes nothing) with `mode`.
absl::StatusOr<uint64_t> LastSequenceReadOnly(const std::string& dir, rocksdb::WALRecoveryMode mode,
                                              const rocksdb::DBOptions& db_options) {
  rocksdb::DBOptions options = db_options;
  options.wal_recovery_mode = mode;
  std::vector<std::string> names;
  rocksdb::Status status = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!status.ok()) return internal::FromRocksDb(status, "list column families");
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::DB* raw_db = nullptr;
  status = rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &families, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!status.ok()) return internal::FromRocksDb(status, "open read-only");
  const uint64_t sequence = db->GetLatestSequenceNumber();
  for (rocksdb::ColumnFamilyHandle* family : families) {
    // Destroying a handle fails only for a handle of another DB.
    rocksdb::Status ignored = db->DestroyColumnFamilyHandle(family);
    (void)ignored;
  }
  return sequence;
}

// What opening `dir` would lose to a write-ahead log damaged before its end,
// found by replaying it read-only twice: up to the damage, and past it.
// An error if the database does not open up to the damage either, so the
// damage is elsewhere.
absl::StatusOr<WalRecovery> MeasureWalDamage(const std::string& dir,
                                             const rocksdb::DBOptions& db_options) {
  absl::StatusOr<uint64_t> recovered =
      LastSequenceReadOnly(dir, rocksdb::WALRecoveryMode::kPointInTimeRecovery, db_options);
  if (!recovered.ok()) return recovered.status();
  absl::StatusOr<uint64_t> logged =
      LastSequenceReadOnly(dir, rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords, db_options);
  if (!logged.ok()) return logged.status();
  return WalRecovery{.dropped = false,
                     .logged_sequence = std::max(*logged, *recovered),
                     .recovered_sequence = *recovered};
}

}  // namespace

int64_t StorageFullErrors() { return internal::StorageFullCount(); }

absl::StatusOr<std::shared_ptr<Database>> Database::Open(const std::string& dir,
                                                         const DatabaseOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::Status(absl::ErrnoToStatusCode(error.value()),
                        absl::StrCat("create data directory ", dir, ": ", error.message()));
  }
  if (absl::Status s = CheckRoomToOpen(dir); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<internal::InfoLog>> info_log = internal::InfoLog::Open(dir);
  if (!info_log.ok()) return info_log.status();

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  // Directories from before a family existed get it, empty.
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.info_log = *std::move(info_log);
  // Replays the whole log. A torn last record, a write cut short by a crash
  // and never acknowledged, is dropped; damage before the end fails the open
  // (kPointInTimeRecovery, the default, would silently drop every write after
  // it, acknowledged ones too). RocksDB 7.8 recycles no log file in this mode
  // (nor in any other that keeps data): a recycled log could not tell a torn
  // tail from damage.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
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
      {"outbox", family_options},
      {"notification_state", family_options},
      {"interests", family_options},
      {"meeting_requests", family_options},
      {"engagement_index", family_options},
      {"profile_handles", family_options},
      {"outcomes", family_options},
      {"partnerships", family_options},
      {"partnership_index", family_options},
      {"exchanges", family_options},
      {"chambers", family_options},
      {"chamber_partners", family_options},
      {"cluster_view", family_options},
  };
  static_assert(kFamilyCount == 22, "one descriptor per Family");

  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, dir, descriptors, &families, &raw_db);
  WalRecovery wal_recovery;
  if (status.IsCorruption()) {
    absl::StatusOr<WalRecovery> damage = MeasureWalDamage(dir, db_options);
    if (!damage.ok()) {
      return absl::DataLossError(absl::StrCat("open database in ", dir, ": ", status.ToString(),
                                              " (", damage.status().message(),
                                              "); restore the latest backup (socio admin backup)"));
    }
    if (!options.accept_wal_data_loss) {
      return absl::DataLossError(absl::StrCat(
          "open database in ", dir, ": its write-ahead log is damaged before its end (",
          status.ToString(), "): it holds writes up to RocksDB sequence ", damage->logged_sequence,
          " or later, but only those up to ", damage->recovered_sequence,
          " precede the damage, and opening would drop the rest, acknowledged writes "
          "included. Restore the latest backup (socio admin backup), or, to keep what precedes "
          "the damage and drop the rest, start once with --accept_wal_data_loss"));
    }
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    status = rocksdb::DB::Open(db_options, dir, descriptors, &families, &raw_db);
    wal_recovery = *damage;
    wal_recovery.dropped = true;
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!status.ok()) {
    if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory ", dir,
          " is in use by another process or already open in this one: ", status.ToString()));
    }
    return internal::FromRocksDb(status, absl::StrCat("open database in ", dir));
  }
  if (wal_recovery.dropped) wal_recovery.recovered_sequence = db->GetLatestSequenceNumber();
  auto database = std::shared_ptr<Database>(new Database(dir, std::move(db), std::move(families)));
  database->wal_recovery_ = wal_recovery;
  return database;
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
  figures.free_disk_bytes = FreeBytes(dir_);
  return figures;
}

}  // namespace socio::storage
