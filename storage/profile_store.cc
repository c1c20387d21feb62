#include "storage/profile_store.h"

#include <openssl/rand.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/encoding.h"
#include "storage/internal/page_token.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"
#include "storage/profile_order.h"
#include "storage/profile_validation.h"
#include "storage/token_store.h"
#include "storage/update_mask.h"

namespace socio::storage {
namespace {

// What a request's ticket is held under in commits_, apart from every profile
// id (ids never hold a NUL).
std::string TicketKey(const RequestTicket& ticket) {
  return absl::StrCat(absl::string_view("\0ticket\0", 8), ticket.request_id());
}

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using internal::DecodeSequenceKey;
using internal::FromRocksDb;
using internal::SequenceKey;
using internal::ToTimestamp;
using socio::v1::Profile;
using socio::v1::ProfileChange;

// Chamber index key: chamber id, a NUL (never in an id), profile id. Entries of
// one chamber are contiguous and ordered by profile id.
std::string ChamberKey(absl::string_view chamber_id, absl::string_view id) {
  return absl::StrCat(chamber_id, absl::string_view("\0", 1), id);
}

// The fields a client may never write.
bool IsProtectedPath(absl::string_view path) {
  return path == "id" || path == "version" || path == "create_time" || path == "update_time" ||
         path == "handle";
}

// A new handle: kHandlePrefix and 16 characters of RFC 4648 base32 (lower
// case) from 80 random bits.
absl::StatusOr<std::string> NewHandle() {
  unsigned char bytes[10];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError("the system's random number generator failed");
  }
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string handle(kHandlePrefix);
  for (int bit = 0; bit < 80; bit += 5) {
    int value = 0;
    for (int k = 0; k < 5; ++k) {
      const int b = bit + k;
      value = (value << 1) | ((bytes[b / 8] >> (7 - b % 8)) & 1);
    }
    handle.push_back(kAlphabet[value]);
  }
  return handle;
}

absl::Status CorruptProfile(absl::string_view id) {
  return absl::DataLossError(absl::StrCat("stored profile '", id, "' does not parse"));
}

bool Matches(const Profile& p, const ProfileQuery& query, const reference::NaceCatalog& nace) {
  if (!query.country.empty() && p.country() != query.country) return false;
  if (query.keep && !query.keep(p)) return false;
  if (query.sector_prefix.empty()) return true;
  return std::any_of(p.sectors().begin(), p.sectors().end(), [&](const std::string& code) {
    return nace.Under(code, query.sector_prefix);
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Open(
    const std::string& dir, const ProfileStoreOptions& options) {
  if (options.reference == nullptr) {
    return absl::InvalidArgumentError("ProfileStoreOptions.reference is required");
  }
  absl::StatusOr<std::shared_ptr<Database>> database = Database::Open(dir, {.env = options.env});
  if (!database.ok()) return database.status();
  return Open(*std::move(database), options);
}

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Open(
    std::shared_ptr<Database> database, const ProfileStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database is required");
  if (options.reference == nullptr) {
    return absl::InvalidArgumentError("ProfileStoreOptions.reference is required");
  }
  if (options.tokens != nullptr && options.tokens->database_ != database) {
    return absl::InvalidArgumentError(
        "ProfileStoreOptions.tokens must be open over the same database as the profiles");
  }
  if (options.tokens != nullptr &&
      (options.tokens->options_.cluster == nullptr) != (options.cluster == nullptr)) {
    return absl::InvalidArgumentError(
        "ProfileStoreOptions.tokens must be in cluster mode if and only if the profiles are");
  }
  if ((options.view == nullptr) != (options.cluster == nullptr)) {
    return absl::InvalidArgumentError(
        "ProfileStoreOptions.view and .cluster go together (cluster mode) or not at all");
  }
  if (database->has_profile_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a ProfileStore is already open over the database in ", database->dir()));
  }
  uint64_t last_sequence = 0;
  uint64_t log_start = 0;
  bool log_start_empty = false;
  std::unique_ptr<rocksdb::Iterator> it(
      database->db()->NewIterator(rocksdb::ReadOptions(), database->profile_changes()));
  it->SeekToLast();
  if (it->Valid() && it->key().size() == 8) {
    last_sequence = DecodeSequenceKey(internal::View(it->key()));
  }
  absl::Status status = FromRocksDb(it->status(), "read end of change log");
  it.reset();
  if (status.ok()) {
    std::string stored;
    rocksdb::Status s = database->db()->Get(rocksdb::ReadOptions(), database->profile_changes(),
                                            internal::ToSlice(kLogStartKey), &stored);
    if (s.ok() && (stored.size() == 8 || (stored.size() == 9 && stored[8] == kEmptyStart))) {
      log_start = DecodeSequenceKey(stored);
      log_start_empty = stored.size() == 9;
      last_sequence = std::max(last_sequence, log_start);
    } else if (s.ok()) {
      status = absl::DataLossError("the change log's start is damaged");
    } else if (!s.IsNotFound()) {
      status = FromRocksDb(s, "read start of change log");
    }
  }
  if (!status.ok()) {
    database->has_profile_store_ = false;
    return status;
  }
  if (!options.sync_writes) database->sync_wal_on_close_ = true;
  return std::unique_ptr<ProfileStore>(
      new ProfileStore(options, std::move(database), last_sequence, log_start, log_start_empty));
}

ProfileStore::ProfileStore(const ProfileStoreOptions& options, std::shared_ptr<Database> database,
                           uint64_t last_sequence, uint64_t log_start, bool log_start_empty)
    : options_(options),
      validator_(options.reference),
      database_(std::move(database)),
      next_sequence_(last_sequence + 1),
      commits_(database_->db(), database_->families(), options.sync_writes, &write_mu_,
               "write profiles",
               {.on_written = [this](uint64_t last) { Publish(last); },
                .on_failed =
                    [this](uint64_t first) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                      // Nothing of those batches is stored: their numbers were never used.
                      next_sequence_ = first;
                    }}),
      last_sequence_(last_sequence),
      log_start_(log_start),
      log_start_empty_(log_start_empty) {
  if (options_.view != nullptr) Listen();
}

uint64_t ProfileStore::AppendChange(rocksdb::WriteBatch& batch, ProfileChange::Kind kind,
                                    const std::string& profile_bytes, absl::Time commit_time) {
  const uint64_t sequence = next_sequence_++;
  AddChange(batch, sequence, kind, profile_bytes, commit_time);
  return sequence;
}

void ProfileStore::AddChange(rocksdb::WriteBatch& batch, uint64_t sequence,
                             ProfileChange::Kind kind, const std::string& profile_bytes,
                             absl::Time commit_time) const {
  ProfileChange change;
  change.set_sequence(sequence);
  change.set_kind(kind);
  *change.mutable_commit_time() = ToTimestamp(commit_time);
  // The profile goes in as the bytes already serialized for the profiles
  // family: field 3, length-delimited. Fields may come in any order on the wire.
  std::string value = change.SerializeAsString();
  {
    google::protobuf::io::StringOutputStream stream(&value);
    google::protobuf::io::CodedOutputStream out(&stream);
    google::protobuf::internal::WireFormatLite::WriteBytes(ProfileChange::kProfileFieldNumber,
                                                           profile_bytes, &out);
  }
  // Appending to a WriteBatch fails only past its size limit, which we do not set.
  rocksdb::Status ignored =
      batch.Put(database_->profile_changes(), SequenceKey(change.sequence()), value);
  (void)ignored;
}

void ProfileStore::AddRows(const Profile* before, const Profile* after,
                           const std::string& after_bytes, rocksdb::WriteBatch& batch) const {
  rocksdb::Status ignored;  // WriteBatch appends fail only past a size limit we do not set.
  if (before != nullptr && (after == nullptr || before->chamber_id() != after->chamber_id())) {
    ignored = batch.Delete(database_->profiles_by_chamber(),
                           ChamberKey(before->chamber_id(), before->id()));
  }
  if (after == nullptr) {
    ignored = batch.Delete(database_->profiles(), before->id());
    if (!before->handle().empty()) {
      ignored = batch.Delete(database_->profile_handles(), before->handle());
    }
    return;
  }
  if (before == nullptr || before->chamber_id() != after->chamber_id()) {
    ignored = batch.Put(database_->profiles_by_chamber(),
                        ChamberKey(after->chamber_id(), after->id()), "");
  }
  if (before == nullptr || before->handle() != after->handle()) {
    if (before != nullptr && !before->handle().empty()) {
      ignored = batch.Delete(database_->profile_handles(), before->handle());
    }
    ignored = batch.Put(database_->profile_handles(), after->handle(), after->id());
  }
  ignored = batch.Put(database_->profiles(), after->id(), after_bytes);
  (void)ignored;
}

absl::Status ProfileStore::WriteAndPublish(rocksdb::WriteBatch batch, std::vector<std::string> keys,
                                           uint64_t first_sequence) {
  return commits_.Commit(std::move(batch), std::move(keys), first_sequence, next_sequence_ - 1);
}

void ProfileStore::Publish(uint64_t last_sequence) {
  absl::MutexLock lock(&sequence_mu_);
  last_sequence_ = last_sequence;
  sequence_advanced_.SignalAll();
}

absl::StatusOr<Profile> ProfileStore::Read(absl::string_view id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(rocksdb::ReadOptions(), database_->profiles(),
                                                rocksdb::Slice(id.data(), id.size()), &value);
  if (status.IsNotFound()) return absl::NotFoundError(absl::StrCat("profile '", id, "' not found"));
  if (absl::Status s = FromRocksDb(status, "read profile"); !s.ok()) return s;
  Profile profile;
  if (!profile.ParseFromString(value)) return CorruptProfile(id);
  return profile;
}

absl::StatusOr<Profile> ProfileStore::Get(absl::string_view id) const {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  return Read(id);
}

absl::StatusOr<Profile> ProfileStore::Create(Profile profile, const RequestTicket* ticket) {
  std::vector<Profile> items;
  items.push_back(std::move(profile));
  PreparedProfiles batch = Prepare(std::move(items), /*upsert=*/false);
  std::vector<absl::StatusOr<ProfileChange::Kind>> results = Put(&batch, ticket);
  if (!results.front().ok()) return results.front().status();
  return std::move(batch).TakeItems().front();
}

std::vector<absl::StatusOr<ProfileChange::Kind>> ProfileStore::PutMany(std::vector<Profile>* items,
                                                                       bool upsert) {
  PreparedProfiles batch = Prepare(std::move(*items), upsert);
  std::vector<absl::StatusOr<ProfileChange::Kind>> results = PutPrepared(&batch);
  *items = std::move(batch).TakeItems();
  return results;
}

PreparedProfiles ProfileStore::Prepare(std::vector<Profile> items, bool upsert) const {
  PreparedProfiles batch;
  batch.upsert_ = upsert;
  batch.prepared_at_ = absl::Now();
  const google::protobuf::Timestamp now = ToTimestamp(batch.prepared_at_);
  batch.validation_.resize(items.size());
  batch.new_bytes_.resize(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    Profile& item = items[i];
    item.clear_version();
    item.clear_create_time();
    item.clear_update_time();
    item.clear_handle();
    batch.validation_[i] = validator_.Normalize(&item);
    if (!batch.validation_[i].ok()) continue;
    absl::StatusOr<std::string> handle = NewHandle();
    if (!handle.ok()) {
      batch.validation_[i] = handle.status();
      continue;
    }
    item.set_handle(*std::move(handle));
    // The stored form of a new profile; PutPrepared redoes it for the ids that exist.
    item.set_version(1);
    *item.mutable_create_time() = now;
    *item.mutable_update_time() = now;
    batch.new_bytes_[i] = item.SerializeAsString();
  }
  batch.items_ = std::move(items);
  return batch;
}

std::vector<absl::StatusOr<ProfileChange::Kind>> ProfileStore::PutPrepared(
    PreparedProfiles* prepared) {
  return Put(prepared, /*ticket=*/nullptr);
}

absl::StatusOr<ProfileChange::Kind> ProfileStore::StoredForm(const Profile* stored, bool upsert,
                                                             Profile& item, std::string* bytes) {
  if (stored == nullptr) return ProfileChange::CREATED;  // Prepare made its bytes
  if (!upsert) {
    return absl::AlreadyExistsError(
        absl::StrCat("profile.id: a profile with id '", item.id(), "' already exists"));
  }
  item.set_version(stored->version() + 1);
  *item.mutable_create_time() = stored->create_time();
  // A handle never changes; a profile stored before handles gets one now.
  if (!stored->handle().empty()) item.set_handle(stored->handle());
  *bytes = item.SerializeAsString();
  return ProfileChange::UPDATED;
}

std::vector<absl::StatusOr<ProfileChange::Kind>> ProfileStore::Put(PreparedProfiles* prepared,
                                                                   const RequestTicket* ticket) {
  if (options_.cluster != nullptr) return PutInCluster(prepared, ticket);
  std::vector<Profile>& items = prepared->items_;
  std::vector<absl::StatusOr<ProfileChange::Kind>> results(items.size(),
                                                           absl::UnknownError("not processed"));
  std::vector<size_t> valid;
  valid.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (prepared->validation_[i].ok()) {
      valid.push_back(i);
    } else {
      results[i] = prepared->validation_[i];
    }
  }
  if (valid.empty()) return results;
  // Memtable inserts in key order each start where the one before ended, which
  // makes a batch's inserts much cheaper than in arrival order. Stable: of two
  // items with one id, the earlier is taken and the later rejected.
  std::stable_sort(valid.begin(), valid.end(),
                   [&](size_t a, size_t b) { return items[a].id() < items[b].id(); });

  // The ids this write reads and writes, and its ticket: queued writes of
  // any of them must be committed before this one reads what is stored.
  std::vector<std::string> keys;
  keys.reserve(valid.size() + 1);
  for (size_t i : valid) keys.push_back(items[i].id());
  if (ticket != nullptr) keys.push_back(TicketKey(*ticket));

  absl::MutexLock lock(&write_mu_);
  commits_.AwaitKeys(keys);
  if (ticket != nullptr) {
    // A retry that raced its first try past the service's look-up finds the
    // answer here, under the lock the first try wrote it under.
    absl::StatusOr<std::optional<std::string>> first =
        RequestIdStore::Find(*database_, *ticket, absl::Now());
    if (!first.ok()) {
      results[valid.front()] = first.status();
      return results;
    }
    if (first->has_value()) {
      Profile& item = items[valid.front()];
      if (!item.ParseFromString(**first)) {
        results[valid.front()] = CorruptProfile(item.id());
      } else {
        results[valid.front()] = ProfileChange::CREATED;
      }
      return results;
    }
  }
  // One multi-get for the stored versions of every valid item.
  std::vector<rocksdb::Slice> id_slices;
  id_slices.reserve(valid.size());
  for (size_t i : valid) id_slices.emplace_back(items[i].id());
  std::vector<rocksdb::PinnableSlice> values(valid.size());
  std::vector<rocksdb::Status> statuses(valid.size());
  database_->db()->MultiGet(rocksdb::ReadOptions(), database_->profiles(), id_slices.size(),
                            id_slices.data(), values.data(), statuses.data());

  const uint64_t first_sequence = next_sequence_;
  rocksdb::WriteBatch batch;
  std::vector<std::string> index_puts;  // written last, in key order too
  absl::flat_hash_set<absl::string_view> in_batch;
  std::vector<std::pair<size_t, ProfileChange::Kind>> accepted;
  for (size_t k = 0; k < valid.size(); ++k) {
    const size_t i = valid[k];
    Profile& item = items[i];
    if (!in_batch.insert(item.id()).second) {
      results[i] = absl::AlreadyExistsError(
          absl::StrCat("profile.id: '", item.id(), "' appears earlier in the same import"));
      continue;
    }
    const bool exists = statuses[k].ok();
    if (!exists && !statuses[k].IsNotFound()) {
      results[i] = FromRocksDb(statuses[k], "read profile");
      continue;
    }
    Profile stored;
    if (exists && !stored.ParseFromArray(values[k].data(), static_cast<int>(values[k].size()))) {
      results[i] = CorruptProfile(item.id());
      continue;
    }
    absl::StatusOr<ProfileChange::Kind> kind =
        StoredForm(exists ? &stored : nullptr, prepared->upsert_, item, &prepared->new_bytes_[i]);
    if (!kind.ok()) {
      results[i] = kind.status();
      continue;
    }
    // WriteBatch appends fail only past a size limit we do not set.
    rocksdb::Status ignored;
    if (exists) {
      if (stored.chamber_id() != item.chamber_id()) {
        ignored = batch.Delete(database_->profiles_by_chamber(),
                               ChamberKey(stored.chamber_id(), item.id()));
      }
    }
    if (!exists || stored.chamber_id() != item.chamber_id()) {
      index_puts.push_back(ChamberKey(item.chamber_id(), item.id()));
    }
    if (!exists || stored.handle().empty()) {
      ignored = batch.Put(database_->profile_handles(), item.handle(), item.id());
    }
    const std::string& bytes = prepared->new_bytes_[i];
    ignored = batch.Put(database_->profiles(), item.id(), bytes);
    (void)ignored;
    AppendChange(batch, *kind, bytes, prepared->prepared_at_);
    accepted.emplace_back(i, *kind);
  }
  if (accepted.empty()) return results;
  if (ticket != nullptr) {
    RequestIdStore::AddTo(*database_, *ticket, prepared->new_bytes_[accepted.front().first],
                          absl::Now(), &batch);
  }
  std::sort(index_puts.begin(), index_puts.end());
  for (const std::string& key : index_puts) {
    rocksdb::Status ignored = batch.Put(database_->profiles_by_chamber(), key, "");
    (void)ignored;  // WriteBatch appends fail only past a size limit we do not set.
  }
  absl::Status written = WriteAndPublish(std::move(batch), std::move(keys), first_sequence);
  for (const auto& [i, kind] : accepted) {
    if (written.ok()) {
      results[i] = kind;
    } else {
      results[i] = written;
    }
  }
  return results;
}

absl::StatusOr<FieldMask> ProfileStore::CheckUpdate(const Profile& patch, const FieldMask& mask,
                                                    int64_t expected_version) {
  if (absl::Status s = ValidateId("profile.id", patch.id()); !s.ok()) return s;
  if (expected_version < 0) {
    return absl::InvalidArgumentError("expected_version: must not be negative");
  }
  absl::StatusOr<FieldMask> resolved = ResolveUpdateMask(
      patch, mask, "profile", [](absl::string_view path) { return !IsProtectedPath(path); });
  if (!resolved.ok()) return resolved.status();
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (path == kReplaceAll) continue;
    if (IsProtectedPath(path)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": '", path, "' cannot be written (id and output-only fields)"));
    }
    if (!FieldMaskUtil::IsValidPath<Profile>(path)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": '", path, "' is not a field of Profile"));
    }
  }
  return resolved;
}

