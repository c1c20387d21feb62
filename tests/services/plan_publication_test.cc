// DelegationService.PublishPlan on a real sociod: the organising chamber's
// staff publish a plan and each company reads its own meetings on its
// notification stream; after a re-plan, a second publish tells only the
// companies whose meetings changed. A planner-only server refuses to publish.
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/notification.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using socio::v1::Delegation;
using socio::v1::Notification;
using socio::v1::PlannedMeeting;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "languages": ["de", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Bauer Autoteile", "country": "DE", "city": "Augsburg", "sectors": ["29.32"], "languages": ["de", "en"], "objectives": [{"type": "AGENCY", "direction": "SEEK", "sectors": ["46.1"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "de-3", "chamberId": "ihk-muenchen", "name": "Koch Lebensmitteltechnik", "country": "DE", "city": "Ingolstadt", "sectors": ["28.93"], "languages": ["de", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora Industrial del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Agentes Automotrices", "country": "MX", "city": "Ciudad de México", "sectors": ["46.18"], "languages": ["es", "en"], "objectives": [{"type": "AGENCY", "direction": "OFFER", "sectors": ["29.3"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mx-3", "chamberId": "canaco-cdmx", "name": "Alimentos Equipos del Centro", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "languages": ["es"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.93"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

// One morning, four slots (09:00, 09:40, 10:20, 11:00); every company meets
// once, in the pair and slot staff fixed for it.
constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [{"date": "2027-03-29", "city": "Ciudad de México", "venue": "CANACO",
            "startTime": "09:00", "endTime": "11:30"}],
  "meetingMinutes": 30, "breakMinutes": 10,
  "delegates": [{"memberId": "de-1", "maxMeetings": 1}, {"memberId": "de-2", "maxMeetings": 1},
                {"memberId": "de-3", "maxMeetings": 1}],
  "hosts": [{"memberId": "mx-1", "maxMeetings": 1}, {"memberId": "mx-2", "maxMeetings": 1},
            {"memberId": "mx-3", "maxMeetings": 1}],
  "pairs": [
    {"delegateId": "de-1", "hostId": "mx-1", "status": "ACCEPTED", "date": "2027-03-29", "startTime": "09:00"},
    {"delegateId": "de-2", "hostId": "mx-2", "status": "ACCEPTED", "date": "2027-03-29", "startTime": "09:40"},
    {"delegateId": "de-3", "hostId": "mx-3", "status": "ACCEPTED", "date": "2027-03-29", "startTime": "10:20"}
  ]
})";

const std::vector<std::string> kCompanies = {"de-1", "de-2", "de-3", "mx-1", "mx-2", "mx-3"};

class PlanPublicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The operator's travel times (sociod --travel_times_csv).
    const std::string travel = dir_.Join("travel.csv");
    std::ofstream(travel) << "from,to,minutes\nCANACO,Planta Vallejo,45\n"
                             "CANACO,Hotel Geneve,50\n";
    services::SociodOptions options;
    options.reference.travel_times_csv = travel;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    admin_ = server_->admin_token();
    for (const char* json : kProfiles) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<socio::v1::Profile>(json);
      socio::v1::Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
    }
    staff_ = server_->IssueToken(socio::v1::STAFF, "ihk-muenchen", "");
    other_staff_ = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
    for (const std::string& id : kCompanies) {
      member_[id] = server_->IssueToken(socio::v1::MEMBER, "", id);
    }
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
    socio::v1::CreateDelegationRequest create;
    *create.mutable_delegation() = FromJson<Delegation>(kMission);
    Delegation created;
    ASSERT_RPC_OK(
        server_->delegations().CreateDelegation(WithToken(staff_).get(), create, &created));
  }

  grpc::Status Plan(Delegation* out) {
    socio::v1::PlanDelegationRequest request;
    request.set_id("mx27");
    return server_->delegations().PlanDelegation(WithToken(staff_).get(), request, out);
  }

  grpc::Status Publish(const std::string& token, Delegation* out, int64_t expected_version = 0,
                       const std::string& request_id = "") {
    socio::v1::PublishPlanRequest request;
    request.set_id("mx27");
    request.set_expected_version(expected_version);
    request.set_request_id(request_id);
    return server_->delegations().PublishPlan(WithToken(token).get(), request, out);
  }

  // The notifications `token` is streamed after `after`, reading until
  // `count` arrived or `wait` passed.
  std::vector<Notification> Watch(const std::string& token, size_t count, uint64_t after = 0,
                                  absl::Duration wait = absl::Seconds(3)) {
    std::unique_ptr<grpc::ClientContext> context = WithToken(token, wait);
    socio::v1::WatchNotificationsRequest r;
    r.set_after_sequence(after);
    auto reader = notifications_->WatchNotifications(context.get(), r);
    std::vector<Notification> out;
    Notification n;
    while (out.size() < count && reader->Read(&n)) out.push_back(n);
    context->TryCancel();
    reader->Finish().IgnoreError();
    return out;
  }

  // The notifications to the staff themselves after `after`, up to the first
  // (a staff stream also carries what the chamber's members are told).
  std::vector<Notification> StaffOwn(uint64_t after) {
    std::vector<Notification> own;
    for (const Notification& n : Watch(staff_, 10, after, absl::Seconds(2))) {
      if (n.recipient() == "staff:ihk-muenchen") own.push_back(n);
    }
    return own;
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
  std::string admin_, staff_, other_staff_;
  std::map<std::string, std::string> member_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
};

