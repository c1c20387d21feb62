#include "learning/meeting_label.h"

namespace socio::learning {

Label MeetingLabel(const socio::v1::MeetingOutcome& outcome) {
  using socio::v1::FollowUpReport;
  using socio::v1::MeetingFeedback;
  bool cancelled = false, no_show = false, held = false;
  bool wants = false, all_held_say_no = true;
  bool reported = false, in_contact = false, agreement = false;
  for (const socio::v1::SideOutcome& side : outcome.sides()) {
    if (side.hidden()) continue;
    if (side.has_feedback()) {
      const MeetingFeedback& f = side.feedback();
      switch (f.attendance()) {
        case MeetingFeedback::HELD:
          held = true;
          if (f.follow_up() == MeetingFeedback::YES) wants = true;
          if (f.follow_up() != MeetingFeedback::NO) all_held_say_no = false;
          break;
        case MeetingFeedback::NO_SHOW:
          no_show = true;
          break;
        case MeetingFeedback::CANCELLED:
          cancelled = true;
          break;
        default:
          break;
      }
    }
    if (side.has_follow_up() && side.follow_up().status() != FollowUpReport::STATUS_UNSPECIFIED) {
      reported = true;
      switch (side.follow_up().status()) {
        case FollowUpReport::IN_CONTACT:
        case FollowUpReport::NEGOTIATING:
          in_contact = true;
          break;
        case FollowUpReport::AGREEMENT_SIGNED:
          agreement = true;
          break;
        default:
          break;
      }
    }
  }
  if (no_show) return LabelOf(MeetingResult::kNoShow, FollowUp::kNone);
  if (reported) {
    const FollowUp follow_up = agreement    ? FollowUp::kAgreement
                               : in_contact ? FollowUp::kFollowUp
                                            : FollowUp::kNone;
    return LabelOf(MeetingResult::kHeld, follow_up);
  }
  if (held) {
    if (wants) return LabelOf(MeetingResult::kHeld, FollowUp::kFollowUp);
    if (all_held_say_no) return LabelOf(MeetingResult::kHeld, FollowUp::kNone);
    return Label::kUnlabelled;
  }
  if (cancelled) return LabelOf(MeetingResult::kCancelled, FollowUp::kNone);
  return Label::kUnlabelled;
}

}  // namespace socio::learning
