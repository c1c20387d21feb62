// OutcomeStore: what came of meetings (outcome.proto), told by each of a
// meeting's two sides in two stages, kept durably in the "outcomes" column
// family of a shared Database, with the reminders it sends written to the
// outbox (notification_store.h) in the same RocksDB write as their markers.
//
//   absl::StatusOr<std::unique_ptr<OutcomeStore>> outcomes = OutcomeStore::Open(
//       db, notifications.get(),
//       {.delegations = delegations.get(), .engagement = engagement.get(),
//        .chamber_of = chamber_of});
//   MeetingRef ref;
//   ref.set_request_id("mr-0123");
//   (*outcomes)->Record(ref, {.member_id = "de-1", .feedback = feedback, .by = "member"});
//   (*outcomes)->Sweep(500, summarize);  // from a periodic loop
//
// Meetings come from elsewhere: the meetings of a published delegation plan
// (DelegationStore, Delegation.publication) and ACCEPTED meeting requests
// without a delegation (EngagementStore). The store reads them there each
// time a ref is named, so a ref is always judged against the meeting as it
// is now; it keeps a record of each meeting it has seen (its sides, times and
// answers) for lists and reminders.
//
// Sweep learns of meetings by following the outbox (REQUEST_ACCEPTED,
// REQUEST_CANCELLED, PLAN_PUBLISHED and MEETINGS_CHANGED notifications, from
// a durable cursor named "outcomes"), and writes the reminders due:
// OUTCOME_FEEDBACK_DUE to each side without stage 1 once the meeting has
// ended, OUTCOME_FOLLOW_UP_DUE to each side without stage 2 once it is due.
// Each reminder is written once: its marker and the removal of its queue
// entry go in the same write, so neither a restart nor a second sweep
// repeats it.
//
// The rules kept here, whoever calls (who acts for whom is the caller's to
// check):
// - Both stages are accepted from the meeting's end on; before it,
//   FAILED_PRECONDITION naming the end time. Stage 2 falls due
//   follow_up_days(chamber of the side) after the end.
// - A side's answer replaces its earlier one of the same stage; the side's
//   version grows by one with each.
// - A meeting nobody answered follows its source: moved, it is moved; dropped
//   from a re-published plan or cancelled, it is forgotten. One with an
//   answer stays as it was answered.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised.
#ifndef SOCIO_STORAGE_OUTCOME_STORE_H_
#define SOCIO_STORAGE_OUTCOME_STORE_H_

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
#include "socio/v1/outcome.pb.h"
#include "storage/database.h"
#include "storage/delegation_store.h"
#include "storage/engagement_store.h"
#include "storage/notification_store.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace socio::storage {

struct OutcomeStoreOptions {
  // Default: true, as DelegationStoreOptions::sync_writes.
  bool sync_writes = true;
  // Default: absl::Now. Tests pass their own clock to pass a meeting's end.
  std::function<absl::Time()> clock;
  // Where meetings come from; not owned, must outlive the store. Without
  // one, meetings of that kind are NOT_FOUND.
  const DelegationStore* delegations = nullptr;
  const EngagementStore* engagement = nullptr;
  // The chamber of a company (a profile id); "" if unknown. Required.
  std::function<std::string(const std::string& member_id)> chamber_of;
  // Days after a meeting's end that stage 2 falls due for a member of
  // `chamber_id`; 0 or a missing function: kDefaultFollowUpDays.
  std::function<int(const std::string& chamber_id)> follow_up_days;
};

class OutcomeStore {
 public:
  static constexpr int kDefaultFollowUpDays = 182;
  static constexpr int kMaxNote = 1000;  // characters
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  // The cursor Sweep keeps in the notification store.
  static constexpr absl::string_view kCursor = "outcomes";

  // Opens the store over an open `database`, which it shares, writing its
  // reminders through `notifications` (not owned, over the same database,
  // must outlive the store). INVALID_ARGUMENT if either or
  // options.chamber_of is missing; FAILED_PRECONDITION if another
  // OutcomeStore is open.
  static absl::StatusOr<std::unique_ptr<OutcomeStore>> Open(std::shared_ptr<Database> database,
                                                            NotificationStore* notifications,
                                                            OutcomeStoreOptions options);

  ~OutcomeStore();
  OutcomeStore(const OutcomeStore&) = delete;
  OutcomeStore& operator=(const OutcomeStore&) = delete;

