// Every RPC held to one written model of visibility (tests/support/
// visibility_model.h, which mirrors the model clause by clause): a real
// sociod with tokens over a RocksDB in a temporary directory, seeded with
// three chambers, profiles of every visibility (some expired), a deleted id
// and one deleted and re-created by another chamber as PRIVATE, planned
// delegations and tokens of every kind; then a random walk with a fixed seed
// of callers x RPCs x targets. Each answer is compared with the model: the
// gRPC code, and every profile id, name and contact person anywhere in the
// response or the error message (walked by reflection). All differences are collected, then
// reported grouped, with the seed, step, caller, RPC and target of each.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"
#include "tests/support/token_calls.h"
#include "tests/support/visibility_model.h"

namespace socio::services {
namespace {

using grpc::StatusCode;
using socio::testing::CollectStrings;
using socio::testing::ModelCaller;
using socio::testing::ModelDelegation;
using socio::testing::ModelProfile;
using socio::testing::TestServer;
using socio::testing::VisibilityModel;
using socio::v1::Profile;

constexpr uint32_t kSeed = 20261206;
constexpr int kSteps = 3000;
// Differences printed in full; the rest are only counted (per group).
constexpr int kMaxPrinted = 40;

constexpr char kA[] = "cham-a";  // Germany
constexpr char kB[] = "cham-b";  // Mexico City
constexpr char kC[] = "cham-c";  // Monterrey
const std::vector<std::string> kChambers = {kA, kB, kC};
// Ids that never name a profile or a delegation.
const std::vector<std::string> kMissingIds = {"zz-none-1", "zz-none-2"};
// A missing id that is neither `a` nor `b`, for a request naming two ids to
// be asked again with one of them missing: never picked by the walk itself.
std::string MissingOtherThan(const std::string& a, const std::string& b) {
  for (const char* id : {"zz-none-1", "zz-none-2", "zz-none-3"}) {
    if (id != a && id != b) return id;
  }
  return "";
}
constexpr char kMissingDelegation[] = "dl-none-1";
// A version no stored thing has: the read-only variant of every write.
constexpr int64_t kStaleVersion = 99999;

// valid_until of expired profiles: 2020-01-01.
constexpr int64_t kPast = 1577836800;
// Cities the delegations visit.
constexpr char kMexicoCity[] = "Ciudad de México";
constexpr char kMunich[] = "München";

// Every id is 7 characters and no id is part of another, so finding one in
// a text means it is there. Each name carries a word found nowhere else.
struct SeedProfile {
  const char* id;
  const char* chamber;
  Profile::Visibility visibility;
  bool valid;
  const char* country;
  const char* city;
  const char* word;
};
constexpr SeedProfile kProfiles[] = {
    {"a-fed-1", kA, Profile::FEDERATION, true, "DE", kMunich, "Quorvant"},
    {"a-fed-2", kA, Profile::FEDERATION, true, "DE", kMunich, "Belquist"},
    {"a-cha-1", kA, Profile::CHAMBER, true, "DE", kMunich, "Trandolo"},
    {"a-pri-1", kA, Profile::PRIVATE, true, "DE", kMunich, "Vemmirad"},
    {"a-fedx1", kA, Profile::FEDERATION, false, "DE", kMunich, "Ostrapel"},
    // The only profile in Japan: PRIVATE to chamber A.
    {"a-prij1", kA, Profile::PRIVATE, true, "JP", "Osaka", "Kizumane"},
    {"b-fed-1", kB, Profile::FEDERATION, true, "MX", kMexicoCity, "Palvoreo"},
    {"b-fed-2", kB, Profile::FEDERATION, true, "MX", kMexicoCity, "Durangix"},
    {"b-cha-1", kB, Profile::CHAMBER, true, "MX", kMexicoCity, "Simbrato"},
    {"b-pri-1", kB, Profile::PRIVATE, true, "MX", kMexicoCity, "Yeltraco"},
    {"b-chax1", kB, Profile::CHAMBER, false, "MX", kMexicoCity, "Humbrixo"},
    // The only profile in Brazil: PRIVATE to chamber B.
    {"b-prib1", kB, Profile::PRIVATE, true, "BR", "Santos", "Gravendo"},
    {"c-fed-1", kC, Profile::FEDERATION, true, "MX", "Monterrey", "Lusmerai"},
    {"c-cha-1", kC, Profile::CHAMBER, true, "MX", "Monterrey", "Fentoraq"},
    {"c-pri-1", kC, Profile::PRIVATE, true, "MX", "Monterrey", "Wobrastin"},
    {"c-prix1", kC, Profile::PRIVATE, false, "MX", "Monterrey", "Zinquaro"},
    // The only profile in the United States: FEDERATION but expired.
    {"c-fedxu", kC, Profile::FEDERATION, false, "US", "Houston", "Mextrelo"},
    // The only profile in France: CHAMBER of chamber C.
    {"c-chaf1", kC, Profile::CHAMBER, true, "FR", "Lyon", "Ardunqel"},
    // Deleted after the seed (a member token and a planned delegation name it).
    // (In a city no host filter visits: only the delegations that name them
    // have them in their plans.)
    {"x-del-1", kA, Profile::FEDERATION, true, "DE", "Augsburg", "Cobrantel"},
    // Deleted, then created again by chamber B as PRIVATE (below).
    {"x-rec-1", kA, Profile::FEDERATION, true, "DE", "Augsburg", "Oldrecant"},
};
constexpr SeedProfile kRecreated = {"x-rec-1", kB,          Profile::PRIVATE, true,
                                    "MX",      kMexicoCity, "Newrecant"};

// The e-mail address of the contact person every seeded profile has: found
// in an answer, it shows that profile's contacts.
std::string ContactMarker(const std::string& id) {
  return absl::StrCat("kontakt.", id, "@example.com");
}

Profile ToProfile(const SeedProfile& s) {
  Profile p;
  p.set_id(s.id);
  p.set_chamber_id(s.chamber);
  p.set_name(absl::StrCat("Firma ", s.word));
  p.set_country(s.country);
  p.set_city(s.city);
  p.add_sectors(std::string(s.country) == "DE" ? "28.41" : "46.62");
  p.add_languages("en");
  p.set_employees(50);
  socio::v1::Objective* objective = p.add_objectives();
  objective->set_type(socio::v1::Objective::DISTRIBUTION);
  objective->set_direction(std::string(s.country) == "DE" ? socio::v1::Objective::SEEK
                                                          : socio::v1::Objective::OFFER);
  p.add_target_markets(std::string(s.country) == "DE" ? "MX" : "DE");
  p.set_visibility(s.visibility);
  if (!s.valid) p.mutable_valid_until()->set_seconds(kPast);
  socio::v1::Contact* contact = p.add_contacts();
  contact->set_name(absl::StrCat("Kontakt ", s.word));
  contact->set_email(ContactMarker(s.id));
  return p;
}

ModelProfile ToModel(const SeedProfile& s) {
  return ModelProfile{.id = s.id,
                      .chamber_id = s.chamber,
                      .visibility = s.visibility,
                      .valid = s.valid,
                      .country = s.country,
                      .city = s.city,
                      .name_word = s.word};
}

// A delegation of `chamber` visiting `city` in `host_country`.
struct SeedDelegation {
  std::string id;
  std::string chamber;
  std::string origin;
  std::string host_country;
  std::string city;
  std::vector<std::string> delegates;
  std::vector<std::string> hosts;
  // A REQUESTED pair of the first delegate and first host, if set.
  bool pair = false;
  int max_hosts = 0;
};

socio::v1::Delegation ToDelegation(const SeedDelegation& s) {
  socio::v1::Delegation d;
  d.set_id(s.id);
  d.set_chamber_id(s.chamber);
  d.set_name(absl::StrCat("Mission ", s.id));
  d.set_origin_country(s.origin);
  d.set_host_country(s.host_country);
  socio::v1::ItineraryDay* day = d.add_days();
  day->set_date("2027-03-29");
  day->set_city(s.city);
  day->set_start_time("09:00");
  day->set_end_time("11:00");
  for (const std::string& id : s.delegates) d.add_delegates()->set_member_id(id);
  for (const std::string& id : s.hosts) d.add_hosts()->set_member_id(id);
  if (s.pair) {
    socio::v1::MeetingPair* pair = d.add_pairs();
    pair->set_delegate_id(s.delegates.front());
    pair->set_host_id(s.hosts.front());
    pair->set_status(socio::v1::MeetingPair::REQUESTED);
  }
  d.mutable_host_filter()->set_max_hosts(s.max_hosts);
  return d;
}

ModelDelegation ToModel(const socio::v1::Delegation& d) {
  ModelDelegation m{.id = d.id(), .chamber_id = d.chamber_id()};
  for (const auto& p : d.delegates()) m.delegates.push_back(p.member_id());
  for (const auto& p : d.hosts()) m.hosts.push_back(p.member_id());
  for (const auto& p : d.pairs()) {
    m.pair_ids.push_back(p.delegate_id());
    m.pair_ids.push_back(p.host_id());
  }
  m.has_plan = d.has_plan();
  m.plan_host_ids.assign(d.plan().host_ids().begin(), d.plan().host_ids().end());
  return m;
}

// Appends every string field of `message`, recursively, one per line.
std::string CodeName(StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string Describe(const std::set<std::string>& ids) {
  return absl::StrCat("{", absl::StrJoin(ids, ", "), "}");
}

// One caller of the walk: what the model knows of it and its token.
struct TestCaller {
  ModelCaller model;
  std::string token;  // "" sends no authorization metadata
};

// One step of the walk: the call made, what the model expects, what came.
struct Step {
  int index = 0;
  const TestCaller* caller = nullptr;
  std::string rpc;
  std::string target;
  std::string detail;  // the other ids of the request, for messages
  std::mt19937 rng;
  // Codes the model allows (more than one only where it leaves the order of
  // two checks open).
  std::set<StatusCode> expected;
  grpc::Status got;
  // Everything the server answered, scanned for ids and names.
  std::vector<std::unique_ptr<google::protobuf::Message>> responses;
  // Ids the caller sent itself, and ids the delegations it may read name.
  std::set<std::string> sent;
  std::set<std::string> named;
  // Differences beyond the code: (kind, detail).
  std::vector<std::pair<std::string, std::string>> problems;

  template <typename T>
  T* Response() {
    responses.push_back(std::make_unique<T>());
    return static_cast<T*>(responses.back().get());
  }
  void Expect(StatusCode code) { expected = {code}; }
  bool ExpectsOk() const { return expected.size() == 1 && expected.contains(StatusCode::OK); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  }
  void Problem(const std::string& kind, const std::string& text) {
    problems.emplace_back(kind, text);
  }
};

class VisibilityPropertyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(server_, TestServer::Start({.sync_writes = false}));
    admin_.token = server_->admin_token();
    ASSERT_FALSE(admin_.token.empty());
    admin_.model = {.kind = ModelCaller::kAdmin, .label = "admin"};
    ASSERT_NO_FATAL_FAILURE(Seed());
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const TestCaller& caller,
                                           absl::Duration deadline = absl::Seconds(20)) {
    ++calls_;
    return socio::testing::WithToken(caller.token, deadline);
  }

