// DelegationStore: chambers' delegations with their last plans, kept durably
// in the "delegations" column family of a shared Database, keyed by id.
//
//   absl::StatusOr<std::shared_ptr<Database>> db = Database::Open(dir, {});
//   absl::StatusOr<std::unique_ptr<DelegationStore>> delegations =
//       DelegationStore::Open(*db, {.reference = reference});
//   absl::StatusOr<socio::v1::Delegation> created = (*delegations)->Create(delegation);
//   // created->version() == 1
//   absl::StatusOr<socio::v1::Delegation> planned =
//       (*delegations)->SetPlan(created->id(), created->version(), plan);
//   // planned->version() == 2, planned->plan() == plan
//   absl::StatusOr<socio::v1::Delegation> published =
//       (*delegations)->Publish(created->id(), 2, notices);
//   // published->publication().delegation_version() == 2
//
// A delegation and its plan are one record, so every write is one RocksDB
// write: after a crash a change is there whole or not at all. A publish
// writes the notifications it causes in that same write. Writes are
// validated first (see delegation_validation.h, which also says what is left
// to the caller: that members exist, that the parts fit together); a rejected
// write changes nothing. Writes may name the version they expect (optimistic
// concurrency): ABORTED if another write came first.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised, so a version check and the write it guards are atomic.
#ifndef SOCIO_STORAGE_DELEGATION_STORE_H_
#define SOCIO_STORAGE_DELEGATION_STORE_H_

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
#include "socio/v1/delegation.pb.h"
#include "socio/v1/notification.pb.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "storage/request_ids.h"

namespace socio::storage {

// Whether `delegation` names company `member_id`: as a delegate, a host,
// either side of a pair or a host its last plan chose from.
bool DelegationNamesCompany(const socio::v1::Delegation& delegation, absl::string_view member_id);

// Whether `name` is a top-level Delegation field an Update may write.
bool IsWritableDelegationField(absl::string_view name);

struct DelegationStoreOptions {
  // Default: true. A write returns only after RocksDB's write-ahead log is
  // synced to disk, so an acknowledged write survives power loss. false keeps
  // it across a crash of the process but not of the machine; the log is still
  // synced when the database closes cleanly.
  bool sync_writes = true;
  // Required: the countries, time zones and sectors writes are checked against.
  std::shared_ptr<const reference::ReferenceData> reference;
  // Default: none. The outbox a publish writes its notifications to, in the
  // same write; not owned, must outlive the store. Without one, Publish is
  // FAILED_PRECONDITION.
  NotificationStore* notifications = nullptr;
};

// The notifications a publish writes, made from the delegation as stored
// (its plan, and its last publication if any). Called under the store's
// write lock, so it sees the record the publish writes over.
using PublishNotices =
    std::function<std::vector<socio::v1::Notification>(const socio::v1::Delegation& stored)>;

// What a change of a delegation's invitations writes besides the delegation:
// its notifications, and (for a request with a request_id) the answer to
// remember, made from the delegation as written.
struct InvitationWrite {
  std::vector<socio::v1::Notification> notifications;
  std::function<std::string(const socio::v1::Delegation& written)> answer;
};
using InvitationChange =
    std::function<absl::StatusOr<InvitationWrite>(socio::v1::Delegation* stored)>;

class DelegationStore {
 public:
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;

  // Opens the store over an open `database`, which it shares.
  // INVALID_ARGUMENT if `database` or options.reference is missing;
  // FAILED_PRECONDITION if another DelegationStore is open over `database`
  // (one serialises the writes).
  static absl::StatusOr<std::unique_ptr<DelegationStore>> Open(
      std::shared_ptr<Database> database, const DelegationStoreOptions& options);

  ~DelegationStore();

  DelegationStore(const DelegationStore&) = delete;
  DelegationStore& operator=(const DelegationStore&) = delete;

  // Stores a new delegation with version 1, create_time = update_time = now,
  // and no plan, and returns it as stored; the output-only fields of
  // `delegation` (version, times, plan) and unknown fields at any depth are
  // dropped. INVALID_ARGUMENT naming the field; ALREADY_EXISTS if the id is
  // taken. With a `ticket` (see request_ids.h): if its request was answered
  // before, that answer, and nothing is written; otherwise the stored
  // delegation is remembered as the answer in the same write.
  absl::StatusOr<socio::v1::Delegation> Create(socio::v1::Delegation delegation,
                                               const RequestTicket* ticket = nullptr);

  // The delegation with this id, with its last plan. NOT_FOUND if there is
  // none; INVALID_ARGUMENT for a malformed id.
  absl::StatusOr<socio::v1::Delegation> Get(absl::string_view id) const;

  // Writes the fields of `patch` named by `mask` into the stored delegation
  // patch.id() and returns the result, with its version grown by one and
  // update_time now; the stored plan and create_time are kept. Paths are
  // top-level Delegation field names of the writable fields (chamber_id,
  // name, origin_country, host_country, days, meeting_minutes, break_minutes,
  // tables_per_venue, delegates, hosts, host_filter, pairs, programme,
  // travel_speed_kmh, min_travel_minutes, travel_times, interpreters,
  // host_chamber_id, require_host_acceptance, invitation_deadline). The
  // PENDING invitations of hosts the result no longer names become
  // WITHDRAWN. A named field absent from `patch` is cleared. An empty mask
  // writes the fields `patch` sets, "*" every writable field (see
  // update_mask.h); unknown fields are dropped. INVALID_ARGUMENT for
  // an unknown, nested or output-only path ("update_mask.paths[1]: ..."), an
  // empty mask with nothing set, a negative expected_version or a bad
  // result; NOT_FOUND; ABORTED if expected_version > 0 and differs from the
  // stored version.
  absl::StatusOr<socio::v1::Delegation> Update(const socio::v1::Delegation& patch,
                                               const google::protobuf::FieldMask& mask,
                                               int64_t expected_version);

