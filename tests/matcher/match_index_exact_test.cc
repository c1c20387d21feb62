// FindPartners' pruning is exact: on thousands of random queries over
// generated members it returns what scoring every profile returns, partner
// for partner and score for score.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/profile_generator.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/reference.h"

namespace socio::matcher {
namespace {

using socio::v1::Objective;
using socio::v1::Profile;

constexpr int kProfiles = 2500;
constexpr int kShards = 8;
constexpr int kQueriesPerShard = 1250;  // 10,000 in all, a quarter on each Layout
constexpr int64_t kNow = 1795000000;    // 2026-11-18

// Generated members with the variety real data has: every visibility, some
// expired, update times over three years, a few identical twins (ties), and
// the objective types the generator leaves out (SEEK of MANUFACTURING and
// LICENSING), so every kind of near-type pair occurs.
// How the index came to hold the corpus.
enum class Layout {
  kFresh,      // one UpsertMany
  kChurned,    // then members' edits, removals and new members, one at a time
  kTightened,  // ... and then TightenUnions()
  kClustered,  // ... or Cluster()
};

class Corpus {
 public:
  explicit Corpus(Layout layout)
      : tables_(std::make_shared<ScoringTables>(testing::TestReference())), index_(tables_) {
    bench::ProfileGenerator generator({.seed = 11});
    std::mt19937_64 random(5);
    for (int i = 0; i < kProfiles; ++i) {
      Profile p = generator.Next();
      if (i % 97 == 5 && !profiles_.empty()) {  // a twin of the one before, under a new id
        const std::string id = p.id();
        p = profiles_.back();
        p.set_id(absl::StrCat(id, "-twin"));
      }
      if (i % 41 == 7) {  // a brand that has its products made: no generated role does
        Objective* o = p.add_objectives();
        o->set_type(Objective::MANUFACTURING);
        o->set_direction(Objective::SEEK);
        *o->mutable_sectors() = p.sectors();
      }
      if (i % 43 == 9) {  // and one that takes licences
        Objective* o = p.add_objectives();
        o->set_type(Objective::LICENSING);
        o->set_direction(Objective::SEEK);
      }
      if (i % 37 == 11 && p.objectives_size() > 0) {
        // Intent written only in words: the objective's sectors and markets
        // are read from its note or, for some, from the description.
        static constexpr const char* kNotes[] = {
            "Buscamos distribuidor de aceite de oliva en Alemania",
            "Suchen Importeur für Bio-Tee in Kanada",
            "procuramos importador de vinhos na América do Sul",
            "Nous cherchons un distributeur de fromages à Chicago",
            "Cerchiamo un agente per i nostri mobili in Baviera",
            "Seeking distributors for our bicycles across Asia",
        };
        Objective* o = p.mutable_objectives(0);
        o->clear_sectors();
        o->clear_markets();
        o->set_note(kNotes[(i / 37) % std::size(kNotes)]);
        if (i % 74 == 11) {
          o->set_note("");
          p.clear_sectors();
          p.clear_target_markets();
          p.set_description(absl::StrCat(kNotes[(i / 74) % std::size(kNotes)], "."));
        }
      }
      p.set_version(1);
      p.mutable_update_time()->set_seconds(kNow -
                                           static_cast<int64_t>(random() % (3 * 365)) * 86400);
      if (random() % 20 == 0) p.mutable_valid_until()->set_seconds(kNow - 86400);
      if (random() % 20 == 1) p.mutable_valid_until()->set_seconds(kNow + 86400);
      profiles_.push_back(p);
    }
    index_.UpsertMany(profiles_, 2);
    if (layout != Layout::kFresh) Churn(generator);
    if (layout == Layout::kTightened) index_.TightenUnions();
    if (layout == Layout::kClustered) index_.Cluster();
  }

