// Cultural distance between countries, from Hofstede's six dimensions (power
// distance, individualism, masculinity, uncertainty avoidance, long-term
// orientation, indulgence) in an operator-supplied CSV with the columns of
// ../shared/data/hofstede_6d_iso.csv. Socio ships no scores: their licence is
// unclear.
//
// Kogut and Singh (1988): CD(a, b) = (1/n) * sum_i (I_ia - I_ib)^2 / V_i over
// the n dimensions both countries have, where V_i is the POPULATION variance
// (divide by N, not N - 1) of dimension i over the countries of the file
// (rows with entity_type "country" that have a score for dimension i).
//
//   absl::StatusOr<HofstedeScores> scores = HofstedeScores::LoadCsv(path);
//   std::optional<double> cd = scores->KogutSingh("DE", "US");
#ifndef SOCIO_REFERENCE_CULTURE_H_
#define SOCIO_REFERENCE_CULTURE_H_

#include <array>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::reference {

inline constexpr int kHofstedeDimensions = 6;
// Column names, in order: pdi, idv, mas, uai, ltowvs, ivr.
extern const std::array<const char*, kHofstedeDimensions> kHofstedeDimensionNames;
// The largest score LoadCsv accepts; Hofstede's scales run from 0 to about 120.
inline constexpr double kMaxHofstedeScore = 1000;

class HofstedeScores {
 public:
  using Scores = std::array<std::optional<double>, kHofstedeDimensions>;

  // Rows with entity_type "country", an iso2 code (upper-cased) and at least
  // one score; others are ignored. Columns are found by name in the header;
  // cells may be RFC 4180 quoted; an empty cell is no score. NOT_FOUND if the
  // file is missing; INVALID_ARGUMENT naming the line and column for a score
  // that is not a number or lies outside [0, kMaxHofstedeScore], a second row
  // for a country, or a missing column.
  static absl::StatusOr<HofstedeScores> LoadCsv(const std::string& path);

  // nullptr if the country has no row.
  const Scores* Find(absl::string_view alpha2) const;
  // Population variance of dimension i over the countries that have it.
  double Variance(int dimension) const { return variance_[dimension]; }
  // Countries with at least one score.
  int size() const { return static_cast<int>(scores_.size()); }
  // Kogut-Singh distance, or nullopt if either country is missing or they
  // share no dimension. A dimension with zero variance is left out of n.
  std::optional<double> KogutSingh(absl::string_view a, absl::string_view b) const;

 private:
  absl::flat_hash_map<std::string, Scores> scores_;
  std::array<double, kHofstedeDimensions> variance_{};
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_CULTURE_H_
