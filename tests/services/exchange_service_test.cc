// ExchangeService on a real sociod: Munich's chamber sends a delegation to
// Mexico, Mexico City's chamber answers with a return visit, and the two
// are linked. Who may create, link, read and delete; the rules a link must
// keep (organisers, countries reversed, one exchange per delegation); and
// the balance, whose figures must equal what the test wrote (delegates,
// hosts, meetings held and no-shows recorded, agreements, partnerships).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/exchange_service.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_clocks.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using socio::v1::Delegation;
using socio::v1::Exchange;
using socio::v1::ExchangeBalance;
using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::Profile;
using ::testing::HasSubstr;
using ::testing::Not;

struct Company {
  const char* id;
  const char* chamber;
  const char* country;
  const char* city;
};
constexpr Company kCompanies[] = {
    {"de-1", "ihk-muenchen", "DE", "Munich"},       {"de-2", "ihk-muenchen", "DE", "Munich"},
    {"de-3", "ihk-muenchen", "DE", "Munich"},       {"mx-1", "camara-mexico", "MX", "Mexico City"},
    {"mx-2", "camara-mexico", "MX", "Mexico City"}, {"cl-1", "camara-santiago", "CL", "Santiago"},
};

std::string ProfileJson(const Company& c) {
  const bool german = std::string(c.country) == "DE";
  const std::string objective =
      german ? R"({"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["MX"]})"
             : R"({"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]})";
  return absl::StrCat(
      R"({"id": ")", c.id, R"(", "chamberId": ")", c.chamber, R"(", "name": ")", c.id,
      R"( S.A.", "country": ")", c.country, R"(", "city": ")", c.city,
      R"(", "sectors": ["28.14"], "languages": ["es", "en", "de"], "objectives": [)", objective,
      R"(], "visibility": "FEDERATION"})");
}

// A delegation of `chamber` from `origin` to `host` on one day in `city`.
Delegation MakeDelegation(const std::string& id, const std::string& chamber,
                          const std::string& origin, const std::string& host,
                          const std::string& city, const std::string& date,
                          std::vector<std::string> delegates, std::vector<std::string> hosts) {
  Delegation d = FromJson<Delegation>(
      absl::StrCat(R"({"id": ")", id, R"(", "chamberId": ")", chamber, R"(", "name": ")", id,
                   R"(", "originCountry": ")", origin, R"(", "hostCountry": ")", host,
                   R"(", "days": [{"date": ")", date, R"(", "city": ")", city,
                   R"(", "startTime": "09:00", "endTime": "12:00"}]})"));
  for (const std::string& m : delegates) d.add_delegates()->set_member_id(m);
  for (const std::string& m : hosts) d.add_hosts()->set_member_id(m);
  return d;
}

google::protobuf::FieldMask Mask(const std::string& path) {
  google::protobuf::FieldMask mask;
  mask.add_paths(path);
  return mask;
}

class ExchangeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::SociodOptions options;
    options.request_expiry_sweep = absl::Milliseconds(20);  // outcomes learn of meetings
    options.clock = [clock = clock_] { return clock->Now(); };
    options.engagement_clock = options.clock;
    options.partnership_clock = options.clock;
    options.delivery.webhooks = false;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    token_["admin"] = server_->admin_token();
    for (const Company& c : kCompanies) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(ProfileJson(c));
      Profile created;
      ASSERT_RPC_OK(
          server_->profiles().CreateProfile(WithToken(token_["admin"]).get(), request, &created));
      token_[c.id] = server_->IssueToken(socio::v1::MEMBER, "", c.id);
    }
    token_["muc"] = server_->IssueToken(socio::v1::STAFF, "ihk-muenchen", "");
    token_["mex"] = server_->IssueToken(socio::v1::STAFF, "camara-mexico", "");
    token_["scl"] = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    exchanges_ = socio::v1::ExchangeService::NewStub(server_->channel());
    outcomes_ = socio::v1::OutcomeService::NewStub(server_->channel());
    partnerships_ = socio::v1::PartnershipService::NewStub(server_->channel());

    StoreDelegation(
        "muc", MakeDelegation("muc-to-mex", "ihk-muenchen", "DE", "MX", "Mexico City", "2027-03-15",
                              {"de-1", "de-2", "de-3"}, {"mx-1", "mx-2"}));
    StoreDelegation("mex", MakeDelegation("mex-to-muc", "camara-mexico", "MX", "DE", "Munich",
                                          "2027-10-11", {"mx-1", "mx-2"}, {"de-1"}));
    StoreDelegation("mex", MakeDelegation("mex-to-scl", "camara-mexico", "MX", "CL", "Santiago",
                                          "2027-10-11", {"mx-1"}, {"cl-1"}));
  }

  void StoreDelegation(const std::string& who, const Delegation& d) {
    socio::v1::CreateDelegationRequest request;
    *request.mutable_delegation() = d;
    Delegation created;
    ASSERT_RPC_OK(
        server_->delegations().CreateDelegation(WithToken(token_[who]).get(), request, &created));
  }

  Delegation PlanAndPublish(const std::string& who, const std::string& id) {
    socio::v1::PlanDelegationRequest plan;
    plan.set_id(id);
    Delegation d;
    EXPECT_TRUE(server_->delegations().PlanDelegation(WithToken(token_[who]).get(), plan, &d).ok());
    socio::v1::PublishPlanRequest publish;
    publish.set_id(id);
    EXPECT_TRUE(server_->delegations().PublishPlan(WithToken(token_[who]).get(), publish, &d).ok());
    return d;
  }

  static Exchange MunichMexico() {
    Exchange e;
    e.set_id("muc-mex-2027");
    e.set_name("Munich and Mexico City 2027");
    e.set_chamber_id("ihk-muenchen");
    e.set_partner_chamber_id("camara-mexico");
    e.set_visit_delegation_id("muc-to-mex");
    return e;
  }

  grpc::Status Create(const std::string& who, const Exchange& e, Exchange* out) {
    socio::v1::CreateExchangeRequest request;
    *request.mutable_exchange() = e;
    return exchanges_->CreateExchange(WithToken(token_[who]).get(), request, out);
  }

  grpc::Status Link(const std::string& who, const std::string& return_id, Exchange* out) {
    socio::v1::UpdateExchangeRequest request;
    request.mutable_exchange()->set_id("muc-mex-2027");
    request.mutable_exchange()->set_return_delegation_id(return_id);
    *request.mutable_update_mask() = Mask("return_delegation_id");
    return exchanges_->UpdateExchange(WithToken(token_[who]).get(), request, out);
  }

  grpc::Status Get(const std::string& who, Exchange* out) {
    socio::v1::GetExchangeRequest request;
    request.set_id("muc-mex-2027");
    return exchanges_->GetExchange(WithToken(token_[who]).get(), request, out);
  }

  grpc::Status Balance(const std::string& who, ExchangeBalance* out) {
    socio::v1::GetExchangeBalanceRequest request;
    request.set_id("muc-mex-2027");
    return exchanges_->GetExchangeBalance(WithToken(token_[who]).get(), request, out);
  }

  std::shared_ptr<ShiftedClock> clock_ = std::make_shared<ShiftedClock>();
  std::unique_ptr<TestServer> server_;
  std::map<std::string, std::string> token_;
  std::unique_ptr<socio::v1::ExchangeService::Stub> exchanges_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
  std::unique_ptr<socio::v1::PartnershipService::Stub> partnerships_;
};

