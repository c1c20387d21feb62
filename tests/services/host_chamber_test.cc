// The host chamber as co-planner, and host invitations, on a real sociod:
// what the organising chamber's staff, the host chamber's staff, a third
// chamber's staff, members and operators may each do with a co-planned
// delegation, in both directions; invitations sent, answered, reminded and
// expired through the notification outbox; require_host_acceptance deciding
// whom the plan schedules; and each chamber publishing to its own side.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/notification.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_clocks.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Delegation;
using socio::v1::HostInvitation;
using socio::v1::Notification;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// Munich organises (A), Mexico City's chamber hosts (B), Monterrey's is a
// third chamber (C). mx-2 is PRIVATE to B: only B's staff may name it.
constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "languages": ["de", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora Industrial del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Maquinaria Azteca", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "languages": ["es"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "PRIVATE"})",
    R"({"id": "mx-3", "chamberId": "canaco-cdmx", "name": "Alimentos Equipos del Centro", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "languages": ["es"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.93"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mty-1", "chamberId": "canaco-mty", "name": "Aceros del Norte", "country": "MX", "city": "Monterrey", "sectors": ["24.10"], "languages": ["es"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "hostChamberId": "canaco-cdmx",
  "name": "Mission to Mexico 2027", "originCountry": "DE", "hostCountry": "MX",
  "days": [{"date": "2027-03-29", "city": "Ciudad de México", "venue": "CANACO",
            "startTime": "09:00", "endTime": "11:30"}],
  "delegates": [{"memberId": "de-1"}],
  "hosts": [{"memberId": "mx-1"}, {"memberId": "mx-3"}]
})";

enum Who { kAdmin, kOrganiser, kHostStaff, kThirdStaff, kDelegate, kHost };

class HostChamberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(server_,
                   TestServer::Start({.request_expiry_sweep = absl::Milliseconds(100),
                                      .invitation_clock = [this] { return clock_.Now(); }}));
    for (const char* json : kProfiles) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<socio::v1::Profile>(json);
      socio::v1::Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(As(kAdmin).get(), request, &created));
    }
    tokens_[kAdmin] = server_->admin_token();
    tokens_[kOrganiser] = server_->IssueToken(socio::v1::STAFF, "ihk-muenchen", "");
    tokens_[kHostStaff] = server_->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
    tokens_[kThirdStaff] = server_->IssueToken(socio::v1::STAFF, "canaco-mty", "");
    tokens_[kDelegate] = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    tokens_[kHost] = server_->IssueToken(socio::v1::MEMBER, "", "mx-1");
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
    socio::v1::CreateDelegationRequest create;
    *create.mutable_delegation() = FromJson<Delegation>(kMission);
    Delegation created;
    ASSERT_RPC_OK(server_->delegations().CreateDelegation(As(kOrganiser).get(), create, &created));
  }

  std::unique_ptr<grpc::ClientContext> As(Who who) {
    return WithToken(who == kAdmin ? server_->admin_token() : tokens_[who]);
  }

  grpc::Status Get(Who who, Delegation* out) {
    socio::v1::GetDelegationRequest r;
    r.set_id("mx27");
    return server_->delegations().GetDelegation(As(who).get(), r, out);
  }

  Delegation Stored() {
    Delegation d;
    EXPECT_TRUE(Get(kAdmin, &d).ok());
    return d;
  }

  grpc::Status Update(Who who, const std::string& json, const std::vector<std::string>& paths,
                      Delegation* out) {
    socio::v1::UpdateDelegationRequest r;
    *r.mutable_delegation() = FromJson<Delegation>(json);
    r.mutable_delegation()->set_id("mx27");
    for (const std::string& p : paths) r.mutable_update_mask()->add_paths(p);
    return server_->delegations().UpdateDelegation(As(who).get(), r, out);
  }

  grpc::Status Invite(Who who, const std::vector<std::string>& hosts,
                      socio::v1::InviteHostsResponse* out,
                      absl::Duration deadline = absl::ZeroDuration()) {
    socio::v1::InviteHostsRequest r;
    r.set_delegation_id("mx27");
    for (const std::string& h : hosts) r.add_host_ids(h);
    if (deadline != absl::ZeroDuration()) {
      *r.mutable_deadline() =
          TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(clock_.Now() + deadline));
    }
    return server_->delegations().InviteHosts(As(who).get(), r, out);
  }

  grpc::Status Answer(Who who, const std::string& host, bool accept, HostInvitation* out,
                      const std::string& note = "") {
    socio::v1::AnswerHostInvitationRequest r;
    r.set_delegation_id("mx27");
    r.set_host_id(host);
    r.set_accept(accept);
    r.set_note(note);
    return server_->delegations().AnswerHostInvitation(As(who).get(), r, out);
  }

  grpc::Status Plan(Who who, Delegation* out) {
    socio::v1::PlanDelegationRequest r;
    r.set_id("mx27");
    return server_->delegations().PlanDelegation(As(who).get(), r, out);
  }

  grpc::Status Publish(Who who, socio::v1::PublishPlanRequest::Side side, Delegation* out) {
    socio::v1::PublishPlanRequest r;
    r.set_id("mx27");
    r.set_side(side);
    return server_->delegations().PublishPlan(As(who).get(), r, out);
  }

  // The notifications to `recipient` of `kind`, on `who`'s stream, reading
  // until `count` of them arrived or `wait` passed.
  std::vector<Notification> Told(Who who, const std::string& recipient, Notification::Kind kind,
                                 size_t count, absl::Duration wait = absl::Seconds(3)) {
    std::vector<Notification> out;
    const absl::Time until = absl::Now() + wait;
    while (out.size() < count && absl::Now() < until) {
      out.clear();
      std::unique_ptr<grpc::ClientContext> context =
          WithToken(who == kAdmin ? server_->admin_token() : tokens_[who], absl::Milliseconds(300));
      socio::v1::WatchNotificationsRequest r;
      r.set_recipient(recipient);
      auto reader = notifications_->WatchNotifications(context.get(), r);
      Notification n;
      while (reader->Read(&n)) {
        // A staff stream also carries what the chamber's members are told.
        if (n.kind() == kind && n.recipient() == recipient) out.push_back(n);
      }
      reader->Finish().IgnoreError();
    }
    return out;
  }

  ShiftedClock clock_;
  std::unique_ptr<TestServer> server_;
  std::map<Who, std::string> tokens_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
};

