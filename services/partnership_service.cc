#include "services/partnership_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "services/idempotency.h"

namespace socio::services {
namespace {

using socio::v1::Notification;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;
using socio::v1::Profile;
using storage::PartnershipStore;

// The answer for a partnership id that names none and for one the caller may
// not see alike.
absl::Status NoPartnership(absl::string_view field, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(field, ": no partnership '", id, "'"));
}

}  // namespace

PartnershipServiceImpl::PartnershipServiceImpl(PartnershipServiceParts parts)
    : parts_(std::move(parts)) {}

absl::Time PartnershipServiceImpl::Now() const {
  return parts_.clock ? parts_.clock() : absl::Now();
}

std::string PartnershipServiceImpl::By(const Caller& caller) {
  if (caller.role == socio::v1::MEMBER) return absl::StrCat("member:", caller.profile_id);
  if (caller.role == socio::v1::STAFF) return absl::StrCat("staff:", caller.chamber_id);
  return "operator";
}

bool PartnershipServiceImpl::ActsFor(const Caller& caller, const std::string& id) const {
  if (caller.is_admin()) return true;
  if (caller.is_member(id)) return true;
  if (caller.role != socio::v1::STAFF) return false;
  absl::StatusOr<Profile> profile = parts_.profiles->GetProfile(id);
  return profile.ok() && caller.is_staff_of(profile->chamber_id());
}

PartnershipStore::Actor PartnershipServiceImpl::SidesOf(const Caller& caller,
                                                        const Partnership& p) const {
  PartnershipStore::Actor actor{.by = By(caller)};
  if (caller.is_admin()) return actor;
  actor.first = caller.is_staff_of(p.first_chamber_id());
  actor.second = caller.is_staff_of(p.second_chamber_id());
  if (!storage::IsChamberPartnership(p)) {
    actor.first = actor.first || ActsFor(caller, p.first_member_id());
    actor.second = actor.second || ActsFor(caller, p.second_member_id());
  }
  return actor;
}

absl::StatusOr<PartnershipServiceImpl::Seen> PartnershipServiceImpl::SeenPartnership(
    const Caller& caller, const std::string& id, absl::string_view field) const {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  absl::StatusOr<Partnership> p = parts_.partnerships->Get(id);
  if (absl::IsNotFound(p.status())) return NoPartnership(field, id);
  if (!p.ok()) return p.status();
  Seen seen{.partnership = *std::move(p)};
  seen.actor = SidesOf(caller, seen.partnership);
  if (!caller.is_admin() && !seen.actor.first && !seen.actor.second) {
    return NoPartnership(field, id);
  }
  return seen;
}

