// ProfileStore: member profiles kept durably in an embedded RocksDB.
//
// Four column families hold the data: profiles by id, a secondary index by
// chamber, the ids by handle (Profile.handle), and a change log keyed by a sequence number that
// starts at 1 and grows by one per committed change, with no gaps. Each write puts the profile, its
// index entries and its change-log entry in one WriteBatch, so after a crash a change is there
// whole or not at all.
//
//   absl::StatusOr<std::unique_ptr<ProfileStore>> store = ProfileStore::Open(dir, {});
//   absl::StatusOr<socio::v1::Profile> created = (*store)->Create(profile);
//   // created->version() == 1
//
// Writes are validated first (see profile_validation.h); a rejected write
// changes nothing. Updates and deletes may name the version they expect
// (optimistic concurrency): ABORTED if another write came first.
//
// A store opened on a directory opens its own Database; to share the
// directory's database with other stores (MatchPolicyStore), open the
// Database first and the stores over it (see database.h).
//
// Cluster mode (ProfileStoreOptions::view and ::cluster; docs/CLUSTER.md):
// the profiles' store of record is etcd, under "socio/profiles/<id>". A
// write reads the profile from the node's view, checks it as above, and
// commits it to etcd comparing the revision it read (a write that lost a race
// is read and checked again, so expected_version means what it means here);
// it returns once this node's view has applied it. Every node's tables
// (profiles, chamber index, handles, change log) follow its view, in the same
// local write as the view. The change log's sequence numbers are then
// etcd's revision times kChangesPerRevision plus the change's position in
// its transaction: increasing, the same on every node, not consecutive. A
// node whose view was rebuilt from a full read at revision R holds no changes
// up to R: its log starts after R * kChangesPerRevision + 999 (LogStart()).
// PutMany commits at most kMaxProfilesPerWrite profiles per transaction.
// A request ticket's answer is written in the transaction of the create it
// answers, so a retry is recognised on every node (RequestIdStore's cluster
// mode must be open over the same view).
//
// Thread safety: every method may be called from any thread. Writes are
// checked one at a time and committed in that order, so the change log's order
// is the commit order; writes that arrive while one is being synced are
// committed together in the next synced write (one fsync for all of them).
#ifndef SOCIO_STORAGE_PROFILE_STORE_H_
#define SOCIO_STORAGE_PROFILE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "reference/reference_data.h"
#include "socio/v1/profile.pb.h"
#include "storage/database.h"
#include "storage/internal/group_commit.h"
#include "storage/profile_validation.h"
#include "storage/replicated_records.h"
#include "storage/request_ids.h"

namespace rocksdb {
class Env;
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

class TokenStore;

struct ProfileStoreOptions {
  // Default: true. A write returns only after RocksDB's write-ahead log is
  // synced to disk, so an acknowledged write survives power loss. false keeps
  // acknowledged writes across a crash of the process but not of the machine;
  // the log is still synced on a clean close.
  bool sync_writes = true;
  // Default: nullptr, RocksDB's default environment. Tests pass one that
  // injects I/O faults. Not owned; must outlive the store. Used only by
  // Open(dir, ...); a shared Database has its own DatabaseOptions::env.
  rocksdb::Env* env = nullptr;
  // Required: the countries, languages and sectors writes are checked against.
  std::shared_ptr<const reference::ReferenceData> reference;
  // Default: nullptr. The tokens callers present, open over the same
  // Database (and in cluster mode too if the profiles are): Delete then
  // revokes the profile's MEMBER tokens in the write that removes it. Not
  // owned; must outlive the store.
  TokenStore* tokens = nullptr;
  // Default: nullptr, the embedded store. A cluster node's view of the
  // records in etcd and the writer to etcd (see "Cluster mode" above): both
  // or neither. The store listens to `view`, so it must be opened before the
  // view is fed. Not owned; must outlive the store.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

// A filter and page position for List. Filters combine with AND.
struct ProfileQuery {
  std::string chamber_id;     // empty: every chamber
  std::string country;        // ISO 3166-1 alpha-2; empty: every country
  std::string sector_prefix;  // NACE prefix ("C", "10", "10.8"); empty: every sector
  std::string query;          // words in the name, id or keywords (TextQuery); empty: all
  std::string order_by;       // ProfileOrder: "", "name", "country desc", ...
  bool count_total = false;   // whether to fill ProfilePage::total_size
  int page_size = 0;          // 1..1000; 0 means 100
  std::string page_token;     // from the previous page; empty: the first page
  // Only profiles it returns true for (whom the caller may see, say); empty:
  // every profile. Called under no lock of the store.
  std::function<bool(const socio::v1::Profile&)> keep;
};

// Every page but the last holds page_size profiles; a next_page_token is
// given only when at least one more profile follows, so an empty page is
// always the last (and the only one).
struct ProfilePage {
  std::vector<socio::v1::Profile> profiles;  // in the query's order
  std::string next_page_token;               // empty on the last page
  // With ProfileQuery::count_total: how many profiles match the query (and
  // `keep`) on all pages together; else 0.
  int64_t total_size = 0;
};

// Profiles validated and serialized ahead of their write; see
// ProfileStore::Prepare.
class PreparedProfiles {
 public:
  PreparedProfiles() = default;
  PreparedProfiles(PreparedProfiles&&) = default;
  PreparedProfiles& operator=(PreparedProfiles&&) = default;

