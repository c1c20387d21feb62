// Database: the one RocksDB instance of a Socio data directory, shared by the
// stores in storage/.
//
// RocksDB lets a process open a directory only once, so every store over one
// directory works through the same Database:
//
//   absl::StatusOr<std::shared_ptr<Database>> db = Database::Open(dir, {});
//   absl::StatusOr<std::unique_ptr<ProfileStore>> profiles =
//       ProfileStore::Open(*db, {.reference = reference});
//   absl::StatusOr<std::unique_ptr<MatchPolicyStore>> policies = MatchPolicyStore::Open(*db, {});
//   absl::StatusOr<std::unique_ptr<SnapshotStore>> snapshots = SnapshotStore::Open(*db);
//   absl::StatusOr<std::unique_ptr<DelegationStore>> delegations =
//       DelegationStore::Open(*db, {.reference = reference});
//   absl::StatusOr<std::unique_ptr<TokenStore>> tokens = TokenStore::Open(*db, {});
//   absl::StatusOr<std::unique_ptr<RequestIdStore>> request_ids = RequestIdStore::Open(*db);
//   absl::StatusOr<std::unique_ptr<NotificationStore>> notifications =
//       NotificationStore::Open(*db, {});
//   absl::StatusOr<std::unique_ptr<EngagementStore>> engagement =
//       EngagementStore::Open(*db, notifications->get(), {});
//   absl::StatusOr<std::unique_ptr<OutcomeStore>> outcomes =
//       OutcomeStore::Open(*db, notifications->get(), {...});
//
// Each store keeps its data in column families of its own. Open creates the
// families a directory lacks, so a directory written before a family existed
// still opens. The database closes when the last store and caller let go of
// it; if a store wrote without syncing, the write-ahead log is synced then.
//
// Thread safety: a Database may be shared between threads and stores. It has
// no operations of its own beyond Open; RocksDB types stay inside storage/.
#ifndef SOCIO_STORAGE_DATABASE_H_
#define SOCIO_STORAGE_DATABASE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
}  // namespace rocksdb

namespace socio::storage {

struct DatabaseOptions {
  // Default: nullptr, RocksDB's default environment. Tests pass one that
  // injects I/O faults. Not owned; must outlive the database.
  rocksdb::Env* env = nullptr;
  // Default: false: a write-ahead log damaged before its end refuses to open
  // (DATA_LOSS). true opens it anyway with what precedes the damage and
  // drops the rest; Database::wal_recovery() says how much.
  bool accept_wal_data_loss = false;
};

// What opening a data directory made of a damaged write-ahead log.
struct WalRecovery {
  // The log was damaged before its end and the writes after the damage were
  // dropped (only with DatabaseOptions::accept_wal_data_loss).
  bool dropped = false;
  // RocksDB sequence numbers (one per key written): the last one the log
  // holds past the damage (at least; a damaged block hides what it held),
  // and the last one the database was opened with.
  uint64_t logged_sequence = 0;
  uint64_t recovered_sequence = 0;
};

// Operations refused in this process because the file system holding a
// database was full (RESOURCE_EXHAUSTED), over every Database: for an
// operator's alert. A batch of an import is one operation.
int64_t StorageFullErrors();

class Database {
 public:
  // Opens the database in `dir`, creating the directory and any missing column
  // family. FAILED_PRECONDITION if the directory is open already (by another
  // process or by another Database of this one); RESOURCE_EXHAUSTED if its
  // file system has too little room to open it (kMinFreeBytesToOpen beyond
  // the write-ahead log it replays); DATA_LOSS if it is corrupt.
  //
  // The write-ahead log is replayed whole. A torn last record (a write cut
  // short by a crash, never acknowledged) is dropped; damage before the end
  // is DATA_LOSS saying how much would be lost, unless
  // options.accept_wal_data_loss (see DatabaseOptions).
  static absl::StatusOr<std::shared_ptr<Database>> Open(const std::string& dir,
                                                        const DatabaseOptions& options);

  // Free space Open asks for beyond the size of the write-ahead log: room
  // for RocksDB's own files.
  static constexpr int64_t kMinFreeBytesToOpen = 8 << 20;

  // Closes the database, syncing the write-ahead log first if a store wrote
  // without syncing.
  ~Database();

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& dir() const { return dir_; }

  // What Open made of a damaged write-ahead log; dropped is false unless it
  // accepted a loss.
  const WalRecovery& wal_recovery() const { return wal_recovery_; }

  // Writes a consistent copy of the whole database into `target_dir` (a
  // RocksDB checkpoint: table files hard-linked where the file system
  // allows, copied otherwise; the log flushed first). A Database opened on
  // `target_dir` holds every write acknowledged before the call.
  // ALREADY_EXISTS if `target_dir` exists; other errors of the file system.
  absl::Status Checkpoint(const std::string& target_dir) const;

  // RocksDB's estimates, cheap to read: live data of every column family in
  // table files on disk and in memtables, in bytes, and the number of
  // profiles and delegations stored.
  // free_disk_bytes: room left on the directory's file system (-1 if
  // unknown).
  struct Figures {
    int64_t disk_bytes = 0;
    int64_t memory_bytes = 0;
    int64_t profiles = 0;
    int64_t delegations = 0;
    int64_t free_disk_bytes = -1;
  };
  Figures ApproximateFigures() const;

