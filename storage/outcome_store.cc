#include "storage/outcome_store.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/encoding.h"
#include "storage/internal/field_checks.h"
#include "storage/internal/key_page.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"

namespace socio::storage {
namespace {

using internal::FieldError;
using internal::FromRocksDb;
using internal::TimeOf;
using internal::ToSlice;
using internal::ToTimestamp;
using internal::View;
using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRef;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::SideOutcome;

// outcomes keys. A meeting's key is "p" delegation \0 uid (a plan's meeting)
// or "r" request id.
constexpr absl::string_view kRecord = "m/";          // + meeting -> MeetingOutcome
constexpr absl::string_view kByMember = "l/m/";      // + member \0 latest-first end, meeting
constexpr absl::string_view kByChamber = "l/c/";     // + chamber \0 ...
constexpr absl::string_view kByDelegation = "l/d/";  // + delegation \0 ...
constexpr absl::string_view kFeedbackDue = "q1/";    // + end, meeting -> meeting
constexpr absl::string_view kFollowUpDue = "q2/";   // + due, member \0 meeting -> member \0 meeting
constexpr absl::string_view kFeedbackSent = "r1/";  // + meeting \0 member: reminder written
constexpr absl::string_view kFollowUpSent = "r2/";

constexpr absl::string_view kNul("\0", 1);
constexpr int kFollowBatch = 500;

std::string KeyOf(const MeetingRef& ref) {
  if (!ref.request_id().empty()) return absl::StrCat("r", ref.request_id());
  return absl::StrCat("p", ref.delegation_id(), kNul, ref.meeting_uid());
}

std::string Hex(absl::Time t) { return absl::StrFormat("%016x", absl::ToUnixNanos(t)); }

std::string LatestFirst(absl::Time end) {
  return absl::StrFormat("%016x", std::numeric_limits<int64_t>::max() - absl::ToUnixNanos(end));
}

// The list keys of `record` (members, chambers once each, delegation).
std::vector<std::string> ListKeys(const MeetingOutcome& record) {
  const std::string key = KeyOf(record.meeting());
  const std::string place = LatestFirst(TimeOf(record.end_time())) + key;
  std::vector<std::string> out;
  std::set<std::string> chambers;
  for (const SideOutcome& side : record.sides()) {
    out.push_back(absl::StrCat(kByMember, side.member_id(), kNul, place));
    if (!side.chamber_id().empty() && chambers.insert(side.chamber_id()).second) {
      out.push_back(absl::StrCat(kByChamber, side.chamber_id(), kNul, place));
    }
  }
  if (!record.meeting().delegation_id().empty()) {
    out.push_back(absl::StrCat(kByDelegation, record.meeting().delegation_id(), kNul, place));
  }
  return out;
}

std::string FeedbackDueKey(const MeetingOutcome& record) {
  return absl::StrCat(kFeedbackDue, Hex(TimeOf(record.end_time())), KeyOf(record.meeting()));
}

std::string FollowUpDueValue(const MeetingOutcome& record, const SideOutcome& side) {
  return absl::StrCat(side.member_id(), kNul, KeyOf(record.meeting()));
}

std::string FollowUpDueKey(const MeetingOutcome& record, const SideOutcome& side) {
  return absl::StrCat(kFollowUpDue, Hex(TimeOf(side.follow_up_due_time())),
                      FollowUpDueValue(record, side));
}

std::string SentKey(bool follow_up, absl::string_view meeting_key, absl::string_view member) {
  return absl::StrCat(follow_up ? kFollowUpSent : kFeedbackSent, meeting_key, kNul, member);
}

bool Answered(const MeetingOutcome& record) {
  return std::any_of(record.sides().begin(), record.sides().end(),
                     [](const SideOutcome& s) { return s.has_feedback() || s.has_follow_up(); });
}

// What a reminder carries: the meeting without anyone's answers.
MeetingOutcome Bare(MeetingOutcome record) {
  for (SideOutcome& side : *record.mutable_sides()) {
    side.clear_feedback();
    side.clear_follow_up();
    side.clear_version();
    side.clear_update_time();
    side.clear_updated_by();
  }
  return record;
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

}  // namespace

struct OutcomeStore::Meeting {
  MeetingRef ref;
  absl::Time start;
  absl::Time end;
  std::string sides[2];
};

absl::Status NoMeeting(const MeetingRef& ref) {
  if (!ref.request_id().empty()) {
    return absl::NotFoundError(
        absl::StrCat("meeting.request_id: no meeting request '", ref.request_id(), "'"));
  }
  return absl::NotFoundError(absl::StrCat("meeting: no meeting '", ref.meeting_uid(),
                                          "' in a published plan of delegation '",
                                          ref.delegation_id(), "'"));
}

absl::Status OutcomeStore::ValidateFeedback(const MeetingFeedback& f, absl::string_view field) {
  auto error = [&](absl::string_view name, absl::string_view reason) {
    return FieldError(absl::StrCat(field, ".", name), reason);
  };
  if (!MeetingFeedback::Attendance_IsValid(f.attendance()) ||
      f.attendance() == MeetingFeedback::ATTENDANCE_UNSPECIFIED) {
    return error("attendance", "is required: HELD, NO_SHOW or CANCELLED");
  }
  if (!MeetingFeedback::Absent_IsValid(f.absent())) {
    return error("absent", absl::StrCat("unknown value ", static_cast<int>(f.absent())));
  }
  if (!MeetingFeedback::FollowUp_IsValid(f.follow_up())) {
    return error("follow_up", absl::StrCat("unknown value ", static_cast<int>(f.follow_up())));
  }
  const bool held = f.attendance() == MeetingFeedback::HELD;
  const bool no_show = f.attendance() == MeetingFeedback::NO_SHOW;
  if (no_show && f.absent() == MeetingFeedback::ABSENT_UNSPECIFIED) {
    return error("absent", "is required with NO_SHOW: THIS_SIDE, OTHER_SIDE or BOTH_SIDES");
  }
  if (!no_show && f.absent() != MeetingFeedback::ABSENT_UNSPECIFIED) {
    return error("absent", "is only for a NO_SHOW");
  }
  if (held && (f.rating() < 1 || f.rating() > 5)) {
    return error("rating",
                 absl::StrCat("must be 1 to 5 for a meeting that was HELD, not ", f.rating()));
  }
  if (!held && f.rating() != 0) {
    return error("rating", "is only for a meeting that was HELD");
  }
  if (held && f.follow_up() == MeetingFeedback::FOLLOW_UP_UNSPECIFIED) {
    return error("follow_up", "is required for a meeting that was HELD: YES, MAYBE or NO");
  }
  return internal::CheckLength(absl::StrCat(field, ".note"), f.note(), kMaxNote);
}

absl::Status OutcomeStore::ValidateFollowUp(const FollowUpReport& r, absl::string_view field) {
  auto error = [&](absl::string_view name, absl::string_view reason) {
    return FieldError(absl::StrCat(field, ".", name), reason);
  };
  if (!FollowUpReport::Status_IsValid(r.status()) ||
      r.status() == FollowUpReport::STATUS_UNSPECIFIED) {
    return error("status",
                 "is required: NO_FURTHER_CONTACT, IN_CONTACT, NEGOTIATING or AGREEMENT_SIGNED");
  }
  if (!FollowUpReport::AgreementType_IsValid(r.agreement_type())) {
    return error("agreement_type",
                 absl::StrCat("unknown value ", static_cast<int>(r.agreement_type())));
  }
  if (!FollowUpReport::ValueBand_IsValid(r.value_band())) {
    return error("value_band", absl::StrCat("unknown value ", static_cast<int>(r.value_band())));
  }
  const bool signed_one = r.status() == FollowUpReport::AGREEMENT_SIGNED;
  if (signed_one && r.agreement_type() == FollowUpReport::AGREEMENT_TYPE_UNSPECIFIED) {
    return error("agreement_type", "is required with AGREEMENT_SIGNED");
  }
  if (!signed_one && r.agreement_type() != FollowUpReport::AGREEMENT_TYPE_UNSPECIFIED) {
    return error("agreement_type", "is only for AGREEMENT_SIGNED");
  }
  if (!signed_one && r.value_band() != FollowUpReport::VALUE_BAND_UNSPECIFIED) {
    return error("value_band", "is only for AGREEMENT_SIGNED");
  }
  return internal::CheckLength(absl::StrCat(field, ".note"), r.note(), kMaxNote);
}

absl::StatusOr<std::unique_ptr<OutcomeStore>> OutcomeStore::Open(std::shared_ptr<Database> database,
                                                                 NotificationStore* notifications,
                                                                 OutcomeStoreOptions options) {
  if (database == nullptr) return absl::InvalidArgumentError("database: is required");
  if (notifications == nullptr) return absl::InvalidArgumentError("notifications: is required");
  if (!options.chamber_of) return absl::InvalidArgumentError("chamber_of: is required");
  if (database->has_outcome_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("an OutcomeStore is already open over the database in ", database->dir()));
  }
  return std::unique_ptr<OutcomeStore>(
      new OutcomeStore(std::move(database), notifications, std::move(options)));
}

OutcomeStore::OutcomeStore(std::shared_ptr<Database> database, NotificationStore* notifications,
                           OutcomeStoreOptions options)
    : database_(std::move(database)), notifications_(notifications), options_(std::move(options)) {
  if (!options_.sync_writes) database_->sync_wal_on_close_ = true;
}

OutcomeStore::~OutcomeStore() { database_->has_outcome_store_ = false; }

absl::Time OutcomeStore::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

absl::StatusOr<OutcomeStore::Meeting> OutcomeStore::Resolve(const MeetingRef& ref) const {
  const bool by_request = !ref.request_id().empty();
  const bool by_plan = !ref.delegation_id().empty() || !ref.meeting_uid().empty();
  if (by_request == by_plan) {
    return FieldError("meeting", "names either a request_id or a delegation_id and a meeting_uid");
  }
  Meeting m;
  m.ref = ref;
  if (by_request) {
    if (options_.engagement == nullptr) return NoMeeting(ref);
    absl::StatusOr<MeetingRequest> request = options_.engagement->GetRequest(ref.request_id());
    if (absl::IsNotFound(request.status())) return NoMeeting(ref);
    if (!request.ok()) return request.status();
    if (!request->delegation_id().empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "meeting.request_id: request ", request->id(), " was made inside delegation ",
          request->delegation_id(),
          "; its meeting's outcome is recorded on the plan's meeting (meeting.delegation_id and "
          "meeting.meeting_uid)"));
    }
    if (request->state() != MeetingRequest::ACCEPTED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "meeting.request_id: request ", request->id(), " is ", RequestStateName(request->state()),
          "; only an ACCEPTED request's meeting carries an outcome"));
    }
    m.start = TimeOf(request->accepted_window().start_time());
    m.end = TimeOf(request->accepted_window().end_time());
    m.sides[0] = request->from_member_id();
    m.sides[1] = request->to_ref();
    return m;
  }
  if (ref.delegation_id().empty() || ref.meeting_uid().empty()) {
    return FieldError(ref.delegation_id().empty() ? "meeting.delegation_id" : "meeting.meeting_uid",
                      "is required with the other");
  }
  if (options_.delegations == nullptr) return NoMeeting(ref);
  absl::StatusOr<socio::v1::Delegation> d = options_.delegations->Get(ref.delegation_id());
  if (absl::IsNotFound(d.status()) || absl::IsInvalidArgument(d.status())) return NoMeeting(ref);
  if (!d.ok()) return d.status();
  if (!d->has_publication()) {
    return absl::FailedPreconditionError(
        absl::StrCat("meeting.delegation_id: the plan of delegation ", d->id(),
                     " is not published; only the meetings of a published plan carry an outcome"));
  }
  for (const socio::v1::PlannedMeeting& p : d->publication().meetings()) {
    if (p.uid() != ref.meeting_uid()) continue;
    m.start = TimeOf(p.start_time());
    m.end = TimeOf(p.end_time());
    m.sides[0] = p.delegate_id();
    m.sides[1] = p.host_id();
    return m;
  }
  return NoMeeting(ref);
}

