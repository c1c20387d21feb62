#include "gateway/routes.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/call.h"
#include "gateway/import.h"
#include "gateway/json.h"
#include "reference/nace.h"

namespace socio::gateway {
namespace {

// Health answers at once or not at all; do not hold a browser for 30 s.
constexpr absl::Duration kHealthDeadline = absl::Seconds(5);

// The most sector codes one /sectors request may name.
constexpr int kMaxSectorCodes = 100;

void AddProfileRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/profiles", [b](const ApiRequest& r) {
    socio::v1::ListProfilesRequest list;
    int32_t page_size = 0;
    bool include_total_size = false;
    absl::Status s = CheckQuery(r, {"chamber_id", "country", "sector_prefix", "query", "order_by",
                                    "include_total_size", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (s.ok()) s = QueryBool(r, "include_total_size", &include_total_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_page_size(page_size);
    list.set_query(QueryString(r, "query"));
    list.set_order_by(QueryString(r, "order_by"));
    list.set_include_total_size(include_total_size);
    list.set_chamber_id(QueryString(r, "chamber_id"));
    list.set_country(QueryString(r, "country"));
    list.set_sector_prefix(QueryString(r, "sector_prefix"));
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->profiles.ListProfiles(list, CallOf(r)));
  });
  router->Add("POST", "/profiles", [b](const ApiRequest& r) {
    socio::v1::CreateProfileRequest create;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, create.mutable_profile());
    if (!s.ok()) return ErrorResponse(s);
    create.set_request_id(RequestIdOf(r));
    return CallResponse(b->profiles.CreateProfile(create, CallOf(r)), 201);
  });
  router->Add("GET", "/profiles/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetProfileRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->profiles.GetProfile(get, CallOf(r)));
  });
  router->Add("PATCH", "/profiles/{id}", [b](const ApiRequest& r) {
    socio::v1::UpdateProfileRequest update;
    if (absl::Status s = PatchOf(r, &update, update.mutable_profile()); !s.ok()) {
      return ErrorResponse(s);
    }
    return CallResponse(b->profiles.UpdateProfile(update, CallOf(r)));
  });
  router->Add("DELETE", "/profiles/{id}", [b](const ApiRequest& r) {
    socio::v1::DeleteProfileRequest remove;
    if (absl::Status s = IdAndVersionOf(r, &remove); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->profiles.DeleteProfile(remove, CallOf(r)));
  });
  router->Add("POST", "/profiles:import",
              [b](const ApiRequest& r) { return ImportProfiles(b->profiles, r); });
}

void AddMatchRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/partners:find", [b](const ApiRequest& r) {
    socio::v1::FindPartnersRequest find;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &find);
    if (!s.ok()) return ErrorResponse(s);
    return CallResponse(b->matches.FindPartners(find, CallOf(r)));
  });
  router->Add("POST", "/partners:explain", [b](const ApiRequest& r) {
    socio::v1::ExplainMatchRequest explain;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &explain);
    if (!s.ok()) return ErrorResponse(s);
    return CallResponse(b->matches.ExplainMatch(explain, CallOf(r)));
  });
  router->Add("GET", "/policies/{chamber_id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetMatchPolicyRequest get;
    get.set_chamber_id(r.path_params.at("chamber_id"));
    return CallResponse(b->matches.GetMatchPolicy(get, CallOf(r)));
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
    return CallResponse(b->matches.SetMatchPolicy(set, CallOf(r)));
  });
  router->Add("GET", "/policies/{chamber_id}/suggestion", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::SuggestMatchPolicyRequest suggest;
    suggest.set_chamber_id(r.path_params.at("chamber_id"));
    return CallResponse(b->matches.SuggestMatchPolicy(suggest, CallOf(r)));
  });
}

