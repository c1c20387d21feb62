// DelegationService.GetDelegationBriefing over a real server: the figures
// equal what this test works out from tzdata, CLDR and its own Hofstede file;
// the organising chamber's staff read it whole, a company taking part without
// the staff's notes and without other companies' names, anyone else not at
// all. And a day's time zone from its city.
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::services {
namespace {

using socio::testing::FromJson;
using socio::testing::TestServer;
using socio::testing::WithToken;
using socio::v1::Briefing;
using socio::v1::Delegation;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kMembers[] = {
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "languages": ["de", "en", "es"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Bauer Autoteile", "country": "DE", "city": "Augsburg", "sectors": ["29.32"], "languages": ["de", "en"], "visibility": "FEDERATION"})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora Industrial del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "languages": ["es", "en"], "visibility": "FEDERATION"})",
    R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Maquinaria Azteca", "country": "MX", "city": "Monterrey", "sectors": ["46.69"], "languages": ["es"], "visibility": "FEDERATION", "anonymous": true})",
    R"({"id": "jp-1", "chamberId": "osaka-cci", "name": "Naniwa Optics", "country": "JP", "city": "Osaka", "sectors": ["26.70"], "languages": ["ja"], "visibility": "FEDERATION"})",
};

// Neither day names its zone: Mexico City's and Monterrey's come from the
// cities. 10 March is before Germany's change to summer time (28 March
// 2027), 6 April after; Mexico keeps one offset all year.
constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [
    {"date": "2027-04-06", "city": "Monterrey", "startTime": "09:00", "endTime": "12:00"},
    {"date": "2027-03-10", "city": "Ciudad de México", "startTime": "09:00", "endTime": "12:00"}
  ],
  "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}],
  "hosts": [{"memberId": "mx-1"}, {"memberId": "mx-2"}],
  "briefingNotes": "Bring business cards in Spanish.\nLunch starts late: 14:00."
})";

// The test's own scores (the server ships none): four countries, so each
// dimension's variance is the test's to work out.
constexpr char kHofstede[] =
    "hofstede_code,hofstede_name,iso2,iso3,entity_type,pdi,idv,mas,uai,ltowvs,ivr\n"
    "GER,Germany,DE,DEU,country,35,67,66,65,83,40\n"
    "MEX,Mexico,MX,MEX,country,81,30,69,82,24,97\n"
    "JPN,Japan,JP,JPN,country,54,46,95,92,88,42\n"
    "USA,U.S.A.,US,USA,country,40,91,62,46,26,68\n";
constexpr double kScores[4][6] = {{35, 67, 66, 65, 83, 40},
                                  {81, 30, 69, 82, 24, 97},
                                  {54, 46, 95, 92, 88, 42},
                                  {40, 91, 62, 46, 26, 68}};

class BriefingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string csv = csv_dir_.Join("hofstede.csv");
    std::ofstream(csv) << kHofstede;
    services::SociodOptions options;
    options.reference.hofstede_csv = csv;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    admin_ = server_->admin_token();
    for (const char* json : kMembers) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<socio::v1::Profile>(json);
      socio::v1::Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
      if (created.id() == "mx-2") handle_ = created.handle();
    }
    staff_ = server_->IssueToken(socio::v1::STAFF, "ihk-muenchen", "");
    socio::v1::CreateDelegationRequest request;
    *request.mutable_delegation() = FromJson<Delegation>(kMission);
    // Munich's staff know the anonymous company by its handle only.
    request.mutable_delegation()->mutable_hosts(1)->set_member_id(handle_);
    Delegation created;
    ASSERT_RPC_OK(
        server_->delegations().CreateDelegation(WithToken(staff_).get(), request, &created));
  }

  grpc::Status Read(const std::string& token, const std::string& member_id, Briefing* out) {
    socio::v1::GetDelegationBriefingRequest request;
    request.set_delegation_id("mx27");
    request.set_member_id(member_id);
    return server_->delegations().GetDelegationBriefing(WithToken(token).get(), request, out);
  }

  const reference::Country& CountryOf(const std::string& code) {
    return *reference_->countries().Find(code);
  }

  socio::testing::TempDir csv_dir_;
  std::unique_ptr<TestServer> server_;
  std::shared_ptr<const reference::ReferenceData> reference_ = socio::testing::TestReference();
  std::string admin_, staff_, handle_;
};

