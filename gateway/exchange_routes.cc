// The exchange routes of routes.h: exchanges between two chambers (a visit
// and its return visit) and their balance.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {

void AddExchangeRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/exchanges", [b](const ApiRequest& r) {
    socio::v1::CreateExchangeRequest create;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &create);
    if (s.ok() && !create.request_id().empty() && !r.idempotency_key.empty() &&
        create.request_id() != r.idempotency_key) {
      s = absl::InvalidArgumentError(absl::StrCat("body: requestId '", create.request_id(),
                                                  "' differs from the Idempotency-Key header '",
                                                  r.idempotency_key, "'"));
    }
    if (!s.ok()) return ErrorResponse(s);
    if (create.request_id().empty()) create.set_request_id(RequestIdOf(r));
    return CallResponse(b->exchanges.CreateExchange(create, CallOf(r)), 201);
  });
  router->Add("GET", "/exchanges", [b](const ApiRequest& r) {
    socio::v1::ListExchangesRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"chamber_id", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_chamber_id(QueryString(r, "chamber_id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->exchanges.ListExchanges(list, CallOf(r)));
  });
  router->Add("GET", "/exchanges/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetExchangeRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->exchanges.GetExchange(get, CallOf(r)));
  });
  router->Add("PATCH", "/exchanges/{id}", [b](const ApiRequest& r) {
    socio::v1::UpdateExchangeRequest update;
    if (absl::Status s = PatchOf(r, &update, update.mutable_exchange()); !s.ok()) {
      return ErrorResponse(s);
    }
    return CallResponse(b->exchanges.UpdateExchange(update, CallOf(r)));
  });
  router->Add("DELETE", "/exchanges/{id}", [b](const ApiRequest& r) {
    socio::v1::DeleteExchangeRequest remove;
    if (absl::Status s = IdAndVersionOf(r, &remove); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->exchanges.DeleteExchange(remove, CallOf(r)));
  });
  router->Add("GET", "/exchanges/{id}/balance", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetExchangeBalanceRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->exchanges.GetExchangeBalance(get, CallOf(r)));
  });
}

}  // namespace socio::gateway