std::string KindOf(const Notification& n) { return Notification::Kind_Name(n.kind()); }

// The companies whose (partner, day, start, table) differ between two plans:
// what a participant is told of, worked out here on its own.
std::set<std::string> ChangedCompanies(const Delegation& before, const Delegation& after) {
  using Seen = std::set<std::tuple<std::string, std::string, std::string, std::string, int>>;
  auto seen_by = [](const Delegation& d) {
    Seen out;
    for (const PlannedMeeting& m : d.plan().meetings()) {
      out.insert({m.delegate_id(), m.host_id(), m.date(), m.local_start(), m.table()});
      out.insert({m.host_id(), m.delegate_id(), m.date(), m.local_start(), m.table()});
    }
    return out;
  };
  const Seen a = seen_by(before);
  const Seen b = seen_by(after);
  std::set<std::string> changed;
  for (const auto& t : a) {
    if (!b.contains(t)) changed.insert(std::get<0>(t));
  }
  for (const auto& t : b) {
    if (!a.contains(t)) changed.insert(std::get<0>(t));
  }
  return changed;
}

TEST_F(PlanPublicationTest, ParticipantsAreToldTheirMeetingsThenOnlyWhatChangedForThem) {
  Delegation planned;
  ASSERT_RPC_OK(Plan(&planned));
  ASSERT_EQ(planned.plan().meetings_size(), 3);
  EXPECT_FALSE(planned.has_publication());

  // Only the organising chamber's staff and operators publish.
  Delegation refused;
  EXPECT_EQ(Publish(member_["de-1"], &refused).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Publish(other_staff_, &refused).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(Watch(member_["de-1"], 1, 0, absl::Milliseconds(500)), IsEmpty());

  Delegation published;
  ASSERT_RPC_OK(Publish(staff_, &published, planned.version()));
  EXPECT_EQ(published.version(), planned.version());
  EXPECT_EQ(published.publication().delegation_version(), planned.version());
  EXPECT_EQ(published.publication().publish_count(), 1);
  EXPECT_EQ(published.publication().notified(), 6);

  // Each company reads its own meeting, its partner named.
  std::vector<Notification> de1 = Watch(member_["de-1"], 1);
  ASSERT_THAT(de1, SizeIs(1));
  EXPECT_EQ(KindOf(de1[0]), "PLAN_PUBLISHED");
  EXPECT_EQ(de1[0].delegation_id(), "mx27");
  EXPECT_EQ(de1[0].summary(),
            "Mission to Mexico 2027: 1 meeting on 29 March: 29 March 09:00 with Distribuidora "
            "Industrial del Valle (table 1)");
  std::vector<Notification> mx3 = Watch(member_["mx-3"], 1);
  ASSERT_THAT(mx3, SizeIs(1));
  EXPECT_THAT(mx3[0].summary(), HasSubstr("29 March 10:20 with Koch Lebensmitteltechnik"));
  EXPECT_THAT(mx3[0].summary(), Not(HasSubstr("Huber")));
  std::vector<Notification> staff = StaffOwn(0);
  ASSERT_THAT(staff, SizeIs(1));
  EXPECT_EQ(staff[0].recipient(), "staff:ihk-muenchen");
  EXPECT_THAT(staff[0].summary(), HasSubstr("6 companies were told"));
  // The staff's notification is the last of the publish's write.
  const uint64_t after_first = staff[0].sequence();

  // A change to the delegation makes the plan out of date: no publishing
  // until it is planned again.
  socio::v1::UpdateDelegationRequest update;
  *update.mutable_delegation() = FromJson<Delegation>(kMission);
  update.mutable_delegation()->mutable_pairs(0)->set_start_time("11:00");
  update.mutable_update_mask()->add_paths("pairs");
  Delegation updated;
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(WithToken(staff_).get(), update, &updated));
  grpc::Status stale = Publish(staff_, &refused);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(stale.error_message(), HasSubstr("plan it again"));

  Delegation replanned;
  ASSERT_RPC_OK(Plan(&replanned));
  const std::set<std::string> changed = ChangedCompanies(published, replanned);
  EXPECT_TRUE(changed.contains("de-1") && changed.contains("mx-1"));
  EXPECT_FALSE(changed.contains("de-3"));
  Delegation republished, retried;
  ASSERT_RPC_OK(Publish(staff_, &republished, 0, "publish-mx27-2"));
  ASSERT_RPC_OK(Publish(staff_, &retried, 0, "publish-mx27-2"));
  EXPECT_EQ(retried.SerializeAsString(), republished.SerializeAsString());
  EXPECT_EQ(republished.publication().publish_count(), 2);
  EXPECT_EQ(republished.publication().notified(), static_cast<int>(changed.size()));

  for (const std::string& id : kCompanies) {
    SCOPED_TRACE(id);
    if (changed.contains(id)) {
      std::vector<Notification> told = Watch(member_[id], 2, after_first, absl::Seconds(2));
      ASSERT_THAT(told, SizeIs(1));  // one, not one per change nor per retry
      EXPECT_EQ(KindOf(told[0]), "MEETINGS_CHANGED");
    } else {
      EXPECT_THAT(Watch(member_[id], 1, after_first, absl::Milliseconds(500)), IsEmpty());
    }
  }
  std::vector<Notification> moved = Watch(member_["de-1"], 1, after_first);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_THAT(moved[0].summary(),
              HasSubstr("your meeting with Distribuidora Industrial del Valle moved to 29 March "
                        "11:00"));
  std::vector<Notification> staff_again = StaffOwn(staff[0].sequence());
  ASSERT_THAT(staff_again, SizeIs(1));
  EXPECT_EQ(KindOf(staff_again[0]), "MEETINGS_CHANGED");

  // Published again unchanged: nobody is told anything.
  const uint64_t after_second = staff_again[0].sequence();
  Delegation third;
  ASSERT_RPC_OK(Publish(admin_, &third));
  EXPECT_EQ(third.publication().notified(), 0);
  EXPECT_THAT(Watch(member_["de-1"], 1, after_second, absl::Milliseconds(500)), IsEmpty());

  // A company listing its delegations sees that the plan is published, but
  // not what the other companies were told.
  socio::v1::ListDelegationsRequest list;
  list.set_member_id("mx-1");
  socio::v1::ListDelegationsResponse listed;
  ASSERT_RPC_OK(
      server_->delegations().ListDelegations(WithToken(member_["mx-1"]).get(), list, &listed));
  ASSERT_THAT(listed.delegations(), SizeIs(1));
  EXPECT_EQ(listed.delegations(0).publication().publish_count(), 3);
  EXPECT_THAT(listed.delegations(0).publication().meetings(), IsEmpty());
}