// 09:00-17:00 on `date` in `venue` against the same hours on the nearest
// day in `origin`: the shared minutes.
int SharedMinutes(absl::CivilDay date, const absl::TimeZone& venue, const absl::TimeZone& origin) {
  const absl::Time start =
      absl::FromCivil(absl::CivilSecond(date.year(), date.month(), date.day(), 9, 0, 0), venue);
  int best = 0;
  for (int shift = -1; shift <= 1; ++shift) {
    const absl::CivilDay day = date + shift;
    const absl::Time other =
        absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0), origin);
    // Both windows last 8 hours: they share 8 h less the gap between starts.
    const int64_t gap = std::abs(absl::ToInt64Minutes(start - other));
    best = std::max<int>(best, std::max<int64_t>(0, 8 * 60 - gap));
  }
  return best;
}

double Haversine(double lat1, double lon1, double lat2, double lon2) {
  const double r = std::numbers::pi / 180;
  const double a =
      std::pow(std::sin((lat2 - lat1) * r / 2), 2) +
      std::cos(lat1 * r) * std::cos(lat2 * r) * std::pow(std::sin((lon2 - lon1) * r / 2), 2);
  return 2 * 6371 * std::asin(std::sqrt(a));
}

TEST_F(BriefingTest, TheClocksFollowDaylightSavingTimeOnEachDate) {
  Briefing b;
  ASSERT_RPC_OK(Read(staff_, "", &b));
  ASSERT_EQ(b.days_size(), 2);
  absl::TimeZone berlin, mexico_city, monterrey;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  ASSERT_TRUE(absl::LoadTimeZone("America/Mexico_City", &mexico_city));
  ASSERT_TRUE(absl::LoadTimeZone("America/Monterrey", &monterrey));
  struct Expected {
    absl::CivilDay date;
    const char* zone;
    const absl::TimeZone* venue;
  } expected[] = {{absl::CivilDay(2027, 3, 10), "America/Mexico_City", &mexico_city},
                  {absl::CivilDay(2027, 4, 6), "America/Monterrey", &monterrey}};
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(b.days(i).ShortDebugString());
    const absl::Time noon =
        absl::FromCivil(absl::CivilHour(expected[i].date) + 12, *expected[i].venue);
    EXPECT_EQ(b.days(i).date(), absl::FormatCivilTime(expected[i].date));
    EXPECT_EQ(b.days(i).venue_time_zone(), expected[i].zone);
    EXPECT_EQ(b.days(i).origin_time_zone(), "Europe/Berlin");
    EXPECT_EQ(b.days(i).offset_minutes(),
              (expected[i].venue->At(noon).offset - berlin.At(noon).offset) / 60);
    EXPECT_EQ(b.days(i).overlap_minutes(),
              SharedMinutes(expected[i].date, *expected[i].venue, berlin));
  }
  // Germany moved its clocks an hour forward between the two days.
  EXPECT_EQ(b.days(1).offset_minutes() - b.days(0).offset_minutes(), -60);
  // In March Mexico City's 09:00-10:00 is Berlin's 16:00-17:00; in April
  // the two working days no longer meet.
  EXPECT_EQ(b.days(0).overlap_minutes(), 60);
  EXPECT_EQ(b.days(0).venue_overlap_start(), "09:00");
  EXPECT_EQ(b.days(0).venue_overlap_end(), "10:00");
  EXPECT_EQ(b.days(0).origin_overlap_start(), "16:00");
  EXPECT_EQ(b.days(0).origin_overlap_end(), "17:00");
  EXPECT_EQ(b.days(1).overlap_minutes(), 0);
  EXPECT_EQ(b.days(1).venue_overlap_start(), "");
}

