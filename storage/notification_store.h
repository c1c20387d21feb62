// NotificationStore: the outbox of notifications, each delivery channel's
// progress through it, the webhook deliveries given up on, and recipients'
// choices of channels, in the "outbox" and "notification_state" column
// families of a shared Database.
//
//   absl::StatusOr<std::unique_ptr<NotificationStore>> notifications =
//       NotificationStore::Open(db, {});
//   // A store that causes notifications writes them in its own batch:
//   rocksdb::WriteBatch batch;
//   batch.Put(...);                                  // the change itself
//   (*notifications)->Commit(&batch, {notification}, sync);
//   // A deliverer reads on from where its channel stopped:
//   uint64_t cursor = *(*notifications)->Cursor("email");
//   std::vector<Notification> next = *(*notifications)->Read(cursor, 100);
//   ... deliver ...
//   (*notifications)->SetCursor("email", next.back().sequence());
//
// Commit writes the cause and its notifications in one RocksDB write, so a
// crash keeps both or neither: no notification is lost or invented. Each
// notification gets the next sequence number (1, 2, ...) and the id
// "n-<sequence>"; sequences are written in order, so a reader that saw
// sequence s has seen every notification before it. Nothing is ever deleted
// from the outbox by this store.
//
// Cluster mode (a RecordView and a RecordWriter in the options; see
// docs/CLUSTER.md): the outbox is kept in etcd, and so are the cursors,
// parked deliveries and settings.
// - A store that causes notifications asks ClusterWrites for their records
//   and puts them in its own etcd transaction, so the cause and its
//   notifications are committed together. Commit is refused.
// - A notification's record is "socio/outbox/<write>-<index>", where
//   <write> (16 hex digits) is drawn once per transaction and <index>
//   (3 digits) is its place in it. Its sequence is the revision of the
//   transaction times 1000, plus its index, plus 1; its id "n-<sequence>".
//   Every node derives the same sequences from the same records, so a
//   reader may move to another node and carry on from its last sequence.
//   Sequences grow but are not consecutive.
// - etcd deletes a notification kClusterRetention after it was written. A
//   node keeps the outbox rows it applied, as the embedded store does, but a
//   node rebuilt from etcd starts with the notifications of the last
//   kClusterRetention.
// - Cursors, parked deliveries and settings are records under
//   "socio/notification-state/<the embedded store's key, in hex>". A cursor
//   never moves back: SetCursor to a sequence before the stored one keeps
//   the stored one.
//
// Thread safety: every method may be called from any thread.
#ifndef SOCIO_STORAGE_NOTIFICATION_STORE_H_
#define SOCIO_STORAGE_NOTIFICATION_STORE_H_

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
#include "socio/v1/notification.pb.h"
#include "storage/database.h"
#include "storage/replicated_records.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

struct NotificationStoreOptions {
  // Default: true, as DelegationStoreOptions::sync_writes.
  bool sync_writes = true;
  // Default: absl::Now. Tests pass their own clock.
  std::function<absl::Time()> clock;
  // Default: nullptr, the embedded store. A cluster node's view of the
  // records in etcd and the writer to etcd: both or neither (see "Cluster
  // mode" above). Not owned; must outlive the store, which must be opened
  // before the view is fed.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

class NotificationStore {
 public:
  static constexpr int kMaxReadBatch = 1000;
  static constexpr int kMaxEmailAddresses = 5;
  // Cluster mode: at most this many notifications in one transaction, and
  // how long etcd keeps each.
  static constexpr int kMaxPerWrite = 100;
  static constexpr absl::Duration kClusterRetention = absl::Hours(24 * 30);

  // Opens the store over an open `database`, which it shares, and reads the
  // last sequence written. INVALID_ARGUMENT if `database` is missing or only
  // one of options.view and options.cluster is set; FAILED_PRECONDITION if
  // another NotificationStore is open over it.
  static absl::StatusOr<std::unique_ptr<NotificationStore>> Open(
      std::shared_ptr<Database> database, const NotificationStoreOptions& options);

  ~NotificationStore();
  NotificationStore(const NotificationStore&) = delete;
  NotificationStore& operator=(const NotificationStore&) = delete;

  // Adds `notifications` to `batch` (their sequence, id and create_time set
  // here) and writes the batch, synced if `sync`. On error nothing of the
  // batch is written. Called by the stores that cause notifications, under
  // their own write locks; it takes its own lock last. FAILED_PRECONDITION
  // in cluster mode, with nothing written.
  absl::Status Commit(rocksdb::WriteBatch* batch,
                      std::vector<socio::v1::Notification> notifications, bool sync);

