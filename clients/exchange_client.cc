#include "clients/exchange_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::ExchangeService;

ExchangeClient::ExchangeClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(ExchangeService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::Exchange> ExchangeClient::CreateExchange(
    const socio::v1::CreateExchangeRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ExchangeService::Stub::CreateExchange, request, call);
}

absl::StatusOr<socio::v1::Exchange> ExchangeClient::GetExchange(
    const socio::v1::GetExchangeRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ExchangeService::Stub::GetExchange, request, call);
}

absl::StatusOr<socio::v1::Exchange> ExchangeClient::UpdateExchange(
    const socio::v1::UpdateExchangeRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ExchangeService::Stub::UpdateExchange, request, call);
}

absl::StatusOr<socio::v1::ListExchangesResponse> ExchangeClient::ListExchanges(
    const socio::v1::ListExchangesRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ExchangeService::Stub::ListExchanges, request, call);
}

absl::StatusOr<socio::v1::DeleteExchangeResponse> ExchangeClient::DeleteExchange(
    const socio::v1::DeleteExchangeRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ExchangeService::Stub::DeleteExchange, request, call);
}

absl::StatusOr<socio::v1::ExchangeBalance> ExchangeClient::GetExchangeBalance(
    const socio::v1::GetExchangeBalanceRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ExchangeService::Stub::GetExchangeBalance, request, call);
}

}  // namespace socio::clients
