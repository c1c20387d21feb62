#include "storage/profile_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/support/reference.h"
#include "tests/support/shared_data.h"
#include "tests/support/status_matchers.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TestReference;
using socio::v1::Objective;
using socio::v1::Profile;
using ::testing::AllOf;
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

// Applies `mutate` to a valid profile and returns what the validator says.
template <typename F>
absl::Status AfterChange(F mutate) {
  Profile p = ValidProfile();
  mutate(p);
  return ProfileValidator(TestReference()).Normalize(&p);
}

TEST(ProfileValidatorTest, AcceptsAValidProfileUnchanged) {
  Profile p = ValidProfile();
  ASSERT_THAT(ProfileValidator(TestReference()).Normalize(&p), IsOk());
  EXPECT_EQ(p.SerializeAsString(), ValidProfile().SerializeAsString());
}

TEST(ProfileValidatorTest, NamesTheFieldAndTheReason) {
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

TEST(ProfileValidatorTest, NamesAndCitiesRefuseControlAndDirectionCharacters) {
  using std::string_literals::operator""s;
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_name("Huber\0GmbH"s); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.name: holds the control character U+0000 at character 6")));
  // U+202E RIGHT-TO-LEFT OVERRIDE shows "Huber GmbH" backwards.
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_name("\xE2\x80\xAEHbmG rebuH"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.name: holds the text direction override U+202E")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_name("Huber\nGmbH"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.name")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_city("M\xC3\xBCnchen\xC2\x85"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.city: holds the control character U+0085")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_city("Munich\xE2\x81\xA6"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.city")));
  // Letters of any script, and marks that only join them, are fine.
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_name("\xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9 Huber"); }),
              IsOk());
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_city("Ciudad de M\xC3\xA9xico"); }), IsOk());
}

