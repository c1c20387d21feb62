// sociod's cluster mode end to end: three etcd members and sociod nodes
// (sociod --store etcd) as child processes on loopback, tokens on. The
// starts sociod refuses; one operator token for the whole cluster; tokens,
// profiles, the match index, the change stream and match policies written
// through one node and served by another; chambers and their notifications,
// delivered by one node at a time and by another once it is killed; meeting
// requests sent through one node and answered through the other, and a
// partnership made of the meeting; the
// services whose records are not replicated yet refusing after
// authentication; a node added to a cluster that holds records, and one
// killed with SIGKILL and restarted.
//
// One etcd cluster and two nodes serve every test of SociodClusterTest
// (started once, in SetUpTestSuite); each test writes ids of its own.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/channel.h"
#include "clients/import_stream.h"
#include "clients/profile_client.h"
#include "gateway/gateway.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
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
#include "tests/support/complementary_profiles.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/process.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/token_calls.h"

namespace socio::services {
namespace {

using google::protobuf::util::MessageDifferencer;
using grpc::StatusCode;
using socio::testing::ChildProcess;
using socio::testing::EtcdAvailable;
using socio::testing::EtcdCluster;
using socio::testing::kEtcdMissing;
using socio::testing::TempDir;
using socio::testing::WithToken;
using socio::v1::AdminService;
using socio::v1::MatchService;
using socio::v1::Profile;
using socio::v1::ProfileChange;
using socio::v1::ProfileService;
using ::testing::HasSubstr;

// What every node is started with besides its data directory.
std::vector<std::string> NodeFlags(const std::string& etcd_endpoints) {
  return {"--store", "etcd", "--etcd_endpoints", etcd_endpoints,
          // The bilingual lexicon takes seconds to load under the sanitizers
          // and plays no part in what is tested here.
          "--dictionary_dir", "", "--grace_seconds", "2"};
}

// One sociod node and where it serves.
struct Node {
  std::unique_ptr<ChildProcess> process;
  std::string data_dir;
  std::string address;
  std::shared_ptr<grpc::Channel> channel;

