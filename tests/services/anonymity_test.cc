// Anonymity until mutual interest (Profile.anonymous), held over every RPC
// of every service and over the HTTP gateway: a real sociod with tokens and
// an SMTP receiver, three companies of a German chamber and an anonymous
// Mexican one (with a name, city, description, keywords, a note and a
// contact person, each a word found nowhere else), a planned and published
// delegation that meets it, a request it sent and marks. Each RPC is called
// as each caller outside the Mexican chamber, naming the anonymous company
// by its handle where a request names one; no answer, error message,
// streamed notification, calendar or CSV file, mail or gateway reply may
// carry any of its identifying words. Then the anonymous company and one
// German member show mutual interest: that member and its chamber's staff
// now see it in full (contacts included), and the other German member still
// sees only the handle.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gateway/gateway.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "httplib.h"
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
#include "tests/services/receivers.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::Message;
using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace socio::v1;  // NOLINT: the RPCs read better with bare message names

constexpr char kAnonymousId[] = "mx-quelv";
// Each identifying field of the anonymous company carries a word found
// nowhere else.
const std::vector<std::string> kIdentifying = {
    kAnonymousId,       "Quelvaronte",  // name: "Distribuidora Quelvaronte"
    "Brimastoque",                      // description
    "zentrifolq",                       // keyword
    "Ostravelde",                       // objective note
    "Marisol Tenquero", "marisol@quelvaronte.mx",
    "+52 55 5010 7788",  // contact
};

constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "languages": ["de", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Bauer Autoteile", "country": "DE", "city": "Augsburg", "sectors": ["28.41"], "languages": ["de", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "mx-quelv", "chamberId": "canaco-cdmx", "name": "Distribuidora Quelvaronte", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "employees": 37, "foundedYear": 1987, "languages": ["es", "en"], "description": "Brimastoque de maquinaria industrial.", "keywords": ["zentrifolq"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX"], "note": "Ostravelde"}], "targetMarkets": ["DE"], "visibility": "FEDERATION", "anonymous": true, "contacts": [{"name": "Marisol Tenquero", "role": "Directora", "email": "marisol@quelvaronte.mx", "phone": "+52 55 5010 7788", "languages": ["es"]}]})",
    R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Agentes Industriales del Centro", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
};

constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [{"date": "2027-03-29", "city": "Ciudad de México", "venue": "CANACO",
            "startTime": "09:00", "endTime": "11:30"}],
  "meetingMinutes": 30, "breakMinutes": 10,
  "delegates": [{"memberId": "de-1", "maxMeetings": 2}, {"memberId": "de-2", "maxMeetings": 2}],
  "hosts": [{"memberId": "HANDLE", "maxMeetings": 2}, {"memberId": "mx-2", "maxMeetings": 2}]
})";

google::protobuf::Timestamp InHours(int hours) {
  static const absl::Time start = absl::Now();
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Hours(hours)));
}

// What one caller was answered by one RPC: its status and every string of
// its responses.
struct Answer {
  grpc::Status status;
  std::string text;
};

class AnonymityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(smtp_, StartSmtpReceiver(dir_.path()));
    services::SociodOptions options;
    options.delivery.smtp_url = absl::StrCat("smtp://127.0.0.1:", smtp_.port);
    options.delivery.mail_from = "socio@chamber.example";
    options.delivery.webhooks = false;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    admin_ = server_->admin_token();
    channel_ = server_->channel();
    engagement_ = EngagementService::NewStub(channel_);
    notifications_ = NotificationService::NewStub(channel_);
    partnerships_ = PartnershipService::NewStub(channel_);
    for (const char* json : kProfiles) {
      CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(json);
      Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
      if (created.id() == kAnonymousId) handle_ = created.handle();
    }
    ASSERT_TRUE(absl::StartsWith(handle_, "anon-")) << handle_;
    token_["de-1"] = server_->IssueToken(MEMBER, "", "de-1");
    token_["de-2"] = server_->IssueToken(MEMBER, "", "de-2");
    token_["anon"] = server_->IssueToken(MEMBER, "", kAnonymousId);
    token_["staff-de"] = server_->IssueToken(STAFF, "ihk-muenchen", "");
    token_["staff-mx"] = server_->IssueToken(STAFF, "canaco-cdmx", "");

    // de-2 is told by e-mail.
    SetNotificationSettingsRequest mail;
    mail.mutable_settings()->set_recipient("de-2");
    mail.mutable_settings()->add_email_to("einkauf@bauer.example");
    NotificationSettings set;
    ASSERT_RPC_OK(
        notifications_->SetNotificationSettings(WithToken(token_["de-2"]).get(), mail, &set));

    // The German chamber plans a visit that meets the anonymous company,
    // named by the handle its staff were shown.
    CreateDelegationRequest create;
    *create.mutable_delegation() =
        FromJson<Delegation>(absl::StrReplaceAll(kMission, {{"HANDLE", handle_}}));
    Delegation delegation;
    ASSERT_RPC_OK(server_->delegations().CreateDelegation(WithToken(token_["staff-de"]).get(),
                                                          create, &delegation));
    PlanDelegationRequest plan;
    plan.set_id("mx27");
    ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(token_["staff-de"]).get(), plan,
                                                        &delegation));
    ASSERT_GT(delegation.plan().meetings_size(), 0);
    PublishPlanRequest publish;
    publish.set_id("mx27");
    ASSERT_RPC_OK(server_->delegations().PublishPlan(WithToken(token_["staff-de"]).get(), publish,
                                                     &delegation));

    // The anonymous company asks de-2 for a meeting, and de-1 marks it.
    MeetingRequest sent;
    ASSERT_RPC_OK(Request(token_["anon"], kAnonymousId, "de-2", &sent));
    from_anonymous_ = sent.id();
    // It starts a partnership with de-2, which is told.
    CreatePartnershipRequest partnership;
    partnership.mutable_partnership()->set_first_member_id(kAnonymousId);
    partnership.mutable_partnership()->set_second_member_id("de-2");
    Partnership started;
    ASSERT_RPC_OK(
        partnerships_->CreatePartnership(WithToken(token_["anon"]).get(), partnership, &started));
    anonymous_partnership_ = started.id();
    Interest mark;
    ASSERT_RPC_OK(Mark(token_["de-1"], "de-1", handle_, &mark));
    // The anonymous company's chamber has a directory record.
    CreateChamberRequest chamber;
    chamber.mutable_chamber()->set_id("canaco-cdmx");
    chamber.mutable_chamber()->set_name("CANACO Ciudad de México");
    chamber.mutable_chamber()->set_country("MX");
    chamber.mutable_chamber()->add_contacts()->set_name("Luis Ortega");
    Chamber entered;
    ASSERT_RPC_OK(ChamberService::NewStub(channel_)->CreateChamber(WithToken(admin_).get(), chamber,
                                                                   &entered));
  }

  grpc::Status Request(const std::string& token, const std::string& from, const std::string& to,
                       MeetingRequest* out) {
    CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(from);
    r.mutable_request()->set_to_ref(to);
    r.mutable_request()->set_message("Buscamos socios en Alemania.");
    TimeWindow* w = r.mutable_request()->add_proposed();
    *w->mutable_start_time() = InHours(48);
    *w->mutable_end_time() = InHours(49);
    return engagement_->CreateMeetingRequest(WithToken(token).get(), r, out);
  }

  grpc::Status Mark(const std::string& token, const std::string& member, const std::string& partner,
                    Interest* out) {
    SetInterestRequest r;
    r.set_member_id(member);
    r.set_partner_ref(partner);
    r.set_mark(Interest::INTERESTED);
    return engagement_->SetInterest(WithToken(token).get(), r, out);
  }

  // Every RPC of every service, called as `token` (a member token for
  // `member`, or a staff token when `member` is empty), by name.
  std::map<std::string, Answer> CallEveryRpc(const std::string& token, const std::string& member);

  // The notifications `token` is streamed, read for up to `wait`.
  std::vector<Notification> Watch(const std::string& token,
                                  absl::Duration wait = absl::Seconds(1)) {
    std::unique_ptr<grpc::ClientContext> context = WithToken(token, wait);
    auto reader = notifications_->WatchNotifications(context.get(), WatchNotificationsRequest());
    std::vector<Notification> out;
    Notification n;
    while (reader->Read(&n)) out.push_back(n);
    reader->Finish().IgnoreError();
    return out;
  }

  TempDir dir_;
  Receiver smtp_;
  std::unique_ptr<TestServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<EngagementService::Stub> engagement_;
  std::unique_ptr<NotificationService::Stub> notifications_;
  std::unique_ptr<PartnershipService::Stub> partnerships_;
  std::string admin_, handle_, from_anonymous_, anonymous_partnership_;
  std::map<std::string, std::string> token_;
};

template <typename Response>
Answer Collect(const grpc::Status& status, const Response& response) {
  Answer answer{status, status.error_message() + "\n"};
  if (status.ok()) CollectStrings(response, &answer.text);
  // iCalendar folds long lines ("\r\n" and a space): unfold first.
  answer.text = absl::StrReplaceAll(answer.text, {{"\r\n ", ""}, {"\r\n\t", ""}});
  return answer;
}

