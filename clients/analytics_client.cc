#include "clients/analytics_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::AnalyticsService;

AnalyticsClient::AnalyticsClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(AnalyticsService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::GetAnalyticsResponse> AnalyticsClient::GetAnalytics(
    const socio::v1::GetAnalyticsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &AnalyticsService::Stub::GetAnalytics, request, call);
}

}  // namespace socio::clients