// NACE Rev. 2's titles (Eurostat's, built in), for pages that show codes:
// public reference data, answered by the gateway itself without a token.
void AddReferenceRoutes(Router* router) {
  auto nace = std::make_shared<const reference::NaceCatalog>(reference::NaceCatalog::BuiltIn());
  router->Add("GET", "/sectors", [nace](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {"codes"}); !s.ok()) return ErrorResponse(s);
    const std::vector<std::string> codes =
        absl::StrSplit(QueryString(r, "codes"), ',', absl::SkipWhitespace());
    if (codes.empty()) {
      return ErrorResponse(
          absl::InvalidArgumentError("codes: is required (e.g. codes=28.41,46.6)"));
    }
    if (codes.size() > kMaxSectorCodes) {
      return ErrorResponse(
          absl::InvalidArgumentError(absl::StrCat("codes: ", codes.size(), " codes, more than the ",
                                                  kMaxSectorCodes, " one request may name")));
    }
    std::string body = R"({"sectors":[)";
    for (size_t i = 0; i < codes.size(); ++i) {
      const std::string code(absl::StripAsciiWhitespace(codes[i]));
      absl::StatusOr<std::string> canonical = nace->Canonical(code);
      if (!canonical.ok()) {
        return ErrorResponse(absl::InvalidArgumentError(
            absl::StrCat("codes[", i, "]: ", canonical.status().message())));
      }
      absl::StrAppend(&body, i ? "," : "", R"({"code":)", JsonQuote(*canonical), R"(,"title":)",
                      JsonQuote(nace->Title(*canonical)), "}");
    }
    ApiResponse response;
    response.status = 200;
    response.body = absl::StrCat(body, "]}");
    return response;
  });
}

void AddAdminRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/whoami", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->admin.WhoAmI(socio::v1::WhoAmIRequest(), CallOf(r)));
  });
  router->Add("GET", "/stats", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->admin.GetStats(socio::v1::GetStatsRequest(), CallOf(r)));
  });
  // sociod's own health (grpc.health.v1, the whole server): 200 only while
  // it says SERVING, so a load balancer can follow it.
  router->Add("GET", "/healthz", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    clients::CallOptions call;
    call.authorization = "";  // the health service asks for none
    call.deadline = std::min(b->deadline, kHealthDeadline);
    const absl::StatusOr<grpc::health::v1::HealthCheckResponse> health = b->health.Check({}, call);
    ApiResponse response;
    if (!health.ok()) {
      response = ErrorResponse(503, health.status());
      response.body = absl::StrCat(R"({"status":"UNKNOWN",)", response.body.substr(1));
      return response;
    }
    response.status =
        health->status() == grpc::health::v1::HealthCheckResponse::SERVING ? 200 : 503;
    response.body = absl::StrCat(
        R"({"status":)",
        JsonQuote(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(health->status())),
        "}");
    return response;
  });
}

}  // namespace

Backend::Backend(const std::shared_ptr<const clients::Channel>& channel)
    : deadline(channel->options().deadline),
      profiles(channel),
      matches(channel),
      delegations(channel),
      engagement(channel),
      notifications(channel),
      outcomes(channel),
      partnerships(channel),
      analytics(channel),
      exchanges(channel),
      chambers(channel),
      admin(channel),
      health(channel) {}

void AddApiRoutes(std::shared_ptr<Backend> backend, Router* router) {
  AddProfileRoutes(backend, router);
  AddMatchRoutes(backend, router);
  AddDelegationRoutes(backend, router);
  AddEngagementRoutes(backend, router);
  AddOutcomeRoutes(backend, router);
  AddPartnershipRoutes(backend, router);
  AddHostInvitationRoutes(backend, router);
  AddAnalyticsRoutes(backend, router);
  AddExchangeRoutes(backend, router);
  AddChamberRoutes(backend, router);
  AddBriefingRoutes(backend, router);
  AddReferenceRoutes(router);
  AddAdminRoutes(std::move(backend), router);
}

}  // namespace socio::gateway
