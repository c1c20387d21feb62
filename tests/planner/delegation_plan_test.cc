// planner/'s delegation planning on its own: MakePlan, MakeAgenda and
// RankDestinations over an in-memory PlanningSource and access rules given
// as data, with no store, index or server behind them.
#include "planner/delegation_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/delegation_agenda.h"
#include "planner/destinations.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::planner {
namespace {

using socio::testing::FromJson;
using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TestReference;
using socio::v1::Delegation;
using socio::v1::Match;
using socio::v1::Profile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Profiles by id; every pair scores 0.8 with a host in Monterrey and 0.4
// with any other, each explained by one reason.
class FakeSource final : public PlanningSource {
 public:
  void Add(const std::string& id, const std::string& country, const std::string& city) {
    Profile& p = profiles_[id];
    p.set_id(id);
    p.set_name("Company " + id);
    p.set_country(country);
    p.set_city(city);
  }
  void SetLanguages(const std::string& id, const std::vector<std::string>& codes) {
    for (const std::string& code : codes) profiles_[id].add_languages(code);
  }

  absl::StatusOr<Profile> GetProfile(const std::string& id) const override {
    auto it = profiles_.find(id);
    if (it == profiles_.end()) return absl::NotFoundError(id);
    return it->second;
  }
  absl::StatusOr<socio::v1::FactorWeights> ChamberWeights(const std::string&) const override {
    return socio::v1::FactorWeights();
  }
  absl::StatusOr<std::vector<Match>> FindPartners(const std::string& member_id,
                                                  const socio::v1::MatchFilters&, int,
                                                  const socio::v1::FactorWeights&) const override {
    std::vector<Match> found;
    for (const auto& [id, p] : profiles_) {
      if (id == member_id || p.country() == "DE") continue;
      Match& m = found.emplace_back();
      m.set_partner_id(id);
      m.set_partner_country(p.country());
      m.set_score(Score(p));
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const Match& a, const Match& b) { return a.score() > b.score(); });
    return found;
  }
  absl::StatusOr<std::vector<double>> PairScores(const std::vector<std::string>& a_ids,
                                                 const std::vector<std::string>& b_ids,
                                                 const socio::v1::FactorWeights&) const override {
    std::vector<double> scores;
    for (size_t i = 0; i < a_ids.size(); ++i) {
      for (const std::string& b : b_ids) scores.push_back(Score(profiles_.at(b)));
    }
    return scores;
  }
  absl::StatusOr<Match> Explain(const std::string& a_id, const std::string& b_id,
                                const socio::v1::FactorWeights&) const override {
    Match m;
    m.set_partner_id(b_id);
    m.add_reasons(a_id + " and " + b_id + " fit");
    return m;
  }

 private:
  static double Score(const Profile& p) { return p.city() == "Monterrey" ? 0.8 : 0.4; }
  std::map<std::string, Profile> profiles_;
};

// Sees every profile but those in `hidden`.
class FakeAccess final : public ProfileAccess {
 public:
  explicit FakeAccess(std::set<std::string> hidden = {}) : hidden_(std::move(hidden)) {}
  bool CanRead(const Profile& profile) const override { return !hidden_.count(profile.id()); }
  bool SeesPrivatePartners(const Profile&) const override { return hidden_.empty(); }
  bool PartnerVisible(const Profile& member, const Profile& partner, absl::Time) const override {
    return member.id() != partner.id() && !hidden_.count(partner.id());
  }

 private:
  const std::set<std::string> hidden_;
};