MeetingOutcome OutcomeStore::Fresh(const Meeting& meeting) const {
  MeetingOutcome record;
  *record.mutable_meeting() = meeting.ref;
  *record.mutable_start_time() = ToTimestamp(meeting.start);
  *record.mutable_end_time() = ToTimestamp(meeting.end);
  for (const std::string& member : meeting.sides) {
    SideOutcome* side = record.add_sides();
    side->set_member_id(member);
    side->set_chamber_id(options_.chamber_of(member));
    int days = options_.follow_up_days ? options_.follow_up_days(side->chamber_id()) : 0;
    if (days <= 0) days = kDefaultFollowUpDays;
    *side->mutable_follow_up_due_time() = ToTimestamp(meeting.end + absl::Hours(24) * days);
  }
  return record;
}

absl::StatusOr<std::optional<MeetingOutcome>> OutcomeStore::Read(absl::string_view key) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(rocksdb::ReadOptions(), database_->outcomes(),
                                                absl::StrCat(kRecord, key), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (absl::Status s = FromRocksDb(status, "read a meeting outcome"); !s.ok()) return s;
  MeetingOutcome record;
  if (!record.ParseFromString(value)) {
    return absl::DataLossError("a meeting outcome record does not parse");
  }
  return record;
}

absl::StatusOr<MeetingOutcome> OutcomeStore::Get(const MeetingRef& ref) const {
  absl::StatusOr<Meeting> meeting = Resolve(ref);
  if (!meeting.ok()) return meeting.status();
  absl::StatusOr<std::optional<MeetingOutcome>> stored = Read(KeyOf(ref));
  if (!stored.ok()) return stored.status();
  MeetingOutcome fresh = Fresh(*meeting);
  // A record nobody answered follows its source until the next sweep moves it.
  if (stored->has_value() && (Answered(**stored) || (*stored)->end_time() == fresh.end_time())) {
    return **std::move(stored);
  }
  return fresh;
}

