#include "services/delegation_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/grpc_status.h"
#include "services/match_policy.h"

namespace socio::services {
namespace {

// How long planning waits for the index to catch up with writes committed
// before it started.
constexpr absl::Duration kCatchUp = absl::Seconds(1);

grpc::Status Required(const char* field) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(field, ": is required"));
}

}  // namespace

DelegationServiceImpl::DelegationServiceImpl(storage::DelegationStore* delegations,
                                             const storage::ProfileStore* profiles,
                                             const storage::MatchPolicyStore* policies,
                                             const matcher::MatchIndex* index,
                                             const IndexFollower* follower,
                                             std::shared_ptr<const matcher::ScoringTables> tables)
    : delegations_(delegations),
      profiles_(profiles),
      policies_(policies),
      index_(index),
      follower_(follower),
      tables_(std::move(tables)),
      validator_(std::shared_ptr<const reference::ReferenceData>(tables_, &tables_->reference())) {}

absl::StatusOr<PlanningInputs> DelegationServiceImpl::InputsFor(
    const std::string& chamber_id) const {
  absl::StatusOr<socio::v1::MatchPolicy> policy = PolicyOrDefaults(*policies_, chamber_id);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<matcher::Weights> weights =
      matcher::NormalizeWeights(policy->weights(), "match policy weights");
  if (!weights.ok()) return weights.status();
  if (!follower_->WaitForSequence(profiles_->LastSequence(), kCatchUp)) {
    return absl::UnavailableError("the match index is still catching up with the profiles; retry");
  }
  return PlanningInputs{.profiles = profiles_,
                        .index = index_,
                        .tables = tables_.get(),
                        .validator = &validator_,
                        .weights = *weights,
                        .now = absl::Now()};
}

grpc::Status DelegationServiceImpl::CreateDelegation(
    grpc::ServerContext* /*context*/, const socio::v1::CreateDelegationRequest* request,
    socio::v1::Delegation* response) {
  if (!request->has_delegation()) return Required("delegation");
  absl::StatusOr<socio::v1::Delegation> created = delegations_->Create(request->delegation());
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::GetDelegation(grpc::ServerContext* /*context*/,
                                                  const socio::v1::GetDelegationRequest* request,
                                                  socio::v1::Delegation* response) {
  absl::StatusOr<socio::v1::Delegation> found = delegations_->Get(request->id());
  if (!found.ok()) return ToGrpcStatus(found.status());
  *response = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::UpdateDelegation(
    grpc::ServerContext* /*context*/, const socio::v1::UpdateDelegationRequest* request,
    socio::v1::Delegation* response) {
  if (!request->has_delegation()) return Required("delegation");
  absl::StatusOr<socio::v1::Delegation> updated = delegations_->Update(
      request->delegation(), request->update_mask(), request->expected_version());
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  *response = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::DeleteDelegation(
    grpc::ServerContext* /*context*/, const socio::v1::DeleteDelegationRequest* request,
    socio::v1::DeleteDelegationResponse* /*response*/) {
  return ToGrpcStatus(delegations_->Delete(request->id(), request->expected_version()));
}

grpc::Status DelegationServiceImpl::ListDelegations(
    grpc::ServerContext* /*context*/, const socio::v1::ListDelegationsRequest* request,
    socio::v1::ListDelegationsResponse* response) {
  auto page =
      delegations_->List(request->chamber_id(), request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (socio::v1::Delegation& d : page->first) *response->add_delegations() = std::move(d);
  response->set_next_page_token(page->second);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::PlanDelegation(grpc::ServerContext* /*context*/,
                                                   const socio::v1::PlanDelegationRequest* request,
                                                   socio::v1::Delegation* response) {
  absl::StatusOr<socio::v1::Delegation> delegation = delegations_->Get(request->id());
  if (!delegation.ok()) return ToGrpcStatus(delegation.status());
  if (request->expected_version() > 0 && request->expected_version() != delegation->version()) {
    return ToGrpcStatus(absl::AbortedError(
        absl::StrCat("delegation '", request->id(), "' is at version ", delegation->version(),
                     ", not ", request->expected_version(), ": read it again")));
  }
  absl::StatusOr<PlanningInputs> inputs = InputsFor(delegation->chamber_id());
  if (!inputs.ok()) return ToGrpcStatus(inputs.status());
  absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(*delegation, request->fresh(), *inputs);
  if (!plan.ok()) return ToGrpcStatus(plan.status());
  // Stored only if nobody changed the delegation while it was planned.
  absl::StatusOr<socio::v1::Delegation> stored =
      delegations_->SetPlan(request->id(), delegation->version(), *std::move(plan));
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  *response = *std::move(stored);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::RecommendDestinations(
    grpc::ServerContext* /*context*/, const socio::v1::RecommendDestinationsRequest* request,
    socio::v1::RecommendDestinationsResponse* response) {
  std::string chamber_id;
  if (request->delegate_ids_size() > 0) {
    // Scored with the first delegate's chamber's weights.
    absl::StatusOr<socio::v1::Profile> first = profiles_->Get(request->delegate_ids(0));
    if (first.ok()) chamber_id = first->chamber_id();
  }
  absl::StatusOr<PlanningInputs> inputs = InputsFor(chamber_id);
  if (!inputs.ok()) return ToGrpcStatus(inputs.status());
  absl::StatusOr<socio::v1::RecommendDestinationsResponse> ranked =
      RankDestinations(*request, *inputs);
  if (!ranked.ok()) return ToGrpcStatus(ranked.status());
  *response = *std::move(ranked);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::GetAgenda(grpc::ServerContext* /*context*/,
                                              const socio::v1::GetAgendaRequest* request,
                                              socio::v1::Agenda* response) {
  absl::StatusOr<socio::v1::Delegation> delegation = delegations_->Get(request->delegation_id());
  if (!delegation.ok()) return ToGrpcStatus(delegation.status());
  const PlanningInputs inputs{.profiles = profiles_, .tables = tables_.get()};
  absl::StatusOr<socio::v1::Agenda> agenda =
      MakeAgenda(*delegation, request->member_id(), request->format(), inputs);
  if (!agenda.ok()) return ToGrpcStatus(agenda.status());
  *response = *std::move(agenda);
  return grpc::Status::OK;
}

}  // namespace socio::services