class DelegationPlanTest : public ::testing::Test {
 protected:
  DelegationPlanTest() {
    source_.Add("de-1", "DE", "Berlin");
    source_.Add("mx-1", "MX", "Monterrey");
    source_.Add("mx-2", "MX", "León");
    source_.Add("us-1", "US", "Austin");
    inputs_ = {.source = &source_,
               .reference = TestReference().get(),
               .now = absl::FromUnixSeconds(1'800'000'000)};
  }

  // One day in Monterrey, 09:00-10:20: slots at 09:00 and 09:40.
  static Delegation OneDay(const std::string& hosts_json) {
    return FromJson<Delegation>(R"({"id": "mx27", "chamberId": "ihk", "name": "Mission",
        "originCountry": "DE", "hostCountry": "MX", "version": 3,
        "days": [{"date": "2027-03-29", "city": "Monterrey", "startTime": "09:00",
                  "endTime": "10:20", "tables": 2}],
        "delegates": [{"memberId": "de-1"}], )" +
                                hosts_json + "}");
  }

  FakeSource source_;
  PlanningInputs inputs_;
};

TEST_F(DelegationPlanTest, PlansTheNamedHostInItsCityWithReasons) {
  const Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}])");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings_size(), 1);
  const socio::v1::PlannedMeeting& m = plan->meetings(0);
  EXPECT_EQ(m.delegate_id(), "de-1");
  EXPECT_EQ(m.host_id(), "mx-1");
  EXPECT_EQ(m.date(), "2027-03-29");
  EXPECT_THAT(m.local_start(), ::testing::AnyOf("09:00", "09:40"));
  EXPECT_EQ(m.table(), 1);
  EXPECT_THAT(m.reasons(), ElementsAre("de-1 and mx-1 fit"));
  EXPECT_THAT(m.host_reasons(), ElementsAre("mx-1 and de-1 fit"));
  EXPECT_EQ(m.uid(), "mx27-de-1-mx-1@socio");
  EXPECT_THAT(plan->host_ids(), ElementsAre("mx-1"));
  EXPECT_EQ(plan->delegation_version(), 3);
  EXPECT_EQ(plan->plan_time().seconds(), 1'800'000'000);
}

TEST_F(DelegationPlanTest, AFixedLockKeepsItsSlot) {
  const Delegation d = OneDay(R"("pairs": [{"delegateId": "de-1", "hostId": "mx-1",
      "status": "ACCEPTED", "date": "2027-03-29", "startTime": "09:40"}])");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings_size(), 1);
  EXPECT_EQ(plan->meetings(0).local_start(), "09:40");
  EXPECT_EQ(plan->meetings(0).slot(), 1);
  EXPECT_TRUE(plan->meetings(0).locked());
}

TEST_F(DelegationPlanTest, ALockWhoseSlotBecameUnavailableMovesOnARePlan) {
  Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}],
      "pairs": [{"delegateId": "de-1", "hostId": "mx-1", "status": "ACCEPTED"}])");
  absl::StatusOr<socio::v1::DelegationPlan> first = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(first.status(), IsOk());
  ASSERT_EQ(first->meetings_size(), 1);
  const std::string was = first->meetings(0).local_start();
  *d.mutable_plan() = *first;
  // The delegate cannot meet at the lock's time any more.
  socio::v1::Unavailability* away = d.mutable_delegates(0)->add_unavailable();
  away->set_date("2027-03-29");
  away->set_start_time(was);
  away->set_end_time(was == "09:00" ? "09:30" : "10:10");
  absl::StatusOr<socio::v1::DelegationPlan> again = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(again.status(), IsOk());
  ASSERT_EQ(again->meetings_size(), 1);
  EXPECT_NE(again->meetings(0).local_start(), was);
  EXPECT_TRUE(again->meetings(0).locked());
  EXPECT_EQ(again->moved(), 1);
  EXPECT_EQ(again->unplaced_size(), 0);
}

