// A pair's history (MetBefore, match.proto) in a few words, for the MET
// column of `socio match` and the agenda tables: the date of the last
// meeting, how it went as the member's side told it, and its rating.
//
//   MetBeforeText(met)  // "2026-05-12, held, 4/5"; "2026-05-12 (2×), no-show"
//
// Empty for a pair that has not met. Pure; thread-safe.
#ifndef SOCIO_CLIENTS_MET_BEFORE_H_
#define SOCIO_CLIENTS_MET_BEFORE_H_

#include <string>

#include "socio/v1/match.pb.h"

namespace socio::clients {

// The date (UTC) of the last meeting, "(N×)" after it for more than one,
// then as told by the member's side: "held", "no-show" or "cancelled", the
// rating "R/5", "follow up: yes|maybe|no", and the stage 2 status
// ("agreement signed", ...) when told; parts not told are left out.
std::string MetBeforeText(const socio::v1::MetBefore& met);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_MET_BEFORE_H_
