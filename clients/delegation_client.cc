#include "clients/delegation_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::DelegationService;

DelegationClient::DelegationClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(DelegationService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::Delegation> DelegationClient::CreateDelegation(
    const socio::v1::CreateDelegationRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::CreateDelegation, request, call);
}

absl::StatusOr<socio::v1::Delegation> DelegationClient::GetDelegation(
    const socio::v1::GetDelegationRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::GetDelegation, request, call);
}

absl::StatusOr<socio::v1::Delegation> DelegationClient::UpdateDelegation(
    const socio::v1::UpdateDelegationRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::UpdateDelegation, request, call);
}

absl::StatusOr<socio::v1::DeleteDelegationResponse> DelegationClient::DeleteDelegation(
    const socio::v1::DeleteDelegationRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::DeleteDelegation, request, call);
}

absl::StatusOr<socio::v1::ListDelegationsResponse> DelegationClient::ListDelegations(
    const socio::v1::ListDelegationsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::ListDelegations, request, call);
}

absl::StatusOr<socio::v1::Delegation> DelegationClient::PlanDelegation(
    const socio::v1::PlanDelegationRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::PlanDelegation, request, call);
}

absl::StatusOr<socio::v1::Delegation> DelegationClient::PublishPlan(
    const socio::v1::PublishPlanRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::PublishPlan, request, call);
}

absl::StatusOr<socio::v1::RecommendDestinationsResponse> DelegationClient::RecommendDestinations(
    const socio::v1::RecommendDestinationsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::RecommendDestinations, request,
                        call);
}

absl::StatusOr<socio::v1::Agenda> DelegationClient::GetAgenda(
    const socio::v1::GetAgendaRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::GetAgenda, request, call);
}

absl::StatusOr<socio::v1::InviteHostsResponse> DelegationClient::InviteHosts(
    const socio::v1::InviteHostsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::InviteHosts, request, call);
}

absl::StatusOr<socio::v1::HostInvitation> DelegationClient::AnswerHostInvitation(
    const socio::v1::AnswerHostInvitationRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::AnswerHostInvitation, request, call);
}

absl::StatusOr<socio::v1::ListHostInvitationsResponse> DelegationClient::ListHostInvitations(
    const socio::v1::ListHostInvitationsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::ListHostInvitations, request, call);
}

absl::StatusOr<socio::v1::Briefing> DelegationClient::GetDelegationBriefing(
    const socio::v1::GetDelegationBriefingRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &DelegationService::Stub::GetDelegationBriefing, request,
                        call);
}

}  // namespace socio::clients
