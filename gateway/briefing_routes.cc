// The briefing route of gateway_routes.h: a delegation's cultural briefing,
// as JSON or as a Markdown file.
#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {
namespace {

ApiResponse Briefing(Backend& b, const ApiRequest& r) {
  absl::Status s = CheckQuery(r, {"member_id", "format"});
  const std::string format = QueryString(r, "format");
  if (s.ok() && !format.empty() && format != "json" && format != "markdown") {
    s = absl::InvalidArgumentError(
        absl::StrCat("query parameter format: '", format, "' is not json or markdown"));
  }
  if (!s.ok()) return ErrorResponse(s);
  socio::v1::GetDelegationBriefingRequest get;
  get.set_delegation_id(r.path_params.at("id"));
  get.set_member_id(QueryString(r, "member_id"));
  absl::StatusOr<socio::v1::Briefing> briefing =
      b.delegations.GetDelegationBriefing(get, CallOf(r));
  if (format != "markdown") return CallResponse(briefing);
  if (!briefing.ok()) return ErrorResponse(briefing.status());
  ApiResponse response;
  response.body = std::move(*briefing->mutable_markdown());
  response.content_type = "text/markdown; charset=utf-8";
  response.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"", SafeFileName(briefing->file_name()), "\""));
  return response;
}

}  // namespace

void AddBriefingRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/delegations/{id}/briefing",
              [b](const ApiRequest& r) { return Briefing(*b, r); });
}

}  // namespace socio::gateway
