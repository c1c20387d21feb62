// MatchService end to end: a real sociod (RocksDB in a temporary directory,
// gRPC on a loopback port the kernel picks), profiles written through
// ProfileService and matched through MatchService.
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/complementary_profiles.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"

namespace socio::services {
namespace {

using grpc::StatusCode;
using socio::testing::IsOk;
using socio::testing::TestServer;
using socio::v1::FindPartnersRequest;
using socio::v1::FindPartnersResponse;
using socio::v1::Profile;
using ::testing::HasSubstr;

Profile Maker(const std::string& id) { return socio::testing::SeekingMaker(id, "canaco-cdmx"); }

Profile Distributor(const std::string& id) {
  return socio::testing::OfferingDistributor(id, "amcham-texas");
}

class MatchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSIGN_OR_FAIL(server_, TestServer::Start({.dev_insecure = true})); }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  grpc::Status Create(const Profile& p) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = p;
    Profile ignored;
    return server_->profiles().CreateProfile(Context().get(), request, &ignored);
  }

  grpc::Status Find(const FindPartnersRequest& request, FindPartnersResponse* response) {
    return server_->matches().FindPartners(Context().get(), request, response);
  }

  static FindPartnersRequest For(const std::string& member_id) {
    FindPartnersRequest request;
    request.set_member_id(member_id);
    return request;
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(MatchServiceTest, AWriteIsFoundRightAwayWithScoresAndReasons) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  ASSERT_RPC_OK(Create(Distributor("us-1")));  // no wait: visible to the next search
  FindPartnersResponse response;
  ASSERT_RPC_OK(Find(For("mx-1"), &response));
  ASSERT_EQ(response.matches_size(), 1);
  const socio::v1::Match& m = response.matches(0);
  EXPECT_EQ(m.partner_id(), "us-1");
  EXPECT_EQ(m.partner_name(), "Lone Star Foods");
  EXPECT_EQ(m.rank(), 1);
  EXPECT_GT(m.score(), 0.5);
  EXPECT_GT(m.forward_score(), 0);
  EXPECT_GT(m.backward_score(), 0);
  EXPECT_EQ(m.factors_size(), 7);
  EXPECT_FALSE(m.reasons().empty());
  EXPECT_DOUBLE_EQ(response.weights().objective(), 0.35);  // the defaults
  EXPECT_GE(response.index_sequence(), 2u);
}

TEST_F(MatchServiceTest, TheBasicViewHasScoresAndTheStrongestReasonOnly) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  for (int i = 1; i <= 5; ++i) {
    Profile partner = Distributor("us-" + std::to_string(i));
    if (i % 2 == 0) partner.add_languages("es");
    partner.set_employees(10 * i);
    ASSERT_RPC_OK(Create(partner));
  }
  FindPartnersRequest request = For("mx-1");
  FindPartnersResponse full, basic, unspecified;
  ASSERT_RPC_OK(Find(request, &unspecified));
  request.set_view(FindPartnersRequest::FULL);
  ASSERT_RPC_OK(Find(request, &full));
  request.set_view(FindPartnersRequest::BASIC);
  ASSERT_RPC_OK(Find(request, &basic));
  // Without a view: FULL, as before views existed.
  EXPECT_EQ(unspecified.SerializeAsString(), full.SerializeAsString());
  ASSERT_EQ(basic.matches_size(), 5);
  ASSERT_EQ(full.matches_size(), 5);
  for (int r = 0; r < 5; ++r) {
    EXPECT_EQ(basic.matches(r).partner_id(), full.matches(r).partner_id());
    EXPECT_EQ(basic.matches(r).score(), full.matches(r).score());
    EXPECT_EQ(basic.matches(r).forward_score(), full.matches(r).forward_score());
    EXPECT_EQ(basic.matches(r).backward_score(), full.matches(r).backward_score());
    EXPECT_EQ(basic.matches(r).factors_size(), 0);
    ASSERT_EQ(basic.matches(r).reasons_size(), 1);
    EXPECT_GT(full.matches(r).reasons_size(), 1);
    EXPECT_EQ(basic.matches(r).reasons(0), full.matches(r).reasons(0));
  }
  EXPECT_LT(basic.ByteSizeLong() * 2, full.ByteSizeLong());

  request.set_view(static_cast<FindPartnersRequest::View>(9));
  const grpc::Status status = Find(request, &basic);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("view: 9"));
}

TEST_F(MatchServiceTest, BadRequestsNameTheField) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  FindPartnersResponse response;
  EXPECT_EQ(Find(For("nobody"), &response).error_code(), StatusCode::NOT_FOUND);
  FindPartnersRequest request = For("mx-1");
  request.set_k(1001);
  grpc::Status status = Find(request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("k:"));
  request = For("mx-1");
  request.mutable_weights()->set_market(-1);
  status = Find(request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("weights.market"));
  request = For("mx-1");
  request.mutable_filters()->add_countries("USA");
  status = Find(request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("filters.countries[0]"));
  status = Find(FindPartnersRequest(), &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  request = FindPartnersRequest();
  *request.mutable_probe() = Maker("");
  request.mutable_probe()->set_country("XX");
  status = Find(request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("probe.country"));
}