  // Cluster mode: the records that add `notifications` (create_time set
  // here; sequence and id are given as the view applies them) to the
  // outbox, for the caller's own transaction. INVALID_ARGUMENT for more than
  // kMaxPerWrite; FAILED_PRECONDITION for the embedded store.
  absl::StatusOr<std::vector<RecordWrite>> ClusterWrites(
      std::vector<socio::v1::Notification> notifications) const;
  bool clustered() const { return options_.cluster != nullptr; }

  // The sequence of the last notification written; 0 if none.
  uint64_t last_sequence() const;

  // Up to `limit` (1..kMaxReadBatch) notifications with a sequence greater
  // than `after`, in order; those `keep` returns false for are skipped but
  // count towards nothing. DATA_LOSS for a record that does not parse.
  absl::StatusOr<std::vector<socio::v1::Notification>> Read(
      uint64_t after, int limit,
      const std::function<bool(const socio::v1::Notification&)>& keep = nullptr) const;

  // Blocks until a notification past `after` is written or `deadline`
  // passes; true if there is one.
  bool WaitPast(uint64_t after, absl::Time deadline) const;

  // How far channel `channel` ("email", "webhook") has delivered: the last
  // sequence it is done with, 0 at first. Durable. A cursor never moves
  // back: SetCursor to an earlier sequence keeps the stored one.
  absl::StatusOr<uint64_t> Cursor(absl::string_view channel) const;
  absl::Status SetCursor(absl::string_view channel, uint64_t sequence);

  // A delivery given up on; kept for operators, one per notification,
  // channel and recipient.
  absl::Status Park(const socio::v1::ParkedDelivery& delivery);
  // One page of parked deliveries, oldest first, and the next page's token
  // (empty on the last). page_size 1..1000, 0: 100. INVALID_ARGUMENT naming
  // page_size or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::ParkedDelivery>, std::string>> ListParked(
      int page_size, absl::string_view page_token) const;

  // The recipient's settings, with its secret (for the deliverer); a
  // recipient that set none gets empty settings with only `recipient` set.
  absl::StatusOr<socio::v1::NotificationSettings> Settings(absl::string_view recipient) const;
  // Stores `settings` (update_time now) and returns them without the secret.
  // A webhook_secret left empty keeps the stored one. INVALID_ARGUMENT
  // naming the field: a malformed recipient, more than kMaxEmailAddresses
  // addresses or one that is not an address, a webhook_url that is not an
  // http(s) URL, a secret not 16 to 128 characters, a webhook without any
  // secret.
  absl::StatusOr<socio::v1::NotificationSettings> SetSettings(
      socio::v1::NotificationSettings settings);

 private:
  class Outbox;  // cluster mode's listener of the outbox records
  NotificationStore(std::shared_ptr<Database> database, const NotificationStoreOptions& options,
                    uint64_t last_sequence);

  absl::Time Now() const;
  // What becomes of a value of the notification_state family, given the
  // stored one (std::nullopt: none): the new value, std::nullopt to leave it
  // as it is, or an error to return.
  using StateUpdate = std::function<absl::StatusOr<std::optional<std::string>>(
      const std::optional<std::string>& stored)>;
  // Writes what `next` makes of the value at `key`. In cluster mode the
  // stored value is read from the view and the write goes through etcd;
  // when another node's write came in between, `next` is called again with
  // the value it wrote.
  absl::Status UpdateState(const std::string& key, const StateUpdate& next);
  // Cluster mode (notification_store_cluster.cc): listens to the view, and
  // writes state through etcd.
  void FollowView();
  absl::Status UpdateStateInCluster(const std::string& key, const StateUpdate& next);

  const std::shared_ptr<Database> database_;
  const NotificationStoreOptions options_;

  mutable absl::Mutex mu_;
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_);
  // Serialises the read-modify-write of settings.
  absl::Mutex settings_mu_;
  std::unique_ptr<ViewListener> outbox_;  // cluster mode only: an Outbox
  std::unique_ptr<FamilyMirror> state_;   // cluster mode only
};

// The recipient name of a chamber's staff: kStaffRecipientPrefix and the
// chamber id, "staff:<chamber_id>".
inline constexpr absl::string_view kStaffRecipientPrefix = "staff:";
std::string StaffRecipient(absl::string_view chamber_id);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_NOTIFICATION_STORE_H_
