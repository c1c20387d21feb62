#include "storage/partnership_store.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "reference/itinerary.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "storage/internal/encoding.h"
#include "storage/internal/field_checks.h"
#include "storage/internal/key_page.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"
#include "storage/profile_validation.h"
#include "storage/update_mask.h"

namespace socio::storage {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;
using internal::CheckDisplayLine;
using internal::CheckLength;
using internal::FieldError;
using internal::FromRocksDb;
using internal::Indexed;
using internal::TimeOf;
using internal::ToSlice;
using internal::ToTimestamp;
using internal::View;
using socio::v1::Notification;
using socio::v1::Partnership;
using socio::v1::PartnershipOrigin;
using socio::v1::PartnershipReview;

// partnership_index keys.
constexpr absl::string_view kMember = "member/";    // + member \0 newest-first id
constexpr absl::string_view kChamber = "chamber/";  // + chamber \0 newest-first id
constexpr absl::string_view kDue = "due/";          // + next review time, id (to remind)
constexpr absl::string_view kReview = "review/";    // + id \0 newest-first number -> review

constexpr absl::string_view kNul("\0", 1);

// The partnership's place in newest-first lists: its create time counted
// down.
std::string NewestFirst(const Partnership& p) {
  const int64_t nanos = TimeUtil::TimestampToNanoseconds(p.create_time());
  return absl::StrFormat("%016x%s", std::numeric_limits<int64_t>::max() - nanos, p.id());
}

std::string ListKey(absl::string_view prefix, absl::string_view owner, const Partnership& p) {
  return absl::StrCat(prefix, owner, kNul, NewestFirst(p));
}

std::string ReviewPrefix(absl::string_view id) { return absl::StrCat(kReview, id, kNul); }

std::string ReviewKey(absl::string_view id, int number) {
  return absl::StrCat(ReviewPrefix(id),
                      absl::StrFormat("%08x", std::numeric_limits<int32_t>::max() - number));
}

// Whether a reminder is still to go out for `p`'s next review.
bool AwaitsReminder(const Partnership& p) {
  return (p.status() == Partnership::EXPLORING || p.status() == Partnership::ACTIVE) &&
         p.has_next_review_time() && !p.review_reminded();
}

std::string DueKey(const Partnership& p) {
  return absl::StrFormat("%s%016x%s", kDue, TimeUtil::TimestampToNanoseconds(p.next_review_time()),
                         p.id());
}

absl::StatusOr<std::string> NewPartnershipId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError("the system's random number generator failed");
  }
  return absl::StrCat("pt-", absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(bytes), sizeof bytes)));
}

absl::StatusOr<int> PageSize(int page_size) {
  if (page_size < 0 || page_size > PartnershipStore::kMaxPageSize) {
    return FieldError("page_size", absl::StrCat("must be 0 to ", PartnershipStore::kMaxPageSize,
                                                ", not ", page_size));
  }
  return page_size == 0 ? PartnershipStore::kDefaultPageSize : page_size;
}

