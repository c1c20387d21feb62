// Auth and tenancy over a real server with tokens on: every role against
// every RPC (a table), and the finer rules a chamber relies on: what staff
// see of other chambers, what a member sees of itself, imports into one's
// own chamber only, revocation, development mode on loopback only.
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/analytics_service.grpc.pb.h"
#include "socio/v1/chamber_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/exchange_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::services {
namespace {

using grpc::StatusCode;
using socio::testing::FromJson;
using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestServer;
using socio::v1::Profile;
using ::testing::HasSubstr;

// Chamber A (ihk-muenchen): de-1 FEDERATION, de-2 PRIVATE. Chamber B
// (canaco-cdmx): mx-1 FEDERATION, mx-2 CHAMBER.
constexpr const char* kMembers[] = {
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "employees": 300, "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Stille Werke", "country": "DE", "city": "Augsburg", "sectors": ["28.41"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "PRIVATE"})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "employees": 80, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Maquinaria Azteca", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"]}], "targetMarkets": ["DE"], "visibility": "CHAMBER"})",
};

constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [{"date": "2027-03-29", "city": "Ciudad de México", "startTime": "09:00", "endTime": "11:00"}],
  "delegates": [{"memberId": "de-1"}],
  "hosts": [{"memberId": "mx-1"}]
})";

