// 300 random delegations with programme items, travel between places and
// interpreters, planned through MakePlan and checked by rules written here,
// apart from the planner's code: no meeting of a company overlaps an item it
// attends or the travel to and from it; every meeting whose companies share
// no language is flagged, and only those; an assigned interpreter covers the
// two languages, works at that time and sits in one meeting at a time; the
// plan lists exactly the flagged meetings left without one.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "planner/delegation_plan.h"
#include "reference/itinerary.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::planner {
namespace {

using socio::testing::IsOk;
using socio::testing::TestReference;
using socio::v1::Delegation;
using socio::v1::Match;
using socio::v1::Profile;
using socio::v1::ProgrammeItem;

constexpr int kMeetingMinutes = 30;  // the delegation's default
const char* const kLanguages[] = {"de", "en", "es", "fr"};

// Profiles with random languages; a pair's score from a hash of its ids.
class RandomSource final : public PlanningSource {
 public:
  void Add(Profile p) { profiles_[p.id()] = std::move(p); }
  absl::StatusOr<Profile> GetProfile(const std::string& id) const override {
    auto it = profiles_.find(id);
    if (it == profiles_.end()) return absl::NotFoundError(id);
    return it->second;
  }
  absl::StatusOr<socio::v1::FactorWeights> ChamberWeights(const std::string&) const override {
    return socio::v1::FactorWeights();
  }
  absl::StatusOr<std::vector<Match>> FindPartners(const std::string&,
                                                  const socio::v1::MatchFilters&, int,
                                                  const socio::v1::FactorWeights&) const override {
    return std::vector<Match>();
  }
  absl::StatusOr<std::vector<double>> PairScores(const std::vector<std::string>& a_ids,
                                                 const std::vector<std::string>& b_ids,
                                                 const socio::v1::FactorWeights&) const override {
    std::vector<double> scores;
    for (const std::string& a : a_ids) {
      for (const std::string& b : b_ids) {
        scores.push_back(static_cast<double>(std::hash<std::string>()(a + "|" + b) % 1000) / 1000);
      }
    }
    return scores;
  }
  absl::StatusOr<Match> Explain(const std::string&, const std::string& b_id,
                                const socio::v1::FactorWeights&) const override {
    Match m;
    m.set_partner_id(b_id);
    return m;
  }