absl::Status ProfileStore::CheckVersion(const Profile& stored, int64_t expected_version) {
  if (expected_version == 0 || stored.version() == expected_version) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("profile '", stored.id(), "' is at version ",
                                         stored.version(), ", not ", expected_version,
                                         "; read it again and retry"));
}

absl::StatusOr<Profile> ProfileStore::Patched(const Profile& stored, const Profile& patch,
                                              const FieldMask& resolved, int64_t expected_version,
                                              absl::Time now) const {
  if (absl::Status s = CheckVersion(stored, expected_version); !s.ok()) return s;
  Profile updated = stored;
  FieldMaskUtil::MergeOptions merge_options;
  merge_options.set_replace_message_fields(true);
  merge_options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, resolved, merge_options, &updated);
  if (absl::Status s = validator_.Normalize(&updated); !s.ok()) return s;
  updated.set_version(stored.version() + 1);
  *updated.mutable_create_time() = stored.create_time();
  *updated.mutable_update_time() = ToTimestamp(now);
  if (stored.handle().empty()) {  // stored before handles
    absl::StatusOr<std::string> handle = NewHandle();
    if (!handle.ok()) return handle.status();
    updated.set_handle(*std::move(handle));
  }
  return updated;
}

absl::StatusOr<Profile> ProfileStore::Update(const Profile& patch, const FieldMask& mask,
                                             int64_t expected_version) {
  absl::StatusOr<FieldMask> resolved = CheckUpdate(patch, mask, expected_version);
  if (!resolved.ok()) return resolved.status();
  if (options_.cluster != nullptr) return UpdateInCluster(patch, *resolved, expected_version);

  absl::MutexLock lock(&write_mu_);
  commits_.AwaitKeys({patch.id()});
  absl::StatusOr<Profile> stored = Read(patch.id());
  if (!stored.ok()) return stored.status();
  const absl::Time now = absl::Now();
  absl::StatusOr<Profile> updated = Patched(*stored, patch, *resolved, expected_version, now);
  if (!updated.ok()) return updated.status();

  const uint64_t first_sequence = next_sequence_;
  rocksdb::WriteBatch batch;
  const std::string bytes = updated->SerializeAsString();
  AddRows(&*stored, &*updated, bytes, batch);
  AppendChange(batch, ProfileChange::UPDATED, bytes, now);
  if (absl::Status s = WriteAndPublish(std::move(batch), {updated->id()}, first_sequence); !s.ok())
    return s;
  return updated;
}