// The callers of the table, in its column order after the three that have
// no valid token.
enum Who { kAdmin, kStaffA, kStaffB, kMemberA, kMemberB, kWhoCount };
constexpr const char* kWhoNames[] = {"admin", "staff of A", "staff of B", "member de-1",
                                     "member mx-1"};

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Meeting outcomes go by a clock a week ahead, so that meetings
    // requested two days ahead have ended for them.
    ASSIGN_OR_FAIL(server_,
                   TestServer::Start({.clock = [] { return absl::Now() + absl::Hours(24 * 7); }}));
    // The first start wrote an operator token for the operator to begin with.
    ASSERT_EQ(server_->sociod().admin_token_file(), server_->data_dir() + "/admin.token");
    tokens_[kAdmin] = server_->admin_token();
    ASSERT_FALSE(tokens_[kAdmin].empty());

    for (const char* json : kMembers) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(json);
      Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(As(kAdmin).get(), request, &created));
    }
    tokens_[kStaffA] = Issue(socio::v1::STAFF, "ihk-muenchen", "");
    tokens_[kStaffB] = Issue(socio::v1::STAFF, "canaco-cdmx", "");
    tokens_[kMemberA] = Issue(socio::v1::MEMBER, "", "de-1");
    tokens_[kMemberB] = Issue(socio::v1::MEMBER, "", "mx-1");
    const std::string revoked = Issue(socio::v1::STAFF, "ihk-muenchen", "");
    socio::v1::RevokeTokenRequest revoke;
    revoke.set_id(revoked.substr(0, revoked.find('.')));
    socio::v1::TokenInfo info;
    ASSERT_RPC_OK(server_->admin().RevokeToken(As(kAdmin).get(), revoke, &info));
    revoked_token_ = revoked;

    socio::v1::CreateDelegationRequest create;
    *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
    socio::v1::Delegation delegation;
    ASSERT_RPC_OK(server_->delegations().CreateDelegation(As(kAdmin).get(), create, &delegation));
    socio::v1::PlanDelegationRequest plan;
    plan.set_id("mx27");
    ASSERT_RPC_OK(server_->delegations().PlanDelegation(As(kAdmin).get(), plan, &delegation));
    ASSERT_GT(delegation.plan().meetings_size(), 0);
    engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
    outcomes_ = socio::v1::OutcomeService::NewStub(server_->channel());
    partnerships_ = socio::v1::PartnershipService::NewStub(server_->channel());
    analytics_ = socio::v1::AnalyticsService::NewStub(server_->channel());
    exchanges_ = socio::v1::ExchangeService::NewStub(server_->channel());
    chambers_ = socio::v1::ChamberService::NewStub(server_->channel());
  }

  // A visit of chamber A like the mission, "xv-<n>", made by the operator;
  // its id.
  std::string OperatorVisit(int n) {
    socio::v1::CreateDelegationRequest create;
    *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
    create.mutable_delegation()->set_id(absl::StrCat("xv-", n));
    socio::v1::Delegation out;
    grpc::Status status = server_->delegations().CreateDelegation(As(kAdmin).get(), create, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  // An exchange "x-<n>" of chamber A with `partner` around a new visit,
  // made by the operator; its id.
  std::string OperatorExchange(int n, const std::string& partner) {
    socio::v1::CreateExchangeRequest r;
    r.mutable_exchange()->set_id(absl::StrCat("x-", n));
    r.mutable_exchange()->set_chamber_id("ihk-muenchen");
    r.mutable_exchange()->set_partner_chamber_id(partner);
    r.mutable_exchange()->set_visit_delegation_id(OperatorVisit(n));
    socio::v1::Exchange out;
    grpc::Status status = exchanges_->CreateExchange(As(kAdmin).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  // A chamber record `id` in country `country`, made by the operator (once).
  void OperatorChamber(const std::string& id, const std::string& country = "DE") {
    socio::v1::CreateChamberRequest r;
    r.mutable_chamber()->set_id(id);
    r.mutable_chamber()->set_name(absl::StrCat("Chamber ", id));
    r.mutable_chamber()->set_country(country);
    r.mutable_chamber()->add_contacts()->set_name("Anna Huber");
    socio::v1::Chamber out;
    grpc::Status status = chambers_->CreateChamber(As(kAdmin).get(), r, &out);
    EXPECT_TRUE(status.ok() || status.error_code() == StatusCode::ALREADY_EXISTS)
        << status.error_message();
  }

  // `partner` proposed to `chamber` by the operator, on `chamber`'s behalf.
  void OperatorProposal(const std::string& chamber, const std::string& partner) {
    socio::v1::ProposePartnerChamberRequest r;
    r.set_chamber_id(chamber);
    r.set_partner_chamber_id(partner);
    socio::v1::ChamberPartner out;
    grpc::Status status = chambers_->ProposePartnerChamber(As(kAdmin).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // A request from `from` to a new company of B, `partner`, that the
  // operator made and accepted; its id.
  std::string AcceptedRequest(const std::string& from, const std::string& partner) {
    StorePartner(partner, "canaco-cdmx", Profile::FEDERATION, "Puebla");
    socio::v1::AnswerMeetingRequestRequest r;
    r.set_id(PendingRequest(from, partner));
    r.set_accept(true);
    socio::v1::MeetingRequest out;
    grpc::Status status = engagement_->AnswerMeetingRequest(As(kAdmin).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  // A partnership of `first` and `second` made by the operator; its id.
  std::string OperatorPartnership(const std::string& first, const std::string& second) {
    socio::v1::CreatePartnershipRequest r;
    r.mutable_partnership()->set_first_member_id(first);
    r.mutable_partnership()->set_second_member_id(second);
    socio::v1::Partnership out;
    grpc::Status status = partnerships_->CreatePartnership(As(kAdmin).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  // A PENDING request from `from` to `to` made by the operator; its id.
  std::string PendingRequest(const std::string& from, const std::string& to) {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(from);
    r.mutable_request()->set_to_ref(to);
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    const int64_t start = absl::ToUnixNanos(absl::Now() + absl::Hours(48));
    *w->mutable_start_time() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(start);
    *w->mutable_end_time() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
        start + absl::ToInt64Nanoseconds(absl::Minutes(30)));
    socio::v1::MeetingRequest out;
    grpc::Status status = engagement_->CreateMeetingRequest(As(kAdmin).get(), r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  std::string Issue(socio::v1::Role role, const std::string& chamber, const std::string& profile) {
    return server_->IssueToken(role, chamber, profile);
  }

  static std::unique_ptr<grpc::ClientContext> WithToken(const std::string& token) {
    return socio::testing::WithToken(token);
  }
  std::unique_ptr<grpc::ClientContext> As(Who who) { return WithToken(tokens_[who]); }

  // A profile of chamber A nobody else uses, made by the operator.
  std::string FreshProfile(int n) {
    Profile p = FromJson<Profile>(kMembers[0]);
    p.set_id(absl::StrCat("tmp-", n));
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = p;
    Profile created;
    grpc::Status status = server_->profiles().CreateProfile(As(kAdmin).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return p.id();
  }

  // A copy of mx-1 (a strong partner for de-1) with another id, chamber,
  // visibility and city, stored by the operator.
  void StorePartner(const std::string& id, const std::string& chamber, Profile::Visibility v,
                    const std::string& city) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = FromJson<Profile>(kMembers[2]);
    request.mutable_profile()->set_id(id);
    request.mutable_profile()->set_chamber_id(chamber);
    request.mutable_profile()->set_visibility(v);
    request.mutable_profile()->set_city(city);
    Profile created;
    grpc::Status status = server_->profiles().CreateProfile(As(kAdmin).get(), request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The ids of the member's partners as `who` is shown them.
  std::vector<std::string> PartnersOf(Who who, const std::string& member) {
    socio::v1::FindPartnersRequest request;
    request.set_member_id(member);
    request.set_k(100);
    socio::v1::FindPartnersResponse response;
    grpc::Status status = server_->matches().FindPartners(As(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const socio::v1::Match& m : response.matches()) ids.push_back(m.partner_id());
    return ids;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
  std::unique_ptr<socio::v1::PartnershipService::Stub> partnerships_;
  std::unique_ptr<socio::v1::AnalyticsService::Stub> analytics_;
  std::unique_ptr<socio::v1::ExchangeService::Stub> exchanges_;
  std::unique_ptr<socio::v1::ChamberService::Stub> chambers_;
  std::string tokens_[kWhoCount];
  std::string revoked_token_;
};

// One row of the table: an RPC made with a context, given a number unique
// to the cell (for the ids it creates), and what each caller gets: 'O' OK,
// 'P' PERMISSION_DENIED (it may see the thing but not do this), 'N'
// NOT_FOUND (it may not see the thing named). Without a valid token every RPC
// is UNAUTHENTICATED.
struct Row {
  std::string rpc;
  std::function<grpc::Status(grpc::ClientContext*, int)> call;
  std::string expected;  // one letter per Who
};

TEST_F(AuthTest, EveryRoleAgainstEveryRpc) {
  using namespace socio::v1;  // NOLINT: the table reads better with bare message names
  std::vector<Row> rows = {
      // ProfileService.
      {"CreateProfile (chamber A)",
       [&](grpc::ClientContext* c, int n) {
         CreateProfileRequest r;
         *r.mutable_profile() = FromJson<Profile>(kMembers[0]);
         r.mutable_profile()->set_id(absl::StrCat("new-", n));
         Profile out;
         return server_->profiles().CreateProfile(c, r, &out);
       },
       "OOPPP"},
      {"GetProfile (A, FEDERATION)",
       [&](grpc::ClientContext* c, int) {
         GetProfileRequest r;
         r.set_id("de-1");
         Profile out;
         return server_->profiles().GetProfile(c, r, &out);
       },
       "OOOON"},
      {"GetProfile (A, PRIVATE)",
       [&](grpc::ClientContext* c, int) {
         GetProfileRequest r;
         r.set_id("de-2");
         Profile out;
         return server_->profiles().GetProfile(c, r, &out);
       },
       "OONNN"},
      {"GetProfile (B, CHAMBER)",
       [&](grpc::ClientContext* c, int) {
         GetProfileRequest r;
         r.set_id("mx-2");
         Profile out;
         return server_->profiles().GetProfile(c, r, &out);
       },
       "ONONN"},
      {"UpdateProfile (de-1's description)",
       [&](grpc::ClientContext* c, int n) {
         UpdateProfileRequest r;
         r.mutable_profile()->set_id("de-1");
         r.mutable_profile()->set_description(absl::StrCat("Edit ", n));
         r.mutable_update_mask()->add_paths("description");
         Profile out;
         return server_->profiles().UpdateProfile(c, r, &out);
       },
       "OOPON"},
      {"UpdateProfile (move a member of A to B)",
       [&](grpc::ClientContext* c, int n) {
         UpdateProfileRequest r;
         r.mutable_profile()->set_id(FreshProfile(n));
         r.mutable_profile()->set_chamber_id("canaco-cdmx");
         r.mutable_update_mask()->add_paths("chamber_id");
         Profile out;
         return server_->profiles().UpdateProfile(c, r, &out);
       },
       "OPPNN"},
      {"DeleteProfile (a member of A)",
       [&](grpc::ClientContext* c, int n) {
         DeleteProfileRequest r;
         r.set_id(FreshProfile(n));
         DeleteProfileResponse out;
         return server_->profiles().DeleteProfile(c, r, &out);
       },
       "OOPNN"},
      {"ListProfiles",
       [&](grpc::ClientContext* c, int) {
         ListProfilesRequest r;
         ListProfilesResponse out;
         return server_->profiles().ListProfiles(c, r, &out);
       },
       "OOOPP"},
      {"ImportProfiles (one of chamber A)",
       [&](grpc::ClientContext* c, int n) {
         ImportProfilesSummary out;
         auto stream = server_->profiles().ImportProfiles(c, &out);
         ImportProfilesRequest r;
         *r.add_profiles() = FromJson<Profile>(kMembers[0]);
         r.mutable_profiles(0)->set_id(absl::StrCat("imp-", n));
         stream->Write(r);
         stream->WritesDone();
         return stream->Finish();
       },
       "OOOPP"},
      {"WatchProfiles",
       [&](grpc::ClientContext* c, int) {
         WatchProfilesRequest r;
         auto stream = server_->profiles().WatchProfiles(c, r);
         ProfileChange change;
         if (stream->Read(&change)) {
           c->TryCancel();
           stream->Finish().ok();  // CANCELLED by us: the stream was open
           return grpc::Status::OK;
         }
         return stream->Finish();
       },
       "OPPPP"},
      // MatchService.
      {"FindPartners (member de-1)",
       [&](grpc::ClientContext* c, int) {
         FindPartnersRequest r;
         r.set_member_id("de-1");
         FindPartnersResponse out;
         return server_->matches().FindPartners(c, r, &out);
       },
       "OOPON"},
      // Declined and not-interested partners shown again: who may ask is who
      // may rank de-1 at all.
      {"FindPartners (member de-1, include_declined)",
       [&](grpc::ClientContext* c, int) {
         FindPartnersRequest r;
         r.set_member_id("de-1");
         r.set_include_declined(true);
         FindPartnersResponse out;
         return server_->matches().FindPartners(c, r, &out);
       },
       "OOPON"},
      // The console's weights preview: trial weights, nothing saved. Who may
      // rank de-1 with them is who may rank it at all: its chamber's staff,
      // the operator and de-1 itself (for its own list alone).
      {"FindPartners (member de-1, trial weights)",
       [&](grpc::ClientContext* c, int) {
         FindPartnersRequest r;
         r.set_member_id("de-1");
         r.set_k(10);
         r.mutable_weights()->set_objective(1);
         r.mutable_weights()->set_text(1);
         FindPartnersResponse out;
         return server_->matches().FindPartners(c, r, &out);
       },
       "OOPON"},
      {"FindPartners (a probe of chamber A)",
       [&](grpc::ClientContext* c, int) {
         FindPartnersRequest r;
         *r.mutable_probe() = FromJson<Profile>(kMembers[0]);
         r.mutable_probe()->clear_id();
         FindPartnersResponse out;
         return server_->matches().FindPartners(c, r, &out);
       },
       "OOPPP"},
      {"ExplainMatch (de-1, mx-1)",
       [&](grpc::ClientContext* c, int) {
         ExplainMatchRequest r;
         r.set_a_id("de-1");
         r.set_b_id("mx-1");
         Match out;
         return server_->matches().ExplainMatch(c, r, &out);
       },
       "OOPON"},
      {"GetMatchPolicy (A)",
       [&](grpc::ClientContext* c, int) {
         GetMatchPolicyRequest r;
         r.set_chamber_id("ihk-muenchen");
         MatchPolicy out;
         return server_->matches().GetMatchPolicy(c, r, &out);
       },
       "OOPPP"},
      {"SetMatchPolicy (A)",
       [&](grpc::ClientContext* c, int) {
         SetMatchPolicyRequest r;
         r.mutable_policy()->set_chamber_id("ihk-muenchen");
         r.mutable_policy()->mutable_weights()->set_objective(1);
         MatchPolicy out;
         return server_->matches().SetMatchPolicy(c, r, &out);
       },
       "OOPPP"},
      // A weight suggestion from chamber A's outcomes: its staff and the
      // operator (none recorded here: it says there are too few).
      {"SuggestMatchPolicy (A)",
       [&](grpc::ClientContext* c, int) {
         socio::v1::SuggestMatchPolicyRequest r;
         r.set_chamber_id("ihk-muenchen");
         socio::v1::MatchPolicySuggestion out;
         grpc::Status s = server_->matches().SuggestMatchPolicy(c, r, &out);
         if (s.ok() && (out.enough_outcomes() || out.min_outcomes() == 0)) {
           return grpc::Status(grpc::StatusCode::INTERNAL, "a suggestion from no outcomes");
         }
         return s;
       },
       "OOPPP"},
      {"ScorePairs",
       [&](grpc::ClientContext* c, int) {
         ScorePairsRequest r;
         r.add_a_ids("de-1");
         r.add_b_ids("mx-1");
         r.mutable_weights()->set_objective(1);
         ScorePairsResponse out;
         return server_->matches().ScorePairs(c, r, &out);
       },
       "OPPPP"},
      // DelegationService.
      {"CreateDelegation (chamber A)",
       [&](grpc::ClientContext* c, int n) {
         CreateDelegationRequest r;
         *r.mutable_delegation() = FromJson<Delegation>(kMission);
         r.mutable_delegation()->set_id(absl::StrCat("d-", n));
         Delegation out;
         return server_->delegations().CreateDelegation(c, r, &out);
       },
       "OOPPP"},
      {"GetDelegation",
       [&](grpc::ClientContext* c, int) {
         GetDelegationRequest r;
         r.set_id("mx27");
         Delegation out;
         return server_->delegations().GetDelegation(c, r, &out);
       },
       "OONNN"},
      {"UpdateDelegation",
       [&](grpc::ClientContext* c, int n) {
         UpdateDelegationRequest r;
         r.mutable_delegation()->set_id("mx27");
         r.mutable_delegation()->set_name(absl::StrCat("Mission ", n));
         r.mutable_update_mask()->add_paths("name");
         Delegation out;
         return server_->delegations().UpdateDelegation(c, r, &out);
       },
       "OONNN"},
      {"DeleteDelegation",
       [&](grpc::ClientContext* c, int n) {
         CreateDelegationRequest create;
         *create.mutable_delegation() = FromJson<Delegation>(kMission);
         create.mutable_delegation()->set_id(absl::StrCat("del-", n));
         Delegation created;
         grpc::Status made =
             server_->delegations().CreateDelegation(As(kAdmin).get(), create, &created);
         if (!made.ok()) return made;
         DeleteDelegationRequest r;
         r.set_id(created.id());
         DeleteDelegationResponse out;
         return server_->delegations().DeleteDelegation(c, r, &out);
       },
       "OONNN"},
      {"ListDelegations (A)",
       [&](grpc::ClientContext* c, int) {
         ListDelegationsRequest r;
         r.set_chamber_id("ihk-muenchen");
         ListDelegationsResponse out;
         return server_->delegations().ListDelegations(c, r, &out);
       },
       "OOPPP"},
      {"PlanDelegation",
       [&](grpc::ClientContext* c, int) {
         PlanDelegationRequest r;
         r.set_id("mx27");
         Delegation out;
         return server_->delegations().PlanDelegation(c, r, &out);
       },
       "OONNN"},
      {"PublishPlan",
       [&](grpc::ClientContext* c, int) {
         PublishPlanRequest r;
         r.set_id("mx27");
         Delegation out;
         return server_->delegations().PublishPlan(c, r, &out);
       },
       "OONNN"},
      {"RecommendDestinations (de-1)",
       [&](grpc::ClientContext* c, int) {
         RecommendDestinationsRequest r;
         r.add_delegate_ids("de-1");
         RecommendDestinationsResponse out;
         return server_->delegations().RecommendDestinations(c, r, &out);
       },
       "OOPON"},
      {"GetAgenda (de-1's)",
       [&](grpc::ClientContext* c, int) {
         GetAgendaRequest r;
         r.set_delegation_id("mx27");
         r.set_member_id("de-1");
         r.set_format(GetAgendaRequest::ICALENDAR);
         Agenda out;
         return server_->delegations().GetAgenda(c, r, &out);
       },
       "OONON"},
      {"GetAgenda (the whole plan)",
       [&](grpc::ClientContext* c, int) {
         GetAgendaRequest r;
         r.set_delegation_id("mx27");
         r.set_format(GetAgendaRequest::CSV);
         Agenda out;
         return server_->delegations().GetAgenda(c, r, &out);
       },
       "OONNN"},
      // Host invitations of mx27, which has no host chamber: the
      // organising chamber invites; the host or its chamber's staff answer.
      {"InviteHosts",
       [&](grpc::ClientContext* c, int) {
         InviteHostsRequest r;
         r.set_delegation_id("mx27");
         r.mutable_deadline()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(240)));
         InviteHostsResponse out;
         return server_->delegations().InviteHosts(c, r, &out);
       },
       "OONNN"},
      {"AnswerHostInvitation (mx-1's)",
       [&](grpc::ClientContext* c, int) {
         AnswerHostInvitationRequest r;
         r.set_delegation_id("mx27");
         r.set_host_id("mx-1");
         r.set_accept(true);
         HostInvitation out;
         grpc::Status s = server_->delegations().AnswerHostInvitation(c, r, &out);
         if (s.ok() && out.status() != HostInvitation::ACCEPTED) {
           return grpc::Status(grpc::StatusCode::INTERNAL, "not accepted");
         }
         return s;
       },
       "ONONO"},
      {"ListHostInvitations (mx27)",
       [&](grpc::ClientContext* c, int) {
         ListHostInvitationsRequest r;
         r.set_delegation_id("mx27");
         ListHostInvitationsResponse out;
         grpc::Status s = server_->delegations().ListHostInvitations(c, r, &out);
         if (s.ok() && out.listings_size() != 1) {
           return grpc::Status(grpc::StatusCode::INTERNAL, "not mx-1's invitation alone");
         }
         return s;
       },
       "OONNN"},
      {"ListHostInvitations (mx-1's)",
       [&](grpc::ClientContext* c, int) {
         ListHostInvitationsRequest r;
         r.set_member_id("mx-1");
         ListHostInvitationsResponse out;
         grpc::Status s = server_->delegations().ListHostInvitations(c, r, &out);
         // What the host sees of the delegation: its name (rows above renamed
         // it), dates, cities, chambers.
         if (s.ok() && (out.listings_size() != 1 || out.listings(0).delegation_name().empty() ||
                        out.listings(0).first_date() != "2027-03-29" ||
                        out.listings(0).chamber_id() != "ihk-muenchen")) {
           return grpc::Status(grpc::StatusCode::INTERNAL, out.ShortDebugString());
         }
         return s;
       },
       "OPONO"},
      // The briefing: whole for A's staff and the operator; a company taking
      // part reads it for itself (de-1 a delegate, mx-1 a host).
      {"GetDelegationBriefing",
       [&](grpc::ClientContext* c, int) {
         socio::v1::GetDelegationBriefingRequest r;
         r.set_delegation_id("mx27");
         socio::v1::Briefing out;
         return server_->delegations().GetDelegationBriefing(c, r, &out);
       },
       "OONOO"},
      {"GetDelegationBriefing (de-1's)",
       [&](grpc::ClientContext* c, int) {
         socio::v1::GetDelegationBriefingRequest r;
         r.set_delegation_id("mx27");
         r.set_member_id("de-1");
         socio::v1::Briefing out;
         return server_->delegations().GetDelegationBriefing(c, r, &out);
       },
       "OONON"},
      // AdminService.
      {"WhoAmI",
       [&](grpc::ClientContext* c, int) {
         TokenInfo out;
         return server_->admin().WhoAmI(c, WhoAmIRequest(), &out);
       },
       "OOOOO"},
      {"IssueToken",
       [&](grpc::ClientContext* c, int) {
         IssueTokenRequest r;
         r.set_role(STAFF);
         r.set_chamber_id("ihk-muenchen");
         IssueTokenResponse out;
         return server_->admin().IssueToken(c, r, &out);
       },
       "OPPPP"},
      {"RevokeToken",
       [&](grpc::ClientContext* c, int) {
         const std::string token = Issue(MEMBER, "", "de-1");
         RevokeTokenRequest r;
         r.set_id(token.substr(0, token.find('.')));
         TokenInfo out;
         return server_->admin().RevokeToken(c, r, &out);
       },
       "OPPPP"},
      {"ListTokens",
       [&](grpc::ClientContext* c, int) {
         ListTokensResponse out;
         return server_->admin().ListTokens(c, ListTokensRequest(), &out);
       },
       "OPPPP"},
      {"Backup",
       [&](grpc::ClientContext* c, int n) {
         BackupRequest r;
         r.set_dir(server_->dir().Join(absl::StrCat("backup-", n)));
         BackupResponse out;
         return server_->admin().Backup(c, r, &out);
       },
       "OPPPP"},
      {"GetStats",
       [&](grpc::ClientContext* c, int) {
         Stats out;
         return server_->admin().GetStats(c, GetStatsRequest(), &out);
       },
       "OPPPP"},
      // EngagementService.
      {"SetInterest (de-1 on mx-1)",
       [&](grpc::ClientContext* c, int n) {
         SetInterestRequest r;
         r.set_member_id("de-1");
         r.set_partner_ref("mx-1");
         r.set_mark(n % 2 ? Interest::INTERESTED : Interest::NOT_INTERESTED);
         Interest out;
         return engagement_->SetInterest(c, r, &out);
       },
       "OOPON"},
      {"ListInterests (de-1's)",
       [&](grpc::ClientContext* c, int) {
         ListInterestsRequest r;
         r.set_member_id("de-1");
         ListInterestsResponse out;
         return engagement_->ListInterests(c, r, &out);
       },
       "OOPON"},
      {"ListReveals (de-1's)",
       [&](grpc::ClientContext* c, int) {
         ListRevealsRequest r;
         r.set_profile_id("de-1");
         ListRevealsResponse out;
         return engagement_->ListReveals(c, r, &out);
       },
       "OOPON"},
      {"CreateMeetingRequest (de-1 to a company of B)",
       [&](grpc::ClientContext* c, int n) {
         const std::string partner = absl::StrCat("mx-p", n);
         StorePartner(partner, "canaco-cdmx", Profile::FEDERATION, "Puebla");
         CreateMeetingRequestRequest r;
         r.mutable_request()->set_from_member_id("de-1");
         r.mutable_request()->set_to_ref(partner);
         TimeWindow* w = r.mutable_request()->add_proposed();
         const int64_t start = absl::ToUnixNanos(absl::Now() + absl::Hours(48));
         *w->mutable_start_time() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(start);
         *w->mutable_end_time() =
             google::protobuf::util::TimeUtil::NanosecondsToTimestamp(start + 1800000000000);
         MeetingRequest out;
         return engagement_->CreateMeetingRequest(c, r, &out);
       },
       "OOPON"},
      {"GetMeetingRequest (de-1 to mx-1)",
       [&, id = std::string()](grpc::ClientContext* c, int) mutable {
         if (id.empty()) id = PendingRequest("de-1", "mx-1");
         GetMeetingRequestRequest r;
         r.set_id(id);
         MeetingRequest out;
         return engagement_->GetMeetingRequest(c, r, &out);
       },
       "OOOOO"},
      {"ListMeetingRequests (de-1's)",
       [&](grpc::ClientContext* c, int) {
         ListMeetingRequestsRequest r;
         r.set_member_id("de-1");
         ListMeetingRequestsResponse out;
         return engagement_->ListMeetingRequests(c, r, &out);
       },
       "OOPON"},
      {"AnswerMeetingRequest (a member of A to mx-1)",
       [&](grpc::ClientContext* c, int n) {
         AnswerMeetingRequestRequest r;
         r.set_id(PendingRequest(FreshProfile(n), "mx-1"));
         MeetingRequest out;
         return engagement_->AnswerMeetingRequest(c, r, &out);
       },
       "OPONO"},
      {"CancelMeetingRequest (withdraw: a member of A to mx-1)",
       [&](grpc::ClientContext* c, int n) {
         CancelMeetingRequestRequest r;
         r.set_id(PendingRequest(FreshProfile(n), "mx-1"));
         MeetingRequest out;
         return engagement_->CancelMeetingRequest(c, r, &out);
       },
       "OOPNP"},
      // PartnershipService.
      {"CreatePartnership (de-1 and mx-1)",
       [&](grpc::ClientContext* c, int) {
         CreatePartnershipRequest r;
         r.mutable_partnership()->set_first_member_id("de-1");
         r.mutable_partnership()->set_second_member_id("mx-1");
         Partnership out;
         return partnerships_->CreatePartnership(c, r, &out);
       },
       "OOOOO"},
      {"CreatePartnership (de-2, PRIVATE in A, and mx-1)",
       [&](grpc::ClientContext* c, int) {
         CreatePartnershipRequest r;
         r.mutable_partnership()->set_first_member_id("de-2");
         r.mutable_partnership()->set_second_member_id("mx-1");
         Partnership out;
         return partnerships_->CreatePartnership(c, r, &out);
       },
       "OONNN"},
      {"CreatePartnership (chambers A and B)",
       [&](grpc::ClientContext* c, int) {
         CreatePartnershipRequest r;
         r.mutable_partnership()->set_first_chamber_id("ihk-muenchen");
         r.mutable_partnership()->set_second_chamber_id("canaco-cdmx");
         Partnership out;
         return partnerships_->CreatePartnership(c, r, &out);
       },
       "OOOPP"},
      {"GetPartnership (de-1 and de-2)",
       [&, id = std::string()](grpc::ClientContext* c, int) mutable {
         if (id.empty()) id = OperatorPartnership("de-1", "de-2");
         GetPartnershipRequest r;
         r.set_id(id);
         Partnership out;
         return partnerships_->GetPartnership(c, r, &out);
       },
       "OONON"},
      {"ListPartnerships (de-1's)",
       [&](grpc::ClientContext* c, int) {
         ListPartnershipsRequest r;
         r.set_member_id("de-1");
         ListPartnershipsResponse out;
         return partnerships_->ListPartnerships(c, r, &out);
       },
       "OOPON"},
      {"ListPartnerships (chamber A's)",
       [&](grpc::ClientContext* c, int) {
         ListPartnershipsRequest r;
         r.set_chamber_id("ihk-muenchen");
         ListPartnershipsResponse out;
         return partnerships_->ListPartnerships(c, r, &out);
       },
       "OOPPP"},
      {"UpdatePartnership (de-1 and de-2: title)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = OperatorPartnership("de-1", "de-2");
         UpdatePartnershipRequest r;
         r.mutable_partnership()->set_id(id);
         r.mutable_partnership()->set_title(absl::StrCat("Edit ", n));
         Partnership out;
         return partnerships_->UpdatePartnership(c, r, &out);
       },
       "OONON"},
      {"RecordReview (de-1 and de-2)",
       [&, id = std::string()](grpc::ClientContext* c, int) mutable {
         if (id.empty()) id = OperatorPartnership("de-1", "de-2");
         RecordReviewRequest r;
         r.set_partnership_id(id);
         r.mutable_review()->set_judgement(PartnershipReview::ON_TRACK);
         PartnershipReview out;
         return partnerships_->RecordReview(c, r, &out);
       },
       "OONON"},
      {"ListReviews (de-1 and de-2)",
       [&, id = std::string()](grpc::ClientContext* c, int) mutable {
         if (id.empty()) id = OperatorPartnership("de-1", "de-2");
         ListReviewsRequest r;
         r.set_partnership_id(id);
         ListReviewsResponse out;
         return partnerships_->ListReviews(c, r, &out);
       },
       "OONON"},
      // NotificationService.
      {"WatchNotifications (de-1's)",
       [&](grpc::ClientContext* c, int) {
         WatchNotificationsRequest r;
         r.set_recipient("de-1");
         // A stream that was let in waits for news until its deadline.
         c->set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(500)));
         auto reader = notifications_->WatchNotifications(c, r);
         Notification n;
         while (reader->Read(&n)) {
         }
         grpc::Status status = reader->Finish();
         return status.error_code() == StatusCode::DEADLINE_EXCEEDED ? grpc::Status::OK : status;
       },
       "OOPON"},
      {"GetNotificationSettings (de-1's)",
       [&](grpc::ClientContext* c, int) {
         GetNotificationSettingsRequest r;
         r.set_recipient("de-1");
         NotificationSettings out;
         return notifications_->GetNotificationSettings(c, r, &out);
       },
       "OOPON"},
      {"SetNotificationSettings (de-1's)",
       [&](grpc::ClientContext* c, int) {
         SetNotificationSettingsRequest r;
         r.mutable_settings()->set_recipient("de-1");
         r.mutable_settings()->add_email_to("export@huber.example");
         NotificationSettings out;
         return notifications_->SetNotificationSettings(c, r, &out);
       },
       "OOPON"},
      {"GetNotificationSettings (staff of A's)",
       [&](grpc::ClientContext* c, int) {
         GetNotificationSettingsRequest r;
         r.set_recipient("staff:ihk-muenchen");
         NotificationSettings out;
         return notifications_->GetNotificationSettings(c, r, &out);
       },
       "OOPPP"},
      {"ListParkedDeliveries",
       [&](grpc::ClientContext* c, int) {
         ListParkedDeliveriesResponse out;
         return notifications_->ListParkedDeliveries(c, ListParkedDeliveriesRequest(), &out);
       },
       "OPPPP"},
      // OutcomeService: meetings of de-1 and of de-2 (A) with new companies
      // of B, ended by the outcomes' clock.
      {"GetMeetingOutcome (de-1 with a company of B)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = AcceptedRequest("de-1", absl::StrCat("mx-o", n));
         GetMeetingOutcomeRequest r;
         r.mutable_meeting()->set_request_id(id);
         MeetingOutcome out;
         return outcomes_->GetMeetingOutcome(c, r, &out);
       },
       "OOOON"},
      {"GetMeetingOutcome (de-2 with a company of B)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = AcceptedRequest("de-2", absl::StrCat("mx-o", n));
         GetMeetingOutcomeRequest r;
         r.mutable_meeting()->set_request_id(id);
         MeetingOutcome out;
         return outcomes_->GetMeetingOutcome(c, r, &out);
       },
       "OOONN"},
      {"RecordOutcome (de-1's side, with a company of B)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = AcceptedRequest("de-1", absl::StrCat("mx-o", n));
         RecordOutcomeRequest r;
         r.mutable_meeting()->set_request_id(id);
         r.set_member_id("de-1");
         r.mutable_feedback()->set_attendance(MeetingFeedback::HELD);
         r.mutable_feedback()->set_rating(4);
         r.mutable_feedback()->set_follow_up(MeetingFeedback::MAYBE);
         MeetingOutcome out;
         return outcomes_->RecordOutcome(c, r, &out);
       },
       "OOPON"},
      {"ListOutcomes (de-1's)",
       [&](grpc::ClientContext* c, int) {
         ListOutcomesRequest r;
         r.set_member_id("de-1");
         ListOutcomesResponse out;
         return outcomes_->ListOutcomes(c, r, &out);
       },
       "OOPON"},
      {"ListOutcomes (chamber A's)",
       [&](grpc::ClientContext* c, int) {
         ListOutcomesRequest r;
         r.set_chamber_id("ihk-muenchen");
         ListOutcomesResponse out;
         return outcomes_->ListOutcomes(c, r, &out);
       },
       "OOPPP"},
      // AnalyticsService: a chamber's staff and operators; never members.
      {"GetAnalytics (chamber A's)",
       [&](grpc::ClientContext* c, int) {
         GetAnalyticsRequest r;
         r.set_chamber_id("ihk-muenchen");
         r.set_group_by(GetAnalyticsRequest::COUNTRY_PAIR);
         GetAnalyticsResponse out;
         return analytics_->GetAnalytics(c, r, &out);
       },
       "OOPPP"},
      // ExchangeService: both chambers' staff and operators; a third
      // chamber and members find none. B's staff may not read A's visit.
      {"CreateExchange (A's visit, A and B)",
       [&](grpc::ClientContext* c, int n) {
         CreateExchangeRequest r;
         r.mutable_exchange()->set_id(absl::StrCat("x-", n));
         r.mutable_exchange()->set_chamber_id("ihk-muenchen");
         r.mutable_exchange()->set_partner_chamber_id("canaco-cdmx");
         r.mutable_exchange()->set_visit_delegation_id(OperatorVisit(n));
         Exchange out;
         return exchanges_->CreateExchange(c, r, &out);
       },
       "OONPP"},
      {"GetExchange (A and B)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = OperatorExchange(n, "canaco-cdmx");
         GetExchangeRequest r;
         r.set_id(id);
         Exchange out;
         return exchanges_->GetExchange(c, r, &out);
       },
       "OOONN"},
      {"GetExchange (A and a third chamber)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = OperatorExchange(n, "camara-santiago");
         GetExchangeRequest r;
         r.set_id(id);
         Exchange out;
         return exchanges_->GetExchange(c, r, &out);
       },
       "OONNN"},
      {"UpdateExchange (A and B: notes)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = OperatorExchange(n, "canaco-cdmx");
         UpdateExchangeRequest r;
         r.mutable_exchange()->set_id(id);
         r.mutable_exchange()->set_notes(absl::StrCat("note ", n));
         Exchange out;
         return exchanges_->UpdateExchange(c, r, &out);
       },
       "OOONN"},
      {"ListExchanges (chamber A's)",
       [&](grpc::ClientContext* c, int) {
         ListExchangesRequest r;
         r.set_chamber_id("ihk-muenchen");
         ListExchangesResponse out;
         return exchanges_->ListExchanges(c, r, &out);
       },
       "OOPPP"},
      {"DeleteExchange (A and B)",
       [&](grpc::ClientContext* c, int n) {
         DeleteExchangeRequest r;
         r.set_id(OperatorExchange(n, "canaco-cdmx"));
         DeleteExchangeResponse out;
         return exchanges_->DeleteExchange(c, r, &out);
       },
       "OOONN"},
      {"GetExchangeBalance (A and B)",
       [&, id = std::string()](grpc::ClientContext* c, int n) mutable {
         if (id.empty()) id = OperatorExchange(n, "canaco-cdmx");
         GetExchangeBalanceRequest r;
         r.set_id(id);
         ExchangeBalance out;
         return exchanges_->GetExchangeBalance(c, r, &out);
       },
       "OOONN"},
      // ChamberService: records are public to every caller with a token;
      // operators create and delete them, a chamber's staff edit their own;
      // partner links are its staff's (and operators') to propose, accept,
      // end and list.
      {"CreateChamber (a new one)",
       [&](grpc::ClientContext* c, int n) {
         CreateChamberRequest r;
         r.mutable_chamber()->set_id(absl::StrCat("chamber-", n));
         r.mutable_chamber()->set_name("Cámara de Comercio de Puebla");
         r.mutable_chamber()->set_country("MX");
         Chamber out;
         return chambers_->CreateChamber(c, r, &out);
       },
       "OPPPP"},
      {"GetChamber (A's)",
       [&](grpc::ClientContext* c, int) {
         OperatorChamber("ihk-muenchen");
         GetChamberRequest r;
         r.set_id("ihk-muenchen");
         Chamber out;
         return chambers_->GetChamber(c, r, &out);
       },
       "OOOOO"},
      {"ListChambers",
       [&](grpc::ClientContext* c, int) {
         ListChambersResponse out;
         return chambers_->ListChambers(c, ListChambersRequest(), &out);
       },
       "OOOOO"},
      {"UpdateChamber (A's city)",
       [&](grpc::ClientContext* c, int n) {
         OperatorChamber("ihk-muenchen");
         UpdateChamberRequest r;
         r.mutable_chamber()->set_id("ihk-muenchen");
         r.mutable_chamber()->set_city(absl::StrCat("München ", n));
         r.mutable_update_mask()->add_paths("city");
         Chamber out;
         return chambers_->UpdateChamber(c, r, &out);
       },
       "OOPPP"},
      {"DeleteChamber (a record of A's country)",
       [&](grpc::ClientContext* c, int n) {
         OperatorChamber(absl::StrCat("gone-", n));
         DeleteChamberRequest r;
         r.set_id(absl::StrCat("gone-", n));
         DeleteChamberResponse out;
         return chambers_->DeleteChamber(c, r, &out);
       },
       "OPPPP"},
      {"ProposePartnerChamber (A proposes a new partner)",
       [&](grpc::ClientContext* c, int n) {
         ProposePartnerChamberRequest r;
         r.set_chamber_id("ihk-muenchen");
         r.set_partner_chamber_id(absl::StrCat("partner-", n));
         ChamberPartner out;
         return chambers_->ProposePartnerChamber(c, r, &out);
       },
       "OOPPP"},
      {"AcceptPartnerChamber (B accepts a proposal made to it)",
       [&](grpc::ClientContext* c, int n) {
         OperatorProposal(absl::StrCat("suitor-", n), "canaco-cdmx");
         AcceptPartnerChamberRequest r;
         r.set_chamber_id("canaco-cdmx");
         r.set_partner_chamber_id(absl::StrCat("suitor-", n));
         ChamberPartner out;
         return chambers_->AcceptPartnerChamber(c, r, &out);
       },
       "OPOPP"},
      {"EndPartnerChamber (A ends a link of its own)",
       [&](grpc::ClientContext* c, int n) {
         OperatorProposal("ihk-muenchen", absl::StrCat("former-", n));
         EndPartnerChamberRequest r;
         r.set_chamber_id("ihk-muenchen");
         r.set_partner_chamber_id(absl::StrCat("former-", n));
         ChamberPartner out;
         return chambers_->EndPartnerChamber(c, r, &out);
       },
       "OOPPP"},
      {"ListPartnerChambers (A's)",
       [&](grpc::ClientContext* c, int) {
         ListPartnerChambersRequest r;
         r.set_chamber_id("ihk-muenchen");
         ListPartnerChambersResponse out;
         return chambers_->ListPartnerChambers(c, r, &out);
       },
       "OOPPP"},
  };

  int n = 0;
  for (const Row& row : rows) {
    ASSERT_EQ(row.expected.size(), static_cast<size_t>(kWhoCount)) << row.rpc;
    for (const std::string& token : {std::string(), std::string("Qx.nonsense"), revoked_token_}) {
      grpc::Status status = row.call(WithToken(token).get(), ++n);
      EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED)
          << row.rpc << " with token '" << token << "': " << status.error_message();
    }
    for (int who = 0; who < kWhoCount; ++who) {
      grpc::Status status = row.call(As(static_cast<Who>(who)).get(), ++n);
      const StatusCode expected = row.expected[who] == 'O'   ? StatusCode::OK
                                  : row.expected[who] == 'N' ? StatusCode::NOT_FOUND
                                                             : StatusCode::PERMISSION_DENIED;
      EXPECT_EQ(status.error_code(), expected)
          << row.rpc << " as " << kWhoNames[who] << ": " << status.error_message();
      if (expected == StatusCode::PERMISSION_DENIED) {
        EXPECT_THAT(status.error_message(), HasSubstr("may not")) << row.rpc;
      }
    }
  }
}

// A delegation of A co-planned with B: B's staff read it and change the
// host side only; members and the others see nothing of it.
TEST_F(AuthTest, TheHostChambersStaffCoPlanTheHostSideOnly) {
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
  create.mutable_delegation()->set_id("mx27-co");
  create.mutable_delegation()->set_host_chamber_id("canaco-cdmx");
  socio::v1::Delegation d;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(As(kStaffA).get(), create, &d));
  auto get = [&](Who who) {
    socio::v1::GetDelegationRequest r;
    r.set_id("mx27-co");
    return server_->delegations().GetDelegation(As(who).get(), r, &d).error_code();
  };
  auto update = [&](Who who, const std::string& field) {
    socio::v1::UpdateDelegationRequest r;
    r.mutable_delegation()->set_id("mx27-co");
    r.mutable_update_mask()->add_paths(field);
    if (field == "hosts") r.mutable_delegation()->add_hosts()->set_member_id("mx-1");
    if (field == "delegates") r.mutable_delegation()->add_delegates()->set_member_id("de-1");
    return server_->delegations().UpdateDelegation(As(who).get(), r, &d).error_code();
  };
  auto plan = [&](Who who) {
    socio::v1::PlanDelegationRequest r;
    r.set_id("mx27-co");
    return server_->delegations().PlanDelegation(As(who).get(), r, &d).error_code();
  };
  const std::vector<std::pair<Who, std::vector<StatusCode>>> expected = {
      // GetDelegation, update hosts, update delegates, plan
      {kAdmin, {StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::OK}},
      {kStaffA, {StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::OK}},
      {kStaffB,
       {StatusCode::OK, StatusCode::OK, StatusCode::PERMISSION_DENIED,
        StatusCode::PERMISSION_DENIED}},
      {kMemberA,
       {StatusCode::NOT_FOUND, StatusCode::NOT_FOUND, StatusCode::NOT_FOUND,
        StatusCode::NOT_FOUND}},
      {kMemberB,
       {StatusCode::NOT_FOUND, StatusCode::NOT_FOUND, StatusCode::NOT_FOUND,
        StatusCode::NOT_FOUND}},
  };
  for (const auto& [who, codes] : expected) {
    EXPECT_EQ(get(who), codes[0]) << kWhoNames[who];
    EXPECT_EQ(update(who, "hosts"), codes[1]) << kWhoNames[who];
    EXPECT_EQ(update(who, "delegates"), codes[2]) << kWhoNames[who];
    EXPECT_EQ(plan(who), codes[3]) << kWhoNames[who];
  }
}

TEST_F(AuthTest, StaffListTheirChamberAndOnlyTheFederationOfOthers) {
  socio::v1::ListProfilesResponse page;
  ASSERT_RPC_OK(server_->profiles().ListProfiles(As(kStaffB).get(), {}, &page));
  std::vector<std::string> ids;
  for (const Profile& p : page.profiles()) ids.push_back(p.id());
  // Chamber B's own (CHAMBER included), and de-1 of A but not A's PRIVATE de-2.
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre("de-1", "mx-1", "mx-2"));
}

