// What every `socio` command shares: how it reports an error, prints JSON
// and hands its exit status back to main.
#ifndef SOCIO_CLIENTS_CLI_OUTPUT_H_
#define SOCIO_CLIENTS_CLI_OUTPUT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "socio/v1/profile.pb.h"

namespace socio::clients {

// Prints "socio: CODE: message" on stderr (with a hint where to find the
// server for UNAVAILABLE) and returns exit status 1.
int Fail(const absl::Status& status);

// The same for a failed call's status.
int Fail(const grpc::Status& status);

// "2026-11-25 10:47:27 UTC"; "" for an unset timestamp.
std::string FormatTime(const google::protobuf::Timestamp& t);

// A contact person on one line: "Ana López (Export manager)
// <ana@salsas.mx> +52 55 1234 5678 [es, en]", each part only when given.
std::string FormatContact(const socio::v1::Contact& contact);

// The proto JSON mapping of `message` on one line.
std::string ToJson(const google::protobuf::Message& message);

// The values of a repeatable option, each occurrence possibly a
// comma-separated list (CLI11 splits those), trimmed, empty ones dropped.
std::vector<std::string> Values(const std::vector<std::string>& given);

// The whole of a file, or of stdin for "-". The errno of a failed open as a
// status (NOT_FOUND for a missing file) naming the path.
absl::StatusOr<std::string> ReadInput(const std::string& path);

// Runs `body` when `command` is chosen and stores its result in `*exit_code`.
void OnRun(CLI::App* command, int* exit_code, std::function<int()> body);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CLI_OUTPUT_H_
