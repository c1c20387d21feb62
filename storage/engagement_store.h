// EngagementStore: what members do with their matches: marks of interest
// on partners and meeting requests between members, kept durably in the
// "interests", "meeting_requests" and "engagement_index" column families of
// a shared Database, with the notifications they cause written in the same
// RocksDB write (see notification_store.h).
//
//   absl::StatusOr<std::unique_ptr<EngagementStore>> engagement =
//       EngagementStore::Open(db, notifications.get(), {});
//   (*engagement)->SetInterest("de-1", "es-2", Interest::INTERESTED, "member", summarize);
//   absl::StatusOr<MeetingRequest> sent = (*engagement)->CreateRequest(
//       request, {.from_chamber = "ihk", .to_chamber = "cc-es", .expiry = absl::Hours(168)},
//       ticket, summarize);
//   (*engagement)->Answer(sent->id(), {.accept = true, .window = 0, .by = "staff:cc-es"},
//                         summarize);
//
// The rules kept here, whoever calls:
// - Marks: one per (member, partner); a mark of MARK_UNSPECIFIED clears it.
//   Two positive marks (INTERESTED, MUST_MEET) on one pair, one from each
//   side, are a mutual interest; when a write makes a pair mutual, both
//   sides get a MUTUAL_INTEREST notification.
// - Requests: PENDING -> ACCEPTED | DECLINED | EXPIRED | WITHDRAWN, and
//   ACCEPTED -> CANCELLED; any other move is FAILED_PRECONDITION naming the
//   request's state. Only the receiver answers, only the requester
//   withdraws, either side cancels an accepted one (who acts for whom is the
//   caller's to check). One PENDING request per pair of members, either
//   direction: a second is ALREADY_EXISTS naming the first.
// - A PENDING request past its expire_time reads as EXPIRED everywhere at
//   once; ExpireDue writes the change and its notification later.
// - Notifications: REQUEST_RECEIVED to the receiver; REQUEST_ACCEPTED to
//   both sides; REQUEST_DECLINED, REQUEST_EXPIRED to the requester;
//   REQUEST_WITHDRAWN to the receiver; REQUEST_CANCELLED to both sides.
//   Each is addressed to a member's profile id; `summarize` words its line.
//
// Cluster mode (a RecordView and a RecordWriter in the options; see
// docs/CLUSTER.md): marks are kept in etcd under
// "socio/interests/<member>/<partner>", requests under
// "socio/meeting-requests/<id>", and the rows that index them (open pairs,
// members' and chambers' lists, expiry order, delegations, reveals) under
// "socio/engagement-index/<row key in hex>"; the families are the node's
// copy. Each write is one etcd transaction (RecordBatch) that requires every
// record its checks read to be unchanged, with its notifications and a
// request's answer in it, so two nodes never both open a request on a pair
// and a pair made mutual on two nodes at once is told so once. A write that
// loses a race to another node's is read, checked and tried again.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised, so each check and the write it guards are atomic.
#ifndef SOCIO_STORAGE_ENGAGEMENT_STORE_H_
#define SOCIO_STORAGE_ENGAGEMENT_STORE_H_

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
#include "socio/v1/engagement.pb.h"
#include "socio/v1/notification.pb.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "storage/record_batch.h"
#include "storage/replicated_records.h"
#include "storage/request_ids.h"

namespace socio::storage {

struct EngagementStoreOptions {
  // Default: true, as DelegationStoreOptions::sync_writes.
  bool sync_writes = true;
  // Default: absl::Now. Tests pass their own clock to move past expiry.
  std::function<absl::Time()> clock;
  // Default: nullptr, the embedded store. A cluster node's view and writer:
  // both or neither, with a NotificationStore in cluster mode (see "Cluster
  // mode" above). Not owned; must outlive the store, which must be opened
  // before the view is fed.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

// Words a notification's summary line from its kind and subject (the store
// sets everything else). May be empty: the summary stays empty.
using Summarize = std::function<std::string(const socio::v1::Notification&)>;

class EngagementStore {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kMaxMessage = 500;  // characters of a message or a reason
  static constexpr int kMaxWindows = 3;
  static constexpr absl::Duration kMaxWindow = absl::Hours(12);

  // Opens the store over an open `database`, which it shares, writing its
  // notifications through `notifications` (not owned, over the same
  // database, must outlive the store). INVALID_ARGUMENT if either is
  // missing, or the options and `notifications` do not agree on cluster
  // mode; FAILED_PRECONDITION if another EngagementStore is open.
  static absl::StatusOr<std::unique_ptr<EngagementStore>> Open(
      std::shared_ptr<Database> database, NotificationStore* notifications,
      const EngagementStoreOptions& options);

