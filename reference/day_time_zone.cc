#include "reference/day_time_zone.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace socio::reference {
namespace {

// Zones quoted in an error.
constexpr size_t kQuotedZones = 4;

absl::Status FieldError(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

}  // namespace

bool KeepsOneClock(const Country& country) {
  if (!country.principal_zone) return false;
  absl::TimeZone principal;
  if (!absl::LoadTimeZone(country.principal_zone->name, &principal)) return false;
  for (const char* probe : kClockProbes) {
    absl::Time when;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, probe, &when, &error)) return false;
    const int offset = principal.At(when).offset;
    for (const TimeZone& zone : country.local_zones) {
      absl::TimeZone other;
      if (!absl::LoadTimeZone(zone.name, &other) || other.At(when).offset != offset) return false;
    }
  }
  return true;
}

std::string SomeZonesOf(const Country& country, size_t count) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  if (country.principal_zone) add(country.principal_zone->name);
  for (const TimeZone& zone : country.time_zones) add(zone.name);
  for (const TimeZone& zone : country.local_zones) add(zone.name);
  if (names.size() > count) {
    names.resize(count);
    names.push_back("...");
  }
  return absl::StrJoin(names, ", ");
}

absl::StatusOr<std::string> DayTimeZone(const ReferenceData& reference, absl::string_view country,
                                        absl::string_view city, absl::string_view given,
                                        absl::string_view field) {
  if (!given.empty()) return std::string(given);
  const int index = reference.countries().Index(country);
  if (index < 0) return FieldError(field, absl::StrCat("'", country, "' is not a country"));
  if (const std::string* zone = reference.places().CityZone(index, city)) return *zone;
  const Country& host = reference.countries().countries()[index];
  if (!host.principal_zone) {
    return FieldError(field,
                      absl::StrCat("is required: host country ", country, " has no time zone"));
  }
  if (KeepsOneClock(host)) return host.principal_zone->name;
  return FieldError(
      field, absl::StrCat("is required: ", country, " has several time zones and the city '", city,
                          "' is not one the reference data knows (", country, " uses ",
                          SomeZonesOf(host, kQuotedZones), ")"));
}

std::string PlannedDayTimeZone(const ReferenceData& reference, absl::string_view country,
                               absl::string_view city, absl::string_view given) {
  absl::StatusOr<std::string> zone = DayTimeZone(reference, country, city, given, "time_zone");
  if (zone.ok()) return *std::move(zone);
  const Country* host = reference.countries().Find(country);
  return host != nullptr && host->principal_zone ? host->principal_zone->name : "";
}

}  // namespace socio::reference