 private:
  std::map<std::string, Profile> profiles_;
};

class SeesAll final : public ProfileAccess {
 public:
  bool CanRead(const Profile&) const override { return true; }
  bool SeesPrivatePartners(const Profile&) const override { return true; }
  bool PartnerVisible(const Profile& a, const Profile& b, absl::Time) const override {
    return a.id() != b.id();
  }
};

struct Instance {
  Delegation delegation;
  RandomSource source;
  std::map<std::string, std::vector<std::string>> languages;  // by member id
};

// Places: the venue, and three others with or without coordinates.
struct TestPlace {
  std::string name;
  bool located;
  double latitude, longitude;
};

void RandomInstance(uint64_t seed, Instance* out) {
  std::mt19937_64 random(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(random); };
  auto real = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(random);
  };
  Delegation& d = out->delegation;
  d.set_id("mx27");
  d.set_chamber_id("ihk");
  d.set_name("Mission");
  d.set_origin_country("DE");
  d.set_host_country("MX");
  const int days = uniform(1, 3);
  const bool venue_located = chance(0.7);
  for (int i = 0; i < days; ++i) {
    socio::v1::ItineraryDay* day = d.add_days();
    day->set_date(absl::StrFormat("2027-03-%02d", 29 + i));
    day->set_city("Monterrey");
    day->set_venue("cintermex");
    day->set_start_time("09:00");
    day->set_end_time(absl::StrFormat("%02d:00", uniform(11, 16)));
    day->set_tables(uniform(1, 4));
    if (venue_located) {
      day->set_latitude(25.6785);
      day->set_longitude(-100.2849);
    }
  }
  auto add_company = [&](const std::string& id, const std::string& country) {
    Profile p;
    p.set_id(id);
    p.set_name(id);
    p.set_country(country);
    p.set_city(country == "MX" ? "Monterrey" : "Berlin");
    std::vector<std::string>& spoken = out->languages[id];
    for (const char* code : kLanguages) {
      if (chance(0.35)) {
        p.add_languages(code);
        spoken.push_back(code);
      }
    }
    out->source.Add(p);
  };
  std::vector<std::string> members;
  const int delegates = uniform(2, 6);
  const int hosts = uniform(3, 10);
  for (int i = 0; i < delegates; ++i) {
    const std::string id = absl::StrCat("de-", i);
    add_company(id, "DE");
    socio::v1::Participant* p = d.add_delegates();
    p->set_member_id(id);
    if (chance(0.5)) p->set_max_meetings(uniform(1, 4));
    members.push_back(id);
  }
  for (int i = 0; i < hosts; ++i) {
    const std::string id = absl::StrCat("mx-", i);
    add_company(id, "MX");
    d.add_hosts()->set_member_id(id);
    members.push_back(id);
  }
  std::vector<TestPlace> places = {{"cintermex", venue_located, 25.6785, -100.2849}};
  for (const char* name : {"planta norte", "museo", "hotel"}) {
    places.push_back(
        {name, chance(0.7), 25.6785 + real(-0.15, 0.15), -100.2849 + real(-0.15, 0.15)});
  }
  if (chance(0.5)) d.set_travel_speed_kmh(chance(0.5) ? 15 : 40);
  if (chance(0.5)) d.set_min_travel_minutes(uniform(1, 30));
  if (chance(0.5)) {
    socio::v1::ProgrammeTravelTime* t = d.add_travel_times();
    t->set_from(places[uniform(1, 3)].name);
    t->set_to("cintermex");
    t->set_minutes(uniform(0, 60));
  }
  const int items = uniform(0, 5);
  for (int i = 0; i < items; ++i) {
    ProgrammeItem* item = d.add_programme();
    item->set_id(absl::StrCat("item-", i));
    item->set_kind(static_cast<ProgrammeItem::Kind>(uniform(1, 5)));
    item->set_title(absl::StrCat("Item ", i));
    item->set_date(d.days(uniform(0, days - 1)).date());
    const int start = uniform(8 * 12, 16 * 12) * 5;
    item->set_start_time(reference::FormatTimeOfDay(start));
    item->set_end_time(reference::FormatTimeOfDay(start + uniform(3, 24) * 5));
    const TestPlace& place = places[uniform(0, 3)];
    if (place.name != "cintermex" || chance(0.5)) {
      item->mutable_place()->set_name(place.name);
      if (place.located) {
        item->mutable_place()->set_latitude(place.latitude);
        item->mutable_place()->set_longitude(place.longitude);
      }
    }
    item->set_all_delegates(chance(0.4));
    for (const std::string& id : members) {
      if (chance(0.25)) item->add_member_ids(id);
    }
    if (!item->all_delegates() && item->member_ids().empty()) item->add_member_ids(members[0]);
  }
  const int interpreters = uniform(0, 3);
  for (int i = 0; i < interpreters; ++i) {
    socio::v1::Interpreter* in = d.add_interpreters();
    in->set_name(absl::StrCat("interpreter ", i));
    if (chance(0.5)) {
      for (const char* code : kLanguages) {
        if (chance(0.6)) in->add_languages(code);
      }
    }
    if (in->languages_size() < 2) {
      in->clear_languages();
      socio::v1::InterpreterLanguagePair* pair = in->add_language_pairs();
      pair->set_first(kLanguages[uniform(0, 1)]);
      pair->set_second(kLanguages[uniform(2, 3)]);
    }
    if (chance(0.5)) {
      socio::v1::InterpreterAvailability* a = in->add_available();
      a->set_date(d.days(uniform(0, days - 1)).date());
      if (chance(0.6)) {
        const int from = uniform(9 * 4, 12 * 4) * 15;
        a->set_start_time(reference::FormatTimeOfDay(from));
        a->set_end_time(reference::FormatTimeOfDay(from + uniform(2, 16) * 15));
      }
    }
  }
}

// --- The checker's own rules. ---

double GreatCircleKm(double lat1, double lng1, double lat2, double lng2) {
  // The spherical law of cosines (the planner uses the haversine).
  const double r = M_PI / 180;
  const double c = std::sin(lat1 * r) * std::sin(lat2 * r) +
                   std::cos(lat1 * r) * std::cos(lat2 * r) * std::cos((lng2 - lng1) * r);
  return 6371 * std::acos(std::clamp(c, -1.0, 1.0));
}