  // The items, normalised; in their stored form once written.
  const std::vector<socio::v1::Profile>& items() const { return items_; }
  std::vector<socio::v1::Profile> TakeItems() && { return std::move(items_); }

 private:
  friend class ProfileStore;
  std::vector<socio::v1::Profile> items_;
  std::vector<absl::Status> validation_;  // per item
  std::vector<std::string> new_bytes_;    // per valid item: serialized as version 1
  bool upsert_ = false;
  absl::Time prepared_at_;
};

class ProfileStore {
 public:
  static constexpr int kDefaultPageSize = 100;
  // Cluster mode: sequence numbers per etcd revision, and the most profiles
  // one transaction writes.
  static constexpr uint64_t kChangesPerRevision = 1000;
  static constexpr size_t kMaxProfilesPerWrite = 100;
  // Cluster mode: the key of profile `id` in etcd.
  static std::string ClusterKey(absl::string_view id);
  static constexpr int kMaxPageSize = 1000;

  // Opens the store in `dir`, creating it if needed, over a Database of its
  // own. FAILED_PRECONDITION if the directory is already open (by another
  // process or in this one); DATA_LOSS if it is corrupt; INVALID_ARGUMENT if
  // options.reference is missing.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Open(const std::string& dir,
                                                            const ProfileStoreOptions& options);

  // Opens the store over an open `database`, which it shares. INVALID_ARGUMENT
  // if `database` or options.reference is missing or options.tokens is open
  // over another database; FAILED_PRECONDITION if
  // another ProfileStore is open over `database` (one serialises the writes).
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Open(std::shared_ptr<Database> database,
                                                            const ProfileStoreOptions& options);

  // Lets go of the database, which closes cleanly once nothing holds it.
  ~ProfileStore();

  ProfileStore(const ProfileStore&) = delete;
  ProfileStore& operator=(const ProfileStore&) = delete;

  // Stores a new profile with version 1 and returns it as stored (normalised,
  // with its times). Output-only fields of `profile` are ignored.
  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS if the id is taken.
  // With a `ticket` (see request_ids.h): if its request was answered before,
  // that answer, and nothing is written; otherwise the created profile is
  // remembered as the answer in the same batch as the profile.
  absl::StatusOr<socio::v1::Profile> Create(socio::v1::Profile profile,
                                            const RequestTicket* ticket = nullptr);

  // Stores many profiles in one atomic, synced batch. Each item is validated
  // and checked on its own; the result at position i says what became of
  // (*items)[i]: CREATED or UPDATED, or the reason it was rejected
  // (INVALID_ARGUMENT; ALREADY_EXISTS when !upsert or when the id appears
  // earlier in the same call). Accepted items are left in their stored form
  // (normalised, with version and times). If the batch cannot be committed,
  // every accepted item carries that error and nothing is stored. Within one
  // call, the change log records the items in id order.
  // Same as PutPrepared(Prepare(...)).
  std::vector<absl::StatusOr<socio::v1::ProfileChange::Kind>> PutMany(
      std::vector<socio::v1::Profile>* items, bool upsert);

  // The two halves of PutMany. Prepare does most of a batch's CPU work
  // (validation, normalisation, serialisation), touches no data and takes no
  // lock, so an import prepares its next batch while the store writes the one
  // before. PutPrepared leaves the items in their stored form.
  PreparedProfiles Prepare(std::vector<socio::v1::Profile> items, bool upsert) const;
  std::vector<absl::StatusOr<socio::v1::ProfileChange::Kind>> PutPrepared(PreparedProfiles* batch);

