// Validation of profiles before they are written.
//
// Every check names the field and the reason in an INVALID_ARGUMENT status, so
// a chamber's staff can fix the record without reading code:
//
//   socio::v1::Profile p = ...;
//   absl::Status s = socio::storage::NormalizeProfile(&p);
//   // s.message(): "profile.objectives[0].markets[1]: 'USA' is not an ISO
//   //               3166-1 alpha-2 country code (two upper-case letters, like 'US')"
//
// Country and language codes are checked by shape (two letters); NACE codes by
// shape and by the list of real divisions, which also fixes each division's
// section.
#ifndef SOCIO_STORAGE_PROFILE_VALIDATION_H_
#define SOCIO_STORAGE_PROFILE_VALIDATION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "socio/v1/profile.pb.h"

namespace socio::storage {

// Checks every writable field of `*profile` and brings it to its stored form:
// sector codes in Eurostat form ("C10.84" -> "10.84"), an unspecified
// visibility as PRIVATE. Output-only fields are not looked at. On error,
// `*profile` may be partly normalised and the status names the first bad field
// as "profile.<path>".
absl::Status NormalizeProfile(socio::v1::Profile* profile);

// OK if `id` can be a profile or chamber id: 1 to 64 characters from
// [A-Za-z0-9._-], starting with a letter or digit. `field` names it in the error.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// OK if `code` has the shape of an ISO 3166-1 alpha-2 code ("MX").
absl::Status ValidateCountryCode(absl::string_view field, absl::string_view code);

// Returns the Eurostat form of a NACE Rev. 2 code at any level: "C", "10",
// "10.8", "10.84"; a section letter before a division is checked and dropped
// ("C10.84" -> "10.84"). INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> CanonicalSectorCode(absl::string_view field, absl::string_view code);

// The NACE section letter of a two-digit division (10 -> 'C'), or nullopt if
// no such division exists.
std::optional<char> NaceSectionOfDivision(int division);

// True if the canonical sector `code` lies under the canonical `prefix`: a
// section letter covers its divisions ("C" covers "10.84"), a code covers
// itself and its descendants ("10.8" covers "10.84", not "10.9").
bool SectorUnder(absl::string_view code, absl::string_view prefix);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_PROFILE_VALIDATION_H_
