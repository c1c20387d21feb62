// ProfileStore in cluster mode: writes through the RecordWriter to etcd, and
// the tables that follow the node's RecordView (see "Cluster mode" in
// profile_store.h).
#include <algorithm>
#include <optional>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"
#include "storage/profile_store.h"
#include "storage/token_store.h"

namespace socio::storage {
namespace {

using internal::SequenceKey;
using internal::TimeOf;
using internal::ToTimestamp;
using socio::v1::Profile;
using socio::v1::ProfileChange;

constexpr absl::string_view kClusterPrefix = "socio/profiles/";
// How long a write that keeps losing races to other writes of the same
// profiles is read, checked and tried again before its caller is told
// (ABORTED); between tries it waits a random while, longer each time.
constexpr absl::Duration kRaceBudget = absl::Seconds(5);

// Whether to try again after losing a race on the `attempt`-th try begun
// at `start`; if so, after a pause.
bool TryAgain(int attempt, absl::Time start) {
  if (absl::Now() - start >= kRaceBudget) return false;
  thread_local std::mt19937 random(std::random_device{}());
  const int64_t ceiling_us = std::min<int64_t>(50'000, int64_t{500} << std::min(attempt, 7));
  absl::SleepFor(absl::Microseconds(std::uniform_int_distribution<int64_t>(0, ceiling_us)(random)));
  return true;
}

// What a caller is told when its write kept losing races (the store of
// record's own message names revisions, which mean nothing to callers).
absl::Status RaceLost(absl::string_view id) {
  return absl::AbortedError(
      absl::StrCat("profile '", id, "' kept being changed by other writes for ",
                   absl::FormatDuration(kRaceBudget), "; read it again and retry"));
}

}  // namespace

std::string ProfileStore::ClusterKey(absl::string_view id) {
  return absl::StrCat(kClusterPrefix, id);
}

// Keeps the profile tables of a cluster node equal to its view's records
// under kClusterPrefix. Called by the view's one writer, one batch at a time.
class ProfileStore::Listener final : public ViewListener {
 public:
  explicit Listener(ProfileStore* store) : store_(store) {}

  absl::string_view prefix() const override { return kClusterPrefix; }

  absl::Status AddChanges(const std::vector<const ViewChange*>& changes,
                          rocksdb::WriteBatch* batch) override {
    // Profiles as this batch leaves them so far (std::nullopt: deleted).
    absl::flat_hash_map<std::string, std::optional<Profile>> current;
    const absl::Time now = absl::Now();
    int64_t revision = 0;
    uint64_t position = 0;
    for (const ViewChange* change : changes) {
      const std::string id = change->key.substr(kClusterPrefix.size());
      if (change->revision != revision) {
        revision = change->revision;
        position = 0;
      }
      if (position == kChangesPerRevision) {
        return absl::FailedPreconditionError(
            absl::StrCat("cluster: revision ", revision, " changes more than ", kChangesPerRevision,
                         " profiles, more than a node can number; write fewer per transaction"));
      }
      const uint64_t sequence = static_cast<uint64_t>(revision) * kChangesPerRevision + position++;
      std::optional<Profile> before;
      if (auto it = current.find(id); it != current.end()) {
        before = it->second;
      } else if (absl::StatusOr<Profile> read = store_->Read(id); read.ok()) {
        before = *std::move(read);
      } else if (!absl::IsNotFound(read.status())) {
        return read.status();
      }
      if (change->value.has_value()) {
        Profile after;
        if (!after.ParseFromString(*change->value) || after.id() != id) {
          return absl::DataLossError(absl::StrCat("cluster: the record '", change->key,
                                                  "' at revision ", revision,
                                                  " is not a profile with that id"));
        }
        store_->AddRows(before ? &*before : nullptr, &after, *change->value, *batch);
        store_->AddChange(*batch, sequence,
                          before ? ProfileChange::UPDATED : ProfileChange::CREATED, *change->value,
                          TimeOf(after.update_time()));
        current[id] = std::move(after);
      } else {
        // Its member tokens were revoked in etcd, in the delete's transaction.
        if (!before.has_value()) continue;  // nothing here to delete
        store_->AddRows(&*before, nullptr, "", *batch);
        store_->AddChange(*batch, sequence, ProfileChange::DELETED, before->SerializeAsString(),
                          now);
        current[id] = std::nullopt;
      }
      last_ = sequence;
    }
    return absl::OkStatus();
  }