int CheckerTravel(const Delegation& d, const socio::v1::ItineraryDay& day,
                  const ProgrammeItem& item) {
  const std::string place = absl::AsciiStrToLower(item.place().name());
  if (place.empty() || place == absl::AsciiStrToLower(day.venue())) return 0;
  const int minimum = d.min_travel_minutes() > 0 ? d.min_travel_minutes() : 15;
  for (const socio::v1::ProgrammeTravelTime& t : d.travel_times()) {
    const std::string a = absl::AsciiStrToLower(t.from()), b = absl::AsciiStrToLower(t.to());
    if ((a == place && b == absl::AsciiStrToLower(day.venue())) ||
        (b == place && a == absl::AsciiStrToLower(day.venue()))) {
      return t.minutes();
    }
  }
  if (!day.has_latitude() || !item.place().has_latitude()) return minimum;
  const double speed = d.travel_speed_kmh() > 0 ? d.travel_speed_kmh() : 25;
  const double km = GreatCircleKm(day.latitude(), day.longitude(), item.place().latitude(),
                                  item.place().longitude());
  return std::max(minimum, static_cast<int>(std::ceil(km / speed * 60)));
}

bool IsDelegate(const Delegation& d, const std::string& id) {
  for (const auto& p : d.delegates()) {
    if (p.member_id() == id) return true;
  }
  return false;
}

bool AttendsItem(const Delegation& d, const ProgrammeItem& item, const std::string& id) {
  if (item.all_delegates() && IsDelegate(d, id)) return true;
  return std::count(item.member_ids().begin(), item.member_ids().end(), id) > 0;
}

bool Shares(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (std::count(b.begin(), b.end(), x) > 0) return true;
  }
  return false;
}

bool InterpreterCovers(const socio::v1::Interpreter& in, const std::vector<std::string>& a,
                       const std::vector<std::string>& b) {
  for (const auto& pair : in.language_pairs()) {
    const std::vector<std::string> first = {pair.first()}, second = {pair.second()};
    if ((Shares(a, first) && Shares(b, second)) || (Shares(a, second) && Shares(b, first))) {
      return true;
    }
  }
  const std::vector<std::string> spoken(in.languages().begin(), in.languages().end());
  return Shares(a, spoken) && Shares(b, spoken);
}

bool InterpreterWorks(const socio::v1::Interpreter& in, const std::string& date, int start,
                      int end) {
  if (in.available().empty()) return true;
  for (const auto& a : in.available()) {
    if (a.date() != date) continue;
    if (a.start_time().empty()) return true;
    if (*reference::ParseTimeOfDay(a.start_time()) <= start &&
        end <= *reference::ParseTimeOfDay(a.end_time())) {
      return true;
    }
  }
  return false;
}

struct Tally {
  int meetings = 0;
  int items = 0;
  int flagged = 0;
  int covered = 0;
};

