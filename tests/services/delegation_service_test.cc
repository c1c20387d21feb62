// DelegationService over a real loopback server and a real RocksDB: plans
// that keep every rule of a valid schedule, re-plans that move nothing
// needlessly, agendas, destinations, and the errors staff get.
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"

namespace socio::services {
namespace {

using grpc::StatusCode;
using socio::testing::FromJson;
using socio::testing::TestServer;
using socio::v1::Delegation;
using socio::v1::PlannedMeeting;
using ::testing::HasSubstr;

// German makers looking for Mexican distributors and agents; Mexican
// distributors and agents in the two cities the mission visits, one in a
// city it does not visit, one private to another chamber; a few others.
constexpr const char*
    kMembers[] =
        {
            R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "employees": 300, "languages": ["de", "en", "es"], "description": "Machine tools for metal working.", "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"], "note": "Distributor of machine tools in Mexico"}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
            R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Bauer Autoteile", "country": "DE", "city": "Augsburg", "sectors": ["29.32"], "employees": 120, "languages": ["de", "en"], "description": "Car parts supplier.", "objectives": [{"type": "AGENCY", "direction": "SEEK", "sectors": ["46.1"], "markets": ["MX"], "note": "Sales agent for the automotive industry"}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
            R"({"id": "de-3", "chamberId": "ihk-muenchen", "name": "Koch Lebensmitteltechnik", "country": "DE", "city": "Ingolstadt", "sectors": ["28.93"], "employees": 60, "languages": ["de", "en"], "description": "Machinery for food processing.", "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"], "note": "Distributor of food machinery"}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
            R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora Industrial del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "employees": 80, "languages": ["es", "en"], "description": "Distributor of machine tools.", "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX"], "note": "We distribute German machinery"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Maquinaria Azteca", "country": "MX", "city": "Ciudad de Mexico", "sectors": ["46.69"], "employees": 45, "languages": ["es"], "description": "Industrial machinery wholesaler.", "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-3", "chamberId": "canaco-cdmx", "name": "Agentes Automotrices", "country": "MX", "city": "ciudad de méxico", "sectors": ["46.18"], "employees": 12, "languages": ["es", "en"], "description": "Sales agents for car parts.", "objectives": [{"type": "AGENCY", "direction": "OFFER", "sectors": ["29.3"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-4", "chamberId": "caintra-nl", "name": "Regio Distribución", "country": "MX", "city": "Monterrey", "sectors": ["46.62"], "employees": 150, "languages": ["es", "en"], "description": "Distributor of machine tools in the north.", "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX", "US"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-5", "chamberId": "caintra-nl", "name": "Norte Alimentos Equipos", "country": "MX", "city": "Monterrey", "sectors": ["46.69"], "employees": 30, "languages": ["es"], "description": "Food machinery distribution.", "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.93"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-6", "chamberId": "caintra-nl", "name": "Agencia Automotriz Regia", "country": "MX", "city": "Monterrey", "sectors": ["46.18"], "employees": 20, "languages": ["es", "en"], "description": "Automotive sales agency.", "objectives": [{"type": "AGENCY", "direction": "OFFER", "sectors": ["29"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-7", "chamberId": "canaco-guadalajara", "name": "Tapatía Industrial", "country": "MX", "city": "Guadalajara", "sectors": ["46.62"], "employees": 40, "languages": ["es"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-8", "chamberId": "caintra-nl", "name": "Privada SA", "country": "MX", "city": "Monterrey", "sectors": ["46.62"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER"}], "visibility": "PRIVATE"})",
            R"({"id": "br-1", "chamberId": "acsp-sao-paulo", "name": "Paulista Representações", "country": "BR", "city": "São Paulo", "sectors": ["46.14"], "languages": ["pt"], "objectives": [{"type": "AGENCY", "direction": "OFFER", "markets": ["BR"]}], "targetMarkets": ["BR"], "visibility": "FEDERATION"})",
            R"({"id": "jp-1", "chamberId": "osaka-cci", "name": "Naniwa Optics", "country": "JP", "city": "Osaka", "sectors": ["26.70"], "languages": ["ja"], "objectives": [{"type": "LICENSING", "direction": "OFFER", "markets": ["KR"]}], "targetMarkets": ["KR"], "visibility": "FEDERATION"})",
};

// Two days, the later one listed first; four 30-minute slots a day (09:00,
// 09:40, 10:20, 11:00); two tables in Mexico City.
constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [
    {"date": "2027-03-30", "city": "Monterrey", "venue": "Cintermex", "startTime": "09:00", "endTime": "12:00"},
    {"date": "2027-03-29", "city": "Ciudad de México", "venue": "CANACO", "timeZone": "America/Mexico_City", "startTime": "09:00", "endTime": "12:00", "tables": 2}
  ],
  "meetingMinutes": 30, "breakMinutes": 10,
  "delegates": [
    {"memberId": "de-1", "maxMeetings": 4},
    {"memberId": "de-2", "minMeetings": 2},
    {"memberId": "de-3", "unavailable": [{"date": "2027-03-30"}]}
  ],
  "hosts": [{"memberId": "mx-1"}, {"memberId": "mx-4"}],
  "hostFilter": {"maxHosts": 10},
  "pairs": [
    {"delegateId": "de-1", "hostId": "mx-2", "status": "REQUESTED"},
    {"delegateId": "de-2", "hostId": "mx-1", "status": "DECLINED"}
  ]
})";

class DelegationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(server_, TestServer::Start({.dev_insecure = true}));
    for (const char* json : kMembers) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<socio::v1::Profile>(json);
      socio::v1::Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(Context().get(), request, &created));
      city_[created.id()] = created.city();
    }
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return context;
  }

  grpc::Status Create(const Delegation& d, Delegation* out) {
    socio::v1::CreateDelegationRequest request;
    *request.mutable_delegation() = d;
    return server_->delegations().CreateDelegation(Context().get(), request, out);
  }

  grpc::Status Plan(const std::string& id, Delegation* out, bool fresh = false) {
    socio::v1::PlanDelegationRequest request;
    request.set_id(id);
    request.set_fresh(fresh);
    return server_->delegations().PlanDelegation(Context().get(), request, out);
  }

  grpc::Status Agenda(const std::string& id, const std::string& member,
                      socio::v1::GetAgendaRequest::Format format, socio::v1::Agenda* out) {
    socio::v1::GetAgendaRequest request;
    request.set_delegation_id(id);
    request.set_member_id(member);
    request.set_format(format);
    return server_->delegations().GetAgenda(Context().get(), request, out);
  }

  // Every rule of a valid schedule for kMission, checked from the outside.
  void ExpectValid(const Delegation& d) {
    const socio::v1::DelegationPlan& plan = d.plan();
    std::set<std::tuple<std::string, std::string, int>> busy;  // company, date, slot
    std::map<std::pair<std::string, int>, int> at_once;
    std::set<std::pair<std::string, std::string>> pairs;
    std::map<std::string, int> meetings_of;
    double total = 0;
    for (const PlannedMeeting& m : plan.meetings()) {
      SCOPED_TRACE(m.ShortDebugString());
      EXPECT_TRUE(busy.insert({m.delegate_id(), m.date(), m.slot()}).second);
      EXPECT_TRUE(busy.insert({m.host_id(), m.date(), m.slot()}).second);
      EXPECT_TRUE(pairs.insert({m.delegate_id(), m.host_id()}).second);
      const int tables = m.date() == "2027-03-29" ? 2 : 10;
      const int running = ++at_once[std::make_pair(m.date(), m.slot())];
      EXPECT_LE(running, tables);
      EXPECT_GE(m.table(), 1);
      EXPECT_LE(m.table(), tables);
      EXPECT_GE(m.slot(), 0);
      EXPECT_LT(m.slot(), 4);
      const bool monterrey = city_[m.host_id()] == "Monterrey";
      EXPECT_EQ(m.date(), monterrey ? "2027-03-30" : "2027-03-29");
      EXPECT_FALSE(m.delegate_id() == "de-3" && m.date() == "2027-03-30");
      EXPECT_FALSE(m.delegate_id() == "de-2" && m.host_id() == "mx-1");
      EXPECT_NE(m.host_id(), "mx-7");
      EXPECT_NE(m.host_id(), "mx-8");
      EXPECT_EQ(m.end_time().seconds() - m.start_time().seconds(), 30 * 60);
      EXPECT_EQ(m.uid(), "mx27-" + m.delegate_id() + "-" + m.host_id() + "@socio");
      ++meetings_of[m.delegate_id()];
      total += m.score();
    }
    EXPECT_LE(meetings_of["de-1"], 4);
    EXPECT_GE(meetings_of["de-2"], 2);
    EXPECT_TRUE(pairs.contains({"de-1", "mx-2"}));
    EXPECT_NEAR(plan.total_score(), total, 1e-9);
    EXPECT_GE(plan.bound() + 1e-9, plan.total_score());
    EXPECT_GE(plan.gap(), 0);
    EXPECT_LT(plan.gap(), 1);
  }

  std::unique_ptr<TestServer> server_;
  std::map<std::string, std::string> city_;
};

