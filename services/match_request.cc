#include "services/match_request.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "reference/country_catalog.h"

namespace socio::services {
namespace {

using socio::v1::MatchFilters;
using socio::v1::Objective;

absl::Status FieldError(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

std::string Indexed(absl::string_view field, int i) { return absl::StrCat(field, "[", i, "]"); }

std::string DidYouMean(absl::string_view suggestion) {
  return suggestion.empty() ? "" : absl::StrCat(" (did you mean '", suggestion, "'?)");
}

// The M49 code meant by a wrong one, or "": "19" -> "019", "Europe" -> "150",
// "western europe" -> "155".
std::string SuggestRegion(const matcher::ScoringTables& tables, absl::string_view wrong) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(wrong);
  int number = 0;
  if (absl::SimpleAtoi(trimmed, &number) && number >= 0 && number <= 999) {
    const std::string padded = absl::StrFormat("%03d", number);
    return tables.RegionCodeBit(padded) != 0 ? padded : "";
  }
  for (const reference::Country& country : tables.reference().countries().countries()) {
    if (absl::EqualsIgnoreCase(trimmed, country.region)) return country.region_code;
    if (absl::EqualsIgnoreCase(trimmed, country.subregion)) return country.subregion_code;
  }
  return "";
}

// The countries that pass the country and region filters together, or
// nullopt when neither is given.
absl::StatusOr<std::optional<matcher::CountrySet>> AllowedCountries(
    const MatchFilters& filters, const matcher::ScoringTables& tables,
    const storage::ProfileValidator& validator) {
  const reference::CountryCatalog& catalog = tables.reference().countries();
  std::vector<int> countries;
  for (int i = 0; i < filters.countries_size(); ++i) {
    const std::string& code = filters.countries(i);
    if (absl::Status s = validator.CheckCountry(Indexed("filters.countries", i), code); !s.ok()) {
      return s;
    }
    countries.push_back(catalog.Index(code));
  }
  uint64_t region_bits = 0;
  for (int i = 0; i < filters.regions_size(); ++i) {
    const std::string& code = filters.regions(i);
    const uint64_t bit = tables.RegionCodeBit(code);
    if (bit == 0) {
      return FieldError(Indexed("filters.regions", i),
                        absl::StrCat("'", code, "' is not a UN M49 region or subregion code",
                                     DidYouMean(SuggestRegion(tables, code))));
    }
    region_bits |= bit;
  }
  if (countries.empty() && region_bits == 0) return std::nullopt;

  const auto in_regions = [&](int country) {
    return region_bits == 0 ||
           ((tables.RegionBit(country) | tables.SubregionBit(country)) & region_bits) != 0;
  };
  matcher::CountrySet allowed;
  if (countries.empty()) {
    for (int c = 0; c < tables.country_count(); ++c) {
      if (in_regions(c)) allowed.Add(c);
    }
  } else {
    for (int c : countries) {
      if (in_regions(c)) allowed.Add(c);
    }
  }
  return allowed;
}

}  // namespace

absl::StatusOr<int> CheckK(int32_t k) {
  if (k == 0) return kDefaultK;
  if (k < 1 || k > kMaxK) {
    return FieldError("k", absl::StrFormat("must be between 1 and %d, got %d", kMaxK, k));
  }
  return k;
}

absl::Status CheckPairCount(size_t a_count, size_t b_count) {
  if (a_count == 0) return FieldError("a_ids", "give at least one id");
  if (b_count == 0) return FieldError("b_ids", "give at least one id");
  // Each count is below 2^32 (a message holds at most 2 GB), so no overflow.
  const uint64_t pairs = static_cast<uint64_t>(a_count) * b_count;
  if (pairs > static_cast<uint64_t>(kMaxScoredPairs)) {
    return FieldError("a_ids, b_ids",
                      absl::StrCat(a_count, " x ", b_count, " = ", pairs, " pairs; at most ",
                                   kMaxScoredPairs, " per request"));
  }
  return absl::OkStatus();
}

absl::StatusOr<matcher::PartnerFilters> ToPartnerFilters(
    const MatchFilters& filters, const matcher::ScoringTables& tables,
    const storage::ProfileValidator& validator) {
  matcher::PartnerFilters out;

  absl::StatusOr<std::optional<matcher::CountrySet>> countries =
      AllowedCountries(filters, tables, validator);
  if (!countries.ok()) return countries.status();
  out.countries = *countries;

  for (int i = 0; i < filters.sectors_size(); ++i) {
    absl::StatusOr<std::string> canonical =
        validator.CanonicalSector(Indexed("filters.sectors", i), filters.sectors(i));
    if (!canonical.ok()) return canonical.status();
    // A canonical code always packs: Canonical checked its section and division.
    out.sectors.push_back(matcher::PackSector(tables.reference().sectors(), *canonical));
  }

  for (int i = 0; i < filters.types_size(); ++i) {
    // Repeated enums are open in proto3: any int may arrive.
    const int type = filters.types(i);
    if (!Objective::Type_IsValid(type)) {
      return FieldError(Indexed("filters.types", i),
                        absl::StrCat(type, " is not a partnership type"));
    }
    if (type == Objective::TYPE_UNSPECIFIED) {
      return FieldError(Indexed("filters.types", i),
                        "TYPE_UNSPECIFIED is not a partnership type (DISTRIBUTION, AGENCY, "
                        "SUPPLY, ...)");
    }
    // One direction's key stands for the type: the matcher widens it to all.
    out.type_keys |= matcher::ObjectiveKey(type, Objective::OFFER);
  }

  if (filters.min_employees() < 0) {
    return FieldError(
        "filters.min_employees",
        absl::StrFormat("must be >= 0 (0 means no bound), got %d", filters.min_employees()));
  }
  if (filters.max_employees() < 0) {
    return FieldError(
        "filters.max_employees",
        absl::StrFormat("must be >= 0 (0 means no bound), got %d", filters.max_employees()));
  }
  if (filters.min_employees() > 0 && filters.max_employees() > 0 &&
      filters.min_employees() > filters.max_employees()) {
    return FieldError("filters.max_employees",
                      absl::StrFormat("must be >= filters.min_employees (%d), got %d",
                                      filters.min_employees(), filters.max_employees()));
  }
  out.min_employees = static_cast<uint32_t>(filters.min_employees());
  out.max_employees = static_cast<uint32_t>(filters.max_employees());

  const reference::CountryCatalog& catalog = validator.reference().countries();
  for (int i = 0; i < filters.languages_size(); ++i) {
    const std::string& code = filters.languages(i);
    if (!catalog.IsLanguage(code)) {
      return FieldError(Indexed("filters.languages", i),
                        absl::StrCat("'", code, "' is not an ISO 639-1 language code",
                                     DidYouMean(catalog.SuggestLanguage(code))));
    }
    out.languages.push_back(matcher::LanguageWord(code));
  }

  if (filters.exclude_ids_size() > kMaxExcludeIds) {
    return FieldError("filters.exclude_ids",
                      absl::StrFormat("has %d entries; at most %d are allowed",
                                      filters.exclude_ids_size(), kMaxExcludeIds));
  }
  out.exclude_ids.assign(filters.exclude_ids().begin(), filters.exclude_ids().end());
  out.exclude_own_chamber = filters.exclude_own_chamber();
  return out;
}

}  // namespace socio::services
