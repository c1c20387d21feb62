#include "storage/profile_validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "storage/internal/field_checks.h"

namespace socio::storage {
namespace {

using internal::CheckLength;
using internal::CodePoints;
using internal::FieldError;
using internal::Indexed;
using internal::IsBlank;

using socio::v1::Objective;
using socio::v1::Profile;

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxCityLength = 100;
constexpr size_t kMaxDescriptionLength = 5000;
constexpr size_t kMaxNoteLength = 1000;
constexpr size_t kMaxKeywordLength = 64;
constexpr size_t kMaxCertificationLength = 100;
constexpr int kMaxSectors = 20;
constexpr int kMaxLanguages = 20;
constexpr int kMaxKeywords = 50;
constexpr int kMaxObjectives = 20;
constexpr int kMaxObjectiveMarkets = 50;
constexpr int kMaxMarkets = 250;
constexpr int kMaxCertifications = 50;
constexpr int32_t kMaxEmployees = 10'000'000;
constexpr int32_t kMinFoundedYear = 1000;
constexpr int kMaxContacts = 10;
constexpr size_t kMaxContactRoleLength = 100;
constexpr size_t kMaxEmailLength = 254;
constexpr size_t kMaxPhoneLength = 40;

absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max_length) {
  return CheckLength(field, value, max_length);
}

absl::Status ValidateCount(absl::string_view field, int count, int max_count) {
  if (count > max_count) {
    return FieldError(field,
                      absl::StrFormat("has %d entries; at most %d are allowed", count, max_count));
  }
  return absl::OkStatus();
}

// True if values[i] equals one of the values before it. Lists are short, so
// a scan beats hashing.
bool RepeatsEarlier(const google::protobuf::RepeatedPtrField<std::string>& values, int i) {
  return std::find(values.begin(), values.begin() + i, values[i]) != values.begin() + i;
}

// The checks name an item as `list`[i] only when it fails: the paths are
// built for error messages, not for every valid item.
absl::Status ListedTwice(absl::string_view list, int i, absl::string_view value) {
  return FieldError(Indexed(list, i), absl::StrCat("'", value, "' is listed twice"));
}

std::string DidYouMean(absl::string_view suggestion) {
  return suggestion.empty() ? "" : absl::StrCat(" (did you mean '", suggestion, "'?)");
}

bool IsSymmetric(Objective::Type type) {
  return type == Objective::JOINT_VENTURE || type == Objective::TECHNICAL_COOPERATION ||
         type == Objective::RESEARCH_COOPERATION;
}

absl::Status ValidateTimestamp(absl::string_view field, const google::protobuf::Timestamp& t) {
  // The range google.protobuf.Timestamp allows: years 0001 to 9999.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  if (t.seconds() < kMinSeconds || t.seconds() > kMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999'999'999) {
    return FieldError(field, "is not a valid timestamp (years 0001 to 9999)");
  }
  return absl::OkStatus();
}

absl::Status ValidateStringList(absl::string_view list,
                                const google::protobuf::RepeatedPtrField<std::string>& values,
                                int max_count, size_t max_length) {
  if (absl::Status s = ValidateCount(list, values.size(), max_count); !s.ok()) return s;
  for (int i = 0; i < values.size(); ++i) {
    if (IsBlank(values[i])) return FieldError(Indexed(list, i), "is empty");
    if (CodePoints(values[i]) > max_length) {
      return ValidateText(Indexed(list, i), values[i], max_length);
    }
  }
  return absl::OkStatus();
}

// A plausible e-mail address: one '@' with text on both sides, no spaces or
// control characters. Whether it receives mail only sending can tell.
absl::Status ValidateEmail(absl::string_view field, absl::string_view email) {
  if (email.size() > kMaxEmailLength) {
    return FieldError(field, absl::StrFormat("is %d characters long; at most %d are allowed",
                                             email.size(), kMaxEmailLength));
  }
  for (char c : email) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return FieldError(field, absl::StrCat("'", email,
                                            "' is not an e-mail address: it holds a space or a "
                                            "control character"));
    }
  }
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || email.find('@', at + 1) != absl::string_view::npos ||
      at == 0 || at + 1 == email.size()) {
    return FieldError(field, absl::StrCat("'", email,
                                          "' is not an e-mail address: one '@' with text on both "
                                          "sides, as in name@example.com"));
  }
  return absl::OkStatus();
}

