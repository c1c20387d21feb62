// EngagementService and NotificationService on a real sociod: a member asks
// another for a meeting, the other answers from its inbox, both are told on
// their notification streams; marks of interest; what outsiders see.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::Profile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "employees": 240, "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-stuttgart", "name": "Schwaben Pumpen", "country": "DE", "city": "Ulm", "sectors": ["28.13"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "employees": 60, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "cl-2", "chamberId": "camara-santiago", "name": "Importadora Pacífico", "country": "CL", "city": "Valparaíso", "sectors": ["46.69"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

// Whole hours from the test's start, so that a retry repeats its request
// exactly.
google::protobuf::Timestamp InHours(int hours) {
  static const absl::Time start = absl::Now();
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Hours(hours)));
}

class EngagementServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(server_, TestServer::Start({}));
    admin_ = server_->admin_token();
    for (const char* json : kProfiles) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(json);
      Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
    }
    de1_ = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    de2_ = server_->IssueToken(socio::v1::MEMBER, "", "de-2");
    cl1_ = server_->IssueToken(socio::v1::MEMBER, "", "cl-1");
    staff_cl_ = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    staff_de_ = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
  }

  grpc::Status Request(const std::string& token, const std::string& from, const std::string& to,
                       MeetingRequest* out, const std::string& request_id = "") {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(from);
    r.mutable_request()->set_to_ref(to);
    r.mutable_request()->set_message("Wir suchen einen Vertriebspartner für Ventile in Chile.");
    for (int hours : {48, 72}) {
      socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
      *w->mutable_start_time() = InHours(hours);
      *w->mutable_end_time() = InHours(hours + 1);
    }
    r.set_request_id(request_id);
    return engagement_->CreateMeetingRequest(WithToken(token).get(), r, out);
  }

  grpc::Status Answer(const std::string& token, const std::string& id, bool accept,
                      MeetingRequest* out, int window = 0) {
    socio::v1::AnswerMeetingRequestRequest r;
    r.set_id(id);
    r.set_accept(accept);
    r.set_window(window);
    if (!accept) r.set_reason("Wir haben schon einen Partner in dieser Region.");
    return engagement_->AnswerMeetingRequest(WithToken(token).get(), r, out);
  }

  grpc::Status Mark(const std::string& token, const std::string& member, const std::string& partner,
                    Interest::Mark mark) {
    socio::v1::SetInterestRequest r;
    r.set_member_id(member);
    r.set_partner_ref(partner);
    r.set_mark(mark);
    Interest out;
    return engagement_->SetInterest(WithToken(token).get(), r, &out);
  }

  // The notifications `token` is streamed after `after`, reading until
  // `count` arrived or a second passed.
  std::vector<Notification> Watch(const std::string& token, size_t count, uint64_t after = 0,
                                  const std::string& recipient = "") {
    std::unique_ptr<grpc::ClientContext> context = WithToken(token, absl::Seconds(3));
    socio::v1::WatchNotificationsRequest r;
    r.set_recipient(recipient);
    r.set_after_sequence(after);
    auto reader = notifications_->WatchNotifications(context.get(), r);
    std::vector<Notification> out;
    Notification n;
    while (out.size() < count && reader->Read(&n)) out.push_back(n);
    context->TryCancel();
    reader->Finish().IgnoreError();
    return out;
  }

  static std::vector<std::string> Kinds(const std::vector<Notification>& ns) {
    std::vector<std::string> out;
    for (const Notification& n : ns) {
      out.push_back(absl::StrCat(Notification::Kind_Name(n.kind()), " ", n.recipient()));
    }
    return out;
  }

  std::vector<std::string> PartnersOf(const std::string& token, const std::string& member,
                                      bool include_not_interested = false) {
    socio::v1::FindPartnersRequest r;
    r.set_member_id(member);
    r.set_k(50);
    r.set_include_not_interested(include_not_interested);
    socio::v1::FindPartnersResponse response;
    grpc::Status status = server_->matches().FindPartners(WithToken(token).get(), r, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const socio::v1::Match& m : response.matches()) ids.push_back(m.partner_id());
    return ids;
  }

  std::unique_ptr<TestServer> server_;
  std::string admin_, de1_, de2_, cl1_, staff_cl_, staff_de_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
};