TEST_F(DelegationServiceTest, PlansAValidScheduleAndStoresIt) {
  Delegation created;
  ASSERT_RPC_OK(Create(FromJson<Delegation>(kMission), &created));
  EXPECT_EQ(created.version(), 1);
  EXPECT_FALSE(created.has_plan());

  Delegation planned;
  ASSERT_RPC_OK(Plan("mx27", &planned));
  EXPECT_EQ(planned.version(), 2);
  EXPECT_EQ(planned.plan().delegation_version(), 1);
  ExpectValid(planned);
  EXPECT_GE(planned.plan().meetings_size(), 8);
  // The filter adds the hosts in the visited cities, not the one elsewhere
  // nor the private one.
  const auto& hosts = planned.plan().host_ids();
  EXPECT_THAT(hosts,
              ::testing::UnorderedElementsAre("mx-1", "mx-4", "mx-2", "mx-3", "mx-5", "mx-6"));
  // The requested pair is locked in, the 09:00 local time is 15:00 UTC.
  bool locked = false;
  for (const PlannedMeeting& m : planned.plan().meetings()) {
    if (m.delegate_id() == "de-1" && m.host_id() == "mx-2") {
      locked = m.locked();
      EXPECT_FALSE(m.reasons().empty());
    }
    if (m.date() == "2027-03-29" && m.slot() == 0) {
      EXPECT_EQ(m.local_start(), "09:00");
      EXPECT_EQ(m.start_time().seconds() % 86400, 15 * 3600);
    }
  }
  EXPECT_TRUE(locked);

  socio::v1::GetDelegationRequest get;
  get.set_id("mx27");
  Delegation read;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(Context().get(), get, &read));
  EXPECT_EQ(read.plan().SerializeAsString(), planned.plan().SerializeAsString());
}

