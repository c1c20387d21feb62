#include "briefing/briefing.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reference/country_pairs.h"
#include "reference/culture.h"
#include "reference/day_time_zone.h"
#include "reference/itinerary.h"
#include "reference/place_names.h"

namespace socio::briefing {
namespace {

using reference::Country;
using socio::v1::Briefing;
using socio::v1::BriefingCountry;
using socio::v1::BriefingDay;
using socio::v1::BriefingDimension;
using socio::v1::BriefingLanguage;
using socio::v1::Delegation;
using socio::v1::ItineraryDay;

constexpr int kWorkdayStart = 9 * 60;  // minutes after local midnight
constexpr int kWorkdayEnd = 17 * 60;

// Each dimension's English name, and what it may mean at a meeting when one
// side scores clearly higher: said of "the higher-scoring side" and "the
// other", so that one sentence serves either direction.
struct DimensionText {
  const char* name;
  const char* higher_side;
};
constexpr DimensionText kDimensions[reference::kHofstedeDimensions] = {
    {"Power distance",
     "People from the higher-scoring side tend to expect seniority to show: who attends and who "
     "speaks first matter, and decisions are often taken above the people in the room."},
    {"Individualism",
     "The higher-scoring side tends to speak for itself and to decide in the meeting; the other "
     "tends to build the relationship first and to consult its group before committing."},
    {"Masculinity",
     "The higher-scoring side tends to lead with targets, results and competition; the other "
     "with consensus and how well the two sides will work together."},
    {"Uncertainty avoidance",
     "The higher-scoring side tends to want an agenda in advance, details and written terms; "
     "the other is more at ease with open questions and changes of plan."},
    {"Long-term orientation",
     "The higher-scoring side tends to think in long horizons and to adapt plans as it goes; "
     "the other tends to look for quick results and to keep to established ways."},
    {"Indulgence",
     "The higher-scoring side tends to welcome informal moments and small talk; the other tends "
     "to keep meetings restrained and to the point."},
};

BriefingCountry CountryOf(const Country& c) {
  BriefingCountry out;
  out.set_code(c.alpha2);
  out.set_name(c.name);
  out.set_region(c.region);
  out.set_subregion(c.subregion);
  if (c.principal_zone) {
    out.set_time_zone(c.principal_zone->name);
    out.set_city(reference::CityOfZone(c.principal_zone->name));
  }
  return out;
}

// The window both zones' 09:00-17:00 share around `date` (at the venue), or
// an empty one.
struct Overlap {
  absl::Time start, end;
  absl::Duration length() const { return end - start; }
};
Overlap WorkingOverlap(absl::CivilDay date, const absl::TimeZone& venue,
                       const absl::TimeZone& origin) {
  const auto at = [](absl::CivilDay day, int minutes, const absl::TimeZone& zone) {
    return absl::FromCivil(absl::CivilMinute(day) + minutes, zone);
  };
  const absl::Time venue_start = at(date, kWorkdayStart, venue);
  const absl::Time venue_end = at(date, kWorkdayEnd, venue);
  Overlap best{venue_start, venue_start};
  for (int shift = -1; shift <= 1; ++shift) {
    const absl::Time start = std::max(venue_start, at(date + shift, kWorkdayStart, origin));
    const absl::Time end = std::min(venue_end, at(date + shift, kWorkdayEnd, origin));
    if (end - start > best.length()) best = {start, end};
  }
  return best;
}

void AddClocks(const ItineraryDay& day, const std::string& zone_name,
               const std::string& origin_zone, BriefingDay* out) {
  out->set_venue_time_zone(zone_name);
  out->set_origin_time_zone(origin_zone);
  const std::optional<absl::CivilDay> date = reference::ParseDate(day.date());
  absl::TimeZone venue, origin;
  if (!date || zone_name.empty() || origin_zone.empty() || !absl::LoadTimeZone(zone_name, &venue) ||
      !absl::LoadTimeZone(origin_zone, &origin)) {
    return;
  }
  const absl::Time noon = absl::FromCivil(absl::CivilHour(*date) + 12, venue);
  out->set_offset_minutes((venue.At(noon).offset - origin.At(noon).offset) / 60);
  const Overlap overlap = WorkingOverlap(*date, venue, origin);
  out->set_overlap_minutes(static_cast<int>(absl::ToInt64Minutes(overlap.length())));
  if (overlap.length() <= absl::ZeroDuration()) return;
  out->set_venue_overlap_start(absl::FormatTime("%H:%M", overlap.start, venue));
  out->set_venue_overlap_end(absl::FormatTime("%H:%M", overlap.end, venue));
  out->set_origin_overlap_start(absl::FormatTime("%H:%M", overlap.start, origin));
  out->set_origin_overlap_end(absl::FormatTime("%H:%M", overlap.end, origin));
}

struct CountryLanguage {
  double share = 0;
  bool official = false;
  bool counts() const { return official || share >= kWidelySpoken; }
};

absl::flat_hash_map<std::string, CountryLanguage> LanguagesOf(const Country& c) {
  absl::flat_hash_map<std::string, CountryLanguage> out;
  for (const reference::LanguageShare& l : c.languages) {
    CountryLanguage& entry = out[l.code];
    entry.share = std::max(entry.share, l.population_share);
    entry.official = entry.official || l.official;
  }
  return out;
}

void AddLanguages(const Country& origin, const Country& host,
                  const std::vector<BriefingParticipant>& participants,
                  const reference::CountryCatalog& catalog, const BriefingView& view,
                  Briefing* out) {
  const auto origin_languages = LanguagesOf(origin);
  const auto host_languages = LanguagesOf(host);
  // Ordered by code: the tie-break of the order below.
  std::map<std::string, BriefingLanguage> languages;
  const auto add_country = [&](const absl::flat_hash_map<std::string, CountryLanguage>& of) {
    for (const auto& [code, language] : of) {
      if (language.counts()) languages[code];
    }
  };
  add_country(origin_languages);
  add_country(host_languages);
  for (const BriefingParticipant& p : participants) {
    for (const std::string& code : p.languages) {
      BriefingLanguage& language = languages[code];
      p.delegate ? language.set_delegates(language.delegates() + 1)
                 : language.set_hosts(language.hosts() + 1);
      if (view.full || p.member_id == view.member_id) {
        socio::v1::BriefingCompany* company = language.add_companies();
        company->set_member_id(p.member_id);
        company->set_name(p.name);
        company->set_delegate(p.delegate);
      }
    }
  }
  std::vector<BriefingLanguage> sorted;
  for (auto& [code, language] : languages) {
    language.set_code(code);
    language.set_name(catalog.LanguageName(code));
    CountryLanguage in_origin, in_host;
    if (auto it = origin_languages.find(code); it != origin_languages.end()) in_origin = it->second;
    if (auto it = host_languages.find(code); it != host_languages.end()) in_host = it->second;
    language.set_origin_share(in_origin.share);
    language.set_origin_official(in_origin.official);
    language.set_host_share(in_host.share);
    language.set_host_official(in_host.official);
    language.set_shared(in_origin.counts() && in_host.counts());
    sorted.push_back(std::move(language));
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const BriefingLanguage& a, const BriefingLanguage& b) {
                     if (a.shared() != b.shared()) return a.shared();
                     return a.delegates() + a.hosts() > b.delegates() + b.hosts();
                   });
  for (BriefingLanguage& language : sorted) *out->add_languages() = std::move(language);
}

// The coordinates and name of where the delegation goes: the first day's
// city where tzdata knows it, else the host's principal city.
std::optional<reference::TimeZone> Destination(const Delegation& d, const Country& host,
                                               const reference::ReferenceData& reference) {
  if (!d.days().empty()) {
    const ItineraryDay* first = &d.days(0);
    for (const ItineraryDay& day : d.days()) {
      if (day.date() < first->date()) first = &day;
    }
    const int index = reference.countries().Index(host.alpha2);
    if (const std::string* zone = reference.places().CityZone(index, first->city())) {
      for (const reference::TimeZone& local : host.local_zones) {
        if (local.name == *zone) {
          reference::TimeZone named = local;
          named.name = first->city();
          return named;
        }
      }
    }
  }
  if (!host.principal_zone) return std::nullopt;
  reference::TimeZone named = *host.principal_zone;
  named.name = reference::CityOfZone(named.name);
  return named;
}

void AddCulture(const Country& origin, const Country& host, const reference::HofstedeScores& scores,
                Briefing* out) {
  const reference::HofstedeScores::Scores* a = scores.Find(origin.alpha2);
  const reference::HofstedeScores::Scores* b = scores.Find(host.alpha2);
  for (int i = 0; i < reference::kHofstedeDimensions; ++i) {
    BriefingDimension* dimension = out->add_dimensions();
    dimension->set_code(reference::kHofstedeDimensionNames[i]);
    dimension->set_name(kDimensions[i].name);
    const std::optional<double> sa = a != nullptr ? (*a)[i] : std::nullopt;
    const std::optional<double> sb = b != nullptr ? (*b)[i] : std::nullopt;
    if (sa) dimension->set_origin_score(*sa);
    if (sb) dimension->set_host_score(*sb);
    dimension->set_note(BriefingDimensionNote(i, origin.name, sa, host.name, sb));
  }
  if (std::optional<double> cd = scores.KogutSingh(origin.alpha2, host.alpha2)) {
    out->set_kogut_singh(*cd);
  }
}

}  // namespace

