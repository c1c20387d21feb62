// The value-chain table names real NACE Rev. 2 codes, each row a maker in
// manufacturing with a trade or service of its goods.
#include "reference/value_chain.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "reference/nace.h"
#include "tests/support/shared_data.h"

namespace socio::reference {
namespace {

int DivisionOf(const std::string& code) {
  int d = 0;
  return absl::SimpleAtoi(code.substr(0, 2), &d) ? d : -1;
}

TEST(ValueChainTest, EveryCodeIsInEurostatsList) {
  const std::string dir = socio::testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  absl::StatusOr<NaceCatalog> nace = NaceCatalog::LoadCsv(dir + "/nace_rev2.csv");
  ASSERT_TRUE(nace.ok()) << nace.status();
  for (const ValueChainLink& link : ValueChainLinks()) {
    for (const char* code : {link.maker, link.partner}) {
      absl::StatusOr<std::string> canonical = nace->Canonical(code);
      ASSERT_TRUE(canonical.ok()) << canonical.status();
      EXPECT_EQ(*canonical, code) << "not canonical";
      EXPECT_NE(nace->Find(code), nullptr) << code;
      EXPECT_GE(nace->Find(code)->level, 2) << code;
    }
  }
}

TEST(ValueChainTest, RowsPairAMakerWithATradeOrServiceOfItsGoods) {
  std::set<std::pair<std::string, std::string>> seen;
  std::set<int> makers;
  for (const ValueChainLink& link : ValueChainLinks()) {
    const int maker = DivisionOf(link.maker);
    const int partner = DivisionOf(link.partner);
    EXPECT_GE(maker, 10) << link.maker;
    EXPECT_LE(maker, 33) << link.maker;
    EXPECT_NE(maker, partner) << link.maker << " " << link.partner;
    makers.insert(maker);
    if (link.role == ChainRole::kTrade) {
      EXPECT_TRUE(partner == 45 || partner == 46 || partner == 47) << link.partner;
    } else {
      EXPECT_TRUE(partner == 33 || partner == 45 || partner == 95) << link.partner;
    }
    // The generic traders trade everything: no link would tell anything.
    for (const char* generic : {"46.19", "46.9", "47.1"}) {
      EXPECT_FALSE(absl::StartsWith(link.partner, generic)) << link.partner;
    }
    EXPECT_NE(std::string(link.partner_words), "");
    EXPECT_TRUE(seen.insert({link.maker, link.partner}).second)
        << link.maker << " " << link.partner << " twice";
  }
  // Every manufacturing division has a row.
  for (int d = 10; d <= 33; ++d) EXPECT_TRUE(makers.count(d)) << d;
}

}  // namespace
}  // namespace socio::reference