// Contact persons are the company's, its chamber staff's and the operators'
// to see: another chamber's staff and every other member read the profile
// without them, and no answer of any RPC carries them.
TEST_F(AuthTest, ContactsReachOnlyTheCompanyItsChamberAndOperators) {
  using namespace socio::v1;  // NOLINT: as in the table above
  // mx-1 (chamber B, FEDERATION) writes its own contact person.
  UpdateProfileRequest update;
  update.mutable_profile()->set_id("mx-1");
  Contact* contact = update.mutable_profile()->add_contacts();
  contact->set_name("Lucía Contreras");
  contact->set_role("Directora comercial");
  contact->set_email("lucia.contreras@dvalle.mx");
  contact->set_phone("+52 55 5555 0101");
  contact->add_languages("es");
  update.mutable_update_mask()->add_paths("contacts");
  Profile updated;
  ASSERT_RPC_OK(server_->profiles().UpdateProfile(As(kMemberB).get(), update, &updated));
  ASSERT_EQ(updated.contacts_size(), 1);
  const std::string other_member = Issue(MEMBER, "", "mx-2");  // same chamber, not mx-1

  // Every answer a caller gets from the RPCs that read mx-1 or name it,
  // errors included, as bytes.
  const auto every_answer = [&](const std::string& token) {
    std::string all;
    const auto add = [&](const grpc::Status& status, const google::protobuf::Message& out) {
      absl::StrAppend(&all, status.error_message(), "\n", out.SerializeAsString(), "\n");
    };
    {
      GetProfileRequest r;
      r.set_id("mx-1");
      Profile out;
      add(server_->profiles().GetProfile(WithToken(token).get(), r, &out), out);
    }
    {
      ListProfilesRequest r;
      r.set_page_size(100);
      ListProfilesResponse out;
      add(server_->profiles().ListProfiles(WithToken(token).get(), r, &out), out);
    }
    for (const char* member : {"de-1", "mx-1"}) {
      FindPartnersRequest r;
      r.set_member_id(member);
      r.set_k(100);
      FindPartnersResponse out;
      add(server_->matches().FindPartners(WithToken(token).get(), r, &out), out);
    }
    {
      ExplainMatchRequest r;
      r.set_a_id("de-1");
      r.set_b_id("mx-1");
      Match out;
      add(server_->matches().ExplainMatch(WithToken(token).get(), r, &out), out);
    }
    {
      GetDelegationRequest r;
      r.set_id("mx27");
      Delegation out;
      add(server_->delegations().GetDelegation(WithToken(token).get(), r, &out), out);
    }
    {
      ListDelegationsRequest r;
      ListDelegationsResponse out;
      add(server_->delegations().ListDelegations(WithToken(token).get(), r, &out), out);
    }
    for (const char* member : {"de-1", "mx-1"}) {
      for (GetAgendaRequest::Format format : {GetAgendaRequest::ICALENDAR, GetAgendaRequest::CSV}) {
        GetAgendaRequest r;
        r.set_delegation_id("mx27");
        r.set_member_id(member);
        r.set_format(format);
        Agenda out;
        add(server_->delegations().GetAgenda(WithToken(token).get(), r, &out), out);
      }
    }
    {
      RecommendDestinationsRequest r;
      r.add_delegate_ids("de-1");
      RecommendDestinationsResponse out;
      add(server_->delegations().RecommendDestinations(WithToken(token).get(), r, &out), out);
    }
    return all;
  };
  const std::vector<std::string> identifying = {"Lucía Contreras", "lucia.contreras@dvalle.mx",
                                                "+52 55 5555 0101"};
  for (const auto& [who, token] :
       std::vector<std::pair<std::string, std::string>>{{"staff of A", tokens_[kStaffA]},
                                                        {"member de-1", tokens_[kMemberA]},
                                                        {"member mx-2", other_member}}) {
    const std::string answers = every_answer(token);
    for (const std::string& text : identifying) {
      EXPECT_THAT(answers, ::testing::Not(HasSubstr(text))) << who << " was shown " << text;
    }
  }
  // Staff of A do read mx-1 (FEDERATION), only without its contacts.
  GetProfileRequest get;
  get.set_id("mx-1");
  Profile seen;
  ASSERT_RPC_OK(server_->profiles().GetProfile(As(kStaffA).get(), get, &seen));
  EXPECT_EQ(seen.name(), "Distribuidora del Valle");
  EXPECT_EQ(seen.contacts_size(), 0);

  for (Who who : {kAdmin, kStaffB, kMemberB}) {
    SCOPED_TRACE(kWhoNames[who]);
    Profile own;
    ASSERT_RPC_OK(server_->profiles().GetProfile(As(who).get(), get, &own));
    ASSERT_EQ(own.contacts_size(), 1);
    EXPECT_EQ(own.contacts(0).SerializeAsString(), contact->SerializeAsString());
    const std::string answers = every_answer(tokens_[who]);
    for (const std::string& text : identifying) EXPECT_THAT(answers, HasSubstr(text));
  }
  // In a list, too: the staff of B read mx-1 with its contacts.
  ListProfilesRequest list;
  list.set_page_size(100);
  ListProfilesResponse page;
  ASSERT_RPC_OK(server_->profiles().ListProfiles(As(kStaffB).get(), list, &page));
  const auto mx1 =
      absl::c_find_if(page.profiles(), [](const Profile& p) { return p.id() == "mx-1"; });
  ASSERT_NE(mx1, page.profiles().end());
  EXPECT_EQ(mx1->contacts_size(), 1);
}

