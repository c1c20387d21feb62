// Programme items as the planner sees them: who attends an item, the time it
// keeps them from meetings (the item itself and the travel between the day's
// venue and the item's place), and the meeting slots that time overlaps.
// Pure functions of their input; safe from any thread.
//
//   TravelRules rules = TravelRulesOf(delegation);
//   BusyWindow busy = BusyTime(item, day, rules);  // {555, 760}: 09:15 to 12:40
//   BlockProgrammeSlots(delegation, grid, "de-0042", true, &available);
//
// Travel: an item whose place differs from the day's venue keeps its
// attendees free for the trip there before it and back after it. The minutes
// come from staff's table (Delegation.travel_times, either way) where it
// lists the two places; else from both places' coordinates, the great-circle
// distance at Delegation.travel_speed_kmh, rounded up to a minute and at
// least min_travel_minutes; else min_travel_minutes.
#ifndef SOCIO_PLANNER_PROGRAMME_H_
#define SOCIO_PLANNER_PROGRAMME_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "planner/slot_grid.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner {

// Delegation.travel_speed_kmh and min_travel_minutes when they are 0.
inline constexpr double kDefaultTravelSpeedKmh = 25;
inline constexpr int kDefaultMinTravelMinutes = 15;

struct TravelRules {
  double speed_kmh = kDefaultTravelSpeedKmh;  // > 0
  int min_minutes = kDefaultMinTravelMinutes;
  // Staff's minutes between two places, keyed by both orders of their folded
  // names (see FoldPlace).
  absl::flat_hash_map<std::pair<std::string, std::string>, int> table;
};

// The rules of `d`, its defaults resolved.
TravelRules TravelRulesOf(const socio::v1::Delegation& d);

// A place: its name, and where it is when known.
struct Place {
  std::string name;
  std::optional<double> latitude, longitude;
};

// The venue of `day`.
Place VenueOf(const socio::v1::ItineraryDay& day);
// Where `item` takes place on `day`: the venue when the item names no place.
Place PlaceOf(const socio::v1::ProgrammeItem& item, const socio::v1::ItineraryDay& day);

// A place name compared without case, spaces around it or the accents of
// Latin-1 letters.
std::string FoldPlace(const std::string& name);

// Kilometres between two points (degrees) along the earth's surface: the
// great circle on a sphere of radius 6,371 km.
double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2);

// Minutes from `a` to `b`: 0 when they are the same place (their folded names
// are equal); else as the file comment says.
int TravelMinutes(const Place& a, const Place& b, const TravelRules& rules);

// Whether `member_id` attends `item`; `is_delegate` says whether the member is
// one of the delegates (who attend items for all delegates).
bool Attends(const socio::v1::ProgrammeItem& item, const std::string& member_id, bool is_delegate);

// Minutes after local midnight of the item's day: its attendees are busy in
// [from, to), the item plus the travel to it and back.
struct BusyWindow {
  int from = 0;
  int to = 0;
};
// REQUIRES: item.date() is day.date(), and the item's times parse (as
// storage::ValidateDelegation checks); else an empty window.
BusyWindow BusyTime(const socio::v1::ProgrammeItem& item, const socio::v1::ItineraryDay& day,
                    const TravelRules& rules);

// Sets to false the entries of `available` (one per slot of `grid`, the grid
// of `d`) whose meeting time overlaps the busy window of an item
// `member_id` attends.
void BlockProgrammeSlots(const socio::v1::Delegation& d, const SlotGrid& grid,
                         const std::string& member_id, bool is_delegate,
                         std::vector<bool>* available);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PROGRAMME_H_
