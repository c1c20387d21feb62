#include "reference/itinerary.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace socio::reference {
namespace {

// The value of the two ASCII digits at text[i], or -1.
int TwoDigits(absl::string_view text, size_t i) {
  if (!absl::ascii_isdigit(text[i]) || !absl::ascii_isdigit(text[i + 1])) return -1;
  return (text[i] - '0') * 10 + (text[i + 1] - '0');
}

}  // namespace

std::optional<absl::CivilDay> ParseDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int century = TwoDigits(text, 0);
  const int year_of_century = TwoDigits(text, 2);
  const int month = TwoDigits(text, 5);
  const int day = TwoDigits(text, 8);
  if (century < 0 || year_of_century < 0 || month < 0 || day < 0) return std::nullopt;
  const int year = century * 100 + year_of_century;
  // CivilDay normalises out-of-range fields ("02-30" -> "03-02"): a real date
  // is one that comes back unchanged.
  const absl::CivilDay date(year, month, day);
  if (date.year() != year || date.month() != month || date.day() != day) return std::nullopt;
  return date;
}

std::optional<int> ParseTimeOfDay(absl::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int hours = TwoDigits(text, 0);
  const int minutes = TwoDigits(text, 3);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string FormatTimeOfDay(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

std::vector<int> SlotStarts(int start, int end, int meeting, int pause) {
  std::vector<int> starts;
  if (meeting <= 0 || pause < 0) return starts;
  for (int t = start; t + meeting <= end; t += meeting + pause) starts.push_back(t);
  return starts;
}

}  // namespace socio::reference
