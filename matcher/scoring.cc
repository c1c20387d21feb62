#include "matcher/scoring.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "reference/nace.h"

namespace socio::matcher {
namespace {

using socio::v1::Objective;

bool Contains(absl::Span<const uint32_t> list, uint32_t value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool WantsMarkets(const ObjectiveView& objective) {
  return objective.direction == Objective::SEEK || IsSymmetricType(objective.type);
}

bool Complements(const ObjectiveView& x, const ObjectiveView& y) {
  if (x.type != y.type) return false;
  if (IsSymmetricType(x.type)) return true;
  return (x.direction == Objective::SEEK && y.direction == Objective::OFFER) ||
         (x.direction == Objective::OFFER && y.direction == Objective::SEEK);
}

// How well b, through its objective y, fits the sectors x names.
double SectorFit(const ObjectiveView& x, const FeatureView& b, const ObjectiveView& y) {
  if (x.sectors.empty()) return 1;
  double best = 0;
  for (uint32_t s : x.sectors) {
    for (uint32_t t : b.sectors()) best = std::max(best, SectorSimilarity(s, t));
    for (uint32_t t : y.sectors) best = std::max(best, SectorSimilarity(s, t));
    if (best == 1) break;
  }
  return best;
}

// How well b, through its objective y, fits the markets x names: b is in one,
// y is about one, or y (a SEEK without markets of its own) is b's wish to
// enter one.
double MarketFit(const ScoringTables& tables, const ObjectiveView& x, const FeatureView& b,
                 const ObjectiveView& y) {
  if (x.markets.empty()) return 1;
  const bool y_open = y.markets.empty() && WantsMarkets(y);
  double best = 0;
  for (uint32_t m : x.markets) {
    if (static_cast<int>(m) == b.country() || Contains(y.markets, m) ||
        (y_open && b.wanted().Has(static_cast<int>(m)))) {
      return 1;
    }
    const uint64_t subregion = tables.SubregionBit(b.country());
    const uint64_t region = tables.RegionBit(b.country());
    if (subregion != 0 && tables.SubregionBit(static_cast<int>(m)) == subregion) {
      best = std::max(best, 0.6);
    } else if (region != 0 && tables.RegionBit(static_cast<int>(m)) == region) {
      best = std::max(best, 0.3);
    }
  }
  return best;
}

// The division of a packed code, or -1 for a section.
int DivisionOf(SectorCode code) { return static_cast<int>((code >> 16) & 0xff) - 1; }

bool HasDivision(const DivisionSet& set, int d) { return (set.bits[d >> 6] >> (d & 63)) & 1; }

// Whether `code` takes part in a link through its end `end`: it lies under
// `end`, or covers it from the division level down.
bool TakesPart(SectorCode code, SectorCode end) {
  const int level = SectorLevel(code);
  return level >= 2 && CommonSectorLevels(code, end) == std::min(level, SectorLevel(end));
}

// reference::ValueChainLinks() packed, and indexed by pairs of divisions: a
// pair of codes is checked against the links between its two divisions only,
// after one bit tells whether those divisions are linked at all.
//
// Linked(a, b), what scoring asks for every pair of codes, reads two tables
// instead: every code below the section level (division, group digit, class
// digit: 100 * 11 * 11 shapes) has a signature, the set of links it takes
// part in as maker and as partner; codes with equal signatures are linked
// with the same codes, so one bit per pair of signatures answers.
class PackedValueChain {
 public:
  PackedValueChain() {
    const reference::NaceCatalog nace = reference::NaceCatalog::BuiltIn();
    for (const reference::ValueChainLink& link : reference::ValueChainLinks()) {
      const Row row{PackSector(nace, link.maker), PackSector(nace, link.partner), &link};
      const int dm = DivisionOf(row.maker);
      const int dp = DivisionOf(row.partner);
      if (row.maker == 0 || row.partner == 0 || dm < 0 || dp < 0) continue;
      const int index = static_cast<int>(rows_.size());
      rows_.push_back(row);
      by_pair_[dm * 100 + dp].push_back(index);
      if (dp != dm) by_pair_[dp * 100 + dm].push_back(index);
      linked_[dm].bits[dp >> 6] |= uint64_t{1} << (dp & 63);
      linked_[dp].bits[dm >> 6] |= uint64_t{1} << (dm & 63);
    }
    BuildSignatures(nace);
  }

  const reference::ValueChainLink* Find(SectorCode a, SectorCode b, bool* a_makes) const {
    const int da = DivisionOf(a);
    const int db = DivisionOf(b);
    if (da < 0 || db < 0 || !HasDivision(linked_[da], db)) return nullptr;
    for (int index : by_pair_[da * 100 + db]) {
      const Row& row = rows_[index];
      const bool forward = TakesPart(a, row.maker) && TakesPart(b, row.partner);
      if (forward || (TakesPart(a, row.partner) && TakesPart(b, row.maker))) {
        if (a_makes != nullptr) *a_makes = forward;
        return row.link;
      }
    }
    return nullptr;
  }

  // Find(a, b, nullptr) != nullptr.
  bool Linked(SectorCode a, SectorCode b) const {
    const int sa = signature_[ShapeOf(a)];
    const int sb = signature_[ShapeOf(b)];
    if (sa == 0 || sb == 0) return false;
    const size_t bit = static_cast<size_t>(sa) * signature_count_ + sb;
    return (pair_bits_[bit >> 6] >> (bit & 63)) & 1;
  }

  ChainReach Reach(absl::Span<const uint32_t> codes) const {
    ChainReach reach;
    const auto add_end = [&reach](SectorCode end) {
      const int division = DivisionOf(end);
      if (IsTradeDivision(division)) {
        reach.groups |= TradeGroupsOf(end);
      } else {
        reach.divisions.bits[division >> 6] |= uint64_t{1} << (division & 63);
      }
    };
    for (SectorCode code : codes) {
      if (SectorLevel(code) < 2) continue;
      for (const Row& row : rows_) {
        if (TakesPart(code, row.maker)) add_end(row.partner);
        if (TakesPart(code, row.partner)) add_end(row.maker);
      }
    }
    return reach;
  }

 private:
  struct Row {
    SectorCode maker;
    SectorCode partner;
    const reference::ValueChainLink* link;
  };
  static constexpr int kShapes = 100 * 11 * 11;

  // The shape of a code below the section level, 0 for a section or 0.
  static int ShapeOf(SectorCode code) {
    const int division = static_cast<int>((code >> 16) & 0xff);
    if (division == 0) return 0;
    return (division - 1) * 121 + static_cast<int>((code >> 8) & 0xff) * 11 +
           static_cast<int>(code & 0xff);
  }

  void BuildSignatures(const reference::NaceCatalog& nace) {
    // A signature: the rows a shape takes part in, as maker and as partner.
    using Parts = std::vector<bool>;
    std::vector<Parts> distinct = {Parts(2 * rows_.size(), false)};  // 0: no link at all
    std::map<Parts, int> number = {{distinct[0], 0}};
    signature_.assign(kShapes, 0);
    for (int division = 0; division < 100; ++division) {
      const SectorCode packed = PackSector(nace, absl::StrCat(division < 10 ? "0" : "", division));
      if (packed == 0) continue;  // no such division: takes part in nothing
      for (int group = 0; group <= 10; ++group) {
        for (int klass = 0; klass <= (group == 0 ? 0 : 10); ++klass) {
          const SectorCode code =
              packed | static_cast<uint32_t>(group) << 8 | static_cast<uint32_t>(klass);
          Parts parts(2 * rows_.size(), false);
          for (size_t r = 0; r < rows_.size(); ++r) {
            parts[2 * r] = TakesPart(code, rows_[r].maker);
            parts[2 * r + 1] = TakesPart(code, rows_[r].partner);
          }
          auto [it, added] = number.emplace(parts, static_cast<int>(distinct.size()));
          if (added) distinct.push_back(parts);
          signature_[ShapeOf(code)] = it->second;
        }
      }
    }
    signature_count_ = distinct.size();
    pair_bits_.assign((signature_count_ * signature_count_ + 63) / 64, 0);
    for (size_t x = 1; x < signature_count_; ++x) {
      for (size_t y = 1; y < signature_count_; ++y) {
        bool linked = false;
        for (size_t r = 0; r < rows_.size() && !linked; ++r) {
          linked = (distinct[x][2 * r] && distinct[y][2 * r + 1]) ||
                   (distinct[x][2 * r + 1] && distinct[y][2 * r]);
        }
        const size_t bit = x * signature_count_ + y;
        if (linked) pair_bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
      }
    }
  }

  std::vector<Row> rows_;
  // The rows linking each ordered pair of divisions (da * 100 + db): a few
  // at most, where the rows of division 46 alone are over a hundred.
  std::vector<std::vector<int>> by_pair_ = std::vector<std::vector<int>>(100 * 100);
  std::array<DivisionSet, 100> linked_{};
  std::vector<uint16_t> signature_;  // by ShapeOf
  size_t signature_count_ = 0;
  std::vector<uint64_t> pair_bits_;  // signature x * count + signature y
};

const PackedValueChain& Chain() {
  static const PackedValueChain* const chain = new PackedValueChain();
  return *chain;
}

}  // namespace

const reference::ValueChainLink* ValueChainLinkOf(SectorCode a, SectorCode b, bool* a_makes) {
  return Chain().Find(a, b, a_makes);
}

ChainReach ValueChainReach(absl::Span<const uint32_t> codes) { return Chain().Reach(codes); }

socio::v1::FactorWeights DefaultFactorWeights() {
  socio::v1::FactorWeights w;
  w.set_objective(0.35);
  w.set_market(0.20);
  w.set_sector(0.15);
  w.set_culture(0.15);
  w.set_text(0.10);
  w.set_size(0.025);
  w.set_freshness(0.025);
  return w;
}

socio::v1::FactorWeights ToFactorWeights(const Weights& weights) {
  socio::v1::FactorWeights proto;
  proto.set_objective(weights.w[kObjective]);
  proto.set_market(weights.w[kMarket]);
  proto.set_sector(weights.w[kSector]);
  proto.set_culture(weights.w[kCulture]);
  proto.set_text(weights.w[kText]);
  proto.set_size(weights.w[kSize]);
  proto.set_freshness(weights.w[kFreshness]);
  return proto;
}

absl::StatusOr<Weights> NormalizeWeights(const socio::v1::FactorWeights& weights,
                                         absl::string_view field) {
  const std::array<std::pair<const char*, double>, kFactorCount> given = {{
      {"objective", weights.objective()},
      {"market", weights.market()},
      {"sector", weights.sector()},
      {"culture", weights.culture()},
      {"text", weights.text()},
      {"size", weights.size()},
      {"freshness", weights.freshness()},
  }};
  Weights out;
  double largest = 0;
  for (int i = 0; i < kFactorCount; ++i) {
    const double w = given[i].second;
    if (!std::isfinite(w) || w < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".", given[i].first, ": must be a finite number >= 0, got ", w));
    }
    out.w[i] = w;
    largest = std::max(largest, w);
  }
  if (!(largest > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at least one weight must be greater than 0"));
  }
  // Scaled by the largest first: the sum of seven numbers <= 1 cannot
  // overflow, however large the weights given (1e308 each).
  double sum = 0;
  for (double& w : out.w) sum += (w /= largest);
  for (double& w : out.w) w /= sum;
  return out;
}

double SectorSimilarity(SectorCode a, SectorCode b) {
  static constexpr double kShared[] = {0, 0.25, 0.5, 0.75};
  const int common = CommonSectorLevels(a, b);
  if (common == std::min(SectorLevel(a), SectorLevel(b))) return 1;
  if (kShared[common] < kValueChainSimilarity && Chain().Linked(a, b)) {
    return kValueChainSimilarity;
  }
  return kShared[common];
}

double ObjectiveScore(const ScoringTables& tables, const FeatureView& a, const FeatureView& b,
                      ObjectiveMatch* best) {
  double best_value = 0;
  int i = 0;
  a.ForEachObjective([&](const ObjectiveView& x) {
    int j = 0;
    b.ForEachObjective([&](const ObjectiveView& y) {
      const double discount =
          Complements(x, y) ? 1 : NearTypeDiscount(x.type, x.direction, y.type, y.direction);
      if (discount > 0) {
        const double sector_fit = SectorFit(x, b, y);
        const double market_fit = MarketFit(tables, x, b, y);
        const double value = discount * (0.15 + 0.85 * sector_fit * (0.4 + 0.6 * market_fit));
        if (value > best_value) {
          best_value = value;
          if (best != nullptr) *best = {i, j, sector_fit, market_fit, discount};
        }
      }
      ++j;
    });
    ++i;
  });
  return best_value;
}

double MarketScore(const ScoringTables& tables, const FeatureView& a, int b_country) {
  if (a.wanted().Empty()) return 0.5;
  if (a.wanted().Has(b_country)) return 1;
  const uint64_t regions = a.header().wanted_regions;
  if (regions & tables.SubregionBit(b_country)) return 0.6;
  if (regions & tables.RegionBit(b_country)) return 0.3;
  return 0;
}

double SectorScore(const FeatureView& a, const FeatureView& b, SectorCode* mine,
                   SectorCode* theirs) {
  if (b.sectors().empty()) return 0.5;
  double best = -1;
  auto consider = [&](uint32_t s) {
    for (uint32_t t : b.sectors()) {
      const double similarity = SectorSimilarity(s, t);
      if (similarity > best) {
        best = similarity;
        if (mine != nullptr) *mine = s;
        if (theirs != nullptr) *theirs = t;
      }
    }
  };
  for (uint32_t s : a.sectors()) consider(s);
  a.ForEachObjective([&](const ObjectiveView& x) {
    for (uint32_t s : x.sectors) consider(s);
  });
  return best < 0 ? 0.5 : best;
}

bool SectorJudged(const FeatureView& a, const FeatureView& b) {
  if (b.sectors().empty()) return false;
  if (!a.sectors().empty()) return true;
  bool any = false;
  a.ForEachObjective([&any](const ObjectiveView& x) { any |= !x.sectors.empty(); });
  return any;
}

double SectorFactor(const FeatureView& a, const FeatureView& b, double text) {
  if (SectorJudged(a, b)) return SectorScore(a, b, nullptr, nullptr);
  return a.query_terms().empty() ? 0.5 : text;
}

double CultureScore(const ScoringTables& tables, const FeatureView& a, const FeatureView& b,
                    uint32_t* shared_language) {
  double language = tables.pairs().SharedLanguage(a.country(), b.country());
  for (uint32_t l : a.languages()) {
    if (Contains(b.languages(), l)) {
      language = 1;
      if (shared_language != nullptr) *shared_language = l;
      break;
    }
  }
  return 0.6 * tables.pairs().Closeness(a.country(), b.country()) + 0.4 * language;
}

double TextScore(const FeatureView& a, const FeatureView& b, std::vector<uint32_t>* matched) {
  const absl::Span<const uint32_t> query = a.query_terms();
  if (query.empty()) return 0.5;
  const absl::Span<const uint32_t> doc = b.doc_terms();
  size_t hits = 0;
  for (size_t i = 0, j = 0; i < query.size() && j < doc.size();) {
    if (query[i] < doc[j]) {
      ++i;
    } else if (doc[j] < query[i]) {
      ++j;
    } else {
      ++hits;
      if (matched != nullptr) matched->push_back(query[i]);
      ++i;
      ++j;
    }
  }
  return static_cast<double>(hits) / static_cast<double>(query.size());
}

double SizeScore(const FeatureView& a, const FeatureView& b) {
  const uint32_t x = a.header().employees;
  const uint32_t y = b.header().employees;
  if (x == 0 || y == 0) return 0.5;
  const double gap = std::fabs(std::log10(static_cast<double>(x) / static_cast<double>(y)));
  return std::max(0.0, 1 - gap / 3);
}

double FreshnessScore(int32_t today, const FeatureView& b) {
  const int32_t day = b.header().update_day;
  if (day == kUnknownDay) return 0.5;
  const int32_t age = std::max(0, today - day);
  return std::exp2(-static_cast<double>(age) / 365.0);
}

double WeightedSum(const Weights& weights, const FactorScores& factors) {
  double sum = 0;
  for (int i = 0; i < kFactorCount; ++i) sum += weights.w[i] * factors[i];
  return sum;
}

PairScore ScorePair(const ScoreContext& context, const FeatureView& a, const FeatureView& b) {
  PairScore s;
  ScoreExceptObjective(context, a, b, &s);
  FinishPairScore(context, a, b, &s);
  return s;
}

void FinishPairScore(const ScoreContext& context, const FeatureView& a, const FeatureView& b,
                     PairScore* s) {
  s->forward[kObjective] = ObjectiveScore(*context.tables, a, b, nullptr);
  s->backward[kObjective] = ObjectiveScore(*context.tables, b, a, nullptr);
  s->forward_score = WeightedSum(context.weights, s->forward);
  s->backward_score = WeightedSum(context.weights, s->backward);
  s->score = Reciprocal(s->forward_score, s->backward_score);
}

void ScoreExceptObjective(const ScoreContext& context, const FeatureView& a, const FeatureView& b,
                          PairScore* out) {
  const ScoringTables& tables = *context.tables;
  PairScore& s = *out;
  s.forward[kMarket] = MarketScore(tables, a, b.country());
  s.backward[kMarket] = MarketScore(tables, b, a.country());
  s.forward[kCulture] = CultureScore(tables, a, b, nullptr);
  s.backward[kCulture] = CultureScore(tables, b, a, nullptr);
  s.forward[kText] = TextScore(a, b, nullptr);
  s.backward[kText] = TextScore(b, a, nullptr);
  s.forward[kSector] = SectorFactor(a, b, s.forward[kText]);
  s.backward[kSector] = SectorFactor(b, a, s.backward[kText]);
  s.forward[kSize] = s.backward[kSize] = SizeScore(a, b);
  s.forward[kFreshness] = FreshnessScore(context.today, b);
  s.backward[kFreshness] = FreshnessScore(context.today, a);
}

}  // namespace socio::matcher