absl::StatusOr<PartnershipStore::Actor> PartnershipServiceImpl::CheckNewCompanies(
    const Caller& caller, Partnership* p) const {
  for (const auto& [id, field] :
       {std::pair(&p->first_member_id(), "partnership.first_member_id"),
        std::pair(&p->second_member_id(), "partnership.second_member_id")}) {
    if (id->empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  if (p->first_member_id() == p->second_member_id()) {
    return absl::InvalidArgumentError(
        "partnership.second_member_id: a company cannot be in a partnership with itself");
  }
  // The company the caller acts for, and its partner.
  const bool for_first = ActsFor(caller, p->first_member_id());
  const bool for_second = ActsFor(caller, p->second_member_id());
  const bool mine_first = for_first || !for_second;
  const std::string& mine_id = mine_first ? p->first_member_id() : p->second_member_id();
  const std::string& other_id = mine_first ? p->second_member_id() : p->first_member_id();
  const char* mine_field =
      mine_first ? "partnership.first_member_id" : "partnership.second_member_id";
  const char* other_field =
      mine_first ? "partnership.second_member_id" : "partnership.first_member_id";
  absl::StatusOr<Profile> mine =
      ReadProfile(*parts_.profiles, caller, mine_id, mine_field, parts_.disclosure);
  if (!mine.ok()) return mine.status();
  if (absl::Status s = CheckActsFor(caller, *mine, mine_field); !s.ok()) return s;
  absl::StatusOr<Profile> other =
      ReadProfile(*parts_.profiles, caller, other_id, other_field, parts_.disclosure);
  if (!other.ok()) {
    if (!absl::IsNotFound(other.status())) return other.status();
    // Not readable: a partner the company may be proposed will do.
    other = parts_.profiles->GetProfile(other_id);
    if (!other.ok() && !absl::IsNotFound(other.status()) &&
        !absl::IsInvalidArgument(other.status())) {
      return other.status();
    }
    if (!other.ok() || !PartnerVisible(caller, *mine, *other, Now())) {
      return NoProfile(other_field, other_id);
    }
  }
  const Profile& first = mine_first ? *mine : *other;
  const Profile& second = mine_first ? *other : *mine;
  p->set_first_chamber_id(first.chamber_id());
  p->set_second_chamber_id(second.chamber_id());
  return PartnershipStore::Actor{.by = By(caller),
                                 .first = !caller.is_admin() && for_first,
                                 .second = !caller.is_admin() && for_second};
}

absl::StatusOr<PartnershipStore::Actor> PartnershipServiceImpl::CheckNewChambers(
    const Caller& caller, const Partnership& p) const {
  for (const auto& [id, field] :
       {std::pair(&p.first_chamber_id(), "partnership.first_chamber_id"),
        std::pair(&p.second_chamber_id(), "partnership.second_chamber_id")}) {
    if (id->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": is required for a partnership between chambers (or name two member ids)"));
    }
  }
  PartnershipStore::Actor actor{.by = By(caller)};
  if (caller.is_admin()) return actor;
  actor.first = caller.is_staff_of(p.first_chamber_id());
  actor.second = caller.is_staff_of(p.second_chamber_id());
  if (!actor.first && !actor.second) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller.Describe(), " may not create a partnership between chambers ", p.first_chamber_id(),
        " and ", p.second_chamber_id(), ": only the staff of either chamber may"));
  }
  return actor;
}

absl::Status PartnershipServiceImpl::CheckOriginRequest(const Partnership& p) const {
  const std::string& id = p.origin().source_request_id();
  if (id.empty()) return absl::OkStatus();
  if (storage::IsChamberPartnership(p)) {
    return absl::InvalidArgumentError(
        "partnership.origin.source_request_id: a partnership between chambers comes from no "
        "meeting request");
  }
  const absl::Status missing =
      absl::NotFoundError(absl::StrCat("partnership.origin.source_request_id: no meeting request '",
                                       id, "' between the two companies"));
  if (parts_.engagement == nullptr) return missing;
  absl::StatusOr<socio::v1::MeetingRequest> request = parts_.engagement->GetRequest(id);
  if (absl::IsNotFound(request.status()) || absl::IsInvalidArgument(request.status())) {
    return missing;
  }
  if (!request.ok()) return request.status();
  const bool same = (request->from_member_id() == p.first_member_id() &&
                     request->to_ref() == p.second_member_id()) ||
                    (request->from_member_id() == p.second_member_id() &&
                     request->to_ref() == p.first_member_id());
  return same ? absl::OkStatus() : missing;
}

absl::Status PartnershipServiceImpl::CheckOriginDelegation(const Partnership& p) const {
  const std::string& id = p.origin().source_delegation_id();
  if (id.empty()) return absl::OkStatus();
  const bool chambers = storage::IsChamberPartnership(p);
  const absl::Status missing = absl::NotFoundError(
      absl::StrCat("partnership.origin.source_delegation_id: no delegation '", id, "' of ",
                   chambers ? "either chamber" : "both companies"));
  if (parts_.delegations == nullptr) return missing;
  absl::StatusOr<socio::v1::Delegation> d = parts_.delegations->Get(id);
  if (absl::IsNotFound(d.status()) || absl::IsInvalidArgument(d.status())) return missing;
  if (!d.ok()) return d.status();
  if (chambers) {
    if (d->chamber_id() != p.first_chamber_id() && d->chamber_id() != p.second_chamber_id()) {
      return missing;
    }
    if (!p.origin().meeting_uid().empty()) {
      return absl::InvalidArgumentError(
          "partnership.origin.meeting_uid: a partnership between chambers comes from no meeting");
    }
    return absl::OkStatus();
  }
  // Companies: delegates, hosts named, or hosts the host filter chose.
  auto takes_part = [&](const std::string& member) {
    for (const auto* list : {&d->delegates(), &d->hosts()}) {
      for (const socio::v1::Participant& participant : *list) {
        if (participant.member_id() == member) return true;
      }
    }
    for (const std::string& host : d->plan().host_ids()) {
      if (host == member) return true;
    }
    return false;
  };
  if (!takes_part(p.first_member_id()) || !takes_part(p.second_member_id())) return missing;
  const std::string& uid = p.origin().meeting_uid();
  if (uid.empty()) return absl::OkStatus();
  for (const socio::v1::PlannedMeeting& m : d->plan().meetings()) {
    if (m.uid() != uid) continue;
    const bool pair =
        (m.delegate_id() == p.first_member_id() && m.host_id() == p.second_member_id()) ||
        (m.delegate_id() == p.second_member_id() && m.host_id() == p.first_member_id());
    if (pair) return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("partnership.origin.meeting_uid: no meeting '", uid,
                                          "' of the two companies in delegation ", id, "'s plan"));
}