absl::StatusOr<uint64_t> ProfileStore::Delete(absl::string_view id, int64_t expected_version) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  if (expected_version < 0) {
    return absl::InvalidArgumentError("expected_version: must not be negative");
  }
  if (options_.cluster != nullptr) return DeleteInCluster(id, expected_version);
  absl::MutexLock lock(&write_mu_);
  commits_.AwaitKeys({std::string(id)});
  absl::StatusOr<Profile> stored = Read(id);
  if (!stored.ok()) return stored.status();
  if (absl::Status s = CheckVersion(*stored, expected_version); !s.ok()) return s;
  const absl::Time now = absl::Now();
  rocksdb::WriteBatch batch;
  std::vector<std::string> revoked_tokens;
  if (options_.tokens != nullptr) {
    if (absl::Status s = options_.tokens->AddMemberRevocations(stored->id(), ToTimestamp(now),
                                                               batch, &revoked_tokens);
        !s.ok()) {
      return s;
    }
  }
  const uint64_t first_sequence = next_sequence_;
  AddRows(&*stored, nullptr, "", batch);
  const uint64_t sequence =
      AppendChange(batch, ProfileChange::DELETED, stored->SerializeAsString(), now);
  if (absl::Status s = WriteAndPublish(std::move(batch), {stored->id()}, first_sequence); !s.ok())
    return s;
  // A check between the first forget and the write may have kept the
  // records as they were.
  for (const std::string& token_id : revoked_tokens) options_.tokens->Forget(token_id);
  return sequence;
}

