// Traffic no well-behaved client sends, against a real in-process sociod:
// random bytes, truncated messages, oversized and empty ones to every RPC of
// the four services; calls whose deadline has passed; an import and a watch
// cancelled midway; connections dropped mid-call. Each gets a proper status
// or, for a dropped connection, none; nothing half done is stored; and the
// server serves on.
//
// A unary or server-streaming request that does not parse (invalid UTF-8 in
// a string, a truncated message) is refused by gRPC before any handler runs;
// the server answers INVALID_ARGUMENT saying so (request_parse_guard.h)
// where gRPC 1.51 alone answers INTERNAL with an empty message. In a client
// stream (ImportProfiles) gRPC ends the read as at the stream's end; the
// import tells the two apart and answers INVALID_ARGUMENT.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "bench/profile_generator.h"
#include "gmock/gmock.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "services/request_parse_guard.h"
#include "services/server.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/fault/malformed_payloads.h"
#include "tests/fault/raw_call.h"
#include "tests/fault/tcp_proxy.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"

namespace socio::services {
namespace {

using socio::fault::FilledRequest;
using socio::fault::Parses;
using socio::fault::RandomBytes;
using socio::fault::RawAnswer;
using socio::fault::RawCall;
using socio::fault::RpcMethod;
using socio::fault::SocioMethods;
using socio::testing::TestServer;
using socio::v1::Profile;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Small, so an oversized message is cheap to send.
constexpr int kMaxMessageBytes = 64 * 1024;
// Members stored before each test, so reads find something.
constexpr int kSeeded = 40;
// Profiles per import message: well under kMaxMessageBytes.
constexpr int kImportChunk = 40;
constexpr int kBatch = ProfileServiceImpl::kImportBatchSize;
constexpr char kBackup[] = "/socio.v1.AdminService/Backup";
constexpr char kImport[] = "/socio.v1.ProfileService/ImportProfiles";
constexpr char kWatch[] = "/socio.v1.ProfileService/WatchProfiles";

std::chrono::system_clock::time_point In(absl::Duration d) {
  return absl::ToChronoTime(absl::Now() + d);
}

// Random bytes that parse may name a directory Backup would write to.
bool SafeToSend(const RpcMethod& method, const std::string& bytes) {
  if (method.path != kBackup) return true;
  socio::v1::BackupRequest request;
  return !request.ParseFromString(bytes) || request.dir().empty() || request.dir()[0] != '/';
}

// What the server must answer to request bytes that do or do not parse.
void ExpectAnswer(const RpcMethod& method, bool parses, const RawAnswer& answer,
                  const std::string& what) {
  const grpc::StatusCode code = answer.status.error_code();
  SCOPED_TRACE(
      absl::StrCat(method.path, ": ", what, ": ", code, " '", answer.status.error_message(), "'"));
  if (parses) {
    // Socio's own answer: a validation error, NOT_FOUND, or a result.
    EXPECT_THAT(code, Not(AnyOf(grpc::StatusCode::UNKNOWN, grpc::StatusCode::INTERNAL,
                                grpc::StatusCode::DATA_LOSS, grpc::StatusCode::UNIMPLEMENTED,
                                grpc::StatusCode::UNAVAILABLE)));
  } else if (method.client_streaming()) {
    // The import sees its read fail on a message and says which.
    EXPECT_EQ(code, grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(answer.status.error_message(),
                HasSubstr("message 1 of the import stream does not parse"));
    EXPECT_THAT(answer.status.error_message(), HasSubstr("0 items, of which 0 stored"));
  } else {
    // gRPC refuses it before the handler runs; the server says why.
    EXPECT_EQ(code, grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(answer.status.error_message(), kUnparsableRequestMessage);
  }
}

class MalformedTrafficTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(server_, Start(kMaxMessageBytes));
    generic_ = std::make_unique<grpc::GenericStub>(server_->channel());
    for (int i = 0; i < kSeeded; ++i) ASSERT_TRUE(Create(generator_.Next()).ok());
  }

  // A server in development mode with metrics on and the request log off.
  static absl::StatusOr<std::unique_ptr<TestServer>> Start(int max_message_bytes) {
    return TestServer::Start({.max_message_bytes = max_message_bytes,
                              .dev_insecure = true,
                              .metrics_listen = "127.0.0.1:0",
                              .log_level = LogLevel::kOff});
  }

  grpc::Status Create(const Profile& profile) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = profile;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(10)));
    Profile created;
    return server_->profiles().CreateProfile(&context, request, &created);
  }

  // Reads `id` from this test's server, or through `stub`.
  grpc::StatusCode Get(const std::string& id, Profile* profile = nullptr,
                       socio::v1::ProfileService::Stub* stub = nullptr) {
    socio::v1::GetProfileRequest request;
    request.set_id(id);
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(10)));
    Profile read;
    grpc::Status status =
        (stub ? stub : &server_->profiles())->GetProfile(&context, request, &read);
    if (profile != nullptr) *profile = read;
    return status.error_code();
  }

  socio::v1::Stats Stats() {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(10)));
    socio::v1::Stats stats;
    EXPECT_TRUE(server_->admin().GetStats(&context, {}, &stats).ok());
    return stats;
  }

  // Polls the change log's end until it reaches `sequence`; whether it did.
  bool WaitForSequence(uint64_t sequence) {
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    while (Stats().last_sequence() < sequence) {
      if (absl::Now() > give_up) return false;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return true;
  }

  // How many calls of `method` ended with `code` (any code if empty), per
  // /metrics: the server's handler has returned.
  int Ended(const std::string& method, const std::string& code,
            const TestServer* server = nullptr) {
    httplib::Client client("127.0.0.1", (server ? server : server_.get())->sociod().metrics_port());
    httplib::Result result = client.Get("/metrics");
    if (!result) return -1;
    const std::string series =
        absl::StrCat("socio_requests_total{method=\"", method, "\",code=\"", code);
    int count = 0;
    for (size_t at = result->body.find(series); at != std::string::npos;
         at = result->body.find(series, at + 1)) {
      count += std::atoi(result->body.c_str() + result->body.find("} ", at) + 2);
    }
    return count;
  }
  // Waits until `Ended` reaches `count`; whether it did.
  bool WaitForEnded(const std::string& method, const std::string& code, int count,
                    const TestServer* server = nullptr) {
    const absl::Time give_up = absl::Now() + absl::Seconds(5);
    while (Ended(method, code, server) < count) {
      if (absl::Now() > give_up) return false;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return true;
  }

  // The server still serves: health SERVING, a new member stored and read.
  void ExpectServing() {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(10)));
    grpc::health::v1::HealthCheckResponse health;
    ASSERT_TRUE(
        grpc::health::v1::Health::NewStub(server_->channel())->Check(&context, {}, &health).ok());
    EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);
    const Profile fresh = generator_.Next();
    grpc::Status created = Create(fresh);
    ASSERT_TRUE(created.ok()) << created.error_message();
    Profile read;
    ASSERT_EQ(Get(fresh.id(), &read), grpc::StatusCode::OK);
    EXPECT_EQ(read.name(), fresh.name());
  }

  // An import of `items` new members in messages of `chunk`.
  std::vector<socio::v1::ImportProfilesRequest> ImportMessages(int items,
                                                               std::vector<std::string>* ids,
                                                               int chunk = kImportChunk) {
    std::vector<socio::v1::ImportProfilesRequest> messages;
    for (int i = 0; i < items; ++i) {
      if (i % chunk == 0) messages.emplace_back();
      Profile p = generator_.Next();
      ids->push_back(p.id());
      *messages.back().add_profiles() = std::move(p);
    }
    for (const auto& m : messages) EXPECT_LT(m.ByteSizeLong(), size_t{kMaxMessageBytes});
    return messages;
  }
  int CountStored(const std::vector<std::string>& ids,
                  socio::v1::ProfileService::Stub* stub = nullptr) {
    int stored = 0;
    for (const std::string& id : ids) stored += Get(id, nullptr, stub) == grpc::StatusCode::OK;
    return stored;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<grpc::GenericStub> generic_;
  bench::ProfileGenerator generator_{{.seed = 5}};
};

