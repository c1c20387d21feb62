// MatchIndex's partner search: FindPartners with its bounds, the brute-force
// reference, and the scores and explanations of given pairs (see
// match_index.h).
#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "matcher/explanation.h"
#include "matcher/match_index.h"

namespace socio::matcher {
namespace {

constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();
// Bounds are compared with this slack so rounding never prunes a partner the
// full scan would keep.
constexpr double kBoundSlack = 1e-9;

}  // namespace

struct MatchIndex::Subject {
  std::optional<Features> probe;  // set for an unsaved profile
  FeatureView stored{nullptr, nullptr, nullptr};
  uint32_t slot = kNoSlot;  // the member's own slot, never a partner

  FeatureView view() const { return probe ? probe->view() : stored; }
};

absl::StatusOr<MatchIndex::Subject> MatchIndex::SubjectOf(const PartnerQuery& query) const {
  Subject subject;
  if (query.probe != nullptr) {
    auto chamber = chamber_numbers_.find(query.probe->chamber_id());
    subject.probe = ExtractFeatures(
        *query.probe, *tables_, chamber == chamber_numbers_.end() ? kNoChamber : chamber->second);
    auto self = by_id_.find(query.probe->id());
    if (!query.probe->id().empty() && self != by_id_.end()) subject.slot = self->second;
    return subject;
  }
  auto it = by_id_.find(query.member_id);
  if (it == by_id_.end()) {
    return absl::NotFoundError(absl::StrCat("member_id: no profile '", query.member_id, "'"));
  }
  subject.slot = it->second;
  subject.stored = ViewOf(it->second);
  return subject;
}

// One FindPartners run: the filters, the bounds and the top-k heap.
//
//   Search search(index, subject, query);  // under the index's reader lock
//   search.Run();                          // or RunBruteForce()
//   Describe(subject, query, search.Ranked(), search.scored());
//
// Run visits the candidates in groups (per country: whether their objectives
// complement the member's, whether they want to enter its country, and,
// where the member's objectives name markets, whether they name one of
// them), best bound first, and stops at the first group whose bound cannot
// enter the top k; within a group a per-candidate bound skips most of the
// rest before their full score. A group's bound reads the union of its
// candidates' summaries (MatchIndex::unions_), so a group none of whose
// candidates shares the member's sectors is bounded as such.
class MatchIndex::Search {
 public:
  Search(const MatchIndex& index, const Subject& subject, const PartnerQuery& query)
      ABSL_SHARED_LOCKS_REQUIRED(index.mu_)
      : index_(index),
        query_(query),
        a_(subject.view()),
        context_{index.tables_.get(), query.weights, DayOf(query.now_seconds)},
        w_(query.weights.w) {
    PrepareFilters(subject);
    PrepareBounds(subject);
  }

  // Every candidate, no bounds.
  void RunBruteForce() ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    for (uint32_t slot = 0; slot < index_.headers_.size(); ++slot) {
      if (!index_.slots_[slot].live) continue;
      if (query_.filters.countries &&
          !query_.filters.countries->Has(index_.headers_[slot].country)) {
        continue;
      }
      if (PassesHeader(slot)) Score(slot);
    }
  }