TEST_F(DelegationServiceTest, ReplanningMovesNothingNeedlessly) {
  Delegation d;
  ASSERT_RPC_OK(Create(FromJson<Delegation>(kMission), &d));
  Delegation first, second;
  ASSERT_RPC_OK(Plan("mx27", &first));
  ASSERT_RPC_OK(Plan("mx27", &second));
  EXPECT_EQ(second.plan().moved(), 0);
  auto key = [](const PlannedMeeting& m) {
    return std::make_tuple(m.delegate_id(), m.host_id(), m.date(), m.slot());
  };
  std::set<std::tuple<std::string, std::string, std::string, int>> before, after;
  for (const auto& m : first.plan().meetings()) before.insert(key(m));
  for (const auto& m : second.plan().meetings()) after.insert(key(m));
  EXPECT_EQ(before, after);

  // A delegate drops out: everyone else keeps their meetings where they were.
  socio::v1::UpdateDelegationRequest update;
  *update.mutable_delegation() = second;
  update.mutable_delegation()->mutable_delegates()->RemoveLast();  // de-3
  update.mutable_update_mask()->add_paths("delegates");
  Delegation updated;
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(Context().get(), update, &updated));
  EXPECT_TRUE(updated.has_plan());
  Delegation third;
  ASSERT_RPC_OK(Plan("mx27", &third));
  // Only de-3's meetings are dropped, and counted as such.
  int of_de3 = 0;
  for (const auto& m : second.plan().meetings()) of_de3 += m.delegate_id() == "de-3";
  EXPECT_EQ(third.plan().moved(), of_de3);
  std::set<std::tuple<std::string, std::string, std::string, int>> kept;
  for (const auto& m : third.plan().meetings()) kept.insert(key(m));
  for (const auto& m : second.plan().meetings()) {
    if (m.delegate_id() != "de-3") {
      EXPECT_TRUE(kept.contains(key(m))) << m.ShortDebugString();
    }
  }
}