void CheckPlan(const Instance& instance, const socio::v1::DelegationPlan& plan, Tally* tally) {
  const Delegation& d = instance.delegation;
  std::map<std::string, const socio::v1::ItineraryDay*> day_of;
  for (const auto& day : d.days()) day_of[day.date()] = &day;
  std::set<std::tuple<std::string, int, std::string>> busy;    // (date, start, company)
  std::set<std::tuple<std::string, int, std::string>> booked;  // (date, start, interpreter)
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::pair<std::string, int>, int> per_slot;
  std::set<std::pair<std::string, std::string>> uncovered;
  tally->items += d.programme_size();
  // Every place away from its day's venue is reported once, with the
  // checker's minutes; no other.
  std::map<std::pair<std::string, std::string>, int> travel;
  for (const socio::v1::ProgrammeTravelTime& t : plan.travel_times()) {
    ASSERT_TRUE(
        travel
            .emplace(std::make_pair(absl::AsciiStrToLower(t.from()), absl::AsciiStrToLower(t.to())),
                     t.minutes())
            .second)
        << t.ShortDebugString();
  }
  std::set<std::pair<std::string, std::string>> away;
  for (const ProgrammeItem& item : d.programme()) {
    const socio::v1::ItineraryDay& day = *day_of.at(item.date());
    const std::string venue = absl::AsciiStrToLower(day.venue());
    const std::string place = absl::AsciiStrToLower(item.place().name());
    if (place.empty() || place == venue) continue;
    away.insert({venue, place});
    auto it = travel.find({venue, place});
    ASSERT_NE(it, travel.end()) << item.ShortDebugString();
    ASSERT_EQ(it->second, CheckerTravel(d, day, item)) << item.ShortDebugString();
  }
  ASSERT_EQ(away.size(), travel.size());
  for (const socio::v1::PlannedMeeting& m : plan.meetings()) {
    ++tally->meetings;
    const int start = *reference::ParseTimeOfDay(m.local_start());
    const int end = start + kMeetingMinutes;
    ASSERT_TRUE(pairs.insert({m.delegate_id(), m.host_id()}).second) << m.ShortDebugString();
    ASSERT_TRUE(busy.insert({m.date(), start, m.delegate_id()}).second) << m.ShortDebugString();
    ASSERT_TRUE(busy.insert({m.date(), start, m.host_id()}).second) << m.ShortDebugString();
    ASSERT_LE(++per_slot[std::make_pair(m.date(), start)], day_of.at(m.date())->tables());
    ASSERT_LE(m.table(), day_of.at(m.date())->tables());
    for (const ProgrammeItem& item : d.programme()) {
      if (item.date() != m.date()) continue;
      if (!AttendsItem(d, item, m.delegate_id()) && !AttendsItem(d, item, m.host_id())) continue;
      const int travel = CheckerTravel(d, *day_of.at(m.date()), item);
      const int from = *reference::ParseTimeOfDay(item.start_time()) - travel;
      const int to = *reference::ParseTimeOfDay(item.end_time()) + travel;
      ASSERT_TRUE(end <= from || start >= to)
          << m.ShortDebugString() << " overlaps " << item.ShortDebugString() << " with " << travel
          << " minutes of travel";
    }
    const std::vector<std::string>& a = instance.languages.at(m.delegate_id());
    const std::vector<std::string>& b = instance.languages.at(m.host_id());
    const bool needs = !a.empty() && !b.empty() && !Shares(a, b);
    ASSERT_EQ(m.needs_interpreter(), needs) << m.ShortDebugString();
    if (!needs) {
      ASSERT_TRUE(m.interpreter().empty());
      continue;
    }
    ++tally->flagged;
    ASSERT_EQ(
        std::vector<std::string>(m.delegate_languages().begin(), m.delegate_languages().end()), a);
    ASSERT_EQ(std::vector<std::string>(m.host_languages().begin(), m.host_languages().end()), b);
    if (m.interpreter().empty()) {
      uncovered.insert({m.delegate_id(), m.host_id()});
      continue;
    }
    ++tally->covered;
    const socio::v1::Interpreter* in = nullptr;
    for (const auto& i : d.interpreters()) {
      if (i.name() == m.interpreter()) in = &i;
    }
    ASSERT_NE(in, nullptr) << m.interpreter();
    ASSERT_TRUE(InterpreterCovers(*in, a, b)) << m.ShortDebugString();
    ASSERT_TRUE(InterpreterWorks(*in, m.date(), start, end)) << m.ShortDebugString();
    ASSERT_TRUE(booked.insert({m.date(), start, m.interpreter()}).second) << m.ShortDebugString();
  }
  std::set<std::pair<std::string, std::string>> reported;
  for (const socio::v1::InterpreterGap& gap : plan.interpreter_gaps()) {
    reported.insert({gap.delegate_id(), gap.host_id()});
    EXPECT_FALSE(gap.reason().empty());
  }
  ASSERT_EQ(reported, uncovered);
}

class ProgrammePlanTest : public ::testing::TestWithParam<int> {};

TEST_P(ProgrammePlanTest, ItemsTravelAndInterpretersHoldInEveryRandomPlan) {
  constexpr int kPlansPerShard = 100;
  Tally tally;
  PlanOptions options;
  options.search_work = 20'000;
  for (int k = 0; k < kPlansPerShard; ++k) {
    const uint64_t seed = static_cast<uint64_t>(GetParam()) * kPlansPerShard + k;
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Instance instance;
    RandomInstance(seed, &instance);
    const PlanningInputs inputs{.source = &instance.source,
                                .reference = TestReference().get(),
                                .now = absl::FromUnixSeconds(1'800'000'000)};
    absl::StatusOr<socio::v1::DelegationPlan> plan =
        MakePlan(instance.delegation, true, SeesAll(), inputs, options);
    ASSERT_THAT(plan.status(), IsOk());
    CheckPlan(instance, *plan, &tally);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // The instances exercise what they check.
  EXPECT_GT(tally.meetings, 300);
  EXPECT_GT(tally.items, 100);
  EXPECT_GT(tally.flagged, 20);
  EXPECT_GT(tally.covered, 5);
}

INSTANTIATE_TEST_SUITE_P(Shards, ProgrammePlanTest, ::testing::Range(0, 3));

}  // namespace
}  // namespace socio::planner
