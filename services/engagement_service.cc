#include "services/engagement_service.h"

#include <algorithm>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "services/idempotency.h"

namespace socio::services {
namespace {

using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using socio::v1::Profile;

constexpr int kDefaultExpiryDays = 7;

// The answer for a request id that names none and for one the caller may
// not see alike.
absl::Status NoRequest(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("id: no meeting request '", id, "'"));
}

std::string WindowText(const socio::v1::TimeWindow& w) {
  const absl::Time start =
      absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(w.start_time()));
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", start, absl::UTCTimeZone());
}

}  // namespace

EngagementServiceImpl::EngagementServiceImpl(EngagementServiceParts parts)
    : parts_(std::move(parts)) {}

absl::Time EngagementServiceImpl::Now() const {
  return parts_.clock ? parts_.clock() : absl::Now();
}

std::string EngagementServiceImpl::By(const Caller& caller) {
  if (caller.role == socio::v1::MEMBER) return "member";
  if (caller.role == socio::v1::STAFF) return absl::StrCat("staff:", caller.chamber_id);
  return "operator";
}

absl::StatusOr<Profile> EngagementServiceImpl::ActingFor(const Caller& caller,
                                                         const std::string& id,
                                                         absl::string_view field) const {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  // A company revealed to the caller is one it may read, not act for:
  // PERMISSION_DENIED, as for any other it may read.
  absl::StatusOr<Profile> member =
      ReadProfile(*parts_.profiles, caller, id, field, parts_.disclosure);
  if (!member.ok()) return member.status();
  if (absl::Status s = CheckActsFor(caller, *member, field); !s.ok()) return s;
  return member;
}

bool EngagementServiceImpl::ActsFor(const Caller& caller, const std::string& id) const {
  if (caller.is_admin()) return true;
  if (caller.is_member(id)) return true;
  if (caller.role != socio::v1::STAFF) return false;
  absl::StatusOr<Profile> profile = parts_.profiles->GetProfile(id);
  return profile.ok() && caller.is_staff_of(profile->chamber_id());
}

absl::StatusOr<EngagementServiceImpl::Seen> EngagementServiceImpl::SeenRequest(
    const Caller& caller, const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError("id: is required");
  absl::StatusOr<MeetingRequest> request = parts_.engagement->GetRequest(id);
  if (absl::IsNotFound(request.status())) return NoRequest(id);
  if (!request.ok()) return request.status();
  Seen seen{.request = *std::move(request)};
  seen.for_requester = ActsFor(caller, seen.request.from_member_id());
  seen.for_receiver = ActsFor(caller, seen.request.to_ref());
  if (!seen.for_requester && !seen.for_receiver) return NoRequest(id);
  return seen;
}

absl::Status EngagementServiceImpl::CheckDelegationPair(const std::string& id, const std::string& a,
                                                        const std::string& b) const {
  const absl::Status missing = absl::NotFoundError(absl::StrCat(
      "request.delegation_id: no delegation '", id, "' with ", a, " and ", b, " on its two sides"));
  if (parts_.delegations == nullptr) return missing;
  absl::StatusOr<socio::v1::Delegation> d = parts_.delegations->Get(id);
  if (absl::IsNotFound(d.status()) || absl::IsInvalidArgument(d.status())) return missing;
  if (!d.ok()) return d.status();
  auto has = [](const auto& participants, const std::string& member) {
    return std::any_of(participants.begin(), participants.end(),
                       [&](const socio::v1::Participant& p) { return p.member_id() == member; });
  };
  // Hosts: those named and those the host filter chose for the last plan.
  auto hosts = [&](const std::string& member) {
    return has(d->hosts(), member) || absl::c_linear_search(d->plan().host_ids(), member);
  };
  const bool ab = has(d->delegates(), a) && hosts(b);
  const bool ba = has(d->delegates(), b) && hosts(a);
  return ab || ba ? absl::OkStatus() : missing;
}

absl::Duration EngagementServiceImpl::ExpiryOf(const std::string& chamber_id) const {
  int days = kDefaultExpiryDays;
  if (parts_.policies != nullptr) {
    absl::StatusOr<socio::v1::MatchPolicy> policy = parts_.policies->Get(chamber_id);
    if (policy.ok() && policy->request_expiry_days() > 0) days = policy->request_expiry_days();
  }
  return absl::Hours(24) * days;
}