TEST_F(AuthTest, ChamberContactsReachStaffAndOperatorsButNoMember) {
  OperatorChamber("ihk-muenchen");
  for (int who = 0; who < kWhoCount; ++who) {
    socio::v1::GetChamberRequest r;
    r.set_id("ihk-muenchen");
    socio::v1::Chamber out;
    ASSERT_RPC_OK(chambers_->GetChamber(As(static_cast<Who>(who)).get(), r, &out));
    const bool member = who == kMemberA || who == kMemberB;
    EXPECT_EQ(out.contacts_size(), member ? 0 : 1) << kWhoNames[who];
    EXPECT_EQ(out.name(), "Chamber ihk-muenchen") << kWhoNames[who];
  }
}

TEST_F(AuthTest, MembersSeeTheirOwnAgendaOnly) {
  socio::v1::GetAgendaRequest request;
  request.set_delegation_id("mx27");
  request.set_member_id("mx-1");
  request.set_format(socio::v1::GetAgendaRequest::ICALENDAR);
  socio::v1::Agenda agenda;
  ASSERT_RPC_OK(server_->delegations().GetAgenda(As(kMemberB).get(), request, &agenda));
  EXPECT_THAT(agenda.content(), HasSubstr("BEGIN:VCALENDAR"));
  request.set_member_id("de-1");
  grpc::Status other = server_->delegations().GetAgenda(As(kMemberB).get(), request, &agenda);
  EXPECT_EQ(other.error_code(), StatusCode::NOT_FOUND) << other.error_message();
}

