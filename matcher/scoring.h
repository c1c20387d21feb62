// Factor scores of a pair of profiles and the reciprocal score.
//
// score(a -> b) = sum over factors of weight * factor(a -> b), the weights
// normalised to add up to 1, every factor in [0, 1] (see match.proto for what
// each factor measures). A factor that cannot be judged from the profiles (no
// target markets given, no notes, no size) scores 0.5, so missing data
// neither helps nor sinks a partner. The reciprocal score is the harmonic
// mean of score(a -> b) and score(b -> a).
//
//   ScoreContext context{&tables, weights, today};
//   PairScore s = ScorePair(context, a.view(), b.view());
//   s.score;  // reciprocal, in [0, 1]
//
// Pure functions of their arguments; thread-safe.
#ifndef SOCIO_MATCHER_SCORING_H_
#define SOCIO_MATCHER_SCORING_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "matcher/features.h"
#include "reference/value_chain.h"
#include "socio/v1/match.pb.h"

namespace socio::matcher {

enum Factor : int {
  kObjective = 0,
  kMarket,
  kSector,
  kCulture,
  kText,
  kSize,
  kFreshness,
  kFactorCount
};

// Normalised weights, adding up to 1.
struct Weights {
  std::array<double, kFactorCount> w{};
};

// The defaults of a chamber without a policy (see match.proto).
socio::v1::FactorWeights DefaultFactorWeights();
// `weights` divided by their sum. INVALID_ARGUMENT naming `field`.<factor>
// for a negative or non-finite weight, or `field` when none is positive.
absl::StatusOr<Weights> NormalizeWeights(const socio::v1::FactorWeights& weights,
                                         absl::string_view field);
// `weights` as the message spells them (objective ... freshness).
socio::v1::FactorWeights ToFactorWeights(const Weights& weights);

struct ScoreContext {
  const ScoringTables* tables;
  Weights weights;
  int32_t today;  // days since 1970-01-01, for freshness
};

// How well objective `mine` of a is met by objective `theirs` of b, from a's
// side; -1 when no objective pair complements.
struct ObjectiveMatch {
  int mine = -1;
  int theirs = -1;
  double sector_fit = 0;  // b fits the sectors a's objective names
  double market_fit = 0;  // b fits the markets a's objective names
  double discount = 1;    // 1 for an exact complement, < 1 for near types
};

// Factor scores, one direction.
using FactorScores = std::array<double, kFactorCount>;

struct PairScore {
  FactorScores forward{};   // a -> b
  FactorScores backward{};  // b -> a
  double forward_score = 0;
  double backward_score = 0;
  double score = 0;  // reciprocal
};

// Harmonic mean; 0 when both are 0.
inline double Reciprocal(double x, double y) { return x + y > 0 ? 2 * x * y / (x + y) : 0; }

// The best complementary objective pair of a and b, scored from a's side:
// discount * (0.15 + 0.85 * sector fit * (0.4 + 0.6 * market fit)), the
// discount 1 for an exact complement (a SEEK meets an OFFER of the same type;
// cooperation types meet each other) and NearTypeDiscount for neighbouring
// types (see features.h). The pairs and discounts are the same from both
// sides, only the narrowing differs.
double ObjectiveScore(const ScoringTables& tables, const FeatureView& a, const FeatureView& b,
                      ObjectiveMatch* best);
// b's country among a's wanted markets: 1; in the subregion of one: 0.6; in
// the region of one: 0.3; else 0; 0.5 if a names none.
double MarketScore(const ScoringTables& tables, const FeatureView& a, int b_country);
// Closest pair of a's sectors and objective sectors with b's sectors: 1 when
// one covers the other, 0.75 same group, 0.7 linked in the value chain,
// 0.5 same division, 0.25 same section, else 0 (see SectorSimilarity).
// `*mine`, `*theirs` receive the pair (0 if none).
double SectorScore(const FeatureView& a, const FeatureView& b, SectorCode* mine,
                   SectorCode* theirs);
// Whether SectorScore(a, b) can judge: b names a sector and a names one,
// in its profile or an objective.
bool SectorJudged(const FeatureView& a, const FeatureView& b);
// The sector factor of a -> b: SectorScore where it can judge; where it
// cannot and a's notes have words, the text factor `text` (TextScore(a, b))
// in its place, so text weighs more where sectors are missing; else 0.5.
double SectorFactor(const FeatureView& a, const FeatureView& b, double text);
// 0.6 * country culture closeness + 0.4 * language: 1 if the companies share
// a business language, else the countries' shared-language strength.
double CultureScore(const ScoringTables& tables, const FeatureView& a, const FeatureView& b,
                    uint32_t* shared_language);
// Share of a's query terms found in b's doc terms; matched fingerprints go to
// `*matched` when not null.
double TextScore(const FeatureView& a, const FeatureView& b, std::vector<uint32_t>* matched);
// 1 - |log10 employees(a) - log10 employees(b)| / 3, floored at 0.
double SizeScore(const FeatureView& a, const FeatureView& b);
// Half-life of a year since b's profile was last written.
double FreshnessScore(int32_t today, const FeatureView& b);

// Every factor both ways, and the scores.
PairScore ScorePair(const ScoreContext& context, const FeatureView& a, const FeatureView& b);
// ScorePair in two steps, for a search that may stop after the first: every
// factor but the objective's, then the objective factor and the sums.
// ScorePair(c, a, b) equals the PairScore of ScoreExceptObjective followed
// by FinishPairScore.
void ScoreExceptObjective(const ScoreContext& context, const FeatureView& a, const FeatureView& b,
                          PairScore* s);
void FinishPairScore(const ScoreContext& context, const FeatureView& a, const FeatureView& b,
                     PairScore* s);

// weight . factors
double WeightedSum(const Weights& weights, const FactorScores& factors);

// The similarity of a maker's code and the code of a trade or service in its
// value chain (reference/value_chain.h): below a cover and a shared group,
// above a shared division, since a maker and the wholesaler of its goods are
// natural partners while two makers in one division are often competitors.
inline constexpr double kValueChainSimilarity = 0.7;

// SectorScore's similarity of two packed codes: the hierarchy's (1 when one
// covers the other, 0.75 same group, 0.5 same division, 0.25 same section,
// else 0), raised to kValueChainSimilarity for a pair linked in the value
// chain.
double SectorSimilarity(SectorCode a, SectorCode b);

// The value-chain link joining packed codes a and b (either end may be a's),
// or nullptr if none; `*a_makes` (when not null) is set to whether a is the
// maker's end. Codes above the division level take part in no link.
const reference::ValueChainLink* ValueChainLinkOf(SectorCode a, SectorCode b, bool* a_makes);

// Where a set of codes reaches in the value chain, as FindPartners' bounds
// read it: the divisions of the codes linked with one of them, except the
// trade divisions (IsTradeDivision), which are told by group instead.
struct ChainReach {
  DivisionSet divisions;
  uint32_t groups = 0;  // TradeGroupsOf bits
  void Add(const ChainReach& other) {
    divisions.Add(other.divisions);
    groups |= other.groups;
  }
  // Whether a profile with these summary bits may hold a code linked with
  // one of the codes: when ValueChainLinkOf(x, y) is not null for x among
  // the codes, Reaches(DivisionsOf(y), TradeGroupsOf(y)) is true.
  bool Reaches(const DivisionSet& divisions_of, uint32_t groups_of) const {
    return divisions.Intersects(divisions_of) || (groups & groups_of) != 0;
  }
};
ChainReach ValueChainReach(absl::Span<const uint32_t> codes);

}  // namespace socio::matcher

#endif  // SOCIO_MATCHER_SCORING_H_
