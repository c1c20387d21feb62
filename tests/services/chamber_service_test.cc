// ChamberService on a real sociod: operators enter the Munich and Mexico
// City chambers, each chamber's staff keeps its own record, and the two
// become partner chambers only once both agree; either may end it. Contacts
// reach staff and operators, never members; a chamber without a record keeps
// working everywhere.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/chamber_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using socio::v1::Chamber;
using socio::v1::ChamberPartner;
using socio::v1::Notification;
using socio::v1::Profile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kMunich[] = R"({
  "id": "ihk-muc", "name": "IHK München und Oberbayern", "country": "DE", "city": "München",
  "languages": ["de", "en"], "website": "https://www.ihk-muenchen.de",
  "contacts": [{"name": "Anna Huber", "role": "Head of international", "email": "anna.huber@example.de",
                "phone": "+49 89 5116 0", "languages": ["de", "en", "es"]}]
})";
constexpr char kMexico[] = R"({
  "id": "canaco-mx", "name": "CANACO Ciudad de México", "country": "MX", "city": "Ciudad de México",
  "languages": ["es"], "website": "https://www.canacocdmx.com.mx",
  "contacts": [{"name": "Luis Ortega", "email": "luis.ortega@example.mx"}]
})";

class ChamberServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::SociodOptions options;
    options.delivery.webhooks = false;
    ASSIGN_OR_FAIL(server_, TestServer::Start(options));
    token_["admin"] = server_->admin_token();
    socio::v1::CreateProfileRequest profile;
    *profile.mutable_profile() = FromJson<Profile>(
        R"({"id": "de-1", "chamberId": "ihk-muc", "name": "Huber Ventiltechnik", "country": "DE",
            "sectors": ["28.14"], "visibility": "FEDERATION"})");
    Profile created;
    ASSERT_RPC_OK(
        server_->profiles().CreateProfile(WithToken(token_["admin"]).get(), profile, &created));
    token_["member"] = server_->IssueToken(socio::v1::MEMBER, "", "de-1");
    // No chamber has a record yet: their staff tokens are issued all the same.
    token_["staff-muc"] = server_->IssueToken(socio::v1::STAFF, "ihk-muc", "");
    token_["staff-mx"] = server_->IssueToken(socio::v1::STAFF, "canaco-mx", "");
    token_["staff-lyon"] = server_->IssueToken(socio::v1::STAFF, "cci-lyon", "");
    chambers_ = socio::v1::ChamberService::NewStub(server_->channel());
    notifications_ = socio::v1::NotificationService::NewStub(server_->channel());
  }

  grpc::Status Create(const std::string& who, const Chamber& chamber, Chamber* out = nullptr,
                      const std::string& request_id = "") {
    socio::v1::CreateChamberRequest r;
    *r.mutable_chamber() = chamber;
    r.set_request_id(request_id);
    Chamber ignored;
    return chambers_->CreateChamber(WithToken(token_[who]).get(), r,
                                    out != nullptr ? out : &ignored);
  }

  grpc::Status Get(const std::string& who, const std::string& id, Chamber* out = nullptr) {
    socio::v1::GetChamberRequest r;
    r.set_id(id);
    Chamber ignored;
    return chambers_->GetChamber(WithToken(token_[who]).get(), r, out != nullptr ? out : &ignored);
  }

  grpc::Status Update(const std::string& who, const Chamber& patch, std::vector<std::string> paths,
                      int64_t expected_version, Chamber* out = nullptr) {
    socio::v1::UpdateChamberRequest r;
    *r.mutable_chamber() = patch;
    for (std::string& path : paths) r.mutable_update_mask()->add_paths(std::move(path));
    r.set_expected_version(expected_version);
    Chamber ignored;
    return chambers_->UpdateChamber(WithToken(token_[who]).get(), r,
                                    out != nullptr ? out : &ignored);
  }

  grpc::Status Propose(const std::string& who, const std::string& chamber,
                       const std::string& partner, ChamberPartner* out = nullptr) {
    socio::v1::ProposePartnerChamberRequest r;
    r.set_chamber_id(chamber);
    r.set_partner_chamber_id(partner);
    r.set_note("Munich's mission to Mexico in March, yours to Munich in the autumn");
    ChamberPartner ignored;
    return chambers_->ProposePartnerChamber(WithToken(token_[who]).get(), r,
                                            out != nullptr ? out : &ignored);
  }

  grpc::Status Accept(const std::string& who, const std::string& chamber,
                      const std::string& partner, ChamberPartner* out = nullptr) {
    socio::v1::AcceptPartnerChamberRequest r;
    r.set_chamber_id(chamber);
    r.set_partner_chamber_id(partner);
    ChamberPartner ignored;
    return chambers_->AcceptPartnerChamber(WithToken(token_[who]).get(), r,
                                           out != nullptr ? out : &ignored);
  }

  grpc::Status End(const std::string& who, const std::string& chamber, const std::string& partner,
                   ChamberPartner* out = nullptr) {
    socio::v1::EndPartnerChamberRequest r;
    r.set_chamber_id(chamber);
    r.set_partner_chamber_id(partner);
    r.set_reason("The exchange programme ended");
    ChamberPartner ignored;
    return chambers_->EndPartnerChamber(WithToken(token_[who]).get(), r,
                                        out != nullptr ? out : &ignored);
  }

  // "<partner> <STATE>" for each link of `chamber`, as `who` lists them.
  std::vector<std::string> Partners(const std::string& who, const std::string& chamber = "") {
    socio::v1::ListPartnerChambersRequest r;
    r.set_chamber_id(chamber);
    socio::v1::ListPartnerChambersResponse out;
    grpc::Status status = chambers_->ListPartnerChambers(WithToken(token_[who]).get(), r, &out);
    EXPECT_TRUE(status.ok()) << who << ": " << status.error_message();
    std::vector<std::string> links;
    for (const ChamberPartner& link : out.partners()) {
      links.push_back(
          absl::StrCat(link.partner_chamber_id(), " ", ChamberPartner::State_Name(link.state())));
    }
    return links;
  }

  // The CHAMBER_PARTNER_* notifications `who` is streamed.
  std::vector<Notification> Told(const std::string& who) {
    std::unique_ptr<grpc::ClientContext> context = WithToken(token_[who], absl::Seconds(1));
    auto reader =
        notifications_->WatchNotifications(context.get(), socio::v1::WatchNotificationsRequest());
    std::vector<Notification> out;
    Notification n;
    while (reader->Read(&n)) {
      if (n.has_chamber_partner()) out.push_back(n);
    }
    reader->Finish().IgnoreError();
    return out;
  }

  std::unique_ptr<TestServer> server_;
  std::map<std::string, std::string> token_;
  std::unique_ptr<socio::v1::ChamberService::Stub> chambers_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
};

