// EngagementService over gRPC: members mark interest in partners and ask
// each other for meetings; staff act for their chamber's members. Thin
// handlers over storage::EngagementStore (the marks, the requests and the
// notifications they cause) and the profiles they name.
//
// Who may do what (engagement_service.proto says it to clients):
// - A mark or a request is made for a member the caller acts for
//   (CheckActsFor: the member's token, its chamber's staff, operators), on a
//   partner that member may be proposed (PartnerVisible); a partner it may
//   not see is NOT_FOUND as a missing one.
// - A request is seen by the callers who act for either side; to anyone else
//   it does not exist (NOT_FOUND). Only the receiver's side answers, only the
//   requester's side withdraws (PERMISSION_DENIED for the other side), either
//   side cancels an accepted one.
// - A request inside a delegation names a delegation that has one company as
//   a delegate and the other as a host (named, or chosen by its host filter
//   for the last plan); the delegation is not shown to a
//   member, so a wrong one is NOT_FOUND whether or not it exists.
#ifndef SOCIO_SERVICES_ENGAGEMENT_SERVICE_H_
#define SOCIO_SERVICES_ENGAGEMENT_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "storage/delegation_store.h"
#include "storage/engagement_store.h"
#include "storage/match_policy_store.h"
#include "storage/request_ids.h"

namespace socio::services {

// What the service works with; none is owned, all must outlive it.
struct EngagementServiceParts {
  storage::EngagementStore* engagement = nullptr;
  storage::RequestIdStore* request_ids = nullptr;
  const ProfileLookup* profiles = nullptr;
  // For the receiver chamber's request_expiry_days; may be null (7 days).
  const storage::MatchPolicyStore* policies = nullptr;
  // For requests inside a delegation; may be null (then they are refused).
  const storage::DelegationStore* delegations = nullptr;
  const Authenticator* auth = nullptr;
  // Shows every answer to its caller (disclosure.h); may be null.
  const Disclosure* disclosure = nullptr;
  // Default: absl::Now. Tests move it past expiry.
  std::function<absl::Time()> clock;
};

class EngagementServiceImpl final : public socio::v1::EngagementService::Service {
 public:
  explicit EngagementServiceImpl(EngagementServiceParts parts);

  grpc::Status SetInterest(grpc::ServerContext* context,
                           const socio::v1::SetInterestRequest* request,
                           socio::v1::Interest* response) override;
  grpc::Status ListInterests(grpc::ServerContext* context,
                             const socio::v1::ListInterestsRequest* request,
                             socio::v1::ListInterestsResponse* response) override;
  grpc::Status CreateMeetingRequest(grpc::ServerContext* context,
                                    const socio::v1::CreateMeetingRequestRequest* request,
                                    socio::v1::MeetingRequest* response) override;
  grpc::Status GetMeetingRequest(grpc::ServerContext* context,
                                 const socio::v1::GetMeetingRequestRequest* request,
                                 socio::v1::MeetingRequest* response) override;
  grpc::Status ListMeetingRequests(grpc::ServerContext* context,
                                   const socio::v1::ListMeetingRequestsRequest* request,
                                   socio::v1::ListMeetingRequestsResponse* response) override;
  grpc::Status AnswerMeetingRequest(grpc::ServerContext* context,
                                    const socio::v1::AnswerMeetingRequestRequest* request,
                                    socio::v1::MeetingRequest* response) override;
  grpc::Status CancelMeetingRequest(grpc::ServerContext* context,
                                    const socio::v1::CancelMeetingRequestRequest* request,
                                    socio::v1::MeetingRequest* response) override;
  grpc::Status ListReveals(grpc::ServerContext* context,
                           const socio::v1::ListRevealsRequest* request,
                           socio::v1::ListRevealsResponse* response) override;

  // The summary line of a notification, in words the recipient reads
  // ("Huber GmbH asks to meet you"). Names come from the stored profiles.
  std::string Summarize(const socio::v1::Notification& notification) const;

 private:
  absl::Time Now() const;
  // "member", "staff:<chamber>" or "operator": who set a mark or moved a
  // request.
  static std::string By(const Caller& caller);
  // The member `id` if the caller may read it and act for it.
  absl::StatusOr<socio::v1::Profile> ActingFor(const Caller& caller, const std::string& id,
                                               absl::string_view field) const;
  // The request `id` if the caller acts for one of its sides (else
  // NOT_FOUND as a missing one), with whether it acts for each.
  struct Seen {
    socio::v1::MeetingRequest request;
    bool for_requester = false;
    bool for_receiver = false;
  };
  absl::StatusOr<Seen> SeenRequest(const Caller& caller, const std::string& id) const;
  // Whether `caller` acts for the stored profile `id` (false if none).
  bool ActsFor(const Caller& caller, const std::string& id) const;
  // OK if the delegation `id` names one of the two companies as a delegate
  // and the other as a host; NOT_FOUND naming request.delegation_id else.
  absl::Status CheckDelegationPair(const std::string& id, const std::string& a,
                                   const std::string& b) const;
  absl::Duration ExpiryOf(const std::string& chamber_id) const;

  const EngagementServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_ENGAGEMENT_SERVICE_H_
