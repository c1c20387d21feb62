#include "storage/exchange_store.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
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
using internal::CheckDisplayLine;
using internal::CheckLength;
using internal::FieldError;
using internal::FromRocksDb;
using internal::ToSlice;
using internal::ToTimestamp;
using socio::v1::Exchange;

// Keys of the "exchanges" family.
constexpr absl::string_view kRecord = "x/";      // + id -> Exchange
constexpr absl::string_view kDelegation = "d/";  // + delegation id -> exchange id
constexpr absl::string_view kChamber = "c/";     // + chamber \0 id -> ""

constexpr absl::string_view kNul("\0", 1);

std::string RecordKey(absl::string_view id) { return absl::StrCat(kRecord, id); }
std::string DelegationKey(absl::string_view id) { return absl::StrCat(kDelegation, id); }
std::string ChamberPrefix(absl::string_view chamber) {
  return absl::StrCat(kChamber, chamber, kNul);
}

// The delegations `exchange` links.
std::vector<const std::string*> DelegationsOf(const Exchange& exchange) {
  std::vector<const std::string*> out = {&exchange.visit_delegation_id()};
  if (!exchange.return_delegation_id().empty()) out.push_back(&exchange.return_delegation_id());
  return out;
}

absl::Status NoExchange(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("id: no exchange '", id, "'"));
}

absl::Status CheckExpected(int64_t expected_version) {
  if (expected_version < 0) return FieldError("expected_version", "must not be negative");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateExchange(const Exchange& e) {
  if (absl::Status s = ValidateId("exchange.id", e.id()); !s.ok()) return s;
  if (absl::Status s = CheckDisplayLine("exchange.name", e.name(), ExchangeStore::kMaxName);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("exchange.chamber_id", e.chamber_id()); !s.ok()) return s;
  if (absl::Status s = ValidateId("exchange.partner_chamber_id", e.partner_chamber_id()); !s.ok()) {
    return s;
  }
  if (e.chamber_id() == e.partner_chamber_id()) {
    return FieldError("exchange.partner_chamber_id",
                      "an exchange is between two chambers; it cannot name chamber_id again");
  }
  if (absl::Status s = ValidateId("exchange.visit_delegation_id", e.visit_delegation_id());
      !s.ok()) {
    return s;
  }
  if (!e.return_delegation_id().empty()) {
    if (absl::Status s = ValidateId("exchange.return_delegation_id", e.return_delegation_id());
        !s.ok()) {
      return s;
    }
    if (e.return_delegation_id() == e.visit_delegation_id()) {
      return FieldError("exchange.return_delegation_id",
                        "the return visit is another delegation than the visit");
    }
  }
  return CheckLength("exchange.notes", e.notes(), ExchangeStore::kMaxNotes);
}

absl::StatusOr<std::unique_ptr<ExchangeStore>> ExchangeStore::Open(
    std::shared_ptr<Database> database, const ExchangeStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database: is required");
  if (database->has_exchange_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("an ExchangeStore is already open over the database in ", database->dir()));
  }
  return std::unique_ptr<ExchangeStore>(new ExchangeStore(std::move(database), options));
}

ExchangeStore::ExchangeStore(std::shared_ptr<Database> database,
                             const ExchangeStoreOptions& options)
    : database_(std::move(database)), options_(options) {
  if (!options_.sync_writes) database_->sync_wal_on_close_ = true;
}

ExchangeStore::~ExchangeStore() { database_->has_exchange_store_ = false; }

absl::Time ExchangeStore::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

absl::StatusOr<Exchange> ExchangeStore::Read(absl::string_view id) const {
  std::string value;
  rocksdb::Status status =
      database_->db()->Get(rocksdb::ReadOptions(), database_->exchanges(), RecordKey(id), &value);
  if (status.IsNotFound()) return NoExchange(id);
  if (absl::Status s = FromRocksDb(status, "read an exchange"); !s.ok()) return s;
  Exchange exchange;
  if (!exchange.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("exchange ", id, " does not parse"));
  }
  return exchange;
}

absl::StatusOr<Exchange> ExchangeStore::Get(absl::string_view id) const {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  return Read(id);
}

absl::StatusOr<std::string> ExchangeStore::Holder(absl::string_view delegation_id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(rocksdb::ReadOptions(), database_->exchanges(),
                                                DelegationKey(delegation_id), &value);
  if (status.IsNotFound()) return std::string();
  if (absl::Status s = FromRocksDb(status, "read the exchange of a delegation"); !s.ok()) return s;
  return value;
}

