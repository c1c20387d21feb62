// Programme items as the planner sees them: who attends an item, the time it
// keeps them from meetings (the item itself and the travel between the day's
// venue and the item's place), and the meeting slots that time overlaps.
// Pure functions of their input; safe from any thread.
//
//   TravelRules rules = TravelRulesOf(delegation, reference->travel_times());
//   BusyWindow busy = BusyTime(item, day, rules);  // {555, 760}: 09:15 to 12:40
//   BlockProgrammeSlots(delegation, grid, rules, "de-0042", true, &available);
//
// Travel: an item whose place differs from the day's venue keeps its
// attendees free for the trip there before it and back after it. The minutes
// come from staff's table (Delegation.travel_times, either way) where it
// lists the two places; else from the operator's table
// (reference::TravelTimeTable, sociod --travel_times_csv) where it lists
// them; else from both places' coordinates, the great-circle distance at
// Delegation.travel_speed_kmh, rounded up to a minute and at least
// min_travel_minutes; else min_travel_minutes.
#ifndef SOCIO_PLANNER_PROGRAMME_H_
#define SOCIO_PLANNER_PROGRAMME_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "planner/slot_grid.h"
#include "reference/travel_times.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner {

// Delegation.travel_speed_kmh and min_travel_minutes when they are 0.
inline constexpr double kDefaultTravelSpeedKmh = 25;
inline constexpr int kDefaultMinTravelMinutes = 15;

struct TravelRules {
  double speed_kmh = kDefaultTravelSpeedKmh;  // > 0
  int min_minutes = kDefaultMinTravelMinutes;
  // Staff's minutes between two places (Delegation.travel_times).
  reference::TravelTimeTable staff;
  // The operator's table, consulted after staff's; nullptr for none. Not
  // owned; must outlive the rules.
  const reference::TravelTimeTable* operator_table = nullptr;
};

// The rules of `d`, its defaults resolved, with the operator's table
// (nullptr for none).
TravelRules TravelRulesOf(const socio::v1::Delegation& d,
                          const reference::TravelTimeTable* operator_table);

// A place: its name, and where it is when known.
struct Place {
  std::string name;
  std::optional<double> latitude, longitude;
};

// The venue of `day`.
Place VenueOf(const socio::v1::ItineraryDay& day);
// Where `item` takes place on `day`: the venue when the item names no place.
Place PlaceOf(const socio::v1::ProgrammeItem& item, const socio::v1::ItineraryDay& day);

// Kilometres between two points (degrees) along the earth's surface: the
// great circle on a sphere of radius 6,371 km.
double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2);

// Minutes from `a` to `b`: 0 when they are the same place (their names are
// equal as reference::FoldPlace gives them); else as the file comment says.
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
// `member_id` attends; `rules` are TravelRulesOf(d, ...).
void BlockProgrammeSlots(const socio::v1::Delegation& d, const SlotGrid& grid,
                         const TravelRules& rules, const std::string& member_id, bool is_delegate,
                         std::vector<bool>* available);

// For each programme item of `d` away from its day's venue, the minutes
// between the venue and the item's place (from = the venue's name, to = the
// place's), once per pair of places, in the order of the items: what
// DelegationPlan.travel_times reports.
std::vector<socio::v1::ProgrammeTravelTime> TravelTimesOf(const socio::v1::Delegation& d,
                                                          const TravelRules& rules);

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PROGRAMME_H_
