#include "services/exchange_service.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "analytics/figures.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "services/idempotency.h"
#include "storage/profile_validation.h"
#include "storage/update_mask.h"

namespace socio::services {
namespace {

using socio::v1::Delegation;
using socio::v1::Exchange;
using socio::v1::ExchangeBalance;
using socio::v1::ExchangeChamberBalance;
using socio::v1::ExchangeVisitBalance;

absl::Status NoExchange(absl::string_view field, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(field, ": no exchange '", id, "'"));
}

absl::Status NoDelegation(absl::string_view field, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(field, ": no delegation '", id, "'"));
}

bool SeesExchange(const Caller& caller, const Exchange& exchange) {
  return caller.is_admin() || caller.is_staff_of(exchange.chamber_id()) ||
         caller.is_staff_of(exchange.partner_chamber_id());
}

// The companies that host `d`: those its last plan gives a meeting, or,
// before it is planned, the hosts staff named.
int64_t HostCompanies(const Delegation& d) {
  if (!d.has_plan()) return d.hosts_size();
  absl::flat_hash_set<std::string> hosts;
  for (const socio::v1::PlannedMeeting& m : d.plan().meetings()) hosts.insert(m.host_id());
  return static_cast<int64_t>(hosts.size());
}

ExchangeChamberBalance SideOf(const ExchangeVisitBalance& own, const ExchangeVisitBalance& other) {
  ExchangeChamberBalance side;
  side.set_chamber_id(own.from_chamber_id());
  side.set_delegates_sent(own.delegates_sent());
  side.set_delegates_received(other.delegates_sent());
  side.set_companies_hosted(other.host_companies());
  side.set_meetings_held(own.figures().meetings_held() + other.figures().meetings_held());
  side.set_agreements_from_own_visit(own.figures().agreements_signed());
  side.set_agreements_from_other_visit(other.figures().agreements_signed());
  side.set_delegates_balance(own.delegates_sent() - other.delegates_sent());
  return side;
}

}  // namespace

absl::StatusOr<Exchange> ExchangeServiceImpl::Seen(const Caller& caller, const std::string& id,
                                                   absl::string_view field) const {
  if (absl::Status s = storage::ValidateId(field, id); !s.ok()) return s;
  absl::StatusOr<Exchange> exchange = parts_.exchanges->Get(id);
  if (absl::IsNotFound(exchange.status()) || (exchange.ok() && !SeesExchange(caller, *exchange))) {
    return NoExchange(field, id);
  }
  return exchange;
}

absl::StatusOr<Delegation> ExchangeServiceImpl::ReadableDelegation(const Caller& caller,
                                                                   const std::string& id,
                                                                   absl::string_view field) const {
  absl::StatusOr<Delegation> d = parts_.delegations->Get(id);
  if (absl::IsNotFound(d.status()) ||
      (d.ok() && !RequireChamber(caller, d->chamber_id(), field).ok())) {
    return NoDelegation(field, id);
  }
  return d;
}

absl::Status ExchangeServiceImpl::CheckReturn(const Caller& caller, const Exchange& exchange,
                                              const Delegation& visit,
                                              const std::string& return_id) const {
  constexpr absl::string_view kField = "exchange.return_delegation_id";
  absl::StatusOr<Delegation> back = ReadableDelegation(caller, return_id, kField);
  if (!back.ok()) return back.status();
  if (back->chamber_id() != exchange.partner_chamber_id()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kField, ": delegation '", return_id, "' is organised by chamber '", back->chamber_id(),
        "', not by the partner chamber '", exchange.partner_chamber_id(), "'"));
  }
  if (back->origin_country() != visit.host_country() ||
      back->host_country() != visit.origin_country()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kField, ": delegation '", return_id, "' goes from ", back->origin_country(),
                     " to ", back->host_country(), "; the return of visit '", visit.id(),
                     "' goes from ", visit.host_country(), " to ", visit.origin_country()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ExchangeVisitBalance> ExchangeServiceImpl::VisitBalance(
    const std::string& delegation_id, const std::string& from_chamber,
    const std::string& to_chamber) const {
  ExchangeVisitBalance out;
  out.set_delegation_id(delegation_id);
  out.set_from_chamber_id(from_chamber);
  out.set_to_chamber_id(to_chamber);
  if (delegation_id.empty()) return out;
  absl::StatusOr<Delegation> d = parts_.delegations->Get(delegation_id);
  if (absl::IsNotFound(d.status())) return out;  // deleted since it was linked: nothing to count
  if (!d.ok()) return d.status();
  out.set_delegates_sent(d->delegates_size());
  out.set_host_companies(HostCompanies(*d));
  out.set_meetings_in_plan(d->plan().meetings_size());
  absl::StatusOr<analytics::Records> records = ReadDelegationRecords(parts_.analytics, *d);
  if (!records.ok()) return records.status();
  *out.mutable_figures() = analytics::Compute(*records, {.delegation_id = delegation_id}).total;
  return out;
}

grpc::Status ExchangeServiceImpl::CreateExchange(grpc::ServerContext* context,
                                                 const socio::v1::CreateExchangeRequest* request,
                                                 Exchange* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response, [&](const Caller& caller) {
        return AnswerOnce(
            *parts_.request_ids, caller, "CreateExchange", *request, response,
            [&](const storage::RequestTicket* ticket) -> absl::Status {
              if (!request->has_exchange()) {
                return absl::InvalidArgumentError("exchange: is required");
              }
              const Exchange& e = request->exchange();
              if (absl::Status s = storage::ValidateExchange(e); !s.ok()) return s;
              if (!caller.is_admin() && !caller.is_staff_of(e.chamber_id()) &&
                  !caller.is_staff_of(e.partner_chamber_id())) {
                return absl::PermissionDeniedError(absl::StrCat(
                    caller.Describe(), " may not create an exchange between chambers '",
                    e.chamber_id(), "' and '", e.partner_chamber_id(),
                    "': only the staff of either chamber may"));
              }
              absl::StatusOr<Delegation> visit = ReadableDelegation(caller, e.visit_delegation_id(),
                                                                    "exchange.visit_delegation_id");
              if (!visit.ok()) return visit.status();
              if (visit->chamber_id() != e.chamber_id()) {
                return absl::InvalidArgumentError(
                    absl::StrCat("exchange.visit_delegation_id: delegation '", visit->id(),
                                 "' is organised by chamber '", visit->chamber_id(),
                                 "', not by chamber_id '", e.chamber_id(), "'"));
              }
              if (!e.return_delegation_id().empty()) {
                if (absl::Status s = CheckReturn(caller, e, *visit, e.return_delegation_id());
                    !s.ok()) {
                  return s;
                }
              }
              return Respond(parts_.exchanges->Create(e, ticket,
                                                      [&](const Exchange& other) {
                                                        return SeesExchange(caller, other);
                                                      }),
                             response);
            });
      });
}

