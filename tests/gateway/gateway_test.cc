// The JSON gateway over a real sociod with tokens on: every route through
// HTTP (httplib's client against a Gateway on a loopback port), the status
// each gRPC error becomes, and the web console's files with traversal
// attempts refused.
#include "gateway/gateway.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "services/server.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/analytics_service.pb.h"
#include "socio/v1/chamber_service.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.pb.h"
#include "socio/v1/exchange_service.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/notification.pb.h"
#include "socio/v1/outcome.pb.h"
#include "socio/v1/partnership_service.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/import_relay.h"
#include "tests/support/process.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reserved_port.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/token_calls.h"

namespace socio::gateway {
namespace {

using socio::testing::FromJson;
using socio::testing::TempDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Chamber A (ihk-muenchen): de-1 FEDERATION, de-2 PRIVATE. Chamber B
// (canaco-cdmx): mx-1 FEDERATION, mx-2 CHAMBER.
constexpr const char* kMembers[] = {
    R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "employees": 300, "languages": ["de", "en", "es"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
    R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Stille Werke", "country": "DE", "city": "Augsburg", "sectors": ["28.41"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "markets": ["MX"]}], "targetMarkets": ["MX"], "visibility": "PRIVATE"})",
    R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora del Valle", "country": "MX", "city": "Ciudad de México", "sectors": ["46.62"], "employees": 80, "languages": ["es", "en"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
    R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Maquinaria Azteca", "country": "MX", "city": "Ciudad de México", "sectors": ["46.69"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28"]}], "targetMarkets": ["DE"], "visibility": "CHAMBER"})",
};

// A mission of chamber A; tests give it ids of their own.
std::string Mission(const std::string& id) {
  return absl::StrCat(R"({"id": ")", id,
                      R"(", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
    "originCountry": "DE", "hostCountry": "MX",
    "days": [{"date": "2027-03-29", "city": "Ciudad de México", "startTime": "09:00", "endTime": "11:00"}],
    "delegates": [{"memberId": "de-1"}], "hosts": [{"memberId": "mx-1"}]})");
}

// What came back from the gateway.
struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string content_type() const { return header("Content-Type"); }
  // The JSON body as a Struct (objects of any shape).
  google::protobuf::Struct json() const { return FromJson<google::protobuf::Struct>(body); }
  // error.code of an error body.
  std::string error_code() const {
    return json().fields().at("error").struct_value().fields().at("code").string_value();
  }
  std::string error_message() const {
    return json().fields().at("error").struct_value().fields().at("message").string_value();
  }
};

std::ostream& operator<<(std::ostream& out, const Reply& reply) {
  return out << reply.status << " " << reply.body;
}

Reply Send(int port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "", const std::string& content_type = "application/json",
           httplib::Headers headers = {}) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  const auto send = [&]() -> httplib::Result {
    if (method == "GET") return client.Get(path, headers);
    if (method == "POST") return client.Post(path, headers, body, content_type);
    if (method == "PUT") return client.Put(path, headers, body, content_type);
    if (method == "PATCH") return client.Patch(path, headers, body, content_type);
    if (method == "DELETE") return client.Delete(path, headers, body, content_type);
    return client.Options(path, headers);
  };
  httplib::Result result = send();
  Reply reply;
  EXPECT_TRUE(result) << method << " " << path << ": " << httplib::to_string(result.error());
  if (!result) return reply;
  reply.status = result->status;
  reply.body = result->body;
  reply.headers = result->headers;
  return reply;
}

// Expects an error reply: the status, the JSON error body and its code.
void ExpectError(const Reply& reply, int status, const std::string& code) {
  EXPECT_EQ(reply.status, status) << reply;
  EXPECT_EQ(reply.content_type(), "application/json") << reply;
  if (reply.status == status) {
    EXPECT_EQ(reply.error_code(), code) << reply;
  }
}

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    absl::StatusOr<std::unique_ptr<services::Sociod>> server =
        services::Sociod::Start({.data_dir = dir_->Join("db"), .listen = "127.0.0.1:0"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    std::ifstream in(server_->admin_token_file());
    std::getline(in, admin_);
    ASSERT_FALSE(admin_.empty());

    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    auto profiles = socio::v1::ProfileService::NewStub(channel);
    for (const char* json : kMembers) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = FromJson<socio::v1::Profile>(json);
      socio::v1::Profile created;
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + admin_);
      grpc::Status status = profiles->CreateProfile(&context, request, &created);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    auto admin = socio::v1::AdminService::NewStub(channel);
    const auto issue = [&](socio::v1::Role role, const std::string& chamber,
                           const std::string& profile) {
      return socio::testing::IssueToken(*admin, admin_, role, chamber, profile);
    };
    staff_a_ = issue(socio::v1::STAFF, "ihk-muenchen", "");
    member_a_ = issue(socio::v1::MEMBER, "", "de-1");
    member_b_ = issue(socio::v1::MEMBER, "", "mx-1");
    staff_b_ = issue(socio::v1::STAFF, "canaco-cdmx", "");
    member_a2_ = issue(socio::v1::MEMBER, "", "de-2");

    // A web console of three files, and a file beside it that must not leak.
    std::filesystem::create_directories(dir_->Join("web/static"));
    std::ofstream(dir_->Join("web/index.html")) << "<!doctype html><title>Socio</title>";
    std::ofstream(dir_->Join("web/static/app.mjs")) << "export const app = 1;";
    std::ofstream(dir_->Join("web/static/style.css")) << "body { margin: 0 }";
    std::ofstream(dir_->Join("web/.env")) << "hidden";
    std::ofstream(dir_->Join("secret.txt")) << "not for the web";
    std::filesystem::create_symlink(dir_->Join("secret.txt"), dir_->Join("web/static/leak.txt"));

    absl::StatusOr<std::unique_ptr<Gateway>> gateway = Gateway::Start(
        {.server = server_->address(), .listen = "127.0.0.1:0", .web_dir = dir_->Join("web")});
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = gateway->release();
  }

  static void TearDownTestSuite() {
    delete gateway_;
    gateway_ = nullptr;
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  static Reply Call(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = "",
                    const std::string& content_type = "application/json") {
    return Send(gateway_->port(), method, path, token, body, content_type);
  }

  // A FEDERATION profile of chamber A nobody else uses, created over HTTP.
  static socio::v1::Profile NewProfile(const std::string& id) {
    socio::v1::Profile p = FromJson<socio::v1::Profile>(kMembers[0]);
    p.set_id(id);
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(p, &json);
    Reply created = Call("POST", "/api/v1/profiles", admin_, json);
    EXPECT_EQ(created.status, 201) << created;
    return FromJson<socio::v1::Profile>(created.body);
  }

  static TempDir* dir_;
  static services::Sociod* server_;
  static Gateway* gateway_;
  static std::string admin_;
  static std::string staff_a_;
  static std::string member_a_;
  static std::string member_b_;
  static std::string staff_b_;
  static std::string member_a2_;
};

TempDir* GatewayTest::dir_ = nullptr;
services::Sociod* GatewayTest::server_ = nullptr;
Gateway* GatewayTest::gateway_ = nullptr;
std::string GatewayTest::admin_;
std::string GatewayTest::staff_a_;
std::string GatewayTest::member_a_;
std::string GatewayTest::member_b_;
std::string GatewayTest::staff_b_;
std::string GatewayTest::member_a2_;

TEST_F(GatewayTest, WhoAmIStatsAndHealth) {
  Reply me = Call("GET", "/api/v1/whoami", staff_a_);
  ASSERT_EQ(me.status, 200) << me;
  EXPECT_EQ(me.content_type(), "application/json");
  socio::v1::TokenInfo info = FromJson<socio::v1::TokenInfo>(me.body);
  EXPECT_EQ(info.role(), socio::v1::STAFF);
  EXPECT_EQ(info.chamber_id(), "ihk-muenchen");
  EXPECT_THAT(me.body, HasSubstr(R"("role":"STAFF")"));  // enums by name

  Reply stats = Call("GET", "/api/v1/stats", admin_);
  ASSERT_EQ(stats.status, 200) << stats;
  EXPECT_EQ(FromJson<socio::v1::Stats>(stats.body).role(), "all");
  EXPECT_THAT(stats.body, HasSubstr(R"("uptimeSeconds":)"));  // lowerCamelCase

  Reply health = Call("GET", "/api/v1/healthz", "");
  EXPECT_EQ(health.status, 200) << health;
  EXPECT_EQ(health.body, R"({"status":"SERVING"})");
}

TEST_F(GatewayTest, SectorTitlesForCodesAsTyped) {
  // Public reference data: no token needed.
  Reply titles = Call("GET", "/api/v1/sectors?codes=28.41,%20C10.84,46", "");
  ASSERT_EQ(titles.status, 200) << titles;
  EXPECT_EQ(titles.content_type(), "application/json");
  EXPECT_EQ(
      titles.body,
      R"({"sectors":[{"code":"28.41","title":"Manufacture of metal forming machinery"},)"
      R"({"code":"10.84","title":"Manufacture of condiments and seasonings"},)"
      R"({"code":"46","title":"Wholesale trade, except of motor vehicles and motorcycles"}]})");

  Reply unknown = Call("GET", "/api/v1/sectors?codes=28.41,04", "");
  EXPECT_EQ(unknown.status, 400) << unknown;
  EXPECT_THAT(unknown.body, HasSubstr("codes[1]: '04' is not a NACE Rev. 2 code"));
  Reply none = Call("GET", "/api/v1/sectors", "");
  EXPECT_EQ(none.status, 400) << none;
  EXPECT_THAT(none.body, HasSubstr("codes: is required"));
  std::string many = "/api/v1/sectors?codes=10";
  for (int i = 0; i < 100; ++i) many += ",10";
  Reply too_many = Call("GET", many, "");
  EXPECT_EQ(too_many.status, 400) << too_many;
  EXPECT_THAT(too_many.body, HasSubstr("codes: 101 codes, more than the 100"));
}

TEST_F(GatewayTest, ProfileCreateGetListPatchDelete) {
  const socio::v1::Profile created = NewProfile("gw-crud");
  EXPECT_EQ(created.version(), 1);

  Reply got = Call("GET", "/api/v1/profiles/gw-crud", staff_a_);
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_THAT(got.body, HasSubstr(R"("version":"1")"));  // int64 as a string
  EXPECT_EQ(FromJson<socio::v1::Profile>(got.body).name(), "Huber Maschinenbau");

  // Pages of chamber A, in id order.
  Reply page = Call("GET", "/api/v1/profiles?chamber_id=ihk-muenchen&page_size=1", admin_);
  ASSERT_EQ(page.status, 200) << page;
  auto first = FromJson<socio::v1::ListProfilesResponse>(page.body);
  ASSERT_EQ(first.profiles_size(), 1);
  EXPECT_EQ(first.profiles(0).id(), "de-1");
  ASSERT_FALSE(first.next_page_token().empty());
  page = Call("GET",
              "/api/v1/profiles?chamber_id=ihk-muenchen&page_size=1&page_token=" +
                  httplib::detail::encode_query_param(first.next_page_token()),
              admin_);
  ASSERT_EQ(page.status, 200) << page;
  EXPECT_EQ(FromJson<socio::v1::ListProfilesResponse>(page.body).profiles(0).id(), "de-2");
  page = Call("GET", "/api/v1/profiles?country=MX&sector_prefix=46.6", admin_);
  ASSERT_EQ(page.status, 200) << page;
  auto mexican = FromJson<socio::v1::ListProfilesResponse>(page.body);
  ASSERT_EQ(mexican.profiles_size(), 2);
  EXPECT_EQ(mexican.profiles(0).id(), "mx-1");

  // PATCH writes the body's keys only: the name stays.
  Reply patched = Call("PATCH", "/api/v1/profiles/gw-crud?expected_version=1", staff_a_,
                       R"({"targetMarkets": ["US", "CA"], "employees": 12})");
  ASSERT_EQ(patched.status, 200) << patched;
  auto after = FromJson<socio::v1::Profile>(patched.body);
  EXPECT_EQ(after.version(), 2);
  EXPECT_THAT(after.target_markets(), ElementsAre("US", "CA"));
  EXPECT_EQ(after.employees(), 12);
  EXPECT_EQ(after.name(), "Huber Maschinenbau");
  EXPECT_EQ(after.sectors_size(), 1);

  Reply deleted = Call("DELETE", "/api/v1/profiles/gw-crud?expected_version=2", staff_a_);
  ASSERT_EQ(deleted.status, 200) << deleted;
  EXPECT_GT(FromJson<socio::v1::DeleteProfileResponse>(deleted.body).sequence(), 0u);
  ExpectError(Call("GET", "/api/v1/profiles/gw-crud", staff_a_), 404, "NOT_FOUND");
}

