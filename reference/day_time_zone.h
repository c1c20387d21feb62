// The time zone of an itinerary day that names none: one rule for validating
// a delegation (storage/) and for planning it and writing its agendas
// (planner/).
//
//   absl::StatusOr<std::string> zone =
//       DayTimeZone(*reference, "US", "Chicago", /*given=*/"", "delegation.days[0].time_zone");
//   // "America/Chicago"
//
// A day's zone is, in this order:
// 1. the zone the day gives, as it is (whether it is a zone at all is the
//    validation's question);
// 2. the zone of its city where the reference data knows the city
//    (PlaceNames::CityZone: tzdata's exemplar cities, in English and in
//    CLDR's names, compared folded: "Ciudad de México" -> America/Mexico_City);
// 3. the host country's principal zone when the country keeps one clock: each
//    zone zone.tab files under it has the principal zone's UTC offset at
//    kClockProbes (DE: Berlin and Busingen agree; US, MX and ES do not).
// Otherwise INVALID_ARGUMENT "<field>: ..." saying the country has several
// zones, the city is not known and naming a few of the country's zones; or,
// for a country tzdata has no zone for, that the zone is required.
//
// Pure apart from reading tzdata's zone files (absl::LoadTimeZone, cached by
// absl); thread-safe.
#ifndef SOCIO_REFERENCE_DAY_TIME_ZONE_H_
#define SOCIO_REFERENCE_DAY_TIME_ZONE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reference/country_catalog.h"
#include "reference/reference_data.h"

namespace socio::reference {

// The instants at which a country's zones are compared: the same two
// Wednesdays CountryPairs averages working hours over (winter and summer).
inline constexpr const char* kClockProbes[] = {"2026-01-14T12:00:00Z", "2026-07-15T12:00:00Z"};

// See above. `country` is an ISO alpha-2 code the catalog knows; an unknown
// one is INVALID_ARGUMENT naming `field` too.
absl::StatusOr<std::string> DayTimeZone(const ReferenceData& reference, absl::string_view country,
                                        absl::string_view city, absl::string_view given,
                                        absl::string_view field);

// The zone a stored day is planned in: DayTimeZone's answer, else (a day
// stored before a city's zone was required) the host country's principal
// zone, else "".
std::string PlannedDayTimeZone(const ReferenceData& reference, absl::string_view country,
                               absl::string_view city, absl::string_view given);

// Whether every zone zone.tab files under `country` has its principal zone's
// UTC offset at each of kClockProbes. False without a principal zone.
bool KeepsOneClock(const Country& country);

// Up to `count` of the zones `country` uses, principal first, then its own
// (zone1970.tab) zones, joined by ", ", with ", ..." when there are more.
std::string SomeZonesOf(const Country& country, size_t count);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_DAY_TIME_ZONE_H_
