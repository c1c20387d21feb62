// PartnershipStore: partnerships with shared goals between two companies or
// two chambers (Partnership, partnership.proto) and their reviews, kept
// durably in the "partnerships" and "partnership_index" column families of a
// shared Database, with the notifications they cause written in the same
// RocksDB write (see notification_store.h).
//
//   absl::StatusOr<std::unique_ptr<PartnershipStore>> partnerships =
//       PartnershipStore::Open(db, notifications.get(), {});
//   absl::StatusOr<Partnership> created = (*partnerships)->Create(
//       partnership, {.by = "member:de-1", .first = true}, ticket, summarize);
//   (*partnerships)->RecordReview(created->id(), review, 0, {.by = "member:cl-1",
//                                 .second = true}, summarize);
//   (*partnerships)->RemindDue(500, summarize);  // from a periodic loop
//
// The rules kept here, whoever calls (who acts for whom is the caller's to
// check):
// - A partnership names two companies (first_member_id, second_member_id,
//   different) and their chambers, or two different chambers and no
//   companies. It starts EXPLORING, version 1. EXPLORING, ACTIVE and PAUSED
//   move to each other and to ENDED (which needs an end_reason); an ENDED
//   partnership takes no change and no review (FAILED_PRECONDITION).
// - A review is due review_every_weeks after the last review, or after the
//   creation without one (next_review_time), while the partnership is
//   EXPLORING or ACTIVE. A review names one reading for each indicator.
// - Notifications, each addressed to a party (a member's profile id, or
//   "staff:<chamber_id>" for a chamber partnership) the actor does not act
//   for: PARTNERSHIP_CREATED, PARTNERSHIP_REVIEWED,
//   PARTNERSHIP_STATUS_CHANGED. PARTNERSHIP_REVIEW_DUE goes to both parties
//   when RemindDue finds a review due, once per due review: the reminder is
//   recorded in the write that sends it, so a restart sends none twice.
//
// Cluster mode (a RecordView and a RecordWriter in the options; see
// docs/CLUSTER.md): partnerships are kept in etcd under
// "socio/partnerships/<id>", and their reviews and the rows that index them
// (members' and chambers' lists, reviews due) under
// "socio/partnership-index/<row key in hex>"; the families are the node's
// copy. Each write is one etcd transaction (RecordBatch) that requires what
// it read to be unchanged, with its notifications and a request's answer in
// it; a write that loses a race to another node's is read, checked and
// tried again, so two nodes reminding of the same due review send it once.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised, so each check and the write it guards are atomic.
#ifndef SOCIO_STORAGE_PARTNERSHIP_STORE_H_
#define SOCIO_STORAGE_PARTNERSHIP_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "socio/v1/notification.pb.h"
#include "socio/v1/partnership.pb.h"
#include "storage/database.h"
#include "storage/engagement_store.h"
#include "storage/notification_store.h"
#include "storage/record_batch.h"
#include "storage/replicated_records.h"
#include "storage/request_ids.h"

namespace socio::storage {

struct PartnershipStoreOptions {
  // Default: true, as DelegationStoreOptions::sync_writes.
  bool sync_writes = true;
  // Default: absl::Now. Tests pass their own clock to make reviews due.
  std::function<absl::Time()> clock;
  // Default: nullptr, the embedded store. A cluster node's view and writer:
  // both or neither, with a NotificationStore in cluster mode (see "Cluster
  // mode" above). Not owned; must outlive the store, which must be opened
  // before the view is fed.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

class PartnershipStore {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kMaxGoals = 20;
  static constexpr int kMaxMilestones = 50;
  static constexpr int kMaxTitle = 200;  // characters of a title
  static constexpr int kMaxIndicatorName = 100;
  static constexpr int kMaxUnit = 30;
  static constexpr int kMaxReason = 500;
  static constexpr int kMaxNote = 2000;
  static constexpr int kMaxUid = 200;
  static constexpr int kDefaultReviewWeeks = 4;
  static constexpr int kMaxReviewWeeks = 52;

  // Opens the store over an open `database`, which it shares, writing its
  // notifications through `notifications` (not owned, over the same
  // database, must outlive the store). INVALID_ARGUMENT if either is
  // missing, or the options and `notifications` do not agree on cluster
  // mode; FAILED_PRECONDITION if another PartnershipStore is open.
  static absl::StatusOr<std::unique_ptr<PartnershipStore>> Open(
      std::shared_ptr<Database> database, NotificationStore* notifications,
      const PartnershipStoreOptions& options);

  ~PartnershipStore();
  PartnershipStore(const PartnershipStore&) = delete;
  PartnershipStore& operator=(const PartnershipStore&) = delete;

  // Who makes a change: `by` is kept as created_by, changed_by or
  // recorded_by ("member:<id>", "staff:<chamber>", "operator"); `first` and
  // `second` say which parties the actor acts for (neither: operators),
  // so that the other party is told.
  struct Actor {
    std::string by;
    bool first = false;
    bool second = false;
  };