TEST_F(DelegationPlanTest, MovedCountsMeetingsDroppedWithTheirHost) {
  source_.Add("mx-3", "MX", "Monterrey");
  Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}, {"memberId": "mx-3"}])");
  absl::StatusOr<socio::v1::DelegationPlan> first = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(first.status(), IsOk());
  ASSERT_EQ(first->meetings_size(), 2);
  *d.mutable_plan() = *first;
  d.mutable_hosts()->RemoveLast();  // mx-3
  absl::StatusOr<socio::v1::DelegationPlan> again = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(again.status(), IsOk());
  ASSERT_EQ(again->meetings_size(), 1);
  EXPECT_EQ(again->meetings(0).host_id(), "mx-1");
  EXPECT_EQ(again->moved(), 1);  // the meeting with mx-3, dropped
}

TEST_F(DelegationPlanTest, ARemovedHostStaysOutThoughTheFilterWouldPickIt) {
  source_.Add("mx-3", "MX", "Monterrey");
  Delegation d = OneDay(R"("hosts": [{"memberId": "mx-3", "maxMeetings": 1}],
      "hostFilter": {"maxHosts": 5})");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(plan->host_ids(), ElementsAre("mx-3", "mx-1"));
  EXPECT_EQ(plan->named_hosts(), 1);
  d.clear_hosts();
  for (bool fresh : {false, false, true}) {  // and it stays out over later plans
    *d.mutable_plan() = *plan;
    plan = MakePlan(d, fresh, FakeAccess(), inputs_);
    ASSERT_THAT(plan.status(), IsOk());
    EXPECT_THAT(plan->host_ids(), ElementsAre("mx-1"));
    EXPECT_THAT(plan->removed_host_ids(), ElementsAre("mx-3"));
    for (const socio::v1::PlannedMeeting& m : plan->meetings()) EXPECT_EQ(m.host_id(), "mx-1");
  }
  // Named again, it is back.
  *d.mutable_plan() = *plan;
  d.add_hosts()->set_member_id("mx-3");
  plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(plan->host_ids(), ElementsAre("mx-3", "mx-1"));
  EXPECT_THAT(plan->removed_host_ids(), ::testing::IsEmpty());
}

TEST_F(DelegationPlanTest, TheHostFilterPicksOnlyHostsInTheItinerarysCities) {
  Delegation d = OneDay(R"("hosts": [])");
  d.mutable_host_filter()->set_max_hosts(5);
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(plan->host_ids(), ElementsAre("mx-1"));  // not mx-2 in León, not us-1
}