TEST_F(DelegationServiceTest, AgendasAreCalendarFilesAndACsvOfThePlan) {
  Delegation d;
  ASSERT_RPC_OK(Create(FromJson<Delegation>(kMission), &d));
  socio::v1::Agenda agenda;
  EXPECT_EQ(Agenda("mx27", "de-1", socio::v1::GetAgendaRequest::ICALENDAR, &agenda).error_code(),
            StatusCode::FAILED_PRECONDITION);
  ASSERT_RPC_OK(Plan("mx27", &d));

  ASSERT_RPC_OK(Agenda("mx27", "de-1", socio::v1::GetAgendaRequest::FORMAT_UNSPECIFIED, &agenda));
  EXPECT_EQ(agenda.file_name(), "mx27-de-1.ics");
  EXPECT_THAT(agenda.content_type(), HasSubstr("text/calendar"));
  int mine = 0;
  for (const PlannedMeeting& m : d.plan().meetings()) {
    if (m.delegate_id() != "de-1") continue;
    ++mine;
    EXPECT_THAT(agenda.content(), HasSubstr("UID:" + m.uid()));
  }
  EXPECT_EQ(agenda.meetings_size(), mine);
  const std::vector<std::string> events = absl::StrSplit(agenda.content(), "BEGIN:VEVENT");
  EXPECT_EQ(static_cast<int>(events.size()) - 1, mine);
  EXPECT_THAT(agenda.content(), HasSubstr("Meeting with Maquinaria Azteca (mx-2)"));
  // Each side reads the reasons in its own words: the host's agenda explains
  // the meeting as the host sees it.
  for (const PlannedMeeting& m : d.plan().meetings()) {
    EXPECT_FALSE(m.host_reasons().empty());
    EXPECT_NE(absl::StrJoin(m.host_reasons(), "|"), absl::StrJoin(m.reasons(), "|"));
  }
  // Exported twice, the same file.
  socio::v1::Agenda again;
  ASSERT_RPC_OK(Agenda("mx27", "de-1", socio::v1::GetAgendaRequest::ICALENDAR, &again));
  EXPECT_EQ(again.content(), agenda.content());

  socio::v1::Agenda plan_csv;
  ASSERT_RPC_OK(Agenda("mx27", "", socio::v1::GetAgendaRequest::CSV, &plan_csv));
  EXPECT_EQ(plan_csv.file_name(), "mx27-plan.csv");
  const std::vector<std::string> lines =
      absl::StrSplit(plan_csv.content(), "\r\n", absl::SkipEmpty());
  EXPECT_EQ(static_cast<int>(lines.size()), d.plan().meetings_size() + 1);
  EXPECT_THAT(lines[0], HasSubstr("delegate_id"));

  EXPECT_EQ(Agenda("mx27", "mx-7", socio::v1::GetAgendaRequest::ICALENDAR, &agenda).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_EQ(Agenda("mx27", "", socio::v1::GetAgendaRequest::ICALENDAR, &agenda).error_code(),
            StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Agenda("nope", "de-1", socio::v1::GetAgendaRequest::ICALENDAR, &agenda).error_code(),
            StatusCode::NOT_FOUND);

  // The Monterrey day moves after planning: the old plan is not exported as
  // if nothing had changed, and a re-plan fixes it.
  socio::v1::UpdateDelegationRequest update;
  *update.mutable_delegation() = d;
  update.mutable_delegation()->mutable_days(0)->set_date("2027-03-31");
  update.mutable_delegation()->mutable_delegates(2)->mutable_unavailable(0)->set_date("2027-03-31");
  update.mutable_update_mask()->add_paths("days");
  update.mutable_update_mask()->add_paths("delegates");
  Delegation updated;
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(Context().get(), update, &updated));
  const grpc::Status stale =
      Agenda("mx27", "de-1", socio::v1::GetAgendaRequest::ICALENDAR, &agenda);
  EXPECT_EQ(stale.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(stale.error_message(), HasSubstr("2027-03-30"));
  ASSERT_RPC_OK(Plan("mx27", &updated));
  ASSERT_RPC_OK(Agenda("mx27", "de-1", socio::v1::GetAgendaRequest::ICALENDAR, &agenda));
  for (const PlannedMeeting& m : updated.plan().meetings()) EXPECT_NE(m.date(), "2027-03-30");
}

TEST_F(DelegationServiceTest, BadInputIsRefusedNamingWhatConflictsAndNothingIsStored) {
  Delegation out;
  Delegation bad_date = FromJson<Delegation>(kMission);
  bad_date.mutable_days(0)->set_date("2027-02-30");
  grpc::Status status = Create(bad_date, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("delegation.days[0].date"));

  ASSERT_RPC_OK(Create(FromJson<Delegation>(kMission), &out));
  EXPECT_EQ(Create(FromJson<Delegation>(kMission), &out).error_code(), StatusCode::ALREADY_EXISTS);

  // Each variant is stored under its own id, then planned.
  auto variant = [&](const std::string& id, auto edit) {
    Delegation d = FromJson<Delegation>(kMission);
    d.set_id(id);
    edit(&d);
    Delegation created;
    EXPECT_TRUE(Create(d, &created).ok()) << id;
    return created;
  };
  // A company that does not exist, or that the chamber may not see, is
  // refused when the delegation is written, in the same words.
  for (const auto& [field, id] : std::vector<std::pair<std::string, std::string>>{
           {"delegates[2]", "de-9"}, {"hosts[0]", "mx-8"}}) {
    Delegation unseen = FromJson<Delegation>(kMission);
    unseen.set_id("unseen");
    (field == "hosts[0]" ? unseen.mutable_hosts(0) : unseen.mutable_delegates(2))
        ->set_member_id(id);
    status = Create(unseen, &out);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), "delegation." + field + ": no company '" + id +
                                          "' that chamber 'ihk-muenchen' may see");
  }
  variant("elsewhere", [](Delegation* d) { d->mutable_hosts(0)->set_member_id("mx-7"); });
  variant("never-free", [](Delegation* d) {
    // de-3 is away on the day mx-5 (Monterrey) can meet.
    auto* pair = d->mutable_pairs(0);
    pair->set_delegate_id("de-3");
    pair->set_host_id("mx-5");
  });
  const std::vector<std::tuple<std::string, StatusCode, std::string>> cases = {
      {"elsewhere", StatusCode::FAILED_PRECONDITION, "delegation.hosts[0].member_id"},
      {"never-free", StatusCode::FAILED_PRECONDITION, "delegation.pairs[0]"},
  };
  for (const auto& [id, code, field] : cases) {
    SCOPED_TRACE(id);
    Delegation planned;
    status = Plan(id, &planned);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(field));
    socio::v1::GetDelegationRequest get;
    get.set_id(id);
    Delegation stored;
    ASSERT_RPC_OK(server_->delegations().GetDelegation(Context().get(), get, &stored));
    EXPECT_EQ(stored.version(), 1);  // nothing written
    EXPECT_FALSE(stored.has_plan());
  }
}

