// MeetingLabel: how both sides' answers to a meeting label its pair, case by
// case as match_suggestion.proto states the rule.
#include "learning/meeting_label.h"

#include <optional>

#include "gtest/gtest.h"
#include "learning/outcome.h"
#include "socio/v1/outcome.pb.h"

namespace socio::learning {
namespace {

using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;

struct Side {
  MeetingFeedback::Attendance attendance = MeetingFeedback::ATTENDANCE_UNSPECIFIED;
  MeetingFeedback::FollowUp follow_up = MeetingFeedback::FOLLOW_UP_UNSPECIFIED;
  FollowUpReport::Status status = FollowUpReport::STATUS_UNSPECIFIED;
  bool hidden = false;
};

MeetingOutcome Meeting(const Side& a, const Side& b) {
  MeetingOutcome m;
  for (const Side& s : {a, b}) {
    socio::v1::SideOutcome* side = m.add_sides();
    side->set_hidden(s.hidden);
    if (s.attendance != MeetingFeedback::ATTENDANCE_UNSPECIFIED) {
      side->mutable_feedback()->set_attendance(s.attendance);
      side->mutable_feedback()->set_follow_up(s.follow_up);
    }
    if (s.status != FollowUpReport::STATUS_UNSPECIFIED) {
      side->mutable_follow_up()->set_status(s.status);
    }
  }
  return m;
}

constexpr auto kHeld = MeetingFeedback::HELD;

TEST(MeetingLabelTest, NoAnswerOrOnlyCancelledIsLeftOut) {
  EXPECT_EQ(MeetingLabel(Meeting({}, {})), Label::kUnlabelled);
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = MeetingFeedback::CANCELLED}, {})),
            Label::kUnlabelled);
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = MeetingFeedback::CANCELLED},
                                 {.attendance = MeetingFeedback::CANCELLED})),
            Label::kUnlabelled);
}

TEST(MeetingLabelTest, ANoShowOfEitherSideIsNegative) {
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = MeetingFeedback::NO_SHOW}, {})), Label::kNegative);
  // Even when the other side says it was held and wants more.
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld, .follow_up = MeetingFeedback::YES},
                                 {.attendance = MeetingFeedback::NO_SHOW})),
            Label::kNegative);
}

TEST(MeetingLabelTest, StageOneFollowUpDecidesWithoutStageTwo) {
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld, .follow_up = MeetingFeedback::YES}, {})),
            Label::kPositive);
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld, .follow_up = MeetingFeedback::NO},
                                 {.attendance = kHeld, .follow_up = MeetingFeedback::YES})),
            Label::kPositive);
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld, .follow_up = MeetingFeedback::NO},
                                 {.attendance = kHeld, .follow_up = MeetingFeedback::NO})),
            Label::kNegative);
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld, .follow_up = MeetingFeedback::NO}, {})),
            Label::kNegative);
  // MAYBE says too little.
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld, .follow_up = MeetingFeedback::MAYBE},
                                 {.attendance = kHeld, .follow_up = MeetingFeedback::NO})),
            Label::kUnlabelled);
}

TEST(MeetingLabelTest, StageTwoOverridesStageOne) {
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld,
                                  .follow_up = MeetingFeedback::YES,
                                  .status = FollowUpReport::NO_FURTHER_CONTACT},
                                 {.status = FollowUpReport::NO_FURTHER_CONTACT})),
            Label::kNegative);
  EXPECT_EQ(MeetingLabel(Meeting({.attendance = kHeld,
                                  .follow_up = MeetingFeedback::NO,
                                  .status = FollowUpReport::NO_FURTHER_CONTACT},
                                 {.status = FollowUpReport::NEGOTIATING})),
            Label::kPositive);
  for (auto status : {FollowUpReport::IN_CONTACT, FollowUpReport::NEGOTIATING,
                      FollowUpReport::AGREEMENT_SIGNED}) {
    EXPECT_EQ(MeetingLabel(Meeting({.status = status}, {})), Label::kPositive) << status;
  }
}

TEST(MeetingLabelTest, HiddenSidesAreNotRead) {
  EXPECT_EQ(MeetingLabel(Meeting(
                {.attendance = kHeld, .follow_up = MeetingFeedback::YES, .hidden = true}, {})),
            Label::kUnlabelled);
}

}  // namespace
}  // namespace socio::learning