TEST_F(EngagementServiceTest, AMemberAsksAndThePartnerAcceptsFromItsInbox) {
  MeetingRequest sent;
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &sent));
  EXPECT_EQ(sent.state(), MeetingRequest::PENDING);
  EXPECT_EQ(sent.changed_by(), "member");

  // The receiver's inbox holds it; the requester's sent box too.
  socio::v1::ListMeetingRequestsRequest inbox;
  inbox.set_box(socio::v1::ListMeetingRequestsRequest::RECEIVED);
  socio::v1::ListMeetingRequestsResponse received;
  ASSERT_RPC_OK(engagement_->ListMeetingRequests(WithToken(cl1_).get(), inbox, &received));
  ASSERT_THAT(received.requests(), SizeIs(1));
  EXPECT_EQ(received.requests(0).id(), sent.id());
  EXPECT_EQ(received.requests(0).message(), sent.message());
  inbox.set_box(socio::v1::ListMeetingRequestsRequest::SENT);
  ASSERT_RPC_OK(engagement_->ListMeetingRequests(WithToken(cl1_).get(), inbox, &received));
  EXPECT_THAT(received.requests(), IsEmpty());

  std::vector<Notification> told = Watch(cl1_, 1);
  ASSERT_THAT(told, SizeIs(1));
  EXPECT_EQ(told[0].kind(), Notification::REQUEST_RECEIVED);
  EXPECT_EQ(told[0].summary(), "Huber Ventiltechnik asks to meet you");
  EXPECT_EQ(told[0].request().id(), sent.id());

  // The requester cannot answer its own request; the receiver accepts.
  MeetingRequest answered;
  grpc::Status refused = Answer(de1_, sent.id(), true, &answered);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("only the receiving company"));
  ASSERT_RPC_OK(Answer(cl1_, sent.id(), true, &answered, 1));
  EXPECT_EQ(answered.state(), MeetingRequest::ACCEPTED);
  EXPECT_EQ(answered.accepted_window().start_time(), sent.proposed(1).start_time());
  EXPECT_FALSE(answered.calendar_uid().empty());

  std::vector<Notification> de_told = Watch(de1_, 1);
  ASSERT_THAT(de_told, SizeIs(1));
  EXPECT_EQ(de_told[0].kind(), Notification::REQUEST_ACCEPTED);
  EXPECT_THAT(de_told[0].summary(),
              HasSubstr("Distribuidora Andina accepted your meeting request on "));
  EXPECT_EQ(de_told[0].request().calendar_uid(), answered.calendar_uid());

  // A second answer names the state.
  grpc::Status again = Answer(cl1_, sent.id(), false, &answered);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(again.error_message(), HasSubstr("is ACCEPTED"));
}

TEST_F(EngagementServiceTest, StaffAnswerForTheirMembersAndSeeTheirRequests) {
  MeetingRequest sent;
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &sent));
  socio::v1::ListMeetingRequestsResponse chamber;
  ASSERT_RPC_OK(engagement_->ListMeetingRequests(
      WithToken(staff_cl_).get(), socio::v1::ListMeetingRequestsRequest(), &chamber));
  ASSERT_THAT(chamber.requests(), SizeIs(1));
  MeetingRequest declined;
  ASSERT_RPC_OK(Answer(staff_cl_, sent.id(), false, &declined));
  EXPECT_EQ(declined.state(), MeetingRequest::DECLINED);
  EXPECT_EQ(declined.changed_by(), "staff:camara-santiago");
  EXPECT_THAT(declined.reason(), HasSubstr("Partner"));
  // The requester's chamber sees it too, and is told on its staff stream.
  ASSERT_RPC_OK(engagement_->ListMeetingRequests(
      WithToken(staff_de_).get(), socio::v1::ListMeetingRequestsRequest(), &chamber));
  ASSERT_THAT(chamber.requests(), SizeIs(1));
  EXPECT_EQ(chamber.requests(0).state(), MeetingRequest::DECLINED);
  EXPECT_THAT(Kinds(Watch(staff_de_, 1)), ElementsAre("REQUEST_DECLINED de-1"));
  EXPECT_THAT(Kinds(Watch(staff_cl_, 1)), ElementsAre("REQUEST_RECEIVED cl-1"));
}

