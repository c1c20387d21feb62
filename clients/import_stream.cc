#include "clients/import_stream.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "clients/grpc_status.h"

namespace socio::clients {
namespace {

// Items per batch the server commits whole (ImportProfiles' contract).
constexpr int64_t kServerBatchItems = 1000;

}  // namespace

bool WriteImportChunk(grpc::ClientWriterInterface<socio::v1::ImportProfilesRequest>* stream,
                      bool last, socio::v1::ImportProfilesRequest* chunk, ImportSent* sent) {
  if (chunk->profiles().empty() && !last) return true;
  chunk->set_more(!last);
  if (!stream->Write(*chunk)) return false;
  ++sent->messages;
  sent->items += chunk->profiles_size();
  chunk->clear_profiles();
  chunk->clear_request_id();  // the first message carries it
  return true;
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