absl::StatusOr<std::optional<Exchange>> ExchangeStore::OfDelegation(
    absl::string_view delegation_id) const {
  if (absl::Status s = ValidateId("delegation_id", delegation_id); !s.ok()) return s;
  absl::StatusOr<std::string> holder = Holder(delegation_id);
  if (!holder.ok()) return holder.status();
  if (holder->empty()) return std::nullopt;
  absl::StatusOr<Exchange> exchange = Read(*holder);
  if (!exchange.ok()) return exchange.status();
  return std::optional<Exchange>(*std::move(exchange));
}

absl::Status ExchangeStore::CheckFree(absl::string_view field, const std::string& delegation_id,
                                      absl::string_view self, const SeesExchange& sees) const {
  absl::StatusOr<std::string> holder = Holder(delegation_id);
  if (!holder.ok()) return holder.status();
  if (holder->empty() || *holder == self) return absl::OkStatus();
  std::string which = "another exchange";
  if (sees) {
    absl::StatusOr<Exchange> other = Read(*holder);
    if (!other.ok()) return other.status();
    if (sees(*other)) which = absl::StrCat("exchange '", *holder, "'");
  }
  return absl::AlreadyExistsError(absl::StrCat(field, ": delegation '", delegation_id, "' is in ",
                                               which, " already; a delegation is in at most one"));
}

absl::Status ExchangeStore::AddTo(const Exchange* before, const Exchange& e,
                                  rocksdb::WriteBatch* batch) const {
  rocksdb::ColumnFamilyHandle* family = database_->exchanges();
  rocksdb::Status status = batch->Put(family, RecordKey(e.id()), e.SerializeAsString());
  if (before != nullptr) {
    for (const std::string* d : DelegationsOf(*before)) {
      if (status.ok()) status = batch->Delete(family, DelegationKey(*d));
    }
  } else {
    for (const std::string* chamber : {&e.chamber_id(), &e.partner_chamber_id()}) {
      if (status.ok())
        status = batch->Put(family, absl::StrCat(ChamberPrefix(*chamber), e.id()), "");
    }
  }
  for (const std::string* d : DelegationsOf(e)) {
    if (status.ok()) status = batch->Put(family, DelegationKey(*d), e.id());
  }
  return FromRocksDb(status, "write an exchange");
}

absl::Status ExchangeStore::Commit(rocksdb::WriteBatch* batch) const {
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  return FromRocksDb(database_->db()->Write(write_options, batch), "write an exchange");
}

absl::StatusOr<Exchange> ExchangeStore::Create(Exchange e, const RequestTicket* ticket,
                                               const SeesExchange& sees) {
  e.DiscardUnknownFields();
  e.clear_version();
  e.clear_create_time();
  e.clear_update_time();
  if (absl::Status s = ValidateExchange(e); !s.ok()) return s;
  const absl::Time now = Now();
  e.set_version(1);
  *e.mutable_create_time() = ToTimestamp(now);
  *e.mutable_update_time() = ToTimestamp(now);

  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<Exchange>> answered =
      RequestIdStore::FindAnswer<Exchange>(*database_, ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **answered;
  if (absl::StatusOr<Exchange> taken = Read(e.id()); taken.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("exchange.id: an exchange with id '", e.id(), "' already exists"));
  } else if (!absl::IsNotFound(taken.status())) {
    return taken.status();
  }
  if (absl::Status s = CheckFree("exchange.visit_delegation_id", e.visit_delegation_id(), "", sees);
      !s.ok()) {
    return s;
  }
  if (!e.return_delegation_id().empty()) {
    if (absl::Status s =
            CheckFree("exchange.return_delegation_id", e.return_delegation_id(), "", sees);
        !s.ok()) {
      return s;
    }
  }
  rocksdb::WriteBatch batch;
  if (absl::Status s = AddTo(nullptr, e, &batch); !s.ok()) return s;
  if (ticket != nullptr) {
    RequestIdStore::AddTo(*database_, *ticket, e.SerializeAsString(), absl::Now(), &batch);
  }
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  return e;
}

