// DelegationClient: DelegationService of a sociod (trade delegations), one method per rpc, each
// answering the response or the call's error (code and message as the
// server gave them). Over a Channel (clients/channel.h); see ProfileClient
// (clients/profile_client.h) for an example.
//
// GetDelegation, ListDelegations, RecommendDestinations, GetAgenda and
// ListHostInvitations, GetDelegationBriefing are retried on
// UNAVAILABLE (ClientOptions); the calls that write are not.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_DELEGATION_CLIENT_H_
#define SOCIO_CLIENTS_DELEGATION_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/delegation_service.grpc.pb.h"

namespace socio::clients {

class DelegationClient {
 public:
  explicit DelegationClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::Delegation> CreateDelegation(
      const socio::v1::CreateDelegationRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Delegation> GetDelegation(
      const socio::v1::GetDelegationRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Delegation> UpdateDelegation(
      const socio::v1::UpdateDelegationRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::DeleteDelegationResponse> DeleteDelegation(
      const socio::v1::DeleteDelegationRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListDelegationsResponse> ListDelegations(
      const socio::v1::ListDelegationsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Delegation> PlanDelegation(
      const socio::v1::PlanDelegationRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Delegation> PublishPlan(const socio::v1::PublishPlanRequest& request,
                                                    const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::RecommendDestinationsResponse> RecommendDestinations(
      const socio::v1::RecommendDestinationsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Agenda> GetAgenda(const socio::v1::GetAgendaRequest& request,
                                              const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::InviteHostsResponse> InviteHosts(
      const socio::v1::InviteHostsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::HostInvitation> AnswerHostInvitation(
      const socio::v1::AnswerHostInvitationRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListHostInvitationsResponse> ListHostInvitations(
      const socio::v1::ListHostInvitationsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Briefing> GetDelegationBriefing(
      const socio::v1::GetDelegationBriefingRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::DelegationService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_DELEGATION_CLIENT_H_