std::string PartnershipServiceImpl::Summarize(const Notification& n) const {
  const Partnership& p = n.partnership();
  // The other party, as the recipient names it.
  std::string other;
  if (storage::IsChamberPartnership(p)) {
    const bool to_first = n.recipient() == storage::StaffRecipient(p.first_chamber_id());
    other = absl::StrCat("chamber ", to_first ? p.second_chamber_id() : p.first_chamber_id());
  } else {
    const std::string& id =
        n.recipient() == p.first_member_id() ? p.second_member_id() : p.first_member_id();
    absl::StatusOr<Profile> profile = parts_.profiles->GetProfile(id);
    other = profile.ok() && !profile->name().empty() ? profile->name() : id;
  }
  switch (n.kind()) {
    case Notification::PARTNERSHIP_CREATED:
      return absl::StrCat("A partnership with ", other, " was started",
                          p.title().empty() ? "" : absl::StrCat(": ", p.title()));
    case Notification::PARTNERSHIP_REVIEW_DUE:
      return absl::StrCat("A review of your partnership with ", other, " is due");
    case Notification::PARTNERSHIP_REVIEWED:
      return absl::StrCat("A review of your partnership with ", other, " was recorded");
    case Notification::PARTNERSHIP_STATUS_CHANGED:
      return absl::StrCat("Your partnership with ", other, " is now ",
                          Partnership::Status_Name(p.status()));
    default:
      return "";
  }
}

grpc::Status PartnershipServiceImpl::CreatePartnership(
    grpc::ServerContext* context, const socio::v1::CreatePartnershipRequest* request,
    Partnership* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response, [&](const Caller& caller) {
        return AnswerOnce(
            *parts_.request_ids, caller, "CreatePartnership", *request, response,
            [&](const storage::RequestTicket* ticket) -> absl::Status {
              if (!request->has_partnership()) {
                return absl::InvalidArgumentError("partnership: is required");
              }
              Partnership p = request->partnership();
              const bool companies = !p.first_member_id().empty() || !p.second_member_id().empty();
              absl::StatusOr<PartnershipStore::Actor> actor =
                  companies ? CheckNewCompanies(caller, &p) : CheckNewChambers(caller, p);
              if (!actor.ok()) return actor.status();
              if (absl::Status s = CheckOriginRequest(p); !s.ok()) return s;
              if (absl::Status s = CheckOriginDelegation(p); !s.ok()) return s;
              return Respond(parts_.partnerships->Create(
                                 std::move(p), *actor, ticket,
                                 [this](const Notification& n) { return Summarize(n); }),
                             response);
            });
      });
}

grpc::Status PartnershipServiceImpl::GetPartnership(grpc::ServerContext* context,
                                                    const socio::v1::GetPartnershipRequest* request,
                                                    Partnership* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Seen> seen = SeenPartnership(caller, request->id(), "id");
                 if (!seen.ok()) return seen.status();
                 *response = std::move(seen->partnership);
                 return absl::OkStatus();
               });
}

