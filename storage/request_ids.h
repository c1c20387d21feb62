// RequestIdStore: the answers given to requests that carried a request_id
// (AIP-155), remembered for a day so that a retry is answered as the first
// try was instead of being carried out again.
//
// An entry is keyed by who asked, which rpc and the request_id, and holds a
// fingerprint of the request (SHA-256 of its bytes, request_id left out) and
// the answer, as bytes:
//
//   absl::StatusOr<RequestTicket> ticket =
//       RequestTicket::Make(caller, "CreateProfile", request.request_id());
//   ticket->set_fingerprint(FingerprintOf(request_without_its_request_id));
//   absl::StatusOr<std::optional<std::string>> first = request_ids->Find(*ticket);
//   // an answer: the first try's, to parse and return; nothing is written
//   // nullopt: never seen (or expired): carry the request out with the ticket
//   // INVALID_ARGUMENT naming request_id: seen with a different request
//   absl::StatusOr<Profile> created = profiles->Create(profile, &*ticket);
//
// Where a request's write is one RocksDB batch (ProfileStore::Create,
// DelegationStore::Create, SetPlan and Publish), that store looks the ticket up again
// under its write lock and writes the answer in the same batch as the write,
// so a crash leaves both or neither and a concurrent retry cannot write
// twice. Remember writes an answer on its own, after the fact, for writes
// made of many batches (imports): a crash between the two forgets it.
//
// Entries expire kRetention after they were written: Find no longer sees
// them, and Sweep deletes them, oldest first, a bounded number per call.
// Answers are not encrypted: never remember a secret.
//
// Cluster mode (a RecordView and a RecordWriter given to Open): entries are
// records in etcd under "socio/request-ids/<ticket key in hex>", written by
// the stores in the same transaction as the write they answer (or by
// Remember), and expiring there a little after kRetention; this store's
// family follows the view, so a retry sent to any node is recognised (by
// the stores that keep their records in the cluster: profiles, chambers).
//
// Thread safety: every method may be called from any thread.
#ifndef SOCIO_STORAGE_REQUEST_IDS_H_
#define SOCIO_STORAGE_REQUEST_IDS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message_lite.h"
#include "storage/database.h"
#include "storage/replicated_records.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

// OK, or INVALID_ARGUMENT naming `field` unless `request_id` is 8 to 64
// characters of ASCII letters, digits, '-', '_', '.' and ':' (a UUID fits).
absl::Status ValidateRequestId(absl::string_view field, absl::string_view request_id);

// SHA-256 of a request, fed in pieces: a stream's messages one after another.
class RequestFingerprint {
 public:
  RequestFingerprint();
  ~RequestFingerprint();
  RequestFingerprint(const RequestFingerprint&) = delete;
  RequestFingerprint& operator=(const RequestFingerprint&) = delete;

  // Adds `message` in its deterministic serialization, length first, so
  // that message boundaries count.
  void Add(const google::protobuf::MessageLite& message);
  // The digest (32 bytes). The fingerprint is spent afterwards.
  std::string Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The fingerprint of one message. REQUIRES: its request_id is cleared, so
// that only the request itself counts.
std::string FingerprintOf(const google::protobuf::MessageLite& request);

// What a request is remembered under, and what it must match.
class RequestTicket {
 public:
  // `caller` names who asks (a token id); `method` the rpc. INVALID_ARGUMENT
  // naming `field` for a malformed request_id (see ValidateRequestId).
  static absl::StatusOr<RequestTicket> Make(absl::string_view caller, absl::string_view method,
                                            absl::string_view request_id,
                                            absl::string_view field = "request_id");

  const std::string& request_id() const { return request_id_; }
  const std::string& field() const { return field_; }
  // The request's fingerprint: set before a Find, a Remember or a write
  // (a stream's is known only at its end).
  const std::string& fingerprint() const { return fingerprint_; }
  void set_fingerprint(std::string fingerprint) { fingerprint_ = std::move(fingerprint); }

 private:
  friend class RequestIdStore;
  RequestTicket() = default;
  std::string key_;  // caller, method and request_id, NUL-separated
  std::string request_id_;
  std::string field_;
  std::string fingerprint_;
};

class RequestIdStore {
 public:
  // How long an answer is remembered.
  static constexpr absl::Duration kRetention = absl::Hours(24);

  // Opens the store over an open `database`, which it shares.
  // INVALID_ARGUMENT if `database` is missing.
  // `view` and `cluster` (not owned; both or neither; they must outlive the
  // store, which must be opened before the view is fed): cluster mode.
  static absl::StatusOr<std::unique_ptr<RequestIdStore>> Open(std::shared_ptr<Database> database,
                                                              bool sync_writes = true,
                                                              RecordView* view = nullptr,
                                                              RecordWriter* cluster = nullptr);
  ~RequestIdStore();

  RequestIdStore(const RequestIdStore&) = delete;
  RequestIdStore& operator=(const RequestIdStore&) = delete;