TEST_F(ExchangeServiceTest, TheVisitsStaffCreateAndThePartnersStaffLinkTheReturnVisit) {
  Exchange created;
  ASSERT_RPC_OK(Create("muc", MunichMexico(), &created));
  EXPECT_EQ(created.version(), 1);
  EXPECT_TRUE(created.return_delegation_id().empty());

  // Munich's staff may not read Mexico's delegation: it does not exist for them.
  Exchange out;
  grpc::Status status = Link("muc", "mex-to-muc", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("exchange.return_delegation_id"));

  // A return visit must go back where the visit came from.
  status = Link("mex", "mex-to-scl", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("exchange.return_delegation_id"));

  ASSERT_RPC_OK(Link("mex", "mex-to-muc", &out));
  EXPECT_EQ(out.return_delegation_id(), "mex-to-muc");
  EXPECT_EQ(out.version(), 2);
  for (const char* who : {"muc", "mex", "admin"}) {
    Exchange read;
    ASSERT_RPC_OK(Get(who, &read));
    EXPECT_EQ(read.return_delegation_id(), "mex-to-muc") << who;
  }
}

TEST_F(ExchangeServiceTest, CreateChecksTheChambersAndTheVisit) {
  Exchange out;
  // A third chamber and members may not create one between others.
  for (const char* who : {"scl", "de-1"}) {
    EXPECT_EQ(Create(who, MunichMexico(), &out).error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << who;
  }
  // The visit must be organised by chamber_id.
  Exchange swapped = MunichMexico();
  swapped.set_chamber_id("camara-mexico");
  swapped.set_partner_chamber_id("ihk-muenchen");
  grpc::Status status = Create("admin", swapped, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("exchange.visit_delegation_id"));
  // Mexico's staff may not read Munich's visit.
  status = Create("mex", MunichMexico(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("exchange.visit_delegation_id"));
  Exchange missing = MunichMexico();
  missing.set_visit_delegation_id("nope");
  EXPECT_EQ(Create("muc", missing, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  Exchange same = MunichMexico();
  same.set_partner_chamber_id("ihk-muenchen");
  status = Create("muc", same, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("exchange.partner_chamber_id"));

  // Nothing was stored by the refused creates.
  socio::v1::ListExchangesRequest list;
  socio::v1::ListExchangesResponse listed;
  ASSERT_RPC_OK(exchanges_->ListExchanges(WithToken(token_["admin"]).get(), list, &listed));
  EXPECT_EQ(listed.exchanges_size(), 0);

  // A delegation is in one exchange at most; the other is named to who sees it.
  ASSERT_RPC_OK(Create("muc", MunichMexico(), &out));
  Exchange again = MunichMexico();
  again.set_id("second");
  again.set_partner_chamber_id("camara-santiago");
  status = Create("muc", again, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr("'muc-mex-2027'"));
}

TEST_F(ExchangeServiceTest, OnlyTheTwoChambersAndOperatorsSeeAnExchange) {
  Exchange out;
  ASSERT_RPC_OK(Create("muc", MunichMexico(), &out));
  for (const char* who : {"scl", "de-1", "mx-1", "cl-1"}) {
    Exchange read;
    grpc::Status status = Get(who, &read);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << who;
    EXPECT_THAT(status.error_message(), HasSubstr("id: no exchange 'muc-mex-2027'"));
    ExchangeBalance balance;
    EXPECT_EQ(Balance(who, &balance).error_code(), grpc::StatusCode::NOT_FOUND) << who;
    socio::v1::DeleteExchangeRequest del;
    del.set_id("muc-mex-2027");
    socio::v1::DeleteExchangeResponse deleted;
    EXPECT_EQ(exchanges_->DeleteExchange(WithToken(token_[who]).get(), del, &deleted).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << who;
  }
  // Lists: each chamber its own; another chamber's is refused.
  socio::v1::ListExchangesRequest list;
  socio::v1::ListExchangesResponse listed;
  for (const char* who : {"muc", "mex"}) {
    listed.Clear();
    ASSERT_RPC_OK(exchanges_->ListExchanges(WithToken(token_[who]).get(), list, &listed));
    EXPECT_EQ(listed.exchanges_size(), 1) << who;
  }
  listed.Clear();
  ASSERT_RPC_OK(exchanges_->ListExchanges(WithToken(token_["scl"]).get(), list, &listed));
  EXPECT_EQ(listed.exchanges_size(), 0);
  list.set_chamber_id("ihk-muenchen");
  EXPECT_EQ(exchanges_->ListExchanges(WithToken(token_["scl"]).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(exchanges_->ListExchanges(WithToken(token_["de-1"]).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The partner's staff may delete it; the delegations stay.
  socio::v1::DeleteExchangeRequest del;
  del.set_id("muc-mex-2027");
  socio::v1::DeleteExchangeResponse deleted;
  ASSERT_RPC_OK(exchanges_->DeleteExchange(WithToken(token_["mex"]).get(), del, &deleted));
  Exchange read;
  EXPECT_EQ(Get("muc", &read).error_code(), grpc::StatusCode::NOT_FOUND);
  socio::v1::GetDelegationRequest get;
  get.set_id("muc-to-mex");
  Delegation visit;
  ASSERT_RPC_OK(server_->delegations().GetDelegation(WithToken(token_["muc"]).get(), get, &visit));
}

TEST_F(ExchangeServiceTest, TheBalanceEqualsWhatWasWritten) {
  Exchange out;
  ASSERT_RPC_OK(Create("muc", MunichMexico(), &out));
  // Before the return visit is linked: one direction only.
  ExchangeBalance before;
  ASSERT_RPC_OK(Balance("muc", &before));
  EXPECT_EQ(before.visit().delegates_sent(), 3);
  EXPECT_EQ(before.visit().host_companies(), 2);  // named, not planned yet
  EXPECT_TRUE(before.return_visit().delegation_id().empty());
  EXPECT_EQ(before.chamber().delegates_received(), 0);
  ASSERT_RPC_OK(Link("mex", "mex-to-muc", &out));

  const Delegation visit = PlanAndPublish("muc", "muc-to-mex");
  ASSERT_GE(visit.plan().meetings_size(), 2);
  std::set<std::string> hosts;
  for (const socio::v1::PlannedMeeting& m : visit.plan().meetings()) hosts.insert(m.host_id());
  const Delegation back = PlanAndPublish("mex", "mex-to-muc");
  ASSERT_GE(back.plan().meetings_size(), 1);

  // The visit's meetings, once the outbox announced them; then past their end.
  socio::v1::ListOutcomesRequest list;
  list.set_delegation_id("muc-to-mex");
  socio::v1::ListOutcomesResponse meetings;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    meetings.Clear();
    ASSERT_RPC_OK(outcomes_->ListOutcomes(WithToken(token_["muc"]).get(), list, &meetings));
    if (meetings.outcomes_size() >= visit.plan().meetings_size()) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ASSERT_EQ(meetings.outcomes_size(), visit.plan().meetings_size());
  clock_->Advance(absl::Hours(24 * 400));

  // The first meeting held with an agreement and a partnership from it, the
  // second a no-show.
  const MeetingOutcome& held = meetings.outcomes(0);
  const MeetingOutcome& missed = meetings.outcomes(1);
  auto record = [&](const MeetingOutcome& m, const std::string& who, MeetingFeedback fb) {
    socio::v1::RecordOutcomeRequest r;
    *r.mutable_meeting() = m.meeting();
    *r.mutable_feedback() = fb;
    MeetingOutcome o;
    ASSERT_RPC_OK(outcomes_->RecordOutcome(WithToken(token_[who]).get(), r, &o));
  };
  MeetingFeedback yes;
  yes.set_attendance(MeetingFeedback::HELD);
  yes.set_rating(5);
  yes.set_follow_up(MeetingFeedback::YES);
  record(held, held.sides(0).member_id(), yes);
  MeetingFeedback no_show;
  no_show.set_attendance(MeetingFeedback::NO_SHOW);
  no_show.set_absent(MeetingFeedback::OTHER_SIDE);
  record(missed, missed.sides(0).member_id(), no_show);
  socio::v1::RecordOutcomeRequest agreement;
  *agreement.mutable_meeting() = held.meeting();
  agreement.mutable_follow_up()->set_status(FollowUpReport::AGREEMENT_SIGNED);
  agreement.mutable_follow_up()->set_agreement_type(FollowUpReport::DISTRIBUTION);
  MeetingOutcome agreed;
  ASSERT_RPC_OK(outcomes_->RecordOutcome(WithToken(token_[held.sides(0).member_id()]).get(),
                                         agreement, &agreed));
  socio::v1::CreatePartnershipRequest partnership;
  partnership.mutable_partnership()->set_first_member_id(held.sides(0).member_id());
  partnership.mutable_partnership()->set_second_member_id(held.sides(1).member_id());
  partnership.mutable_partnership()->set_title("Valves for Mexico");
  partnership.mutable_partnership()->mutable_origin()->set_kind(
      socio::v1::PartnershipOrigin::DELEGATION);
  partnership.mutable_partnership()->mutable_origin()->set_source_delegation_id("muc-to-mex");
  socio::v1::Partnership created;
  ASSERT_RPC_OK(
      partnerships_->CreatePartnership(WithToken(token_["muc"]).get(), partnership, &created));

  for (const char* who : {"muc", "mex", "admin"}) {
    SCOPED_TRACE(who);
    ExchangeBalance b;
    ASSERT_RPC_OK(Balance(who, &b));
    EXPECT_EQ(b.exchange_id(), "muc-mex-2027");
    EXPECT_EQ(b.visit().delegation_id(), "muc-to-mex");
    EXPECT_EQ(b.visit().from_chamber_id(), "ihk-muenchen");
    EXPECT_EQ(b.visit().delegates_sent(), 3);
    EXPECT_EQ(b.visit().host_companies(), static_cast<int64_t>(hosts.size()));
    EXPECT_EQ(b.visit().meetings_in_plan(), visit.plan().meetings_size());
    EXPECT_EQ(b.visit().figures().meetings_planned(), visit.plan().meetings_size());
    EXPECT_EQ(b.visit().figures().meetings_held(), 1);
    EXPECT_EQ(b.visit().figures().meetings_no_show(), 1);
    EXPECT_EQ(b.visit().figures().follow_up_yes(), 1);
    EXPECT_EQ(b.visit().figures().agreements_signed(), 1);
    ASSERT_EQ(b.visit().figures().agreements_by_type_size(), 1);
    EXPECT_EQ(b.visit().figures().agreements_by_type(0).type(), FollowUpReport::DISTRIBUTION);
    EXPECT_EQ(b.visit().figures().partnerships(), 1);

    EXPECT_EQ(b.return_visit().delegation_id(), "mex-to-muc");
    EXPECT_EQ(b.return_visit().delegates_sent(), 2);
    EXPECT_EQ(b.return_visit().host_companies(), 1);
    EXPECT_EQ(b.return_visit().figures().meetings_held(), 0);

    EXPECT_EQ(b.chamber().chamber_id(), "ihk-muenchen");
    EXPECT_EQ(b.chamber().delegates_sent(), 3);
    EXPECT_EQ(b.chamber().delegates_received(), 2);
    EXPECT_EQ(b.chamber().companies_hosted(), 1);
    EXPECT_EQ(b.chamber().delegates_balance(), 1);
    EXPECT_EQ(b.chamber().agreements_from_own_visit(), 1);
    EXPECT_EQ(b.partner_chamber().chamber_id(), "camara-mexico");
    EXPECT_EQ(b.partner_chamber().delegates_sent(), 2);
    EXPECT_EQ(b.partner_chamber().delegates_received(), 3);
    EXPECT_EQ(b.partner_chamber().companies_hosted(), static_cast<int64_t>(hosts.size()));
    EXPECT_EQ(b.partner_chamber().delegates_balance(), -1);
    EXPECT_EQ(b.partner_chamber().agreements_from_other_visit(), 1);
    EXPECT_EQ(b.chamber().meetings_held(), 1);
    // Counts only: no company is named.
    for (const Company& c : kCompanies) {
      EXPECT_THAT(b.DebugString(), Not(HasSubstr(c.id)));
    }
  }
}

}  // namespace
}  // namespace socio::testing