  // Edits half of the profiles as members do (a quarter take the
  // objectives, sectors and markets of another profile, every other one
  // also its country; a quarter only other sectors), removes some and adds new members in their
  // place: the postings and the unions the search bounds groups by then hold what Upsert and Remove
  // leave behind.
  void Churn(bench::ProfileGenerator& generator) {
    const size_t n = profiles_.size();
    std::vector<Profile> live;
    for (size_t i = 0; i < n; ++i) {
      Profile p = profiles_[i];
      if (i % 23 == 3) {
        index_.Remove(p.id());
        continue;
      }
      if (i % 4 == 1) {
        const Profile& other = profiles_[(i * 7 + 3) % n];
        *p.mutable_objectives() = other.objectives();
        *p.mutable_sectors() = other.sectors();
        *p.mutable_target_markets() = other.target_markets();
        if (i % 8 == 1) p.set_country(other.country());
        p.set_version(2);
        index_.Upsert(p);
      } else if (i % 4 == 2) {  // the same objectives and markets, other sectors
        const Profile& other = profiles_[(i * 11 + 5) % n];
        *p.mutable_sectors() = other.sectors();
        for (Objective& o : *p.mutable_objectives()) {
          if (o.sectors().empty()) continue;
          *o.mutable_sectors() = other.sectors();
        }
        p.set_version(2);
        index_.Upsert(p);
      }
      live.push_back(std::move(p));
    }
    for (int i = 0; i < 60; ++i) {
      Profile p = generator.Next();
      p.set_version(1);
      p.mutable_update_time()->set_seconds(kNow - i * 86400);
      index_.Upsert(p);
      live.push_back(std::move(p));
    }
    profiles_ = std::move(live);
  }

  const std::vector<Profile>& profiles() const { return profiles_; }
  const ScoringTables& tables() const { return *tables_; }
  const MatchIndex& index() const { return index_; }

