// Retries made safe (AIP-155): what every create, import and plan handler
// does with the request_id of its request, written once.
//
//   return Serve(*auth_, context, [&](const Caller& caller) {
//     return AnswerOnce(*request_ids_, caller, "CreateProfile", *request, response,
//                       [&](const storage::RequestTicket* ticket) -> absl::Status {
//                         ... validate, check, store_->Create(profile, ticket) ...
//                       });
//   });
//
// A request answered before (same caller, rpc, request_id and request) is
// answered from storage/request_ids.h right after the caller is known,
// before anything else is checked, since its checks passed the first time.
// The work gets the ticket to hand to the store, which writes the answer in
// the same batch as the write. Requests without a request_id run as ever.
#ifndef SOCIO_SERVICES_IDEMPOTENCY_H_
#define SOCIO_SERVICES_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/auth.h"
#include "storage/request_ids.h"

namespace socio::services {

// Runs `work` unless `request` (a message with a `string request_id` field)
// was answered before: then its first answer goes into `response` and
// nothing runs. `work` fills `response` itself and passes the ticket (null
// without a request_id) to the store that writes. INVALID_ARGUMENT naming
// request_id for a malformed one or one used for another request.
absl::Status AnswerOnce(storage::RequestIdStore& request_ids, const Caller& caller,
                        absl::string_view method, const google::protobuf::Message& request,
                        google::protobuf::Message* response,
                        absl::FunctionRef<absl::Status(const storage::RequestTicket*)> work);

// The same for a client stream whose first message carries the request_id
// (ImportProfiles). Feed it every message as read (it clears their
// request_id); once answered() is true the stream is a retry of a finished
// request and must only be read to its end, then Finish gives the answer.
// Otherwise the handler does its work and Finish remembers its answer.
class StreamAnswerOnce {
 public:
  StreamAnswerOnce(storage::RequestIdStore& request_ids, const Caller& caller,
                   absl::string_view method);

  // INVALID_ARGUMENT naming request_id for a malformed one, or for a later
  // message naming another than the first.
  absl::Status Add(google::protobuf::Message* message);
  // Whether the request_id was answered before: write nothing.
  bool answered() const { return remembered_.has_value(); }
  // If answered(): the first answer into `response`, or INVALID_ARGUMENT if
  // this stream is not the request it answered. Otherwise remembers
  // `response` (when the stream had a request_id) and returns OK.
  absl::Status Finish(google::protobuf::Message* response);

 private:
  storage::RequestIdStore& request_ids_;
  const std::string caller_;
  const std::string method_;
  bool first_ = true;
  std::optional<storage::RequestTicket> ticket_;
  storage::RequestFingerprint fingerprint_;
  std::optional<storage::RequestIdStore::Remembered> remembered_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_IDEMPOTENCY_H_
