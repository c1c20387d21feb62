// LocalPartnerSource and RemotePartnerSource over the same data: the same
// generated profiles and policy written to two RocksDB directories, one read
// in-process, the other served by a real sociod on a loopback port. Both give
// the same answers and fail with the same codes; a whole delegation plan made
// through either is the same.
#include "services/partner_source.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/profile_generator.h"
#include "clients/channel.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "planner/delegation_plan.h"
#include "services/access.h"
#include "services/index_follower.h"
#include "storage/database.h"
#include "storage/delegation_store.h"
#include "storage/match_policy_store.h"
#include "storage/profile_store.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace socio::services {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestServer;
using socio::v1::FactorWeights;
using socio::v1::Match;
using socio::v1::MatchFilters;
using socio::v1::Profile;
using ::testing::HasSubstr;

constexpr int kProfiles = 2000;
constexpr char kPolicyChamber[] = "ihk-muenchen";

std::vector<std::string> Printed(const std::vector<Match>& matches) {
  std::vector<std::string> out;
  for (const Match& m : matches) out.push_back(m.ShortDebugString());
  return out;
}

// The profiles and the policy, written the same way into a data directory.
void WriteData(const std::string& dir, std::vector<Profile> profiles) {
  ASSIGN_OR_FAIL(std::shared_ptr<storage::Database> database, storage::Database::Open(dir, {}));
  ASSIGN_OR_FAIL(
      std::unique_ptr<storage::ProfileStore> store,
      storage::ProfileStore::Open(
          database, {.sync_writes = false, .reference = socio::testing::TestReference()}));
  for (const auto& result : store->PutMany(&profiles, /*upsert=*/false)) {
    ASSERT_THAT(result.status(), IsOk());
  }
  ASSIGN_OR_FAIL(std::unique_ptr<storage::MatchPolicyStore> policies,
                 storage::MatchPolicyStore::Open(database, {.sync_writes = false}));
  socio::v1::MatchPolicy policy;
  policy.set_chamber_id(kPolicyChamber);
  FactorWeights* w = policy.mutable_weights();
  w->set_objective(2);
  w->set_market(1);
  w->set_sector(1);
  w->set_culture(0.5);
  ASSERT_THAT(policies->Put(policy, 0).status(), IsOk());
}

class PartnerSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bench::ProfileGenerator generator({.seed = 7});
    for (int i = 0; i < kProfiles; ++i) profiles_.push_back(generator.Next());
    ASSERT_NO_FATAL_FAILURE(WriteData(dir_.Join("remote"), profiles_));
    ASSERT_NO_FATAL_FAILURE(WriteData(dir_.Join("local"), profiles_));

    ASSIGN_OR_FAIL(database_, storage::Database::Open(dir_.Join("local"), {}));
    ASSIGN_OR_FAIL(store_, storage::ProfileStore::Open(
                               database_, {.sync_writes = false, .reference = reference_}));
    ASSIGN_OR_FAIL(policies_, storage::MatchPolicyStore::Open(database_, {.sync_writes = false}));
    follower_ =
        std::make_unique<IndexFollower>(store_.get(), &index_, nullptr, IndexFollowerOptions{});
    ASSERT_THAT(follower_->Start(), IsOk());
    local_ =
        std::make_unique<LocalPartnerSource>(LocalPartnerSourceParts{.profiles = store_.get(),
                                                                     .policies = policies_.get(),
                                                                     .index = &index_,
                                                                     .feed = follower_.get(),
                                                                     .tables = tables_});

    ASSIGN_OR_FAIL(server_,
                   TestServer::Start({.data_dir = dir_.Join("remote"), .dev_insecure = true}));
    auto channel = clients::Channel::Open({.address = server_->address()});
    remote_ = std::make_unique<RemotePartnerSource>(channel, channel);
  }

  // Every answer of `a` and `b` for `member`, side by side.
  void ExpectSameAnswers(const std::string& member) {
    SCOPED_TRACE(member);
    ASSIGN_OR_FAIL(Profile local_profile, local_->GetProfile(member));
    ASSIGN_OR_FAIL(Profile remote_profile, remote_->GetProfile(member));
    for (Profile* p : {&local_profile, &remote_profile}) {
      p->clear_create_time();  // the moments of the two writes
      p->clear_update_time();
      p->clear_handle();  // each store draws its own
    }
    EXPECT_EQ(local_profile.ShortDebugString(), remote_profile.ShortDebugString());
    ASSIGN_OR_FAIL(FactorWeights local_weights, local_->ChamberWeights(member_chamber(member)));
    ASSIGN_OR_FAIL(FactorWeights remote_weights, remote_->ChamberWeights(member_chamber(member)));
    EXPECT_EQ(local_weights.ShortDebugString(), remote_weights.ShortDebugString());

    for (const MatchFilters& f : {MatchFilters(), CountryFilter(local_profile)}) {
      ASSIGN_OR_FAIL(std::vector<Match> local, local_->FindPartners(member, f, 20, local_weights));
      ASSIGN_OR_FAIL(std::vector<Match> remote,
                     remote_->FindPartners(member, f, 20, local_weights));
      EXPECT_EQ(Printed(local), Printed(remote));
      for (size_t i = 0; i < std::min<size_t>(3, local.size()); ++i) {
        ASSIGN_OR_FAIL(Match local_why,
                       local_->Explain(member, local[i].partner_id(), local_weights));
        ASSIGN_OR_FAIL(Match remote_why,
                       remote_->Explain(member, local[i].partner_id(), local_weights));
        EXPECT_EQ(local_why.ShortDebugString(), remote_why.ShortDebugString());
      }
    }
  }

  // Partners in the member's target markets, or anywhere if it names none.
  static MatchFilters CountryFilter(const Profile& member) {
    MatchFilters filters;
    *filters.mutable_countries() = member.target_markets();
    return filters;
  }

  std::string member_chamber(const std::string& id) const {
    for (const Profile& p : profiles_) {
      if (p.id() == id) return p.chamber_id();
    }
    return "";
  }

  std::vector<std::string> Ids(int first, int count) const {
    std::vector<std::string> out;
    for (int i = first; i < first + count; ++i) out.push_back(profiles_[i].id());
    return out;
  }

  TempDir dir_;
  std::shared_ptr<const reference::ReferenceData> reference_ = socio::testing::TestReference();
  std::shared_ptr<const matcher::ScoringTables> tables_ =
      std::make_shared<matcher::ScoringTables>(reference_);
  std::vector<Profile> profiles_;
  std::shared_ptr<storage::Database> database_;
  std::unique_ptr<storage::ProfileStore> store_;
  std::unique_ptr<storage::MatchPolicyStore> policies_;
  matcher::MatchIndex index_{tables_};
  std::unique_ptr<IndexFollower> follower_;
  std::unique_ptr<LocalPartnerSource> local_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<RemotePartnerSource> remote_;
};