grpc::Status PartnershipServiceImpl::ListPartnerships(
    grpc::ServerContext* context, const socio::v1::ListPartnershipsRequest* request,
    socio::v1::ListPartnershipsResponse* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        PartnershipStore::Scope scope;
        if (!request->member_id().empty() && !request->chamber_id().empty()) {
          return absl::InvalidArgumentError(
              "chamber_id: name a member_id or a chamber_id, not both");
        }
        if (!request->member_id().empty()) {
          absl::StatusOr<Profile> member = ReadProfile(
              *parts_.profiles, caller, request->member_id(), "member_id", parts_.disclosure);
          if (!member.ok()) return member.status();
          if (absl::Status s = CheckActsFor(caller, *member, "member_id"); !s.ok()) return s;
          scope.member_id = member->id();
        } else if (!request->chamber_id().empty()) {
          if (absl::Status s = RequireChamber(caller, request->chamber_id(), "chamber_id");
              !s.ok()) {
            return s;
          }
          scope.chamber_id = request->chamber_id();
        } else if (caller.role == socio::v1::MEMBER) {
          scope.member_id = caller.profile_id;
        } else if (caller.role == socio::v1::STAFF) {
          scope.chamber_id = caller.chamber_id;
        } else {
          return absl::InvalidArgumentError(
              "member_id: a member_id or a chamber_id is required for an operator (whose "
              "partnerships?)");
        }
        for (int i = 0; i < request->statuses_size(); ++i) {
          const auto status = static_cast<Partnership::Status>(request->statuses(i));
          if (!Partnership::Status_IsValid(status) || status == Partnership::STATUS_UNSPECIFIED) {
            return absl::InvalidArgumentError(
                absl::StrCat("statuses[", i, "]: unknown value ", request->statuses(i)));
          }
          scope.statuses.push_back(status);
        }
        auto page = parts_.partnerships->List(scope, request->page_size(), request->page_token());
        if (!page.ok()) return page.status();
        for (Partnership& p : page->first) *response->add_partnerships() = std::move(p);
        response->set_next_page_token(std::move(page->second));
        return absl::OkStatus();
      });
}

grpc::Status PartnershipServiceImpl::UpdatePartnership(
    grpc::ServerContext* context, const socio::v1::UpdatePartnershipRequest* request,
    Partnership* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 if (!request->has_partnership()) {
                   return absl::InvalidArgumentError("partnership: is required");
                 }
                 absl::StatusOr<Seen> seen =
                     SeenPartnership(caller, request->partnership().id(), "partnership.id");
                 if (!seen.ok()) return seen.status();
                 return Respond(parts_.partnerships->Update(
                                    request->partnership(), request->update_mask(),
                                    request->expected_version(), seen->actor,
                                    [this](const Notification& n) { return Summarize(n); }),
                                response);
               });
}

grpc::Status PartnershipServiceImpl::RecordReview(grpc::ServerContext* context,
                                                  const socio::v1::RecordReviewRequest* request,
                                                  PartnershipReview* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Seen> seen =
                     SeenPartnership(caller, request->partnership_id(), "partnership_id");
                 if (!seen.ok()) return seen.status();
                 if (!request->has_review()) {
                   return absl::InvalidArgumentError("review: is required");
                 }
                 return Respond(
                     parts_.partnerships->RecordReview(
                         request->partnership_id(), request->review(), request->expected_version(),
                         seen->actor, [this](const Notification& n) { return Summarize(n); }),
                     response);
               });
}

grpc::Status PartnershipServiceImpl::ListReviews(grpc::ServerContext* context,
                                                 const socio::v1::ListReviewsRequest* request,
                                                 socio::v1::ListReviewsResponse* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Seen> seen =
                     SeenPartnership(caller, request->partnership_id(), "partnership_id");
                 if (!seen.ok()) return seen.status();
                 auto page = parts_.partnerships->ListReviews(
                     request->partnership_id(), request->page_size(), request->page_token());
                 if (!page.ok()) return page.status();
                 for (PartnershipReview& r : page->first) *response->add_reviews() = std::move(r);
                 response->set_next_page_token(std::move(page->second));
                 return absl::OkStatus();
               });
}

}  // namespace socio::services
