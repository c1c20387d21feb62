// Fuzzes the import reader (clients/import_reader.h) on arbitrary text, read
// once as JSONL and once as CSV.
//
// Invariants: no crash or sanitizer report; records come with strictly
// growing line numbers between 1 and the input's line count; a record's
// error is INVALID_ARGUMENT, a reader's fatal error INVALID_ARGUMENT or
// DATA_LOSS; a reader that ends without error has consumed every byte; a
// parsed profile goes through validation (ProfileValidator::Normalize) to OK
// or INVALID_ARGUMENT.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clients/import_reader.h"
#include "reference/reference_data.h"
#include "storage/profile_validation.h"

namespace socio::fuzz {
namespace {

[[noreturn]] void Violated(clients::ImportFormat format, const std::string& what) {
  std::fprintf(stderr, "import_parser (%s): %s\n",
               format == clients::ImportFormat::kCsv ? "CSV" : "JSONL", what.c_str());
  std::abort();
}

const storage::ProfileValidator& Validator() {
  static const storage::ProfileValidator* validator = [] {
    absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
        reference::ReferenceData::Load({});
    if (!reference.ok()) {
      std::fprintf(stderr, "import_parser: %s\n", reference.status().ToString().c_str());
      std::abort();
    }
    return new storage::ProfileValidator(*std::move(reference));
  }();
  return *validator;
}

// Lines as a text editor counts them: a last line without a line ending counts.
int64_t LineCount(const std::string& text) {
  int64_t lines = 0;
  for (char c : text) lines += c == '\n';
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

void ReadAll(const std::string& text, clients::ImportFormat format) {
  std::istringstream in(text);
  clients::ProfileReader reader(&in, format);
  const int64_t lines = LineCount(text);
  int64_t last_line = 0;
  clients::ImportRecord record;
  while (reader.Next(&record)) {
    if (record.line <= last_line || record.line > lines) {
      Violated(format, absl::StrCat("record at line ", record.line, " after line ", last_line,
                                    " of ", lines));
    }
    last_line = record.line;
    if (reader.bytes_read() > static_cast<int64_t>(text.size())) {
      Violated(format, "read more bytes than there are");
    }
    if (!record.profile.ok()) {
      if (!absl::IsInvalidArgument(record.profile.status())) {
        Violated(format, "record error " + record.profile.status().ToString());
      }
      continue;
    }
    socio::v1::Profile profile = *std::move(record.profile);
    const absl::Status valid = Validator().Normalize(&profile);
    if (!valid.ok() && !absl::IsInvalidArgument(valid)) {
      Violated(format, "validation " + valid.ToString());
    }
  }
  const absl::Status status = reader.status();
  if (status.ok()) {
    if (reader.bytes_read() != static_cast<int64_t>(text.size())) {
      Violated(format, absl::StrCat("ended after ", reader.bytes_read(), " of ", text.size(),
                                    " bytes without an error"));
    }
  } else if (!absl::IsInvalidArgument(status) && !absl::IsDataLoss(status)) {
    Violated(format, "fatal error " + status.ToString());
  }
}

}  // namespace
}  // namespace socio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  socio::fuzz::ReadAll(text, socio::clients::ImportFormat::kJsonl);
  socio::fuzz::ReadAll(text, socio::clients::ImportFormat::kCsv);
  return 0;
}
