#include "clients/profile_import.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace socio::clients {
namespace {

// Profiles per stream message: well under the message size limit.
constexpr int kImportChunk = 500;

}  // namespace

absl::StatusOr<ImportResult> ImportProfiles(const ProfileClient& profiles, ProfileReader* reader,
                                            const ImportOptions& options, const CallOptions& call) {
  absl::StatusOr<std::unique_ptr<ImportStream>> stream = profiles.StartImport(call);
  if (!stream.ok()) return stream.status();
  ImportResult result;
  std::vector<int64_t> line_of_item;  // stream index -> line
  socio::v1::ImportProfilesRequest chunk;
  chunk.set_upsert(options.upsert);
  chunk.set_request_id(options.request_id);  // the first message carries it
  bool open = true;                          // false: the call ended, Finish says why
  ImportRecord record;
  while (open && reader->Next(&record)) {
    ++result.records;
    if (!record.profile.ok()) {
      result.errors.push_back(
          {record.line, "", "INVALID_ARGUMENT", std::string(record.profile.status().message())});
    } else {
      line_of_item.push_back(record.line);
      *chunk.add_profiles() = *std::move(record.profile);
      if (chunk.profiles_size() == kImportChunk) open = (*stream)->Write(/*last=*/false, &chunk);
    }
    if (options.progress) options.progress(result.records, reader->bytes_read());
  }
  if (!reader->status().ok()) {
    (*stream)->Cancel();
    (void)(*stream)->Finish();  // CANCELLED, by us
    return reader->status();
  }
  (*stream)->Write(/*last=*/true, &chunk);
  absl::StatusOr<socio::v1::ImportProfilesSummary> summary = (*stream)->Finish();
  if (!summary.ok()) return summary.status();
  result.summary = *std::move(summary);

  result.rejected = static_cast<int64_t>(result.errors.size()) + result.summary.rejected();
  for (const socio::v1::ImportError& e : result.summary.errors()) {
    const int64_t line = e.index() >= 0 && e.index() < static_cast<int64_t>(line_of_item.size())
                             ? line_of_item[e.index()]
                             : -1;
    result.errors.push_back({line, e.id(), e.code(), e.message()});
  }
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const Rejected& a, const Rejected& b) { return a.line < b.line; });
  return result;
}

}  // namespace socio::clients