  std::unique_ptr<AdminService::Stub> admin() const { return AdminService::NewStub(channel); }
  std::unique_ptr<ProfileService::Stub> profiles() const {
    return ProfileService::NewStub(channel);
  }
  std::unique_ptr<MatchService::Stub> matches() const { return MatchService::NewStub(channel); }
};

// Starts a node on `data_dir` (created if missing), its output going to
// `output_prefix`.out/.err; returns once it serves.
absl::StatusOr<Node> StartNode(const std::string& data_dir, const std::string& output_prefix,
                               const std::string& etcd_endpoints) {
  Node node;
  node.data_dir = data_dir;
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = socio::testing::StartSociod(
      data_dir, output_prefix, &node.address, NodeFlags(etcd_endpoints));
  if (!process.ok()) return process.status();
  node.process = *std::move(process);
  node.channel = grpc::CreateChannel(node.address, grpc::InsecureChannelCredentials());
  return node;
}

// The first line of `path`; "" if there is none.
std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Asks `done` every 20 ms until it says yes; whether it did within `timeout`.
bool Eventually(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time give_up = absl::Now() + timeout;
  for (;;) {
    if (done()) return true;
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

// A company seeking distributors for food in the US, and one offering it.
Profile Seeker(const std::string& id, const std::string& chamber) {
  return socio::testing::SeekingMaker(id, chamber);
}
Profile Distributor(const std::string& id, const std::string& chamber) {
  return socio::testing::OfferingDistributor(id, chamber);
}

grpc::Status Create(const Node& node, const std::string& token, const Profile& profile,
                    Profile* created) {
  socio::v1::CreateProfileRequest request;
  *request.mutable_profile() = profile;
  return node.profiles()->CreateProfile(WithToken(token).get(), request, created);
}

grpc::Status Get(const Node& node, const std::string& token, const std::string& id,
                 Profile* profile) {
  socio::v1::GetProfileRequest request;
  request.set_id(id);
  return node.profiles()->GetProfile(WithToken(token).get(), request, profile);
}

grpc::Status WhoAmI(const Node& node, const std::string& token, socio::v1::TokenInfo* info) {
  return node.admin()->WhoAmI(WithToken(token).get(), {}, info);
}

// The consistency token an answer carried in its trailing metadata; 0 when
// it carried none, -1 when it carried one that is not a positive number.
int64_t TokenOf(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find("socio-consistency-token");
  if (it == trailers.end()) return 0;
  int64_t token = 0;
  if (!absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &token) ||
      token <= 0) {
    return -1;
  }
  return token;
}

// Every profile `token` may list on `node`, in id order, or the error.
absl::StatusOr<std::vector<Profile>> ListAll(const Node& node, const std::string& token) {
  std::vector<Profile> all;
  socio::v1::ListProfilesRequest request;
  request.set_page_size(500);
  do {
    socio::v1::ListProfilesResponse page;
    grpc::Status status = node.profiles()->ListProfiles(WithToken(token).get(), request, &page);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    }
    all.insert(all.end(), page.profiles().begin(), page.profiles().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

// What a WatchProfiles stream gave: its changes, and how it ended when it
// ended by itself.
struct Watched {
  std::vector<ProfileChange> changes;
  grpc::Status end;
};

// Watches `node` after `after_sequence` until a change of every id in `ids`
// came, the stream ended, or 20 s passed.
Watched Watch(const Node& node, const std::string& token, uint64_t after_sequence,
              std::set<std::string> ids) {
  Watched watched;
  auto context = WithToken(token, absl::Seconds(20));
  socio::v1::WatchProfilesRequest request;
  request.set_after_sequence(after_sequence);
  std::unique_ptr<grpc::ClientReader<ProfileChange>> reader =
      node.profiles()->WatchProfiles(context.get(), request);
  ProfileChange change;
  while (!ids.empty() && reader->Read(&change)) {
    ids.erase(change.profile().id());
    watched.changes.push_back(change);
  }
  if (ids.empty()) context->TryCancel();
  watched.end = reader->Finish();
  if (ids.empty()) watched.end = grpc::Status::OK;
  return watched;
}

// The sequence number of each id's CREATED change in `changes`.
std::map<std::string, uint64_t> CreateSequences(const std::vector<ProfileChange>& changes) {
  std::map<std::string, uint64_t> sequences;
  for (const ProfileChange& change : changes) {
    if (change.kind() == ProfileChange::CREATED) {
      sequences[change.profile().id()] = change.sequence();
    }
  }
  return sequences;
}

// Starting sociod with flags that do not make a cluster node. No etcd runs.
class SociodClusterStartTest : public ::testing::Test {
 protected:
  // Runs sociod with `flags` on a fresh data directory and expects it to
  // exit non-zero within `limit` with `needle` on stderr; returns stderr.
  std::string ExpectRefused(const std::vector<std::string>& flags, const std::string& needle,
                            absl::Duration limit = absl::Seconds(10)) {
    std::vector<std::string> argv = {socio::testing::BuiltBinary("services/sociod"),
                                     "--data_dir",
                                     dir_.Join(absl::StrCat("db-", ++runs_)),
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--dictionary_dir",
                                     ""};
    argv.insert(argv.end(), flags.begin(), flags.end());
    const absl::Time start = absl::Now();
    absl::StatusOr<std::unique_ptr<ChildProcess>> process =
        ChildProcess::Start(argv, dir_.Join(absl::StrCat("run-", runs_)));
    EXPECT_TRUE(process.ok()) << process.status();
    if (!process.ok()) return "";
    absl::StatusOr<std::string> line = (*process)->WaitForStderrLine(needle, limit);
    EXPECT_TRUE(line.ok()) << line.status();
    // Waits for the exit: no stderr line holds a newline, so this returns
    // FAILED_PRECONDITION when the process ends, DEADLINE_EXCEEDED if it
    // still runs at `limit` (then it is killed and counted as not refused).
    (void)(*process)->WaitForStderrLine("\n", limit - (absl::Now() - start));
    (*process)->Signal(SIGKILL);
    const int exit_status = (*process)->Wait();
    EXPECT_NE(exit_status, 0) << (*process)->Stderr();
    EXPECT_NE(exit_status, 128 + SIGKILL)
        << "still running after " << limit << ": " << (*process)->Stderr();
    EXPECT_LT(absl::Now() - start, limit);
    return (*process)->Stderr();
  }

  TempDir dir_;
  int runs_ = 0;
};

TEST_F(SociodClusterStartTest, RefusesFlagsThatDoNotMakeANode) {
  EXPECT_THAT(ExpectRefused({"--store", "etcd"}, "etcd_endpoints"),
              HasSubstr("--store etcd needs the etcd members' client addresses"));
  EXPECT_THAT(
      ExpectRefused({"--store", "etcd", "--etcd_endpoints", "127.0.0.1:2379", "--role", "matcher"},
                    "role"),
      HasSubstr("'matcher' is for the embedded store"));
  EXPECT_THAT(ExpectRefused({"--etcd_endpoints", "127.0.0.1:2379"}, "etcd_endpoints"),
              HasSubstr("only with --store etcd"));
  EXPECT_THAT(ExpectRefused({"--store", "etcd", "--etcd_endpoints", "http://127.0.0.1:2379"},
                            "etcd_endpoints"),
              HasSubstr("'http://127.0.0.1:2379' is not host:port"));
  EXPECT_THAT(ExpectRefused({"--store", "foo"}, "--store"), HasSubstr("foo"));
}

TEST_F(SociodClusterStartTest, EtcdNobodyServesEndsTheStartUnavailableNamingTheEndpoint) {
  // Nothing listens on port 1 of the loopback address: connections are refused.
  const std::string stderr_text = ExpectRefused(
      {"--store", "etcd", "--etcd_endpoints", "127.0.0.1:1"}, "UNAVAILABLE", absl::Seconds(30));
  EXPECT_THAT(stderr_text, HasSubstr("etcd at 127.0.0.1:1"));
  EXPECT_THAT(stderr_text, ::testing::Not(HasSubstr("serving on")));
}

// Two nodes on one three-member etcd cluster, tokens on, shared by the tests.
class SociodClusterTest : public ::testing::Test {
 protected:
  struct Shared {
    TempDir dir;
    std::unique_ptr<EtcdCluster> etcd;
    Node nodes[2];
    std::string operator_token;  // from the first node's admin.token
    absl::Status started;        // why SetUpTestSuite failed, if it did
    int starts = 0;              // node starts so far, to name their output
  };

  static void SetUpTestSuite() {
    if (!EtcdAvailable()) return;
    shared_ = new Shared;
    absl::StatusOr<std::unique_ptr<EtcdCluster>> etcd = EtcdCluster::Start({.members = 3});
    if (!etcd.ok()) {
      shared_->started = etcd.status();
      return;
    }
    shared_->etcd = *std::move(etcd);
    // One after the other: the second finds the first one's operator token.
    for (int i = 0; i < 2; ++i) {
      absl::StatusOr<Node> node = StartNamedNode(absl::StrCat("node", i + 1));
      if (!node.ok()) {
        shared_->started = node.status();
        return;
      }
      shared_->nodes[i] = *std::move(node);
    }
    shared_->operator_token = FirstLine(shared_->nodes[0].data_dir + "/admin.token");
  }

  static void TearDownTestSuite() {
    if (shared_ == nullptr) return;
    for (Node& node : shared_->nodes) {
      if (node.process == nullptr) continue;
      node.process->Signal(SIGTERM);
      EXPECT_EQ(node.process->Wait(), 0) << node.process->Stderr();
    }
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSERT_TRUE(shared_->started.ok()) << shared_->started;
    ASSERT_FALSE(shared_->operator_token.empty()) << "the first node wrote no admin.token";
  }

  // Starts another node on the shared etcd cluster, on the data directory
  // `name` (kept across restarts of the same name).
  static absl::StatusOr<Node> StartNamedNode(const std::string& name) {
    return StartNode(shared_->dir.Join(name),
                     shared_->dir.Join(absl::StrCat(name, "-", ++shared_->starts)),
                     shared_->etcd->ClientAddresses());
  }

  static const Node& node1() { return shared_->nodes[0]; }
  static const Node& node2() { return shared_->nodes[1]; }
  static const std::string& op() { return shared_->operator_token; }

  static Shared* shared_;
};

SociodClusterTest::Shared* SociodClusterTest::shared_ = nullptr;

TEST_F(SociodClusterTest, OneOperatorTokenIsWrittenAndServesEveryNode) {
  EXPECT_TRUE(std::filesystem::exists(node1().data_dir + "/admin.token"));
  EXPECT_FALSE(std::filesystem::exists(node2().data_dir + "/admin.token"))
      << "the second node issued an operator token of its own";
  EXPECT_THAT(node2().process->Stderr(), ::testing::Not(HasSubstr("no operator token existed")));

  for (const Node* node : {&node1(), &node2()}) {
    socio::v1::TokenInfo who;
    ASSERT_RPC_OK(WhoAmI(*node, op(), &who));
    EXPECT_EQ(who.role(), socio::v1::ADMIN);
    socio::v1::ListTokensResponse tokens;
    ASSERT_RPC_OK(node->admin()->ListTokens(WithToken(op()).get(), {}, &tokens));
    int admins = 0;
    for (const socio::v1::TokenInfo& t : tokens.tokens()) {
      if (t.role() == socio::v1::ADMIN && !t.has_revoked_time()) ++admins;
    }
    EXPECT_EQ(admins, 1) << tokens.DebugString();
  }
}

TEST_F(SociodClusterTest, TokensIssuedAndRevokedOnOneNodeHoldOnTheOther) {
  // A staff token issued through node 2 works on node 1 once node 1 has
  // applied it.
  socio::v1::IssueTokenRequest issue;
  issue.set_role(socio::v1::STAFF);
  issue.set_chamber_id("tokens-chamber");
  socio::v1::IssueTokenResponse staff;
  ASSERT_RPC_OK(node2().admin()->IssueToken(WithToken(op()).get(), issue, &staff));
  socio::v1::TokenInfo who;
  ASSERT_RPC_OK(WhoAmI(node2(), staff.token(), &who));  // the writer applied it
  EXPECT_TRUE(Eventually([&] { return WhoAmI(node1(), staff.token(), &who).ok(); }))
      << "node 1 never accepted the staff token issued through node 2";
  EXPECT_EQ(who.role(), socio::v1::STAFF);
  EXPECT_EQ(who.chamber_id(), "tokens-chamber");
  EXPECT_EQ(who.id(), staff.info().id());

  // A member token of a profile written through node 1, issued through
  // node 2, reads the profile on node 1.
  Profile created;
  ASSERT_RPC_OK(Create(node1(), op(), Seeker("tokens-member", "tokens-chamber"), &created));
  std::string member_token;
  ASSERT_TRUE(Eventually([&] {
    issue.set_role(socio::v1::MEMBER);
    issue.set_chamber_id("");
    issue.set_profile_id("tokens-member");
    socio::v1::IssueTokenResponse member;
    if (!node2().admin()->IssueToken(WithToken(op()).get(), issue, &member).ok()) return false;
    member_token = member.token();
    return true;
  })) << "node 2 never learnt of the profile to issue its member token";
  Profile read;
  EXPECT_TRUE(Eventually([&] { return Get(node1(), member_token, "tokens-member", &read).ok(); }));
  EXPECT_EQ(read.version(), 1);

  // Revoked through node 1: refused there at once, and on node 2 once it
  // applied the revocation.
  socio::v1::RevokeTokenRequest revoke;
  revoke.set_id(staff.info().id());
  socio::v1::TokenInfo revoked;
  ASSERT_RPC_OK(node1().admin()->RevokeToken(WithToken(op()).get(), revoke, &revoked));
  EXPECT_TRUE(revoked.has_revoked_time());
  EXPECT_EQ(WhoAmI(node1(), staff.token(), &who).error_code(), StatusCode::UNAUTHENTICATED);
  grpc::Status on_node2;
  EXPECT_TRUE(Eventually([&] {
    on_node2 = WhoAmI(node2(), staff.token(), &who);
    return on_node2.error_code() == StatusCode::UNAUTHENTICATED;
  })) << "node 2 still answers the revoked token with "
      << on_node2.error_code() << ": " << on_node2.error_message();
  // The member token was not touched.
  EXPECT_TRUE(WhoAmI(node2(), member_token, &who).ok());
}

TEST_F(SociodClusterTest, ProfilesWrittenOnOneNodeAreReadMatchedAndWatchedOnTheOther) {
  Profile seeker, distributor;
  ASSERT_RPC_OK(Create(node1(), op(), Seeker("watch-seeker", "watch-mx"), &seeker));
  ASSERT_RPC_OK(Create(node1(), op(), Distributor("watch-distributor", "watch-us"), &distributor));
  ASSERT_FALSE(seeker.handle().empty());

  // Read on node 2, by id and by handle, as node 1 stored it.
  Profile read;
  ASSERT_TRUE(Eventually([&] { return Get(node2(), op(), "watch-distributor", &read).ok(); }))
      << "node 2 never served the profile written through node 1";
  EXPECT_TRUE(MessageDifferencer::Equals(read, distributor)) << read.DebugString() << "\nvs\n"
                                                             << distributor.DebugString();
  ASSERT_RPC_OK(Get(node2(), op(), seeker.handle(), &read));
  EXPECT_EQ(read.id(), "watch-seeker");
  EXPECT_EQ(read.version(), seeker.version());
  EXPECT_EQ(read.handle(), seeker.handle());

  // Node 2's match index found the partner written through node 1.
  socio::v1::FindPartnersRequest find;
  find.set_member_id("watch-seeker");
  find.set_k(50);
  socio::v1::FindPartnersResponse found;
  grpc::Status find_status;
  EXPECT_TRUE(Eventually([&] {
    find_status = node2().matches()->FindPartners(WithToken(op()).get(), find, &found);
    if (!find_status.ok()) return false;
    for (const socio::v1::Match& m : found.matches()) {
      if (m.partner_id() == "watch-distributor") return true;
    }
    return false;
  })) << find_status.error_code()
      << " " << find_status.error_message() << "\n"
      << found.DebugString();

  // A write on node 2 with the version read before node 1's update is
  // refused, whether or not node 2 applied that update yet.
  socio::v1::UpdateProfileRequest update;
  update.mutable_profile()->set_id("watch-seeker");
  update.mutable_profile()->set_name("Salsas del Bajío, renamed on node 1");
  *update.mutable_update_mask() = socio::testing::Mask({"name"});
  update.set_expected_version(1);
  Profile updated;
  ASSERT_RPC_OK(node1().profiles()->UpdateProfile(WithToken(op()).get(), update, &updated));
  EXPECT_EQ(updated.version(), 2);
  update.mutable_profile()->set_name("Salsas del Bajío, renamed on node 2");
  grpc::Status stale = node2().profiles()->UpdateProfile(WithToken(op()).get(), update, &updated);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED) << stale.error_message();
  EXPECT_TRUE(Eventually(
      [&] { return Get(node2(), op(), "watch-seeker", &read).ok() && read.version() == 2; }));
  EXPECT_EQ(read.name(), "Salsas del Bajío, renamed on node 1");

  // Both nodes' change streams from the start number the creates alike,
  // in increasing order. (Node 2 started on a cluster without profiles, so
  // its stream starts at 0 too.)
  const std::set<std::string> ids = {"watch-seeker", "watch-distributor"};
  const Watched on_node1 = Watch(node1(), op(), 0, ids);
  const Watched on_node2 = Watch(node2(), op(), 0, ids);
  ASSERT_TRUE(on_node1.end.ok()) << on_node1.end.error_code() << on_node1.end.error_message();
  ASSERT_TRUE(on_node2.end.ok()) << on_node2.end.error_code() << on_node2.end.error_message();
  for (const Watched* watched : {&on_node1, &on_node2}) {
    for (size_t i = 1; i < watched->changes.size(); ++i) {
      EXPECT_LT(watched->changes[i - 1].sequence(), watched->changes[i].sequence());
    }
  }
  const std::map<std::string, uint64_t> creates1 = CreateSequences(on_node1.changes);
  const std::map<std::string, uint64_t> creates2 = CreateSequences(on_node2.changes);
  ASSERT_EQ(creates1.count("watch-seeker"), 1u);
  ASSERT_EQ(creates1.count("watch-distributor"), 1u);
  EXPECT_LT(creates1.at("watch-seeker"), creates1.at("watch-distributor"));
  EXPECT_EQ(creates2, creates1);
}

TEST_F(SociodClusterTest, MatchPolicySetOnOneNodeIsReadOnTheOther) {
  // The chamber's staff, with a token issued through node 2, sets it
  // through node 1.
  const std::string staff =
      socio::testing::IssueToken(*node2().admin(), op(), socio::v1::STAFF, "policy-chamber", "");
  socio::v1::TokenInfo who;
  ASSERT_TRUE(Eventually([&] { return WhoAmI(node1(), staff, &who).ok(); }));
  socio::v1::SetMatchPolicyRequest set;
  *set.mutable_policy() = socio::testing::MakePolicy("policy-chamber", 0.6, 0.1);
  socio::v1::MatchPolicy stored;
  ASSERT_RPC_OK(node1().matches()->SetMatchPolicy(WithToken(staff).get(), set, &stored));
  EXPECT_EQ(stored.version(), 1);

  socio::v1::GetMatchPolicyRequest get;
  get.set_chamber_id("policy-chamber");
  socio::v1::MatchPolicy read;
  EXPECT_TRUE(Eventually([&] {
    return node2().matches()->GetMatchPolicy(WithToken(staff).get(), get, &read).ok() &&
           read.version() == stored.version();
  })) << read.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(read, stored)) << read.DebugString() << "\nvs\n"
                                                        << stored.DebugString();

  // A write through node 2 that read version 1 wins ...
  set.set_expected_version(1);
  set.mutable_policy()->mutable_weights()->set_objective(0.7);
  ASSERT_RPC_OK(node2().matches()->SetMatchPolicy(WithToken(op()).get(), set, &stored));
  EXPECT_EQ(stored.version(), 2);
  // ... and the same write through node 1 is then stale.
  EXPECT_TRUE(Eventually([&] {
    return node1().matches()->GetMatchPolicy(WithToken(op()).get(), get, &read).ok() &&
           read.version() == 2;
  }));
  grpc::Status stale = node1().matches()->SetMatchPolicy(WithToken(op()).get(), set, &stored);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED) << stale.error_message();
}

TEST_F(SociodClusterTest, ServicesNotKeptInTheClusterRefuseAfterAuthentication) {
  const std::shared_ptr<grpc::Channel>& channel = node2().channel;
  const std::vector<std::pair<std::string, std::function<grpc::Status(grpc::ClientContext*)>>>
      calls = {
          {"DelegationService.ListDelegations",
           [&](grpc::ClientContext* c) {
             socio::v1::ListDelegationsResponse r;
             return socio::v1::DelegationService::NewStub(channel)->ListDelegations(c, {}, &r);
           }},
          {"OutcomeService.ListOutcomes",
           [&](grpc::ClientContext* c) {
             socio::v1::ListOutcomesResponse r;
             return socio::v1::OutcomeService::NewStub(channel)->ListOutcomes(c, {}, &r);
           }},
          {"AnalyticsService.GetAnalytics",
           [&](grpc::ClientContext* c) {
             socio::v1::GetAnalyticsResponse r;
             return socio::v1::AnalyticsService::NewStub(channel)->GetAnalytics(c, {}, &r);
           }},
          {"ExchangeService.ListExchanges",
           [&](grpc::ClientContext* c) {
             socio::v1::ListExchangesResponse r;
             return socio::v1::ExchangeService::NewStub(channel)->ListExchanges(c, {}, &r);
           }},
      };
  for (const auto& [name, call] : calls) {
    SCOPED_TRACE(name);
    grpc::Status refused = call(WithToken(op()).get());
    EXPECT_EQ(refused.error_code(), StatusCode::FAILED_PRECONDITION) << refused.error_message();
    EXPECT_THAT(refused.error_message(), HasSubstr("not kept in the cluster yet"));
    EXPECT_EQ(call(WithToken("").get()).error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(call(WithToken("not-a-token").get()).error_code(), StatusCode::UNAUTHENTICATED);
  }
}

// A member token of `profile_id`, issued through `node` once it knows the
// profile; "" (and a test failure) if it never does.
std::string MemberToken(const Node& node, const std::string& op, const std::string& profile_id) {
  socio::v1::IssueTokenRequest issue;
  issue.set_role(socio::v1::MEMBER);
  issue.set_profile_id(profile_id);
  socio::v1::IssueTokenResponse issued;
  EXPECT_TRUE(Eventually([&] {
    return node.admin()->IssueToken(WithToken(op).get(), issue, &issued).ok();
  })) << "no member token for "
      << profile_id;
  return issued.token();
}

// Meeting requests, reveals and a partnership through two nodes: each side
// acts through a different node, reads its own writes at once and the other
// side's with the consistency token of the write, and sees no more than it
// may.
TEST_F(SociodClusterTest, MeetingRequestsAndPartnershipsMadeThroughOneNodeServeTheOther) {
  Profile created;
  ASSERT_RPC_OK(Create(node1(), op(), Seeker("meet-a", "meet-muc"), &created));
  ASSERT_RPC_OK(Create(node1(), op(), Distributor("meet-b", "meet-bcn"), &created));
  ASSERT_RPC_OK(Create(node1(), op(), Distributor("meet-c", "meet-muc"), &created));
  const std::string a = MemberToken(node1(), op(), "meet-a");
  const std::string b = MemberToken(node1(), op(), "meet-b");
  const std::string c = MemberToken(node1(), op(), "meet-c");
  socio::v1::IssueTokenRequest issue;
  issue.set_role(socio::v1::STAFF);
  issue.set_chamber_id("meet-bcn");
  socio::v1::IssueTokenResponse bcn_staff;
  ASSERT_RPC_OK(node1().admin()->IssueToken(WithToken(op()).get(), issue, &bcn_staff));
  auto engagement = [](const Node& node) {
    return socio::v1::EngagementService::NewStub(node.channel);
  };

  // Member a asks member b through node 1.
  socio::v1::CreateMeetingRequestRequest ask;
  ask.mutable_request()->set_from_member_id("meet-a");
  ask.mutable_request()->set_to_ref("meet-b");
  ask.mutable_request()->set_message("Wir suchen einen Vertriebspartner in Spanien.");
  socio::v1::TimeWindow* window = ask.mutable_request()->add_proposed();
  *window->mutable_start_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::Now() + absl::Hours(48)));
  *window->mutable_end_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::Now() + absl::Hours(49)));
  ask.set_request_id("meet-ask-1");
  auto asked = WithToken(a);
  socio::v1::MeetingRequest sent;
  ASSERT_RPC_OK(engagement(node1())->CreateMeetingRequest(asked.get(), ask, &sent));
  EXPECT_EQ(sent.state(), socio::v1::MeetingRequest::PENDING);
  const int64_t token = TokenOf(*asked);
  ASSERT_GT(token, 0) << "the write carried no consistency token";

  // Member b lists its received requests through node 2 with the token: the
  // request is there at once.
  auto listed_context = WithToken(b);
  listed_context->AddMetadata("socio-consistency-token", absl::StrCat(token));
  socio::v1::ListMeetingRequestsRequest received;
  received.set_box(socio::v1::ListMeetingRequestsRequest::RECEIVED);
  socio::v1::ListMeetingRequestsResponse inbox;
  ASSERT_RPC_OK(engagement(node2())->ListMeetingRequests(listed_context.get(), received, &inbox));
  ASSERT_EQ(inbox.requests_size(), 1);
  EXPECT_EQ(inbox.requests(0).id(), sent.id());

  // A retry of the create through node 2 gets the first answer.
  socio::v1::MeetingRequest retried;
  ASSERT_RPC_OK(engagement(node2())->CreateMeetingRequest(WithToken(a).get(), ask, &retried));
  EXPECT_EQ(retried.id(), sent.id());

  // Member c, of the requester's chamber but no party, sees nothing of it
  // on either node.
  socio::v1::GetMeetingRequestRequest get;
  get.set_id(sent.id());
  socio::v1::MeetingRequest read;
  for (const Node* node : {&node1(), &node2()}) {
    grpc::Status hidden = engagement(*node)->GetMeetingRequest(WithToken(c).get(), get, &read);
    EXPECT_EQ(hidden.error_code(), StatusCode::NOT_FOUND) << hidden.error_message();
    socio::v1::ListMeetingRequestsResponse theirs;
    ASSERT_RPC_OK(engagement(*node)->ListMeetingRequests(WithToken(c).get(), {}, &theirs));
    EXPECT_EQ(theirs.requests_size(), 0);
  }

  // The receiver's chamber staff see it through node 2; b accepts there.
  socio::v1::ListMeetingRequestsResponse chamber_view;
  ASSERT_RPC_OK(engagement(node2())->ListMeetingRequests(WithToken(bcn_staff.token()).get(), {},
                                                         &chamber_view));
  ASSERT_EQ(chamber_view.requests_size(), 1);
  socio::v1::AnswerMeetingRequestRequest answer;
  answer.set_id(sent.id());
  answer.set_accept(true);
  answer.set_expected_version(1);
  auto answered_context = WithToken(b);
  socio::v1::MeetingRequest accepted;
  ASSERT_RPC_OK(
      engagement(node2())->AnswerMeetingRequest(answered_context.get(), answer, &accepted));
  EXPECT_EQ(accepted.state(), socio::v1::MeetingRequest::ACCEPTED);

  // Through node 1, with the answer's token: accepted, version 2, and a
  // stale answer there is refused.
  auto read_context = WithToken(a);
  read_context->AddMetadata("socio-consistency-token", absl::StrCat(TokenOf(*answered_context)));
  ASSERT_RPC_OK(engagement(node1())->GetMeetingRequest(read_context.get(), get, &read));
  EXPECT_EQ(read.state(), socio::v1::MeetingRequest::ACCEPTED);
  EXPECT_EQ(read.version(), 2);
  grpc::Status stale = engagement(node1())->AnswerMeetingRequest(WithToken(b).get(), answer, &read);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED) << stale.error_message();

  // The acceptance revealed each company to the other, on both nodes.
  for (const Node* node : {&node1(), &node2()}) {
    socio::v1::ListRevealsRequest reveals;
    reveals.set_profile_id("meet-a");
    socio::v1::ListRevealsResponse shown;
    ASSERT_RPC_OK(engagement(*node)->ListReveals(WithToken(a).get(), reveals, &shown));
    ASSERT_EQ(shown.reveals_size(), 1);
    EXPECT_EQ(shown.reveals(0).revealed_to(), "meet-b");
  }

  // Member b makes a partnership of the meeting through node 2; member a
  // reads it through node 1 with the write's token; member c sees nothing.
  socio::v1::CreatePartnershipRequest partner;
  socio::v1::Partnership* p = partner.mutable_partnership();
  p->set_first_member_id("meet-b");
  p->set_second_member_id("meet-a");
  p->set_title("Vertrieb in Spanien");
  p->mutable_origin()->set_kind(socio::v1::PartnershipOrigin::MEETING);
  p->mutable_origin()->set_source_request_id(sent.id());
  socio::v1::SharedGoal* goal = p->add_goals();
  goal->set_title("Erste Aufträge");
  goal->mutable_indicator()->set_name("Aufträge");
  goal->mutable_indicator()->set_unit("count");
  goal->mutable_indicator()->set_target(10);
  goal->mutable_indicator()->set_due_date("2027-12-31");
  auto partnered_context = WithToken(b);
  socio::v1::Partnership partnership;
  auto partnerships = [](const Node& node) {
    return socio::v1::PartnershipService::NewStub(node.channel);
  };
  ASSERT_RPC_OK(
      partnerships(node2())->CreatePartnership(partnered_context.get(), partner, &partnership));
  socio::v1::GetPartnershipRequest get_partnership;
  get_partnership.set_id(partnership.id());
  auto partner_read = WithToken(a);
  partner_read->AddMetadata("socio-consistency-token", absl::StrCat(TokenOf(*partnered_context)));
  socio::v1::Partnership read_partnership;
  ASSERT_RPC_OK(partnerships(node1())->GetPartnership(partner_read.get(), get_partnership,
                                                      &read_partnership));
  EXPECT_TRUE(MessageDifferencer::Equals(read_partnership, partnership));
  EXPECT_EQ(read_partnership.second_chamber_id(), "meet-muc");
  for (const Node* node : {&node1(), &node2()}) {
    grpc::Status hidden =
        partnerships(*node)->GetPartnership(WithToken(c).get(), get_partnership, &read_partnership);
    EXPECT_EQ(hidden.error_code(), StatusCode::NOT_FOUND) << hidden.error_message();
  }
}

