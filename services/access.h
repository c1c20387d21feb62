// What each role may do: the tenancy rules every handler applies after
// Authenticator::Authenticate. Each check answers OK or PERMISSION_DENIED
// saying who was refused what.
//
//   ADMIN   everything.
//   STAFF   its chamber's profiles (all visibilities), delegations, policy
//           and tokens of nobody; other chambers' profiles only when
//           FEDERATION-visible, and only to read.
//   MEMBER  its own profile (read, update; never its chamber), matches and
//           explanations for itself, its own agendas.
//
// Profile visibility (profile.proto): PRIVATE is seen by the own chamber's
// staff, CHAMBER also by the chamber's members, FEDERATION by every chamber.
#ifndef SOCIO_SERVICES_ACCESS_H_
#define SOCIO_SERVICES_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/auth.h"
#include "socio/v1/profile.pb.h"

namespace socio::services {

// Only operators: `what` names the action ("WatchProfiles").
absl::Status RequireAdmin(const Caller& caller, absl::string_view what);

// Operators and the chamber's staff: `field` names where the chamber came
// from ("delegation.chamber_id").
absl::Status RequireChamber(const Caller& caller, absl::string_view chamber_id,
                            absl::string_view field);

// Whether `caller` may read `profile`: operators; staff of its chamber, or of
// any chamber when it is FEDERATION-visible; the member itself.
bool CanRead(const Caller& caller, const socio::v1::Profile& profile);
absl::Status CheckRead(const Caller& caller, const socio::v1::Profile& profile);

// Whether `caller` may act for `member`: change its profile, ask for its
// matches, read its agendas. Operators; staff of its chamber; the member
// itself. `field` names where the id came from.
absl::Status CheckActsFor(const Caller& caller, const socio::v1::Profile& member,
                          absl::string_view field);

// Whether `other` may be shown to `caller` as a partner of `member` (whom
// the caller acts for): as CanRead for operators and staff; for a member,
// FEDERATION profiles and CHAMBER ones of its own chamber.
bool CanSeeAsPartner(const Caller& caller, const socio::v1::Profile& member,
                     const socio::v1::Profile& other);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_ACCESS_H_
