// SuggestWeights and Evaluate: the label mapping, the refusal below the
// minimum, the out-of-time split, and AUC and NDCG@10 equal to figures the
// test computes on its own.
#include "learning/suggest.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "learning/outcome.h"
#include "matcher/scoring.h"
#include "tests/support/status_matchers.h"

namespace socio::learning {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kF = matcher::kFactorCount;

matcher::Weights Defaults() {
  return *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "w");
}

// An outcome whose every factor scores `x` both ways: any weights score it x.
Outcome Flat(const std::string& member, const std::string& partner, double x, bool positive,
             int64_t recorded = 0) {
  Outcome o{.member_id = member,
            .partner_id = partner,
            .recorded_seconds = recorded,
            .positive = positive};
  o.forward.fill(x);
  o.backward.fill(x);
  return o;
}

// n outcomes with random scores, a day apart, about a third positive.
std::vector<Outcome> Random(int n, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Outcome> out;
  for (int i = 0; i < n; ++i) {
    Outcome o{.member_id = absl::StrCat("m", i / 5),
              .partner_id = absl::StrCat("p", i),
              .recorded_seconds = 1000 + 86400 * (i / 5),
              .positive = i % 3 == 0};
    for (int f = 0; f < kF; ++f) {
      o.forward[f] = unit(random);
      o.backward[f] = unit(random);
    }
    out.push_back(o);
  }
  return out;
}

TEST(LabelOfTest, HeldWithAFollowUpOrAgreementIsPositive) {
  EXPECT_EQ(LabelOf(MeetingResult::kHeld, FollowUp::kAgreement), Label::kPositive);
  EXPECT_EQ(LabelOf(MeetingResult::kHeld, FollowUp::kFollowUp), Label::kPositive);
  EXPECT_EQ(LabelOf(MeetingResult::kHeld, FollowUp::kNone), Label::kNegative);
  EXPECT_EQ(LabelOf(MeetingResult::kDeclined, FollowUp::kNone), Label::kNegative);
  EXPECT_EQ(LabelOf(MeetingResult::kNoShow, FollowUp::kAgreement), Label::kNegative);
  EXPECT_EQ(LabelOf(MeetingResult::kCancelled, FollowUp::kAgreement), Label::kUnlabelled);
}

TEST(EvaluateTest, AucEqualsTheShareOfPairsRankedRight) {
  // Scores chosen with a tie across the labels.
  const std::vector<Outcome> outcomes = {Flat("a", "p1", 0.9, true),  Flat("a", "p2", 0.5, true),
                                         Flat("b", "p3", 0.3, true),  Flat("a", "p4", 0.5, false),
                                         Flat("b", "p5", 0.2, false), Flat("b", "p6", 0.1, false),
                                         Flat("c", "p7", 0.05, false)};
  double right = 0, pairs = 0;
  for (const Outcome& p : outcomes) {
    if (!p.positive) continue;
    for (const Outcome& n : outcomes) {
      if (n.positive) continue;
      ++pairs;
      const double sp = p.forward[0], sn = n.forward[0];
      right += sp > sn ? 1 : sp == sn ? 0.5 : 0;
    }
  }
  const RankingQuality q = Evaluate(outcomes, Defaults());
  EXPECT_DOUBLE_EQ(q.auc, right / pairs);
  EXPECT_EQ(q.outcomes, 7);
  EXPECT_EQ(q.positives, 3);
}

TEST(EvaluateTest, NdcgRanksEachMembersPartners) {
  // Member a: the positive p2 ranks second (ties broken by partner id, p1
  // before p2); member b: the positive ranks first; member c has no positive
  // and is left out.
  const std::vector<Outcome> outcomes = {Flat("a", "p1", 0.5, false), Flat("a", "p2", 0.5, true),
                                         Flat("a", "p3", 0.1, false), Flat("b", "p4", 0.7, true),
                                         Flat("b", "p5", 0.2, false), Flat("c", "p6", 0.3, false)};
  const RankingQuality q = Evaluate(outcomes, Defaults());
  EXPECT_EQ(q.members_ranked, 2);
  const double a = (1 / std::log2(3.0)) / 1, b = 1;
  EXPECT_DOUBLE_EQ(q.ndcg_at_10, (a + b) / 2);
}

TEST(EvaluateTest, ScoresByTheMatchersReciprocalScore) {
  Outcome o = Flat("a", "p", 0, true);
  o.forward[matcher::kMarket] = 1;
  o.backward[matcher::kObjective] = 1;
  const matcher::Weights w = Defaults();
  const double forward = w.w[matcher::kMarket], backward = w.w[matcher::kObjective];
  EXPECT_DOUBLE_EQ(ReciprocalScore(o, w), 2 * forward * backward / (forward + backward));
}

TEST(SuggestWeightsTest, RefusesBelowTheMinimum) {
  const int n = kMinOutcomes - 1;
  EXPECT_THAT(
      SuggestWeights(Random(n, 1), Defaults(), SuggestOptions{}),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr(absl::StrCat("not enough outcomes: ", n, " of at least ", kMinOutcomes))));
  EXPECT_THAT(SuggestWeights({}, Defaults(), SuggestOptions{}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not enough outcomes: 0 of at least")));
  EXPECT_THAT(SuggestWeights(Random(kMinOutcomes, 1), Defaults(), SuggestOptions{}), IsOk());
}

TEST(SuggestWeightsTest, RefusesWhenThePartsLackALabel) {
  std::vector<Outcome> outcomes = Random(kMinOutcomes, 2);
  // The newest 30 % all negative.
  for (size_t i = outcomes.size() * 6 / 10; i < outcomes.size(); ++i) outcomes[i].positive = false;
  EXPECT_THAT(SuggestWeights(outcomes, Defaults(), SuggestOptions{}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("newer outcomes hold no positive one")));
}

TEST(SuggestWeightsTest, NamesTheOutcomeAndFactorOutOfRange) {
  std::vector<Outcome> outcomes = Random(kMinOutcomes, 3);
  outcomes[7].backward[matcher::kText] = 1.5;
  EXPECT_THAT(SuggestWeights(outcomes, Defaults(), SuggestOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outcomes[7].backward.text")));
}

TEST(SuggestWeightsTest, HoldsOutTheNewestOutcomesWholeDaysAtATime) {
  std::vector<Outcome> outcomes = Random(kMinOutcomes + 3, 4);
  std::reverse(outcomes.begin(), outcomes.end());  // the order given does not matter
  ASSIGN_OR_FAIL(Suggestion s, SuggestWeights(outcomes, Defaults(), SuggestOptions{}));
  int newer = 0, newer_positive = 0;
  for (const Outcome& o : outcomes) {
    if (o.recorded_seconds >= s.held_out_since_seconds) {
      ++newer;
      newer_positive += o.positive;
    }
  }
  EXPECT_EQ(s.held_out_outcomes, newer);
  EXPECT_EQ(s.fitted_outcomes + s.held_out_outcomes, static_cast<int>(outcomes.size()));
  EXPECT_EQ(s.outcomes, static_cast<int>(outcomes.size()));
  // At least 30 %, and at most one day (5 outcomes) more.
  EXPECT_GE(newer, std::ceil(0.3 * outcomes.size()));
  EXPECT_LT(newer, std::ceil(0.3 * outcomes.size()) + 5);
  EXPECT_EQ(s.held_out_current.outcomes, newer);
  EXPECT_EQ(s.held_out_current.positives, newer_positive);
  EXPECT_EQ(s.held_out_suggested.outcomes, newer);
}

}  // namespace
}  // namespace socio::learning