std::string EngagementServiceImpl::Summarize(const Notification& n) const {
  auto name = [this](const std::string& id) {
    absl::StatusOr<Profile> p = parts_.profiles->GetProfile(id);
    return p.ok() && !p->name().empty() ? p->name() : id;
  };
  const MeetingRequest& r = n.request();
  const bool to_requester = n.recipient() == r.from_member_id();
  switch (n.kind()) {
    case Notification::REQUEST_RECEIVED:
      return absl::StrCat(name(r.from_member_id()), " asks to meet you",
                          r.delegation_id().empty() ? "" : " during the delegation visit");
    case Notification::REQUEST_ACCEPTED: {
      const std::string when =
          r.has_accepted_window() ? absl::StrCat(" on ", WindowText(r.accepted_window())) : "";
      return to_requester
                 ? absl::StrCat(name(r.to_ref()), " accepted your meeting request", when)
                 : absl::StrCat("You accepted the meeting with ", name(r.from_member_id()), when);
    }
    case Notification::REQUEST_DECLINED:
      return absl::StrCat(name(r.to_ref()), " declined your meeting request");
    case Notification::REQUEST_EXPIRED:
      return absl::StrCat("Your meeting request to ", name(r.to_ref()),
                          " expired without an answer");
    case Notification::REQUEST_WITHDRAWN:
      return absl::StrCat(name(r.from_member_id()), " withdrew its meeting request");
    case Notification::REQUEST_CANCELLED:
      return absl::StrCat("The meeting with ", name(to_requester ? r.to_ref() : r.from_member_id()),
                          " was cancelled");
    case Notification::MUTUAL_INTEREST: {
      const Interest& i = n.interest();
      const std::string& other = i.member_id() == n.recipient() ? i.partner_ref() : i.member_id();
      return absl::StrCat("You and ", name(other), " are interested in each other");
    }
    default:
      return "";
  }
}

grpc::Status EngagementServiceImpl::SetInterest(grpc::ServerContext* context,
                                                const socio::v1::SetInterestRequest* request,
                                                socio::v1::Interest* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        absl::StatusOr<Profile> member = ActingFor(caller, request->member_id(), "member_id");
        if (!member.ok()) return member.status();
        if (!Interest::Mark_IsValid(request->mark())) {
          return absl::InvalidArgumentError(
              absl::StrCat("mark: unknown value ", static_cast<int>(request->mark())));
        }
        if (request->partner_ref().empty()) {
          return absl::InvalidArgumentError("partner_ref: is required");
        }
        if (request->partner_ref() == member->id()) {
          return absl::InvalidArgumentError("partner_ref: a member cannot mark itself");
        }
        // A mark is set on a partner the member may be proposed; one already set
        // may always be cleared.
        const bool clearing = request->mark() == Interest::MARK_UNSPECIFIED;
        absl::StatusOr<std::optional<Interest>> existing =
            parts_.engagement->GetInterest(member->id(), request->partner_ref());
        if (!existing.ok()) return existing.status();
        if (!(clearing && existing->has_value())) {
          absl::StatusOr<Profile> partner = parts_.profiles->GetProfile(request->partner_ref());
          if (!partner.ok() && !absl::IsNotFound(partner.status()) &&
              !absl::IsInvalidArgument(partner.status())) {
            return partner.status();
          }
          if (!partner.ok() || !PartnerVisible(caller, *member, *partner, Now())) {
            return NoProfile("partner_ref", request->partner_ref());
          }
        }
        return Respond(parts_.engagement->SetInterest(
                           member->id(), request->partner_ref(), request->mark(), By(caller),
                           [this](const Notification& n) { return Summarize(n); }),
                       response);
      });
}