absl::Status OutcomeStore::AddTo(const MeetingOutcome* before, const MeetingOutcome& after,
                                 rocksdb::WriteBatch* batch) const {
  rocksdb::ColumnFamilyHandle* family = database_->outcomes();
  const std::string key = KeyOf(after.meeting());
  rocksdb::Status status =
      batch->Put(family, absl::StrCat(kRecord, key), after.SerializeAsString());
  const bool moved = before == nullptr || before->end_time() != after.end_time();
  if (moved) {
    if (before != nullptr) {
      for (const std::string& k : ListKeys(*before)) {
        if (status.ok()) status = batch->Delete(family, k);
      }
      if (status.ok()) status = batch->Delete(family, FeedbackDueKey(*before));
    }
    for (const std::string& k : ListKeys(after)) {
      if (status.ok()) status = batch->Put(family, k, "");
    }
    if (status.ok()) status = batch->Put(family, FeedbackDueKey(after), key);
  }
  for (int i = 0; i < after.sides_size(); ++i) {
    const SideOutcome& side = after.sides(i);
    const SideOutcome* old =
        before != nullptr && i < before->sides_size() ? &before->sides(i) : nullptr;
    if (old != nullptr && old->follow_up_due_time() == side.follow_up_due_time() &&
        old->member_id() == side.member_id()) {
      continue;
    }
    if (old != nullptr && status.ok())
      status = batch->Delete(family, FollowUpDueKey(*before, *old));
    if (status.ok()) {
      status = batch->Put(family, FollowUpDueKey(after, side), FollowUpDueValue(after, side));
    }
  }
  return FromRocksDb(status, "write a meeting outcome");
}