TEST_F(PlanPublicationTest, ACompanySeesOnlyTheProgrammeItemsItAttendsAndNotWhoElseDoes) {
  socio::v1::UpdateDelegationRequest update;
  *update.mutable_delegation() = FromJson<Delegation>(R"({"id": "mx27", "programme": [
      {"id": "brief", "kind": "BRIEFING", "title": "Briefing", "date": "2027-03-29",
       "startTime": "08:00", "endTime": "08:45", "allDelegates": true},
      {"id": "visit", "kind": "COMPANY_VISIT", "title": "Plant visit", "date": "2027-03-29",
       "startTime": "12:00", "endTime": "13:00", "memberIds": ["de-2", "mx-1"]}]})");
  update.mutable_update_mask()->add_paths("programme");
  Delegation updated;
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(WithToken(staff_).get(), update, &updated));
  ASSERT_THAT(updated.programme(), SizeIs(2));
  EXPECT_THAT(updated.programme(1).member_ids(), ElementsAre("de-2", "mx-1"));

  socio::v1::ListDelegationsRequest list;
  list.set_member_id("mx-1");
  socio::v1::ListDelegationsResponse listed;
  ASSERT_RPC_OK(
      server_->delegations().ListDelegations(WithToken(member_["mx-1"]).get(), list, &listed));
  ASSERT_THAT(listed.delegations(), SizeIs(1));
  ASSERT_THAT(listed.delegations(0).programme(), SizeIs(1));
  EXPECT_EQ(listed.delegations(0).programme(0).id(), "visit");
  EXPECT_THAT(listed.delegations(0).programme(0).member_ids(), IsEmpty());

  list.set_member_id("de-1");
  ASSERT_RPC_OK(
      server_->delegations().ListDelegations(WithToken(member_["de-1"]).get(), list, &listed));
  ASSERT_THAT(listed.delegations(), SizeIs(1));
  ASSERT_THAT(listed.delegations(0).programme(), SizeIs(1));
  EXPECT_EQ(listed.delegations(0).programme(0).id(), "brief");
}