std::map<std::string, Answer> AnonymityTest::CallEveryRpc(const std::string& token,
                                                          const std::string& member) {
  std::map<std::string, Answer> a;
  auto ctx = [&] { return WithToken(token); };
  const std::string self = member.empty() ? "de-1" : member;
  auto profiles = ProfileService::NewStub(channel_);
  auto matches = MatchService::NewStub(channel_);
  auto delegations = DelegationService::NewStub(channel_);
  auto admin = AdminService::NewStub(channel_);

  // ---- ProfileService ----
  {
    CreateProfileRequest r;
    *r.mutable_profile() = FromJson<Profile>(kProfiles[1]);
    r.mutable_profile()->set_id(absl::StrCat("de-new-", a.size(), member));
    Profile out;
    a["CreateProfile"] = Collect(profiles->CreateProfile(ctx().get(), r, &out), out);
  }
  for (const std::string& id : {handle_, std::string(kAnonymousId)}) {
    GetProfileRequest r;
    r.set_id(id);
    Profile out;
    a[absl::StrCat("GetProfile(", id == handle_ ? "handle" : "id", ")")] =
        Collect(profiles->GetProfile(ctx().get(), r, &out), out);
  }
  {
    UpdateProfileRequest r;
    r.mutable_profile()->set_id(self);
    r.mutable_profile()->set_description("Ventile und Pumpen.");
    Profile out;
    a["UpdateProfile"] = Collect(profiles->UpdateProfile(ctx().get(), r, &out), out);
    r.mutable_profile()->set_id(handle_);
    a["UpdateProfile(handle)"] = Collect(profiles->UpdateProfile(ctx().get(), r, &out), out);
  }
  {
    DeleteProfileRequest r;
    r.set_id(handle_);
    r.set_expected_version(99999);
    DeleteProfileResponse out;
    a["DeleteProfile"] = Collect(profiles->DeleteProfile(ctx().get(), r, &out), out);
  }
  {
    ListProfilesRequest r;
    ListProfilesResponse out;
    a["ListProfiles"] = Collect(profiles->ListProfiles(ctx().get(), r, &out), out);
    r.set_query("Quelvaronte");
    a["ListProfiles(query)"] = Collect(profiles->ListProfiles(ctx().get(), r, &out), out);
  }
  {
    auto context = ctx();
    ImportProfilesSummary out;
    auto writer = profiles->ImportProfiles(context.get(), &out);
    ImportProfilesRequest r;
    Profile p = FromJson<Profile>(kProfiles[0]);
    p.set_id(handle_);  // not an id anyone may write
    *r.add_profiles() = p;
    writer->Write(r);
    writer->WritesDone();
    a["ImportProfiles"] = Collect(writer->Finish(), out);
  }
  {
    auto context = WithToken(token, absl::Seconds(1));
    auto reader = profiles->WatchProfiles(context.get(), WatchProfilesRequest());
    Answer answer;
    ProfileChange change;
    while (reader->Read(&change)) CollectStrings(change, &answer.text);
    answer.status = reader->Finish();
    answer.text += answer.status.error_message();
    a["WatchProfiles"] = answer;
  }

  // ---- MatchService ----
  {
    FindPartnersRequest r;
    r.set_member_id(self);
    FindPartnersResponse out;
    a["FindPartners"] = Collect(matches->FindPartners(ctx().get(), r, &out), out);
  }
  {
    ExplainMatchRequest r;
    r.set_a_id(self);
    r.set_b_id(handle_);
    Match out;
    a["ExplainMatch"] = Collect(matches->ExplainMatch(ctx().get(), r, &out), out);
  }
  {
    GetMatchPolicyRequest r;
    r.set_chamber_id("canaco-cdmx");
    MatchPolicy out;
    a["GetMatchPolicy"] = Collect(matches->GetMatchPolicy(ctx().get(), r, &out), out);
  }
  {
    SetMatchPolicyRequest r;
    *r.mutable_policy() = MakePolicy("ihk-muenchen");
    MatchPolicy out;
    a["SetMatchPolicy"] = Collect(matches->SetMatchPolicy(ctx().get(), r, &out), out);
  }
  {
    ScorePairsRequest r;
    r.add_a_ids(self);
    r.add_b_ids(handle_);
    r.add_b_ids("mx-2");
    ScorePairsResponse out;
    a["ScorePairs"] = Collect(matches->ScorePairs(ctx().get(), r, &out), out);
  }
  {
    // Its chamber's outcomes include meetings with the anonymous company.
    SuggestMatchPolicyRequest r;
    r.set_chamber_id("ihk-muenchen");
    MatchPolicySuggestion out;
    a["SuggestMatchPolicy"] = Collect(matches->SuggestMatchPolicy(ctx().get(), r, &out), out);
  }

  // ---- DelegationService ----
  {
    CreateDelegationRequest r;
    *r.mutable_delegation() =
        FromJson<Delegation>(absl::StrReplaceAll(kMission, {{"HANDLE", handle_}}));
    r.mutable_delegation()->set_id(absl::StrCat("mx28-", member.empty() ? "staff" : member));
    Delegation out;
    a["CreateDelegation"] = Collect(delegations->CreateDelegation(ctx().get(), r, &out), out);
  }
  {
    GetDelegationRequest r;
    r.set_id("mx27");
    Delegation out;
    a["GetDelegation"] = Collect(delegations->GetDelegation(ctx().get(), r, &out), out);
  }
  {
    UpdateDelegationRequest r;
    r.mutable_delegation()->set_id("mx27");
    r.mutable_delegation()->set_name("Mission to Mexico, spring 2027");
    r.set_expected_version(99999);
    Delegation out;
    a["UpdateDelegation"] = Collect(delegations->UpdateDelegation(ctx().get(), r, &out), out);
  }
  {
    DeleteDelegationRequest r;
    r.set_id("mx27");
    r.set_expected_version(99999);
    DeleteDelegationResponse out;
    a["DeleteDelegation"] = Collect(delegations->DeleteDelegation(ctx().get(), r, &out), out);
  }
  {
    ListDelegationsRequest r;
    ListDelegationsResponse out;
    a["ListDelegations"] = Collect(delegations->ListDelegations(ctx().get(), r, &out), out);
  }
  {
    PlanDelegationRequest r;
    r.set_id("mx27");
    r.set_expected_version(99999);
    Delegation out;
    a["PlanDelegation"] = Collect(delegations->PlanDelegation(ctx().get(), r, &out), out);
  }
  {
    PublishPlanRequest r;
    r.set_id("mx27");
    r.set_expected_version(99999);
    Delegation out;
    a["PublishPlan"] = Collect(delegations->PublishPlan(ctx().get(), r, &out), out);
  }
  {
    RecommendDestinationsRequest r;
    r.add_delegate_ids(self);
    RecommendDestinationsResponse out;
    a["RecommendDestinations"] =
        Collect(delegations->RecommendDestinations(ctx().get(), r, &out), out);
  }
  for (GetAgendaRequest::Format format : {GetAgendaRequest::ICALENDAR, GetAgendaRequest::CSV}) {
    GetAgendaRequest r;
    r.set_delegation_id("mx27");
    r.set_member_id(self);
    r.set_format(format);
    Agenda out;
    a[absl::StrCat("GetAgenda(", GetAgendaRequest::Format_Name(format), ")")] =
        Collect(delegations->GetAgenda(ctx().get(), r, &out), out);
  }
  {
    GetAgendaRequest r;
    r.set_delegation_id("mx27");
    Agenda out;
    a["GetAgenda(whole plan)"] = Collect(delegations->GetAgenda(ctx().get(), r, &out), out);
  }
  {
    // A deadline already past: refused after the access checks, naming nothing.
    socio::v1::InviteHostsRequest r;
    r.set_delegation_id("mx27");
    r.mutable_deadline()->set_seconds(1);
    socio::v1::InviteHostsResponse out;
    a["InviteHosts"] = Collect(delegations->InviteHosts(ctx().get(), r, &out), out);
  }
  {
    socio::v1::AnswerHostInvitationRequest r;
    r.set_delegation_id("mx27");
    r.set_host_id(self);
    r.set_accept(true);
    socio::v1::HostInvitation out;
    a["AnswerHostInvitation"] =
        Collect(delegations->AnswerHostInvitation(ctx().get(), r, &out), out);
  }
  {
    socio::v1::ListHostInvitationsRequest r;
    r.set_delegation_id("mx27");
    socio::v1::ListHostInvitationsResponse out;
    a["ListHostInvitations(delegation)"] =
        Collect(delegations->ListHostInvitations(ctx().get(), r, &out), out);
  }
  {
    socio::v1::ListHostInvitationsRequest r;
    r.set_member_id(self);
    socio::v1::ListHostInvitationsResponse out;
    a["ListHostInvitations(member)"] =
        Collect(delegations->ListHostInvitations(ctx().get(), r, &out), out);
  }
  {
    GetDelegationBriefingRequest r;
    r.set_delegation_id("mx27");
    Briefing out;
    a["GetDelegationBriefing"] =
        Collect(delegations->GetDelegationBriefing(ctx().get(), r, &out), out);
  }

  // ---- EngagementService ----
  {
    Interest out;
    a["SetInterest"] = Collect(Mark(token, self, handle_, &out), out);
  }
  {
    ListInterestsRequest r;
    ListInterestsResponse out;
    a["ListInterests"] = Collect(engagement_->ListInterests(ctx().get(), r, &out), out);
  }
  std::string sent_id;
  {
    MeetingRequest out;
    a["CreateMeetingRequest"] = Collect(Request(token, self, handle_, &out), out);
    sent_id = out.id();
  }
  for (const std::string& id : {from_anonymous_, sent_id}) {
    GetMeetingRequestRequest r;
    r.set_id(id);
    MeetingRequest out;
    a[absl::StrCat("GetMeetingRequest(", id == sent_id ? "sent" : "from anonymous", ")")] =
        Collect(engagement_->GetMeetingRequest(ctx().get(), r, &out), out);
  }
  {
    ListMeetingRequestsRequest r;
    ListMeetingRequestsResponse out;
    a["ListMeetingRequests"] = Collect(engagement_->ListMeetingRequests(ctx().get(), r, &out), out);
  }
  {
    AnswerMeetingRequestRequest r;
    r.set_id(from_anonymous_);
    r.set_expected_version(99999);
    MeetingRequest out;
    a["AnswerMeetingRequest"] =
        Collect(engagement_->AnswerMeetingRequest(ctx().get(), r, &out), out);
  }
  {
    CancelMeetingRequestRequest r;
    r.set_id(sent_id.empty() ? from_anonymous_ : sent_id);
    MeetingRequest out;
    a["CancelMeetingRequest"] =
        Collect(engagement_->CancelMeetingRequest(ctx().get(), r, &out), out);
  }
  for (const std::string& id : {self, handle_}) {
    ListRevealsRequest r;
    r.set_profile_id(id);
    ListRevealsResponse out;
    a[absl::StrCat("ListReveals(", id == handle_ ? "handle" : "own", ")")] =
        Collect(engagement_->ListReveals(ctx().get(), r, &out), out);
  }

  // ---- PartnershipService ----
  std::string partnership_id;
  {
    CreatePartnershipRequest r;
    r.mutable_partnership()->set_first_member_id(self);
    r.mutable_partnership()->set_second_member_id(handle_);
    r.mutable_partnership()->set_title("Maschinen für Mexiko");
    SharedGoal* goal = r.mutable_partnership()->add_goals();
    goal->set_title("Absatz in Mexiko");
    goal->mutable_indicator()->set_name("Maschinen");
    goal->mutable_indicator()->set_target(20);
    goal->mutable_indicator()->set_due_date("2027-12-31");
    Partnership out;
    a["CreatePartnership"] = Collect(partnerships_->CreatePartnership(ctx().get(), r, &out), out);
    partnership_id = out.id();
  }
  for (const std::string& id : {anonymous_partnership_, partnership_id}) {
    GetPartnershipRequest r;
    r.set_id(id);
    Partnership out;
    a[absl::StrCat("GetPartnership(", id == partnership_id ? "own" : "anonymous's", ")")] =
        Collect(partnerships_->GetPartnership(ctx().get(), r, &out), out);
  }
  {
    ListPartnershipsRequest r;
    ListPartnershipsResponse out;
    a["ListPartnerships"] = Collect(partnerships_->ListPartnerships(ctx().get(), r, &out), out);
  }
  {
    UpdatePartnershipRequest r;
    r.mutable_partnership()->set_id(partnership_id);
    r.mutable_partnership()->set_status(Partnership::ACTIVE);
    Partnership out;
    a["UpdatePartnership"] = Collect(partnerships_->UpdatePartnership(ctx().get(), r, &out), out);
  }
  {
    RecordReviewRequest r;
    r.set_partnership_id(partnership_id);
    r.mutable_review()->set_judgement(PartnershipReview::ON_TRACK);
    r.mutable_review()->set_note("Erste Lieferung.");
    IndicatorReading* reading = r.mutable_review()->add_readings();
    reading->set_indicator("Maschinen");
    reading->set_value(3);
    PartnershipReview out;
    a["RecordReview"] = Collect(partnerships_->RecordReview(ctx().get(), r, &out), out);
  }
  for (const std::string& id : {anonymous_partnership_, partnership_id}) {
    ListReviewsRequest r;
    r.set_partnership_id(id);
    ListReviewsResponse out;
    a[absl::StrCat("ListReviews(", id == partnership_id ? "own" : "anonymous's", ")")] =
        Collect(partnerships_->ListReviews(ctx().get(), r, &out), out);
  }

  // ---- ChamberService ----
  // Chamber records name no company; the anonymous company's chamber is
  // read, listed and asked to be a partner like any other.
  auto chambers = ChamberService::NewStub(channel_);
  {
    CreateChamberRequest r;
    r.mutable_chamber()->set_id(absl::StrCat("chamber-new-", a.size(), member));
    r.mutable_chamber()->set_name("Cámara de Comercio de Puebla");
    r.mutable_chamber()->set_country("MX");
    Chamber out;
    a["CreateChamber"] = Collect(chambers->CreateChamber(ctx().get(), r, &out), out);
  }
  {
    GetChamberRequest r;
    r.set_id("canaco-cdmx");
    Chamber out;
    a["GetChamber"] = Collect(chambers->GetChamber(ctx().get(), r, &out), out);
  }
  {
    ListChambersResponse out;
    a["ListChambers"] =
        Collect(chambers->ListChambers(ctx().get(), ListChambersRequest(), &out), out);
  }
  {
    UpdateChamberRequest r;
    r.mutable_chamber()->set_id("ihk-muenchen");
    r.mutable_chamber()->set_city("München");
    Chamber out;
    a["UpdateChamber"] = Collect(chambers->UpdateChamber(ctx().get(), r, &out), out);
  }
  {
    DeleteChamberRequest r;
    r.set_id("canaco-cdmx");
    DeleteChamberResponse out;
    a["DeleteChamber"] = Collect(chambers->DeleteChamber(ctx().get(), r, &out), out);
  }
  {
    ProposePartnerChamberRequest r;
    r.set_chamber_id("ihk-muenchen");
    r.set_partner_chamber_id("canaco-cdmx");
    ChamberPartner out;
    a["ProposePartnerChamber"] =
        Collect(chambers->ProposePartnerChamber(ctx().get(), r, &out), out);
  }
  {
    AcceptPartnerChamberRequest r;
    r.set_chamber_id("ihk-muenchen");
    r.set_partner_chamber_id("canaco-cdmx");
    ChamberPartner out;
    a["AcceptPartnerChamber"] = Collect(chambers->AcceptPartnerChamber(ctx().get(), r, &out), out);
  }
  {
    EndPartnerChamberRequest r;
    r.set_chamber_id("ihk-muenchen");
    r.set_partner_chamber_id("canaco-cdmx");
    ChamberPartner out;
    a["EndPartnerChamber"] = Collect(chambers->EndPartnerChamber(ctx().get(), r, &out), out);
  }
  {
    ListPartnerChambersRequest r;
    r.set_chamber_id("ihk-muenchen");
    ListPartnerChambersResponse out;
    a["ListPartnerChambers"] = Collect(chambers->ListPartnerChambers(ctx().get(), r, &out), out);
  }

  // ---- NotificationService ----
  {
    Answer answer;
    for (const Notification& n : Watch(token)) CollectStrings(n, &answer.text);
    a["WatchNotifications"] = answer;
  }
  {
    GetNotificationSettingsRequest r;
    NotificationSettings out;
    a["GetNotificationSettings"] =
        Collect(notifications_->GetNotificationSettings(ctx().get(), r, &out), out);
  }
  {
    SetNotificationSettingsRequest r;
    r.mutable_settings()->set_recipient(handle_);
    NotificationSettings out;
    a["SetNotificationSettings"] =
        Collect(notifications_->SetNotificationSettings(ctx().get(), r, &out), out);
  }
  {
    ListParkedDeliveriesRequest r;
    ListParkedDeliveriesResponse out;
    a["ListParkedDeliveries"] =
        Collect(notifications_->ListParkedDeliveries(ctx().get(), r, &out), out);
  }

  // ---- OutcomeService ----
  // The plan's meeting of `self` with the anonymous company, named by its uid
  // as the planner makes it (with the company's id), and the request it sent.
  auto outcomes = OutcomeService::NewStub(channel_);
  MeetingRef planned;
  planned.set_delegation_id("mx27");
  planned.set_meeting_uid(absl::StrCat("mx27-", self, "-", kAnonymousId, "@socio"));
  MeetingRef requested;
  requested.set_request_id(from_anonymous_);
  {
    RecordOutcomeRequest r;
    *r.mutable_meeting() = planned;
    r.set_member_id(self);
    r.mutable_feedback()->set_attendance(MeetingFeedback::HELD);
    r.mutable_feedback()->set_rating(4);
    r.mutable_feedback()->set_follow_up(MeetingFeedback::YES);
    MeetingOutcome out;
    a["RecordOutcome"] = Collect(outcomes->RecordOutcome(ctx().get(), r, &out), out);
  }
  for (const MeetingRef& ref : {planned, requested}) {
    GetMeetingOutcomeRequest r;
    *r.mutable_meeting() = ref;
    MeetingOutcome out;
    a[absl::StrCat("GetMeetingOutcome(", ref.request_id().empty() ? "plan" : "request", ")")] =
        Collect(outcomes->GetMeetingOutcome(ctx().get(), r, &out), out);
  }
  for (const std::string& delegation : {std::string(), std::string("mx27")}) {
    ListOutcomesRequest r;
    r.set_delegation_id(delegation);
    ListOutcomesResponse out;
    a[absl::StrCat("ListOutcomes(", delegation.empty() ? "own" : "delegation", ")")] =
        Collect(outcomes->ListOutcomes(ctx().get(), r, &out), out);
  }

  // ---- AnalyticsService ----
  auto analytics = AnalyticsService::NewStub(channel_);
  for (GetAnalyticsRequest::GroupBy by :
       {GetAnalyticsRequest::TOTAL, GetAnalyticsRequest::DELEGATION, GetAnalyticsRequest::MONTH,
        GetAnalyticsRequest::COUNTRY_PAIR, GetAnalyticsRequest::SECTOR}) {
    GetAnalyticsRequest r;
    r.set_group_by(by);
    GetAnalyticsResponse out;
    a[absl::StrCat("GetAnalytics(", GetAnalyticsRequest::GroupBy_Name(by), ")")] =
        Collect(analytics->GetAnalytics(ctx().get(), r, &out), out);
  }

  // ---- ExchangeService: the mission (which meets the anonymous company) as
  // the visit of an exchange; deleted at the end, so each caller starts anew.
  auto exchanges = ExchangeService::NewStub(channel_);
  {
    CreateExchangeRequest r;
    r.mutable_exchange()->set_id("anon-x");
    r.mutable_exchange()->set_chamber_id("ihk-muenchen");
    r.mutable_exchange()->set_partner_chamber_id("canaco-cdmx");
    r.mutable_exchange()->set_visit_delegation_id("mx27");
    Exchange out;
    a["CreateExchange"] = Collect(exchanges->CreateExchange(ctx().get(), r, &out), out);
  }
  {
    GetExchangeRequest r;
    r.set_id("anon-x");
    Exchange out;
    a["GetExchange"] = Collect(exchanges->GetExchange(ctx().get(), r, &out), out);
  }
  {
    UpdateExchangeRequest r;
    r.mutable_exchange()->set_id("anon-x");
    r.mutable_exchange()->set_notes("Return visit in October.");
    Exchange out;
    a["UpdateExchange"] = Collect(exchanges->UpdateExchange(ctx().get(), r, &out), out);
  }
  {
    ListExchangesResponse out;
    a["ListExchanges"] =
        Collect(exchanges->ListExchanges(ctx().get(), ListExchangesRequest(), &out), out);
  }
  {
    GetExchangeBalanceRequest r;
    r.set_id("anon-x");
    ExchangeBalance out;
    a["GetExchangeBalance"] = Collect(exchanges->GetExchangeBalance(ctx().get(), r, &out), out);
  }
  {
    DeleteExchangeRequest r;
    r.set_id("anon-x");
    DeleteExchangeResponse out;
    a["DeleteExchange"] = Collect(exchanges->DeleteExchange(ctx().get(), r, &out), out);
  }

  // ---- AdminService ----
  {
    TokenInfo out;
    a["WhoAmI"] = Collect(admin->WhoAmI(ctx().get(), WhoAmIRequest(), &out), out);
  }
  {
    IssueTokenRequest r;
    r.set_role(MEMBER);
    r.set_profile_id(handle_);
    IssueTokenResponse out;
    a["IssueToken"] = Collect(admin->IssueToken(ctx().get(), r, &out), out);
  }
  {
    RevokeTokenRequest r;
    r.set_id("tok-none");
    TokenInfo out;
    a["RevokeToken"] = Collect(admin->RevokeToken(ctx().get(), r, &out), out);
  }
  {
    ListTokensResponse out;
    a["ListTokens"] = Collect(admin->ListTokens(ctx().get(), ListTokensRequest(), &out), out);
  }
  {
    BackupRequest r;
    r.set_dir(dir_.Join("backup-not-allowed"));
    BackupResponse out;
    a["Backup"] = Collect(admin->Backup(ctx().get(), r, &out), out);
  }
  {
    Stats out;
    a["GetStats"] = Collect(admin->GetStats(ctx().get(), GetStatsRequest(), &out), out);
  }
  return a;
}

