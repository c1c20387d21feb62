#include "storage/engagement_store.h"

#include <openssl/rand.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "storage/internal/encoding.h"
#include "storage/internal/field_checks.h"
#include "storage/internal/key_page.h"
#include "storage/internal/page_token.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"
#include "storage/profile_validation.h"

namespace socio::storage {
namespace {

using google::protobuf::util::TimeUtil;
using internal::FieldError;
using internal::FromRocksDb;
using internal::TimeOf;
using internal::ToSlice;
using internal::ToTimestamp;
using internal::View;
using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::Reveal;

// engagement_index keys.
constexpr absl::string_view kOpen = "open/";         // + a \0 b (a < b) -> request id
constexpr absl::string_view kMember = "member/";     // + member \0 newest-first id -> S|R
constexpr absl::string_view kChamber = "chamber/";   // + chamber \0 newest-first id
constexpr absl::string_view kExpiry = "expiry/";     // + expire time, id (PENDING only)
constexpr absl::string_view kDelegation = "deleg/";  // + delegation \0 id
constexpr absl::string_view kReveal = "reveal/";     // + profile \0 shown-to -> Reveal

std::string RevealKey(absl::string_view profile, absl::string_view shown_to) {
  return absl::StrCat(kReveal, profile, absl::string_view("\0", 1), shown_to);
}

std::string OpenKey(absl::string_view a, absl::string_view b) {
  if (b < a) std::swap(a, b);
  return absl::StrCat(kOpen, a, absl::string_view("\0", 1), b);
}

// The request's place in newest-first lists: its create time counted down.
std::string NewestFirst(const MeetingRequest& request) {
  const int64_t nanos = TimeUtil::TimestampToNanoseconds(request.create_time());
  return absl::StrFormat("%016x%s", std::numeric_limits<int64_t>::max() - nanos, request.id());
}

std::string ListKey(absl::string_view prefix, absl::string_view owner,
                    const MeetingRequest& request) {
  return absl::StrCat(prefix, owner, absl::string_view("\0", 1), NewestFirst(request));
}

std::string ExpiryKey(const MeetingRequest& request) {
  return absl::StrFormat("%s%016x%s", kExpiry,
                         TimeUtil::TimestampToNanoseconds(request.expire_time()), request.id());
}

std::string InterestKey(absl::string_view member, absl::string_view partner) {
  return absl::StrCat(member, absl::string_view("\0", 1), partner);
}

absl::StatusOr<std::string> NewRequestId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError("the system's random number generator failed");
  }
  return absl::StrCat("mr-", absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(bytes), sizeof bytes)));
}

// A PENDING request past its expire_time reads as EXPIRED.
void ReadAsOf(absl::Time now, MeetingRequest* request) {
  if (request->state() == MeetingRequest::PENDING && request->has_expire_time() &&
      now >= TimeOf(request->expire_time())) {
    request->set_state(MeetingRequest::EXPIRED);
    request->set_changed_by("expiry");
  }
}

absl::Status BadState(const MeetingRequest& request, absl::string_view wanted) {
  return absl::FailedPreconditionError(absl::StrCat(
      "request ", request.id(), " is ", RequestStateName(request.state()), "; ", wanted));
}

absl::Status CheckReason(absl::string_view reason) {
  return internal::CheckLength("reason", reason, EngagementStore::kMaxMessage);
}

absl::StatusOr<int> PageSize(int page_size) {
  if (page_size < 0 || page_size > EngagementStore::kMaxPageSize) {
    return FieldError("page_size", absl::StrCat("must be 0 to ", EngagementStore::kMaxPageSize,
                                                ", not ", page_size));
  }
  return page_size == 0 ? EngagementStore::kDefaultPageSize : page_size;
}

Notification NotificationFor(absl::string_view recipient, Notification::Kind kind,
                             const MeetingRequest& request, const Summarize& summarize) {
  Notification n;
  n.set_recipient(std::string(recipient));
  n.set_kind(kind);
  *n.mutable_request() = request;
  if (!request.delegation_id().empty()) n.set_delegation_id(request.delegation_id());
  if (summarize) n.set_summary(summarize(n));
  return n;
}

}  // namespace

