#include "planner/slot_grid.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "planner/agenda.h"
#include "reference/day_time_zone.h"
#include "reference/itinerary.h"

namespace socio::planner {

using socio::v1::Delegation;
using socio::v1::ItineraryDay;

DaySlots SlotsOfDay(const Delegation& delegation, const ItineraryDay& day,
                    const reference::ReferenceData& reference) {
  DaySlots slots;
  if (std::optional<absl::CivilDay> date = reference::ParseDate(day.date())) slots.date = *date;
  slots.time_zone = reference::PlannedDayTimeZone(reference, delegation.host_country(), day.city(),
                                                  day.time_zone());
  slots.meeting_minutes = delegation.meeting_minutes() == 0 ? reference::kDefaultMeetingMinutes
                                                            : delegation.meeting_minutes();
  slots.break_minutes = delegation.break_minutes() == 0 ? reference::kDefaultBreakMinutes
                                                        : delegation.break_minutes();
  slots.tables = day.tables() > 0                    ? day.tables()
                 : delegation.tables_per_venue() > 0 ? delegation.tables_per_venue()
                                                     : reference::kDefaultTablesPerVenue;
  std::optional<int> start = reference::ParseTimeOfDay(day.start_time());
  std::optional<int> end = reference::ParseTimeOfDay(day.end_time());
  if (start && end) {
    slots.starts = reference::SlotStarts(*start, *end, slots.meeting_minutes, slots.break_minutes);
  }
  return slots;
}

int SlotGrid::SlotOf(const std::string& date, int index) const {
  auto it = position_of_date.find(date);
  if (it == position_of_date.end() || index < 0 ||
      index >= static_cast<int>(days[it->second].starts.size())) {
    return -1;
  }
  return first_slot[it->second] + index;
}

int SlotGrid::SlotAt(const std::string& date, int minute) const {
  auto it = position_of_date.find(date);
  if (it == position_of_date.end()) return -1;
  const std::vector<int>& starts = days[it->second].starts;
  const auto k = std::find(starts.begin(), starts.end(), minute);
  if (k == starts.end()) return -1;
  return first_slot[it->second] + static_cast<int>(k - starts.begin());
}

absl::StatusOr<SlotGrid> BuildSlotGrid(const Delegation& d,
                                       const reference::ReferenceData& reference) {
  SlotGrid grid;
  for (int i = 0; i < d.days_size(); ++i) grid.day_index.push_back(i);
  std::sort(grid.day_index.begin(), grid.day_index.end(),
            [&](int x, int y) { return d.days(x).date() < d.days(y).date(); });
  for (int position = 0; position < static_cast<int>(grid.day_index.size()); ++position) {
    const int i = grid.day_index[position];
    DaySlots slots = SlotsOfDay(d, d.days(i), reference);
    grid.position_of_date[d.days(i).date()] = position;
    grid.first_slot.push_back(static_cast<int>(grid.slots.size()));
    for (int k = 0; k < static_cast<int>(slots.starts.size()); ++k) {
      absl::StatusOr<absl::Time> start = VenueTime(slots.date, slots.starts[k], slots.time_zone);
      if (!start.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("delegation.days[", i, "].time_zone: ", start.status().message()));
      }
      grid.slots.push_back({position, k, *start, *start + absl::Minutes(slots.meeting_minutes)});
    }
    grid.days.push_back(std::move(slots));
  }
  return grid;
}

}  // namespace socio::planner