absl::Status CheckDate(absl::string_view field, absl::string_view date) {
  if (date.empty()) return FieldError(field, "is required");
  if (!reference::ParseDate(date)) {
    return FieldError(field, absl::StrCat("'", date, "' is not a date of the form YYYY-MM-DD"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& t) {
  if (t.seconds() < TimeUtil::kTimestampMinSeconds ||
      t.seconds() > TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 || t.nanos() > 999999999) {
    return FieldError(field, "is a time out of range");
  }
  return absl::OkStatus();
}

absl::Status CheckOrigin(const PartnershipOrigin& origin) {
  if (!PartnershipOrigin::Kind_IsValid(origin.kind())) {
    return FieldError("partnership.origin.kind",
                      absl::StrCat("unknown value ", static_cast<int>(origin.kind())));
  }
  if (!origin.source_delegation_id().empty()) {
    if (absl::Status s =
            ValidateId("partnership.origin.source_delegation_id", origin.source_delegation_id());
        !s.ok()) {
      return s;
    }
  }
  if (!origin.source_request_id().empty()) {
    if (absl::Status s =
            ValidateId("partnership.origin.source_request_id", origin.source_request_id());
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = CheckDisplayLine("partnership.origin.meeting_uid", origin.meeting_uid(),
                                        PartnershipStore::kMaxUid);
      !s.ok()) {
    return s;
  }
  switch (origin.kind()) {
    case PartnershipOrigin::MEETING:
      if (origin.source_request_id().empty() &&
          (origin.source_delegation_id().empty() || origin.meeting_uid().empty())) {
        return FieldError("partnership.origin",
                          "a MEETING names a source_request_id, or a source_delegation_id and "
                          "the meeting_uid of a meeting of its plan");
      }
      break;
    case PartnershipOrigin::DELEGATION:
      if (origin.source_delegation_id().empty()) {
        return FieldError("partnership.origin.source_delegation_id",
                          "is required for an origin of kind DELEGATION");
      }
      break;
    default:
      if (!origin.source_delegation_id().empty() || !origin.source_request_id().empty() ||
          !origin.meeting_uid().empty()) {
        return FieldError("partnership.origin.kind",
                          "must be MEETING or DELEGATION when the origin names a delegation, a "
                          "meeting or a request");
      }
      break;
  }
  return absl::OkStatus();
}

// The fields a client writes, as a create or an update leaves them (parties
// and origin are checked on create only).
absl::Status CheckWritable(const Partnership& p) {
  if (absl::Status s =
          CheckDisplayLine("partnership.title", p.title(), PartnershipStore::kMaxTitle);
      !s.ok()) {
    return s;
  }
  if (!Partnership::Status_IsValid(p.status()) || p.status() == Partnership::STATUS_UNSPECIFIED) {
    return FieldError("partnership.status",
                      absl::StrCat("must be EXPLORING, ACTIVE, PAUSED or ENDED, not ",
                                   static_cast<int>(p.status())));
  }
  if (p.status() == Partnership::ENDED) {
    if (internal::IsBlank(p.end_reason())) {
      return FieldError("partnership.end_reason", "is required to end a partnership");
    }
  } else if (!p.end_reason().empty()) {
    return FieldError("partnership.end_reason",
                      absl::StrCat("is given only with status ENDED, not ",
                                   Partnership::Status_Name(p.status())));
  }
  if (absl::Status s =
          CheckLength("partnership.end_reason", p.end_reason(), PartnershipStore::kMaxReason);
      !s.ok()) {
    return s;
  }
  if (p.goals_size() > PartnershipStore::kMaxGoals) {
    return FieldError("partnership.goals", absl::StrCat("at most ", PartnershipStore::kMaxGoals,
                                                        ", not ", p.goals_size()));
  }
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < p.goals_size(); ++i) {
    const std::string field = Indexed("partnership.goals", i);
    const socio::v1::SharedGoal& goal = p.goals(i);
    if (internal::IsBlank(goal.title())) return FieldError(field + ".title", "is required");
    if (absl::Status s =
            CheckDisplayLine(field + ".title", goal.title(), PartnershipStore::kMaxTitle);
        !s.ok()) {
      return s;
    }
    if (!goal.has_indicator()) return FieldError(field + ".indicator", "is required");
    const socio::v1::Indicator& indicator = goal.indicator();
    const std::string ifield = field + ".indicator";
    if (internal::IsBlank(indicator.name())) return FieldError(ifield + ".name", "is required");
    if (absl::Status s = CheckDisplayLine(ifield + ".name", indicator.name(),
                                          PartnershipStore::kMaxIndicatorName);
        !s.ok()) {
      return s;
    }
    if (!names.insert(indicator.name()).second) {
      return FieldError(ifield + ".name", absl::StrCat("'", indicator.name(),
                                                       "' names another goal's indicator too"));
    }
    if (absl::Status s =
            CheckDisplayLine(ifield + ".unit", indicator.unit(), PartnershipStore::kMaxUnit);
        !s.ok()) {
      return s;
    }
    if (!std::isfinite(indicator.baseline())) {
      return FieldError(ifield + ".baseline", "must be a finite number");
    }
    if (!std::isfinite(indicator.target())) {
      return FieldError(ifield + ".target", "must be a finite number");
    }
    if (absl::Status s = CheckDate(ifield + ".due_date", indicator.due_date()); !s.ok()) return s;
  }
  if (p.milestones_size() > PartnershipStore::kMaxMilestones) {
    return FieldError(
        "partnership.milestones",
        absl::StrCat("at most ", PartnershipStore::kMaxMilestones, ", not ", p.milestones_size()));
  }
  for (int i = 0; i < p.milestones_size(); ++i) {
    const std::string field = Indexed("partnership.milestones", i);
    const socio::v1::Milestone& m = p.milestones(i);
    if (internal::IsBlank(m.title())) return FieldError(field + ".title", "is required");
    if (absl::Status s = CheckDisplayLine(field + ".title", m.title(), PartnershipStore::kMaxTitle);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckDate(field + ".due_date", m.due_date()); !s.ok()) return s;
    if (m.has_done_time()) {
      if (absl::Status s = CheckTimestamp(field + ".done_time", m.done_time()); !s.ok()) return s;
    }
  }
  if (p.review_every_weeks() < 1 || p.review_every_weeks() > PartnershipStore::kMaxReviewWeeks) {
    return FieldError("partnership.review_every_weeks",
                      absl::StrCat("must be 1 to ", PartnershipStore::kMaxReviewWeeks, ", not ",
                                   p.review_every_weeks()));
  }
  return absl::OkStatus();
}

// When the next review of `p` is due: review_every_weeks after the last
// review, or after the creation.
google::protobuf::Timestamp NextReview(const Partnership& p) {
  const absl::Time from =
      p.has_last_review_time() ? TimeOf(p.last_review_time()) : TimeOf(p.create_time());
  return ToTimestamp(from + absl::Hours(24 * 7) * p.review_every_weeks());
}

// Sets next_review_time from the rhythm (cleared once ENDED); a due time
// that moves has not been reminded of.
void ScheduleReview(Partnership* p) {
  if (p->status() == Partnership::ENDED) {
    p->clear_next_review_time();
    p->set_review_reminded(false);
    return;
  }
  const google::protobuf::Timestamp next = NextReview(*p);
  if (!p->has_next_review_time() || TimeUtil::TimestampToNanoseconds(next) !=
                                        TimeUtil::TimestampToNanoseconds(p->next_review_time())) {
    *p->mutable_next_review_time() = next;
    p->set_review_reminded(false);
  }
}

Notification NotificationFor(absl::string_view recipient, Notification::Kind kind,
                             const Partnership& p, const Summarize& summarize) {
  Notification n;
  n.set_recipient(std::string(recipient));
  n.set_kind(kind);
  *n.mutable_partnership() = p;
  if (summarize) n.set_summary(summarize(n));
  return n;
}

// `kind` to each party the actor does not act for.
void NotifyOthers(const Partnership& p, const PartnershipStore::Actor& actor,
                  Notification::Kind kind, const Summarize& summarize,
                  std::vector<Notification>* out) {
  const auto [first, second] = PartiesOf(p);
  // Operators act for neither side: both are told.
  const bool both = !actor.first && !actor.second;
  if (both || !actor.first) out->push_back(NotificationFor(first, kind, p, summarize));
  if ((both || !actor.second) && second != first) {
    out->push_back(NotificationFor(second, kind, p, summarize));
  }
}

}  // namespace

bool IsChamberPartnership(const Partnership& partnership) {
  return partnership.first_member_id().empty() && partnership.second_member_id().empty();
}

std::pair<std::string, std::string> PartiesOf(const Partnership& p) {
  if (IsChamberPartnership(p)) {
    return {StaffRecipient(p.first_chamber_id()), StaffRecipient(p.second_chamber_id())};
  }
  return {p.first_member_id(), p.second_member_id()};
}

absl::StatusOr<std::unique_ptr<PartnershipStore>> PartnershipStore::Open(
    std::shared_ptr<Database> database, NotificationStore* notifications,
    const PartnershipStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database: is required");
  if (notifications == nullptr) return absl::InvalidArgumentError("notifications: is required");
  if ((options.view == nullptr) != (options.cluster == nullptr) ||
      (options.cluster != nullptr) != notifications->clustered()) {
    return absl::InvalidArgumentError(
        "PartnershipStoreOptions.view and .cluster go together (cluster mode, with the "
        "notifications in cluster mode too) or not at all");
  }
  if (database->has_partnership_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a PartnershipStore is already open over the database in ", database->dir()));
  }
  return std::unique_ptr<PartnershipStore>(
      new PartnershipStore(std::move(database), notifications, options));
}

PartnershipStore::PartnershipStore(std::shared_ptr<Database> database,
                                   NotificationStore* notifications,
                                   const PartnershipStoreOptions& options)
    : database_(std::move(database)),
      notifications_(notifications),
      options_(options),
      records_{.database = database_.get(),
               .notifications = notifications,
               .view = options.view,
               .cluster = options.cluster,
               .sync_writes = options.sync_writes},
      partnerships_{database_->partnerships(), "socio/partnerships/", RecordTable::Keys::kVerbatim},
      index_{database_->partnership_index(), "socio/partnership-index/", RecordTable::Keys::kHex} {
  if (!options_.sync_writes) database_->sync_wal_on_close_ = true;
  mirrors_.Follow(
      options_.view, partnerships_, [](absl::string_view key, const std::string& value) {
        Partnership p;
        if (!p.ParseFromString(value) || key != p.id()) {
          return absl::DataLossError(absl::StrCat("cluster: the record socio/partnerships/", key,
                                                  " is not that partnership"));
        }
        return absl::OkStatus();
      });
  // Index rows hold reviews or nothing.
  mirrors_.Follow(options_.view, index_,
                  [](absl::string_view, const std::string&) { return absl::OkStatus(); });
}

PartnershipStore::~PartnershipStore() { database_->has_partnership_store_ = false; }

absl::Time PartnershipStore::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

absl::StatusOr<Partnership> PartnershipStore::Read(absl::string_view id, RecordBatch* batch) const {
  absl::StatusOr<std::optional<std::string>> value =
      RecordBatch::Read(*database_, partnerships_, id, batch);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::NotFoundError(absl::StrCat("id: no partnership '", id, "'"));
  }
  Partnership p;
  if (!p.ParseFromString(**value)) {
    return absl::DataLossError(absl::StrCat("partnership ", id, " does not parse"));
  }
  return p;
}

absl::StatusOr<Partnership> PartnershipStore::Get(absl::string_view id) const {
  if (id.empty()) return FieldError("id", "is required");
  return Read(id);
}

absl::Status PartnershipStore::AddTo(const Partnership* before, const Partnership& p,
                                     RecordBatch* batch) const {
  absl::Status status = batch->Put(partnerships_, p.id(), p.SerializeAsString());
  if (status.ok() && before == nullptr) {
    for (const std::string* member : {&p.first_member_id(), &p.second_member_id()}) {
      if (member->empty() || !status.ok()) continue;
      status = batch->Put(index_, ListKey(kMember, *member, p), "");
    }
    if (status.ok()) status = batch->Put(index_, ListKey(kChamber, p.first_chamber_id(), p), "");
    if (status.ok() && p.second_chamber_id() != p.first_chamber_id()) {
      status = batch->Put(index_, ListKey(kChamber, p.second_chamber_id(), p), "");
    }
  }
  if (status.ok() && before != nullptr && AwaitsReminder(*before)) {
    status = batch->Delete(index_, DueKey(*before));
  }
  if (status.ok() && AwaitsReminder(p)) status = batch->Put(index_, DueKey(p), "");
  return status;
}

absl::StatusOr<Partnership> PartnershipStore::Create(Partnership p, const Actor& actor,
                                                     const RequestTicket* ticket,
                                                     const Summarize& summarize) {
  p.DiscardUnknownFields();
  const bool companies = !p.first_member_id().empty() || !p.second_member_id().empty();
  if (companies) {
    if (absl::Status s = ValidateId("partnership.first_member_id", p.first_member_id()); !s.ok()) {
      return s;
    }
    if (absl::Status s = ValidateId("partnership.second_member_id", p.second_member_id());
        !s.ok()) {
      return s;
    }
    if (p.first_member_id() == p.second_member_id()) {
      return FieldError("partnership.second_member_id",
                        "a company cannot be in a partnership with itself");
    }
  }
  if (absl::Status s = ValidateId("partnership.first_chamber_id", p.first_chamber_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("partnership.second_chamber_id", p.second_chamber_id());
      !s.ok()) {
    return s;
  }
  if (!companies && p.first_chamber_id() == p.second_chamber_id()) {
    return FieldError("partnership.second_chamber_id",
                      "a chamber cannot be in a partnership with itself");
  }
  if (absl::Status s = CheckOrigin(p.origin()); !s.ok()) return s;
  if (p.status() != Partnership::STATUS_UNSPECIFIED && p.status() != Partnership::EXPLORING) {
    return FieldError("partnership.status", "a partnership starts EXPLORING; move it on after");
  }
  p.set_status(Partnership::EXPLORING);
  if (p.review_every_weeks() == 0) p.set_review_every_weeks(kDefaultReviewWeeks);
  if (absl::Status s = CheckWritable(p); !s.ok()) return s;

  // Output-only fields are the store's.
  const absl::Time now = Now();
  p.clear_id();
  p.clear_review_count();
  p.clear_last_review_time();
  p.clear_next_review_time();
  p.set_review_reminded(false);
  p.set_created_by(actor.by);
  p.set_changed_by(actor.by);
  *p.mutable_create_time() = ToTimestamp(now);
  *p.mutable_update_time() = ToTimestamp(now);
  p.set_version(1);
  ScheduleReview(&p);
  return RetryingRaces<Partnership>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Partnership> {
    return CreateOnce(p, actor, ticket, summarize, raced);
  });
}

absl::StatusOr<Partnership> PartnershipStore::CreateOnce(Partnership p, const Actor& actor,
                                                         const RequestTicket* ticket,
                                                         const Summarize& summarize, bool* raced) {
  absl::StatusOr<std::optional<Partnership>> answered =
      RequestIdStore::FindAnswer<Partnership>(*database_, ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **answered;
  RecordBatch batch(records_);
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<std::string> id = NewPartnershipId();
    if (!id.ok()) return id.status();
    // Read into the batch: the write requires the id to be still free.
    if (absl::IsNotFound(Read(*id, &batch).status())) {
      p.set_id(*id);
      break;
    }
    if (attempt == 5) return absl::InternalError("could not draw a free partnership id");
  }
  if (absl::Status s = AddTo(nullptr, p, &batch); !s.ok()) return s;
  std::vector<Notification> notifications;
  NotifyOthers(p, actor, Notification::PARTNERSHIP_CREATED, summarize, &notifications);
  if (absl::Status s = batch.Commit(std::move(notifications), ticket, p.SerializeAsString(), raced);
      !s.ok()) {
    return s;
  }
  return p;
}

absl::StatusOr<std::pair<std::vector<Partnership>, std::string>> PartnershipStore::List(
    const Scope& scope, int page_size, absl::string_view page_token) const {
  if (scope.member_id.empty() == scope.chamber_id.empty()) {
    return absl::InvalidArgumentError("a list of partnerships names a member or a chamber");
  }
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  const std::string prefix = scope.member_id.empty()
                                 ? absl::StrCat(kChamber, scope.chamber_id, kNul)
                                 : absl::StrCat(kMember, scope.member_id, kNul);
  std::vector<std::string> filters = {scope.member_id, scope.chamber_id};
  for (auto status : scope.statuses) filters.push_back(absl::StrCat(static_cast<int>(status)));
  return internal::KeyPage<Partnership>(
      *database_->db(), database_->partnership_index(), prefix,
      {.kind = "partnerships", .filters = std::move(filters), .mismatch = "owner and statuses"},
      *size, page_token, "list partnerships",
      [&](absl::string_view key, absl::string_view) -> absl::StatusOr<std::optional<Partnership>> {
        absl::StatusOr<Partnership> p = Read(key.substr(prefix.size() + 16));
        if (!p.ok()) return p.status();
        if (!scope.statuses.empty() && std::find(scope.statuses.begin(), scope.statuses.end(),
                                                 p->status()) == scope.statuses.end()) {
          return std::nullopt;
        }
        return *std::move(p);
      });
}

absl::StatusOr<Partnership> PartnershipStore::Change(
    absl::string_view id, int64_t expected_version, absl::string_view by,
    const std::function<absl::Status(Partnership*, RecordBatch*, std::vector<Notification>*)>&
        change) {
  if (id.empty()) return FieldError("id", "is required");
  if (expected_version < 0) return FieldError("expected_version", "must not be negative");
  return RetryingRaces<Partnership>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Partnership> {
    RecordBatch batch(records_);
    absl::StatusOr<Partnership> stored = Read(id, &batch);
    if (!stored.ok()) return stored.status();
    if (expected_version > 0 && expected_version != stored->version()) {
      return absl::AbortedError(absl::StrCat("partnership ", id, " is at version ",
                                             stored->version(), ", not ", expected_version,
                                             "; read it again and retry"));
    }
    if (stored->status() == Partnership::ENDED) {
      return absl::FailedPreconditionError(
          absl::StrCat("partnership ", id, " is ENDED; an ended partnership does not change"));
    }
    Partnership changed = *stored;
    std::vector<Notification> notifications;
    if (absl::Status s = change(&changed, &batch, &notifications); !s.ok()) return s;
    changed.set_version(stored->version() + 1);
    changed.set_changed_by(std::string(by));
    *changed.mutable_update_time() = ToTimestamp(Now());
    ScheduleReview(&changed);
    for (Notification& n : notifications) *n.mutable_partnership() = changed;
    if (absl::Status s = AddTo(&*stored, changed, &batch); !s.ok()) return s;
    if (absl::Status s = batch.Commit(std::move(notifications), nullptr, "", raced); !s.ok()) {
      return s;
    }
    return changed;
  });
}