  ~EngagementStore();
  EngagementStore(const EngagementStore&) = delete;
  EngagementStore& operator=(const EngagementStore&) = delete;

  // ---- Marks ----

  // Sets `member_id`'s mark on `partner_id` (MARK_UNSPECIFIED clears it)
  // and returns it as stored, `mutual` set. `set_by` says who set it
  // ("member" or "staff:<chamber>"). INVALID_ARGUMENT naming member_id or
  // partner_ref for a malformed id or a mark on oneself.
  absl::StatusOr<socio::v1::Interest> SetInterest(absl::string_view member_id,
                                                  absl::string_view partner_id,
                                                  socio::v1::Interest::Mark mark,
                                                  absl::string_view set_by,
                                                  const Summarize& summarize);

  // The mark of `member_id` on `partner_id`, `mutual` set; nullopt if none.
  absl::StatusOr<std::optional<socio::v1::Interest>> GetInterest(
      absl::string_view member_id, absl::string_view partner_id) const;

  // Every mark `member_id` set, by partner id.
  absl::StatusOr<std::vector<socio::v1::Interest>> MarksOf(absl::string_view member_id) const;

  // One page of marks, ordered by member then partner, and the next page's
  // token (empty on the last): those set by `member_id`, or with it empty
  // those whose member `keep_member` accepts; only mutual ones with
  // `mutual_only`. page_size 0..kMaxPageSize (0: default). INVALID_ARGUMENT
  // naming page_size or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::Interest>, std::string>> ListInterests(
      absl::string_view member_id, const std::function<bool(absl::string_view)>& keep_member,
      bool mutual_only, int page_size, absl::string_view page_token) const;

  // ---- Reveals ----
  //
  // When a write makes a pair mutual, or accepts a request, each company of
  // the pair is recorded as revealed to the other (Reveal, engagement.proto)
  // in that write, unless it already was: the first reveal stays on record
  // and none is ever taken back.

  // Whether `profile_id` was revealed to the company `shown_to`.
  absl::StatusOr<bool> IsRevealed(absl::string_view profile_id, absl::string_view shown_to) const;

  // One page of the companies `profile_id` was revealed to, by their id,
  // and the next page's token. INVALID_ARGUMENT naming page_size or
  // page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::Reveal>, std::string>> ListReveals(
      absl::string_view profile_id, int page_size, absl::string_view page_token) const;

  // ---- Meeting requests ----

  // What the store is told about a new request beside the request itself.
  struct NewRequest {
    std::string from_chamber;  // the requester's chamber
    std::string to_chamber;    // the receiver's
    absl::Duration expiry = absl::Hours(24 * 7);
    std::string by;  // who sends it: "member" or "staff:<chamber>"
  };
  // Stores `request` (from_member_id, to_ref as a profile id, message,
  // delegation_id, proposed) as PENDING, version 1, with a new id, times and
  // expire_time = now + expiry, and returns it. INVALID_ARGUMENT naming the
  // field: malformed ids, a request to oneself, a message over kMaxMessage
  // characters, a standalone request (no delegation_id) without 1 to
  // kMaxWindows windows, windows in a delegation request, a window that
  // ends before it starts, is longer than kMaxWindow or starts in the past.
  // ALREADY_EXISTS if the pair has a PENDING request. With a `ticket` (see
  // request_ids.h), a retry gets the first answer and writes nothing.
  absl::StatusOr<socio::v1::MeetingRequest> CreateRequest(socio::v1::MeetingRequest request,
                                                          const NewRequest& how,
                                                          const RequestTicket* ticket,
                                                          const Summarize& summarize);

  // The request, EXPIRED if it is PENDING past its expire_time. NOT_FOUND.
  absl::StatusOr<socio::v1::MeetingRequest> GetRequest(absl::string_view id) const;

  // Which requests List returns.
  struct RequestScope {
    std::string member_id;   // sent or received by this member; or
    std::string chamber_id;  // sent or received by a member of this chamber
    enum class Box { kBoth, kSent, kReceived } box = Box::kBoth;  // from member_id's side
    std::vector<socio::v1::MeetingRequest::State> states;         // empty: all
  };
  // One page of the scope's requests, newest first, and the next page's
  // token. INVALID_ARGUMENT if the scope names neither or both, or for a bad
  // page_size or page_token.
  absl::StatusOr<std::pair<std::vector<socio::v1::MeetingRequest>, std::string>> ListRequests(
      const RequestScope& scope, int page_size, absl::string_view page_token) const;

