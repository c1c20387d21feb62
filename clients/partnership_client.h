// PartnershipClient: PartnershipService of a sociod (partnerships with shared
// goals and their reviews), one method per rpc, each answering the response
// or the call's error (code and message as the server gave them). Over a
// Channel (clients/channel.h); see ProfileClient (clients/profile_client.h)
// for an example.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_PARTNERSHIP_CLIENT_H_
#define SOCIO_CLIENTS_PARTNERSHIP_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/partnership_service.grpc.pb.h"

namespace socio::clients {

class PartnershipClient {
 public:
  explicit PartnershipClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::Partnership> CreatePartnership(
      const socio::v1::CreatePartnershipRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Partnership> GetPartnership(
      const socio::v1::GetPartnershipRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListPartnershipsResponse> ListPartnerships(
      const socio::v1::ListPartnershipsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Partnership> UpdatePartnership(
      const socio::v1::UpdatePartnershipRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::PartnershipReview> RecordReview(
      const socio::v1::RecordReviewRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListReviewsResponse> ListReviews(
      const socio::v1::ListReviewsRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::PartnershipService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_PARTNERSHIP_CLIENT_H_
