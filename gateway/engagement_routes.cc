// The engagement routes of routes.h: a member's marks of interest, meeting
// requests between members, the companies a profile was revealed to, and a
// recipient's notification settings.
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

using socio::v1::ListMeetingRequestsRequest;
using socio::v1::MeetingRequest;

// The request states, as `state` names them: "PENDING,ACCEPTED" (any case).
absl::Status QueryStates(const ApiRequest& r, ListMeetingRequestsRequest* list) {
  const std::string text = QueryString(r, "state");
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    MeetingRequest::State state = MeetingRequest::STATE_UNSPECIFIED;
    const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(name));
    if (!MeetingRequest::State_Parse(upper, &state) || state == MeetingRequest::STATE_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "query parameter state: '", name,
          "' is not a request state (PENDING, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN or "
          "CANCELLED)"));
    }
    list->add_states(state);
  }
  return absl::OkStatus();
}

// `box`: sent or received (any case); absent, both.
absl::Status QueryBox(const ApiRequest& r, ListMeetingRequestsRequest* list) {
  const std::string box = absl::AsciiStrToLower(QueryString(r, "box"));
  if (box == "sent") {
    list->set_box(ListMeetingRequestsRequest::SENT);
  } else if (box == "received") {
    list->set_box(ListMeetingRequestsRequest::RECEIVED);
  } else if (!box.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter box: '", QueryString(r, "box"), "' is not sent or received"));
  }
  return absl::OkStatus();
}

// The body of an action on the request the path names (":answer",
// ":cancel"): parsed into `*message`, its id the path's (a different one in
// the body is refused), and its expected version the query's
// expected_version or the body's expectedVersion (both only if equal).
template <typename Message>
absl::Status ParseActionBody(const ApiRequest& r, Message* message) {
  const std::string& id = r.path_params.at("id");
  absl::Status s = CheckQuery(r, {"expected_version"});
  int64_t expected_version = 0;
  if (s.ok()) s = QueryInt64(r, "expected_version", &expected_version);
  if (s.ok()) s = ParseJsonBody(r.body, message);
  if (!s.ok()) return s;
  if (!message->id().empty() && message->id() != id) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: id '", message->id(), "' differs from the path's '", id, "'"));
  }
  if (expected_version != 0 && message->expected_version() != 0 &&
      expected_version != message->expected_version()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter expected_version: ", expected_version,
                     " differs from the body's ", message->expected_version()));
  }
  message->set_id(id);
  if (expected_version != 0) message->set_expected_version(expected_version);
  return absl::OkStatus();
}

void AddInterestRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("PUT", "/members/{id}/interests/{partner}", [b](const ApiRequest& r) {
    socio::v1::SetInterestRequest set;
    const std::string& member = r.path_params.at("id");
    const std::string& partner = r.path_params.at("partner");
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &set);
    if (s.ok() && !set.member_id().empty() && set.member_id() != member) {
      s = absl::InvalidArgumentError(absl::StrCat("body: memberId '", set.member_id(),
                                                  "' differs from the path's '", member, "'"));
    }
    if (s.ok() && !set.partner_ref().empty() && set.partner_ref() != partner) {
      s = absl::InvalidArgumentError(absl::StrCat("body: partnerRef '", set.partner_ref(),
                                                  "' differs from the path's '", partner, "'"));
    }
    if (s.ok() && set.mark() == socio::v1::Interest::MARK_UNSPECIFIED) {
      s = absl::InvalidArgumentError(
          "body: mark is required (INTERESTED, MUST_MEET or NOT_INTERESTED); DELETE clears a "
          "mark");
    }
    if (!s.ok()) return ErrorResponse(s);
    set.set_member_id(member);
    set.set_partner_ref(partner);
    return CallResponse(b->engagement.SetInterest(set, CallOf(r)));
  });
  router->Add("DELETE", "/members/{id}/interests/{partner}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::SetInterestRequest clear;
    clear.set_member_id(r.path_params.at("id"));
    clear.set_partner_ref(r.path_params.at("partner"));
    clear.set_mark(socio::v1::Interest::MARK_UNSPECIFIED);
    return CallResponse(b->engagement.SetInterest(clear, CallOf(r)));
  });
  router->Add("GET", "/interests", [b](const ApiRequest& r) {
    socio::v1::ListInterestsRequest list;
    int32_t page_size = 0;
    bool mutual_only = false;
    absl::Status s = CheckQuery(r, {"member_id", "mutual_only", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (s.ok()) s = QueryBool(r, "mutual_only", &mutual_only);
    if (!s.ok()) return ErrorResponse(s);
    list.set_member_id(QueryString(r, "member_id"));
    list.set_mutual_only(mutual_only);
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->engagement.ListInterests(list, CallOf(r)));
  });
}

void AddMeetingRequestRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/requests", [b](const ApiRequest& r) {
    socio::v1::CreateMeetingRequestRequest create;
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
    return CallResponse(b->engagement.CreateMeetingRequest(create, CallOf(r)), 201);
  });
  router->Add("GET", "/requests/{id}", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetMeetingRequestRequest get;
    get.set_id(r.path_params.at("id"));
    return CallResponse(b->engagement.GetMeetingRequest(get, CallOf(r)));
  });
  router->Add("GET", "/requests", [b](const ApiRequest& r) {
    ListMeetingRequestsRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"member_id", "box", "state", "page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (s.ok()) s = QueryBox(r, &list);
    if (s.ok()) s = QueryStates(r, &list);
    if (!s.ok()) return ErrorResponse(s);
    list.set_member_id(QueryString(r, "member_id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->engagement.ListMeetingRequests(list, CallOf(r)));
  });
  router->Add("POST", "/requests/{id}:answer", [b](const ApiRequest& r) {
    socio::v1::AnswerMeetingRequestRequest answer;
    if (absl::Status s = ParseActionBody(r, &answer); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->engagement.AnswerMeetingRequest(answer, CallOf(r)));
  });
  router->Add("POST", "/requests/{id}:cancel", [b](const ApiRequest& r) {
    socio::v1::CancelMeetingRequestRequest cancel;
    if (absl::Status s = ParseActionBody(r, &cancel); !s.ok()) return ErrorResponse(s);
    return CallResponse(b->engagement.CancelMeetingRequest(cancel, CallOf(r)));
  });
}

void AddRevealRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/profiles/{id}/reveals", [b](const ApiRequest& r) {
    socio::v1::ListRevealsRequest list;
    int32_t page_size = 0;
    absl::Status s = CheckQuery(r, {"page_size", "page_token"});
    if (s.ok()) s = QueryInt32(r, "page_size", &page_size);
    if (!s.ok()) return ErrorResponse(s);
    list.set_profile_id(r.path_params.at("id"));
    list.set_page_size(page_size);
    list.set_page_token(QueryString(r, "page_token"));
    return CallResponse(b->engagement.ListReveals(list, CallOf(r)));
  });
}

void AddNotificationRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("GET", "/notification-settings", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {"recipient"}); !s.ok()) return ErrorResponse(s);
    socio::v1::GetNotificationSettingsRequest get;
    get.set_recipient(QueryString(r, "recipient"));
    return CallResponse(b->notifications.GetNotificationSettings(get, CallOf(r)));
  });
  router->Add("PUT", "/notification-settings", [b](const ApiRequest& r) {
    socio::v1::SetNotificationSettingsRequest set;
    const std::string recipient = QueryString(r, "recipient");
    absl::Status s = CheckQuery(r, {"recipient"});
    if (s.ok()) s = ParseJsonBody(r.body, set.mutable_settings());
    const std::string& named = set.settings().recipient();
    if (s.ok() && !recipient.empty() && !named.empty() && named != recipient) {
      s = absl::InvalidArgumentError(
          absl::StrCat("body: recipient '", named, "' differs from the query's '", recipient, "'"));
    }
    if (!s.ok()) return ErrorResponse(s);
    if (!recipient.empty()) set.mutable_settings()->set_recipient(recipient);
    return CallResponse(b->notifications.SetNotificationSettings(set, CallOf(r)));
  });
}

}  // namespace

void AddEngagementRoutes(std::shared_ptr<Backend> b, Router* router) {
  AddInterestRoutes(b, router);
  AddMeetingRequestRoutes(b, router);
  AddRevealRoutes(b, router);
  AddNotificationRoutes(std::move(b), router);
}

}  // namespace socio::gateway