TEST_F(SociodClusterTest, ANewNodeServesTheSameRecordsAndAsksWatchersToListAgain) {
  Profile created;
  ASSERT_RPC_OK(Create(node1(), op(), Seeker("late-1", "late-chamber"), &created));
  ASSERT_RPC_OK(Create(node2(), op(), Distributor("late-2", "late-chamber"), &created));

  ASSIGN_OR_FAIL(Node node3, StartNamedNode("node3"));
  EXPECT_FALSE(std::filesystem::exists(node3.data_dir + "/admin.token"));
  socio::v1::TokenInfo who;
  ASSERT_RPC_OK(WhoAmI(node3, op(), &who));
  EXPECT_EQ(who.role(), socio::v1::ADMIN);

  // It caught up before it served: every acknowledged write is there. Node
  // 1 may still be applying node 2's last write.
  ASSIGN_OR_FAIL(std::vector<Profile> on_node3, ListAll(node3, op()));
  std::vector<Profile> on_node1;
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<std::vector<Profile>> listed = ListAll(node1(), op());
    if (!listed.ok()) return false;
    on_node1 = *std::move(listed);
    return on_node1.size() == on_node3.size();
  }));
  ASSERT_EQ(socio::testing::Ids(on_node3), socio::testing::Ids(on_node1));
  for (size_t i = 0; i < on_node1.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(on_node3[i], on_node1[i]))
        << on_node3[i].DebugString() << "\nvs\n"
        << on_node1[i].DebugString();
  }
  EXPECT_THAT(socio::testing::Ids(on_node3), ::testing::IsSupersetOf({"late-1", "late-2"}));

  // Its change log starts at the full read: a watcher from 0 must list again.
  const Watched watched = Watch(node3, op(), 0, {"late-1"});
  EXPECT_EQ(watched.end.error_code(), StatusCode::OUT_OF_RANGE) << watched.end.error_message();
  EXPECT_THAT(watched.end.error_message(), HasSubstr("list the profiles again"));
  EXPECT_TRUE(watched.changes.empty());

  node3.process->Signal(SIGTERM);
  EXPECT_EQ(node3.process->Wait(), 0) << node3.process->Stderr();
}

