#include "services/gateway_routes.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/gateway_call.h"
#include "services/gateway_import.h"
#include "services/gateway_json.h"

namespace socio::services::gateway {
namespace {

using socio::v1::AdminService;
using socio::v1::MatchService;
using socio::v1::ProfileService;

// Health answers at once or not at all; do not hold a browser for 30 s.
constexpr absl::Duration kHealthDeadline = absl::Seconds(5);

void AddProfileRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/profiles", [b](const ApiRequest& r) {
    socio::v1::ListProfilesRequest list;
    int32_t page_size = 0;
    absl::Status s =
        CheckQuery(r, {"chamber_id", "country", "sector_prefix", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_page_size(page_size);
    list.set_chamber_id(QueryString(r, "chamber_id"));
    list.set_country(QueryString(r, "country"));
    list.set_sector_prefix(QueryString(r, "sector_prefix"));
    list.set_page_token(QueryString(r, "page_token"));
    return CallUnary(b->deadline, r, b->profiles.get(), &ProfileService::Stub::ListProfiles, list);
  });
  router->Add("POST", "/profiles", [b](const ApiRequest& r) {
    socio::v1::CreateProfileRequest create;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, create.mutable_profile());
    if (!s.ok()) return ErrorResponse(s);
    create.set_request_id(RequestIdOf(r));
    return CallUnary(b->deadline, r, b->profiles.get(), &ProfileService::Stub::CreateProfile,
                     create, 201);
  });
  router->Add("GET", "/profiles/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetProfileRequest get;
    get.set_id(r.path_params.at("id"));
    return CallUnary(b->deadline, r, b->profiles.get(), &ProfileService::Stub::GetProfile, get);
  });
  router->Add("PATCH", "/profiles/{id}", [b](const ApiRequest& r) {
    socio::v1::UpdateProfileRequest update;
    absl::Status s = CheckQuery(r, {"expected_version"});
    int64_t expected_version = 0;
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    update.set_expected_version(expected_version);
    if (s.ok()) {
      s = ParsePatchBody(r.body, r.path_params.at("id"), update.mutable_profile(),
                         update.mutable_update_mask());
    }
    if (!s.ok()) return ErrorResponse(s);
    return CallUnary(b->deadline, r, b->profiles.get(), &ProfileService::Stub::UpdateProfile,
                     update);
  });
  router->Add("DELETE", "/profiles/{id}", [b](const ApiRequest& r) {
    socio::v1::DeleteProfileRequest remove;
    absl::Status s = CheckQuery(r, {"expected_version"});
    int64_t expected_version = 0;
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    remove.set_expected_version(expected_version);
    if (!s.ok()) return ErrorResponse(s);
    remove.set_id(r.path_params.at("id"));
    return CallUnary(b->deadline, r, b->profiles.get(), &ProfileService::Stub::DeleteProfile,
                     remove);
  });
  router->Add("POST", "/profiles:import", [b](const ApiRequest& r) {
    return ImportProfiles(b->profiles.get(), b->deadline, r);
  });
}

void AddMatchRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/partners:find", [b](const ApiRequest& r) {
    socio::v1::FindPartnersRequest find;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &find);
    if (!s.ok()) return ErrorResponse(s);
    return CallUnary(b->deadline, r, b->matches.get(), &MatchService::Stub::FindPartners, find);
  });
  router->Add("POST", "/partners:explain", [b](const ApiRequest& r) {
    socio::v1::ExplainMatchRequest explain;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &explain);
    if (!s.ok()) return ErrorResponse(s);
    return CallUnary(b->deadline, r, b->matches.get(), &MatchService::Stub::ExplainMatch, explain);
  });
  router->Add("GET", "/policies/{chamber_id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetMatchPolicyRequest get;
    get.set_chamber_id(r.path_params.at("chamber_id"));
    return CallUnary(b->deadline, r, b->matches.get(), &MatchService::Stub::GetMatchPolicy, get);
  });
  router->Add("PUT", "/policies/{chamber_id}", [b](const ApiRequest& r) {
    socio::v1::SetMatchPolicyRequest set;
    const std::string& chamber = r.path_params.at("chamber_id");
    absl::Status s = CheckQuery(r, {"expected_version"});
    int64_t expected_version = 0;
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    set.set_expected_version(expected_version);
    if (s.ok()) s = ParseJsonBody(r.body, set.mutable_policy());
    if (s.ok() && !set.policy().chamber_id().empty() && set.policy().chamber_id() != chamber) {
      s = absl::InvalidArgumentError(absl::StrCat("body: chamberId '", set.policy().chamber_id(),
                                                  "' differs from the path's '", chamber, "'"));
    }
    if (!s.ok()) return ErrorResponse(s);
    set.mutable_policy()->set_chamber_id(chamber);
    return CallUnary(b->deadline, r, b->matches.get(), &MatchService::Stub::SetMatchPolicy, set);
  });
}

void AddAdminRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/whoami", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    return CallUnary(b->deadline, r, b->admin.get(), &AdminService::Stub::WhoAmI,
                     socio::v1::WhoAmIRequest());
  });
  router->Add("GET", "/stats", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    return CallUnary(b->deadline, r, b->admin.get(), &AdminService::Stub::GetStats,
                     socio::v1::GetStatsRequest());
  });
  // sociod's own health (grpc.health.v1, the whole server): 200 only while
  // it says SERVING, so a load balancer can follow it.
  router->Add("GET", "/healthz", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + std::min(b->deadline, kHealthDeadline)));
    grpc::health::v1::HealthCheckResponse health;
    const grpc::Status status = b->health->Check(&context, {}, &health);
    ApiResponse response;
    if (!status.ok()) {
      response = ErrorResponse(503, FromGrpcStatus(status));
      response.body = absl::StrCat(R"({"status":"UNKNOWN",)", response.body.substr(1));
      return response;
    }
    response.status = health.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 200 : 503;
    response.body = absl::StrCat(
        R"({"status":)",
        JsonQuote(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(health.status())), "}");
    return response;
  });
}

}  // namespace

Backend::Backend(const std::shared_ptr<grpc::Channel>& channel, absl::Duration deadline)
    : deadline(deadline),
      profiles(socio::v1::ProfileService::NewStub(channel)),
      matches(socio::v1::MatchService::NewStub(channel)),
      delegations(socio::v1::DelegationService::NewStub(channel)),
      admin(socio::v1::AdminService::NewStub(channel)),
      health(grpc::health::v1::Health::NewStub(channel)) {}

void AddApiRoutes(std::shared_ptr<Backend> backend, Router* router) {
  AddProfileRoutes(backend, router);
  AddMatchRoutes(backend, router);
  AddDelegationRoutes(backend, router);
  AddAdminRoutes(std::move(backend), router);
}

}  // namespace socio::services::gateway