absl::StatusOr<std::string> ProfileStore::IdOfHandle(absl::string_view handle) const {
  std::string id;
  rocksdb::Status status = database_->db()->Get(
      rocksdb::ReadOptions(), database_->profile_handles(), internal::ToSlice(handle), &id);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no profile has the handle '", handle, "'"));
  }
  if (absl::Status s = FromRocksDb(status, "read a handle"); !s.ok()) return s;
  return id;
}

absl::StatusOr<ProfilePage> ProfileStore::List(const ProfileQuery& query) const {
  if (!query.chamber_id.empty()) {
    if (absl::Status s = ValidateId("chamber_id", query.chamber_id); !s.ok()) return s;
  }
  if (!query.country.empty()) {
    if (absl::Status s = validator_.CheckCountry("country", query.country); !s.ok()) return s;
  }
  if (!query.sector_prefix.empty()) {
    absl::StatusOr<std::string> canonical =
        validator_.CanonicalSector("sector_prefix", query.sector_prefix);
    if (!canonical.ok()) return canonical.status();
    if (*canonical != query.sector_prefix) {
      return absl::InvalidArgumentError(
          absl::StrCat("sector_prefix: write '", query.sector_prefix, "' as '", *canonical, "'"));
    }
  }
  absl::StatusOr<TextQuery> text = TextQuery::Parse(query.query);
  if (!text.ok()) return text.status();
  absl::StatusOr<ProfileOrder> order = ProfileOrder::Parse(query.order_by);
  if (!order.ok()) return order.status();
  if (query.page_size < 0 || query.page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: ", query.page_size,
                                                   " is outside [0, ", kMaxPageSize, "] (0 means ",
                                                   kDefaultPageSize, ")"));
  }
  const int page_size = query.page_size == 0 ? kDefaultPageSize : query.page_size;
  // The id-ordered pages without a count keep their own kind of token: they
  // seek to it instead of reading the scope.
  const bool seek = order->by_id() && !query.count_total;
  const std::string kind = seek ? "p1" : "p2";
  const std::vector<std::string> filters = {query.chamber_id,    query.country,
                                            query.sector_prefix, query.query,
                                            query.order_by,      query.count_total ? "total" : ""};
  std::string after;  // position of the last profile of the previous page
  if (!query.page_token.empty()) {
    absl::StatusOr<std::string> decoded = internal::DecodePageToken(
        query.page_token, kind, filters,
        "other filters; pass the same chamber_id, country, sector_prefix, query, order_by and "
        "include_total_size");
    if (!decoded.ok()) return decoded.status();
    after = *std::move(decoded);
  }

  // One snapshot for the index and the profiles it points at.
  rocksdb::ReadOptions read_options;
  const rocksdb::Snapshot* snapshot = database_->db()->GetSnapshot();
  read_options.snapshot = snapshot;
  struct SnapshotRelease {
    rocksdb::DB* db;
    const rocksdb::Snapshot* snapshot;
    ~SnapshotRelease() { db->ReleaseSnapshot(snapshot); }
  } release{database_->db(), snapshot};

  const bool by_chamber = !query.chamber_id.empty();
  const std::string prefix = by_chamber ? ChamberKey(query.chamber_id, "") : "";
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(
      read_options, by_chamber ? database_->profiles_by_chamber() : database_->profiles()));
  const std::string start = seek ? prefix + after : prefix;
  it->Seek(start);
  if (seek && !after.empty() && it->Valid() && it->key() == rocksdb::Slice(start)) it->Next();

  // Calls `visit` with each profile of the scope from `start` that matches
  // the query; stops when it returns false.
  int64_t scanned = 0;
  const auto for_each_match = [&](const auto& visit) -> absl::Status {
    for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (!seek && ++scanned > kMaxScannedForOrder) {
        return absl::ResourceExhaustedError(absl::StrCat(
            order->by_id() ? "include_total_size" : "order_by",
            ": sorting and counting read every profile in scope, and it holds more than ",
            kMaxScannedForOrder, "; name a chamber_id"));
      }
      const absl::string_view id(it->key().data() + prefix.size(),
                                 it->key().size() - prefix.size());
      Profile profile;
      if (by_chamber) {
        std::string value;
        rocksdb::Status status = database_->db()->Get(read_options, database_->profiles(),
                                                      rocksdb::Slice(id.data(), id.size()), &value);
        if (absl::Status s = FromRocksDb(status, "read indexed profile"); !s.ok()) return s;
        if (!profile.ParseFromString(value)) return CorruptProfile(id);
      } else if (!profile.ParseFromArray(it->value().data(),
                                         static_cast<int>(it->value().size()))) {
        return CorruptProfile(id);
      }
      if (!Matches(profile, query, validator_.reference().sectors()) || !text->Matches(profile)) {
        continue;
      }
      if (!visit(std::move(profile))) break;
    }
    return FromRocksDb(it->status(), "list profiles");
  };

  ProfilePage page;
  if (seek) {
    absl::Status s = for_each_match([&](Profile profile) {
      // A token only when another match follows: empty on the last page.
      if (static_cast<int>(page.profiles.size()) == page_size) {
        page.next_page_token = internal::EncodePageToken(kind, filters, page.profiles.back().id());
        return false;
      }
      page.profiles.push_back(std::move(profile));
      return true;
    });
    if (!s.ok()) return s;
    return page;
  }

  // The first page_size + 1 profiles after `after`, in order: a heap whose
  // top is the last of them.
  using Entry = std::pair<std::string, Profile>;
  const auto before = [&](const Entry& a, const Entry& b) {
    return order->Before(a.first, b.first);
  };
  std::vector<Entry> heap;
  absl::Status s = for_each_match([&](Profile profile) {
    ++page.total_size;
    std::string position = order->PositionOf(profile);
    if (!after.empty() && !order->Before(after, position)) return true;
    if (static_cast<int>(heap.size()) == page_size + 1) {
      if (!order->Before(position, heap.front().first)) return true;
      std::pop_heap(heap.begin(), heap.end(), before);
      heap.pop_back();
    }
    heap.emplace_back(std::move(position), std::move(profile));
    std::push_heap(heap.begin(), heap.end(), before);
    return true;
  });
  if (!s.ok()) return s;
  std::sort_heap(heap.begin(), heap.end(), before);
  if (static_cast<int>(heap.size()) > page_size) {
    heap.pop_back();
    page.next_page_token = internal::EncodePageToken(kind, filters, heap.back().first);
  }
  for (Entry& entry : heap) page.profiles.push_back(std::move(entry.second));
  if (!query.count_total) page.total_size = 0;
  return page;
}