  // Stores `partnership` (members or chambers as above, origin, title,
  // goals, milestones, review_every_weeks; status EXPLORING or unset) with a
  // new id, version 1, times and next_review_time, and returns it.
  // INVALID_ARGUMENT naming the field (see partnership.proto for the
  // limits). With a `ticket` (request_ids.h), a retry gets the first answer
  // and writes nothing.
  absl::StatusOr<socio::v1::Partnership> Create(socio::v1::Partnership partnership,
                                                const Actor& actor, const RequestTicket* ticket,
                                                const Summarize& summarize);

  // The partnership; NOT_FOUND "id: no partnership '<id>'".
  absl::StatusOr<socio::v1::Partnership> Get(absl::string_view id) const;

  // Which partnerships List returns: those of a member (a party) or those
  // whose first or second chamber is chamber_id; in `statuses` (empty: all).
  struct Scope {
    std::string member_id;
    std::string chamber_id;
    std::vector<socio::v1::Partnership::Status> statuses;
  };
  // One page of the scope's partnerships, newest first, and the next page's
  // token (empty on the last). INVALID_ARGUMENT if the scope names neither or
  // both, or naming page_size (0..kMaxPageSize, 0: default) or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::Partnership>, std::string>> List(
      const Scope& scope, int page_size, absl::string_view page_token) const;

  // Writes the fields of `patch` that `mask` names (update_mask.h; paths
  // among status, end_reason, title, goals, milestones, review_every_weeks)
  // into partnership patch.id(). INVALID_ARGUMENT naming the field or the
  // mask path; NOT_FOUND; FAILED_PRECONDITION if it is ENDED; ABORTED if
  // expected_version > 0 and differs.
  absl::StatusOr<socio::v1::Partnership> Update(const socio::v1::Partnership& patch,
                                                const google::protobuf::FieldMask& mask,
                                                int64_t expected_version, const Actor& actor,
                                                const Summarize& summarize);

  // Records `review` (readings, judgement, note) as the partnership's next
  // review, numbered, and moves next_review_time to now +
  // review_every_weeks. INVALID_ARGUMENT naming the field: a reading of no
  // indicator, an indicator without a reading or with two, a value that is
  // not finite, no judgement, a reading's judgement out of range (it is
  // optional), a long note. NOT_FOUND; FAILED_PRECONDITION if
  // ENDED; ABORTED as Update.
  absl::StatusOr<socio::v1::PartnershipReview> RecordReview(absl::string_view id,
                                                            socio::v1::PartnershipReview review,
                                                            int64_t expected_version,
                                                            const Actor& actor,
                                                            const Summarize& summarize);

  // One page of the partnership's reviews, newest first, and the next
  // page's token. NOT_FOUND for a partnership that does not exist;
  // INVALID_ARGUMENT naming page_size or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::PartnershipReview>, std::string>> ListReviews(
      absl::string_view id, int page_size, absl::string_view page_token) const;

  // Sends PARTNERSHIP_REVIEW_DUE to both parties of up to `max_reminders`
  // partnerships whose next review is due (next_review_time at or before
  // now), earliest due first, each in one write with the record that it was
  // sent, and returns how many.
  absl::StatusOr<int> RemindDue(int max_reminders, const Summarize& summarize);

 private:
  PartnershipStore(std::shared_ptr<Database> database, NotificationStore* notifications,
                   const PartnershipStoreOptions& options);

  absl::Time Now() const;
  // The stored partnership, read into `batch` if given (its write requires
  // it unchanged); NOT_FOUND.
  absl::StatusOr<socio::v1::Partnership> Read(absl::string_view id,
                                              RecordBatch* batch = nullptr) const;
  // Stores `partnership` (changed from `before`, which has the same id, or
  // new when null) and updates the indexes, in `batch`.
  absl::Status AddTo(const socio::v1::Partnership* before,
                     const socio::v1::Partnership& partnership, RecordBatch* batch) const;
  // One try of Create (`partnership` checked), under the write lock.
  absl::StatusOr<socio::v1::Partnership> CreateOnce(socio::v1::Partnership partnership,
                                                    const Actor& actor, const RequestTicket* ticket,
                                                    const Summarize& summarize, bool* raced);
  // Loads `id`, checks the version and that it is not ENDED, applies
  // `change` (which may refuse and may add to the batch and the
  // notifications), bumps the version and writes.
  absl::StatusOr<socio::v1::Partnership> Change(
      absl::string_view id, int64_t expected_version, absl::string_view by,
      const std::function<absl::Status(socio::v1::Partnership*, RecordBatch*,
                                       std::vector<socio::v1::Notification>*)>& change);

  const std::shared_ptr<Database> database_;
  NotificationStore* const notifications_;
  const PartnershipStoreOptions options_;
  const RecordStores records_;
  // Where partnerships and their reviews and index rows are kept.
  const RecordTable partnerships_;
  const RecordTable index_;
  TableMirrors mirrors_;  // cluster mode: the families follow the view
  absl::Mutex write_mu_;
};

// Whether `partnership` is between two chambers (no member ids).
bool IsChamberPartnership(const socio::v1::Partnership& partnership);

// The two parties of `partnership` as notification recipients: the members'
// profile ids, or "staff:<chamber_id>" of both chambers.
std::pair<std::string, std::string> PartiesOf(const socio::v1::Partnership& partnership);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_PARTNERSHIP_STORE_H_