grpc::Status EngagementServiceImpl::ListInterests(grpc::ServerContext* context,
                                                  const socio::v1::ListInterestsRequest* request,
                                                  socio::v1::ListInterestsResponse* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 std::string member_id = request->member_id();
                 std::function<bool(absl::string_view)> keep;
                 if (!member_id.empty()) {
                   if (absl::Status s = ActingFor(caller, member_id, "member_id").status(); !s.ok())
                     return s;
                 } else if (caller.role == socio::v1::MEMBER) {
                   member_id = caller.profile_id;
                 } else if (caller.role == socio::v1::STAFF) {
                   // The chamber's members' marks; each member's chamber read once.
                   auto chambers = std::make_shared<absl::flat_hash_map<std::string, bool>>();
                   keep = [this, caller, chambers](absl::string_view id) {
                     auto [it, inserted] = chambers->try_emplace(id, false);
                     if (inserted) it->second = ActsFor(caller, std::string(id));
                     return it->second;
                   };
                 }
                 auto page =
                     parts_.engagement->ListInterests(member_id, keep, request->mutual_only(),
                                                      request->page_size(), request->page_token());
                 if (!page.ok()) return page.status();
                 for (Interest& i : page->first) *response->add_interests() = std::move(i);
                 response->set_next_page_token(page->second);
                 return absl::OkStatus();
               });
}

grpc::Status EngagementServiceImpl::CreateMeetingRequest(
    grpc::ServerContext* context, const socio::v1::CreateMeetingRequestRequest* request,
    socio::v1::MeetingRequest* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response, [&](const Caller& caller) {
        return AnswerOnce(
            *parts_.request_ids, caller, "CreateMeetingRequest", *request, response,
            [&](const storage::RequestTicket* ticket) -> absl::Status {
              if (!request->has_request())
                return absl::InvalidArgumentError("request: is required");
              const MeetingRequest& r = request->request();
              absl::StatusOr<Profile> from =
                  ActingFor(caller, r.from_member_id(), "request.from_member_id");
              if (!from.ok()) return from.status();
              if (r.to_ref().empty())
                return absl::InvalidArgumentError("request.to_ref: is required");
              if (r.to_ref() == from->id()) {
                return absl::InvalidArgumentError(
                    "request.to_ref: a member cannot ask itself for a meeting");
              }
              absl::StatusOr<Profile> to = parts_.profiles->GetProfile(r.to_ref());
              if (!to.ok() && !absl::IsNotFound(to.status()) &&
                  !absl::IsInvalidArgument(to.status())) {
                return to.status();
              }
              if (!to.ok() || !PartnerVisible(caller, *from, *to, Now())) {
                return NoProfile("request.to_ref", r.to_ref());
              }
              if (!r.delegation_id().empty()) {
                if (absl::Status s = CheckDelegationPair(r.delegation_id(), from->id(), to->id());
                    !s.ok()) {
                  return s;
                }
              }
              return Respond(parts_.engagement->CreateRequest(
                                 r,
                                 {.from_chamber = from->chamber_id(),
                                  .to_chamber = to->chamber_id(),
                                  .expiry = ExpiryOf(to->chamber_id()),
                                  .by = By(caller)},
                                 ticket, [this](const Notification& n) { return Summarize(n); }),
                             response);
            });
      });
}

grpc::Status EngagementServiceImpl::GetMeetingRequest(
    grpc::ServerContext* context, const socio::v1::GetMeetingRequestRequest* request,
    socio::v1::MeetingRequest* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Seen> seen = SeenRequest(caller, request->id());
                 if (!seen.ok()) return seen.status();
                 *response = std::move(seen->request);
                 return absl::OkStatus();
               });
}