TEST_F(BriefingTest, CountriesDistanceAndDimensionsComeFromTheReferenceData) {
  Briefing b;
  ASSERT_RPC_OK(Read(staff_, "", &b));
  const reference::Country& de = CountryOf("DE");
  const reference::Country& mx = CountryOf("MX");
  EXPECT_EQ(b.origin().name(), de.name);
  EXPECT_EQ(b.origin().region(), de.region);
  EXPECT_EQ(b.origin().subregion(), de.subregion);
  EXPECT_EQ(b.host().name(), mx.name);
  EXPECT_EQ(b.host().subregion(), mx.subregion);
  EXPECT_EQ(b.origin().time_zone(), de.principal_zone->name);
  EXPECT_EQ(b.delegates(), 2);
  EXPECT_EQ(b.hosts(), 2);

  // From Berlin to the first day's city, Mexico City, by tzdata's
  // coordinates.
  const reference::TimeZone* cdmx = nullptr;
  for (const reference::TimeZone& zone : mx.local_zones) {
    if (zone.name == "America/Mexico_City") cdmx = &zone;
  }
  ASSERT_NE(cdmx, nullptr);
  EXPECT_NEAR(b.distance_km(),
              Haversine(de.principal_zone->latitude, de.principal_zone->longitude, cdmx->latitude,
                        cdmx->longitude),
              0.5);
  EXPECT_GT(b.distance_km(), 9000);
  EXPECT_EQ(b.distance_to(), "Ciudad de México");

  // Kogut-Singh over the test's four countries: population variances.
  ASSERT_EQ(b.dimensions_size(), 6);
  double sum = 0;
  for (int i = 0; i < 6; ++i) {
    double mean = 0, variance = 0;
    for (const auto& row : kScores) mean += row[i] / 4;
    for (const auto& row : kScores) variance += (row[i] - mean) * (row[i] - mean) / 4;
    sum += std::pow(kScores[0][i] - kScores[1][i], 2) / variance;
    EXPECT_EQ(b.dimensions(i).origin_score(), kScores[0][i]);
    EXPECT_EQ(b.dimensions(i).host_score(), kScores[1][i]);
    EXPECT_FALSE(b.dimensions(i).note().empty());
  }
  ASSERT_TRUE(b.has_kogut_singh());
  EXPECT_NEAR(b.kogut_singh(), sum / 6, 1e-9);
  // Power distance: Mexico 46 points higher, a large difference; masculinity
  // 3 points apart, close.
  EXPECT_THAT(b.dimensions(0).note(),
              HasSubstr("large difference: Mexico scores 46 points higher"));
  EXPECT_THAT(b.dimensions(2).note(), HasSubstr("Close scores (3 points apart)"));
}

