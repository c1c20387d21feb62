#include "learning/outcome.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace socio::learning {

Label LabelOf(MeetingResult result, FollowUp follow_up) {
  switch (result) {
    case MeetingResult::kHeld:
      return follow_up == FollowUp::kNone ? Label::kNegative : Label::kPositive;
    case MeetingResult::kDeclined:
    case MeetingResult::kNoShow:
      return Label::kNegative;
    case MeetingResult::kCancelled:
      return Label::kUnlabelled;
  }
  return Label::kUnlabelled;
}

absl::string_view FactorName(matcher::Factor factor) {
  static constexpr absl::string_view kNames[matcher::kFactorCount] = {
      "objective", "market", "sector", "culture", "text", "size", "freshness"};
  return factor >= 0 && factor < matcher::kFactorCount ? kNames[factor] : "unknown";
}

absl::Status ValidateOutcome(const Outcome& outcome, absl::string_view field) {
  for (const auto& [side, scores] :
       {std::pair<absl::string_view, const matcher::FactorScores*>("forward", &outcome.forward),
        std::pair<absl::string_view, const matcher::FactorScores*>("backward",
                                                                   &outcome.backward)}) {
    for (int f = 0; f < matcher::kFactorCount; ++f) {
      const double x = (*scores)[f];
      if (!std::isfinite(x) || x < 0 || x > 1) {
        return absl::InvalidArgumentError(absl::StrCat(field, ".", side, ".",
                                                       FactorName(static_cast<matcher::Factor>(f)),
                                                       ": must be in [0, 1], is ", x));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace socio::learning
