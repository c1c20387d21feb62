#include "planner/internal/companies.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace socio::planner::internal {

std::string FoldCity(absl::string_view city) {
  // Base letters of U+00C0..U+00FF, the second byte of their UTF-8 form
  // being 0x80..0xBF.
  static constexpr char kBase[] =
      "aaaaaaaceeeeiiiidnoooooxouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
  city = absl::StripAsciiWhitespace(city);
  std::string out;
  for (size_t i = 0; i < city.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(city[i]);
    const unsigned char next = i + 1 < city.size() ? static_cast<unsigned char>(city[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
      out.push_back(kBase[next - 0x80]);
      ++i;
    } else {
      out.push_back(absl::ascii_tolower(c));
    }
  }
  return out;
}

absl::StatusOr<socio::v1::Profile> ProfileOf(const PlanningSource& source, const std::string& field,
                                             const std::string& id) {
  absl::StatusOr<socio::v1::Profile> profile = source.GetProfile(id);
  if (absl::IsNotFound(profile.status())) {
    return absl::NotFoundError(absl::StrCat(field, ": no profile '", id, "'"));
  }
  return profile;
}

}  // namespace socio::planner::internal
