// Validation of delegations before they are written, and the meeting slots of
// an itinerary day, which the planning service builds its grid from.
//
//   absl::Status s = ValidateDelegation(delegation, *reference);
//   // s.message(): "delegation.days[2].end_time: '25:00' is not a time of
//   //               day (HH:MM)"
//   DaySlots slots = SlotsOfDay(delegation, delegation.days(0), *reference);
//   // slots.starts: {540, 580, 620, ...} for 09:00, 09:40, 10:20, ...
//
// A delegation is checked on its own: ids, countries, sectors and time zones
// against the reference data, dates, times and limits, and that the parts
// name each other consistently (a pair's delegate is a delegate, an
// unavailability falls on a day of the itinerary, a fixed start is a slot
// start). What needs other data is the caller's job (the planning service):
// that member ids name profiles (NOT_FOUND), that named hosts are in a city of
// the itinerary and that a locked pair is ever free at the same time
// (FAILED_PRECONDITION). The output-only fields (version, times, plan) are not
// looked at.
#ifndef SOCIO_STORAGE_DELEGATION_VALIDATION_H_
#define SOCIO_STORAGE_DELEGATION_VALIDATION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "reference/reference_data.h"
#include "socio/v1/delegation.pb.h"

namespace socio::storage {

// What 0 means in the fields of that name (see delegation.proto).
inline constexpr int kDefaultMeetingMinutes = 30;
inline constexpr int kDefaultBreakMinutes = 10;
inline constexpr int kDefaultTablesPerVenue = 10;

// OK if `delegation` may be stored; otherwise INVALID_ARGUMENT naming the
// first bad field as "delegation.<path>" and the reason.
absl::Status ValidateDelegation(const socio::v1::Delegation& delegation,
                                const reference::ReferenceData& reference);

// The meeting grid of one itinerary day, with the defaults of the delegation
// resolved.
struct DaySlots {
  absl::CivilDay date;
  // IANA name: the day's own zone, else the host country's principal zone.
  std::string time_zone;
  // Effective lengths: the delegation's, or 30 and 10 where it says 0 (each
  // field on its own, so a break of 0 cannot be asked for).
  int meeting_minutes = 0;
  int break_minutes = 0;
  // Meetings at once: the day's tables, else tables_per_venue, else 10.
  int tables = 0;
  // Slot k starts at start_time + k * (meeting + break) minutes after local
  // midnight, for every k whose meeting ends by end_time (the break after the
  // last meeting need not fit). Ascending; never empty for a valid day.
  std::vector<int> starts;
};

// The slots of `day`, one of delegation.days().
// REQUIRES: ValidateDelegation(delegation, reference) is OK. Otherwise the
// result is meaningless but safe: fields that do not parse give an empty
// `starts`, a default `date` or an empty `time_zone`.
DaySlots SlotsOfDay(const socio::v1::Delegation& delegation, const socio::v1::ItineraryDay& day,
                    const reference::ReferenceData& reference);

// The date of a "YYYY-MM-DD" calendar date, or nullopt if `text` is not
// exactly that form of a real date ("2027-02-29" is not).
std::optional<absl::CivilDay> ParseDate(absl::string_view text);

// Minutes after midnight of an "HH:MM" time of day (00:00 to 23:59), or
// nullopt if `text` is not exactly that form.
std::optional<int> ParseTimeOfDay(absl::string_view text);

// "HH:MM" of `minutes` after midnight. REQUIRES: 0 <= minutes < 24 * 60.
std::string FormatTimeOfDay(int minutes);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_DELEGATION_VALIDATION_H_