std::string BriefingDimensionNote(int dimension, const std::string& origin,
                                  std::optional<double> origin_score, const std::string& host,
                                  std::optional<double> host_score) {
  if (!origin_score || !host_score) {
    return absl::StrCat("No score for ", !origin_score ? origin : host,
                        " in the operator's file: no comparison.");
  }
  const double difference = std::fabs(*host_score - *origin_score);
  if (difference < kCloseDifference) {
    return absl::StrFormat("Close scores (%.0f points apart): no particular adjustment expected.",
                           difference);
  }
  const std::string& higher = *host_score > *origin_score ? host : origin;
  return absl::StrFormat("%s difference: %s scores %.0f points higher. %s",
                         difference >= kLargeDifference ? "A large" : "A moderate", higher,
                         difference, kDimensions[dimension].higher_side);
}

Briefing AssembleBriefing(const Delegation& d, const std::vector<BriefingParticipant>& participants,
                          const reference::ReferenceData& reference, const BriefingView& view) {
  Briefing out;
  out.set_delegation_id(d.id());
  out.set_delegation_name(d.name());
  out.set_file_name(absl::StrCat(d.id(), "-briefing.md"));
  const Country* origin = reference.countries().Find(d.origin_country());
  const Country* host = reference.countries().Find(d.host_country());
  if (origin == nullptr || host == nullptr) return out;
  *out.mutable_origin() = CountryOf(*origin);
  *out.mutable_host() = CountryOf(*host);

  std::vector<const ItineraryDay*> days;
  for (const ItineraryDay& day : d.days()) days.push_back(&day);
  std::sort(days.begin(), days.end(),
            [](const ItineraryDay* a, const ItineraryDay* b) { return a->date() < b->date(); });
  for (const ItineraryDay* day : days) {
    BriefingDay* out_day = out.add_days();
    out_day->set_date(day->date());
    out_day->set_city(day->city());
    AddClocks(
        *day,
        reference::PlannedDayTimeZone(reference, d.host_country(), day->city(), day->time_zone()),
        out.origin().time_zone(), out_day);
  }

  AddLanguages(*origin, *host, participants, reference.countries(), view, &out);
  for (const BriefingParticipant& p : participants) {
    p.delegate ? out.set_delegates(out.delegates() + 1) : out.set_hosts(out.hosts() + 1);
  }

  if (const std::optional<reference::TimeZone> to = Destination(d, *host, reference);
      to && origin->principal_zone) {
    out.set_distance_km(reference::GreatCircleKm(origin->principal_zone->latitude,
                                                 origin->principal_zone->longitude, to->latitude,
                                                 to->longitude));
    out.set_distance_from(out.origin().city());
    out.set_distance_to(to->name);
  }
  if (reference.hofstede() != nullptr) AddCulture(*origin, *host, *reference.hofstede(), &out);
  if (view.full) out.set_staff_notes(d.briefing_notes());
  out.set_markdown(BriefingMarkdown(out));
  return out;
}

}  // namespace socio::briefing
