#include "storage/delegation_store.h"

#include <algorithm>
#include <array>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/delegation_validation.h"
#include "storage/host_invitations.h"
#include "storage/internal/page_token.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/profile_validation.h"
#include "storage/update_mask.h"

namespace socio::storage {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using internal::FromRocksDb;
using socio::v1::Delegation;
using socio::v1::DelegationPlan;

// What a client may write: every field but the id and the output-only ones.
constexpr std::array<absl::string_view, 21> kWritableFields = {
    "chamber_id", "name", "origin_country", "host_country", "days", "meeting_minutes",
    "break_minutes", "tables_per_venue", "delegates", "hosts", "host_filter", "pairs",
    "host_chamber_id", "require_host_acceptance", "invitation_deadline",
    // The programme, travel and interpreters.
    "programme", "travel_speed_kmh", "min_travel_minutes", "travel_times", "interpreters",
    // The staff's notes for the cultural briefing.
    "briefing_notes"};

bool IsOutputOnly(absl::string_view path) {
  return path == "version" || path == "create_time" || path == "update_time" || path == "plan" ||
         path == "publication" || path == "host_invitations" || path == "invitation_summary" ||
         path == "host_publication";
}

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
}

absl::Status CheckExpectedVersion(int64_t expected_version) {
  if (expected_version < 0) {
    return absl::InvalidArgumentError("expected_version: must not be negative");
  }
  return absl::OkStatus();
}

absl::Status CheckMask(const FieldMask& mask) {
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (path == kReplaceAll) continue;
    if (path == "id") {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": 'id' cannot be changed; it names the delegation to update"));
    }
    if (IsOutputOnly(path)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": '", path, "' is output only"));
    }
    if (std::find(kWritableFields.begin(), kWritableFields.end(), path) == kWritableFields.end()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": '", path,
                                                     "' is not a writable field of Delegation (",
                                                     absl::StrJoin(kWritableFields, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status CorruptDelegation(absl::string_view id) {
  return absl::DataLossError(absl::StrCat("stored delegation '", id, "' does not parse"));
}

}  // namespace

bool IsWritableDelegationField(absl::string_view name) {
  return std::find(kWritableFields.begin(), kWritableFields.end(), name) != kWritableFields.end();
}

absl::StatusOr<std::unique_ptr<DelegationStore>> DelegationStore::Open(
    std::shared_ptr<Database> database, const DelegationStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database is required");
  if (options.reference == nullptr) {
    return absl::InvalidArgumentError("DelegationStoreOptions.reference is required");
  }
  if (database->has_delegation_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a DelegationStore is already open over the database in ", database->dir()));
  }
  if (!options.sync_writes) database->sync_wal_on_close_ = true;
  return std::unique_ptr<DelegationStore>(new DelegationStore(std::move(database), options));
}

DelegationStore::DelegationStore(std::shared_ptr<Database> database,
                                 const DelegationStoreOptions& options)
    : database_(std::move(database)), options_(options) {}

DelegationStore::~DelegationStore() { database_->has_delegation_store_ = false; }

absl::StatusOr<Delegation> DelegationStore::Read(absl::string_view id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(rocksdb::ReadOptions(), database_->delegations(),
                                                rocksdb::Slice(id.data(), id.size()), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("delegation '", id, "' not found"));
  }
  if (absl::Status s = FromRocksDb(status, "read delegation"); !s.ok()) return s;
  Delegation delegation;
  if (!delegation.ParseFromString(value)) return CorruptDelegation(id);
  return delegation;
}

absl::StatusOr<Delegation> DelegationStore::ReadExpecting(absl::string_view id,
                                                          int64_t expected_version) {
  absl::StatusOr<Delegation> stored = Read(id);
  if (!stored.ok()) return stored.status();
  if (expected_version > 0 && stored->version() != expected_version) {
    return absl::AbortedError(absl::StrCat("delegation '", id, "' is at version ",
                                           stored->version(), ", not ", expected_version,
                                           "; read it again and retry"));
  }
  return stored;
}

absl::StatusOr<std::optional<Delegation>> DelegationStore::Answered(
    const RequestTicket* ticket) const {
  return RequestIdStore::FindAnswer<Delegation>(*database_, ticket);
}

