// The rules of host invitations on their own: who is invited, when an
// answer is refused, when the one reminder goes out and when an invitation
// expires, what the summary counts, and which hosts a plan may schedule when
// acceptance is required.
#include "storage/host_invitations.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::storage {
namespace {

using socio::v1::Delegation;
using socio::v1::HostInvitation;
using socio::v1::Notification;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1798761600);  // 2027-01-01

Delegation Mission() {
  Delegation d;
  d.set_id("mx27");
  d.set_chamber_id("ihk-muenchen");
  d.set_name("Mission to Mexico 2027");
  socio::v1::ItineraryDay* day = d.add_days();
  day->set_date("2027-03-29");
  day->set_city("Ciudad de México");
  for (const char* id : {"mx-1", "mx-2", "mx-3"}) d.add_hosts()->set_member_id(id);
  return d;
}

std::vector<std::string> Recipients(const std::vector<Notification>& notices) {
  std::vector<std::string> out;
  for (const Notification& n : notices) out.push_back(n.recipient());
  return out;
}

TEST(HostInvitationsTest, InvitesEveryNamedHostOnceAndTellsEach) {
  Delegation d = Mission();
  std::vector<HostInvitation> sent;
  absl::StatusOr<std::vector<Notification>> notices =
      InviteHosts(&d, {}, kNow + absl::Hours(240), kNow, "ihk-muenchen", &sent);
  ASSERT_TRUE(notices.ok()) << notices.status();
  EXPECT_THAT(Recipients(*notices), ElementsAre("mx-1", "mx-2", "mx-3"));
  EXPECT_EQ((*notices)[0].kind(), Notification::HOST_INVITED);
  EXPECT_THAT((*notices)[0].summary(), HasSubstr("Mission to Mexico 2027 (2027-03-29"));
  EXPECT_EQ(sent.size(), 3u);
  // Asked again: nobody is invited twice.
  sent.clear();
  notices = InviteHosts(&d, {}, kNow + absl::Hours(240), kNow, "ihk-muenchen", &sent);
  ASSERT_TRUE(notices.ok());
  EXPECT_THAT(*notices, IsEmpty());
  EXPECT_EQ(CountInvitations(d).pending(), 3);
}