  // The profile with this id; NOT_FOUND if there is none.
  absl::StatusOr<socio::v1::Profile> Get(absl::string_view id) const;

  // The id of the profile whose handle (Profile.handle: assigned on create,
  // or on the first write of a profile stored before handles, and never
  // changed) is `handle`; NOT_FOUND if none is, its profile deleted
  // included.
  absl::StatusOr<std::string> IdOfHandle(absl::string_view handle) const;

  // Writes the fields of `patch` named by `mask` (proto field names; a named
  // field `patch` does not set is cleared) into the stored profile patch.id()
  // and returns the result, with its version grown by one. An empty mask
  // writes the fields `patch` sets, "*" every writable field (see
  // update_mask.h). NOT_FOUND; ABORTED if expected_version != 0 and differs
  // from the stored version; INVALID_ARGUMENT for a bad mask path, an empty
  // mask with nothing set, or a bad resulting profile.
  absl::StatusOr<socio::v1::Profile> Update(const socio::v1::Profile& patch,
                                            const google::protobuf::FieldMask& mask,
                                            int64_t expected_version);

  // Removes the profile and returns the sequence number of the change; with
  // options.tokens, the profile's MEMBER tokens are revoked in the same
  // write. NOT_FOUND; ABORTED on a stale expected_version (0 skips the check).
  absl::StatusOr<uint64_t> Delete(absl::string_view id, int64_t expected_version);

  // One page of profiles matching `query`, in its order (by id when it
  // names none). INVALID_ARGUMENT naming the field for a bad filter, order,
  // page size or token (a token only works with the filters and order it
  // was made for).
  //
  // Cost: in id order without a count, a page reads on past a full page up
  // to the next profile that matches, so a rare filter may read the whole
  // chamber (or store) for one page. Any other order, and count_total, read
  // every profile of the scope (the chamber's when query.chamber_id is
  // given, else every stored profile) for each page, keeping only a page in
  // memory; RESOURCE_EXHAUSTED naming order_by (or the count) when the scope
  // holds more than kMaxScannedForOrder profiles.
  absl::StatusOr<ProfilePage> List(const ProfileQuery& query) const;

  // The most profiles a sorted or counted List reads for one page.
  static constexpr int64_t kMaxScannedForOrder = 250'000;

  // Calls `visit` for every stored profile in id order; stops at and returns
  // the first error `visit` returns.
  absl::Status ForEachProfile(
      const std::function<absl::Status(const socio::v1::Profile&)>& visit) const;

  // Up to `max_count` changes with sequence > after_sequence, in order.
  // OUT_OF_RANGE if after_sequence > LastSequence(), or if it is before
  // LogStart() (the changes in between are not here: list the profiles
  // again and read on from their LastSequence()), unless it is 0 and the
  // full read LogStart() stems from found no profile.
  absl::StatusOr<std::vector<socio::v1::ProfileChange>> ReadChanges(uint64_t after_sequence,
                                                                    size_t max_count) const;

  // The sequence number of the last committed change; 0 for an empty log.
  // Cluster mode: LogStart() if no change came after it.
  uint64_t LastSequence() const;
  // Every change after this sequence number is in the log: 0 for the
  // embedded store; in cluster mode, where the last full read left off.
  uint64_t LogStart() const;

  // Blocks until a change after `after_sequence` is committed or `timeout`
  // passes; returns whether one was.
  bool WaitForChangeAfter(uint64_t after_sequence, absl::Duration timeout) const;

 private:
  class Listener;  // cluster mode: follows the view (profile_store_cluster.cc)
  // The change log's key of LogStart(): empty, before every sequence key. Its
  // value: LogStart() as a sequence key, then kEmptyStart if the full read
  // found no profile.
  static constexpr absl::string_view kLogStartKey = "";
  static constexpr char kEmptyStart = 'e';

  // Cluster mode: starts following options_.view.
  void Listen();

  ProfileStore(const ProfileStoreOptions& options, std::shared_ptr<Database> database,
               uint64_t last_sequence, uint64_t log_start, bool log_start_empty);