absl::Status DelegationStore::Write(const Delegation& delegation, const RequestTicket* ticket,
                                    std::vector<socio::v1::Notification> notifications) {
  const std::string bytes = delegation.SerializeAsString();
  rocksdb::WriteBatch batch;
  // WriteBatch appends fail only past a size limit we do not set.
  rocksdb::Status ignored = batch.Put(database_->delegations(), delegation.id(), bytes);
  (void)ignored;
  if (ticket != nullptr) RequestIdStore::AddTo(*database_, *ticket, bytes, absl::Now(), &batch);
  if (!notifications.empty()) {
    return options_.notifications->Commit(&batch, std::move(notifications), options_.sync_writes);
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  return FromRocksDb(database_->db()->Write(write_options, &batch), "write delegation");
}

absl::StatusOr<Delegation> DelegationStore::Create(Delegation delegation,
                                                   const RequestTicket* ticket) {
  delegation.clear_version();
  delegation.clear_create_time();
  delegation.clear_update_time();
  delegation.clear_plan();
  delegation.clear_publication();
  delegation.clear_host_invitations();
  delegation.clear_invitation_summary();
  delegation.clear_host_publication();
  // Unknown fields would be stored as sent, past every limit: dropped, at every depth.
  delegation.DiscardUnknownFields();
  if (absl::Status s = ValidateDelegation(delegation, *options_.reference); !s.ok()) return s;

  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<Delegation>> answered = Answered(ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **std::move(answered);
  if (absl::StatusOr<Delegation> stored = Read(delegation.id()); stored.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("delegation.id: a delegation with id '", delegation.id(), "' already exists"));
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  delegation.set_version(1);
  *delegation.mutable_create_time() = Now();
  *delegation.mutable_update_time() = delegation.create_time();
  if (absl::Status s = Write(delegation, ticket); !s.ok()) return s;
  return delegation;
}

absl::StatusOr<Delegation> DelegationStore::Get(absl::string_view id) const {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  return Read(id);
}

absl::StatusOr<Delegation> DelegationStore::Update(const Delegation& patch, const FieldMask& mask,
                                                   int64_t expected_version) {
  if (absl::Status s = ValidateId("delegation.id", patch.id()); !s.ok()) return s;
  if (absl::Status s = CheckExpectedVersion(expected_version); !s.ok()) return s;
  if (absl::Status s = CheckMask(mask); !s.ok()) return s;
  absl::StatusOr<FieldMask> effective_mask =
      ResolveUpdateMask(patch, mask, "delegation", [](absl::string_view path) {
        return std::find(kWritableFields.begin(), kWritableFields.end(), path) !=
               kWritableFields.end();
      });
  if (!effective_mask.ok()) return effective_mask.status();

  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<Delegation> stored = ReadExpecting(patch.id(), expected_version);
  if (!stored.ok()) return stored.status();
  Delegation updated = *stored;
  FieldMaskUtil::MergeOptions merge_options;
  merge_options.set_replace_message_fields(true);
  merge_options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, *effective_mask, merge_options, &updated);
  // The patch's messages come with their unknown fields (see Create).
  updated.DiscardUnknownFields();
  if (absl::Status s = ValidateDelegation(updated, *options_.reference); !s.ok()) return s;
  // A host removed while its invitation is pending is no longer invited.
  if (WithdrawUnnamed(&updated, absl::Now())) {
    *updated.mutable_invitation_summary() = CountInvitations(updated);
  }
  updated.set_version(stored->version() + 1);
  *updated.mutable_update_time() = Now();
  if (absl::Status s = Write(updated, /*ticket=*/nullptr); !s.ok()) return s;
  return updated;
}

absl::Status DelegationStore::Delete(absl::string_view id, int64_t expected_version) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  if (absl::Status s = CheckExpectedVersion(expected_version); !s.ok()) return s;
  absl::MutexLock lock(&write_mu_);
  if (absl::Status s = ReadExpecting(id, expected_version).status(); !s.ok()) return s;
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  return FromRocksDb(database_->db()->Delete(write_options, database_->delegations(),
                                             rocksdb::Slice(id.data(), id.size())),
                     "delete delegation");
}

