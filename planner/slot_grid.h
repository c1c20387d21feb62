// The meeting grid of a delegation: the itinerary's days in date order, each
// cut into slots, the defaults of delegation.proto resolved.
//
//   DaySlots day = SlotsOfDay(delegation, delegation.days(0), *reference);
//   // day.starts: {540, 580, 620, ...} for 09:00, 09:40, 10:20, ...
//   absl::StatusOr<SlotGrid> grid = BuildSlotGrid(delegation, *reference);
//   int slot = grid->SlotAt("2027-03-29", 9 * 60 + 40);  // 1
//
// The slot starts follow reference::SlotStarts, the rule
// storage::ValidateDelegation checks fixed starts against.
#ifndef SOCIO_PLANNER_SLOT_GRID_H_
#define SOCIO_PLANNER_SLOT_GRID_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reference/reference_data.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner {

// The meeting grid of one itinerary day, with the defaults of the delegation
// resolved.
struct DaySlots {
  absl::CivilDay date;
  // IANA name: the day's own zone, else its city's or its country's
  // (reference::DayTimeZone).
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
// REQUIRES: storage::ValidateDelegation(delegation, reference) is OK.
// Otherwise the result is meaningless but safe: fields that do not parse give
// an empty `starts`, a default `date` or an empty `time_zone`.
DaySlots SlotsOfDay(const socio::v1::Delegation& delegation, const socio::v1::ItineraryDay& day,
                    const reference::ReferenceData& reference);

// Every slot of a delegation, numbered in time order as planner::PlanProblem
// numbers them. A day's "position" is its place in date order.
struct SlotGrid {
  struct Slot {
    int position;  // of its day
    int index;     // within the day
    absl::Time start, end;
  };
  std::vector<int> day_index;   // delegation.days() index by position
  std::vector<DaySlots> days;   // by position
  std::vector<int> first_slot;  // by position
  std::vector<Slot> slots;      // in time order
  absl::flat_hash_map<std::string, int> position_of_date;

  // The slot with index `index` on the day of `date`; -1 if there is none.
  int SlotOf(const std::string& date, int index) const;
  // The slot starting `minute` minutes after local midnight on the day of
  // `date`; -1 if there is none.
  int SlotAt(const std::string& date, int minute) const;
};

// The grid of `delegation`. INVALID_ARGUMENT naming
// "delegation.days[i].time_zone" if a slot's local time cannot be placed in
// its zone. REQUIRES: storage::ValidateDelegation(delegation, reference) is OK.
absl::StatusOr<SlotGrid> BuildSlotGrid(const socio::v1::Delegation& delegation,
                                       const reference::ReferenceData& reference);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_SLOT_GRID_H_
