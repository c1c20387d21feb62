#include "storage/request_ids.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/rocksdb_status.h"

namespace socio::storage {
namespace {

using internal::FromRocksDb;

constexpr size_t kMinRequestIdLength = 8;
constexpr size_t kMaxRequestIdLength = 64;

// Two kinds of key in the family: 'a' + ticket key -> time, fingerprint,
// answer; 'e' + time + ticket key -> "" (the expiry index Sweep walks).
constexpr char kAnswerPrefix = 'a';
constexpr char kExpiryPrefix = 'e';
constexpr size_t kTimeBytes = 8;
constexpr size_t kFingerprintBytes = SHA256_DIGEST_LENGTH;

// Microseconds since the epoch, big-endian, so keys sort by time.
std::string EncodeTime(absl::Time t) {
  uint64_t micros = static_cast<uint64_t>(absl::ToUnixMicros(t));
  std::string bytes(kTimeBytes, '\0');
  for (int i = kTimeBytes - 1; i >= 0; --i) {
    bytes[i] = static_cast<char>(micros & 0xFF);
    micros >>= 8;
  }
  return bytes;
}

absl::Time DecodeTime(absl::string_view bytes) {
  uint64_t micros = 0;
  for (size_t i = 0; i < kTimeBytes && i < bytes.size(); ++i) {
    micros = (micros << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return absl::FromUnixMicros(static_cast<int64_t>(micros));
}

bool IsRequestIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view field, absl::string_view request_id) {
  if (request_id.size() < kMinRequestIdLength || request_id.size() > kMaxRequestIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", kMinRequestIdLength, " to ", kMaxRequestIdLength,
                     " characters (a UUID fits), not ", request_id.size()));
  }
  for (size_t i = 0; i < request_id.size(); ++i) {
    if (!IsRequestIdChar(request_id[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": character ", i + 1,
                       " is not a letter, digit, '-', '_', '.' or ':' (a UUID fits)"));
    }
  }
  return absl::OkStatus();
}

struct RequestFingerprint::State {
  EVP_MD_CTX* context = nullptr;
};

RequestFingerprint::RequestFingerprint() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  // Fails only when out of memory, which the digest then reports as empty.
  if (state_->context != nullptr) EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr);
}

RequestFingerprint::~RequestFingerprint() { EVP_MD_CTX_free(state_->context); }

void RequestFingerprint::Add(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    coded.WriteVarint64(message.ByteSizeLong());
    message.SerializeWithCachedSizes(&coded);
  }
  if (state_->context != nullptr) EVP_DigestUpdate(state_->context, bytes.data(), bytes.size());
}

std::string RequestFingerprint::Finish() {
  std::string digest(kFingerprintBytes, '\0');
  unsigned int size = 0;
  if (state_->context == nullptr ||
      EVP_DigestFinal_ex(state_->context, reinterpret_cast<unsigned char*>(digest.data()), &size) !=
          1) {
    return "";
  }
  digest.resize(size);
  return digest;
}

std::string FingerprintOf(const google::protobuf::MessageLite& request) {
  RequestFingerprint fingerprint;
  fingerprint.Add(request);
  return fingerprint.Finish();
}

absl::StatusOr<RequestTicket> RequestTicket::Make(absl::string_view caller,
                                                  absl::string_view method,
                                                  absl::string_view request_id,
                                                  absl::string_view field) {
  if (absl::Status s = ValidateRequestId(field, request_id); !s.ok()) return s;
  RequestTicket ticket;
  const absl::string_view nul("\0", 1);
  ticket.key_ = absl::StrCat(caller, nul, method, nul, request_id);
  ticket.request_id_ = std::string(request_id);
  ticket.field_ = std::string(field);
  return ticket;
}

absl::StatusOr<std::unique_ptr<RequestIdStore>> RequestIdStore::Open(
    std::shared_ptr<Database> database, bool sync_writes, RecordView* view, RecordWriter* cluster) {
  if (database == nullptr) return absl::InvalidArgumentError("database is required");
  if ((view == nullptr) != (cluster == nullptr)) {
    return absl::InvalidArgumentError(
        "RequestIdStore: view and cluster go together (cluster mode) or not at all");
  }
  if (!sync_writes) database->sync_wal_on_close_ = true;
  return std::unique_ptr<RequestIdStore>(
      new RequestIdStore(std::move(database), sync_writes, view, cluster));
}

absl::StatusOr<std::optional<RequestIdStore::Remembered>> RequestIdStore::Lookup(
    const RequestTicket& ticket, absl::Time now) const {
  return Lookup(*database_, ticket, now);
}

absl::StatusOr<std::optional<std::string>> RequestIdStore::Find(const RequestTicket& ticket,
                                                                absl::Time now) const {
  return Find(*database_, ticket, now);
}

absl::StatusOr<std::optional<RequestIdStore::Remembered>> RequestIdStore::Lookup(
    const Database& database, const RequestTicket& ticket, absl::Time now) {
  std::string value;
  rocksdb::Status status = database.db()->Get(rocksdb::ReadOptions(), database.request_ids(),
                                              kAnswerPrefix + ticket.key_, &value);
  if (status.IsNotFound()) return std::nullopt;
  if (absl::Status s = FromRocksDb(status, "read remembered answer"); !s.ok()) return s;
  if (value.size() < kTimeBytes + kFingerprintBytes) {
    return absl::DataLossError(
        absl::StrCat("remembered answer to request_id '", ticket.request_id_, "' does not parse"));
  }
  if (DecodeTime(absl::string_view(value).substr(0, kTimeBytes)) + kRetention <= now) {
    return std::nullopt;
  }
  Remembered remembered;
  remembered.fingerprint = value.substr(kTimeBytes, kFingerprintBytes);
  remembered.answer = value.substr(kTimeBytes + kFingerprintBytes);
  return remembered;
}

