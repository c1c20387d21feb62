#include "services/delegation_service.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "matcher/scoring.h"
#include "planner/delegation_agenda.h"
#include "planner/delegation_plan.h"
#include "planner/destinations.h"
#include "planner/member_choices.h"
#include "planner/past_pairs.h"
#include "planner/plan_exact.h"
#include "planner/plan_notices.h"
#include "planner/programme.h"
#include "reference/travel_times.h"
#include "services/access.h"
#include "services/briefing_reader.h"
#include "services/call_scope.h"
#include "services/delegation_access.h"
#include "services/idempotency.h"
#include "storage/delegation_store.h"
#include "storage/delegation_validation.h"
#include "storage/host_invitations.h"
#include "storage/notification_store.h"
#include "storage/update_mask.h"

namespace socio::services {
namespace {

// How many times UpdateDelegation without an expected_version checks and
// writes before it gives up on a delegation that keeps changing.
constexpr int kUpdateAttempts = 5;

absl::Status Required(const char* field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
}

// `d` as company `member_id` may see it when it is not the caller's to
// see whole (ListDelegationsRequest.member_id): its own part, no other
// company, and of the plan only when it was made and from which version.
socio::v1::Delegation AsCompanySeesIt(const socio::v1::Delegation& d,
                                      const std::string& member_id) {
  socio::v1::Delegation view = d;
  view.clear_delegates();
  view.clear_hosts();
  view.clear_pairs();
  view.clear_host_filter();
  for (const socio::v1::Participant& p : d.delegates()) {
    if (p.member_id() == member_id) *view.add_delegates() = p;
  }
  for (const socio::v1::Participant& p : d.hosts()) {
    if (p.member_id() == member_id) *view.add_hosts() = p;
  }
  // Its own invitation only; the others' answers are the chambers' to see.
  view.clear_host_invitations();
  view.clear_invitation_summary();
  for (const socio::v1::HostInvitation& invitation : d.host_invitations()) {
    if (invitation.host_id() == member_id) *view.add_host_invitations() = invitation;
  }
  if (d.has_plan()) {
    view.clear_plan();
    *view.mutable_plan()->mutable_plan_time() = d.plan().plan_time();
    view.mutable_plan()->set_delegation_version(d.plan().delegation_version());
  }
  // What every company was told: the company reads its own in GetAgenda.
  if (d.has_publication()) view.mutable_publication()->clear_meetings();
  // The programme items it attends, without the other attendees.
  view.clear_programme();
  const bool is_delegate = !view.delegates().empty();
  for (const socio::v1::ProgrammeItem& item : d.programme()) {
    if (!planner::Attends(item, member_id, is_delegate)) continue;
    socio::v1::ProgrammeItem* shown = view.add_programme();
    *shown = item;
    shown->clear_member_ids();
  }
  // Staff's travel times to the places of those items only.
  absl::flat_hash_set<std::string> places;
  for (const socio::v1::ProgrammeItem& item : view.programme()) {
    places.insert(reference::FoldPlace(item.place().name()));
  }
  view.clear_travel_times();
  for (const socio::v1::ProgrammeTravelTime& t : d.travel_times()) {
    if (places.contains(reference::FoldPlace(t.from())) ||
        places.contains(reference::FoldPlace(t.to()))) {
      *view.add_travel_times() = t;
    }
  }
  if (d.has_host_publication()) view.mutable_host_publication()->clear_meetings();
  return view;
}

// OK if every company `d` names is one it may name, written by `role`
// (delegation_access.h; `stored`: the delegation before the write, null for a
// new one); else INVALID_ARGUMENT naming the field
// (planner::CheckNamedCompanies).
absl::Status CheckNamedBy(DelegationRole role, const socio::v1::Delegation& d,
                          const socio::v1::Delegation* stored,
                          const planner::PlanningSource& profiles) {
  return planner::CheckNamedCompanies(d, profiles, CompaniesForWriter(role, d, stored),
                                      absl::StatusCode::kInvalidArgument);
}

// The fields of `request` planner::RankDestinations relies on, each
// INVALID_ARGUMENT naming the field.
absl::Status CheckDestinationsRequest(const socio::v1::RecommendDestinationsRequest& request,
                                      const storage::ProfileValidator& validator) {
  if (request.delegate_ids_size() < 1 || request.delegate_ids_size() > 200) {
    return absl::InvalidArgumentError(
        absl::StrCat("delegate_ids: give 1 to 200, got ", request.delegate_ids_size()));
  }
  if (request.k() < 0 || request.k() > 50) {
    return absl::InvalidArgumentError(
        absl::StrCat("k: must be 1 to 50 (0: 10), got ", request.k()));
  }
  for (int i = 0; i < request.exclude_countries_size(); ++i) {
    if (absl::Status s = validator.CheckCountry(absl::StrCat("exclude_countries[", i, "]"),
                                                request.exclude_countries(i));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// The chamber and companies an update of `stored` leaves for
// CheckChamberSeesCompanies to check: those of the fields it writes (AIP-134: an
// empty mask writes every field), and all of them if it moves the
// delegation to another chamber.
socio::v1::Delegation NamedByUpdate(const socio::v1::Delegation& stored,
                                    const socio::v1::Delegation& patch,
                                    const google::protobuf::FieldMask& mask) {
  const auto writes = [&](absl::string_view field) {
    return storage::UpdateWrites(patch, mask, field);
  };
  socio::v1::Delegation named;
  named.set_chamber_id(writes("chamber_id") ? patch.chamber_id() : stored.chamber_id());
  named.set_host_chamber_id(writes("host_chamber_id") ? patch.host_chamber_id()
                                                      : stored.host_chamber_id());
  const bool moves = named.chamber_id() != stored.chamber_id();
  const socio::v1::Delegation& delegates = writes("delegates") ? patch : stored;
  if (moves || writes("delegates")) *named.mutable_delegates() = delegates.delegates();
  // Hosts of the host chamber are checked again when it changes.
  const bool host_moves = named.host_chamber_id() != stored.host_chamber_id();
  const socio::v1::Delegation& hosts = writes("hosts") ? patch : stored;
  if (moves || host_moves || writes("hosts")) *named.mutable_hosts() = hosts.hosts();
  const socio::v1::Delegation& pairs = writes("pairs") ? patch : stored;
  if (moves || writes("pairs")) *named.mutable_pairs() = pairs.pairs();
  return named;
}

}  // namespace

DelegationServiceImpl::DelegationServiceImpl(
    storage::DelegationStore* delegations, storage::RequestIdStore* request_ids,
    const PartnerSource* source, std::shared_ptr<const reference::ReferenceData> reference,
    const Authenticator* auth, const Disclosure* disclosure,
    const storage::EngagementStore* engagement, const PairHistory* history,
    std::function<absl::Time()> invitation_clock)
    : delegations_(delegations),
      request_ids_(request_ids),
      source_(source),
      reference_(std::move(reference)),
      validator_(reference_),
      auth_(auth),
      disclosure_(disclosure),
      engagement_(engagement),
      history_(history),
      invitations_(HostInvitationDeskParts{.delegations = delegations,
                                           .profiles = source,
                                           .disclosure = disclosure,
                                           .clock = std::move(invitation_clock)}) {}

absl::StatusOr<socio::v1::Delegation> DelegationServiceImpl::WithMemberChoices(
    const socio::v1::Delegation& d) const {
  if (engagement_ == nullptr) return d;
  std::vector<socio::v1::Interest> marks;
  auto add_marks = [&](const auto& participants) -> absl::Status {
    for (const socio::v1::Participant& p : participants) {
      absl::StatusOr<std::vector<socio::v1::Interest>> of = engagement_->MarksOf(p.member_id());
      if (!of.ok()) return of.status();
      marks.insert(marks.end(), of->begin(), of->end());
    }
    return absl::OkStatus();
  };
  if (absl::Status s = add_marks(d.delegates()); !s.ok()) return s;
  if (absl::Status s = add_marks(d.hosts()); !s.ok()) return s;
  absl::StatusOr<std::vector<socio::v1::MeetingRequest>> accepted = engagement_->AcceptedIn(d.id());
  if (!accepted.ok()) return accepted.status();
  return planner::WithMemberChoices(d, marks, *accepted);
}

absl::StatusOr<socio::v1::Delegation> DelegationServiceImpl::Authorized(
    const Caller& caller, const std::string& id, absl::string_view field,
    absl::string_view organisers_only) const {
  absl::StatusOr<DelegationRead> read =
      ReadDelegation(*delegations_, caller, id, field, /*host_may=*/true);
  if (!read.ok()) return read.status();
  if (!organisers_only.empty()) {
    if (absl::Status s = RequireOrganiserSide(caller, read->role, field, organisers_only);
        !s.ok()) {
      return s;
    }
  }
  return std::move(read->delegation);
}

absl::StatusOr<planner::PlanningInputs> DelegationServiceImpl::InputsFor(
    const std::string& chamber_id) const {
  absl::StatusOr<socio::v1::FactorWeights> weights = source_->ChamberWeights(chamber_id);
  if (!weights.ok()) return weights.status();
  if (absl::Status s = matcher::NormalizeWeights(*weights, "match policy weights").status();
      !s.ok()) {
    return s;
  }
  return planner::PlanningInputs{.source = source_,
                                 .reference = reference_.get(),
                                 .weights = *std::move(weights),
                                 .now = absl::Now()};
}

grpc::Status DelegationServiceImpl::CreateDelegation(
    grpc::ServerContext* context, const socio::v1::CreateDelegationRequest* request,
    socio::v1::Delegation* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return AnswerOnce(
        *request_ids_, caller, "CreateDelegation", *request, response,
        [&](const storage::RequestTicket* ticket) -> absl::Status {
          if (!request->has_delegation()) return Required("delegation");
          if (absl::Status s = RequireChamber(caller, request->delegation().chamber_id(),
                                              "delegation.chamber_id");
              !s.ok()) {
            return s;
          }
          // The form first, then whether the chamber may see the companies named.
          if (absl::Status s = storage::ValidateDelegation(request->delegation(), *reference_);
              !s.ok()) {
            return s;
          }
          if (absl::Status s = CheckNamedBy(RoleIn(caller, request->delegation()),
                                            request->delegation(), nullptr, *source_);
              !s.ok()) {
            return s;
          }
          return Respond(delegations_->Create(request->delegation(), ticket), response);
        });
  });
}

grpc::Status DelegationServiceImpl::GetDelegation(grpc::ServerContext* context,
                                                  const socio::v1::GetDelegationRequest* request,
                                                  socio::v1::Delegation* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return Respond(Authorized(caller, request->id(), "id"), response);
  });
}

