#include "services/chamber_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "services/idempotency.h"

namespace socio::services {
namespace {

using socio::v1::Chamber;
using socio::v1::ChamberPartner;
using socio::v1::Notification;

// Who made a change, as the link records it.
std::string By(const Caller& caller) {
  return caller.is_admin() ? "operator" : absl::StrCat("staff:", caller.chamber_id);
}

// Contacts are for staff and operators; members read the public entry.
void ShowTo(const Caller& caller, Chamber* chamber) {
  if (caller.role != socio::v1::ADMIN && caller.role != socio::v1::STAFF) {
    chamber->clear_contacts();
  }
}

}  // namespace

absl::StatusOr<std::string> ChamberServiceImpl::ActingChamber(const Caller& caller,
                                                              const std::string& chamber_id) {
  if (chamber_id.empty()) {
    if (caller.role == socio::v1::STAFF) return caller.chamber_id;
    if (caller.is_admin()) {
      return absl::InvalidArgumentError(
          "chamber_id: is required for an operator (on behalf of which chamber?)");
    }
  }
  if (absl::Status s = RequireChamber(caller, chamber_id, "chamber_id"); !s.ok()) return s;
  return chamber_id;
}

std::string ChamberServiceImpl::Summarize(const Notification& n) {
  const ChamberPartner& link = n.chamber_partner();
  const std::string other = link.partner_name().empty()
                                ? absl::StrCat("Chamber ", link.partner_chamber_id())
                                : link.partner_name();
  switch (n.kind()) {
    case Notification::CHAMBER_PARTNER_PROPOSED:
      return absl::StrCat(other, " proposes that your chambers become partner chambers");
    case Notification::CHAMBER_PARTNER_ACCEPTED:
      return absl::StrCat(other, " accepted: your chambers are partner chambers");
    default:
      return "";
  }
}

grpc::Status ChamberServiceImpl::CreateChamber(grpc::ServerContext* context,
                                               const socio::v1::CreateChamberRequest* request,
                                               Chamber* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = RequireAdmin(caller, "CreateChamber"); !s.ok()) return s;
    return AnswerOnce(*parts_.request_ids, caller, "CreateChamber", *request, response,
                      [&](const storage::RequestTicket* ticket) -> absl::Status {
                        if (!request->has_chamber()) {
                          return absl::InvalidArgumentError("chamber: is required");
                        }
                        return Respond(parts_.chambers->Create(request->chamber(), ticket),
                                       response);
                      });
  });
}

grpc::Status ChamberServiceImpl::GetChamber(grpc::ServerContext* context,
                                            const socio::v1::GetChamberRequest* request,
                                            Chamber* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    if (request->id().empty()) return absl::InvalidArgumentError("id: is required");
    if (absl::Status s = Respond(parts_.chambers->Get(request->id()), response); !s.ok()) {
      return s;
    }
    ShowTo(caller, response);
    return absl::OkStatus();
  });
}

grpc::Status ChamberServiceImpl::ListChambers(grpc::ServerContext* context,
                                              const socio::v1::ListChambersRequest* request,
                                              socio::v1::ListChambersResponse* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    auto page =
        parts_.chambers->List(request->country(), request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    for (Chamber& chamber : page->first) {
      ShowTo(caller, &chamber);
      *response->add_chambers() = std::move(chamber);
    }
    response->set_next_page_token(std::move(page->second));
    return absl::OkStatus();
  });
}

grpc::Status ChamberServiceImpl::UpdateChamber(grpc::ServerContext* context,
                                               const socio::v1::UpdateChamberRequest* request,
                                               Chamber* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    if (!request->has_chamber()) return absl::InvalidArgumentError("chamber: is required");
    const std::string& id = request->chamber().id();
    if (id.empty()) return absl::InvalidArgumentError("chamber.id: is required");
    if (absl::Status s = RequireChamber(caller, id, "chamber.id"); !s.ok()) return s;
    return Respond(parts_.chambers->Update(request->chamber(), request->update_mask(),
                                           request->expected_version()),
                   response);
  });
}

grpc::Status ChamberServiceImpl::DeleteChamber(grpc::ServerContext* context,
                                               const socio::v1::DeleteChamberRequest* request,
                                               socio::v1::DeleteChamberResponse* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = RequireAdmin(caller, "DeleteChamber"); !s.ok()) return s;
    if (request->id().empty()) return absl::InvalidArgumentError("id: is required");
    absl::StatusOr<Chamber> deleted =
        parts_.chambers->Delete(request->id(), request->expected_version());
    if (!deleted.ok()) return deleted.status();
    *response->mutable_chamber() = *std::move(deleted);
    return absl::OkStatus();
  });
}

grpc::Status ChamberServiceImpl::ProposePartnerChamber(
    grpc::ServerContext* context, const socio::v1::ProposePartnerChamberRequest* request,
    ChamberPartner* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> chamber = ActingChamber(caller, request->chamber_id());
    if (!chamber.ok()) return chamber.status();
    return AnswerOnce(
        *parts_.request_ids, caller, "ProposePartnerChamber", *request, response,
        [&](const storage::RequestTicket* ticket) -> absl::Status {
          return Respond(parts_.chambers->Propose(*chamber, request->partner_chamber_id(),
                                                  request->note(), By(caller), ticket, &Summarize),
                         response);
        });
  });
}

grpc::Status ChamberServiceImpl::AcceptPartnerChamber(
    grpc::ServerContext* context, const socio::v1::AcceptPartnerChamberRequest* request,
    ChamberPartner* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> chamber = ActingChamber(caller, request->chamber_id());
    if (!chamber.ok()) return chamber.status();
    return Respond(parts_.chambers->Accept(*chamber, request->partner_chamber_id(),
                                           request->expected_version(), By(caller), &Summarize),
                   response);
  });
}

grpc::Status ChamberServiceImpl::EndPartnerChamber(
    grpc::ServerContext* context, const socio::v1::EndPartnerChamberRequest* request,
    ChamberPartner* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> chamber = ActingChamber(caller, request->chamber_id());
    if (!chamber.ok()) return chamber.status();
    return Respond(parts_.chambers->End(*chamber, request->partner_chamber_id(), request->reason(),
                                        request->expected_version(), By(caller)),
                   response);
  });
}

grpc::Status ChamberServiceImpl::ListPartnerChambers(
    grpc::ServerContext* context, const socio::v1::ListPartnerChambersRequest* request,
    socio::v1::ListPartnerChambersResponse* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> chamber = ActingChamber(caller, request->chamber_id());
    if (!chamber.ok()) return chamber.status();
    std::vector<ChamberPartner::State> states;
    for (int i = 0; i < request->states_size(); ++i) {
      const auto state = static_cast<ChamberPartner::State>(request->states(i));
      if (!ChamberPartner::State_IsValid(state) || state == ChamberPartner::STATE_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            absl::StrCat("states[", i, "]: unknown value ", request->states(i)));
      }
      states.push_back(state);
    }
    auto page = parts_.chambers->ListPartners(*chamber, states, request->page_size(),
                                              request->page_token());
    if (!page.ok()) return page.status();
    for (ChamberPartner& link : page->first) *response->add_partners() = std::move(link);
    response->set_next_page_token(std::move(page->second));
    return absl::OkStatus();
  });
}

}  // namespace socio::services