  std::string Issue(socio::v1::Role role, const std::string& chamber, const std::string& profile) {
    ++calls_;
    return server_->IssueToken(role, chamber, profile);
  }

  void AddCaller(ModelCaller model, std::string token) {
    callers_.push_back({std::move(model), std::move(token)});
  }

  // The seed: profiles, tokens, planned delegations, then the deletes.
  void Seed() {
    for (const SeedProfile& s : kProfiles) {
      socio::v1::CreateProfileRequest request;
      *request.mutable_profile() = ToProfile(s);
      Profile created;
      grpc::Status status = server_->profiles().CreateProfile(Ctx(admin_).get(), request, &created);
      ASSERT_TRUE(status.ok()) << s.id << ": " << status.error_message();
      model_.PutProfile(ToModel(s));
      model_.RememberName(s.id, s.word);
    }
    model_.RememberName(kRecreated.id, kRecreated.word);

    // Callers without a valid token.
    AddCaller({.kind = ModelCaller::kNone, .label = "no token"}, "");
    AddCaller({.kind = ModelCaller::kMalformed, .label = "malformed token"}, "not-a-token");
    const std::string spare = Issue(socio::v1::STAFF, kA, "");
    const size_t dot = spare.find('.');
    ASSERT_NE(dot, std::string::npos);
    AddCaller({.kind = ModelCaller::kUnknown, .label = "unknown token"},
              std::string(dot, '0') + spare.substr(dot));
    const std::string revoked = Issue(socio::v1::STAFF, kB, "");
    revoked_token_id_ = revoked.substr(0, revoked.find('.'));
    socio::v1::RevokeTokenRequest revoke;
    revoke.set_id(revoked_token_id_);
    socio::v1::TokenInfo info;
    ASSERT_TRUE(server_->admin().RevokeToken(Ctx(admin_).get(), revoke, &info).ok());
    AddCaller({.kind = ModelCaller::kRevoked, .label = "revoked token"}, revoked);
    // Member tokens issued before their profiles were deleted.
    AddCaller(
        {.kind = ModelCaller::kStale, .profile_id = "x-del-1", .label = "stale member x-del-1"},
        Issue(socio::v1::MEMBER, "", "x-del-1"));
    AddCaller({.kind = ModelCaller::kStale,
               .profile_id = "x-rec-1",
               .label = "stale member x-rec-1 (re-created by cham-b)"},
              Issue(socio::v1::MEMBER, "", "x-rec-1"));
    // Valid callers.
    callers_.push_back(admin_);
    for (const std::string& chamber : kChambers) {
      AddCaller({.kind = ModelCaller::kStaff,
                 .chamber_id = chamber,
                 .label = absl::StrCat("staff of ", chamber)},
                Issue(socio::v1::STAFF, chamber, ""));
    }
    for (const char* id : {"a-fed-1", "a-cha-1", "a-pri-1", "a-fedx1", "b-fed-1", "b-cha-1",
                           "b-pri-1", "c-fed-1", "c-cha-1", "c-pri-1"}) {
      AddCaller(
          {.kind = ModelCaller::kMember, .profile_id = id, .label = absl::StrCat("member ", id)},
          Issue(socio::v1::MEMBER, "", id));
    }

    // Delegations, planned while every id they name is visible. The two
    // stale ones name the deleted ids at the same place (delegates[1]).
    const std::vector<SeedDelegation> delegations = {
        {.id = "dl-a-1",
         .chamber = kA,
         .origin = "DE",
         .host_country = "MX",
         .city = kMexicoCity,
         .delegates = {"a-fed-1", "a-fed-2"},
         .hosts = {"b-fed-1"},
         .pair = true,
         .max_hosts = 3},
        {.id = "dl-b-1",
         .chamber = kB,
         .origin = "MX",
         .host_country = "DE",
         .city = kMunich,
         .delegates = {"b-fed-2"},
         .hosts = {"a-fed-1"},
         .pair = true,
         .max_hosts = 2},
        {.id = "dl-c-1",
         .chamber = kC,
         .origin = "MX",
         .host_country = "DE",
         .city = kMunich,
         .delegates = {"c-fed-1"},
         .hosts = {"a-fed-2"}},
        {.id = "dl-a-st",
         .chamber = kA,
         .origin = "DE",
         .host_country = "MX",
         .city = kMexicoCity,
         .delegates = {"a-fed-2", "x-rec-1"},
         .hosts = {"b-fed-1"}},
        {.id = "dl-a-dl",
         .chamber = kA,
         .origin = "DE",
         .host_country = "MX",
         .city = kMexicoCity,
         .delegates = {"a-fed-2", "x-del-1"},
         .hosts = {"b-fed-2"}},
    };
    for (const SeedDelegation& s : delegations) {
      socio::v1::CreateDelegationRequest create;
      *create.mutable_delegation() = ToDelegation(s);
      socio::v1::Delegation stored;
      grpc::Status status =
          server_->delegations().CreateDelegation(Ctx(admin_).get(), create, &stored);
      ASSERT_TRUE(status.ok()) << s.id << ": " << status.error_message();
      socio::v1::PlanDelegationRequest plan;
      plan.set_id(s.id);
      status = server_->delegations().PlanDelegation(Ctx(admin_).get(), plan, &stored);
      ASSERT_TRUE(status.ok()) << s.id << ": " << status.error_message();
      ASSERT_GT(stored.plan().meetings_size(), 0) << s.id;
      originals_[s.id] = stored;
      model_.PutDelegation(ToModel(stored));
    }

    // The deletes, and x-rec-1 again, now chamber B's PRIVATE company.
    for (const char* id : {"x-del-1", "x-rec-1"}) {
      socio::v1::DeleteProfileRequest request;
      request.set_id(id);
      socio::v1::DeleteProfileResponse response;
      ASSERT_TRUE(server_->profiles().DeleteProfile(Ctx(admin_).get(), request, &response).ok());
      model_.RemoveProfile(id);
    }
    socio::v1::CreateProfileRequest again;
    *again.mutable_profile() = ToProfile(kRecreated);
    Profile created;
    ASSERT_TRUE(server_->profiles().CreateProfile(Ctx(admin_).get(), again, &created).ok());
    model_.PutProfile(ToModel(kRecreated));
    // The walk compares partner sets exactly: wait until the match index
    // holds the deletes and the new x-rec-1.
    for (int attempt = 0;; ++attempt) {
      socio::v1::FindPartnersRequest find;
      find.set_member_id("b-fed-1");
      find.set_k(1000);
      socio::v1::FindPartnersResponse found;
      ASSERT_TRUE(server_->matches().FindPartners(Ctx(admin_).get(), find, &found).ok());
      std::set<std::string> partners;
      for (const auto& m : found.matches()) partners.insert(m.partner_id());
      if (partners.contains("x-rec-1") && !partners.contains("x-del-1")) break;
      ASSERT_LT(attempt, 100) << "the match index never caught up";
      absl::SleepFor(absl::Milliseconds(50));
    }

    for (const SeedProfile& s : kProfiles) all_ids_.push_back(s.id);
  }

  // A profile id of the kind the walk asks for, as this caller sees it:
  // readable, existing but hidden, expired, missing or deleted.
  std::string PickProfileId(Step& s) {
    std::vector<std::string> visible, hidden, expired;
    for (const auto& [id, p] : model_.profiles()) {
      (model_.CanRead(s.caller->model, id) ? visible : hidden).push_back(id);
      if (!p.valid) expired.push_back(id);
    }
    switch (s.Uniform(0, 5)) {
      case 0:
      case 1:
        // A stale member token's own id: what it could read once.
        if (s.caller->model.kind == ModelCaller::kStale) return s.caller->model.profile_id;
        if (!visible.empty()) return s.Pick(visible);
        break;
      case 2:
        if (!hidden.empty()) return s.Pick(hidden);
        break;
      case 3:
        return s.Pick(expired);
      case 4:
        return s.Pick(std::vector<std::string>{"x-del-1", "x-rec-1"});
      default:
        return s.Pick(kMissingIds);
    }
    return s.Pick(all_ids_);
  }

  std::string PickExistingId(Step& s) {
    std::vector<std::string> ids;
    for (const auto& [id, p] : model_.profiles()) ids.push_back(id);
    return s.Pick(ids);
  }

  std::string PickDelegationId(Step& s) {
    std::vector<std::string> ids = {kMissingDelegation};
    for (const auto& [id, d] : model_.delegations()) ids.push_back(id);
    return s.Pick(ids);
  }

  // "Missing vs hidden": a NOT_FOUND for an id that exists must read as the
  // one for an id that does not. `again` makes the same request with the id
  // replaced.
  void SameAsMissing(Step& s, const std::string& id, const std::string& missing,
                     const std::function<grpc::Status(const std::string&)>& again) {
    if (s.expected != std::set<StatusCode>{StatusCode::NOT_FOUND} ||
        s.got.error_code() != StatusCode::NOT_FOUND || id == missing) {
      return;
    }
    const grpc::Status twin = again(missing);
    const std::string hidden_text = absl::StrReplaceAll(s.got.error_message(), {{id, "<id>"}});
    const std::string missing_text = absl::StrReplaceAll(twin.error_message(), {{missing, "<id>"}});
    if (twin.error_code() != StatusCode::NOT_FOUND || hidden_text != missing_text) {
      s.Problem("NOT_FOUND text differs from a missing id's",
                absl::StrCat("'", s.got.error_message(), "' vs ", CodeName(twin.error_code()), " '",
                             twin.error_message(), "'"));
    }
  }

