#include "clients/met_before.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace socio::clients {
namespace {

using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;
using socio::v1::MetBefore;

MetBefore Met(int meetings) {
  MetBefore met;
  met.set_meetings(meetings);
  absl::Time end;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-05-12T15:30:00Z", &end, &error)) << error;
  met.mutable_last_met()->set_seconds(absl::ToUnixSeconds(end));
  return met;
}

TEST(MetBeforeTextTest, SaysWhenAndHowItWentAsTheMembersSideTold) {
  EXPECT_EQ(MetBeforeText(MetBefore()), "");
  // Met, nothing told yet.
  EXPECT_EQ(MetBeforeText(Met(1)), "2026-05-12");
  MetBefore held = Met(1);
  held.mutable_member_side()->set_attendance(MeetingFeedback::HELD);
  held.mutable_member_side()->set_rating(4);
  EXPECT_EQ(MetBeforeText(held), "2026-05-12, held, 4/5");
  held.mutable_member_side()->set_follow_up(MeetingFeedback::MAYBE);
  held.mutable_member_side()->set_status(FollowUpReport::AGREEMENT_SIGNED);
  // The partner's side is not the member's story.
  held.mutable_partner_side()->set_rating(1);
  EXPECT_EQ(MetBeforeText(held), "2026-05-12, held, 4/5, follow up: maybe, agreement signed");
  MetBefore twice = Met(2);
  twice.mutable_member_side()->set_attendance(MeetingFeedback::NO_SHOW);
  EXPECT_EQ(MetBeforeText(twice), "2026-05-12 (2×), no-show");
}

}  // namespace
}  // namespace socio::clients