grpc::Status DelegationServiceImpl::UpdateDelegation(
    grpc::ServerContext* context, const socio::v1::UpdateDelegationRequest* request,
    socio::v1::Delegation* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (!request->has_delegation()) return Required("delegation");
        // The companies are checked against the version read, and only that
        // version is written: a concurrent update (another chamber, other pairs)
        // must not slip between the check and the write. A caller who named no
        // version gets the checks and the write again, up to kUpdateAttempts.
        absl::StatusOr<socio::v1::Delegation> updated;
        for (int attempt = 1;; ++attempt) {
          absl::StatusOr<DelegationRead> read = ReadDelegation(
              *delegations_, caller, request->delegation().id(), "delegation.id", true);
          if (!read.ok()) return read.status();
          const socio::v1::Delegation* stored = &read->delegation;
          if (read->role == DelegationRole::kHost) {
            if (absl::Status s = CheckHostSideUpdate(request->delegation(), request->update_mask());
                !s.ok()) {
              return s;
            }
          }
          const socio::v1::Delegation named =
              NamedByUpdate(*stored, request->delegation(), request->update_mask());
          if (named.chamber_id() != stored->chamber_id()) {
            if (absl::Status s =
                    RequireChamber(caller, named.chamber_id(), "delegation.chamber_id");
                !s.ok()) {
              return s;
            }
          }
          if (absl::Status s = CheckNamedBy(read->role, named, stored, *source_); !s.ok()) {
            return s;
          }
          const bool any_version = request->expected_version() == 0;
          updated =
              delegations_->Update(request->delegation(), request->update_mask(),
                                   any_version ? stored->version() : request->expected_version());
          if (!any_version || !absl::IsAborted(updated.status())) break;
          if (attempt == kUpdateAttempts) {
            return absl::AbortedError(absl::StrCat("delegation '", request->delegation().id(),
                                                   "' changed while it was updated, ", attempt,
                                                   " times; try again"));
          }
        }
        return Respond(std::move(updated), response);
      });
}