TEST_F(DelegationPlanTest, ANamedHostOutsideTheItineraryFailsNamingTheField) {
  EXPECT_THAT(MakePlan(OneDay(R"("hosts": [{"memberId": "mx-2"}])"), false, FakeAccess(), inputs_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(StartsWith("delegation.hosts[0].member_id: 'mx-2' is in 'León'"),
                             HasSubstr("(Monterrey)"))));
  EXPECT_THAT(MakePlan(OneDay(R"("hosts": [{"memberId": "us-1"}])"), false, FakeAccess(), inputs_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is in US, not in MX")));
}

TEST_F(DelegationPlanTest, ACompanyTheStaffMayNotSeeIsNamedAsIfMissing) {
  const Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}])");
  EXPECT_THAT(
      CheckNamedCompanies(d, source_, FakeAccess({"mx-1"}), absl::StatusCode::kInvalidArgument),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "delegation.hosts[0]: no company 'mx-1' that chamber 'ihk' may see"));
  EXPECT_THAT(MakePlan(d, false, FakeAccess({"mx-1"}), inputs_),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DelegationPlanTest, AgendasNameOnlyWhatTheViewerMaySee) {
  Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}])");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  *d.mutable_plan() = *plan;
  absl::StatusOr<socio::v1::Agenda> whole =
      MakeAgenda(d, "", socio::v1::GetAgendaRequest::CSV, FakeAccess({"mx-1"}), inputs_);
  ASSERT_THAT(whole.status(), IsOk());
  EXPECT_THAT(whole->content(), HasSubstr("Company de-1"));
  EXPECT_FALSE(absl::StrContains(whole->content(), "Company mx-1"));
  absl::StatusOr<socio::v1::Agenda> mine =
      MakeAgenda(d, "de-1", socio::v1::GetAgendaRequest::ICALENDAR, FakeAccess({"mx-1"}), inputs_);
  ASSERT_THAT(mine.status(), IsOk());
  EXPECT_THAT(mine->content(), HasSubstr("a company of the delegation"));
  EXPECT_TRUE(mine->meetings(0).host_id().empty());
  EXPECT_THAT(MakeAgenda(d, "", socio::v1::GetAgendaRequest::ICALENDAR, FakeAccess(), inputs_),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("member_id:")));
  EXPECT_THAT(MakeAgenda(d, "us-1", socio::v1::GetAgendaRequest::CSV, FakeAccess(), inputs_),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(DelegationPlanTest, TravelToAnItemElsewhereKeepsTheSlotBeforeItFree) {
  // A briefing for all delegates takes the 09:00 slot; a visit at 10:15
  // elsewhere leaves the 09:40 slot (to 10:10) free only when the trip takes
  // under 5 minutes.
  const std::string programme = R"(, "programme": [
      {"id": "brief", "kind": "BRIEFING", "title": "Briefing", "date": "2027-03-29",
       "startTime": "09:00", "endTime": "09:30", "allDelegates": true},
      {"id": "visit", "kind": "COMPANY_VISIT", "title": "Plant", "date": "2027-03-29",
       "startTime": "10:15", "endTime": "10:45", "place": {"name": "Planta"},
       "memberIds": ["de-1"]}],
      "travelTimes": [{"from": "Planta", "to": "Expo", "minutes": )";
  Delegation far = OneDay(R"("hosts": [{"memberId": "mx-1"}])" + programme + "30}]");
  far.mutable_days(0)->set_venue("Expo");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(far, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_EQ(plan->meetings_size(), 0);

  Delegation near = OneDay(R"("hosts": [{"memberId": "mx-1"}])" + programme + "4}]");
  near.mutable_days(0)->set_venue("Expo");
  plan = MakePlan(near, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings_size(), 1);
  EXPECT_EQ(plan->meetings(0).local_start(), "09:40");
}

TEST_F(DelegationPlanTest, CompaniesSharingNoLanguageAreFlaggedAndGivenAnInterpreter) {
  source_.SetLanguages("de-1", {"de"});
  source_.SetLanguages("mx-1", {"es"});
  Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}],
      "interpreters": [{"name": "Ana", "languagePairs": [{"first": "es", "second": "de"}]}])");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings_size(), 1);
  const socio::v1::PlannedMeeting& m = plan->meetings(0);
  EXPECT_TRUE(m.needs_interpreter());
  EXPECT_THAT(m.delegate_languages(), ElementsAre("de"));
  EXPECT_THAT(m.host_languages(), ElementsAre("es"));
  EXPECT_EQ(m.interpreter(), "Ana");
  EXPECT_EQ(plan->interpreter_gaps_size(), 0);

  // The agenda names the interpreter.
  *d.mutable_plan() = *plan;
  absl::StatusOr<socio::v1::Agenda> agenda =
      MakeAgenda(d, "de-1", socio::v1::GetAgendaRequest::ICALENDAR, FakeAccess(), inputs_);
  ASSERT_THAT(agenda.status(), IsOk());
  EXPECT_THAT(agenda->content(), HasSubstr("Interpreter: Ana"));

  // Without an interpreter for German and Spanish the meeting is still
  // planned, and reported.
  d.mutable_interpreters(0)->mutable_language_pairs(0)->set_second("fr");
  plan = MakePlan(d, true, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->meetings_size(), 1);
  EXPECT_TRUE(plan->meetings(0).interpreter().empty());
  ASSERT_EQ(plan->interpreter_gaps_size(), 1);
  EXPECT_EQ(plan->interpreter_gaps(0).delegate_id(), "de-1");
  EXPECT_EQ(plan->interpreter_gaps(0).local_start(), plan->meetings(0).local_start());
  EXPECT_EQ(plan->interpreter_gaps(0).reason(), "no interpreter translates between de and es");
}

