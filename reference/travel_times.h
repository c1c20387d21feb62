// An operator's table of travel times between the places of a city's
// programmes (venues, company sites, hotels), in minutes either way, read
// from a CSV file the operator names (sociod --travel_times_csv):
//
//   from,to,minutes
//   Hotel Camino Real,World Trade Center Mexico,35
//   "Messe München, Halle A4",Allianz Arena,40
//
//   absl::StatusOr<TravelTimeTable> table = TravelTimeTable::LoadCsv(path);
//   table->Minutes("world trade center mexico", "Hotel Camino Real");  // 35
//
// The planner consults it after a delegation's own travel_times and before
// the places' coordinates (see planner/programme.h). Immutable once loaded;
// safe to share between threads.
#ifndef SOCIO_REFERENCE_TRAVEL_TIMES_H_
#define SOCIO_REFERENCE_TRAVEL_TIMES_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::reference {

// The most minutes a row may give (ten hours), as for a delegation's own
// travel_times.
inline constexpr int kMaxTravelMinutes = 600;

class TravelTimeTable {
 public:
  // The columns are found by name in the header (from, to, minutes; others
  // are ignored); cells may be RFC 4180 quoted. Place names are compared as
  // FoldPlace gives them. NOT_FOUND if the file is missing; INVALID_ARGUMENT
  // naming the file, line and column for an empty place, the same place
  // twice, minutes that are not a whole number from 0 to kMaxTravelMinutes,
  // or a pair listed twice with different minutes (either order).
  static absl::StatusOr<TravelTimeTable> LoadCsv(const std::string& path);
  // The same, of the file's text; `name` stands for the file in errors.
  static absl::StatusOr<TravelTimeTable> ParseCsv(absl::string_view text, absl::string_view name);

  // The minutes between two places, either way; nullopt when the table does
  // not list them.
  std::optional<int> Minutes(absl::string_view a, absl::string_view b) const;

  // Lists `minutes` between `a` and `b`, either way, replacing what was
  // listed for them. REQUIRES: the two differ as FoldPlace gives them.
  void Set(absl::string_view a, absl::string_view b, int minutes);

  // Pairs of places listed.
  size_t size() const { return minutes_.size() / 2; }

 private:
  // Keyed by both orders of the folded names.
  absl::flat_hash_map<std::pair<std::string, std::string>, int> minutes_;
};

// A place name compared without case, spaces around it or the accents of
// Latin letters ("  León " = "leon").
std::string FoldPlace(absl::string_view name);

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_TRAVEL_TIMES_H_
