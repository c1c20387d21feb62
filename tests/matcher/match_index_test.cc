// What a search may see and how the index follows writes.
#include "matcher/match_index.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::matcher {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::v1::Profile;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kNow = 1795000000;

// A Mexican food maker seeking US distribution, and distributors in the US
// that could serve it, each with the visibility and validity given.
class MatchIndexTest : public ::testing::Test {
 protected:
  MatchIndexTest() : index_(std::make_shared<ScoringTables>(socio::testing::TestReference())) {
    query_.member_id = "maker";
    query_.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
    query_.now_seconds = kNow;
    Put(Maker("maker", "canaco"));
  }

  static Profile Maker(const std::string& id, const std::string& chamber) {
    return Parse(absl::StrCat(R"({"id": ")", id, R"(", "chamberId": ")", chamber,
                              R"(", "name": "Salsas", "country": "MX",
            "sectors": ["10.84"], "languages": ["es"], "visibility": "FEDERATION",
            "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.3"],
                            "markets": ["US"], "note": "Food distributor"}],
            "targetMarkets": ["US"], "version": 1})"));
  }
  static Profile Distributor(const std::string& id, const std::string& chamber,
                             const std::string& visibility) {
    return Parse(absl::StrCat(R"({"id": ")", id, R"(", "chamberId": ")", chamber,
                              R"(", "name": "Foods ", "country": "US",
            "sectors": ["46.38"], "languages": ["en"], "visibility": ")",
                              visibility, R"(",
            "description": "Food distributor in Texas",
            "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "markets": ["US"]}],
            "targetMarkets": ["MX"], "version": 1})"));
  }
  static Profile Parse(const std::string& json) {
    Profile p;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &p).ok()) << json;
    return p;
  }
  void Put(const Profile& p) { index_.Upsert(p); }

  std::vector<std::string> Partners(const PartnerQuery& query) {
    absl::StatusOr<PartnerResult> result = index_.FindPartners(query);
    EXPECT_TRUE(result.ok()) << result.status();
    std::vector<std::string> ids;
    if (result.ok()) {
      for (const socio::v1::Match& m : result->matches) ids.push_back(m.partner_id());
    }
    return ids;
  }

  // `relayout` (TightenUnions, Cluster) recomputes what the search reads: the
  // same partners, in the same order with the same scores, before and after,
  // and the index goes on following writes after it.
  void ExpectSamePartnersAcross(const std::function<void()>& relayout) {
    PartnerQuery query = query_;
    for (const char* id : {"d5", "d1", "d4", "d2", "d3"}) {
      Put(Distributor(id, "amcham", "FEDERATION"));
    }
    Profile moved = Distributor("d2", "amcham", "FEDERATION");
    moved.set_version(2);
    moved.set_country("CA");
    Put(moved);
    index_.Remove("d4");  // leaves a free slot behind
    query.k = 10;
    absl::StatusOr<PartnerResult> before = index_.FindPartners(query);
    ASSERT_TRUE(before.ok()) << before.status();
    ASSERT_EQ(before->matches.size(), 4u);

    relayout();
    absl::StatusOr<PartnerResult> after = index_.FindPartners(query);
    ASSERT_TRUE(after.ok()) << after.status();
    ASSERT_EQ(after->matches.size(), before->matches.size());
    for (size_t i = 0; i < before->matches.size(); ++i) {
      EXPECT_EQ(after->matches[i].partner_id(), before->matches[i].partner_id());
      EXPECT_EQ(after->matches[i].score(), before->matches[i].score());
    }
    EXPECT_EQ(index_.size(), 5u);
    EXPECT_FALSE(index_.Contains("d4"));

    Put(Distributor("d6", "amcham", "FEDERATION"));
    index_.Remove("d1");
    Profile hidden = Distributor("d3", "amcham", "PRIVATE");
    hidden.set_version(2);
    Put(hidden);
    EXPECT_THAT(Partners(query), ElementsAre("d5", "d6", "d2"));
    absl::StatusOr<socio::v1::Match> explained = index_.Explain("maker", "d6", query.weights, kNow);
    EXPECT_TRUE(explained.ok()) << explained.status();
  }

  MatchIndex index_;
  PartnerQuery query_;
};