absl::Status OutcomeStore::RemoveTo(const MeetingOutcome& record,
                                    rocksdb::WriteBatch* batch) const {
  rocksdb::ColumnFamilyHandle* family = database_->outcomes();
  rocksdb::Status status = batch->Delete(family, absl::StrCat(kRecord, KeyOf(record.meeting())));
  for (const std::string& k : ListKeys(record)) {
    if (status.ok()) status = batch->Delete(family, k);
  }
  if (status.ok()) status = batch->Delete(family, FeedbackDueKey(record));
  for (const SideOutcome& side : record.sides()) {
    if (status.ok()) status = batch->Delete(family, FollowUpDueKey(record, side));
  }
  return FromRocksDb(status, "forget a meeting");
}

absl::Status OutcomeStore::Write(rocksdb::WriteBatch* batch,
                                 std::vector<Notification> notifications) {
  return notifications_->Commit(batch, std::move(notifications), options_.sync_writes);
}

absl::StatusOr<MeetingOutcome> OutcomeStore::Record(const MeetingRef& ref, const Answer& answer) {
  if (answer.member_id.empty()) return FieldError("member_id", "is required");
  if (answer.feedback.has_value() == answer.follow_up.has_value()) {
    return FieldError("answer", "is either feedback (stage 1) or follow_up (stage 2)");
  }
  if (answer.feedback.has_value()) {
    if (absl::Status s = ValidateFeedback(*answer.feedback, "feedback"); !s.ok()) return s;
  } else if (absl::Status s = ValidateFollowUp(*answer.follow_up, "follow_up"); !s.ok()) {
    return s;
  }
  if (answer.expected_version < 0) {
    return FieldError("expected_version", "must not be negative");
  }
  absl::StatusOr<Meeting> meeting = Resolve(ref);
  if (!meeting.ok()) return meeting.status();
  const absl::Time now = Now();
  if (now < meeting->end) {
    return absl::FailedPreconditionError(
        absl::StrCat("meeting: it ends at ", TimeText(meeting->end),
                     "; its outcome can be recorded from then on"));
  }
  if (answer.member_id != meeting->sides[0] && answer.member_id != meeting->sides[1]) {
    return FieldError("member_id",
                      absl::StrCat("'", answer.member_id, "' is not a side of the meeting"));
  }
  const std::string key = KeyOf(ref);
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<MeetingOutcome>> stored = Read(key);
  if (!stored.ok()) return stored.status();
  // The record as stored, unless nobody answered and its source moved it.
  MeetingOutcome record = Fresh(*meeting);
  if (stored->has_value() && (Answered(**stored) || (*stored)->end_time() == record.end_time())) {
    record = **stored;
  }
  SideOutcome* side = nullptr;
  for (SideOutcome& s : *record.mutable_sides()) {
    if (s.member_id() == answer.member_id) side = &s;
  }
  if (side == nullptr) {
    return FieldError("member_id",
                      absl::StrCat("'", answer.member_id, "' is not a side of the meeting"));
  }
  if (answer.expected_version > 0 && answer.expected_version != side->version()) {
    return absl::AbortedError(absl::StrCat("the outcome of ", answer.member_id, " is at version ",
                                           side->version(), ", not ", answer.expected_version,
                                           "; read it again and retry"));
  }
  if (answer.feedback.has_value()) {
    *side->mutable_feedback() = *answer.feedback;
    side->mutable_feedback()->DiscardUnknownFields();
  } else {
    *side->mutable_follow_up() = *answer.follow_up;
    side->mutable_follow_up()->DiscardUnknownFields();
  }
  side->set_version(side->version() + 1);
  *side->mutable_update_time() = ToTimestamp(now);
  side->set_updated_by(answer.by);
  rocksdb::WriteBatch batch;
  const MeetingOutcome* before = stored->has_value() ? &**stored : nullptr;
  if (absl::Status s = AddTo(before, record, &batch); !s.ok()) return s;
  if (absl::Status s = Write(&batch, {}); !s.ok()) return s;
  return record;
}

absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> OutcomeStore::List(
    Scope scope, absl::string_view id, const std::function<bool(const MeetingOutcome&)>& keep,
    int page_size, absl::string_view page_token) const {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return FieldError("page_size",
                      absl::StrCat("must be 0 to ", kMaxPageSize, ", not ", page_size));
  }
  absl::string_view prefix_of = kByDelegation;
  absl::string_view field = "delegation_id";
  if (scope == Scope::kMember) prefix_of = kByMember, field = "member_id";
  if (scope == Scope::kChamber) prefix_of = kByChamber, field = "chamber_id";
  if (id.empty()) return FieldError(field, "is required");
  const std::string prefix = absl::StrCat(prefix_of, id, kNul);
  return internal::KeyPage<MeetingOutcome>(
      *database_->db(), database_->outcomes(), prefix,
      {.kind = "outcomes", .filters = {std::string(prefix_of), std::string(id)}, .mismatch = field},
      page_size == 0 ? kDefaultPageSize : page_size, page_token, "list meeting outcomes",
      [&](absl::string_view key,
          absl::string_view) -> absl::StatusOr<std::optional<MeetingOutcome>> {
        absl::StatusOr<std::optional<MeetingOutcome>> record = Read(key.substr(prefix.size() + 16));
        if (!record.ok()) return record.status();
        if (!record->has_value()) return std::nullopt;
        if (keep && !keep(**record)) return std::nullopt;
        return record;
      });
}