grpc::Status DelegationServiceImpl::DeleteDelegation(
    grpc::ServerContext* context, const socio::v1::DeleteDelegationRequest* request,
    socio::v1::DeleteDelegationResponse* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 if (absl::StatusOr<socio::v1::Delegation> stored =
                         Authorized(caller, request->id(), "id", "deleting the delegation");
                     !stored.ok()) {
                   return stored.status();
                 }
                 return delegations_->Delete(request->id(), request->expected_version());
               });
}

grpc::Status DelegationServiceImpl::ListDelegations(
    grpc::ServerContext* context, const socio::v1::ListDelegationsRequest* request,
    socio::v1::ListDelegationsResponse* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 if (!request->member_id().empty())
                   return ListCompanyDelegations(caller, *request, response);
                 // Staff who name no chamber mean their own.
                 const std::string chamber_id =
                     request->chamber_id().empty() && caller.role == socio::v1::STAFF
                         ? caller.chamber_id
                         : request->chamber_id();
                 if (!caller.is_admin()) {
                   if (absl::Status s = RequireChamber(caller, chamber_id, "chamber_id"); !s.ok())
                     return s;
                 }
                 auto page = delegations_->List(chamber_id, /*member_id=*/"", request->page_size(),
                                                request->page_token());
                 if (!page.ok()) return page.status();
                 for (socio::v1::Delegation& d : page->first)
                   *response->add_delegations() = std::move(d);
                 response->set_next_page_token(page->second);
                 return absl::OkStatus();
               });
}

