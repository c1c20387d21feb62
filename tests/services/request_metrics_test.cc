// Request metrics and the request log: the counters and histograms on their
// own, then through a real gRPC server (unary, client-streaming and
// server-streaming calls) scraped over HTTP from a MetricsHttpServer.
#include "services/request_metrics.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "services/metrics_http.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::services {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::DoubleNear;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Key;
using ::testing::Lt;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kCreate[] = "/socio.v1.ProfileService/CreateProfile";
constexpr char kGet[] = "/socio.v1.ProfileService/GetProfile";
constexpr char kImport[] = "/socio.v1.ProfileService/ImportProfiles";
constexpr char kWatch[] = "/socio.v1.ProfileService/WatchProfiles";

// Parses the text exposition format: every line is a comment (# HELP / # TYPE
// before the family's samples) or `name{label="value",...} number`. Fails the
// test on any other line; returns the samples by their `name{labels}` text.
std::map<std::string, double> ParseExposition(const std::string& text) {
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")"
      R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (\S+)$)");
  static const std::regex kComment(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$)");
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family -> type
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "the last line has no newline";
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const std::string s(line);
    std::smatch m;
    if (std::regex_match(s, m, kComment)) {
      if (m[1] == "TYPE") {
        EXPECT_THAT(m[3].str(), MatchesRegex("counter|gauge|histogram|summary|untyped")) << s;
        types[m[2]] = m[3];
      }
      continue;
    }
    if (!std::regex_match(s, m, kSample)) {
      ADD_FAILURE() << "not a sample line: " << s;
      continue;
    }
    std::string family = m[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (types.count(family) == 0 && absl::EndsWith(family, suffix)) {
        family.resize(family.size() - strlen(suffix));
      }
    }
    EXPECT_TRUE(types.count(family)) << "no # TYPE before " << s;
    double value = 0;
    EXPECT_TRUE(absl::SimpleAtod(m[3].str(), &value)) << "bad value in " << s;
    EXPECT_TRUE(samples.emplace(m[1].str() + m[2].str(), value).second) << "repeated: " << s;
  }
  return samples;
}

std::string Requests(absl::string_view method, absl::string_view code) {
  return absl::StrCat("socio_requests_total{method=\"", method, "\",code=\"", code, "\"}");
}
std::string Bucket(absl::string_view method, absl::string_view le) {
  return absl::StrCat("socio_request_duration_seconds_bucket{method=\"", method, "\",le=\"", le,
                      "\"}");
}
std::string Count(absl::string_view method) {
  return absl::StrCat("socio_request_duration_seconds_count{method=\"", method, "\"}");
}
std::string Sum(absl::string_view method) {
  return absl::StrCat("socio_request_duration_seconds_sum{method=\"", method, "\"}");
}

TEST(RequestMetricsTest, CountsByMethodAndCodeWithCumulativeBuckets) {
  RequestMetrics metrics;
  metrics.Record(kGet, grpc::StatusCode::OK, absl::Microseconds(300));
  metrics.Record(kGet, grpc::StatusCode::OK, absl::Milliseconds(2));
  metrics.Record(kGet, grpc::StatusCode::NOT_FOUND, absl::Seconds(20));
  metrics.Record(kCreate, grpc::StatusCode::INVALID_ARGUMENT, absl::Milliseconds(1));
  metrics.Record(kCreate, static_cast<grpc::StatusCode>(99), absl::Milliseconds(1));

  const std::string text = metrics.RenderPrometheus();
  const std::map<std::string, double> samples = ParseExposition(text);
  EXPECT_THAT(samples, Contains(Pair(Requests(kGet, "OK"), 2)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kGet, "NOT_FOUND"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kCreate, "INVALID_ARGUMENT"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kCreate, "UNKNOWN"), 1)));
  EXPECT_THAT(samples, Not(Contains(Key(Requests(kGet, "INTERNAL")))));  // unseen codes: no line
  EXPECT_THAT(samples, Contains(Pair(Bucket(kGet, "0.0001"), 0)));
  EXPECT_THAT(samples, Contains(Pair(Bucket(kGet, "0.0005"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Bucket(kGet, "0.0025"), 2)));
  EXPECT_THAT(samples, Contains(Pair(Bucket(kGet, "10"), 2)));
  EXPECT_THAT(samples, Contains(Pair(Bucket(kGet, "+Inf"), 3)));
  EXPECT_THAT(samples, Contains(Pair(Count(kGet), 3)));
  EXPECT_THAT(samples, Contains(Pair(Sum(kGet), DoubleNear(20.0023, 1e-9))));
  // A call exactly on a bound falls in that bucket (le is "less or equal").
  EXPECT_THAT(samples, Contains(Pair(Bucket(kCreate, "0.001"), 2)));

  EXPECT_THAT(text, HasSubstr("# TYPE socio_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE socio_request_duration_seconds histogram\n"));
}

