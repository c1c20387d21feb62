// DelegationService over gRPC: thin handlers over the DelegationStore (the
// delegations), delegation_planning.h (plans, agendas, destinations) and the
// match index the plans are scored with.
#ifndef SOCIO_SERVICES_DELEGATION_SERVICE_H_
#define SOCIO_SERVICES_DELEGATION_SERVICE_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "matcher/match_index.h"
#include "services/delegation_planning.h"
#include "services/index_follower.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "storage/delegation_store.h"
#include "storage/match_policy_store.h"
#include "storage/profile_store.h"
#include "storage/profile_validation.h"

namespace socio::services {

class DelegationServiceImpl final : public socio::v1::DelegationService::Service {
 public:
  // None is owned; all must outlive the service.
  DelegationServiceImpl(storage::DelegationStore* delegations,
                        const storage::ProfileStore* profiles,
                        const storage::MatchPolicyStore* policies, const matcher::MatchIndex* index,
                        const IndexFollower* follower,
                        std::shared_ptr<const matcher::ScoringTables> tables);

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
  grpc::Status RecommendDestinations(grpc::ServerContext* context,
                                     const socio::v1::RecommendDestinationsRequest* request,
                                     socio::v1::RecommendDestinationsResponse* response) override;
  grpc::Status GetAgenda(grpc::ServerContext* context, const socio::v1::GetAgendaRequest* request,
                         socio::v1::Agenda* response) override;

 private:
  // What planning reads, scoring with `chamber_id`'s weights, the index
  // caught up with the writes committed so far.
  absl::StatusOr<PlanningInputs> InputsFor(const std::string& chamber_id) const;

  storage::DelegationStore* const delegations_;
  const storage::ProfileStore* const profiles_;
  const storage::MatchPolicyStore* const policies_;
  const matcher::MatchIndex* const index_;
  const IndexFollower* const follower_;
  const std::shared_ptr<const matcher::ScoringTables> tables_;
  const storage::ProfileValidator validator_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_DELEGATION_SERVICE_H_
