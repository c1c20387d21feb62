// The delegation routes of gateway_routes.h: delegations, their plans and
// agendas, and destinations.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {
namespace {

using socio::v1::GetAgendaRequest;

ApiResponse Agenda(Backend& b, const ApiRequest& r) {
  GetAgendaRequest get;
  absl::Status s = CheckQuery(r, {"member_id", "format"});
  const std::string format = QueryString(r, "format");
  if (format == "ics") {
    get.set_format(GetAgendaRequest::ICALENDAR);
  } else if (format == "csv") {
    get.set_format(GetAgendaRequest::CSV);
  } else if (!format.empty() && s.ok()) {
    s = absl::InvalidArgumentError(
        absl::StrCat("query parameter format: '", format, "' is not ics or csv"));
  }
  if (!s.ok()) return ErrorResponse(s);
  get.set_delegation_id(r.path_params.at("id"));
  get.set_member_id(QueryString(r, "member_id"));

  absl::StatusOr<socio::v1::Agenda> agenda = b.delegations.GetAgenda(get, CallOf(r));
  if (!agenda.ok()) return ErrorResponse(agenda.status());

  // sociod's defaults: iCalendar for one company, CSV for the whole plan.
  const bool csv =
      get.format() == GetAgendaRequest::CSV ||
      (get.format() == GetAgendaRequest::FORMAT_UNSPECIFIED && get.member_id().empty());
  std::string file_name = agenda->file_name();
  if (file_name.empty()) {
    file_name =
        absl::StrCat(get.delegation_id(), "-", get.member_id().empty() ? "plan" : get.member_id(),
                     csv ? ".csv" : ".ics");
  }
  ApiResponse response;
  response.body = std::move(*agenda->mutable_content());
  response.content_type = !agenda->content_type().empty() ? agenda->content_type()
                          : csv                           ? "text/csv; charset=utf-8"
                                                          : "text/calendar; charset=utf-8";
  response.headers.emplace_back("Content-Disposition", absl::StrCat("attachment; filename=\"",
                                                                    SafeFileName(file_name), "\""));
  return response;
}

}  // namespace

void AddDelegationRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/delegations", [b](const ApiRequest& r) {
    socio::v1::ListDelegationsRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"chamber_id", "member_id", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_chamber_id(QueryString(r, "chamber_id"));
    list.set_member_id(QueryString(r, "member_id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->delegations.ListDelegations(list, CallOf(r)));
  });
  router->Add("POST", "/delegations", [b](const ApiRequest& r) {
    socio::v1::CreateDelegationRequest create;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, create.mutable_delegation());
    if (!s.ok()) return ErrorResponse(s);
    create.set_request_id(RequestIdOf(r));
    return CallResponse(b->delegations.CreateDelegation(create, CallOf(r)), 201);
  });
  router->Add("GET", "/delegations/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetDelegationRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->delegations.GetDelegation(get, CallOf(r)));
  });
  router->Add("PATCH", "/delegations/{id}", [b](const ApiRequest& r) {
    socio::v1::UpdateDelegationRequest update;
    if (absl::Status s = PatchOf(r, &update, update.mutable_delegation()); !s.ok()) {
      return ErrorResponse(s);
    }
    return CallResponse(b->delegations.UpdateDelegation(update, CallOf(r)));
  });
  router->Add("DELETE", "/delegations/{id}", [b](const ApiRequest& r) {
    socio::v1::DeleteDelegationRequest remove;
    if (absl::Status s = IdAndVersionOf(r, &remove); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->delegations.DeleteDelegation(remove, CallOf(r)));
  });
  // The body, if any, is ignored: the query says everything.
  router->Add("POST", "/delegations/{id}:plan", [b](const ApiRequest& r) {
    socio::v1::PlanDelegationRequest plan;
    int64_t expected_version = 0;
    bool fresh = false;
    absl::Status s = CheckQuery(r, {"fresh", "expected_version"});
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    if (s.ok()) s = QueryBool(r, "fresh", &fresh);
    if (!s.ok()) return ErrorResponse(s);
    plan.set_id(r.path_params.at("id"));
    plan.set_expected_version(expected_version);
    plan.set_fresh(fresh);
    plan.set_request_id(RequestIdOf(r));
    return CallResponse(b->delegations.PlanDelegation(plan, CallOf(r)));
  });
  router->Add("POST", "/delegations/{id}:publish", [b](const ApiRequest& r) {
    socio::v1::PublishPlanRequest publish;
    int64_t expected_version = 0;
    absl::Status s = CheckQuery(r, {"expected_version", "side"});
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    // side: both, delegates or hosts (PublishPlanRequest.side); absent: the caller's.
    const std::string side = absl::AsciiStrToUpper(QueryString(r, "side"));
    socio::v1::PublishPlanRequest::Side parsed = socio::v1::PublishPlanRequest::SIDE_UNSPECIFIED;
    if (s.ok() && !side.empty() &&
        (!socio::v1::PublishPlanRequest::Side_Parse(side, &parsed) ||
         parsed == socio::v1::PublishPlanRequest::SIDE_UNSPECIFIED)) {
      s = absl::InvalidArgumentError(absl::StrCat("query parameter side: '", QueryString(r, "side"),
                                                  "' is not both, delegates or hosts"));
    }
    if (!s.ok()) return ErrorResponse(s);
    publish.set_side(parsed);
    publish.set_id(r.path_params.at("id"));
    publish.set_expected_version(expected_version);
    publish.set_request_id(RequestIdOf(r));
    return CallResponse(b->delegations.PublishPlan(publish, CallOf(r)));
  });
  router->Add("GET", "/delegations/{id}/agenda",
              [b](const ApiRequest& r) { return Agenda(*b, r); });
  router->Add("POST", "/destinations", [b](const ApiRequest& r) {
    socio::v1::RecommendDestinationsRequest recommend;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &recommend);
    if (!s.ok()) return ErrorResponse(s);
    return CallResponse(b->delegations.RecommendDestinations(recommend, CallOf(r)));
  });
}

}  // namespace socio::gateway