TEST_F(BriefingTest, LanguagesCountWhoSpeaksWhatAndStaffSeeWhoAsDisclosureShowsThem) {
  Briefing b;
  ASSERT_RPC_OK(Read(staff_, "", &b));
  const reference::Country& de = CountryOf("DE");
  const reference::Country& mx = CountryOf("MX");
  const auto standing = [](const reference::Country& c, const std::string& code) {
    std::pair<double, bool> s{0, false};
    for (const reference::LanguageShare& l : c.languages) {
      if (l.code == code) s = {l.population_share, l.official};
    }
    return s;
  };
  std::map<std::string, const socio::v1::BriefingLanguage*> by_code;
  for (const socio::v1::BriefingLanguage& l : b.languages()) by_code[l.code()] = &l;
  for (const auto& [code, l] : by_code) {
    SCOPED_TRACE(code);
    const auto [de_share, de_official] = standing(de, code);
    const auto [mx_share, mx_official] = standing(mx, code);
    EXPECT_DOUBLE_EQ(l->origin_share(), de_share);
    EXPECT_EQ(l->origin_official(), de_official);
    EXPECT_DOUBLE_EQ(l->host_share(), mx_share);
    EXPECT_EQ(l->host_official(), mx_official);
    EXPECT_EQ(l->shared(), (de_official || de_share >= 0.2) && (mx_official || mx_share >= 0.2));
  }
  // Every official language of either country is listed.
  for (const reference::Country* c : {&de, &mx}) {
    for (const reference::LanguageShare& l : c->languages) {
      if (l.official) {
        EXPECT_TRUE(by_code.contains(l.code)) << c->alpha2 << " " << l.code;
      }
    }
  }
  ASSERT_TRUE(by_code.contains("es"));
  const socio::v1::BriefingLanguage& es = *by_code["es"];
  EXPECT_EQ(es.name(), "Spanish");
  EXPECT_EQ(es.delegates(), 1);  // de-1
  EXPECT_EQ(es.hosts(), 2);      // mx-1 and mx-2
  std::vector<std::string> names;
  for (const socio::v1::BriefingCompany& c : es.companies()) names.push_back(c.name());
  // mx-2 is anonymous and was never revealed to Munich: its handle only.
  EXPECT_THAT(names, ::testing::UnorderedElementsAre(
                         "Huber Maschinenbau", "Distribuidora Industrial del Valle", handle_));
  EXPECT_THAT(b.markdown(), Not(HasSubstr("Maquinaria Azteca")));
  EXPECT_EQ(by_code["de"]->delegates(), 2);
  EXPECT_EQ(by_code["de"]->hosts(), 0);
  EXPECT_EQ(b.staff_notes(), "Bring business cards in Spanish.\nLunch starts late: 14:00.");
  EXPECT_THAT(b.markdown(), HasSubstr("Lunch starts late: 14:00."));
  EXPECT_THAT(b.markdown(), HasSubstr("| Spanish (es) |"));
  EXPECT_EQ(b.file_name(), "mx27-briefing.md");
}

TEST_F(BriefingTest, ACompanyTakingPartReadsCountsWithoutNotesOrOtherNames) {
  Briefing full;
  ASSERT_RPC_OK(Read(staff_, "", &full));
  const std::string member = server_->IssueToken(socio::v1::MEMBER, "", "de-2");
  Briefing b;
  ASSERT_RPC_OK(Read(member, "", &b));
  EXPECT_EQ(b.staff_notes(), "");
  EXPECT_THAT(b.markdown(), Not(HasSubstr("business cards")));
  ASSERT_EQ(b.languages_size(), full.languages_size());
  for (int i = 0; i < b.languages_size(); ++i) {
    SCOPED_TRACE(b.languages(i).code());
    EXPECT_EQ(b.languages(i).delegates(), full.languages(i).delegates());
    EXPECT_EQ(b.languages(i).hosts(), full.languages(i).hosts());
    for (const socio::v1::BriefingCompany& c : b.languages(i).companies()) {
      EXPECT_EQ(c.member_id(), "de-2");  // itself only
    }
  }
  for (const char* name : {"Huber", "Distribuidora", "Maquinaria", "mx-1", "de-1"}) {
    EXPECT_THAT(b.markdown(), Not(HasSubstr(name)));
    EXPECT_THAT(b.DebugString(), Not(HasSubstr(name)));
  }
  EXPECT_EQ(b.days_size(), full.days_size());
  EXPECT_EQ(b.distance_km(), full.distance_km());

  // A host reads it too, for itself, through its chamber's staff.
  const std::string host_staff = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
  ASSERT_RPC_OK(Read(host_staff, "mx-1", &b));
  EXPECT_EQ(b.staff_notes(), "");
}