TEST_F(PartnerSourceTest, RemoteAnswersAsLocalDoes) {
  for (int i = 0; i < kProfiles; i += 97)
    ASSERT_NO_FATAL_FAILURE(ExpectSameAnswers(profiles_[i].id()));
  // A member of the chamber with a policy: scored with it on both sides.
  for (const Profile& p : profiles_) {
    if (p.chamber_id() != kPolicyChamber) continue;
    ASSIGN_OR_FAIL(FactorWeights weights, remote_->ChamberWeights(kPolicyChamber));
    EXPECT_EQ(weights.objective(), 2);
    ASSERT_NO_FATAL_FAILURE(ExpectSameAnswers(p.id()));
    break;
  }

  const std::vector<std::string> a = Ids(0, 7), b = Ids(100, 60);
  ASSIGN_OR_FAIL(FactorWeights weights, local_->ChamberWeights("any-chamber"));
  ASSIGN_OR_FAIL(std::vector<double> local, local_->PairScores(a, b, weights));
  ASSIGN_OR_FAIL(std::vector<double> remote, remote_->PairScores(a, b, weights));
  EXPECT_EQ(local.size(), a.size() * b.size());
  EXPECT_EQ(local, remote);
  ASSIGN_OR_FAIL(std::vector<double> none, remote_->PairScores(a, {}, weights));
  EXPECT_TRUE(none.empty());
}

TEST_F(PartnerSourceTest, ManyPairsAreScoredInSeveralRequests) {
  // 140 x 2000 pairs: more than one request's worth (262,144).
  const std::vector<std::string> a = Ids(0, 140), b = Ids(0, kProfiles);
  ASSIGN_OR_FAIL(FactorWeights weights, local_->ChamberWeights("any-chamber"));
  ASSIGN_OR_FAIL(std::vector<double> local, local_->PairScores(a, b, weights));
  ASSIGN_OR_FAIL(std::vector<double> remote, remote_->PairScores(a, b, weights));
  ASSERT_EQ(remote.size(), a.size() * b.size());
  EXPECT_EQ(local, remote);
}

