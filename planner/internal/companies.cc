#include "planner/internal/companies.h"

#include "absl/strings/str_cat.h"

namespace socio::planner::internal {

absl::StatusOr<socio::v1::Profile> ProfileOf(const PlanningSource& source, const std::string& field,
                                             const std::string& id) {
  absl::StatusOr<socio::v1::Profile> profile = source.GetProfile(id);
  if (absl::IsNotFound(profile.status())) {
    return absl::NotFoundError(absl::StrCat(field, ": no profile '", id, "'"));
  }
  return profile;
}

}  // namespace socio::planner::internal