TEST_F(ChamberServiceTest, OperatorsCreateEveryoneReadsContactsOnlyForStaffAndOperators) {
  Chamber created;
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich), &created));
  EXPECT_EQ(created.version(), 1);
  EXPECT_TRUE(created.has_create_time());

  for (const char* who : {"admin", "staff-muc", "staff-lyon"}) {
    Chamber seen;
    ASSERT_RPC_OK(Get(who, "ihk-muc", &seen));
    EXPECT_EQ(seen.name(), "IHK München und Oberbayern") << who;
    ASSERT_THAT(seen.contacts(), SizeIs(1)) << who;
    EXPECT_EQ(seen.contacts(0).email(), "anna.huber@example.de") << who;
  }
  Chamber public_entry;
  ASSERT_RPC_OK(Get("member", "ihk-muc", &public_entry));
  EXPECT_EQ(public_entry.website(), "https://www.ihk-muenchen.de");
  EXPECT_THAT(public_entry.languages(), ElementsAre("de", "en"));
  EXPECT_THAT(public_entry.contacts(), IsEmpty());

  // Listing shows the same to members.
  socio::v1::ListChambersResponse listed;
  ASSERT_RPC_OK(chambers_->ListChambers(WithToken(token_["member"]).get(),
                                        socio::v1::ListChambersRequest(), &listed));
  ASSERT_THAT(listed.chambers(), SizeIs(1));
  EXPECT_THAT(listed.chambers(0).contacts(), IsEmpty());

  // Only operators create, and an id is taken once.
  for (const char* who : {"staff-mx", "member"}) {
    EXPECT_EQ(Create(who, FromJson<Chamber>(kMexico)).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << who;
  }
  EXPECT_EQ(Get("admin", "canaco-mx").error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status twice = Create("admin", FromJson<Chamber>(kMunich));
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(twice.error_message(), StartsWith("chamber.id: "));
  // No token, no directory.
  grpc::ClientContext anonymous;
  Chamber ignored;
  socio::v1::GetChamberRequest get;
  get.set_id("ihk-muc");
  EXPECT_EQ(chambers_->GetChamber(&anonymous, get, &ignored).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ChamberServiceTest, ACreateRetriedWithItsRequestIdGetsTheFirstAnswer) {
  Chamber first, again;
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich), &first, "create-muc-1"));
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich), &again, "create-muc-1"));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
}