TEST(RequestMetricsTest, EscapesLabelValuesAndHelpText) {
  RequestMetrics metrics;
  metrics.Record("/a\"b\\c\nd", grpc::StatusCode::OK, absl::Milliseconds(1));
  ASSERT_THAT(metrics.AddGauge("socio_x", "line one\nback\\slash", [] { return 1.0; }), IsOk());
  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr(R"(socio_requests_total{method="/a\"b\\c\nd",code="OK"} 1)"));
  EXPECT_THAT(text, HasSubstr("# HELP socio_x line one\\nback\\\\slash\n"));
  ParseExposition(text);
}

TEST(RequestMetricsTest, GaugesAreReadAtEachRenderingInTheOrderAdded) {
  RequestMetrics metrics;
  std::atomic<int> profiles = 7;
  ASSERT_THAT(
      metrics.AddGauge("socio_profiles", "Profiles stored.", [&] { return profiles.load(); }),
      IsOk());
  ASSERT_THAT(metrics.AddGauge("socio_index_bytes", "Bytes.", [] { return 1234567890.0; }), IsOk());
  ASSERT_THAT(metrics.AddGauge("socio_ratio", "A ratio.", [] { return 0.25; }), IsOk());
  ASSERT_THAT(metrics.AddGauge("socio_unknown", "Not known.", [] { return std::nan(""); }), IsOk());

  std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("# HELP socio_profiles Profiles stored.\n"
                              "# TYPE socio_profiles gauge\n"
                              "socio_profiles 7\n"
                              "# HELP socio_index_bytes Bytes.\n"));
  EXPECT_THAT(text, HasSubstr("socio_index_bytes 1234567890\n"));
  EXPECT_THAT(text, HasSubstr("socio_ratio 0.25\n"));
  EXPECT_THAT(text, HasSubstr("socio_unknown NaN\n"));
  ParseExposition(text);

  profiles = 8;
  EXPECT_THAT(metrics.RenderPrometheus(), HasSubstr("socio_profiles 8\n"));
}