TEST_F(SociodClusterTest, AKilledNodeRestartsWithEveryAcknowledgedProfile) {
  ASSIGN_OR_FAIL(Node killed, StartNamedNode("killed"));

  constexpr int kWriters = 2;
  constexpr int kAcknowledgedBeforeKill = 40;
  absl::Mutex mu;
  std::vector<std::string> acknowledged;  // guarded by mu
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0;; ++i) {
        Profile created;
        const std::string id = absl::StrCat("killed-w", w, "-", i);
        if (!Create(killed, op(), Seeker(id, "killed-chamber"), &created).ok()) return;
        absl::MutexLock lock(&mu);
        acknowledged.push_back(id);
      }
    });
  }
  auto count = [&] {
    absl::MutexLock lock(&mu);
    return acknowledged.size();
  };
  EXPECT_TRUE(Eventually([&] { return count() >= kAcknowledgedBeforeKill; }, absl::Seconds(30)));
  killed.process->Signal(SIGKILL);  // writers are mid-call
  EXPECT_EQ(killed.process->Wait(), 128 + SIGKILL);
  for (std::thread& t : writers) t.join();

  // Written elsewhere while it is down.
  Profile created;
  ASSERT_RPC_OK(
      Create(node1(), op(), Distributor("killed-while-down", "killed-chamber"), &created));

  ASSIGN_OR_FAIL(Node restarted, StartNamedNode("killed"));
  EXPECT_FALSE(std::filesystem::exists(restarted.data_dir + "/admin.token"));
  // It caught up before it served: no waiting.
  absl::MutexLock lock(&mu);
  acknowledged.push_back("killed-while-down");
  for (const std::string& id : acknowledged) {
    Profile read;
    grpc::Status status = Get(restarted, op(), id, &read);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_code() << " " << status.error_message();
    EXPECT_EQ(read.version(), 1);
  }
  // Its match index has them too.
  socio::v1::FindPartnersRequest find;
  find.set_member_id("killed-w0-0");
  find.set_k(50);
  socio::v1::FindPartnersResponse found;
  EXPECT_TRUE(Eventually([&] {
    if (!restarted.matches()->FindPartners(WithToken(op()).get(), find, &found).ok()) return false;
    for (const socio::v1::Match& m : found.matches()) {
      if (m.partner_id() == "killed-while-down") return true;
    }
    return false;
  })) << found.DebugString();
  restarted.process->Signal(SIGTERM);
  EXPECT_EQ(restarted.process->Wait(), 0) << restarted.process->Stderr();
}

