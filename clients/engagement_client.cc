#include "clients/engagement_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::EngagementService;
using socio::v1::NotificationService;

EngagementClient::EngagementClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(EngagementService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::Interest> EngagementClient::SetInterest(
    const socio::v1::SetInterestRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::SetInterest, request, call);
}

absl::StatusOr<socio::v1::ListInterestsResponse> EngagementClient::ListInterests(
    const socio::v1::ListInterestsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::ListInterests, request, call);
}

absl::StatusOr<socio::v1::MeetingRequest> EngagementClient::CreateMeetingRequest(
    const socio::v1::CreateMeetingRequestRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::CreateMeetingRequest, request, call);
}

absl::StatusOr<socio::v1::MeetingRequest> EngagementClient::GetMeetingRequest(
    const socio::v1::GetMeetingRequestRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::GetMeetingRequest, request, call);
}

absl::StatusOr<socio::v1::ListMeetingRequestsResponse> EngagementClient::ListMeetingRequests(
    const socio::v1::ListMeetingRequestsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::ListMeetingRequests, request, call);
}

absl::StatusOr<socio::v1::MeetingRequest> EngagementClient::AnswerMeetingRequest(
    const socio::v1::AnswerMeetingRequestRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::AnswerMeetingRequest, request, call);
}

absl::StatusOr<socio::v1::MeetingRequest> EngagementClient::CancelMeetingRequest(
    const socio::v1::CancelMeetingRequestRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::CancelMeetingRequest, request, call);
}

absl::StatusOr<socio::v1::ListRevealsResponse> EngagementClient::ListReveals(
    const socio::v1::ListRevealsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &EngagementService::Stub::ListReveals, request, call);
}

NotificationClient::NotificationClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(NotificationService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<std::unique_ptr<ReadStream<socio::v1::Notification>>>
NotificationClient::WatchNotifications(const socio::v1::WatchNotificationsRequest& request,
                                       const CallOptions& call) const {
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> context =
      channel_->NewContext(call, /*streaming_read=*/true);
  if (!context.ok()) return context.status();
  auto reader = stub_->WatchNotifications(context->get(), request);
  return std::make_unique<ReadStream<socio::v1::Notification>>(*std::move(context),
                                                               std::move(reader));
}

absl::StatusOr<socio::v1::NotificationSettings> NotificationClient::GetNotificationSettings(
    const socio::v1::GetNotificationSettingsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &NotificationService::Stub::GetNotificationSettings, request,
                        call);
}

absl::StatusOr<socio::v1::NotificationSettings> NotificationClient::SetNotificationSettings(
    const socio::v1::SetNotificationSettingsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &NotificationService::Stub::SetNotificationSettings, request,
                        call);
}

absl::StatusOr<socio::v1::ListParkedDeliveriesResponse> NotificationClient::ListParkedDeliveries(
    const socio::v1::ListParkedDeliveriesRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &NotificationService::Stub::ListParkedDeliveries, request,
                        call);
}

}  // namespace socio::clients
