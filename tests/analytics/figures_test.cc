// The analytics library on hand-made records: each figure counted as
// analytics.proto defines it (requests accepted over answered ones, a
// meeting's one attendance when its sides disagree, ratings and follow-ups
// per side, agreements by type and the median days to them, goals by their
// latest judgement), the period and delegation filters, and the groups.
#include "analytics/figures.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::analytics {
namespace {

using socio::v1::FollowUpReport;
using socio::v1::GetAnalyticsRequest;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingRequest;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;

const absl::Time kApril = absl::FromCivil(absl::CivilDay(2027, 4, 12), absl::UTCTimeZone());
const absl::Time kMay = absl::FromCivil(absl::CivilDay(2027, 5, 3), absl::UTCTimeZone());
const Place kDe{"DE", "C"}, kCl{"CL", "G"}, kMx{"MX", "G"};

MeetingFeedback Feedback(MeetingFeedback::Attendance a, int rating = 0,
                         MeetingFeedback::FollowUp f = MeetingFeedback::FOLLOW_UP_UNSPECIFIED) {
  MeetingFeedback fb;
  fb.set_attendance(a);
  fb.set_rating(rating);
  fb.set_follow_up(f);
  return fb;
}

FollowUpReport Signed(FollowUpReport::AgreementType type) {
  FollowUpReport r;
  r.set_status(FollowUpReport::AGREEMENT_SIGNED);
  r.set_agreement_type(type);
  return r;
}

MeetingRecord Meeting(absl::Time start, std::string a, std::string b, const Place& pa,
                      const Place& pb, std::string delegation = "") {
  MeetingRecord m;
  m.start_time = start;
  m.delegation_id = std::move(delegation);
  m.sides[0].company = std::move(a);
  m.sides[0].place = pa;
  m.sides[1].company = std::move(b);
  m.sides[1].place = pb;
  return m;
}

TEST(AnalyticsFigures, RequestsAcceptedOverAnsweredOnes) {
  Records records;
  const std::vector<MeetingRequest::State> states = {
      MeetingRequest::ACCEPTED, MeetingRequest::CANCELLED, MeetingRequest::DECLINED,
      MeetingRequest::EXPIRED,  MeetingRequest::PENDING,   MeetingRequest::WITHDRAWN,
      MeetingRequest::ACCEPTED};
  for (MeetingRequest::State s : states) {
    records.requests.push_back({.create_time = kApril, .state = s, .sides = {kDe, kCl}});
  }
  const socio::v1::AnalyticsFigures f = Compute(records, {}).total;
  EXPECT_EQ(f.requests_sent(), 7);
  EXPECT_EQ(f.requests_accepted(), 3);  // two ACCEPTED, one accepted then CANCELLED
  EXPECT_EQ(f.requests_declined(), 1);
  EXPECT_EQ(f.requests_expired(), 1);
  ASSERT_TRUE(f.has_acceptance_rate());
  EXPECT_DOUBLE_EQ(f.acceptance_rate(), 3.0 / 5.0);
  EXPECT_EQ(f.acceptance_standing(), socio::v1::WITHIN_TYPICAL);
}

TEST(AnalyticsFigures, RatesAreAbsentWithoutADenominator) {
  Records records;
  records.requests.push_back(
      {.create_time = kApril, .state = MeetingRequest::PENDING, .sides = {kDe, kCl}});
  records.meetings.push_back(Meeting(kApril, "de-1", "cl-1", kDe, kCl));
  const socio::v1::AnalyticsFigures f = Compute(records, {}).total;
  EXPECT_FALSE(f.has_acceptance_rate());
  EXPECT_FALSE(f.has_held_rate());
  EXPECT_FALSE(f.has_no_show_rate());
  EXPECT_FALSE(f.has_average_rating());
  EXPECT_FALSE(f.has_median_days_to_agreement());
  EXPECT_EQ(f.acceptance_standing(), socio::v1::STANDING_UNSPECIFIED);
  EXPECT_EQ(f.held_standing(), socio::v1::STANDING_UNSPECIFIED);
  EXPECT_EQ(f.meetings_planned(), 1);
  EXPECT_EQ(f.meetings_reported(), 0);
}

TEST(AnalyticsFigures, OneAttendancePerMeetingWhenTheSidesDisagree) {
  Records records;
  // Held by one side's word, no-show by the other's: held.
  MeetingRecord disputed = Meeting(kApril, "de-1", "cl-1", kDe, kCl);
  disputed.sides[0].feedback = Feedback(MeetingFeedback::HELD, 4, MeetingFeedback::YES);
  disputed.sides[1].feedback = Feedback(MeetingFeedback::NO_SHOW);
  // No-show against cancelled: no-show.
  MeetingRecord missed = Meeting(kApril, "de-2", "cl-1", kDe, kCl);
  missed.sides[0].feedback = Feedback(MeetingFeedback::CANCELLED);
  missed.sides[1].feedback = Feedback(MeetingFeedback::NO_SHOW);
  // Only one side answered, cancelled.
  MeetingRecord called_off = Meeting(kApril, "de-3", "cl-1", kDe, kCl);
  called_off.sides[1].feedback = Feedback(MeetingFeedback::CANCELLED);
  // Both held, rated 5 and 2.
  MeetingRecord held = Meeting(kApril, "de-4", "cl-1", kDe, kCl);
  held.sides[0].feedback = Feedback(MeetingFeedback::HELD, 5, MeetingFeedback::MAYBE);
  held.sides[1].feedback = Feedback(MeetingFeedback::HELD, 2, MeetingFeedback::NO);
  // Nobody answered.
  MeetingRecord silent = Meeting(kApril, "de-5", "cl-1", kDe, kCl);
  records.meetings = {disputed, missed, called_off, held, silent};

  const socio::v1::AnalyticsFigures f = Compute(records, {}).total;
  EXPECT_EQ(f.meetings_planned(), 5);
  EXPECT_EQ(f.meetings_reported(), 4);
  EXPECT_EQ(f.meetings_held(), 2);
  EXPECT_EQ(f.meetings_no_show(), 1);
  EXPECT_EQ(f.meetings_cancelled(), 1);
  EXPECT_DOUBLE_EQ(f.held_rate(), 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(f.no_show_rate(), 1.0 / 4.0);
  EXPECT_EQ(f.held_standing(), socio::v1::BELOW_TYPICAL);
  EXPECT_EQ(f.ratings(), 3);
  EXPECT_DOUBLE_EQ(f.average_rating(), (4.0 + 5.0 + 2.0) / 3.0);
  EXPECT_EQ(f.follow_up_yes(), 1);
  EXPECT_EQ(f.follow_up_maybe(), 1);
  EXPECT_EQ(f.follow_up_no(), 1);
}

TEST(AnalyticsFigures, AgreementsByTypeAndMedianDaysFromThePairsFirstMeeting) {
  Records records;
  // de-1 and cl-1 met twice; the second meeting led to an agreement 30 days
  // after the first meeting, reported by both sides (counted once, of the
  // type the first to report gave).
  MeetingRecord first = Meeting(kApril, "de-1", "cl-1", kDe, kCl);
  MeetingRecord second = Meeting(kApril + absl::Hours(24 * 10), "cl-1", "de-1", kCl, kDe);
  second.sides[0].follow_up = Signed(FollowUpReport::DISTRIBUTION);
  second.sides[0].answer_time = kApril + absl::Hours(24 * 30);
  second.sides[1].follow_up = Signed(FollowUpReport::SUPPLY);
  second.sides[1].answer_time = kApril + absl::Hours(24 * 40);
  // de-2 and mx-1: agreement 10 days after; de-3 and mx-1: 50 days after.
  MeetingRecord other = Meeting(kApril, "de-2", "mx-1", kDe, kMx);
  other.sides[1].follow_up = Signed(FollowUpReport::SUPPLY);
  other.sides[1].answer_time = kApril + absl::Hours(24 * 10);
  MeetingRecord third = Meeting(kApril, "de-3", "mx-1", kDe, kMx);
  third.sides[0].follow_up = Signed(FollowUpReport::DISTRIBUTION);
  third.sides[0].answer_time = kApril + absl::Hours(24 * 50);
  // In contact only: no agreement.
  MeetingRecord talking = Meeting(kApril, "de-4", "mx-1", kDe, kMx);
  talking.sides[0].follow_up.emplace().set_status(FollowUpReport::NEGOTIATING);
  records.meetings = {first, second, other, third, talking};

  const socio::v1::AnalyticsFigures f = Compute(records, {}).total;
  EXPECT_EQ(f.agreements_signed(), 3);
  ASSERT_EQ(f.agreements_by_type_size(), 2);
  EXPECT_EQ(f.agreements_by_type(0).type(), FollowUpReport::DISTRIBUTION);
  EXPECT_EQ(f.agreements_by_type(0).count(), 2);
  EXPECT_EQ(f.agreements_by_type(1).type(), FollowUpReport::SUPPLY);
  EXPECT_EQ(f.agreements_by_type(1).count(), 1);
  ASSERT_TRUE(f.has_median_days_to_agreement());
  EXPECT_DOUBLE_EQ(f.median_days_to_agreement(), 30.0);  // of 10, 30, 50
}

TEST(AnalyticsFigures, GoalsByTheirLatestJudgementPartnershipsActive) {
  Records records;
  records.partnerships.push_back({.create_time = kApril,
                                  .status = Partnership::ACTIVE,
                                  .sides = {kDe, kCl},
                                  .goals = {PartnershipReview::ON_TRACK, PartnershipReview::AT_RISK,
                                            PartnershipReview::JUDGEMENT_UNSPECIFIED}});
  records.partnerships.push_back({.create_time = kApril,
                                  .status = Partnership::EXPLORING,
                                  .sides = {kDe, kMx},
                                  .goals = {PartnershipReview::OFF_TRACK}});
  // Ended: counted as a partnership, its goals no longer.
  records.partnerships.push_back({.create_time = kApril,
                                  .status = Partnership::ENDED,
                                  .goals = {PartnershipReview::ON_TRACK}});
  const socio::v1::AnalyticsFigures f = Compute(records, {}).total;
  EXPECT_EQ(f.partnerships(), 3);
  EXPECT_EQ(f.partnerships_active(), 1);
  EXPECT_EQ(f.goals_on_track(), 1);
  EXPECT_EQ(f.goals_at_risk(), 1);
  EXPECT_EQ(f.goals_off_track(), 1);
  EXPECT_EQ(f.goals_not_reviewed(), 1);
}

TEST(AnalyticsFigures, PeriodAndDelegationSelect) {
  Records records;
  records.requests.push_back({.create_time = kApril,
                              .state = MeetingRequest::ACCEPTED,
                              .delegation_id = "cl27",
                              .sides = {kDe, kCl}});
  records.requests.push_back(
      {.create_time = kMay, .state = MeetingRequest::DECLINED, .sides = {kDe, kMx}});
  records.meetings.push_back(Meeting(kApril, "de-1", "cl-1", kDe, kCl, "cl27"));
  records.meetings.push_back(Meeting(kMay, "de-1", "mx-1", kDe, kMx));

  Query may{.from = absl::FromCivil(absl::CivilDay(2027, 5, 1), absl::UTCTimeZone())};
  socio::v1::AnalyticsFigures f = Compute(records, may).total;
  EXPECT_EQ(f.requests_sent(), 1);
  EXPECT_EQ(f.requests_declined(), 1);
  EXPECT_EQ(f.meetings_planned(), 1);

  Query mission{.delegation_id = "cl27"};
  f = Compute(records, mission).total;
  EXPECT_EQ(f.requests_sent(), 1);
  EXPECT_EQ(f.requests_accepted(), 1);
  EXPECT_EQ(f.meetings_planned(), 1);

  Query april{.to = absl::FromCivil(absl::CivilDay(2027, 5, 1), absl::UTCTimeZone())};
  f = Compute(records, april).total;
  EXPECT_EQ(f.requests_sent(), 1);
  EXPECT_EQ(f.requests_accepted(), 1);
}

TEST(AnalyticsFigures, RowsByMonthCountryPairSectorDelegationAddUpToTheTotal) {
  Records records;
  records.requests.push_back({.create_time = kApril,
                              .state = MeetingRequest::ACCEPTED,
                              .delegation_id = "cl27",
                              .sides = {kDe, kCl}});
  records.requests.push_back(
      {.create_time = kMay, .state = MeetingRequest::DECLINED, .sides = {kMx, kDe}});
  records.requests.push_back(
      {.create_time = kMay, .state = MeetingRequest::EXPIRED, .sides = {kDe, Place{}}});

  auto keys = [&](GetAnalyticsRequest::GroupBy by) {
    Figures figures = Compute(records, {.group_by = by});
    std::vector<std::string> out;
    int64_t sent = 0;
    for (const socio::v1::AnalyticsRow& row : figures.rows) {
      out.push_back(row.key());
      sent += row.figures().requests_sent();
    }
    EXPECT_EQ(sent, figures.total.requests_sent());
    return out;
  };
  EXPECT_THAT(keys(GetAnalyticsRequest::MONTH), ::testing::ElementsAre("2027-04", "2027-05"));
  EXPECT_THAT(keys(GetAnalyticsRequest::COUNTRY_PAIR),
              ::testing::ElementsAre("?-DE", "CL-DE", "DE-MX"));
  EXPECT_THAT(keys(GetAnalyticsRequest::SECTOR), ::testing::ElementsAre("?-C", "C-G"));
  EXPECT_THAT(keys(GetAnalyticsRequest::DELEGATION), ::testing::ElementsAre("(none)", "cl27"));
  EXPECT_TRUE(Compute(records, {}).rows.empty());
}

TEST(AnalyticsFigures, GroupByNamed) {
  EXPECT_EQ(GroupByNamed("country-pair"), GetAnalyticsRequest::COUNTRY_PAIR);
  EXPECT_EQ(GroupByNamed("Month"), GetAnalyticsRequest::MONTH);
  EXPECT_EQ(GroupByNamed("SECTOR"), GetAnalyticsRequest::SECTOR);
  EXPECT_EQ(GroupByNamed("weekly"), std::nullopt);
  EXPECT_EQ(GroupByNamed(""), std::nullopt);
}

}  // namespace
}  // namespace socio::analytics
