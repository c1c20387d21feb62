#include "storage/match_policy_store.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/profile_validation.h"

namespace socio::storage {

using internal::FromRocksDb;
using socio::v1::MatchPolicy;

namespace {

constexpr absl::string_view kClusterPrefix = "socio/match-policies/";
// Tries of a cluster write that lost a race to another write of the policy.
constexpr int kAttempts = 5;

}  // namespace

absl::StatusOr<std::unique_ptr<MatchPolicyStore>> MatchPolicyStore::Open(
    std::shared_ptr<Database> database, const MatchPolicyStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database is required");
  if ((options.view == nullptr) != (options.cluster == nullptr)) {
    return absl::InvalidArgumentError(
        "MatchPolicyStoreOptions.view and .cluster go together (cluster mode) or not at all");
  }
  if (database->has_match_policy_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a MatchPolicyStore is already open over the database in ", database->dir()));
  }
  if (!options.sync_writes) database->sync_wal_on_close_ = true;
  return std::unique_ptr<MatchPolicyStore>(new MatchPolicyStore(std::move(database), options));
}

MatchPolicyStore::MatchPolicyStore(std::shared_ptr<Database> database,
                                   const MatchPolicyStoreOptions& options)
    : database_(std::move(database)), options_(options) {
  if (options_.view == nullptr) return;
  mirror_ = std::make_unique<FamilyMirror>(FamilyMirror::Options{
      .prefix = std::string(kClusterPrefix),
      .family = database_->match_policies(),
      .check = [](absl::string_view chamber_id, const std::string& value) {
        MatchPolicy policy;
        if (!policy.ParseFromString(value) || policy.chamber_id() != chamber_id) {
          return absl::DataLossError(absl::StrCat("cluster: the record '", kClusterPrefix,
                                                  chamber_id,
                                                  "' is not that chamber's match policy"));
        }
        return absl::OkStatus();
      }});
  options_.view->AddListener(mirror_.get());
}

MatchPolicyStore::~MatchPolicyStore() {
  if (mirror_ != nullptr) options_.view->RemoveListener(mirror_.get());
  database_->has_match_policy_store_ = false;
}

absl::StatusOr<MatchPolicy> MatchPolicyStore::Read(absl::string_view chamber_id) const {
  std::string value;
  rocksdb::Status status =
      database_->db()->Get(rocksdb::ReadOptions(), database_->match_policies(),
                           rocksdb::Slice(chamber_id.data(), chamber_id.size()), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("chamber '", chamber_id, "' has no match policy"));
  }
  if (absl::Status s = FromRocksDb(status, "read match policy"); !s.ok()) return s;
  MatchPolicy policy;
  if (!policy.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("stored match policy of chamber '", chamber_id, "' does not parse"));
  }
  return policy;
}

absl::StatusOr<MatchPolicy> MatchPolicyStore::Get(absl::string_view chamber_id) const {
  if (absl::Status s = ValidateId("chamber_id", chamber_id); !s.ok()) return s;
  return Read(chamber_id);
}

absl::StatusOr<MatchPolicy> MatchPolicyStore::Put(MatchPolicy policy, int64_t expected_version) {
  // Unknown fields would be stored as sent, past every limit: dropped, at every depth.
  policy.DiscardUnknownFields();
  if (absl::Status s = ValidateId("policy.chamber_id", policy.chamber_id()); !s.ok()) return s;
  if (!policy.has_weights()) return absl::InvalidArgumentError("policy.weights: is required");
  if (policy.request_expiry_days() < 0 || policy.request_expiry_days() > 90) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy.request_expiry_days: must be 0 (the default, 7) to 90, not ",
                     policy.request_expiry_days()));
  }
  if (policy.outcome_follow_up_days() != 0 &&
      (policy.outcome_follow_up_days() < 30 || policy.outcome_follow_up_days() > 730)) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy.outcome_follow_up_days: must be 0 (the default, 182) or 30 to 730, "
                     "not ",
                     policy.outcome_follow_up_days()));
  }
  if (expected_version < 0) {
    return absl::InvalidArgumentError("expected_version: must not be negative");
  }
  if (options_.cluster != nullptr) return PutInCluster(std::move(policy), expected_version);

  absl::MutexLock lock(&write_mu_);
  int64_t stored_version = 0;
  if (absl::StatusOr<MatchPolicy> stored = Read(policy.chamber_id()); stored.ok()) {
    stored_version = stored->version();
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  if (absl::Status s = Stamp(policy, stored_version, expected_version); !s.ok()) return s;

  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  rocksdb::Status status = database_->db()->Put(write_options, database_->match_policies(),
                                                policy.chamber_id(), policy.SerializeAsString());
  if (absl::Status s = FromRocksDb(status, "write match policy"); !s.ok()) return s;
  return policy;
}

absl::Status MatchPolicyStore::Stamp(MatchPolicy& policy, int64_t stored_version,
                                     int64_t expected_version) {
  if (expected_version != 0 && expected_version != stored_version) {
    return absl::AbortedError(absl::StrCat("match policy of chamber '", policy.chamber_id(),
                                           "' is at version ", stored_version, ", not ",
                                           expected_version, "; read it again and retry"));
  }
  policy.set_version(stored_version + 1);
  *policy.mutable_update_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  return absl::OkStatus();
}

absl::StatusOr<MatchPolicy> MatchPolicyStore::PutInCluster(MatchPolicy policy,
                                                           int64_t expected_version) {
  const std::string key = absl::StrCat(kClusterPrefix, policy.chamber_id());
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::optional<ViewRecord>> record = options_.view->Get(key);
    if (!record.ok()) return record.status();
    int64_t stored_version = 0;
    if (record->has_value()) {
      MatchPolicy stored;
      if (!stored.ParseFromString((*record)->value)) {
        return absl::DataLossError(absl::StrCat("stored match policy of chamber '",
                                                policy.chamber_id(), "' does not parse"));
      }
      stored_version = stored.version();
    }
    if (absl::Status s = Stamp(policy, stored_version, expected_version); !s.ok()) return s;
    const int64_t revision = record->has_value() ? (*record)->mod_revision : 0;
    absl::StatusOr<int64_t> written =
        options_.cluster->Write({{key, policy.SerializeAsString(), revision}});
    if (written.ok()) return policy;
    if (!absl::IsAborted(written.status()) || attempt == kAttempts) return written.status();
    AwaitChange(*options_.view, key, revision);
  }
}

}  // namespace socio::storage
