#include "storage/replicated_records.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"

namespace socio::storage {

absl::StatusOr<std::string> FamilyMirror::FamilyKey(absl::string_view id) const {
  if (!options_.family_key) return std::string(id);
  return options_.family_key(id);
}

absl::Status FamilyMirror::AddChanges(const std::vector<const ViewChange*>& changes,
                                      rocksdb::WriteBatch* batch) {
  for (const ViewChange* change : changes) {
    const std::string id = change->key.substr(options_.prefix.size());
    absl::StatusOr<std::string> key = FamilyKey(id);
    if (!key.ok()) return key.status();
    rocksdb::Status s;
    if (change->value.has_value()) {
      if (absl::Status checked = options_.check(id, *change->value); !checked.ok()) return checked;
      s = batch->Put(options_.family, *key, *change->value);
    } else {
      s = batch->Delete(options_.family, *key);
    }
    if (!s.ok()) return internal::FromRocksDb(s, absl::StrCat("prepare ", options_.prefix));
    changed_.push_back(id);
  }
  return absl::OkStatus();
}

absl::Status FamilyMirror::AddReplacement(const std::vector<const ViewRecord*>& records,
                                          int64_t /*revision*/, rocksdb::WriteBatch* batch) {
  rocksdb::Status s = batch->DeleteRange(options_.family, "", internal::ToSlice(kEndOfKeys));
  for (const ViewRecord* record : records) {
    if (!s.ok()) break;
    const std::string id = record->key.substr(options_.prefix.size());
    absl::StatusOr<std::string> key = FamilyKey(id);
    if (!key.ok()) return key.status();
    if (absl::Status checked = options_.check(id, record->value); !checked.ok()) return checked;
    s = batch->Put(options_.family, *key, record->value);
  }
  if (!s.ok()) return internal::FromRocksDb(s, absl::StrCat("replace ", options_.prefix));
  replaced_ = true;
  return absl::OkStatus();
}

void FamilyMirror::Written(int64_t /*revision*/) {
  if (options_.written) options_.written(changed_, replaced_);
  Dropped();
}

void FamilyMirror::Dropped() {
  changed_.clear();
  replaced_ = false;
}

absl::StatusOr<std::string> HexDecodedId(absl::string_view prefix, absl::string_view id,
                                         absl::string_view what) {
  if (id.empty() || id.size() % 2 != 0 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return absl::ascii_isxdigit(c); })) {
    return absl::DataLossError(
        absl::StrCat("cluster: the record '", prefix, id, "' is not ", what));
  }
  return absl::HexStringToBytes(id);
}

absl::StatusOr<int64_t> RevisionOf(const RecordView& view, const std::string& key) {
  absl::StatusOr<std::optional<ViewRecord>> record = view.Get(key);
  if (!record.ok()) return record.status();
  return record->has_value() ? (*record)->mod_revision : 0;
}

void AwaitChange(const RecordView& view, const std::string& key, int64_t revision,
                 absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    absl::StatusOr<int64_t> now = RevisionOf(view, key);
    if (!now.ok() || *now != revision) return;
    absl::SleepFor(absl::Milliseconds(2));
  }
}

}  // namespace socio::storage
