#include "services/gateway_import.h"

#include <algorithm>
#include <istream>
#include <streambuf>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/import_reader.h"
#include "clients/import_stream.h"
#include "services/gateway_call.h"
#include "services/gateway_json.h"

namespace socio::services::gateway {
namespace {

using socio::clients::ImportFormat;
using socio::clients::ImportRecord;
using socio::clients::ProfileReader;

// Profiles per stream message, as the CLI sends them.
constexpr int kImportChunk = 500;
// Errors listed in the answer; the rest are counted.
constexpr size_t kMaxListedErrors = 10'000;

// Reads a string in place, without copying it into a stringstream.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(absl::string_view text) {
    char* begin = const_cast<char*>(text.data());  // never written: no put area
    setg(begin, begin, begin + text.size());
  }
};

struct Rejected {
  int64_t line;
  std::string id;
  std::string code;
  std::string message;
};

absl::StatusOr<ImportFormat> FormatOf(const ApiRequest& request) {
  const std::string format = QueryString(request, "format");
  if (format == "jsonl") return ImportFormat::kJsonl;
  if (format == "csv") return ImportFormat::kCsv;
  if (!format.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter format: '", format, "' is not jsonl or csv"));
  }
  if (!request.file_name.empty()) {
    absl::StatusOr<ImportFormat> from_name = socio::clients::FormatFromPath(request.file_name);
    if (from_name.ok()) return *from_name;
  }
  return absl::StartsWithIgnoreCase(absl::StripLeadingAsciiWhitespace(request.content_type),
                                    "text/csv")
             ? ImportFormat::kCsv
             : ImportFormat::kJsonl;
}

std::string SummaryJson(int64_t received, const socio::v1::ImportProfilesSummary& summary,
                        int64_t rejected, const std::vector<Rejected>& errors) {
  std::string json = absl::StrCat(R"({"received":)", received, R"(,"created":)", summary.created(),
                                  R"(,"updated":)", summary.updated(), R"(,"rejected":)", rejected,
                                  R"(,"errors":[)");
  for (size_t i = 0; i < errors.size(); ++i) {
    const Rejected& e = errors[i];
    absl::StrAppend(&json, i == 0 ? "" : ",", R"({"line":)", e.line, R"(,"id":)", JsonQuote(e.id),
                    R"(,"code":)", JsonQuote(e.code), R"(,"message":)", JsonQuote(e.message), "}");
  }
  json += "]";
  const int64_t omitted = rejected - static_cast<int64_t>(errors.size());
  if (omitted > 0) absl::StrAppend(&json, R"(,"errorsOmitted":)", omitted);
  json += "}";
  return json;
}

}  // namespace

ApiResponse ImportProfiles(socio::v1::ProfileService::Stub* stub, absl::Duration deadline,
                           const ApiRequest& request) {
  bool upsert = false;
  absl::Status s = CheckQuery(request, {"format", "upsert"});
  if (s.ok()) s = QueryBool(request, "upsert", &upsert);
  absl::StatusOr<ImportFormat> format = FormatOf(request);
  if (s.ok()) s = format.status();
  if (!s.ok()) return ErrorResponse(s);
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> context = NewCallContext(request, deadline);
  if (!context.ok()) return ErrorResponse(context.status());

  ViewBuffer buffer(request.body);
  std::istream in(&buffer);
  ProfileReader reader(&in, *format);
  std::vector<Rejected> rejected;     // lines that did not parse
  std::vector<int64_t> line_of_item;  // stream index -> line
  int64_t records = 0;

  socio::v1::ImportProfilesSummary summary;
  std::unique_ptr<grpc::ClientWriter<socio::v1::ImportProfilesRequest>> stream =
      stub->ImportProfiles(context->get(), &summary);
  socio::v1::ImportProfilesRequest chunk;
  chunk.set_upsert(upsert);
  chunk.set_request_id(RequestIdOf(request));  // the first message carries it
  socio::clients::ImportSent sent;
  bool stream_open = true;  // false: the call ended, Finish says why
  const auto send = [&](bool last) {
    if (stream_open)
      stream_open = socio::clients::WriteImportChunk(stream.get(), last, &chunk, &sent);
  };
  ImportRecord record;
  while (stream_open && reader.Next(&record)) {
    ++records;
    if (!record.profile.ok()) {
      rejected.push_back(
          {record.line, "", "INVALID_ARGUMENT", std::string(record.profile.status().message())});
      continue;
    }
    line_of_item.push_back(record.line);
    *chunk.add_profiles() = *std::move(record.profile);
    if (chunk.profiles_size() == kImportChunk) send(/*last=*/false);
  }
  if (!reader.status().ok()) {
    // A bad CSV header: it is the first record, so nothing was sent.
    (*context)->TryCancel();
    (void)stream->Finish();  // CANCELLED, by us
    return ErrorResponse(reader.status());
  }
  send(/*last=*/true);
  if (stream_open) stream->WritesDone();
  const absl::Status outcome = socio::clients::CheckImport(stream->Finish(), sent, summary);
  if (!outcome.ok()) return ErrorResponse(outcome);

  const int64_t parse_errors = static_cast<int64_t>(rejected.size());
  for (const socio::v1::ImportError& e : summary.errors()) {
    const int64_t line = e.index() >= 0 && e.index() < static_cast<int64_t>(line_of_item.size())
                             ? line_of_item[e.index()]
                             : -1;
    rejected.push_back({line, e.id(), e.code(), e.message()});
  }
  std::stable_sort(rejected.begin(), rejected.end(),
                   [](const Rejected& a, const Rejected& b) { return a.line < b.line; });
  if (rejected.size() > kMaxListedErrors) rejected.resize(kMaxListedErrors);

  ApiResponse response;
  response.body = SummaryJson(records, summary, parse_errors + summary.rejected(), rejected);
  return response;
}

}  // namespace socio::services::gateway