absl::Status ProfileStore::ForEachProfile(
    const std::function<absl::Status(const Profile&)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->profiles()));
  Profile profile;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!profile.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return CorruptProfile(it->key().ToString());
    }
    if (absl::Status s = visit(profile); !s.ok()) return s;
  }
  return FromRocksDb(it->status(), "scan profiles");
}

absl::StatusOr<std::vector<ProfileChange>> ProfileStore::ReadChanges(uint64_t after_sequence,
                                                                     size_t max_count) const {
  uint64_t last, start;
  {
    absl::MutexLock lock(&sequence_mu_);
    last = last_sequence_;
    // From 0 after a full read that found nothing, every change is here.
    start = after_sequence == 0 && log_start_empty_ ? 0 : log_start_;
  }
  if (after_sequence > last) {
    return absl::OutOfRangeError(absl::StrCat("after_sequence: ", after_sequence,
                                              " is beyond the end of the change log (", last, ")"));
  }
  if (after_sequence < start) {
    return absl::OutOfRangeError(absl::StrCat(
        "after_sequence: ", after_sequence, " is before the start of this node's change log (",
        start, "; it was read afresh from the cluster): list the profiles again and read on from ",
        "their last_sequence"));
  }
  std::vector<ProfileChange> changes;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->profile_changes()));
  for (it->Seek(SequenceKey(after_sequence + 1)); it->Valid() && changes.size() < max_count;
       it->Next()) {
    ProfileChange& change = changes.emplace_back();
    if (!change.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("change ", DecodeSequenceKey(internal::View(it->key())), " does not parse"));
    }
  }
  if (absl::Status s = FromRocksDb(it->status(), "read change log"); !s.ok()) return s;
  return changes;
}

uint64_t ProfileStore::LastSequence() const {
  absl::MutexLock lock(&sequence_mu_);
  return last_sequence_;
}

uint64_t ProfileStore::LogStart() const {
  absl::MutexLock lock(&sequence_mu_);
  return log_start_;
}

bool ProfileStore::WaitForChangeAfter(uint64_t after_sequence, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&sequence_mu_);
  while (last_sequence_ <= after_sequence) {
    if (sequence_advanced_.WaitWithDeadline(&sequence_mu_, deadline)) break;
  }
  return last_sequence_ > after_sequence;
}

}  // namespace socio::storage
