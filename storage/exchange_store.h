// ExchangeStore: exchanges between two chambers, a visit and its return
// visit linked (Exchange, exchange.proto), kept durably in the "exchanges"
// column family of a shared Database, keyed by id, with an index from each
// delegation to the exchange it is in and one from each chamber to its
// exchanges.
//
//   absl::StatusOr<std::unique_ptr<ExchangeStore>> exchanges = ExchangeStore::Open(db, {});
//   absl::StatusOr<Exchange> created = (*exchanges)->Create(exchange, nullptr, sees);
//   // created->version() == 1
//   patch.set_return_delegation_id("mx-to-muc-2028");
//   (*exchanges)->Update(patch, mask, created->version(), sees);  // linked
//
// The rules kept here, whoever calls: the id, chamber ids and delegation ids
// are well-formed ids (profile_validation.h ValidateId); the two chambers
// differ, and so do the two delegations; the name and notes fit their
// limits; and a delegation is in at most one exchange. The index that keeps
// the last rule is written in the same RocksDB write as the exchange, under
// the store's write lock, so two exchanges racing for one delegation cannot
// both get it. What the delegations are (their chambers and countries) and
// who may do what are the caller's to check.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised, so each check and the write it guards are atomic.
#ifndef SOCIO_STORAGE_EXCHANGE_STORE_H_
#define SOCIO_STORAGE_EXCHANGE_STORE_H_

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
#include "socio/v1/exchange.pb.h"
#include "storage/database.h"
#include "storage/request_ids.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

struct ExchangeStoreOptions {
  // Default: true, as DelegationStoreOptions::sync_writes.
  bool sync_writes = true;
  // Default: absl::Now. For create_time and update_time.
  std::function<absl::Time()> clock;
};

// Whether the caller may be told of `other`, an exchange that already holds
// a delegation a write names: decides whether ALREADY_EXISTS names it.
using SeesExchange = std::function<bool(const socio::v1::Exchange& other)>;

class ExchangeStore {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kMaxName = 200;    // characters
  static constexpr int kMaxNotes = 2000;  // characters

  // Opens the store over an open `database`, which it shares.
  // INVALID_ARGUMENT if `database` is missing; FAILED_PRECONDITION if
  // another ExchangeStore is open over it.
  static absl::StatusOr<std::unique_ptr<ExchangeStore>> Open(std::shared_ptr<Database> database,
                                                             const ExchangeStoreOptions& options);

  ~ExchangeStore();
  ExchangeStore(const ExchangeStore&) = delete;
  ExchangeStore& operator=(const ExchangeStore&) = delete;

  // Stores a new exchange with version 1 and create_time = update_time =
  // now, and returns it as stored; output-only fields and unknown fields
  // are dropped. INVALID_ARGUMENT naming the field ("exchange.chamber_id:
  // ..."); ALREADY_EXISTS if the id is taken, or naming the delegation
  // field if a delegation is in another exchange (that exchange's id only
  // when `sees` accepts it; `sees` may be empty: never). With a `ticket`
  // (request_ids.h): the first answer to a request answered before, and
  // nothing written; else the answer is remembered in the same write.
  absl::StatusOr<socio::v1::Exchange> Create(socio::v1::Exchange exchange,
                                             const RequestTicket* ticket, const SeesExchange& sees);

  // The exchange; NOT_FOUND "id: no exchange '<id>'"; INVALID_ARGUMENT for a
  // malformed id.
  absl::StatusOr<socio::v1::Exchange> Get(absl::string_view id) const;

  // The exchange `delegation_id` is in, or nullopt if none.
  absl::StatusOr<std::optional<socio::v1::Exchange>> OfDelegation(
      absl::string_view delegation_id) const;

  // Writes the fields of `patch` that `mask` names (update_mask.h; paths
  // among name, notes, return_delegation_id; "*" all three) into exchange
  // patch.id(), grows its version by one and sets update_time. A return
  // visit written moves the delegation index with it in the same write.
  // INVALID_ARGUMENT naming the field or the mask path ("update_mask.paths[0]:
  // ..."); NOT_FOUND; ALREADY_EXISTS as Create; ABORTED if expected_version
  // > 0 and differs from the stored version.
  absl::StatusOr<socio::v1::Exchange> Update(const socio::v1::Exchange& patch,
                                             const google::protobuf::FieldMask& mask,
                                             int64_t expected_version, const SeesExchange& sees);

  // Removes the exchange and its index entries (the delegations are not
  // touched). NOT_FOUND; ABORTED as Update; INVALID_ARGUMENT for a malformed
  // id or a negative expected_version.
  absl::Status Delete(absl::string_view id, int64_t expected_version);

  // One page of exchanges ordered by id, those `chamber_id` is in (either
  // side; empty: all), and the next page's token (empty on the last).
  // page_size 0..kMaxPageSize (0: kDefaultPageSize). The token works only
  // with the chamber_id it was issued for. INVALID_ARGUMENT naming
  // chamber_id, page_size or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::Exchange>, std::string>> List(
      absl::string_view chamber_id, int page_size, absl::string_view page_token) const;

 private:
  ExchangeStore(std::shared_ptr<Database> database, const ExchangeStoreOptions& options);

  absl::Time Now() const;
  // The stored exchange; NOT_FOUND.
  absl::StatusOr<socio::v1::Exchange> Read(absl::string_view id) const;
  // The id of the exchange holding `delegation_id`; empty if none.
  absl::StatusOr<std::string> Holder(absl::string_view delegation_id) const;
  // ALREADY_EXISTS naming `field` if `delegation_id` is in an exchange other
  // than `self`.
  absl::Status CheckFree(absl::string_view field, const std::string& delegation_id,
                         absl::string_view self, const SeesExchange& sees) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Puts `exchange` (changed from `before`, or new when null) and its index
  // entries into `batch`.
  absl::Status AddTo(const socio::v1::Exchange* before, const socio::v1::Exchange& exchange,
                     rocksdb::WriteBatch* batch) const;
  absl::Status Commit(rocksdb::WriteBatch* batch) const;

  const std::shared_ptr<Database> database_;
  const ExchangeStoreOptions options_;
  absl::Mutex write_mu_;
};

// INVALID_ARGUMENT naming the field ("exchange.notes: ...") unless the
// writable fields of `exchange` keep the rules above (ids, chambers
// different, delegations different, lengths).
absl::Status ValidateExchange(const socio::v1::Exchange& exchange);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_EXCHANGE_STORE_H_