// A phone number as people write it: digits, spaces and + - ( ) . / only.
absl::Status ValidatePhone(absl::string_view field, absl::string_view phone) {
  if (phone.size() > kMaxPhoneLength) {
    return FieldError(field, absl::StrFormat("is %d characters long; at most %d are allowed",
                                             phone.size(), kMaxPhoneLength));
  }
  for (char c : phone) {
    if (!absl::ascii_isdigit(c) && !absl::StrContains(" +-()./", c)) {
      return FieldError(
          field, absl::StrCat("'", phone, "' may contain only digits, spaces and + - ( ) . /"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return FieldError(field, "is required");
  if (id.size() > kMaxIdLength) {
    return FieldError(field, absl::StrFormat("is %d characters long; at most %d are allowed",
                                             id.size(), kMaxIdLength));
  }
  if (!absl::ascii_isalnum(id[0])) {
    return FieldError(field, absl::StrCat("'", id, "' must start with a letter or digit"));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') {
      return FieldError(
          field, absl::StrCat("'", id, "' may contain only letters, digits, '.', '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

ProfileValidator::ProfileValidator(std::shared_ptr<const reference::ReferenceData> reference)
    : reference_(std::move(reference)) {}

absl::Status ProfileValidator::CheckCountry(absl::string_view field, absl::string_view code) const {
  if (reference_->countries().Find(code) != nullptr) return absl::OkStatus();
  return FieldError(field, absl::StrCat("'", code, "' is not an ISO 3166-1 alpha-2 country code",
                                        DidYouMean(reference_->countries().SuggestCountry(code))));
}

absl::StatusOr<std::string> ProfileValidator::CanonicalSector(absl::string_view field,
                                                              absl::string_view code) const {
  absl::StatusOr<std::string> canonical = reference_->sectors().Canonical(code);
  if (!canonical.ok()) return FieldError(field, canonical.status().message());
  return canonical;
}

absl::Status ProfileValidator::CheckCountryList(
    absl::string_view list, const google::protobuf::RepeatedPtrField<std::string>& codes,
    int max_count) const {
  if (absl::Status s = ValidateCount(list, codes.size(), max_count); !s.ok()) return s;
  for (int i = 0; i < codes.size(); ++i) {
    if (reference_->countries().Find(codes[i]) == nullptr) {
      return CheckCountry(Indexed(list, i), codes[i]);
    }
    if (RepeatsEarlier(codes, i)) return ListedTwice(list, i, codes[i]);
  }
  return absl::OkStatus();
}

absl::Status ProfileValidator::CheckLanguageList(
    absl::string_view list, const google::protobuf::RepeatedPtrField<std::string>& codes,
    int max_count) const {
  if (absl::Status s = ValidateCount(list, codes.size(), max_count); !s.ok()) return s;
  for (int i = 0; i < codes.size(); ++i) {
    if (!reference_->countries().IsLanguage(codes[i])) {
      return FieldError(
          Indexed(list, i),
          absl::StrCat("'", codes[i], "' is not an ISO 639-1 language code",
                       DidYouMean(reference_->countries().SuggestLanguage(codes[i]))));
    }
    if (RepeatsEarlier(codes, i)) return ListedTwice(list, i, codes[i]);
  }
  return absl::OkStatus();
}

absl::Status ProfileValidator::NormalizeSectorList(
    absl::string_view list, google::protobuf::RepeatedPtrField<std::string>* codes) const {
  if (absl::Status s = ValidateCount(list, codes->size(), kMaxSectors); !s.ok()) return s;
  for (int i = 0; i < codes->size(); ++i) {
    absl::StatusOr<std::string> canonical = reference_->sectors().Canonical(codes->Get(i));
    if (!canonical.ok()) return FieldError(Indexed(list, i), canonical.status().message());
    const std::string original = std::exchange(*codes->Mutable(i), *std::move(canonical));
    if (RepeatsEarlier(*codes, i)) return ListedTwice(list, i, original);
  }
  return absl::OkStatus();
}

absl::Status ProfileValidator::NormalizeObjective(absl::string_view field,
                                                  Objective* objective) const {
  const auto sub = [&](absl::string_view name) { return absl::StrCat(field, ".", name); };
  if (!Objective::Type_IsValid(objective->type())) {
    return FieldError(sub("type"), absl::StrCat(objective->type(), " is not a partnership type"));
  }
  if (objective->type() == Objective::TYPE_UNSPECIFIED) {
    return FieldError(sub("type"), "is required (DISTRIBUTION, AGENCY, SUPPLY, ...)");
  }
  if (!Objective::Direction_IsValid(objective->direction())) {
    return FieldError(sub("direction"),
                      absl::StrCat(objective->direction(), " is not a direction"));
  }
  if (objective->direction() == Objective::DIRECTION_UNSPECIFIED &&
      !IsSymmetric(objective->type())) {
    return FieldError(sub("direction"),
                      absl::StrCat("is required for ", Objective::Type_Name(objective->type()),
                                   ": OFFER or SEEK"));
  }
  if (!objective->sectors().empty()) {
    if (absl::Status s = NormalizeSectorList(sub("sectors"), objective->mutable_sectors());
        !s.ok()) {
      return s;
    }
  }
  if (!objective->markets().empty()) {
    if (absl::Status s =
            CheckCountryList(sub("markets"), objective->markets(), kMaxObjectiveMarkets);
        !s.ok()) {
      return s;
    }
  }
  if (CodePoints(objective->note()) > kMaxNoteLength) {
    return ValidateText(sub("note"), objective->note(), kMaxNoteLength);
  }
  return absl::OkStatus();
}

absl::Status ProfileValidator::CheckContact(absl::string_view field,
                                            const socio::v1::Contact& contact) const {
  const auto sub = [&](absl::string_view name) { return absl::StrCat(field, ".", name); };
  if (IsBlank(contact.name())) return FieldError(sub("name"), "is required");
  if (absl::Status s = internal::CheckDisplayLine(sub("name"), contact.name(), kMaxNameLength);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          internal::CheckDisplayLine(sub("role"), contact.role(), kMaxContactRoleLength);
      !s.ok()) {
    return s;
  }
  if (!contact.email().empty()) {
    if (absl::Status s = ValidateEmail(sub("email"), contact.email()); !s.ok()) return s;
  }
  if (!contact.phone().empty()) {
    if (absl::Status s = ValidatePhone(sub("phone"), contact.phone()); !s.ok()) return s;
  }
  return CheckLanguageList(sub("languages"), contact.languages(), kMaxLanguages);
}

bool IsHandle(absl::string_view text) {
  if (text.size() != kHandleLength || !absl::StartsWith(text, kHandlePrefix)) return false;
  return std::all_of(text.begin() + kHandlePrefix.size(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); });
}

absl::Status ProfileValidator::Normalize(Profile* p) const {
  // Fields this build does not know would be stored as sent, past every
  // limit below, and replayed to every watcher: dropped, at every depth.
  p->DiscardUnknownFields();
  if (absl::Status s = ValidateId("profile.id", p->id()); !s.ok()) return s;
  if (absl::StartsWith(p->id(), kHandlePrefix)) {
    return FieldError("profile.id", absl::StrCat("must not start with '", kHandlePrefix,
                                                 "', which is kept for anonymous handles"));
  }
  if (absl::Status s = ValidateId("profile.chamber_id", p->chamber_id()); !s.ok()) return s;
  if (IsBlank(p->name())) return FieldError("profile.name", "is required");
  if (absl::Status s = internal::CheckDisplayLine("profile.name", p->name(), kMaxNameLength);
      !s.ok()) {
    return s;
  }
  if (p->country().empty()) return FieldError("profile.country", "is required");
  if (absl::Status s = CheckCountry("profile.country", p->country()); !s.ok()) return s;
  if (absl::Status s = internal::CheckDisplayLine("profile.city", p->city(), kMaxCityLength);
      !s.ok()) {
    return s;
  }
  if (p->has_location()) {
    const double lat = p->location().latitude();
    const double lng = p->location().longitude();
    if (!std::isfinite(lat) || lat < -90 || lat > 90) {
      return FieldError("profile.location.latitude",
                        absl::StrCat(lat, " is outside [-90, 90] degrees"));
    }
    if (!std::isfinite(lng) || lng < -180 || lng > 180) {
      return FieldError("profile.location.longitude",
                        absl::StrCat(lng, " is outside [-180, 180] degrees"));
    }
  }
  if (absl::Status s = NormalizeSectorList("profile.sectors", p->mutable_sectors()); !s.ok()) {
    return s;
  }
  if (p->employees() < 0 || p->employees() > kMaxEmployees) {
    return FieldError(
        "profile.employees",
        absl::StrFormat("%d is outside [0, %d] (0 means unknown)", p->employees(), kMaxEmployees));
  }
  const int current_year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year();
  if (p->founded_year() != 0 &&
      (p->founded_year() < kMinFoundedYear || p->founded_year() > current_year)) {
    return FieldError("profile.founded_year",
                      absl::StrFormat("%d is outside [%d, %d] (0 means unknown)", p->founded_year(),
                                      kMinFoundedYear, current_year));
  }
  if (absl::Status s = CheckLanguageList("profile.languages", p->languages(), kMaxLanguages);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("profile.description", p->description(), kMaxDescriptionLength);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateStringList("profile.keywords", p->keywords(), kMaxKeywords, kMaxKeywordLength);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateCount("profile.objectives", p->objectives_size(), kMaxObjectives);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < p->objectives_size(); ++i) {
    if (absl::Status s =
            NormalizeObjective(Indexed("profile.objectives", i), p->mutable_objectives(i));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = CheckCountryList("profile.target_markets", p->target_markets(), kMaxMarkets);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCountryList("profile.active_markets", p->active_markets(), kMaxMarkets);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateStringList("profile.certifications", p->certifications(),
                                          kMaxCertifications, kMaxCertificationLength);
      !s.ok()) {
    return s;
  }
  if (!Profile::Visibility_IsValid(p->visibility())) {
    return FieldError("profile.visibility",
                      absl::StrCat(p->visibility(), " is not PRIVATE, CHAMBER or FEDERATION"));
  }
  if (p->visibility() == Profile::VISIBILITY_UNSPECIFIED) p->set_visibility(Profile::PRIVATE);
  if (p->has_valid_until()) {
    if (absl::Status s = ValidateTimestamp("profile.valid_until", p->valid_until()); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ValidateCount("profile.contacts", p->contacts_size(), kMaxContacts);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < p->contacts_size(); ++i) {
    if (absl::Status s = CheckContact(Indexed("profile.contacts", i), p->contacts(i)); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace socio::storage
