#include "bench/profile_generator.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/profile_validation.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::bench {
namespace {

using socio::testing::IsOk;
using socio::v1::Objective;
using socio::v1::Profile;
using ::testing::MatchesRegex;

constexpr int kSample = 5000;

std::vector<Profile> Generate(uint64_t seed, int count) {
  ProfileGenerator generator({.seed = seed});
  std::vector<Profile> profiles;
  profiles.reserve(count);
  for (int i = 0; i < count; ++i) profiles.push_back(generator.Next());
  return profiles;
}

// One sample shared by the tests that only read it.
const std::vector<Profile>& Sample() {
  static const std::vector<Profile>* const sample = new std::vector<Profile>(Generate(42, kSample));
  return *sample;
}

bool Overlaps(const google::protobuf::RepeatedPtrField<std::string>& a,
              const google::protobuf::RepeatedPtrField<std::string>& b) {
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      const reference::NaceCatalog& nace = socio::testing::TestReference()->sectors();
      if (nace.Under(x, y) || nace.Under(y, x)) return true;
    }
  }
  return false;
}

bool Has(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

TEST(ProfileGeneratorTest, SameSeedGivesSameBytesAndGenerateMatchesNext) {
  ProfileGenerator a({.seed = 7});
  ProfileGenerator b({.seed = 7});
  for (int i = 0; i < 2000; ++i) {
    const std::string bytes = a.Next().SerializeAsString();
    ASSERT_EQ(bytes, b.Next().SerializeAsString()) << "profile " << i;
    ASSERT_EQ(bytes, b.Generate(i).SerializeAsString()) << "profile " << i;
  }
  // Out of order, and after the sequence: still profile number `index`.
  EXPECT_EQ(a.Generate(5).SerializeAsString(), b.Generate(5).SerializeAsString());
  EXPECT_EQ(a.Next().SerializeAsString(),
            ProfileGenerator({.seed = 7}).Generate(2000).SerializeAsString());
}

TEST(ProfileGeneratorTest, DifferentSeedsGiveDifferentProfiles) {
  const ProfileGenerator a({.seed = 1});
  const ProfileGenerator b({.seed = 2});
  int same = 0;
  for (int i = 0; i < 200; ++i) {
    same += a.Generate(i).SerializeAsString() == b.Generate(i).SerializeAsString();
  }
  EXPECT_EQ(same, 0);
}

TEST(ProfileGeneratorTest, EveryProfilePassesValidationUnchanged) {
  for (const Profile& generated : Sample()) {
    Profile normalized = generated;
    ASSERT_THAT(storage::ProfileValidator(socio::testing::TestReference()).Normalize(&normalized),
                IsOk())
        << generated.DebugString();
    ASSERT_EQ(normalized.SerializeAsString(), generated.SerializeAsString())
        << generated.DebugString();
    // Output-only fields are the store's to set.
    EXPECT_EQ(generated.version(), 0);
    EXPECT_FALSE(generated.has_create_time());
    EXPECT_FALSE(generated.has_update_time());
  }
}

TEST(ProfileGeneratorTest, IdsAreUniqueAndNameTheCountryAndIndex) {
  std::set<std::string> ids;
  for (int i = 0; i < kSample; ++i) {
    const Profile& p = Sample()[i];
    EXPECT_TRUE(ids.insert(p.id()).second) << p.id();
    char digits[16];
    std::snprintf(digits, sizeof(digits), "%07d", i);
    EXPECT_EQ(p.id(), absl::AsciiStrToLower(p.country()) + "-" + digits);
    EXPECT_THAT(p.chamber_id(), MatchesRegex("[a-z][a-z0-9-]*"));
  }
}

TEST(ProfileGeneratorTest, MarketsAreForeignAndDistinct) {
  for (const Profile& p : Sample()) {
    EXPECT_GE(p.target_markets_size(), 1) << p.id();
    EXPECT_LE(p.target_markets_size(), 5) << p.id();
    EXPECT_LE(p.active_markets_size(), 4) << p.id();
    EXPECT_FALSE(Has(p.target_markets(), p.country())) << p.id();
    EXPECT_FALSE(Has(p.active_markets(), p.country())) << p.id();
    EXPECT_GE(p.founded_year(), 1900) << p.id();
    EXPECT_LE(p.founded_year(), 2024) << p.id();
    EXPECT_GE(p.employees(), 1) << p.id();
    EXPECT_GE(p.objectives_size(), 1) << p.id();
  }
}

TEST(ProfileGeneratorTest, CountriesAndChambersAreSpread) {
  std::map<std::string, int> per_country;
  std::map<std::string, std::set<std::string>> chambers;
  std::map<Profile::Visibility, int> visibility;
  for (const Profile& p : Sample()) {
    ++per_country[p.country()];
    chambers[p.country()].insert(p.chamber_id());
    ++visibility[p.visibility()];
  }
  EXPECT_GE(per_country.size(), 15u);
  for (const auto& [country, n] : per_country) {
    EXPECT_LT(n, kSample * 3 / 10) << country;
    if (n >= 200) {
      EXPECT_GE(chambers[country].size(), 2u) << country;
    }
  }
  EXPECT_GE(chambers["DE"].size(), 3u);
  EXPECT_GE(chambers["US"].size(), 3u);
  EXPECT_GT(visibility[Profile::FEDERATION], kSample * 7 / 10);
  EXPECT_GT(visibility[Profile::CHAMBER], kSample / 20);
  EXPECT_GT(visibility[Profile::PRIVATE], 0);
}

// Producers seek distributors abroad; distributors there offer to distribute
// what the producers make.
TEST(ProfileGeneratorTest, ProducersFindDistributorsInTheirMarkets) {
  std::map<std::string, std::vector<const Objective*>> offers_by_country;
  for (const Profile& p : Sample()) {
    for (const Objective& o : p.objectives()) {
      if (o.type() == Objective::DISTRIBUTION && o.direction() == Objective::OFFER) {
        offers_by_country[p.country()].push_back(&o);
      }
    }
  }
  int seeks = 0;
  int matched = 0;
  for (const Profile& p : Sample()) {
    for (const Objective& seek : p.objectives()) {
      if (seek.type() != Objective::DISTRIBUTION || seek.direction() != Objective::SEEK) continue;
      ++seeks;
      bool found = false;
      for (const std::string& market : seek.markets()) {
        for (const Objective* offer : offers_by_country[market]) {
          found = found || Overlaps(offer->sectors(), p.sectors());
        }
      }
      matched += found;
    }
  }
  ASSERT_GT(seeks, kSample / 5);
  EXPECT_GE(matched, seeks * 9 / 10) << matched << " of " << seeks;
}

}  // namespace
}  // namespace socio::bench