  // The meeting `ref` names with every side's answers (none hidden).
  // INVALID_ARGUMENT naming `meeting` for a ref that names neither or both
  // kinds; NoMeeting(ref) for one that names nothing;
  // FAILED_PRECONDITION for a meeting that cannot carry an outcome: a plan
  // not published, a request not ACCEPTED or made inside a delegation.
  absl::StatusOr<socio::v1::MeetingOutcome> Get(const socio::v1::MeetingRef& ref) const;

  // One side's answer of one stage.
  struct Answer {
    std::string member_id;  // the side
    std::optional<socio::v1::MeetingFeedback> feedback;
    std::optional<socio::v1::FollowUpReport> follow_up;
    std::string by;  // "member", "staff:<chamber>", "operator"
    int64_t expected_version = 0;
  };
  // Records `answer` and returns the meeting as Get does. Errors of Get;
  // INVALID_ARGUMENT naming the field (member_id not a side; not exactly one
  // stage; see ValidateFeedback, ValidateFollowUp); FAILED_PRECONDITION
  // before the meeting's end, naming it; ABORTED if expected_version > 0 and
  // differs from the side's version.
  absl::StatusOr<socio::v1::MeetingOutcome> Record(const socio::v1::MeetingRef& ref,
                                                   const Answer& answer);

  // Which meetings List walks: those of a delegation, of a company (a side),
  // or of a chamber (a side's chamber).
  enum class Scope { kDelegation, kMember, kChamber };
  // One page of the scope's recorded meetings, latest end first, those
  // `keep` accepts (every one if null), and the next page's token (empty on
  // the last). page_size 0..kMaxPageSize (0: default). INVALID_ARGUMENT
  // naming page_size or page_token, or `id` if empty.
  absl::StatusOr<std::pair<std::vector<socio::v1::MeetingOutcome>, std::string>> List(
      Scope scope, absl::string_view id,
      const std::function<bool(const socio::v1::MeetingOutcome&)>& keep, int page_size,
      absl::string_view page_token) const;

  // Learns of the meetings the outbox announced since the last sweep, then
  // writes up to `max_reminders` reminders that are due, each with its
  // marker; returns how many it wrote. `summarize` words each reminder's
  // summary.
  absl::StatusOr<int> Sweep(int max_reminders, const Summarize& summarize);

  // INVALID_ARGUMENT naming the field (under `field`, "feedback") when
  // `feedback` breaks the rules of outcome.proto.
  static absl::Status ValidateFeedback(const socio::v1::MeetingFeedback& feedback,
                                       absl::string_view field);
  static absl::Status ValidateFollowUp(const socio::v1::FollowUpReport& report,
                                       absl::string_view field);

 private:
  struct Meeting;

  OutcomeStore(std::shared_ptr<Database> database, NotificationStore* notifications,
               OutcomeStoreOptions options);

  absl::Time Now() const;
  // The meeting as its source has it now. Errors as Get.
  absl::StatusOr<Meeting> Resolve(const socio::v1::MeetingRef& ref) const;
  // A record of `meeting` with no answers.
  socio::v1::MeetingOutcome Fresh(const Meeting& meeting) const;
  // The stored record of the meeting keyed `key`; nullopt if none.
  absl::StatusOr<std::optional<socio::v1::MeetingOutcome>> Read(absl::string_view key) const;
  // Adds to `batch` the record `after` and its lists and queue entries,
  // moving those of `before` (the same meeting as stored; may be null).
  absl::Status AddTo(const socio::v1::MeetingOutcome* before,
                     const socio::v1::MeetingOutcome& after, rocksdb::WriteBatch* batch) const;
  // Adds to `batch` the removal of `record` and everything kept for it.
  absl::Status RemoveTo(const socio::v1::MeetingOutcome& record, rocksdb::WriteBatch* batch) const;
  absl::Status Write(rocksdb::WriteBatch* batch,
                     std::vector<socio::v1::Notification> notifications);
  // REQUIRES: write_mu_ held. Records `meeting` as its source has it now, or
  // forgets the one keyed `key` (nullopt: gone from its source), unless a
  // side answered.
  absl::Status Track(absl::string_view key, const std::optional<Meeting>& meeting)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The outbox part of Sweep.
  absl::Status Follow() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The reminders of one queue ("q1/" or "q2/"); adds to `*written`.
  absl::Status Remind(bool follow_up, int max_reminders, const Summarize& summarize, int* written)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const std::shared_ptr<Database> database_;
  NotificationStore* const notifications_;
  const OutcomeStoreOptions options_;
  absl::Mutex write_mu_;
};

// NOT_FOUND for a meeting `ref` names that does not exist, worded the same
// whether it does not exist or the caller may not see it.
absl::Status NoMeeting(const socio::v1::MeetingRef& ref);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_OUTCOME_STORE_H_