grpc::Status ExchangeServiceImpl::GetExchange(grpc::ServerContext* context,
                                              const socio::v1::GetExchangeRequest* request,
                                              Exchange* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) { return Respond(Seen(caller, request->id(), "id"), response); });
}

grpc::Status ExchangeServiceImpl::UpdateExchange(grpc::ServerContext* context,
                                                 const socio::v1::UpdateExchangeRequest* request,
                                                 Exchange* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        if (!request->has_exchange()) return absl::InvalidArgumentError("exchange: is required");
        const Exchange& patch = request->exchange();
        absl::StatusOr<Exchange> stored = Seen(caller, patch.id(), "exchange.id");
        if (!stored.ok()) return stored.status();
        const std::string& return_id = patch.return_delegation_id();
        if (storage::UpdateWrites(patch, request->update_mask(), "return_delegation_id") &&
            !return_id.empty() && return_id != stored->return_delegation_id()) {
          if (absl::Status s = storage::ValidateId("exchange.return_delegation_id", return_id);
              !s.ok()) {
            return s;
          }
          absl::StatusOr<Delegation> visit = parts_.delegations->Get(stored->visit_delegation_id());
          if (absl::IsNotFound(visit.status())) {
            return absl::FailedPreconditionError(absl::StrCat(
                "exchange.return_delegation_id: the visit '", stored->visit_delegation_id(),
                "' of exchange '", stored->id(),
                "' was deleted; a return visit answers a visit: delete the exchange instead"));
          }
          if (!visit.ok()) return visit.status();
          if (absl::Status s = CheckReturn(caller, *stored, *visit, return_id); !s.ok()) return s;
        }
        return Respond(parts_.exchanges->Update(
                           patch, request->update_mask(), request->expected_version(),
                           [&](const Exchange& other) { return SeesExchange(caller, other); }),
                       response);
      });
}

grpc::Status ExchangeServiceImpl::ListExchanges(grpc::ServerContext* context,
                                                const socio::v1::ListExchangesRequest* request,
                                                socio::v1::ListExchangesResponse* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 if (caller.role == socio::v1::MEMBER) {
                   return absl::PermissionDeniedError(
                       "ListExchanges: members may not read exchanges; a chamber's staff and "
                       "operators do");
                 }
                 std::string chamber_id = request->chamber_id();
                 if (chamber_id.empty() && !caller.is_admin()) chamber_id = caller.chamber_id;
                 if (!chamber_id.empty()) {
                   if (absl::Status s = RequireChamber(caller, chamber_id, "chamber_id"); !s.ok()) {
                     return s;
                   }
                 }
                 auto page = parts_.exchanges->List(chamber_id, request->page_size(),
                                                    request->page_token());
                 if (!page.ok()) return page.status();
                 for (Exchange& e : page->first) *response->add_exchanges() = std::move(e);
                 response->set_next_page_token(std::move(page->second));
                 return absl::OkStatus();
               });
}

grpc::Status ExchangeServiceImpl::DeleteExchange(grpc::ServerContext* context,
                                                 const socio::v1::DeleteExchangeRequest* request,
                                                 socio::v1::DeleteExchangeResponse* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Exchange> stored = Seen(caller, request->id(), "id");
                 if (!stored.ok()) return stored.status();
                 return parts_.exchanges->Delete(request->id(), request->expected_version());
               });
}

grpc::Status ExchangeServiceImpl::GetExchangeBalance(
    grpc::ServerContext* context, const socio::v1::GetExchangeBalanceRequest* request,
    ExchangeBalance* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Exchange> e = Seen(caller, request->id(), "id");
                 if (!e.ok()) return e.status();
                 absl::StatusOr<ExchangeVisitBalance> visit = VisitBalance(
                     e->visit_delegation_id(), e->chamber_id(), e->partner_chamber_id());
                 if (!visit.ok()) return visit.status();
                 absl::StatusOr<ExchangeVisitBalance> back = VisitBalance(
                     e->return_delegation_id(), e->partner_chamber_id(), e->chamber_id());
                 if (!back.ok()) return back.status();
                 response->set_exchange_id(e->id());
                 *response->mutable_chamber() = SideOf(*visit, *back);
                 *response->mutable_partner_chamber() = SideOf(*back, *visit);
                 *response->mutable_visit() = *std::move(visit);
                 *response->mutable_return_visit() = *std::move(back);
                 return absl::OkStatus();
               });
}

}  // namespace socio::services