TEST_F(ChamberServiceTest, ValidationErrorsNameTheFieldAndStoreNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"id": "", "name": "X", "country": "DE"})", "chamber.id: "},
      {R"({"id": "bad id", "name": "X", "country": "DE"})", "chamber.id: "},
      {R"({"id": "c1", "name": " ", "country": "DE"})", "chamber.name: is required"},
      {R"({"id": "c1", "name": "X"})", "chamber.country: is required"},
      {R"({"id": "c1", "name": "X", "country": "DEU"})", "chamber.country: 'DEU'"},
      {R"({"id": "c1", "name": "X", "country": "DE", "languages": ["de", "deu"]})",
       "chamber.languages[1]: 'deu' is not an ISO 639-1 language code"},
      {R"({"id": "c1", "name": "X", "country": "DE", "languages": ["de", "de"]})",
       "chamber.languages[1]: "},
      {R"({"id": "c1", "name": "X", "country": "DE", "contacts": [{"role": "Head"}]})",
       "chamber.contacts[0].name: is required"},
      {R"({"id": "c1", "name": "X", "country": "DE", "contacts": [{"name": "A", "email": "a.example.de"}]})",
       "chamber.contacts[0].email: "},
      {R"({"id": "c1", "name": "X", "country": "DE", "contacts": [{"name": "A", "phone": "call me"}]})",
       "chamber.contacts[0].phone: "},
      {R"({"id": "c1", "name": "X", "country": "DE", "website": "ftp://example.de"})",
       "chamber.website: 'ftp://example.de' is not an http:// or https:// URL"},
      {R"({"id": "c1", "name": "X", "country": "DE", "website": "https://"})", "chamber.website: "},
  };
  for (const auto& [json, message] : cases) {
    grpc::Status status = Create("admin", FromJson<Chamber>(json));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << json;
    EXPECT_THAT(status.error_message(), StartsWith(message)) << json;
  }
  socio::v1::ListChambersResponse listed;
  ASSERT_RPC_OK(chambers_->ListChambers(WithToken(token_["admin"]).get(),
                                        socio::v1::ListChambersRequest(), &listed));
  EXPECT_THAT(listed.chambers(), IsEmpty());
}