TEST_F(PlanPublicationTest, TravelTimesComeFromStaffThenTheOperatorsTableAndShowInThePlan) {
  // de-1 visits a plant after the meetings, de-2 goes to a reception at a
  // hotel: staff's own figure for the hotel (20) wins over the operator's
  // (50); the plant's comes from the operator's table (45).
  socio::v1::UpdateDelegationRequest update;
  *update.mutable_delegation() = FromJson<Delegation>(R"({"id": "mx27", "programme": [
      {"id": "visit", "kind": "COMPANY_VISIT", "title": "Plant visit", "date": "2027-03-29",
       "startTime": "11:30", "endTime": "12:00", "place": {"name": "Planta Vallejo"},
       "memberIds": ["de-1"]},
      {"id": "lunch", "kind": "RECEPTION", "title": "Lunch", "date": "2027-03-29",
       "startTime": "12:30", "endTime": "13:30", "place": {"name": "Hotel Geneve"},
       "memberIds": ["de-2"]}],
      "travelTimes": [{"from": "hotel geneve", "to": "canaco", "minutes": 20}]})");
  update.mutable_update_mask()->add_paths("programme");
  update.mutable_update_mask()->add_paths("travel_times");
  Delegation updated;
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(WithToken(staff_).get(), update, &updated));
  Delegation planned;
  ASSERT_RPC_OK(Plan(&planned));
  std::map<std::string, int> minutes;
  for (const socio::v1::ProgrammeTravelTime& t : planned.plan().travel_times()) {
    EXPECT_EQ(t.from(), "CANACO");
    minutes[t.to()] = t.minutes();
  }
  EXPECT_EQ(minutes, (std::map<std::string, int>{{"Planta Vallejo", 45}, {"Hotel Geneve", 20}}));

  // The company's calendar allows the operator's 45 minutes each way.
  socio::v1::GetAgendaRequest request;
  request.set_delegation_id("mx27");
  request.set_member_id("de-1");
  request.set_format(socio::v1::GetAgendaRequest::ICALENDAR);
  socio::v1::Agenda agenda;
  ASSERT_RPC_OK(
      server_->delegations().GetAgenda(WithToken(member_["de-1"]).get(), request, &agenda));
  // RFC 5545 folds long lines: unfold them first.
  EXPECT_THAT(absl::StrReplaceAll(agenda.content(), {{"\r\n ", ""}}),
              HasSubstr("allow 45 minutes to get there and 45 to come back"));

  // A company reads staff's travel times only to the places of its own items.
  socio::v1::ListDelegationsRequest list;
  socio::v1::ListDelegationsResponse listed;
  list.set_member_id("de-1");
  ASSERT_RPC_OK(
      server_->delegations().ListDelegations(WithToken(member_["de-1"]).get(), list, &listed));
  ASSERT_THAT(listed.delegations(), SizeIs(1));
  EXPECT_THAT(listed.delegations(0).travel_times(), IsEmpty());
  EXPECT_THAT(listed.delegations(0).plan().travel_times(), IsEmpty());
  list.set_member_id("de-2");
  ASSERT_RPC_OK(
      server_->delegations().ListDelegations(WithToken(member_["de-2"]).get(), list, &listed));
  ASSERT_THAT(listed.delegations(), SizeIs(1));
  ASSERT_THAT(listed.delegations(0).travel_times(), SizeIs(1));
  EXPECT_EQ(listed.delegations(0).travel_times(0).minutes(), 20);
}