TEST_F(MatchServiceTest, AMalformedIdIsNamedByItsFieldAndHugeWeightsAreFine) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  FindPartnersResponse response;
  grpc::Status status = Find(For("../x"), &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("member_id: '../x'"));
  socio::v1::ExplainMatchRequest explain;
  explain.set_a_id("../x");
  explain.set_b_id("mx-1");
  socio::v1::Match match;
  status = server_->matches().ExplainMatch(Context().get(), explain, &match);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("a_id: '../x'"));
  explain.set_a_id("mx-1");
  explain.set_b_id("../y");
  status = server_->matches().ExplainMatch(Context().get(), explain, &match);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("b_id: "));
  FindPartnersRequest request = For("mx-1");
  request.mutable_weights()->set_objective(1e308);
  request.mutable_weights()->set_market(1e308);
  request.mutable_weights()->set_culture(1e308);
  status = Find(request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(MatchServiceTest, AProbeIsMatchedWithoutBeingStored) {
  ASSERT_RPC_OK(Create(Distributor("us-1")));
  FindPartnersRequest request;
  *request.mutable_probe() = Maker("");
  FindPartnersResponse response;
  ASSERT_RPC_OK(Find(request, &response));
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).partner_id(), "us-1");
}

TEST_F(MatchServiceTest, ExplainGivesTheBreakdownOfOnePair) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  ASSERT_RPC_OK(Create(Distributor("us-1")));
  socio::v1::ExplainMatchRequest request;
  request.set_a_id("mx-1");
  request.set_b_id("us-1");
  socio::v1::Match match;
  ASSERT_RPC_OK(server_->matches().ExplainMatch(Context().get(), request, &match));
  EXPECT_EQ(match.partner_id(), "us-1");
  FindPartnersResponse response;
  ASSERT_RPC_OK(Find(For("mx-1"), &response));
  EXPECT_EQ(match.score(), response.matches(0).score());
  request.set_b_id("mx-1");
  EXPECT_EQ(server_->matches().ExplainMatch(Context().get(), request, &match).error_code(),
            StatusCode::INVALID_ARGUMENT);
  request.set_b_id("nobody");
  EXPECT_EQ(server_->matches().ExplainMatch(Context().get(), request, &match).error_code(),
            StatusCode::NOT_FOUND);
}

// Staff read the reasons about their member, by its name without the legal
// form; the member reads them addressed to it. Both for FindPartners and
// ExplainMatch, which say the same.
TEST(MatchReasonsTest, StaffReadThemAboutTheMemberAndTheMemberReadsThemToItself) {
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> server, TestServer::Start({}));
  for (Profile p : {Maker("mx-1"), Distributor("us-1")}) {
    if (p.id() == "mx-1") p.set_name("Salsas del Bajío S.A. de C.V.");
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = p;
    Profile created;
    ASSERT_RPC_OK(server->profiles().CreateProfile(
        socio::testing::WithToken(server->admin_token()).get(), request, &created));
  }
  const std::string staff = server->IssueToken(socio::v1::STAFF, "canaco-cdmx", "");
  const std::string member = server->IssueToken(socio::v1::MEMBER, "", "mx-1");
  // The reasons `token` reads, from both RPCs.
  const auto reasons_for = [&](const std::string& token) {
    FindPartnersRequest find;
    find.set_member_id("mx-1");
    FindPartnersResponse found;
    grpc::Status status =
        server->matches().FindPartners(socio::testing::WithToken(token).get(), find, &found);
    EXPECT_TRUE(status.ok()) << status.error_message();
    socio::v1::ExplainMatchRequest explain;
    explain.set_a_id("mx-1");
    explain.set_b_id("us-1");
    socio::v1::Match explained;
    status =
        server->matches().ExplainMatch(socio::testing::WithToken(token).get(), explain, &explained);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(found.matches_size(), 1);
    std::vector<std::string> reasons(explained.reasons().begin(), explained.reasons().end());
    if (found.matches_size() == 1) {
      EXPECT_THAT(found.matches(0).reasons(), ::testing::ElementsAreArray(reasons));
    }
    return reasons;
  };
  const std::vector<std::string> about = reasons_for(staff);
  EXPECT_THAT(about, ::testing::Contains(
                         ::testing::StartsWith("Salsas del Bajío seeks a distributor for ")));
  EXPECT_THAT(about, ::testing::Contains("They are in the United States, one of Salsas del Bajío's "
                                         "target markets."));
  for (const std::string& reason : about) {
    EXPECT_THAT(reason,
                ::testing::Not(::testing::ContainsRegex("(^|[^a-z])(you|You|your|Your)[^a-z]")))
        << reason;
  }
  const std::vector<std::string> to = reasons_for(member);
  EXPECT_THAT(to, ::testing::Contains(::testing::StartsWith("You seek a distributor")));
  EXPECT_EQ(to.size(), about.size());
}