TEST_F(EngagementServiceTest, OutsidersSeeNoRequestAndCannotProbeIds) {
  MeetingRequest sent;
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &sent));
  socio::v1::GetMeetingRequestRequest get;
  get.set_id(sent.id());
  MeetingRequest out;
  grpc::Status hidden = engagement_->GetMeetingRequest(WithToken(de2_).get(), get, &out);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_id("mr-0000000000000000");
  grpc::Status missing = engagement_->GetMeetingRequest(WithToken(de2_).get(), get, &out);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(hidden.error_message(),
            absl::StrReplaceAll(missing.error_message(), {{"mr-0000000000000000", sent.id()}}));
  EXPECT_EQ(Answer(de2_, sent.id(), true, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  // A member lists only its own requests, and may not name another's.
  socio::v1::ListMeetingRequestsRequest list;
  socio::v1::ListMeetingRequestsResponse listed;
  ASSERT_RPC_OK(engagement_->ListMeetingRequests(WithToken(de2_).get(), list, &listed));
  EXPECT_THAT(listed.requests(), IsEmpty());
  list.set_member_id("de-1");
  EXPECT_EQ(engagement_->ListMeetingRequests(WithToken(de2_).get(), list, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Nor does its stream carry what others are told.
  EXPECT_THAT(Watch(de2_, 1), IsEmpty());
}

TEST_F(EngagementServiceTest, OneOpenRequestPerPairAndRetriesAreAnsweredOnce) {
  MeetingRequest first, retry, second;
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &first, "req-7f3a2c9e"));
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &retry, "req-7f3a2c9e"));
  EXPECT_EQ(retry.id(), first.id());
  grpc::Status twice = Request(cl1_, "cl-1", "de-1", &second);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(twice.error_message(), HasSubstr(first.id()));
  EXPECT_THAT(Watch(cl1_, 5), SizeIs(1));
}

TEST_F(EngagementServiceTest, BadRequestsNameTheField) {
  socio::v1::CreateMeetingRequestRequest r;
  r.mutable_request()->set_from_member_id("de-1");
  r.mutable_request()->set_to_ref("cl-1");
  MeetingRequest out;
  grpc::Status status = engagement_->CreateMeetingRequest(WithToken(de1_).get(), r, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("request.proposed"));
  r.mutable_request()->set_to_ref("zz-nobody");
  status = engagement_->CreateMeetingRequest(WithToken(de1_).get(), r, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("request.to_ref"));
  r.mutable_request()->set_to_ref("cl-1");
  r.mutable_request()->set_delegation_id("no-such-visit");
  status = engagement_->CreateMeetingRequest(WithToken(de1_).get(), r, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("request.delegation_id"));
  socio::v1::SetInterestRequest mark;
  mark.set_member_id("de-1");
  mark.set_partner_ref("cl-1");
  mark.set_mark(static_cast<Interest::Mark>(9));
  Interest interest;
  status = engagement_->SetInterest(WithToken(de1_).get(), mark, &interest);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("mark"));
}

TEST_F(EngagementServiceTest, NotInterestedPartnersLeaveFindPartnersUntilAskedFor) {
  ASSERT_THAT(PartnersOf(de1_, "de-1"), ::testing::Contains("cl-2"));
  ASSERT_RPC_OK(Mark(de1_, "de-1", "cl-2", Interest::NOT_INTERESTED));
  EXPECT_THAT(PartnersOf(de1_, "de-1"), Not(::testing::Contains("cl-2")));
  EXPECT_THAT(PartnersOf(staff_de_, "de-1"), Not(::testing::Contains("cl-2")));
  EXPECT_THAT(PartnersOf(de1_, "de-1", true), ::testing::Contains("cl-2"));
  // Only de-1's own results change.
  EXPECT_THAT(PartnersOf(de2_, "de-2"), ::testing::Contains("cl-2"));
  ASSERT_RPC_OK(Mark(de1_, "de-1", "cl-2", Interest::MARK_UNSPECIFIED));
  EXPECT_THAT(PartnersOf(de1_, "de-1"), ::testing::Contains("cl-2"));
}

