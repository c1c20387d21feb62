// MatchService.SuggestMatchPolicy on a real sociod: meetings between a
// chamber's members and partners of other chambers, requested, accepted and
// answered through the RPCs, labelled by weights the test plants (far from
// the defaults) on the matcher's own factor scores of each pair. Past the
// minimum the chamber's staff get weights that rank the newer outcomes
// better than the current ones (held-out AUC, the criterion of
// tests/learning/planted_weights_test) and lie nearer the planted ones;
// below it the answer says how many outcomes there are and how many are
// needed. Members and other chambers' staff are refused; the policy is
// never changed.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/profile_generator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::FactorWeights;
using socio::v1::FollowUpReport;
using socio::v1::MatchPolicySuggestion;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingRequest;
using ::testing::HasSubstr;

constexpr char kChamber[] = "ihk-suggest";
constexpr int kFactors = 7;

// The outcomes' clock: the real time plus what the test added.
class TestClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return absl::Now() + ahead_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    ahead_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Duration ahead_;
};

std::array<double, kFactors> AsArray(const FactorWeights& w) {
  return {w.objective(), w.market(), w.sector(), w.culture(), w.text(), w.size(), w.freshness()};
}

double L1(const std::array<double, kFactors>& a, const std::array<double, kFactors>& b) {
  double d = 0;
  for (int f = 0; f < kFactors; ++f) d += std::abs(a[f] - b[f]);
  return d;
}

double Dot(const std::array<double, kFactors>& w, const std::array<double, kFactors>& x) {
  double s = 0;
  for (int f = 0; f < kFactors; ++f) s += w[f] * x[f];
  return s;
}