TEST_F(MalformedTrafficTest, RandomBytesGetAStatusFromEveryMethod) {
  // Strings that are not UTF-8 make protobuf log an error at each parse.
  google::protobuf::LogSilencer quiet;
  std::mt19937_64 rng(20260101);
  for (const RpcMethod& method : SocioMethods()) {
    int unparsable = 0;
    for (int i = 0; i < 24; ++i) {
      const std::string bytes = RandomBytes(rng, 1 + rng() % 300);
      if (!SafeToSend(method, bytes)) continue;
      const bool parses = Parses(method, bytes);
      unparsable += parses ? 0 : 1;
      ExpectAnswer(method, parses, RawCall(*generic_, method.path, {bytes}, {}),
                   absl::StrCat("random bytes #", i));
    }
    EXPECT_GT(unparsable, 0) << method.path;
  }
  ExpectServing();
}

TEST_F(MalformedTrafficTest, TruncatedMessagesGetAStatusFromEveryMethod) {
  google::protobuf::LogSilencer quiet;  // as above
  std::mt19937_64 rng(7);
  for (const RpcMethod& method : SocioMethods()) {
    const std::string whole = FilledRequest(method);
    if (whole.size() < 2) continue;  // no fields (WhoAmI, ListTokens, GetStats): nothing to cut
    int unparsable = 0;
    for (int i = 0; i < 12; ++i) {
      const size_t cut = i == 0 ? whole.size() - 1 : 1 + rng() % (whole.size() - 1);
      const std::string bytes = whole.substr(0, cut);
      const bool parses = Parses(method, bytes);
      unparsable += parses ? 0 : 1;
      ExpectAnswer(method, parses, RawCall(*generic_, method.path, {bytes}, {}),
                   absl::StrCat(cut, " of ", whole.size(), " bytes"));
    }
    EXPECT_GT(unparsable, 0) << method.path;
    // The whole message is Socio's to answer.
    ExpectAnswer(method, true, RawCall(*generic_, method.path, {whole}, {}), "whole");
  }
  ExpectServing();
}

