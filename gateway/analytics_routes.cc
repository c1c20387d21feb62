// The analytics route of routes.h: a chamber's figures as JSON, or as CSV
// with format=csv (the same writer as `socio analytics --csv`).
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "analytics/csv.h"
#include "analytics/figures.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {
namespace {

using socio::v1::GetAnalyticsRequest;

ApiResponse GetAnalytics(const Backend& b, const ApiRequest& r) {
  absl::Status s =
      CheckQuery(r, {"chamber_id", "delegation_id", "from_date", "to_date", "group_by", "format"});
  GetAnalyticsRequest get;
  if (const std::string by = QueryString(r, "group_by"); s.ok() && !by.empty()) {
    std::optional<GetAnalyticsRequest::GroupBy> group_by = analytics::GroupByNamed(by);
    if (group_by.has_value()) {
      get.set_group_by(*group_by);
    } else {
      s = absl::InvalidArgumentError(
          absl::StrCat("query parameter group_by: '", by,
                       "' is not total, delegation, month, country_pair or sector"));
    }
  }
  const std::string format = QueryString(r, "format");
  if (s.ok() && !format.empty() && format != "json" && format != "csv") {
    s = absl::InvalidArgumentError(
        absl::StrCat("query parameter format: '", format, "' is not json or csv"));
  }
  if (!s.ok()) return ErrorResponse(s);
  get.set_chamber_id(QueryString(r, "chamber_id"));
  get.set_delegation_id(QueryString(r, "delegation_id"));
  get.set_from_date(QueryString(r, "from_date"));
  get.set_to_date(QueryString(r, "to_date"));
  absl::StatusOr<socio::v1::GetAnalyticsResponse> response =
      b.analytics.GetAnalytics(get, CallOf(r));
  if (format != "csv" || !response.ok()) return CallResponse(response);
  ApiResponse csv;
  csv.content_type = "text/csv; charset=utf-8; header=present";
  csv.body = analytics::AnalyticsCsv(*response);
  csv.headers.emplace_back("Content-Disposition", absl::StrCat("attachment; filename=\"analytics-",
                                                               response->chamber_id(), ".csv\""));
  return csv;
}

}  // namespace

void AddAnalyticsRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/analytics", [b](const ApiRequest& r) { return GetAnalytics(*b, r); });
}

}  // namespace socio::gateway