// Staff look members up by name, sorted, with a count of what they may see.
TEST_F(GatewayTest, ListsProfilesByNameSortedWithATotal) {
  const std::string path =
      "/api/v1/profiles?query=%C3%A1zteca%20MAQUINARIA&order_by=name%20desc"
      "&include_total_size=true";
  Reply found = Call("GET", path, admin_);
  ASSERT_EQ(found.status, 200) << found;
  auto list = FromJson<socio::v1::ListProfilesResponse>(found.body);
  ASSERT_EQ(list.profiles_size(), 1);
  EXPECT_EQ(list.profiles(0).id(), "mx-2");
  EXPECT_EQ(list.total_size(), 1);
  EXPECT_THAT(found.body, HasSubstr(R"("totalSize":"1")"));
  // mx-2 is for its own chamber: chamber A's staff neither see nor count it.
  Reply hidden = Call("GET", path, staff_a_);
  ASSERT_EQ(hidden.status, 200) << hidden;
  list = FromJson<socio::v1::ListProfilesResponse>(hidden.body);
  EXPECT_EQ(list.profiles_size(), 0);
  EXPECT_EQ(list.total_size(), 0);

  Reply bad = Call("GET", "/api/v1/profiles?order_by=city", admin_);
  ExpectError(bad, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(bad.error_message(), HasSubstr("order_by: 'city'"));
  ExpectError(Call("GET", "/api/v1/profiles?include_total_size=maybe", admin_), 400,
              "INVALID_ARGUMENT");
}

TEST_F(GatewayTest, PatchNeedsAFieldAndTheSameId) {
  NewProfile("gw-patch");
  ExpectError(Call("PATCH", "/api/v1/profiles/gw-patch", admin_, "{}"), 400, "INVALID_ARGUMENT");
  Reply other =
      Call("PATCH", "/api/v1/profiles/gw-patch", admin_, R"({"id": "de-1", "city": "Ulm"})");
  ExpectError(other, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(other.error_message(), HasSubstr("differs from the path"));
  // The id may be repeated; it is not part of the mask.
  Reply same =
      Call("PATCH", "/api/v1/profiles/gw-patch", admin_, R"({"id": "gw-patch", "city": "Ulm"})");
  ASSERT_EQ(same.status, 200) << same;
  EXPECT_EQ(FromJson<socio::v1::Profile>(same.body).city(), "Ulm");
}

TEST_F(GatewayTest, ImportJsonlNamesTheLinesItRejects) {
  const std::string file = absl::StrCat(
      R"({"id": "imp-1", "chamberId": "ihk-muenchen", "name": "Eins", "country": "DE"})", "\n",
      R"({"id": "imp-2", "chamberId": "ihk-muenchen", "name": )", "\n",  // line 2: not JSON
      "\n",                                                              // line 3: blank
      R"({"id": "imp-3", "chamberId": "ihk-muenchen", "name": "Drei", "country": "USA"})", "\n",
      R"({"id": "imp-4", "chamberId": "ihk-muenchen", "name": "Vier", "country": "AT"})", "\n");
  Reply reply = Call("POST", "/api/v1/profiles:import", staff_a_, file, "application/x-ndjson");
  ASSERT_EQ(reply.status, 200) << reply;
  const google::protobuf::Struct summary = reply.json();
  const auto& f = summary.fields();
  EXPECT_EQ(f.at("received").number_value(), 4);
  EXPECT_EQ(f.at("created").number_value(), 2);
  EXPECT_EQ(f.at("updated").number_value(), 0);
  EXPECT_EQ(f.at("rejected").number_value(), 2);
  const auto& errors = f.at("errors").list_value().values();
  ASSERT_EQ(errors.size(), 2) << reply;
  const auto& parse = errors[0].struct_value().fields();
  EXPECT_EQ(parse.at("line").number_value(), 2);
  EXPECT_EQ(parse.at("code").string_value(), "INVALID_ARGUMENT");
  const auto& invalid = errors[1].struct_value().fields();
  EXPECT_EQ(invalid.at("line").number_value(), 4);
  EXPECT_EQ(invalid.at("id").string_value(), "imp-3");
  EXPECT_EQ(invalid.at("code").string_value(), "INVALID_ARGUMENT");
  EXPECT_THAT(invalid.at("message").string_value(), HasSubstr("country"));
  EXPECT_EQ(Call("GET", "/api/v1/profiles/imp-4", staff_a_).status, 200);

  // Again without upsert: every good line exists already.
  reply = Call("POST", "/api/v1/profiles:import?format=jsonl", staff_a_, file);
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(reply.json().fields().at("rejected").number_value(), 4);
  EXPECT_THAT(reply.body, HasSubstr(R"("code":"ALREADY_EXISTS")"));
}

TEST_F(GatewayTest, ImportCsvByContentTypeAndUpsert) {
  const std::string csv =
      "id,chamber_id,name,country,sectors\r\n"
      "csv-1,ihk-muenchen,Alpha GmbH,DE,28.41;46.6\r\n"
      "csv-2,ihk-muenchen,\"Beta, Gamma KG\",DE,62\r\n";
  Reply reply = Call("POST", "/api/v1/profiles:import", staff_a_, csv, "text/csv; charset=utf-8");
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(reply.json().fields().at("created").number_value(), 2) << reply;
  Reply beta = Call("GET", "/api/v1/profiles/csv-2", staff_a_);
  ASSERT_EQ(beta.status, 200);
  EXPECT_EQ(FromJson<socio::v1::Profile>(beta.body).name(), "Beta, Gamma KG");

  reply = Call("POST", "/api/v1/profiles:import?format=csv&upsert=true", staff_a_, csv,
               "application/octet-stream");
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(reply.json().fields().at("updated").number_value(), 2) << reply;

  // A header the reader does not know fails the whole file.
  ExpectError(Call("POST", "/api/v1/profiles:import?format=csv", staff_a_, "id,colour\nx,red\n"),
              400, "INVALID_ARGUMENT");
  ExpectError(Call("POST", "/api/v1/profiles:import?format=xlsx", staff_a_, csv), 400,
              "INVALID_ARGUMENT");
}

TEST_F(GatewayTest, ImportTakesWhatBrowsersAndCurlSend) {
  // curl --data-binary labels the file form-encoded; it is still the file
  // (and may be larger than httplib's 8 KiB limit for forms).
  std::string jsonl;
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&jsonl, R"({"id": "form-)", i,
                    R"(", "chamberId": "ihk-muenchen", "name": "Form", "country": "DE"})", "\n");
  }
  ASSERT_GT(jsonl.size(), 8192u);
  Reply reply = Call("POST", "/api/v1/profiles:import?upsert=false", staff_a_, jsonl,
                     "application/x-www-form-urlencoded");
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(reply.json().fields().at("created").number_value(), 200) << reply;

  // A form upload (multipart/form-data): the file part, its format by its name.
  httplib::Client client("127.0.0.1", gateway_->port());
  httplib::Result result =
      client.Post("/api/v1/profiles:import", {{"Authorization", "Bearer " + staff_a_}},
                  httplib::MultipartFormDataItems{
                      {"note", "a field before the file", "", "text/plain"},
                      {"file", "id,chamber_id,name,country\nup-1,ihk-muenchen,Upload GmbH,DE\n",
                       "members.csv", "application/octet-stream"}});
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_THAT(result->body, HasSubstr(R"("created":1)"));
  EXPECT_EQ(Call("GET", "/api/v1/profiles/up-1", staff_a_).status, 200);
}

// The gateway checks what sociod read against what it sent, through a relay
// that loses or spoils the second of three messages (500, 500, 200 profiles).
TEST_F(GatewayTest, ImportFailsWhenSociodReadLessThanWasSent) {
  std::string jsonl;
  for (int i = 0; i < 1200; ++i) {
    absl::StrAppend(&jsonl, R"({"id": "relayed-)", i,
                    R"(", "chamberId": "ihk-muenchen", "name": "Relayed", "country": "DE"})", "\n");
  }
  const auto import_through = [&](socio::testing::ImportRelay::Fault fault) {
    socio::testing::ImportRelay relay(server_->address(), 2, fault);
    EXPECT_THAT(relay.Start(), socio::testing::IsOk());
    absl::StatusOr<std::unique_ptr<Gateway>> gateway =
        Gateway::Start({.server = relay.address(), .listen = "127.0.0.1:0"});
    EXPECT_TRUE(gateway.ok()) << gateway.status();
    if (!gateway.ok()) return Reply();
    return Send((*gateway)->port(), "POST", "/api/v1/profiles:import", staff_a_, jsonl,
                "application/x-ndjson");
  };
  Reply lost = import_through(socio::testing::ImportRelay::Fault::kDrop);
  ExpectError(lost, 500, "DATA_LOSS");
  EXPECT_THAT(lost.error_message(),
              HasSubstr("the server read 700 of the 1200 profiles sent (2 of 3 messages)"));

  google::protobuf::LogSilencer quiet;  // the relay's protobuf logs the name it spoils
  Reply spoiled = import_through(socio::testing::ImportRelay::Fault::kSpoil);
  ExpectError(spoiled, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(spoiled.error_message(), HasSubstr("message 2 of the import stream does not parse"));
  EXPECT_THAT(spoiled.error_message(), HasSubstr("the server keeps only the batches of 1000"));
}

TEST_F(GatewayTest, PartnersAndPolicies) {
  Reply found = Call("POST", "/api/v1/partners:find", member_a_, R"({"memberId": "de-1", "k": 5})");
  ASSERT_EQ(found.status, 200) << found;
  auto matches = FromJson<socio::v1::FindPartnersResponse>(found.body);
  std::vector<std::string> partners;
  for (const socio::v1::Match& m : matches.matches()) partners.push_back(m.partner_id());
  EXPECT_THAT(partners, ::testing::Contains("mx-1")) << found;

  Reply explained =
      Call("POST", "/api/v1/partners:explain", member_a_, R"({"aId": "de-1", "bId": "mx-1"})");
  ASSERT_EQ(explained.status, 200) << explained;
  auto match = FromJson<socio::v1::Match>(explained.body);
  EXPECT_EQ(match.partner_id(), "mx-1");
  EXPECT_GT(match.factors_size(), 0);

  Reply policy = Call("GET", "/api/v1/policies/canaco-cdmx", admin_);
  ASSERT_EQ(policy.status, 200) << policy;
  auto defaults = FromJson<socio::v1::MatchPolicy>(policy.body);
  EXPECT_EQ(defaults.version(), 0);
  defaults.mutable_weights()->set_text(0.2);
  defaults.clear_chamber_id();  // the path names it
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(defaults, &json);
  Reply set = Call("PUT", "/api/v1/policies/canaco-cdmx?expected_version=0", admin_, json);
  ASSERT_EQ(set.status, 200) << set;
  auto stored = FromJson<socio::v1::MatchPolicy>(set.body);
  EXPECT_EQ(stored.chamber_id(), "canaco-cdmx");
  EXPECT_EQ(stored.version(), 1);
  EXPECT_DOUBLE_EQ(stored.weights().text(), 0.2);
  // Stale: someone else wrote version 1 already.
  ExpectError(Call("PUT", "/api/v1/policies/canaco-cdmx?expected_version=7", admin_, json), 409,
              "ABORTED");
  // Staff of A may not set B's policy.
  ExpectError(Call("PUT", "/api/v1/policies/canaco-cdmx", staff_a_, json), 403,
              "PERMISSION_DENIED");

  // A suggestion from B's outcomes: none recorded, so none suggested, and
  // the stored weights shown as the current ones. Not for A's staff.
  Reply suggestion = Call("GET", "/api/v1/policies/canaco-cdmx/suggestion", admin_);
  ASSERT_EQ(suggestion.status, 200) << suggestion;
  auto suggested = FromJson<socio::v1::MatchPolicySuggestion>(suggestion.body);
  EXPECT_FALSE(suggested.enough_outcomes());
  EXPECT_EQ(suggested.outcomes(), 0);
  EXPECT_EQ(suggested.min_outcomes(), 500);
  EXPECT_EQ(suggested.current_version(), 1);
  EXPECT_THAT(suggested.message(), HasSubstr("not enough outcomes"));
  ExpectError(Call("GET", "/api/v1/policies/canaco-cdmx/suggestion", staff_a_), 403,
              "PERMISSION_DENIED");
  ExpectError(Call("GET", "/api/v1/policies/canaco-cdmx/suggestion?k=1", admin_), 400,
              "INVALID_ARGUMENT");
}