TEST_F(EngagementServiceTest, MutualInterestTellsBothSidesAndTheirChambers) {
  ASSERT_RPC_OK(Mark(de1_, "de-1", "cl-1", Interest::INTERESTED));
  EXPECT_THAT(Watch(cl1_, 1), IsEmpty());  // a one-sided mark is not told
  ASSERT_RPC_OK(Mark(staff_cl_, "cl-1", "de-1", Interest::MUST_MEET));
  std::vector<Notification> de = Watch(de1_, 1);
  ASSERT_THAT(de, SizeIs(1));
  EXPECT_EQ(de[0].kind(), Notification::MUTUAL_INTEREST);
  EXPECT_EQ(de[0].summary(), "You and Distribuidora Andina are interested in each other");
  EXPECT_THAT(Kinds(Watch(staff_cl_, 1)), ElementsAre("MUTUAL_INTEREST cl-1"));

  socio::v1::ListInterestsRequest list;
  list.set_mutual_only(true);
  socio::v1::ListInterestsResponse mine;
  ASSERT_RPC_OK(engagement_->ListInterests(WithToken(de1_).get(), list, &mine));
  ASSERT_THAT(mine.interests(), SizeIs(1));
  EXPECT_TRUE(mine.interests(0).mutual());
  EXPECT_EQ(mine.interests(0).partner_ref(), "cl-1");
  // Staff list their members' marks, not others'.
  ASSERT_RPC_OK(engagement_->ListInterests(WithToken(staff_cl_).get(),
                                           socio::v1::ListInterestsRequest(), &mine));
  ASSERT_THAT(mine.interests(), SizeIs(1));
  EXPECT_EQ(mine.interests(0).member_id(), "cl-1");
  EXPECT_EQ(mine.interests(0).set_by(), "staff:camara-santiago");
}

TEST_F(EngagementServiceTest, AWatcherResumesAfterTheLastItSaw) {
  MeetingRequest a, b;
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &a));
  ASSERT_RPC_OK(Request(de2_, "de-2", "cl-1", &b));
  std::vector<Notification> first = Watch(cl1_, 1);
  ASSERT_THAT(first, SizeIs(1));
  std::vector<Notification> rest = Watch(cl1_, 5, first[0].sequence());
  ASSERT_THAT(rest, SizeIs(1));
  EXPECT_EQ(rest[0].request().id(), b.id());
  EXPECT_GT(rest[0].sequence(), first[0].sequence());
  // Across a restart the outbox and the sequence stay.
  ASSERT_THAT(server_->Restart(), IsOk());
  notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
  engagement_ = socio::v1::EngagementService::NewStub(server_->channel());
  std::vector<Notification> after = Watch(cl1_, 5, first[0].sequence());
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_EQ(after[0].id(), rest[0].id());
}

