#include "storage/delegation_validation.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "reference/day_time_zone.h"
#include "reference/itinerary.h"
#include "reference/text_fold.h"
#include "storage/internal/field_checks.h"
#include "storage/profile_validation.h"

namespace socio::storage {
namespace {

using internal::CheckLength;
using internal::CodePoints;
using internal::FieldError;
using internal::Indexed;
using internal::IsBlank;
using reference::FormatTimeOfDay;
using reference::ParseDate;
using reference::ParseTimeOfDay;
using reference::SlotStarts;

using socio::v1::Delegation;
using socio::v1::HostFilter;
using socio::v1::ItineraryDay;
using socio::v1::MeetingPair;
using socio::v1::Participant;
using socio::v1::Unavailability;

constexpr size_t kMaxNameLength = 200;
// 9999-12-31T23:59:59Z, the last time google.protobuf.Timestamp allows.
constexpr int64_t kMaxTimestampSeconds = 253402300799;
constexpr size_t kMaxCityLength = 100;
constexpr size_t kMaxVenueLength = 500;
constexpr size_t kMaxBriefingNotesLength = 4000;
constexpr int kMaxDays = 31;
constexpr int kMinMeetingMinutes = 5;
constexpr int kMaxMeetingMinutes = 480;
constexpr int kMaxBreakMinutes = 240;
constexpr int kMaxTables = 1000;
constexpr int kMaxDelegates = 500;
constexpr int kMaxHosts = 5000;
constexpr int kMaxUnavailable = 100;
constexpr int kMaxFilterHosts = 2000;
constexpr int kMaxFilterSectors = 20;
constexpr int kMaxProgrammeItems = 200;
constexpr int kMaxItemMembers = 500;
constexpr size_t kMaxPlaceLength = 200;
constexpr size_t kMaxAddressLength = 500;
constexpr double kMaxTravelSpeedKmh = 200;
constexpr int kMaxMinTravelMinutes = 240;
constexpr int kMaxTravelTimes = 500;
constexpr int kMaxTravelMinutes = 600;
constexpr int kMaxInterpreters = 100;
constexpr size_t kMaxInterpreterNameLength = 200;
constexpr int kMaxInterpreterLanguages = 20;
constexpr int kMaxInterpreterAvailable = 100;
// Slot starts and time zones quoted in an error before "...".
constexpr size_t kQuotedSlots = 3;
constexpr size_t kQuotedZones = 6;

std::string Sub(absl::string_view field, absl::string_view name) {
  return absl::StrCat(field, ".", name);
}

// One line people read (a title, a city, a venue): see CheckDisplayLine.
absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_length,
                       bool required) {
  if (required && IsBlank(value)) return FieldError(field, "is required");
  return internal::CheckDisplayLine(field, value, max_length);
}

absl::Status CheckRange(absl::string_view field, int value, int min, int max,
                        absl::string_view zero_means) {
  if (value >= min && value <= max) return absl::OkStatus();
  return FieldError(
      field, absl::StrCat(value, " is outside [", min, ", ", max, "]",
                          zero_means.empty() ? "" : absl::StrCat(" (0 means ", zero_means, ")")));
}

absl::Status CheckCount(absl::string_view field, int count, int max_count) {
  if (count <= max_count) return absl::OkStatus();
  return FieldError(field,
                    absl::StrFormat("has %d entries; at most %d are allowed", count, max_count));
}

absl::Status CheckTime(absl::string_view field, absl::string_view text, int* minutes) {
  if (text.empty()) return FieldError(field, "is required (HH:MM)");
  std::optional<int> parsed = ParseTimeOfDay(text);
  if (!parsed) return FieldError(field, absl::StrCat("'", text, "' is not a time of day (HH:MM)"));
  *minutes = *parsed;
  return absl::OkStatus();
}

// Checks `field`.start_time and `field`.end_time, both set, start before end.
absl::Status CheckWindow(absl::string_view field, absl::string_view start_text,
                         absl::string_view end_text, int* start, int* end) {
  if (absl::Status s = CheckTime(Sub(field, "start_time"), start_text, start); !s.ok()) return s;
  if (absl::Status s = CheckTime(Sub(field, "end_time"), end_text, end); !s.ok()) return s;
  if (*end <= *start) {
    return FieldError(Sub(field, "end_time"),
                      absl::StrCat(end_text, " is not after start_time ", start_text));
  }
  return absl::OkStatus();
}

int MeetingMinutes(const Delegation& d) {
  return d.meeting_minutes() == 0 ? reference::kDefaultMeetingMinutes : d.meeting_minutes();
}
int BreakMinutes(const Delegation& d) {
  return d.break_minutes() == 0 ? reference::kDefaultBreakMinutes : d.break_minutes();
}

bool IsKnownZone(const reference::CountryCatalog& countries, absl::string_view name) {
  for (const reference::Country& country : countries.countries()) {
    if (country.principal_zone && country.principal_zone->name == name) return true;
    for (const reference::TimeZone& zone : country.time_zones) {
      if (zone.name == name) return true;
    }
  }
  return false;
}

// Member id -> where it is listed ("delegates[3]").
using Roster = absl::flat_hash_map<absl::string_view, std::string>;

class DelegationChecker {
 public:
  DelegationChecker(const Delegation& d, const reference::ReferenceData& reference)
      : d_(d),
        reference_(reference),
        // ProfileValidator wants shared ownership, which a check that ends
        // before this call returns does not need: a pointer that owns nothing.
        profiles_(std::shared_ptr<const reference::ReferenceData>(
            std::shared_ptr<const reference::ReferenceData>(), &reference)) {}

