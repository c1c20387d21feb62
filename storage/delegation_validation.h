// Validation of delegations before they are written.
//
//   absl::Status s = ValidateDelegation(delegation, *reference);
//   // s.message(): "delegation.days[2].end_time: '25:00' is not a time of
//   //               day (HH:MM)"
//
// A delegation is checked on its own: ids, countries, sectors and time zones
// against the reference data, dates, times and limits, and that the parts
// name each other consistently (a pair's delegate is a delegate, an
// unavailability falls on a day of the itinerary, a fixed start is a slot
// start, as reference/itinerary.h computes them; a programme item falls on a
// day of the itinerary and names delegates or named hosts; coordinates are
// in range; interpreters' languages are ISO 639-1 codes). What needs other data is
// the caller's job (the planning service): that member ids name profiles
// (NOT_FOUND), that named hosts are in a city of the itinerary and that a
// locked pair is ever free at the same time (FAILED_PRECONDITION). The
// output-only fields (version, times, plan) are not looked at.
#ifndef SOCIO_STORAGE_DELEGATION_VALIDATION_H_
#define SOCIO_STORAGE_DELEGATION_VALIDATION_H_

#include "absl/status/status.h"
#include "reference/reference_data.h"
#include "socio/v1/delegation.pb.h"

namespace socio::storage {

// OK if `delegation` may be stored; otherwise INVALID_ARGUMENT naming the
// first bad field as "delegation.<path>" and the reason.
absl::Status ValidateDelegation(const socio::v1::Delegation& delegation,
                                const reference::ReferenceData& reference);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_DELEGATION_VALIDATION_H_
