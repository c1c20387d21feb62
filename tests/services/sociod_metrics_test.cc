// What an operator's Prometheus scrapes from a running server: request
// counts by RPC and code, latency histograms, and the index and store
// figures, from sociod's own --metrics_listen port.
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/small_file_system.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"

namespace socio::services {
namespace {

using socio::testing::TestServer;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

TEST(SociodMetricsTest, ScrapeShowsRequestsByCodeAndTheIndexAndStore) {
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> server,
                 TestServer::Start({.dev_insecure = true, .metrics_listen = "127.0.0.1:0"}));
  ASSERT_GT(server->sociod().metrics_port(), 0);

  socio::v1::ProfileService::Stub& stub = server->profiles();
  socio::v1::CreateProfileRequest create;
  socio::v1::Profile* p = create.mutable_profile();
  p->set_id("de-1");
  p->set_chamber_id("ihk-muenchen");
  p->set_name("Huber Maschinenbau");
  p->set_country("DE");
  socio::v1::Profile created;
  grpc::ClientContext ok_context;
  ASSERT_TRUE(stub.CreateProfile(&ok_context, create, &created).ok());
  grpc::ClientContext again_context;
  EXPECT_EQ(stub.CreateProfile(&again_context, create, &created).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  httplib::Client client("127.0.0.1", server->sociod().metrics_port());
  // The index follows the log asynchronously; give it a moment.
  std::string page;
  for (int attempt = 0; attempt < 50; ++attempt) {
    httplib::Result result = client.Get("/metrics");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    ASSERT_EQ(result->status, 200);
    page = result->body;
    if (page.find("socio_index_profiles 1\n") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_THAT(page, HasSubstr(R"(socio_requests_total{method="/socio.v1.ProfileService/CreateProfile",code="OK"} 1)"));
  EXPECT_THAT(page, HasSubstr(R"(socio_requests_total{method="/socio.v1.ProfileService/CreateProfile",code="ALREADY_EXISTS"} 1)"));
  EXPECT_THAT(page, HasSubstr(R"(socio_request_duration_seconds_count{method="/socio.v1.ProfileService/CreateProfile"} 2)"));
  EXPECT_THAT(page, HasSubstr("socio_index_profiles 1\n"));
  EXPECT_THAT(page, HasSubstr("socio_change_log_sequence 1\n"));
  EXPECT_THAT(page, ContainsRegex("socio_store_memory_bytes [1-9][0-9]*"));
  EXPECT_THAT(page, ContainsRegex("socio_index_memory_bytes [1-9][0-9]*"));
}

TEST(SociodMetricsTest, AnAddressInUseStopsTheStart) {
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> one,
                 TestServer::Start({.dev_insecure = true, .metrics_listen = "127.0.0.1:0"}));
  absl::StatusOr<std::unique_ptr<TestServer>> two = TestServer::Start(
      {.dev_insecure = true,
       .metrics_listen = "127.0.0.1:" + std::to_string(one->sociod().metrics_port())});
  EXPECT_EQ(two.status().code(), absl::StatusCode::kUnavailable) << two.status();
}

// A member with a 4,000-byte description, which soon fills a small disk.
socio::v1::Profile LargeMember(int i) {
  socio::v1::Profile p;
  p.set_id("de-" + std::to_string(i));
  p.set_chamber_id("ihk-muenchen");
  p.set_name("Huber Maschinenbau");
  p.set_country("DE");
  p.set_description(std::string(4000, 'x'));
  return p;
}

// A sociod (development mode, metrics on) over a 24 MiB file system that is
// then filled to 512 KiB of room.
class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!disk_.mounted()) GTEST_SKIP() << disk_.why_not();
    ASSIGN_OR_FAIL(server_, TestServer::Start({.data_dir = disk_.Join("db"),
                                               .dev_insecure = true,
                                               .metrics_listen = "127.0.0.1:0",
                                               .log_level = LogLevel::kOff}));
    ASSERT_TRUE(disk_.FillLeaving("filler", 512 << 10).ok());
  }

  socio::testing::SmallFileSystem disk_{24 << 20};
  std::unique_ptr<TestServer> server_;
};

TEST_F(FullDiskTest, AFullDiskShowsAsResourceExhaustedAndInItsOwnCounter) {
  grpc::Status status;
  for (int i = 0; i < 1000 && status.ok(); ++i) {
    socio::v1::CreateProfileRequest create;
    *create.mutable_profile() = LargeMember(i);
    socio::v1::Profile created;
    grpc::ClientContext context;
    status = server_->profiles().CreateProfile(&context, create, &created);
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("disk holding the data directory is full"));

  httplib::Client client("127.0.0.1", server_->sociod().metrics_port());
  httplib::Result result = client.Get("/metrics");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  const std::string& page = result->body;
  EXPECT_THAT(page, HasSubstr(R"(socio_requests_total{method="/socio.v1.ProfileService/CreateProfile",code="RESOURCE_EXHAUSTED"} 1)"));
  EXPECT_THAT(page, HasSubstr("# TYPE socio_storage_full_errors_total counter\n"));
  EXPECT_THAT(page, ContainsRegex("socio_storage_full_errors_total [1-9]"));
  EXPECT_THAT(page, ContainsRegex("socio_store_free_disk_bytes [0-9]+\n"));
}

// An import that meets a full disk is not an OK with every item rejected:
// the call ends RESOURCE_EXHAUSTED, naming the disk and what was stored.
TEST_F(FullDiskTest, AnImportOntoAFullDiskIsResourceExhaustedSayingWhatWasStored) {
  grpc::ClientContext context;
  socio::v1::ImportProfilesSummary summary;
  auto stream = server_->profiles().ImportProfiles(&context, &summary);
  constexpr int kMessages = 6;
  for (int m = 0; m < kMessages; ++m) {
    socio::v1::ImportProfilesRequest request;
    request.set_more(m + 1 < kMessages);
    for (int i = 0; i < 100; ++i) *request.add_profiles() = LargeMember(m * 100 + i);
    if (!stream->Write(request)) break;
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("disk holding the data directory is full"));
  EXPECT_THAT(status.error_message(), ContainsRegex("600 items, of which [0-9]+ stored"));
}

}  // namespace
}  // namespace socio::services
