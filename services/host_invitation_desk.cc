#include "services/host_invitation_desk.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/access.h"
#include "services/delegation_access.h"
#include "storage/host_invitations.h"

namespace socio::services {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Delegation;
using socio::v1::HostInvitation;

// The same answer whether the delegation is missing, hidden, or does not
// invite the host: an invited company cannot probe for delegations.
absl::Status NoInvitation(absl::string_view delegation_id, absl::string_view host_id) {
  return absl::NotFoundError(absl::StrCat(
      "host_id: '", host_id, "' has no invitation to delegation '", delegation_id, "'"));
}

HostInvitation::AnsweredBy AnsweredBy(const Caller& caller) {
  if (caller.is_admin()) return HostInvitation::OPERATOR;
  return caller.role == socio::v1::STAFF ? HostInvitation::STAFF : HostInvitation::MEMBER;
}

}  // namespace

socio::v1::HostInvitationListing ListingOf(const Delegation& d, const HostInvitation& invitation) {
  socio::v1::HostInvitationListing listing;
  listing.set_delegation_id(d.id());
  listing.set_delegation_name(d.name());
  listing.set_chamber_id(d.chamber_id());
  listing.set_host_chamber_id(d.host_chamber_id());
  std::vector<const socio::v1::ItineraryDay*> days;
  for (const socio::v1::ItineraryDay& day : d.days()) days.push_back(&day);
  std::sort(days.begin(), days.end(),
            [](const auto* a, const auto* b) { return a->date() < b->date(); });
  absl::flat_hash_set<std::string> seen;
  for (const socio::v1::ItineraryDay* day : days) {
    if (seen.insert(day->city()).second) listing.add_cities(day->city());
  }
  if (!days.empty()) {
    listing.set_first_date(days.front()->date());
    listing.set_last_date(days.back()->date());
  }
  *listing.mutable_invitation() = invitation;
  return listing;
}

HostInvitationDesk::HostInvitationDesk(HostInvitationDeskParts parts) : parts_(std::move(parts)) {}

absl::Time HostInvitationDesk::Now() const { return parts_.clock ? parts_.clock() : absl::Now(); }

absl::Status HostInvitationDesk::Invite(const Caller& caller,
                                        const socio::v1::InviteHostsRequest& request,
                                        const storage::RequestTicket* ticket,
                                        socio::v1::InviteHostsResponse* response) const {
  if (absl::Status s =
          ReadDelegation(*parts_.delegations, caller, request.delegation_id(), "delegation_id",
                         /*host_may=*/true)
              .status();
      !s.ok()) {
    return s;
  }
  const std::vector<std::string> host_ids(request.host_ids().begin(), request.host_ids().end());
  const absl::Time now = Now();
  std::vector<HostInvitation> sent;
  absl::StatusOr<Delegation> written = parts_.delegations->ChangeInvitations(
      request.delegation_id(),
      [&](Delegation* d) -> absl::StatusOr<storage::InvitationWrite> {
        // The delegation may have changed hands since it was read.
        const DelegationRole role = RoleIn(caller, *d);
        if (role == DelegationRole::kNone) return NoDelegation("delegation_id", d->id());
        const std::string& by = role == DelegationRole::kOrganiser || d->host_chamber_id().empty()
                                    ? d->chamber_id()
                                    : d->host_chamber_id();
        absl::Time deadline = now + storage::kDefaultInvitationPeriod;
        if (request.has_deadline()) {
          deadline = absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(request.deadline()));
        } else if (d->has_invitation_deadline()) {
          deadline =
              absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(d->invitation_deadline()));
        }
        absl::StatusOr<std::vector<socio::v1::Notification>> notices =
            storage::InviteHosts(d, host_ids, deadline, now, by, &sent);
        if (!notices.ok()) return notices.status();
        storage::InvitationWrite write{.notifications = *std::move(notices)};
        write.answer = [&sent](const Delegation& written) {
          socio::v1::InviteHostsResponse answer;
          for (const HostInvitation& invitation : sent) *answer.add_invitations() = invitation;
          *answer.mutable_summary() = written.invitation_summary();
          return answer.SerializeAsString();
        };
        return write;
      },
      ticket);
  if (!written.ok()) return written.status();
  response->Clear();
  for (HostInvitation& invitation : sent) *response->add_invitations() = std::move(invitation);
  *response->mutable_summary() = written->invitation_summary();
  return absl::OkStatus();
}

