#include "storage/replicated_records.h"

#include "absl/time/clock.h"

namespace socio::storage {

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
