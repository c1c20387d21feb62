// EngagementClient and NotificationClient: EngagementService and
// NotificationService of a sociod (marks of interest, meeting requests,
// reveals, notifications), one method per rpc, each answering the response
// or the call's error (code and message as the server gave them). Over a Channel
// (clients/channel.h); see ProfileClient (clients/profile_client.h) for an
// example.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_ENGAGEMENT_CLIENT_H_
#define SOCIO_CLIENTS_ENGAGEMENT_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "clients/read_stream.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"

namespace socio::clients {

class EngagementClient {
 public:
  explicit EngagementClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::Interest> SetInterest(const socio::v1::SetInterestRequest& request,
                                                  const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListInterestsResponse> ListInterests(
      const socio::v1::ListInterestsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MeetingRequest> CreateMeetingRequest(
      const socio::v1::CreateMeetingRequestRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MeetingRequest> GetMeetingRequest(
      const socio::v1::GetMeetingRequestRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListMeetingRequestsResponse> ListMeetingRequests(
      const socio::v1::ListMeetingRequestsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MeetingRequest> AnswerMeetingRequest(
      const socio::v1::AnswerMeetingRequestRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MeetingRequest> CancelMeetingRequest(
      const socio::v1::CancelMeetingRequestRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListRevealsResponse> ListReveals(
      const socio::v1::ListRevealsRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::EngagementService::Stub> stub_;
};

class NotificationClient {
 public:
  explicit NotificationClient(std::shared_ptr<const Channel> channel);

  // Opens a WatchNotifications stream. No deadline unless `call` gives one.
  absl::StatusOr<std::unique_ptr<ReadStream<socio::v1::Notification>>> WatchNotifications(
      const socio::v1::WatchNotificationsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::NotificationSettings> GetNotificationSettings(
      const socio::v1::GetNotificationSettingsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::NotificationSettings> SetNotificationSettings(
      const socio::v1::SetNotificationSettingsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListParkedDeliveriesResponse> ListParkedDeliveries(
      const socio::v1::ListParkedDeliveriesRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::NotificationService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_ENGAGEMENT_CLIENT_H_