absl::Status HostInvitationDesk::Answer(const Caller& caller,
                                        const socio::v1::AnswerHostInvitationRequest& request,
                                        socio::v1::HostInvitation* response) const {
  if (request.delegation_id().empty()) {
    return absl::InvalidArgumentError("delegation_id: is required");
  }
  if (request.host_id().empty()) return absl::InvalidArgumentError("host_id: is required");
  absl::StatusOr<socio::v1::Profile> host =
      ReadProfile(*parts_.profiles, caller, request.host_id(), "host_id", parts_.disclosure);
  if (absl::IsNotFound(host.status())) {
    return NoInvitation(request.delegation_id(), request.host_id());
  }
  if (!host.ok()) return host.status();
  if (!CheckActsFor(caller, *host, "host_id").ok()) {
    return NoInvitation(request.delegation_id(), request.host_id());
  }
  const absl::Time now = Now();
  absl::StatusOr<Delegation> written = parts_.delegations->ChangeInvitations(
      request.delegation_id(), [&](Delegation* d) -> absl::StatusOr<storage::InvitationWrite> {
        absl::StatusOr<socio::v1::Notification> notice = storage::AnswerInvitation(
            d, request.host_id(), request.accept(), request.note(), AnsweredBy(caller), now);
        if (absl::IsNotFound(notice.status())) {
          return NoInvitation(request.delegation_id(), request.host_id());
        }
        if (!notice.ok()) return notice.status();
        return storage::InvitationWrite{.notifications = {*std::move(notice)}};
      });
  if (absl::IsNotFound(written.status())) {
    return NoInvitation(request.delegation_id(), request.host_id());
  }
  if (!written.ok()) return written.status();
  *response = *storage::FindInvitation(*written, request.host_id());
  return absl::OkStatus();
}

absl::Status HostInvitationDesk::List(const Caller& caller,
                                      const socio::v1::ListHostInvitationsRequest& request,
                                      socio::v1::ListHostInvitationsResponse* response) const {
  if (request.delegation_id().empty() == request.member_id().empty()) {
    return absl::InvalidArgumentError(
        "delegation_id: give either delegation_id or member_id, not both and not neither");
  }
  if (!request.delegation_id().empty()) {
    absl::StatusOr<DelegationRead> read = ReadDelegation(
        *parts_.delegations, caller, request.delegation_id(), "delegation_id", /*host_may=*/true);
    if (!read.ok()) return read.status();
    for (const HostInvitation& invitation : read->delegation.host_invitations()) {
      *response->add_listings() = ListingOf(read->delegation, invitation);
    }
    *response->mutable_summary() = storage::CountInvitations(read->delegation);
    return absl::OkStatus();
  }
  absl::StatusOr<socio::v1::Profile> member =
      ReadProfile(*parts_.profiles, caller, request.member_id(), "member_id", parts_.disclosure);
  if (!member.ok()) return member.status();
  if (absl::Status s = CheckActsFor(caller, *member, "member_id"); !s.ok()) return s;
  std::string token;
  do {
    auto page = parts_.delegations->List("", request.member_id(),
                                         storage::DelegationStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const Delegation& d : page->first) {
      const HostInvitation* invitation = storage::FindInvitation(d, request.member_id());
      if (invitation != nullptr) *response->add_listings() = ListingOf(d, *invitation);
    }
    token = page->second;
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace socio::services