  // Every page of a List RPC, `request` (its filters and page_size set)
  // sent with each page's token; the ids of every page go to `ids`. Pages
  // are full up to the last, the last one's token is empty, no empty page
  // carries a token.
  template <typename Response, typename Request, typename Call, typename IdsOf>
  void WalkPages(Step& s, Request request, Call call, IdsOf ids_of, std::set<std::string>* ids) {
    for (int page = 0; page < 100; ++page) {
      Response* out = s.Response<Response>();
      s.got = call(Ctx(*s.caller).get(), request, out);
      if (!s.got.ok()) return;
      const std::vector<std::string> got = ids_of(*out);
      ids->insert(got.begin(), got.end());
      if (!out->next_page_token().empty() && static_cast<int>(got.size()) < request.page_size()) {
        s.Problem("short page", absl::StrCat("page ", page, " has ", got.size(), " of ",
                                             request.page_size(), " and a next_page_token"));
      }
      if (out->next_page_token().empty()) return;
      request.set_page_token(out->next_page_token());
    }
    s.Problem("pages never end", "100 pages");
  }

  void CheckPlan(Step& s, const ModelDelegation& d, const socio::v1::Delegation& stored) {
    // "Hosts the host filter proposes are PartnerVisible to the delegate as
    // staff of C see it."
    const ModelCaller staff{.kind = ModelCaller::kStaff, .chamber_id = d.chamber_id};
    const std::set<std::string> named = d.Named();
    for (const std::string& host : stored.plan().host_ids()) {
      if (named.contains(host)) continue;
      bool visible = false;
      for (const std::string& delegate : d.delegates) {
        const ModelProfile* m = model_.Profile(delegate);
        visible |= m != nullptr && model_.PartnerVisible(staff, *m, host);
      }
      if (!visible) {
        s.Problem("host filter proposes a host that is not PartnerVisible",
                  absl::StrCat(host, " in ", d.id));
      }
    }
  }

  // Restores a delegation the walk changed to its seeded definition.
  void Restore(const std::string& id) {
    socio::v1::UpdateDelegationRequest request;
    *request.mutable_delegation() = originals_.at(id);
    request.mutable_delegation()->clear_plan();
    for (const char* path : {"delegates", "hosts", "pairs", "name"}) {
      request.mutable_update_mask()->add_paths(path);
    }
    socio::v1::Delegation out;
    grpc::Status status = server_->delegations().UpdateDelegation(Ctx(admin_).get(), request, &out);
    EXPECT_TRUE(status.ok()) << "restoring " << id << ": " << status.error_message();
  }