// An update naming a company that does not exist, or that the chamber may
// not see, is refused before anything is stored, in the same words, whatever
// form the update takes: a mask naming the field, the mask "*", no mask.
TEST_F(DelegationServiceTest, UpdatesNamingAnUnseenCompanyAreRefusedAndNothingIsStored) {
  Delegation created;
  ASSERT_RPC_OK(Create(FromJson<Delegation>(kMission), &created));
  Delegation planned;
  ASSERT_RPC_OK(Plan("mx27", &planned));
  for (const std::string host : {"mx-nope", "mx-8"}) {
    for (const std::string mask : {"pairs", "*", ""}) {
      SCOPED_TRACE(host + " with mask '" + mask + "'");
      socio::v1::UpdateDelegationRequest update;
      *update.mutable_delegation() = mask == "*" ? planned : Delegation();
      update.mutable_delegation()->set_id("mx27");
      update.mutable_delegation()->clear_plan();
      update.mutable_delegation()->clear_version();
      update.mutable_delegation()->clear_create_time();
      update.mutable_delegation()->clear_update_time();
      *update.mutable_delegation()->mutable_pairs() = planned.pairs();
      socio::v1::MeetingPair* pair = update.mutable_delegation()->add_pairs();
      pair->set_delegate_id("de-1");
      pair->set_host_id(host);
      pair->set_status(socio::v1::MeetingPair::ACCEPTED);
      if (!mask.empty()) update.mutable_update_mask()->add_paths(mask);
      update.set_expected_version(planned.version());
      Delegation updated;
      grpc::Status status =
          server_->delegations().UpdateDelegation(Context().get(), update, &updated);
      EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
      EXPECT_EQ(status.error_message(), "delegation.pairs[2].host_id: no company '" + host +
                                            "' that chamber 'ihk-muenchen' may see");
    }
  }
  socio::v1::GetDelegationRequest get;
  get.set_id("mx27");
  Delegation stored;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(Context().get(), get, &stored));
  EXPECT_EQ(stored.version(), planned.version());
  EXPECT_EQ(stored.pairs_size(), 2);
  Delegation replanned;
  ASSERT_RPC_OK(Plan("mx27", &replanned));
}