// The RPCs CallEveryRpc calls, by method name.
std::set<std::string> MethodsCalled(const std::map<std::string, Answer>& answers) {
  std::set<std::string> out;
  for (const auto& [name, answer] : answers) out.insert(name.substr(0, name.find('(')));
  return out;
}

TEST_F(AnonymityTest, NoAnswerToAnOutsiderIdentifiesTheAnonymousCompanyUntilTheReveal) {
  // Every method of every Socio service is called.
  std::set<std::string> methods;
  for (const char* name :
       {ProfileService::service_full_name(), MatchService::service_full_name(),
        DelegationService::service_full_name(), EngagementService::service_full_name(),
        NotificationService::service_full_name(), OutcomeService::service_full_name(),
        AdminService::service_full_name(), PartnershipService::service_full_name(),
        AnalyticsService::service_full_name(), ExchangeService::service_full_name(),
        ChamberService::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) methods.insert(service->method(i)->name());
  }

  for (const auto& [who, member] : std::vector<std::pair<std::string, std::string>>{
           {"de-1", "de-1"}, {"de-2", "de-2"}, {"staff-de", ""}}) {
    SCOPED_TRACE(who);
    const std::map<std::string, Answer> answers = CallEveryRpc(token_[who], member);
    EXPECT_EQ(MethodsCalled(answers), methods);
    for (const auto& [rpc, answer] : answers) {
      for (const std::string& word : kIdentifying) {
        // The id sent is read back in the error, as a missing one's would be.
        if (rpc == "GetProfile(id)" && word == kAnonymousId) continue;
        EXPECT_THAT(answer.text, Not(HasSubstr(word))) << who << " " << rpc;
      }
    }
    // The handle stands where the company is named.
    EXPECT_THAT(answers.at("FindPartners").text, HasSubstr(handle_));
    // Staff read the plan, members their agenda.
    EXPECT_THAT(answers.at(member.empty() ? "GetDelegation" : "GetAgenda(ICALENDAR)").text,
                HasSubstr(handle_));
    // Staff read the briefing whole: the company, by its handle, among the
    // Spanish speakers; members read counts only.
    ASSERT_TRUE(answers.at("GetDelegationBriefing").status.ok())
        << answers.at("GetDelegationBriefing").status.error_message();
    EXPECT_EQ(absl::StrContains(answers.at("GetDelegationBriefing").text, handle_), member.empty());
    EXPECT_TRUE(answers.at("ExplainMatch").status.ok())
        << answers.at("ExplainMatch").status.error_message();
    // Looked up by its id, the company is missing, as an id nobody has: the
    // answer does not tie the id to the handle.
    EXPECT_EQ(answers.at("GetProfile(id)").status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(answers.at("GetProfile(id)").text, Not(HasSubstr(handle_)));
    GetProfileRequest missing;
    missing.set_id("mx-nobody");
    Profile unused;
    grpc::Status nobody =
        server_->profiles().GetProfile(WithToken(token_[who]).get(), missing, &unused);
    EXPECT_EQ(answers.at("GetProfile(id)").status.error_message(),
              absl::StrReplaceAll(nobody.error_message(), {{"mx-nobody", kAnonymousId}}));
  }
  // The plan's meeting of de-1 with the anonymous company, named by the uid
  // as de-1 was shown it (the handle standing for the id): de-1 reads it.
  {
    GetMeetingOutcomeRequest get;
    get.mutable_meeting()->set_delegation_id("mx27");
    get.mutable_meeting()->set_meeting_uid(absl::StrCat("mx27-de-1-", handle_, "@socio"));
    MeetingOutcome shown;
    ASSERT_RPC_OK(OutcomeService::NewStub(channel_)->GetMeetingOutcome(
        WithToken(token_["de-1"]).get(), get, &shown));
    EXPECT_EQ(shown.meeting().meeting_uid(), get.meeting().meeting_uid());
    ASSERT_EQ(shown.sides_size(), 2);
    EXPECT_EQ(shown.sides(1).member_id(), handle_);
  }
  // The member it asked for a meeting reads the request from the handle.
  const std::map<std::string, Answer> de2 = CallEveryRpc(token_["de-2"], "de-2");
  EXPECT_THAT(de2.at("GetMeetingRequest(from anonymous)").text, HasSubstr(handle_));
  // So does the partnership it started, which de-1 may not see at all.
  EXPECT_THAT(de2.at("GetPartnership(anonymous's)").text, HasSubstr(handle_));
  EXPECT_TRUE(de2.at("CreatePartnership").status.ok())
      << de2.at("CreatePartnership").status.error_message();
  const std::map<std::string, Answer> de1 = CallEveryRpc(token_["de-1"], "de-1");
  EXPECT_EQ(de1.at("GetPartnership(anonymous's)").status.error_code(), grpc::StatusCode::NOT_FOUND);
  // The German chamber's staff read the anonymous profile by its handle:
  // country, sectors and objectives, nothing that names it.
  GetProfileRequest get;
  get.set_id(handle_);
  Profile seen;
  ASSERT_RPC_OK(server_->profiles().GetProfile(WithToken(token_["staff-de"]).get(), get, &seen));
  EXPECT_EQ(seen.id(), handle_);
  EXPECT_EQ(seen.name(), handle_);
  EXPECT_EQ(seen.country(), "MX");
  EXPECT_EQ(seen.objectives(0).type(), Objective::DISTRIBUTION);
  EXPECT_EQ(seen.employees(), 10);  // 37, as its size band
  EXPECT_EQ(seen.contacts_size(), 0);
  EXPECT_EQ(seen.city(), "");  // where it is could tell who it is
  EXPECT_EQ(seen.founded_year(), 0);

  // A company that is not anonymous is read without its handle outside its
  // chamber, so that choosing anonymity later does not tie it to the name.
  get.set_id("mx-2");
  ASSERT_RPC_OK(server_->profiles().GetProfile(WithToken(token_["staff-de"]).get(), get, &seen));
  EXPECT_EQ(seen.name(), "Agentes Industriales del Centro");
  EXPECT_EQ(seen.handle(), "");
  ASSERT_RPC_OK(server_->profiles().GetProfile(WithToken(token_["staff-mx"]).get(), get, &seen));
  EXPECT_TRUE(absl::StartsWith(seen.handle(), "anon-")) << seen.handle();

  // The mail that told de-2 of the request names the handle only.
  std::vector<google::protobuf::Struct> mails = WaitForRecords(smtp_.records, 1);
  ASSERT_FALSE(mails.empty());
  for (const auto& mail : mails) {
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(mail, &json).ok());
    EXPECT_THAT(json, HasSubstr(handle_));
    for (const std::string& word : kIdentifying) EXPECT_THAT(json, Not(HasSubstr(word)));
  }

  // The gateway's JSON, the same.
  absl::StatusOr<std::unique_ptr<socio::gateway::Gateway>> gateway =
      socio::gateway::Gateway::Start({.server = server_->address(), .listen = "127.0.0.1:0"});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  httplib::Client http("127.0.0.1", (*gateway)->port());
  const httplib::Headers auth = {{"Authorization", "Bearer " + token_["de-1"]}};
  std::vector<std::string> bodies;
  for (const std::string& path : {absl::StrCat("/api/v1/profiles/", handle_),
                                  std::string("/api/v1/interests"), std::string("/api/v1/requests"),
                                  std::string("/api/v1/delegations/mx27/agenda?member_id=de-1")}) {
    httplib::Result got = http.Get(path, auth);
    ASSERT_TRUE(got) << path;
    bodies.push_back(path + " " + std::to_string(got->status) + " " + got->body);
  }
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/partners:find", R"({"memberId": "de-1"})"},
           {"/api/v1/partners:explain",
            absl::StrCat(R"({"aId": "de-1", "bId": ")", handle_, "\"}")}}) {
    httplib::Result got = http.Post(path, auth, body, "application/json");
    ASSERT_TRUE(got) << path;
    EXPECT_EQ(got->status, 200) << path << " " << got->body;
    bodies.push_back(path + " " + got->body);
  }
  for (const std::string& body : bodies) {
    for (const std::string& word : kIdentifying) EXPECT_THAT(body, Not(HasSubstr(word))) << body;
  }
  EXPECT_THAT(bodies[0], HasSubstr(handle_));

  // Mutual interest: de-1 marked it already; now it marks de-1.
  Interest mark;
  ASSERT_RPC_OK(Mark(token_["anon"], kAnonymousId, "de-1", &mark));
  EXPECT_TRUE(mark.mutual());

  // de-1 and its chamber's staff see the company in full, contacts
  // included; de-2 still does not.
  for (const auto& [who, member] :
       std::vector<std::pair<std::string, std::string>>{{"de-1", "de-1"}, {"staff-de", ""}}) {
    SCOPED_TRACE(who);
    const std::map<std::string, Answer> answers = CallEveryRpc(token_[who], member);
    EXPECT_THAT(answers.at("FindPartners").text, HasSubstr(kAnonymousId));
    EXPECT_THAT(answers.at("FindPartners").text, HasSubstr("Quelvaronte"));
    EXPECT_THAT(answers.at(member.empty() ? "GetDelegation" : "GetAgenda(CSV)").text,
                HasSubstr(kAnonymousId));
    EXPECT_THAT(answers.at("GetAgenda(ICALENDAR)").text, HasSubstr("Quelvaronte"));
    if (member.empty()) {
      EXPECT_THAT(answers.at("GetDelegationBriefing").text, HasSubstr("Quelvaronte"));
    }
    ASSERT_TRUE(answers.at("GetProfile(id)").status.ok())
        << answers.at("GetProfile(id)").status.error_message();
    for (const std::string& word : kIdentifying) {
      EXPECT_THAT(answers.at("GetProfile(id)").text, HasSubstr(word));
    }
  }
  {
    const std::map<std::string, Answer> answers = CallEveryRpc(token_["de-2"], "de-2");
    for (const auto& [rpc, answer] : answers) {
      for (const std::string& word : kIdentifying) {
        if (rpc == "GetProfile(id)" && word == kAnonymousId) continue;
        EXPECT_THAT(answer.text, Not(HasSubstr(word))) << "de-2 after the reveal: " << rpc;
      }
    }
  }
  // The reveal is on record for the company's chamber.
  ListRevealsRequest reveals;
  reveals.set_profile_id(kAnonymousId);
  ListRevealsResponse listed;
  ASSERT_RPC_OK(engagement_->ListReveals(WithToken(token_["staff-mx"]).get(), reveals, &listed));
  ASSERT_EQ(listed.reveals_size(), 1);
  EXPECT_EQ(listed.reveals(0).revealed_to(), "de-1");
  EXPECT_EQ(listed.reveals(0).reason(), Reveal::MUTUAL_INTEREST);
}

}  // namespace
}  // namespace socio::testing
