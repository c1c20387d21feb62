#include "learning/suggest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"

namespace socio::learning {
namespace {

// Area under the ROC curve by the rank sum (Mann-Whitney U), tied scores
// sharing their mean rank.
double Auc(std::vector<std::pair<double, bool>> scored) {
  std::sort(scored.begin(), scored.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double positives = 0, rank_sum = 0;
  for (size_t i = 0; i < scored.size();) {
    size_t j = i;
    while (j < scored.size() && scored[j].first == scored[i].first) ++j;
    const double mean_rank = (i + 1 + j) / 2.0;  // ranks i+1 .. j
    for (size_t k = i; k < j; ++k) {
      if (scored[k].second) {
        positives += 1;
        rank_sum += mean_rank;
      }
    }
    i = j;
  }
  const double negatives = scored.size() - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

int CountPositives(const std::vector<Outcome>& outcomes) {
  return static_cast<int>(
      std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return o.positive; }));
}

}  // namespace

double ReciprocalScore(const Outcome& outcome, const matcher::Weights& weights) {
  return matcher::Reciprocal(matcher::WeightedSum(weights, outcome.forward),
                             matcher::WeightedSum(weights, outcome.backward));
}

RankingQuality Evaluate(const std::vector<Outcome>& outcomes, const matcher::Weights& weights) {
  RankingQuality quality;
  quality.outcomes = static_cast<int>(outcomes.size());
  std::vector<std::pair<double, bool>> scored;
  scored.reserve(outcomes.size());
  // Per member: (score, partner id, positive).
  std::map<std::string, std::vector<std::tuple<double, std::string, bool>>> by_member;
  for (const Outcome& o : outcomes) {
    const double score = ReciprocalScore(o, weights);
    scored.emplace_back(score, o.positive);
    by_member[o.member_id].emplace_back(score, o.partner_id, o.positive);
    quality.positives += o.positive;
  }
  quality.auc = Auc(std::move(scored));

  double ndcg_sum = 0;
  for (auto& [member, partners] : by_member) {
    const int positives = static_cast<int>(std::count_if(
        partners.begin(), partners.end(), [](const auto& p) { return std::get<2>(p); }));
    if (positives == 0 || positives == static_cast<int>(partners.size())) continue;
    std::sort(partners.begin(), partners.end(), [](const auto& a, const auto& b) {
      if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
      return std::get<1>(a) < std::get<1>(b);
    });
    double dcg = 0, ideal = 0;
    for (int i = 0; i < 10 && i < static_cast<int>(partners.size()); ++i) {
      const double discount = 1 / std::log2(i + 2.0);
      if (std::get<2>(partners[i])) dcg += discount;
      if (i < positives) ideal += discount;
    }
    ndcg_sum += dcg / ideal;
    ++quality.members_ranked;
  }
  quality.ndcg_at_10 = quality.members_ranked == 0 ? 0 : ndcg_sum / quality.members_ranked;
  return quality;
}

absl::StatusOr<Suggestion> SuggestWeights(std::vector<Outcome> outcomes,
                                          const matcher::Weights& current,
                                          const SuggestOptions& options) {
  for (size_t i = 0; i < outcomes.size(); ++i) {
    absl::Status valid = ValidateOutcome(outcomes[i], absl::StrCat("outcomes[", i, "]"));
    if (!valid.ok()) return valid;
  }
  const int n = static_cast<int>(outcomes.size());
  if (n < options.min_outcomes) {
    return absl::FailedPreconditionError(
        absl::StrCat("not enough outcomes: ", n, " of at least ", options.min_outcomes));
  }
  std::sort(outcomes.begin(), outcomes.end(), [](const Outcome& a, const Outcome& b) {
    return std::tie(a.recorded_seconds, a.member_id, a.partner_id) <
           std::tie(b.recorded_seconds, b.member_id, b.partner_id);
  });
  const int held = std::clamp(static_cast<int>(std::ceil(options.held_out_share * n)), 1, n);
  int first_held = n - held;
  // Outcomes recorded in the same second stay on one side.
  while (first_held > 0 &&
         outcomes[first_held - 1].recorded_seconds == outcomes[first_held].recorded_seconds) {
    --first_held;
  }
  const std::vector<Outcome> older(outcomes.begin(), outcomes.begin() + first_held);
  const std::vector<Outcome> newer(outcomes.begin() + first_held, outcomes.end());
  for (const auto& [part, name] : {std::pair(&older, "older"), std::pair(&newer, "newer")}) {
    const int positives = CountPositives(*part);
    if (positives == 0 || positives == static_cast<int>(part->size())) {
      return absl::FailedPreconditionError(
          absl::StrCat("not enough outcomes: the ", part->size(), " ", name, " outcomes hold no ",
                       positives == 0 ? "positive" : "negative", " one"));
    }
  }

  Suggestion s;
  s.outcomes = n;
  s.fitted_outcomes = static_cast<int>(older.size());
  s.held_out_outcomes = static_cast<int>(newer.size());
  s.held_out_since_seconds = newer.front().recorded_seconds;
  s.evaluated = FitWeights(older, current, options.fit);
  s.held_out_suggested = Evaluate(newer, s.evaluated);
  s.held_out_current = Evaluate(newer, current);
  s.suggested = FitWeights(outcomes, current, options.fit);
  return s;
}

}  // namespace socio::learning
