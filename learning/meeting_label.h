// The label a recorded meeting outcome (outcome.proto) gives its pair, from
// both sides' answers, for the weight suggester (suggest.h):
//
//   Label label = MeetingLabel(outcome);  // kUnlabelled: leave it out
//
// The rule (also in match_suggestion.proto, MatchPolicySuggestion):
// - kUnlabelled while neither side answered, or when every answering side
//   says CANCELLED (LabelOf(kCancelled)).
// - kNegative when a side says NO_SHOW, whichever side was absent
//   (LabelOf(kNoShow)).
// - Otherwise, when a side says HELD or recorded stage 2 (the meeting took
//   place), and a side recorded stage 2: kPositive if a side says
//   IN_CONTACT or NEGOTIATING (LabelOf(kHeld, kFollowUp)) or
//   AGREEMENT_SIGNED (kAgreement); kNegative if every report says
//   NO_FURTHER_CONTACT (kNone). The later answer decides over stage 1's.
// - Without stage 2: kPositive if a side wants to follow up (YES: kFollowUp);
//   kNegative if every side that answered HELD says NO (kNone); kUnlabelled
//   when the answers are MAYBE and none YES.
//
// Hidden sides (SideOutcome.hidden) are not read. Pure; thread-safe.
#ifndef SOCIO_LEARNING_MEETING_LABEL_H_
#define SOCIO_LEARNING_MEETING_LABEL_H_

#include "learning/outcome.h"
#include "socio/v1/outcome.pb.h"

namespace socio::learning {

Label MeetingLabel(const socio::v1::MeetingOutcome& outcome);

}  // namespace socio::learning

#endif  // SOCIO_LEARNING_MEETING_LABEL_H_
