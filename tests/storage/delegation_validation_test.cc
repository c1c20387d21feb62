#include "storage/delegation_validation.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TestReference;
using socio::v1::Delegation;
using socio::v1::ItineraryDay;
using socio::v1::MeetingPair;
using socio::v1::Participant;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

ItineraryDay* AddDay(Delegation& d, std::string date, std::string city, std::string start,
                     std::string end) {
  ItineraryDay* day = d.add_days();
  day->set_date(std::move(date));
  day->set_city(std::move(city));
  day->set_start_time(std::move(start));
  day->set_end_time(std::move(end));
  return day;
}

Participant* AddParticipant(google::protobuf::RepeatedPtrField<Participant>* list,
                            std::string member_id) {
  Participant* p = list->Add();
  p->set_member_id(std::move(member_id));
  return p;
}

MeetingPair* AddPair(Delegation& d, std::string delegate_id, std::string host_id,
                     MeetingPair::Status status) {
  MeetingPair* pair = d.add_pairs();
  pair->set_delegate_id(std::move(delegate_id));
  pair->set_host_id(std::move(host_id));
  pair->set_status(status);
  return pair;
}

// Two days in Mexico with 30-minute meetings and 10-minute breaks (the
// defaults), so days[0]'s slots start at 09:00, 09:40, 10:20, ...
Delegation ValidDelegation() {
  Delegation d;
  d.set_id("mx27");
  d.set_chamber_id("ihk-muenchen");
  d.set_name("Mission to Mexico 2027");
  d.set_origin_country("DE");
  d.set_host_country("MX");
  AddDay(d, "2027-03-29", "Ciudad de México", "09:00", "17:00")->set_venue("Hotel Geneve");
  AddDay(d, "2027-03-30", "Monterrey", "09:00", "13:00")->set_time_zone("America/Monterrey");
  Participant* de1 = AddParticipant(d.mutable_delegates(), "de-1");
  de1->set_max_meetings(8);
  de1->set_min_meetings(2);
  de1->add_unavailable()->set_date("2027-03-30");  // the whole day
  AddParticipant(d.mutable_delegates(), "de-2");
  Participant* mx1 = AddParticipant(d.mutable_hosts(), "mx-1");
  mx1->set_max_meetings(5);
  socio::v1::Unavailability* lunch = mx1->add_unavailable();
  lunch->set_date("2027-03-29");
  lunch->set_start_time("12:00");
  lunch->set_end_time("14:00");
  d.mutable_host_filter()->set_max_hosts(50);
  d.mutable_host_filter()->add_sectors("10");
  d.mutable_host_filter()->add_sectors("46.3");
  MeetingPair* fixed = AddPair(d, "de-1", "mx-1", MeetingPair::REQUESTED);
  fixed->set_date("2027-03-29");
  fixed->set_start_time("09:40");
  // A host that is not named: the planner adds it.
  AddPair(d, "de-2", "mx-9", MeetingPair::DECLINED);
  return d;
}

absl::Status AfterChange(const std::function<void(Delegation&)>& mutate) {
  Delegation d = ValidDelegation();
  mutate(d);
  return ValidateDelegation(d, *TestReference());
}

TEST(DelegationValidationTest, AcceptsAValidDelegation) {
  EXPECT_THAT(ValidateDelegation(ValidDelegation(), *TestReference()), IsOk());
}

TEST(DelegationValidationTest, AcceptsTheBoundsAndTheZeroDefaults) {
  EXPECT_THAT(AfterChange([](Delegation& d) {
                d.set_meeting_minutes(0);
                d.set_break_minutes(0);
                d.set_tables_per_venue(0);
                d.clear_host_filter();
                d.clear_hosts();
                d.clear_pairs();
              }),
              IsOk());
  EXPECT_THAT(AfterChange([](Delegation& d) {
                d.set_meeting_minutes(5);
                d.set_break_minutes(240);
                d.set_tables_per_venue(1000);
                d.mutable_days(0)->set_tables(1000);
                d.mutable_host_filter()->set_max_hosts(2000);
                d.mutable_pairs(0)->set_start_time("13:05");  // 09:00 + 1 * (5 + 240)
              }),
              IsOk());
  EXPECT_THAT(AfterChange([](Delegation& d) {
                // Windows exactly one meeting long, one in the small hours.
                d.set_meeting_minutes(480);
                d.mutable_days(1)->set_start_time("00:00");
                d.mutable_days(1)->set_end_time("08:00");
                d.clear_pairs();
              }),
              IsOk());
  EXPECT_THAT(
      AfterChange([](Delegation& d) {
        // A leap day, in a city whose zone must be given (Mexico has several).
        AddDay(d, "2028-02-29", "Puebla", "09:00", "10:00")->set_time_zone("America/Mexico_City");
        d.mutable_delegates(0)->set_max_meetings(0);  // no cap, any minimum
        d.mutable_delegates(0)->set_min_meetings(40);
      }),
      IsOk());
}