  // What is remembered for a ticket.
  struct Remembered {
    std::string fingerprint;  // of the request answered
    std::string answer;
  };
  // The entry for `ticket`, whatever its fingerprint, or nullopt if there is
  // none younger than kRetention at `now`. DATA_LOSS for one that does not
  // parse. For a stream, whose fingerprint is known only at its end.
  absl::StatusOr<std::optional<Remembered>> Lookup(const RequestTicket& ticket,
                                                   absl::Time now = absl::Now()) const;

  // The answer remembered for `ticket`, or nullopt if there is none younger
  // than kRetention at `now`. INVALID_ARGUMENT naming the ticket's field if
  // the entry's request had another fingerprint: a request_id names one
  // request, and its reuse for another is the client's mistake, which no
  // retry mends. DATA_LOSS for an entry that does not parse.
  absl::StatusOr<std::optional<std::string>> Find(const RequestTicket& ticket,
                                                  absl::Time now = absl::Now()) const;

  // Remembers `answer` for `ticket` in a write of its own (synced unless the
  // store was opened with sync_writes false; in cluster mode, a transaction
  // of its own), as written at `now`.
  absl::Status Remember(const RequestTicket& ticket, absl::string_view answer,
                        absl::Time now = absl::Now());

  // Deletes up to `max_entries` entries older than kRetention at `now`,
  // oldest first, and returns how many it deleted. Sweeps take turns.
  absl::StatusOr<int> Sweep(absl::Time now, int max_entries);

 private:
  // The stores that write an answer in their own batch.
  friend class ChamberStore;
  friend class DelegationStore;
  friend class EngagementStore;
  friend class ExchangeStore;
  friend class PartnershipStore;
  friend class ProfileStore;
  friend class RecordBatch;

  class Mirror;  // cluster mode's ViewListener (request_ids_cluster.cc)

  RequestIdStore(std::shared_ptr<Database> database, bool sync_writes, RecordView* view,
                 RecordWriter* cluster);

  // Lookup and Find over `database`; Find for a store under its own write
  // lock.
  static absl::StatusOr<std::optional<Remembered>> Lookup(const Database& database,
                                                          const RequestTicket& ticket,
                                                          absl::Time now);
  static absl::StatusOr<std::optional<std::string>> Find(const Database& database,
                                                         const RequestTicket& ticket,
                                                         absl::Time now);
  // Find for a store's write of `Message`: the answer remembered for `ticket`
  // parsed, nullopt when `ticket` is null or nothing is remembered;
  // DATA_LOSS "the answer remembered for request_id '<id>' does not parse".
  template <typename Message>
  static absl::StatusOr<std::optional<Message>> FindAnswer(const Database& database,
                                                           const RequestTicket* ticket) {
    if (ticket == nullptr) return std::nullopt;
    absl::StatusOr<std::optional<std::string>> answered = Find(database, *ticket, absl::Now());
    if (!answered.ok()) return answered.status();
    if (!answered->has_value()) return std::nullopt;
    Message message;
    if (!message.ParseFromString(**answered)) {
      return absl::DataLossError(absl::StrCat("the answer remembered for request_id '",
                                              ticket->request_id(), "' does not parse"));
    }
    return message;
  }
  // Adds the entry remembering `answer` for `ticket` to `batch`.
  static void AddTo(const Database& database, const RequestTicket& ticket, absl::string_view answer,
                    absl::Time now, rocksdb::WriteBatch* batch);
  // What an entry holds: the time, the fingerprint, the answer.
  static std::string EntryValue(const RequestTicket& ticket, absl::string_view answer,
                                absl::Time now);
  // Adds the rows of the entry `value` (EntryValue's) of `ticket_key` to
  // `batch`; DATA_LOSS for a value too short to be one.
  static absl::Status AddEntry(const Database& database, absl::string_view ticket_key,
                               absl::string_view value, rocksdb::WriteBatch* batch);
  // Adds the removal of `ticket_key`'s answer to `batch` (its expiry row is
  // left to Sweep, which finds no answer then).
  static void AddRemoval(const Database& database, absl::string_view ticket_key,
                         rocksdb::WriteBatch* batch);
  // Adds the removal of every entry to `batch`.
  static void AddClear(const Database& database, rocksdb::WriteBatch* batch);

  // Cluster mode: the record remembering `answer` for `ticket`, to write in
  // the transaction of the write it answers (compared with the revision of
  // the record `view` holds, an expired one's included).
  static absl::StatusOr<RecordWrite> ClusterWrite(const RecordView& view,
                                                  const RequestTicket& ticket,
                                                  absl::string_view answer, absl::Time now);

  const std::shared_ptr<Database> database_;
  const bool sync_writes_;
  RecordView* const view_;
  RecordWriter* const cluster_;
  std::unique_ptr<Mirror> mirror_;
  absl::Mutex sweep_mu_;
  // The expiry-index key the last sweep stopped at: the deleted entries
  // before it are tombstones that a seek from the start would walk over.
  std::string sweep_from_ ABSL_GUARDED_BY(sweep_mu_);
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_REQUEST_IDS_H_
