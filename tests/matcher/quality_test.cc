// Matching quality: hand-built pairs whose right partner is obvious to a
// person (a Mexican sauce maker and a Texan food distributor, a German
// press-brake maker and a Brazilian industrial agent, ...), hidden among
// 2,000 generated members. Each side must find the other in its top 5. The
// same holds for pairs that describe one deal with neighbouring objective
// types (a winery seeking a distributor and a wine agency offering agency),
// while look-alikes of their partners (both sides seeking, an expired
// profile) do not rise and an exact complement still ranks first.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/process.h"
#include "tests/support/ranking.h"
#include "tests/support/reference.h"

namespace socio::matcher {
namespace {

using socio::v1::Objective;
using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;
constexpr int kGenerated = 2000;

// The profiles of a file of pairs "<name>-a", "<name>-b" under testdata.
std::vector<Profile> ReadPairs(const std::string& file) {
  std::ifstream in(socio::testing::SourceFile(absl::StrCat("tests/matcher/testdata/", file)));
  std::vector<Profile> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(socio::testing::ProfileFromJson(line));
  }
  return out;
}

std::vector<Profile> Crowd() { return socio::testing::GeneratedCrowd(2026, kGenerated); }

std::string PartnerOf(const Profile& p) {
  return absl::StrCat(p.id().substr(0, p.id().size() - 1), absl::EndsWith(p.id(), "a") ? "b" : "a");
}

TEST(QualityTest, EveryHandBuiltPartnerRanksInTheTopFiveOfItsCounterpart) {
  const std::vector<Profile> pairs = ReadPairs("quality_pairs.jsonl");
  ASSERT_GE(pairs.size(), 40u);
  MatchIndex index(std::make_shared<ScoringTables>(socio::testing::TestReference()));
  index.UpsertMany(Crowd());
  index.UpsertMany(pairs);

  PartnerQuery query;
  query.k = 5;
  query.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  query.now_seconds = kNow;
  int found = 0;
  for (const Profile& p : pairs) {
    const std::string partner = PartnerOf(p);
    query.member_id = p.id();
    absl::StatusOr<PartnerResult> result = index.FindPartners(query);
    ASSERT_TRUE(result.ok()) << result.status();
    std::vector<std::string> top;
    int rank = 0;
    for (const socio::v1::Match& m : result->matches) {
      top.push_back(absl::StrCat(m.partner_id(), " ", m.score()));
      if (m.partner_id() == partner) rank = m.rank();
    }
    EXPECT_GT(rank, 0) << p.id() << " (" << p.name() << ") misses " << partner
                       << "; top 5: " << ::testing::PrintToString(top);
    found += rank > 0;
  }
  EXPECT_EQ(found, static_cast<int>(pairs.size()));
}

// Each pair of near_type_pairs.jsonl meets through one row of the table of
// neighbouring deal types (see NearTypeDiscount), and says so in its reasons.
TEST(QualityTest, NearTypePartnersRankInTheTopFiveOfEachOther) {
  const std::vector<Profile> pairs = ReadPairs("near_type_pairs.jsonl");
  ASSERT_EQ(pairs.size(), 14u);
  MatchIndex index(std::make_shared<ScoringTables>(socio::testing::TestReference()));
  index.UpsertMany(Crowd());
  index.UpsertMany(pairs);

  PartnerQuery query;
  query.k = 5;
  query.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  query.now_seconds = kNow;
  int top_five = 0, first = 0;
  for (const Profile& p : pairs) {
    const std::string partner = PartnerOf(p);
    query.member_id = p.id();
    absl::StatusOr<PartnerResult> result = index.FindPartners(query);
    ASSERT_TRUE(result.ok()) << result.status();
    std::vector<std::string> top;
    int rank = 0;
    for (const socio::v1::Match& m : result->matches) {
      top.push_back(absl::StrCat(m.partner_id(), " ", m.score()));
      if (m.partner_id() != partner) continue;
      rank = m.rank();
      EXPECT_THAT(m.reasons(), ::testing::Contains(::testing::HasSubstr("a close fit")))
          << p.id() << ": " << ::testing::PrintToString(m.reasons());
    }
    EXPECT_GT(rank, 0) << p.id() << " (" << p.name() << ") misses " << partner
                       << "; top 5: " << ::testing::PrintToString(top);
    top_five += rank > 0;
    first += rank == 1;
  }
  std::cout << "near-type partners: " << top_five << " of " << pairs.size() << " in the top 5, "
            << first << " first\n";
  EXPECT_EQ(top_five, static_cast<int>(pairs.size()));
}

// Look-alikes of each near partner b, with b's text: one whose objective is
// a's own (both seeking, or both offering), one with b's type on a's side
// (both seeking across near types), an expired copy of b, and one that
// complements a exactly. For a, the exact one ranks above b, b above the
// look-alikes, and the expired copy is not proposed.
TEST(QualityTest, LookAlikesOfNearPartnersDoNotRise) {
  const std::vector<Profile> pairs = ReadPairs("near_type_pairs.jsonl");
  ASSERT_EQ(pairs.size(), 14u);
  std::vector<Profile> look_alikes;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    const Profile& b = pairs[i + 1];
    const Objective& mine = pairs[i].objectives(0);
    auto copy = [&](const std::string& suffix) -> Objective* {
      look_alikes.push_back(b);
      look_alikes.back().set_id(absl::StrCat(b.id(), "-", suffix));
      return look_alikes.back().mutable_objectives(0);
    };
    Objective* same = copy("same");
    same->set_type(mine.type());
    same->set_direction(mine.direction());
    if (mine.direction() == Objective::SEEK) {
      copy("seeking")->set_direction(Objective::SEEK);
    }
    copy("expired");
    look_alikes.back().mutable_valid_until()->set_seconds(kNow - 86400);
    Objective* exact = copy("exact");
    exact->set_type(mine.type());
    exact->set_direction(mine.direction() == Objective::SEEK ? Objective::OFFER : Objective::SEEK);
  }
  MatchIndex index(std::make_shared<ScoringTables>(socio::testing::TestReference()));
  index.UpsertMany(Crowd());
  index.UpsertMany(pairs);
  index.UpsertMany(look_alikes);

  PartnerQuery query;
  query.k = 50;
  query.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  query.now_seconds = kNow;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    const std::string b = pairs[i + 1].id();
    query.member_id = pairs[i].id();
    absl::StatusOr<PartnerResult> result = index.FindPartners(query);
    ASSERT_TRUE(result.ok()) << result.status();
    auto rank_of = [&](const std::string& id) {
      for (const socio::v1::Match& m : result->matches) {
        if (m.partner_id() == id) return m.rank();
      }
      return query.k + 1;  // not proposed
    };
    const int partner = rank_of(b);
    EXPECT_LE(partner, 5) << query.member_id;
    EXPECT_LT(rank_of(b + "-exact"), partner) << query.member_id;
    EXPECT_GT(rank_of(b + "-same"), partner) << query.member_id;
    EXPECT_GT(rank_of(b + "-seeking"), partner) << query.member_id;
    EXPECT_EQ(rank_of(b + "-expired"), query.k + 1) << query.member_id;
  }
}

}  // namespace
}  // namespace socio::matcher
