// The host invitation routes of routes.h: hosts invited to a delegation,
// their answers, and each company's invitations.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/call.h"
#include "gateway/json.h"
#include "gateway/routes.h"

namespace socio::gateway {

void AddHostInvitationRoutes(std::shared_ptr<Backend> b, Router* router) {
  router->Add("POST", "/delegations/{id}:invite", [b](const ApiRequest& r) {
    socio::v1::InviteHostsRequest invite;
    absl::Status s = CheckQuery(r, {});
    if (s.ok() && !r.body.empty()) s = ParseJsonBody(r.body, &invite);
    if (s.ok() && !invite.delegation_id().empty() &&
        invite.delegation_id() != r.path_params.at("id")) {
      s = absl::InvalidArgumentError(absl::StrCat("body: delegationId '", invite.delegation_id(),
                                                  "' differs from the path's '",
                                                  r.path_params.at("id"), "'"));
    }
    if (s.ok() && !invite.request_id().empty() && !r.idempotency_key.empty() &&
        invite.request_id() != r.idempotency_key) {
      s = absl::InvalidArgumentError(absl::StrCat("body: requestId '", invite.request_id(),
                                                  "' differs from the Idempotency-Key header '",
                                                  r.idempotency_key, "'"));
    }
    if (!s.ok()) return ErrorResponse(s);
    invite.set_delegation_id(r.path_params.at("id"));
    if (invite.request_id().empty()) invite.set_request_id(RequestIdOf(r));
    return CallResponse(b->delegations.InviteHosts(invite, CallOf(r)));
  });
  router->Add("GET", "/delegations/{id}/invitations", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {}); !s.ok()) return ErrorResponse(s);
    socio::v1::ListHostInvitationsRequest list;
    list.set_delegation_id(r.path_params.at("id"));
    return CallResponse(b->delegations.ListHostInvitations(list, CallOf(r)));
  });
  router->Add("POST", "/delegations/{id}/invitations/{host_id}:answer", [b](const ApiRequest& r) {
    socio::v1::AnswerHostInvitationRequest answer;
    absl::Status s = CheckQuery(r, {});
    if (s.ok()) s = ParseJsonBody(r.body, &answer);
    if (s.ok() &&
        ((!answer.delegation_id().empty() && answer.delegation_id() != r.path_params.at("id")) ||
         (!answer.host_id().empty() && answer.host_id() != r.path_params.at("host_id")))) {
      s = absl::InvalidArgumentError(
          "body: delegationId and hostId, where given, must be the path's");
    }
    if (!s.ok()) return ErrorResponse(s);
    answer.set_delegation_id(r.path_params.at("id"));
    answer.set_host_id(r.path_params.at("host_id"));
    return CallResponse(b->delegations.AnswerHostInvitation(answer, CallOf(r)));
  });
  router->Add("GET", "/host-invitations", [b](const ApiRequest& r) {
    if (absl::Status s = CheckQuery(r, {"member_id"}); !s.ok()) return ErrorResponse(s);
    socio::v1::ListHostInvitationsRequest list;
    list.set_member_id(QueryString(r, "member_id"));
    if (list.member_id().empty()) {
      return ErrorResponse(absl::InvalidArgumentError("query parameter member_id: is required"));
    }
    return CallResponse(b->delegations.ListHostInvitations(list, CallOf(r)));
  });
}

}  // namespace socio::gateway
