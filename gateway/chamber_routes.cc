// The chamber routes of routes.h: chambers' directory records and their
// partner chambers.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {
namespace {

using socio::v1::ChamberPartner;

// The states `state` names: "PROPOSED,ACTIVE" (any case).
absl::Status QueryStates(const ApiRequest& r, socio::v1::ListPartnerChambersRequest* list) {
  const std::string text = QueryString(r, "state");
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    ChamberPartner::State state = ChamberPartner::STATE_UNSPECIFIED;
    const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(name));
    if (!ChamberPartner::State_Parse(upper, &state) || state == ChamberPartner::STATE_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter state: '", name,
                       "' is not a partner link state (PROPOSED, ACTIVE or ENDED)"));
    }
    list->add_states(state);
  }
  return absl::OkStatus();
}

}  // namespace

void AddChamberRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/chambers", [b](const ApiRequest& r) {
    socio::v1::CreateChamberRequest create;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, create.mutable_chamber());
    if (!s.ok()) return ErrorResponse(s);
    create.set_request_id(RequestIdOf(r));
    return CallResponse(b->chambers.CreateChamber(create, CallOf(r)), 201);
  });
  router->Add("GET", "/chambers", [b](const ApiRequest& r) {
    socio::v1::ListChambersRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"country", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_country(QueryString(r, "country"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->chambers.ListChambers(list, CallOf(r)));
  });
  router->Add("GET", "/chambers/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetChamberRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->chambers.GetChamber(get, CallOf(r)));
  });
  router->Add("PATCH", "/chambers/{id}", [b](const ApiRequest& r) {
    socio::v1::UpdateChamberRequest update;
    if (absl::Status s = PatchOf(r, &update, update.mutable_chamber()); !s.ok()) {
      return ErrorResponse(s);
    }
    return CallResponse(b->chambers.UpdateChamber(update, CallOf(r)));
  });
  router->Add("DELETE", "/chambers/{id}", [b](const ApiRequest& r) {
    socio::v1::DeleteChamberRequest remove;
    if (absl::Status s = IdAndVersionOf(r, &remove); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->chambers.DeleteChamber(remove, CallOf(r)));
  });
  router->Add("GET", "/chambers/{id}/partners", [b](const ApiRequest& r) {
    socio::v1::ListPartnerChambersRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"state", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (s.ok()) s = QueryStates(r, &list);
    if (!s.ok()) return ErrorResponse(s);
    list.set_chamber_id(r.path_params.at("id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->chambers.ListPartnerChambers(list, CallOf(r)));
  });
  // The body: {"partnerChamberId": "...", "note": "..."}.
  router->Add("POST", "/chambers/{id}/partners", [b](const ApiRequest& r) {
    socio::v1::ProposePartnerChamberRequest propose;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &propose);
    if (s.ok() && !propose.chamber_id().empty() && propose.chamber_id() != r.path_params.at("id")) {
      s = absl::InvalidArgumentError(absl::StrCat("body: chamberId '", propose.chamber_id(),
                                                  "' differs from the path's '",
                                                  r.path_params.at("id"), "'"));
    }
    if (!s.ok()) return ErrorResponse(s);
    propose.set_chamber_id(r.path_params.at("id"));
    if (propose.request_id().empty()) propose.set_request_id(RequestIdOf(r));
    return CallResponse(b->chambers.ProposePartnerChamber(propose, CallOf(r)), 201);
  });
  // The body, if any, is ignored: the path and query say everything.
  router->Add("POST", "/chambers/{id}/partners/{partner}:accept", [b](const ApiRequest& r) {
    socio::v1::AcceptPartnerChamberRequest accept;
    int64_t expected_version = 0;
    absl::Status s = CheckQuery(r, {"expected_version"});
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    if (!s.ok()) return ErrorResponse(s);
    accept.set_chamber_id(r.path_params.at("id"));
    accept.set_partner_chamber_id(r.path_params.at("partner"));
    accept.set_expected_version(expected_version);
    return CallResponse(b->chambers.AcceptPartnerChamber(accept, CallOf(r)));
  });
  // The body, optional: {"reason": "..."}.
  router->Add("POST", "/chambers/{id}/partners/{partner}:end", [b](const ApiRequest& r) {
    socio::v1::EndPartnerChamberRequest end;
    int64_t expected_version = 0;
    absl::Status s = CheckQuery(r, {"expected_version"});
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    if (s.ok() && !absl::StripAsciiWhitespace(r.body).empty()) {
      socio::v1::EndPartnerChamberRequest body;
      s = ParseJsonBody(r.body, &body);
      end.set_reason(body.reason());
    }
    if (!s.ok()) return ErrorResponse(s);
    end.set_chamber_id(r.path_params.at("id"));
    end.set_partner_chamber_id(r.path_params.at("partner"));
    end.set_expected_version(expected_version);
    return CallResponse(b->chambers.EndPartnerChamber(end, CallOf(r)));
  });
}

}  // namespace socio::gateway
