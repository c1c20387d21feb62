// The client's side of an import stream (ProfileService.ImportProfiles),
// for `socio profiles import` and the gateway's import route: messages
// written with `more` set on all but the last, counted, and the server's
// summary checked against the counts, so that nothing sent goes missing
// without an error.
//
//   ImportSent sent;
//   ImportProfilesRequest chunk;
//   ... add profiles to chunk; when it is full:
//   if (!WriteImportChunk(stream.get(), /*last=*/false, &chunk, &sent)) ...  // call ended
//   WriteImportChunk(stream.get(), /*last=*/true, &chunk, &sent);
//   stream->WritesDone();
//   absl::Status outcome = CheckImport(stream->Finish(), sent, summary);
#ifndef SOCIO_CLIENTS_IMPORT_STREAM_H_
#define SOCIO_CLIENTS_IMPORT_STREAM_H_

#include <cstdint>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/sync_stream.h"
#include "socio/v1/profile_service.pb.h"

namespace socio::clients {

// What a client wrote to an import stream.
struct ImportSent {
  int64_t messages = 0;
  int64_t items = 0;  // profiles in those messages
};

// Writes `chunk` with more = !last, counts it in `sent` and clears its
// profiles (upsert stays). An empty chunk is written only as the last one.
// False if the call has ended (Finish says why); nothing is counted then.
bool WriteImportChunk(grpc::ClientWriterInterface<socio::v1::ImportProfilesRequest>* stream,
                      bool last, socio::v1::ImportProfilesRequest* chunk, ImportSent* sent);

// How an import went, from the call's `status` and the server's `summary`:
// - OK if the call succeeded and the server read every message and item sent.
// - DATA_LOSS naming both counts if it succeeded having read fewer (messages
//   lost on the way; a server that does not count messages is checked by
//   items alone).
// - Otherwise the call's error, its message followed by what was sent and
//   what the server keeps: only the batches of 1,000 items it committed
//   before the failure.
absl::Status CheckImport(const grpc::Status& status, const ImportSent& sent,
                         const socio::v1::ImportProfilesSummary& summary);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_IMPORT_STREAM_H_