TEST(HostInvitationsTest, RefusalsNameTheFieldAndChangeNothing) {
  Delegation d = Mission();
  std::vector<HostInvitation> sent;
  absl::StatusOr<std::vector<Notification>> notices =
      InviteHosts(&d, {"mx-1", "xx-9"}, kNow + absl::Hours(1), kNow, "c", &sent);
  EXPECT_EQ(notices.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(notices.status().message(), HasSubstr("host_ids[1]"));
  notices = InviteHosts(&d, {"mx-1", "mx-1"}, kNow + absl::Hours(1), kNow, "c", &sent);
  EXPECT_THAT(notices.status().message(), HasSubstr("host_ids[1]: 'mx-1' is named twice"));
  notices = InviteHosts(&d, {}, kNow, kNow, "c", &sent);
  EXPECT_THAT(notices.status().message(), HasSubstr("deadline"));
  EXPECT_EQ(d.host_invitations_size(), 0);
  EXPECT_THAT(sent, IsEmpty());
}

TEST(HostInvitationsTest, AnswersMayChangeUntilTheDeadlineAndNotAfter) {
  Delegation d = Mission();
  std::vector<HostInvitation> sent;
  ASSERT_TRUE(InviteHosts(&d, {"mx-1"}, kNow + absl::Hours(48), kNow, "canaco-cdmx", &sent).ok());
  absl::StatusOr<Notification> told =
      AnswerInvitation(&d, "mx-1", true, "", HostInvitation::MEMBER, kNow + absl::Hours(1));
  ASSERT_TRUE(told.ok());
  EXPECT_EQ(told->recipient(), "staff:canaco-cdmx");
  EXPECT_EQ(told->kind(), Notification::HOST_INVITATION_ACCEPTED);
  told = AnswerInvitation(&d, "mx-1", false, "after all, no", HostInvitation::STAFF,
                          kNow + absl::Hours(2));
  ASSERT_TRUE(told.ok());
  EXPECT_EQ(told->kind(), Notification::HOST_INVITATION_DECLINED);
  EXPECT_EQ(FindInvitation(d, "mx-1")->status(), HostInvitation::DECLINED);
  EXPECT_EQ(FindInvitation(d, "mx-1")->answered_by(), HostInvitation::STAFF);
  const Delegation before = d;
  told = AnswerInvitation(&d, "mx-1", true, "", HostInvitation::MEMBER, kNow + absl::Hours(49));
  EXPECT_EQ(told.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(AnswerInvitation(&d, "mx-2", true, "", HostInvitation::MEMBER, kNow).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      AnswerInvitation(&d, "mx-1", true, "a\nb", HostInvitation::MEMBER, kNow).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(d.SerializeAsString(), before.SerializeAsString());
}

TEST(HostInvitationsTest, OneReminderThenExpiry) {
  Delegation d = Mission();
  std::vector<HostInvitation> sent;
  const absl::Time deadline = kNow + absl::Hours(24 * 10);
  ASSERT_TRUE(InviteHosts(&d, {"mx-1"}, deadline, kNow, "ihk-muenchen", &sent).ok());
  EXPECT_THAT(SweepInvitations(&d, deadline - absl::Hours(49)), IsEmpty());
  std::vector<Notification> due = SweepInvitations(&d, deadline - absl::Hours(47));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind(), Notification::HOST_INVITATION_REMINDER);
  EXPECT_EQ(due[0].recipient(), "mx-1");
  EXPECT_THAT(SweepInvitations(&d, deadline - absl::Hours(1)), IsEmpty());
  due = SweepInvitations(&d, deadline + absl::Seconds(1));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind(), Notification::HOST_INVITATION_EXPIRED);
  EXPECT_EQ(due[0].recipient(), "staff:ihk-muenchen");
  EXPECT_EQ(CountInvitations(d).expired(), 1);
  EXPECT_THAT(SweepInvitations(&d, deadline + absl::Hours(1)), IsEmpty());
}

TEST(HostInvitationsTest, AShortInvitationIsRemindedHalfwayThere) {
  Delegation d = Mission();
  std::vector<HostInvitation> sent;
  ASSERT_TRUE(InviteHosts(&d, {"mx-1"}, kNow + absl::Hours(24), kNow, "c", &sent).ok());
  EXPECT_THAT(SweepInvitations(&d, kNow + absl::Hours(11)), IsEmpty());
  EXPECT_EQ(SweepInvitations(&d, kNow + absl::Hours(12)).size(), 1u);
}

TEST(HostInvitationsTest, TheSummaryCountsAnswersOverThoseInvited) {
  Delegation d = Mission();
  std::vector<HostInvitation> sent;
  ASSERT_TRUE(InviteHosts(&d, {}, kNow + absl::Hours(240), kNow, "c", &sent).ok());
  ASSERT_TRUE(AnswerInvitation(&d, "mx-1", true, "", HostInvitation::MEMBER, kNow).ok());
  ASSERT_TRUE(AnswerInvitation(&d, "mx-2", false, "", HostInvitation::MEMBER, kNow).ok());
  d.mutable_hosts()->DeleteSubrange(2, 1);  // mx-3 removed while pending
  EXPECT_TRUE(WithdrawUnnamed(&d, kNow));
  const socio::v1::HostInvitationSummary summary = CountInvitations(d);
  EXPECT_EQ(summary.invited(), 2);
  EXPECT_EQ(summary.accepted(), 1);
  EXPECT_EQ(summary.declined(), 1);
  EXPECT_EQ(summary.pending(), 0);
  EXPECT_DOUBLE_EQ(summary.response_rate(), 1.0);
  EXPECT_EQ(FindInvitation(d, "mx-3")->status(), HostInvitation::WITHDRAWN);
}

TEST(HostInvitationsTest, WithAcceptanceRequiredOnlyAcceptedHostsAndTheirPairsArePlanned) {
  Delegation d = Mission();
  d.add_delegates()->set_member_id("de-1");
  for (const char* host : {"mx-1", "mx-2", "mx-9"}) {
    socio::v1::MeetingPair* pair = d.add_pairs();
    pair->set_delegate_id("de-1");
    pair->set_host_id(host);
    pair->set_status(socio::v1::MeetingPair::REQUESTED);
  }
  d.mutable_host_filter()->set_max_hosts(5);
  std::vector<socio::v1::HostInvitationOmission> left_out;
  int held_back = -1;
  // Not required: the delegation as it is.
  Delegation part = ScheduledPart(d, &left_out, &held_back);
  EXPECT_EQ(part.SerializeAsString(), d.SerializeAsString());
  EXPECT_THAT(left_out, IsEmpty());
  EXPECT_EQ(held_back, 0);

  d.set_require_host_acceptance(true);
  std::vector<HostInvitation> sent;
  ASSERT_TRUE(InviteHosts(&d, {"mx-1", "mx-2"}, kNow + absl::Hours(240), kNow, "c", &sent).ok());
  ASSERT_TRUE(AnswerInvitation(&d, "mx-1", true, "", HostInvitation::MEMBER, kNow).ok());
  part = ScheduledPart(d, &left_out, &held_back);
  ASSERT_EQ(part.hosts_size(), 1);
  EXPECT_EQ(part.hosts(0).member_id(), "mx-1");
  ASSERT_EQ(part.pairs_size(), 1);
  EXPECT_EQ(part.pairs(0).host_id(), "mx-1");
  EXPECT_EQ(part.host_filter().max_hosts(), 0);
  EXPECT_EQ(held_back, 5);
  std::vector<std::string> reasons;
  for (const auto& o : left_out) reasons.push_back(o.host_id() + ": " + o.reason());
  EXPECT_THAT(reasons, ElementsAre("mx-2: invitation pending", "mx-3: not invited",
                                   "mx-9: not a named host (name and invite it first)"));
}

}  // namespace
}  // namespace socio::storage