TEST_F(AuthTest, TheBriefingsNotesAndNamesAreForTheOrganisingStaffOnly) {
  socio::v1::UpdateDelegationRequest update;
  update.mutable_delegation()->set_id("mx27");
  update.mutable_delegation()->set_briefing_notes("Agree prices in US dollars.");
  update.mutable_update_mask()->add_paths("briefing_notes");
  socio::v1::Delegation updated;
  // Only the organising chamber's staff (and operators) write the notes.
  EXPECT_EQ(
      server_->delegations().UpdateDelegation(As(kStaffB).get(), update, &updated).error_code(),
      StatusCode::NOT_FOUND);
  ASSERT_RPC_OK(server_->delegations().UpdateDelegation(As(kStaffA).get(), update, &updated));

  socio::v1::GetDelegationBriefingRequest request;
  request.set_delegation_id("mx27");
  for (Who who : {kAdmin, kStaffA}) {
    SCOPED_TRACE(kWhoNames[who]);
    socio::v1::Briefing briefing;
    ASSERT_RPC_OK(server_->delegations().GetDelegationBriefing(As(who).get(), request, &briefing));
    EXPECT_EQ(briefing.staff_notes(), "Agree prices in US dollars.");
    EXPECT_THAT(briefing.markdown(), HasSubstr("Distribuidora del Valle"));
  }
  // A company taking part, and its chamber's staff for it: no notes, no
  // other company's name.
  for (const auto& [who, member, other] : {std::tuple{kMemberA, "", "Distribuidora del Valle"},
                                           std::tuple{kMemberB, "", "Huber Maschinenbau"},
                                           std::tuple{kStaffB, "mx-1", "Huber Maschinenbau"}}) {
    SCOPED_TRACE(kWhoNames[who]);
    request.set_member_id(member);
    socio::v1::Briefing briefing;
    ASSERT_RPC_OK(server_->delegations().GetDelegationBriefing(As(who).get(), request, &briefing));
    EXPECT_EQ(briefing.staff_notes(), "");
    EXPECT_THAT(briefing.DebugString(), ::testing::Not(HasSubstr("US dollars")));
    EXPECT_THAT(briefing.DebugString(), ::testing::Not(HasSubstr(other)));
    EXPECT_EQ(briefing.delegates(), 1);
    EXPECT_EQ(briefing.hosts(), 1);
  }
}

