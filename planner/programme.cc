#include "planner/programme.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "reference/itinerary.h"

namespace socio::planner {

using reference::FoldPlace;

using socio::v1::Delegation;
using socio::v1::ItineraryDay;
using socio::v1::ProgrammeItem;

TravelRules TravelRulesOf(const Delegation& d, const reference::TravelTimeTable* operator_table) {
  TravelRules rules;
  rules.operator_table = operator_table;
  if (d.travel_speed_kmh() > 0) rules.speed_kmh = d.travel_speed_kmh();
  if (d.min_travel_minutes() > 0) rules.min_minutes = d.min_travel_minutes();
  for (const socio::v1::ProgrammeTravelTime& t : d.travel_times()) {
    rules.staff.Set(t.from(), t.to(), t.minutes());
  }
  return rules;
}

Place VenueOf(const ItineraryDay& day) {
  Place place{.name = day.venue()};
  if (day.has_latitude() && day.has_longitude()) {
    place.latitude = day.latitude();
    place.longitude = day.longitude();
  }
  return place;
}

Place PlaceOf(const ProgrammeItem& item, const ItineraryDay& day) {
  if (item.place().name().empty()) return VenueOf(day);
  Place place{.name = item.place().name()};
  if (item.place().has_latitude() && item.place().has_longitude()) {
    place.latitude = item.place().latitude();
    place.longitude = item.place().longitude();
  }
  return place;
}

double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2) {
  constexpr double kRadiusKm = 6371;
  constexpr double kRadians = M_PI / 180;
  const double dlat = (latitude2 - latitude1) * kRadians;
  const double dlng = (longitude2 - longitude1) * kRadians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(latitude1 * kRadians) * std::cos(latitude2 * kRadians) *
                       std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

int TravelMinutes(const Place& a, const Place& b, const TravelRules& rules) {
  if (FoldPlace(a.name) == FoldPlace(b.name)) return 0;
  if (std::optional<int> minutes = rules.staff.Minutes(a.name, b.name)) return *minutes;
  if (rules.operator_table != nullptr) {
    if (std::optional<int> minutes = rules.operator_table->Minutes(a.name, b.name)) return *minutes;
  }
  if (a.latitude && a.longitude && b.latitude && b.longitude) {
    const double km = DistanceKm(*a.latitude, *a.longitude, *b.latitude, *b.longitude);
    const int minutes = static_cast<int>(std::ceil(km / rules.speed_kmh * 60 - 1e-9));
    return std::max(rules.min_minutes, minutes);
  }
  return rules.min_minutes;
}

bool Attends(const ProgrammeItem& item, const std::string& member_id, bool is_delegate) {
  if (is_delegate && item.all_delegates()) return true;
  return std::find(item.member_ids().begin(), item.member_ids().end(), member_id) !=
         item.member_ids().end();
}

BusyWindow BusyTime(const ProgrammeItem& item, const ItineraryDay& day, const TravelRules& rules) {
  const std::optional<int> start = reference::ParseTimeOfDay(item.start_time());
  const std::optional<int> end = reference::ParseTimeOfDay(item.end_time());
  if (!start || !end || item.date() != day.date()) return {};
  const Place venue = VenueOf(day), place = PlaceOf(item, day);
  return {.from = *start - TravelMinutes(venue, place, rules),
          .to = *end + TravelMinutes(place, venue, rules)};
}

void BlockProgrammeSlots(const Delegation& d, const SlotGrid& grid, const TravelRules& rules,
                         const std::string& member_id, bool is_delegate,
                         std::vector<bool>* available) {
  for (const ProgrammeItem& item : d.programme()) {
    if (!Attends(item, member_id, is_delegate)) continue;
    auto it = grid.position_of_date.find(item.date());
    if (it == grid.position_of_date.end()) continue;
    const int position = it->second;
    const BusyWindow busy = BusyTime(item, d.days(grid.day_index[position]), rules);
    const DaySlots& day = grid.days[position];
    for (size_t k = 0; k < day.starts.size(); ++k) {
      const int start = day.starts[k], end = start + day.meeting_minutes;
      if (start < busy.to && end > busy.from) {
        (*available)[grid.first_slot[position] + k] = false;
      }
    }
  }
}

std::vector<socio::v1::ProgrammeTravelTime> TravelTimesOf(const Delegation& d,
                                                          const TravelRules& rules) {
  std::vector<socio::v1::ProgrammeTravelTime> out;
  absl::flat_hash_set<std::pair<std::string, std::string>> seen;
  absl::flat_hash_map<std::string, const ItineraryDay*> day_of_date;
  for (const ItineraryDay& day : d.days()) day_of_date.try_emplace(day.date(), &day);
  for (const ProgrammeItem& item : d.programme()) {
    auto day = day_of_date.find(item.date());
    if (day == day_of_date.end()) continue;
    const Place venue = VenueOf(*day->second), place = PlaceOf(item, *day->second);
    std::pair<std::string, std::string> folded{FoldPlace(venue.name), FoldPlace(place.name)};
    if (folded.first == folded.second || !seen.insert(std::move(folded)).second) continue;
    socio::v1::ProgrammeTravelTime& t = out.emplace_back();
    t.set_from(venue.name);
    t.set_to(place.name);
    t.set_minutes(TravelMinutes(venue, place, rules));
  }
  return out;
}

}  // namespace socio::planner