absl::StatusOr<Partnership> PartnershipStore::Update(const Partnership& patch,
                                                     const FieldMask& mask,
                                                     int64_t expected_version, const Actor& actor,
                                                     const Summarize& summarize) {
  static constexpr absl::string_view kWritable[] = {"status", "end_reason", "title",
                                                    "goals",  "milestones", "review_every_weeks"};
  auto writable = [](absl::string_view path) {
    return std::find(std::begin(kWritable), std::end(kWritable), path) != std::end(kWritable);
  };
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path == kReplaceAll || writable(path)) continue;
    return FieldError(absl::StrCat("update_mask.paths[", i, "]"),
                      absl::StrCat("'", path,
                                   "' cannot be written (status, end_reason, title, goals, "
                                   "milestones and review_every_weeks can)"));
  }
  absl::StatusOr<FieldMask> resolved = ResolveUpdateMask(patch, mask, "partnership", writable);
  if (!resolved.ok()) return resolved.status();
  return Change(
      patch.id(), expected_version, actor.by,
      [&](Partnership* p, RecordBatch*, std::vector<Notification>* notifications) -> absl::Status {
        const Partnership::Status was = p->status();
        FieldMaskUtil::MergeOptions options;
        options.set_replace_message_fields(true);
        options.set_replace_repeated_fields(true);
        FieldMaskUtil::MergeMessageTo(patch, *resolved, options, p);
        if (absl::Status s = CheckWritable(*p); !s.ok()) return s;
        if (p->status() != was) {
          NotifyOthers(*p, actor, Notification::PARTNERSHIP_STATUS_CHANGED, summarize,
                       notifications);
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<PartnershipReview> PartnershipStore::RecordReview(absl::string_view id,
                                                                 PartnershipReview review,
                                                                 int64_t expected_version,
                                                                 const Actor& actor,
                                                                 const Summarize& summarize) {
  review.DiscardUnknownFields();
  if (!PartnershipReview::Judgement_IsValid(review.judgement()) ||
      review.judgement() == PartnershipReview::JUDGEMENT_UNSPECIFIED) {
    return FieldError("review.judgement",
                      absl::StrCat("must be ON_TRACK, AT_RISK or OFF_TRACK, not ",
                                   static_cast<int>(review.judgement())));
  }
  if (absl::Status s = CheckLength("review.note", review.note(), kMaxNote); !s.ok()) return s;
  for (int i = 0; i < review.readings_size(); ++i) {
    if (!std::isfinite(review.readings(i).value())) {
      return FieldError(Indexed("review.readings", i) + ".value", "must be a finite number");
    }
    // A goal's own judgement is optional: unset, the review's stands for it.
    if (!PartnershipReview::Judgement_IsValid(review.readings(i).judgement())) {
      return FieldError(Indexed("review.readings", i) + ".judgement",
                        absl::StrCat("must be ON_TRACK, AT_RISK or OFF_TRACK, not ",
                                     static_cast<int>(review.readings(i).judgement())));
    }
  }
  const absl::Time now = Now();
  absl::StatusOr<Partnership> changed = Change(
      id, expected_version, actor.by,
      [&](Partnership* p, RecordBatch* batch,
          std::vector<Notification>* notifications) -> absl::Status {
        // One reading for each indicator, in any order.
        absl::flat_hash_set<std::string> read;
        for (int i = 0; i < review.readings_size(); ++i) {
          const std::string& name = review.readings(i).indicator();
          const std::string field = Indexed("review.readings", i) + ".indicator";
          if (std::none_of(
                  p->goals().begin(), p->goals().end(),
                  [&](const socio::v1::SharedGoal& g) { return g.indicator().name() == name; })) {
            return FieldError(
                field, absl::StrCat("'", name, "' is no indicator of partnership ", p->id()));
          }
          if (!read.insert(name).second) {
            return FieldError(field, absl::StrCat("'", name, "' is read twice"));
          }
        }
        for (const socio::v1::SharedGoal& g : p->goals()) {
          if (!read.contains(g.indicator().name())) {
            return FieldError("review.readings", absl::StrCat("needs a value for indicator '",
                                                              g.indicator().name(), "'"));
          }
        }
        review.set_partnership_id(p->id());
        review.set_number(p->review_count() + 1);
        review.set_recorded_by(actor.by);
        *review.mutable_create_time() = ToTimestamp(now);
        p->set_review_count(review.number());
        *p->mutable_last_review_time() = review.create_time();
        if (absl::Status s =
                batch->Put(index_, ReviewKey(p->id(), review.number()), review.SerializeAsString());
            !s.ok()) {
          return s;
        }
        NotifyOthers(*p, actor, Notification::PARTNERSHIP_REVIEWED, summarize, notifications);
        return absl::OkStatus();
      });
  if (!changed.ok()) return changed.status();
  return review;
}

absl::StatusOr<std::pair<std::vector<PartnershipReview>, std::string>>
PartnershipStore::ListReviews(absl::string_view id, int page_size,
                              absl::string_view page_token) const {
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  if (absl::Status s = Get(id).status(); !s.ok()) return s;
  return internal::KeyPage<PartnershipReview>(
      *database_->db(), database_->partnership_index(), ReviewPrefix(id),
      {.kind = "reviews", .filters = {std::string(id)}, .mismatch = "partnership_id"}, *size,
      page_token, "list reviews",
      [&](absl::string_view,
          absl::string_view value) -> absl::StatusOr<std::optional<PartnershipReview>> {
        PartnershipReview review;
        if (!review.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError(absl::StrCat("a review of ", id, " does not parse"));
        }
        return review;
      });
}

absl::StatusOr<int> PartnershipStore::RemindDue(int max_reminders, const Summarize& summarize) {
  const absl::Time now = Now();
  std::vector<std::string> due;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        database_->db()->NewIterator(rocksdb::ReadOptions(), database_->partnership_index()));
    for (it->Seek(ToSlice(kDue)); it->Valid() && it->key().starts_with(ToSlice(kDue)) &&
                                  static_cast<int>(due.size()) < max_reminders;
         it->Next()) {
      const absl::string_view key = View(it->key()).substr(kDue.size());
      uint64_t due_nanos = 0;
      if (key.size() < 16 || !absl::SimpleHexAtoi(key.substr(0, 16), &due_nanos)) {
        return absl::DataLossError("a review-due index key does not parse");
      }
      if (static_cast<int64_t>(due_nanos) > absl::ToUnixNanos(now)) break;
      due.push_back(std::string(key.substr(16)));
    }
    if (absl::Status s = FromRocksDb(it->status(), "read due reviews"); !s.ok()) return s;
  }
  int reminded = 0;
  for (const std::string& id : due) {
    absl::StatusOr<bool> sent =
        RetryingRaces<bool>(&write_mu_, [&](bool* raced) -> absl::StatusOr<bool> {
          RecordBatch batch(records_);
          absl::StatusOr<Partnership> stored = Read(id, &batch);
          if (absl::IsNotFound(stored.status())) return false;
          if (!stored.ok()) return stored.status();
          // Moved on meanwhile (a review recorded, paused, ended; or reminded
          // by another node's sweep).
          if (!AwaitsReminder(*stored) || TimeOf(stored->next_review_time()) > now) return false;
          // A reminder is bookkeeping: neither the version nor update_time moves.
          Partnership p = *stored;
          p.set_review_reminded(true);
          if (absl::Status s = AddTo(&*stored, p, &batch); !s.ok()) return s;
          std::vector<Notification> notifications;
          const auto [first, second] = PartiesOf(p);
          notifications.push_back(
              NotificationFor(first, Notification::PARTNERSHIP_REVIEW_DUE, p, summarize));
          notifications.push_back(
              NotificationFor(second, Notification::PARTNERSHIP_REVIEW_DUE, p, summarize));
          if (absl::Status s = batch.Commit(std::move(notifications), nullptr, "", raced);
              !s.ok()) {
            return s;
          }
          return true;
        });
    if (!sent.ok()) return sent.status();
    if (*sent) ++reminded;
  }
  return reminded;
}

}  // namespace socio::storage