TEST_F(PlanPublicationTest, NoPlanNoPublish) {
  Delegation refused;
  grpc::Status status = Publish(staff_, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("has no plan"));
  EXPECT_EQ(Publish(staff_, &refused, 0, "bad id").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(PlanPublicationRoleTest, APlannerOnlyServerRefusesToPublishAndSaysWhy) {
  // The profile and matcher roles in one server, the planner role beside it.
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> profiles, TestServer::Start({.dev_insecure = true}));
  for (const char* json : kProfiles) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = FromJson<socio::v1::Profile>(json);
    socio::v1::Profile created;
    ASSERT_RPC_OK(profiles->profiles().CreateProfile(WithToken("").get(), request, &created));
  }
  services::SociodOptions options;
  options.dev_insecure = true;
  options.role = services::ServerRole::kPlanner;
  options.profiles_server = profiles->address();
  options.matcher_server = profiles->address();
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> planner, TestServer::Start(options));
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<Delegation>(kMission);
  Delegation d;
  ASSERT_RPC_OK(planner->delegations().CreateDelegation(WithToken("").get(), create, &d));
  socio::v1::PlanDelegationRequest plan;
  plan.set_id("mx27");
  ASSERT_RPC_OK(planner->delegations().PlanDelegation(WithToken("").get(), plan, &d));
  socio::v1::PublishPlanRequest publish;
  publish.set_id("mx27");
  grpc::Status status = planner->delegations().PublishPlan(WithToken("").get(), publish, &d);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("no notification outbox"));
  socio::v1::GetDelegationRequest get;
  get.set_id("mx27");
  ASSERT_RPC_OK(planner->delegations().GetDelegation(WithToken("").get(), get, &d));
  EXPECT_FALSE(d.has_publication());
}

}  // namespace
}  // namespace socio::testing