  absl::Status AddReplacement(const std::vector<const ViewRecord*>& records, int64_t revision,
                              rocksdb::WriteBatch* batch) override {
    const Database& db = *store_->database_;
    for (rocksdb::ColumnFamilyHandle* family :
         {db.profiles(), db.profiles_by_chamber(), db.profile_handles(), db.profile_changes()}) {
      rocksdb::Status s = batch->DeleteRange(family, "", internal::ToSlice(kEndOfKeys));
      if (!s.ok()) return internal::FromRocksDb(s, "clear the profile tables");
    }
    for (const ViewRecord* record : records) {
      Profile profile;
      if (!profile.ParseFromString(record->value) || ClusterKey(profile.id()) != record->key) {
        return absl::DataLossError(
            absl::StrCat("cluster: the record '", record->key, "' is not a profile with that id"));
      }
      store_->AddRows(nullptr, &profile, record->value, *batch);
    }
    last_ = static_cast<uint64_t>(revision) * kChangesPerRevision + kChangesPerRevision - 1;
    empty_ = records.empty();
    rocksdb::Status s = batch->Put(db.profile_changes(), internal::ToSlice(kLogStartKey),
                                   empty_ ? SequenceKey(last_) + kEmptyStart : SequenceKey(last_));
    if (!s.ok()) return internal::FromRocksDb(s, "restart the change log");
    replaced_ = true;
    return absl::OkStatus();
  }

  void Written(int64_t /*revision*/) override {
    if (last_ != 0) {
      absl::MutexLock lock(&store_->sequence_mu_);
      if (replaced_) {
        store_->log_start_ = last_;
        store_->log_start_empty_ = empty_;
      }
      store_->last_sequence_ = std::max(replaced_ ? 0 : store_->last_sequence_, last_);
      store_->sequence_advanced_.SignalAll();
    }
    Dropped();
  }

  void Dropped() override {
    last_ = 0;
    replaced_ = false;
    empty_ = false;
  }

