#include "gateway/import.h"

#include <algorithm>
#include <istream>
#include <streambuf>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/import_reader.h"
#include "clients/profile_import.h"
#include "gateway/call.h"
#include "gateway/json.h"

namespace socio::gateway {
namespace {

using socio::clients::ImportFormat;
using socio::clients::ImportResult;
using socio::clients::ProfileReader;
using socio::clients::Rejected;

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

std::string SummaryJson(const ImportResult& result) {
  const socio::v1::ImportProfilesSummary& summary = result.summary;
  std::string json = absl::StrCat(R"({"received":)", result.records, R"(,"created":)",
                                  summary.created(), R"(,"updated":)", summary.updated(),
                                  R"(,"rejected":)", result.rejected, R"(,"errors":[)");
  const size_t listed = std::min(result.errors.size(), kMaxListedErrors);
  for (size_t i = 0; i < listed; ++i) {
    const Rejected& e = result.errors[i];
    absl::StrAppend(&json, i == 0 ? "" : ",", R"({"line":)", e.line, R"(,"id":)", JsonQuote(e.id),
                    R"(,"code":)", JsonQuote(e.code), R"(,"message":)", JsonQuote(e.message), "}");
  }
  json += "]";
  const int64_t omitted = result.rejected - static_cast<int64_t>(listed);
  if (omitted > 0) absl::StrAppend(&json, R"(,"errorsOmitted":)", omitted);
  json += "}";
  return json;
}

}  // namespace

ApiResponse ImportProfiles(const clients::ProfileClient& profiles, const ApiRequest& request) {
  bool upsert = false;
  absl::Status s = CheckQuery(request, {"format", "upsert"});
  if (s.ok()) s = QueryBool(request, "upsert", &upsert);
  absl::StatusOr<ImportFormat> format = FormatOf(request);
  if (s.ok()) s = format.status();
  if (!s.ok()) return ErrorResponse(s);

  ViewBuffer buffer(request.body);
  std::istream in(&buffer);
  ProfileReader reader(&in, *format);
  clients::ImportOptions options;
  options.upsert = upsert;
  options.request_id = RequestIdOf(request);
  const absl::StatusOr<ImportResult> result =
      clients::ImportProfiles(profiles, &reader, options, CallOf(request));
  if (!result.ok()) return ErrorResponse(result.status());
  ApiResponse response;
  response.body = SummaryJson(*result);
  return response;
}

}  // namespace socio::gateway
