#include "services/briefing_reader.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "briefing/briefing.h"
#include "services/access.h"
#include "services/delegation_access.h"

namespace socio::services {
namespace {

// The companies `d` names, delegates first, each once, as `caller` sees
// them.
absl::StatusOr<std::vector<briefing::BriefingParticipant>> Participants(
    const Caller& caller, const socio::v1::Delegation& d, const PartnerSource& source,
    const Disclosure* disclosure) {
  std::vector<std::pair<std::string, bool>> ids;  // (member id, delegate)
  absl::flat_hash_set<std::string> seen;
  const auto add = [&](const std::string& id, bool delegate) {
    if (!id.empty() && seen.insert(id).second) ids.emplace_back(id, delegate);
  };
  for (const socio::v1::Participant& p : d.delegates()) add(p.member_id(), true);
  for (const socio::v1::Participant& p : d.hosts()) add(p.member_id(), false);
  for (const socio::v1::MeetingPair& p : d.pairs()) add(p.host_id(), false);
  for (const socio::v1::PlannedMeeting& m : d.plan().meetings()) add(m.host_id(), false);

  const CallerAccess access(caller, disclosure);
  std::vector<briefing::BriefingParticipant> participants;
  for (const auto& [id, delegate] : ids) {
    absl::StatusOr<socio::v1::Profile> profile = source.GetProfile(id);
    if (absl::IsNotFound(profile.status())) continue;  // deleted since
    if (!profile.ok()) return profile.status();
    const std::string handle = access.Pseudonym(*profile);
    participants.push_back(
        {.member_id = id,
         .name = handle.empty() ? profile->name() : handle,
         .delegate = delegate,
         .languages = {profile->languages().begin(), profile->languages().end()}});
  }
  return participants;
}

}  // namespace

absl::StatusOr<socio::v1::Briefing> ReadBriefing(
    const Caller& caller, const socio::v1::GetDelegationBriefingRequest& request,
    const storage::DelegationStore& delegations, const PartnerSource& source,
    const reference::ReferenceData& reference, const Disclosure* disclosure) {
  if (request.delegation_id().empty()) {
    return absl::InvalidArgumentError("delegation_id: is required");
  }
  absl::StatusOr<socio::v1::Delegation> d = delegations.Get(request.delegation_id());
  if (absl::IsNotFound(d.status())) return NoDelegation("delegation_id", request.delegation_id());
  if (!d.ok()) return d.status();

  briefing::BriefingView view;
  if (request.member_id().empty() && RoleIn(caller, *d) != DelegationRole::kNone) {
    view.full = true;
  } else {
    const std::string member_id = !request.member_id().empty() || caller.role != socio::v1::MEMBER
                                      ? request.member_id()
                                      : caller.profile_id;
    if (member_id.empty()) return NoDelegation("delegation_id", request.delegation_id());
    absl::StatusOr<socio::v1::Profile> member =
        ReadProfile(source, caller, member_id, "member_id", disclosure);
    if (!member.ok() && !absl::IsNotFound(member.status()) &&
        !absl::IsInvalidArgument(member.status())) {
      return member.status();
    }
    if (!member.ok() || !CheckActsFor(caller, *member, "member_id").ok() ||
        !storage::DelegationNamesCompany(*d, member_id)) {
      return NoDelegation("delegation_id", request.delegation_id());
    }
    view.member_id = member_id;
  }
  absl::StatusOr<std::vector<briefing::BriefingParticipant>> participants =
      Participants(caller, *d, source, disclosure);
  if (!participants.ok()) return participants.status();
  return briefing::AssembleBriefing(*d, *participants, reference, view);
}

}  // namespace socio::services