 private:
  // The stores reach RocksDB directly; nothing outside storage/ does.
  friend class ChamberStore;
  friend class DelegationStore;
  friend class EngagementStore;
  friend class ExchangeStore;
  friend class MatchPolicyStore;
  friend class MaterializedView;
  friend class NotificationStore;
  friend class OutcomeStore;
  friend class PartnershipStore;
  friend class ProfileStore;
  friend class RecordBatch;
  friend class RequestIdStore;
  friend class SnapshotStore;
  friend class TokenStore;

  // Positions in families_.
  enum Family : size_t {
    kDefault,
    kProfiles,
    kProfilesByChamber,
    kProfileChanges,
    kMatchPolicies,
    kSnapshots,
    kDelegations,
    kTokens,
    kRequestIds,
    kOutbox,
    kNotificationState,
    kInterests,
    kMeetingRequests,
    kEngagementIndex,
    kProfileHandles,
    kOutcomes,
    kPartnerships,
    kPartnershipIndex,
    kExchanges,
    kChambers,
    kChamberPartners,
    kClusterView,
    kFamilyCount,
  };

  // REQUIRES: families.size() == kFamilyCount, in the order of Family.
  Database(std::string dir, std::unique_ptr<rocksdb::DB> db,
           std::vector<rocksdb::ColumnFamilyHandle*> families);

  rocksdb::DB* db() const { return db_.get(); }
  // Every column family's handle, in the order of Family.
  const std::vector<rocksdb::ColumnFamilyHandle*>& families() const { return families_; }
  rocksdb::ColumnFamilyHandle* profiles() const { return families_[kProfiles]; }
  rocksdb::ColumnFamilyHandle* profiles_by_chamber() const { return families_[kProfilesByChamber]; }
  rocksdb::ColumnFamilyHandle* profile_changes() const { return families_[kProfileChanges]; }
  rocksdb::ColumnFamilyHandle* match_policies() const { return families_[kMatchPolicies]; }
  rocksdb::ColumnFamilyHandle* snapshots() const { return families_[kSnapshots]; }
  rocksdb::ColumnFamilyHandle* delegations() const { return families_[kDelegations]; }
  rocksdb::ColumnFamilyHandle* tokens() const { return families_[kTokens]; }
  rocksdb::ColumnFamilyHandle* request_ids() const { return families_[kRequestIds]; }
  rocksdb::ColumnFamilyHandle* outbox() const { return families_[kOutbox]; }
  rocksdb::ColumnFamilyHandle* notification_state() const { return families_[kNotificationState]; }
  rocksdb::ColumnFamilyHandle* interests() const { return families_[kInterests]; }
  rocksdb::ColumnFamilyHandle* meeting_requests() const { return families_[kMeetingRequests]; }
  rocksdb::ColumnFamilyHandle* engagement_index() const { return families_[kEngagementIndex]; }
  rocksdb::ColumnFamilyHandle* profile_handles() const { return families_[kProfileHandles]; }
  rocksdb::ColumnFamilyHandle* outcomes() const { return families_[kOutcomes]; }
  rocksdb::ColumnFamilyHandle* partnerships() const { return families_[kPartnerships]; }
  rocksdb::ColumnFamilyHandle* partnership_index() const { return families_[kPartnershipIndex]; }
  rocksdb::ColumnFamilyHandle* exchanges() const { return families_[kExchanges]; }
  rocksdb::ColumnFamilyHandle* chambers() const { return families_[kChambers]; }
  rocksdb::ColumnFamilyHandle* chamber_partners() const { return families_[kChamberPartners]; }
  rocksdb::ColumnFamilyHandle* cluster_view() const { return families_[kClusterView]; }

  const std::string dir_;
  WalRecovery wal_recovery_;  // set once by Open
  const std::unique_ptr<rocksdb::DB> db_;
  // Released before db_ closes.
  const std::vector<rocksdb::ColumnFamilyHandle*> families_;

  // Whether a store of each kind is open over this database. A store
  // serialises its own writes, so a second one over the same families would
  // break its read-check-write; the stores refuse to open a second time.
  std::atomic<bool> has_profile_store_ = false;
  std::atomic<bool> has_match_policy_store_ = false;
  std::atomic<bool> has_delegation_store_ = false;
  std::atomic<bool> has_token_store_ = false;
  std::atomic<bool> has_notification_store_ = false;
  std::atomic<bool> has_engagement_store_ = false;
  std::atomic<bool> has_outcome_store_ = false;
  std::atomic<bool> has_partnership_store_ = false;
  std::atomic<bool> has_exchange_store_ = false;
  std::atomic<bool> has_chamber_store_ = false;
  // Set by a store opened with sync_writes off. Only then is the log synced
  // on close: after a failed log write, SyncWAL trips an assertion in
  // RocksDB 7.8 (WritableFileWriter), and synced writes need no sync anyway.
  std::atomic<bool> sync_wal_on_close_ = false;
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_DATABASE_H_
