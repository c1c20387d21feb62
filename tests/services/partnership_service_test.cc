// PartnershipService on a real sociod: a German company and a Chilean one
// start a partnership after their meeting, set goals, review it; each role
// sees exactly what it should; review reminders reach both companies once
// when due, driven by the server's partnership clock.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_clocks.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Notification;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;
using socio::v1::Profile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr absl::Duration kWeek = absl::Hours(24 * 7);

constexpr const char* kProfiles[] = {
    R"({"id": "de-1", "chamberId": "ihk-stuttgart", "name": "Huber Ventiltechnik", "country": "DE", "city": "Stuttgart", "sectors": ["28.14"], "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.69"], "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-stuttgart", "name": "Schwaben Pumpen", "country": "DE", "city": "Ulm", "sectors": ["28.13"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
    R"({"id": "cl-1", "chamberId": "camara-santiago", "name": "Distribuidora Andina", "country": "CL", "city": "Santiago", "sectors": ["46.69"], "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.1"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "cl-2", "chamberId": "camara-santiago", "name": "Importadora Pacífico", "country": "CL", "city": "Valparaíso", "sectors": ["46.69"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"]}], "targetMarkets": ["DE"], "visibility": "PRIVATE"})",
    R"({"id": "fr-1", "chamberId": "cci-lyon", "name": "Vannes Rhône", "country": "FR", "city": "Lyon", "sectors": ["28.14"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["CL"]}], "targetMarkets": ["CL"], "visibility": "FEDERATION"})",
};

constexpr char kMission[] = R"({
  "id": "cl27", "chamberId": "ihk-stuttgart", "name": "Mission to Chile 2027",
  "originCountry": "DE", "hostCountry": "CL",
  "days": [{"date": "2027-03-29", "city": "Santiago", "venue": "Cámara",
            "startTime": "09:00", "endTime": "11:30"}],
  "meetingMinutes": 30, "breakMinutes": 10,
  "delegates": [{"memberId": "de-1"}, {"memberId": "de-2"}],
  "hosts": [{"memberId": "cl-1"}]
})";

using socio::testing::ShiftedClock;

class PartnershipServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::SociodOptions options;
    options.partnership_clock = [this] { return clock_.Now(); };
    options.request_expiry_sweep = absl::Milliseconds(50);
    options.delivery.webhooks = false;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    admin_ = server_->admin_token();
    for (const char* json : kProfiles) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<Profile>(json);
      Profile created;
      ASSERT_RPC_OK(server_->profiles().CreateProfile(WithToken(admin_).get(), request, &created));
    }
    for (const char* id : {"de-1", "de-2", "cl-1", "cl-2", "fr-1"}) {
      token_[id] = server_->IssueToken(socio::v1::MEMBER, "", id);
    }
    token_["staff-de"] = server_->IssueToken(socio::v1::STAFF, "ihk-stuttgart", "");
    token_["staff-cl"] = server_->IssueToken(socio::v1::STAFF, "camara-santiago", "");
    token_["staff-fr"] = server_->IssueToken(socio::v1::STAFF, "cci-lyon", "");
    token_["admin"] = admin_;
    partnerships_ = socio::v1::PartnershipService::NewStub(server_->channel());
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
  }

  static Partnership Between(const std::string& first, const std::string& second) {
    Partnership p;
    p.set_first_member_id(first);
    p.set_second_member_id(second);
    p.set_title("Valves for Chilean mining");
    socio::v1::SharedGoal* goal = p.add_goals();
    goal->set_title("Sell valves in Chile");
    goal->mutable_indicator()->set_name("Units sold");
    goal->mutable_indicator()->set_unit("units");
    goal->mutable_indicator()->set_baseline(0);
    goal->mutable_indicator()->set_target(500);
    goal->mutable_indicator()->set_due_date("2027-12-31");
    p.set_review_every_weeks(2);
    return p;
  }

  grpc::Status Create(const std::string& who, const Partnership& p, Partnership* out) {
    socio::v1::CreatePartnershipRequest r;
    *r.mutable_partnership() = p;
    return partnerships_->CreatePartnership(WithToken(token_[who]).get(), r, out);
  }

  grpc::Status Get(const std::string& who, const std::string& id, Partnership* out = nullptr) {
    socio::v1::GetPartnershipRequest r;
    r.set_id(id);
    Partnership ignored;
    return partnerships_->GetPartnership(WithToken(token_[who]).get(), r,
                                         out != nullptr ? out : &ignored);
  }

  grpc::Status Review(const std::string& who, const std::string& id, double units,
                      PartnershipReview* out = nullptr) {
    socio::v1::RecordReviewRequest r;
    r.set_partnership_id(id);
    r.mutable_review()->set_judgement(PartnershipReview::AT_RISK);
    r.mutable_review()->set_note("Customs delays in Valparaíso.");
    auto* reading = r.mutable_review()->add_readings();
    reading->set_indicator("Units sold");
    reading->set_value(units);
    PartnershipReview ignored;
    return partnerships_->RecordReview(WithToken(token_[who]).get(), r,
                                       out != nullptr ? out : &ignored);
  }

  std::vector<std::string> Listed(const std::string& who, const std::string& member = "",
                                  const std::string& chamber = "") {
    socio::v1::ListPartnershipsRequest r;
    r.set_member_id(member);
    r.set_chamber_id(chamber);
    socio::v1::ListPartnershipsResponse out;
    grpc::Status status = partnerships_->ListPartnerships(WithToken(token_[who]).get(), r, &out);
    EXPECT_TRUE(status.ok()) << who << ": " << status.error_message();
    std::vector<std::string> ids;
    for (const Partnership& p : out.partnerships()) ids.push_back(p.id());
    return ids;
  }

  // The PARTNERSHIP_* notifications `who` is streamed, read for `wait`.
  std::vector<Notification> Told(const std::string& who, absl::Duration wait = absl::Seconds(1)) {
    std::unique_ptr<grpc::ClientContext> context = WithToken(token_[who], wait);
    auto reader =
        notifications_->WatchNotifications(context.get(), socio::v1::WatchNotificationsRequest());
    std::vector<Notification> out;
    Notification n;
    while (reader->Read(&n)) {
      if (n.has_partnership()) out.push_back(n);
    }
    reader->Finish().IgnoreError();
    return out;
  }

  static std::vector<std::string> Kinds(const std::vector<Notification>& ns) {
    std::vector<std::string> out;
    for (const Notification& n : ns) out.push_back(Notification::Kind_Name(n.kind()));
    return out;
  }

  ShiftedClock clock_;
  std::unique_ptr<TestServer> server_;
  std::string admin_;
  std::map<std::string, std::string> token_;
  std::unique_ptr<socio::v1::PartnershipService::Stub> partnerships_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
};