TEST_F(AuthTest, AMembersDelegationsAreListedAsItsAgendasMayBeRead) {
  // mx27 (chamber A): delegate de-1 of A, host mx-1 of B, planned.
  const auto list = [&](Who who, const std::string& member, const std::string& chamber,
                        socio::v1::ListDelegationsResponse* out) {
    socio::v1::ListDelegationsRequest r;
    r.set_member_id(member);
    r.set_chamber_id(chamber);
    return server_->delegations().ListDelegations(As(who).get(), r, out);
  };
  const auto ids = [](const socio::v1::ListDelegationsResponse& page) {
    std::vector<std::string> out;
    for (const socio::v1::Delegation& d : page.delegations()) out.push_back(d.id());
    return out;
  };

  // The organising chamber's staff and the operator see it whole.
  for (Who who : {kAdmin, kStaffA}) {
    SCOPED_TRACE(kWhoNames[who]);
    socio::v1::ListDelegationsResponse page;
    ASSERT_RPC_OK(list(who, "mx-1", "", &page));
    ASSERT_THAT(ids(page), ::testing::ElementsAre("mx27"));
    EXPECT_EQ(page.delegations(0).delegates_size(), 1);
    EXPECT_GT(page.delegations(0).plan().meetings_size(), 0);
  }

  // The company and its chamber's staff see it as the company may: its own
  // part, no other company, no meetings, and when the plan was made.
  for (const auto& [who, member] :
       {std::pair{kMemberB, "mx-1"}, std::pair{kStaffB, "mx-1"}, std::pair{kMemberA, "de-1"}}) {
    SCOPED_TRACE(kWhoNames[who]);
    socio::v1::ListDelegationsResponse page;
    ASSERT_RPC_OK(list(who, member, "", &page));
    ASSERT_THAT(ids(page), ::testing::ElementsAre("mx27"));
    const socio::v1::Delegation& d = page.delegations(0);
    EXPECT_EQ(d.name(), "Mission to Mexico 2027");
    std::vector<std::string> named;
    for (const auto& p : d.delegates()) named.push_back(p.member_id());
    for (const auto& p : d.hosts()) named.push_back(p.member_id());
    EXPECT_THAT(named, ::testing::ElementsAre(member));
    EXPECT_EQ(d.pairs_size(), 0);
    EXPECT_EQ(d.plan().meetings_size(), 0);
    EXPECT_EQ(d.plan().host_ids_size(), 0);
    EXPECT_GT(d.plan().delegation_version(), 0);
    EXPECT_TRUE(d.plan().has_plan_time());
    EXPECT_EQ(d.host_filter().max_hosts(), 0);
  }

  // Staff of another chamber list their own chamber's only: none here.
  socio::v1::ListDelegationsResponse page;
  ASSERT_RPC_OK(list(kStaffB, "de-1", "", &page));
  EXPECT_THAT(ids(page), ::testing::IsEmpty());
  EXPECT_EQ(list(kStaffB, "de-1", "ihk-muenchen", &page).error_code(),
            StatusCode::PERMISSION_DENIED);

  // A company the caller may not read is answered as a missing one.
  for (const auto& [who, hidden] :
       {std::pair{kMemberB, "de-1"}, std::pair{kStaffB, "de-2"}, std::pair{kMemberA, "mx-1"}}) {
    SCOPED_TRACE(kWhoNames[who]);
    grpc::Status refused = list(who, hidden, "", &page);
    EXPECT_EQ(refused.error_code(), StatusCode::NOT_FOUND) << refused.error_message();
    grpc::Status missing = list(who, "zz-404", "", &page);
    EXPECT_EQ(refused.error_message(),
              absl::StrReplaceAll(missing.error_message(), {{"zz-404", hidden}}));
  }
}

TEST_F(AuthTest, MembersMatchOnlyForThemselvesAndSeeNoPrivatePartners) {
  socio::v1::FindPartnersRequest request;
  request.set_member_id("mx-1");
  socio::v1::FindPartnersResponse response;
  ASSERT_RPC_OK(server_->matches().FindPartners(As(kMemberB).get(), request, &response));
  for (const socio::v1::Match& m : response.matches()) EXPECT_NE(m.partner_id(), "de-2");
  // Staff of A see their own PRIVATE member as a partner for A's members only
  // where the index allows; a member of B cannot explain a pair with it.
  socio::v1::ExplainMatchRequest explain;
  explain.set_a_id("mx-1");
  explain.set_b_id("de-2");
  socio::v1::Match match;
  grpc::Status hidden = server_->matches().ExplainMatch(As(kMemberB).get(), explain, &match);
  EXPECT_EQ(hidden.error_code(), StatusCode::NOT_FOUND) << hidden.error_message();
}

// A hidden id gets the very answer a missing one gets (the id swapped in).
void ExpectAnsweredAsMissing(const grpc::Status& hidden, const std::string& hidden_id,
                             const grpc::Status& missing, const std::string& missing_id) {
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND) << missing.error_message();
  EXPECT_EQ(hidden.error_code(), StatusCode::NOT_FOUND) << hidden.error_message();
  EXPECT_EQ(hidden.error_message(),
            absl::StrReplaceAll(missing.error_message(), {{missing_id, hidden_id}}));
}

