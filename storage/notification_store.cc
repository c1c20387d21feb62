#include "storage/notification_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/encoding.h"
#include "storage/internal/field_checks.h"
#include "storage/internal/key_page.h"
#include "storage/internal/page_token.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"
#include "storage/profile_validation.h"

namespace socio::storage {
namespace {

using internal::DecodeSequenceKey;
using internal::FieldError;
using internal::FromRocksDb;
using internal::SequenceKey;
using internal::ToSlice;
using internal::ToTimestamp;
using internal::View;
using socio::v1::Notification;
using socio::v1::NotificationSettings;
using socio::v1::ParkedDelivery;

constexpr absl::string_view kCursorPrefix = "cursor/";
constexpr absl::string_view kParkedPrefix = "parked/";
constexpr absl::string_view kSettingsPrefix = "settings/";
constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

absl::Status ValidateRecipient(absl::string_view field, absl::string_view recipient) {
  if (absl::StartsWith(recipient, kStaffRecipientPrefix)) {
    return ValidateId(field, recipient.substr(kStaffRecipientPrefix.size()));
  }
  return ValidateId(field, recipient);
}

// An address a relay accepts: one '@' with text on both sides, a dot in the
// domain, no space, control character or angle bracket (which would let a
// value write mail headers).
bool IsEmailAddress(absl::string_view address) {
  if (address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != absl::string_view::npos) return false;
  const absl::string_view domain = address.substr(at + 1);
  if (domain.find('.') == absl::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u == 0x7f || c == '<' || c == '>' || c == ',' || c == ';';
  });
}

// The settings stored for `recipient` as `value` (std::nullopt: none, which
// is empty settings naming the recipient); DATA_LOSS if they do not parse.
absl::StatusOr<NotificationSettings> StoredSettings(absl::string_view recipient,
                                                    const std::optional<std::string>& value) {
  NotificationSettings settings;
  if (!value.has_value()) {
    settings.set_recipient(std::string(recipient));
  } else if (!settings.ParseFromString(*value)) {
    return absl::DataLossError(
        absl::StrCat("the notification settings of ", recipient, " do not parse"));
  }
  return settings;
}

}  // namespace

std::string StaffRecipient(absl::string_view chamber_id) {
  return absl::StrCat(kStaffRecipientPrefix, chamber_id);
}

absl::StatusOr<std::unique_ptr<NotificationStore>> NotificationStore::Open(
    std::shared_ptr<Database> database, const NotificationStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database: is required");
  if ((options.view == nullptr) != (options.cluster == nullptr)) {
    return absl::InvalidArgumentError(
        "NotificationStoreOptions.view and .cluster go together (cluster mode) or not at all");
  }
  if (database->has_notification_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a NotificationStore is already open over the database in ", database->dir()));
  }
  std::unique_ptr<rocksdb::Iterator> it(
      database->db()->NewIterator(rocksdb::ReadOptions(), database->outbox()));
  it->SeekToLast();
  uint64_t last = it->Valid() ? DecodeSequenceKey(View(it->key())) : 0;
  if (absl::Status s = FromRocksDb(it->status(), "read the outbox's end"); !s.ok()) {
    database->has_notification_store_ = false;
    return s;
  }
  it.reset();
  return std::unique_ptr<NotificationStore>(
      new NotificationStore(std::move(database), options, last));
}

NotificationStore::NotificationStore(std::shared_ptr<Database> database,
                                     const NotificationStoreOptions& options,
                                     uint64_t last_sequence)
    : database_(std::move(database)), options_(options), last_sequence_(last_sequence) {
  if (!options_.sync_writes) database_->sync_wal_on_close_ = true;
  if (options_.view != nullptr) FollowView();
}

NotificationStore::~NotificationStore() {
  if (outbox_ != nullptr) {
    options_.view->RemoveListener(outbox_.get());
    options_.view->RemoveListener(state_.get());
  }
  database_->has_notification_store_ = false;
}

absl::Time NotificationStore::Now() const {
  return options_.clock ? options_.clock() : absl::Now();
}

