#include "reference/culture.h"

#include <cmath>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "reference/internal/csv.h"

namespace socio::reference {

const std::array<const char*, kHofstedeDimensions> kHofstedeDimensionNames = {
    "pdi", "idv", "mas", "uai", "ltowvs", "ivr"};

using internal::CsvRecord;

absl::StatusOr<HofstedeScores> HofstedeScores::LoadCsv(const std::string& path) {
  absl::StatusOr<std::string> text = internal::ReadWholeFile(path, "the Hofstede scores file");
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<CsvRecord>> records =
      internal::ParseCsv(*text, path, absl::StatusCode::kInvalidArgument);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": line 1: no header row"));
  }

  // Column positions, found by name in the header.
  auto column = [&](absl::string_view name) {
    return internal::ColumnIndex(records->front(), name);
  };
  const int iso2_column = column("iso2");
  const int type_column = column("entity_type");
  std::array<int, kHofstedeDimensions> score_columns;
  std::vector<absl::string_view> missing;
  if (iso2_column < 0) missing.push_back("iso2");
  if (type_column < 0) missing.push_back("entity_type");
  for (int d = 0; d < kHofstedeDimensions; ++d) {
    score_columns[d] = column(kHofstedeDimensionNames[d]);
    if (score_columns[d] < 0) missing.push_back(kHofstedeDimensionNames[d]);
  }
  if (!missing.empty()) {
    std::string names;
    for (absl::string_view name : missing) absl::StrAppend(&names, names.empty() ? "" : ", ", name);
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": line ", records->front().line, ": missing column(s) ", names));
  }

  HofstedeScores result;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    auto cell = [&](int column) { return internal::CellAt(record, column); };
    if (cell(type_column) != "country") continue;
    const std::string iso2 = absl::AsciiStrToUpper(cell(iso2_column));
    if (iso2.empty()) continue;
    Scores scores;
    bool any = false;
    for (int d = 0; d < kHofstedeDimensions; ++d) {
      const absl::string_view value = cell(score_columns[d]);
      if (value.empty()) continue;
      double score;
      if (!absl::SimpleAtod(value, &score) || !std::isfinite(score)) {
        return absl::InvalidArgumentError(absl::StrCat(path, ": line ", record.line, ": column ",
                                                       kHofstedeDimensionNames[d], ": \"", value,
                                                       "\" is not a number"));
      }
      // Hofstede's scales run from 0 to about 120. Far larger values would
      // overflow the variance and make Kogut-Singh distances NaN.
      if (score < 0 || score > kMaxHofstedeScore) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": line ", record.line, ": column ", kHofstedeDimensionNames[d],
                         ": ", value, " is not a score between 0 and ", kMaxHofstedeScore));
      }
      scores[d] = score;
      any = true;
    }
    if (!any) continue;
    if (!result.scores_.emplace(iso2, scores).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": line ", record.line, ": column iso2: country ", iso2, " has a second row"));
    }
  }

  // Two passes (mean, then squared deviations) keep the variance accurate.
  for (int d = 0; d < kHofstedeDimensions; ++d) {
    double sum = 0;
    int n = 0;
    for (const auto& [iso2, scores] : result.scores_) {
      if (scores[d].has_value()) {
        sum += *scores[d];
        ++n;
      }
    }
    if (n == 0) continue;
    const double mean = sum / n;
    double squares = 0;
    for (const auto& [iso2, scores] : result.scores_) {
      if (scores[d].has_value()) squares += (*scores[d] - mean) * (*scores[d] - mean);
    }
    result.variance_[d] = squares / n;
  }
  return result;
}

const HofstedeScores::Scores* HofstedeScores::Find(absl::string_view alpha2) const {
  auto it = scores_.find(alpha2);
  return it == scores_.end() ? nullptr : &it->second;
}

std::optional<double> HofstedeScores::KogutSingh(absl::string_view a, absl::string_view b) const {
  const Scores* sa = Find(a);
  const Scores* sb = Find(b);
  if (sa == nullptr || sb == nullptr) return std::nullopt;
  double sum = 0;
  int n = 0;
  for (int d = 0; d < kHofstedeDimensions; ++d) {
    // A dimension on which every country scores the same separates none.
    if (!(*sa)[d].has_value() || !(*sb)[d].has_value() || variance_[d] <= 0) continue;
    const double diff = *(*sa)[d] - *(*sb)[d];
    sum += diff * diff / variance_[d];
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

}  // namespace socio::reference