  struct AnswerBy {
    bool accept = false;
    int window = 0;      // the accepted window of a standalone request
    std::string reason;  // of a decline, optional
    std::string by;      // "member" or "staff:<chamber>"
    int64_t expected_version = 0;
  };
  // PENDING -> ACCEPTED (a standalone request's `window` kept as
  // accepted_window, calendar_uid set) or DECLINED. FAILED_PRECONDITION
  // naming the state; INVALID_ARGUMENT naming window or reason; NOT_FOUND;
  // ABORTED if expected_version > 0 and differs.
  absl::StatusOr<socio::v1::MeetingRequest> Answer(absl::string_view id, const AnswerBy& answer,
                                                   const Summarize& summarize);

  struct CancelBy {
    std::string side;    // the member acting: the requester or the receiver
    std::string reason;  // optional
    std::string by;
    int64_t expected_version = 0;
  };
  // PENDING -> WITHDRAWN (the requester only) or ACCEPTED -> CANCELLED
  // (either side). FAILED_PRECONDITION naming the state, or when the
  // receiver tries to withdraw; INVALID_ARGUMENT for a side that is neither
  // party, or a long reason; NOT_FOUND; ABORTED as Answer.
  absl::StatusOr<socio::v1::MeetingRequest> Cancel(absl::string_view id, const CancelBy& cancel,
                                                   const Summarize& summarize);

  // Writes EXPIRED for up to `max_requests` PENDING requests past their
  // expire_time, oldest first, each with its notification, and returns how
  // many.
  absl::StatusOr<int> ExpireDue(int max_requests, const Summarize& summarize);

  // The ACCEPTED requests made inside delegation `delegation_id`.
  absl::StatusOr<std::vector<socio::v1::MeetingRequest>> AcceptedIn(
      absl::string_view delegation_id) const;

 private:
  EngagementStore(std::shared_ptr<Database> database, NotificationStore* notifications,
                  const EngagementStoreOptions& options);

  absl::Time Now() const;
  // The stored mark of `member_id` on `partner_id` as written (`mutual`
  // not set); nullopt if none.
  // Read into `batch` if given (its write requires it unchanged).
  absl::StatusOr<std::optional<socio::v1::Interest>> ReadMark(absl::string_view member_id,
                                                              absl::string_view partner_id,
                                                              RecordBatch* batch = nullptr) const;
  // Adds to `batch` the reveals of `a` to `b` and of `b` to `a` not yet
  // recorded.
  absl::Status AddRevealsTo(absl::string_view a, absl::string_view b,
                            socio::v1::Reveal::Reason reason, RecordBatch* batch) const;
  // Sets mine->mutual() from the partner's mark on the member.
  absl::Status SetMutual(socio::v1::Interest* mine) const;
  // The stored request, not yet read as expired; NOT_FOUND.
  absl::StatusOr<socio::v1::MeetingRequest> ReadRequest(absl::string_view id) const;
  // The same, read into `batch` (its write requires it unchanged).
  absl::StatusOr<socio::v1::MeetingRequest> ReadRequest(absl::string_view id,
                                                        RecordBatch* batch) const;
  // Stores `request` (changed from `before`, which has the same id),
  // updates the indexes and adds `notifications`, in `batch`.
  absl::Status AddRequestTo(const socio::v1::MeetingRequest* before,
                            const socio::v1::MeetingRequest& request,
                            std::vector<socio::v1::Notification>* notifications,
                            const Summarize& summarize, RecordBatch* batch) const;
  // One try of CreateRequest (`request` checked), under the write lock.
  absl::StatusOr<socio::v1::MeetingRequest> CreateOnce(socio::v1::MeetingRequest request,
                                                       const NewRequest& how,
                                                       const RequestTicket* ticket,
                                                       const Summarize& summarize, bool* raced);
  // Loads `id`, applies `change` to it read as of now (it may refuse; it
  // is shown the request as stored too), writes.
  absl::StatusOr<socio::v1::MeetingRequest> Change(
      absl::string_view id, int64_t expected_version,
      const std::function<absl::Status(const socio::v1::MeetingRequest& stored,
                                       socio::v1::MeetingRequest*)>& change,
      const Summarize& summarize);

  const std::shared_ptr<Database> database_;
  NotificationStore* const notifications_;
  const EngagementStoreOptions options_;
  const RecordStores records_;
  // Where marks, requests and their index rows are kept.
  const RecordTable marks_;
  const RecordTable requests_;
  const RecordTable index_;
  TableMirrors mirrors_;  // cluster mode: the families follow the view
  absl::Mutex write_mu_;
};

// "PENDING", "ACCEPTED", ...: for messages.
std::string RequestStateName(socio::v1::MeetingRequest::State state);

// Whether `mark` counts towards a mutual interest.
bool IsPositiveMark(socio::v1::Interest::Mark mark);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_ENGAGEMENT_STORE_H_