TEST_F(ChamberServiceTest, ItsStaffEditTheRecordWithAMaskAndVersions) {
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich)));
  Chamber patch;
  patch.set_id("ihk-muc");
  patch.set_city("Munich");
  patch.set_name("ignored: not in the mask");
  Chamber updated;
  ASSERT_RPC_OK(Update("staff-muc", patch, {"city"}, 1, &updated));
  EXPECT_EQ(updated.city(), "Munich");
  EXPECT_EQ(updated.name(), "IHK München und Oberbayern");
  EXPECT_EQ(updated.version(), 2);

  // A stale version is refused and changes nothing.
  patch.set_city("Muenchen");
  grpc::Status stale = Update("staff-muc", patch, {"city"}, 1);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  // Another chamber's staff and members may not; operators may.
  EXPECT_EQ(Update("staff-mx", patch, {"city"}, 0).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Update("member", patch, {"city"}, 0).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A bad value or a path that cannot be written names it, and nothing changes.
  patch.set_website("www.ihk-muenchen.de");
  EXPECT_THAT(Update("staff-muc", patch, {"website"}, 0).error_message(),
              StartsWith("chamber.website: "));
  EXPECT_THAT(Update("staff-muc", patch, {"city", "version"}, 0).error_message(),
              StartsWith("update_mask.paths[1]: 'version' cannot be written"));
  Chamber seen;
  ASSERT_RPC_OK(Get("member", "ihk-muc", &seen));
  EXPECT_EQ(seen.city(), "Munich");
  EXPECT_EQ(seen.version(), 2);
  ASSERT_RPC_OK(Update("admin", patch, {"city"}, 2, &updated));
  EXPECT_EQ(updated.city(), "Muenchen");
  // Clearing the contacts by naming them.
  Chamber clear;
  clear.set_id("ihk-muc");
  ASSERT_RPC_OK(Update("staff-muc", clear, {"contacts"}, 0, &updated));
  EXPECT_THAT(updated.contacts(), IsEmpty());
}

TEST_F(ChamberServiceTest, OperatorsDeleteARecordAndTheChamberIdStaysValid) {
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich)));
  socio::v1::DeleteChamberRequest r;
  r.set_id("ihk-muc");
  socio::v1::DeleteChamberResponse deleted;
  EXPECT_EQ(
      chambers_->DeleteChamber(WithToken(token_["staff-muc"]).get(), r, &deleted).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  r.set_expected_version(7);
  EXPECT_EQ(chambers_->DeleteChamber(WithToken(token_["admin"]).get(), r, &deleted).error_code(),
            grpc::StatusCode::ABORTED);
  r.set_expected_version(1);
  ASSERT_RPC_OK(chambers_->DeleteChamber(WithToken(token_["admin"]).get(), r, &deleted));
  EXPECT_EQ(deleted.chamber().name(), "IHK München und Oberbayern");
  grpc::Status gone = Get("staff-muc", "ihk-muc");
  EXPECT_EQ(gone.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(gone.error_message(), "id: no chamber record 'ihk-muc'");
  // Its staff's token and its member's profile work on.
  EXPECT_THAT(Partners("staff-muc"), IsEmpty());
  socio::v1::GetProfileRequest get;
  get.set_id("de-1");
  Profile profile;
  ASSERT_RPC_OK(server_->profiles().GetProfile(WithToken(token_["member"]).get(), get, &profile));
  // And a record can be added again later.
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich)));
}