TEST_F(GatewayTest, DelegationLifecycleAndAgendas) {
  Reply created = Call("POST", "/api/v1/delegations", staff_a_, Mission("gw-mx27"));
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(FromJson<socio::v1::Delegation>(created.body).version(), 1);
  ExpectError(Call("POST", "/api/v1/delegations", staff_a_, Mission("gw-mx27")), 409,
              "ALREADY_EXISTS");

  // No plan yet: no agenda.
  Reply early =
      Call("GET", "/api/v1/delegations/gw-mx27/agenda?member_id=de-1&format=ics", staff_a_);
  ExpectError(early, 412, "FAILED_PRECONDITION");
  EXPECT_THAT(early.error_message(), HasSubstr("no plan"));

  Reply listed = Call("GET", "/api/v1/delegations?chamber_id=ihk-muenchen&page_size=10", staff_a_);
  ASSERT_EQ(listed.status, 200) << listed;
  auto list = FromJson<socio::v1::ListDelegationsResponse>(listed.body);
  ASSERT_GE(list.delegations_size(), 1);

  Reply planned =
      Call("POST", "/api/v1/delegations/gw-mx27:plan?fresh=true&expected_version=1", staff_a_);
  ASSERT_EQ(planned.status, 200) << planned;
  auto with_plan = FromJson<socio::v1::Delegation>(planned.body);
  EXPECT_EQ(with_plan.version(), 2);
  ASSERT_GT(with_plan.plan().meetings_size(), 0);
  ExpectError(Call("POST", "/api/v1/delegations/gw-mx27:plan?expected_version=1", staff_a_), 409,
              "ABORTED");
  // Published: each company is told its meetings; a member of the
  // delegation may not publish it.
  ExpectError(Call("POST", "/api/v1/delegations/gw-mx27:publish", member_a_), 404, "NOT_FOUND");
  Reply published =
      Call("POST", "/api/v1/delegations/gw-mx27:publish?expected_version=2", staff_a_);
  ASSERT_EQ(published.status, 200) << published;
  auto told = FromJson<socio::v1::Delegation>(published.body);
  EXPECT_EQ(told.publication().publish_count(), 1);
  EXPECT_GT(told.publication().notified(), 0);
  ExpectError(Call("POST", "/api/v1/delegations/gw-mx27:publish?expected_version=x", staff_a_), 400,
              "INVALID_ARGUMENT");

  Reply ics =
      Call("GET", "/api/v1/delegations/gw-mx27/agenda?member_id=de-1&format=ics", member_a_);
  ASSERT_EQ(ics.status, 200) << ics;
  EXPECT_EQ(ics.content_type(), "text/calendar; charset=utf-8");
  EXPECT_THAT(ics.body, StartsWith("BEGIN:VCALENDAR"));
  EXPECT_THAT(ics.body, AllOf(HasSubstr("BEGIN:VEVENT"), HasSubstr("END:VCALENDAR")));
  EXPECT_EQ(ics.header("Content-Disposition"), R"(attachment; filename="gw-mx27-de-1.ics")");

  Reply csv = Call("GET", "/api/v1/delegations/gw-mx27/agenda?member_id=mx-1&format=csv", staff_a_);
  ASSERT_EQ(csv.status, 200) << csv;
  EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.header("Content-Disposition"), R"(attachment; filename="gw-mx27-mx-1.csv")");
  Reply whole = Call("GET", "/api/v1/delegations/gw-mx27/agenda", staff_a_);
  ASSERT_EQ(whole.status, 200) << whole;
  EXPECT_THAT(whole.body, StartsWith("date,start,end"));
  EXPECT_EQ(whole.header("Content-Disposition"), R"(attachment; filename="gw-mx27-plan.csv")");
  // A member reads its own agenda only: the others' are as if they did not exist.
  ExpectError(Call("GET", "/api/v1/delegations/gw-mx27/agenda?member_id=mx-1", member_a_), 404,
              "NOT_FOUND");

  // The briefing: JSON, and the same briefing's Markdown as a file.
  Reply briefing = Call("GET", "/api/v1/delegations/gw-mx27/briefing", staff_a_);
  ASSERT_EQ(briefing.status, 200) << briefing;
  const auto read = FromJson<socio::v1::Briefing>(briefing.body);
  EXPECT_EQ(read.host().code(), "MX");
  Reply markdown = Call("GET", "/api/v1/delegations/gw-mx27/briefing?format=markdown", staff_a_);
  ASSERT_EQ(markdown.status, 200) << markdown;
  EXPECT_EQ(markdown.content_type(), "text/markdown; charset=utf-8");
  EXPECT_EQ(markdown.header("Content-Disposition"),
            R"(attachment; filename="gw-mx27-briefing.md")");
  EXPECT_EQ(markdown.body, read.markdown());
  ExpectError(Call("GET", "/api/v1/delegations/gw-mx27/briefing?format=pdf", staff_a_), 400,
              "INVALID_ARGUMENT");

  Reply patched = Call("PATCH", "/api/v1/delegations/gw-mx27?expected_version=2", staff_a_,
                       R"({"name": "Misión a México 2027", "meetingMinutes": 25})");
  ASSERT_EQ(patched.status, 200) << patched;
  auto renamed = FromJson<socio::v1::Delegation>(patched.body);
  EXPECT_EQ(renamed.name(), "Misión a México 2027");
  EXPECT_EQ(renamed.meeting_minutes(), 25);
  EXPECT_EQ(renamed.host_country(), "MX");
  Reply fetched = Call("GET", "/api/v1/delegations/gw-mx27", staff_a_);
  ASSERT_EQ(fetched.status, 200) << fetched;
  EXPECT_EQ(FromJson<socio::v1::Delegation>(fetched.body).version(), 3);

  ExpectError(Call("DELETE", "/api/v1/delegations/gw-mx27?expected_version=2", staff_a_), 409,
              "ABORTED");
  Reply deleted = Call("DELETE", "/api/v1/delegations/gw-mx27?expected_version=3", staff_a_);
  ASSERT_EQ(deleted.status, 200) << deleted;
  EXPECT_EQ(deleted.body, "{}");
  ExpectError(Call("GET", "/api/v1/delegations/gw-mx27", staff_a_), 404, "NOT_FOUND");
}

TEST_F(GatewayTest, HostInvitationsAndThePublishSides) {
  Reply created = Call("POST", "/api/v1/delegations", staff_a_, Mission("gw-inv"));
  ASSERT_EQ(created.status, 201) << created;
  // Chamber B co-plans: it reads the delegation, invites and publishes to the hosts.
  Reply patched =
      Call("PATCH", "/api/v1/delegations/gw-inv", staff_a_, R"({"hostChamberId": "canaco-cdmx"})");
  ASSERT_EQ(patched.status, 200) << patched;
  ASSERT_EQ(Call("GET", "/api/v1/delegations/gw-inv", staff_b_).status, 200);
  ExpectError(Call("PATCH", "/api/v1/delegations/gw-inv", staff_b_, R"({"name": "Ours"})"), 403,
              "PERMISSION_DENIED");

  ExpectError(Call("POST", "/api/v1/delegations/gw-inv:invite", member_b_, "{}"), 404, "NOT_FOUND");
  ExpectError(
      Call("POST", "/api/v1/delegations/gw-inv:invite", staff_b_, R"({"hostIds": ["de-1"]})"), 400,
      "INVALID_ARGUMENT");
  Reply invited = Call("POST", "/api/v1/delegations/gw-inv:invite", staff_b_,
                       R"({"deadline": "2099-03-01T17:00:00Z"})");
  ASSERT_EQ(invited.status, 200) << invited;
  auto sent = FromJson<socio::v1::InviteHostsResponse>(invited.body);
  ASSERT_EQ(sent.invitations_size(), 1);
  EXPECT_EQ(sent.invitations(0).host_id(), "mx-1");
  EXPECT_EQ(sent.invitations(0).status(), socio::v1::HostInvitation::PENDING);
  EXPECT_EQ(sent.summary().pending(), 1);

  ExpectError(Call("POST", "/api/v1/delegations/gw-inv/invitations/mx-1:answer", member_a_,
                   R"({"accept": true})"),
              404, "NOT_FOUND");
  Reply answered = Call("POST", "/api/v1/delegations/gw-inv/invitations/mx-1:answer", member_b_,
                        R"({"accept": true, "note": "Tuesday suits us"})");
  ASSERT_EQ(answered.status, 200) << answered;
  auto answer = FromJson<socio::v1::HostInvitation>(answered.body);
  EXPECT_EQ(answer.status(), socio::v1::HostInvitation::ACCEPTED);
  EXPECT_EQ(answer.answered_by(), socio::v1::HostInvitation::MEMBER);

  Reply of_delegation = Call("GET", "/api/v1/delegations/gw-inv/invitations", staff_a_);
  ASSERT_EQ(of_delegation.status, 200) << of_delegation;
  auto listed = FromJson<socio::v1::ListHostInvitationsResponse>(of_delegation.body);
  ASSERT_EQ(listed.listings_size(), 1);
  EXPECT_DOUBLE_EQ(listed.summary().response_rate(), 1.0);
  Reply mine = Call("GET", "/api/v1/host-invitations?member_id=mx-1", member_b_);
  ASSERT_EQ(mine.status, 200) << mine;
  auto own = FromJson<socio::v1::ListHostInvitationsResponse>(mine.body);
  ASSERT_EQ(own.listings_size(), 1);
  EXPECT_EQ(own.listings(0).delegation_name(), "Mission to Mexico 2027");
  EXPECT_EQ(own.listings(0).invitation().note(), "Tuesday suits us");
  ExpectError(Call("GET", "/api/v1/host-invitations", member_b_), 400, "INVALID_ARGUMENT");

  ASSERT_EQ(Call("POST", "/api/v1/delegations/gw-inv:plan", staff_a_).status, 200);
  ExpectError(Call("POST", "/api/v1/delegations/gw-inv:publish?side=hosts", staff_a_), 403,
              "PERMISSION_DENIED");
  ExpectError(Call("POST", "/api/v1/delegations/gw-inv:publish?side=sideways", staff_b_), 400,
              "INVALID_ARGUMENT");
  Reply to_hosts = Call("POST", "/api/v1/delegations/gw-inv:publish?side=hosts", staff_b_);
  ASSERT_EQ(to_hosts.status, 200) << to_hosts;
  EXPECT_EQ(FromJson<socio::v1::Delegation>(to_hosts.body).host_publication().publish_count(), 1);
  ASSERT_EQ(Call("DELETE", "/api/v1/delegations/gw-inv", staff_a_).status, 200);
}