absl::Status OutcomeStore::Track(absl::string_view key, const std::optional<Meeting>& meeting) {
  absl::StatusOr<std::optional<MeetingOutcome>> stored = Read(key);
  if (!stored.ok()) return stored.status();
  if (stored->has_value() && Answered(**stored)) return absl::OkStatus();
  rocksdb::WriteBatch batch;
  if (!meeting.has_value()) {
    if (!stored->has_value()) return absl::OkStatus();
    if (absl::Status s = RemoveTo(**stored, &batch); !s.ok()) return s;
    return Write(&batch, {});
  }
  MeetingOutcome fresh = Fresh(*meeting);
  if (stored->has_value() && (*stored)->end_time() == fresh.end_time() &&
      (*stored)->sides_size() == fresh.sides_size()) {
    return absl::OkStatus();
  }
  const MeetingOutcome* before = stored->has_value() ? &**stored : nullptr;
  if (absl::Status s = AddTo(before, fresh, &batch); !s.ok()) return s;
  return Write(&batch, {});
}

absl::Status OutcomeStore::Follow() {
  absl::StatusOr<uint64_t> cursor = notifications_->Cursor(kCursor);
  if (!cursor.ok()) return cursor.status();
  while (true) {
    const uint64_t last = notifications_->last_sequence();
    absl::StatusOr<std::vector<Notification>> read =
        notifications_->Read(*cursor, kFollowBatch, [](const Notification& n) {
          switch (n.kind()) {
            case Notification::REQUEST_ACCEPTED:
            case Notification::REQUEST_CANCELLED:
            case Notification::PLAN_PUBLISHED:
            case Notification::MEETINGS_CHANGED:
              return true;
            default:
              return false;
          }
        });
    if (!read.ok()) return read.status();
    std::set<std::string> delegations;
    for (const Notification& n : *read) {
      if (n.kind() == Notification::PLAN_PUBLISHED || n.kind() == Notification::MEETINGS_CHANGED) {
        if (!n.delegation_id().empty()) delegations.insert(n.delegation_id());
        continue;
      }
      if (!n.request().delegation_id().empty() || n.request().id().empty()) continue;
      MeetingRef ref;
      ref.set_request_id(n.request().id());
      absl::StatusOr<Meeting> meeting = Resolve(ref);
      if (!meeting.ok() && !absl::IsNotFound(meeting.status()) &&
          !absl::IsFailedPrecondition(meeting.status())) {
        return meeting.status();
      }
      if (absl::Status s =
              Track(KeyOf(ref), meeting.ok() ? std::optional<Meeting>(*meeting) : std::nullopt);
          !s.ok()) {
        return s;
      }
    }
    for (const std::string& id : delegations) {
      if (options_.delegations == nullptr) break;
      absl::StatusOr<socio::v1::Delegation> d = options_.delegations->Get(id);
      if (absl::IsNotFound(d.status())) continue;
      if (!d.ok()) return d.status();
      std::set<std::string> published;
      for (const socio::v1::PlannedMeeting& p : d->publication().meetings()) {
        Meeting m;
        m.ref.set_delegation_id(id);
        m.ref.set_meeting_uid(p.uid());
        m.start = TimeOf(p.start_time());
        m.end = TimeOf(p.end_time());
        m.sides[0] = p.delegate_id();
        m.sides[1] = p.host_id();
        published.insert(KeyOf(m.ref));
        if (absl::Status s = Track(KeyOf(m.ref), m); !s.ok()) return s;
      }
      // Meetings a re-publish dropped.
      absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> tracked =
          List(Scope::kDelegation, id, nullptr, kMaxPageSize, "");
      while (tracked.ok()) {
        for (const MeetingOutcome& record : tracked->first) {
          const std::string key = KeyOf(record.meeting());
          if (!published.contains(key)) {
            if (absl::Status s = Track(key, std::nullopt); !s.ok()) return s;
          }
        }
        if (tracked->second.empty()) break;
        tracked = List(Scope::kDelegation, id, nullptr, kMaxPageSize, tracked->second);
      }
      if (!tracked.ok()) return tracked.status();
    }
    uint64_t next = std::max(*cursor, read->empty() ? 0 : read->back().sequence());
    if (static_cast<int>(read->size()) < kFollowBatch) next = std::max(next, last);
    if (next != *cursor) {
      if (absl::Status s = notifications_->SetCursor(kCursor, next); !s.ok()) return s;
      *cursor = next;
    }
    if (static_cast<int>(read->size()) < kFollowBatch) return absl::OkStatus();
  }
}

