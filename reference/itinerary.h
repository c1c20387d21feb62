// The calendar arithmetic of a delegation's itinerary, shared by its
// validation (storage/) and its planning (planner/): dates and times of day
// as the API writes them, what 0 means in delegation.proto's length and
// table fields, and where a day's meeting slots start. Plain values: no
// protos, no reference data.
//
//   std::optional<int> nine = ParseTimeOfDay("09:00");             // 540
//   std::vector<int> starts = SlotStarts(*nine, 13 * 60, 30, 10);  // 09:00, 09:40, ...
//   FormatTimeOfDay(starts[1]);                                    // "09:40"
#ifndef SOCIO_REFERENCE_ITINERARY_H_
#define SOCIO_REFERENCE_ITINERARY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace socio::reference {

// What 0 means in the fields of that name (see delegation.proto).
inline constexpr int kDefaultMeetingMinutes = 30;
inline constexpr int kDefaultBreakMinutes = 10;
inline constexpr int kDefaultTablesPerVenue = 10;

// The date of a "YYYY-MM-DD" calendar date, or nullopt if `text` is not
// exactly that form of a real date ("2027-02-29" is not).
std::optional<absl::CivilDay> ParseDate(absl::string_view text);

// Minutes after midnight of an "HH:MM" time of day (00:00 to 23:59), or
// nullopt if `text` is not exactly that form.
std::optional<int> ParseTimeOfDay(absl::string_view text);

// "HH:MM" of `minutes` after midnight. REQUIRES: 0 <= minutes < 24 * 60.
std::string FormatTimeOfDay(int minutes);

// The slot starts (minutes after midnight) of a day open from `start` to
// `end`: start + k * (meeting + pause) for every k whose meeting ends by
// `end` (the pause after the last meeting need not fit). Ascending; empty
// unless meeting > 0 and pause >= 0, so bad input cannot loop forever.
std::vector<int> SlotStarts(int start, int end, int meeting, int pause);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_ITINERARY_H_