  void RemoveProfileAsAdmin(const std::string& id) {
    socio::v1::DeleteProfileRequest request;
    request.set_id(id);
    socio::v1::DeleteProfileResponse response;
    grpc::Status status = server_->profiles().DeleteProfile(Ctx(admin_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << "removing " << id << ": " << status.error_message();
  }

  // A new profile of `chamber` that is never a partner (expired).
  Profile Ephemeral(const std::string& id, const std::string& chamber) {
    SeedProfile s = kProfiles[0];
    Profile p = ToProfile(s);
    p.set_id(id);
    p.set_chamber_id(chamber);
    p.set_name("Ephemeral test company");
    p.mutable_contacts(0)->set_name("Kontakt ephemeral");
    p.mutable_contacts(0)->set_email(ContactMarker(id));
    p.mutable_valid_until()->set_seconds(kPast);
    return p;
  }

  struct Rpc {
    std::string name;
    int weight;
    std::function<void(Step&)> run;
  };
  std::vector<Rpc> Rpcs();

  // Compares one step's answer with the model; records the differences.
  void Judge(Step& s) {
    if (!VisibilityModel::Authenticated(s.caller->model)) s.Expect(StatusCode::UNAUTHENTICATED);
    const std::string where =
        absl::StrCat("seed=", kSeed, " step=", s.index, " caller=", s.caller->model.label,
                     " rpc=", s.rpc, " target=", s.target, s.detail.empty() ? "" : " ", s.detail);
    std::vector<std::string> codes;
    for (StatusCode c : s.expected) codes.push_back(CodeName(c));
    if (!s.expected.contains(s.got.error_code())) {
      Record(s.rpc,
             absl::StrCat("expected ", absl::StrJoin(codes, " or "), ", got ",
                          CodeName(s.got.error_code())),
             absl::StrCat(where, ": expected ", absl::StrJoin(codes, " or "), ", got ",
                          CodeName(s.got.error_code()), " '", s.got.error_message(), "'"));
    }
    // Which ids and names appear anywhere in the answer.
    std::string text = s.got.error_message() + "\n";
    if (s.got.ok()) {
      for (const auto& r : s.responses) CollectStrings(*r, &text);
    }
    // iCalendar folds long lines ("\r\n" and a space): unfold first.
    text = absl::StrReplaceAll(text, {{"\r\n ", ""}, {"\r\n\t", ""}});
    for (const std::string& id : all_ids_) {
      // Ids the caller sent, its token's own, and those named by a
      // delegation it may read (its chamber wrote them) are its own input.
      if (!absl::StrContains(text, id) || s.sent.contains(id) || s.named.contains(id) ||
          id == s.caller->model.profile_id) {
        continue;
      }
      if (!model_.MayShowId(s.caller->model, id)) {
        Record(s.rpc, "shows a profile id the caller may not see",
               absl::StrCat(where, ": shows '", id, "' (expected ", absl::StrJoin(codes, " or "),
                            ", got ", CodeName(s.got.error_code()), ")"));
      }
    }
    for (const std::string& id : all_ids_) {
      if (absl::StrContains(text, ContactMarker(id)) && !model_.SeesContacts(s.caller->model, id)) {
        Record(s.rpc, "shows a contact person of a company the caller may not see them of",
               absl::StrCat(where, ": shows the contact of '", id, "'"));
      }
    }
    for (const auto& [word, id] : model_.NameWords()) {
      if (absl::StrContains(text, word) && !model_.MayShowName(s.caller->model, word)) {
        Record(s.rpc, "shows the name of a company the caller may not see",
               absl::StrCat(where, ": shows the name '", word, "' (now or once of ", id, ")"));
      }
    }
    for (const auto& [kind, detail] : s.problems) {
      Record(s.rpc, kind, absl::StrCat(where, ": ", detail));
    }
  }

  void Record(const std::string& rpc, const std::string& kind, const std::string& text) {
    auto& group = groups_[rpc + ": " + kind];
    if (group.count++ == 0) group.example = text;
    if (printed_.size() < static_cast<size_t>(kMaxPrinted)) printed_.push_back(text);
    ++differences_;
  }

  std::unique_ptr<TestServer> server_;
  VisibilityModel model_;
  TestCaller admin_;
  std::vector<TestCaller> callers_;
  std::string revoked_token_id_;
  std::vector<std::string> all_ids_;
  std::map<std::string, socio::v1::Delegation> originals_;
  int64_t calls_ = 0;
  int mutual_interests_ = 0;
  std::vector<std::pair<std::string, std::string>> marks_;  // (member, partner) set OK
  struct Group {
    int count = 0;
    std::string example;
  };
  std::map<std::string, Group> groups_;
  std::vector<std::string> printed_;
  int differences_ = 0;
};

std::vector<VisibilityPropertyTest::Rpc> VisibilityPropertyTest::Rpcs() {
  using namespace socio::v1;  // NOLINT: the RPCs read better with bare message names
  const auto staff_or_admin_of = [](const ModelCaller& c, const std::string& chamber) {
    return c.kind == ModelCaller::kAdmin ||
           (c.kind == ModelCaller::kStaff && c.chamber_id == chamber);
  };
  std::vector<Rpc> rpcs;

  // ---- ProfileService ----
  rpcs.push_back(
      {"CreateProfile(new id)", 2, [&, staff_or_admin_of](Step& s) {
         const std::string chamber = s.Pick(kChambers);
         s.target = absl::StrCat("n-", s.index);
         s.detail = absl::StrCat("chamber=", chamber);
         s.sent.insert(s.target);
         CreateProfileRequest r;
         *r.mutable_profile() = Ephemeral(s.target, chamber);
         s.got = server_->profiles().CreateProfile(Ctx(*s.caller).get(), r, s.Response<Profile>());
         s.Expect(staff_or_admin_of(s.caller->model, chamber) ? StatusCode::OK
                                                              : StatusCode::PERMISSION_DENIED);
         if (s.got.ok()) RemoveProfileAsAdmin(s.target);
       }});
  rpcs.push_back(
      {"CreateProfile(existing id)", 1, [&, staff_or_admin_of](Step& s) {
         const std::string chamber = s.Pick(kChambers);
         s.target = PickExistingId(s);
         s.detail = absl::StrCat("chamber=", chamber);
         s.sent.insert(s.target);
         CreateProfileRequest r;
         *r.mutable_profile() = Ephemeral(s.target, chamber);
         s.got = server_->profiles().CreateProfile(Ctx(*s.caller).get(), r, s.Response<Profile>());
         s.Expect(staff_or_admin_of(s.caller->model, chamber) ? StatusCode::ALREADY_EXISTS
                                                              : StatusCode::PERMISSION_DENIED);
       }});
  rpcs.push_back({"GetProfile", 4, [&](Step& s) {
                    s.target = PickProfileId(s);
                    s.sent.insert(s.target);
                    auto call = [&](const std::string& id, Profile* out) {
                      GetProfileRequest r;
                      r.set_id(id);
                      return server_->profiles().GetProfile(Ctx(*s.caller).get(), r, out);
                    };
                    s.got = call(s.target, s.Response<Profile>());
                    // CanRead, else NOT_FOUND as for a missing id.
                    s.Expect(model_.CanRead(s.caller->model, s.target) ? StatusCode::OK
                                                                       : StatusCode::NOT_FOUND);
                    SameAsMissing(s, s.target, kMissingIds[0], [&](const std::string& id) {
                      Profile unused;
                      return call(id, &unused);
                    });
                  }});
  rpcs.push_back({"UpdateProfile(stale version)", 2, [&](Step& s) {
                    s.target = PickProfileId(s);
                    s.sent.insert(s.target);
                    auto call = [&](const std::string& id, Profile* out) {
                      UpdateProfileRequest r;
                      r.mutable_profile()->set_id(id);
                      r.mutable_profile()->set_description("A stale edit.");
                      r.mutable_update_mask()->add_paths("description");
                      r.set_expected_version(kStaleVersion);
                      return server_->profiles().UpdateProfile(Ctx(*s.caller).get(), r, out);
                    };
                    s.got = call(s.target, s.Response<Profile>());
                    // Hidden: NOT_FOUND; readable but not ActsFor:
                    // PERMISSION_DENIED; else the write meets the version.
                    s.Expect(!model_.CanRead(s.caller->model, s.target) ? StatusCode::NOT_FOUND
                             : !model_.ActsFor(s.caller->model, s.target)
                                 ? StatusCode::PERMISSION_DENIED
                                 : StatusCode::ABORTED);
                    SameAsMissing(s, s.target, kMissingIds[0], [&](const std::string& id) {
                      Profile unused;
                      return call(id, &unused);
                    });
                  }});
  rpcs.push_back(
      {"UpdateProfile(description)", 2, [&](Step& s) {
         s.target = PickProfileId(s);
         s.sent.insert(s.target);
         auto call = [&](const std::string& id, Profile* out) {
           UpdateProfileRequest r;
           r.mutable_profile()->set_id(id);
           r.mutable_profile()->set_description(absl::StrCat("Edited at step ", s.index, "."));
           r.mutable_update_mask()->add_paths("description");
           return server_->profiles().UpdateProfile(Ctx(*s.caller).get(), r, out);
         };
         s.got = call(s.target, s.Response<Profile>());
         s.Expect(!model_.CanRead(s.caller->model, s.target)   ? StatusCode::NOT_FOUND
                  : !model_.ActsFor(s.caller->model, s.target) ? StatusCode::PERMISSION_DENIED
                                                               : StatusCode::OK);
         SameAsMissing(s, s.target, kMissingIds[0], [&](const std::string& id) {
           Profile unused;
           return call(id, &unused);
         });
       }});
  rpcs.push_back({"DeleteProfile(stale version)", 2, [&, staff_or_admin_of](Step& s) {
                    s.target = PickProfileId(s);
                    s.sent.insert(s.target);
                    auto call = [&](const std::string& id) {
                      DeleteProfileRequest r;
                      r.set_id(id);
                      r.set_expected_version(kStaleVersion);
                      DeleteProfileResponse out;
                      return server_->profiles().DeleteProfile(Ctx(*s.caller).get(), r, &out);
                    };
                    s.got = call(s.target);
                    // Deleting is for operators and the chamber's staff; who
                    // may read the profile but not delete it is refused.
                    const ModelProfile* p = model_.Profile(s.target);
                    s.Expect(!model_.CanRead(s.caller->model, s.target) ? StatusCode::NOT_FOUND
                             : !staff_or_admin_of(s.caller->model, p->chamber_id)
                                 ? StatusCode::PERMISSION_DENIED
                                 : StatusCode::ABORTED);
                    SameAsMissing(s, s.target, kMissingIds[0], call);
                  }});
  rpcs.push_back(
      {"ListProfiles", 2, [&](Step& s) {
         const std::string chamber = s.Chance(0.4) ? "" : s.Pick(kChambers);
         const int page_size = s.Uniform(1, 4);
         // Half the time a name query: one profile's word, in capitals.
         std::string query;
         if (s.Chance(0.5)) {
           std::vector<std::string> words;
           for (const auto& [id, p] : model_.profiles()) words.push_back(p.name_word);
           query = absl::AsciiStrToUpper(s.Pick(words));
         }
         const std::string order_by =
             s.Pick(std::vector<std::string>{"", "name", "country desc", "update_time"});
         const bool include_total = s.Chance(0.5);
         s.detail = absl::StrCat("chamber_id='", chamber, "' page_size=", page_size, " query='",
                                 query, "' order_by='", order_by, "' total=", include_total);
         // "ListProfiles: members are refused, PERMISSION_DENIED".
         s.Expect(s.caller->model.kind == ModelCaller::kMember ? StatusCode::PERMISSION_DENIED
                                                               : StatusCode::OK);
         std::set<std::string> got;
         std::set<int64_t> totals;
         ListProfilesRequest request;
         request.set_chamber_id(chamber);
         request.set_page_size(page_size);
         request.set_query(query);
         request.set_order_by(order_by);
         request.set_include_total_size(include_total);
         WalkPages<ListProfilesResponse>(
             s, request,
             [&](grpc::ClientContext* c, const ListProfilesRequest& r, ListProfilesResponse* out) {
               return server_->profiles().ListProfiles(c, r, out);
             },
             [&totals](const ListProfilesResponse& out) {
               totals.insert(out.total_size());
               std::vector<std::string> ids;
               for (const Profile& p : out.profiles()) ids.push_back(p.id());
               return ids;
             },
             &got);
         if (s.got.ok() && s.ExpectsOk()) {
           std::set<std::string> want;
           for (const auto& [id, p] : model_.profiles()) {
             if (model_.CanRead(s.caller->model, id) &&
                 (chamber.empty() || p.chamber_id == chamber) &&
                 (query.empty() || absl::AsciiStrToUpper(p.name_word) == query)) {
               want.insert(id);
             }
           }
           if (want != got) {
             s.Problem("lists other profiles than the caller may read",
                       absl::StrCat("expected ", Describe(want), ", got ", Describe(got)));
           }
           // The total counts only what the caller may read.
           const std::set<int64_t> want_totals = {include_total ? static_cast<int64_t>(want.size())
                                                                : 0};
           if (totals != want_totals) {
             s.Problem("total_size counts other profiles than the caller may read",
                       absl::StrCat("expected ", *want_totals.begin(), ", got ",
                                    absl::StrJoin(totals, ",")));
           }
         }
       }});
  rpcs.push_back(
      {"ImportProfiles", 1, [&, staff_or_admin_of](Step& s) {
         const std::string chamber = s.Pick(kChambers);
         s.target = absl::StrCat("i-", s.index);
         s.detail = absl::StrCat("chamber=", chamber);
         s.sent.insert(s.target);
         auto* summary = s.Response<ImportProfilesSummary>();
         auto context = Ctx(*s.caller);
         auto stream = server_->profiles().ImportProfiles(context.get(), summary);
         ImportProfilesRequest r;
         *r.add_profiles() = Ephemeral(s.target, chamber);
         stream->Write(r);
         stream->WritesDone();
         s.got = stream->Finish();
         // Imports are for operators and staff; staff import into
         // their own chamber only.
         const ModelCaller& c = s.caller->model;
         s.Expect(c.kind == ModelCaller::kMember ? StatusCode::PERMISSION_DENIED : StatusCode::OK);
         if (s.got.ok()) {
           const bool owns = staff_or_admin_of(c, chamber);
           if (summary->created() != (owns ? 1 : 0) || summary->rejected() != (owns ? 0 : 1)) {
             s.Problem("import stores what the caller may not", summary->ShortDebugString());
           }
           if (summary->created() > 0) RemoveProfileAsAdmin(s.target);
         }
       }});
  rpcs.push_back({"WatchProfiles", 1, [&](Step& s) {
                    // Only the first message, with a short deadline.
                    auto context = Ctx(*s.caller, absl::Seconds(5));
                    WatchProfilesRequest r;
                    auto stream = server_->profiles().WatchProfiles(context.get(), r);
                    auto* change = s.Response<ProfileChange>();
                    if (stream->Read(change)) {
                      context->TryCancel();
                      stream->Finish().ok();  // CANCELLED by us: it was open
                      s.got = grpc::Status::OK;
                    } else {
                      s.got = stream->Finish();
                    }
                    // Every chamber's changes: operators only.
                    s.Expect(s.caller->model.kind == ModelCaller::kAdmin
                                 ? StatusCode::OK
                                 : StatusCode::PERMISSION_DENIED);
                  }});

  // ---- MatchService ----
  rpcs.push_back(
      {"FindPartners(member_id)", 5, [&](Step& s) {
         s.target = PickProfileId(s);
         s.sent.insert(s.target);
         std::string excluded;
         if (s.Chance(0.3)) {
           excluded = PickExistingId(s);
           s.detail = absl::StrCat("exclude_ids=", excluded);
           s.sent.insert(excluded);
         }
         auto call = [&](const std::string& id, FindPartnersResponse* out) {
           FindPartnersRequest r;
           r.set_member_id(id);
           r.set_k(1000);
           if (!excluded.empty()) r.mutable_filters()->add_exclude_ids(excluded);
           return server_->matches().FindPartners(Ctx(*s.caller).get(), r, out);
         };
         auto* out = s.Response<FindPartnersResponse>();
         s.got = call(s.target, out);
         // Naming a member one may not read: NOT_FOUND; one that
         // one may read but not act for: PERMISSION_DENIED.
         s.Expect(!model_.CanRead(s.caller->model, s.target)   ? StatusCode::NOT_FOUND
                  : !model_.ActsFor(s.caller->model, s.target) ? StatusCode::PERMISSION_DENIED
                                                               : StatusCode::OK);
         SameAsMissing(s, s.target, kMissingIds[0], [&](const std::string& id) {
           FindPartnersResponse unused;
           return call(id, &unused);
         });
         if (s.got.ok() && s.ExpectsOk()) {
           // k is larger than the federation: exactly the
           // PartnerVisible profiles come back.
           std::set<std::string> want =
               model_.PartnersOf(s.caller->model, *model_.Profile(s.target));
           want.erase(excluded);
           std::set<std::string> got;
           for (const Match& m : out->matches()) got.insert(m.partner_id());
           if (want != got) {
             s.Problem("partners differ from PartnerVisible",
                       absl::StrCat("expected ", Describe(want), ", got ", Describe(got)));
           }
         }
       }});
  rpcs.push_back(
      {"FindPartners(probe)", 2, [&, staff_or_admin_of](Step& s) {
         const std::string chamber = s.Pick(kChambers);
         s.detail = absl::StrCat("probe of ", chamber);
         FindPartnersRequest r;
         *r.mutable_probe() = Ephemeral("", chamber);
         r.mutable_probe()->clear_id();
         r.mutable_probe()->clear_valid_until();
         r.set_k(1000);
         auto* out = s.Response<FindPartnersResponse>();
         s.got = server_->matches().FindPartners(Ctx(*s.caller).get(), r, out);
         // A probe speaks for a chamber's prospect.
         s.Expect(staff_or_admin_of(s.caller->model, chamber) ? StatusCode::OK
                                                              : StatusCode::PERMISSION_DENIED);
         if (s.got.ok() && s.ExpectsOk()) {
           const ModelProfile probe{.id = "", .chamber_id = chamber};
           const std::set<std::string> want = model_.PartnersOf(s.caller->model, probe);
           std::set<std::string> got;
           for (const Match& m : out->matches()) got.insert(m.partner_id());
           if (want != got) {
             s.Problem("partners differ from PartnerVisible",
                       absl::StrCat("expected ", Describe(want), ", got ", Describe(got)));
           }
         }
       }});
  rpcs.push_back({"ExplainMatch", 5, [&](Step& s) {
                    s.target = PickProfileId(s);
                    const std::string b = PickProfileId(s);
                    const bool staff_view = s.Chance(0.2);
                    s.detail = absl::StrCat("b_id=", b, staff_view ? " staff_view" : "");
                    s.sent = {s.target, b};
                    auto call = [&](const std::string& a_id, const std::string& b_id, Match* out) {
                      ExplainMatchRequest r;
                      r.set_a_id(a_id);
                      r.set_b_id(b_id);
                      r.set_staff_view(staff_view);
                      return server_->matches().ExplainMatch(Ctx(*s.caller).get(), r, out);
                    };
                    auto* out = s.Response<Match>();
                    s.got = call(s.target, b, out);
                    const ModelCaller& c = s.caller->model;
                    const ModelProfile* a = model_.Profile(s.target);
                    // "a member asking staff_view=true is still
                    // PERMISSION_DENIED"; a: NOT_FOUND when unreadable,
                    // PERMISSION_DENIED when readable but not ActsFor; b:
                    // NOT_FOUND unless PartnerVisible (the view follows the
                    // caller's role, not staff_view).
                    std::string hidden;  // the id the model's NOT_FOUND is about
                    if (staff_view && c.kind == ModelCaller::kMember) {
                      s.Expect(StatusCode::PERMISSION_DENIED);
                    } else if (s.target == b && model_.ActsFor(c, s.target)) {
                      s.Expect(StatusCode::INVALID_ARGUMENT);
                    } else if (s.target == b) {
                      // The model does not order this check and the one of a.
                      s.expected = {StatusCode::INVALID_ARGUMENT,
                                    model_.CanRead(c, s.target) ? StatusCode::PERMISSION_DENIED
                                                                : StatusCode::NOT_FOUND};
                    } else if (!model_.CanRead(c, s.target)) {
                      s.Expect(StatusCode::NOT_FOUND);
                      hidden = s.target;
                    } else if (!model_.ActsFor(c, s.target)) {
                      s.Expect(StatusCode::PERMISSION_DENIED);
                    } else if (!model_.PartnerVisible(c, *a, b)) {
                      s.Expect(StatusCode::NOT_FOUND);
                      hidden = b;
                    } else {
                      s.Expect(StatusCode::OK);
                    }
                    // A missing id other than the one kept (a == b is another error).
                    const std::string& missing = MissingOtherThan(s.target, b);
                    if (hidden == b) {
                      SameAsMissing(s, b, missing, [&](const std::string& id) {
                        Match unused;
                        return call(s.target, id, &unused);
                      });
                    } else if (hidden == s.target) {
                      SameAsMissing(s, s.target, missing, [&](const std::string& id) {
                        Match unused;
                        return call(id, b, &unused);
                      });
                    }
                    if (s.got.ok() && out->partner_id() != b) {
                      s.Problem("explains another partner", out->partner_id());
                    }
                  }});
  rpcs.push_back(
      {"GetMatchPolicy", 1, [&, staff_or_admin_of](Step& s) {
         s.target = s.Pick(kChambers);
         GetMatchPolicyRequest r;
         r.set_chamber_id(s.target);
         s.got =
             server_->matches().GetMatchPolicy(Ctx(*s.caller).get(), r, s.Response<MatchPolicy>());
         s.Expect(staff_or_admin_of(s.caller->model, s.target) ? StatusCode::OK
                                                               : StatusCode::PERMISSION_DENIED);
       }});
  rpcs.push_back(
      {"SetMatchPolicy(stale version)", 1, [&, staff_or_admin_of](Step& s) {
         s.target = s.Pick(kChambers);
         SetMatchPolicyRequest r;
         r.mutable_policy()->set_chamber_id(s.target);
         r.mutable_policy()->mutable_weights()->set_objective(1);
         r.set_expected_version(kStaleVersion);
         s.got =
             server_->matches().SetMatchPolicy(Ctx(*s.caller).get(), r, s.Response<MatchPolicy>());
         s.Expect(staff_or_admin_of(s.caller->model, s.target) ? StatusCode::ABORTED
                                                               : StatusCode::PERMISSION_DENIED);
       }});
  rpcs.push_back(
      {"ScorePairs", 1, [&](Step& s) {
         s.target = PickProfileId(s);
         const std::string b = PickProfileId(s);
         s.detail = absl::StrCat("b_ids=", b);
         s.sent = {s.target, b};
         ScorePairsRequest r;
         r.add_a_ids(s.target);
         r.add_b_ids(b);
         r.mutable_weights()->set_objective(1);
         s.got = server_->matches().ScorePairs(Ctx(*s.caller).get(), r,
                                               s.Response<ScorePairsResponse>());
         // Scores whatever the visibility: operators only.
         s.Expect(s.caller->model.kind != ModelCaller::kAdmin ? StatusCode::PERMISSION_DENIED
                  : model_.Profile(s.target) == nullptr || model_.Profile(b) == nullptr
                      ? StatusCode::NOT_FOUND
                      : StatusCode::OK);
       }});

  // ---- DelegationService ----
  rpcs.push_back(
      {"CreateDelegation(naming an id)", 3, [&, staff_or_admin_of](Step& s) {
         const std::string chamber = s.Pick(kChambers);
         const std::string own = chamber == kA ? "a-fed-1" : chamber == kB ? "b-fed-1" : "c-fed-1";
         const std::string spare = chamber == kA   ? "a-cha-1"
                                   : chamber == kB ? "b-cha-1"
                                                   : "c-cha-1";
         s.target = PickProfileId(s);
         const std::string base = s.target == own ? spare : own;
         const int where = s.Uniform(0, 2);
         const std::string field = where == 0   ? "delegation.delegates[1]"
                                   : where == 1 ? "delegation.hosts[0]"
                                                : "delegation.pairs[0]";
         const std::string id = absl::StrCat("dl-n-", s.index);
         s.detail = absl::StrCat("chamber=", chamber, " at ", field);
         s.sent = {s.target, base};
         auto call = [&](const std::string& named, Delegation* out) {
           SeedDelegation d{.id = id,
                            .chamber = chamber,
                            .origin = "DE",
                            .host_country = "MX",
                            .city = kMexicoCity,
                            .delegates = {base}};
           if (where == 0) d.delegates.push_back(named);
           if (where == 1) d.hosts.push_back(named);
           CreateDelegationRequest r;
           *r.mutable_delegation() = ToDelegation(d);
           if (where == 2) {
             MeetingPair* pair = r.mutable_delegation()->add_pairs();
             pair->set_delegate_id(base);
             pair->set_host_id(named);
             pair->set_status(MeetingPair::REQUESTED);
           }
           return server_->delegations().CreateDelegation(Ctx(*s.caller).get(), r, out);
         };
         s.got = call(s.target, s.Response<Delegation>());
         // Only the chamber's staff and operators create its
         // delegations; every id named must be readable by the
         // chamber's staff: INVALID_ARGUMENT naming the field,
         // the same text for missing and hidden ids.
         const bool readable = model_.StaffOfCanRead(chamber, s.target);
         if (!staff_or_admin_of(s.caller->model, chamber)) {
           s.Expect(StatusCode::PERMISSION_DENIED);
         } else if (!readable) {
           s.Expect(StatusCode::INVALID_ARGUMENT);
         } else {
           s.Expect(StatusCode::OK);
         }
         if (s.got.error_code() == StatusCode::INVALID_ARGUMENT && !readable) {
           if (!absl::StrContains(s.got.error_message(), field)) {
             s.Problem("INVALID_ARGUMENT does not name the field", s.got.error_message());
           }
           if (model_.Profile(s.target) != nullptr) {
             Delegation unused;
             const grpc::Status twin = call(kMissingIds[0], &unused);
             if (absl::StrReplaceAll(s.got.error_message(), {{s.target, "<id>"}}) !=
                 absl::StrReplaceAll(twin.error_message(), {{kMissingIds[0], "<id>"}})) {
               s.Problem(
                   "INVALID_ARGUMENT text differs from a missing id's",
                   absl::StrCat("'", s.got.error_message(), "' vs '", twin.error_message(), "'"));
             }
           }
         }
         if (s.got.ok()) {
           DeleteDelegationRequest r;
           r.set_id(id);
           DeleteDelegationResponse unused;
           EXPECT_TRUE(server_->delegations().DeleteDelegation(Ctx(admin_).get(), r, &unused).ok());
         }
       }});
  rpcs.push_back(
      {"CreateDelegation(existing id)", 1, [&, staff_or_admin_of](Step& s) {
         const std::string chamber = s.Pick(kChambers);
         s.target = PickDelegationId(s);
         if (s.target == kMissingDelegation) s.target = "dl-a-1";
         s.detail = absl::StrCat("chamber=", chamber);
         const std::string own = chamber == kA ? "a-fed-1" : chamber == kB ? "b-fed-1" : "c-fed-1";
         s.sent = {own};
         CreateDelegationRequest r;
         *r.mutable_delegation() = ToDelegation({.id = s.target,
                                                 .chamber = chamber,
                                                 .origin = "DE",
                                                 .host_country = "MX",
                                                 .city = kMexicoCity,
                                                 .delegates = {own}});
         s.got = server_->delegations().CreateDelegation(Ctx(*s.caller).get(), r,
                                                         s.Response<Delegation>());
         s.Expect(staff_or_admin_of(s.caller->model, chamber) ? StatusCode::ALREADY_EXISTS
                                                              : StatusCode::PERMISSION_DENIED);
       }});
  rpcs.push_back({"GetDelegation", 3, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    auto call = [&](const std::string& id, Delegation* out) {
                      GetDelegationRequest r;
                      r.set_id(id);
                      return server_->delegations().GetDelegation(Ctx(*s.caller).get(), r, out);
                    };
                    s.got = call(s.target, s.Response<Delegation>());
                    const ModelDelegation* d = model_.Delegation(s.target);
                    const bool reads = d != nullptr && model_.ReadsDelegation(s.caller->model, *d);
                    s.Expect(reads ? StatusCode::OK : StatusCode::NOT_FOUND);
                    if (reads) s.named = d->Named();
                    SameAsMissing(s, s.target, kMissingDelegation, [&](const std::string& id) {
                      Delegation unused;
                      return call(id, &unused);
                    });
                  }});
  rpcs.push_back({"UpdateDelegation(stale version)", 2, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    auto call = [&](const std::string& id, Delegation* out) {
                      UpdateDelegationRequest r;
                      r.mutable_delegation()->set_id(id);
                      r.mutable_delegation()->set_name("Renamed");
                      r.mutable_update_mask()->add_paths("name");
                      r.set_expected_version(kStaleVersion);
                      return server_->delegations().UpdateDelegation(Ctx(*s.caller).get(), r, out);
                    };
                    s.got = call(s.target, s.Response<Delegation>());
                    const ModelDelegation* d = model_.Delegation(s.target);
                    if (d == nullptr || !model_.ReadsDelegation(s.caller->model, *d)) {
                      s.Expect(StatusCode::NOT_FOUND);
                    } else if (!model_.FirstUnreadableName(*d).empty()) {
                      // The model does not order the version check and the
                      // re-check of the names.
                      s.expected = {StatusCode::ABORTED, StatusCode::INVALID_ARGUMENT};
                    } else {
                      s.Expect(StatusCode::ABORTED);
                    }
                    if (d != nullptr && model_.ReadsDelegation(s.caller->model, *d)) {
                      s.named = d->Named();
                    }
                    SameAsMissing(s, s.target, kMissingDelegation, [&](const std::string& id) {
                      Delegation unused;
                      return call(id, &unused);
                    });
                    if (s.got.ok() && d != nullptr) Restore(s.target);
                  }});
  rpcs.push_back(
      {"UpdateDelegation(add a delegate)", 3, [&](Step& s) {
         s.target = PickDelegationId(s);
         const ModelDelegation* d = model_.Delegation(s.target);
         std::string added = PickProfileId(s);
         for (int tries = 0; d != nullptr && d->Named().contains(added) && tries < 20; ++tries) {
           added = PickProfileId(s);
         }
         if (d != nullptr && d->Named().contains(added)) added = kMissingIds[1];
         s.detail = absl::StrCat("added=", added);
         s.sent.insert(added);
         const std::vector<std::string> delegates =
             d != nullptr ? d->delegates : std::vector<std::string>{"a-fed-1"};
         auto call = [&](const std::string& id, const std::string& named, Delegation* out) {
           UpdateDelegationRequest r;
           r.mutable_delegation()->set_id(id);
           for (const std::string& m : delegates) {
             r.mutable_delegation()->add_delegates()->set_member_id(m);
           }
           r.mutable_delegation()->add_delegates()->set_member_id(named);
           r.mutable_update_mask()->add_paths("delegates");
           return server_->delegations().UpdateDelegation(Ctx(*s.caller).get(), r, out);
         };
         s.got = call(s.target, added, s.Response<Delegation>());
         std::string unreadable;
         if (d == nullptr || !model_.ReadsDelegation(s.caller->model, *d)) {
           s.Expect(StatusCode::NOT_FOUND);
         } else {
           ModelDelegation changed = *d;
           changed.delegates.push_back(added);
           unreadable = model_.FirstUnreadableName(changed);
           s.Expect(unreadable.empty() ? StatusCode::OK : StatusCode::INVALID_ARGUMENT);
           s.named = changed.Named();
         }
         if (s.got.error_code() == StatusCode::NOT_FOUND) {
           SameAsMissing(s, s.target, kMissingDelegation, [&](const std::string& id) {
             Delegation unused;
             return call(id, added, &unused);
           });
         }
         if (unreadable == added && model_.FirstUnreadableName(*d).empty() &&
             s.got.error_code() == StatusCode::INVALID_ARGUMENT) {
           const std::string field =
               absl::StrCat("delegation.delegates[", d->delegates.size(), "]");
           if (!absl::StrContains(s.got.error_message(), field)) {
             s.Problem("INVALID_ARGUMENT does not name the field", s.got.error_message());
           }
           if (model_.Profile(added) != nullptr) {
             Delegation unused;
             const grpc::Status twin = call(s.target, kMissingIds[0], &unused);
             if (absl::StrReplaceAll(s.got.error_message(), {{added, "<id>"}}) !=
                 absl::StrReplaceAll(twin.error_message(), {{kMissingIds[0], "<id>"}})) {
               s.Problem(
                   "INVALID_ARGUMENT text differs from a missing id's",
                   absl::StrCat("'", s.got.error_message(), "' vs '", twin.error_message(), "'"));
             }
           }
         }
         if (s.got.ok() && d != nullptr) Restore(s.target);
       }});
  rpcs.push_back({"DeleteDelegation(stale version)", 2, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    auto call = [&](const std::string& id) {
                      DeleteDelegationRequest r;
                      r.set_id(id);
                      r.set_expected_version(kStaleVersion);
                      DeleteDelegationResponse out;
                      return server_->delegations().DeleteDelegation(Ctx(*s.caller).get(), r, &out);
                    };
                    s.got = call(s.target);
                    const ModelDelegation* d = model_.Delegation(s.target);
                    s.Expect(d != nullptr && model_.ReadsDelegation(s.caller->model, *d)
                                 ? StatusCode::ABORTED
                                 : StatusCode::NOT_FOUND);
                    SameAsMissing(s, s.target, kMissingDelegation, call);
                  }});
  rpcs.push_back(
      {"ListDelegations", 2, [&](Step& s) {
         const std::string chamber = s.Chance(0.4) ? "" : s.Pick(kChambers);
         const int page_size = s.Uniform(1, 3);
         s.detail = absl::StrCat("chamber_id='", chamber, "' page_size=", page_size);
         const ModelCaller& c = s.caller->model;
         // Staff who name no chamber mean their own; another
         // chamber's list and members are refused.
         const std::string effective =
             chamber.empty() && c.kind == ModelCaller::kStaff ? c.chamber_id : chamber;
         // Another chamber's list: refused as today, or (the model does not
         // say) an empty list of what the caller may read.
         if (c.kind == ModelCaller::kAdmin ||
             (c.kind == ModelCaller::kStaff && effective == c.chamber_id)) {
           s.Expect(StatusCode::OK);
         } else {
           s.expected = {StatusCode::PERMISSION_DENIED, StatusCode::OK};
         }
         std::set<std::string> got;
         ListDelegationsRequest request;
         request.set_chamber_id(chamber);
         request.set_page_size(page_size);
         WalkPages<ListDelegationsResponse>(
             s, request,
             [&](grpc::ClientContext* c, const ListDelegationsRequest& r,
                 ListDelegationsResponse* out) {
               return server_->delegations().ListDelegations(c, r, out);
             },
             [](const ListDelegationsResponse& out) {
               std::vector<std::string> ids;
               for (const Delegation& d : out.delegations()) ids.push_back(d.id());
               return ids;
             },
             &got);
         std::set<std::string> want;
         for (const auto& [id, d] : model_.delegations()) {
           if (model_.ReadsDelegation(c, d) && (effective.empty() || d.chamber_id == effective)) {
             want.insert(id);
             const std::set<std::string> named = d.Named();
             s.named.insert(named.begin(), named.end());
           }
         }
         if (s.got.ok() && s.expected.contains(StatusCode::OK) && want != got) {
           s.Problem("lists other delegations than the caller may read",
                     absl::StrCat("expected ", Describe(want), ", got ", Describe(got)));
         }
       }});
  rpcs.push_back({"PlanDelegation(stale version)", 2, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    auto call = [&](const std::string& id) {
                      PlanDelegationRequest r;
                      r.set_id(id);
                      r.set_expected_version(kStaleVersion);
                      Delegation out;
                      return server_->delegations().PlanDelegation(Ctx(*s.caller).get(), r, &out);
                    };
                    s.got = call(s.target);
                    const ModelDelegation* d = model_.Delegation(s.target);
                    if (d == nullptr || !model_.ReadsDelegation(s.caller->model, *d)) {
                      s.Expect(StatusCode::NOT_FOUND);
                    } else if (!model_.FirstUnreadableName(*d).empty()) {
                      s.expected = {StatusCode::ABORTED, StatusCode::FAILED_PRECONDITION};
                    } else {
                      s.Expect(StatusCode::ABORTED);
                    }
                    SameAsMissing(s, s.target, kMissingDelegation, call);
                  }});
  // Publishing writes notifications: only a stale version is tried, which
  // changes nothing and tells nobody, but answers by visibility all the same.
  rpcs.push_back({"PublishPlan(stale version)", 1, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    auto call = [&](const std::string& id) {
                      PublishPlanRequest r;
                      r.set_id(id);
                      r.set_expected_version(kStaleVersion);
                      Delegation out;
                      return server_->delegations().PublishPlan(Ctx(*s.caller).get(), r, &out);
                    };
                    s.got = call(s.target);
                    const ModelDelegation* d = model_.Delegation(s.target);
                    if (d == nullptr || !model_.ReadsDelegation(s.caller->model, *d)) {
                      s.Expect(StatusCode::NOT_FOUND);
                    } else {
                      s.Expect(StatusCode::ABORTED);
                    }
                    SameAsMissing(s, s.target, kMissingDelegation, call);
                  }});
  rpcs.push_back(
      {"PlanDelegation", 2, [&](Step& s) {
         s.target = PickDelegationId(s);
         const bool fresh = s.Chance(0.3);
         s.detail = fresh ? "fresh" : "";
         auto call = [&](const std::string& id, Delegation* out) {
           PlanDelegationRequest r;
           r.set_id(id);
           r.set_fresh(fresh);
           return server_->delegations().PlanDelegation(Ctx(*s.caller).get(), r, out);
         };
         auto* out = s.Response<Delegation>();
         s.got = call(s.target, out);
         ModelDelegation* d = model_.MutableDelegation(s.target);
         const bool reads = d != nullptr && model_.ReadsDelegation(s.caller->model, *d);
         // Names the chamber's staff may no longer read:
         // FAILED_PRECONDITION, same text for missing and hidden.
         if (!reads) {
           s.Expect(StatusCode::NOT_FOUND);
         } else if (!model_.FirstUnreadableName(*d).empty()) {
           s.Expect(StatusCode::FAILED_PRECONDITION);
         } else {
           s.Expect(StatusCode::OK);
         }
         if (reads) s.named = d->Named();
         SameAsMissing(s, s.target, kMissingDelegation, [&](const std::string& id) {
           Delegation unused;
           return call(id, &unused);
         });
         if (s.got.error_code() == StatusCode::FAILED_PRECONDITION &&
             (s.target == "dl-a-st" || s.target == "dl-a-dl")) {
           // Both name a deleted id at delegates[1]; x-rec-1 was
           // created again (hidden), x-del-1 was not (missing).
           const std::string other = s.target == "dl-a-st" ? "dl-a-dl" : "dl-a-st";
           Delegation unused;
           const grpc::Status twin = call(other, &unused);
           const auto normal = [](const std::string& text) {
             return absl::StrReplaceAll(text, {{"dl-a-st", "<d>"},
                                               {"dl-a-dl", "<d>"},
                                               {"x-rec-1", "<id>"},
                                               {"x-del-1", "<id>"}});
           };
           if (normal(s.got.error_message()) != normal(twin.error_message())) {
             s.Problem("FAILED_PRECONDITION text differs for missing and hidden",
                       absl::StrCat("'", s.got.error_message(), "' vs ",
                                    CodeName(twin.error_code()), " '", twin.error_message(), "'"));
           }
         }
         if (s.got.ok() && d != nullptr) {
           CheckPlan(s, *d, *out);
           d->has_plan = true;
           d->plan_host_ids.assign(out->plan().host_ids().begin(), out->plan().host_ids().end());
           const std::set<std::string> named = d->Named();
           s.named.insert(named.begin(), named.end());
         }
       }});
  rpcs.push_back(
      {"RecommendDestinations", 3, [&](Step& s) {
         s.target = PickProfileId(s);
         std::vector<std::string> ids = {s.target};
         const ModelCaller& c = s.caller->model;
         if (s.Chance(0.3)) {
           std::vector<std::string> acted;
           for (const auto& [id, p] : model_.profiles()) {
             if (model_.ActsFor(c, id) && id != s.target) acted.push_back(id);
           }
           if (!acted.empty()) ids.push_back(s.Pick(acted));
           if (ids.size() > 1) s.detail = absl::StrCat("and ", ids[1]);
         }
         s.sent.insert(ids.begin(), ids.end());
         auto call = [&](const std::string& first, RecommendDestinationsResponse* out) {
           RecommendDestinationsRequest r;
           r.add_delegate_ids(first);
           for (size_t i = 1; i < ids.size(); ++i) r.add_delegate_ids(ids[i]);
           r.set_k(50);
           return server_->delegations().RecommendDestinations(Ctx(*s.caller).get(), r, out);
         };
         auto* out = s.Response<RecommendDestinationsResponse>();
         s.got = call(s.target, out);
         // Each delegate as FindPartners' member: NOT_FOUND when
         // unreadable, PERMISSION_DENIED when not acted for.
         s.expected.clear();
         for (const std::string& id : ids) {
           if (!model_.CanRead(c, id)) {
             s.expected.insert(StatusCode::NOT_FOUND);
           } else if (!model_.ActsFor(c, id)) {
             s.expected.insert(StatusCode::PERMISSION_DENIED);
           }
         }
         if (s.expected.empty()) s.Expect(StatusCode::OK);
         if (ids.size() == 1) {
           SameAsMissing(s, s.target, kMissingIds[0], [&](const std::string& id) {
             RecommendDestinationsResponse unused;
             return call(id, &unused);
           });
         }
         if (s.got.ok() && s.ExpectsOk()) {
           // "Counting or aggregating (RecommendDestinations,
           // stats) uses only PartnerVisible profiles": k covers
           // every country, so exactly theirs come back.
           std::map<std::string, std::set<std::string>> visible;  // country -> ids
           std::map<std::string, std::set<std::string>> cities;
           for (const std::string& id : ids) {
             for (const std::string& p : model_.PartnersOf(c, *model_.Profile(id))) {
               visible[model_.Profile(p)->country].insert(p);
               cities[model_.Profile(p)->country].insert(model_.Profile(p)->city);
             }
           }
           std::set<std::string> want, got;
           for (const auto& [country, set] : visible) want.insert(country);
           for (const Destination& dest : out->destinations()) {
             got.insert(dest.country());
             const int limit = static_cast<int>(visible[dest.country()].size());
             if (dest.strong_partners() > limit) {
               s.Problem("counts partners that are not PartnerVisible",
                         absl::StrCat(dest.country(), ": ", dest.strong_partners(),
                                      " strong partners, only ", limit, " PartnerVisible there"));
             }
             for (const DestinationCity& city : dest.cities()) {
               if (!cities[dest.country()].contains(city.city())) {
                 s.Problem("names a city of partners that are not PartnerVisible",
                           absl::StrCat(dest.country(), ": ", city.city()));
               }
             }
           }
           if (want != got) {
             s.Problem("ranks other countries than PartnerVisible partners are in",
                       absl::StrCat("expected ", Describe(want), ", got ", Describe(got)));
           }
         }
       }});
  rpcs.push_back({"GetAgenda(member)", 4, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    const ModelDelegation* d = model_.Delegation(s.target);
                    std::string member;
                    if (d != nullptr && s.Chance(0.6)) {
                      std::set<std::string> part = d->Named();
                      part.insert(d->plan_host_ids.begin(), d->plan_host_ids.end());
                      member = s.Pick(std::vector<std::string>(part.begin(), part.end()));
                    } else {
                      member = PickProfileId(s);
                    }
                    const bool csv = s.Chance(0.3);
                    s.detail = absl::StrCat("member_id=", member, csv ? " CSV" : " ICALENDAR");
                    s.sent.insert(member);
                    auto call = [&](const std::string& id, Agenda* out) {
                      GetAgendaRequest r;
                      r.set_delegation_id(id);
                      r.set_member_id(member);
                      r.set_format(csv ? GetAgendaRequest::CSV : GetAgendaRequest::ICALENDAR);
                      return server_->delegations().GetAgenda(Ctx(*s.caller).get(), r, out);
                    };
                    s.got = call(s.target, s.Response<Agenda>());
                    const ModelCaller& c = s.caller->model;
                    // The delegation's readers read every agenda of it; a
                    // member's own (and its chamber's staff, who act for
                    // it) only that one; else NOT_FOUND.
                    const bool reads = d != nullptr && model_.ReadsDelegation(c, *d);
                    const bool allowed = reads || model_.ActsFor(c, member);
                    if (d == nullptr || !allowed || !VisibilityModel::TakesPart(*d, member)) {
                      s.Expect(StatusCode::NOT_FOUND);
                    } else {
                      s.Expect(d->has_plan ? StatusCode::OK : StatusCode::FAILED_PRECONDITION);
                    }
                    if (reads) s.named = d->Named();
                    // Who may not read the delegation learns nothing of it.
                    if (!reads) {
                      SameAsMissing(s, s.target, kMissingDelegation, [&](const std::string& id) {
                        Agenda unused;
                        return call(id, &unused);
                      });
                    }
                  }});
  rpcs.push_back({"GetAgenda(whole plan)", 2, [&](Step& s) {
                    s.target = PickDelegationId(s);
                    auto call = [&](const std::string& id, Agenda* out) {
                      GetAgendaRequest r;
                      r.set_delegation_id(id);
                      r.set_format(GetAgendaRequest::CSV);
                      return server_->delegations().GetAgenda(Ctx(*s.caller).get(), r, out);
                    };
                    s.got = call(s.target, s.Response<Agenda>());
                    const ModelDelegation* d = model_.Delegation(s.target);
                    const bool reads = d != nullptr && model_.ReadsDelegation(s.caller->model, *d);
                    s.Expect(!reads        ? StatusCode::NOT_FOUND
                             : d->has_plan ? StatusCode::OK
                                           : StatusCode::FAILED_PRECONDITION);
                    if (reads) s.named = d->Named();
                    SameAsMissing(s, s.target, kMissingDelegation, [&](const std::string& id) {
                      Agenda unused;
                      return call(id, &unused);
                    });
                  }});

  // ---- EngagementService ----
  std::shared_ptr<EngagementService::Stub> engagement =
      EngagementService::NewStub(server_->channel());
  // A member's side first (NOT_FOUND unreadable, PERMISSION_DENIED when not
  // ActsFor), then the partner's (NOT_FOUND unless PartnerVisible), as
  // ExplainMatch; a mark or request on oneself is INVALID_ARGUMENT.
  const auto expect_member_and_partner = [&](Step& s, const std::string& a, const std::string& b,
                                             std::string* hidden) {
    const ModelCaller& c = s.caller->model;
    if (!model_.CanRead(c, a)) {
      s.Expect(StatusCode::NOT_FOUND);
      *hidden = a;
    } else if (!model_.ActsFor(c, a)) {
      s.Expect(StatusCode::PERMISSION_DENIED);
    } else if (a == b) {
      s.Expect(StatusCode::INVALID_ARGUMENT);
    } else if (!model_.PartnerVisible(c, *model_.Profile(a), b)) {
      s.Expect(StatusCode::NOT_FOUND);
      *hidden = b;
    } else {
      s.Expect(StatusCode::OK);
    }
  };
  const auto standalone = [](const std::string& from, const std::string& to) {
    MeetingRequest r;
    r.set_from_member_id(from);
    r.set_to_ref(to);
    TimeWindow* w = r.add_proposed();
    const int64_t start = absl::ToUnixSeconds(absl::Now()) + 86400;
    w->mutable_start_time()->set_seconds(start);
    w->mutable_end_time()->set_seconds(start + 1800);
    return r;
  };
  const auto withdraw_as_admin = [&, engagement](const std::string& id) {
    CancelMeetingRequestRequest r;
    r.set_id(id);
    MeetingRequest unused;
    grpc::Status status = engagement->CancelMeetingRequest(Ctx(admin_).get(), r, &unused);
    EXPECT_TRUE(status.ok()) << "withdrawing " << id << ": " << status.error_message();
  };
  rpcs.push_back(
      {"SetInterest(INTERESTED)", 3, [&, engagement, expect_member_and_partner](Step& s) {
         // Half the time a mark set before is answered from the other side,
         // so that mutual interests (and reveals) happen.
         std::string b;
         if (!marks_.empty() && s.Pick(std::vector<int>{0, 1}) == 1) {
           const auto& [marker, marked] = s.Pick(marks_);
           s.target = marked;
           b = marker;
         } else {
           s.target = PickProfileId(s);
           b = PickProfileId(s);
         }
         s.detail = absl::StrCat("partner_ref=", b);
         s.sent = {s.target, b};
         auto call = [&](const std::string& a_id, const std::string& b_id, Interest* out) {
           SetInterestRequest r;
           r.set_member_id(a_id);
           r.set_partner_ref(b_id);
           r.set_mark(Interest::INTERESTED);
           return engagement->SetInterest(Ctx(*s.caller).get(), r, out);
         };
         Interest* marked = s.Response<Interest>();
         s.got = call(s.target, b, marked);
         std::string hidden;
         expect_member_and_partner(s, s.target, b, &hidden);
         // A mutual interest reveals each to the other from now on.
         if (s.got.ok()) marks_.emplace_back(s.target, b);
         if (s.got.ok() && marked->mutual()) {
           model_.Reveal(s.target, b);
           ++mutual_interests_;
         }
         const std::string& missing = MissingOtherThan(s.target, b);
         if (!hidden.empty()) {
           const bool partner = hidden != s.target;
           SameAsMissing(s, hidden, missing, [&](const std::string& id) {
             Interest unused;
             return partner ? call(s.target, id, &unused) : call(id, b, &unused);
           });
         }
       }});
  rpcs.push_back(
      {"CreateMeetingRequest", 3,
       [&, engagement, expect_member_and_partner, standalone, withdraw_as_admin](Step& s) {
         s.target = PickProfileId(s);
         const std::string b = PickProfileId(s);
         s.detail = absl::StrCat("to_ref=", b);
         s.sent = {s.target, b};
         auto call = [&](const std::string& a_id, const std::string& b_id, MeetingRequest* out) {
           CreateMeetingRequestRequest r;
           *r.mutable_request() = standalone(a_id, b_id);
           return engagement->CreateMeetingRequest(Ctx(*s.caller).get(), r, out);
         };
         MeetingRequest* out = s.Response<MeetingRequest>();
         s.got = call(s.target, b, out);
         std::string hidden;
         expect_member_and_partner(s, s.target, b, &hidden);
         const std::string& missing = MissingOtherThan(s.target, b);
         if (!hidden.empty()) {
           const bool partner = hidden != s.target;
           SameAsMissing(s, hidden, missing, [&](const std::string& id) {
             MeetingRequest unused;
             return partner ? call(s.target, id, &unused) : call(id, b, &unused);
           });
         }
         if (s.got.ok()) withdraw_as_admin(out->id());  // the pair is free again
       }});
  rpcs.push_back(
      {"GetMeetingRequest", 3, [&, engagement, standalone, withdraw_as_admin](Step& s) {
         // A request an operator sends for a member to a partner the member
         // itself could be proposed; then read by the caller.
         s.target = PickExistingId(s);
         const ModelProfile* a = model_.Profile(s.target);
         const ModelCaller as_member{.kind = ModelCaller::kMember, .profile_id = s.target};
         std::vector<std::string> partners;
         for (const std::string& id : model_.PartnersOf(as_member, *a)) partners.push_back(id);
         if (partners.empty()) {
           s.Expect(StatusCode::OK);
           return;
         }
         const std::string b = s.Pick(partners);
         s.detail = absl::StrCat("to_ref=", b);
         CreateMeetingRequestRequest create;
         *create.mutable_request() = standalone(s.target, b);
         MeetingRequest sent;
         grpc::Status created = engagement->CreateMeetingRequest(Ctx(admin_).get(), create, &sent);
         if (!created.ok()) {
           s.Problem("an operator could not send a request", created.error_message());
           return;
         }
         s.sent.insert(sent.id());
         GetMeetingRequestRequest r;
         r.set_id(sent.id());
         s.got =
             engagement->GetMeetingRequest(Ctx(*s.caller).get(), r, s.Response<MeetingRequest>());
         const ModelCaller& c = s.caller->model;
         // "A member sees only requests it sent or received; staff see their
         // members' requests": the two sides' ids are then the caller's own.
         if (model_.ActsFor(c, s.target) || model_.ActsFor(c, b)) {
           s.Expect(StatusCode::OK);
           s.named.insert(s.target);
           s.named.insert(b);
         } else {
           s.Expect(StatusCode::NOT_FOUND);
           SameAsMissing(s, sent.id(), "mr-0000000000000000", [&](const std::string& id) {
             GetMeetingRequestRequest again;
             again.set_id(id);
             MeetingRequest unused;
             return engagement->GetMeetingRequest(Ctx(*s.caller).get(), again, &unused);
           });
         }
         withdraw_as_admin(sent.id());
       }});

  rpcs.push_back(
      {"ListReveals", 2, [&, engagement](Step& s) {
         s.target = PickProfileId(s);
         s.sent = {s.target};
         auto call = [&](const std::string& id, ListRevealsResponse* out) {
           ListRevealsRequest r;
           r.set_profile_id(id);
           return engagement->ListReveals(Ctx(*s.caller).get(), r, out);
         };
         s.got = call(s.target, s.Response<ListRevealsResponse>());
         const ModelCaller& c = s.caller->model;
         if (!model_.CanRead(c, s.target)) {
           s.Expect(StatusCode::NOT_FOUND);
           SameAsMissing(s, s.target, MissingOtherThan(s.target, ""), [&](const std::string& id) {
             ListRevealsResponse unused;
             return call(id, &unused);
           });
         } else {
           s.Expect(model_.ActsFor(c, s.target) ? StatusCode::OK : StatusCode::PERMISSION_DENIED);
         }
       }});

  // ---- AdminService ----
  const auto admin_only = [](const Step& s, StatusCode otherwise) {
    return s.caller->model.kind == ModelCaller::kAdmin ? otherwise : StatusCode::PERMISSION_DENIED;
  };
  rpcs.push_back({"WhoAmI", 1, [&](Step& s) {
                    s.got = server_->admin().WhoAmI(Ctx(*s.caller).get(), WhoAmIRequest(),
                                                    s.Response<TokenInfo>());
                    s.Expect(StatusCode::OK);
                  }});
  rpcs.push_back(
      {"IssueToken(member)", 1, [&, admin_only](Step& s) {
         s.target = PickProfileId(s);
         s.sent.insert(s.target);
         IssueTokenRequest r;
         r.set_role(MEMBER);
         r.set_profile_id(s.target);
         s.got =
             server_->admin().IssueToken(Ctx(*s.caller).get(), r, s.Response<IssueTokenResponse>());
         s.Expect(admin_only(
             s, model_.Profile(s.target) != nullptr ? StatusCode::OK : StatusCode::NOT_FOUND));
       }});
  rpcs.push_back(
      {"RevokeToken", 1, [&, admin_only](Step& s) {
         const bool again = s.Chance(0.5);
         s.target = again ? revoked_token_id_ : std::string(revoked_token_id_.size(), '0');
         RevokeTokenRequest r;
         r.set_id(s.target);
         s.got = server_->admin().RevokeToken(Ctx(*s.caller).get(), r, s.Response<TokenInfo>());
         s.Expect(admin_only(s, again ? StatusCode::FAILED_PRECONDITION : StatusCode::NOT_FOUND));
       }});
  rpcs.push_back({"ListTokens", 1, [&, admin_only](Step& s) {
                    s.got = server_->admin().ListTokens(Ctx(*s.caller).get(), ListTokensRequest(),
                                                        s.Response<ListTokensResponse>());
                    s.Expect(admin_only(s, StatusCode::OK));
                  }});
  rpcs.push_back({"Backup", 1, [&, admin_only](Step& s) {
                    const bool real = s.Chance(0.05);
                    BackupRequest r;
                    r.set_dir(real ? server_->dir().Join(absl::StrCat("backup-", s.index))
                                   : "relative/dir");
                    s.detail = r.dir();
                    s.got = server_->admin().Backup(Ctx(*s.caller).get(), r,
                                                    s.Response<BackupResponse>());
                    s.Expect(admin_only(s, real ? StatusCode::OK : StatusCode::INVALID_ARGUMENT));
                  }});
  rpcs.push_back({"GetStats", 1, [&, admin_only](Step& s) {
                    s.got = server_->admin().GetStats(Ctx(*s.caller).get(), GetStatsRequest(),
                                                      s.Response<Stats>());
                    s.Expect(admin_only(s, StatusCode::OK));
                  }});
  return rpcs;
}

