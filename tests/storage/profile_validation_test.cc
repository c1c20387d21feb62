#include "storage/profile_validation.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::v1::Objective;
using socio::v1::Profile;
using ::testing::HasSubstr;

Profile ValidProfile() {
  Profile p;
  p.set_id("mx-0001");
  p.set_chamber_id("canaco-cdmx");
  p.set_name("Salsas del Bajío S.A. de C.V.");
  p.set_country("MX");
  p.add_sectors("10.84");
  p.add_languages("es");
  Objective* o = p.add_objectives();
  o->set_type(Objective::DISTRIBUTION);
  o->set_direction(Objective::SEEK);
  o->add_sectors("46.3");
  o->add_markets("US");
  p.add_target_markets("US");
  p.set_visibility(Profile::FEDERATION);
  return p;
}

// Applies `mutate` to a valid profile and returns what NormalizeProfile says.
template <typename F>
absl::Status AfterChange(F mutate) {
  Profile p = ValidProfile();
  mutate(p);
  return NormalizeProfile(&p);
}

TEST(NormalizeProfileTest, AcceptsAValidProfileUnchanged) {
  Profile p = ValidProfile();
  ASSERT_THAT(NormalizeProfile(&p), IsOk());
  EXPECT_EQ(p.SerializeAsString(), ValidProfile().SerializeAsString());
}

TEST(NormalizeProfileTest, NamesTheFieldAndTheReason) {
  EXPECT_THAT(AfterChange([](Profile& p) { p.clear_id(); }),
              StatusIs(absl::StatusCode::kInvalidArgument, "profile.id: is required"));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_id("-bad"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.id: '-bad'")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_id("a b"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.id")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.clear_chamber_id(); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.chamber_id")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_name("   "); }),
              StatusIs(absl::StatusCode::kInvalidArgument, "profile.name: is required"));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_country("mx"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.country: 'mx'")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_country("MEX"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ISO 3166-1 alpha-2")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.add_languages("ES"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.languages[1]")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.add_languages("es"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("listed twice")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_employees(-1); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.employees")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_founded_year(3000); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.founded_year")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.mutable_location()->set_latitude(91); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.location.latitude")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_description(std::string(5001, 'x')); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.description")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.add_keywords(""); }),
              StatusIs(absl::StatusCode::kInvalidArgument, "profile.keywords[0]: is empty"));
  EXPECT_THAT(
      AfterChange([](Profile& p) { p.add_target_markets("USA"); }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.target_markets[1]: 'USA'")));
  EXPECT_THAT(
      AfterChange([](Profile& p) { p.set_visibility(static_cast<Profile::Visibility>(9)); }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.visibility")));
}

TEST(NormalizeProfileTest, ChecksObjectives) {
  EXPECT_THAT(AfterChange([](Profile& p) { p.mutable_objectives(0)->clear_type(); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.objectives[0].type: is required")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.mutable_objectives(0)->clear_direction(); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.objectives[0].direction: is required for DISTRIBUTION")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.mutable_objectives(0)->set_markets(0, "usa"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.objectives[0].markets[0]: 'usa'")));
  EXPECT_THAT(
      AfterChange([](Profile& p) { p.mutable_objectives(0)->add_sectors("47.99.1"); }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.objectives[0].sectors[1]")));
  // Symmetric types need no direction.
  EXPECT_THAT(AfterChange([](Profile& p) {
                Objective* o = p.add_objectives();
                o->set_type(Objective::RESEARCH_COOPERATION);
              }),
              IsOk());
}

TEST(NormalizeProfileTest, NormalisesSectorsAndVisibility) {
  Profile p = ValidProfile();
  p.set_sectors(0, "C10.84");
  p.clear_visibility();
  ASSERT_THAT(NormalizeProfile(&p), IsOk());
  EXPECT_EQ(p.sectors(0), "10.84");
  EXPECT_EQ(p.visibility(), Profile::PRIVATE);
}

TEST(CanonicalSectorCodeTest, AcceptsEveryLevel) {
  for (const char* code : {"C", "10", "10.8", "10.84", "01.11", "99", "U"}) {
    EXPECT_THAT(CanonicalSectorCode("s", code), IsOk()) << code;
  }
  EXPECT_EQ(*CanonicalSectorCode("s", "C10.8"), "10.8");
  EXPECT_EQ(*CanonicalSectorCode("s", "G46"), "46");
}

TEST(CanonicalSectorCodeTest, RejectsWrongShapesAndDivisions) {
  EXPECT_THAT(CanonicalSectorCode("s", "04"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("there is no division 04")));
  EXPECT_THAT(CanonicalSectorCode("s", "G10"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("division 10 belongs to section C, not G")));
  for (const char* code : {"", "V", "c", "1", "108", "10.", "10.845", "10-8", "10.8a"}) {
    EXPECT_THAT(CanonicalSectorCode("s", code), StatusIs(absl::StatusCode::kInvalidArgument))
        << code;
  }
}

TEST(SectorUnderTest, FollowsTheHierarchy) {
  EXPECT_TRUE(SectorUnder("10.84", "C"));
  EXPECT_TRUE(SectorUnder("10.84", "10"));
  EXPECT_TRUE(SectorUnder("10.84", "10.8"));
  EXPECT_TRUE(SectorUnder("10.84", "10.84"));
  EXPECT_TRUE(SectorUnder("C", "C"));
  EXPECT_FALSE(SectorUnder("10.84", "10.9"));
  EXPECT_FALSE(SectorUnder("46.3", "C"));
  EXPECT_FALSE(SectorUnder("10.84", "10.845"));
  EXPECT_FALSE(SectorUnder("101", "10"));
  EXPECT_FALSE(SectorUnder("10", "10.8"));
}

TEST(NaceSectionOfDivisionTest, KnowsAllEightyEightDivisions) {
  int divisions = 0;
  for (int d = 0; d < 100; ++d) divisions += NaceSectionOfDivision(d).has_value();
  EXPECT_EQ(divisions, 88);
  EXPECT_EQ(NaceSectionOfDivision(46), 'G');
  EXPECT_EQ(NaceSectionOfDivision(62), 'J');
  EXPECT_FALSE(NaceSectionOfDivision(4).has_value());
}

}  // namespace
}  // namespace socio::storage
