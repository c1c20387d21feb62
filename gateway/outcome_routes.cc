// The meeting outcome routes of routes.h: one side's answer to a meeting (a
// meeting request's, or a published plan's), the meeting as the caller may
// see it, and lists of meetings.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {
namespace {

using socio::v1::ListOutcomesRequest;
using socio::v1::MeetingRef;

// The meeting the path names: /requests/{id}/outcome or
// /delegations/{id}/meetings/{uid}/outcome.
MeetingRef PathMeeting(const ApiRequest& r) {
  MeetingRef ref;
  auto uid = r.path_params.find("uid");
  if (uid == r.path_params.end()) {
    ref.set_request_id(r.path_params.at("id"));
  } else {
    ref.set_delegation_id(r.path_params.at("id"));
    ref.set_meeting_uid(uid->second);
  }
  return ref;
}

ApiResponse GetOutcome(const Backend& b, const ApiRequest& r) {
  if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
  socio::v1::GetMeetingOutcomeRequest get;
  *get.mutable_meeting() = PathMeeting(r);
  return CallResponse(b.outcomes.GetMeetingOutcome(get, CallOf(r)));
}

// The body is a RecordOutcomeRequest; a meeting in it must be the path's.
ApiResponse RecordOutcome(const Backend& b, const ApiRequest& r) {
  socio::v1::RecordOutcomeRequest record;
  absl::Status s = CheckQuery(r, {});
  if (s.ok()) s = ParseJsonBody(r.body, &record);
  const MeetingRef path = PathMeeting(r);
  if (s.ok() && record.has_meeting() &&
      record.meeting().SerializeAsString() != path.SerializeAsString()) {
    s = absl::InvalidArgumentError("body: meeting differs from the one the path names");
  }
  if (!s.ok()) return ErrorResponse(s);
  *record.mutable_meeting() = path;
  return CallResponse(b.outcomes.RecordOutcome(record, CallOf(r)));
}

// `filter`: a ListOutcomesRequest.Filter by name, any case; absent, ALL.
absl::Status QueryFilter(const ApiRequest& r, ListOutcomesRequest* list) {
  const std::string text = QueryString(r, "filter");
  if (text.empty()) return absl::OkStatus();
  ListOutcomesRequest::Filter filter = ListOutcomesRequest::ALL;
  if (!ListOutcomesRequest::Filter_Parse(absl::AsciiStrToUpper(text), &filter)) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter filter: '", text,
                     "' is not ALL, FEEDBACK_OPEN, FEEDBACK_ANSWERED, FOLLOW_UP_OPEN or "
                     "FOLLOW_UP_ANSWERED"));
  }
  list->set_filter(filter);
  return absl::OkStatus();
}

}  // namespace

void AddOutcomeRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/requests/{id}/outcome",
              [b](const ApiRequest& r) { return GetOutcome(*b, r); });
  router->Add("POST", "/requests/{id}/outcome",
              [b](const ApiRequest& r) { return RecordOutcome(*b, r); });
  router->Add("GET", "/delegations/{id}/meetings/{uid}/outcome",
              [b](const ApiRequest& r) { return GetOutcome(*b, r); });
  router->Add("POST", "/delegations/{id}/meetings/{uid}/outcome",
              [b](const ApiRequest& r) { return RecordOutcome(*b, r); });
  router->Add("GET", "/outcomes", [b](const ApiRequest& r) {
    ListOutcomesRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(
        r, {"delegation_id", "member_id", "chamber_id", "filter", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (s.ok()) s = QueryFilter(r, &list);
    if (!s.ok()) return ErrorResponse(s);
    list.set_delegation_id(QueryString(r, "delegation_id"));
    list.set_member_id(QueryString(r, "member_id"));
    list.set_chamber_id(QueryString(r, "chamber_id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->outcomes.ListOutcomes(list, CallOf(r)));
  });
}

}  // namespace socio::gateway
