#include "clients/import_stream.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/channel.h"
#include "clients/grpc_status.h"

namespace socio::clients {
namespace {

// Items per batch the server commits whole (ImportProfiles' contract).
constexpr int64_t kServerBatchItems = 1000;

}  // namespace

ImportStream::ImportStream(std::unique_ptr<grpc::ClientContext> context,
                           socio::v1::ProfileService::Stub* stub,
                           std::string* answered_consistency_token)
    : context_(std::move(context)),
      answered_consistency_token_(answered_consistency_token),
      writer_(stub->ImportProfiles(context_.get(), &summary_)) {}

bool ImportStream::Write(bool last, socio::v1::ImportProfilesRequest* chunk) {
  if (!open_) return false;
  if (chunk->profiles().empty() && !last) return true;
  chunk->set_more(!last);
  if (!writer_->Write(*chunk)) {
    open_ = false;
    return false;
  }
  ++sent_.messages;
  sent_.items += chunk->profiles_size();
  chunk->clear_profiles();
  chunk->clear_request_id();  // the first message carries it
  return true;
}

void ImportStream::Cancel() { context_->TryCancel(); }

absl::StatusOr<socio::v1::ImportProfilesSummary> ImportStream::Finish() {
  if (open_) writer_->WritesDone();
  open_ = false;
  const grpc::Status status = writer_->Finish();
  Channel::KeepConsistencyToken(*context_, answered_consistency_token_);
  if (absl::Status s = CheckImport(status, sent_, summary_); !s.ok()) return s;
  return summary_;
}

absl::Status CheckImport(const grpc::Status& status, const ImportSent& sent,
                         const socio::v1::ImportProfilesSummary& summary) {
  if (!status.ok()) {
    const absl::Status error = FromGrpcStatus(status);
    if (sent.messages == 0) return error;
    const int64_t kept = sent.items / kServerBatchItems * kServerBatchItems;
    return absl::Status(
        error.code(),
        absl::StrCat(error.message(), " (sent before the call ended: ", sent.messages,
                     " messages, ", sent.items, " profiles; the server keeps only the batches of ",
                     kServerBatchItems, " it committed before the failure: ",
                     kept == 0 ? "none of them" : absl::StrCat("at most ", kept, " of them"), ")"));
  }
  // A server that predates messages_received leaves it 0.
  const bool messages_lost =
      summary.messages_received() != 0 && summary.messages_received() != sent.messages;
  if (summary.received() != sent.items || messages_lost) {
    return absl::DataLossError(absl::StrCat(
        "the server read ", summary.received(), " of the ", sent.items, " profiles sent (",
        summary.messages_received(), " of ", sent.messages,
        " messages) and answered OK: the others were lost on the way and are not stored"));
  }
  return absl::OkStatus();
}

}  // namespace socio::clients
