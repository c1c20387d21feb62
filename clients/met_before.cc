#include "clients/met_before.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"

namespace socio::clients {

using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;

std::string MetBeforeText(const socio::v1::MetBefore& met) {
  if (met.meetings() == 0) return "";
  std::vector<std::string> parts;
  std::string date = absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(met.last_met().seconds()),
                                      absl::UTCTimeZone());
  if (met.meetings() > 1) absl::StrAppend(&date, " (", met.meetings(), "×)");
  parts.push_back(std::move(date));
  const socio::v1::MetBeforeAnswers& own = met.member_side();
  switch (own.attendance()) {
    case MeetingFeedback::HELD:
      parts.push_back("held");
      break;
    case MeetingFeedback::NO_SHOW:
      parts.push_back("no-show");
      break;
    case MeetingFeedback::CANCELLED:
      parts.push_back("cancelled");
      break;
    default:
      break;
  }
  if (own.rating() > 0) parts.push_back(absl::StrCat(own.rating(), "/5"));
  if (own.follow_up() != MeetingFeedback::FOLLOW_UP_UNSPECIFIED) {
    parts.push_back(absl::StrCat(
        "follow up: ", absl::AsciiStrToLower(MeetingFeedback::FollowUp_Name(own.follow_up()))));
  }
  if (own.status() != FollowUpReport::STATUS_UNSPECIFIED) {
    parts.push_back(absl::AsciiStrToLower(
        absl::StrReplaceAll(FollowUpReport::Status_Name(own.status()), {{"_", " "}})));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace socio::clients