TEST_F(SociodClusterTest, AConsistencyTokenFromAWriteReadsItOnTheOtherNodeAtOnce) {
  int64_t last = 0;
  for (int i = 0; i < 20; ++i) {
    const std::string id = absl::StrCat("token-read-", i);
    socio::v1::CreateProfileRequest create;
    *create.mutable_profile() = Seeker(id, "token-chamber");
    Profile created;
    auto write = WithToken(op());
    ASSERT_RPC_OK(node1().profiles()->CreateProfile(write.get(), create, &created));
    const int64_t token = TokenOf(*write);
    ASSERT_GT(token, last) << "each write's token names what it wrote, later than the one before";
    last = token;

    // The first read on the other node, carrying the token, finds the
    // write: no retry. (On loopback node 2's watch is mostly faster than
    // the client anyway; that the read waits is the next test's.)
    auto read = WithToken(op());
    read->AddMetadata("socio-consistency-token", absl::StrCat(token));
    socio::v1::GetProfileRequest get;
    get.set_id(id);
    Profile found;
    ASSERT_RPC_OK(node2().profiles()->GetProfile(read.get(), get, &found));
    EXPECT_TRUE(MessageDifferencer::Equals(found, created)) << found.DebugString();
    EXPECT_GE(TokenOf(*read), token) << "a read's answer carries a token at least the one it sent";
  }

  // Errors carry a token too, for an authenticated caller: a NOT_FOUND
  // read says what the node had applied when it did not find the id.
  auto missing = WithToken(op());
  socio::v1::GetProfileRequest get;
  get.set_id("token-read-missing");
  Profile found;
  EXPECT_EQ(node2().profiles()->GetProfile(missing.get(), get, &found).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_GE(TokenOf(*missing), last);
}

TEST_F(SociodClusterTest, TheClientLibraryKeepsAnImportsConsistencyToken) {
  std::shared_ptr<const clients::Channel> to_node1 =
      clients::Channel::Wrap(node1().channel, {.address = node1().address, .token = op()});
  std::shared_ptr<const clients::Channel> to_node2 =
      clients::Channel::Wrap(node2().channel, {.address = node2().address, .token = op()});
  clients::ProfileClient one(to_node1), two(to_node2);
  std::string before;
  ASSERT_TRUE(two.ListProfiles({}, {.answered_consistency_token = &before}).ok());
  int64_t before_revision = 0;
  ASSERT_TRUE(absl::SimpleAtoi(before, &before_revision)) << before;

  std::string after_import;
  ASSIGN_OR_FAIL(std::unique_ptr<clients::ImportStream> import,
                 one.StartImport({.answered_consistency_token = &after_import}));
  socio::v1::ImportProfilesRequest chunk;
  for (int i = 0; i < 30; ++i)
    *chunk.add_profiles() = Seeker(absl::StrCat("import-token-", i), "import-chamber");
  ASSERT_TRUE(import->Write(/*last=*/true, &chunk));
  ASSIGN_OR_FAIL(socio::v1::ImportProfilesSummary summary, import->Finish());
  EXPECT_EQ(summary.created(), 30);
  // The import's answer carries what node 1 had applied: past every write
  // of the import, so past what node 2 had applied before it.
  int64_t import_revision = 0;
  ASSERT_TRUE(absl::SimpleAtoi(after_import, &import_revision)) << after_import;
  EXPECT_GT(import_revision, before_revision);
  // Sent to node 2 with each read: every profile is there at once.
  for (int i = 0; i < 30; ++i) {
    socio::v1::GetProfileRequest get;
    get.set_id(absl::StrCat("import-token-", i));
    std::string answered;
    absl::StatusOr<Profile> read = two.GetProfile(
        get, {.consistency_token = after_import, .answered_consistency_token = &answered});
    ASSERT_TRUE(read.ok()) << get.id() << ": " << read.status();
    int64_t answered_revision = 0;
    ASSERT_TRUE(absl::SimpleAtoi(answered, &answered_revision)) << answered;
    EXPECT_GE(answered_revision, import_revision);
  }
}

TEST_F(SociodClusterTest, AConsistencyTokenAheadOfTheNodeWaitsForItOrUntilTheCallsDeadline) {
  auto now = WithToken(op());
  socio::v1::TokenInfo who;
  ASSERT_RPC_OK(node2().admin()->WhoAmI(now.get(), {}, &who));
  const int64_t applied = TokenOf(*now);
  ASSERT_GT(applied, 0);

  // A read sent before the write it waits for: it answers once node 2 has
  // applied the writes (made through node 1) that bring it to the token's
  // revision, and finds the first of them. (The token names three
  // revisions ahead, so that a receipt's expiry in etcd meanwhile cannot
  // bring it there before the write.)
  std::atomic<bool> answered{false};
  grpc::Status early_status;
  Profile early_read;
  std::thread early([&] {
    auto call = WithToken(op(), absl::Seconds(20));
    call->AddMetadata("socio-consistency-token", absl::StrCat(applied + 3));
    socio::v1::GetProfileRequest get;
    get.set_id("token-wait-1");
    early_status = node2().profiles()->GetProfile(call.get(), get, &early_read);
    answered = true;
  });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_FALSE(answered) << "answered before the revision it waits for was written";
  for (int i = 1; i <= 3; ++i) {
    Profile created;
    ASSERT_RPC_OK(
        Create(node1(), op(), Seeker(absl::StrCat("token-wait-", i), "token-chamber"), &created));
  }
  early.join();
  EXPECT_TRUE(early_status.ok()) << early_status.error_code() << ": "
                                 << early_status.error_message();
  EXPECT_EQ(early_read.id(), "token-wait-1");

  // A revision nobody wrote yet: the call waits for it until its deadline,
  // then says how far the node is.
  auto ahead = WithToken(op(), absl::Seconds(1));
  ahead->AddMetadata("socio-consistency-token", absl::StrCat(applied + 1000000));
  const absl::Time start = absl::Now();
  grpc::Status waited = node2().admin()->WhoAmI(ahead.get(), {}, &who);
  EXPECT_EQ(waited.error_code(), StatusCode::DEADLINE_EXCEEDED) << waited.error_message();
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(900)) << "answered without waiting";

  // A malformed token is refused at once, naming the metadata.
  for (const std::string bad : {"abc", "-5", "0", "12x"}) {
    auto call = WithToken(op());
    call->AddMetadata("socio-consistency-token", bad);
    grpc::Status refused = node2().admin()->WhoAmI(call.get(), {}, &who);
    EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(refused.error_message(), HasSubstr("socio-consistency-token")) << bad;
  }

  // Without a valid bearer token the call is refused before any wait, and
  // its answer carries no token.
  auto stranger = WithToken("not-a-token", absl::Seconds(10));
  stranger->AddMetadata("socio-consistency-token", absl::StrCat(applied + 1000000));
  const absl::Time refused_at = absl::Now();
  EXPECT_EQ(node2().admin()->WhoAmI(stranger.get(), {}, &who).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_LT(absl::Now() - refused_at, absl::Seconds(2));
  EXPECT_EQ(TokenOf(*stranger), 0);
}

// AIP-155 across nodes: the answer to a CreateProfile with a request_id is
// written in the create's etcd transaction, so its retry through another
// node (the first one's answer lost with that node, say) gets the first
// answer instead of ALREADY_EXISTS, and the id reused for another request
// is refused there too.
TEST_F(SociodClusterTest, ARetryThroughAnotherNodeGetsTheFirstAnswer) {
  socio::v1::CreateProfileRequest create;
  *create.mutable_profile() = Seeker("retried-1", "retry-chamber");
  create.set_request_id("retry-across-nodes-0001");
  Profile first;
  ASSERT_RPC_OK(node1().profiles()->CreateProfile(WithToken(op()).get(), create, &first));

  Profile again;
  ASSERT_RPC_OK(node2().profiles()->CreateProfile(WithToken(op()).get(), create, &again));
  EXPECT_TRUE(MessageDifferencer::Equals(again, first)) << again.DebugString() << "\nvs\n"
                                                        << first.DebugString();
  ASSERT_RPC_OK(node1().profiles()->CreateProfile(WithToken(op()).get(), create, &again));
  EXPECT_TRUE(MessageDifferencer::Equals(again, first));

  // Without the request_id the same create is a second one: ALREADY_EXISTS.
  socio::v1::CreateProfileRequest fresh = create;
  fresh.clear_request_id();
  EXPECT_EQ(node2().profiles()->CreateProfile(WithToken(op()).get(), fresh, &again).error_code(),
            StatusCode::ALREADY_EXISTS);
  // The id used for another request: refused, naming request_id, on either node.
  socio::v1::CreateProfileRequest other = create;
  other.mutable_profile()->set_id("retried-2");
  for (const Node* node : {&node1(), &node2()}) {
    grpc::Status refused = node->profiles()->CreateProfile(WithToken(op()).get(), other, &again);
    EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(refused.error_message(), HasSubstr("request_id"));
  }
  Profile read;
  EXPECT_EQ(Get(node2(), op(), "retried-2", &read).error_code(), StatusCode::NOT_FOUND);

  // Two tries of one new request at once, one through each node: one
  // profile, and both answered with it.
  socio::v1::CreateProfileRequest raced;
  *raced.mutable_profile() = Seeker("retried-3", "retry-chamber");
  raced.set_request_id("retry-across-nodes-0002");
  Profile answers[2];
  grpc::Status statuses[2];
  std::thread second([&] {
    statuses[1] = node2().profiles()->CreateProfile(WithToken(op()).get(), raced, &answers[1]);
  });
  statuses[0] = node1().profiles()->CreateProfile(WithToken(op()).get(), raced, &answers[0]);
  second.join();
  ASSERT_RPC_OK(statuses[0]);
  ASSERT_RPC_OK(statuses[1]);
  EXPECT_TRUE(MessageDifferencer::Equals(answers[0], answers[1]))
      << answers[0].DebugString() << "\nvs\n"
      << answers[1].DebugString();

  // An import's summary too: remembered in etcd after the import, answered
  // by the other node without importing again.
  auto import = [&](const Node& node, socio::v1::ImportProfilesSummary* summary) {
    auto context = WithToken(op());
    auto writer = node.profiles()->ImportProfiles(context.get(), summary);
    socio::v1::ImportProfilesRequest chunk;
    chunk.set_request_id("retry-across-nodes-0003");
    *chunk.add_profiles() = Seeker("retried-import-1", "retry-chamber");
    *chunk.add_profiles() = Distributor("retried-import-2", "retry-chamber");
    writer->Write(chunk);
    writer->WritesDone();
    return writer->Finish();
  };
  socio::v1::ImportProfilesSummary imported, retried;
  ASSERT_RPC_OK(import(node1(), &imported));
  EXPECT_EQ(imported.created(), 2) << imported.DebugString();
  ASSERT_RPC_OK(import(node2(), &retried));
  EXPECT_TRUE(MessageDifferencer::Equals(retried, imported)) << retried.DebugString() << "\nvs\n"
                                                             << imported.DebugString();
}

// Through the HTTP gateway, one in front of each node: the answer's
// Socio-Consistency-Token header, sent back to the other gateway, reads the
// write at once; a malformed one is a 400 naming it.
TEST_F(SociodClusterTest, TheGatewayPassesTheConsistencyTokenBothWays) {
  absl::StatusOr<std::unique_ptr<gateway::Gateway>> gateway1 =
      gateway::Gateway::Start({.server = node1().address, .listen = "127.0.0.1:0"});
  ASSERT_TRUE(gateway1.ok()) << gateway1.status();
  absl::StatusOr<std::unique_ptr<gateway::Gateway>> gateway2 =
      gateway::Gateway::Start({.server = node2().address, .listen = "127.0.0.1:0"});
  ASSERT_TRUE(gateway2.ok()) << gateway2.status();
  httplib::Client to_node1("127.0.0.1", (*gateway1)->port());
  httplib::Client to_node2("127.0.0.1", (*gateway2)->port());
  const httplib::Headers auth = {{"Authorization", "Bearer " + op()}};

  for (int i = 0; i < 10; ++i) {
    const std::string id = absl::StrCat("gateway-token-", i);
    std::string body;
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(Seeker(id, "token-chamber"), &body).ok());
    httplib::Result created = to_node1.Post("/api/v1/profiles", auth, body, "application/json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string token = created->get_header_value("Socio-Consistency-Token");
    int64_t revision = 0;
    ASSERT_TRUE(absl::SimpleAtoi(token, &revision)) << "no token in the answer: '" << token << "'";

    httplib::Headers with_token = auth;
    with_token.emplace("Socio-Consistency-Token", token);
    httplib::Result read = to_node2.Get(absl::StrCat("/api/v1/profiles/", id), with_token);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 200) << read->body;
    int64_t answered = 0;
    EXPECT_TRUE(absl::SimpleAtoi(read->get_header_value("Socio-Consistency-Token"), &answered));
    EXPECT_GE(answered, revision);
  }

  httplib::Headers bad = auth;
  bad.emplace("Socio-Consistency-Token", "yesterday");
  httplib::Result refused = to_node2.Get("/api/v1/whoami", bad);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_THAT(refused->body, HasSubstr("socio-consistency-token"));
}

}  // namespace
}  // namespace socio::services