  // Makes `item` (as Prepare left it) the stored form that replaces `stored`
  // (nullptr: none) and serializes it to `*bytes`; what the write is.
  // ALREADY_EXISTS if `stored` exists and !upsert.
  static absl::StatusOr<socio::v1::ProfileChange::Kind> StoredForm(const socio::v1::Profile* stored,
                                                                   bool upsert,
                                                                   socio::v1::Profile& item,
                                                                   std::string* bytes);
  // ABORTED, saying both versions, if expected_version != 0 and differs
  // from stored's.
  static absl::Status CheckVersion(const socio::v1::Profile& stored, int64_t expected_version);
  // The mask of an Update checked (see Update); the fields it writes.
  static absl::StatusOr<google::protobuf::FieldMask> CheckUpdate(
      const socio::v1::Profile& patch, const google::protobuf::FieldMask& mask,
      int64_t expected_version);
  // `stored` with the fields of `patch` named by `resolved` written, checked
  // and normalised, its version grown by one, as of `now`. ABORTED if
  // expected_version != 0 and differs from stored's.
  absl::StatusOr<socio::v1::Profile> Patched(const socio::v1::Profile& stored,
                                             const socio::v1::Profile& patch,
                                             const google::protobuf::FieldMask& resolved,
                                             int64_t expected_version, absl::Time now) const;
  // Adds to `batch` the rows of `after` (serialized as `after_bytes`) in
  // place of those of `before`; either may be null (a create, a delete).
  void AddRows(const socio::v1::Profile* before, const socio::v1::Profile* after,
               const std::string& after_bytes, rocksdb::WriteBatch& batch) const;
  // Adds the change-log entry `sequence` to `batch`.
  void AddChange(rocksdb::WriteBatch& batch, uint64_t sequence, socio::v1::ProfileChange::Kind kind,
                 const std::string& profile_bytes, absl::Time commit_time) const;

  // Cluster mode's writes: through options_.cluster, read from options_.view.
  std::vector<absl::StatusOr<socio::v1::ProfileChange::Kind>> PutInCluster(
      PreparedProfiles* batch, const RequestTicket* ticket);
  absl::StatusOr<socio::v1::Profile> UpdateInCluster(const socio::v1::Profile& patch,
                                                     const google::protobuf::FieldMask& resolved,
                                                     int64_t expected_version);
  absl::StatusOr<uint64_t> DeleteInCluster(absl::string_view id, int64_t expected_version);
  // The view's record of profile `id` and the profile it holds (nullopt: none).
  absl::StatusOr<std::optional<std::pair<ViewRecord, socio::v1::Profile>>> ReadFromView(
      absl::string_view id) const;

  // Appends a change-log entry for the profile serialized as `profile_bytes`
  // to `batch` with the next sequence number and returns that number.
  uint64_t AppendChange(rocksdb::WriteBatch& batch, socio::v1::ProfileChange::Kind kind,
                        const std::string& profile_bytes, absl::Time commit_time)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Commits `batch`, whose change-log entries start at `first_sequence` and
  // which writes the profiles `keys`, with the batches of other writers queued
  // meanwhile (see internal/group_commit.h), and wakes the watchers. On failure
  // those sequence numbers are handed out again. Releases write_mu_ while it
  // waits for the write.
  absl::Status WriteAndPublish(rocksdb::WriteBatch batch, std::vector<std::string> keys,
                               uint64_t first_sequence) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Publishes the change log up to `last_sequence` and wakes the watchers.
  void Publish(uint64_t last_sequence);
  // PutPrepared, remembering the stored item as the answer to `ticket` if
  // one is given. REQUIRES: no ticket, or one item.
  std::vector<absl::StatusOr<socio::v1::ProfileChange::Kind>> Put(PreparedProfiles* batch,
                                                                  const RequestTicket* ticket);
  // Reads a stored profile; NOT_FOUND if absent.
  absl::StatusOr<socio::v1::Profile> Read(absl::string_view id) const;

  const ProfileStoreOptions options_;
  const ProfileValidator validator_;
  const std::shared_ptr<Database> database_;

  // Held for the read-check-prepare of every write; a write's keys stay held
  // (commits_.AwaitKeys) until it is committed.
  mutable absl::Mutex write_mu_;
  uint64_t next_sequence_ ABSL_GUARDED_BY(write_mu_);
  internal::GroupCommit commits_;

  mutable absl::Mutex sequence_mu_;
  mutable absl::CondVar sequence_advanced_;
  uint64_t last_sequence_ ABSL_GUARDED_BY(sequence_mu_);
  uint64_t log_start_ ABSL_GUARDED_BY(sequence_mu_);
  // Whether the full read log_start_ stems from held no profile: then the
  // log holds the whole history as seen from after_sequence 0.
  bool log_start_empty_ ABSL_GUARDED_BY(sequence_mu_) = false;

  std::unique_ptr<ViewListener> listener_;  // cluster mode only: a Listener
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_PROFILE_STORE_H_