// The check of the companies an update names and its write are one: an
// update that moves the delegation to another chamber and one that adds a
// pair only the first chamber may see, racing, never leave a delegation
// naming a company its chamber may not see.
TEST_F(DelegationServiceTest, ConcurrentUpdatesNeverLeaveAnUnseenCompanyStored) {
  Delegation created;
  ASSERT_RPC_OK(Create(FromJson<Delegation>(kMission), &created));
  // mx-8 is PRIVATE to caintra-nl: its staff may name it, ihk-muenchen's not.
  const auto names_private = [](const Delegation& d) {
    for (const socio::v1::MeetingPair& p : d.pairs()) {
      if (p.host_id() == "mx-8") return true;
    }
    return false;
  };
  std::atomic<int> broken = 0;
  const auto update = [&](const Delegation& patch, const std::string& path) {
    socio::v1::UpdateDelegationRequest request;
    *request.mutable_delegation() = patch;
    request.mutable_delegation()->set_id("mx27");
    request.mutable_update_mask()->add_paths(path);
    Delegation out;
    grpc::Status status = server_->delegations().UpdateDelegation(Context().get(), request, &out);
    if (status.ok() && out.chamber_id() == "ihk-muenchen" && names_private(out)) ++broken;
    // Refused when it names mx-8 for ihk-muenchen; ABORTED only if the
    // delegation kept changing under it.
    EXPECT_TRUE(status.ok() || status.error_code() == StatusCode::INVALID_ARGUMENT ||
                status.error_code() == StatusCode::ABORTED)
        << status.error_message();
  };
  constexpr int kRounds = 150;
  std::thread mover([&] {
    Delegation to_nl, back;
    to_nl.set_chamber_id("caintra-nl");
    back.set_chamber_id("ihk-muenchen");
    for (int i = 0; i < kRounds; ++i) {
      update(to_nl, "chamber_id");
      update(back, "chamber_id");
    }
  });
  std::thread pairer([&] {
    Delegation with_private, without;
    *with_private.mutable_pairs() = created.pairs();
    *without.mutable_pairs() = created.pairs();
    socio::v1::MeetingPair* pair = with_private.add_pairs();
    pair->set_delegate_id("de-1");
    pair->set_host_id("mx-8");
    pair->set_status(socio::v1::MeetingPair::ACCEPTED);
    for (int i = 0; i < kRounds; ++i) {
      update(with_private, "pairs");
      update(without, "pairs");
    }
  });
  mover.join();
  pairer.join();
  EXPECT_EQ(broken.load(), 0);
  socio::v1::GetDelegationRequest get;
  get.set_id("mx27");
  Delegation stored;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(Context().get(), get, &stored));
  EXPECT_FALSE(stored.chamber_id() == "ihk-muenchen" && names_private(stored));
}

