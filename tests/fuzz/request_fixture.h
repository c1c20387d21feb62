// The data the request_validation fuzzer's server holds before every input:
// a few member profiles of three chambers (federation, chamber-only and
// private ones), a delegation without a plan and one with a plan. Seeds name
// these ids, so mutated requests reach the paths past "not found".
#ifndef SOCIO_TESTS_FUZZ_REQUEST_FIXTURE_H_
#define SOCIO_TESTS_FUZZ_REQUEST_FIXTURE_H_

#include <string>
#include <vector>

#include "socio/v1/delegation.pb.h"
#include "socio/v1/profile.pb.h"

namespace socio::fuzz {

// The chamber whose staff the fuzzer's staff token acts for, and the
// profile its member token is.
inline constexpr char kStaffChamber[] = "ihk-muenchen";
inline constexpr char kMemberProfile[] = "de-1";

// Delegations of the fixture: one never planned, one planned at start-up.
inline constexpr char kUnplannedDelegation[] = "mx27";
inline constexpr char kPlannedDelegation[] = "mx27-planned";

std::vector<socio::v1::Profile> FixtureProfiles();
std::vector<socio::v1::Delegation> FixtureDelegations();

// `json` in the proto JSON mapping; aborts on text that does not parse (the
// fixture is ours).
socio::v1::Profile ProfileFromJson(const std::string& json);
socio::v1::Delegation DelegationFromJson(const std::string& json);

}  // namespace socio::fuzz

#endif  // SOCIO_TESTS_FUZZ_REQUEST_FIXTURE_H_