struct InvalidCase {
  std::string name;
  std::function<void(Delegation&)> mutate;
  // The start of the message: the field path, often with the reason.
  std::string message;
};

std::vector<InvalidCase> InvalidCases() {
  std::vector<InvalidCase> cases = {
      // Ids, name, countries.
      {"id missing", [](Delegation& d) { d.clear_id(); }, "delegation.id: is required"},
      {"id malformed", [](Delegation& d) { d.set_id("mx 27"); }, "delegation.id: 'mx 27'"},
      {"chamber id missing", [](Delegation& d) { d.clear_chamber_id(); },
       "delegation.chamber_id: is required"},
      {"chamber id malformed", [](Delegation& d) { d.set_chamber_id("-ihk"); },
       "delegation.chamber_id: '-ihk'"},
      {"name blank", [](Delegation& d) { d.set_name("  "); }, "delegation.name: is required"},
      {"name too long", [](Delegation& d) { d.set_name(std::string(201, 'n')); },
       "delegation.name: is 201 characters long"},
      {"origin country missing", [](Delegation& d) { d.clear_origin_country(); },
       "delegation.origin_country: is required"},
      {"origin country a name", [](Delegation& d) { d.set_origin_country("Germany"); },
       "delegation.origin_country: 'Germany' is not an ISO 3166-1 alpha-2 country code"},
      {"host country lower case", [](Delegation& d) { d.set_host_country("mx"); },
       "delegation.host_country: 'mx' is not an ISO 3166-1 alpha-2 country code (did you mean "
       "'MX'?)"},
      // Days.
      {"no days", [](Delegation& d) { d.clear_days(); }, "delegation.days: at least one day"},
      {"32 days",
       [](Delegation& d) {
         d.clear_pairs();
         d.mutable_delegates(0)->clear_unavailable();
         d.mutable_hosts(0)->clear_unavailable();
         d.clear_days();
         for (int i = 1; i <= 32; ++i) {
           AddDay(d, absl::StrFormat("2027-%02d-%02d", 1 + i / 28, 1 + i % 28), "Puebla", "09:00",
                  "17:00");
         }
       },
       "delegation.days: has 32 days; at most 31"},
      {"date missing", [](Delegation& d) { d.mutable_days(0)->clear_date(); },
       "delegation.days[0].date: is required (YYYY-MM-DD)"},
      {"date not in the calendar", [](Delegation& d) { d.mutable_days(1)->set_date("2027-02-29"); },
       "delegation.days[1].date: '2027-02-29' is not a calendar date (YYYY-MM-DD)"},
      {"date without leading zeros",
       [](Delegation& d) { d.mutable_days(1)->set_date("2027-3-30"); },
       "delegation.days[1].date: '2027-3-30' is not a calendar date"},
      {"date twice", [](Delegation& d) { AddDay(d, "2027-03-29", "Puebla", "09:00", "17:00"); },
       "delegation.days[2].date: 2027-03-29 is also days[0]"},
      {"city blank", [](Delegation& d) { d.mutable_days(0)->set_city(" "); },
       "delegation.days[0].city: is required"},
      {"venue too long", [](Delegation& d) { d.mutable_days(0)->set_venue(std::string(501, 'v')); },
       "delegation.days[0].venue: is 501 characters long"},
      {"start time missing", [](Delegation& d) { d.mutable_days(0)->clear_start_time(); },
       "delegation.days[0].start_time: is required (HH:MM)"},
      {"start time without leading zero",
       [](Delegation& d) { d.mutable_days(0)->set_start_time("9:00"); },
       "delegation.days[0].start_time: '9:00' is not a time of day (HH:MM)"},
      {"end time past midnight", [](Delegation& d) { d.mutable_days(1)->set_end_time("25:00"); },
       "delegation.days[1].end_time: '25:00' is not a time of day (HH:MM)"},
      {"end before start", [](Delegation& d) { d.mutable_days(0)->set_end_time("08:00"); },
       "delegation.days[0].end_time: 08:00 is not after start_time 09:00"},
      {"end at start", [](Delegation& d) { d.mutable_days(0)->set_end_time("09:00"); },
       "delegation.days[0].end_time: 09:00 is not after start_time 09:00"},
      {"unknown time zone", [](Delegation& d) { d.mutable_days(0)->set_time_zone("Mars/Olympus"); },
       "delegation.days[0].time_zone: 'Mars/Olympus' is not an IANA time zone"},
      {"no zone where the host country has none",
       [](Delegation& d) {
         d.set_host_country("BV");  // Bouvet Island: no tzdata zone
         d.mutable_days(1)->clear_time_zone();
       },
       "delegation.days[0].time_zone: is required"},
      {"no zone for a city tzdata does not know in a country with several",
       [](Delegation& d) {
         d.set_host_country("US");
         d.mutable_days(0)->set_time_zone("America/Chicago");
         d.mutable_days(1)->set_city("Dallas");
         d.mutable_days(1)->clear_time_zone();
       },
       "delegation.days[1].time_zone: is required: US has several time zones and the city "
       "'Dallas' is not one the reference data knows (US uses America/New_York"},
      {"negative tables", [](Delegation& d) { d.mutable_days(0)->set_tables(-1); },
       "delegation.days[0].tables: -1 is outside [0, 1000]"},
      {"too many tables", [](Delegation& d) { d.mutable_days(0)->set_tables(1001); },
       "delegation.days[0].tables: 1001 is outside [0, 1000]"},
      {"window shorter than a meeting",
       [](Delegation& d) { d.mutable_days(1)->set_end_time("09:20"); },
       "delegation.days[1]: the window 09:00-09:20 is shorter than one 30-minute meeting"},
      {"window shorter than a set meeting length",
       [](Delegation& d) {
         d.set_meeting_minutes(300);
         d.clear_pairs();
       },
       "delegation.days[1]: the window 09:00-13:00 is shorter than one 300-minute meeting"},
      // Lengths and tables.
      {"meeting too short", [](Delegation& d) { d.set_meeting_minutes(4); },
       "delegation.meeting_minutes: 4 is outside [5, 480] (0 means 30)"},
      {"meeting too long", [](Delegation& d) { d.set_meeting_minutes(481); },
       "delegation.meeting_minutes: 481"},
      {"negative meeting", [](Delegation& d) { d.set_meeting_minutes(-30); },
       "delegation.meeting_minutes: -30"},
      {"break too long", [](Delegation& d) { d.set_break_minutes(241); },
       "delegation.break_minutes: 241 is outside [0, 240] (0 means 10)"},
      {"negative break", [](Delegation& d) { d.set_break_minutes(-1); },
       "delegation.break_minutes: -1"},
      {"too many tables per venue", [](Delegation& d) { d.set_tables_per_venue(1001); },
       "delegation.tables_per_venue: 1001 is outside [0, 1000]"},
      {"negative tables per venue", [](Delegation& d) { d.set_tables_per_venue(-1); },
       "delegation.tables_per_venue: -1"},
      // Delegates and hosts.
      {"no delegates",
       [](Delegation& d) {
         d.clear_delegates();
         d.clear_pairs();
       },
       "delegation.delegates: at least one delegate is required"},
      {"501 delegates",
       [](Delegation& d) {
         for (int i = 0; i < 499; ++i) {
           AddParticipant(d.mutable_delegates(), absl::StrFormat("de-x%d", i));
         }
       },
       "delegation.delegates: has 501 entries; at most 500"},
      {"5001 hosts",
       [](Delegation& d) {
         for (int i = 0; i < 5000; ++i) {
           AddParticipant(d.mutable_hosts(), absl::StrFormat("mx-x%d", i));
         }
       },
       "delegation.hosts: has 5001 entries; at most 5000"},
      {"delegate id missing", [](Delegation& d) { d.mutable_delegates(1)->clear_member_id(); },
       "delegation.delegates[1].member_id: is required"},
      {"host id malformed", [](Delegation& d) { d.mutable_hosts(0)->set_member_id("mx/1"); },
       "delegation.hosts[0].member_id: 'mx/1'"},
      {"delegate twice", [](Delegation& d) { d.mutable_delegates(1)->set_member_id("de-1"); },
       "delegation.delegates[1].member_id: 'de-1' is also delegates[0]"},
      {"host twice", [](Delegation& d) { AddParticipant(d.mutable_hosts(), "mx-1"); },
       "delegation.hosts[1].member_id: 'mx-1' is also hosts[0]"},
      {"delegate also a host", [](Delegation& d) { AddParticipant(d.mutable_hosts(), "de-2"); },
       "delegation.hosts[1].member_id: 'de-2' is also delegates[1]"},
      {"negative cap of a delegate",
       [](Delegation& d) { d.mutable_delegates(0)->set_max_meetings(-1); },
       "delegation.delegates[0].max_meetings: -1 is negative"},
      {"negative cap of a host", [](Delegation& d) { d.mutable_hosts(0)->set_max_meetings(-2); },
       "delegation.hosts[0].max_meetings: -2 is negative"},
      {"negative minimum", [](Delegation& d) { d.mutable_delegates(1)->set_min_meetings(-1); },
       "delegation.delegates[1].min_meetings: -1 is negative"},
      {"minimum above the cap", [](Delegation& d) { d.mutable_delegates(0)->set_min_meetings(9); },
       "delegation.delegates[0].min_meetings: 9 is more than max_meetings 8"},
      {"minimum of a host", [](Delegation& d) { d.mutable_hosts(0)->set_min_meetings(1); },
       "delegation.hosts[0].min_meetings: applies to delegates only"},
      {"unavailable on a day not in the itinerary",
       [](Delegation& d) {
         d.mutable_delegates(0)->mutable_unavailable(0)->set_date("2027-04-01");
       },
       "delegation.delegates[0].unavailable[0].date: '2027-04-01' is not a day of the itinerary"},
      {"unavailable without a date",
       [](Delegation& d) { d.mutable_hosts(0)->mutable_unavailable(0)->clear_date(); },
       "delegation.hosts[0].unavailable[0].date: is required"},
      {"unavailable with a start only",
       [](Delegation& d) { d.mutable_hosts(0)->mutable_unavailable(0)->clear_end_time(); },
       "delegation.hosts[0].unavailable[0].end_time: is required (HH:MM)"},
      {"unavailable with an end only",
       [](Delegation& d) { d.mutable_hosts(0)->mutable_unavailable(0)->clear_start_time(); },
       "delegation.hosts[0].unavailable[0].start_time: is required (HH:MM)"},
      {"unavailable at a bad time",
       [](Delegation& d) { d.mutable_hosts(0)->mutable_unavailable(0)->set_start_time("12:60"); },
       "delegation.hosts[0].unavailable[0].start_time: '12:60' is not a time of day"},
      {"unavailable ending before it starts",
       [](Delegation& d) { d.mutable_hosts(0)->mutable_unavailable(0)->set_end_time("11:00"); },
       "delegation.hosts[0].unavailable[0].end_time: 11:00 is not after start_time 12:00"},
      {"too many unavailabilities",
       [](Delegation& d) {
         for (int i = 0; i < 100; ++i)
           d.mutable_delegates(0)->add_unavailable()->set_date("2027-03-29");
       },
       "delegation.delegates[0].unavailable: has 101 entries; at most 100"},
      // Host filter.
      {"too many filter hosts", [](Delegation& d) { d.mutable_host_filter()->set_max_hosts(2001); },
       "delegation.host_filter.max_hosts: 2001 is outside [0, 2000]"},
      {"negative filter hosts", [](Delegation& d) { d.mutable_host_filter()->set_max_hosts(-1); },
       "delegation.host_filter.max_hosts: -1"},
      {"unknown sector", [](Delegation& d) { d.mutable_host_filter()->add_sectors("04"); },
       "delegation.host_filter.sectors[2]: '04' is not a NACE Rev. 2 code"},
      {"sector not in Eurostat form",
       [](Delegation& d) { d.mutable_host_filter()->set_sectors(0, "C10"); },
       "delegation.host_filter.sectors[0]: write 'C10' as '10'"},
      {"sector twice", [](Delegation& d) { d.mutable_host_filter()->add_sectors("10"); },
       "delegation.host_filter.sectors[2]: '10' is listed twice"},
      // Pairs.
      {"pair of no delegate", [](Delegation& d) { d.mutable_pairs(0)->set_delegate_id("mx-1"); },
       "delegation.pairs[0].delegate_id: 'mx-1' is not a delegate"},
      {"pair without a delegate", [](Delegation& d) { d.mutable_pairs(1)->clear_delegate_id(); },
       "delegation.pairs[1].delegate_id: is required"},
      {"pair host malformed", [](Delegation& d) { d.mutable_pairs(1)->set_host_id("mx 9"); },
       "delegation.pairs[1].host_id: 'mx 9'"},
      {"pair host is a delegate", [](Delegation& d) { d.mutable_pairs(1)->set_host_id("de-1"); },
       "delegation.pairs[1].host_id: 'de-1' is a delegate"},
      {"pair status missing",
       [](Delegation& d) { d.mutable_pairs(1)->set_status(MeetingPair::STATUS_UNSPECIFIED); },
       "delegation.pairs[1].status: is required"},
      {"pair status unknown",
       [](Delegation& d) { d.mutable_pairs(1)->set_status(static_cast<MeetingPair::Status>(9)); },
       "delegation.pairs[1].status: 9 is not a status"},
      {"same pair twice", [](Delegation& d) { AddPair(d, "de-1", "mx-1", MeetingPair::ACCEPTED); },
       "delegation.pairs[2]: delegate 'de-1' and host 'mx-1' are also pairs[0]"},
      {"fixed date without a start", [](Delegation& d) { d.mutable_pairs(0)->clear_start_time(); },
       "delegation.pairs[0].start_time: is required with date"},
      {"fixed start without a date", [](Delegation& d) { d.mutable_pairs(0)->clear_date(); },
       "delegation.pairs[0].date: is required with start_time"},
      {"fixed date not in the itinerary",
       [](Delegation& d) { d.mutable_pairs(0)->set_date("2027-03-31"); },
       "delegation.pairs[0].date: '2027-03-31' is not a day of the itinerary"},
      {"fixed start not a time", [](Delegation& d) { d.mutable_pairs(0)->set_start_time("9.40"); },
       "delegation.pairs[0].start_time: '9.40' is not a time of day"},
      {"fixed start between slots",
       [](Delegation& d) { d.mutable_pairs(0)->set_start_time("10:05"); },
       "delegation.pairs[0].start_time: 10:05 is not the start of a slot on 2027-03-29 (slots "
       "start at 09:00, 09:40, 10:20, ...)"},
      {"fixed start in the break",
       [](Delegation& d) { d.mutable_pairs(0)->set_start_time("09:30"); },
       "delegation.pairs[0].start_time: 09:30 is not the start of a slot"},
      {"fixed time of a declined pair",
       [](Delegation& d) { d.mutable_pairs(0)->set_status(MeetingPair::DECLINED); },
       "delegation.pairs[0].date: a DECLINED pair never meets"},
  };
  return cases;
}