  absl::Status Check() {
    if (absl::Status s = ValidateId("delegation.id", d_.id()); !s.ok()) return s;
    if (absl::Status s = ValidateId("delegation.chamber_id", d_.chamber_id()); !s.ok()) return s;
    if (!d_.host_chamber_id().empty()) {
      if (absl::Status s = ValidateId("delegation.host_chamber_id", d_.host_chamber_id());
          !s.ok()) {
        return s;
      }
      if (d_.host_chamber_id() == d_.chamber_id()) {
        return FieldError("delegation.host_chamber_id",
                          absl::StrCat("'", d_.host_chamber_id(),
                                       "' is the organising chamber (chamber_id); the host "
                                       "chamber is the other one, or empty"));
      }
    }
    if (d_.has_invitation_deadline() &&
        (d_.invitation_deadline().seconds() <= 0 || d_.invitation_deadline().nanos() < 0 ||
         d_.invitation_deadline().nanos() > 999999999 ||
         d_.invitation_deadline().seconds() > kMaxTimestampSeconds)) {
      return FieldError("delegation.invitation_deadline",
                        "is not a time between 1970 and 9999 (RFC 3339, e.g. "
                        "\"2027-03-01T17:00:00Z\")");
    }
    if (absl::Status s = CheckText("delegation.name", d_.name(), kMaxNameLength, true); !s.ok()) {
      return s;
    }
    if (absl::Status s =
            CheckLength("delegation.briefing_notes", d_.briefing_notes(), kMaxBriefingNotesLength);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckCountry("delegation.origin_country", d_.origin_country()); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckCountry("delegation.host_country", d_.host_country()); !s.ok()) {
      return s;
    }
    if (d_.meeting_minutes() != 0) {
      if (absl::Status s =
              CheckRange("delegation.meeting_minutes", d_.meeting_minutes(), kMinMeetingMinutes,
                         kMaxMeetingMinutes, absl::StrCat(reference::kDefaultMeetingMinutes));
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s =
            CheckRange("delegation.break_minutes", d_.break_minutes(), 0, kMaxBreakMinutes,
                       absl::StrCat(reference::kDefaultBreakMinutes));
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckRange("delegation.tables_per_venue", d_.tables_per_venue(), 0,
                                    kMaxTables, absl::StrCat(reference::kDefaultTablesPerVenue));
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckDays(); !s.ok()) return s;
    if (absl::Status s = CheckParticipants(); !s.ok()) return s;
    if (absl::Status s = CheckHostFilter(d_.host_filter()); !s.ok()) return s;
    if (absl::Status s = CheckPairs(); !s.ok()) return s;
    if (absl::Status s = CheckProgramme(); !s.ok()) return s;
    if (absl::Status s = CheckTravel(); !s.ok()) return s;
    return CheckInterpreters();
  }

 private:
  absl::Status CheckCountry(absl::string_view field, absl::string_view code) const {
    if (code.empty()) return FieldError(field, "is required");
    return profiles_.CheckCountry(field, code);
  }

  absl::Status CheckDays() {
    if (d_.days().empty()) return FieldError("delegation.days", "at least one day is required");
    if (d_.days_size() > kMaxDays) {
      return FieldError("delegation.days", absl::StrFormat("has %d days; at most %d are allowed",
                                                           d_.days_size(), kMaxDays));
    }
    slot_starts_.resize(d_.days_size());
    for (int i = 0; i < d_.days_size(); ++i) {
      if (absl::Status s = CheckDay(i); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckDay(int i) {
    const ItineraryDay& day = d_.days(i);
    const std::string field = Indexed("delegation.days", i);
    if (day.date().empty()) return FieldError(Sub(field, "date"), "is required (YYYY-MM-DD)");
    if (!ParseDate(day.date())) {
      return FieldError(Sub(field, "date"),
                        absl::StrCat("'", day.date(), "' is not a calendar date (YYYY-MM-DD)"));
    }
    if (auto [it, inserted] = day_index_.emplace(day.date(), i); !inserted) {
      return FieldError(Sub(field, "date"),
                        absl::StrCat(day.date(), " is also days[", it->second, "]"));
    }
    if (absl::Status s = CheckText(Sub(field, "city"), day.city(), kMaxCityLength, true); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckText(Sub(field, "venue"), day.venue(), kMaxVenueLength, false);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckTimeZone(Sub(field, "time_zone"), day); !s.ok()) {
      return s;
    }
    int start = 0;
    int end = 0;
    if (absl::Status s = CheckWindow(field, day.start_time(), day.end_time(), &start, &end);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckCoordinates(field, day.has_latitude(), day.latitude(),
                                          day.has_longitude(), day.longitude());
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckRange(Sub(field, "tables"), day.tables(), 0, kMaxTables,
                                    "the delegation's tables_per_venue");
        !s.ok()) {
      return s;
    }
    const int meeting = MeetingMinutes(d_);
    if (end - start < meeting) {
      return FieldError(field, absl::StrCat("the window ", day.start_time(), "-", day.end_time(),
                                            " is shorter than one ", meeting, "-minute meeting"));
    }
    slot_starts_[i] = SlotStarts(start, end, meeting, BreakMinutes(d_));
    return absl::OkStatus();
  }

  // REQUIRES: the host country has been checked.
  absl::Status CheckTimeZone(absl::string_view field, const ItineraryDay& day) const {
    const absl::string_view zone = day.time_zone();
    if (zone.empty()) {
      return reference::DayTimeZone(reference_, d_.host_country(), day.city(), zone, field)
          .status();
    }
    if (IsKnownZone(reference_.countries(), zone)) return absl::OkStatus();
    const std::string zones =
        reference::SomeZonesOf(*reference_.countries().Find(d_.host_country()), kQuotedZones);
    return FieldError(
        field, absl::StrCat("'", zone, "' is not an IANA time zone of the reference data",
                            zones.empty() ? ""
                                          : absl::StrCat(" (", d_.host_country(), " uses ", zones,
                                                         "; empty means the city's zone)")));
  }

  absl::Status CheckParticipants() {
    if (d_.delegates().empty()) {
      return FieldError("delegation.delegates", "at least one delegate is required");
    }
    if (absl::Status s = CheckCount("delegation.delegates", d_.delegates_size(), kMaxDelegates);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckCount("delegation.hosts", d_.hosts_size(), kMaxHosts); !s.ok()) {
      return s;
    }
    for (int i = 0; i < d_.delegates_size(); ++i) {
      if (absl::Status s = CheckParticipant("delegates", i, d_.delegates(i), true); !s.ok()) {
        return s;
      }
    }
    for (int i = 0; i < d_.hosts_size(); ++i) {
      if (absl::Status s = CheckParticipant("hosts", i, d_.hosts(i), false); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckParticipant(absl::string_view list, int i, const Participant& p,
                                bool is_delegate) {
    const std::string where = Indexed(list, i);
    const std::string field = absl::StrCat("delegation.", where);
    if (absl::Status s = ValidateId(Sub(field, "member_id"), p.member_id()); !s.ok()) return s;
    if (auto [it, inserted] = roster_.emplace(p.member_id(), where); !inserted) {
      return FieldError(Sub(field, "member_id"),
                        absl::StrCat("'", p.member_id(), "' is also ", it->second));
    }
    if (is_delegate) delegates_.insert(p.member_id());
    if (p.max_meetings() < 0) {
      return FieldError(
          Sub(field, "max_meetings"),
          absl::StrCat(p.max_meetings(), " is negative (0 means as many as its free slots allow)"));
    }
    if (p.min_meetings() < 0) {
      return FieldError(Sub(field, "min_meetings"), absl::StrCat(p.min_meetings(), " is negative"));
    }
    if (!is_delegate && p.min_meetings() > 0) {
      return FieldError(Sub(field, "min_meetings"),
                        "applies to delegates only; leave it 0 for a host");
    }
    if (p.max_meetings() > 0 && p.min_meetings() > p.max_meetings()) {
      return FieldError(
          Sub(field, "min_meetings"),
          absl::StrCat(p.min_meetings(), " is more than max_meetings ", p.max_meetings()));
    }
    if (absl::Status s =
            CheckCount(Sub(field, "unavailable"), p.unavailable_size(), kMaxUnavailable);
        !s.ok()) {
      return s;
    }
    for (int k = 0; k < p.unavailable_size(); ++k) {
      if (absl::Status s =
              CheckUnavailability(Indexed(Sub(field, "unavailable"), k), p.unavailable(k));
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckUnavailability(absl::string_view field, const Unavailability& u) const {
    if (absl::Status s = CheckItineraryDate(Sub(field, "date"), u.date()); !s.ok()) return s;
    if (u.start_time().empty() && u.end_time().empty()) return absl::OkStatus();  // the whole day
    int start = 0;
    int end = 0;
    return CheckWindow(field, u.start_time(), u.end_time(), &start, &end);
  }

  // OK if `date` is a day of the itinerary. REQUIRES: the days were checked.
  absl::Status CheckItineraryDate(absl::string_view field, absl::string_view date) const {
    if (date.empty()) return FieldError(field, "is required (a date of the itinerary)");
    if (day_index_.contains(date)) return absl::OkStatus();
    return FieldError(field, absl::StrCat("'", date, "' is not a day of the itinerary"));
  }

  absl::Status CheckHostFilter(const HostFilter& filter) const {
    if (absl::Status s = CheckRange("delegation.host_filter.max_hosts", filter.max_hosts(), 0,
                                    kMaxFilterHosts, "only named hosts");
        !s.ok()) {
      return s;
    }
    const std::string list = "delegation.host_filter.sectors";
    if (absl::Status s = CheckCount(list, filter.sectors_size(), kMaxFilterSectors); !s.ok()) {
      return s;
    }
    for (int i = 0; i < filter.sectors_size(); ++i) {
      const std::string& code = filter.sectors(i);
      absl::StatusOr<std::string> canonical = profiles_.CanonicalSector(Indexed(list, i), code);
      if (!canonical.ok()) return canonical.status();
      // Stored as given, and the planner compares canonical codes.
      if (*canonical != code) {
        return FieldError(Indexed(list, i),
                          absl::StrCat("write '", code, "' as '", *canonical, "'"));
      }
      if (std::find(filter.sectors().begin(), filter.sectors().begin() + i, code) !=
          filter.sectors().begin() + i) {
        return FieldError(Indexed(list, i), absl::StrCat("'", code, "' is listed twice"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckPairs() const {
    absl::flat_hash_map<std::pair<absl::string_view, absl::string_view>, int> seen;
    for (int i = 0; i < d_.pairs_size(); ++i) {
      const MeetingPair& pair = d_.pairs(i);
      const std::string field = Indexed("delegation.pairs", i);
      if (absl::Status s = ValidateId(Sub(field, "delegate_id"), pair.delegate_id()); !s.ok()) {
        return s;
      }
      if (!delegates_.contains(pair.delegate_id())) {
        return FieldError(Sub(field, "delegate_id"),
                          absl::StrCat("'", pair.delegate_id(), "' is not a delegate"));
      }
      if (absl::Status s = ValidateId(Sub(field, "host_id"), pair.host_id()); !s.ok()) return s;
      if (delegates_.contains(pair.host_id())) {
        return FieldError(Sub(field, "host_id"),
                          absl::StrCat("'", pair.host_id(), "' is a delegate, not a host"));
      }
      if (!MeetingPair::Status_IsValid(pair.status())) {
        return FieldError(Sub(field, "status"), absl::StrCat(pair.status(), " is not a status"));
      }
      if (pair.status() == MeetingPair::STATUS_UNSPECIFIED) {
        return FieldError(Sub(field, "status"), "is required (REQUESTED, ACCEPTED or DECLINED)");
      }
      if (auto [it, inserted] = seen.emplace(std::make_pair(absl::string_view(pair.delegate_id()),
                                                            absl::string_view(pair.host_id())),
                                             i);
          !inserted) {
        return FieldError(
            field, absl::StrCat("delegate '", pair.delegate_id(), "' and host '", pair.host_id(),
                                "' are also pairs[", it->second, "]"));
      }
      if (absl::Status s = CheckFixedTime(field, pair); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckFixedTime(absl::string_view field, const MeetingPair& pair) const {
    if (pair.date().empty() && pair.start_time().empty()) return absl::OkStatus();
    if (pair.date().empty()) return FieldError(Sub(field, "date"), "is required with start_time");
    if (pair.start_time().empty()) {
      return FieldError(Sub(field, "start_time"), "is required with date (HH:MM)");
    }
    if (pair.status() == MeetingPair::DECLINED) {
      return FieldError(Sub(field, "date"),
                        "a DECLINED pair never meets; leave date and start_time empty");
    }
    if (absl::Status s = CheckItineraryDate(Sub(field, "date"), pair.date()); !s.ok()) return s;
    int start = 0;
    if (absl::Status s = CheckTime(Sub(field, "start_time"), pair.start_time(), &start); !s.ok()) {
      return s;
    }
    const std::vector<int>& starts = slot_starts_[day_index_.at(pair.date())];
    if (std::binary_search(starts.begin(), starts.end(), start)) return absl::OkStatus();
    std::vector<std::string> quoted;
    for (size_t k = 0; k < starts.size() && k < kQuotedSlots; ++k) {
      quoted.push_back(FormatTimeOfDay(starts[k]));
    }
    if (starts.size() > kQuotedSlots) quoted.push_back("...");
    return FieldError(
        Sub(field, "start_time"),
        absl::StrCat(pair.start_time(), " is not the start of a slot on ", pair.date(),
                     " (slots start at ", absl::StrJoin(quoted, ", "), ")"));
  }

  // Latitude -90..90 and longitude -180..180, both or neither.
  static absl::Status CheckCoordinates(absl::string_view field, bool has_latitude, double latitude,
                                       bool has_longitude, double longitude) {
    if (has_latitude != has_longitude) {
      return FieldError(Sub(field, has_latitude ? "longitude" : "latitude"),
                        absl::StrCat("is required with ", has_latitude ? "latitude" : "longitude"));
    }
    if (!has_latitude) return absl::OkStatus();
    if (!(latitude >= -90 && latitude <= 90)) {
      return FieldError(Sub(field, "latitude"),
                        absl::StrCat(latitude, " is outside [-90, 90] degrees"));
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      return FieldError(Sub(field, "longitude"),
                        absl::StrCat(longitude, " is outside [-180, 180] degrees"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckProgramme() const {
    if (absl::Status s =
            CheckCount("delegation.programme", d_.programme_size(), kMaxProgrammeItems);
        !s.ok()) {
      return s;
    }
    absl::flat_hash_map<absl::string_view, int> ids;
    for (int i = 0; i < d_.programme_size(); ++i) {
      const socio::v1::ProgrammeItem& item = d_.programme(i);
      const std::string field = Indexed("delegation.programme", i);
      if (absl::Status s = ValidateId(Sub(field, "id"), item.id()); !s.ok()) return s;
      if (auto [it, inserted] = ids.emplace(item.id(), i); !inserted) {
        return FieldError(Sub(field, "id"),
                          absl::StrCat("'", item.id(), "' is also programme[", it->second, "]"));
      }
      if (!socio::v1::ProgrammeItem::Kind_IsValid(item.kind())) {
        return FieldError(Sub(field, "kind"), absl::StrCat(item.kind(), " is not a kind"));
      }
      if (item.kind() == socio::v1::ProgrammeItem::KIND_UNSPECIFIED) {
        return FieldError(Sub(field, "kind"),
                          "is required (BRIEFING, COMPANY_VISIT, SEMINAR, RECEPTION or OTHER)");
      }
      if (absl::Status s = CheckText(Sub(field, "title"), item.title(), kMaxNameLength, true);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckItineraryDate(Sub(field, "date"), item.date()); !s.ok()) return s;
      int start = 0;
      int end = 0;
      if (absl::Status s = CheckWindow(field, item.start_time(), item.end_time(), &start, &end);
          !s.ok()) {
        return s;
      }
      const std::string place = Sub(field, "place");
      if (absl::Status s =
              CheckText(Sub(place, "name"), item.place().name(), kMaxPlaceLength, false);
          !s.ok()) {
        return s;
      }
      if (absl::Status s =
              CheckText(Sub(place, "address"), item.place().address(), kMaxAddressLength, false);
          !s.ok()) {
        return s;
      }
      if (absl::Status s =
              CheckCoordinates(place, item.place().has_latitude(), item.place().latitude(),
                               item.place().has_longitude(), item.place().longitude());
          !s.ok()) {
        return s;
      }
      if (!item.all_delegates() && item.member_ids().empty()) {
        return FieldError(Sub(field, "member_ids"),
                          "is required unless all_delegates is set: nobody attends");
      }
      const std::string members = Sub(field, "member_ids");
      if (absl::Status s = CheckCount(members, item.member_ids_size(), kMaxItemMembers); !s.ok()) {
        return s;
      }
      for (int k = 0; k < item.member_ids_size(); ++k) {
        const std::string& id = item.member_ids(k);
        if (!roster_.contains(id)) {
          return FieldError(Indexed(members, k),
                            absl::StrCat("'", id, "' is neither a delegate nor a named host"));
        }
        if (std::find(item.member_ids().begin(), item.member_ids().begin() + k, id) !=
            item.member_ids().begin() + k) {
          return FieldError(Indexed(members, k), absl::StrCat("'", id, "' is listed twice"));
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckTravel() const {
    const double speed = d_.travel_speed_kmh();
    if (!(speed >= 0 && speed <= kMaxTravelSpeedKmh)) {
      return FieldError(
          "delegation.travel_speed_kmh",
          absl::StrCat(speed, " is outside [0, ", kMaxTravelSpeedKmh, "] (0 means 25 km/h)"));
    }
    if (absl::Status s = CheckRange("delegation.min_travel_minutes", d_.min_travel_minutes(), 0,
                                    kMaxMinTravelMinutes, "15 minutes");
        !s.ok()) {
      return s;
    }
    const std::string list = "delegation.travel_times";
    if (absl::Status s = CheckCount(list, d_.travel_times_size(), kMaxTravelTimes); !s.ok()) {
      return s;
    }
    absl::flat_hash_map<std::pair<std::string, std::string>, int> seen;
    for (int i = 0; i < d_.travel_times_size(); ++i) {
      const socio::v1::ProgrammeTravelTime& t = d_.travel_times(i);
      const std::string field = Indexed(list, i);
      if (absl::Status s = CheckText(Sub(field, "from"), t.from(), kMaxPlaceLength, true);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckText(Sub(field, "to"), t.to(), kMaxPlaceLength, true); !s.ok()) {
        return s;
      }
      std::string from = reference::FoldLatin(absl::StripAsciiWhitespace(t.from()));
      std::string to = reference::FoldLatin(absl::StripAsciiWhitespace(t.to()));
      if (from == to) return FieldError(Sub(field, "to"), "is the same place as from");
      if (absl::Status s = CheckRange(Sub(field, "minutes"), t.minutes(), 0, kMaxTravelMinutes, "");
          !s.ok()) {
        return s;
      }
      if (to < from) std::swap(from, to);
      if (auto [it, inserted] = seen.emplace(std::make_pair(from, to), i); !inserted) {
        return FieldError(field, absl::StrCat("'", t.from(), "' and '", t.to(),
                                              "' are also travel_times[", it->second, "]"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckLanguage(absl::string_view field, const std::string& code) const {
    if (reference_.countries().IsLanguage(code)) return absl::OkStatus();
    return FieldError(field, absl::StrCat("'", code, "' is not an ISO 639-1 language code"));
  }

  absl::Status CheckInterpreters() const {
    const std::string list = "delegation.interpreters";
    if (absl::Status s = CheckCount(list, d_.interpreters_size(), kMaxInterpreters); !s.ok()) {
      return s;
    }
    absl::flat_hash_map<absl::string_view, int> names;
    for (int i = 0; i < d_.interpreters_size(); ++i) {
      const socio::v1::Interpreter& interpreter = d_.interpreters(i);
      const std::string field = Indexed(list, i);
      if (absl::Status s =
              CheckText(Sub(field, "name"), interpreter.name(), kMaxInterpreterNameLength, true);
          !s.ok()) {
        return s;
      }
      if (auto [it, inserted] = names.emplace(interpreter.name(), i); !inserted) {
        return FieldError(
            Sub(field, "name"),
            absl::StrCat("'", interpreter.name(), "' is also interpreters[", it->second, "]"));
      }
      const std::string languages = Sub(field, "languages");
      if (absl::Status s =
              CheckCount(languages, interpreter.languages_size(), kMaxInterpreterLanguages);
          !s.ok()) {
        return s;
      }
      for (int k = 0; k < interpreter.languages_size(); ++k) {
        const std::string& code = interpreter.languages(k);
        if (absl::Status s = CheckLanguage(Indexed(languages, k), code); !s.ok()) return s;
        if (std::find(interpreter.languages().begin(), interpreter.languages().begin() + k, code) !=
            interpreter.languages().begin() + k) {
          return FieldError(Indexed(languages, k), absl::StrCat("'", code, "' is listed twice"));
        }
      }
      const std::string pairs = Sub(field, "language_pairs");
      if (absl::Status s =
              CheckCount(pairs, interpreter.language_pairs_size(), kMaxInterpreterLanguages);
          !s.ok()) {
        return s;
      }
      for (int k = 0; k < interpreter.language_pairs_size(); ++k) {
        const socio::v1::InterpreterLanguagePair& pair = interpreter.language_pairs(k);
        const std::string at = Indexed(pairs, k);
        if (absl::Status s = CheckLanguage(Sub(at, "first"), pair.first()); !s.ok()) return s;
        if (absl::Status s = CheckLanguage(Sub(at, "second"), pair.second()); !s.ok()) return s;
        if (pair.first() == pair.second()) {
          return FieldError(Sub(at, "second"), "is the same language as first");
        }
      }
      if (interpreter.language_pairs().empty() && interpreter.languages_size() < 2) {
        return FieldError(languages,
                          "an interpreter needs two languages, or a language pair, to translate");
      }
      const std::string available = Sub(field, "available");
      if (absl::Status s =
              CheckCount(available, interpreter.available_size(), kMaxInterpreterAvailable);
          !s.ok()) {
        return s;
      }
      for (int k = 0; k < interpreter.available_size(); ++k) {
        const socio::v1::InterpreterAvailability& a = interpreter.available(k);
        const std::string at = Indexed(available, k);
        if (absl::Status s = CheckItineraryDate(Sub(at, "date"), a.date()); !s.ok()) return s;
        if (a.start_time().empty() && a.end_time().empty()) continue;  // the whole day
        int start = 0;
        int end = 0;
        if (absl::Status s = CheckWindow(at, a.start_time(), a.end_time(), &start, &end); !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

  const Delegation& d_;
  const reference::ReferenceData& reference_;
  const ProfileValidator profiles_;

  // Filled as the checks go; the views point into d_.
  std::vector<std::vector<int>> slot_starts_;              // per day
  absl::flat_hash_map<absl::string_view, int> day_index_;  // date -> day
  Roster roster_;
  absl::flat_hash_set<absl::string_view> delegates_;
};

}  // namespace

absl::Status ValidateDelegation(const Delegation& delegation,
                                const reference::ReferenceData& reference) {
  return DelegationChecker(delegation, reference).Check();
}

}  // namespace socio::storage