absl::StatusOr<std::optional<std::string>> RequestIdStore::Find(const Database& database,
                                                                const RequestTicket& ticket,
                                                                absl::Time now) {
  absl::StatusOr<std::optional<Remembered>> entry = Lookup(database, ticket, now);
  if (!entry.ok()) return entry.status();
  if (!entry->has_value()) return std::nullopt;
  if ((*entry)->fingerprint != ticket.fingerprint_) {
    return absl::InvalidArgumentError(absl::StrCat(
        ticket.field_, ": '", ticket.request_id_,
        "' was used for a different request; a retry must repeat the request exactly, and a new "
        "request needs a new request_id"));
  }
  return std::move((*entry)->answer);
}

std::string RequestIdStore::EntryValue(const RequestTicket& ticket, absl::string_view answer,
                                       absl::Time now) {
  return absl::StrCat(EncodeTime(now), ticket.fingerprint_, answer);
}

absl::Status RequestIdStore::AddEntry(const Database& database, absl::string_view ticket_key,
                                      absl::string_view value, rocksdb::WriteBatch* batch) {
  if (value.size() < kTimeBytes + kFingerprintBytes) {
    return absl::DataLossError("a remembered answer is too short to be one");
  }
  // WriteBatch appends fail only past a size limit we do not set.
  rocksdb::Status ignored =
      batch->Put(database.request_ids(), absl::StrCat(std::string(1, kAnswerPrefix), ticket_key),
                 rocksdb::Slice(value.data(), value.size()));
  ignored = batch->Put(
      database.request_ids(),
      absl::StrCat(std::string(1, kExpiryPrefix), value.substr(0, kTimeBytes), ticket_key), "");
  (void)ignored;
  return absl::OkStatus();
}

void RequestIdStore::AddRemoval(const Database& database, absl::string_view ticket_key,
                                rocksdb::WriteBatch* batch) {
  (void)batch->Delete(database.request_ids(),
                      absl::StrCat(std::string(1, kAnswerPrefix), ticket_key));
}

void RequestIdStore::AddClear(const Database& database, rocksdb::WriteBatch* batch) {
  (void)batch->DeleteRange(database.request_ids(), std::string(1, kAnswerPrefix),
                           std::string(1, static_cast<char>(kExpiryPrefix + 1)));
}

void RequestIdStore::AddTo(const Database& database, const RequestTicket& ticket,
                           absl::string_view answer, absl::Time now, rocksdb::WriteBatch* batch) {
  // A value of EntryValue's is never too short.
  (void)AddEntry(database, ticket.key_, EntryValue(ticket, answer, now), batch);
}

absl::Status RequestIdStore::Remember(const RequestTicket& ticket, absl::string_view answer,
                                      absl::Time now) {
  if (cluster_ != nullptr) {
    absl::StatusOr<RecordWrite> write = ClusterWrite(*view_, ticket, answer, now);
    if (!write.ok()) return write.status();
    return cluster_->Write({*std::move(write)}).status();
  }
  rocksdb::WriteBatch batch;
  AddTo(*database_, ticket, answer, now, &batch);
  rocksdb::WriteOptions options;
  options.sync = sync_writes_;
  return FromRocksDb(database_->db()->Write(options, &batch), "remember answer");
}

absl::StatusOr<int> RequestIdStore::Sweep(absl::Time now, int max_entries) {
  absl::MutexLock lock(&sweep_mu_);
  const std::string end = std::string(1, kExpiryPrefix) + EncodeTime(now - kRetention);
  const std::string start = sweep_from_.empty() ? std::string(1, kExpiryPrefix) : sweep_from_;
  rocksdb::ReadOptions read_options;
  const rocksdb::Slice upper(end);
  read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(read_options, database_->request_ids()));
  rocksdb::WriteBatch batch;
  int deleted = 0;
  std::string last;
  rocksdb::Status ignored;  // WriteBatch appends fail only past a size limit we do not set.
  for (it->Seek(start); it->Valid() && deleted < max_entries; it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (key.size() < 1 + kTimeBytes) continue;
    const absl::string_view time = key.substr(1, kTimeBytes);
    const std::string answer_key =
        absl::StrCat(std::string(1, kAnswerPrefix), key.substr(1 + kTimeBytes));
    // The answer goes only if this index entry stands for it: a request_id
    // used again after its entry expired has a newer answer. (A retry that
    // writes one between this read and the sweep's write loses it; with
    // ids made fresh per request that takes a reuse at the very moment of
    // expiry.)
    std::string value;
    rocksdb::Status read =
        database_->db()->Get(rocksdb::ReadOptions(), database_->request_ids(), answer_key, &value);
    if (read.ok() && absl::string_view(value).substr(0, kTimeBytes) == time) {
      ignored = batch.Delete(database_->request_ids(), answer_key);
    } else if (!read.ok() && !read.IsNotFound()) {
      return FromRocksDb(read, "read remembered answer");
    }
    ignored = batch.Delete(database_->request_ids(), it->key());
    last.assign(key.data(), key.size());
    ++deleted;
  }
  (void)ignored;
  if (absl::Status s = FromRocksDb(it->status(), "scan remembered answers"); !s.ok()) return s;
  if (deleted == 0) return 0;
  // Not synced: a sweep lost in a crash is done again.
  if (absl::Status s = FromRocksDb(database_->db()->Write(rocksdb::WriteOptions(), &batch),
                                   "delete expired answers");
      !s.ok()) {
    return s;
  }
  sweep_from_ = std::move(last);
  return deleted;
}

}  // namespace socio::storage
