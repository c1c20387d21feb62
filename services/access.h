// What each role may do: the tenancy rules every handler applies after
// Authenticator::Authenticate.
//
//   ADMIN   everything.
//   STAFF   its chamber's profiles (all visibilities), delegations, policy
//           and tokens of nobody; other chambers' profiles only when
//           FEDERATION-visible, and only to read.
//   MEMBER  its own profile (read, update; never its chamber), matches and
//           explanations for itself, its own agendas.
//
// What a caller may not read does not exist for it: a named id it may not
// read is NOT_FOUND, worded as for an id nobody stored (ReadProfile,
// NoProfile), so ids cannot be probed. PERMISSION_DENIED is left for what the
// caller may read but not do (RequireAdmin, RequireChamber, CheckActsFor).
//
//   absl::StatusOr<Profile> member = ReadProfile(lookup, caller, id, "member_id", disclosure);
//   if (!member.ok()) return member.status();               // NOT_FOUND
//   absl::Status s = CheckActsFor(caller, *member, "member_id");  // PERMISSION_DENIED
//
// Profile visibility (profile.proto): PRIVATE is seen by the own chamber's
// staff, CHAMBER also by the chamber's members (as partners: a member reads
// no profile but its own), FEDERATION by every chamber.
#ifndef SOCIO_SERVICES_ACCESS_H_
#define SOCIO_SERVICES_ACCESS_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "planner/planning_source.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
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

// NOT_FOUND "<field>: no profile '<id>'": the answer for an id that names no
// profile and for one the caller may not read alike.
absl::Status NoProfile(absl::string_view field, absl::string_view id);

// The profile `id` if `caller` may read it (CanRead, or revealed to it: a
// member it was revealed to, or that member's chamber's staff, may read it
// whatever its visibility; see disclosure.h, `disclosure` may be null); else
// NoProfile(field, id), the same whether the profile is missing or hidden.
// INVALID_ARGUMENT naming `field` for a malformed id. Other errors of
// `profiles` (UNAVAILABLE, ...) as they came.
absl::StatusOr<socio::v1::Profile> ReadProfile(const ProfileLookup& profiles, const Caller& caller,
                                               const std::string& id, absl::string_view field,
                                               const Disclosure* disclosure);

// Whether `caller` may act for `member`: change its profile, ask for its
// matches, read its agendas. Operators; staff of its chamber; the member
// itself. PERMISSION_DENIED otherwise; `field` names where the id came from.
absl::Status CheckActsFor(const Caller& caller, const socio::v1::Profile& member,
                          absl::string_view field);

// Whether `caller` sees the partners of `member` as its chamber's staff do,
// PRIVATE profiles of the chamber included (matcher::PartnerQuery's
// staff_view): operators and the staff of the member's chamber; never a
// member.
bool SeesPrivatePartners(const Caller& caller, const socio::v1::Profile& member);

// Whether `partner` may be proposed, explained or counted as a partner of
// `member` (whom the caller acts for) at `now`: not the member itself, and as
// matcher::PartnerVisible rules with the staff view SeesPrivatePartners
// gives. FindPartners, ExplainMatch, RecommendDestinations and the hosts a
// delegation's host filter picks all follow this one rule.
bool PartnerVisible(const Caller& caller, const socio::v1::Profile& member,
                    const socio::v1::Profile& partner, absl::Time now);

// Who sees a profile's contacts, and who sees who an anonymous profile is:
// Disclosure (disclosure.h), which every answer passes through.

// A staff caller of `chamber_id`: whom a delegation's companies must be
// visible to, whoever plans it.
Caller ChamberStaff(absl::string_view chamber_id);

// The rules above for one caller, as planning asks them (planner/ decides no
// access of its own).
// With a `disclosure`, anonymous companies are named as it shows them to
// the caller (Pseudonym); without, never.
class CallerAccess final : public planner::ProfileAccess {
 public:
  explicit CallerAccess(Caller caller, const Disclosure* disclosure = nullptr)
      : caller_(std::move(caller)), disclosure_(disclosure) {}
  bool CanRead(const socio::v1::Profile& profile) const override;
  bool SeesPrivatePartners(const socio::v1::Profile& member) const override;
  bool PartnerVisible(const socio::v1::Profile& member, const socio::v1::Profile& partner,
                      absl::Time now) const override;
  std::string Pseudonym(const socio::v1::Profile& profile) const override;

 private:
  const Caller caller_;
  const Disclosure* const disclosure_;
  mutable std::optional<Disclosure::Call> call_;  // made on first use
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_ACCESS_H_