TEST_F(GatewayTest, Destinations) {
  Reply reply = Call("POST", "/api/v1/destinations", staff_a_,
                     R"({"delegateIds": ["de-1"], "k": 3, "excludeCountries": ["DE"]})");
  ASSERT_EQ(reply.status, 200) << reply;
  auto destinations = FromJson<socio::v1::RecommendDestinationsResponse>(reply.body);
  ASSERT_GT(destinations.destinations_size(), 0) << reply;
  EXPECT_EQ(destinations.destinations(0).country(), "MX");
}

TEST_F(GatewayTest, GrpcCodesBecomeHttpStatuses) {
  // 401: no token, a token sociod does not know, one gRPC cannot carry.
  ExpectError(Call("GET", "/api/v1/profiles/de-1", ""), 401, "UNAUTHENTICATED");
  ExpectError(Call("GET", "/api/v1/whoami", "nope.nope"), 401, "UNAUTHENTICATED");
  {
    httplib::Client client("127.0.0.1", gateway_->port());
    httplib::Result result =
        client.Get("/api/v1/whoami", {{"Authorization", "Bearer caf\xc3\xa9"}});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 401) << result->body;
  }
  // 403: member mx-1 listing profiles (it reads its own only).
  Reply denied = Call("GET", "/api/v1/profiles", member_b_);
  ExpectError(denied, 403, "PERMISSION_DENIED");
  EXPECT_FALSE(denied.error_message().empty());
  // 404, also for another member's profile, which mx-1 may not see.
  ExpectError(Call("GET", "/api/v1/profiles/nobody", admin_), 404, "NOT_FOUND");
  ExpectError(Call("GET", "/api/v1/profiles/de-1", member_b_), 404, "NOT_FOUND");
  // 409: create twice; a stale expected_version.
  ExpectError(Call("POST", "/api/v1/profiles", admin_, kMembers[0]), 409, "ALREADY_EXISTS");
  ExpectError(Call("DELETE", "/api/v1/profiles/de-2?expected_version=99", admin_), 409, "ABORTED");
  // 400: sociod's validation, with the field named.
  Reply invalid = Call("POST", "/api/v1/profiles", admin_,
                       R"({"id": "bad-1", "chamberId": "x", "name": "Bad", "country": "USA"})");
  ExpectError(invalid, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(invalid.error_message(), HasSubstr("country"));
  // 412: FAILED_PRECONDITION (an agenda before any plan).
  ASSERT_EQ(Call("POST", "/api/v1/delegations", admin_, Mission("gw-unplanned")).status, 201);
  ExpectError(Call("GET", "/api/v1/delegations/gw-unplanned/agenda?member_id=de-1", admin_), 412,
              "FAILED_PRECONDITION");
}

