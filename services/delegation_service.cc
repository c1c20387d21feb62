#include "services/delegation_service.h"

#include <utility>

#include "absl/algorithm/container.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "matcher/scoring.h"
#include "services/access.h"
#include "services/grpc_status.h"
#include "storage/update_mask.h"

namespace socio::services {
namespace {

grpc::Status Required(const char* field) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(field, ": is required"));
}

}  // namespace

DelegationServiceImpl::DelegationServiceImpl(
    storage::DelegationStore* delegations, const PartnerSource* source,
    std::shared_ptr<const reference::ReferenceData> reference, const Authenticator* auth)
    : delegations_(delegations),
      source_(source),
      reference_(std::move(reference)),
      validator_(reference_),
      auth_(auth) {}

absl::StatusOr<socio::v1::Delegation> DelegationServiceImpl::Authorized(
    const Caller& caller, const std::string& id) const {
  absl::StatusOr<socio::v1::Delegation> delegation = delegations_->Get(id);
  if (!delegation.ok()) return delegation.status();
  if (absl::Status s = RequireChamber(caller, delegation->chamber_id(), "id"); !s.ok()) return s;
  return delegation;
}

absl::StatusOr<PlanningInputs> DelegationServiceImpl::InputsFor(
    const std::string& chamber_id) const {
  absl::StatusOr<socio::v1::FactorWeights> weights = source_->ChamberWeights(chamber_id);
  if (!weights.ok()) return weights.status();
  if (absl::Status s = matcher::NormalizeWeights(*weights, "match policy weights").status();
      !s.ok()) {
    return s;
  }
  return PlanningInputs{.source = source_,
                        .reference = reference_.get(),
                        .validator = &validator_,
                        .weights = *std::move(weights),
                        .now = absl::Now()};
}

grpc::Status DelegationServiceImpl::CreateDelegation(
    grpc::ServerContext* context, const socio::v1::CreateDelegationRequest* request,
    socio::v1::Delegation* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (!request->has_delegation()) return Required("delegation");
  if (absl::Status s = RequireChamber(*caller, request->delegation().chamber_id(),
                                      "delegation.chamber_id");
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<socio::v1::Delegation> created = delegations_->Create(request->delegation());
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::GetDelegation(grpc::ServerContext* context,
                                                  const socio::v1::GetDelegationRequest* request,
                                                  socio::v1::Delegation* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<socio::v1::Delegation> found = Authorized(*caller, request->id());
  if (!found.ok()) return ToGrpcStatus(found.status());
  *response = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::UpdateDelegation(
    grpc::ServerContext* context, const socio::v1::UpdateDelegationRequest* request,
    socio::v1::Delegation* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (!request->has_delegation()) return Required("delegation");
  absl::StatusOr<socio::v1::Delegation> stored = Authorized(*caller, request->delegation().id());
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  const bool moves =
      storage::UpdateWrites(request->delegation(), request->update_mask(), "chamber_id") &&
      request->delegation().chamber_id() != stored->chamber_id();
  if (absl::Status s = moves ? RequireChamber(*caller, request->delegation().chamber_id(),
                                              "delegation.chamber_id")
                             : absl::OkStatus();
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<socio::v1::Delegation> updated = delegations_->Update(
      request->delegation(), request->update_mask(), request->expected_version());
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  *response = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::DeleteDelegation(
    grpc::ServerContext* context, const socio::v1::DeleteDelegationRequest* request,
    socio::v1::DeleteDelegationResponse* /*response*/) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::StatusOr<socio::v1::Delegation> stored = Authorized(*caller, request->id());
      !stored.ok()) {
    return ToGrpcStatus(stored.status());
  }
  return ToGrpcStatus(delegations_->Delete(request->id(), request->expected_version()));
}

grpc::Status DelegationServiceImpl::ListDelegations(
    grpc::ServerContext* context, const socio::v1::ListDelegationsRequest* request,
    socio::v1::ListDelegationsResponse* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  // Staff who name no chamber mean their own.
  const std::string chamber_id =
      request->chamber_id().empty() && caller->role == socio::v1::STAFF ? caller->chamber_id
                                                                         : request->chamber_id();
  if (!caller->is_admin()) {
    if (absl::Status s = RequireChamber(*caller, chamber_id, "chamber_id"); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  auto page = delegations_->List(chamber_id, request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (socio::v1::Delegation& d : page->first) *response->add_delegations() = std::move(d);
  response->set_next_page_token(page->second);
  return grpc::Status::OK;
}

grpc::Status DelegationServiceImpl::PlanDelegation(grpc::ServerContext* context,
                                                   const socio::v1::PlanDelegationRequest* request,
                                                   socio::v1::Delegation* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<socio::v1::Delegation> delegation = Authorized(*caller, request->id());
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
    grpc::ServerContext* context, const socio::v1::RecommendDestinationsRequest* request,
    socio::v1::RecommendDestinationsResponse* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  for (int i = 0; i < request->delegate_ids_size(); ++i) {
    // Unknown ids are left to the ranking, which names them.
    absl::StatusOr<socio::v1::Profile> delegate = source_->GetProfile(request->delegate_ids(i));
    if (!delegate.ok()) continue;
    if (absl::Status s = CheckActsFor(*caller, *delegate, absl::StrCat("delegate_ids[", i, "]"));
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  std::string chamber_id;
  if (request->delegate_ids_size() > 0) {
    // Scored with the first delegate's chamber's weights.
    absl::StatusOr<socio::v1::Profile> first = source_->GetProfile(request->delegate_ids(0));
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

grpc::Status DelegationServiceImpl::GetAgenda(grpc::ServerContext* context,
                                              const socio::v1::GetAgendaRequest* request,
                                              socio::v1::Agenda* response) {
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<socio::v1::Delegation> delegation = delegations_->Get(request->delegation_id());
  if (!delegation.ok()) return ToGrpcStatus(delegation.status());
  // The organising chamber's staff read every agenda; a company's own agenda
  // is also open to the company and its chamber's staff.
  absl::Status allowed =
      RequireChamber(*caller, delegation->chamber_id(), "delegation_id");
  if (!allowed.ok() && !request->member_id().empty()) {
    absl::StatusOr<socio::v1::Profile> member = source_->GetProfile(request->member_id());
    if (member.ok()) allowed = CheckActsFor(*caller, *member, "member_id");
  }
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  const PlanningInputs inputs{.source = source_, .reference = reference_.get()};
  absl::StatusOr<socio::v1::Agenda> agenda =
      MakeAgenda(*delegation, request->member_id(), request->format(), inputs);
  if (!agenda.ok()) return ToGrpcStatus(agenda.status());
  *response = *std::move(agenda);
  return grpc::Status::OK;
}

}  // namespace socio::services
