// ChamberStore: chambers' directory records (Chamber, chamber.proto) and the
// partner links between chambers (ChamberPartner), kept durably in the
// "chambers" and "chamber_partners" column families of a shared Database,
// with the notifications a link causes written in the same RocksDB write
// (see notification_store.h).
//
//   absl::StatusOr<std::unique_ptr<ChamberStore>> chambers =
//       ChamberStore::Open(db, notifications.get(), {.reference = reference});
//   (*chambers)->Create(chamber, ticket);
//   (*chambers)->Propose("ihk-muc", "canaco-mx", "Let us plan visits together",
//                        "staff:ihk-muc", ticket, summarize);
//   (*chambers)->Accept("canaco-mx", "ihk-muc", 0, "staff:canaco-mx", summarize);
//
// The rules kept here, whoever calls (who may act for a chamber is the
// caller's to check):
// - A record's id is a chamber id (ValidateId), set once. A chamber id needs
//   no record anywhere else in Socio; links may name chambers without one.
// - A link joins two different chambers and reads the same from both sides
//   (each side's copy names it as chamber_id). It starts PROPOSED by one
//   side; only the other side's acceptance makes it ACTIVE; either side ends
//   it (ENDED). An ENDED link may be proposed again, by either side.
// - The chamber asked is told of a proposal (CHAMBER_PARTNER_PROPOSED), the
//   proposer of its acceptance (CHAMBER_PARTNER_ACCEPTED), each addressed to
//   "staff:<chamber_id>".
// A rejected write changes nothing.
//
// Cluster mode (a RecordView and a RecordWriter in the options; see
// docs/CLUSTER.md): records are kept in etcd under "socio/chambers/<id>" and
// "socio/chamber-partners/<chamber>/<partner>" (each side's copy), and each
// write is one etcd transaction (RecordBatch) that compares the revisions of
// the records it read, with its notifications and a request's answer in it.
// A write that loses a race to another node's is read, checked and tried
// again.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised, so each check and the write it guards are atomic.
#ifndef SOCIO_STORAGE_CHAMBER_STORE_H_
#define SOCIO_STORAGE_CHAMBER_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "reference/reference_data.h"
#include "socio/v1/chamber.pb.h"
#include "socio/v1/notification.pb.h"
#include "storage/database.h"
#include "storage/engagement_store.h"
#include "storage/notification_store.h"
#include "storage/profile_validation.h"
#include "storage/record_batch.h"
#include "storage/replicated_records.h"
#include "storage/request_ids.h"

namespace socio::storage {

struct ChamberStoreOptions {
  // Default: true, as DelegationStoreOptions::sync_writes.
  bool sync_writes = true;
  // Countries and languages records are checked against. Required.
  std::shared_ptr<const reference::ReferenceData> reference;
  // Default: absl::Now. Tests pass their own clock.
  std::function<absl::Time()> clock;
  // Default: nullptr, the embedded store. A cluster node's view and writer:
  // both or neither, with a NotificationStore in cluster mode (see "Cluster
  // mode" above). Not owned; must outlive the store, which must be opened
  // before the view is fed.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

class ChamberStore {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kMaxName = 200;  // characters
  static constexpr int kMaxCity = 100;
  static constexpr int kMaxLanguages = 20;
  static constexpr int kMaxContacts = 10;
  static constexpr int kMaxNote = 500;  // a proposal's note, an end reason

  // Opens the store over an open `database`, which it shares, writing its
  // notifications through `notifications` (not owned, over the same
  // database, must outlive the store). INVALID_ARGUMENT if either or
  // options.reference is missing, or the options and `notifications` do not
  // agree on cluster mode; FAILED_PRECONDITION if another ChamberStore is
  // open over the database.
  static absl::StatusOr<std::unique_ptr<ChamberStore>> Open(std::shared_ptr<Database> database,
                                                            NotificationStore* notifications,
                                                            const ChamberStoreOptions& options);

  ~ChamberStore();
  ChamberStore(const ChamberStore&) = delete;
  ChamberStore& operator=(const ChamberStore&) = delete;

  // Stores `chamber` (its writable fields; output-only ones are the
  // store's) as version 1 and returns it. INVALID_ARGUMENT naming the field
  // as "chamber.<path>" (see chamber.proto for the limits); ALREADY_EXISTS
  // if a record has the id. With a `ticket` (request_ids.h), a retry gets
  // the first answer and writes nothing.
  absl::StatusOr<socio::v1::Chamber> Create(socio::v1::Chamber chamber,
                                            const RequestTicket* ticket);

  // The record; NOT_FOUND "<field>: no chamber record '<id>'";
  // INVALID_ARGUMENT naming `field` for a malformed id.
  absl::StatusOr<socio::v1::Chamber> Get(absl::string_view id,
                                         absl::string_view field = "id") const;

  // One page of the records in id order (of `country` only, when set), and
  // the next page's token (empty on the last). INVALID_ARGUMENT naming
  // country, page_size (0..kMaxPageSize, 0: default) or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::Chamber>, std::string>> List(
      absl::string_view country, int page_size, absl::string_view page_token) const;

  // Writes the fields of `patch` that `mask` names (update_mask.h; paths
  // among name, country, city, languages, contacts, website) into record
  // patch.id(), version + 1. INVALID_ARGUMENT naming the field or the mask
  // path; NOT_FOUND; ABORTED if expected_version > 0 and differs.
  absl::StatusOr<socio::v1::Chamber> Update(const socio::v1::Chamber& patch,
                                            const google::protobuf::FieldMask& mask,
                                            int64_t expected_version);