std::string RequestStateName(MeetingRequest::State state) {
  return MeetingRequest::State_Name(state);
}

bool IsPositiveMark(Interest::Mark mark) {
  return mark == Interest::INTERESTED || mark == Interest::MUST_MEET;
}

absl::StatusOr<std::unique_ptr<EngagementStore>> EngagementStore::Open(
    std::shared_ptr<Database> database, NotificationStore* notifications,
    const EngagementStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database: is required");
  if (notifications == nullptr) return absl::InvalidArgumentError("notifications: is required");
  if ((options.view == nullptr) != (options.cluster == nullptr) ||
      (options.cluster != nullptr) != notifications->clustered()) {
    return absl::InvalidArgumentError(
        "EngagementStoreOptions.view and .cluster go together (cluster mode, with the "
        "notifications in cluster mode too) or not at all");
  }
  if (database->has_engagement_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("an EngagementStore is already open over the database in ", database->dir()));
  }
  return std::unique_ptr<EngagementStore>(
      new EngagementStore(std::move(database), notifications, options));
}

EngagementStore::EngagementStore(std::shared_ptr<Database> database,
                                 NotificationStore* notifications,
                                 const EngagementStoreOptions& options)
    : database_(std::move(database)),
      notifications_(notifications),
      options_(options),
      records_{.database = database_.get(),
               .notifications = notifications,
               .view = options.view,
               .cluster = options.cluster,
               .sync_writes = options.sync_writes},
      marks_{database_->interests(), "socio/interests/", RecordTable::Keys::kNulAsSlash},
      requests_{database_->meeting_requests(), "socio/meeting-requests/",
                RecordTable::Keys::kVerbatim},
      index_{database_->engagement_index(), "socio/engagement-index/", RecordTable::Keys::kHex} {
  if (!options_.sync_writes) database_->sync_wal_on_close_ = true;
  mirrors_.Follow(options_.view, marks_, [](absl::string_view key, const std::string& value) {
    Interest interest;
    if (!interest.ParseFromString(value) ||
        key != InterestKey(interest.member_id(), interest.partner_ref())) {
      return absl::DataLossError("cluster: a record under socio/interests/ is not that mark");
    }
    return absl::OkStatus();
  });
  mirrors_.Follow(options_.view, requests_, [](absl::string_view key, const std::string& value) {
    MeetingRequest request;
    if (!request.ParseFromString(value) || key != request.id()) {
      return absl::DataLossError(
          absl::StrCat("cluster: the record socio/meeting-requests/", key, " is not that request"));
    }
    return absl::OkStatus();
  });
  // Index rows hold request ids, box letters, reveals or nothing.
  mirrors_.Follow(options_.view, index_,
                  [](absl::string_view, const std::string&) { return absl::OkStatus(); });
}

EngagementStore::~EngagementStore() { database_->has_engagement_store_ = false; }

absl::Time EngagementStore::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

// ---- Marks ----

absl::StatusOr<std::optional<Interest>> EngagementStore::ReadMark(absl::string_view member_id,
                                                                  absl::string_view partner_id,
                                                                  RecordBatch* batch) const {
  absl::StatusOr<std::optional<std::string>> value =
      RecordBatch::Read(*database_, marks_, InterestKey(member_id, partner_id), batch);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::nullopt;
  Interest interest;
  if (!interest.ParseFromString(**value)) {
    return absl::DataLossError(
        absl::StrCat("the mark of ", member_id, " on ", partner_id, " does not parse"));
  }
  return interest;
}