TEST_F(PartnerSourceTest, ErrorsPassThroughWithTheirCodes) {
  ASSIGN_OR_FAIL(FactorWeights weights, local_->ChamberWeights("any-chamber"));
  const std::string member = profiles_[0].id();
  for (const PartnerSource* source :
       std::vector<const PartnerSource*>{local_.get(), remote_.get()}) {
    SCOPED_TRACE(source == local_.get() ? "local" : "remote");
    EXPECT_THAT(source->GetProfile("nobody"), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(source->ChamberWeights(""),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chamber_id")));
    EXPECT_THAT(source->FindPartners("nobody", {}, 20, weights),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'nobody'")));
    MatchFilters bad_country;
    bad_country.add_countries("USA");
    EXPECT_THAT(source->FindPartners(member, bad_country, 20, weights),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filters.countries[0]")));
    EXPECT_THAT(source->FindPartners(member, {}, 1001, weights),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("k:")));
    FactorWeights negative = weights;
    negative.set_market(-1);
    EXPECT_THAT(source->FindPartners(member, {}, 20, negative),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weights.market")));
    EXPECT_THAT(source->PairScores({member}, {"nobody"}, weights),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'nobody'")));
    EXPECT_THAT(source->PairScores({member}, {member}, negative),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weights.market")));
    EXPECT_THAT(source->Explain(member, "nobody", weights),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'nobody'")));
  }
  // A matcher that is gone: UNAVAILABLE, not a hang.
  server_->Stop();
  EXPECT_THAT(remote_->FindPartners(member, {}, 20, weights),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(PartnerSourceTest, APlanIsTheSameThroughEitherSource) {
  // Delegates: members of the first profile's country; hosts: the filter's
  // pick in the busiest city of another country.
  const std::string origin = profiles_[0].country();
  std::vector<std::string> delegates;
  std::map<std::pair<std::string, std::string>, int> cities;
  for (const Profile& p : profiles_) {
    if (p.country() == origin) {
      if (delegates.size() < 6) delegates.push_back(p.id());
    } else if (!p.city().empty()) {
      ++cities[{p.country(), p.city()}];
    }
  }
  std::pair<std::string, std::string> host_city;
  int most = 0;
  for (const auto& [city, count] : cities) {
    if (count > most) std::tie(most, host_city) = std::tie(count, city);
  }
  std::string json = absl::StrCat(
      R"({"id": "m1", "chamberId": ")", member_chamber(delegates[0]),
      R"(", "name": "Mission", "originCountry": ")", origin, R"(", "hostCountry": ")",
      host_city.first, R"(", "days": [{"date": "2027-03-29", "city": ")", host_city.second,
      R"(", "startTime": "09:00", "endTime": "13:00", "tables": 3}], "meetingMinutes": 30,
      "breakMinutes": 10, "hostFilter": {"maxHosts": 12}, "delegates": [)");
  for (size_t i = 0; i < delegates.size(); ++i) {
    absl::StrAppend(&json, i ? ", " : "", R"({"memberId": ")", delegates[i], R"("})");
  }
  absl::StrAppend(&json, "]}");
  socio::v1::Delegation delegation;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &delegation).ok()) << json;
  ASSIGN_OR_FAIL(std::unique_ptr<storage::DelegationStore> delegations,
                 storage::DelegationStore::Open(database_, {.reference = reference_}));
  ASSIGN_OR_FAIL(socio::v1::Delegation stored, delegations->Create(delegation));

  ASSIGN_OR_FAIL(FactorWeights weights, local_->ChamberWeights(stored.chamber_id()));
  const CallerAccess staff(ChamberStaff(stored.chamber_id()));
  planner::PlanningInputs inputs{.source = local_.get(),
                                 .reference = reference_.get(),
                                 .weights = weights,
                                 .now = absl::Now()};
  ASSIGN_OR_FAIL(socio::v1::DelegationPlan local,
                 planner::MakePlan(stored, /*fresh=*/true, staff, inputs));
  inputs.source = remote_.get();
  ASSIGN_OR_FAIL(socio::v1::DelegationPlan remote,
                 planner::MakePlan(stored, /*fresh=*/true, staff, inputs));
  EXPECT_GT(local.meetings_size(), 0);
  EXPECT_FALSE(local.meetings(0).reasons().empty());
  EXPECT_EQ(local.ShortDebugString(), remote.ShortDebugString());
}

// A ProfileService that only records what GetProfile was sent.
class RecordingProfiles final : public socio::v1::ProfileService::Service {
 public:
  grpc::Status GetProfile(grpc::ServerContext* context, const socio::v1::GetProfileRequest*,
                          Profile*) override {
    absl::MutexLock lock(&mu_);
    auto it = context->client_metadata().find("authorization");
    authorization_ = it == context->client_metadata().end()
                         ? "(none)"
                         : std::string(it->second.data(), it->second.size());
    deadline_left_ = absl::FromChrono(context->deadline()) - absl::Now();
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no profile 'x'");
  }
  std::string authorization() {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }
  absl::Duration deadline_left() {
    absl::MutexLock lock(&mu_);
    return deadline_left_;
  }

 private:
  absl::Mutex mu_;
  std::string authorization_;
  absl::Duration deadline_left_;
};

TEST(RemotePartnerSourceCallsTest, SendTheTokenAndTheDeadline) {
  RecordingProfiles profiles;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&profiles);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  const std::string address = absl::StrCat("127.0.0.1:", port);
  auto channel =
      clients::Channel::Open({.address = address, .token = "s3cret", .deadline = absl::Seconds(3)});
  RemotePartnerSource with_token(channel, channel);
  EXPECT_THAT(with_token.GetProfile("x"), StatusIs(absl::StatusCode::kNotFound, "no profile 'x'"));
  EXPECT_EQ(profiles.authorization(), "Bearer s3cret");
  EXPECT_GT(profiles.deadline_left(), absl::Seconds(1));
  EXPECT_LE(profiles.deadline_left(), absl::Seconds(3.5));  // the clocks' rounding

  auto anonymous = clients::Channel::Open({.address = address});
  RemotePartnerSource without(anonymous, anonymous);
  EXPECT_THAT(without.GetProfile("x"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(profiles.authorization(), "(none)");
  EXPECT_GT(profiles.deadline_left(), absl::Seconds(28));  // the default, 30 s
  server->Shutdown();
}

}  // namespace
}  // namespace socio::services