absl::Status OutcomeStore::Remind(bool follow_up, int max_reminders, const Summarize& summarize,
                                  int* written) {
  const absl::string_view queue = follow_up ? kFollowUpDue : kFeedbackDue;
  const std::string now = Hex(Now());
  struct Due {
    std::string key;    // the queue entry
    std::string value;  // meeting, or member \0 meeting
  };
  std::vector<Due> due;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        database_->db()->NewIterator(rocksdb::ReadOptions(), database_->outcomes()));
    for (it->Seek(ToSlice(queue)); it->Valid() && it->key().starts_with(ToSlice(queue)) &&
                                   static_cast<int>(due.size()) < max_reminders;
         it->Next()) {
      const absl::string_view at = View(it->key()).substr(queue.size(), 16);
      if (at > now) break;
      due.push_back({it->key().ToString(), it->value().ToString()});
    }
    if (absl::Status s = FromRocksDb(it->status(), "read due outcome reminders"); !s.ok()) {
      return s;
    }
  }
  for (const Due& entry : due) {
    std::string meeting_key = entry.value, member;
    if (follow_up) {
      const size_t nul = entry.value.find('\0');
      member = entry.value.substr(0, nul);
      meeting_key = entry.value.substr(nul + 1);
    }
    rocksdb::WriteBatch batch;
    std::vector<Notification> out;
    absl::StatusOr<std::optional<MeetingOutcome>> record = Read(meeting_key);
    if (!record.ok()) return record.status();
    if (record->has_value() && !follow_up && !Answered(**record)) {
      // Judged against its source as it is now: gone, or moved later.
      absl::StatusOr<Meeting> meeting = Resolve((*record)->meeting());
      if (!meeting.ok() && !absl::IsNotFound(meeting.status()) &&
          !absl::IsFailedPrecondition(meeting.status())) {
        return meeting.status();
      }
      if (!meeting.ok() || meeting->end > Now()) {
        if (absl::Status s =
                Track(meeting_key, meeting.ok() ? std::optional<Meeting>(*meeting) : std::nullopt);
            !s.ok()) {
          return s;
        }
        continue;
      }
    }
    if (absl::Status s = FromRocksDb(batch.Delete(database_->outcomes(), entry.key),
                                     "write an outcome reminder");
        !s.ok()) {
      return s;
    }
    if (record->has_value()) {
      for (const SideOutcome& side : (*record)->sides()) {
        if (follow_up ? side.member_id() != member || side.has_follow_up() : side.has_feedback()) {
          continue;
        }
        const std::string sent = SentKey(follow_up, meeting_key, side.member_id());
        std::string ignored;
        rocksdb::Status found =
            database_->db()->Get(rocksdb::ReadOptions(), database_->outcomes(), sent, &ignored);
        if (found.ok()) continue;  // written before
        if (!found.IsNotFound()) return FromRocksDb(found, "read an outcome reminder");
        if (absl::Status s = FromRocksDb(batch.Put(database_->outcomes(), sent, ""),
                                         "write an outcome reminder");
            !s.ok()) {
          return s;
        }
        Notification n;
        n.set_recipient(side.member_id());
        n.set_kind(follow_up ? Notification::OUTCOME_FOLLOW_UP_DUE
                             : Notification::OUTCOME_FEEDBACK_DUE);
        *n.mutable_outcome() = Bare(**record);
        if (!(*record)->meeting().delegation_id().empty()) {
          n.set_delegation_id((*record)->meeting().delegation_id());
        }
        if (summarize) n.set_summary(summarize(n));
        out.push_back(std::move(n));
      }
    }
    *written += static_cast<int>(out.size());
    if (absl::Status s = Write(&batch, std::move(out)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> OutcomeStore::Sweep(int max_reminders, const Summarize& summarize) {
  absl::MutexLock lock(&write_mu_);
  if (absl::Status s = Follow(); !s.ok()) return s;
  int written = 0;
  if (absl::Status s = Remind(false, max_reminders, summarize, &written); !s.ok()) return s;
  if (absl::Status s = Remind(true, max_reminders, summarize, &written); !s.ok()) return s;
  return written;
}

}  // namespace socio::storage