// The host chamber co-plans: once the delegation names it, its staff read
// the briefing as the organisers do, notes included; a third chamber still
// finds nothing.
TEST_F(BriefingTest, TheHostChambersStaffReadItWhole) {
  const std::string host_staff = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
  Briefing b;
  EXPECT_EQ(Read(host_staff, "", &b).error_code(), grpc::StatusCode::NOT_FOUND);
  socio::v1::UpdateDelegationRequest update;
  update.mutable_delegation()->set_id("mx27");
  update.mutable_delegation()->set_host_chamber_id("canaco-cdmx");
  update.mutable_update_mask()->add_paths("host_chamber_id");
  Delegation updated;
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(WithToken(staff_).get(), update, &updated));
  ASSERT_RPC_OK(Read(host_staff, "", &b));
  EXPECT_EQ(b.staff_notes(), "Bring business cards in Spanish.\nLunch starts late: 14:00.");
  const std::string other_staff = server_->IssueToken(socio::v1::STAFF, "osaka-cci", "");
  EXPECT_EQ(Read(other_staff, "", &b).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(BriefingTest, AnyoneElseFindsNoDelegation) {
  Briefing b;
  const std::string outsider = server_->IssueToken(socio::v1::MEMBER, "", "jp-1");
  const std::string other_staff = server_->IssueToken(socio::v1::STAFF, "osaka-cci", "");
  const std::string host_staff = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
  for (const auto& [token, member] :
       std::vector<std::pair<std::string, std::string>>{{outsider, ""},
                                                        {outsider, "de-1"},
                                                        {other_staff, ""},
                                                        {other_staff, "jp-1"},
                                                        {host_staff, ""},
                                                        {host_staff, "de-1"}}) {
    SCOPED_TRACE(member);
    const grpc::Status status = Read(token, member, &b);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(status.error_message(), "delegation_id: no delegation 'mx27'");
  }
}

TEST_F(BriefingTest, StaffNotesAreLimitedAndARejectedUpdateChangesNothing) {
  socio::v1::UpdateDelegationRequest request;
  request.mutable_delegation()->set_id("mx27");
  request.mutable_delegation()->set_briefing_notes(std::string(4001, 'x'));
  request.mutable_update_mask()->add_paths("briefing_notes");
  Delegation out;
  grpc::Status status =
      server_->delegations().UpdateDelegation(WithToken(staff_).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("delegation.briefing_notes"));
  Briefing b;
  ASSERT_RPC_OK(Read(staff_, "", &b));
  EXPECT_THAT(b.staff_notes(), HasSubstr("business cards"));

  request.mutable_delegation()->set_briefing_notes("Visit the fair on Friday.");
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(WithToken(staff_).get(), request, &out));
  ASSERT_RPC_OK(Read(staff_, "", &b));
  EXPECT_EQ(b.staff_notes(), "Visit the fair on Friday.");
}

TEST_F(BriefingTest, ADayWithoutZoneInACityTzdataDoesNotKnowIsRefusedWhereZonesDiffer) {
  Delegation d = FromJson<Delegation>(kMission);
  d.set_id("us27");
  d.clear_briefing_notes();
  d.set_host_country("US");
  d.clear_hosts();
  d.mutable_days(0)->set_city("Dallas");
  d.mutable_days(1)->set_city("Chicago");
  socio::v1::CreateDelegationRequest request;
  *request.mutable_delegation() = d;
  Delegation out;
  grpc::Status status =
      server_->delegations().CreateDelegation(WithToken(staff_).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("delegation.days[0].time_zone: is required: US has several time zones "
                        "and the city 'Dallas' is not one the reference data knows (US uses "
                        "America/New_York, "));
  // Chicago is known: only Dallas needs its zone.
  request.mutable_delegation()->mutable_days(0)->set_time_zone("America/Chicago");
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(WithToken(staff_).get(), request, &out));
  socio::v1::GetDelegationBriefingRequest read;
  read.set_delegation_id("us27");
  Briefing b;
  ASSERT_RPC_OK(server_->delegations().GetDelegationBriefing(WithToken(staff_).get(), read, &b));
  EXPECT_EQ(b.days(0).city(), "Chicago");  // 2027-03-10: its city's zone
  EXPECT_EQ(b.days(0).venue_time_zone(), "America/Chicago");
  EXPECT_EQ(b.days(1).city(), "Dallas");  // 2027-04-06: as given
  EXPECT_EQ(b.days(1).venue_time_zone(), "America/Chicago");
}

}  // namespace
}  // namespace socio::services
