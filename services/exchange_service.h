// ExchangeService over gRPC: exchanges between two chambers, a visit and
// its return visit linked, and the balance between them. Thin handlers over
// storage::ExchangeStore (the exchanges and the rule that a delegation is in
// at most one), the DelegationStore (what is linked) and the analytics
// records (analytics_records.h), counted by analytics::Compute.
//
// Who may do what (exchange_service.proto says it to clients):
// - An exchange is seen (read, changed, deleted, its balance read) by
//   operators and the staff of either of its chambers. To anybody else,
//   members and a third chamber's staff, it does not exist: NOT_FOUND,
//   worded as for a missing one. Members read no exchange, not even of a
//   delegation they take part in: the balance is a matter between chambers.
// - It is created by operators or the staff of either chamber it names
//   (PERMISSION_DENIED for others).
// - A delegation is linked only by a caller who may read it (operators, the
//   staff of its organising chamber); another is NOT_FOUND as a missing
//   delegation. The visit must be organised by chamber_id, the return visit
//   by partner_chamber_id, with the visit's countries reversed
//   (INVALID_ARGUMENT naming the field).
// - A delegation already in another exchange is ALREADY_EXISTS; the other
//   exchange is named only to a caller who sees it.
#ifndef SOCIO_SERVICES_EXCHANGE_SERVICE_H_
#define SOCIO_SERVICES_EXCHANGE_SERVICE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/analytics_records.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "socio/v1/exchange_service.grpc.pb.h"
#include "storage/delegation_store.h"
#include "storage/exchange_store.h"
#include "storage/request_ids.h"

namespace socio::services {

// What the service works with; none is owned, all must outlive it.
struct ExchangeServiceParts {
  storage::ExchangeStore* exchanges = nullptr;
  const storage::DelegationStore* delegations = nullptr;
  storage::RequestIdStore* request_ids = nullptr;
  // What the balance counts.
  AnalyticsSources analytics;
  const Authenticator* auth = nullptr;
  // Shows every answer to its caller (disclosure.h); may be null.
  const Disclosure* disclosure = nullptr;
};

class ExchangeServiceImpl final : public socio::v1::ExchangeService::Service {
 public:
  explicit ExchangeServiceImpl(ExchangeServiceParts parts) : parts_(parts) {}

  grpc::Status CreateExchange(grpc::ServerContext* context,
                              const socio::v1::CreateExchangeRequest* request,
                              socio::v1::Exchange* response) override;
  grpc::Status GetExchange(grpc::ServerContext* context,
                           const socio::v1::GetExchangeRequest* request,
                           socio::v1::Exchange* response) override;
  grpc::Status UpdateExchange(grpc::ServerContext* context,
                              const socio::v1::UpdateExchangeRequest* request,
                              socio::v1::Exchange* response) override;
  grpc::Status ListExchanges(grpc::ServerContext* context,
                             const socio::v1::ListExchangesRequest* request,
                             socio::v1::ListExchangesResponse* response) override;
  grpc::Status DeleteExchange(grpc::ServerContext* context,
                              const socio::v1::DeleteExchangeRequest* request,
                              socio::v1::DeleteExchangeResponse* response) override;
  grpc::Status GetExchangeBalance(grpc::ServerContext* context,
                                  const socio::v1::GetExchangeBalanceRequest* request,
                                  socio::v1::ExchangeBalance* response) override;

 private:
  // The exchange `id` if `caller` sees it; else NOT_FOUND naming `field`,
  // the same whether it is missing or hidden.
  absl::StatusOr<socio::v1::Exchange> Seen(const Caller& caller, const std::string& id,
                                           absl::string_view field) const;
  // The delegation `id` if `caller` may read it; else NOT_FOUND naming
  // `field`, the same whether it is missing or hidden.
  absl::StatusOr<socio::v1::Delegation> ReadableDelegation(const Caller& caller,
                                                           const std::string& id,
                                                           absl::string_view field) const;
  // OK if `caller` may link `return_id` as the return visit of `visit` in
  // `exchange`: readable, organised by partner_chamber_id, countries
  // reversed.
  absl::Status CheckReturn(const Caller& caller, const socio::v1::Exchange& exchange,
                           const socio::v1::Delegation& visit, const std::string& return_id) const;
  // One direction's counts; `delegation_id` may be empty (not linked).
  absl::StatusOr<socio::v1::ExchangeVisitBalance> VisitBalance(const std::string& delegation_id,
                                                               const std::string& from_chamber,
                                                               const std::string& to_chamber) const;

  const ExchangeServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_EXCHANGE_SERVICE_H_