TEST_F(AuthTest, IdsTheCallerMayNotSeeAreAnsweredAsMissingOnes) {
  using namespace socio::v1;  // NOLINT: as in the table
  // Who asks, for an id it may not see: A's PRIVATE de-2 for staff of B and
  // for member de-1; B's CHAMBER mx-2 for member mx-1.
  const std::vector<std::pair<Who, std::string>> cases = {
      {kStaffB, "de-2"}, {kMemberA, "de-2"}, {kMemberB, "mx-2"}};
  for (const auto& [who_asking, id_hidden] : cases) {
    const Who who = who_asking;  // lambdas below capture these
    const std::string hidden = id_hidden;
    SCOPED_TRACE(absl::StrCat(kWhoNames[who], " asking for ", hidden));
    const auto get = [&](const std::string& id) {
      GetProfileRequest r;
      r.set_id(id);
      Profile out;
      return server_->profiles().GetProfile(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(get(hidden), hidden, get("zz-404"), "zz-404");
    const auto update = [&](const std::string& id) {
      UpdateProfileRequest r;
      r.mutable_profile()->set_id(id);
      r.mutable_profile()->set_description("Mine now");
      r.mutable_update_mask()->add_paths("description");
      Profile out;
      return server_->profiles().UpdateProfile(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(update(hidden), hidden, update("zz-404"), "zz-404");
    const auto remove = [&](const std::string& id) {
      DeleteProfileRequest r;
      r.set_id(id);
      DeleteProfileResponse out;
      return server_->profiles().DeleteProfile(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(remove(hidden), hidden, remove("zz-404"), "zz-404");
    const auto find = [&](const std::string& id) {
      FindPartnersRequest r;
      r.set_member_id(id);
      FindPartnersResponse out;
      return server_->matches().FindPartners(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(find(hidden), hidden, find("zz-404"), "zz-404");
    const auto explain = [&](const std::string& id) {
      ExplainMatchRequest r;
      r.set_a_id(id);
      r.set_b_id("mx-1");
      Match out;
      return server_->matches().ExplainMatch(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(explain(hidden), hidden, explain("zz-404"), "zz-404");
    const auto destinations = [&](const std::string& id) {
      RecommendDestinationsRequest r;
      r.add_delegate_ids(id);
      RecommendDestinationsResponse out;
      return server_->delegations().RecommendDestinations(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(destinations(hidden), hidden, destinations("zz-404"), "zz-404");
  }
  // Nothing was changed or removed.
  GetProfileRequest r;
  r.set_id("de-2");
  Profile de2;
  ASSERT_RPC_OK(server_->profiles().GetProfile(As(kAdmin).get(), r, &de2));
  EXPECT_EQ(de2.version(), 1);

  // A delegation is seen by operators and its chamber's staff only.
  for (Who who : {kStaffB, kMemberA, kMemberB}) {
    SCOPED_TRACE(kWhoNames[who]);
    const auto get = [&](const std::string& id) {
      GetDelegationRequest r;
      r.set_id(id);
      Delegation out;
      return server_->delegations().GetDelegation(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(get("mx27"), "mx27", get("zz-404"), "zz-404");
    const auto plan = [&](const std::string& id) {
      PlanDelegationRequest r;
      r.set_id(id);
      Delegation out;
      return server_->delegations().PlanDelegation(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(plan("mx27"), "mx27", plan("zz-404"), "zz-404");
    const auto update = [&](const std::string& id) {
      UpdateDelegationRequest r;
      r.mutable_delegation()->set_id(id);
      r.mutable_delegation()->set_name("Taken over");
      r.mutable_update_mask()->add_paths("name");
      Delegation out;
      return server_->delegations().UpdateDelegation(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(update("mx27"), "mx27", update("zz-404"), "zz-404");
    const auto remove = [&](const std::string& id) {
      DeleteDelegationRequest r;
      r.set_id(id);
      DeleteDelegationResponse out;
      return server_->delegations().DeleteDelegation(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(remove("mx27"), "mx27", remove("zz-404"), "zz-404");
    const auto whole_plan = [&](const std::string& id) {
      GetAgendaRequest r;
      r.set_delegation_id(id);
      r.set_format(GetAgendaRequest::CSV);
      Agenda out;
      return server_->delegations().GetAgenda(As(who).get(), r, &out);
    };
    ExpectAnsweredAsMissing(whole_plan("mx27"), "mx27", whole_plan("zz-404"), "zz-404");
  }
  GetDelegationRequest get;
  get.set_id("mx27");
  Delegation mx27;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(As(kAdmin).get(), get, &mx27));
  EXPECT_EQ(mx27.version(), 2);  // created and planned, nothing since
}

TEST_F(AuthTest, DelegationsNameOnlyCompaniesTheirChamberMaySee) {
  using namespace socio::v1;  // NOLINT: as in the table
  StorePartner("mx-3", "canaco-cdmx", Profile::PRIVATE, "Ciudad de México");
  // A's staff may not see B's PRIVATE mx-3 nor B's CHAMBER mx-2: neither may
  // be named, and the answer is the one for an id nobody stored. The
  // chamber's view counts, whoever writes.
  const auto create = [&](Who who, const std::string& id, auto edit) {
    CreateDelegationRequest r;
    *r.mutable_delegation() = FromJson<Delegation>(kMission);
    r.mutable_delegation()->set_id(id);
    edit(r.mutable_delegation());
    Delegation out;
    return server_->delegations().CreateDelegation(As(who).get(), r, &out);
  };
  for (Who who : {kStaffA, kAdmin}) {
    SCOPED_TRACE(kWhoNames[who]);
    for (const std::string& other : {std::string("mx-3"), std::string("mx-2")}) {
      const auto delegate = [&](const std::string& id) {
        return [id](Delegation* d) { d->add_delegates()->set_member_id(id); };
      };
      grpc::Status hidden = create(who, "d-delegate", delegate(other));
      EXPECT_EQ(hidden.error_code(), StatusCode::INVALID_ARGUMENT) << hidden.error_message();
      EXPECT_EQ(hidden.error_message(), "delegation.delegates[1]: no company '" + other +
                                            "' that chamber 'ihk-muenchen' may see");
      grpc::Status missing = create(who, "d-delegate", delegate("zz-404"));
      EXPECT_EQ(missing.error_code(), StatusCode::INVALID_ARGUMENT);
      EXPECT_EQ(hidden.error_message(),
                absl::StrReplaceAll(missing.error_message(), {{"zz-404", other}}));
      grpc::Status host =
          create(who, "d-host", [&](Delegation* d) { d->add_hosts()->set_member_id(other); });
      EXPECT_EQ(host.error_code(), StatusCode::INVALID_ARGUMENT);
      EXPECT_THAT(host.error_message(), HasSubstr("delegation.hosts[1]: no company '" + other));
      grpc::Status pair = create(who, "d-pair", [&](Delegation* d) {
        MeetingPair* p = d->add_pairs();
        p->set_delegate_id("de-1");
        p->set_host_id(other);
        p->set_status(MeetingPair::REQUESTED);
      });
      EXPECT_EQ(pair.error_code(), StatusCode::INVALID_ARGUMENT);
      EXPECT_THAT(pair.error_message(), HasSubstr("delegation.pairs[0].host_id: no company"));
    }
  }
  ListDelegationsResponse listed;
  ASSERT_RPC_OK(server_->delegations().ListDelegations(As(kAdmin).get(), {}, &listed));
  ASSERT_EQ(listed.delegations_size(), 1);  // none of them stored

  // Nor can an update bring one in.
  UpdateDelegationRequest update;
  *update.mutable_delegation() = FromJson<Delegation>(kMission);
  update.mutable_delegation()->add_delegates()->set_member_id("mx-3");
  update.mutable_update_mask()->add_paths("delegates");
  Delegation updated;
  grpc::Status refused =
      server_->delegations().UpdateDelegation(As(kStaffA).get(), update, &updated);
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT) << refused.error_message();
  EXPECT_THAT(refused.error_message(), HasSubstr("delegation.delegates[1]: no company 'mx-3'"));

  // A company hidden after the delegation was stored stops the next plan,
  // with the words a deleted one gets; the stored plan stays.
  const auto plan = [&] {
    PlanDelegationRequest r;
    r.set_id("mx27");
    Delegation out;
    return server_->delegations().PlanDelegation(As(kStaffA).get(), r, &out);
  };
  UpdateProfileRequest hide;
  hide.mutable_profile()->set_id("mx-1");
  hide.mutable_profile()->set_visibility(Profile::CHAMBER);
  hide.mutable_update_mask()->add_paths("visibility");
  Profile hidden_profile;
  ASSERT_RPC_OK(server_->profiles().UpdateProfile(As(kAdmin).get(), hide, &hidden_profile));
  grpc::Status hidden = plan();
  EXPECT_EQ(hidden.error_code(), StatusCode::FAILED_PRECONDITION) << hidden.error_message();
  // The plan made before still names mx-1, by its id alone now.
  GetAgendaRequest whole;
  whole.set_delegation_id("mx27");
  whole.set_format(GetAgendaRequest::CSV);
  Agenda csv;
  ASSERT_RPC_OK(server_->delegations().GetAgenda(As(kStaffA).get(), whole, &csv));
  EXPECT_THAT(csv.content(), HasSubstr(",mx-1,mx-1,"));
  EXPECT_THAT(csv.content(), ::testing::Not(HasSubstr("Distribuidora del Valle")));
  EXPECT_THAT(csv.content(), HasSubstr("Huber Maschinenbau"));
  EXPECT_EQ(hidden.error_message(),
            "delegation.hosts[0]: no company 'mx-1' that chamber 'ihk-muenchen' may see");
  DeleteProfileRequest remove;
  remove.set_id("mx-1");
  DeleteProfileResponse removed;
  ASSERT_RPC_OK(server_->profiles().DeleteProfile(As(kAdmin).get(), remove, &removed));
  grpc::Status missing = plan();
  EXPECT_EQ(missing.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(missing.error_message(), hidden.error_message());
  GetDelegationRequest get;
  get.set_id("mx27");
  Delegation mx27;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(As(kAdmin).get(), get, &mx27));
  EXPECT_EQ(mx27.version(), 2);
}

TEST_F(AuthTest, AnAgendaNamesNoPartnerItsCompanyMayNotSee) {
  using namespace socio::v1;  // NOLINT: as in the table
  // A's PRIVATE de-2 travels too and meets B's mx-1, which may not see it.
  CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<Delegation>(kMission);
  create.mutable_delegation()->set_id("with-private");
  create.mutable_delegation()->add_delegates()->set_member_id("de-2");
  MeetingPair* pair = create.mutable_delegation()->add_pairs();
  pair->set_delegate_id("de-2");
  pair->set_host_id("mx-1");
  pair->set_status(MeetingPair::REQUESTED);
  Delegation delegation;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(As(kStaffA).get(), create, &delegation));
  PlanDelegationRequest plan;
  plan.set_id("with-private");
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(As(kStaffA).get(), plan, &delegation));

  GetAgendaRequest request;
  request.set_delegation_id("with-private");
  request.set_member_id("mx-1");
  for (auto format : {GetAgendaRequest::CSV, GetAgendaRequest::ICALENDAR}) {
    request.set_format(format);
    Agenda agenda;
    ASSERT_RPC_OK(server_->delegations().GetAgenda(As(kMemberB).get(), request, &agenda));
    EXPECT_EQ(agenda.meetings_size(), 2);
    EXPECT_THAT(agenda.content(), HasSubstr("de-1"));
    EXPECT_THAT(agenda.content(), ::testing::Not(HasSubstr("de-2")));
    EXPECT_THAT(agenda.content(), ::testing::Not(HasSubstr("Stille Werke")));
    EXPECT_THAT(agenda.content(), HasSubstr("a company of the delegation"));
    for (const PlannedMeeting& m : agenda.meetings()) {
      EXPECT_THAT(m.ShortDebugString(), ::testing::Not(HasSubstr("de-2")));
    }
  }
  // The organising staff see whom they brought.
  request.set_format(GetAgendaRequest::CSV);
  Agenda staff_view;
  ASSERT_RPC_OK(server_->delegations().GetAgenda(As(kStaffA).get(), request, &staff_view));
  EXPECT_THAT(staff_view.content(), HasSubstr("Stille Werke"));
}

TEST_F(AuthTest, ExplainMatchExplainsWhatFindPartnersProposesToTheSameCaller) {
  using namespace socio::v1;  // NOLINT: as in the table
  StorePartner("de-3", "ihk-muenchen", Profile::PRIVATE, "Guadalajara");
  StorePartner("mx-3", "canaco-cdmx", Profile::PRIVATE, "Ciudad de México");
  // The staff of A and the operator see A's PRIVATE de-3 as de-1's partner;
  // the member itself does not; nobody sees B's PRIVATE mx-3 or CHAMBER mx-2.
  const std::map<Who, bool> sees_de3 = {{kAdmin, true}, {kStaffA, true}, {kMemberA, false}};
  for (const auto& [who, sees] : sees_de3) {
    SCOPED_TRACE(kWhoNames[who]);
    const std::vector<std::string> partners = PartnersOf(who, "de-1");
    EXPECT_EQ(absl::c_linear_search(partners, "de-3"), sees);
    for (const char* b : {"de-3", "mx-1", "mx-2", "mx-3"}) {
      for (bool staff_view : {false, true}) {
        if (staff_view && who == kMemberA) continue;  // refused, as before
        SCOPED_TRACE(absl::StrCat(b, staff_view ? " with staff_view" : ""));
        ExplainMatchRequest r;
        r.set_a_id("de-1");
        r.set_b_id(b);
        r.set_staff_view(staff_view);
        Match out;
        grpc::Status status = server_->matches().ExplainMatch(As(who).get(), r, &out);
        const bool proposed = absl::c_linear_search(partners, b);
        EXPECT_EQ(status.ok(), proposed) << status.error_message();
        if (!proposed) {
          EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND);
        }
      }
    }
  }
}

TEST_F(AuthTest, DestinationsCountOnlyPartnersTheCallerMaySee) {
  // A PRIVATE member of de-1's chamber, the only company in Guadalajara.
  StorePartner("de-3", "ihk-muenchen", Profile::PRIVATE, "Guadalajara");
  const auto cities = [&](Who who) {
    socio::v1::RecommendDestinationsRequest request;
    request.add_delegate_ids("de-1");
    socio::v1::RecommendDestinationsResponse response;
    grpc::Status status =
        server_->delegations().RecommendDestinations(As(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> out;
    for (const socio::v1::Destination& d : response.destinations()) {
      for (const socio::v1::DestinationCity& c : d.cities()) out.push_back(c.city());
    }
    return out;
  };
  EXPECT_THAT(cities(kStaffA), ::testing::Contains("Guadalajara"));
  EXPECT_THAT(cities(kAdmin), ::testing::Contains("Guadalajara"));
  const std::vector<std::string> member = cities(kMemberA);
  EXPECT_THAT(member, ::testing::Contains("Ciudad de México"));
  EXPECT_THAT(member, ::testing::Not(::testing::Contains("Guadalajara")));
}

TEST_F(AuthTest, PagesAreFilledFromWhatTheCallerMaySee) {
  // c-00 .. c-20 of A, every third FEDERATION, the rest PRIVATE: staff of B
  // see 7 of them, de-1, mx-1 and mx-2.
  std::vector<std::string> visible = {"c-00", "c-03", "c-06", "c-09", "c-12",
                                      "c-15", "c-18", "de-1", "mx-1", "mx-2"};
  for (int i = 0; i <= 20; ++i) {
    StorePartner(absl::StrFormat("c-%02d", i), "ihk-muenchen",
                 i % 3 == 0 ? Profile::FEDERATION : Profile::PRIVATE, "Guadalajara");
  }
  for (int page_size : {1, 3, 7}) {
    SCOPED_TRACE(absl::StrCat("page_size ", page_size));
    socio::v1::ListProfilesRequest request;
    request.set_page_size(page_size);
    std::vector<std::string> seen;
    std::vector<int> sizes;
    do {
      socio::v1::ListProfilesResponse page;
      ASSERT_RPC_OK(server_->profiles().ListProfiles(As(kStaffB).get(), request, &page));
      sizes.push_back(page.profiles_size());
      for (const Profile& p : page.profiles()) seen.push_back(p.id());
      request.set_page_token(page.next_page_token());
      ASSERT_LE(sizes.size(), 20u);
    } while (!request.page_token().empty());
    EXPECT_EQ(seen, visible);
    // Full pages but the last, which is not empty.
    for (size_t i = 0; i + 1 < sizes.size(); ++i) EXPECT_EQ(sizes[i], page_size);
    EXPECT_GE(sizes.back(), 1);
    EXPECT_EQ(sizes.size(), (visible.size() + page_size - 1) / page_size);
  }

  // Delegations: staff of A page through theirs, none of B's.
  for (const auto& [id, chamber] :
       std::vector<std::pair<std::string, std::string>>{{"a-1", "ihk-muenchen"},
                                                        {"b-1", "canaco-cdmx"},
                                                        {"n-1", "ihk-muenchen"},
                                                        {"b-2", "canaco-cdmx"},
                                                        {"z-1", "ihk-muenchen"}}) {
    socio::v1::CreateDelegationRequest create;
    *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
    create.mutable_delegation()->set_id(id);
    create.mutable_delegation()->set_chamber_id(chamber);
    create.mutable_delegation()->clear_delegates();
    create.mutable_delegation()->add_delegates()->set_member_id("mx-1");
    create.mutable_delegation()->mutable_hosts(0)->set_member_id("de-1");
    create.mutable_delegation()->set_host_country("DE");
    create.mutable_delegation()->mutable_days(0)->set_city("München");
    socio::v1::Delegation created;
    ASSERT_RPC_OK(server_->delegations().CreateDelegation(As(kAdmin).get(), create, &created));
  }
  socio::v1::ListDelegationsRequest list;
  list.set_page_size(2);
  std::vector<std::string> delegations;
  std::vector<int> sizes;
  do {
    socio::v1::ListDelegationsResponse page;
    ASSERT_RPC_OK(server_->delegations().ListDelegations(As(kStaffA).get(), list, &page));
    sizes.push_back(page.delegations_size());
    for (const socio::v1::Delegation& d : page.delegations()) delegations.push_back(d.id());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_THAT(delegations, ::testing::ElementsAre("a-1", "mx27", "n-1", "z-1"));
  EXPECT_THAT(sizes, ::testing::ElementsAre(2, 2));
}

TEST_F(AuthTest, StaffImportIntoTheirOwnChamberOnly) {
  socio::v1::ImportProfilesSummary summary;
  grpc::ClientContext* context = nullptr;
  auto owned = As(kStaffB);
  context = owned.get();
  auto stream = server_->profiles().ImportProfiles(context, &summary);
  socio::v1::ImportProfilesRequest request;
  Profile own = FromJson<Profile>(kMembers[2]);
  own.set_id("mx-9");
  Profile foreign = FromJson<Profile>(kMembers[0]);
  foreign.set_id("de-9");
  *request.add_profiles() = own;
  *request.add_profiles() = foreign;
  ASSERT_TRUE(stream->Write(request));
  // An upsert must not take over another chamber's profile either.
  socio::v1::ImportProfilesRequest upsert;
  upsert.set_upsert(true);
  Profile takeover = FromJson<Profile>(kMembers[2]);
  takeover.set_id("de-1");
  *upsert.add_profiles() = takeover;
  ASSERT_TRUE(stream->Write(upsert));
  stream->WritesDone();
  ASSERT_RPC_OK(stream->Finish());
  EXPECT_EQ(summary.received(), 3);
  EXPECT_EQ(summary.created(), 1);
  EXPECT_EQ(summary.rejected(), 2);
  ASSERT_EQ(summary.errors_size(), 2);
  EXPECT_EQ(summary.errors(0).index(), 1);
  EXPECT_EQ(summary.errors(0).code(), "PERMISSION_DENIED");
  EXPECT_EQ(summary.errors(1).index(), 2);
  EXPECT_EQ(summary.errors(1).id(), "de-1");

  socio::v1::GetProfileRequest get;
  get.set_id("de-1");
  Profile still;
  ASSERT_RPC_OK(server_->profiles().GetProfile(As(kAdmin).get(), get, &still));
  EXPECT_EQ(still.chamber_id(), "ihk-muenchen");
  get.set_id("de-9");
  EXPECT_EQ(server_->profiles().GetProfile(As(kAdmin).get(), get, &still).error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(AuthTest, MembersCannotMoveThemselvesToAnotherChamber) {
  socio::v1::UpdateProfileRequest request;
  request.mutable_profile()->set_id("de-1");
  request.mutable_profile()->set_chamber_id("canaco-cdmx");
  request.mutable_update_mask()->add_paths("chamber_id");
  Profile out;
  grpc::Status status = server_->profiles().UpdateProfile(As(kMemberA).get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("profile.chamber_id"));
}

TEST_F(AuthTest, RevocationTakesEffectAtOnceAndOperatorsCannotLockThemselvesOut) {
  const std::string token = Issue(socio::v1::STAFF, "ihk-muenchen", "");
  socio::v1::TokenInfo who;
  ASSERT_RPC_OK(server_->admin().WhoAmI(WithToken(token).get(), {}, &who));
  EXPECT_EQ(who.chamber_id(), "ihk-muenchen");
  socio::v1::RevokeTokenRequest revoke;
  revoke.set_id(who.id());
  socio::v1::TokenInfo revoked;
  ASSERT_RPC_OK(server_->admin().RevokeToken(As(kAdmin).get(), revoke, &revoked));
  grpc::Status after = server_->admin().WhoAmI(WithToken(token).get(), {}, &who);
  EXPECT_EQ(after.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(after.error_message(), HasSubstr("revoked"));

  ASSERT_RPC_OK(server_->admin().WhoAmI(As(kAdmin).get(), {}, &who));
  revoke.set_id(who.id());
  EXPECT_EQ(server_->admin().RevokeToken(As(kAdmin).get(), revoke, &revoked).error_code(),
            StatusCode::FAILED_PRECONDITION);
}

// The embedded store is one process that reads its own writes: its answers
// carry no consistency token (docs/CLUSTER.md), and one sent is not waited
// for, whatever it says.
TEST_F(AuthTest, TheEmbeddedStoreSendsNoConsistencyTokenAndWaitsForNone) {
  for (const std::string token : {"", "999999999", "abc"}) {
    auto call = As(kAdmin);
    if (!token.empty()) call->AddMetadata("socio-consistency-token", token);
    socio::v1::TokenInfo who;
    const absl::Time start = absl::Now();
    ASSERT_RPC_OK(server_->admin().WhoAmI(call.get(), {}, &who)) << token;
    EXPECT_LT(absl::Now() - start, absl::Seconds(2)) << token;
    EXPECT_EQ(call->GetServerTrailingMetadata().count("socio-consistency-token"), 0u) << token;
  }
}

TEST_F(AuthTest, AMemberTokenDiesWithItsProfileAndNeverSpeaksForALaterOneOfTheSameId) {
  Profile first = FromJson<Profile>(kMembers[0]);
  first.set_id("reuse-1");
  socio::v1::CreateProfileRequest create;
  *create.mutable_profile() = first;
  Profile created;
  ASSERT_RPC_OK(server_->profiles().CreateProfile(As(kAdmin).get(), create, &created));
  const std::string token = Issue(socio::v1::MEMBER, "", "reuse-1");
  socio::v1::GetProfileRequest get;
  get.set_id("reuse-1");
  ASSERT_RPC_OK(server_->profiles().GetProfile(WithToken(token).get(), get, &created));

  socio::v1::DeleteProfileRequest remove;
  remove.set_id("reuse-1");
  socio::v1::DeleteProfileResponse removed;
  ASSERT_RPC_OK(server_->profiles().DeleteProfile(As(kAdmin).get(), remove, &removed));
  // Another chamber takes the id for a PRIVATE profile of its own.
  Profile second = FromJson<Profile>(kMembers[3]);
  second.set_id("reuse-1");
  second.set_visibility(socio::v1::Profile::PRIVATE);
  *create.mutable_profile() = second;
  ASSERT_RPC_OK(server_->profiles().CreateProfile(As(kStaffB).get(), create, &created));

  Profile read;
  grpc::Status status = server_->profiles().GetProfile(WithToken(token).get(), get, &read);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("revoked"));
  socio::v1::UpdateProfileRequest update;
  update.mutable_profile()->set_id("reuse-1");
  update.mutable_profile()->set_city("Puebla");
  update.mutable_update_mask()->add_paths("city");
  EXPECT_EQ(server_->profiles().UpdateProfile(WithToken(token).get(), update, &read).error_code(),
            StatusCode::UNAUTHENTICATED);
  socio::v1::FindPartnersRequest find;
  find.set_member_id("reuse-1");
  find.set_k(5);
  socio::v1::FindPartnersResponse found;
  EXPECT_EQ(server_->matches().FindPartners(WithToken(token).get(), find, &found).error_code(),
            StatusCode::UNAUTHENTICATED);
  socio::v1::TokenInfo who;
  EXPECT_EQ(server_->admin().WhoAmI(WithToken(token).get(), {}, &who).error_code(),
            StatusCode::UNAUTHENTICATED);
  ASSERT_RPC_OK(server_->profiles().GetProfile(As(kAdmin).get(), get, &read));
  EXPECT_EQ(read.city(), "Ciudad de México");

  // The delete revoked it, as the token list shows.
  socio::v1::ListTokensResponse listed;
  ASSERT_RPC_OK(server_->admin().ListTokens(As(kAdmin).get(), {}, &listed));
  const std::string id = token.substr(0, token.find('.'));
  int seen = 0;
  for (const socio::v1::TokenInfo& info : listed.tokens()) {
    if (info.id() != id) continue;
    ++seen;
    EXPECT_TRUE(info.has_revoked_time());
    EXPECT_TRUE(info.has_profile_create_time());
  }
  EXPECT_EQ(seen, 1);
  // A token issued for the new profile speaks for it.
  const std::string fresh = Issue(socio::v1::MEMBER, "", "reuse-1");
  ASSERT_RPC_OK(server_->profiles().GetProfile(WithToken(fresh).get(), get, &read));
  EXPECT_EQ(read.chamber_id(), "canaco-cdmx");
}

TEST_F(AuthTest, TokensSurviveARestartAndNoSecondOperatorTokenIsWritten) {
  server_->Stop();
  std::remove((server_->data_dir() + "/admin.token").c_str());
  ASSERT_THAT(server_->Restart(), IsOk());
  EXPECT_EQ(server_->sociod().admin_token_file(), "");
  socio::v1::TokenInfo who;
  ASSERT_RPC_OK(server_->admin().WhoAmI(As(kStaffA).get(), {}, &who));
  EXPECT_EQ(who.role(), socio::v1::STAFF);
}

TEST(DevInsecureTest, RefusedOffLoopbackAndEveryCallerIsAnOperatorOnIt) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Sociod>> open = Sociod::Start(
      {.data_dir = dir.Join("a"), .listen = "0.0.0.0:0", .dev_insecure = true});
  EXPECT_THAT(open.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("dev_insecure")));
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> local, TestServer::Start({.dev_insecure = true}));
  EXPECT_EQ(local->sociod().admin_token_file(), "");
  grpc::ClientContext context;
  socio::v1::TokenInfo who;
  ASSERT_RPC_OK(local->admin().WhoAmI(&context, {}, &who));
  EXPECT_EQ(who.role(), socio::v1::ADMIN);
}

}  // namespace
}  // namespace socio::services