TEST_F(MatchServiceTest, AChambersPolicyRanksItsMembersMatchesAndSurvivesARestart) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  ASSERT_RPC_OK(Create(Distributor("us-1")));
  socio::v1::SetMatchPolicyRequest set;
  set.mutable_policy()->set_chamber_id("canaco-cdmx");
  set.mutable_policy()->mutable_weights()->set_market(1);
  socio::v1::MatchPolicy stored;
  ASSERT_RPC_OK(server_->matches().SetMatchPolicy(Context().get(), set, &stored));
  EXPECT_EQ(stored.version(), 1);
  set.set_expected_version(7);
  EXPECT_EQ(server_->matches().SetMatchPolicy(Context().get(), set, &stored).error_code(),
            StatusCode::ABORTED);

  FindPartnersResponse response;
  ASSERT_RPC_OK(Find(For("mx-1"), &response));
  EXPECT_EQ(response.weights().market(), 1);
  EXPECT_EQ(response.weights().objective(), 0);
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).forward_score(), 1);  // the US is its target market

  // A restart rebuilds the index from RocksDB and keeps the policy.
  ASSERT_THAT(server_->Restart(), IsOk());
  ASSERT_RPC_OK(Find(For("mx-1"), &response));
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).partner_id(), "us-1");
  EXPECT_EQ(response.weights().market(), 1);
  socio::v1::GetMatchPolicyRequest get;
  get.set_chamber_id("amcham-texas");
  ASSERT_RPC_OK(server_->matches().GetMatchPolicy(Context().get(), get, &stored));
  EXPECT_EQ(stored.version(), 0);  // never set: the defaults
  EXPECT_DOUBLE_EQ(stored.weights().objective(), 0.35);
}

TEST_F(MatchServiceTest, DeletedAndHiddenProfilesLeaveTheResults) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  ASSERT_RPC_OK(Create(Distributor("us-1")));
  socio::v1::UpdateProfileRequest update;
  update.mutable_profile()->set_id("us-1");
  update.mutable_profile()->set_visibility(Profile::PRIVATE);
  update.mutable_update_mask()->add_paths("visibility");
  Profile updated;
  ASSERT_RPC_OK(server_->profiles().UpdateProfile(Context().get(), update, &updated));
  FindPartnersResponse response;
  ASSERT_RPC_OK(Find(For("mx-1"), &response));
  EXPECT_EQ(response.matches_size(), 0);
}

TEST_F(MatchServiceTest, ScorePairsScoresEveryPairAsFindPartnersRanksThem) {
  ASSERT_RPC_OK(Create(Maker("mx-1")));
  ASSERT_RPC_OK(Create(Distributor("us-1")));
  Profile hidden = Distributor("us-2");
  hidden.set_visibility(Profile::PRIVATE);  // another chamber's: never found, still scored
  ASSERT_RPC_OK(Create(hidden));
  FindPartnersResponse found;
  ASSERT_RPC_OK(Find(For("mx-1"), &found));
  ASSERT_EQ(found.matches_size(), 1);
  ASSERT_EQ(found.matches(0).partner_id(), "us-1");

  socio::v1::ScorePairsRequest request;
  request.add_a_ids("mx-1");
  request.add_a_ids("us-1");
  request.add_b_ids("us-1");
  request.add_b_ids("mx-1");
  request.add_b_ids("us-2");
  *request.mutable_weights() = found.weights();
  socio::v1::ScorePairsResponse response;
  ASSERT_RPC_OK(server_->matches().ScorePairs(Context().get(), request, &response));
  ASSERT_EQ(response.scores_size(), 6);  // row-major, 2 x 3
  EXPECT_EQ(response.scores(0), found.matches(0).score());
  EXPECT_EQ(response.scores(1), 0);  // a profile with itself
  EXPECT_GT(response.scores(2), 0);
  EXPECT_EQ(response.scores(3), 0);
  EXPECT_GT(response.scores(4), 0);
  EXPECT_GE(response.index_sequence(), 3u);

  const auto status_of = [&](const socio::v1::ScorePairsRequest& bad) {
    socio::v1::ScorePairsResponse ignored;
    return server_->matches().ScorePairs(Context().get(), bad, &ignored);
  };
  socio::v1::ScorePairsRequest bad = request;
  bad.clear_a_ids();
  grpc::Status status = status_of(bad);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("a_ids"));
  bad = request;
  bad.clear_weights();
  status = status_of(bad);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("weights"));
  bad = request;
  bad.mutable_weights()->set_market(-1);
  status = status_of(bad);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("weights.market"));
  bad = request;
  bad.add_b_ids("nobody");
  status = status_of(bad);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("'nobody'"));
  bad = request;
  bad.clear_a_ids();
  bad.clear_b_ids();
  for (int i = 0; i < 1001; ++i) bad.add_a_ids("mx-1");
  for (int i = 0; i < 1000; ++i) bad.add_b_ids("us-1");
  status = status_of(bad);  // 1,001,000 pairs
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("at most 1000000"));
}

}  // namespace
}  // namespace socio::services