TEST_F(ChamberServiceTest, PartnersOnlyWhenBothAgreeAndTheOtherSideIsTold) {
  // Munich has a record, Mexico City none yet: links need none.
  ASSERT_RPC_OK(Create("admin", FromJson<Chamber>(kMunich)));
  ChamberPartner proposed;
  ASSERT_RPC_OK(Propose("staff-muc", "", "canaco-mx", &proposed));
  EXPECT_EQ(proposed.state(), ChamberPartner::PROPOSED);
  EXPECT_EQ(proposed.chamber_id(), "ihk-muc");
  EXPECT_EQ(proposed.proposer_chamber_id(), "ihk-muc");
  EXPECT_EQ(proposed.proposed_by(), "staff:ihk-muc");
  EXPECT_EQ(proposed.version(), 1);
  EXPECT_THAT(Partners("staff-muc"), ElementsAre("canaco-mx PROPOSED"));
  EXPECT_THAT(Partners("staff-mx"), ElementsAre("ihk-muc PROPOSED"));

  // The proposer cannot accept its own proposal, nor propose it twice; a
  // third chamber cannot accept for Mexico City.
  grpc::Status own = Accept("staff-muc", "", "canaco-mx");
  EXPECT_EQ(own.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(own.error_message(), HasSubstr("only 'canaco-mx' can accept it"));
  EXPECT_EQ(Propose("staff-muc", "", "canaco-mx").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  grpc::Status back = Propose("staff-mx", "", "ihk-muc");
  EXPECT_EQ(back.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(back.error_message(), HasSubstr("accept it instead"));
  EXPECT_EQ(Accept("staff-lyon", "canaco-mx", "ihk-muc").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Accept("member", "canaco-mx", "ihk-muc").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Mexico City's staff were told, in Munich's name.
  std::vector<Notification> mx = Told("staff-mx");
  ASSERT_THAT(mx, SizeIs(1));
  EXPECT_EQ(mx[0].kind(), Notification::CHAMBER_PARTNER_PROPOSED);
  EXPECT_EQ(mx[0].recipient(), "staff:canaco-mx");
  EXPECT_EQ(mx[0].chamber_partner().chamber_id(), "canaco-mx");
  EXPECT_EQ(mx[0].summary(),
            "IHK München und Oberbayern proposes that your chambers become partner chambers");
  EXPECT_THAT(Told("staff-muc"), IsEmpty());

  ChamberPartner accepted;
  ASSERT_RPC_OK(Accept("staff-mx", "", "ihk-muc", &accepted));
  EXPECT_EQ(accepted.state(), ChamberPartner::ACTIVE);
  EXPECT_EQ(accepted.accepted_by(), "staff:canaco-mx");
  EXPECT_EQ(accepted.partner_name(), "IHK München und Oberbayern");
  EXPECT_EQ(accepted.version(), 2);
  EXPECT_THAT(Partners("staff-muc"), ElementsAre("canaco-mx ACTIVE"));
  EXPECT_THAT(Partners("staff-mx"), ElementsAre("ihk-muc ACTIVE"));
  std::vector<Notification> muc = Told("staff-muc");
  ASSERT_THAT(muc, SizeIs(1));
  EXPECT_EQ(muc[0].kind(), Notification::CHAMBER_PARTNER_ACCEPTED);
  EXPECT_EQ(muc[0].chamber_partner().state(), ChamberPartner::ACTIVE);
  EXPECT_EQ(muc[0].summary(), "Chamber canaco-mx accepted: your chambers are partner chambers");
  // Accepting twice is refused.
  EXPECT_EQ(Accept("staff-mx", "", "ihk-muc").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ChamberServiceTest, EitherSideEndsItAndItMayBeProposedAgain) {
  ASSERT_RPC_OK(Propose("admin", "ihk-muc", "canaco-mx"));
  // A proposal declined by the chamber asked.
  ChamberPartner ended;
  ASSERT_RPC_OK(End("staff-mx", "", "ihk-muc", &ended));
  EXPECT_EQ(ended.state(), ChamberPartner::ENDED);
  EXPECT_EQ(ended.ended_by(), "staff:canaco-mx");
  EXPECT_THAT(Partners("staff-muc"), ElementsAre("canaco-mx ENDED"));
  EXPECT_EQ(End("staff-muc", "", "canaco-mx").error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // Proposed again the other way round, accepted, ended by the other side.
  ChamberPartner again;
  ASSERT_RPC_OK(Propose("staff-mx", "", "ihk-muc", &again));
  EXPECT_EQ(again.version(), 3);
  EXPECT_EQ(again.proposer_chamber_id(), "canaco-mx");
  EXPECT_THAT(again.end_reason(), IsEmpty());
  ASSERT_RPC_OK(Accept("staff-muc", "", "canaco-mx"));
  ASSERT_RPC_OK(End("staff-muc", "", "canaco-mx", &ended));
  EXPECT_EQ(ended.end_reason(), "The exchange programme ended");
  EXPECT_THAT(Partners("staff-mx"), ElementsAre("ihk-muc ENDED"));
  // A third chamber cannot end it; an unknown link is NOT_FOUND.
  EXPECT_EQ(End("staff-lyon", "ihk-muc", "canaco-mx").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(End("staff-lyon", "", "ihk-muc").error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ChamberServiceTest, OnlyBothChambersStaffAndOperatorsReadTheLinks) {
  ASSERT_RPC_OK(Propose("staff-muc", "", "canaco-mx"));
  EXPECT_THAT(Partners("admin", "ihk-muc"), ElementsAre("canaco-mx PROPOSED"));
  socio::v1::ListPartnerChambersRequest r;
  r.set_chamber_id("ihk-muc");
  socio::v1::ListPartnerChambersResponse out;
  for (const char* who : {"staff-lyon", "member"}) {
    EXPECT_EQ(chambers_->ListPartnerChambers(WithToken(token_[who]).get(), r, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << who;
  }
  r.clear_chamber_id();
  grpc::Status whose = chambers_->ListPartnerChambers(WithToken(token_["admin"]).get(), r, &out);
  EXPECT_EQ(whose.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(whose.error_message(), StartsWith("chamber_id: "));
  r.set_chamber_id("ihk-muc");
  r.add_states(ChamberPartner::ACTIVE);
  ASSERT_RPC_OK(chambers_->ListPartnerChambers(WithToken(token_["admin"]).get(), r, &out));
  EXPECT_THAT(out.partners(), IsEmpty());
  r.add_states(static_cast<ChamberPartner::State>(9));
  EXPECT_THAT(
      chambers_->ListPartnerChambers(WithToken(token_["admin"]).get(), r, &out).error_message(),
      StartsWith("states[1]: "));
  // A chamber cannot partner itself.
  grpc::Status self = Propose("staff-muc", "", "ihk-muc");
  EXPECT_EQ(self.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(self.error_message(), StartsWith("partner_chamber_id: "));
}

TEST_F(ChamberServiceTest, ListsPageInIdOrderAndFilterByCountry) {
  for (const char* id : {"c-03", "c-01", "c-02"}) {
    Chamber c;
    c.set_id(id);
    c.set_name(absl::StrCat("Chamber ", id));
    c.set_country(std::string(id) == "c-02" ? "MX" : "DE");
    ASSERT_RPC_OK(Create("admin", c));
  }
  socio::v1::ListChambersRequest r;
  r.set_page_size(2);
  socio::v1::ListChambersResponse page;
  ASSERT_RPC_OK(chambers_->ListChambers(WithToken(token_["staff-muc"]).get(), r, &page));
  ASSERT_THAT(page.chambers(), SizeIs(2));
  EXPECT_EQ(page.chambers(0).id(), "c-01");
  EXPECT_EQ(page.chambers(1).id(), "c-02");
  ASSERT_FALSE(page.next_page_token().empty());
  r.set_page_token(page.next_page_token());
  ASSERT_RPC_OK(chambers_->ListChambers(WithToken(token_["staff-muc"]).get(), r, &page));
  ASSERT_THAT(page.chambers(), SizeIs(1));
  EXPECT_EQ(page.chambers(0).id(), "c-03");
  EXPECT_TRUE(page.next_page_token().empty());

  socio::v1::ListChambersRequest mexico;
  mexico.set_country("MX");
  ASSERT_RPC_OK(chambers_->ListChambers(WithToken(token_["member"]).get(), mexico, &page));
  ASSERT_THAT(page.chambers(), SizeIs(1));
  EXPECT_EQ(page.chambers(0).id(), "c-02");
  mexico.set_country("Mexico");
  EXPECT_THAT(
      chambers_->ListChambers(WithToken(token_["member"]).get(), mexico, &page).error_message(),
      StartsWith("country: "));
  socio::v1::ListChambersRequest big;
  big.set_page_size(501);
  EXPECT_THAT(
      chambers_->ListChambers(WithToken(token_["member"]).get(), big, &page).error_message(),
      StartsWith("page_size: "));
}

}  // namespace
}  // namespace socio::testing