bool DelegationNamesCompany(const Delegation& delegation, absl::string_view member_id) {
  for (const socio::v1::Participant& p : delegation.delegates()) {
    if (p.member_id() == member_id) return true;
  }
  for (const socio::v1::Participant& p : delegation.hosts()) {
    if (p.member_id() == member_id) return true;
  }
  for (const socio::v1::MeetingPair& pair : delegation.pairs()) {
    if (pair.delegate_id() == member_id || pair.host_id() == member_id) return true;
  }
  return absl::c_linear_search(delegation.plan().host_ids(), member_id);
}

absl::StatusOr<std::pair<std::vector<Delegation>, std::string>> DelegationStore::List(
    absl::string_view chamber_id, absl::string_view member_id, int page_size,
    absl::string_view page_token) const {
  if (!chamber_id.empty()) {
    if (absl::Status s = ValidateId("chamber_id", chamber_id); !s.ok()) return s;
  }
  if (!member_id.empty()) {
    if (absl::Status s = ValidateId("member_id", member_id); !s.ok()) return s;
  }
  // Tokens of lists by chamber alone read as they always did.
  std::vector<std::string> filters = {std::string(chamber_id)};
  if (!member_id.empty()) filters.emplace_back(member_id);
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: ", page_size, " is outside [0, ",
                                                   kMaxPageSize, "] (0 means ", kDefaultPageSize,
                                                   ")"));
  }
  const size_t limit = page_size == 0 ? kDefaultPageSize : page_size;
  std::string after_id;
  if (!page_token.empty()) {
    absl::StatusOr<std::string> decoded = internal::DecodePageToken(
        page_token, "d1", filters, "another chamber_id or member_id; pass the same ones");
    if (!decoded.ok()) return decoded.status();
    after_id = *std::move(decoded);
  }

  std::pair<std::vector<Delegation>, std::string> page;
  std::vector<Delegation>& delegations = page.first;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->delegations()));
  it->Seek(after_id);
  if (!after_id.empty() && it->Valid() && it->key() == rocksdb::Slice(after_id)) it->Next();
  for (; it->Valid(); it->Next()) {
    Delegation delegation;
    if (!delegation.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return CorruptDelegation(it->key().ToString());
    }
    if (!chamber_id.empty() && delegation.chamber_id() != chamber_id &&
        delegation.host_chamber_id() != chamber_id) {
      continue;
    }
    if (!member_id.empty() && !DelegationNamesCompany(delegation, member_id)) continue;
    // A token only when another delegation follows: empty on the last page.
    if (delegations.size() == limit) {
      page.second = internal::EncodePageToken("d1", filters, delegations.back().id());
      break;
    }
    delegations.push_back(std::move(delegation));
  }
  if (absl::Status s = FromRocksDb(it->status(), "list delegations"); !s.ok()) return s;
  return page;
}

absl::StatusOr<Delegation> DelegationStore::SetPlan(absl::string_view id, int64_t expected_version,
                                                    DelegationPlan plan,
                                                    const RequestTicket* ticket) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  if (absl::Status s = CheckExpectedVersion(expected_version); !s.ok()) return s;
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<Delegation>> answered = Answered(ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **std::move(answered);
  absl::StatusOr<Delegation> stored = ReadExpecting(id, expected_version);
  if (!stored.ok()) return stored.status();
  *stored->mutable_plan() = std::move(plan);
  stored->set_version(stored->version() + 1);
  *stored->mutable_update_time() = Now();
  if (absl::Status s = Write(*stored, ticket); !s.ok()) return s;
  return stored;
}