  void Run() ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    for (const Group& g : Groups()) {
      if (Full() && g.bound < Threshold()) break;
      VisitGroup(g);
    }
  }

  // The heap's entries, best first.
  std::vector<std::pair<double, uint32_t>> Ranked() {
    std::vector<std::pair<double, uint32_t>> out = heap_;
    std::sort(out.begin(), out.end(),
              [this](const auto& x, const auto& y) { return Better(x, y); });
    return out;
  }

  int64_t scored() const { return scored_; }
  int64_t postings_read() const { return postings_read_; }
  int64_t bounded() const { return bounded_; }

 private:
  // How a candidate's objectives meet the member's: one complements one of
  // the member's exactly; else one is a near type of one (NearTypeDiscount);
  // else none meets.
  enum class Tier { kNone = 0, kNear = 1, kExact = 2 };

  // The candidates of one country of one Tier, and who want to enter the
  // member's country (a backward market score of 1; at most 0.6 otherwise)
  // or not, with the bound of their reciprocal score and the member's side
  // of the factors they share.
  struct Group {
    double bound;
    int country;
    Tier tier;
    bool wants_us;
    double market_forward;
    double culture_forward;  // with a shared language; without:
    double culture_forward_apart;
    double culture_backward;
    double culture_backward_apart;
    // -1: the group holds every candidate of its country, tier and wish;
    // 1: only those who name a market one of the member's objectives names
    // (Touches), 0: only the others, whose objectives' market fit for the
    // member is then known from their country.
    int touches = -1;
    // Per objective of the member (a_objectives_), the bound of the market
    // fit's part of ObjectiveScore, 0.4 + 0.6 * market fit, for the group.
    const double* market_terms = nullptr;
  };

  // Upper bounds of the objective, sector, culture and text factors of a
  // candidate from its header and summary alone (see BoundSummary).
  struct LooseFactors {
    double objective_forward, objective_backward;
    double sector_forward, sector_backward;
    double text_forward, text_backward;
  };

  // ObjectiveScore's sector part for a value-chain pair and for a shared
  // section.
  static constexpr double kChainSector = 0.15 + 0.85 * kValueChainSimilarity;
  static constexpr double kNearSector = 0.15 + 0.85 * 0.25;

  // One of the member's objectives, as the bounds read it.
  struct AObjective {
    uint32_t key = 0;         // its own ObjectiveKey
    uint32_t complement = 0;  // keys of the objectives that complement it
    uint32_t near = 0;        // ... or are near it (NearTypeDiscount)
    // The near keys by discount, largest first: a candidate's discount is
    // that of the first level its keys meet.
    std::array<std::pair<uint32_t, double>, 3> near_levels{};
    bool any_sector = false;  // names no sector
    CountrySet markets;       // it names; empty: any market fits
    // The largest discount of a pair it can make with a candidate of the
    // exact tier, and with one of the near tier.
    double exact_discount = 0;
    double near_discount = 0;
    DivisionSet divisions;    // of its sectors
    DivisionSet sections;     // every division of their sections
    ChainReach chain;         // of its sectors
  };

  // The excluded slots (the member's own among them) and the objective keys
  // of the wanted types.
  void PrepareFilters(const Subject& subject) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    for (const std::string& id : query_.filters.exclude_ids) {
      auto it = index_.by_id_.find(id);
      if (it != index_.by_id_.end()) excluded_.insert(it->second);
    }
    if (subject.slot != kNoSlot) excluded_.insert(subject.slot);
    for (int type = 1; type <= socio::v1::Objective::Type_MAX; ++type) {
      const uint32_t all = ObjectiveKey(type, 0) | ObjectiveKey(type, 1) | ObjectiveKey(type, 2);
      if (query_.filters.type_keys & all) type_filter_ |= all;
    }
  }

  // The member's side of the bounds, computed once per search.
  void PrepareBounds(const Subject& subject) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    freshness_of_a_ = FreshnessScore(context_.today, a_);
    exact_keys_ = ComplementKeys(a_.header().objective_keys);
    near_keys_ = NearComplementKeys(a_.header().objective_keys) & ~exact_keys_;
    const ScoringTables& tables = *index_.tables_;
    a_summary_ = subject.probe ? subject.probe->summary : index_.summaries_[subject.slot];
    a_own_sections_ = tables.SectionsOf(a_summary_.own);
    a_interest_sections_ = tables.SectionsOf(a_summary_.interest);
    a_own_chain_ = FoldedChainReach(a_.sectors());
    a_interest_chain_ = a_own_chain_;
    // The query terms' Bloom bits in layers: a bit two terms share is in the
    // first two layers, so the popcounts of a candidate's doc_bloom against
    // each layer add up to the terms whose bit it has.
    if (!a_.query_terms().empty())
      per_query_term_ = 1.0 / static_cast<double>(a_.query_terms().size());
    for (uint32_t term : a_.query_terms()) {
      const uint64_t bit = uint64_t{1} << (term % 64);
      size_t layer = 0;
      while (layer < query_layers_.size() && (query_layers_[layer] & bit)) ++layer;
      if (layer == query_layers_.size()) query_layers_.push_back(0);
      query_layers_[layer] |= bit;
    }
    a_.ForEachObjective([&](const ObjectiveView& x) {
      AObjective o;
      o.key = ObjectiveKey(x.type, x.direction);
      o.complement = ComplementKeys(o.key);
      o.near = NearComplementKeys(o.key);
      o.near_levels = NearLevels(o.key, o.near);
      o.any_sector = x.sectors.empty();
      for (uint32_t market : x.markets) o.markets.Add(static_cast<int>(market));
      for (int w = 0; w < 4; ++w) named_markets_.bits[w] |= o.markets.bits[w];
      for (uint32_t code : x.sectors) o.divisions.Add(tables.DivisionsOf(code));
      o.sections = tables.SectionsOf(o.divisions);
      o.chain = FoldedChainReach(x.sectors);
      a_interest_chain_.Add(o.chain);
      o.near_discount = BestNearDiscount(o.key, o.near & near_keys_);
      o.exact_discount = o.complement != 0 ? 1 : BestNearDiscount(o.key, o.near);
      a_objectives_.push_back(o);
    });
    PrepareMarketTerms();
  }

  // The groups of the countries the filters allow, best bound first (ties
  // by country, then complementary and wanting first).
  std::vector<Group> Groups() const ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const ScoringTables& tables = *index_.tables_;
    const double text_forward = a_.query_terms().empty() ? 0.5 : 1;
    std::vector<Group> groups;
    const reference::CountryPairs& pairs = tables.pairs();
    const int ac = a_.country();
    for (int c = 0; c < tables.country_count(); ++c) {
      if (index_.by_country_[c].empty()) continue;
      if (query_.filters.countries && !query_.filters.countries->Has(c)) continue;
      Group g{0,
              c,
              Tier::kNone,
              false,
              MarketScore(tables, a_, c),
              0.6 * pairs.Closeness(ac, c) + 0.4,
              0.6 * pairs.Closeness(ac, c) + 0.4 * pairs.SharedLanguage(ac, c),
              0.6 * pairs.Closeness(c, ac) + 0.4,
              0.6 * pairs.Closeness(c, ac) + 0.4 * pairs.SharedLanguage(c, ac)};
      const double* by_country = &market_terms_[static_cast<size_t>(c) * a_objectives_.size()];
      const bool split = std::any_of(by_country, by_country + a_objectives_.size(),
                                     [](double term) { return term < 1; });
      for (Tier tier : {Tier::kExact, Tier::kNear, Tier::kNone}) {
        if (tier == Tier::kExact && exact_keys_ == 0) continue;
        if (tier == Tier::kNear && near_keys_ == 0) continue;
        for (int touches : {-1, 1, 0}) {
          if ((touches == -1) == (split && tier != Tier::kNone)) continue;
          g.touches = touches;
          g.market_terms = touches == 0 ? by_country : market_terms_ones_.data();
          // The candidates' unions, of the tier's keys or of every record.
          SummaryUnion u;
          const SummaryUnion* unions = &index_.unions_[static_cast<size_t>(c) * (kAllKeys + 1)];
          if (tier == Tier::kNone) {
            u = unions[kAllKeys];
          } else {
            for (uint32_t keys = tier == Tier::kExact ? exact_keys_ : near_keys_; keys != 0;
                 keys &= keys - 1) {
              u.Add(unions[__builtin_ctz(keys)]);
            }
          }
          const LooseFactors m = GroupMaxima(u, tier, g.market_terms);
          for (bool wants_us : {true, false}) {
            const double forward = w_[kObjective] * m.objective_forward +
                                   w_[kMarket] * g.market_forward + w_[kSector] * m.sector_forward +
                                   w_[kCulture] * g.culture_forward + w_[kText] * text_forward +
                                   w_[kSize] + w_[kFreshness];
            const double backward =
                w_[kObjective] * m.objective_backward + w_[kMarket] * (wants_us ? 1 : 0.6) +
                w_[kSector] * m.sector_backward + w_[kCulture] * g.culture_backward + w_[kText] +
                w_[kSize] + w_[kFreshness] * freshness_of_a_;
            g.tier = tier;
            g.wants_us = wants_us;
            g.bound = Reciprocal(forward, backward);
            groups.push_back(g);
          }
        }
      }
    }
    std::sort(groups.begin(), groups.end(), [](const Group& x, const Group& y) {
      if (x.bound != y.bound) return x.bound > y.bound;
      if (x.country != y.country) return x.country < y.country;
      return std::tuple(x.tier, x.wants_us, x.touches) > std::tuple(y.tier, y.wants_us, y.touches);
    });
    return groups;
  }

  // Visits each candidate of the group once, from the posting list that
  // holds the fewest others.
  void VisitGroup(const Group& g) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const int ac = a_.country();
    // Until the heap is full every candidate the filters pass is scored;
    // then the summary's bound comes first, since most candidates fail it.
    auto visit = [&](uint32_t slot) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
      if (!Full()) {
        if (PassesHeader(slot)) Score(slot);
        return;
      }
      ++bounded_;
      Bound bound;
      if (!MayEnterLoosely(g, index_.summaries_[slot], &bound)) return;
      if (!PassesHeader(slot) || !MayEnter(slot, bound)) return;
      Score(slot, &bound.loose);
    };
    const uint32_t tier_keys = g.tier == Tier::kExact  ? exact_keys_
                               : g.tier == Tier::kNear ? near_keys_
                                                       : 0;
    const std::vector<uint32_t>* wanting = nullptr;
    if (g.wants_us) {
      wanting = &index_.by_country_wanted_[static_cast<size_t>(g.country) *
                                               index_.tables_->country_count() +
                                           ac];
      // Those wanting the member's country may be fewer than those with
      // the tier's keys, or many more: each tier would then read the whole
      // list again to find its few.
      size_t keyed = 0;
      for (uint32_t keys = tier_keys; keys != 0; keys &= keys - 1) {
        keyed += index_.by_country_key_[g.country * 32u + __builtin_ctz(keys)].size();
      }
      if (tier_keys == 0 || wanting->size() <= keyed) {
        if (g.touches >= 0) MarkTouching(g.country);
        ForEachPosted(*wanting, [&](uint32_t slot) {
          if (g.touches >= 0 && Touches(slot) != (g.touches == 1)) return;
          if (TierOf(index_.summaries_[slot].objective_keys) == g.tier) visit(slot);
        });
        return;
      }
    }
    MarkWanting(g.country);
    if (g.touches >= 0) MarkTouching(g.country);
    if (tier_keys != 0) {
      // Each candidate once: under the lowest of its keys of the tier, and
      // only in the best tier it reaches; in the group of those who want
      // the member's country or of the others.
      const uint32_t better = g.tier == Tier::kExact ? 0 : exact_keys_;
      for (uint32_t keys = tier_keys; keys != 0; keys &= keys - 1) {
        const int bit = __builtin_ctz(keys);
        const uint32_t skip = better | (tier_keys & ((uint32_t{1} << bit) - 1));
        ForEachPosted(index_.by_country_key_[g.country * 32u + bit], [&](uint32_t slot) {
          if (Wants(slot) != g.wants_us) return;
          if (g.touches >= 0 && Touches(slot) != (g.touches == 1)) return;
          if (index_.summaries_[slot].objective_keys & skip) return;
          visit(slot);
        });
      }
    } else {
      ForEachPosted(index_.by_country_[g.country], [&](uint32_t slot) {
        if (index_.summaries_[slot].objective_keys & (exact_keys_ | near_keys_)) return;
        if (!Wants(slot)) visit(slot);
      });
    }
  }

  // The keys of `near` (NearComplementKeys of `key`) by their discount,
  // largest first, in at most three levels (the table has three values).
  static std::array<std::pair<uint32_t, double>, 3> NearLevels(uint32_t key, uint32_t near) {
    std::array<std::pair<uint32_t, double>, 3> levels{};
    for (uint32_t keys = near; keys != 0; keys &= keys - 1) {
      const uint32_t bit = keys & (~keys + 1);
      const double discount = BestNearDiscount(key, bit);
      auto level = std::find_if(levels.begin(), levels.end(), [&](const auto& l) {
        return l.first == 0 || l.second == discount;
      });
      // A fourth value would share the largest level: still a bound.
      if (level == levels.end()) {
        level = std::max_element(levels.begin(), levels.end(),
                                 [](const auto& x, const auto& y) { return x.second < y.second; });
      }
      level->first |= bit;
      level->second = std::max(level->second, discount);
    }
    std::sort(levels.begin(), levels.end(),
              [](const auto& x, const auto& y) { return x.second > y.second; });
    return levels;
  }

  // ValueChainReach with its groups folded as the summaries' are.
  static ChainReach FoldedChainReach(absl::Span<const uint32_t> codes) {
    ChainReach reach = ValueChainReach(codes);
    reach.groups = FoldTradeGroups(reach.groups);
    return reach;
  }

  // Marks in wanting_ the candidates of `country` who want to enter the
  // member's country, once per country: a bit per slot, which stays in cache
  // where each candidate's markets would be a read from memory.
  void MarkWanting(int country) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    if (wanting_.empty()) {
      wanting_.assign((index_.headers_.size() + 63) / 64, 0);
      marked_.assign(index_.tables_->country_count(), false);
    }
    if (marked_[country]) return;
    marked_[country] = true;
    const size_t list =
        static_cast<size_t>(country) * index_.tables_->country_count() + a_.country();
    for (uint32_t slot : index_.by_country_wanted_[list]) {
      wanting_[slot >> 6] |= uint64_t{1} << (slot & 63);
    }
  }
  // REQUIRES: MarkWanting(the slot's country) was called.
  bool Wants(uint32_t slot) const { return (wanting_[slot >> 6] >> (slot & 63)) & 1; }

  // Marks in touching_ the candidates of `country` who name a market one of
  // the member's objectives names (they want it, or offer to it), once per
  // country: for the others, MarketFit with the member's objectives is known
  // from their country.
  void MarkTouching(int country) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    if (touching_.empty()) {
      touching_.assign((index_.headers_.size() + 63) / 64, 0);
      touch_marked_.assign(index_.tables_->country_count(), false);
    }
    if (touch_marked_[country]) return;
    touch_marked_[country] = true;
    const size_t base = static_cast<size_t>(country) * index_.tables_->country_count();
    named_markets_.ForEach([&](int market) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
      for (const auto* lists : {&index_.by_country_wanted_, &index_.by_country_offered_}) {
        for (uint32_t slot : (*lists)[base + market]) {
          touching_[slot >> 6] |= uint64_t{1} << (slot & 63);
        }
      }
    });
  }
  // REQUIRES: MarkTouching(the slot's country) was called.
  bool Touches(uint32_t slot) const { return (touching_[slot >> 6] >> (slot & 63)) & 1; }

  // market_terms_: per country and objective of the member, 0.4 + 0.6 *
  // MarketFit for a candidate of that country who names none of the
  // objective's markets (1 where the objective names none, or the country).
  void PrepareMarketTerms() {
    const ScoringTables& tables = *index_.tables_;
    const size_t n = a_objectives_.size();
    market_terms_ones_.assign(n, 1.0);
    market_terms_.assign(static_cast<size_t>(tables.country_count()) * n, 1.0);
    for (int c = 0; c < tables.country_count(); ++c) {
      const uint64_t subregion = tables.SubregionBit(c);
      const uint64_t region = tables.RegionBit(c);
      for (size_t i = 0; i < n; ++i) {
        const CountrySet& markets = a_objectives_[i].markets;
        if (markets.Empty() || markets.Has(c)) continue;
        double fit = 0;
        markets.ForEach([&](int m) {
          if (subregion != 0 && tables.SubregionBit(m) == subregion) {
            fit = std::max(fit, 0.6);
          } else if (region != 0 && tables.RegionBit(m) == region) {
            fit = std::max(fit, 0.3);
          }
        });
        market_terms_[static_cast<size_t>(c) * n + i] = 0.4 + 0.6 * fit;
      }
    }
  }

  Tier TierOf(uint32_t objective_keys) const {
    return (objective_keys & exact_keys_)  ? Tier::kExact
           : (objective_keys & near_keys_) ? Tier::kNear
                                           : Tier::kNone;
  }

  // A candidate's loose factors and its side of the bound with them.
  struct Bound {
    LooseFactors loose;
    double forward;   // without market, size and freshness
    double backward;  // without market and size
  };

  // Whether the candidate of group `g` with summary `b` may enter the full
  // top k by the bound from its summary and the group's market, size and
  // freshness bounds; `*out` receives its side of the bound.
  bool MayEnterLoosely(const Group& g, const BoundSummary& b, Bound* out) const {
    const LooseFactors& loose = out->loose = Loose(b, g.market_terms);
    const bool may_share = (b.language_bloom & a_.header().language_bloom) != 0;
    out->forward = w_[kObjective] * loose.objective_forward + w_[kMarket] * g.market_forward +
                   w_[kSector] * loose.sector_forward +
                   w_[kCulture] * (may_share ? g.culture_forward : g.culture_forward_apart) +
                   w_[kText] * loose.text_forward;
    out->backward = w_[kObjective] * loose.objective_backward +
                    w_[kSector] * loose.sector_backward +
                    w_[kCulture] * (may_share ? g.culture_backward : g.culture_backward_apart) +
                    w_[kText] * loose.text_backward + w_[kFreshness] * freshness_of_a_;
    return Reciprocal(out->forward + w_[kSize] + w_[kFreshness],
                      out->backward + w_[kMarket] * (g.wants_us ? 1 : 0.6) + w_[kSize]) >=
           Threshold();
  }

  // The same bound with the candidate's market, size and freshness exact.
  bool MayEnter(uint32_t slot, const Bound& bound) const ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const FeatureView b = index_.ViewOf(slot);
    const double size = SizeScore(a_, b);
    const double forward =
        bound.forward + w_[kSize] * size + w_[kFreshness] * FreshnessScore(context_.today, b);
    const double backward = bound.backward +
                            w_[kMarket] * MarketScore(*index_.tables_, b, a_.country()) +
                            w_[kSize] * size;
    return Reciprocal(forward, backward) >= Threshold();
  }

  // ObjectiveScore's sector part (0.15 + 0.85 * sector fit) for the
  // member's objective x with a candidate whose sectors of interest are
  // `interest` (and their trade groups `groups`): 1 for a shared division,
  // less for a value-chain pair or a shared section.
  static double ObjectiveSectorValue(const AObjective& x, const DivisionSet& interest,
                                     uint16_t groups) {
    return x.any_sector || x.divisions.Intersects(interest) ? 1
           : x.chain.Reaches(interest, groups)              ? kChainSector
           : x.sections.Intersects(interest)                ? kNearSector
                                                            : 0.15;
  }
  // The same from the candidate's side, for all of the member's sectors.
  double BackwardObjectiveValue(const DivisionSet& interest, uint16_t groups, uint8_t flags) const {
    return (flags & kObjectiveWithoutSectors) || interest.Intersects(a_summary_.interest) ? 1
           : a_interest_chain_.Reaches(interest, groups) ? kChainSector
           : interest.Intersects(a_interest_sections_)   ? kNearSector
                                                         : 0.15;
  }
  // SectorScore's bound from the member's side, for a candidate with own
  // sectors `own`. REQUIRES: the member's sectors of interest are not empty.
  double SectorForwardValue(const DivisionSet& own, uint16_t groups) const {
    return a_summary_.interest.Intersects(own)      ? 1
           : a_interest_chain_.Reaches(own, groups) ? kValueChainSimilarity
           : a_interest_sections_.Intersects(own)   ? 0.25
                                                    : 0;
  }
  // ... and from the candidate's side. REQUIRES: the member has sectors.
  double SectorBackwardValue(const DivisionSet& interest, uint16_t groups) const {
    return interest.Intersects(a_summary_.own)      ? 1
           : a_own_chain_.Reaches(interest, groups) ? kValueChainSimilarity
           : interest.Intersects(a_own_sections_)   ? 0.25
                                                    : 0;
  }
  // The objective's sector part with the group's bound of its market part.
  static double WithMarket(double value, double market_term) {
    return market_term < 1 ? 0.15 + (value - 0.15) * market_term : value;
  }

  // The objective factor's bounds both ways, into `f`, for candidates whose
  // sectors of interest are in `interest` (with `groups` and `flags`), where
  // discount_of(x) is the largest discount of a pair they can make with the
  // member's objective x (0: none) and the same both ways.
  template <typename DiscountOf>
  void ObjectiveBounds(DiscountOf&& discount_of, const DivisionSet& interest, uint16_t groups,
                       uint8_t flags, const double* market_terms, LooseFactors* f) const {
    double discount_bound = 0;
    for (size_t o = 0; o < a_objectives_.size(); ++o) {
      const AObjective& x = a_objectives_[o];
      const double discount = discount_of(x);
      if (discount == 0) continue;
      const double value = WithMarket(ObjectiveSectorValue(x, interest, groups), market_terms[o]);
      f->objective_forward = std::max(f->objective_forward, discount * value);
      discount_bound = std::max(discount_bound, discount);
    }
    if (f->objective_forward > 0) {
      f->objective_backward = discount_bound * BackwardObjectiveValue(interest, groups, flags);
    }
  }

  // The candidate's loose factors, from its summary `b`, in a group whose
  // market-fit bounds are `market_terms`.
  LooseFactors Loose(const BoundSummary& b, const double* market_terms) const {
    LooseFactors f{};
    ObjectiveBounds(
        [&b](const AObjective& x) {
          if (x.complement & b.objective_keys) return 1.0;
          for (const auto& [keys, discount] : x.near_levels) {
            if (keys & b.objective_keys) return discount;
          }
          return 0.0;
        },
        b.interest, b.interest_groups, b.flags, market_terms, &f);
    // Text first: where sectors cannot judge, SectorFactor takes the text
    // score (bounded by text_forward) unless a's notes have no words.
    const absl::Span<const uint32_t> query = a_.query_terms();
    if (query.empty()) {
      f.text_forward = 0.5;
    } else {
      int hits = 0;
      for (uint64_t layer : query_layers_) hits += __builtin_popcountll(b.doc_bloom & layer);
      f.text_forward = hits * per_query_term_;
    }
    f.text_backward = (b.flags & kSummaryNoQueryTerms)         ? 0.5
                      : (b.query_bloom & a_summary_.doc_bloom) ? 1
                                                               : 0;
    if ((b.flags & kSummaryNoSectors) || a_summary_.interest.Empty()) {
      f.sector_forward = query.empty() ? 0.5 : f.text_forward;
    } else {
      f.sector_forward = SectorForwardValue(b.own, b.own_groups);
    }
    if (a_.header().n_sectors == 0 || b.interest.Empty()) {
      f.sector_backward = (b.flags & kSummaryNoQueryTerms) ? 0.5 : f.text_backward;
    } else {
      f.sector_backward = SectorBackwardValue(b.interest, b.interest_groups);
    }
    return f;
  }

  // Bounds of the objective and sector factors of every candidate whose
  // summary is in `u`, of `tier`, in a group with `market_terms`: Loose's
  // branches, each taken where any of the candidates could take it.
  LooseFactors GroupMaxima(const SummaryUnion& u, Tier tier, const double* market_terms) const {
    LooseFactors m{};
    const double text_forward = a_.query_terms().empty() ? 0.5 : 1;
    if (tier != Tier::kNone) {
      ObjectiveBounds(
          [tier](const AObjective& x) {
            return tier == Tier::kExact ? x.exact_discount : x.near_discount;
          },
          u.interest, u.interest_groups, u.flags, market_terms, &m);
    }
    const bool some_without_sectors = (u.flags & kSummaryNoSectors) != 0;
    if (some_without_sectors || a_summary_.interest.Empty()) m.sector_forward = text_forward;
    if (!a_summary_.interest.Empty()) {
      m.sector_forward = std::max(m.sector_forward, SectorForwardValue(u.own, u.own_groups));
    }
    if (a_.header().n_sectors == 0 || some_without_sectors) {
      m.sector_backward = 1;
    } else {
      m.sector_backward = SectorBackwardValue(u.interest, u.interest_groups);
    }
    return m;
  }

  // Hard filters on the header alone.
  bool PassesHeader(uint32_t slot) const ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const ProfileHeader& h = index_.headers_[slot];
    const PartnerFilters& f = query_.filters;
    if (!Visible(a_.header(), h, query_.staff_view, query_.now_seconds)) return false;
    if (f.exclude_own_chamber && h.chamber == a_.header().chamber) return false;
    if (type_filter_ != 0 && (h.objective_keys & type_filter_) == 0) return false;
    if (f.min_employees != 0 && h.employees < f.min_employees) return false;
    if (f.max_employees != 0 && (h.employees == 0 || h.employees > f.max_employees)) return false;
    return !excluded_.contains(slot);
  }

  // Hard filters that read the words.
  bool PassesWords(const FeatureView& b) const {
    const PartnerFilters& f = query_.filters;
    if (!f.sectors.empty()) {
      bool any = false;
      for (SectorCode want : f.sectors) {
        for (uint32_t have : b.sectors()) {
          any |= CommonSectorLevels(want, have) == SectorLevel(want);
        }
      }
      if (!any) return false;
    }
    if (!f.languages.empty()) {
      bool any = false;
      for (uint32_t want : f.languages) {
        any |= std::find(b.languages().begin(), b.languages().end(), want) != b.languages().end();
      }
      if (!any) return false;
    }
    return true;
  }

  // Calls visit(slot) for each slot of a posting list. The records of the
  // candidate a few places ahead are fetched meanwhile: the loop is bound by
  // memory, since postings are scattered over the record arrays, and most
  // candidates are skipped on their summary alone.
  template <typename Visit>
  void ForEachPosted(const std::vector<uint32_t>& posting, Visit&& visit)
      ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    constexpr size_t kAhead = 12;
    const size_t n = posting.size();
    postings_read_ += static_cast<int64_t>(n);
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {
        const uint32_t ahead = posting[i + kAhead];
        __builtin_prefetch(&index_.summaries_[ahead]);
      }
      visit(posting[i]);
    }
  }

  bool Full() const { return static_cast<int>(heap_.size()) == query_.k; }
  double Threshold() const { return heap_.front().first - kBoundSlack; }

  // x ranks before y: higher score, then smaller id.
  bool Better(const std::pair<double, uint32_t>& x,
              const std::pair<double, uint32_t>& y) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (x.first != y.first) return x.first > y.first;
    return index_.slots_[x.second].id_view() < index_.slots_[y.second].id_view();
  }

  void Offer(double score, uint32_t slot) {
    const std::pair<double, uint32_t> entry(score, slot);
    auto better = [this](const auto& x, const auto& y) { return Better(x, y); };
    if (!Full()) {
      heap_.push_back(entry);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (Better(entry, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = entry;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }

  // Scores the candidate fully and offers it.
  // Scores the candidate fully and offers it. With `loose` (its loose
  // factors, when the heap is full) the objective factor, the dearest, is
  // computed last, and not at all when the other factors exact and the
  // objective's loose bound cannot enter the top k.
  void Score(uint32_t slot, const LooseFactors* loose = nullptr)
      ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const FeatureView b = index_.ViewOf(slot);
    if (!PassesWords(b)) return;
    PairScore s;
    ScoreExceptObjective(context_, a_, b, &s);
    if (loose != nullptr) {
      s.forward[kObjective] = loose->objective_forward;
      s.backward[kObjective] = loose->objective_backward;
      if (Reciprocal(WeightedSum(context_.weights, s.forward),
                     WeightedSum(context_.weights, s.backward)) < Threshold()) {
        return;
      }
    }
    ++scored_;
    FinishPairScore(context_, a_, b, &s);
    Offer(s.score, slot);
  }

  const MatchIndex& index_;
  const PartnerQuery& query_;
  const FeatureView a_;
  const ScoreContext context_;
  const std::array<double, kFactorCount>& w_;
  BoundSummary a_summary_;
  DivisionSet a_own_sections_;
  DivisionSet a_interest_sections_;
  ChainReach a_own_chain_;       // of a's own sectors
  ChainReach a_interest_chain_;  // ... and of its objectives' sectors
  std::vector<uint64_t> query_layers_;
  double per_query_term_ = 0;  // 1 / a's query terms
  std::vector<AObjective> a_objectives_;
  uint32_t exact_keys_ = 0;   // keys complementing one of the member's
  uint32_t near_keys_ = 0;    // keys near one of the member's, not in exact_keys_
  absl::flat_hash_set<uint32_t> excluded_;
  uint32_t type_filter_ = 0;
  double freshness_of_a_ = 0;
  std::vector<std::pair<double, uint32_t>> heap_;
  int64_t scored_ = 0;
  int64_t postings_read_ = 0;
  int64_t bounded_ = 0;
  std::vector<uint64_t> wanting_;  // MarkWanting's bits, by slot
  std::vector<bool> marked_;       // by country: marked in wanting_
  CountrySet named_markets_;       // named by any of the member's objectives
  std::vector<double> market_terms_;       // PrepareMarketTerms
  std::vector<double> market_terms_ones_;  // 1 per objective
  std::vector<uint64_t> touching_;         // MarkTouching's bits, by slot
  std::vector<bool> touch_marked_;         // by country: marked in touching_
};

PartnerResult MatchIndex::Describe(const Subject& subject, const PartnerQuery& query,
                                   const std::vector<std::pair<double, uint32_t>>& top,
                                   int64_t scored) const {
  const ScoreContext context{tables_.get(), query.weights, DayOf(query.now_seconds)};
  auto word_of = [&](uint32_t hash) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (subject.probe) {
      for (const Term& term : subject.probe->query_words) {
        if (TermHash(term.stem) == hash) return term.word;
      }
    }
    return WordOf(hash);
  };
  PartnerResult result;
  result.candidates_scored = scored;
  for (const auto& [score, slot] : top) {
    const Slot& s = slots_[slot];
    socio::v1::Match match =
        DescribeMatch(context, subject.view(), ViewOf(slot),
                      {s.id_view(), s.name_view(), chambers_[headers_[slot].chamber]}, word_of,
                      query.subject, query.detail);
    match.set_rank(static_cast<int>(result.matches.size()) + 1);
    result.matches.push_back(std::move(match));
  }
  return result;
}

