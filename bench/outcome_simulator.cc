#include "bench/outcome_simulator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/profile_generator.h"
#include "matcher/match_index.h"

namespace socio::bench {
namespace {

constexpr int64_t kDaySeconds = 86400;

// SplitMix64: a small generator whose sequence is fixed by its seed.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t x = (state_ += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  // In (0, 1].
  double Uniform() { return ((Next() >> 11) + 1) * 0x1.0p-53; }
  // Standard normal (Box-Muller).
  double Gaussian() {
    const double u = Uniform(), v = Uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
  }

 private:
  uint64_t state_;
};

}  // namespace

absl::StatusOr<matcher::Weights> ParseWeights(absl::string_view text, absl::string_view field) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  if (parts.size() != matcher::kFactorCount) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": needs ", matcher::kFactorCount,
                                                   " comma-separated weights, has ", parts.size()));
  }
  std::array<double, matcher::kFactorCount> w{};
  for (int f = 0; f < matcher::kFactorCount; ++f) {
    if (!absl::SimpleAtod(parts[f], &w[f])) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".", learning::FactorName(static_cast<matcher::Factor>(f)),
                       ": not a number: \"", parts[f], "\""));
    }
  }
  return matcher::NormalizeWeights(matcher::ToFactorWeights(matcher::Weights{w}), field);
}

std::string OutcomeJson(const learning::Outcome& o) {
  auto numbers = [](const matcher::FactorScores& s) {
    return absl::StrJoin(s, ",",
                         [](std::string* out, double x) { absl::StrAppendFormat(out, "%.6g", x); });
  };
  return absl::StrFormat(
      "{\"member_id\":\"%s\",\"partner_id\":\"%s\",\"recorded_seconds\":%d,\"positive\":%s,"
      "\"forward\":[%s],\"backward\":[%s]}",
      o.member_id, o.partner_id, o.recorded_seconds, o.positive ? "true" : "false",
      numbers(o.forward), numbers(o.backward));
}

absl::StatusOr<std::vector<learning::Outcome>> SimulateOutcomes(
    std::shared_ptr<const matcher::ScoringTables> tables, const SimulationOptions& options) {
  if (options.members < 2 || options.partners_per_member < 1 || options.outcomes < 1 ||
      options.outcomes > static_cast<int64_t>(options.members) * options.partners_per_member) {
    return absl::InvalidArgumentError(
        absl::StrCat("outcomes: ", options.outcomes, " cannot be drawn from ", options.members,
                     " members with ", options.partners_per_member, " partners each"));
  }
  if (!(options.noise >= 0) || !(options.positive_share > 0 && options.positive_share < 1)) {
    return absl::InvalidArgumentError("noise must be >= 0 and positive_share in (0, 1)");
  }
  ProfileGenerator generator({.seed = options.seed});
  std::vector<socio::v1::Profile> profiles;
  profiles.reserve(options.members);
  for (int i = 0; i < options.members; ++i) {
    profiles.push_back(generator.Next());
    profiles.back().set_version(1);
  }
  matcher::MatchIndex index(std::move(tables));
  index.UpsertMany(profiles);

  matcher::PartnerQuery query;
  query.k = options.partners_per_member;
  if (options.proposing.has_value()) {
    query.weights = *options.proposing;
  } else {
    absl::StatusOr<matcher::Weights> defaults =
        matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights");
    if (!defaults.ok()) return defaults.status();
    query.weights = *defaults;
  }

  // Members in a random order (Fisher-Yates), one per day, until enough.
  Random random(options.seed ^ 0x6f7574636f6d6573ULL);
  std::vector<int> order(options.members);
  std::iota(order.begin(), order.end(), 0);
  for (int i = options.members - 1; i > 0; --i) {
    std::swap(order[i], order[random.Next() % (i + 1)]);
  }
  std::vector<learning::Outcome> outcomes;
  std::vector<double> utility;
  for (int drawn = 0;
       drawn < options.members && static_cast<int>(outcomes.size()) < options.outcomes; ++drawn) {
    const socio::v1::Profile& member = profiles[order[drawn]];
    query.member_id = member.id();
    // Scored as of the first day: freshness would otherwise fall with the
    // days and, against one threshold, make early outcomes positive.
    query.now_seconds = options.start_seconds;
    absl::StatusOr<matcher::PartnerResult> result = index.FindPartners(query);
    if (!result.ok()) return result.status();
    for (const socio::v1::Match& m : result->matches) {
      if (static_cast<int>(outcomes.size()) == options.outcomes) break;
      learning::Outcome o;
      o.member_id = member.id();
      o.partner_id = m.partner_id();
      o.recorded_seconds = options.start_seconds + drawn * kDaySeconds;
      for (const socio::v1::FactorScore& f : m.factors()) {
        const int factor = static_cast<int>(f.factor()) - 1;  // FactorScore.Factor is 1-based
        if (factor < 0 || factor >= matcher::kFactorCount) continue;
        o.forward[factor] = f.forward();
        o.backward[factor] = f.backward();
      }
      utility.push_back(matcher::Reciprocal(matcher::WeightedSum(options.truth, o.forward),
                                            matcher::WeightedSum(options.truth, o.backward)) +
                        options.noise * random.Gaussian());
      outcomes.push_back(std::move(o));
    }
  }
  if (static_cast<int>(outcomes.size()) < options.outcomes) {
    return absl::FailedPreconditionError(absl::StrCat(
        "outcomes: only ", outcomes.size(), " of ", options.outcomes, " could be drawn from ",
        options.members, " members (their searches found too few partners)"));
  }
  // The positive_share highest utilities are positive.
  std::vector<double> sorted = utility;
  std::sort(sorted.begin(), sorted.end(), std::greater<double>());
  const size_t positives = std::max<size_t>(
      1, static_cast<size_t>(std::llround(options.positive_share * sorted.size())));
  const double threshold = sorted[std::min(positives, sorted.size()) - 1];
  for (size_t i = 0; i < outcomes.size(); ++i) outcomes[i].positive = utility[i] >= threshold;
  return outcomes;
}

}  // namespace socio::bench