absl::Status DelegationServiceImpl::ListCompanyDelegations(
    const Caller& caller, const socio::v1::ListDelegationsRequest& request,
    socio::v1::ListDelegationsResponse* response) const {
  absl::StatusOr<socio::v1::Profile> member =
      ReadProfile(*source_, caller, request.member_id(), "member_id", disclosure_);
  if (!member.ok()) return member.status();
  std::string chamber_id = request.chamber_id();
  // Who may not act for the company (staff of another chamber) lists only
  // the delegations of its own chamber that name it.
  if (!CheckActsFor(caller, *member, "member_id").ok()) {
    if (chamber_id.empty()) chamber_id = caller.chamber_id;
    if (absl::Status s = RequireChamber(caller, chamber_id, "chamber_id"); !s.ok()) return s;
  }
  auto page = delegations_->List(chamber_id, request.member_id(), request.page_size(),
                                 request.page_token());
  if (!page.ok()) return page.status();
  for (socio::v1::Delegation& d : page->first) {
    *response->add_delegations() = RoleIn(caller, d) != DelegationRole::kNone
                                       ? std::move(d)
                                       : AsCompanySeesIt(d, request.member_id());
  }
  response->set_next_page_token(page->second);
  return absl::OkStatus();
}

grpc::Status DelegationServiceImpl::PlanDelegation(grpc::ServerContext* context,
                                                   const socio::v1::PlanDelegationRequest* request,
                                                   socio::v1::Delegation* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return AnswerOnce(*request_ids_, caller, "PlanDelegation", *request, response,
                      [&](const storage::RequestTicket* ticket) {
                        return Plan(caller, *request, ticket, response);
                      });
  });
}

absl::Status DelegationServiceImpl::Plan(const Caller& caller,
                                         const socio::v1::PlanDelegationRequest& request,
                                         const storage::RequestTicket* ticket,
                                         socio::v1::Delegation* response) const {
  absl::StatusOr<socio::v1::Delegation> delegation =
      Authorized(caller, request.id(), "id", "planning the delegation");
  if (!delegation.ok()) return delegation.status();
  if (request.expected_version() > 0 && request.expected_version() != delegation->version()) {
    return absl::AbortedError(absl::StrCat("delegation '", request.id(), "' is at version ",
                                           delegation->version(), ", not ",
                                           request.expected_version(), ": read it again"));
  }
  absl::StatusOr<planner::PlanningInputs> inputs = InputsFor(delegation->chamber_id());
  if (!inputs.ok()) return inputs.status();
  // With require_host_acceptance, only the accepted hosts.
  std::vector<socio::v1::HostInvitationOmission> left_out;
  int filter_held_back = 0;
  absl::StatusOr<socio::v1::Delegation> chosen =
      WithMemberChoices(storage::ScheduledPart(*delegation, &left_out, &filter_held_back));
  if (!chosen.ok()) return chosen.status();
  PairHistory::ForPlan past;
  if (history_ != nullptr) {
    // The plan is read by the organising chamber's staff: no history of an
    // anonymous company of another chamber, which would tell who it is.
    absl::StatusOr<PairHistory::ForPlan> read =
        history_->ReadForPlan(*chosen, [&](const std::string& id) {
          absl::StatusOr<socio::v1::Profile> company = source_->GetProfile(id);
          return company.ok() &&
                 (!company->anonymous() || company->chamber_id() == delegation->chamber_id());
        });
    if (!read.ok()) return read.status();
    past = *std::move(read);
  }
  absl::StatusOr<socio::v1::DelegationPlan> plan = planner::MakePlan(
      planner::WithExcludedPairs(*chosen, past.excluded), request.fresh(),
      DelegationCompanies(*delegation, /*any_host_member=*/true), *inputs,
      {.exact_solver = &planner::GlpkPlanSolver()});  // kAuto: exact where small enough
  if (!plan.ok()) return plan.status();
  planner::MarkMetBefore(past.met, &*plan);
  for (socio::v1::HostInvitationOmission& omission : left_out) {
    *plan->add_hosts_left_out() = std::move(omission);
  }
  plan->set_filter_hosts_held_back(filter_held_back);
  // Stored only if nobody changed the delegation while it was planned.
  return Respond(
      delegations_->SetPlan(request.id(), delegation->version(), *std::move(plan), ticket),
      response);
}