absl::StatusOr<PartnerResult> MatchIndex::FindPartners(const PartnerQuery& query) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<Subject> subject = SubjectOf(query);
  if (!subject.ok()) return subject.status();
  Search search(*this, *subject, query);
  search.Run();
  PartnerResult result = Describe(*subject, query, search.Ranked(), search.scored());
  result.postings_read = search.postings_read();
  result.candidates_bounded = search.bounded();
  return result;
}

absl::StatusOr<PartnerResult> MatchIndex::FindPartnersBruteForce(const PartnerQuery& query) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<Subject> subject = SubjectOf(query);
  if (!subject.ok()) return subject.status();
  Search search(*this, *subject, query);
  search.RunBruteForce();
  return Describe(*subject, query, search.Ranked(), search.scored());
}

absl::StatusOr<std::vector<double>> MatchIndex::PairScores(const std::vector<std::string>& a_ids,
                                                           const std::vector<std::string>& b_ids,
                                                           const Weights& weights,
                                                           int64_t now_seconds) const {
  absl::ReaderMutexLock lock(&mu_);
  auto slots_of = [&](const std::vector<std::string>& ids, std::vector<uint32_t>* slots)
                      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
                        for (const std::string& id : ids) {
                          auto it = by_id_.find(id);
                          if (it == by_id_.end())
                            return absl::NotFoundError(absl::StrCat("no profile '", id, "'"));
                          slots->push_back(it->second);
                        }
                        return absl::OkStatus();
                      };
  std::vector<uint32_t> a_slots, b_slots;
  if (absl::Status s = slots_of(a_ids, &a_slots); !s.ok()) return s;
  if (absl::Status s = slots_of(b_ids, &b_slots); !s.ok()) return s;
  const ScoreContext context{tables_.get(), weights, DayOf(now_seconds)};
  std::vector<double> scores;
  scores.reserve(a_slots.size() * b_slots.size());
  for (uint32_t a : a_slots) {
    const FeatureView a_view = ViewOf(a);
    for (uint32_t b : b_slots) {
      scores.push_back(a == b ? 0 : ScorePair(context, a_view, ViewOf(b)).score);
    }
  }
  return scores;
}