absl::Status NotificationStore::Commit(rocksdb::WriteBatch* batch,
                                       std::vector<Notification> notifications, bool sync) {
  if (clustered()) {
    return absl::FailedPreconditionError(
        "notifications: a cluster node writes them to etcd (ClusterWrites), not to its own copy");
  }
  absl::MutexLock lock(&mu_);
  uint64_t sequence = last_sequence_;
  const google::protobuf::Timestamp now = ToTimestamp(Now());
  for (Notification& n : notifications) {
    ++sequence;
    n.set_sequence(sequence);
    n.set_id(absl::StrCat("n-", sequence));
    *n.mutable_create_time() = now;
    rocksdb::Status put =
        batch->Put(database_->outbox(), SequenceKey(sequence), n.SerializeAsString());
    if (absl::Status s = FromRocksDb(put, "add a notification"); !s.ok()) return s;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  if (absl::Status s = FromRocksDb(database_->db()->Write(write_options, batch), "write");
      !s.ok()) {
    return s;
  }
  last_sequence_ = sequence;
  return absl::OkStatus();
}

uint64_t NotificationStore::last_sequence() const {
  absl::MutexLock lock(&mu_);
  return last_sequence_;
}

absl::StatusOr<std::vector<Notification>> NotificationStore::Read(
    uint64_t after, int limit, const std::function<bool(const Notification&)>& keep) const {
  if (limit < 1 || limit > kMaxReadBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be 1 to ", kMaxReadBatch, ", not ", limit));
  }
  // Only what was written in full: a Commit in progress may have written
  // its batch before last_sequence_ moved on.
  const uint64_t last = last_sequence();
  std::vector<Notification> out;
  if (after >= last) return out;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->outbox()));
  for (it->Seek(SequenceKey(after + 1)); it->Valid(); it->Next()) {
    if (DecodeSequenceKey(View(it->key())) > last) break;
    Notification n;
    if (!n.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("notification ", DecodeSequenceKey(View(it->key())),
                                              " in the outbox does not parse"));
    }
    if (keep && !keep(n)) continue;
    out.push_back(std::move(n));
    if (static_cast<int>(out.size()) == limit) break;
  }
  if (absl::Status s = FromRocksDb(it->status(), "read the outbox"); !s.ok()) return s;
  return out;
}

bool NotificationStore::WaitPast(uint64_t after, absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto past = [this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return last_sequence_ > after; };
  return mu_.AwaitWithDeadline(absl::Condition(&past), deadline);
}

absl::StatusOr<uint64_t> NotificationStore::Cursor(absl::string_view channel) const {
  std::string value;
  rocksdb::Status status =
      database_->db()->Get(rocksdb::ReadOptions(), database_->notification_state(),
                           absl::StrCat(kCursorPrefix, channel), &value);
  if (status.IsNotFound()) return 0;
  if (absl::Status s = FromRocksDb(status, "read a delivery cursor"); !s.ok()) return s;
  if (value.size() != 8) {
    return absl::DataLossError(absl::StrCat("the cursor of channel ", channel, " does not parse"));
  }
  return DecodeSequenceKey(value);
}

absl::Status NotificationStore::SetCursor(absl::string_view channel, uint64_t sequence) {
  return UpdateState(
      absl::StrCat(kCursorPrefix, channel),
      [sequence](
          const std::optional<std::string>& stored) -> absl::StatusOr<std::optional<std::string>> {
        if (stored.has_value() && stored->size() == 8 && DecodeSequenceKey(*stored) >= sequence) {
          return std::nullopt;
        }
        return SequenceKey(sequence);
      });
}

absl::Status NotificationStore::Park(const ParkedDelivery& delivery) {
  const std::string key =
      absl::StrCat(kParkedPrefix, SequenceKey(delivery.sequence()), delivery.channel(),
                   absl::string_view("\0", 1), delivery.recipient());
  return UpdateState(key, [&delivery](const std::optional<std::string>&) {
    return std::optional<std::string>(delivery.SerializeAsString());
  });
}