namespace socio::services {
namespace {

using socio::testing::ReadRecords;
using socio::testing::Receiver;
using socio::testing::StartWebhookReceiver;
using socio::testing::Str;

// Its own etcd cluster and nodes: the first node started holds the delivery
// duty, and the test kills it.
class SociodClusterDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!EtcdAvailable()) GTEST_SKIP() << kEtcdMissing;
    ASSIGN_OR_FAIL(etcd_, EtcdCluster::Start({.members = 3}));
    ASSIGN_OR_FAIL(hook_, StartWebhookReceiver(dir_.path(), /*fail=*/0));
  }

  absl::StatusOr<Node> Start(const std::string& name) {
    return StartNode(dir_.Join(name), dir_.Join(absl::StrCat(name, "-out")),
                     etcd_->ClientAddresses());
  }

  // Node `node` proposes a link from `chamber` to `partner`, as the operator.
  grpc::Status Propose(const Node& node, const std::string& chamber, const std::string& partner) {
    socio::v1::ProposePartnerChamberRequest request;
    request.set_chamber_id(chamber);
    request.set_partner_chamber_id(partner);
    socio::v1::ChamberPartner link;
    return socio::v1::ChamberService::NewStub(node.channel)
        ->ProposePartnerChamber(WithToken(op_).get(), request, &link);
  }

  // The notification ids the receiver has been posted (answered 200), each
  // as often as it was posted.
  std::multiset<std::string> Posted() const {
    std::multiset<std::string> ids;
    for (const auto& post : ReadRecords(hook_.records)) {
      if (post.fields().at("status").number_value() == 200) {
        ids.insert(Str(post, "headers", "X-Socio-Delivery"));
      }
    }
    return ids;
  }

  // The ids of every notification to `recipient` in `node`'s outbox.
  std::set<std::string> OutboxFor(const Node& node, const std::string& recipient) const {
    auto context = WithToken(op_, absl::Seconds(3));
    socio::v1::WatchNotificationsRequest request;
    request.set_recipient(recipient);
    auto reader = socio::v1::NotificationService::NewStub(node.channel)
                      ->WatchNotifications(context.get(), request);
    std::set<std::string> ids;
    socio::v1::Notification n;
    while (reader->Read(&n)) ids.insert(n.id());  // ends at the deadline
    reader->Finish().IgnoreError();
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<EtcdCluster> etcd_;
  Receiver hook_;
  std::string op_;
};