std::vector<std::optional<PairScore>> MatchIndex::ScoreEachPair(
    const std::vector<std::pair<std::string, std::string>>& pairs, const Weights& weights,
    int64_t now_seconds) const {
  absl::ReaderMutexLock lock(&mu_);
  const ScoreContext context{tables_.get(), weights, DayOf(now_seconds)};
  std::vector<std::optional<PairScore>> scores;
  scores.reserve(pairs.size());
  for (const auto& [a_id, b_id] : pairs) {
    auto a = by_id_.find(a_id);
    auto b = by_id_.find(b_id);
    if (a == by_id_.end() || b == by_id_.end() || a->second == b->second) {
      scores.emplace_back();
      continue;
    }
    scores.emplace_back(ScorePair(context, ViewOf(a->second), ViewOf(b->second)));
  }
  return scores;
}

absl::StatusOr<socio::v1::Match> MatchIndex::Explain(absl::string_view a_id, absl::string_view b_id,
                                                     const Weights& weights, int64_t now_seconds,
                                                     bool staff_view,
                                                     absl::string_view subject_name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto a = by_id_.find(a_id);
  if (a == by_id_.end()) return absl::NotFoundError(absl::StrCat("a_id: no profile '", a_id, "'"));
  auto b = by_id_.find(b_id);
  if (b == by_id_.end() || a->second == b->second ||
      !Visible(headers_[a->second], headers_[b->second], staff_view, now_seconds)) {
    return absl::NotFoundError(
        absl::StrCat("b_id: no profile '", b_id, "' visible to '", a_id, "'"));
  }
  Subject subject;
  subject.slot = a->second;
  subject.stored = ViewOf(a->second);
  PartnerQuery query;
  query.weights = weights;
  query.now_seconds = now_seconds;
  query.subject = std::string(subject_name);
  PartnerResult result = Describe(subject, query, {{0.0, b->second}}, 1);
  socio::v1::Match match = std::move(result.matches.front());
  match.clear_rank();
  return match;
}

}  // namespace socio::matcher
