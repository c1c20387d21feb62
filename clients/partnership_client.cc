#include "clients/partnership_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::PartnershipService;

PartnershipClient::PartnershipClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(PartnershipService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::Partnership> PartnershipClient::CreatePartnership(
    const socio::v1::CreatePartnershipRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &PartnershipService::Stub::CreatePartnership, request, call);
}

absl::StatusOr<socio::v1::Partnership> PartnershipClient::GetPartnership(
    const socio::v1::GetPartnershipRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &PartnershipService::Stub::GetPartnership, request, call);
}

absl::StatusOr<socio::v1::ListPartnershipsResponse> PartnershipClient::ListPartnerships(
    const socio::v1::ListPartnershipsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &PartnershipService::Stub::ListPartnerships, request, call);
}

absl::StatusOr<socio::v1::Partnership> PartnershipClient::UpdatePartnership(
    const socio::v1::UpdatePartnershipRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &PartnershipService::Stub::UpdatePartnership, request, call);
}

absl::StatusOr<socio::v1::PartnershipReview> PartnershipClient::RecordReview(
    const socio::v1::RecordReviewRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &PartnershipService::Stub::RecordReview, request, call);
}

absl::StatusOr<socio::v1::ListReviewsResponse> PartnershipClient::ListReviews(
    const socio::v1::ListReviewsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &PartnershipService::Stub::ListReviews, request, call);
}

}  // namespace socio::clients