absl::Status EngagementStore::SetMutual(Interest* mine) const {
  absl::StatusOr<std::optional<Interest>> theirs = ReadMark(mine->partner_ref(), mine->member_id());
  if (!theirs.ok()) return theirs.status();
  mine->set_mutual(IsPositiveMark(mine->mark()) && theirs->has_value() &&
                   IsPositiveMark((*theirs)->mark()));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Interest>> EngagementStore::GetInterest(
    absl::string_view member_id, absl::string_view partner_id) const {
  absl::StatusOr<std::optional<Interest>> mine = ReadMark(member_id, partner_id);
  if (!mine.ok() || !mine->has_value()) return mine;
  if (absl::Status s = SetMutual(&**mine); !s.ok()) return s;
  return mine;
}

absl::StatusOr<Interest> EngagementStore::SetInterest(absl::string_view member_id,
                                                      absl::string_view partner_id,
                                                      Interest::Mark mark, absl::string_view set_by,
                                                      const Summarize& summarize) {
  if (absl::Status s = ValidateId("member_id", member_id); !s.ok()) return s;
  if (absl::Status s = ValidateId("partner_ref", partner_id); !s.ok()) return s;
  if (member_id == partner_id) {
    return FieldError("partner_ref", "a member cannot mark itself");
  }
  if (!Interest::Mark_IsValid(mark)) {
    return FieldError("mark", absl::StrCat("unknown value ", static_cast<int>(mark)));
  }
  return RetryingRaces<Interest>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Interest> {
    RecordBatch batch(records_);
    absl::StatusOr<std::optional<Interest>> before = ReadMark(member_id, partner_id, &batch);
    if (!before.ok()) return before.status();
    absl::StatusOr<std::optional<Interest>> theirs = ReadMark(partner_id, member_id, &batch);
    if (!theirs.ok()) return theirs.status();
    const bool theirs_positive = theirs->has_value() && IsPositiveMark((*theirs)->mark());
    const bool was_mutual =
        before->has_value() && IsPositiveMark((*before)->mark()) && theirs_positive;

    Interest interest;
    interest.set_member_id(std::string(member_id));
    interest.set_partner_ref(std::string(partner_id));
    interest.set_mark(mark);
    interest.set_set_by(std::string(set_by));
    *interest.mutable_update_time() = ToTimestamp(Now());
    interest.set_mutual(IsPositiveMark(mark) && theirs_positive);

    const std::string key = InterestKey(member_id, partner_id);
    if (absl::Status s = mark == Interest::MARK_UNSPECIFIED
                             ? batch.Delete(marks_, key)
                             : batch.Put(marks_, key, interest.SerializeAsString());
        !s.ok()) {
      return s;
    }
    std::vector<Notification> notifications;
    if (interest.mutual() && !was_mutual) {
      if (absl::Status s = AddRevealsTo(member_id, partner_id, Reveal::MUTUAL_INTEREST, &batch);
          !s.ok()) {
        return s;
      }
      for (absl::string_view recipient : {member_id, partner_id}) {
        Notification n;
        n.set_recipient(std::string(recipient));
        n.set_kind(Notification::MUTUAL_INTEREST);
        *n.mutable_interest() = recipient == member_id ? interest : **theirs;
        n.mutable_interest()->set_mutual(true);
        if (summarize) n.set_summary(summarize(n));
        notifications.push_back(std::move(n));
      }
    }
    if (absl::Status s = batch.Commit(std::move(notifications), nullptr, "", raced); !s.ok()) {
      return s;
    }
    return interest;
  });
}

absl::StatusOr<std::vector<Interest>> EngagementStore::MarksOf(absl::string_view member_id) const {
  std::vector<Interest> out;
  const std::string prefix = absl::StrCat(member_id, absl::string_view("\0", 1));
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->interests()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    Interest interest;
    if (!interest.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("a mark of ", member_id, " does not parse"));
    }
    out.push_back(std::move(interest));
  }
  if (absl::Status s = FromRocksDb(it->status(), "read marks"); !s.ok()) return s;
  return out;
}

absl::StatusOr<std::pair<std::vector<Interest>, std::string>> EngagementStore::ListInterests(
    absl::string_view member_id, const std::function<bool(absl::string_view)>& keep_member,
    bool mutual_only, int page_size, absl::string_view page_token) const {
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  const std::string prefix =
      member_id.empty() ? "" : absl::StrCat(member_id, absl::string_view("\0", 1));
  return internal::KeyPage<Interest>(
      *database_->db(), database_->interests(), prefix,
      {.kind = "interests",
       .filters = {std::string(member_id), mutual_only ? "1" : "0"},
       .mismatch = "member_id and mutual_only"},
      *size, page_token, "read marks",
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<std::optional<Interest>> {
        Interest interest;
        if (!interest.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError("a mark does not parse");
        }
        if (member_id.empty() && keep_member && !keep_member(interest.member_id())) {
          return std::nullopt;
        }
        if (absl::Status s = SetMutual(&interest); !s.ok()) return s;
        if (mutual_only && !interest.mutual()) return std::nullopt;
        return interest;
      });
}

