#include "tests/services/receivers.h"

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"

namespace socio::testing {
namespace {

using google::protobuf::Struct;

constexpr char kPython[] = "/usr/bin/python3";

absl::StatusOr<Receiver> Start(const std::string& script, const std::string& dir, int port,
                               std::vector<std::string> extra) {
  static int counter = 0;
  const std::string name = absl::StrCat(dir, "/receiver-", ++counter);
  Receiver receiver;
  receiver.records = name + ".jsonl";
  std::vector<std::string> argv = {kPython, SourceFile(script), "--port", absl::StrCat(port),
                                   "--out", receiver.records};
  argv.insert(argv.end(), extra.begin(), extra.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Start(argv, name);
  if (!process.ok()) return process.status();
  absl::StatusOr<std::string> line =
      (*process)->WaitForStderrLine("listening on ", absl::Seconds(20));
  if (!line.ok()) return line.status();
  const std::string number = line->substr(line->find("listening on ") + 13);
  if (!absl::SimpleAtoi(number, &receiver.port)) {
    return absl::InternalError(absl::StrCat("no port in '", *line, "'"));
  }
  receiver.process = *std::move(process);
  return receiver;
}

}  // namespace

absl::StatusOr<Receiver> StartSmtpReceiver(const std::string& dir, int port) {
  return Start("tests/support/smtp_receiver.py", dir, port, {});
}

absl::StatusOr<Receiver> StartWebhookReceiver(const std::string& dir, int fail, int port) {
  return Start("tests/support/webhook_receiver.py", dir, port, {"--fail", absl::StrCat(fail)});
}

std::vector<Struct> ReadRecords(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<Struct> records;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Struct record;
    // A line still being written does not parse yet; the next read has it.
    if (!google::protobuf::util::JsonStringToMessage(line, &record).ok()) break;
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<Struct> WaitForRecords(const std::string& path, size_t count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<Struct> records = ReadRecords(path);
  while (records.size() < count && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
    records = ReadRecords(path);
  }
  return records;
}

std::string Str(const Struct& record, absl::string_view name) {
  auto it = record.fields().find(std::string(name));
  return it == record.fields().end() ? "" : it->second.string_value();
}

std::string Str(const Struct& record, absl::string_view object, absl::string_view name) {
  auto it = record.fields().find(std::string(object));
  if (it == record.fields().end()) return "";
  return Str(it->second.struct_value(), name);
}

}  // namespace socio::testing
