#include "clients/cli_output.h"

#include <iostream>
#include <utility>

#include "google/protobuf/util/json_util.h"

namespace socio::clients {

int Fail(const absl::Status& status) {
  std::cerr << "socio: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
            << "\n";
  if (status.code() == absl::StatusCode::kUnavailable) {
    std::cerr << "socio: is sociod running there? Pick the server with --server HOST:PORT or "
                 "SOCIO_SERVER.\n";
  }
  return 1;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  // Serialising a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

void OnRun(CLI::App* command, int* exit_code, std::function<int()> body) {
  command->callback([exit_code, body = std::move(body)] { *exit_code = body(); });
}

}  // namespace socio::clients
