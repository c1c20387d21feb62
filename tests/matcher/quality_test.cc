// Matching quality: hand-built pairs whose right partner is obvious to a
// person (a Mexican sauce maker and a Texan food distributor, a German
// press-brake maker and a Brazilian industrial agent, ...), hidden among
// 2,000 generated members. Each side must find the other in its top 5.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/profile_generator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/process.h"
#include "tests/support/reference.h"

namespace socio::matcher {
namespace {

using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;
constexpr int kGenerated = 2000;

std::vector<Profile> ReadPairs() {
  std::ifstream in(socio::testing::SourceFile("tests/matcher/testdata/quality_pairs.jsonl"));
  std::vector<Profile> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Profile p;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &p).ok()) << line;
    p.set_version(1);
    out.push_back(p);
  }
  return out;
}

TEST(QualityTest, EveryHandBuiltPartnerRanksInTheTopFiveOfItsCounterpart) {
  const std::vector<Profile> pairs = ReadPairs();
  ASSERT_GE(pairs.size(), 40u);
  MatchIndex index(std::make_shared<ScoringTables>(socio::testing::TestReference()));
  bench::ProfileGenerator generator({.seed = 2026});
  std::vector<Profile> crowd;
  for (int i = 0; i < kGenerated; ++i) {
    crowd.push_back(generator.Next());
    crowd.back().set_version(1);
  }
  index.UpsertMany(crowd);
  index.UpsertMany(pairs);

  PartnerQuery query;
  query.k = 5;
  query.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  query.now_seconds = kNow;
  int found = 0;
  for (const Profile& p : pairs) {
    const std::string partner =
        absl::StrCat(p.id().substr(0, p.id().size() - 1), absl::EndsWith(p.id(), "a") ? "b" : "a");
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

}  // namespace
}  // namespace socio::matcher
