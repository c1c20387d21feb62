// POST /api/v1/profiles:import: an uploaded profile file, read by the parser
// `socio profiles import` uses (clients/import_reader.h, JSONL or CSV), its
// good records streamed through ProfileService.ImportProfiles in chunks, and
// every rejected record reported with its line in the file:
//
//   {"received": 3, "created": 2, "updated": 0, "rejected": 1,
//    "errors": [{"line": 2, "id": "", "code": "INVALID_ARGUMENT",
//                "message": "..."}]}
//
// received counts the file's records, those that did not parse included;
// rejected counts both kinds of error. Errors are in line order, the first
// 10,000 of them; "errorsOmitted" counts the rest when there are more.
//
// The body is the file itself, or a multipart/form-data upload holding it.
// Query: format=jsonl|csv (default: what the upload's file name says,
// .csv or .jsonl/.ndjson/.json; else csv when the Content-Type is text/csv,
// else jsonl) and upsert=true|false (default false: an existing id is
// rejected with ALREADY_EXISTS).
//
// Internal to the gateway (gateway/).
#ifndef SOCIO_GATEWAY_IMPORT_H_
#define SOCIO_GATEWAY_IMPORT_H_

#include "clients/profile_client.h"
#include "gateway/router.h"

namespace socio::gateway {

// Imports request.body with clients::ImportProfiles (clients/profile_import.h).
// A fatal error of the file (a bad CSV header) is 400 and nothing is
// stored; an error of the call (UNAUTHENTICATED, ...) is mapped as for any
// route, its message saying what was sent and what sociod keeps. A summary
// that counts fewer messages or items than were sent is DATA_LOSS (500).
ApiResponse ImportProfiles(const clients::ProfileClient& profiles, const ApiRequest& request);

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_IMPORT_H_