grpc::Status DelegationServiceImpl::PublishPlan(grpc::ServerContext* context,
                                                const socio::v1::PublishPlanRequest* request,
                                                socio::v1::Delegation* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return AnswerOnce(
        *request_ids_, caller, "PublishPlan", *request, response,
        [&](const storage::RequestTicket* ticket) -> absl::Status {
          absl::StatusOr<DelegationRead> read =
              ReadDelegation(*delegations_, caller, request->id(), "id", /*host_may=*/true);
          if (!read.ok()) return read.status();
          absl::StatusOr<socio::v1::PublishPlanRequest::Side> side =
              PublishSide(caller, read->role, read->delegation, request->side());
          if (!side.ok()) return side.status();
          // The version the caller was allowed to publish is the one published.
          const int64_t version = request->expected_version() > 0 ? request->expected_version()
                                                                  : read->delegation.version();
          return Respond(delegations_->Publish(
                             request->id(), version,
                             [this, side = *side](const socio::v1::Delegation& stored) {
                               return PublicationNotices(stored, side);
                             },
                             ticket, *side == socio::v1::PublishPlanRequest::HOSTS),
                         response);
        });
  });
}

std::vector<socio::v1::Notification> DelegationServiceImpl::PublicationNotices(
    const socio::v1::Delegation& stored, socio::v1::PublishPlanRequest::Side side) const {
  const absl::Time now = absl::Now();
  // Pointer-stable: a name looks up two profiles and holds the first.
  std::map<std::string, std::optional<socio::v1::Profile>> profiles;
  auto profile = [&](const std::string& id) -> const socio::v1::Profile* {
    auto [it, inserted] = profiles.try_emplace(id);
    if (inserted) {
      absl::StatusOr<socio::v1::Profile> read = source_->GetProfile(id);
      // A company that cannot be read now (deleted, unreachable) is not named.
      if (read.ok()) it->second = *std::move(read);
    }
    return it->second ? &*it->second : nullptr;
  };
  const planner::PartnerName name = [&](const std::string& recipient,
                                        const std::string& partner) -> std::string {
    const socio::v1::Profile* other = profile(partner);
    if (other == nullptr) return "";
    const Caller as_recipient{.role = socio::v1::MEMBER, .profile_id = recipient};
    const socio::v1::Profile* member = profile(recipient);
    const bool shown = CanRead(as_recipient, *other) ||
                       (member != nullptr && PartnerVisible(as_recipient, *member, *other, now));
    if (!shown) return "";
    std::string handle = CallerAccess(as_recipient, disclosure_).Pseudonym(*other);
    return handle.empty() ? other->name() : handle;
  };
  if (side == socio::v1::PublishPlanRequest::BOTH) {
    return planner::PublicationNotices(stored, name, storage::StaffRecipient(stored.chamber_id()));
  }
  // One side: its companies, compared with what that side was last told.
  absl::flat_hash_set<std::string> delegates;
  for (const socio::v1::Participant& p : stored.delegates()) delegates.insert(p.member_id());
  for (const socio::v1::PlannedMeeting& m : stored.plan().meetings()) {
    delegates.insert(m.delegate_id());
  }
  const bool hosts = side == socio::v1::PublishPlanRequest::HOSTS;
  socio::v1::Delegation told = stored;
  told.clear_publication();
  if (hosts && stored.has_host_publication())
    *told.mutable_publication() = stored.host_publication();
  if (!hosts && stored.has_publication()) *told.mutable_publication() = stored.publication();
  return planner::PublicationNotices(
      told, name, storage::StaffRecipient(hosts ? stored.host_chamber_id() : stored.chamber_id()),
      [&](const std::string& id) { return delegates.contains(id) != hosts; });
}