TEST_F(EngagementServiceTest, SettingsHideTheWebhookSecret) {
  socio::v1::SetNotificationSettingsRequest set;
  set.mutable_settings()->add_email_to("export@huber.example");
  set.mutable_settings()->set_webhook_url("https://crm.huber.example/hooks/socio");
  set.mutable_settings()->set_webhook_secret("s3cret-s3cret-s3cret");
  socio::v1::NotificationSettings stored;
  ASSERT_RPC_OK(notifications_->SetNotificationSettings(WithToken(de1_).get(), set, &stored));
  EXPECT_EQ(stored.recipient(), "de-1");
  EXPECT_TRUE(stored.webhook_secret().empty());
  EXPECT_TRUE(stored.webhook_secret_set());
  socio::v1::GetNotificationSettingsRequest get;
  get.set_recipient("de-1");
  ASSERT_RPC_OK(notifications_->GetNotificationSettings(WithToken(staff_de_).get(), get, &stored));
  EXPECT_TRUE(stored.webhook_secret().empty());
  EXPECT_EQ(stored.email_to(0), "export@huber.example");
  EXPECT_EQ(notifications_->GetNotificationSettings(WithToken(staff_cl_).get(), get, &stored)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(EngagementServiceTest, TheReceivingChamberSetsHowLongARequestWaits) {
  socio::v1::SetMatchPolicyRequest policy;
  policy.mutable_policy()->set_chamber_id("camara-santiago");
  policy.mutable_policy()->mutable_weights()->set_objective(1);
  policy.mutable_policy()->set_request_expiry_days(2);
  socio::v1::MatchPolicy stored;
  ASSERT_RPC_OK(server_->matches().SetMatchPolicy(WithToken(staff_cl_).get(), policy, &stored));
  EXPECT_EQ(stored.request_expiry_days(), 2);
  MeetingRequest to_cl, to_de;
  ASSERT_RPC_OK(Request(de1_, "de-1", "cl-1", &to_cl));
  ASSERT_RPC_OK(Request(cl1_, "cl-1", "de-2", &to_de));
  auto days = [](const MeetingRequest& r) {
    return absl::ToDoubleHours(absl::FromUnixSeconds(r.expire_time().seconds()) -
                               absl::FromUnixSeconds(r.create_time().seconds())) /
           24;
  };
  EXPECT_NEAR(days(to_cl), 2, 0.001);
  EXPECT_NEAR(days(to_de), 7, 0.001);  // the default of a chamber without one
  policy.mutable_policy()->set_request_expiry_days(91);
  grpc::Status refused =
      server_->matches().SetMatchPolicy(WithToken(staff_cl_).get(), policy, &stored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("policy.request_expiry_days"));
}

TEST_F(EngagementServiceTest, TheDelegationsPlanFollowsWhatItsCompaniesChose) {
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(R"({
    "id": "cl27", "chamberId": "ihk-stuttgart", "name": "Mission to Chile 2027",
    "originCountry": "DE", "hostCountry": "CL",
    "days": [{"date": "2027-04-12", "city": "Santiago", "startTime": "09:00", "endTime": "12:00"},
             {"date": "2027-04-13", "city": "Valparaíso", "timeZone": "America/Santiago",
              "startTime": "09:00", "endTime": "12:00"}],
    "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}],
    "hosts": [{"memberId": "cl-1"}, {"memberId": "cl-2"}]
  })");
  socio::v1::Delegation delegation;
  ASSERT_RPC_OK(
      server_->delegations().CreateDelegation(WithToken(staff_de_).get(), create, &delegation));
  auto plan = [&] {
    socio::v1::PlanDelegationRequest r;
    r.set_id("cl27");
    r.set_fresh(true);
    socio::v1::Delegation planned;
    grpc::Status status =
        server_->delegations().PlanDelegation(WithToken(staff_de_).get(), r, &planned);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, bool> meetings;  // "delegate-host" -> locked
    for (const auto& m : planned.plan().meetings()) {
      meetings[m.delegate_id() + "-" + m.host_id()] = m.locked();
    }
    return meetings;
  };
  ASSERT_TRUE(plan().contains("de-1-cl-1"));

  // de-1 does not want cl-1; cl-2 must meet de-2; de-1 and cl-2 agree to
  // meet inside the visit.
  ASSERT_RPC_OK(Mark(de1_, "de-1", "cl-1", Interest::NOT_INTERESTED));
  ASSERT_RPC_OK(Mark(staff_cl_, "cl-2", "de-2", Interest::MUST_MEET));
  socio::v1::CreateMeetingRequestRequest ask;
  ask.mutable_request()->set_from_member_id("de-1");
  ask.mutable_request()->set_to_ref("cl-2");
  ask.mutable_request()->set_delegation_id("cl27");
  MeetingRequest sent, accepted;
  ASSERT_RPC_OK(engagement_->CreateMeetingRequest(WithToken(de1_).get(), ask, &sent));
  ASSERT_RPC_OK(Answer(staff_cl_, sent.id(), true, &accepted));

  const std::map<std::string, bool> meetings = plan();
  EXPECT_FALSE(meetings.contains("de-1-cl-1"));
  ASSERT_TRUE(meetings.contains("de-2-cl-2"));
  EXPECT_TRUE(meetings.at("de-2-cl-2"));
  ASSERT_TRUE(meetings.contains("de-1-cl-2"));
  EXPECT_TRUE(meetings.at("de-1-cl-2"));
  // The staff's own pairs are unchanged: the choices are the members'.
  socio::v1::GetDelegationRequest get;
  get.set_id("cl27");
  ASSERT_RPC_OK(server_->delegations().GetDelegation(WithToken(staff_de_).get(), get, &delegation));
  EXPECT_THAT(delegation.pairs(), IsEmpty());

  // A request naming a visit the two are not on both sides of is refused.
  ask.mutable_request()->set_to_ref("de-2");
  EXPECT_EQ(engagement_->CreateMeetingRequest(WithToken(de1_).get(), ask, &sent).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace socio::testing
