// ExchangeClient: ExchangeService of a sociod (exchanges between two
// chambers, a visit and its return visit, and their balance), one method
// per rpc, each answering the response or the call's error (code and
// message as the server gave them). Over a Channel (clients/channel.h); see
// ProfileClient (clients/profile_client.h) for an example.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_EXCHANGE_CLIENT_H_
#define SOCIO_CLIENTS_EXCHANGE_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/exchange_service.grpc.pb.h"

namespace socio::clients {

class ExchangeClient {
 public:
  explicit ExchangeClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::Exchange> CreateExchange(
      const socio::v1::CreateExchangeRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Exchange> GetExchange(const socio::v1::GetExchangeRequest& request,
                                                  const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Exchange> UpdateExchange(
      const socio::v1::UpdateExchangeRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListExchangesResponse> ListExchanges(
      const socio::v1::ListExchangesRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::DeleteExchangeResponse> DeleteExchange(
      const socio::v1::DeleteExchangeRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ExchangeBalance> GetExchangeBalance(
      const socio::v1::GetExchangeBalanceRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::ExchangeService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_EXCHANGE_CLIENT_H_