 private:
  ProfileStore* const store_;
  uint64_t last_ = 0;      // the batch's last sequence number; 0: none
  bool replaced_ = false;  // the batch replaces the tables
  bool empty_ = false;     // ... with none
};

void ProfileStore::Listen() {
  listener_ = std::make_unique<Listener>(this);
  options_.view->AddListener(listener_.get());
}

ProfileStore::~ProfileStore() {
  if (listener_ != nullptr) options_.view->RemoveListener(listener_.get());
  database_->has_profile_store_ = false;
}

absl::StatusOr<std::optional<std::pair<ViewRecord, Profile>>> ProfileStore::ReadFromView(
    absl::string_view id) const {
  absl::StatusOr<std::optional<ViewRecord>> record = options_.view->Get(ClusterKey(id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::nullopt;
  Profile profile;
  if (!profile.ParseFromString((*record)->value)) {
    return absl::DataLossError(absl::StrCat("cluster view: profile '", id, "' does not parse"));
  }
  return std::make_pair(**std::move(record), std::move(profile));
}

std::vector<absl::StatusOr<ProfileChange::Kind>> ProfileStore::PutInCluster(
    PreparedProfiles* prepared, const RequestTicket* ticket) {
  std::vector<Profile>& items = prepared->items_;
  std::vector<absl::StatusOr<ProfileChange::Kind>> results(items.size(),
                                                           absl::UnknownError("not processed"));
  std::vector<size_t> valid;
  absl::flat_hash_set<std::string> ids;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!prepared->validation_[i].ok()) {
      results[i] = prepared->validation_[i];
    } else if (!ids.insert(items[i].id()).second) {
      results[i] = absl::AlreadyExistsError(
          absl::StrCat("profile.id: '", items[i].id(), "' appears earlier in the same import"));
    } else {
      valid.push_back(i);
    }
  }
  std::sort(valid.begin(), valid.end(),
            [&](size_t a, size_t b) { return items[a].id() < items[b].id(); });
  absl::Status earlier_failure;
  for (size_t begin = 0; begin < valid.size(); begin += kMaxProfilesPerWrite) {
    const std::vector<size_t> part(
        valid.begin() + begin,
        valid.begin() + std::min(valid.size(), begin + kMaxProfilesPerWrite));
    if (!earlier_failure.ok()) {
      for (size_t i : part) {
        results[i] = absl::Status(earlier_failure.code(),
                                  absl::StrCat("not written: an earlier part of the same call "
                                               "failed: ",
                                               earlier_failure.message()));
      }
      continue;
    }
    // The items and their bytes as Prepare left them, for another attempt.
    std::vector<Profile> originals;
    std::vector<std::string> original_bytes;
    for (size_t i : part) {
      originals.push_back(items[i]);
      original_bytes.push_back(prepared->new_bytes_[i]);
    }
    const absl::Time start = absl::Now();
    for (int attempt = 1;; ++attempt) {
      if (ticket != nullptr) {
        // A retry that raced its first try (on this node or another) past
        // the service's look-up finds the answer here once the view has it.
        absl::StatusOr<std::optional<Profile>> first =
            RequestIdStore::FindAnswer<Profile>(*database_, ticket);
        if (!first.ok() || first->has_value()) {
          const size_t i = part.front();
          if (first.ok()) items[i] = **std::move(first);
          results[i] = first.ok() ? absl::StatusOr<ProfileChange::Kind>(ProfileChange::CREATED)
                                  : first.status();
          break;
        }
      }
      std::vector<RecordWrite> writes;
      std::vector<std::pair<size_t, ProfileChange::Kind>> accepted;
      for (size_t k = 0; k < part.size(); ++k) {
        const size_t i = part[k];
        items[i] = originals[k];
        prepared->new_bytes_[i] = original_bytes[k];
        absl::StatusOr<std::optional<std::pair<ViewRecord, Profile>>> stored =
            ReadFromView(items[i].id());
        if (!stored.ok()) {
          results[i] = stored.status();
          continue;
        }
        std::string& bytes = prepared->new_bytes_[i];
        absl::StatusOr<ProfileChange::Kind> kind =
            StoredForm(stored->has_value() ? &(*stored)->second : nullptr, prepared->upsert_,
                       items[i], &bytes);
        if (!kind.ok()) {
          results[i] = kind.status();
          continue;
        }
        writes.push_back({ClusterKey(items[i].id()), bytes,
                          stored->has_value() ? (*stored)->first.mod_revision : 0});
        accepted.emplace_back(i, *kind);
      }
      if (writes.empty()) break;
      if (ticket != nullptr) {
        // Remembered in the same transaction: a retry on any node finds it.
        absl::StatusOr<RecordWrite> remembered = RequestIdStore::ClusterWrite(
            *options_.view, *ticket, prepared->new_bytes_[accepted.front().first], absl::Now());
        if (!remembered.ok()) {
          results[accepted.front().first] = remembered.status();
          break;
        }
        writes.push_back(*std::move(remembered));
      }
      absl::StatusOr<int64_t> written = options_.cluster->Write(writes);
      if (absl::IsAborted(written.status())) {
        for (const RecordWrite& write : writes) {
          AwaitChange(*options_.view, write.key, write.expected_revision);
        }
        if (TryAgain(attempt, start)) continue;
        written = RaceLost(items[accepted.front().first].id());
      }
      for (const auto& [i, kind] : accepted) {
        results[i] = written.ok() ? absl::StatusOr<ProfileChange::Kind>(kind) : written.status();
      }
      if (!written.ok()) earlier_failure = written.status();
      break;
    }
  }
  return results;
}

absl::StatusOr<Profile> ProfileStore::UpdateInCluster(const Profile& patch,
                                                      const google::protobuf::FieldMask& resolved,
                                                      int64_t expected_version) {
  const absl::Time start = absl::Now();
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::optional<std::pair<ViewRecord, Profile>>> stored = ReadFromView(patch.id());
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      return absl::NotFoundError(absl::StrCat("profile '", patch.id(), "' not found"));
    }
    absl::StatusOr<Profile> updated =
        Patched((*stored)->second, patch, resolved, expected_version, absl::Now());
    if (!updated.ok()) return updated.status();
    absl::StatusOr<int64_t> written = options_.cluster->Write(
        {{ClusterKey(patch.id()), updated->SerializeAsString(), (*stored)->first.mod_revision}});
    if (written.ok()) return updated;
    if (!absl::IsAborted(written.status())) return written.status();
    AwaitChange(*options_.view, ClusterKey(patch.id()), (*stored)->first.mod_revision);
    if (!TryAgain(attempt, start)) return RaceLost(patch.id());
  }
}

absl::StatusOr<uint64_t> ProfileStore::DeleteInCluster(absl::string_view id,
                                                       int64_t expected_version) {
  const absl::Time start = absl::Now();
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::optional<std::pair<ViewRecord, Profile>>> stored = ReadFromView(id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(absl::StrCat("profile '", id, "' not found"));
    const Profile& profile = (*stored)->second;
    if (absl::Status s = CheckVersion(profile, expected_version); !s.ok()) return s;
    std::vector<RecordWrite> writes = {
        {ClusterKey(id), std::nullopt, (*stored)->first.mod_revision}};
    if (options_.tokens != nullptr) {
      // Its member tokens are revoked in the same transaction.
      absl::StatusOr<std::vector<RecordWrite>> revocations =
          options_.tokens->MemberRevocationWrites(id, ToTimestamp(absl::Now()));
      if (!revocations.ok()) return revocations.status();
      writes.insert(writes.end(), revocations->begin(), revocations->end());
    }
    absl::StatusOr<int64_t> written = options_.cluster->Write(writes);
    if (written.ok()) return static_cast<uint64_t>(*written) * kChangesPerRevision;
    if (!absl::IsAborted(written.status())) return written.status();
    AwaitChange(*options_.view, ClusterKey(id), (*stored)->first.mod_revision);
    if (!TryAgain(attempt, start)) return RaceLost(id);
  }
}

}  // namespace socio::storage
