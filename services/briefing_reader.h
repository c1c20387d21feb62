// DelegationService.GetDelegationBriefing's work: who may read a
// delegation's briefing and what they see, and the companies taking part
// read for briefing::AssembleBriefing.
//
// Readers:
// - operators and the staff of the organising and of the host chamber
//   (delegation_access.h: RoleIn), naming no member_id: the whole briefing,
//   every company by the name they see it under and the staff's notes;
// - a company taking part (a delegate, a named host, a host of a pair or of
//   the last plan: storage::DelegationNamesCompany), read through member_id
//   by a caller who acts for it (CheckActsFor: the member itself, its
//   chamber's staff, operators); a member naming no member_id reads for
//   itself: no notes and no other company, the counts only;
// - anyone else: NOT_FOUND "delegation_id: no delegation '...'", as for a
//   delegation nobody stored.
// Companies are named as Disclosure shows them to the caller: an anonymous
// company the caller may not see is its handle. A company that no longer
// exists is left out.
//
// Thread safety: as its arguments'; it keeps nothing.
#ifndef SOCIO_SERVICES_BRIEFING_READER_H_
#define SOCIO_SERVICES_BRIEFING_READER_H_

#include "absl/status/statusor.h"
#include "reference/reference_data.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/partner_source.h"
#include "socio/v1/briefing.pb.h"
#include "socio/v1/delegation_service.pb.h"
#include "storage/delegation_store.h"

namespace socio::services {

// See above. Errors of the store or the profile source (UNAVAILABLE, ...)
// as they came. `disclosure` may be null (then no company is hidden by
// anonymity beyond what CanRead hides).
absl::StatusOr<socio::v1::Briefing> ReadBriefing(
    const Caller& caller, const socio::v1::GetDelegationBriefingRequest& request,
    const storage::DelegationStore& delegations, const PartnerSource& source,
    const reference::ReferenceData& reference, const Disclosure* disclosure);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_BRIEFING_READER_H_