TEST_F(SociodClusterDeliveryTest, OneNodeDeliversAtATimeAndAnotherTakesOverWhenItIsKilled) {
  ASSIGN_OR_FAIL(Node first, Start("first"));  // campaigns first: holds the duty
  op_ = FirstLine(first.data_dir + "/admin.token");
  ASSERT_FALSE(op_.empty());
  ASSIGN_OR_FAIL(Node second, Start("second"));

  // The asked chamber's staff take webhooks; set through the second node.
  socio::v1::SetNotificationSettingsRequest settings;
  settings.mutable_settings()->set_recipient("staff:hook-mex");
  settings.mutable_settings()->set_webhook_url(
      absl::StrCat("http://127.0.0.1:", hook_.port, "/socio"));
  settings.mutable_settings()->set_webhook_secret("canaco-webhook-secret");
  socio::v1::NotificationSettings stored;
  ASSERT_RPC_OK(socio::v1::NotificationService::NewStub(second.channel)
                    ->SetNotificationSettings(WithToken(op_).get(), settings, &stored));
  EXPECT_TRUE(stored.webhook_secret().empty());

  // Proposals through both nodes, while both run.
  constexpr int kBeforeKill = 10;
  for (int i = 0; i < kBeforeKill; ++i) {
    ASSERT_RPC_OK(Propose(i % 2 == 0 ? first : second, absl::StrCat("hook-", i), "hook-mex"));
  }
  ASSERT_TRUE(Eventually([&] { return Posted().size() >= kBeforeKill; }, absl::Seconds(30)))
      << Posted().size();
  // Had both nodes delivered, each would have been posted twice.
  const std::multiset<std::string> before_kill = Posted();
  for (const std::string& id : before_kill) EXPECT_EQ(before_kill.count(id), 1u) << id;

  first.process->Signal(SIGKILL);
  EXPECT_EQ(first.process->Wait(), 128 + SIGKILL);
  constexpr int kAfterKill = 10;
  for (int i = 0; i < kAfterKill; ++i) {
    ASSERT_RPC_OK(Propose(second, absl::StrCat("hook-late-", i), "hook-mex"));
  }
  // The second node takes the duty over once the first one's lease ends,
  // and delivers from where the first one got to.
  const std::set<std::string> outbox = OutboxFor(second, "staff:hook-mex");
  ASSERT_EQ(outbox.size(), static_cast<size_t>(kBeforeKill + kAfterKill));
  std::set<std::string> posted;
  EXPECT_TRUE(Eventually(
      [&] {
        const std::multiset<std::string> all = Posted();
        posted = std::set<std::string>(all.begin(), all.end());
        return posted.size() >= outbox.size();
      },
      absl::Seconds(40)));
  EXPECT_EQ(posted, outbox);
  // Nothing delivered before the kill was sent again.
  const std::multiset<std::string> all = Posted();
  for (const std::string& id : before_kill) EXPECT_EQ(all.count(id), 1u) << id;

  second.process->Signal(SIGTERM);
  EXPECT_EQ(second.process->Wait(), 0) << second.process->Stderr();
}

}  // namespace
}  // namespace socio::services