// Uniform in [0, 1) from `i`: the same on every run.
double Noise(uint64_t i) {
  uint64_t z = i * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<double>((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

class PolicySuggestionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::SociodOptions options;
    options.sync_writes = false;
    options.clock = [clock = clock_] { return clock->Now(); };
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    admin_ = server_->admin_token();
    staff_ = server_->IssueToken(socio::v1::STAFF, kChamber, "");
    engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
    outcomes_ = socio::v1::OutcomeService::NewStub(server_->channel());
  }

  // Generated profiles: `count` members of kChamber, then `count` partners
  // of the chambers the generator gives them; every one FEDERATION-visible.
  void CreateProfiles(int count) {
    bench::ProfileGenerator generator({.seed = 11});
    for (int i = 0; i < 2 * count; ++i) {
      socio::v1::Profile p = generator.Generate(i);
      p.set_visibility(socio::v1::Profile::FEDERATION);
      p.clear_valid_until();
      if (i < count) {
        p.set_chamber_id(kChamber);
        members_.push_back(p.id());
      } else {
        ASSERT_NE(p.chamber_id(), kChamber);
        partners_.push_back(p.id());
      }
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = p;
      socio::v1::Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
    }
  }

  // A meeting of `member` with `partner`, the i-th of the test (they start
  // ten minutes apart, from an hour ahead), requested and accepted; its id.
  std::string Meeting(const std::string& member, const std::string& partner, int i) {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(member);
    r.mutable_request()->set_to_ref(partner);
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    const absl::Time start = start_ + absl::Minutes(10 * i);
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Minutes(30)));
    MeetingRequest sent, accepted;
    grpc::Status s = engagement_->CreateMeetingRequest(WithToken(admin_).get(), r, &sent);
    EXPECT_TRUE(s.ok()) << s.error_message();
    socio::v1::AnswerMeetingRequestRequest answer;
    answer.set_id(sent.id());
    answer.set_accept(true);
    s = engagement_->AnswerMeetingRequest(WithToken(admin_).get(), answer, &accepted);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return accepted.id();
  }

  void Decline(const std::string& member, const std::string& partner) {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(partner);
    r.mutable_request()->set_to_ref(member);
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start_));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start_ + absl::Minutes(30)));
    MeetingRequest sent, declined;
    ASSERT_RPC_OK(engagement_->CreateMeetingRequest(WithToken(admin_).get(), r, &sent));
    socio::v1::AnswerMeetingRequestRequest answer;
    answer.set_id(sent.id());
    answer.set_accept(false);
    ASSERT_RPC_OK(engagement_->AnswerMeetingRequest(WithToken(admin_).get(), answer, &declined));
  }

  void Feedback(const std::string& request_id, const std::string& side,
                MeetingFeedback::Attendance attendance, MeetingFeedback::FollowUp follow_up) {
    socio::v1::RecordOutcomeRequest r;
    r.mutable_meeting()->set_request_id(request_id);
    r.set_member_id(side);
    r.mutable_feedback()->set_attendance(attendance);
    if (attendance == MeetingFeedback::HELD) {
      r.mutable_feedback()->set_rating(3);
      r.mutable_feedback()->set_follow_up(follow_up);
    }
    if (attendance == MeetingFeedback::NO_SHOW) {
      r.mutable_feedback()->set_absent(MeetingFeedback::OTHER_SIDE);
    }
    socio::v1::MeetingOutcome out;
    grpc::Status s = outcomes_->RecordOutcome(WithToken(admin_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void Report(const std::string& request_id, const std::string& side,
              FollowUpReport::Status status) {
    socio::v1::RecordOutcomeRequest r;
    r.mutable_meeting()->set_request_id(request_id);
    r.set_member_id(side);
    r.mutable_follow_up()->set_status(status);
    if (status == FollowUpReport::AGREEMENT_SIGNED) {
      r.mutable_follow_up()->set_agreement_type(FollowUpReport::DISTRIBUTION);
    }
    socio::v1::MeetingOutcome out;
    grpc::Status s = outcomes_->RecordOutcome(WithToken(admin_).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // The factors of member -> partner and back as the matcher scores them.
  void Factors(const std::string& member, const std::string& partner,
               std::array<double, kFactors>* forward, std::array<double, kFactors>* backward) {
    socio::v1::ExplainMatchRequest r;
    r.set_a_id(member);
    r.set_b_id(partner);
    socio::v1::Match match;
    grpc::Status s = server_->matches().ExplainMatch(WithToken(admin_).get(), r, &match);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(match.factors_size(), kFactors);
    for (int f = 0; f < kFactors; ++f) {
      (*forward)[f] = match.factors(f).forward();
      (*backward)[f] = match.factors(f).backward();
    }
  }

  grpc::Status Suggest(const std::string& token, const std::string& chamber,
                       MatchPolicySuggestion* out) {
    socio::v1::SuggestMatchPolicyRequest r;
    r.set_chamber_id(chamber);
    return server_->matches().SuggestMatchPolicy(WithToken(token).get(), r, out);
  }

  socio::v1::MatchPolicy Policy() {
    socio::v1::GetMatchPolicyRequest r;
    r.set_chamber_id(kChamber);
    socio::v1::MatchPolicy policy;
    EXPECT_TRUE(server_->matches().GetMatchPolicy(WithToken(staff_).get(), r, &policy).ok());
    return policy;
  }

  std::shared_ptr<TestClock> clock_ = std::make_shared<TestClock>();
  const absl::Time start_ = absl::Now() + absl::Hours(1);
  std::unique_ptr<TestServer> server_;
  std::string admin_, staff_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
  std::vector<std::string> members_, partners_;
};

TEST_F(PolicySuggestionTest, StaffGetWeightsThatRankNewerOutcomesBetter) {
  constexpr int kPeople = 30;
  constexpr int kPartnersEach = 20;  // 600 meetings
  ASSERT_NO_FATAL_FAILURE(CreateProfiles(kPeople));
  // The planted weights, far from the defaults, as tests/learning plants.
  const std::array<double, kFactors> truth = {0.2, 0.3, 0.1, 0.05, 0.25, 0.05, 0.05};

  struct Met {
    std::string id, member, partner;
    double planted = 0;
  };
  std::vector<Met> met;
  int i = 0;
  for (int m = 0; m < kPeople; ++m) {
    for (int k = 0; k < kPartnersEach; ++k, ++i) {
      const std::string& partner = partners_[(m * 7 + k) % kPeople];
      std::array<double, kFactors> forward{}, backward{};
      ASSERT_NO_FATAL_FAILURE(Factors(members_[m], partner, &forward, &backward));
      const double x = Dot(truth, forward), y = Dot(truth, backward);
      const double reciprocal = x + y > 0 ? 2 * x * y / (x + y) : 0;
      met.push_back({Meeting(members_[m], partner, i), members_[m], partner,
                     reciprocal + 0.03 * (Noise(i) - 0.5)});
    }
  }
  // The highest 30 % of planted scores are positive.
  std::vector<double> sorted;
  for (const Met& x : met) sorted.push_back(x.planted);
  std::sort(sorted.begin(), sorted.end());
  const double threshold = sorted[static_cast<size_t>(0.7 * sorted.size())];

  clock_->Advance(absl::Hours(24 * 7));  // every meeting has ended
  int positives = 0;
  for (size_t j = 0; j < met.size(); ++j) {
    const Met& x = met[j];
    const bool positive = x.planted >= threshold;
    positives += positive;
    // Each way the rule labels a meeting, by turns.
    switch (j % 4) {
      case 0:  // stage 1 alone
        Feedback(x.id, x.member, MeetingFeedback::HELD,
                 positive ? MeetingFeedback::YES : MeetingFeedback::NO);
        break;
      case 1:  // the partner's stage 1
        Feedback(x.id, x.partner, MeetingFeedback::HELD,
                 positive ? MeetingFeedback::YES : MeetingFeedback::NO);
        break;
      case 2:  // stage 2 overrides stage 1
        Feedback(x.id, x.member, MeetingFeedback::HELD,
                 positive ? MeetingFeedback::NO : MeetingFeedback::YES);
        Report(x.id, x.member,
               positive ? FollowUpReport::AGREEMENT_SIGNED : FollowUpReport::NO_FURTHER_CONTACT);
        break;
      case 3:  // a no-show is negative
        if (positive) {
          Report(x.id, x.partner, FollowUpReport::NEGOTIATING);
        } else {
          Feedback(x.id, x.partner, MeetingFeedback::NO_SHOW,
                   MeetingFeedback::FOLLOW_UP_UNSPECIFIED);
        }
        break;
    }
  }
  const socio::v1::MatchPolicy before = Policy();

  MatchPolicySuggestion s;
  ASSERT_RPC_OK(Suggest(staff_, kChamber, &s));
  EXPECT_EQ(s.chamber_id(), kChamber);
  ASSERT_TRUE(s.enough_outcomes()) << s.message();
  EXPECT_EQ(s.outcomes(), static_cast<int>(met.size()));
  EXPECT_EQ(s.positives(), positives);
  EXPECT_EQ(s.min_outcomes(), 500);
  EXPECT_EQ(s.fitted_outcomes() + s.held_out_outcomes(), s.outcomes());
  EXPECT_NEAR(s.held_out_outcomes(), 0.3 * met.size(), 2);
  EXPECT_EQ(s.held_out_suggested().outcomes(), s.held_out_outcomes());
  EXPECT_EQ(s.held_out_current().outcomes(), s.held_out_outcomes());
  EXPECT_TRUE(s.message().empty());
  // The held-out meetings are the newest: they started after the others.
  EXPECT_GT(TimeUtil::TimestampToSeconds(s.held_out_since()),
            absl::ToUnixSeconds(start_ + absl::Minutes(10 * 0.6 * met.size())));

  const std::array<double, kFactors> suggested = AsArray(s.suggested());
  double sum = 0;
  for (double w : suggested) {
    EXPECT_GE(w, 0);
    sum += w;
  }
  EXPECT_NEAR(sum, 1, 1e-9);
  // Measured once: held-out AUC 0.99 against the defaults' 0.955; L1
  // distance to the planted weights 0.19 against the defaults' 0.6.
  EXPECT_GT(s.held_out_suggested().auc(), s.held_out_current().auc());
  EXPECT_LT(L1(suggested, truth), L1(AsArray(s.current()), truth) / 2);

  // The current weights are the defaults, normalised; nothing changed them.
  EXPECT_EQ(s.current_version(), 0);
  const socio::v1::MatchPolicy after = Policy();
  EXPECT_EQ(after.version(), before.version());
  EXPECT_EQ(after.weights().SerializeAsString(), before.weights().SerializeAsString());

  // An operator gets the same answer.
  MatchPolicySuggestion by_operator;
  ASSERT_RPC_OK(Suggest(admin_, kChamber, &by_operator));
  EXPECT_EQ(by_operator.SerializeAsString(), s.SerializeAsString());
}

TEST_F(PolicySuggestionTest, BelowTheMinimumItSaysHowManyThereAreAndSuggestsNothing) {
  ASSERT_NO_FATAL_FAILURE(CreateProfiles(3));
  const std::string held = Meeting(members_[0], partners_[0], 0);
  const std::string no_show = Meeting(members_[1], partners_[1], 1);
  const std::string cancelled = Meeting(members_[2], partners_[2], 2);
  const std::string maybe = Meeting(members_[0], partners_[1], 3);
  const std::string unanswered = Meeting(members_[0], partners_[2], 4);
  ASSERT_NO_FATAL_FAILURE(Decline(members_[1], partners_[2]));
  clock_->Advance(absl::Hours(24 * 7));
  Feedback(held, members_[0], MeetingFeedback::HELD, MeetingFeedback::YES);
  Feedback(no_show, partners_[1], MeetingFeedback::NO_SHOW, MeetingFeedback::FOLLOW_UP_UNSPECIFIED);
  Feedback(cancelled, members_[2], MeetingFeedback::CANCELLED,
           MeetingFeedback::FOLLOW_UP_UNSPECIFIED);
  Feedback(maybe, members_[0], MeetingFeedback::HELD, MeetingFeedback::MAYBE);

  MatchPolicySuggestion s;
  ASSERT_RPC_OK(Suggest(staff_, kChamber, &s));
  EXPECT_FALSE(s.enough_outcomes());
  // Held with a follow-up, the no-show and the declined request; not the
  // cancelled, the undecided (MAYBE) or the unanswered meeting.
  EXPECT_EQ(s.outcomes(), 3);
  EXPECT_EQ(s.positives(), 1);
  EXPECT_EQ(s.min_outcomes(), 500);
  EXPECT_THAT(s.message(), HasSubstr("not enough outcomes: 3 of at least 500"));
  EXPECT_FALSE(s.has_suggested());
  EXPECT_FALSE(s.has_held_out_suggested());
  // The current weights are still shown.
  ASSERT_TRUE(s.has_current());
  EXPECT_GT(s.current().objective(), 0);
  (void)unanswered;
}

TEST_F(PolicySuggestionTest, MembersAndOtherChambersStaffAreRefused) {
  ASSERT_NO_FATAL_FAILURE(CreateProfiles(1));
  const std::string member = server_->IssueToken(socio::v1::MEMBER, "", members_[0]);
  const std::string other_staff = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
  MatchPolicySuggestion s;
  EXPECT_EQ(Suggest(member, kChamber, &s).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Suggest(other_staff, kChamber, &s).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Suggest("", kChamber, &s).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status bad = Suggest(staff_, "", &s);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("chamber_id"));
  EXPECT_EQ(Suggest(staff_, "Not A Chamber!", &s).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace socio::testing
