// The client library (clients/client_options.h, clients/channel.h and the
// typed clients) against a real sociod in this process, and its retry policy
// against a fake ProfileService that counts the attempts it is sent.
#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/admin_client.h"
#include "clients/channel.h"
#include "clients/client_options.h"
#include "clients/profile_client.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/clients/socio_cli_fixture.h"
#include "tests/support/status_matchers.h"

namespace socio::clients {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::testing::HasSubstr;

// A sociod that asks for tokens, on a port the kernel picks.
class ClientLibraryTest : public SocioCliFixture {
 protected:
  ClientLibraryTest() { dev_insecure_ = false; }

  // Options of a client of the server that carries the operator token.
  ClientOptions OperatorOptions() const {
    ClientOptions options;
    options.address = server_->address();
    options.token = server_->admin_token();
    return options;
  }
};

TEST_F(ClientLibraryTest, ErrorsComeBackWithTheServersCodeAndMessage) {
  ProfileClient profiles(Channel::Open(OperatorOptions()));
  ASSERT_THAT(profiles.channel().status(), IsOk());

  socio::v1::GetProfileRequest get;
  get.set_id("mx-missing");
  EXPECT_THAT(profiles.GetProfile(get),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("mx-missing")));

  socio::v1::CreateProfileRequest create;
  create.mutable_profile()->set_id("mx-0001");
  create.mutable_profile()->set_country("not a country");
  EXPECT_THAT(profiles.CreateProfile(create),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.")));

  AdminClient admin(Channel::Open(OperatorOptions()));
  absl::StatusOr<socio::v1::TokenInfo> me = admin.WhoAmI({});
  ASSERT_THAT(me, IsOk());
  EXPECT_EQ(me->role(), socio::v1::ADMIN);
}

TEST_F(ClientLibraryTest, ACallMayCarryAnotherAuthorizationThanItsClient) {
  ClientOptions anonymous;
  anonymous.address = server_->address();
  AdminClient admin(Channel::Open(anonymous));
  EXPECT_THAT(admin.WhoAmI({}), StatusIs(absl::StatusCode::kUnauthenticated));

  absl::StatusOr<std::string> token = ResolveToken(OperatorOptions());
  ASSERT_THAT(token, IsOk());
  absl::StatusOr<socio::v1::TokenInfo> me = admin.WhoAmI({}, CallOptions::WithToken(*token));
  ASSERT_THAT(me, IsOk());
  EXPECT_EQ(me->role(), socio::v1::ADMIN);

  // The other way round: a client with the token, a call without it.
  AdminClient operator_client(Channel::Open(OperatorOptions()));
  EXPECT_THAT(operator_client.WhoAmI({}), IsOk());
  CallOptions none;
  none.authorization = "";
  EXPECT_THAT(operator_client.WhoAmI({}, none), StatusIs(absl::StatusCode::kUnauthenticated));
  CallOptions unprintable;
  unprintable.authorization = "Bearer \x01";
  EXPECT_THAT(operator_client.WhoAmI({}, unprintable),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("Authorization")));
}

TEST_F(ClientLibraryTest, ACallOutlivingItsDeadlineOverrideFails) {
  ProfileClient profiles(Channel::Open(OperatorOptions()));
  CallOptions expired;
  expired.deadline = absl::ZeroDuration();
  socio::v1::ListProfilesRequest list;
  EXPECT_THAT(profiles.ListProfiles(list, expired), StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(profiles.ListProfiles(list), IsOk());
}

TEST(ClientOptionsTest, AnUnreadableFileNamesItsOption) {
  ClientOptions options;
  options.address = "127.0.0.1:1";
  options.tls_ca = "/nonexistent/ca.pem";
  EXPECT_THAT(MakeChannel(options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("tls_ca: cannot read")));

  options.option_prefix = "--";
  std::shared_ptr<const Channel> channel = Channel::Open(options);
  EXPECT_THAT(channel->status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("--tls_ca: cannot read")));
  // Every call says so, without reaching the network.
  ProfileClient profiles(channel);
  EXPECT_THAT(profiles.GetProfile({}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("--tls_ca")));

  ClientOptions half;
  half.address = "127.0.0.1:1";
  half.tls_cert = "/nonexistent/cert.pem";
  EXPECT_THAT(MakeChannel(half),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls_key")));

  ClientOptions token;
  token.address = "127.0.0.1:1";
  token.token_file = "/nonexistent/token";
  token.option_prefix = "peer_";
  EXPECT_THAT(ResolveToken(token),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("peer_token_file")));
}

// Answers GetProfile and CreateProfile UNAVAILABLE `failures` times each,
// then OK, counting the calls it is sent.
class FlakyProfiles final : public socio::v1::ProfileService::Service {
 public:
  explicit FlakyProfiles(int failures) : failures_(failures) {}

  grpc::Status GetProfile(grpc::ServerContext*, const socio::v1::GetProfileRequest* request,
                          socio::v1::Profile* profile) override {
    if (++gets_ <= failures_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
    profile->set_id(request->id());
    return grpc::Status::OK;
  }
  grpc::Status CreateProfile(grpc::ServerContext*, const socio::v1::CreateProfileRequest* request,
                             socio::v1::Profile* profile) override {
    if (++creates_ <= failures_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
    *profile = request->profile();
    return grpc::Status::OK;
  }

  int gets() const { return gets_; }
  int creates() const { return creates_; }

 private:
  const int failures_;
  std::atomic<int> gets_ = 0;
  std::atomic<int> creates_ = 0;
};

class RetryTest : public ::testing::Test {
 protected:
  void Start(int failures) {
    service_ = std::make_unique<FlakyProfiles>(failures);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }
  ClientOptions Options(bool retry = true) const {
    ClientOptions options;
    options.address = absl::StrCat("127.0.0.1:", port_);
    options.deadline = absl::Seconds(10);
    options.retry_idempotent = retry;
    return options;
  }

  std::unique_ptr<FlakyProfiles> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(RetryTest, AReadIsRetriedOnUnavailable) {
  ASSERT_NO_FATAL_FAILURE(Start(/*failures=*/2));
  ProfileClient profiles(Channel::Open(Options()));
  socio::v1::GetProfileRequest get;
  get.set_id("mx-0001");
  absl::StatusOr<socio::v1::Profile> profile = profiles.GetProfile(get);
  ASSERT_THAT(profile, IsOk());
  EXPECT_EQ(profile->id(), "mx-0001");
  EXPECT_EQ(service_->gets(), 3);
}

TEST_F(RetryTest, ACreateIsNeverRetried) {
  ASSERT_NO_FATAL_FAILURE(Start(/*failures=*/1));
  ProfileClient profiles(Channel::Open(Options()));
  socio::v1::CreateProfileRequest create;
  create.mutable_profile()->set_id("mx-0001");
  EXPECT_THAT(profiles.CreateProfile(create),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("restarting")));
  EXPECT_EQ(service_->creates(), 1);
}

TEST_F(RetryTest, RetriesGiveUpAfterFourAttempts) {
  ASSERT_NO_FATAL_FAILURE(Start(/*failures=*/100));
  ProfileClient profiles(Channel::Open(Options()));
  EXPECT_THAT(profiles.GetProfile({}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(service_->gets(), 4);
}

TEST_F(RetryTest, RetriesCanBeTurnedOff) {
  ASSERT_NO_FATAL_FAILURE(Start(/*failures=*/1));
  ProfileClient profiles(Channel::Open(Options(/*retry=*/false)));
  EXPECT_THAT(profiles.GetProfile({}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(service_->gets(), 1);
}

}  // namespace
}  // namespace socio::clients
