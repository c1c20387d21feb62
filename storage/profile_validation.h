// Validation of profiles before they are written.
//
// Every check names the field and the reason in an INVALID_ARGUMENT status, so
// a chamber's staff can fix the record without reading code:
//
//   ProfileValidator validator(reference);
//   absl::Status s = validator.Normalize(&profile);
//   // s.message(): "profile.objectives[0].markets[1]: 'USA' is not an ISO
//   //               3166-1 alpha-2 country code (did you mean 'US'?)"
//
// Countries and languages are checked against CLDR, sectors against NACE
// Rev. 2 (see reference/), with the nearest valid code suggested where one
// is cheap to find.
#ifndef SOCIO_STORAGE_PROFILE_VALIDATION_H_
#define SOCIO_STORAGE_PROFILE_VALIDATION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reference/reference_data.h"
#include "socio/v1/profile.pb.h"

namespace socio::storage {

class ProfileValidator {
 public:
  // REQUIRES: reference != nullptr.
  explicit ProfileValidator(std::shared_ptr<const reference::ReferenceData> reference);

  // Checks every writable field of `*profile` and brings it to its stored
  // form: unknown fields dropped (nested ones too), sector codes in Eurostat
  // form ("C10.84" -> "10.84"), an unspecified visibility as PRIVATE.
  // Output-only fields are not looked at. On error,
  // `*profile` may be partly normalised and the status names the first bad
  // field as "profile.<path>".
  absl::Status Normalize(socio::v1::Profile* profile) const;

  // OK if `code` is an ISO 3166-1 alpha-2 country; `field` names it in the error.
  absl::Status CheckCountry(absl::string_view field, absl::string_view code) const;

  // The Eurostat form of a NACE Rev. 2 code at any level, or INVALID_ARGUMENT
  // naming `field`.
  absl::StatusOr<std::string> CanonicalSector(absl::string_view field,
                                              absl::string_view code) const;

  // OK if `codes` are at most `max_count` ISO 639-1 languages, none twice;
  // the error names the entry as "<list>[i]".
  absl::Status CheckLanguageList(absl::string_view list,
                                 const google::protobuf::RepeatedPtrField<std::string>& codes,
                                 int max_count) const;

  // OK if `contact` is a contact person as profiles hold them (contacts in
  // profile.proto); the error names the field under `field`.
  absl::Status CheckContact(absl::string_view field, const socio::v1::Contact& contact) const;

  const reference::ReferenceData& reference() const { return *reference_; }

 private:
  absl::Status CheckCountryList(absl::string_view list,
                                const google::protobuf::RepeatedPtrField<std::string>& codes,
                                int max_count) const;
  absl::Status NormalizeSectorList(absl::string_view list,
                                   google::protobuf::RepeatedPtrField<std::string>* codes) const;
  absl::Status NormalizeObjective(absl::string_view field, socio::v1::Objective* objective) const;

  std::shared_ptr<const reference::ReferenceData> reference_;
};

// OK if `id` can be a profile or chamber id: 1 to 64 characters from
// [A-Za-z0-9._-], starting with a letter or digit. `field` names it in the error.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// What every profile handle (Profile.handle) starts with; no profile id does.
inline constexpr absl::string_view kHandlePrefix = "anon-";
// The length of a handle: the prefix and 16 characters of [a-z2-7].
inline constexpr size_t kHandleLength = 21;

// Whether `text` has the shape of a handle (it may name no profile).
bool IsHandle(absl::string_view text);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_PROFILE_VALIDATION_H_
