// DelegationService over gRPC: thin handlers over the DelegationStore (the
// delegations), planner/ (plans, agendas, destinations) and the
// PartnerSource the plans read profiles and scores from.
#ifndef SOCIO_SERVICES_DELEGATION_SERVICE_H_
#define SOCIO_SERVICES_DELEGATION_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "planner/planning_source.h"
#include "reference/reference_data.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/host_invitation_desk.h"
#include "services/pair_history.h"
#include "services/partner_source.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "storage/delegation_store.h"
#include "storage/engagement_store.h"
#include "storage/profile_validation.h"
#include "storage/request_ids.h"

namespace socio::services {

class DelegationServiceImpl final : public socio::v1::DelegationService::Service {
 public:
  // None of `delegations`, `request_ids` and `source` is owned; all must
  // outlive the service. `engagement` (may be null, where the members' marks
  // and requests are kept by another process): what members chose about
  // each other, added to a delegation's pairs when it is planned
  // (planner/member_choices.h). `invitation_clock` (default absl::Now):
  // what host invitations go by. `request_ids` remembers the answers to creates and
  // plans that carry a request_id. `source`: a LocalPartnerSource where the
  // profiles and the index are in this process, a RemotePartnerSource in the
  // planner role.
  DelegationServiceImpl(storage::DelegationStore* delegations, storage::RequestIdStore* request_ids,
                        const PartnerSource* source,
                        std::shared_ptr<const reference::ReferenceData> reference,
                        const Authenticator* auth, const Disclosure* disclosure,
                        const storage::EngagementStore* engagement = nullptr,
                        const PairHistory* history = nullptr,
                        std::function<absl::Time()> invitation_clock = nullptr);

  grpc::Status CreateDelegation(grpc::ServerContext* context,
                                const socio::v1::CreateDelegationRequest* request,
                                socio::v1::Delegation* response) override;
  grpc::Status GetDelegation(grpc::ServerContext* context,
                             const socio::v1::GetDelegationRequest* request,
                             socio::v1::Delegation* response) override;
  grpc::Status UpdateDelegation(grpc::ServerContext* context,
                                const socio::v1::UpdateDelegationRequest* request,
                                socio::v1::Delegation* response) override;
  grpc::Status DeleteDelegation(grpc::ServerContext* context,
                                const socio::v1::DeleteDelegationRequest* request,
                                socio::v1::DeleteDelegationResponse* response) override;
  grpc::Status ListDelegations(grpc::ServerContext* context,
                               const socio::v1::ListDelegationsRequest* request,
                               socio::v1::ListDelegationsResponse* response) override;
  grpc::Status PlanDelegation(grpc::ServerContext* context,
                              const socio::v1::PlanDelegationRequest* request,
                              socio::v1::Delegation* response) override;
  grpc::Status PublishPlan(grpc::ServerContext* context,
                           const socio::v1::PublishPlanRequest* request,
                           socio::v1::Delegation* response) override;
  grpc::Status RecommendDestinations(grpc::ServerContext* context,
                                     const socio::v1::RecommendDestinationsRequest* request,
                                     socio::v1::RecommendDestinationsResponse* response) override;
  grpc::Status GetAgenda(grpc::ServerContext* context, const socio::v1::GetAgendaRequest* request,
                         socio::v1::Agenda* response) override;
  grpc::Status InviteHosts(grpc::ServerContext* context,
                           const socio::v1::InviteHostsRequest* request,
                           socio::v1::InviteHostsResponse* response) override;
  grpc::Status AnswerHostInvitation(grpc::ServerContext* context,
                                    const socio::v1::AnswerHostInvitationRequest* request,
                                    socio::v1::HostInvitation* response) override;
  grpc::Status ListHostInvitations(grpc::ServerContext* context,
                                   const socio::v1::ListHostInvitationsRequest* request,
                                   socio::v1::ListHostInvitationsResponse* response) override;
  grpc::Status GetDelegationBriefing(grpc::ServerContext* context,
                                     const socio::v1::GetDelegationBriefingRequest* request,
                                     socio::v1::Briefing* response) override;

 private:
  // PlanDelegation's work once its retries are told apart: plans and stores
  // the plan, remembering it for `ticket` (may be null).
  absl::Status Plan(const Caller& caller, const socio::v1::PlanDelegationRequest& request,
                    const storage::RequestTicket* ticket, socio::v1::Delegation* response) const;
  // The notifications publishing `stored`'s plan writes
  // (planner/plan_notices.h), each company's partners named as that company
  // is shown them: by name where it may read them or be proposed them as
  // partners, else not at all.
  // `side`: BOTH, or the delegates or the hosts alone (each compared with
  // what that side was last told).
  std::vector<socio::v1::Notification> PublicationNotices(
      const socio::v1::Delegation& stored, socio::v1::PublishPlanRequest::Side side) const;
  // What planning reads, scoring with `chamber_id`'s weights.
  absl::StatusOr<planner::PlanningInputs> InputsFor(const std::string& chamber_id) const;
  // The chamber whose weights rank destinations for `request`'s delegates:
  // the first delegate's. NOT_FOUND or PERMISSION_DENIED naming the field for
  // a delegate the caller may not read or act for.
  absl::StatusOr<std::string> DelegatesChamber(
      const Caller& caller, const socio::v1::RecommendDestinationsRequest& request) const;
  // ListDelegations with a member_id: the delegations that name the company,
  // those the caller may not see whole as the company sees them
  // (ListDelegationsRequest.member_id says who sees what).
  absl::Status ListCompanyDelegations(const Caller& caller,
                                      const socio::v1::ListDelegationsRequest& request,
                                      socio::v1::ListDelegationsResponse* response) const;
  // OK if `caller` may read the agenda `request` asks for of `delegation`
  // (null if none is stored): the organising chamber's staff read every
  // agenda; others only the agenda of a company the delegation names that
  // they act for. Else NOT_FOUND "delegation_id: ...", worded as for a
  // delegation nobody stored.
  absl::Status CheckAgendaReader(const Caller& caller, const socio::v1::GetAgendaRequest& request,
                                 const socio::v1::Delegation* delegation) const;
  // The stored delegation if `caller` may read it (operators, the organising
  // and the host chamber's staff: delegation_access.h); else NOT_FOUND naming
  // `field`, worded alike whether the delegation is missing or the caller may
  // not see it. With `organisers_only` (what the caller means to do, in
  // words), PERMISSION_DENIED for the host chamber's staff.
  absl::StatusOr<socio::v1::Delegation> Authorized(const Caller& caller, const std::string& id,
                                                   absl::string_view field,
                                                   absl::string_view organisers_only = "") const;

  storage::DelegationStore* const delegations_;
  storage::RequestIdStore* const request_ids_;
  const PartnerSource* const source_;
  const std::shared_ptr<const reference::ReferenceData> reference_;
  const storage::ProfileValidator validator_;
  const Authenticator* const auth_;
  const Disclosure* const disclosure_;
  const storage::EngagementStore* const engagement_;
  // Pairs declined before are not planned; pairs met before are marked.
  // Null where marks and requests are kept by another process.
  const PairHistory* const history_;
  const HostInvitationDesk invitations_;
  // The delegation with the choices its companies made added to its pairs.
  absl::StatusOr<socio::v1::Delegation> WithMemberChoices(const socio::v1::Delegation& d) const;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_DELEGATION_SERVICE_H_