absl::StatusOr<std::string> DelegationServiceImpl::DelegatesChamber(
    const Caller& caller, const socio::v1::RecommendDestinationsRequest& request) const {
  std::string chamber_id;
  for (int i = 0; i < request.delegate_ids_size(); ++i) {
    const std::string field = absl::StrCat("delegate_ids[", i, "]");
    absl::StatusOr<socio::v1::Profile> delegate =
        ReadProfile(*source_, caller, request.delegate_ids(i), field, disclosure_);
    if (!delegate.ok()) return delegate.status();
    if (absl::Status s = CheckActsFor(caller, *delegate, field); !s.ok()) return s;
    if (i == 0) chamber_id = delegate->chamber_id();
  }
  return chamber_id;
}

grpc::Status DelegationServiceImpl::RecommendDestinations(
    grpc::ServerContext* context, const socio::v1::RecommendDestinationsRequest* request,
    socio::v1::RecommendDestinationsResponse* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        // Scored with the first delegate's chamber's weights.
        absl::StatusOr<std::string> chamber_id = DelegatesChamber(caller, *request);
        if (!chamber_id.ok()) return chamber_id.status();
        absl::StatusOr<planner::PlanningInputs> inputs = InputsFor(*chamber_id);
        if (!inputs.ok()) return inputs.status();
        if (absl::Status s = CheckDestinationsRequest(*request, validator_); !s.ok()) return s;
        return Respond(
            planner::RankDestinations(*request, CallerAccess(caller, disclosure_), *inputs),
            response);
      });
}

absl::Status DelegationServiceImpl::CheckAgendaReader(
    const Caller& caller, const socio::v1::GetAgendaRequest& request,
    const socio::v1::Delegation* delegation) const {
  // Both chambers that plan it read every agenda.
  if (delegation != nullptr && RoleIn(caller, *delegation) != DelegationRole::kNone) {
    return absl::OkStatus();
  }
  if (delegation != nullptr && !request.member_id().empty()) {
    absl::StatusOr<socio::v1::Profile> member =
        ReadProfile(*source_, caller, request.member_id(), "member_id", disclosure_);
    if (!member.ok() && !absl::IsNotFound(member.status())) return member.status();
    if (member.ok() && CheckActsFor(caller, *member, "member_id").ok() &&
        storage::DelegationNamesCompany(*delegation, request.member_id())) {
      return absl::OkStatus();
    }
  }
  return NoDelegation("delegation_id", request.delegation_id());
}

grpc::Status DelegationServiceImpl::GetAgenda(grpc::ServerContext* context,
                                              const socio::v1::GetAgendaRequest* request,
                                              socio::v1::Agenda* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        absl::StatusOr<socio::v1::Delegation> delegation =
            delegations_->Get(request->delegation_id());
        if (!delegation.ok() && !absl::IsNotFound(delegation.status())) return delegation.status();
        if (absl::Status s =
                CheckAgendaReader(caller, *request, delegation.ok() ? &*delegation : nullptr);
            !s.ok()) {
          return s;
        }
        const planner::PlanningInputs inputs{
            .source = source_, .reference = reference_.get(), .now = absl::Now()};
        return Respond(planner::MakeAgenda(*delegation, request->member_id(), request->format(),
                                           CallerAccess(caller, disclosure_), inputs),
                       response);
      });
}

grpc::Status DelegationServiceImpl::InviteHosts(grpc::ServerContext* context,
                                                const socio::v1::InviteHostsRequest* request,
                                                socio::v1::InviteHostsResponse* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return AnswerOnce(*request_ids_, caller, "InviteHosts", *request, response,
                      [&](const storage::RequestTicket* ticket) {
                        return invitations_.Invite(caller, *request, ticket, response);
                      });
  });
}

grpc::Status DelegationServiceImpl::AnswerHostInvitation(
    grpc::ServerContext* context, const socio::v1::AnswerHostInvitationRequest* request,
    socio::v1::HostInvitation* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return invitations_.Answer(caller, *request, response);
  });
}

grpc::Status DelegationServiceImpl::ListHostInvitations(
    grpc::ServerContext* context, const socio::v1::ListHostInvitationsRequest* request,
    socio::v1::ListHostInvitationsResponse* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) { return invitations_.List(caller, *request, response); });
}

grpc::Status DelegationServiceImpl::GetDelegationBriefing(
    grpc::ServerContext* context, const socio::v1::GetDelegationBriefingRequest* request,
    socio::v1::Briefing* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return Respond(
        ReadBriefing(caller, *request, *delegations_, *source_, *reference_, disclosure_),
        response);
  });
}

}  // namespace socio::services
