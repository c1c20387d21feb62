#include "reference/travel_times.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "reference/internal/csv.h"
#include "reference/text_fold.h"

namespace socio::reference {

using internal::CsvRecord;

std::string FoldPlace(absl::string_view name) {
  return FoldLatin(absl::StripAsciiWhitespace(name));
}

absl::StatusOr<TravelTimeTable> TravelTimeTable::LoadCsv(const std::string& path) {
  absl::StatusOr<std::string> text = internal::ReadWholeFile(path, "the travel times file");
  if (!text.ok()) return text.status();
  return ParseCsv(*text, path);
}

absl::StatusOr<TravelTimeTable> TravelTimeTable::ParseCsv(absl::string_view text,
                                                          absl::string_view name) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      internal::ParseCsv(text, name, absl::StatusCode::kInvalidArgument);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": line 1: no header row"));
  }
  auto column = [&](absl::string_view wanted) {
    return internal::ColumnIndex(records->front(), wanted);
  };
  const int from_column = column("from"), to_column = column("to"),
            minutes_column = column("minutes");
  if (from_column < 0 || to_column < 0 || minutes_column < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": line ", records->front().line,
                     ": the header must name the columns from, to and minutes"));
  }

  TravelTimeTable table;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    auto cell = [&](int column) { return internal::CellAt(record, column); };
    auto bad = [&](absl::string_view column_name, absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": line ", record.line, ": ", column_name, ": ", reason));
    };
    const std::string from = FoldPlace(cell(from_column)), to = FoldPlace(cell(to_column));
    if (from.empty()) return bad("from", "is empty");
    if (to.empty()) return bad("to", "is empty");
    if (from == to) return bad("to", "is the same place as from");
    int minutes = 0;
    if (!absl::SimpleAtoi(cell(minutes_column), &minutes) || minutes < 0 ||
        minutes > kMaxTravelMinutes) {
      return bad("minutes", absl::StrCat("'", cell(minutes_column),
                                         "' is not a whole number from 0 to ", kMaxTravelMinutes));
    }
    if (std::optional<int> before = table.Minutes(from, to); before && *before != minutes) {
      return bad("minutes", absl::StrCat("the pair '", cell(from_column), "' / '", cell(to_column),
                                         "' is listed before with ", *before, " minutes"));
    }
    table.Set(from, to, minutes);
  }
  return table;
}

std::optional<int> TravelTimeTable::Minutes(absl::string_view a, absl::string_view b) const {
  auto it = minutes_.find(std::make_pair(FoldPlace(a), FoldPlace(b)));
  if (it == minutes_.end()) return std::nullopt;
  return it->second;
}

void TravelTimeTable::Set(absl::string_view a, absl::string_view b, int minutes) {
  const std::string from = FoldPlace(a), to = FoldPlace(b);
  minutes_[{from, to}] = minutes;
  minutes_[{to, from}] = minutes;
}

}  // namespace socio::reference
