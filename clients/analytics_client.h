// AnalyticsClient: AnalyticsService of a sociod (a chamber's figures), one
// method per rpc, answering the response or the call's error (code and
// message as the server gave them). Over a Channel (clients/channel.h); see
// ProfileClient (clients/profile_client.h) for an example.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_ANALYTICS_CLIENT_H_
#define SOCIO_CLIENTS_ANALYTICS_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/analytics_service.grpc.pb.h"

namespace socio::clients {

class AnalyticsClient {
 public:
  explicit AnalyticsClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::GetAnalyticsResponse> GetAnalytics(
      const socio::v1::GetAnalyticsRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::AnalyticsService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_ANALYTICS_CLIENT_H_