TEST_F(DelegationServiceTest, RecommendsTheCountryWithTheStrongestPartners) {
  socio::v1::RecommendDestinationsRequest request;
  for (const char* id : {"de-1", "de-2", "de-3"}) request.add_delegate_ids(id);
  request.add_exclude_countries("DE");
  socio::v1::RecommendDestinationsResponse response;
  ASSERT_RPC_OK(server_->delegations().RecommendDestinations(Context().get(), request, &response));
  ASSERT_GE(response.destinations_size(), 1);
  const socio::v1::Destination& best = response.destinations(0);
  EXPECT_EQ(best.country(), "MX");
  EXPECT_GE(best.strong_partners(), 3);
  ASSERT_GE(best.cities_size(), 1);
  std::set<std::string> cities;
  for (const auto& c : best.cities()) cities.insert(c.city());
  EXPECT_TRUE(cities.contains("Monterrey"));
  for (const auto& d : response.destinations()) EXPECT_NE(d.country(), "DE");

  request.set_k(51);
  EXPECT_EQ(server_->delegations()
                .RecommendDestinations(Context().get(), request, &response)
                .error_code(),
            StatusCode::INVALID_ARGUMENT);
  request.set_k(0);
  request.add_delegate_ids("xx-404");
  const grpc::Status status =
      server_->delegations().RecommendDestinations(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("delegate_ids[3]"));
}

// A plan whose caller gave up (1 ms deadline) is still made and stored; the
// retry with the same request_id gets that plan, not a second one.
TEST_F(DelegationServiceTest, PlanRetryAfterAnExpiredDeadlineGetsTheFirstPlan) {
  const std::string create_id = "c0ffee00-1111-4222-8333-444455556666";
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<Delegation>(kMission);
  create.set_request_id(create_id);
  Delegation created, created_again;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(Context().get(), create, &created));
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(Context().get(), create, &created_again));
  EXPECT_EQ(created_again.SerializeAsString(), created.SerializeAsString());

  socio::v1::PlanDelegationRequest plan;
  plan.set_id("mx27");
  plan.set_expected_version(1);
  plan.set_request_id("plan-mx27-0001");
  grpc::ClientContext hasty;
  hasty.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(1)));
  Delegation lost;
  EXPECT_EQ(server_->delegations().PlanDelegation(&hasty, plan, &lost).error_code(),
            StatusCode::DEADLINE_EXCEEDED);

  // The retry carries the same expected_version, which the first plan moved
  // on: still the first plan's answer, not ABORTED and not a second plan.
  Delegation retried;
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(Context().get(), plan, &retried));
  socio::v1::GetDelegationRequest get;
  get.set_id("mx27");
  Delegation stored;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(Context().get(), get, &stored));
  EXPECT_EQ(stored.version(), 2);
  EXPECT_EQ(retried.SerializeAsString(), stored.SerializeAsString());

  // The same request_id for another plan is refused, and plans nothing.
  plan.set_fresh(true);
  Delegation refused;
  grpc::Status reused = server_->delegations().PlanDelegation(Context().get(), plan, &refused);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reused.error_message(), HasSubstr("request_id: 'plan-mx27-0001' was used for"));
  ASSERT_RPC_OK(server_->delegations().GetDelegation(Context().get(), get, &stored));
  EXPECT_EQ(stored.version(), 2);
}

}  // namespace
}  // namespace socio::services
