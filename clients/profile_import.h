// ImportProfiles: a whole profile file (JSONL or CSV, read by a
// ProfileReader, clients/import_reader.h) through one ProfileService
// ImportProfiles call, the good records sent in chunks, every rejected
// record (one that did not parse, one the server refused) reported with its
// line in the file. What `socio profiles import` and the gateway's import
// route are made of.
//
//   std::ifstream in(path, std::ios::binary);
//   ProfileReader reader(&in, ImportFormat::kCsv);
//   absl::StatusOr<ImportResult> result =
//       ImportProfiles(profiles, &reader, {.upsert = true, .request_id = id});
//   if (!result.ok()) return result.status();
//   for (const Rejected& r : result->errors) ...   // line, id, code, message
#ifndef SOCIO_CLIENTS_PROFILE_IMPORT_H_
#define SOCIO_CLIENTS_PROFILE_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/client_options.h"
#include "clients/import_reader.h"
#include "clients/profile_client.h"
#include "socio/v1/profile_service.pb.h"

namespace socio::clients {

// A record of the file that was not stored.
struct Rejected {
  // Its line in the file; -1 if the server named an item it was not sent.
  int64_t line = 0;
  // The profile id, when the server gave one ("" for a record that did not
  // parse).
  std::string id;
  // The canonical code's name ("INVALID_ARGUMENT", "ALREADY_EXISTS", ...).
  std::string code;
  std::string message;
};

struct ImportOptions {
  // Replace profiles that exist instead of rejecting them (ALREADY_EXISTS).
  bool upsert = false;
  // The request_id (AIP-155) the call carries; "" for none.
  std::string request_id;
  // Called after each record read with the records and bytes read so far
  // (a progress bar); may be empty.
  std::function<void(int64_t records, int64_t bytes)> progress;
};

struct ImportResult {
  // Records of the file, those that did not parse included.
  int64_t records = 0;
  // The server's summary (created, updated, errors, errors_omitted, ...).
  socio::v1::ImportProfilesSummary summary;
  // Records that did not parse plus those the server rejected.
  int64_t rejected = 0;
  // Records that did not parse and those the server rejected and listed
  // (the first 10,000), in line order.
  std::vector<Rejected> errors;
};

// Reads `reader` (not owned) to its end and imports its good records
// through `profiles`, in chunks of 500. On success the result; a record
// that does not parse is an entry of result.errors, not an error. Errors:
// - the reader's fatal error (a bad CSV header, an I/O error): the call is
//   cancelled, and the server keeps only the batches of 1,000 it committed
//   before (none for a bad header, the first record);
// - the call's error, its message saying what was sent and what the server
//   keeps, and DATA_LOSS if the server read fewer messages or profiles than
//   were sent (ImportStream::Finish).
absl::StatusOr<ImportResult> ImportProfiles(const ProfileClient& profiles, ProfileReader* reader,
                                            const ImportOptions& options,
                                            const CallOptions& call = {});

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_PROFILE_IMPORT_H_
