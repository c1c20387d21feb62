// The client's side of one ImportProfiles call (ProfileService), made by
// ProfileClient::StartImport and driven by ImportProfiles
// (clients/profile_import.h): messages written with `more` set on all but
// the last, counted, and the server's summary checked against the counts,
// so that nothing sent goes missing without an error.
//
//   absl::StatusOr<std::unique_ptr<ImportStream>> stream = profiles.StartImport();
//   ImportProfilesRequest chunk;
//   ... add profiles to chunk; when it is full:
//   if (!(*stream)->Write(/*last=*/false, &chunk)) ...  // call ended: Finish says why
//   (*stream)->Write(/*last=*/true, &chunk);
//   absl::StatusOr<ImportProfilesSummary> summary = (*stream)->Finish();
//
// Not thread-safe.
#ifndef SOCIO_CLIENTS_IMPORT_STREAM_H_
#define SOCIO_CLIENTS_IMPORT_STREAM_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/sync_stream.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::clients {

// What a client wrote to an import stream.
struct ImportSent {
  int64_t messages = 0;
  int64_t items = 0;  // profiles in those messages
};

class ImportStream {
 public:
  // Starts the call on `stub` (not owned, must outlive the stream) with
  // `context`. Finish puts the consistency token the answer carried in
  // `*answered_consistency_token` (not owned; may be null; see
  // CallOptions).
  ImportStream(std::unique_ptr<grpc::ClientContext> context, socio::v1::ProfileService::Stub* stub,
               std::string* answered_consistency_token = nullptr);

  ImportStream(const ImportStream&) = delete;
  ImportStream& operator=(const ImportStream&) = delete;

  // Writes `chunk` with more = !last, counts it in sent() and clears its
  // profiles and request_id (upsert stays). An empty chunk is written only
  // as the last one. False if the call has ended (Finish says why); nothing
  // is counted then, and later writes do nothing.
  bool Write(bool last, socio::v1::ImportProfilesRequest* chunk);

  // What was written so far.
  const ImportSent& sent() const { return sent_; }

  // Ends the call from this side (Finish then answers CANCELLED).
  void Cancel();

  // Closes the writing side and waits for the server's summary. Call once.
  // - The summary if the call succeeded and the server read every message
  //   and item sent.
  // - DATA_LOSS naming both counts if it succeeded having read fewer
  //   (messages lost on the way; a server that does not count messages is
  //   checked by items alone).
  // - Otherwise the call's error, its message followed by what was sent and
  //   what the server keeps: only the batches of 1,000 items it committed
  //   before the failure.
  absl::StatusOr<socio::v1::ImportProfilesSummary> Finish();

 private:
  const std::unique_ptr<grpc::ClientContext> context_;
  std::string* const answered_consistency_token_;
  socio::v1::ImportProfilesSummary summary_;
  const std::unique_ptr<grpc::ClientWriter<socio::v1::ImportProfilesRequest>> writer_;
  ImportSent sent_;
  bool open_ = true;  // false once a write failed: the call has ended
};

// How an import went, from the call's `status`, what was `sent` and the
// server's `summary`, as ImportStream::Finish says.
absl::Status CheckImport(const grpc::Status& status, const ImportSent& sent,
                         const socio::v1::ImportProfilesSummary& summary);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_IMPORT_STREAM_H_