absl::StatusOr<Delegation> DelegationStore::Publish(absl::string_view id, int64_t expected_version,
                                                    const PublishNotices& notices,
                                                    const RequestTicket* ticket, bool host_side) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  if (absl::Status s = CheckExpectedVersion(expected_version); !s.ok()) return s;
  if (options_.notifications == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "delegation '", id,
        "' cannot be published by this server: it keeps no notification outbox beside its "
        "delegations (as a planner-only server does), so it could not tell the participants"));
  }
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<Delegation>> answered = Answered(ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **std::move(answered);
  absl::StatusOr<Delegation> stored = ReadExpecting(id, expected_version);
  if (!stored.ok()) return stored.status();
  if (!stored->has_plan()) {
    return absl::FailedPreconditionError(
        absl::StrCat("delegation '", id, "' has no plan to publish: plan it first"));
  }
  if (stored->plan().delegation_version() + 1 != stored->version()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "delegation '", id, "' changed since its plan was made (the plan is from version ",
        stored->plan().delegation_version(), ", the delegation is at version ", stored->version(),
        "): plan it again, then publish"));
  }
  std::vector<socio::v1::Notification> notifications;
  if (notices) notifications = notices(*stored);
  socio::v1::PlanPublication& publication =
      host_side ? *stored->mutable_host_publication() : *stored->mutable_publication();
  publication.set_notified(
      static_cast<int32_t>(absl::c_count_if(notifications, [&](const socio::v1::Notification& n) {
        return !absl::StartsWith(n.recipient(), kStaffRecipientPrefix);
      })));
  publication.set_publish_count(publication.publish_count() + 1);
  *publication.mutable_publish_time() = Now();
  publication.set_delegation_version(stored->version());
  *publication.mutable_plan_time() = stored->plan().plan_time();
  *publication.mutable_meetings() = stored->plan().meetings();
  if (absl::Status s = Write(*stored, ticket, std::move(notifications)); !s.ok()) return s;
  return stored;
}

absl::StatusOr<Delegation> DelegationStore::ChangeInvitations(absl::string_view id,
                                                              const InvitationChange& change,
                                                              const RequestTicket* ticket) {
  if (absl::Status s = ValidateId("delegation_id", id); !s.ok()) return s;
  if (options_.notifications == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "delegation '", id,
        "': this server keeps no notification outbox beside its delegations (as a planner-only "
        "server does), so it could not tell the hosts; invite them through a full server"));
  }
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<Delegation>> answered = Answered(ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) {
    return absl::AbortedError(absl::StrCat("request_id '", ticket->request_id(),
                                           "' was answered while this call ran; send it again"));
  }
  absl::StatusOr<Delegation> stored = Read(id);
  if (!stored.ok()) return stored.status();
  Delegation changed = *stored;
  absl::StatusOr<InvitationWrite> write = change(&changed);
  if (!write.ok()) return write.status();
  *changed.mutable_invitation_summary() = CountInvitations(changed);
  // Answers change whom the planner schedules only when acceptance is required.
  if (changed.require_host_acceptance()) {
    changed.set_version(stored->version() + 1);
    *changed.mutable_update_time() = Now();
  }
  std::string answer;
  if (ticket != nullptr && write->answer) answer = write->answer(changed);
  rocksdb::WriteBatch batch;
  rocksdb::Status ignored =
      batch.Put(database_->delegations(), changed.id(), changed.SerializeAsString());
  (void)ignored;
  if (ticket != nullptr) RequestIdStore::AddTo(*database_, *ticket, answer, absl::Now(), &batch);
  if (absl::Status s = options_.notifications->Commit(&batch, std::move(write->notifications),
                                                      options_.sync_writes);
      !s.ok()) {
    return s;
  }
  return changed;
}

absl::StatusOr<int> DelegationStore::SweepInvitations(absl::Time now, int max_notifications) {
  if (options_.notifications == nullptr) return 0;
  std::vector<std::string> due;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        database_->db()->NewIterator(rocksdb::ReadOptions(), database_->delegations()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      Delegation d;
      if (!d.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return CorruptDelegation(it->key().ToString());
      }
      if (!storage::SweepInvitations(&d, now).empty()) due.push_back(d.id());
    }
    if (absl::Status s = FromRocksDb(it->status(), "sweep invitations"); !s.ok()) return s;
  }
  int written = 0;
  for (const std::string& id : due) {
    if (written >= max_notifications) break;
    absl::StatusOr<Delegation> swept = ChangeInvitations(
        id,
        [&](Delegation* d) -> absl::StatusOr<InvitationWrite> {
          InvitationWrite write;
          write.notifications = storage::SweepInvitations(d, now);
          written += static_cast<int>(write.notifications.size());
          return write;
        },
        /*ticket=*/nullptr);
    // A delegation deleted since it was read has nothing due.
    if (!swept.ok() && !absl::IsNotFound(swept.status())) return swept.status();
  }
  return written;
}

}  // namespace socio::storage