// ---- Reveals ----

absl::Status EngagementStore::AddRevealsTo(absl::string_view a, absl::string_view b,
                                           Reveal::Reason reason, RecordBatch* batch) const {
  for (const auto& [profile, shown_to] : {std::pair(a, b), std::pair(b, a)}) {
    const std::string key = RevealKey(profile, shown_to);
    absl::StatusOr<std::optional<std::string>> found = batch->Read(index_, key);
    if (!found.ok()) return found.status();
    if (found->has_value()) continue;  // the first reveal stays on record
    Reveal reveal;
    reveal.set_profile_id(std::string(profile));
    reveal.set_revealed_to(std::string(shown_to));
    reveal.set_reason(reason);
    *reveal.mutable_reveal_time() = ToTimestamp(Now());
    if (absl::Status s = batch->Put(index_, key, reveal.SerializeAsString()); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> EngagementStore::IsRevealed(absl::string_view profile_id,
                                                 absl::string_view shown_to) const {
  std::string ignored;
  rocksdb::Status found =
      database_->db()->Get(rocksdb::ReadOptions(), database_->engagement_index(),
                           RevealKey(profile_id, shown_to), &ignored);
  if (found.IsNotFound()) return false;
  if (absl::Status s = FromRocksDb(found, "read a reveal"); !s.ok()) return s;
  return true;
}

absl::StatusOr<std::pair<std::vector<Reveal>, std::string>> EngagementStore::ListReveals(
    absl::string_view profile_id, int page_size, absl::string_view page_token) const {
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  return internal::KeyPage<Reveal>(
      *database_->db(), database_->engagement_index(), RevealKey(profile_id, ""),
      {.kind = "reveals", .filters = {std::string(profile_id)}, .mismatch = "profile_id"}, *size,
      page_token, "read reveals",
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<std::optional<Reveal>> {
        Reveal reveal;
        if (!reveal.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError(absl::StrCat("a reveal of ", profile_id, " does not parse"));
        }
        return reveal;
      });
}

// ---- Meeting requests ----

absl::StatusOr<MeetingRequest> EngagementStore::ReadRequest(absl::string_view id) const {
  return ReadRequest(id, nullptr);
}

absl::StatusOr<MeetingRequest> EngagementStore::ReadRequest(absl::string_view id,
                                                            RecordBatch* batch) const {
  absl::StatusOr<std::optional<std::string>> value =
      RecordBatch::Read(*database_, requests_, id, batch);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::NotFoundError(absl::StrCat("id: no meeting request '", id, "'"));
  }
  MeetingRequest request;
  if (!request.ParseFromString(**value)) {
    return absl::DataLossError(absl::StrCat("meeting request ", id, " does not parse"));
  }
  return request;
}

absl::StatusOr<MeetingRequest> EngagementStore::GetRequest(absl::string_view id) const {
  if (id.empty()) return FieldError("id", "is required");
  absl::StatusOr<MeetingRequest> request = ReadRequest(id);
  if (request.ok()) ReadAsOf(Now(), &*request);
  return request;
}

absl::Status EngagementStore::AddRequestTo(const MeetingRequest* before,
                                           const MeetingRequest& request,
                                           std::vector<Notification>* notifications,
                                           const Summarize& summarize, RecordBatch* batch) const {
  absl::Status status = batch->Put(requests_, request.id(), request.SerializeAsString());
  const bool was_pending = before != nullptr && before->state() == MeetingRequest::PENDING;
  const bool pending = request.state() == MeetingRequest::PENDING;
  if (status.ok() && before == nullptr) {
    status = batch->Put(index_, ListKey(kMember, request.from_member_id(), request), "S");
    if (status.ok()) status = batch->Put(index_, ListKey(kMember, request.to_ref(), request), "R");
  }
  if (status.ok() && pending && !was_pending) {
    status = batch->Put(index_, OpenKey(request.from_member_id(), request.to_ref()), request.id());
    if (status.ok()) status = batch->Put(index_, ExpiryKey(request), "");
  }
  if (status.ok() && was_pending && !pending) {
    status = batch->Delete(index_, OpenKey(request.from_member_id(), request.to_ref()));
    if (status.ok()) status = batch->Delete(index_, ExpiryKey(*before));
  }
  const std::string delegation_key =
      absl::StrCat(kDelegation, request.delegation_id(), absl::string_view("\0", 1), request.id());
  if (status.ok() && !request.delegation_id().empty()) {
    status = request.state() == MeetingRequest::ACCEPTED ? batch->Put(index_, delegation_key, "")
                                                         : batch->Delete(index_, delegation_key);
  }
  if (!status.ok()) return status;
  if (request.state() == MeetingRequest::ACCEPTED &&
      (before == nullptr || before->state() != MeetingRequest::ACCEPTED)) {
    if (absl::Status s = AddRevealsTo(request.from_member_id(), request.to_ref(),
                                      Reveal::ACCEPTED_REQUEST, batch);
        !s.ok()) {
      return s;
    }
  }

  const std::string& from = request.from_member_id();
  const std::string& to = request.to_ref();
  auto notify = [&](absl::string_view recipient, Notification::Kind kind) {
    notifications->push_back(NotificationFor(recipient, kind, request, summarize));
  };
  const MeetingRequest::State was =
      before == nullptr ? MeetingRequest::STATE_UNSPECIFIED : before->state();
  if (was == request.state()) return absl::OkStatus();
  switch (request.state()) {
    case MeetingRequest::PENDING:
      notify(to, Notification::REQUEST_RECEIVED);
      break;
    case MeetingRequest::ACCEPTED:
      notify(from, Notification::REQUEST_ACCEPTED);
      notify(to, Notification::REQUEST_ACCEPTED);
      break;
    case MeetingRequest::DECLINED:
      notify(from, Notification::REQUEST_DECLINED);
      break;
    case MeetingRequest::EXPIRED:
      notify(from, Notification::REQUEST_EXPIRED);
      break;
    case MeetingRequest::WITHDRAWN:
      notify(to, Notification::REQUEST_WITHDRAWN);
      break;
    case MeetingRequest::CANCELLED:
      // Both sides: each calendar drops the meeting.
      notify(from, Notification::REQUEST_CANCELLED);
      notify(to, Notification::REQUEST_CANCELLED);
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<MeetingRequest> EngagementStore::CreateRequest(MeetingRequest request,
                                                              const NewRequest& how,
                                                              const RequestTicket* ticket,
                                                              const Summarize& summarize) {
  request.DiscardUnknownFields();
  if (absl::Status s = ValidateId("request.from_member_id", request.from_member_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("request.to_ref", request.to_ref()); !s.ok()) return s;
  if (request.from_member_id() == request.to_ref()) {
    return FieldError("request.to_ref", "a member cannot ask itself for a meeting");
  }
  if (absl::Status s = internal::CheckLength("request.message", request.message(), kMaxMessage);
      !s.ok()) {
    return s;
  }
  const absl::Time now = Now();
  if (request.delegation_id().empty()) {
    if (request.proposed_size() < 1 || request.proposed_size() > kMaxWindows) {
      return FieldError("request.proposed",
                        absl::StrCat("a request outside a delegation proposes 1 to ", kMaxWindows,
                                     " time windows, not ", request.proposed_size()));
    }
  } else {
    if (absl::Status s = ValidateId("request.delegation_id", request.delegation_id()); !s.ok()) {
      return s;
    }
    if (request.proposed_size() > 0) {
      return FieldError("request.proposed",
                        "must be empty inside a delegation: its plan sets the time");
    }
  }
  for (int i = 0; i < request.proposed_size(); ++i) {
    const std::string field = internal::Indexed("request.proposed", i);
    const socio::v1::TimeWindow& w = request.proposed(i);
    if (!w.has_start_time() || !w.has_end_time()) {
      return FieldError(field, "needs a start_time and an end_time");
    }
    for (const google::protobuf::Timestamp* t : {&w.start_time(), &w.end_time()}) {
      if (t->seconds() < TimeUtil::kTimestampMinSeconds ||
          t->seconds() > TimeUtil::kTimestampMaxSeconds || t->nanos() < 0 ||
          t->nanos() > 999999999) {
        return FieldError(field, "has a time out of range");
      }
    }
    const absl::Time start = TimeOf(w.start_time()), end = TimeOf(w.end_time());
    if (end <= start) return FieldError(field, "ends before it starts");
    if (end - start > kMaxWindow) {
      return FieldError(field, absl::StrCat("is longer than ", absl::FormatDuration(kMaxWindow)));
    }
    if (start < now) return FieldError(field, "starts in the past");
  }
  // Output-only fields are the store's.
  request.clear_id();
  request.clear_accepted_window();
  request.clear_reason();
  request.clear_calendar_uid();
  request.set_state(MeetingRequest::PENDING);
  request.set_version(1);
  request.set_changed_by(how.by);
  *request.mutable_create_time() = ToTimestamp(now);
  *request.mutable_update_time() = ToTimestamp(now);
  *request.mutable_expire_time() = ToTimestamp(now + how.expiry);
  return RetryingRaces<MeetingRequest>(&write_mu_,
                                       [&](bool* raced) -> absl::StatusOr<MeetingRequest> {
                                         return CreateOnce(request, how, ticket, summarize, raced);
                                       });
}

absl::StatusOr<MeetingRequest> EngagementStore::CreateOnce(MeetingRequest request,
                                                           const NewRequest& how,
                                                           const RequestTicket* ticket,
                                                           const Summarize& summarize,
                                                           bool* raced) {
  absl::StatusOr<std::optional<MeetingRequest>> answered =
      RequestIdStore::FindAnswer<MeetingRequest>(*database_, ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **answered;
  const absl::Time now = TimeOf(request.create_time());
  RecordBatch batch(records_);
  std::vector<Notification> notifications;
  // An open request on the pair refuses this one, unless it has expired:
  // then its expiry is written first, in the same write.
  absl::StatusOr<std::optional<std::string>> open_id =
      batch.Read(index_, OpenKey(request.from_member_id(), request.to_ref()));
  if (!open_id.ok()) return open_id.status();
  if (open_id->has_value()) {
    absl::StatusOr<MeetingRequest> open = ReadRequest(**open_id, &batch);
    if (!open.ok()) return open.status();
    MeetingRequest expired = *open;
    ReadAsOf(now, &expired);
    if (expired.state() == MeetingRequest::PENDING) {
      return absl::AlreadyExistsError(absl::StrCat("members ", request.from_member_id(), " and ",
                                                   request.to_ref(),
                                                   " already have a PENDING meeting request, ",
                                                   open->id(), "; answer or withdraw it first"));
    }
    expired.set_version(open->version() + 1);
    *expired.mutable_update_time() = ToTimestamp(now);
    if (absl::Status s = AddRequestTo(&*open, expired, &notifications, summarize, &batch);
        !s.ok()) {
      return s;
    }
  }
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<std::string> id = NewRequestId();
    if (!id.ok()) return id.status();
    // Read into the batch: the write requires the id to be still free.
    if (absl::IsNotFound(ReadRequest(*id, &batch).status())) {
      request.set_id(*id);
      break;
    }
    if (attempt == 5) return absl::InternalError("could not draw a free request id");
  }
  for (const std::string* chamber : {&how.from_chamber, &how.to_chamber}) {
    if (chamber->empty() || (chamber == &how.to_chamber && *chamber == how.from_chamber)) continue;
    if (absl::Status s = batch.Put(index_, ListKey(kChamber, *chamber, request), ""); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = AddRequestTo(nullptr, request, &notifications, summarize, &batch); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          batch.Commit(std::move(notifications), ticket, request.SerializeAsString(), raced);
      !s.ok()) {
    return s;
  }
  return request;
}

absl::StatusOr<MeetingRequest> EngagementStore::Change(
    absl::string_view id, int64_t expected_version,
    const std::function<absl::Status(const MeetingRequest& stored, MeetingRequest*)>& change,
    const Summarize& summarize) {
  if (id.empty()) return FieldError("id", "is required");
  if (expected_version < 0) return FieldError("expected_version", "must not be negative");
  return RetryingRaces<MeetingRequest>(
      &write_mu_, [&](bool* raced) -> absl::StatusOr<MeetingRequest> {
        RecordBatch batch(records_);
        absl::StatusOr<MeetingRequest> stored = ReadRequest(id, &batch);
        if (!stored.ok()) return stored.status();
        if (expected_version > 0 && expected_version != stored->version()) {
          return absl::AbortedError(absl::StrCat("meeting request ", id, " is at version ",
                                                 stored->version(), ", not ", expected_version,
                                                 "; read it again and retry"));
        }
        MeetingRequest changed = *stored;
        ReadAsOf(Now(), &changed);
        if (absl::Status s = change(*stored, &changed); !s.ok()) return s;
        changed.set_version(stored->version() + 1);
        *changed.mutable_update_time() = ToTimestamp(Now());
        std::vector<Notification> notifications;
        if (absl::Status s = AddRequestTo(&*stored, changed, &notifications, summarize, &batch);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = batch.Commit(std::move(notifications), nullptr, "", raced); !s.ok()) {
          return s;
        }
        return changed;
      });
}

absl::StatusOr<MeetingRequest> EngagementStore::Answer(absl::string_view id, const AnswerBy& answer,
                                                       const Summarize& summarize) {
  if (absl::Status s = CheckReason(answer.reason); !s.ok()) return s;
  return Change(
      id, answer.expected_version,
      [&](const MeetingRequest&, MeetingRequest* request) -> absl::Status {
        if (request->state() != MeetingRequest::PENDING) {
          return BadState(*request, "only a PENDING request can be answered");
        }
        if (answer.accept) {
          if (request->proposed_size() > 0) {
            if (answer.window < 0 || answer.window >= request->proposed_size()) {
              return FieldError(
                  "window",
                  absl::StrCat("must be 0 to ", request->proposed_size() - 1,
                               ": the request proposes ", request->proposed_size(), " windows"));
            }
            *request->mutable_accepted_window() = request->proposed(answer.window);
          } else if (answer.window != 0) {
            return FieldError("window", "a request inside a delegation proposes no windows");
          }
          request->set_state(MeetingRequest::ACCEPTED);
          request->set_calendar_uid(absl::StrCat(request->id(), "@socio"));
        } else {
          request->set_state(MeetingRequest::DECLINED);
          request->set_reason(answer.reason);
        }
        request->set_changed_by(answer.by);
        return absl::OkStatus();
      },
      summarize);
}

absl::StatusOr<MeetingRequest> EngagementStore::Cancel(absl::string_view id, const CancelBy& cancel,
                                                       const Summarize& summarize) {
  if (absl::Status s = CheckReason(cancel.reason); !s.ok()) return s;
  return Change(
      id, cancel.expected_version,
      [&](const MeetingRequest&, MeetingRequest* request) -> absl::Status {
        const bool requester = cancel.side == request->from_member_id();
        if (!requester && cancel.side != request->to_ref()) {
          return FieldError("side", absl::StrCat("'", cancel.side, "' is not a party to request ",
                                                 request->id()));
        }
        if (request->state() == MeetingRequest::PENDING) {
          if (!requester) {
            return BadState(*request,
                            "the receiver answers a PENDING request (decline it) rather than "
                            "withdraw it");
          }
          request->set_state(MeetingRequest::WITHDRAWN);
        } else if (request->state() == MeetingRequest::ACCEPTED) {
          request->set_state(MeetingRequest::CANCELLED);
        } else {
          return BadState(*request,
                          "only a PENDING request can be withdrawn and an ACCEPTED one cancelled");
        }
        request->set_reason(cancel.reason);
        request->set_changed_by(cancel.by);
        return absl::OkStatus();
      },
      summarize);
}

absl::StatusOr<int> EngagementStore::ExpireDue(int max_requests, const Summarize& summarize) {
  const absl::Time now = Now();
  std::vector<std::string> due;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        database_->db()->NewIterator(rocksdb::ReadOptions(), database_->engagement_index()));
    for (it->Seek(ToSlice(kExpiry)); it->Valid() && it->key().starts_with(ToSlice(kExpiry)) &&
                                     static_cast<int>(due.size()) < max_requests;
         it->Next()) {
      const absl::string_view key = View(it->key()).substr(kExpiry.size());
      uint64_t expire_nanos = 0;
      if (key.size() < 16 || !absl::SimpleHexAtoi(key.substr(0, 16), &expire_nanos)) {
        return absl::DataLossError("an expiry index key does not parse");
      }
      if (static_cast<int64_t>(expire_nanos) > absl::ToUnixNanos(now)) break;
      due.push_back(std::string(key.substr(16)));
    }
    if (absl::Status s = FromRocksDb(it->status(), "read due requests"); !s.ok()) return s;
  }
  int expired = 0;
  for (const std::string& id : due) {
    absl::StatusOr<MeetingRequest> changed = Change(
        id, 0,
        [](const MeetingRequest& stored, MeetingRequest* request) -> absl::Status {
          // Still PENDING as stored, and read as expired by Change; anything
          // else moved on meanwhile (another sweep may have written it).
          if (stored.state() != MeetingRequest::PENDING ||
              request->state() != MeetingRequest::EXPIRED) {
            return absl::FailedPreconditionError("no longer due");
          }
          return absl::OkStatus();
        },
        summarize);
    if (changed.ok()) {
      ++expired;
    } else if (!absl::IsFailedPrecondition(changed.status()) &&
               !absl::IsNotFound(changed.status())) {
      return changed.status();
    }
  }
  return expired;
}

absl::StatusOr<std::pair<std::vector<MeetingRequest>, std::string>> EngagementStore::ListRequests(
    const RequestScope& scope, int page_size, absl::string_view page_token) const {
  if (scope.member_id.empty() == scope.chamber_id.empty()) {
    return absl::InvalidArgumentError("a list of requests names a member or a chamber");
  }
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  const std::string prefix =
      scope.member_id.empty() ? absl::StrCat(kChamber, scope.chamber_id, absl::string_view("\0", 1))
                              : absl::StrCat(kMember, scope.member_id, absl::string_view("\0", 1));
  std::vector<std::string> filters = {scope.member_id, scope.chamber_id,
                                      absl::StrCat(static_cast<int>(scope.box))};
  for (auto state : scope.states) filters.push_back(absl::StrCat(static_cast<int>(state)));
  const absl::Time now = Now();
  return internal::KeyPage<MeetingRequest>(
      *database_->db(), database_->engagement_index(), prefix,
      {.kind = "requests", .filters = std::move(filters), .mismatch = "member, box and states"},
      *size, page_token, "list meeting requests",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<std::optional<MeetingRequest>> {
        if (!scope.member_id.empty()) {
          if (scope.box == RequestScope::Box::kSent && value != "S") return std::nullopt;
          if (scope.box == RequestScope::Box::kReceived && value != "R") return std::nullopt;
        }
        absl::StatusOr<MeetingRequest> request = ReadRequest(key.substr(prefix.size() + 16));
        if (!request.ok()) return request.status();
        ReadAsOf(now, &*request);
        if (!scope.states.empty() && std::find(scope.states.begin(), scope.states.end(),
                                               request->state()) == scope.states.end()) {
          return std::nullopt;
        }
        return *std::move(request);
      });
}

absl::StatusOr<std::vector<MeetingRequest>> EngagementStore::AcceptedIn(
    absl::string_view delegation_id) const {
  const std::string prefix = absl::StrCat(kDelegation, delegation_id, absl::string_view("\0", 1));
  std::vector<MeetingRequest> out;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->engagement_index()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    absl::StatusOr<MeetingRequest> request = ReadRequest(View(it->key()).substr(prefix.size()));
    if (!request.ok()) return request.status();
    if (request->state() == MeetingRequest::ACCEPTED) out.push_back(std::move(*request));
  }
  if (absl::Status s = FromRocksDb(it->status(), "read a delegation's requests"); !s.ok()) {
    return s;
  }
  return out;
}

}  // namespace socio::storage