  // Removes the delegation and its plan. NOT_FOUND; ABORTED if
  // expected_version > 0 and differs from the stored version;
  // INVALID_ARGUMENT for a malformed id or a negative expected_version.
  absl::Status Delete(absl::string_view id, int64_t expected_version);

  // One page of delegations ordered by id, and the token of the next page
  // (empty on the last). `chamber_id` empty: every chamber's; else those
  // it organises or hosts (host_chamber_id). `member_id`
  // non-empty: only the delegations that name that company
  // (DelegationNamesCompany). page_size 1..1000, 0 means 100. The token is
  // opaque and works only with the chamber_id and member_id it was issued
  // for. INVALID_ARGUMENT naming the argument for a bad chamber or member
  // id, page size or token. Reads every stored delegation: a chamber has
  // tens of them, not millions.
  absl::StatusOr<std::pair<std::vector<socio::v1::Delegation>, std::string>> List(
      absl::string_view chamber_id, absl::string_view member_id, int page_size,
      absl::string_view page_token) const;

  // Stores `plan` as the delegation's plan, as given, with the version grown
  // by one and update_time now, and returns the stored delegation. The plan
  // is not validated: it is the planner's output. NOT_FOUND; ABORTED if
  // expected_version > 0 and differs from the stored version;
  // INVALID_ARGUMENT for a negative expected_version. With a `ticket`, as
  // Create: the answer to a request already answered (checked first, so a
  // retry that planned again stores nothing), or the stored delegation
  // remembered in the same write.
  absl::StatusOr<socio::v1::Delegation> SetPlan(absl::string_view id, int64_t expected_version,
                                                socio::v1::DelegationPlan plan,
                                                const RequestTicket* ticket = nullptr);

  // Records that the delegation's plan is published and writes the
  // notifications `notices` makes, in one write: Delegation.publication gets
  // publish_time now, the delegation's version, the plan's time, the plan's
  // meetings (what was told), notified (the notifications addressed to
  // companies, not to StaffRecipient(chamber_id)) and publish_count grown by
  // one. The delegation's version and update_time do not change: nothing
  // staff edit changes, and the plan stays current. FAILED_PRECONDITION,
  // naming the delegation and what to do, without an outbox
  // (options.notifications), when it has no plan, or when its plan is out of
  // date (plan().delegation_version() + 1 != version(): the delegation
  // changed since it was planned). NOT_FOUND; ABORTED if expected_version >
  // 0 and differs from the stored version; INVALID_ARGUMENT for a malformed
  // id or a negative expected_version. With a `ticket`, as SetPlan: a retry
  // gets the first answer and writes no notification again.
  // `host_side`: the publish of the host chamber to the hosts
  // (PublishPlanRequest.HOSTS), recorded in host_publication instead of
  // publication, the same way.
  absl::StatusOr<socio::v1::Delegation> Publish(absl::string_view id, int64_t expected_version,
                                                const PublishNotices& notices,
                                                const RequestTicket* ticket = nullptr,
                                                bool host_side = false);

  // Changes the delegation's host invitations (host_invitations.h) with
  // `change`, called under the write lock with the stored delegation, and
  // writes the result with the notifications `change` returns, in one
  // write: invitation_summary counted again; with require_host_acceptance
  // the version grows by one and update_time is now (the answers change
  // whom the planner schedules), else neither changes. `change` changes
  // nothing but host_invitations; its error is returned and nothing is
  // written. With a `ticket`, the answer `change` makes is remembered in the
  // same write (a ticket answered meanwhile: ABORTED, nothing written).
  // INVALID_ARGUMENT naming delegation_id for a malformed id; NOT_FOUND;
  // FAILED_PRECONDITION without an outbox (options.notifications).
  absl::StatusOr<socio::v1::Delegation> ChangeInvitations(absl::string_view id,
                                                          const InvitationChange& change,
                                                          const RequestTicket* ticket = nullptr);

  // Expires the PENDING invitations past their deadline and reminds those
  // whose reminder is due (SweepInvitations in host_invitations.h), one
  // delegation per write, until about `max_notifications` were written;
  // returns how many were. Without an outbox, 0.
  absl::StatusOr<int> SweepInvitations(absl::Time now, int max_notifications);

 private:
  DelegationStore(std::shared_ptr<Database> database, const DelegationStoreOptions& options);

  // The stored delegation; NOT_FOUND if none.
  absl::StatusOr<socio::v1::Delegation> Read(absl::string_view id) const;
  // Read, then ABORTED if expected_version > 0 and differs.
  absl::StatusOr<socio::v1::Delegation> ReadExpecting(absl::string_view id,
                                                      int64_t expected_version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The answer remembered for `ticket` (nullptr: none), parsed.
  absl::StatusOr<std::optional<socio::v1::Delegation>> Answered(const RequestTicket* ticket) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Stores `delegation` under its id and, with a `ticket`, remembers it as
  // the ticket's answer in the same write, with `notifications` (written
  // through options_.notifications; REQUIRES: an outbox if there are any).
  absl::Status Write(const socio::v1::Delegation& delegation, const RequestTicket* ticket,
                     std::vector<socio::v1::Notification> notifications = {})
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const std::shared_ptr<Database> database_;
  const DelegationStoreOptions options_;

  // Held for the whole read-check-write of every write.
  absl::Mutex write_mu_;
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_DELEGATION_STORE_H_