 private:
  std::shared_ptr<ScoringTables> tables_;
  std::vector<Profile> profiles_;
  MatchIndex index_;
};

const Corpus& SharedCorpus(Layout layout = Layout::kFresh) {
  static const Corpus* corpora[4] = {};
  const Corpus*& corpus = corpora[static_cast<int>(layout)];
  if (corpus == nullptr) corpus = new Corpus(layout);
  return *corpus;
}

// A random query: sometimes default weights and no filters (the common case),
// sometimes odd weights, filters, probes and staff views.
PartnerQuery RandomQuery(const Corpus& corpus, std::mt19937_64& random, Profile* probe) {
  const std::vector<Profile>& profiles = corpus.profiles();
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  PartnerQuery q;
  q.now_seconds = kNow;
  static constexpr int kKs[] = {1, 3, 5, 20, 20, 20, 100};
  q.k = kKs[pick(7)];
  socio::v1::FactorWeights w = DefaultFactorWeights();
  if (pick(3) == 0) {
    w.set_objective(pick(4) * 0.5);
    w.set_market(pick(4) * 0.5);
    w.set_sector(pick(3) * 0.25);
    w.set_culture(pick(3) * 0.25);
    w.set_text(pick(3) * 0.3);
    w.set_size(pick(2) * 0.1);
    w.set_freshness(pick(2) * 0.1 + 0.01);
  }
  q.weights = *NormalizeWeights(w, "weights");
  const Profile& member = profiles[pick(profiles.size())];
  if (pick(10) == 0) {
    *probe = member;
    probe->set_id(pick(2) == 0 ? "" : member.id());
    probe->clear_update_time();
    q.probe = probe;
  } else {
    q.member_id = member.id();
  }
  q.staff_view = pick(5) == 0;
  if (pick(4) == 0) {
    const reference::CountryCatalog& catalog = corpus.tables().reference().countries();
    CountrySet countries;
    for (int i = 0, n = 1 + static_cast<int>(pick(3)); i < n; ++i) {
      countries.Add(catalog.Index(profiles[pick(profiles.size())].country()));
    }
    q.filters.countries = countries;
  }
  if (pick(6) == 0) {
    const int type = 1 + static_cast<int>(pick(Objective::Type_MAX));
    q.filters.type_keys = ObjectiveKey(type, 1);
  }
  if (pick(8) == 0) q.filters.min_employees = static_cast<uint32_t>(pick(200));
  if (pick(8) == 0) q.filters.max_employees = static_cast<uint32_t>(50 + pick(5000));
  if (pick(8) == 0) {
    const reference::NaceCatalog& nace = corpus.tables().reference().sectors();
    static constexpr const char* kSectors[] = {"C", "10", "46", "62", "28.4", "46.3", "G"};
    q.filters.sectors.push_back(PackSector(nace, kSectors[pick(7)]));
  }
  if (pick(8) == 0) q.filters.languages.push_back(LanguageWord(pick(2) ? "en" : "de"));
  if (pick(5) == 0) {
    for (int i = 0; i < 3; ++i)
      q.filters.exclude_ids.push_back(profiles[pick(profiles.size())].id());
  }
  q.filters.exclude_own_chamber = pick(4) == 0;
  return q;
}

class ExactnessTest : public ::testing::TestWithParam<int> {};

TEST_P(ExactnessTest, PrunedSearchEqualsBruteForce) {
  const Corpus& corpus = SharedCorpus(static_cast<Layout>(GetParam() % 4));
  std::mt19937_64 random(1000 + GetParam());
  int64_t pruned_scored = 0, brute_scored = 0;
  for (int i = 0; i < kQueriesPerShard; ++i) {
    Profile probe;
    const PartnerQuery query = RandomQuery(corpus, random, &probe);
    absl::StatusOr<PartnerResult> pruned = corpus.index().FindPartners(query);
    absl::StatusOr<PartnerResult> brute = corpus.index().FindPartnersBruteForce(query);
    ASSERT_TRUE(pruned.ok()) << pruned.status();
    ASSERT_TRUE(brute.ok()) << brute.status();
    ASSERT_EQ(pruned->matches.size(), brute->matches.size()) << "query " << i;
    for (size_t r = 0; r < brute->matches.size(); ++r) {
      ASSERT_EQ(pruned->matches[r].partner_id(), brute->matches[r].partner_id())
          << "query " << i << " rank " << r + 1 << " member " << query.member_id;
      ASSERT_EQ(pruned->matches[r].score(), brute->matches[r].score());
    }
    pruned_scored += pruned->candidates_scored;
    brute_scored += brute->candidates_scored;
    // The work figures socio-bench-match reports: every candidate scored in
    // full was bounded first once the top k filled, and the brute force
    // reads no posting list.
    EXPECT_GE(pruned->candidates_bounded + query.k, pruned->candidates_scored) << "query " << i;
    EXPECT_GE(pruned->postings_read, pruned->candidates_bounded) << "query " << i;
    EXPECT_EQ(brute->postings_read, 0);
    EXPECT_EQ(brute->candidates_bounded, 0);
  }
  // The bounds must also earn their keep.
  EXPECT_LT(pruned_scored * 2, brute_scored);
}

INSTANTIATE_TEST_SUITE_P(Shards, ExactnessTest, ::testing::Range(0, kShards));

// FindPartnersRequest.BASIC: the same partners, ranks and scores as FULL,
// no factors, and FULL's first (strongest) reason only.
TEST(MatchDetailTest, BasicIsFullsPartnersScoresAndStrongestReason) {
  const Corpus& corpus = SharedCorpus(Layout::kFresh);
  std::mt19937_64 random(77);
  int reasons_compared = 0;
  for (int i = 0; i < 300; ++i) {
    Profile probe;
    PartnerQuery query = RandomQuery(corpus, random, &probe);
    query.detail = MatchDetail::kFull;
    absl::StatusOr<PartnerResult> full = corpus.index().FindPartners(query);
    query.detail = MatchDetail::kBasic;
    absl::StatusOr<PartnerResult> basic = corpus.index().FindPartners(query);
    ASSERT_TRUE(full.ok()) << full.status();
    ASSERT_TRUE(basic.ok()) << basic.status();
    ASSERT_EQ(basic->matches.size(), full->matches.size()) << "query " << i;
    for (size_t r = 0; r < full->matches.size(); ++r) {
      const socio::v1::Match& f = full->matches[r];
      const socio::v1::Match& b = basic->matches[r];
      ASSERT_EQ(b.partner_id(), f.partner_id());
      ASSERT_EQ(b.rank(), f.rank());
      ASSERT_EQ(b.score(), f.score());
      ASSERT_EQ(b.forward_score(), f.forward_score());
      ASSERT_EQ(b.backward_score(), f.backward_score());
      ASSERT_EQ(b.partner_name(), f.partner_name());
      ASSERT_EQ(b.partner_country(), f.partner_country());
      ASSERT_EQ(b.partner_sectors_size(), f.partner_sectors_size());
      ASSERT_EQ(b.factors_size(), 0);
      ASSERT_EQ(f.factors_size(), 7);
      ASSERT_EQ(b.reasons_size(), std::min(1, f.reasons_size())) << f.ShortDebugString();
      if (f.reasons_size() > 0) {
        ASSERT_EQ(b.reasons(0), f.reasons(0));
        ++reasons_compared;
      }
    }
  }
  EXPECT_GT(reasons_compared, 1000);
}

// The corpus holds objectives whose sectors and markets were read from a
// note and from a description, so the queries above test their bounds too.
TEST(ExactnessCorpusTest, HoldsSectorsAndMarketsReadFromText) {
  int sources[3][3] = {};  // [sectors_from][markets_from]
  for (const Profile& p : SharedCorpus().profiles()) {
    const Features f = ExtractFeatures(p, SharedCorpus().tables(), 0);
    f.view().ForEachObjective([&](const ObjectiveView& o) {
      ++sources[static_cast<int>(o.sectors_from)][static_cast<int>(o.markets_from)];
    });
  }
  EXPECT_GT(sources[static_cast<int>(Source::kNote)][static_cast<int>(Source::kNote)], 5);
  EXPECT_GT(sources[static_cast<int>(Source::kDescription)][static_cast<int>(Source::kDescription)],
            2);
}

// The corpus holds both sides of every kind of neighbouring deal types, so
// the queries above test their posting and bounds too.
TEST(ExactnessCorpusTest, HoldsBothSidesOfEveryNearTypePair) {
  uint32_t keys = 0;
  for (const Profile& p : SharedCorpus().profiles()) {
    for (const Objective& o : p.objectives()) keys |= ObjectiveKey(o.type(), o.direction());
  }
  const std::pair<uint32_t, uint32_t> near[] = {
      {ObjectiveKey(Objective::DISTRIBUTION, Objective::SEEK),
       ObjectiveKey(Objective::AGENCY, Objective::OFFER)},
      {ObjectiveKey(Objective::AGENCY, Objective::SEEK),
       ObjectiveKey(Objective::DISTRIBUTION, Objective::OFFER)},
      {ObjectiveKey(Objective::DISTRIBUTION, Objective::SEEK),
       ObjectiveKey(Objective::SUPPLY, Objective::OFFER)},
      {ObjectiveKey(Objective::SUPPLY, Objective::SEEK),
       ObjectiveKey(Objective::DISTRIBUTION, Objective::OFFER)},
      {ObjectiveKey(Objective::MANUFACTURING, Objective::SEEK),
       ObjectiveKey(Objective::SUPPLY, Objective::OFFER)},
      {ObjectiveKey(Objective::SUPPLY, Objective::SEEK),
       ObjectiveKey(Objective::MANUFACTURING, Objective::OFFER)},
      {ObjectiveKey(Objective::LICENSING, Objective::OFFER),
       ObjectiveKey(Objective::TECHNICAL_COOPERATION, Objective::DIRECTION_UNSPECIFIED)},
  };
  for (const auto& [x, y] : near) {
    EXPECT_NE(NearComplementKeys(x) & y, 0u);
    EXPECT_NE(keys & x, 0u) << x;
    EXPECT_NE(keys & y, 0u) << y;
  }
}

}  // namespace
}  // namespace socio::matcher
