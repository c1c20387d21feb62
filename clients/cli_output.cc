#include "clients/cli_output.h"

#include <cerrno>
#include <fstream>
#include <iostream>
#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/grpc_status.h"
#include "google/protobuf/util/json_util.h"

namespace socio::clients {

int Fail(const absl::Status& status) {
  std::cerr << "socio: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
            << "\n";
  if (status.code() == absl::StatusCode::kUnavailable) {
    std::cerr << "socio: is sociod running there? Pick the server with --server HOST:PORT or "
                 "SOCIO_SERVER.\n";
  }
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    std::cerr << "socio: pass a token with --token, SOCIO_TOKEN, --token_file or "
                 "SOCIO_TOKEN_FILE (an operator's is in the server's DATA_DIR/admin.token).\n";
  }
  return 1;
}

int Fail(const grpc::Status& status) { return Fail(FromGrpcStatus(status)); }

std::string FormatTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  // Serialising a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

std::string FormatContact(const socio::v1::Contact& c) {
  std::string text = c.name();
  if (!c.role().empty()) absl::StrAppend(&text, " (", c.role(), ")");
  if (!c.email().empty()) absl::StrAppend(&text, " <", c.email(), ">");
  if (!c.phone().empty()) absl::StrAppend(&text, " ", c.phone());
  if (!c.languages().empty()) absl::StrAppend(&text, " [", absl::StrJoin(c.languages(), ", "), "]");
  return text;
}

void OnRun(CLI::App* command, int* exit_code, std::function<int()> body) {
  command->callback([exit_code, body = std::move(body)] { *exit_code = body(); });
}

std::vector<std::string> Values(const std::vector<std::string>& given) {
  std::vector<std::string> values;
  for (const std::string& value : given) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(value);
    if (!trimmed.empty()) values.emplace_back(trimmed);
  }
  return values;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace socio::clients