absl::StatusOr<Exchange> ExchangeStore::Update(const Exchange& patch, const FieldMask& mask,
                                               int64_t expected_version, const SeesExchange& sees) {
  static constexpr absl::string_view kWritable[] = {"name", "notes", "return_delegation_id"};
  auto writable = [](absl::string_view path) {
    return std::find(std::begin(kWritable), std::end(kWritable), path) != std::end(kWritable);
  };
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path == kReplaceAll || writable(path)) continue;
    return FieldError(
        absl::StrCat("update_mask.paths[", i, "]"),
        absl::StrCat("'", path, "' cannot be written (name, notes and return_delegation_id can)"));
  }
  if (absl::Status s = ValidateId("exchange.id", patch.id()); !s.ok()) return s;
  if (absl::Status s = CheckExpected(expected_version); !s.ok()) return s;
  absl::StatusOr<FieldMask> resolved = ResolveUpdateMask(patch, mask, "exchange", writable);
  if (!resolved.ok()) return resolved.status();

  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<Exchange> stored = Read(patch.id());
  if (!stored.ok()) return stored.status();
  if (expected_version > 0 && expected_version != stored->version()) {
    return absl::AbortedError(absl::StrCat("exchange ", patch.id(), " is at version ",
                                           stored->version(), ", not ", expected_version,
                                           "; read it again and retry"));
  }
  Exchange changed = *stored;
  FieldMaskUtil::MergeOptions options;
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, *resolved, options, &changed);
  changed.DiscardUnknownFields();
  if (absl::Status s = ValidateExchange(changed); !s.ok()) return s;
  if (!changed.return_delegation_id().empty()) {
    if (absl::Status s = CheckFree("exchange.return_delegation_id", changed.return_delegation_id(),
                                   changed.id(), sees);
        !s.ok()) {
      return s;
    }
  }
  changed.set_version(stored->version() + 1);
  *changed.mutable_update_time() = ToTimestamp(Now());
  rocksdb::WriteBatch batch;
  if (absl::Status s = AddTo(&*stored, changed, &batch); !s.ok()) return s;
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  return changed;
}

absl::Status ExchangeStore::Delete(absl::string_view id, int64_t expected_version) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  if (absl::Status s = CheckExpected(expected_version); !s.ok()) return s;
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<Exchange> stored = Read(id);
  if (!stored.ok()) return stored.status();
  if (expected_version > 0 && expected_version != stored->version()) {
    return absl::AbortedError(absl::StrCat("exchange ", id, " is at version ", stored->version(),
                                           ", not ", expected_version,
                                           "; read it again and retry"));
  }
  rocksdb::ColumnFamilyHandle* family = database_->exchanges();
  rocksdb::WriteBatch batch;
  rocksdb::Status status = batch.Delete(family, RecordKey(id));
  for (const std::string* d : DelegationsOf(*stored)) {
    if (status.ok()) status = batch.Delete(family, DelegationKey(*d));
  }
  for (const std::string* chamber : {&stored->chamber_id(), &stored->partner_chamber_id()}) {
    if (status.ok()) status = batch.Delete(family, absl::StrCat(ChamberPrefix(*chamber), id));
  }
  if (absl::Status s = FromRocksDb(status, "delete an exchange"); !s.ok()) return s;
  return Commit(&batch);
}

absl::StatusOr<std::pair<std::vector<Exchange>, std::string>> ExchangeStore::List(
    absl::string_view chamber_id, int page_size, absl::string_view page_token) const {
  if (!chamber_id.empty()) {
    if (absl::Status s = ValidateId("chamber_id", chamber_id); !s.ok()) return s;
  }
  if (page_size < 0 || page_size > kMaxPageSize) {
    return FieldError("page_size",
                      absl::StrCat("must be 0 to ", kMaxPageSize, ", not ", page_size));
  }
  const int size = page_size == 0 ? kDefaultPageSize : page_size;
  const std::string prefix = chamber_id.empty() ? std::string(kRecord) : ChamberPrefix(chamber_id);
  return internal::KeyPage<Exchange>(
      *database_->db(), database_->exchanges(), prefix,
      {.kind = "exchanges", .filters = {std::string(chamber_id)}, .mismatch = "chamber_id"}, size,
      page_token, "list exchanges",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<std::optional<Exchange>> {
        if (chamber_id.empty()) {
          Exchange exchange;
          if (!exchange.ParseFromString(std::string(value))) {
            return absl::DataLossError(
                absl::StrCat("exchange ", key.substr(prefix.size()), " does not parse"));
          }
          return exchange;
        }
        absl::StatusOr<Exchange> exchange = Read(key.substr(prefix.size()));
        if (!exchange.ok()) return exchange.status();
        return *std::move(exchange);
      });
}

}  // namespace socio::storage