TEST(ProfileValidatorTest, ChecksObjectives) {
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

// Two valid contacts, the second given as `contact` changes it.
template <typename F>
absl::Status AfterContactChange(F change) {
  return AfterChange([&](Profile& p) {
    socio::v1::Contact* first = p.add_contacts();
    first->set_name("Ana López");
    first->set_email("ana@salsas.mx");
    socio::v1::Contact* second = p.add_contacts();
    second->set_name("Jorge Ruiz");
    second->set_role("Export manager");
    second->set_email("jorge.ruiz@salsas.mx");
    second->set_phone("+52 (55) 1234-5678");
    second->add_languages("es");
    second->add_languages("en");
    change(*second);
  });
}

TEST(ProfileValidatorTest, AcceptsContacts) {
  EXPECT_THAT(AfterContactChange([](socio::v1::Contact&) {}), IsOk());
  EXPECT_THAT(AfterContactChange([](socio::v1::Contact& c) {
                c.clear_email();
                c.clear_phone();
                c.clear_role();
                c.clear_languages();
              }),
              IsOk());
  EXPECT_THAT(AfterContactChange([](socio::v1::Contact& c) { c.set_phone("030/1234.56-7"); }),
              IsOk());
}

TEST(ProfileValidatorTest, ChecksContactsNamingTheFieldWithItsIndex) {
  using socio::v1::Contact;
  EXPECT_THAT(
      AfterContactChange([](Contact& c) { c.set_name(" "); }),
      StatusIs(absl::StatusCode::kInvalidArgument, "profile.contacts[1].name: is required"));
  EXPECT_THAT(
      AfterContactChange([](Contact& c) { c.set_name(std::string(201, 'x')); }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.contacts[1].name: ")));
  EXPECT_THAT(AfterContactChange([](Contact& c) { c.set_name(std::string(200, 'x')); }), IsOk());
  EXPECT_THAT(
      AfterContactChange([](Contact& c) { c.set_role(std::string(101, 'x')); }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.contacts[1].role: ")));
  for (const char* bad : {"jorge", "a@b@c.mx", "@salsas.mx", "jorge@", "jorge ruiz@salsas.mx"}) {
    EXPECT_THAT(AfterContactChange([&](Contact& c) { c.set_email(bad); }),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr(absl::StrCat("profile.contacts[1].email: '", bad,
                                                "' is not an e-mail address"))))
        << bad;
  }
  EXPECT_THAT(
      AfterContactChange([](Contact& c) { c.set_email(std::string(250, 'a') + "@b.mx"); }),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("profile.contacts[1].email: is 255 characters long; at most 254")));
  EXPECT_THAT(AfterContactChange([](Contact& c) { c.set_phone("+52 55 CALL-NOW"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.contacts[1].phone: '+52 55 CALL-NOW' may contain only "
                                 "digits, spaces and + - ( ) . /")));
  EXPECT_THAT(AfterContactChange([](Contact& c) { c.set_phone(std::string(41, '1')); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.contacts[1].phone: is 41 characters long")));
  EXPECT_THAT(AfterContactChange([](Contact& c) { c.add_languages("xx"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.contacts[1].languages[2]: 'xx' is not an ISO 639-1")));
  EXPECT_THAT(AfterContactChange([](Contact& c) { c.add_languages("en"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.contacts[1].languages[2]: 'en' is listed twice")));
  EXPECT_THAT(AfterChange([](Profile& p) {
                for (int i = 0; i < 11; ++i) p.add_contacts()->set_name(absl::StrCat("P", i));
              }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "profile.contacts: has 11 entries; at most 10 are allowed"));
}

TEST(ProfileValidatorTest, NormalisesSectorsAndVisibility) {
  Profile p = ValidProfile();
  p.set_sectors(0, "C10.84");
  p.clear_visibility();
  ASSERT_THAT(ProfileValidator(TestReference()).Normalize(&p), IsOk());
  EXPECT_EQ(p.sectors(0), "10.84");
  EXPECT_EQ(p.visibility(), Profile::PRIVATE);
}

TEST(ProfileValidatorTest, ChecksCodesAgainstTheReferenceDataAndSuggests) {
  EXPECT_THAT(
      AfterChange([](Profile& p) { p.set_country("XX"); }),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("profile.country: 'XX' is not an ISO 3166-1 alpha-2 country code")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_country("MEX"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(did you mean 'MX'?)")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_target_markets(0, "UK"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.target_markets[0]: 'UK' is not an ISO 3166-1 alpha-2 "
                                 "country code (did you mean 'GB'?)")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.add_languages("xx"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.languages[1]: 'xx' is not an ISO 639-1 language code")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.add_languages("spa"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(did you mean 'es'?)")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_sectors(0, "04"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.sectors[0]: '04' is not a NACE Rev. 2 code: there is no "
                                 "division 04")));
  EXPECT_THAT(AfterChange([](Profile& p) { p.set_sectors(0, "G10"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("division 10 belongs to section C, not G")));
}

TEST(ProfileValidatorTest, SectorsAreCheckedExactly) {
  // Every level of NACE Rev. 2 is built in: a code with the shape of a class
  // but no such class is refused, naming the field and the reason.
  Profile p = ValidProfile();
  p.set_sectors(0, "10.87");
  EXPECT_THAT(ProfileValidator(TestReference()).Normalize(&p),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("profile.sectors[0]"),
                             HasSubstr("there is no class 10.87 in the catalog"))));
  p.set_sectors(0, "10.84");
  EXPECT_THAT(ProfileValidator(TestReference()).Normalize(&p), IsOk());
  // So does a catalog file given to replace the groups and classes.
  const std::string dir = socio::testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> exact =
      reference::ReferenceData::Load({.nace_catalog_csv = dir + "/nace_rev2.csv"});
  ASSERT_THAT(exact, IsOk());
  p.set_sectors(0, "10.87");
  EXPECT_THAT(ProfileValidator(*exact).Normalize(&p),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.sectors[0]")));
}

}  // namespace
}  // namespace socio::storage