  // Deletes record `id` and returns it as it was. NOT_FOUND; ABORTED as
  // Update. Links naming the chamber are left as they are.
  absl::StatusOr<socio::v1::Chamber> Delete(absl::string_view id, int64_t expected_version);

  // Proposes `partner_id` as a partner of `chamber_id` (PROPOSED, version 1,
  // or the ENDED link's version + 1) on behalf of `by` ("staff:<chamber>",
  // "operator"), tells the partner's staff, and returns the link as
  // `chamber_id` sees it. INVALID_ARGUMENT naming chamber_id,
  // partner_chamber_id (also: the same chamber) or note; ALREADY_EXISTS for
  // a link PROPOSED or ACTIVE. `ticket` as Create.
  absl::StatusOr<socio::v1::ChamberPartner> Propose(absl::string_view chamber_id,
                                                    absl::string_view partner_id,
                                                    absl::string_view note, absl::string_view by,
                                                    const RequestTicket* ticket,
                                                    const Summarize& summarize);

  // `chamber_id` accepts the proposal `partner_id` made to it: ACTIVE, and
  // the proposer's staff told. NOT_FOUND for no link; FAILED_PRECONDITION
  // for a link not PROPOSED, or proposed by `chamber_id` itself (the other
  // side must accept); ABORTED as Update.
  absl::StatusOr<socio::v1::ChamberPartner> Accept(absl::string_view chamber_id,
                                                   absl::string_view partner_id,
                                                   int64_t expected_version, absl::string_view by,
                                                   const Summarize& summarize);

  // Ends the link (PROPOSED or ACTIVE) with `reason` (optional).
  // INVALID_ARGUMENT naming reason; NOT_FOUND; FAILED_PRECONDITION if it is
  // ENDED; ABORTED as Update.
  absl::StatusOr<socio::v1::ChamberPartner> End(absl::string_view chamber_id,
                                                absl::string_view partner_id,
                                                absl::string_view reason, int64_t expected_version,
                                                absl::string_view by);

  // The link as `chamber_id` sees it; NOT_FOUND "partner_chamber_id: ...".
  absl::StatusOr<socio::v1::ChamberPartner> GetPartner(absl::string_view chamber_id,
                                                       absl::string_view partner_id) const;

  // One page of `chamber_id`'s links in partner id order (in `states`;
  // empty: all), and the next page's token. INVALID_ARGUMENT naming
  // chamber_id, page_size or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::ChamberPartner>, std::string>> ListPartners(
      absl::string_view chamber_id, const std::vector<socio::v1::ChamberPartner::State>& states,
      int page_size, absl::string_view page_token) const;

 private:
  ChamberStore(std::shared_ptr<Database> database, NotificationStore* notifications,
               const ChamberStoreOptions& options);

  absl::Time Now() const;
  // Checks every writable field of `chamber` (unknown fields dropped).
  absl::Status Check(socio::v1::Chamber* chamber) const;
  // The stored record, read into `batch` if given (its write requires it
  // unchanged); NOT_FOUND naming `field`.
  absl::StatusOr<socio::v1::Chamber> Read(absl::string_view id, absl::string_view field,
                                          RecordBatch* batch = nullptr) const;
  // The stored link as `chamber_id` sees it, partner_name not filled, read
  // as Read; NOT_FOUND.
  absl::StatusOr<socio::v1::ChamberPartner> ReadLink(absl::string_view chamber_id,
                                                     absl::string_view partner_id,
                                                     RecordBatch* batch = nullptr) const;
  // `link` with partner_name set from the partner's record, if any.
  socio::v1::ChamberPartner Named(socio::v1::ChamberPartner link) const;
  // Adds both sides' copies of `link` (as its chamber_id sees it) to `batch`.
  absl::Status AddLink(const socio::v1::ChamberPartner& link, RecordBatch* batch) const;
  // One try of Propose, under the write lock.
  absl::StatusOr<socio::v1::ChamberPartner> ProposeOnce(
      absl::string_view chamber_id, absl::string_view partner_id, absl::string_view note,
      absl::string_view by, const RequestTicket* ticket, const Summarize& summarize, bool* raced);
  // Loads the link, checks the version, applies `change` (which may refuse)
  // and writes it with the notifications `change` adds.
  absl::StatusOr<socio::v1::ChamberPartner> ChangeLink(
      absl::string_view chamber_id, absl::string_view partner_id, int64_t expected_version,
      const std::function<absl::Status(socio::v1::ChamberPartner*,
                                       std::vector<socio::v1::Notification>*)>& change);

  const std::shared_ptr<Database> database_;
  NotificationStore* const notifications_;
  const ChamberStoreOptions options_;
  const ProfileValidator validator_;
  const RecordStores records_;
  // Where the records are kept.
  const RecordTable chambers_;
  const RecordTable links_;
  TableMirrors mirrors_;  // cluster mode: the families follow the view
  absl::Mutex write_mu_;
};

// `link` as the other chamber sees it: chamber_id and partner_chamber_id
// swapped, partner_name cleared.
socio::v1::ChamberPartner MirrorLink(const socio::v1::ChamberPartner& link);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_CHAMBER_STORE_H_