absl::Status NotificationStore::UpdateState(const std::string& key, const StateUpdate& next) {
  if (clustered()) return UpdateStateInCluster(key, next);
  std::string value;
  rocksdb::Status read =
      database_->db()->Get(rocksdb::ReadOptions(), database_->notification_state(), key, &value);
  if (!read.IsNotFound()) {
    if (absl::Status s = FromRocksDb(read, "read notification state"); !s.ok()) return s;
  }
  absl::StatusOr<std::optional<std::string>> updated =
      next(read.IsNotFound() ? std::nullopt : std::optional<std::string>(std::move(value)));
  if (!updated.ok()) return updated.status();
  if (!updated->has_value()) return absl::OkStatus();
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  return FromRocksDb(
      database_->db()->Put(write_options, database_->notification_state(), key, **updated),
      "write notification state");
}

absl::StatusOr<std::pair<std::vector<ParkedDelivery>, std::string>> NotificationStore::ListParked(
    int page_size, absl::string_view page_token) const {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be 0 to ", kMaxPageSize, ", not ", page_size));
  }
  if (page_size == 0) page_size = kDefaultPageSize;
  return internal::KeyPage<ParkedDelivery>(
      *database_->db(), database_->notification_state(), kParkedPrefix,
      {.kind = "parked", .filters = {"all"}, .mismatch = ""}, page_size, page_token,
      "read parked deliveries",
      [](absl::string_view, absl::string_view value) -> absl::StatusOr<std::optional<ParkedDelivery>> {
        ParkedDelivery delivery;
        if (!delivery.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError("a parked delivery does not parse");
        }
        return delivery;
      });
}

absl::StatusOr<NotificationSettings> NotificationStore::Settings(
    absl::string_view recipient) const {
  if (absl::Status s = ValidateRecipient("recipient", recipient); !s.ok()) return s;
  std::string value;
  rocksdb::Status status =
      database_->db()->Get(rocksdb::ReadOptions(), database_->notification_state(),
                           absl::StrCat(kSettingsPrefix, recipient), &value);
  if (status.IsNotFound()) return StoredSettings(recipient, std::nullopt);
  if (absl::Status s = FromRocksDb(status, "read notification settings"); !s.ok()) return s;
  return StoredSettings(recipient, value);
}

absl::StatusOr<NotificationSettings> NotificationStore::SetSettings(NotificationSettings settings) {
  settings.DiscardUnknownFields();
  if (absl::Status s = ValidateRecipient("settings.recipient", settings.recipient()); !s.ok()) {
    return s;
  }
  if (settings.email_to_size() > kMaxEmailAddresses) {
    return FieldError("settings.email_to",
                      absl::StrCat("at most ", kMaxEmailAddresses, " addresses"));
  }
  for (int i = 0; i < settings.email_to_size(); ++i) {
    std::string& address = *settings.mutable_email_to(i);
    absl::StripAsciiWhitespace(&address);
    if (!IsEmailAddress(address)) {
      return FieldError(internal::Indexed("settings.email_to", i),
                        absl::StrCat("'", address, "' is not an e-mail address"));
    }
  }
  if (!settings.webhook_url().empty() && !internal::IsHttpUrl(settings.webhook_url())) {
    return FieldError("settings.webhook_url",
                      "must be an http:// or https:// URL with a host and no spaces");
  }
  const size_t secret = settings.webhook_secret().size();
  if (secret != 0 && (secret < 16 || secret > 128)) {
    return FieldError("settings.webhook_secret", "must be 16 to 128 characters");
  }
  absl::MutexLock lock(&settings_mu_);
  if (absl::Status s = UpdateState(
          absl::StrCat(kSettingsPrefix, settings.recipient()),
          [&](const std::optional<std::string>& value)
              -> absl::StatusOr<std::optional<std::string>> {
            absl::StatusOr<NotificationSettings> stored =
                StoredSettings(settings.recipient(), value);
            if (!stored.ok()) return stored.status();
            if (secret == 0) settings.set_webhook_secret(stored->webhook_secret());
            if (!settings.webhook_url().empty() && settings.webhook_secret().empty()) {
              return FieldError(
                  "settings.webhook_secret",
                  "is required with a webhook_url: receivers check the signature with it");
            }
            settings.set_webhook_secret_set(!settings.webhook_secret().empty());
            *settings.mutable_update_time() = ToTimestamp(Now());
            return std::optional<std::string>(settings.SerializeAsString());
          });
      !s.ok()) {
    return s;
  }
  settings.clear_webhook_secret();
  return settings;
}

}  // namespace socio::storage