TEST(DelegationValidationTest, EachRuleRejectsNamingTheFieldAndTheReason) {
  for (const InvalidCase& c : InvalidCases()) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(AfterChange(c.mutate),
                StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(c.message)));
  }
}

TEST(DelegationValidationTest, TitlesCitiesAndVenuesRefuseControlAndDirectionCharacters) {
  EXPECT_THAT(AfterChange([](Delegation& d) { d.set_name("Mission\xE2\x80\xAE" "7202"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("delegation.name: holds the text direction override U+202E")));
  EXPECT_THAT(AfterChange([](Delegation& d) { d.mutable_days(0)->set_city("Puebla\t"); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("delegation.days[0].city: holds the control character U+0009")));
  EXPECT_THAT(AfterChange([](Delegation& d) { d.mutable_days(0)->set_venue("Hall\x7F"); }),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("delegation.days[0].venue")));
}

TEST(DelegationValidationTest, TheSlotListOfAShortDayIsQuotedWhole) {
  EXPECT_THAT(
      AfterChange([](Delegation& d) {
        d.mutable_pairs(0)->set_date("2027-03-30");
        d.mutable_pairs(0)->set_start_time("09:05");
        d.mutable_days(1)->set_end_time("10:10");
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(slots start at 09:00, 09:40)")));
}

TEST(DelegationValidationTest, AnUnknownZoneErrorListsTheHostCountrysZones) {
  EXPECT_THAT(
      AfterChange([](Delegation& d) { d.mutable_days(0)->set_time_zone("Mexico/General"); }),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("MX uses America/Mexico_City"), HasSubstr("America/Monterrey"))));
}

TEST(DelegationValidationTest, AZoneOfAnotherCountryIsAccepted) {
  // A day across the border: the zone need not be the host country's.
  EXPECT_THAT(
      AfterChange([](Delegation& d) { d.mutable_days(1)->set_time_zone("America/Guatemala"); }),
      IsOk());
}

// ValidDelegation with a programme item elsewhere, a travel time, the first
// day's coordinates and an interpreter.
Delegation WithProgramme() {
  Delegation d = ValidDelegation();
  d.mutable_days(0)->set_latitude(19.4326);
  d.mutable_days(0)->set_longitude(-99.1332);
  socio::v1::ProgrammeItem* item = d.add_programme();
  item->set_id("visit-1");
  item->set_kind(socio::v1::ProgrammeItem::COMPANY_VISIT);
  item->set_title("Plant visit");
  item->set_date("2027-03-29");
  item->set_start_time("15:00");
  item->set_end_time("16:30");
  item->mutable_place()->set_name("Planta Vallejo");
  item->mutable_place()->set_latitude(19.49);
  item->mutable_place()->set_longitude(-99.16);
  item->add_member_ids("de-1");
  item->add_member_ids("mx-1");
  socio::v1::ProgrammeTravelTime* t = d.add_travel_times();
  t->set_from("Hotel Geneve");
  t->set_to("Planta Vallejo");
  t->set_minutes(40);
  d.set_travel_speed_kmh(20);
  d.set_min_travel_minutes(10);
  socio::v1::Interpreter* in = d.add_interpreters();
  in->set_name("Ana Ruiz");
  in->add_languages("de");
  in->add_languages("es");
  socio::v1::InterpreterAvailability* a = in->add_available();
  a->set_date("2027-03-29");
  a->set_start_time("09:00");
  a->set_end_time("13:00");
  return d;
}

TEST(DelegationValidationTest, AcceptsAProgrammeTravelTimesAndInterpreters) {
  EXPECT_THAT(ValidateDelegation(WithProgramme(), *TestReference()), IsOk());
}

TEST(DelegationValidationTest, EachProgrammeRuleRejectsNamingTheFieldAndTheReason) {
  const std::vector<InvalidCase> cases = {
      {"item without id", [](Delegation& d) { d.mutable_programme(0)->clear_id(); },
       "delegation.programme[0].id:"},
      {"item id twice", [](Delegation& d) { *d.add_programme() = d.programme(0); },
       "delegation.programme[1].id: 'visit-1' is also programme[0]"},
      {"item without kind", [](Delegation& d) { d.mutable_programme(0)->clear_kind(); },
       "delegation.programme[0].kind: is required"},
      {"item without title", [](Delegation& d) { d.mutable_programme(0)->clear_title(); },
       "delegation.programme[0].title: is required"},
      {"item off the itinerary",
       [](Delegation& d) { d.mutable_programme(0)->set_date("2027-04-01"); },
       "delegation.programme[0].date: '2027-04-01' is not a day of the itinerary"},
      {"item ending before it starts",
       [](Delegation& d) { d.mutable_programme(0)->set_end_time("14:00"); },
       "delegation.programme[0].end_time: 14:00 is not after start_time 15:00"},
      {"item latitude out of range",
       [](Delegation& d) { d.mutable_programme(0)->mutable_place()->set_latitude(91); },
       "delegation.programme[0].place.latitude: 91 is outside [-90, 90] degrees"},
      {"item longitude without latitude",
       [](Delegation& d) { d.mutable_programme(0)->mutable_place()->clear_latitude(); },
       "delegation.programme[0].place.latitude: is required with longitude"},
      {"day longitude out of range", [](Delegation& d) { d.mutable_days(0)->set_longitude(-181); },
       "delegation.days[0].longitude: -181 is outside [-180, 180] degrees"},
      {"nobody attends", [](Delegation& d) { d.mutable_programme(0)->clear_member_ids(); },
       "delegation.programme[0].member_ids: is required unless all_delegates is set"},
      {"attendee outside the delegation",
       [](Delegation& d) { d.mutable_programme(0)->add_member_ids("mx-9"); },
       "delegation.programme[0].member_ids[2]: 'mx-9' is neither a delegate nor a named host"},
      {"travel speed too high", [](Delegation& d) { d.set_travel_speed_kmh(250); },
       "delegation.travel_speed_kmh: 250 is outside [0, 200]"},
      {"negative least travel", [](Delegation& d) { d.set_min_travel_minutes(-1); },
       "delegation.min_travel_minutes: -1 is outside [0, 240]"},
      {"travel to the same place",
       [](Delegation& d) { d.mutable_travel_times(0)->set_to("hotel geneve"); },
       "delegation.travel_times[0].to: is the same place as from"},
      {"travel too long", [](Delegation& d) { d.mutable_travel_times(0)->set_minutes(601); },
       "delegation.travel_times[0].minutes: 601 is outside [0, 600]"},
      {"travel pair twice",
       [](Delegation& d) {
         socio::v1::ProgrammeTravelTime* t = d.add_travel_times();
         t->set_from("Planta Vallejo");
         t->set_to("Hotel Geneve");
       },
       "delegation.travel_times[1]: 'Planta Vallejo' and 'Hotel Geneve' are also travel_times[0]"},
      {"interpreter without name", [](Delegation& d) { d.mutable_interpreters(0)->clear_name(); },
       "delegation.interpreters[0].name: is required"},
      {"interpreter name twice", [](Delegation& d) { *d.add_interpreters() = d.interpreters(0); },
       "delegation.interpreters[1].name: 'Ana Ruiz' is also interpreters[0]"},
      {"interpreter language unknown",
       [](Delegation& d) { d.mutable_interpreters(0)->set_languages(1, "xx"); },
       "delegation.interpreters[0].languages[1]: 'xx' is not an ISO 639-1 language code"},
      {"interpreter with one language",
       [](Delegation& d) { d.mutable_interpreters(0)->mutable_languages()->RemoveLast(); },
       "delegation.interpreters[0].languages: an interpreter needs two languages"},
      {"interpreter pair of one language",
       [](Delegation& d) {
         socio::v1::InterpreterLanguagePair* pair = d.mutable_interpreters(0)->add_language_pairs();
         pair->set_first("es");
         pair->set_second("es");
       },
       "delegation.interpreters[0].language_pairs[0].second: is the same language as first"},
      {"interpreter off the itinerary",
       [](Delegation& d) {
         d.mutable_interpreters(0)->mutable_available(0)->set_date("2027-04-01");
       },
       "delegation.interpreters[0].available[0].date: '2027-04-01' is not a day of the itinerary"},
      {"interpreter hours backwards",
       [](Delegation& d) {
         d.mutable_interpreters(0)->mutable_available(0)->set_end_time("08:00");
       },
       "delegation.interpreters[0].available[0].end_time: 08:00 is not after start_time 09:00"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.name);
    Delegation d = WithProgramme();
    c.mutate(d);
    EXPECT_THAT(ValidateDelegation(d, *TestReference()),
                StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(c.message)));
  }
}

}  // namespace
}  // namespace socio::storage
