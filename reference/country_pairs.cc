#include "reference/country_pairs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace socio::reference {
namespace {

constexpr float kNoFigure = std::numeric_limits<float>::quiet_NaN();
constexpr double kEarthRadiusKm = 6371.0;
constexpr double kRadians = std::numbers::pi / 180;
constexpr double kWorkdayStart = 9.0;  // local hours
constexpr double kWorkdayEnd = 17.0;
constexpr double kWorkdayHours = kWorkdayEnd - kWorkdayStart;

// What one country contributes to its pairs, resolved once.
struct CountryFacts {
  std::vector<std::pair<int, double>> languages;  // (language id, share), by id
  bool has_zone = false;
  double latitude = 0, longitude = 0;          // degrees
  double offset_january = 0, offset_july = 0;  // hours east of UTC
  bool has_scores = false;
};

// Sum of min(share_a, share_b) over the languages both have, capped at 1.
double LanguageStrength(const CountryFacts& a, const CountryFacts& b) {
  double sum = 0;
  auto i = a.languages.begin(), j = b.languages.begin();
  while (i != a.languages.end() && j != b.languages.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      sum += std::min(i->second, j->second);
      ++i;
      ++j;
    }
  }
  return std::min(sum, 1.0);
}

// Hours both 09:00-17:00 windows share, with UTC offsets in hours. The clock
// is taken modulo a day: Auckland's Tuesday morning is Honolulu's Monday
// morning, and the two can talk then.
double WindowOverlap(double offset_a, double offset_b) {
  double shift = std::fmod(std::fabs(offset_a - offset_b), 24.0);
  shift = std::min(shift, 24.0 - shift);
  return std::max(0.0, kWorkdayHours - shift);
}

double SameRegion(const Country& a, const Country& b) {
  if (!a.subregion_code.empty() && a.subregion_code == b.subregion_code) return 1.0;
  if (!a.region_code.empty() && a.region_code == b.region_code) return 0.5;
  return 0.0;
}

double OffsetHours(const absl::TimeZone& zone, absl::CivilSecond utc) {
  return zone.At(absl::FromCivil(utc, absl::UTCTimeZone())).offset / 3600.0;
}

std::vector<CountryFacts> ResolveFacts(const CountryCatalog& catalog,
                                       const HofstedeScores* scores) {
  const std::vector<Country>& countries = catalog.countries();
  std::vector<CountryFacts> facts(countries.size());
  absl::flat_hash_map<std::string, int> language_ids;
  // 2026-01-14 and 2026-07-15 are Wednesdays, one in each half of the
  // daylight-saving year.
  const absl::CivilSecond january(2026, 1, 14, 12, 0, 0);
  const absl::CivilSecond july(2026, 7, 15, 12, 0, 0);
  for (size_t i = 0; i < countries.size(); ++i) {
    const Country& country = countries[i];
    CountryFacts& f = facts[i];
    for (const LanguageShare& language : country.languages) {
      const int id =
          language_ids.emplace(language.code, static_cast<int>(language_ids.size())).first->second;
      f.languages.emplace_back(id, language.population_share);
    }
    std::sort(f.languages.begin(), f.languages.end());
    // Should a code come twice (two scripts of one language), its speakers add up.
    size_t kept = 0;
    for (size_t k = 0; k < f.languages.size(); ++k) {
      if (kept > 0 && f.languages[kept - 1].first == f.languages[k].first) {
        f.languages[kept - 1].second += f.languages[k].second;
      } else {
        f.languages[kept++] = f.languages[k];
      }
    }
    f.languages.resize(kept);

    absl::TimeZone zone;
    if (country.principal_zone && absl::LoadTimeZone(country.principal_zone->name, &zone)) {
      f.has_zone = true;
      f.latitude = country.principal_zone->latitude;
      f.longitude = country.principal_zone->longitude;
      f.offset_january = OffsetHours(zone, january);
      f.offset_july = OffsetHours(zone, july);
    }
    f.has_scores = scores != nullptr && scores->Find(country.alpha2) != nullptr;
  }
  return facts;
}

}  // namespace

double GreatCircleKm(double latitude_a, double longitude_a, double latitude_b, double longitude_b) {
  const double lat_a = latitude_a * kRadians, lat_b = latitude_b * kRadians;
  // Haversine: well conditioned for short distances too.
  const double sin_lat = std::sin((lat_b - lat_a) / 2);
  const double sin_lon = std::sin((longitude_b - longitude_a) * kRadians / 2);
  const double h = sin_lat * sin_lat + std::cos(lat_a) * std::cos(lat_b) * sin_lon * sin_lon;
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

CountryPairs CountryPairs::Build(const CountryCatalog& catalog, const HofstedeScores* scores) {
  const std::vector<Country>& countries = catalog.countries();
  const std::vector<CountryFacts> facts = ResolveFacts(catalog, scores);
  CountryPairs pairs;
  const int n = static_cast<int>(countries.size());
  const size_t cells = static_cast<size_t>(n) * n;
  pairs.n_ = n;
  pairs.language_.assign(cells, 0.0f);
  pairs.hours_.assign(cells, 0.0f);
  pairs.distance_.assign(cells, kNoFigure);
  pairs.closeness_.assign(cells, 0.0f);
  if (scores != nullptr) pairs.kogut_singh_.assign(cells, kNoFigure);

  // Every figure is symmetric: compute a <= b and mirror.
  for (int a = 0; a < n; ++a) {
    const CountryFacts& fa = facts[a];
    for (int b = a; b < n; ++b) {
      const CountryFacts& fb = facts[b];
      const double language = LanguageStrength(fa, fb);
      double hours = 0;
      double distance = std::numeric_limits<double>::quiet_NaN();
      if (fa.has_zone && fb.has_zone) {
        hours = (WindowOverlap(fa.offset_january, fb.offset_january) +
                 WindowOverlap(fa.offset_july, fb.offset_july)) /
                2;
        distance = GreatCircleKm(fa.latitude, fa.longitude, fb.latitude, fb.longitude);
      }
      std::optional<double> kogut_singh;
      if (fa.has_scores && fb.has_scores) {
        kogut_singh = scores->KogutSingh(countries[a].alpha2, countries[b].alpha2);
      }
      const double region = SameRegion(countries[a], countries[b]);
      const double closeness = kogut_singh.has_value()
                                   ? 0.4 / (1 + *kogut_singh) + 0.3 * language + 0.15 * region +
                                         0.15 * hours / kWorkdayHours
                                   : 0.5 * language + 0.25 * region + 0.25 * hours / kWorkdayHours;

      for (const size_t cell : {static_cast<size_t>(a) * n + b, static_cast<size_t>(b) * n + a}) {
        pairs.language_[cell] = static_cast<float>(language);
        pairs.hours_[cell] = static_cast<float>(hours);
        pairs.distance_[cell] = static_cast<float>(distance);
        pairs.closeness_[cell] = static_cast<float>(std::clamp(closeness, 0.0, 1.0));
        if (kogut_singh.has_value()) pairs.kogut_singh_[cell] = static_cast<float>(*kogut_singh);
      }
    }
  }
  return pairs;
}

std::optional<float> CountryPairs::KogutSingh(int a, int b) const {
  if (kogut_singh_.empty()) return std::nullopt;
  const float value = kogut_singh_[a * n_ + b];
  if (std::isnan(value)) return std::nullopt;
  return value;
}

}  // namespace socio::reference
