// RequestIdStore in cluster mode: entries kept in etcd under
// "socio/request-ids/<ticket key in hex>" (see request_ids.h), and the
// store's family following the node's RecordView.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "rocksdb/write_batch.h"
#include "storage/request_ids.h"

namespace socio::storage {
namespace {

constexpr absl::string_view kClusterPrefix = "socio/request-ids/";

// The ticket key of the record `key`; DATA_LOSS if it names none.
absl::StatusOr<std::string> TicketKeyOf(absl::string_view key) {
  if (!absl::ConsumePrefix(&key, kClusterPrefix)) {
    return absl::DataLossError(
        absl::StrCat("cluster: the record '", key, "' is not a remembered answer"));
  }
  return HexDecodedId(kClusterPrefix, key, "a remembered answer");
}

}  // namespace

// Writes the records under kClusterPrefix into the family as entries.
class RequestIdStore::Mirror final : public ViewListener {
 public:
  explicit Mirror(const Database* database) : database_(database) {}

  absl::string_view prefix() const override { return kClusterPrefix; }

  absl::Status AddChanges(const std::vector<const ViewChange*>& changes,
                          rocksdb::WriteBatch* batch) override {
    for (const ViewChange* change : changes) {
      absl::StatusOr<std::string> ticket_key = TicketKeyOf(change->key);
      if (!ticket_key.ok()) return ticket_key.status();
      if (!change->value.has_value()) {
        AddRemoval(*database_, *ticket_key, batch);
      } else if (absl::Status s = AddEntry(*database_, *ticket_key, *change->value, batch);
                 !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status AddReplacement(const std::vector<const ViewRecord*>& records, int64_t revision,
                              rocksdb::WriteBatch* batch) override {
    (void)revision;
    AddClear(*database_, batch);
    for (const ViewRecord* record : records) {
      absl::StatusOr<std::string> ticket_key = TicketKeyOf(record->key);
      if (!ticket_key.ok()) return ticket_key.status();
      if (absl::Status s = AddEntry(*database_, *ticket_key, record->value, batch); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  void Written(int64_t revision) override { (void)revision; }
  void Dropped() override {}

 private:
  const Database* const database_;
};

RequestIdStore::RequestIdStore(std::shared_ptr<Database> database, bool sync_writes,
                               RecordView* view, RecordWriter* cluster)
    : database_(std::move(database)), sync_writes_(sync_writes), view_(view), cluster_(cluster) {
  if (view_ == nullptr) return;
  mirror_ = std::make_unique<Mirror>(database_.get());
  view_->AddListener(mirror_.get());
}

RequestIdStore::~RequestIdStore() {
  if (mirror_ != nullptr) view_->RemoveListener(mirror_.get());
}

absl::StatusOr<RecordWrite> RequestIdStore::ClusterWrite(const RecordView& view,
                                                         const RequestTicket& ticket,
                                                         absl::string_view answer, absl::Time now) {
  RecordWrite write;
  write.key = absl::StrCat(kClusterPrefix, absl::BytesToHexString(ticket.key_));
  absl::StatusOr<std::optional<ViewRecord>> stored = view.Get(write.key);
  if (!stored.ok()) return stored.status();
  write.value = EntryValue(ticket, answer, now);
  write.expected_revision = stored->has_value() ? (*stored)->mod_revision : 0;
  // A little longer than kRetention in etcd: Find stops seeing it on time.
  write.expires_after = kRetention;
  return write;
}

}  // namespace socio::storage