TEST_F(MatchIndexTest, PrivateProfilesNeverReachOtherChambersAndChamberOnlyTheirOwn) {
  Put(Distributor("fed", "amcham", "FEDERATION"));
  Put(Distributor("own-chamber", "canaco", "CHAMBER"));
  Put(Distributor("other-chamber", "amcham", "CHAMBER"));
  Put(Distributor("own-private", "canaco", "PRIVATE"));
  Put(Distributor("other-private", "amcham", "PRIVATE"));
  EXPECT_THAT(Partners(query_), ::testing::UnorderedElementsAre("fed", "own-chamber"));
  query_.staff_view = true;  // the chamber's staff also see their own private members
  EXPECT_THAT(Partners(query_),
              ::testing::UnorderedElementsAre("fed", "own-chamber", "own-private"));
  EXPECT_THAT(index_.Explain("maker", "other-private", query_.weights, kNow),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(MatchIndexTest, ExpiredProfilesAreNotProposed) {
  Profile expired = Distributor("expired", "amcham", "FEDERATION");
  expired.mutable_valid_until()->set_seconds(kNow - 1);
  Profile current = Distributor("current", "amcham", "FEDERATION");
  current.mutable_valid_until()->set_seconds(kNow + 86400);
  Put(expired);
  Put(current);
  EXPECT_THAT(Partners(query_), ElementsAre("current"));
  // Nor explained: an expired partner is as absent as one never stored.
  EXPECT_THAT(index_.Explain("maker", "current", query_.weights, kNow), IsOk());
  absl::Status expired_status = index_.Explain("maker", "expired", query_.weights, kNow).status();
  absl::Status missing_status = index_.Explain("maker", "nobody", query_.weights, kNow).status();
  EXPECT_EQ(expired_status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(expired_status.message(),
            absl::StrReplaceAll(missing_status.message(), {{"nobody", "expired"}}));
}

TEST_F(MatchIndexTest, SearchAndExplanationFollowTheOneRuleOfPartnerVisibility) {
  int n = 0;
  for (const char* chamber : {"canaco", "amcham"}) {
    for (const char* visibility : {"FEDERATION", "CHAMBER", "PRIVATE"}) {
      for (int64_t valid_until : {kNow - 1, kNow + 1}) {
        Profile p = Distributor(absl::StrCat("p-", n++), chamber, visibility);
        p.mutable_valid_until()->set_seconds(valid_until);
        Put(p);
        for (bool staff_view : {false, true}) {
          SCOPED_TRACE(p.ShortDebugString() + (staff_view ? " staff view" : " member view"));
          const bool visible = PartnerVisible(p.visibility(), p.chamber_id() == "canaco",
                                              staff_view, valid_until, kNow);
          query_.staff_view = staff_view;
          query_.filters.exclude_ids.clear();
          for (int other = 0; other < n - 1; ++other) {
            query_.filters.exclude_ids.push_back(absl::StrCat("p-", other));
          }
          EXPECT_EQ(Partners(query_),
                    visible ? std::vector<std::string>{p.id()} : std::vector<std::string>{});
          EXPECT_EQ(index_.Explain("maker", p.id(), query_.weights, kNow, staff_view).ok(),
                    visible);
        }
      }
    }
  }
  // FEDERATION valid for all; CHAMBER of the member's chamber; PRIVATE of it for staff only.
  EXPECT_TRUE(PartnerVisible(Profile::FEDERATION, false, false, kNow + 1, kNow));
  EXPECT_FALSE(PartnerVisible(Profile::FEDERATION, true, true, kNow, kNow));
  EXPECT_FALSE(PartnerVisible(Profile::CHAMBER, false, true, kNow + 1, kNow));
  EXPECT_TRUE(PartnerVisible(Profile::CHAMBER, true, false, kNow + 1, kNow));
  EXPECT_FALSE(PartnerVisible(Profile::PRIVATE, true, false, kNow + 1, kNow));
  EXPECT_TRUE(PartnerVisible(Profile::PRIVATE, true, true, kNow + 1, kNow));
  EXPECT_FALSE(PartnerVisible(Profile::PRIVATE, false, true, kNow + 1, kNow));
}

TEST_F(MatchIndexTest, FollowsUpdatesAndRemovalsAndIgnoresStaleVersions) {
  Put(Distributor("d1", "amcham", "FEDERATION"));
  EXPECT_THAT(Partners(query_), ElementsAre("d1"));

  Profile hidden = Distributor("d1", "amcham", "PRIVATE");
  hidden.set_version(2);
  Put(hidden);
  EXPECT_THAT(Partners(query_), IsEmpty());

  Profile stale = Distributor("d1", "amcham", "FEDERATION");  // version 1 again
  Put(stale);
  EXPECT_THAT(Partners(query_), IsEmpty());

  Profile moved = Distributor("d1", "amcham", "FEDERATION");
  moved.set_version(3);
  moved.set_country("CA");  // a new country: new postings
  Put(moved);
  EXPECT_THAT(Partners(query_), ElementsAre("d1"));

  index_.Remove("d1");
  EXPECT_THAT(Partners(query_), IsEmpty());
  EXPECT_FALSE(index_.Contains("d1"));
  EXPECT_EQ(index_.size(), 1u);
}

TEST_F(MatchIndexTest, TighteningTheUnionsKeepsEveryPartnerAndTheIndexFollowsWrites) {
  ExpectSamePartnersAcross([this] { index_.TightenUnions(); });
}

TEST_F(MatchIndexTest, ClusterKeepsEveryPartnerAndTheIndexFollowsWritesAfterIt) {
  ExpectSamePartnersAcross([this] { index_.Cluster(); });
}

TEST_F(MatchIndexTest, EqualScoresRankByIdAndKCutsTheList) {
  for (const char* id : {"d3", "d1", "d2"}) Put(Distributor(id, "amcham", "FEDERATION"));
  absl::StatusOr<PartnerResult> result = index_.FindPartners(query_);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->matches.size(), 3u);
  EXPECT_EQ(result->matches[0].score(), result->matches[2].score());
  EXPECT_THAT(Partners(query_), ElementsAre("d1", "d2", "d3"));
  EXPECT_EQ(result->matches[0].rank(), 1);
  EXPECT_EQ(result->matches[2].rank(), 3);
  query_.k = 2;
  EXPECT_THAT(Partners(query_), ElementsAre("d1", "d2"));
}

TEST_F(MatchIndexTest, FiltersAndExclusions) {
  Put(Distributor("d1", "amcham", "FEDERATION"));
  Put(Distributor("d2", "canaco", "FEDERATION"));
  query_.filters.exclude_ids = {"d1"};
  EXPECT_THAT(Partners(query_), ElementsAre("d2"));
  query_.filters.exclude_ids.clear();
  query_.filters.exclude_own_chamber = true;
  EXPECT_THAT(Partners(query_), ElementsAre("d1"));
  query_.filters.exclude_own_chamber = false;
  CountrySet germany;
  germany.Add(socio::testing::TestReference()->countries().Index("DE"));
  query_.filters.countries = germany;
  EXPECT_THAT(Partners(query_), IsEmpty());
}

TEST_F(MatchIndexTest, UnknownMemberIsNotFoundAndAProbeNeedsNoId) {
  query_.member_id = "nobody";
  EXPECT_THAT(index_.FindPartners(query_), StatusIs(absl::StatusCode::kNotFound));
  Put(Distributor("d1", "amcham", "FEDERATION"));
  Profile probe = Maker("", "prospect-chamber");
  query_.probe = &probe;
  // The stored maker seeks what the probe seeks: a weak partner, ranked last.
  EXPECT_THAT(Partners(query_), ElementsAre("d1", "maker"));
}

TEST_F(MatchIndexTest, PairScoresAreTheScoresSearchesRankBy) {
  Put(Distributor("us-1", "texas", "FEDERATION"));
  Put(Distributor("us-2", "texas", "PRIVATE"));  // planners may pair it; searches never show it
  Put(Maker("maker-2", "canaco"));
  absl::StatusOr<PartnerResult> found = index_.FindPartners(query_);
  ASSERT_TRUE(found.ok()) << found.status();
  absl::StatusOr<std::vector<double>> scores =
      index_.PairScores({"maker", "maker-2"}, {"us-1", "us-2", "maker"}, query_.weights, kNow);
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 6u);
  ASSERT_FALSE(found->matches.empty());
  EXPECT_EQ(found->matches[0].partner_id(), "us-1");
  EXPECT_DOUBLE_EQ((*scores)[0], found->matches[0].score());
  EXPECT_GT((*scores)[1], 0.5);                  // the private distributor scores like the other
  EXPECT_EQ((*scores)[2], 0);                    // a member with itself
  EXPECT_DOUBLE_EQ((*scores)[3], (*scores)[0]);  // the twin maker
  EXPECT_THAT(
      index_.PairScores({"maker"}, {"nobody"}, query_.weights, kNow),
      socio::testing::StatusIs(absl::StatusCode::kNotFound, ::testing::HasSubstr("nobody")));
}

// What the weight suggester learns from: every factor both ways, the same
// as a search explains them, whatever the partner's visibility.
TEST_F(MatchIndexTest, ScoreEachPairGivesEveryFactorAsSearchesExplainThem) {
  Put(Distributor("us-1", "texas", "FEDERATION"));
  Put(Distributor("us-2", "texas", "PRIVATE"));
  absl::StatusOr<PartnerResult> found = index_.FindPartners(query_);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->matches.empty());
  const socio::v1::Match& best = found->matches[0];
  ASSERT_EQ(best.partner_id(), "us-1");
  const std::vector<std::optional<PairScore>> scores = index_.ScoreEachPair(
      {{"maker", "us-1"}, {"maker", "us-2"}, {"maker", "maker"}, {"maker", "nobody"}},
      query_.weights, kNow);
  ASSERT_EQ(scores.size(), 4u);
  ASSERT_TRUE(scores[0].has_value());
  EXPECT_DOUBLE_EQ(scores[0]->score, best.score());
  ASSERT_EQ(best.factors_size(), kFactorCount);
  for (int f = 0; f < kFactorCount; ++f) {
    EXPECT_DOUBLE_EQ(scores[0]->forward[f], best.factors(f).forward()) << f;
    EXPECT_DOUBLE_EQ(scores[0]->backward[f], best.factors(f).backward()) << f;
  }
  EXPECT_TRUE(scores[1].has_value());   // a private partner is scored all the same
  EXPECT_FALSE(scores[2].has_value());  // a profile with itself
  EXPECT_FALSE(scores[3].has_value());  // not indexed
}

}  // namespace
}  // namespace socio::matcher