TEST(RequestMetricsTest, AddGaugeRefusesBadAndTakenNames) {
  RequestMetrics metrics;
  auto one = [] { return 1.0; };
  EXPECT_THAT(metrics.AddGauge("", "h", one), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(metrics.AddGauge("9lives", "h", one), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(metrics.AddGauge("socio-profiles", "h", one),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("socio-profiles")));
  ASSERT_THAT(metrics.AddGauge("socio:profiles_1", "h", one), IsOk());
  EXPECT_THAT(metrics.AddGauge("socio:profiles_1", "h", one),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(metrics.AddGauge("socio_requests_total", "h", one),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(metrics.AddGauge("socio_request_duration_seconds_count", "h", one),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(RequestMetricsTest, ConcurrentRecordsAreAllCounted) {
  RequestMetrics metrics;
  constexpr int kThreads = 8, kCallsPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      const std::string method = absl::StrCat("/m/Method", t % 3);
      for (int i = 0; i < kCallsPerThread; ++i) {
        metrics.Record(method, i % 2 ? grpc::StatusCode::OK : grpc::StatusCode::ABORTED,
                       absl::Microseconds(i));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::map<std::string, double> samples = ParseExposition(metrics.RenderPrometheus());
  double total = 0;
  for (int m = 0; m < 3; ++m) {
    const std::string method = absl::StrCat("/m/Method", m);
    total += samples.at(Count(method));
    EXPECT_EQ(samples.at(Count(method)),
              samples.at(Requests(method, "OK")) + samples.at(Requests(method, "ABORTED")));
  }
  EXPECT_EQ(total, kThreads * kCallsPerThread);
}

TEST(RequestLogLevelTest, WritesAreInfoReadsAreDebugServerFailuresAreWarnings) {
  EXPECT_TRUE(IsWriteMethod(kCreate));
  EXPECT_TRUE(IsWriteMethod(kImport));
  EXPECT_TRUE(IsWriteMethod("/socio.v1.MatchService/SetMatchPolicy"));
  EXPECT_TRUE(IsWriteMethod("/socio.v1.DelegationService/PlanDelegation"));
  EXPECT_TRUE(IsWriteMethod("/socio.v1.AdminService/IssueToken"));
  EXPECT_TRUE(IsWriteMethod("/socio.v1.AdminService/RevokeToken"));
  EXPECT_TRUE(IsWriteMethod("/socio.v1.AdminService/Backup"));
  EXPECT_FALSE(IsWriteMethod(kGet));
  EXPECT_FALSE(IsWriteMethod(kWatch));
  EXPECT_FALSE(IsWriteMethod("/socio.v1.MatchService/FindPartners"));
  EXPECT_FALSE(IsWriteMethod("/x.Service/Settings"));  // "Set" must end the verb
  EXPECT_FALSE(IsWriteMethod("/grpc.health.v1.Health/Check"));

  EXPECT_EQ(RequestLogLevel(kCreate, grpc::StatusCode::INVALID_ARGUMENT), LogLevel::kInfo);
  EXPECT_EQ(RequestLogLevel(kGet, grpc::StatusCode::NOT_FOUND), LogLevel::kDebug);
  EXPECT_EQ(RequestLogLevel(kGet, grpc::StatusCode::INTERNAL), LogLevel::kWarning);
  EXPECT_EQ(RequestLogLevel(kCreate, grpc::StatusCode::DATA_LOSS), LogLevel::kWarning);
}

TEST(RequestLogLevelTest, ParsesTheFlagValues) {
  EXPECT_EQ(ParseLogLevel("debug").value_or(LogLevel::kOff), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("info").value_or(LogLevel::kOff), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("warning").value_or(LogLevel::kOff), LogLevel::kWarning);
  EXPECT_EQ(ParseLogLevel("off").value_or(LogLevel::kDebug), LogLevel::kOff);
  EXPECT_THAT(ParseLogLevel("verbose"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("verbose")));
}

// A ProfileService that only answers: enough to make calls of each kind
// succeed or fail on demand without a store behind them.
class ScriptedProfileService final : public socio::v1::ProfileService::Service {
 public:
  // Names its caller "tok-7" in the request log, as Serve does with the
  // caller's token id.
  grpc::Status CreateProfile(grpc::ServerContext* context,
                             const socio::v1::CreateProfileRequest* request,
                             socio::v1::Profile* response) override {
    NoteCaller(*context, "tok-7");
    if (request->profile().name().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "profile.name: must not be empty");
    }
    *response = request->profile();
    return grpc::Status::OK;
  }

  grpc::Status GetProfile(grpc::ServerContext*, const socio::v1::GetProfileRequest* request,
                          socio::v1::Profile*) override {
    // Protobuf strings are UTF-8; a status message need not be.
    const std::string id = request->id() == "latin-1" ? "Bogot\xe1" : request->id();
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no profile '" + id + "'");
  }

  grpc::Status ImportProfiles(grpc::ServerContext*,
                              grpc::ServerReader<socio::v1::ImportProfilesRequest>* reader,
                              socio::v1::ImportProfilesSummary* summary) override {
    socio::v1::ImportProfilesRequest request;
    while (reader->Read(&request)) summary->set_received(summary->received() + 1);
    return grpc::Status::OK;
  }

  // Sends one change, then holds the stream open until the client leaves.
  grpc::Status WatchProfiles(grpc::ServerContext* context, const socio::v1::WatchProfilesRequest*,
                             grpc::ServerWriter<socio::v1::ProfileChange>* writer) override {
    socio::v1::ProfileChange change;
    change.set_sequence(1);
    // A failed write means the client left; the loop then ends at once.
    (void)writer->Write(change);
    while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
    return grpc::Status::CANCELLED;
  }
};

// Collects the request log's lines.
class LogCapture {
 public:
  std::function<void(absl::string_view)> Sink() {
    return [this](absl::string_view line) {
      absl::MutexLock lock(&mu_);
      lines_.emplace_back(line);
    };
  }
  std::vector<std::string> lines() const {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

// A log line parsed as JSON (protobuf's parser: a strict, independent one).
google::protobuf::Struct ParseJson(const std::string& line) {
  google::protobuf::Struct json;
  const auto status = google::protobuf::util::JsonStringToMessage(line, &json);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << line;
  return json;
}

std::string Field(const google::protobuf::Struct& json, const std::string& name) {
  auto it = json.fields().find(name);
  return it == json.fields().end() ? "<absent>" : it->second.string_value();
}

class RequestInterceptorTest : public ::testing::Test {
 protected:
  void StartServer(LogLevel level, bool capture_log = true) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(std::make_unique<RequestInterceptorFactory>(
        &metrics_, RequestLogOptions{.level = level, .sink = capture_log ? log_.Sink() : nullptr}));
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    builder.experimental().SetInterceptorCreators(std::move(creators));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
    stub_ = socio::v1::ProfileService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  grpc::Status Create(const std::string& name) {
    socio::v1::CreateProfileRequest request;
    request.mutable_profile()->set_id("mx-0001");
    request.mutable_profile()->set_name(name);
    socio::v1::Profile response;
    return stub_->CreateProfile(Context().get(), request, &response);
  }

  grpc::Status Get(const std::string& id) {
    socio::v1::GetProfileRequest request;
    request.set_id(id);
    socio::v1::Profile response;
    return stub_->GetProfile(Context().get(), request, &response);
  }

  // The metrics as a scraper sees them: over HTTP.
  std::map<std::string, double> Scrape() {
    MetricsHttpServer http(&metrics_, "127.0.0.1:0");
    EXPECT_THAT(http.Start(), IsOk());
    httplib::Client client("127.0.0.1", http.port());
    client.set_read_timeout(10, 0);
    httplib::Result result = client.Get("/metrics");
    if (!result) {
      ADD_FAILURE() << "GET /metrics failed: " << httplib::to_string(result.error());
      return {};
    }
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return ParseExposition(result->body);
  }

  RequestMetrics metrics_;
  LogCapture log_;
  ScriptedProfileService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::unique_ptr<socio::v1::ProfileService::Stub> stub_;
};

TEST_F(RequestInterceptorTest, RecordsUnaryClientStreamingAndServerStreamingCalls) {
  StartServer(LogLevel::kInfo);
  ASSERT_TRUE(Create("Salsas del Bajío").ok());
  ASSERT_TRUE(Create("Moles de León").ok());
  ASSERT_EQ(Create("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(Get("nobody").error_code(), grpc::StatusCode::NOT_FOUND);

  {
    socio::v1::ImportProfilesSummary summary;
    auto context = Context();
    auto writer = stub_->ImportProfiles(context.get(), &summary);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(writer->Write(socio::v1::ImportProfilesRequest()));
    ASSERT_TRUE(writer->WritesDone());
    ASSERT_TRUE(writer->Finish().ok());
    EXPECT_EQ(summary.received(), 3);
  }

  // A stream is counted when it ends, with its whole duration.
  {
    auto context = Context();
    auto reader = stub_->WatchProfiles(context.get(), socio::v1::WatchProfilesRequest());
    socio::v1::ProfileChange change;
    ASSERT_TRUE(reader->Read(&change));
    absl::SleepFor(absl::Milliseconds(100));
    EXPECT_THAT(Scrape(), Not(Contains(Key(Count(kWatch)))));
    context->TryCancel();
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  std::map<std::string, double> samples;
  for (absl::Time deadline = absl::Now() + absl::Seconds(10); absl::Now() < deadline;) {
    samples = Scrape();
    if (samples.count(Count(kWatch))) break;
    absl::SleepFor(absl::Milliseconds(10));
  }

  EXPECT_THAT(samples, Contains(Pair(Requests(kCreate, "OK"), 2)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kCreate, "INVALID_ARGUMENT"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kGet, "NOT_FOUND"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kImport, "OK"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Requests(kWatch, "CANCELLED"), 1)));
  EXPECT_THAT(samples, Contains(Pair(Count(kCreate), 3)));
  EXPECT_THAT(samples, Contains(Pair(Bucket(kCreate, "+Inf"), 3)));
  EXPECT_THAT(samples, Contains(Pair(Count(kImport), 1)));
  EXPECT_THAT(samples, Contains(Pair(Sum(kWatch), Ge(0.1))));
  EXPECT_THAT(samples, Contains(Pair(Bucket(kWatch, "0.1"), 0)));
}

TEST_F(RequestInterceptorTest, UnregisteredMethodsShareOneLabel) {
  StartServer(LogLevel::kInfo);
  grpc::GenericStub generic(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
  for (const char* method : {"/no.Such/MethodA", "/no.Such/MethodB"}) {
    grpc::CompletionQueue queue;
    auto context = Context();
    grpc::ByteBuffer request, response;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        generic.PrepareUnaryCall(context.get(), method, request, &queue);
    call->StartCall();
    grpc::Status status;
    call->Finish(&response, &status, nullptr);
    void* tag;
    bool ok;
    ASSERT_TRUE(queue.Next(&tag, &ok));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << method;
  }
  const std::string text = metrics_.RenderPrometheus();
  EXPECT_THAT(text, Not(HasSubstr("no.Such"))) << "callers must not add series";
  EXPECT_THAT(ParseExposition(text), Contains(Pair(Requests("unknown", "UNIMPLEMENTED"), 2)));
}

TEST_F(RequestInterceptorTest, AtInfoWritesAreLoggedAsOneJsonLineEachAndReadsAreNot) {
  StartServer(LogLevel::kInfo);
  ASSERT_TRUE(Create("Salsas del Bajío").ok());
  ASSERT_EQ(Create("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(Get("nobody").error_code(), grpc::StatusCode::NOT_FOUND);

  const std::vector<std::string> lines = log_.lines();
  ASSERT_THAT(lines, SizeIs(2));
  for (const std::string& line : lines) {
    EXPECT_THAT(line, StartsWith("{"));
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line, ending in a newline: " << line;
  }

  const google::protobuf::Struct ok = ParseJson(lines[0]);
  EXPECT_THAT(Field(ok, "ts"), MatchesRegex(R"(20[0-9][0-9]-[01][0-9]-[0-3][0-9]T)"
                                            R"([0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{3}Z)"));
  EXPECT_EQ(Field(ok, "level"), "info");
  EXPECT_EQ(Field(ok, "method"), kCreate);
  EXPECT_EQ(Field(ok, "code"), "OK");
  EXPECT_THAT(ok.fields().at("ms").number_value(), AllOf(Ge(0), Lt(10'000)));
  EXPECT_THAT(Field(ok, "peer"), HasSubstr("127.0.0.1:"));
  EXPECT_EQ(ok.fields().count("message"), 0u);

  const google::protobuf::Struct failed = ParseJson(lines[1]);
  EXPECT_EQ(Field(failed, "level"), "info");
  EXPECT_EQ(Field(failed, "code"), "INVALID_ARGUMENT");
  EXPECT_EQ(Field(failed, "message"), "profile.name: must not be empty");
}

TEST_F(RequestInterceptorTest, AtDebugReadsAreLoggedTooAndMessagesStayValidJson) {
  StartServer(LogLevel::kDebug);
  // Quotes, a newline, a control character, then a byte that is not UTF-8.
  ASSERT_EQ(Get("a\"b\nc\x01d ü").error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_EQ(Get("latin-1").error_code(), grpc::StatusCode::NOT_FOUND);
  const std::vector<std::string> lines = log_.lines();
  ASSERT_THAT(lines, SizeIs(2));
  const google::protobuf::Struct json = ParseJson(lines[0]);
  EXPECT_EQ(Field(json, "level"), "debug");
  EXPECT_EQ(Field(json, "method"), kGet);
  EXPECT_EQ(Field(json, "message"), "no profile 'a\"b\nc\x01d ü'");
  EXPECT_EQ(Field(ParseJson(lines[1]), "message"), "no profile 'Bogot\uFFFD'");
}

TEST_F(RequestInterceptorTest, LinesNameTheCallerTheHandlerNoted) {
  StartServer(LogLevel::kDebug);
  ASSERT_TRUE(Create("Salsas del Bajío").ok());
  ASSERT_EQ(Create("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(Get("nobody").error_code(), grpc::StatusCode::NOT_FOUND);
  const std::vector<std::string> lines = log_.lines();
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_EQ(Field(ParseJson(lines[0]), "caller"), "tok-7");
  EXPECT_EQ(Field(ParseJson(lines[1]), "caller"), "tok-7");
  // GetProfile notes nobody: the line says nothing of a caller.
  EXPECT_EQ(Field(ParseJson(lines[2]), "caller"), "<absent>");
}

TEST(NoteCallerTest, IsHarmlessForACallNoInterceptorRecords) {
  grpc::ServerContext context;
  NoteCaller(context, "tok-7");
}

TEST_F(RequestInterceptorTest, OffLogsNothingButStillCounts) {
  StartServer(LogLevel::kOff);
  ASSERT_TRUE(Create("Salsas del Bajío").ok());
  EXPECT_THAT(log_.lines(), SizeIs(0));
  EXPECT_THAT(ParseExposition(metrics_.RenderPrometheus()),
              Contains(Pair(Requests(kCreate, "OK"), 1)));
}

TEST_F(RequestInterceptorTest, ByDefaultLinesGoToStderr) {
  StartServer(LogLevel::kInfo, /*capture_log=*/false);
  socio::testing::TempDir dir;
  const std::string path = dir.Join("stderr");
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  const int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(file, 0);
  dup2(file, STDERR_FILENO);
  close(file);
  const grpc::Status created = Create("Salsas del Bajío");
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  ASSERT_TRUE(created.ok());

  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (absl::StartsWith(line, "{\"ts\"")) lines.push_back(line);  // gRPC may log too
  }
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_EQ(Field(ParseJson(lines[0]), "method"), kCreate);
}

TEST(MetricsHttpServerTest, ServesMetricsOnlyAtSlashMetrics) {
  RequestMetrics metrics;
  metrics.Record(kGet, grpc::StatusCode::OK, absl::Milliseconds(1));
  MetricsHttpServer http(&metrics, "127.0.0.1:0");
  ASSERT_THAT(http.Start(), IsOk());
  ASSERT_GT(http.port(), 0);
  httplib::Client client("127.0.0.1", http.port());
  httplib::Result metrics_page = client.Get("/metrics");
  ASSERT_TRUE(metrics_page) << httplib::to_string(metrics_page.error());
  EXPECT_EQ(metrics_page->status, 200);
  EXPECT_THAT(metrics_page->body, HasSubstr(Requests(kGet, "OK") + " 1\n"));
  httplib::Result other = client.Get("/");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
  httplib::Result post = client.Post("/metrics", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
  http.Stop();
  EXPECT_EQ(http.port(), 0);
  http.Stop();  // a second Stop is harmless
  EXPECT_FALSE(client.Get("/metrics")) << "still serving after Stop";
}

TEST(MetricsHttpServerTest, StartSaysWhichAddressItCannotUse) {
  RequestMetrics metrics;
  MetricsHttpServer first(&metrics, "127.0.0.1:0");
  ASSERT_THAT(first.Start(), IsOk());
  EXPECT_THAT(first.Start(), StatusIs(absl::StatusCode::kFailedPrecondition));

  const std::string taken = absl::StrCat("127.0.0.1:", first.port());
  MetricsHttpServer second(&metrics, taken);
  EXPECT_THAT(second.Start(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr(taken)));
  EXPECT_EQ(second.port(), 0);

  MetricsHttpServer bad(&metrics, "localhost");
  EXPECT_THAT(bad.Start(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("localhost")));
  MetricsHttpServer v6(&metrics, "[::1]:0");
  if (absl::Status s = v6.Start(); s.ok()) {  // machines without IPv6 loopback skip this
    httplib::Client client("::1", v6.port());
    httplib::Result result = client.Get("/metrics");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200);
  }
}

}  // namespace
}  // namespace socio::services
