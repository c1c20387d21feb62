// Local servers that record what Socio's notification senders deliver: an
// SMTP server (tests/support/smtp_receiver.py, python3-aiosmtpd) and a
// webhook receiver that fails on purpose first
// (tests/support/webhook_receiver.py). Each writes one JSON line per
// message or request it gets; ReadRecords reads them back.
#ifndef SOCIO_TESTS_SERVICES_RECEIVERS_H_
#define SOCIO_TESTS_SERVICES_RECEIVERS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "tests/support/process.h"

namespace socio::testing {

struct Receiver {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
  // The JSON-lines file it records to.
  std::string records;
};

// Starts the SMTP receiver on `port` (0: the kernel picks; a ReservedPort's
// may be given, tests/support/reserved_port.h) with its files in `dir`, once
// it accepts connections.
absl::StatusOr<Receiver> StartSmtpReceiver(const std::string& dir, int port = 0);
// Starts the webhook receiver, answering 500 to the first `fail` POSTs.
absl::StatusOr<Receiver> StartWebhookReceiver(const std::string& dir, int fail, int port = 0);

// The records written so far, each line parsed as a JSON object.
std::vector<google::protobuf::Struct> ReadRecords(const std::string& path);
// Waits until there are at least `count` records (or `timeout` passes) and
// returns what there is then.
std::vector<google::protobuf::Struct> WaitForRecords(const std::string& path, size_t count,
                                                     absl::Duration timeout = absl::Seconds(20));

// A string member of a record ("text"), or of an object member of it
// ("headers", "Subject"); empty when missing.
std::string Str(const google::protobuf::Struct& record, absl::string_view name);
std::string Str(const google::protobuf::Struct& record, absl::string_view object,
                absl::string_view name);

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SERVICES_RECEIVERS_H_
