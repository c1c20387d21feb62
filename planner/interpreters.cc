#include "planner/interpreters.h"

#include <algorithm>
#include <optional>

#include "reference/itinerary.h"

namespace socio::planner {
namespace {

bool Speaks(const Languages& languages, const std::string& code) {
  return std::find(languages.begin(), languages.end(), code) != languages.end();
}

}  // namespace

bool NeedsInterpreter(const Languages& delegate, const Languages& host) {
  if (delegate.empty() || host.empty()) return false;
  for (const std::string& code : delegate) {
    if (Speaks(host, code)) return false;
  }
  return true;
}

bool Covers(const socio::v1::Interpreter& interpreter, const Languages& delegate,
            const Languages& host) {
  for (const socio::v1::InterpreterLanguagePair& pair : interpreter.language_pairs()) {
    if ((Speaks(delegate, pair.first()) && Speaks(host, pair.second())) ||
        (Speaks(delegate, pair.second()) && Speaks(host, pair.first()))) {
      return true;
    }
  }
  bool reaches_delegate = false, reaches_host = false;
  for (const std::string& code : interpreter.languages()) {
    reaches_delegate = reaches_delegate || Speaks(delegate, code);
    reaches_host = reaches_host || Speaks(host, code);
  }
  return reaches_delegate && reaches_host;
}

std::vector<bool> InterpreterSlots(const socio::v1::Interpreter& interpreter,
                                   const SlotGrid& grid) {
  std::vector<bool> available(grid.slots.size(), interpreter.available().empty());
  for (const socio::v1::InterpreterAvailability& a : interpreter.available()) {
    auto it = grid.position_of_date.find(a.date());
    if (it == grid.position_of_date.end()) continue;
    const DaySlots& day = grid.days[it->second];
    const bool whole_day = a.start_time().empty() && a.end_time().empty();
    const std::optional<int> from = reference::ParseTimeOfDay(a.start_time());
    const std::optional<int> to = reference::ParseTimeOfDay(a.end_time());
    for (size_t k = 0; k < day.starts.size(); ++k) {
      const int start = day.starts[k], end = start + day.meeting_minutes;
      if (whole_day || (from && to && start >= *from && end <= *to)) {
        available[grid.first_slot[it->second] + k] = true;
      }
    }
  }
  return available;
}

}  // namespace socio::planner