std::vector<std::string> HostIds(const Delegation& d) {
  std::vector<std::string> ids;
  for (const socio::v1::Participant& p : d.hosts()) ids.push_back(p.member_id());
  return ids;
}

TEST_F(HostChamberTest, BothChambersReadTheDelegationAndNobodyElse) {
  Delegation d;
  ASSERT_RPC_OK(Get(kOrganiser, &d));
  ASSERT_RPC_OK(Get(kHostStaff, &d));
  EXPECT_EQ(d.host_chamber_id(), "canaco-cdmx");
  for (Who who : {kThirdStaff, kDelegate, kHost}) {
    grpc::Status s = Get(who, &d);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << who;
    EXPECT_THAT(s.error_message(), HasSubstr("no delegation 'mx27'"));
  }
  // The host chamber lists the delegations it hosts with its own.
  socio::v1::ListDelegationsRequest list;
  socio::v1::ListDelegationsResponse listed;
  ASSERT_RPC_OK(server_->delegations().ListDelegations(As(kHostStaff).get(), list, &listed));
  ASSERT_EQ(listed.delegations_size(), 1);
  EXPECT_EQ(listed.delegations(0).id(), "mx27");
  ASSERT_RPC_OK(server_->delegations().ListDelegations(As(kThirdStaff).get(), list, &listed));
  EXPECT_EQ(listed.delegations_size(), 0);
}