TEST_F(GatewayTest, BadRequestsAreRefusedBeforeSociod) {
  // Malformed JSON: 400 with the parser's message.
  Reply malformed = Call("POST", "/api/v1/profiles", admin_, R"({"id": "x", "name": )");
  ExpectError(malformed, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(malformed.error_message(), StartsWith("body: "));
  // A misspelt field is not dropped.
  Reply typo = Call("POST", "/api/v1/partners:find", admin_, R"({"memberId": "de-1", "kk": 5})");
  ExpectError(typo, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(typo.error_message(), HasSubstr("kk"));
  // Nor is a misspelt query parameter, or a number that is not one.
  Reply query = Call("GET", "/api/v1/profiles?chamberId=ihk-muenchen", admin_);
  ExpectError(query, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(query.error_message(), HasSubstr("chamberId"));
  ExpectError(Call("GET", "/api/v1/profiles?page_size=many", admin_), 400, "INVALID_ARGUMENT");
  ExpectError(Call("POST", "/api/v1/delegations/x:plan?fresh=maybe", admin_), 400,
              "INVALID_ARGUMENT");
  ExpectError(Call("GET", "/api/v1/delegations/x/agenda?format=pdf", admin_), 400,
              "INVALID_ARGUMENT");
  ExpectError(Call("GET", "/api/v1/profiles/de%zz", admin_), 400, "INVALID_ARGUMENT");

  // Unknown routes: 404; a known path's other methods: 405 with Allow.
  ExpectError(Call("GET", "/api/v1/nothing", admin_), 404, "NOT_FOUND");
  ExpectError(Call("GET", "/api/v2/profiles", admin_), 404, "NOT_FOUND");
  ExpectError(Call("POST", "/api/v1/profiles:export", admin_, "{}"), 404, "NOT_FOUND");
  Reply wrong = Call("DELETE", "/api/v1/profiles", admin_);
  ExpectError(wrong, 405, "UNIMPLEMENTED");
  EXPECT_EQ(wrong.header("Allow"), "GET, POST");
  wrong = Call("PUT", "/api/v1/profiles/de-1", admin_, "{}");
  ExpectError(wrong, 405, "UNIMPLEMENTED");
  EXPECT_EQ(wrong.header("Allow"), "DELETE, GET, PATCH");
  ExpectError(Call("GET", "/api/v1/delegations/x:plan", admin_), 405, "UNIMPLEMENTED");
}

TEST_F(GatewayTest, PathIdsArePercentDecoded) {
  NewProfile("gw.dec-1");
  Reply reply = Call("GET", "/api/v1/profiles/gw%2Edec%2D1", admin_);
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(FromJson<socio::v1::Profile>(reply.body).id(), "gw.dec-1");
}

TEST_F(GatewayTest, ServesTheWebConsoleAndNothingElse) {
  Reply index = Call("GET", "/", "");
  ASSERT_EQ(index.status, 200) << index;
  EXPECT_EQ(index.content_type(), "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>Socio</title>");
  EXPECT_EQ(Call("GET", "/index.html", "").body, index.body);

  Reply script = Call("GET", "/static/app.mjs", "");
  ASSERT_EQ(script.status, 200) << script;
  EXPECT_EQ(script.content_type(), "text/javascript; charset=utf-8");
  Reply style = Call("GET", "/static/style.css?v=3", "");
  ASSERT_EQ(style.status, 200) << style;
  EXPECT_EQ(style.content_type(), "text/css; charset=utf-8");

  ExpectError(Call("GET", "/missing.html", ""), 404, "NOT_FOUND");
  ExpectError(Call("GET", "/static/", ""), 404, "NOT_FOUND");  // no index.html there
  // Out of web_dir: by "..", encoded or not, through a symbolic link; and
  // hidden files.
  for (const char* path : {"/../secret.txt", "/static/../../secret.txt", "/%2e%2e/secret.txt",
                           "/static/..%2f..%2fsecret.txt", "/static/leak.txt", "/.env", "/%2eenv",
                           "/static/%00app.mjs", "/../CMakeLists.txt"}) {
    Reply refused = Call("GET", path, "");
    EXPECT_EQ(refused.status, 404) << path << ": " << refused;
    EXPECT_THAT(refused.body, ::testing::Not(HasSubstr("not for the web"))) << path;
  }
  Reply post = Call("POST", "/index.html", "", "x");
  ExpectError(post, 405, "UNIMPLEMENTED");
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");
}

// Every answer tells the browser how to treat it: API answers are never
// cached, the console's files are revalidated by ETag (304 when unchanged),
// and no answer may be framed, sniffed or leak its URL.
TEST_F(GatewayTest, SendsCachingAndSecurityHeaders) {
  const auto expect_security = [](const Reply& reply, const std::string& what) {
    EXPECT_EQ(reply.header("Content-Security-Policy"), kContentSecurityPolicy) << what;
    EXPECT_THAT(reply.header("Content-Security-Policy"), HasSubstr("frame-ancestors 'none'"));
    EXPECT_THAT(reply.header("Content-Security-Policy"), HasSubstr("default-src 'self'"));
    EXPECT_EQ(reply.header("X-Frame-Options"), "DENY") << what;
    EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(reply.header("Referrer-Policy"), "no-referrer") << what;
  };
  Reply api = Call("GET", "/api/v1/whoami", staff_a_);
  ASSERT_EQ(api.status, 200) << api;
  EXPECT_EQ(api.header("Cache-Control"), "no-store");
  expect_security(api, "API answer");
  Reply refused = Call("GET", "/api/v1/profiles/nobody", staff_a_);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.header("Cache-Control"), "no-store");
  expect_security(refused, "API error");
  Reply missing = Call("GET", "/missing.css", "");
  EXPECT_EQ(missing.header("Cache-Control"), "no-store");
  expect_security(missing, "missing file");

  Reply script = Call("GET", "/static/app.mjs", "");
  ASSERT_EQ(script.status, 200) << script;
  EXPECT_EQ(script.header("Cache-Control"), "no-cache");
  const std::string etag = script.header("ETag");
  EXPECT_THAT(etag, ::testing::MatchesRegex("\"[0-9a-f]+-[0-9a-f]{16}\""));
  expect_security(script, "console file");
  // The same file has the same tag; another file another.
  EXPECT_EQ(Call("GET", "/static/app.mjs", "").header("ETag"), etag);
  EXPECT_NE(Call("GET", "/static/style.css", "").header("ETag"), etag);

  // Revalidation: unchanged is 304 without a body, with any of the forms a
  // browser or proxy sends; another tag gets the file.
  for (const std::string& if_none_match :
       {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    Reply cached = Send(gateway_->port(), "GET", "/static/app.mjs", "", "", "",
                        {{"If-None-Match", if_none_match}});
    EXPECT_EQ(cached.status, 304) << if_none_match;
    EXPECT_EQ(cached.body, "") << if_none_match;
    EXPECT_EQ(cached.header("ETag"), etag) << if_none_match;
    expect_security(cached, "304");
  }
  Reply changed = Send(gateway_->port(), "GET", "/static/app.mjs", "", "", "",
                       {{"If-None-Match", "\"0-0000000000000000\""}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "export const app = 1;");
}

TEST(GatewayWithoutSociodTest, AnswersServiceUnavailable) {
  socio::testing::ReservedPort nobody;
  absl::StatusOr<std::unique_ptr<Gateway>> gateway = Gateway::Start(
      {.server = absl::StrCat("127.0.0.1:", nobody.port()), .listen = "127.0.0.1:0"});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  const int port = (*gateway)->port();
  ExpectError(Send(port, "GET", "/api/v1/whoami", "some.token"), 503, "UNAVAILABLE");
  ExpectError(Send(port, "GET", "/api/v1/profiles/de-1", "some.token"), 503, "UNAVAILABLE");
  Reply health = Send(port, "GET", "/api/v1/healthz", "");
  EXPECT_EQ(health.status, 503) << health;
  EXPECT_THAT(health.body, HasSubstr(R"("status":"UNKNOWN")"));
  // Without a web_dir, nothing outside /api/ is served.
  ExpectError(Send(port, "GET", "/", ""), 404, "NOT_FOUND");
  (*gateway)->Stop();
  EXPECT_EQ((*gateway)->port(), 0);
  (*gateway)->Stop();  // twice is fine
}

TEST(GatewayWithoutSociodTest, RefusesBodiesOverTheLimit) {
  socio::testing::ReservedPort nobody;
  absl::StatusOr<std::unique_ptr<Gateway>> gateway =
      Gateway::Start({.server = absl::StrCat("127.0.0.1:", nobody.port()),
                      .listen = "127.0.0.1:0",
                      .max_body_bytes = 1024});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  Reply reply = Send((*gateway)->port(), "POST", "/api/v1/profiles:import", "some.token",
                     std::string(2000, 'x'), "text/csv");
  ExpectError(reply, 413, "RESOURCE_EXHAUSTED");
  EXPECT_THAT(reply.error_message(), HasSubstr("1024 bytes"));
}

// Runs openssl in `dir`; fails the test if it fails.
void OpenSsl(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  absl::StatusOr<socio::testing::CommandResult> result =
      socio::testing::RunCommand(args, dir.path());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_status, 0) << result->err;
}

TEST(GatewayTlsTest, SpeaksTlsToSociodTrustingTheGivenCa) {
  TempDir dir;
  for (const char* ca : {"ca", "other-ca"}) {
    OpenSsl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-keyout", dir.Join(absl::StrCat(ca, ".key")), "-out",
                  dir.Join(absl::StrCat(ca, ".pem")), "-days", "2", "-subj",
                  absl::StrCat("/CN=Socio test ", ca)});
  }
  std::ofstream(dir.Join("san.cnf")) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  OpenSsl(dir,
          {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           dir.Join("server.key"), "-out", dir.Join("server.csr"), "-subj", "/CN=localhost"});
  OpenSsl(dir, {"x509", "-req", "-in", dir.Join("server.csr"), "-CA", dir.Join("ca.pem"), "-CAkey",
                dir.Join("ca.key"), "-CAcreateserial", "-out", dir.Join("server.pem"), "-days", "2",
                "-extfile", dir.Join("san.cnf")});
  if (HasFatalFailure()) return;
  services::SociodOptions options{.data_dir = dir.Join("db"), .listen = "127.0.0.1:0"};
  options.dev_insecure = true;
  options.tls_cert = dir.Join("server.pem");
  options.tls_key = dir.Join("server.key");
  absl::StatusOr<std::unique_ptr<services::Sociod>> server = services::Sociod::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();

  absl::StatusOr<std::unique_ptr<Gateway>> trusting = Gateway::Start(
      {.server = (*server)->address(), .listen = "127.0.0.1:0", .tls_ca = dir.Join("ca.pem")});
  ASSERT_TRUE(trusting.ok()) << trusting.status();
  Reply me = Send((*trusting)->port(), "GET", "/api/v1/whoami", "");
  EXPECT_EQ(me.status, 200) << me;
  EXPECT_EQ(FromJson<socio::v1::TokenInfo>(me.body).role(), socio::v1::ADMIN);
  EXPECT_EQ(Send((*trusting)->port(), "GET", "/api/v1/healthz", "").status, 200);

  // Trusting another CA, or speaking plaintext: sociod cannot be reached.
  absl::StatusOr<std::unique_ptr<Gateway>> other =
      Gateway::Start({.server = (*server)->address(),
                      .listen = "127.0.0.1:0",
                      .tls_ca = dir.Join("other-ca.pem")});
  ASSERT_TRUE(other.ok()) << other.status();
  ExpectError(Send((*other)->port(), "GET", "/api/v1/whoami", ""), 503, "UNAVAILABLE");
  absl::StatusOr<std::unique_ptr<Gateway>> plain =
      Gateway::Start({.server = (*server)->address(), .listen = "127.0.0.1:0"});
  ASSERT_TRUE(plain.ok()) << plain.status();
  ExpectError(Send((*plain)->port(), "GET", "/api/v1/whoami", ""), 503, "UNAVAILABLE");
}

TEST(GatewayStartTest, RefusesBadOptions) {
  TempDir dir;
  EXPECT_EQ(Gateway::Start({.server = "nowhere", .listen = "127.0.0.1:0"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Gateway::Start({.listen = "127.0.0.1"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Gateway::Start({.listen = "127.0.0.1:0", .web_dir = dir.Join("absent")}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Gateway::Start({.listen = "127.0.0.1:0", .tls_ca = dir.Join("absent.pem")}).status().code(),
      absl::StatusCode::kNotFound);
  // A port in use.
  absl::StatusOr<std::unique_ptr<Gateway>> first = Gateway::Start({.listen = "127.0.0.1:0"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Gateway::Start({.listen = (*first)->address()}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(GatewayTest, IdempotencyKeyMakesARetriedCreateAnswerAsTheFirst) {
  socio::v1::Profile p = FromJson<socio::v1::Profile>(kMembers[0]);
  p.set_id("gw-retry");
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(p, &json);
  const httplib::Headers key = {{"Idempotency-Key", "a4c0b5e2-1d8f-4e0a-9b7c-3f2e1d0c9b8a"}};
  Reply first =
      Send(gateway_->port(), "POST", "/api/v1/profiles", admin_, json, "application/json", key);
  ASSERT_EQ(first.status, 201) << first;
  Reply retried =
      Send(gateway_->port(), "POST", "/api/v1/profiles", admin_, json, "application/json", key);
  ASSERT_EQ(retried.status, 201) << retried;
  EXPECT_EQ(retried.body, first.body);
  // Without the key each HTTP request is a request of its own.
  ExpectError(Call("POST", "/api/v1/profiles", admin_, json), 409, "ALREADY_EXISTS");
  // The key with another body, and a malformed key, name request_id.
  p.set_name("Another");
  json.clear();
  (void)google::protobuf::util::MessageToJsonString(p, &json);
  Reply reused =
      Send(gateway_->port(), "POST", "/api/v1/profiles", admin_, json, "application/json", key);
  ExpectError(reused, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(reused.error_message(), HasSubstr("request_id:"));
  Reply malformed = Send(gateway_->port(), "POST", "/api/v1/profiles", admin_, json,
                         "application/json", {{"Idempotency-Key", "short"}});
  ExpectError(malformed, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(malformed.error_message(), HasSubstr("request_id: must be 8 to 64 characters"));
}

// A standalone request from de-1 to mx-1 proposing windows 2 and 3 days
// ahead (whole hours from `base`), as the body of POST /requests.
std::string MeetingRequestBody(absl::Time base, const std::string& message) {
  const auto at = [&](int hours) {
    return absl::StrCat(
        "\"", absl::FormatTime(absl::RFC3339_sec, base + absl::Hours(hours), absl::UTCTimeZone()),
        "\"");
  };
  return absl::StrCat(R"({"request": {"fromMemberId": "de-1", "toRef": "mx-1", "message": ")",
                      message, R"(", "proposed": [{"startTime": )", at(48), R"(, "endTime": )",
                      at(49), R"(}, {"startTime": )", at(72), R"(, "endTime": )", at(73), "}]}}");
}

TEST_F(GatewayTest, InterestsAreMarkedListedAndCleared) {
  Reply marked =
      Call("PUT", "/api/v1/members/de-1/interests/mx-1", member_a_, R"({"mark": "INTERESTED"})");
  ASSERT_EQ(marked.status, 200) << marked;
  auto interest = FromJson<socio::v1::Interest>(marked.body);
  EXPECT_EQ(interest.member_id(), "de-1");
  EXPECT_EQ(interest.partner_ref(), "mx-1");
  EXPECT_EQ(interest.mark(), socio::v1::Interest::INTERESTED);
  EXPECT_FALSE(interest.mutual());

  // The partner's chamber marks back for it: a mutual interest, which both
  // sides list.
  Reply back =
      Call("PUT", "/api/v1/members/mx-1/interests/de-1", staff_b_, R"({"mark": "MUST_MEET"})");
  ASSERT_EQ(back.status, 200) << back;
  EXPECT_TRUE(FromJson<socio::v1::Interest>(back.body).mutual()) << back;
  Reply mutual = Call("GET", "/api/v1/interests?member_id=de-1&mutual_only=true", member_a_);
  ASSERT_EQ(mutual.status, 200) << mutual;
  auto listed = FromJson<socio::v1::ListInterestsResponse>(mutual.body);
  ASSERT_EQ(listed.interests_size(), 1) << mutual;
  EXPECT_EQ(listed.interests(0).partner_ref(), "mx-1");
  EXPECT_TRUE(listed.interests(0).mutual());

  // Not interested: mx-1 leaves de-1's partners unless asked for.
  ASSERT_EQ(
      Call("PUT", "/api/v1/members/de-1/interests/mx-1", member_a_, R"({"mark": "NOT_INTERESTED"})")
          .status,
      200);
  const auto partners = [&](const std::string& body) {
    Reply found = Call("POST", "/api/v1/partners:find", member_a_, body);
    EXPECT_EQ(found.status, 200) << found;
    const auto response = FromJson<socio::v1::FindPartnersResponse>(found.body);
    std::vector<std::string> ids;
    for (const socio::v1::Match& m : response.matches()) ids.push_back(m.partner_id());
    return ids;
  };
  EXPECT_THAT(partners(R"({"memberId": "de-1"})"), ::testing::Not(::testing::Contains("mx-1")));
  EXPECT_THAT(partners(R"({"memberId": "de-1", "includeNotInterested": true})"),
              ::testing::Contains("mx-1"));

  // DELETE clears the mark: mx-1 is proposed again and de-1 lists no mark.
  Reply cleared = Call("DELETE", "/api/v1/members/de-1/interests/mx-1", member_a_);
  ASSERT_EQ(cleared.status, 200) << cleared;
  EXPECT_THAT(partners(R"({"memberId": "de-1"})"), ::testing::Contains("mx-1"));
  Reply mine = Call("GET", "/api/v1/interests", member_a_);
  ASSERT_EQ(mine.status, 200) << mine;
  EXPECT_EQ(FromJson<socio::v1::ListInterestsResponse>(mine.body).interests_size(), 0) << mine;

  // Refused: another company's marks (403: the mutual interest lets mx-1
  // read de-1, never act for it), a mark that is none, a body that names
  // another member, a bad flag.
  Reply foreign =
      Call("PUT", "/api/v1/members/de-1/interests/mx-1", member_b_, R"({"mark": "INTERESTED"})");
  ExpectError(foreign, 403, "PERMISSION_DENIED");
  EXPECT_THAT(foreign.error_message(), HasSubstr("de-1"));
  Reply no_mark = Call("PUT", "/api/v1/members/de-1/interests/mx-1", member_a_, "{}");
  ExpectError(no_mark, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(no_mark.error_message(), HasSubstr("mark is required"));
  Reply other = Call("PUT", "/api/v1/members/de-1/interests/mx-1", member_a_,
                     R"({"memberId": "de-2", "mark": "INTERESTED"})");
  ExpectError(other, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(other.error_message(), HasSubstr("memberId 'de-2' differs from the path's 'de-1'"));
  Reply flag = Call("GET", "/api/v1/interests?mutual_only=perhaps", member_a_);
  ExpectError(flag, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(flag.error_message(), HasSubstr("mutual_only"));
}

TEST_F(GatewayTest, MeetingRequestsAreSentAnsweredAndCancelled) {
  const absl::Time base = absl::Now();
  Reply sent = Call("POST", "/api/v1/requests", member_a_,
                    MeetingRequestBody(base, "Wir suchen einen Vertriebspartner."));
  ASSERT_EQ(sent.status, 201) << sent;
  auto request = FromJson<socio::v1::MeetingRequest>(sent.body);
  EXPECT_EQ(request.state(), socio::v1::MeetingRequest::PENDING);
  ASSERT_EQ(request.proposed_size(), 2);
  const std::string path = absl::StrCat("/api/v1/requests/", request.id());

  // One open request per pair; the receiver finds it waiting in its inbox,
  // not among what it sent; a company on neither side does not see it.
  ExpectError(Call("POST", "/api/v1/requests", member_a_, MeetingRequestBody(base, "Noch einmal")),
              409, "ALREADY_EXISTS");
  Reply inbox = Call("GET", "/api/v1/requests?box=received&state=pending", member_b_);
  ASSERT_EQ(inbox.status, 200) << inbox;
  auto received = FromJson<socio::v1::ListMeetingRequestsResponse>(inbox.body);
  ASSERT_EQ(received.requests_size(), 1) << inbox;
  EXPECT_EQ(received.requests(0).id(), request.id());
  Reply outbox = Call("GET", "/api/v1/requests?member_id=mx-1&box=SENT", member_b_);
  ASSERT_EQ(outbox.status, 200) << outbox;
  EXPECT_EQ(FromJson<socio::v1::ListMeetingRequestsResponse>(outbox.body).requests_size(), 0);
  Reply got = Call("GET", path, member_b_);
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_EQ(FromJson<socio::v1::MeetingRequest>(got.body).message(),
            "Wir suchen einen Vertriebspartner.");
  ExpectError(Call("GET", path, member_a2_), 404, "NOT_FOUND");

  // The requester may not answer; the receiver accepts the second window.
  Reply own = Call("POST", path + ":answer", member_a_, R"({"accept": true})");
  ExpectError(own, 403, "PERMISSION_DENIED");
  EXPECT_THAT(own.error_message(), HasSubstr("only the receiving company"));
  Reply accepted = Call("POST", path + ":answer", member_b_, R"({"accept": true, "window": 1})");
  ASSERT_EQ(accepted.status, 200) << accepted;
  auto answered = FromJson<socio::v1::MeetingRequest>(accepted.body);
  EXPECT_EQ(answered.state(), socio::v1::MeetingRequest::ACCEPTED);
  EXPECT_EQ(answered.accepted_window().start_time().seconds(),
            request.proposed(1).start_time().seconds());
  Reply again = Call("POST", path + ":answer", member_b_, R"({"accept": false})");
  ExpectError(again, 412, "FAILED_PRECONDITION");
  EXPECT_THAT(again.error_message(), HasSubstr("is ACCEPTED"));

  // Either side calls the accepted meeting off.
  Reply cancelled =
      Call("POST", absl::StrCat(path, ":cancel?expected_version=", answered.version()), member_a_,
           R"({"reason": "Reise verschoben"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled;
  EXPECT_EQ(FromJson<socio::v1::MeetingRequest>(cancelled.body).state(),
            socio::v1::MeetingRequest::CANCELLED);

  // The receiver's chamber declines the next one for mx-1; the requester
  // withdraws a third.
  Reply second = Call("POST", "/api/v1/requests", member_a_, MeetingRequestBody(base, "Zweiter"));
  ASSERT_EQ(second.status, 201) << second;
  const std::string second_id = FromJson<socio::v1::MeetingRequest>(second.body).id();
  Reply declined = Call("POST", absl::StrCat("/api/v1/requests/", second_id, ":answer"), staff_b_,
                        R"({"accept": false, "reason": "Ya tenemos socio"})");
  ASSERT_EQ(declined.status, 200) << declined;
  auto decline = FromJson<socio::v1::MeetingRequest>(declined.body);
  EXPECT_EQ(decline.state(), socio::v1::MeetingRequest::DECLINED);
  EXPECT_EQ(decline.reason(), "Ya tenemos socio");
  EXPECT_EQ(decline.changed_by(), "staff:canaco-cdmx");
  Reply third = Call("POST", "/api/v1/requests", member_a_, MeetingRequestBody(base, "Dritter"));
  ASSERT_EQ(third.status, 201) << third;
  Reply withdrawn =
      Call("POST",
           absl::StrCat("/api/v1/requests/", FromJson<socio::v1::MeetingRequest>(third.body).id(),
                        ":cancel"),
           member_a_);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn;
  EXPECT_EQ(FromJson<socio::v1::MeetingRequest>(withdrawn.body).state(),
            socio::v1::MeetingRequest::WITHDRAWN);

  // The requester's chamber sees all three, newest first.
  Reply chamber = Call("GET", "/api/v1/requests", staff_a_);
  ASSERT_EQ(chamber.status, 200) << chamber;
  auto all = FromJson<socio::v1::ListMeetingRequestsResponse>(chamber.body);
  ASSERT_EQ(all.requests_size(), 3) << chamber;
  EXPECT_EQ(all.requests(1).id(), second_id);

  // Bad input names the parameter or field.
  Reply box = Call("GET", "/api/v1/requests?box=inbox", member_b_);
  ExpectError(box, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(box.error_message(),
              HasSubstr("query parameter box: 'inbox' is not sent or received"));
  Reply state = Call("GET", "/api/v1/requests?state=PENDING,OPEN", member_b_);
  ExpectError(state, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(state.error_message(), HasSubstr("query parameter state: 'OPEN'"));
  Reply other = Call("POST", path + ":answer", member_b_, R"({"id": "mr-1", "accept": true})");
  ExpectError(other, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(other.error_message(), HasSubstr("differs from the path's"));
  Reply empty = Call("POST", "/api/v1/requests", member_a_, "{}");
  ExpectError(empty, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(empty.error_message(), HasSubstr("request"));
}

TEST_F(GatewayTest, MeetingOutcomesAreShownAndRecordedAtTheirMeetingsPath) {
  // de-2 and mx-1 meet in two days.
  const std::string start =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(48), absl::UTCTimeZone());
  const std::string end =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(49), absl::UTCTimeZone());
  Reply sent = Call("POST", "/api/v1/requests", member_a2_,
                    absl::StrCat(R"({"request": {"fromMemberId": "de-2", "toRef": "mx-1", )",
                                 R"("proposed": [{"startTime": ")", start, R"(", "endTime": ")",
                                 end, R"("}]}})"));
  ASSERT_EQ(sent.status, 201) << sent;
  const std::string id = FromJson<socio::v1::MeetingRequest>(sent.body).id();
  ASSERT_EQ(Call("POST", absl::StrCat("/api/v1/requests/", id, ":answer"), member_b_,
                 R"({"accept": true})")
                .status,
            200);
  const std::string path = absl::StrCat("/api/v1/requests/", id, "/outcome");

  // Each side sees the meeting with its own answers only; de-1 nothing.
  Reply shown = Call("GET", path, member_b_);
  ASSERT_EQ(shown.status, 200) << shown;
  const auto outcome = FromJson<socio::v1::MeetingOutcome>(shown.body);
  ASSERT_EQ(outcome.sides_size(), 2) << shown;
  EXPECT_EQ(outcome.meeting().request_id(), id);
  EXPECT_TRUE(outcome.sides(0).hidden());
  EXPECT_FALSE(outcome.sides(1).hidden());
  ExpectError(Call("GET", path, member_a_), 404, "NOT_FOUND");

  // Feedback waits for the meeting's end; a body naming another meeting is
  // refused before sociod.
  Reply early = Call("POST", path, member_b_,
                     R"({"feedback": {"attendance": "HELD", "rating": 4, "followUp": "YES"}})");
  ExpectError(early, 412, "FAILED_PRECONDITION");
  EXPECT_THAT(early.error_message(), HasSubstr("ends at"));
  Reply other =
      Call("POST", path, member_b_,
           R"({"meeting": {"requestId": "mr-other"}, "feedback": {"attendance": "HELD"}})");
  ExpectError(other, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(other.error_message(), HasSubstr("body: meeting"));
  ExpectError(Call("GET", "/api/v1/delegations/none/meetings/none@socio/outcome", staff_a_), 404,
              "NOT_FOUND");

  Reply listed = Call("GET", "/api/v1/outcomes?filter=feedback_open", staff_b_);
  ASSERT_EQ(listed.status, 200) << listed;
  Reply bad = Call("GET", "/api/v1/outcomes?filter=soon", staff_b_);
  ExpectError(bad, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(bad.error_message(), HasSubstr("filter"));
}

TEST_F(GatewayTest, ARetriedMeetingRequestIsSentOnce) {
  const std::string body = MeetingRequestBody(absl::Now(), "Einmal");
  const httplib::Headers key = {{"Idempotency-Key", "7d1c2b3a-9e8f-4a5b-8c7d-6e5f4a3b2c1d"}};
  Reply first =
      Send(gateway_->port(), "POST", "/api/v1/requests", member_a_, body, "application/json", key);
  ASSERT_EQ(first.status, 201) << first;
  Reply retried =
      Send(gateway_->port(), "POST", "/api/v1/requests", member_a_, body, "application/json", key);
  ASSERT_EQ(retried.status, 201) << retried;
  EXPECT_EQ(retried.body, first.body);
}

TEST_F(GatewayTest, NotificationSettingsKeepTheWebhookSecretHidden) {
  Reply set = Call("PUT", "/api/v1/notification-settings?recipient=de-1", member_a_,
                   R"({"emailTo": ["export@huber.example"],
                       "webhookUrl": "https://crm.huber.example/hooks/socio",
                       "webhookSecret": "s3cret-s3cret-s3cret"})");
  ASSERT_EQ(set.status, 200) << set;
  auto stored = FromJson<socio::v1::NotificationSettings>(set.body);
  EXPECT_EQ(stored.recipient(), "de-1");
  EXPECT_TRUE(stored.webhook_secret_set());
  EXPECT_THAT(set.body, ::testing::Not(HasSubstr("s3cret")));

  Reply got = Call("GET", "/api/v1/notification-settings?recipient=de-1", staff_a_);
  ASSERT_EQ(got.status, 200) << got;
  stored = FromJson<socio::v1::NotificationSettings>(got.body);
  EXPECT_THAT(stored.email_to(), ElementsAre("export@huber.example"));
  EXPECT_EQ(stored.webhook_url(), "https://crm.huber.example/hooks/socio");
  EXPECT_THAT(got.body, ::testing::Not(HasSubstr("s3cret")));
  // Without a recipient, the caller's own.
  Reply own = Call("GET", "/api/v1/notification-settings", member_a_);
  ASSERT_EQ(own.status, 200) << own;
  EXPECT_EQ(FromJson<socio::v1::NotificationSettings>(own.body).recipient(), "de-1");

  // Another chamber's staff may not act for de-1's chamber's staff; a body
  // that names another recipient than the query is refused.
  Reply foreign =
      Call("GET", "/api/v1/notification-settings?recipient=staff:ihk-muenchen", staff_b_);
  ExpectError(foreign, 403, "PERMISSION_DENIED");
  EXPECT_THAT(foreign.error_message(), HasSubstr("ihk-muenchen"));
  Reply other = Call("PUT", "/api/v1/notification-settings?recipient=de-1", member_a_,
                     R"({"recipient": "de-2"})");
  ExpectError(other, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(other.error_message(), HasSubstr("recipient 'de-2' differs from the query's 'de-1'"));
}

// An anonymous member of chamber B, as a company of chamber A reads it over
// HTTP: its handle for its id and name until a mutual interest, the name
// after; its chamber lists the reveals, a page at a time.
TEST_F(GatewayTest, AnAnonymousProfileIsShownByItsHandleUntilRevealed) {
  // Chamber B's staff create it anonymous; the answer carries the choice and
  // the handle.
  Reply created =
      Call("POST", "/api/v1/profiles", staff_b_,
           R"({"id": "gw-anon", "chamberId": "canaco-cdmx", "name": "Herramientas Quetzal",
                           "country": "MX", "city": "Puebla", "sectors": ["46.14"],
                           "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"]}],
                           "visibility": "FEDERATION", "anonymous": true})");
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_THAT(created.body, HasSubstr(R"("anonymous":true)"));
  const auto anon = FromJson<socio::v1::Profile>(created.body);
  EXPECT_TRUE(anon.anonymous());
  const std::string handle = anon.handle();
  ASSERT_THAT(handle, StartsWith("anon-"));
  NewProfile("gw-seek1");
  NewProfile("gw-seek2");
  auto admin = socio::v1::AdminService::NewStub(
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  const auto member = [&](const std::string& id) {
    return socio::testing::IssueToken(*admin, admin_, socio::v1::MEMBER, "", id);
  };
  const std::string anon_member = member("gw-anon");
  const std::string seek1 = member("gw-seek1");
  const std::string seek2 = member("gw-seek2");

  // The member itself turns the choice off and its staff on again by PATCH;
  // the handle stays.
  Reply off = Call("PATCH", "/api/v1/profiles/gw-anon", anon_member, R"({"anonymous": false})");
  ASSERT_EQ(off.status, 200) << off;
  EXPECT_FALSE(FromJson<socio::v1::Profile>(off.body).anonymous()) << off;
  Reply on = Call("PATCH", "/api/v1/profiles/gw-anon", staff_b_, R"({"anonymous": true})");
  ASSERT_EQ(on.status, 200) << on;
  EXPECT_TRUE(FromJson<socio::v1::Profile>(on.body).anonymous()) << on;
  EXPECT_EQ(FromJson<socio::v1::Profile>(on.body).handle(), handle);

  // Before the reveal, to chamber A's staff: by its handle, the anonymous
  // view; by its id, 404 as if it did not exist. To gw-seek1, the match
  // names the handle. Its chamber lists no reveal.
  Reply hidden = Call("GET", "/api/v1/profiles/" + handle, staff_a_);
  ASSERT_EQ(hidden.status, 200) << hidden;
  auto shown = FromJson<socio::v1::Profile>(hidden.body);
  EXPECT_EQ(shown.id(), handle);
  EXPECT_EQ(shown.name(), handle);
  EXPECT_EQ(shown.country(), "MX");
  EXPECT_THAT(hidden.body,
              AllOf(::testing::Not(HasSubstr("gw-anon")), ::testing::Not(HasSubstr("Quetzal")),
                    ::testing::Not(HasSubstr("Puebla"))));
  ExpectError(Call("GET", "/api/v1/profiles/gw-anon", staff_a_), 404, "NOT_FOUND");
  const std::string explain = absl::StrCat(R"({"aId": "gw-seek1", "bId": ")", handle, R"("})");
  Reply before = Call("POST", "/api/v1/partners:explain", seek1, explain);
  ASSERT_EQ(before.status, 200) << before;
  EXPECT_EQ(FromJson<socio::v1::Match>(before.body).partner_name(), handle);
  EXPECT_THAT(before.body,
              AllOf(::testing::Not(HasSubstr("gw-anon")), ::testing::Not(HasSubstr("Quetzal"))));
  Reply none = Call("GET", "/api/v1/profiles/gw-anon/reveals", staff_b_);
  ASSERT_EQ(none.status, 200) << none;
  EXPECT_EQ(FromJson<socio::v1::ListRevealsResponse>(none.body).reveals_size(), 0) << none;

  // gw-seek1 marks the handle, gw-anon marks back: a mutual interest reveals
  // gw-anon to gw-seek1.
  Reply marked = Call("PUT", "/api/v1/members/gw-seek1/interests/" + handle, seek1,
                      R"({"mark": "INTERESTED"})");
  ASSERT_EQ(marked.status, 200) << marked;
  EXPECT_THAT(marked.body, ::testing::Not(HasSubstr("gw-anon")));
  Reply back = Call("PUT", "/api/v1/members/gw-anon/interests/gw-seek1", anon_member,
                    R"({"mark": "INTERESTED"})");
  ASSERT_EQ(back.status, 200) << back;
  EXPECT_TRUE(FromJson<socio::v1::Interest>(back.body).mutual()) << back;
  Reply after = Call("POST", "/api/v1/partners:explain", seek1, explain);
  ASSERT_EQ(after.status, 200) << after;
  EXPECT_EQ(FromJson<socio::v1::Match>(after.body).partner_id(), "gw-anon");
  EXPECT_EQ(FromJson<socio::v1::Match>(after.body).partner_name(), "Herramientas Quetzal");
  Reply revealed = Call("GET", "/api/v1/profiles/gw-anon", staff_a_);
  ASSERT_EQ(revealed.status, 200) << revealed;
  EXPECT_EQ(FromJson<socio::v1::Profile>(revealed.body).name(), "Herramientas Quetzal");
  EXPECT_EQ(FromJson<socio::v1::Profile>(revealed.body).city(), "Puebla");
  Reply member_read = Call("GET", "/api/v1/profiles/gw-anon", seek1);
  ASSERT_EQ(member_read.status, 200) << member_read;
  EXPECT_EQ(FromJson<socio::v1::Profile>(member_read.body).name(), "Herramientas Quetzal");

  // gw-seek2 asks the handle for a meeting and gw-anon accepts: a second
  // reveal.
  const std::string body =
      absl::StrReplaceAll(MeetingRequestBody(absl::Now(), "Buscamos distribuidor"),
                          {{R"("de-1")", R"("gw-seek2")"}, {R"("mx-1")", "\"" + handle + "\""}});
  Reply sent = Call("POST", "/api/v1/requests", seek2, body);
  ASSERT_EQ(sent.status, 201) << sent;
  EXPECT_THAT(sent.body, ::testing::Not(HasSubstr("gw-anon")));
  const std::string request_id = FromJson<socio::v1::MeetingRequest>(sent.body).id();
  Reply accepted = Call("POST", absl::StrCat("/api/v1/requests/", request_id, ":answer"),
                        anon_member, R"({"accept": true})");
  ASSERT_EQ(accepted.status, 200) << accepted;

  // The chamber's staff page through both reveals; the profile itself reads
  // them too.
  std::vector<socio::v1::Reveal> reveals;
  std::string token;
  do {
    Reply page = Call("GET",
                      "/api/v1/profiles/gw-anon/reveals?page_size=1&page_token=" +
                          httplib::detail::encode_query_param(token),
                      staff_b_);
    ASSERT_EQ(page.status, 200) << page;
    auto listed = FromJson<socio::v1::ListRevealsResponse>(page.body);
    ASSERT_LE(listed.reveals_size(), 1) << page;
    for (const socio::v1::Reveal& r : listed.reveals()) reveals.push_back(r);
    token = listed.next_page_token();
    ASSERT_LE(reveals.size(), 2u);
  } while (!token.empty());
  ASSERT_EQ(reveals.size(), 2u);
  std::map<std::string, socio::v1::Reveal::Reason> why;
  for (const socio::v1::Reveal& r : reveals) {
    EXPECT_EQ(r.profile_id(), "gw-anon");
    EXPECT_GT(r.reveal_time().seconds(), 0);
    why[r.revealed_to()] = r.reason();
  }
  EXPECT_EQ(why["gw-seek1"], socio::v1::Reveal::MUTUAL_INTEREST);
  EXPECT_EQ(why["gw-seek2"], socio::v1::Reveal::ACCEPTED_REQUEST);
  Reply own = Call("GET", "/api/v1/profiles/gw-anon/reveals", anon_member);
  ASSERT_EQ(own.status, 200) << own;
  EXPECT_THAT(own.body, AllOf(HasSubstr(R"("revealedTo":"gw-seek1")"),
                              HasSubstr(R"("reason":"ACCEPTED_REQUEST")")));

  // Refused: a company it was revealed to, which may read it but not act
  // for it (403), another chamber's staff (403), a bad page size, a
  // parameter the route does not take.
  Reply partner = Call("GET", "/api/v1/profiles/gw-anon/reveals", seek1);
  ExpectError(partner, 403, "PERMISSION_DENIED");
  Reply foreign = Call("GET", "/api/v1/profiles/gw-anon/reveals", staff_a_);
  ExpectError(foreign, 403, "PERMISSION_DENIED");
  EXPECT_THAT(foreign.error_message(), HasSubstr("profile_id"));
  Reply size = Call("GET", "/api/v1/profiles/gw-anon/reveals?page_size=many", staff_b_);
  ExpectError(size, 400, "INVALID_ARGUMENT");
  EXPECT_THAT(size.error_message(), HasSubstr("page_size"));
  ExpectError(Call("GET", "/api/v1/profiles/gw-anon/reveals?reason=x", staff_b_), 400,
              "INVALID_ARGUMENT");
}

TEST_F(GatewayTest, PartnershipsAreStartedMovedOnAndReviewed) {
  Reply created = Call("POST", "/api/v1/partnerships", member_a_, R"({"partnership": {
      "firstMemberId": "de-1", "secondMemberId": "mx-1", "title": "Maschinen für Mexiko",
      "goals": [{"title": "Absatz", "indicator": {"name": "Maschinen", "unit": "Stück",
                 "baseline": 0, "target": 40, "dueDate": "2027-12-31"}}],
      "reviewEveryWeeks": 8}})");
  ASSERT_EQ(created.status, 201) << created;
  auto partnership = FromJson<socio::v1::Partnership>(created.body);
  EXPECT_EQ(partnership.status(), socio::v1::Partnership::EXPLORING);
  const std::string path = absl::StrCat("/api/v1/partnerships/", partnership.id());

  // The partner and both chambers see it; another company does not.
  for (const std::string* token : {&member_b_, &staff_a_, &staff_b_}) {
    Reply got = Call("GET", path, *token);
    EXPECT_EQ(got.status, 200) << got;
  }
  ExpectError(Call("GET", path, member_a2_), 404, "NOT_FOUND");

  // The partner makes it active, with the version it read.
  Reply stale = Call("PATCH", path + "?expected_version=7", member_b_, R"({"status": "ACTIVE"})");
  ExpectError(stale, 409, "ABORTED");
  Reply active = Call("PATCH", path + "?expected_version=1", member_b_, R"({"status": "ACTIVE"})");
  ASSERT_EQ(active.status, 200) << active;
  EXPECT_EQ(FromJson<socio::v1::Partnership>(active.body).status(), socio::v1::Partnership::ACTIVE);
  EXPECT_EQ(FromJson<socio::v1::Partnership>(active.body).title(), partnership.title());

  Reply reviewed = Call("POST", path + "/reviews", staff_a_, R"({"judgement": "ON_TRACK",
      "readings": [{"indicator": "Maschinen", "value": 6}], "note": "Erste Lieferung."})");
  ASSERT_EQ(reviewed.status, 201) << reviewed;
  EXPECT_EQ(FromJson<socio::v1::PartnershipReview>(reviewed.body).number(), 1);
  ExpectError(Call("POST", path + "/reviews", member_a_, R"({"judgement": "ON_TRACK"})"), 400,
              "INVALID_ARGUMENT");
  Reply reviews = Call("GET", path + "/reviews", member_b_);
  ASSERT_EQ(reviews.status, 200) << reviews;
  auto listed_reviews = FromJson<socio::v1::ListReviewsResponse>(reviews.body);
  ASSERT_EQ(listed_reviews.reviews_size(), 1) << reviews;
  EXPECT_EQ(listed_reviews.reviews(0).recorded_by(), "staff:ihk-muenchen");

  Reply mine = Call("GET", "/api/v1/partnerships?status=active", member_b_);
  ASSERT_EQ(mine.status, 200) << mine;
  auto listed = FromJson<socio::v1::ListPartnershipsResponse>(mine.body);
  ASSERT_EQ(listed.partnerships_size(), 1) << mine;
  EXPECT_EQ(listed.partnerships(0).id(), partnership.id());
  ExpectError(Call("GET", "/api/v1/partnerships?status=DONE", member_b_), 400, "INVALID_ARGUMENT");
}

// /exchanges: chamber A's staff link their visit, chamber B's staff their
// return visit; both read the balance; a member finds none; delete.
TEST_F(GatewayTest, ExchangesLinkAVisitAndItsReturnVisit) {
  ASSERT_EQ(Call("POST", "/api/v1/delegations", staff_a_, Mission("gw-visit")).status, 201);
  Reply back = Call("POST", "/api/v1/delegations", staff_b_, R"({"id": "gw-return",
    "chamberId": "canaco-cdmx", "name": "Visita a Múnich", "originCountry": "MX",
    "hostCountry": "DE", "days": [{"date": "2027-10-11", "city": "München", "startTime": "09:00",
    "endTime": "11:00"}], "delegates": [{"memberId": "mx-1"}], "hosts": [{"memberId": "de-1"}]})");
  ASSERT_EQ(back.status, 201) << back;

  Reply created = Call("POST", "/api/v1/exchanges", staff_a_, R"({"exchange": {
      "id": "gw-x", "name": "München und Mexiko", "chamberId": "ihk-muenchen",
      "partnerChamberId": "canaco-cdmx", "visitDelegationId": "gw-visit"}})");
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(FromJson<socio::v1::Exchange>(created.body).version(), 1);
  ExpectError(Call("POST", "/api/v1/exchanges", staff_a_, R"({"exchange": {"id": "gw-x2",
      "chamberId": "ihk-muenchen", "partnerChamberId": "canaco-cdmx",
      "visitDelegationId": "gw-visit"}})"),
              409, "ALREADY_EXISTS");

  // A's staff may not read B's delegation; B's staff link it.
  ExpectError(
      Call("PATCH", "/api/v1/exchanges/gw-x", staff_a_, R"({"returnDelegationId": "gw-return"})"),
      404, "NOT_FOUND");
  ExpectError(Call("PATCH", "/api/v1/exchanges/gw-x?expected_version=5", staff_b_,
                   R"({"returnDelegationId": "gw-return"})"),
              409, "ABORTED");
  Reply linked = Call("PATCH", "/api/v1/exchanges/gw-x?expected_version=1", staff_b_,
                      R"({"returnDelegationId": "gw-return"})");
  ASSERT_EQ(linked.status, 200) << linked;
  EXPECT_EQ(FromJson<socio::v1::Exchange>(linked.body).return_delegation_id(), "gw-return");
  EXPECT_EQ(FromJson<socio::v1::Exchange>(linked.body).name(), "München und Mexiko");

  Reply listed = Call("GET", "/api/v1/exchanges?chamber_id=canaco-cdmx", staff_b_);
  ASSERT_EQ(listed.status, 200) << listed;
  ASSERT_EQ(FromJson<socio::v1::ListExchangesResponse>(listed.body).exchanges_size(), 1);
  ExpectError(Call("GET", "/api/v1/exchanges?chamber_id=canaco-cdmx", staff_a_), 403,
              "PERMISSION_DENIED");
  ExpectError(Call("GET", "/api/v1/exchanges/gw-x", member_a_), 404, "NOT_FOUND");

  Reply balance = Call("GET", "/api/v1/exchanges/gw-x/balance", staff_b_);
  ASSERT_EQ(balance.status, 200) << balance;
  auto b = FromJson<socio::v1::ExchangeBalance>(balance.body);
  EXPECT_EQ(b.visit().delegates_sent(), 1);
  EXPECT_EQ(b.return_visit().delegates_sent(), 1);
  EXPECT_EQ(b.chamber().companies_hosted(), 1);
  EXPECT_EQ(b.partner_chamber().delegates_received(), 1);
  ExpectError(Call("GET", "/api/v1/exchanges/gw-x/balance?x=1", staff_b_), 400, "INVALID_ARGUMENT");

  ASSERT_EQ(Call("DELETE", "/api/v1/exchanges/gw-x?expected_version=2", staff_a_).status, 200);
  ExpectError(Call("GET", "/api/v1/exchanges/gw-x", staff_a_), 404, "NOT_FOUND");
  EXPECT_EQ(Call("GET", "/api/v1/delegations/gw-visit", staff_a_).status, 200);
}

// /chambers: operators enter records, everyone reads them (members without
// contacts), a chamber's staff edit their own; partner chambers need both
// sides, and either ends the link.
TEST_F(GatewayTest, ChambersAndPartnerChambers) {
  Reply created = Call("POST", "/api/v1/chambers", admin_, R"({"id": "ihk-muenchen",
      "name": "IHK München und Oberbayern", "country": "DE", "languages": ["de", "en"],
      "website": "https://www.ihk-muenchen.de", "contacts": [{"name": "Anna Huber"}]})");
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(FromJson<socio::v1::Chamber>(created.body).version(), 1);
  ExpectError(
      Call("POST", "/api/v1/chambers", staff_a_, R"({"id": "x", "name": "X", "country": "DE"})"),
      403, "PERMISSION_DENIED");
  ExpectError(Call("POST", "/api/v1/chambers", admin_,
                   R"({"id": "ihk-muenchen", "name": "X", "country": "DE"})"),
              409, "ALREADY_EXISTS");
  ExpectError(Call("POST", "/api/v1/chambers", admin_,
                   R"({"id": "c-bad", "name": "X", "country": "Germany"})"),
              400, "INVALID_ARGUMENT");

  Reply seen = Call("GET", "/api/v1/chambers/ihk-muenchen", member_b_);
  ASSERT_EQ(seen.status, 200) << seen;
  EXPECT_EQ(FromJson<socio::v1::Chamber>(seen.body).contacts_size(), 0);
  Reply staff_seen = Call("GET", "/api/v1/chambers/ihk-muenchen", staff_b_);
  EXPECT_EQ(FromJson<socio::v1::Chamber>(staff_seen.body).contacts_size(), 1);
  ExpectError(Call("GET", "/api/v1/chambers/canaco-cdmx", staff_b_), 404, "NOT_FOUND");
  Reply listed = Call("GET", "/api/v1/chambers?country=DE&page_size=10", member_a_);
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_EQ(FromJson<socio::v1::ListChambersResponse>(listed.body).chambers_size(), 1);

  Reply patched = Call("PATCH", "/api/v1/chambers/ihk-muenchen?expected_version=1", staff_a_,
                       R"({"city": "München"})");
  ASSERT_EQ(patched.status, 200) << patched;
  EXPECT_EQ(FromJson<socio::v1::Chamber>(patched.body).city(), "München");
  ExpectError(Call("PATCH", "/api/v1/chambers/ihk-muenchen", staff_b_, R"({"city": "X"})"), 403,
              "PERMISSION_DENIED");

  // Munich proposes Mexico City (no record); only Mexico City's staff accept.
  Reply proposed = Call("POST", "/api/v1/chambers/ihk-muenchen/partners", staff_a_,
                        R"({"partnerChamberId": "canaco-cdmx", "note": "Exchange visits"})");
  ASSERT_EQ(proposed.status, 201) << proposed;
  EXPECT_EQ(FromJson<socio::v1::ChamberPartner>(proposed.body).state(),
            socio::v1::ChamberPartner::PROPOSED);
  ExpectError(Call("POST", "/api/v1/chambers/ihk-muenchen/partners/canaco-cdmx:accept", staff_a_),
              412, "FAILED_PRECONDITION");
  ExpectError(Call("POST", "/api/v1/chambers/canaco-cdmx/partners/ihk-muenchen:accept", staff_a_),
              403, "PERMISSION_DENIED");
  Reply accepted =
      Call("POST", "/api/v1/chambers/canaco-cdmx/partners/ihk-muenchen:accept?expected_version=1",
           staff_b_);
  ASSERT_EQ(accepted.status, 200) << accepted;
  auto link = FromJson<socio::v1::ChamberPartner>(accepted.body);
  EXPECT_EQ(link.state(), socio::v1::ChamberPartner::ACTIVE);
  EXPECT_EQ(link.partner_name(), "IHK München und Oberbayern");
  Reply partners = Call("GET", "/api/v1/chambers/ihk-muenchen/partners?state=active", staff_a_);
  ASSERT_EQ(partners.status, 200) << partners;
  auto links = FromJson<socio::v1::ListPartnerChambersResponse>(partners.body);
  ASSERT_EQ(links.partners_size(), 1) << partners;
  EXPECT_EQ(links.partners(0).partner_chamber_id(), "canaco-cdmx");
  ExpectError(Call("GET", "/api/v1/chambers/ihk-muenchen/partners?state=DONE", staff_a_), 400,
              "INVALID_ARGUMENT");
  ExpectError(Call("GET", "/api/v1/chambers/ihk-muenchen/partners", member_a_), 403,
              "PERMISSION_DENIED");
  Reply ended = Call("POST", "/api/v1/chambers/canaco-cdmx/partners/ihk-muenchen:end", staff_b_,
                     R"({"reason": "Programme over"})");
  ASSERT_EQ(ended.status, 200) << ended;
  EXPECT_EQ(FromJson<socio::v1::ChamberPartner>(ended.body).end_reason(), "Programme over");

  ExpectError(Call("DELETE", "/api/v1/chambers/ihk-muenchen", staff_a_), 403, "PERMISSION_DENIED");
  Reply deleted = Call("DELETE", "/api/v1/chambers/ihk-muenchen?expected_version=2", admin_);
  ASSERT_EQ(deleted.status, 200) << deleted;
  ExpectError(Call("GET", "/api/v1/chambers/ihk-muenchen", staff_a_), 404, "NOT_FOUND");
}

// GET /analytics: the chamber's figures as JSON, and as CSV from the same
// writer as the CLI; members and other chambers' staff are refused.
TEST_F(GatewayTest, AnalyticsAsJsonAndCsv) {
  Reply created = Call("POST", "/api/v1/partnerships", member_a_, R"({"partnership": {
      "firstMemberId": "de-1", "secondMemberId": "mx-1", "title": "Maschinen für Mexiko",
      "goals": [{"title": "Absatz", "indicator": {"name": "Maschinen", "unit": "Stück",
                 "target": 40, "dueDate": "2027-12-31"}},
                {"title": "Service", "indicator": {"name": "Techniker", "unit": "Personen",
                 "target": 4, "dueDate": "2027-12-31"}}]}})");
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = FromJson<socio::v1::Partnership>(created.body).id();
  Reply reviewed = Call("POST", absl::StrCat("/api/v1/partnerships/", id, "/reviews"), member_b_,
                        R"({"judgement": "AT_RISK", "readings": [
      {"indicator": "Maschinen", "value": 6, "judgement": "OFF_TRACK"},
      {"indicator": "Techniker", "value": 1}]})");
  ASSERT_EQ(reviewed.status, 201) << reviewed;

  Reply json = Call("GET", "/api/v1/analytics?group_by=country-pair", staff_a_);
  ASSERT_EQ(json.status, 200) << json;
  auto answer = FromJson<socio::v1::GetAnalyticsResponse>(json.body);
  EXPECT_EQ(answer.chamber_id(), "ihk-muenchen");
  EXPECT_EQ(answer.total().partnerships(), 1);
  EXPECT_EQ(answer.total().goals_off_track(), 1);  // its own judgement
  EXPECT_EQ(answer.total().goals_at_risk(), 1);    // the review's
  ASSERT_EQ(answer.rows_size(), 1) << json;
  EXPECT_EQ(answer.rows(0).key(), "DE-MX");
  EXPECT_FALSE(answer.total().has_acceptance_rate());
  EXPECT_EQ(answer.typical().acceptance_rate().low(), 0.4);

  Reply csv = Call("GET", "/api/v1/analytics?group_by=COUNTRY_PAIR&format=csv", staff_a_);
  ASSERT_EQ(csv.status, 200) << csv;
  EXPECT_THAT(csv.content_type(), ::testing::StartsWith("text/csv"));
  std::vector<std::string> lines = absl::StrSplit(csv.body, "\r\n");
  ASSERT_EQ(lines.size(), 4u) << csv.body;  // header, DE-MX, total, ""
  EXPECT_THAT(lines[0], ::testing::StartsWith("group,requests_sent,"));
  EXPECT_THAT(lines[1], ::testing::StartsWith("DE-MX,"));
  EXPECT_THAT(lines[2], ::testing::StartsWith("(total),"));

  ExpectError(Call("GET", "/api/v1/analytics", member_a_), 403, "PERMISSION_DENIED");
  ExpectError(Call("GET", "/api/v1/analytics?chamber_id=ihk-muenchen", staff_b_), 403,
              "PERMISSION_DENIED");
  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"group_by=weekly", "group_by"},
                                                        {"format=xlsx", "format"},
                                                        {"from_date=2027-02-30", "from_date"},
                                                        {"chamber=x", "chamber"}}) {
    Reply bad = Call("GET", "/api/v1/analytics?" + query, staff_a_);
    ExpectError(bad, 400, "INVALID_ARGUMENT");
    EXPECT_THAT(bad.body, ::testing::HasSubstr(field)) << query;
  }
}

}  // namespace
}  // namespace socio::gateway