grpc::Status EngagementServiceImpl::ListMeetingRequests(
    grpc::ServerContext* context, const socio::v1::ListMeetingRequestsRequest* request,
    socio::v1::ListMeetingRequestsResponse* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        storage::EngagementStore::RequestScope scope;
        if (!request->member_id().empty()) {
          if (absl::Status s = ActingFor(caller, request->member_id(), "member_id").status();
              !s.ok()) {
            return s;
          }
          scope.member_id = request->member_id();
        } else if (caller.role == socio::v1::MEMBER) {
          scope.member_id = caller.profile_id;
        } else if (caller.role == socio::v1::STAFF) {
          scope.chamber_id = caller.chamber_id;
        } else {
          return absl::InvalidArgumentError(
              "member_id: is required for an operator (whose requests?)");
        }
        using Box = storage::EngagementStore::RequestScope::Box;
        switch (request->box()) {
          case socio::v1::ListMeetingRequestsRequest::SENT:
            scope.box = Box::kSent;
            break;
          case socio::v1::ListMeetingRequestsRequest::RECEIVED:
            scope.box = Box::kReceived;
            break;
          case socio::v1::ListMeetingRequestsRequest::BOX_UNSPECIFIED:
            break;
          default:
            return absl::InvalidArgumentError(
                absl::StrCat("box: unknown value ", static_cast<int>(request->box())));
        }
        if (!scope.chamber_id.empty() &&
            request->box() != socio::v1::ListMeetingRequestsRequest::BOX_UNSPECIFIED) {
          return absl::InvalidArgumentError("box: needs a member_id (sent or received by whom?)");
        }
        for (int i = 0; i < request->states_size(); ++i) {
          const auto state = static_cast<MeetingRequest::State>(request->states(i));
          if (!MeetingRequest::State_IsValid(state) || state == MeetingRequest::STATE_UNSPECIFIED) {
            return absl::InvalidArgumentError(
                absl::StrCat("states[", i, "]: unknown value ", request->states(i)));
          }
          scope.states.push_back(state);
        }
        auto page =
            parts_.engagement->ListRequests(scope, request->page_size(), request->page_token());
        if (!page.ok()) return page.status();
        for (MeetingRequest& r : page->first) *response->add_requests() = std::move(r);
        response->set_next_page_token(page->second);
        return absl::OkStatus();
      });
}

grpc::Status EngagementServiceImpl::AnswerMeetingRequest(
    grpc::ServerContext* context, const socio::v1::AnswerMeetingRequestRequest* request,
    socio::v1::MeetingRequest* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        absl::StatusOr<Seen> seen = SeenRequest(caller, request->id());
        if (!seen.ok()) return seen.status();
        if (!seen->for_receiver) {
          return absl::PermissionDeniedError(absl::StrCat(
              caller.Describe(), " may not answer request ", request->id(),
              ": only the receiving company (or its chamber's staff) answers; the requester may "
              "withdraw it"));
        }
        return Respond(
            parts_.engagement->Answer(request->id(),
                                      {.accept = request->accept(),
                                       .window = request->window(),
                                       .reason = request->reason(),
                                       .by = By(caller),
                                       .expected_version = request->expected_version()},
                                      [this](const Notification& n) { return Summarize(n); }),
            response);
      });
}

grpc::Status EngagementServiceImpl::CancelMeetingRequest(
    grpc::ServerContext* context, const socio::v1::CancelMeetingRequestRequest* request,
    socio::v1::MeetingRequest* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        absl::StatusOr<Seen> seen = SeenRequest(caller, request->id());
        if (!seen.ok()) return seen.status();
        // A caller for both sides (staff of both, operators) withdraws a PENDING
        // request as its requester; an ACCEPTED one either side may cancel.
        const bool pending = seen->request.state() == MeetingRequest::PENDING;
        if (pending && !seen->for_requester) {
          return absl::PermissionDeniedError(absl::StrCat(
              caller.Describe(), " may not withdraw request ", request->id(),
              ": only the requester withdraws a PENDING request; the receiver declines it"));
        }
        const std::string side =
            seen->for_requester ? seen->request.from_member_id() : seen->request.to_ref();
        return Respond(
            parts_.engagement->Cancel(request->id(),
                                      {.side = side,
                                       .reason = request->reason(),
                                       .by = By(caller),
                                       .expected_version = request->expected_version()},
                                      [this](const Notification& n) { return Summarize(n); }),
            response);
      });
}

grpc::Status EngagementServiceImpl::ListReveals(grpc::ServerContext* context,
                                                const socio::v1::ListRevealsRequest* request,
                                                socio::v1::ListRevealsResponse* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<Profile> profile =
                     ActingFor(caller, request->profile_id(), "profile_id");
                 if (!profile.ok()) return profile.status();
                 auto page = parts_.engagement->ListReveals(profile->id(), request->page_size(),
                                                            request->page_token());
                 if (!page.ok()) return page.status();
                 for (socio::v1::Reveal& reveal : page->first) {
                   *response->add_reveals() = std::move(reveal);
                 }
                 response->set_next_page_token(std::move(page->second));
                 return absl::OkStatus();
               });
}

}  // namespace socio::services
