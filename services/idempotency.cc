#include "services/idempotency.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace socio::services {
namespace {

// Expired answers deleted after each answer remembered: more than one, so
// the sweep keeps up with any rate of new ones and the family stays at about
// a day's worth.
constexpr int kSweepPerAnswer = 4;

constexpr char kRequestIdField[] = "request_id";

const google::protobuf::FieldDescriptor* RequestIdField(const google::protobuf::Message& message) {
  return message.GetDescriptor()->FindFieldByName(kRequestIdField);
}

// The answer remembered for `request_id`, into `response`.
absl::Status ParseRemembered(const std::string& bytes, absl::string_view request_id,
                             google::protobuf::Message* response) {
  if (response->ParseFromString(bytes)) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat("the remembered answer to request_id '", request_id, "' does not parse"));
}

void SweepSome(storage::RequestIdStore& request_ids) {
  // Best effort: an entry left now is deleted by a later sweep, and Find
  // ignores it meanwhile.
  (void)request_ids.Sweep(absl::Now(), kSweepPerAnswer);
}

}  // namespace

absl::Status AnswerOnce(storage::RequestIdStore& request_ids, const Caller& caller,
                        absl::string_view method, const google::protobuf::Message& request,
                        google::protobuf::Message* response,
                        absl::FunctionRef<absl::Status(const storage::RequestTicket*)> work) {
  const google::protobuf::FieldDescriptor* field = RequestIdField(request);
  const std::string request_id =
      field == nullptr ? "" : request.GetReflection()->GetString(request, field);
  if (request_id.empty()) return work(nullptr);
  absl::StatusOr<storage::RequestTicket> ticket =
      storage::RequestTicket::Make(caller.Key(), method, request_id);
  if (!ticket.ok()) return ticket.status();
  std::unique_ptr<google::protobuf::Message> bare(request.New());
  bare->CopyFrom(request);
  bare->GetReflection()->ClearField(bare.get(), field);
  ticket->set_fingerprint(storage::FingerprintOf(*bare));

  absl::StatusOr<std::optional<std::string>> first = request_ids.Find(*ticket);
  if (!first.ok()) return first.status();
  if (first->has_value()) return ParseRemembered(**first, request_id, response);
  absl::Status status = work(&*ticket);
  if (status.ok()) SweepSome(request_ids);
  return status;
}

StreamAnswerOnce::StreamAnswerOnce(storage::RequestIdStore& request_ids, const Caller& caller,
                                   absl::string_view method)
    : request_ids_(request_ids), caller_(caller.Key()), method_(method) {}

absl::Status StreamAnswerOnce::Add(google::protobuf::Message* message) {
  const google::protobuf::FieldDescriptor* field = RequestIdField(*message);
  const google::protobuf::Reflection* reflection = message->GetReflection();
  const std::string request_id = field == nullptr ? "" : reflection->GetString(*message, field);
  if (first_) {
    first_ = false;
    if (!request_id.empty()) {
      absl::StatusOr<storage::RequestTicket> ticket =
          storage::RequestTicket::Make(caller_, method_, request_id);
      if (!ticket.ok()) return ticket.status();
      absl::StatusOr<std::optional<storage::RequestIdStore::Remembered>> remembered =
          request_ids_.Lookup(*ticket);
      if (!remembered.ok()) return remembered.status();
      ticket_ = *std::move(ticket);
      remembered_ = *std::move(remembered);
    }
  } else if (!request_id.empty() && (!ticket_.has_value() || request_id != ticket_->request_id())) {
    return absl::InvalidArgumentError(
        absl::StrCat(kRequestIdField, ": '", request_id,
                     "' differs from the first message's; later messages repeat it or leave it "
                     "empty"));
  }
  if (!ticket_.has_value()) return absl::OkStatus();
  reflection->ClearField(message, field);
  fingerprint_.Add(*message);
  return absl::OkStatus();
}

absl::Status StreamAnswerOnce::Finish(google::protobuf::Message* response) {
  if (!ticket_.has_value()) return absl::OkStatus();
  ticket_->set_fingerprint(fingerprint_.Finish());
  if (!answered()) {
    absl::Status remembered = request_ids_.Remember(*ticket_, response->SerializeAsString());
    if (remembered.ok()) SweepSome(request_ids_);
    return remembered;
  }
  absl::StatusOr<std::optional<std::string>> first = request_ids_.Find(*ticket_);
  if (!first.ok()) return first.status();
  if (!first->has_value()) {
    return absl::AbortedError(
        absl::StrCat(kRequestIdField, ": the answer to '", ticket_->request_id(),
                     "' expired while the stream was read; nothing was written: send it again"));
  }
  return ParseRemembered(**first, ticket_->request_id(), response);
}

}  // namespace socio::services