TEST_F(HostChamberTest, HostStaffChangeTheHostSideOnly) {
  Delegation d;
  // Hosts, their availability, and the host filter: theirs.
  ASSERT_RPC_OK(Update(kHostStaff,
                       R"({"hosts": [{"memberId": "mx-1", "unavailable": [{"date": "2027-03-29",
                           "startTime": "09:00", "endTime": "10:00"}]}, {"memberId": "mx-3"}]})",
                       {"hosts"}, &d));
  EXPECT_EQ(d.hosts(0).unavailable_size(), 1);
  ASSERT_RPC_OK(Update(kHostStaff, R"({"hostFilter": {"maxHosts": 3}})", {"host_filter"}, &d));
  const int64_t version = d.version();
  // Everything else is the organising chamber's: refused, naming the field,
  // and nothing is written.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"({"delegates": []})", "delegates"},
      {R"({"name": "Ours now"})", "name"},
      {R"({"days": [{"date": "2027-03-30", "city": "Ciudad de México", "startTime": "09:00", "endTime": "10:00"}]})",
       "days"},
      {R"({"pairs": [{"delegateId": "de-1", "hostId": "mx-1", "status": "REQUESTED"}]})", "pairs"},
      {R"({"hostChamberId": "canaco-mty"})", "host_chamber_id"},
      {R"({"requireHostAcceptance": true})", "require_host_acceptance"},
  };
  for (const auto& [json, field] : refused) {
    grpc::Status s = Update(kHostStaff, json, {field}, &d);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << field;
    EXPECT_THAT(s.error_message(), HasSubstr("delegation." + field)) << field;
  }
  // A mask that writes everything writes the organiser's fields too.
  EXPECT_EQ(Update(kHostStaff, kMission, {"*"}, &d).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Stored().version(), version);
  // The organiser still changes everything, the host side included.
  ASSERT_RPC_OK(Update(kOrganiser, R"({"name": "Mission to Mexico, spring 2027"})", {"name"}, &d));
  ASSERT_RPC_OK(Update(kOrganiser, R"({"hosts": [{"memberId": "mx-1"}]})", {"hosts"}, &d));
  // A third chamber changes nothing: the delegation does not exist for it.
  EXPECT_EQ(Update(kThirdStaff, R"({"hosts": []})", {"hosts"}, &d).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(HostChamberTest, OnlyTheHostChamberNamesItsPrivateMembers) {
  Delegation d;
  const std::string with_private = R"({"hosts": [{"memberId": "mx-1"}, {"memberId": "mx-2"}]})";
  // The organiser may not see mx-2, so may not name it.
  grpc::Status s = Update(kOrganiser, with_private, {"hosts"}, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("delegation.hosts[1]"));
  // The host chamber names it; the organiser then keeps it when rewriting
  // the hosts, and plans with it.
  ASSERT_RPC_OK(Update(kHostStaff, with_private, {"hosts"}, &d));
  ASSERT_RPC_OK(Update(
      kOrganiser, R"({"hosts": [{"memberId": "mx-2", "maxMeetings": 1}, {"memberId": "mx-1"}]})",
      {"hosts"}, &d));
  EXPECT_THAT(HostIds(d), ElementsAre("mx-2", "mx-1"));
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  EXPECT_THAT(d.plan().host_ids(), ::testing::Contains("mx-2"));
  // Moving the delegation to another host chamber checks the hosts again.
  s = Update(kOrganiser, R"({"hostChamberId": "canaco-mty"})", {"host_chamber_id"}, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("no company 'mx-2'"));
}

TEST_F(HostChamberTest, PlanningAndDeletingStayTheOrganisers) {
  Delegation d;
  grpc::Status s = Plan(kHostStaff, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("planning the delegation"));
  socio::v1::DeleteDelegationRequest del;
  del.set_id("mx27");
  socio::v1::DeleteDelegationResponse deleted;
  EXPECT_EQ(
      server_->delegations().DeleteDelegation(As(kHostStaff).get(), del, &deleted).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Plan(kThirdStaff, &d).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  // The host chamber reads the plan and every agenda.
  ASSERT_RPC_OK(Get(kHostStaff, &d));
  EXPECT_GT(d.plan().meetings_size(), 0);
  socio::v1::GetAgendaRequest agenda;
  agenda.set_delegation_id("mx27");
  agenda.set_format(socio::v1::GetAgendaRequest::CSV);
  socio::v1::Agenda out;
  ASSERT_RPC_OK(server_->delegations().GetAgenda(As(kHostStaff).get(), agenda, &out));
  EXPECT_EQ(server_->delegations().GetAgenda(As(kThirdStaff).get(), agenda, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(HostChamberTest, InvitationsAreSentAnsweredAndCounted) {
  socio::v1::InviteHostsResponse invited;
  for (Who who : {kThirdStaff, kDelegate, kHost}) {
    EXPECT_EQ(Invite(who, {}, &invited).error_code(), grpc::StatusCode::NOT_FOUND) << who;
  }
  // A company that is not a named host is named first, then invited.
  grpc::Status s = Invite(kHostStaff, {"mty-1"}, &invited);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("host_ids[0]"));
  s = Invite(kHostStaff, {}, &invited, -absl::Hours(1));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("deadline"));
  EXPECT_EQ(Stored().host_invitations_size(), 0);

  ASSERT_RPC_OK(Invite(kHostStaff, {}, &invited));
  ASSERT_EQ(invited.invitations_size(), 2);
  EXPECT_EQ(invited.invitations(0).host_id(), "mx-1");
  EXPECT_EQ(invited.invitations(0).status(), HostInvitation::PENDING);
  EXPECT_EQ(invited.invitations(0).invited_by_chamber_id(), "canaco-cdmx");
  EXPECT_EQ(invited.summary().pending(), 2);
  // Invited once: asking again invites nobody twice.
  ASSERT_RPC_OK(Invite(kOrganiser, {}, &invited));
  EXPECT_EQ(invited.invitations_size(), 0);
  std::vector<Notification> told = Told(kHost, "mx-1", Notification::HOST_INVITED, 1);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].delegation_id(), "mx27");
  EXPECT_THAT(told[0].summary(), HasSubstr("Mission to Mexico 2027"));

  // The host answers itself; its chamber's staff answer for mx-3; nobody
  // else may answer for them.
  HostInvitation answer;
  for (Who who : {kOrganiser, kThirdStaff, kDelegate}) {
    EXPECT_EQ(Answer(who, "mx-1", true, &answer).error_code(), grpc::StatusCode::NOT_FOUND) << who;
  }
  EXPECT_EQ(Answer(kHost, "mx-3", true, &answer).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_RPC_OK(Answer(kHost, "mx-1", true, &answer, "Tuesday mornings suit us"));
  EXPECT_EQ(answer.status(), HostInvitation::ACCEPTED);
  EXPECT_EQ(answer.answered_by(), HostInvitation::MEMBER);
  ASSERT_RPC_OK(Answer(kHostStaff, "mx-3", false, &answer));
  EXPECT_EQ(answer.answered_by(), HostInvitation::STAFF);
  const Delegation d = Stored();
  EXPECT_EQ(d.invitation_summary().invited(), 2);
  EXPECT_EQ(d.invitation_summary().accepted(), 1);
  EXPECT_EQ(d.invitation_summary().declined(), 1);
  EXPECT_DOUBLE_EQ(d.invitation_summary().response_rate(), 1.0);
  // The staff who invited are told of each answer.
  EXPECT_EQ(Told(kHostStaff, "staff:canaco-cdmx", Notification::HOST_INVITATION_ACCEPTED, 1).size(),
            1u);
  EXPECT_EQ(Told(kHostStaff, "staff:canaco-cdmx", Notification::HOST_INVITATION_DECLINED, 1).size(),
            1u);

  // The host lists its invitations with the delegation's name, dates,
  // cities and chambers, nothing else of it; staff list the delegation's.
  socio::v1::ListHostInvitationsRequest mine;
  mine.set_member_id("mx-1");
  socio::v1::ListHostInvitationsResponse listed;
  ASSERT_RPC_OK(server_->delegations().ListHostInvitations(As(kHost).get(), mine, &listed));
  ASSERT_EQ(listed.listings_size(), 1);
  EXPECT_EQ(listed.listings(0).delegation_name(), "Mission to Mexico 2027");
  EXPECT_EQ(listed.listings(0).first_date(), "2027-03-29");
  EXPECT_THAT(listed.listings(0).cities(), ElementsAre("Ciudad de México"));
  EXPECT_EQ(listed.listings(0).chamber_id(), "ihk-muenchen");
  EXPECT_EQ(listed.listings(0).invitation().note(), "Tuesday mornings suit us");
  EXPECT_EQ(
      server_->delegations().ListHostInvitations(As(kOrganiser).get(), mine, &listed).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  socio::v1::ListHostInvitationsRequest of_delegation;
  of_delegation.set_delegation_id("mx27");
  for (Who who : {kAdmin, kOrganiser, kHostStaff}) {
    listed.Clear();
    ASSERT_RPC_OK(
        server_->delegations().ListHostInvitations(As(who).get(), of_delegation, &listed));
    EXPECT_EQ(listed.listings_size(), 2);
    EXPECT_EQ(listed.summary().accepted(), 1);
  }
  for (Who who : {kThirdStaff, kHost}) {
    EXPECT_EQ(server_->delegations()
                  .ListHostInvitations(As(who).get(), of_delegation, &listed)
                  .error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
}

TEST_F(HostChamberTest, HostsAreRemindedOnceAndExpireAtTheDeadline) {
  socio::v1::InviteHostsResponse invited;
  ASSERT_RPC_OK(Invite(kOrganiser, {"mx-1"}, &invited, absl::Hours(24 * 5)));
  EXPECT_TRUE(
      Told(kHost, "mx-1", Notification::HOST_INVITATION_REMINDER, 1, absl::Seconds(1)).empty());
  clock_.Advance(absl::Hours(24 * 3) + absl::Hours(1));  // within two days of the deadline
  EXPECT_EQ(Told(kHost, "mx-1", Notification::HOST_INVITATION_REMINDER, 1).size(), 1u);
  clock_.Advance(absl::Hours(24 * 2));  // past it
  EXPECT_EQ(Told(kOrganiser, "staff:ihk-muenchen", Notification::HOST_INVITATION_EXPIRED, 1).size(),
            1u);
  EXPECT_EQ(Stored().host_invitations(0).status(), HostInvitation::EXPIRED);
  // Reminded once only.
  EXPECT_EQ(Told(kHost, "mx-1", Notification::HOST_INVITATION_REMINDER, 2, absl::Seconds(1)).size(),
            1u);
  HostInvitation answer;
  grpc::Status s = Answer(kHost, "mx-1", true, &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("deadline"));
  // Invited again, it may answer again.
  ASSERT_RPC_OK(Invite(kOrganiser, {"mx-1"}, &invited));
  ASSERT_EQ(invited.invitations_size(), 1);
  ASSERT_RPC_OK(Answer(kHost, "mx-1", true, &answer));
}

TEST_F(HostChamberTest, RemovingAHostWithdrawsItsInvitation) {
  socio::v1::InviteHostsResponse invited;
  ASSERT_RPC_OK(Invite(kHostStaff, {}, &invited));
  Delegation d;
  ASSERT_RPC_OK(Update(kHostStaff, R"({"hosts": [{"memberId": "mx-3"}]})", {"hosts"}, &d));
  EXPECT_EQ(d.host_invitations(0).host_id(), "mx-1");
  EXPECT_EQ(d.host_invitations(0).status(), HostInvitation::WITHDRAWN);
  EXPECT_EQ(d.invitation_summary().invited(), 1);
  HostInvitation answer;
  grpc::Status s = Answer(kHost, "mx-1", true, &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("withdrawn"));
}

TEST_F(HostChamberTest, WithAcceptanceRequiredOnlyAcceptedHostsAreScheduled) {
  Delegation d;
  // Without it, hosts are scheduled whether invited or not.
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  EXPECT_THAT(d.plan().host_ids(), UnorderedElementsAre("mx-1", "mx-3"));
  EXPECT_EQ(d.plan().hosts_left_out_size(), 0);

  ASSERT_RPC_OK(
      Update(kOrganiser, R"({"requireHostAcceptance": true})", {"require_host_acceptance"}, &d));
  socio::v1::InviteHostsResponse invited;
  ASSERT_RPC_OK(Invite(kHostStaff, {"mx-1", "mx-3"}, &invited));
  HostInvitation answer;
  ASSERT_RPC_OK(Answer(kHost, "mx-1", true, &answer));
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  EXPECT_THAT(d.plan().host_ids(), ElementsAre("mx-1"));
  ASSERT_EQ(d.plan().hosts_left_out_size(), 1);
  EXPECT_EQ(d.plan().hosts_left_out(0).host_id(), "mx-3");
  EXPECT_EQ(d.plan().hosts_left_out(0).reason(), "invitation pending");
  for (const socio::v1::PlannedMeeting& m : d.plan().meetings()) EXPECT_EQ(m.host_id(), "mx-1");

  // An answer changes whom the plan schedules: the plan is out of date.
  ASSERT_RPC_OK(Answer(kHostStaff, "mx-3", false, &answer));
  grpc::Status s = Publish(kOrganiser, socio::v1::PublishPlanRequest::SIDE_UNSPECIFIED, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  ASSERT_EQ(d.plan().hosts_left_out_size(), 1);
  EXPECT_EQ(d.plan().hosts_left_out(0).reason(), "declined");
  EXPECT_EQ(d.plan().hosts_left_out(0).status(), HostInvitation::DECLINED);
}

TEST_F(HostChamberTest, EachChamberPublishesToItsOwnSide) {
  Delegation d;
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  using Side = socio::v1::PublishPlanRequest;
  grpc::Status s = Publish(kOrganiser, Side::HOSTS, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("side"));
  EXPECT_EQ(Publish(kHostStaff, Side::DELEGATES, &d).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Publish(kOrganiser, Side::BOTH, &d).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Publish(kThirdStaff, Side::HOSTS, &d).error_code(), grpc::StatusCode::NOT_FOUND);

  // The organiser tells the delegates; the hosts hear nothing yet.
  ASSERT_RPC_OK(Publish(kOrganiser, Side::SIDE_UNSPECIFIED, &d));
  EXPECT_EQ(d.publication().notified(), 1);
  EXPECT_FALSE(d.has_host_publication());
  EXPECT_EQ(Told(kDelegate, "de-1", Notification::PLAN_PUBLISHED, 1).size(), 1u);
  EXPECT_TRUE(Told(kHost, "mx-1", Notification::PLAN_PUBLISHED, 1, absl::Seconds(1)).empty());
  // The host chamber tells the hosts with a meeting, and its own staff.
  ASSERT_RPC_OK(Publish(kHostStaff, Side::SIDE_UNSPECIFIED, &d));
  EXPECT_EQ(d.host_publication().publish_count(), 1);
  EXPECT_EQ(d.publication().publish_count(), 1);
  int hosts_meeting = 0;
  for (const std::string& id : {std::string("mx-1"), std::string("mx-3")}) {
    bool meets = false;
    for (const auto& m : d.plan().meetings()) meets = meets || m.host_id() == id;
    hosts_meeting += meets;
  }
  EXPECT_EQ(d.host_publication().notified(), hosts_meeting);
  EXPECT_EQ(Told(kHostStaff, "staff:canaco-cdmx", Notification::PLAN_PUBLISHED, 1).size(), 1u);
  // The delegate was told once, by its own chamber.
  EXPECT_EQ(Told(kDelegate, "de-1", Notification::PLAN_PUBLISHED, 2, absl::Seconds(1)).size(), 1u);
}

TEST_F(HostChamberTest, WithoutAHostChamberThePlanGoesToBothSides) {
  Delegation d;
  ASSERT_RPC_OK(Update(kOrganiser, R"({})", {"host_chamber_id"}, &d));
  EXPECT_TRUE(d.host_chamber_id().empty());
  ASSERT_RPC_OK(Plan(kOrganiser, &d));
  using Side = socio::v1::PublishPlanRequest;
  EXPECT_EQ(Publish(kOrganiser, Side::HOSTS, &d).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Get(kHostStaff, &d).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_RPC_OK(Publish(kOrganiser, Side::SIDE_UNSPECIFIED, &d));
  std::set<std::string> companies;
  for (const socio::v1::PlannedMeeting& m : d.plan().meetings()) {
    companies.insert(m.delegate_id());
    companies.insert(m.host_id());
  }
  ASSERT_FALSE(companies.empty());
  EXPECT_EQ(d.publication().notified(), static_cast<int>(companies.size()));
  EXPECT_FALSE(d.has_host_publication());
}

TEST_F(HostChamberTest, TheHostChamberIsNotTheOrganiser) {
  Delegation d;
  grpc::Status s =
      Update(kOrganiser, R"({"hostChamberId": "ihk-muenchen"})", {"host_chamber_id"}, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("delegation.host_chamber_id"));
  s = Update(kOrganiser, R"({"hostChamberId": "no spaces"})", {"host_chamber_id"}, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("delegation.host_chamber_id"));
}

}  // namespace
}  // namespace socio::testing
