// CountryPairs: country x country tables computed once at start-up, so the
// matcher and the CLI read any pair in O(1):
// - shared-language strength in [0,1]: sum over the languages both speak of
//   min(share_a, share_b) (CLDR population shares), capped at 1; a country
//   with itself gets the sum of its own shares, capped at 1;
// - working-hour overlap in hours, 0..8: overlap of 09:00-17:00 local time,
//   in each country's principal_zone (see country_catalog.h), averaged over Wednesday
//   2026-01-14 and Wednesday 2026-07-15 12:00 UTC (daylight saving differs).
//   The clock is taken modulo a day (Auckland's Tuesday morning overlaps
//   Honolulu's Monday); weekends are ignored;
// - great-circle distance in km between the cities of the two countries'
//   principal zones, on a sphere of radius 6371 km;
// - Kogut-Singh distance when Hofstede scores are loaded;
// - culture closeness in [0,1] combining them (see Closeness()).
// A country without a time zone that tzdata can load (BV, HM, ...) has 0
// working-hour overlap and a NaN distance with every country, itself included.
//
//   CountryPairs pairs = CountryPairs::Build(catalog, scores_or_null);
//   pairs.SharedLanguage(catalog.Index("DE"), catalog.Index("AT"));
#ifndef SOCIO_REFERENCE_COUNTRY_PAIRS_H_
#define SOCIO_REFERENCE_COUNTRY_PAIRS_H_

#include <optional>
#include <vector>

#include "reference/country_catalog.h"
#include "reference/culture.h"

namespace socio::reference {

// Great-circle distance in km between two points given in degrees, on a
// sphere of radius 6371 km (haversine).
double GreatCircleKm(double latitude_a, double longitude_a, double latitude_b, double longitude_b);

class CountryPairs {
 public:
  // `scores` may be nullptr: closeness then uses languages, regions and
  // working hours only. Neither argument is kept. For 249 countries: about
  // 25 ms the first time (it reads tzdata's files), 5 ms afterwards.
  static CountryPairs Build(const CountryCatalog& catalog, const HofstedeScores* scores);

  // Arguments are CountryCatalog indices; REQUIRES: 0 <= a, b < size().
  int size() const { return n_; }
  float SharedLanguage(int a, int b) const { return language_[a * n_ + b]; }
  float WorkingHourOverlap(int a, int b) const { return hours_[a * n_ + b]; }
  float DistanceKm(int a, int b) const { return distance_[a * n_ + b]; }
  // nullopt without scores, or when HofstedeScores::KogutSingh has no figure
  // for the pair (stored as NaN).
  std::optional<float> KogutSingh(int a, int b) const;
  // Culture closeness in [0,1]. With a Kogut-Singh figure:
  //   0.4 * 1/(1 + CD) + 0.3 * language + 0.15 * same-region + 0.15 * hours/8;
  // without: 0.5 * language + 0.25 * same-region + 0.25 * hours/8,
  // same-region being 1 for the same M49 subregion, 0.5 for the same region.
  float Closeness(int a, int b) const { return closeness_[a * n_ + b]; }

 private:
  int n_ = 0;
  std::vector<float> language_, hours_, distance_, kogut_singh_, closeness_;
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_COUNTRY_PAIRS_H_