TEST_F(DelegationPlanTest, AgendasHoldTheProgrammeItemsACompanyAttends) {
  Delegation d = OneDay(R"("hosts": [{"memberId": "mx-1"}], "programme": [
      {"id": "welcome", "kind": "RECEPTION", "title": "Welcome", "date": "2027-03-29",
       "startTime": "18:00", "endTime": "20:00",
       "place": {"name": "Casa", "address": "Calle 1, Monterrey"}, "allDelegates": true}])");
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(d, false, FakeAccess(), inputs_);
  ASSERT_THAT(plan.status(), IsOk());
  *d.mutable_plan() = *plan;
  absl::StatusOr<socio::v1::Agenda> delegate =
      MakeAgenda(d, "de-1", socio::v1::GetAgendaRequest::ICALENDAR, FakeAccess(), inputs_);
  ASSERT_THAT(delegate.status(), IsOk());
  // 18:00 in Monterrey (UTC-6) is 00:00 UTC the next day.
  EXPECT_THAT(
      delegate->content(),
      AllOf(HasSubstr("UID:mx27-item-welcome@socio"), HasSubstr("SUMMARY:Reception: Welcome"),
            HasSubstr("DTSTART:20270330T000000Z"),
            HasSubstr("LOCATION:Casa\\, Calle 1\\, Monterrey"), HasSubstr("allow 15 minutes")));
  ASSERT_EQ(delegate->programme_size(), 1);
  EXPECT_EQ(delegate->programme(0).id(), "welcome");
  EXPECT_TRUE(delegate->programme(0).member_ids().empty());
  absl::StatusOr<socio::v1::Agenda> host =
      MakeAgenda(d, "mx-1", socio::v1::GetAgendaRequest::CSV, FakeAccess(), inputs_);
  ASSERT_THAT(host.status(), IsOk());
  EXPECT_THAT(host->content(), Not(HasSubstr("Welcome")));
  EXPECT_EQ(host->programme_size(), 0);
  absl::StatusOr<socio::v1::Agenda> csv =
      MakeAgenda(d, "de-1", socio::v1::GetAgendaRequest::CSV, FakeAccess(), inputs_);
  ASSERT_THAT(csv.status(), IsOk());
  EXPECT_THAT(csv->content(), HasSubstr("2027-03-29,18:00,20:00"));
}

TEST_F(DelegationPlanTest, DestinationsRankTheCountryOfTheBestPartnersFirst) {
  socio::v1::RecommendDestinationsRequest request;
  request.add_delegate_ids("de-1");
  absl::StatusOr<socio::v1::RecommendDestinationsResponse> ranked =
      RankDestinations(request, FakeAccess(), inputs_);
  ASSERT_THAT(ranked.status(), IsOk());
  ASSERT_EQ(ranked->destinations_size(), 2);
  EXPECT_EQ(ranked->destinations(0).country(), "MX");
  EXPECT_EQ(ranked->destinations(0).strong_partners(), 1);
  EXPECT_EQ(ranked->destinations(0).cities(0).city(), "Monterrey");
  EXPECT_EQ(ranked->destinations(1).country(), "US");
  request.add_exclude_countries("MX");
  ranked = RankDestinations(request, FakeAccess(), inputs_);
  ASSERT_THAT(ranked.status(), IsOk());
  ASSERT_EQ(ranked->destinations_size(), 1);
  request.set_delegate_ids(0, "nobody");
  EXPECT_THAT(RankDestinations(request, FakeAccess(), inputs_),
              StatusIs(absl::StatusCode::kNotFound, "delegate_ids[0]: no profile 'nobody'"));
}

}  // namespace
}  // namespace socio::planner
