// The partnership routes of routes.h: partnerships with shared goals and
// their reviews.
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

using socio::v1::Partnership;

// The statuses `status` names: "EXPLORING,ACTIVE" (any case).
absl::Status QueryStatuses(const ApiRequest& r, socio::v1::ListPartnershipsRequest* list) {
  const std::string text = QueryString(r, "status");
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    Partnership::Status status = Partnership::STATUS_UNSPECIFIED;
    const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(name));
    if (!Partnership::Status_Parse(upper, &status) || status == Partnership::STATUS_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter status: '", name,
                       "' is not a partnership status (EXPLORING, ACTIVE, PAUSED or ENDED)"));
    }
    list->add_statuses(status);
  }
  return absl::OkStatus();
}

}  // namespace

void AddPartnershipRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/partnerships", [b](const ApiRequest& r) {
    socio::v1::CreatePartnershipRequest create;
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
    return CallResponse(b->partnerships.CreatePartnership(create, CallOf(r)), 201);
  });
  router->Add("GET", "/partnerships", [b](const ApiRequest& r) {
    socio::v1::ListPartnershipsRequest list;
    int32_t page_size = 0;
    absl::Status s =
        CheckQuery(r, {"member_id", "chamber_id", "status", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (s.ok()) s = QueryStatuses(r, &list);
    if (!s.ok()) return ErrorResponse(s);
    list.set_member_id(QueryString(r, "member_id"));
    list.set_chamber_id(QueryString(r, "chamber_id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->partnerships.ListPartnerships(list, CallOf(r)));
  });
  router->Add("GET", "/partnerships/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetPartnershipRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->partnerships.GetPartnership(get, CallOf(r)));
  });
  router->Add("PATCH", "/partnerships/{id}", [b](const ApiRequest& r) {
    socio::v1::UpdatePartnershipRequest update;
    if (absl::Status s = PatchOf(r, &update, update.mutable_partnership()); !s.ok()) {
      return ErrorResponse(s);
    }
    return CallResponse(b->partnerships.UpdatePartnership(update, CallOf(r)));
  });
  router->Add("POST", "/partnerships/{id}/reviews", [b](const ApiRequest& r) {
    socio::v1::RecordReviewRequest record;
    absl::Status s = CheckQuery(r, {"expected_version"});
    int64_t expected_version = 0;
    if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
    if (s.ok()) s = ParseJsonBody(r.body, record.mutable_review());
    if (!s.ok()) return ErrorResponse(s);
    record.set_partnership_id(r.path_params.at("id"));
    record.set_expected_version(expected_version);
    return CallResponse(b->partnerships.RecordReview(record, CallOf(r)), 201);
  });
  router->Add("GET", "/partnerships/{id}/reviews", [b](const ApiRequest& r) {
    socio::v1::ListReviewsRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_partnership_id(r.path_params.at("id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->partnerships.ListReviews(list, CallOf(r)));
  });
}

}  // namespace socio::gateway