TEST_F(PartnershipServiceTest, BothPartiesAndBothChambersSeeItAndNobodyElse) {
  Partnership created;
  ASSERT_RPC_OK(Create("de-1", Between("de-1", "cl-1"), &created));
  EXPECT_EQ(created.status(), Partnership::EXPLORING);
  EXPECT_EQ(created.first_chamber_id(), "ihk-stuttgart");
  EXPECT_EQ(created.second_chamber_id(), "camara-santiago");
  EXPECT_EQ(created.created_by(), "member:de-1");

  for (const char* who : {"de-1", "cl-1", "staff-de", "staff-cl", "admin"}) {
    Partnership seen;
    ASSERT_RPC_OK(Get(who, created.id(), &seen));
    EXPECT_EQ(seen.title(), created.title()) << who;
  }
  for (const char* who : {"de-2", "cl-2", "fr-1", "staff-fr"}) {
    grpc::Status hidden = Get(who, created.id());
    EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND) << who;
    // Worded as a partnership that does not exist.
    grpc::Status missing = Get(who, "pt-0000000000000000");
    EXPECT_EQ(hidden.error_message(), absl::StrCat("id: no partnership '", created.id(), "'"));
    EXPECT_EQ(missing.error_message(), "id: no partnership 'pt-0000000000000000'");
    // Nor can they review or change it.
    EXPECT_EQ(Review(who, created.id(), 1).error_code(), grpc::StatusCode::NOT_FOUND) << who;
  }

  // Lists: each party, each chamber; not the others.
  EXPECT_THAT(Listed("de-1"), ElementsAre(created.id()));
  EXPECT_THAT(Listed("cl-1"), ElementsAre(created.id()));
  EXPECT_THAT(Listed("staff-de"), ElementsAre(created.id()));
  EXPECT_THAT(Listed("staff-cl"), ElementsAre(created.id()));
  EXPECT_THAT(Listed("staff-cl", "cl-1"), ElementsAre(created.id()));
  EXPECT_THAT(Listed("admin", "", "camara-santiago"), ElementsAre(created.id()));
  EXPECT_THAT(Listed("de-2"), IsEmpty());
  EXPECT_THAT(Listed("staff-fr"), IsEmpty());
  // A member lists no other company's partnerships, a chamber no other's.
  socio::v1::ListPartnershipsRequest other;
  other.set_member_id("de-1");
  socio::v1::ListPartnershipsResponse out;
  EXPECT_EQ(
      partnerships_->ListPartnerships(WithToken(token_["de-2"]).get(), other, &out).error_code(),
      grpc::StatusCode::NOT_FOUND);
  other.set_member_id("");
  other.set_chamber_id("ihk-stuttgart");
  EXPECT_EQ(partnerships_->ListPartnerships(WithToken(token_["staff-cl"]).get(), other, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The other company is told at once.
  std::vector<Notification> cl1 = Told("cl-1");
  ASSERT_THAT(Kinds(cl1), ElementsAre("PARTNERSHIP_CREATED"));
  EXPECT_EQ(cl1[0].summary(),
            "A partnership with Huber Ventiltechnik was started: Valves for Chilean mining");
  EXPECT_EQ(cl1[0].partnership().id(), created.id());
  EXPECT_THAT(Told("de-1", absl::Milliseconds(300)), IsEmpty());
}

TEST_F(PartnershipServiceTest, WhoMayCreateWhichPartnership) {
  Partnership out;
  // Staff of either company's chamber create one for their member.
  ASSERT_RPC_OK(Create("staff-cl", Between("de-1", "cl-1"), &out));
  EXPECT_EQ(out.created_by(), "staff:camara-santiago");
  // A member for other companies: they are missing to it (a member reads no
  // profile but its own); so is a company it may not see (PRIVATE in
  // another chamber).
  grpc::Status other = Create("de-2", Between("de-1", "cl-1"), &out);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND) << other.error_message();
  grpc::Status hidden = Create("de-1", Between("de-1", "cl-2"), &out);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(hidden.error_message(), HasSubstr("partnership.second_member_id: no profile"));
  // Staff of a third chamber read both companies but act for neither.
  EXPECT_EQ(Create("staff-fr", Between("de-1", "cl-1"), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A cooperation agreement between chambers: their staff only.
  Partnership chambers;
  chambers.set_first_chamber_id("ihk-stuttgart");
  chambers.set_second_chamber_id("camara-santiago");
  chambers.set_title("Cooperation agreement 2027");
  ASSERT_RPC_OK(Create("staff-de", chambers, &out));
  EXPECT_EQ(out.review_every_weeks(), 4);
  grpc::Status member = Create("de-1", chambers, &out);
  EXPECT_EQ(member.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("staff-fr", chambers, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_THAT(Kinds(Told("staff-cl")), ElementsAre("PARTNERSHIP_CREATED"));

  // An origin naming a request between other companies: missing.
  Partnership from_request = Between("de-1", "cl-1");
  from_request.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  from_request.mutable_origin()->set_source_request_id("mr-0000000000000000");
  grpc::Status no_request = Create("de-1", from_request, &out);
  EXPECT_EQ(no_request.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(no_request.error_message(), HasSubstr("partnership.origin.source_request_id"));
}

TEST_F(PartnershipServiceTest, AnOriginFromAnAcceptedMeetingRequestIsKept) {
  auto engagement = socio::v1::EngagementService::NewStub(server_->channel());
  socio::v1::CreateMeetingRequestRequest ask;
  ask.mutable_request()->set_from_member_id("de-1");
  ask.mutable_request()->set_to_ref("cl-1");
  socio::v1::TimeWindow* w = ask.mutable_request()->add_proposed();
  *w->mutable_start_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now() + absl::Hours(48)));
  *w->mutable_end_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now() + absl::Hours(49)));
  socio::v1::MeetingRequest sent;
  ASSERT_RPC_OK(engagement->CreateMeetingRequest(WithToken(token_["de-1"]).get(), ask, &sent));

  Partnership p = Between("cl-1", "de-1");
  p.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  p.mutable_origin()->set_source_request_id(sent.id());
  Partnership created;
  ASSERT_RPC_OK(Create("cl-1", p, &created));
  EXPECT_EQ(created.origin().source_request_id(), sent.id());
  EXPECT_EQ(created.first_chamber_id(), "camara-santiago");
}

TEST_F(PartnershipServiceTest, AnOriginInADelegationNamesOneTheTwoCompaniesTookPartIn) {
  socio::v1::CreateDelegationRequest create;
  *create.mutable_delegation() = FromJson<socio::v1::Delegation>(kMission);
  socio::v1::Delegation delegation;
  ASSERT_RPC_OK(server_->delegations().CreateDelegation(WithToken(token_["staff-de"]).get(), create,
                                                        &delegation));
  socio::v1::PlanDelegationRequest plan;
  plan.set_id("cl27");
  ASSERT_RPC_OK(server_->delegations().PlanDelegation(WithToken(token_["staff-de"]).get(), plan,
                                                      &delegation));
  std::string uid;
  for (const socio::v1::PlannedMeeting& m : delegation.plan().meetings()) {
    if (m.delegate_id() == "de-1" && m.host_id() == "cl-1") uid = m.uid();
  }
  ASSERT_FALSE(uid.empty());

  Partnership p = Between("de-1", "cl-1");
  p.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  p.mutable_origin()->set_source_delegation_id("cl27");
  p.mutable_origin()->set_meeting_uid(uid);
  Partnership created;
  ASSERT_RPC_OK(Create("cl-1", p, &created));
  EXPECT_EQ(created.origin().meeting_uid(), uid);

  // Another pair's meeting, a company that took no part, a delegation that
  // does not exist: missing.
  Partnership other = Between("de-2", "cl-1");
  other.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  other.mutable_origin()->set_source_delegation_id("cl27");
  other.mutable_origin()->set_meeting_uid(uid);
  grpc::Status wrong_meeting = Create("cl-1", other, &created);
  EXPECT_EQ(wrong_meeting.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(wrong_meeting.error_message(), HasSubstr("partnership.origin.meeting_uid"));
  Partnership outsider = Between("fr-1", "cl-1");
  outsider.mutable_origin()->set_kind(socio::v1::PartnershipOrigin::DELEGATION);
  outsider.mutable_origin()->set_source_delegation_id("cl27");
  EXPECT_EQ(Create("cl-1", outsider, &created).error_code(), grpc::StatusCode::NOT_FOUND);
  outsider.mutable_origin()->set_source_delegation_id("nowhere27");
  grpc::Status nowhere = Create("cl-1", outsider, &created);
  EXPECT_EQ(nowhere.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(nowhere.error_message(), HasSubstr("partnership.origin.source_delegation_id"));
}

TEST_F(PartnershipServiceTest, EitherSideMovesItOnWithTheVersionItRead) {
  Partnership created;
  ASSERT_RPC_OK(Create("de-1", Between("de-1", "cl-1"), &created));
  socio::v1::UpdatePartnershipRequest r;
  r.mutable_partnership()->set_id(created.id());
  r.mutable_partnership()->set_status(Partnership::ACTIVE);
  r.mutable_update_mask()->add_paths("status");
  r.set_expected_version(created.version());
  Partnership active;
  ASSERT_RPC_OK(partnerships_->UpdatePartnership(WithToken(token_["cl-1"]).get(), r, &active));
  EXPECT_EQ(active.status(), Partnership::ACTIVE);
  EXPECT_EQ(active.changed_by(), "member:cl-1");
  EXPECT_EQ(active.goals_size(), 1);

  // A second writer with the old version is told to read again.
  r.mutable_partnership()->set_status(Partnership::PAUSED);
  Partnership stale;
  grpc::Status aborted =
      partnerships_->UpdatePartnership(WithToken(token_["staff-de"]).get(), r, &stale);
  EXPECT_EQ(aborted.error_code(), grpc::StatusCode::ABORTED);
  // Ending needs a reason.
  r.set_expected_version(active.version());
  r.mutable_partnership()->set_status(Partnership::ENDED);
  grpc::Status no_reason =
      partnerships_->UpdatePartnership(WithToken(token_["de-1"]).get(), r, &stale);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("partnership.end_reason"));
  r.mutable_partnership()->set_end_reason("The distributor was sold.");
  r.mutable_update_mask()->add_paths("end_reason");
  Partnership ended;
  ASSERT_RPC_OK(partnerships_->UpdatePartnership(WithToken(token_["de-1"]).get(), r, &ended));
  EXPECT_EQ(ended.status(), Partnership::ENDED);
  EXPECT_EQ(Review("cl-1", created.id(), 3).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  EXPECT_THAT(Kinds(Told("de-1")), ElementsAre("PARTNERSHIP_STATUS_CHANGED"));
  EXPECT_THAT(Kinds(Told("cl-1")),
              ElementsAre("PARTNERSHIP_CREATED", "PARTNERSHIP_STATUS_CHANGED"));
}

TEST_F(PartnershipServiceTest, ReviewRemindersReachBothCompaniesOnceWhenDue) {
  Partnership created;
  ASSERT_RPC_OK(Create("de-1", Between("de-1", "cl-1"), &created));
  // Not due yet: the sweep (every 50 ms) sends nothing.
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_THAT(Kinds(Told("de-1", absl::Milliseconds(300))), IsEmpty());

  clock_.Advance(2 * kWeek);
  absl::SleepFor(absl::Milliseconds(300));  // several sweeps
  std::vector<Notification> de1 = Told("de-1");
  ASSERT_THAT(Kinds(de1), ElementsAre("PARTNERSHIP_REVIEW_DUE"));
  EXPECT_EQ(de1[0].summary(), "A review of your partnership with Distribuidora Andina is due");
  EXPECT_THAT(Kinds(Told("cl-1")), ElementsAre("PARTNERSHIP_CREATED", "PARTNERSHIP_REVIEW_DUE"));

  // After a restart, the same due review is not reminded again.
  ASSERT_THAT(server_->Restart(), IsOk());
  partnerships_ = socio::v1::PartnershipService::NewStub(server_->channel());
  notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_THAT(Kinds(Told("de-1")), ElementsAre("PARTNERSHIP_REVIEW_DUE"));

  // The review is recorded; the next is due two weeks after it.
  PartnershipReview review;
  ASSERT_RPC_OK(Review("cl-1", created.id(), 40, &review));
  EXPECT_EQ(review.number(), 1);
  EXPECT_EQ(review.recorded_by(), "member:cl-1");
  Partnership after;
  ASSERT_RPC_OK(Get("de-1", created.id(), &after));
  EXPECT_EQ(after.review_count(), 1);
  EXPECT_FALSE(after.review_reminded());
  EXPECT_EQ(absl::FromUnixSeconds(after.next_review_time().seconds()),
            absl::FromUnixSeconds(review.create_time().seconds()) + 2 * kWeek);
  clock_.Advance(2 * kWeek);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_THAT(Kinds(Told("de-1")), ElementsAre("PARTNERSHIP_REVIEW_DUE", "PARTNERSHIP_REVIEWED",
                                               "PARTNERSHIP_REVIEW_DUE"));

  // Both chambers' staff read the reviews; others do not.
  socio::v1::ListReviewsRequest list;
  list.set_partnership_id(created.id());
  socio::v1::ListReviewsResponse reviews;
  ASSERT_RPC_OK(partnerships_->ListReviews(WithToken(token_["staff-de"]).get(), list, &reviews));
  ASSERT_THAT(reviews.reviews(), SizeIs(1));
  EXPECT_EQ(reviews.reviews(0).readings(0).value(), 40);
  EXPECT_EQ(reviews.reviews(0).judgement(), PartnershipReview::AT_RISK);
  EXPECT_EQ(
      partnerships_->ListReviews(WithToken(token_["de-2"]).get(), list, &reviews).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace socio::testing