TEST_F(MalformedTrafficTest, InvalidUtf8IsInvalidArgumentSayingSo) {
  google::protobuf::LogSilencer quiet;  // protobuf logs each string it refuses
  int refused = 0;
  for (const RpcMethod& method : SocioMethods()) {
    if (method.client_streaming()) continue;
    // Every string field of the filled request ("x1") made invalid UTF-8 of
    // the same length ("\xc3\x28": a lead byte without its continuation).
    const std::string bytes =
        absl::StrReplaceAll(FilledRequest(method), {{"x1", absl::string_view("\xc3\x28", 2)}});
    if (Parses(method, bytes)) continue;  // no string field
    ++refused;
    const int before = Ended(method.path, "INVALID_ARGUMENT");
    RawAnswer answer = RawCall(*generic_, method.path, {bytes}, {});
    EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method.path;
    EXPECT_THAT(answer.status.error_message(), HasSubstr("not valid UTF-8")) << method.path;
    // Counted as the caller's mistake, not as a server failure.
    EXPECT_TRUE(WaitForEnded(method.path, "INVALID_ARGUMENT", before + 1)) << method.path;
    EXPECT_EQ(Ended(method.path, "INTERNAL"), 0) << method.path;
  }
  EXPECT_GT(refused, 20);

  // Through a generated stub: a name in Latin-1 is refused and stores nothing.
  Profile latin1 = generator_.Next();
  latin1.set_name("Caf\xe9 M\xfcller");
  grpc::Status created = Create(latin1);
  EXPECT_EQ(created.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(created.error_message(), kUnparsableRequestMessage);
  EXPECT_EQ(Get(latin1.id()), grpc::StatusCode::NOT_FOUND);
  ExpectServing();
}

TEST_F(MalformedTrafficTest, OversizedMessagesAreResourceExhausted) {
  std::mt19937_64 rng(3);
  const std::string oversized = RandomBytes(rng, kMaxMessageBytes + 1024);
  for (const RpcMethod& method : SocioMethods()) {
    RawAnswer answer = RawCall(*generic_, method.path, {oversized}, {});
    EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << method.path;
    EXPECT_THAT(answer.status.error_message(), HasSubstr("larger than max")) << method.path;
  }
  // In an import, after a batch and a half of good messages that say more
  // follow: the whole batch is stored, the half batch read since is not.
  std::vector<std::string> ids;
  std::vector<std::string> stream;
  for (auto& message : ImportMessages(kBatch + kBatch / 2, &ids)) {
    message.set_more(true);
    stream.push_back(message.SerializeAsString());
  }
  stream.push_back(oversized);
  const int imports_ended = Ended(kImport, "");
  RawAnswer answer = RawCall(*generic_, kImport, stream, {});
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // The client has its answer before the handler has ended: count once it has.
  ASSERT_TRUE(WaitForEnded(kImport, "", imports_ended + 1));
  EXPECT_EQ(CountStored(ids), kBatch);
  EXPECT_EQ(CountStored({ids.begin(), ids.begin() + kBatch}), kBatch);
  ExpectServing();
}

// The same at sociod's default limit (16 MiB): 1,500 items, then a message
// of 17 MiB. Without `more` the items read since the batch were stored or not
// depending on how soon gRPC marked the call cancelled (stored, more often).
TEST_F(MalformedTrafficTest, AnImportCutByAMessageOverTheDefaultLimitKeepsOnlyWholeBatches) {
  ASSERT_EQ(SociodOptions().max_message_bytes, 16 << 20);
  ASSIGN_OR_FAIL(std::unique_ptr<TestServer> server, Start(SociodOptions().max_message_bytes));
  grpc::GenericStub generic(server->channel());
  std::vector<std::string> ids;
  std::vector<std::string> stream;
  for (auto& message : ImportMessages(kBatch + kBatch / 2, &ids, 100)) {
    message.set_more(true);
    stream.push_back(message.SerializeAsString());
  }
  std::mt19937_64 rng(3);
  stream.push_back(RandomBytes(rng, 17 << 20));
  RawAnswer answer = RawCall(generic, kImport, stream, {});
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(answer.status.error_message(), HasSubstr("larger than max"));
  ASSERT_TRUE(WaitForEnded(kImport, "", 1, server.get()));
  EXPECT_EQ(CountStored(ids, &server->profiles()), kBatch);
}

// Ten messages of 100 items, the fourth with a name that is not UTF-8: the
// import stops there, says so, and stores nothing of the unfinished batch,
// whether the client marks its messages with `more` or not.
TEST_F(MalformedTrafficTest, AnImportMessageThatDoesNotParseFailsTheImport) {
  google::protobuf::LogSilencer quiet;  // protobuf logs the string it cannot serialize
  for (const bool marked : {false, true}) {
    SCOPED_TRACE(marked ? "messages say more follow" : "messages without more");
    std::vector<std::string> ids;
    std::vector<socio::v1::ImportProfilesRequest> messages = ImportMessages(1000, &ids, 100);
    messages[3].mutable_profiles(50)->set_name("Caf\xe9 M\xfcller");  // Latin-1
    std::vector<std::string> stream;
    for (size_t m = 0; m < messages.size(); ++m) {
      messages[m].set_more(marked && m + 1 < messages.size());
      stream.push_back(messages[m].SerializeAsString());
    }
    RawAnswer answer = RawCall(*generic_, kImport, stream, {});
    EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(answer.status.error_message(),
                HasSubstr("message 4 of the import stream does not parse"));
    EXPECT_THAT(answer.status.error_message(),
                HasSubstr("3 messages, 300 items, of which 0 stored"));
    EXPECT_EQ(CountStored(ids), 0);
  }
  // Past a batch: the batch stays, what came after it does not.
  std::vector<std::string> ids;
  std::vector<std::string> stream;
  for (auto& message : ImportMessages(kBatch + kBatch / 2, &ids)) {
    message.set_more(true);
    stream.push_back(message.SerializeAsString());
  }
  socio::v1::ImportProfilesRequest bad;
  *bad.add_profiles() = generator_.Next();
  bad.mutable_profiles(0)->set_city("\xff");
  stream.push_back(bad.SerializeAsString());
  RawAnswer answer = RawCall(*generic_, kImport, stream, {});
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(answer.status.error_message(),
              HasSubstr(absl::StrCat(stream.size() - 1,
                                     " messages, 1500 items, of which 1000 "
                                     "stored (1000 created, 0 updated)")));
  EXPECT_THAT(answer.status.error_message(), HasSubstr("the other 500 not stored"));
  EXPECT_EQ(CountStored(ids), kBatch);
  ExpectServing();
}

TEST_F(MalformedTrafficTest, EmptyRequestsGetTheirValidationAnswer) {
  using C = grpc::StatusCode;
  const absl::flat_hash_map<std::string, std::pair<C, std::string>> expected = {
      {"/socio.v1.ProfileService/CreateProfile", {C::INVALID_ARGUMENT, "profile: is required"}},
      {"/socio.v1.ProfileService/GetProfile", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ProfileService/UpdateProfile", {C::INVALID_ARGUMENT, "profile: is required"}},
      {"/socio.v1.ProfileService/DeleteProfile", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ProfileService/ListProfiles", {C::OK, ""}},
      {kImport, {C::OK, ""}},
      // Streams the seeded changes; RawCall cancels it after 16.
      {kWatch, {C::CANCELLED, ""}},
      {"/socio.v1.MatchService/FindPartners",
       {C::INVALID_ARGUMENT, "member_id or probe: one is required"}},
      {"/socio.v1.MatchService/ExplainMatch", {C::INVALID_ARGUMENT, "a_id: must not be empty"}},
      {"/socio.v1.MatchService/GetMatchPolicy", {C::INVALID_ARGUMENT, "chamber_id: is required"}},
      {"/socio.v1.MatchService/SetMatchPolicy",
       {C::INVALID_ARGUMENT, "policy.chamber_id: is required"}},
      {"/socio.v1.MatchService/ScorePairs", {C::INVALID_ARGUMENT, "a_ids: give at least one id"}},
      {"/socio.v1.MatchService/SuggestMatchPolicy",
       {C::INVALID_ARGUMENT, "chamber_id: is required"}},
      {"/socio.v1.DelegationService/CreateDelegation",
       {C::INVALID_ARGUMENT, "delegation: is required"}},
      {"/socio.v1.DelegationService/GetDelegation", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.DelegationService/UpdateDelegation",
       {C::INVALID_ARGUMENT, "delegation: is required"}},
      {"/socio.v1.DelegationService/DeleteDelegation", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.DelegationService/ListDelegations", {C::OK, ""}},
      {"/socio.v1.DelegationService/PlanDelegation", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.DelegationService/PublishPlan", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.DelegationService/RecommendDestinations",
       {C::INVALID_ARGUMENT, "chamber_id: is required"}},
      {"/socio.v1.DelegationService/GetAgenda", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.DelegationService/InviteHosts",
       {C::INVALID_ARGUMENT, "delegation_id: is required"}},
      {"/socio.v1.DelegationService/AnswerHostInvitation",
       {C::INVALID_ARGUMENT, "delegation_id: is required"}},
      {"/socio.v1.DelegationService/ListHostInvitations",
       {C::INVALID_ARGUMENT, "delegation_id: give either delegation_id or member_id"}},
      {"/socio.v1.DelegationService/GetDelegationBriefing",
       {C::INVALID_ARGUMENT, "delegation_id: is required"}},
      {"/socio.v1.AdminService/WhoAmI", {C::OK, ""}},
      {"/socio.v1.AdminService/IssueToken",
       {C::INVALID_ARGUMENT, "role: must be ADMIN, STAFF or MEMBER"}},
      {"/socio.v1.AdminService/RevokeToken", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.AdminService/ListTokens", {C::OK, ""}},
      {kBackup, {C::INVALID_ARGUMENT, "dir: is required"}},
      {"/socio.v1.AdminService/GetStats", {C::OK, ""}},
      {"/socio.v1.OutcomeService/RecordOutcome", {C::INVALID_ARGUMENT, "member_id: is required"}},
      {"/socio.v1.OutcomeService/GetMeetingOutcome",
       {C::INVALID_ARGUMENT, "meeting: names either"}},
      {"/socio.v1.OutcomeService/ListOutcomes",
       {C::INVALID_ARGUMENT, "operators name one of them"}},
      {"/socio.v1.PartnershipService/CreatePartnership",
       {C::INVALID_ARGUMENT, "partnership: is required"}},
      {"/socio.v1.PartnershipService/GetPartnership", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.PartnershipService/ListPartnerships",
       {C::INVALID_ARGUMENT, "member_id: a member_id or a chamber_id is required"}},
      {"/socio.v1.PartnershipService/UpdatePartnership",
       {C::INVALID_ARGUMENT, "partnership: is required"}},
      {"/socio.v1.PartnershipService/RecordReview",
       {C::INVALID_ARGUMENT, "partnership_id: is required"}},
      {"/socio.v1.PartnershipService/ListReviews",
       {C::INVALID_ARGUMENT, "partnership_id: is required"}},
      {"/socio.v1.AnalyticsService/GetAnalytics", {C::INVALID_ARGUMENT, "chamber_id: is required"}},
      {"/socio.v1.ExchangeService/CreateExchange", {C::INVALID_ARGUMENT, "exchange: is required"}},
      {"/socio.v1.ExchangeService/GetExchange", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ExchangeService/UpdateExchange", {C::INVALID_ARGUMENT, "exchange: is required"}},
      {"/socio.v1.ExchangeService/ListExchanges", {C::OK, ""}},
      {"/socio.v1.ExchangeService/DeleteExchange", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ExchangeService/GetExchangeBalance", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ChamberService/CreateChamber", {C::INVALID_ARGUMENT, "chamber: is required"}},
      {"/socio.v1.ChamberService/GetChamber", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ChamberService/ListChambers", {C::OK, ""}},
      {"/socio.v1.ChamberService/UpdateChamber", {C::INVALID_ARGUMENT, "chamber: is required"}},
      {"/socio.v1.ChamberService/DeleteChamber", {C::INVALID_ARGUMENT, "id: is required"}},
      {"/socio.v1.ChamberService/ProposePartnerChamber",
       {C::INVALID_ARGUMENT, "chamber_id: is required for an operator"}},
      {"/socio.v1.ChamberService/AcceptPartnerChamber",
       {C::INVALID_ARGUMENT, "chamber_id: is required for an operator"}},
      {"/socio.v1.ChamberService/EndPartnerChamber",
       {C::INVALID_ARGUMENT, "chamber_id: is required for an operator"}},
      {"/socio.v1.ChamberService/ListPartnerChambers",
       {C::INVALID_ARGUMENT, "chamber_id: is required for an operator"}},
  };
  const std::vector<RpcMethod> methods = SocioMethods();
  EXPECT_EQ(methods.size(), expected.size()) << "a new RPC needs its line here";
  for (const RpcMethod& method : methods) {
    auto it = expected.find(method.path);
    ASSERT_NE(it, expected.end()) << method.path;
    RawAnswer answer = RawCall(*generic_, method.path, {""}, {});
    EXPECT_EQ(answer.status.error_code(), it->second.first) << method.path;
    EXPECT_THAT(answer.status.error_message(), HasSubstr(it->second.second)) << method.path;
    if (method.path == kWatch) {
      EXPECT_EQ(answer.responses.size(), 16u);
    }
  }
  ExpectServing();
}

TEST_F(MalformedTrafficTest, CallsPastTheirDeadlineWriteNothing) {
  const socio::v1::Stats before = Stats();
  Profile seeded;
  ASSERT_EQ(Get(generator_.Generate(0).id(), &seeded), grpc::StatusCode::OK);
  // Every method, with a whole request, after its deadline.
  for (const RpcMethod& method : SocioMethods()) {
    RawAnswer answer = RawCall(*generic_, method.path, {FilledRequest(method)},
                               {.deadline = std::chrono::milliseconds(-1000)});
    EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << method.path;
  }
  // Good writes through the typed stubs, after their deadline.
  const Profile fresh = generator_.Next();
  {
    grpc::ClientContext context;
    context.set_deadline(In(-absl::Seconds(1)));
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = fresh;
    Profile answer;
    EXPECT_EQ(server_->profiles().CreateProfile(&context, request, &answer).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(In(-absl::Seconds(1)));
    socio::v1::UpdateProfileRequest request;
    request.mutable_profile()->set_id(seeded.id());
    request.mutable_profile()->set_employees(seeded.employees() + 1);
    request.mutable_update_mask()->add_paths("employees");
    Profile answer;
    EXPECT_EQ(server_->profiles().UpdateProfile(&context, request, &answer).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(In(-absl::Seconds(1)));
    socio::v1::DeleteProfileRequest request;
    request.set_id(seeded.id());
    socio::v1::DeleteProfileResponse answer;
    EXPECT_EQ(server_->profiles().DeleteProfile(&context, request, &answer).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(In(-absl::Seconds(1)));
    socio::v1::SetMatchPolicyRequest request;
    request.mutable_policy()->set_chamber_id(seeded.chamber_id());
    request.mutable_policy()->mutable_weights()->set_objective(1);
    socio::v1::MatchPolicy answer;
    EXPECT_EQ(server_->matches().SetMatchPolicy(&context, request, &answer).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  EXPECT_EQ(Get(fresh.id()), grpc::StatusCode::NOT_FOUND);
  Profile after;
  ASSERT_EQ(Get(seeded.id(), &after), grpc::StatusCode::OK);
  EXPECT_EQ(after.version(), seeded.version());
  EXPECT_EQ(Stats().last_sequence(), before.last_sequence());
  EXPECT_EQ(Stats().active_tokens(), before.active_tokens());  // IssueToken above wrote nothing
  EXPECT_EQ(Stats().delegations(), 0);                         // nor CreateDelegation

  // A deadline that passes mid-import: the items the server holds
  // (under one batch) are not committed after the caller has given up.
  std::vector<std::string> ids;
  const auto messages = ImportMessages(3 * kImportChunk, &ids);
  socio::v1::ImportProfilesSummary summary;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Milliseconds(300)));
  auto stream = server_->profiles().ImportProfiles(&context, &summary);
  ASSERT_TRUE(stream->Write(messages[0]));
  ASSERT_TRUE(stream->Write(messages[1]));
  absl::SleepFor(absl::Milliseconds(600));
  (void)stream->Write(messages[2]);  // too late
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ASSERT_TRUE(WaitForEnded(kImport, "", 1));
  EXPECT_EQ(CountStored(ids), 0);
  ExpectServing();
}

TEST_F(MalformedTrafficTest, AnImportCancelledMidwayKeepsOnlyWholeBatches) {
  const uint64_t start = Stats().last_sequence();
  std::vector<std::string> ids;
  const auto messages = ImportMessages(kBatch + 5 * kImportChunk, &ids);
  socio::v1::ImportProfilesSummary summary;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(30)));
  auto stream = server_->profiles().ImportProfiles(&context, &summary);
  for (const auto& message : messages) ASSERT_TRUE(stream->Write(message));
  // The first batch is committed; the rest of the items wait for more.
  ASSERT_TRUE(WaitForSequence(start + kBatch));
  context.TryCancel();
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(WaitForEnded(kImport, "", 1));
  EXPECT_EQ(Stats().last_sequence(), start + kBatch);
  EXPECT_EQ(CountStored(ids), kBatch);
  for (int i = 0; i < kBatch; i += 97) EXPECT_EQ(Get(ids[i]), grpc::StatusCode::OK) << i;
  ExpectServing();
}

TEST_F(MalformedTrafficTest, AWatchCancelledMidwayEndsAndTheServerServes) {
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(30)));
  auto stream = server_->profiles().WatchProfiles(&context, {});
  socio::v1::ProfileChange change;
  for (int i = 0; i < kSeeded / 2; ++i) ASSERT_TRUE(stream->Read(&change));
  context.TryCancel();
  while (stream->Read(&change)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The handler has ended, not only the client's side.
  EXPECT_TRUE(WaitForEnded(kWatch, "CANCELLED", 1));
  ExpectServing();
}

TEST_F(MalformedTrafficTest, ConnectionsDroppedMidCallDoNoHarm) {
  // Clients that connect, send bytes that are not HTTP/2 or a broken
  // HTTP/2 start, and reset the connection.
  std::mt19937_64 rng(11);
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  for (int i = 0; i < 20; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    std::string bytes = RandomBytes(rng, 1 + rng() % 200);
    if (i % 2 == 0) bytes = preface.substr(0, i % 4 == 0 ? preface.size() : 10) + bytes;
    (void)write(fd, bytes.data(), bytes.size());  // the server may have hung up already
    struct linger hard = {.l_onoff = 1, .l_linger = 0};
    (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));  // reset, not close
    close(fd);
  }
  ExpectServing();

  // An import through a relay that is cut after the first batch: only that
  // batch is stored.
  socio::fault::TcpProxy proxy(server_->port());
  ASSERT_THAT(proxy.Start(), socio::testing::IsOk());
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto relayed =
      grpc::CreateCustomChannel(proxy.address(), grpc::InsecureChannelCredentials(), args);
  auto relayed_profiles = socio::v1::ProfileService::NewStub(relayed);
  const uint64_t start = Stats().last_sequence();
  std::vector<std::string> ids;
  const auto messages = ImportMessages(kBatch + 5 * kImportChunk, &ids);
  {
    socio::v1::ImportProfilesSummary summary;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    auto stream = relayed_profiles->ImportProfiles(&context, &summary);
    for (const auto& message : messages) ASSERT_TRUE(stream->Write(message));
    ASSERT_TRUE(WaitForSequence(start + kBatch));
    proxy.CutAll();
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  ASSERT_TRUE(WaitForEnded(kImport, "", 1));
  EXPECT_EQ(Stats().last_sequence(), start + kBatch);
  EXPECT_EQ(CountStored(ids), kBatch);

  // A watch through the relay, cut while it waits for changes: its handler ends.
  {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    auto stream = relayed_profiles->WatchProfiles(&context, {});
    socio::v1::ProfileChange change;
    ASSERT_TRUE(stream->Read(&change));
    proxy.CutAll();
    while (stream->Read(&change)) {
    }
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_TRUE(WaitForEnded(kWatch, "CANCELLED", 1));
  ExpectServing();
}

}  // namespace
}  // namespace socio::services