TEST_F(VisibilityPropertyTest, EveryRpcAnswersAsTheWrittenModelAllows) {
  const std::vector<Rpc> rpcs = Rpcs();
  std::vector<int> weights;
  for (const Rpc& rpc : rpcs) weights.push_back(rpc.weight);
  std::mt19937 walk(kSeed);
  std::discrete_distribution<size_t> pick_rpc(weights.begin(), weights.end());
  // Callers with a valid token more often: their answers carry the data.
  std::vector<int> caller_weights;
  for (const TestCaller& c : callers_) {
    caller_weights.push_back(
        c.model.kind == ModelCaller::kAdmin || c.model.kind == ModelCaller::kStaff ? 4
        : c.model.kind == ModelCaller::kMember                                     ? 2
                                                                                   : 1);
  }
  std::discrete_distribution<size_t> pick_caller(caller_weights.begin(), caller_weights.end());
  const int64_t seed_calls = calls_;
  const absl::Time start = absl::Now();
  std::set<std::string> rpcs_seen;
  std::map<std::string, absl::Duration> time_in;
  std::map<std::string, int> answered;  // steps by the code they got
  for (int i = 0; i < kSteps; ++i) {
    Step step;
    step.index = i;
    step.caller = &callers_[pick_caller(walk)];
    const Rpc& rpc = rpcs[pick_rpc(walk)];
    step.rpc = rpc.name;
    step.rng.seed(static_cast<uint32_t>(walk()));
    const absl::Time began = absl::Now();
    rpc.run(step);
    time_in[rpc.name] += absl::Now() - began;
    rpcs_seen.insert(rpc.name);
    Judge(step);
    ++answered[CodeName(step.got.error_code())];
  }
  const absl::Duration took = absl::Now() - start;
  std::printf("[ walk ] seed %u: %d steps, %lld calls in %s (the seed made %lld)\n", kSeed, kSteps,
              static_cast<long long>(calls_ - seed_calls), absl::FormatDuration(took).c_str(),
              static_cast<long long>(seed_calls));
  std::vector<std::string> codes;
  for (const auto& [code, n] : answered) codes.push_back(absl::StrCat(code, " ", n));
  std::printf("[ walk ] answers: %s\n", absl::StrJoin(codes, ", ").c_str());
  std::printf("[ walk ] mutual interests (reveals): %d\n", mutual_interests_);
  std::vector<std::pair<absl::Duration, std::string>> slowest;
  for (const auto& [name, spent] : time_in) slowest.emplace_back(spent, name);
  std::sort(slowest.rbegin(), slowest.rend());
  for (size_t i = 0; i < std::min<size_t>(5, slowest.size()); ++i) {
    std::printf("[ walk ]   %s: %s\n", slowest[i].second.c_str(),
                absl::FormatDuration(slowest[i].first).c_str());
  }
  EXPECT_EQ(rpcs_seen.size(), rpcs.size()) << "some RPC was never called";
  if (differences_ == 0) return;
  std::string report;
  for (const auto& [group, g] : groups_) {
    absl::StrAppend(&report, "  ", g.count, "x ", group, "\n      e.g. ", g.example, "\n");
  }
  ADD_FAILURE() << differences_ << " answers differ from the model (seed " << kSeed
                << "), by kind:\n"
                << report << "the first " << printed_.size() << ":\n  "
                << absl::StrJoin(printed_, "\n  ");
}

}  // namespace
}  // namespace socio::services
