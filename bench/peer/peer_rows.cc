#include "bench/peer/peer_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "reference/value_chain.h"

namespace socio::bench {
namespace {

using socio::v1::Objective;
using socio::v1::Profile;

// Text as a COPY field: backslash, tab and line breaks escaped.
void AppendField(absl::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      default:
        out->push_back(c);
    }
  }
}

void AppendNull(std::string* out) { out->append("\\N"); }

// `value` double-quoted for an array or record literal.
void AppendQuoted(absl::string_view value, std::string* literal) {
  literal->push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') literal->push_back('\\');
    literal->push_back(c);
  }
  literal->push_back('"');
}

// A text[] literal: {"a","b"}.
template <typename Strings>
std::string TextArrayLiteral(const Strings& values) {
  std::string literal = "{";
  for (const auto& value : values) {
    if (literal.size() > 1) literal.push_back(',');
    AppendQuoted(value, &literal);
  }
  literal.push_back('}');
  return literal;
}

// An integer[] literal; the 32-bit words are stored as signed integers.
std::string IntArrayLiteral(absl::Span<const uint32_t> values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal.push_back(',');
    absl::StrAppend(&literal, static_cast<int32_t>(values[i]));
  }
  literal.push_back('}');
  return literal;
}

// The objective[] literal of the objectives the matcher reads (a type it
// knows), each with the sectors and markets Socio extracted for it: those
// given that it knows, or, where the objective left them open, those read
// from its note or the profile's description (matcher::ExtractFeatures), so
// the peer ranks with what was read from text as Socio does.
std::string ObjectivesLiteral(const Profile& p, const matcher::FeatureView& features,
                              const reference::ReferenceData& reference) {
  std::vector<matcher::ObjectiveView> extracted;
  features.ForEachObjective([&](const matcher::ObjectiveView& view) { extracted.push_back(view); });
  std::string literal = "{";
  size_t next = 0;
  for (const Objective& o : p.objectives()) {
    if (o.type() <= 0 || o.type() > Objective::Type_MAX || next == extracted.size()) continue;
    const matcher::ObjectiveView& view = extracted[next++];
    std::vector<std::string> sectors;
    for (uint32_t key : view.sectors) sectors.push_back(matcher::UnpackSector(key));
    std::vector<std::string> markets;
    for (uint32_t index : view.markets) {
      markets.push_back(reference.countries().countries()[index].alpha2);
    }
    std::string record =
        absl::StrCat("(", static_cast<int>(o.type()), ",", static_cast<int>(o.direction()), ",");
    AppendQuoted(TextArrayLiteral(sectors), &record);
    record.push_back(',');
    AppendQuoted(IntArrayLiteral(view.sectors), &record);
    record.push_back(',');
    AppendQuoted(TextArrayLiteral(markets), &record);
    record.push_back(',');
    AppendQuoted(o.note(), &record);
    record.push_back(')');
    if (literal.size() > 1) literal.push_back(',');
    AppendQuoted(record, &literal);
  }
  literal.push_back('}');
  return literal;
}

void AppendTime(int64_t unix_seconds, std::string* out) {
  out->append(absl::FormatTime("%Y-%m-%d %H:%M:%S+00", absl::FromUnixSeconds(unix_seconds),
                               absl::UTCTimeZone()));
}

void AppendOptionalInt(int64_t value, std::string* out) {
  if (value > 0) {
    absl::StrAppend(out, value);
  } else {
    AppendNull(out);
  }
}

// An M49 code or NULL.
void AppendCode(const std::string& code, std::string* out) {
  if (code.empty()) {
    AppendNull(out);
  } else {
    AppendField(code, out);
  }
}

const char* VisibilityName(Profile::Visibility visibility) {
  switch (visibility) {
    case Profile::FEDERATION:
      return "FEDERATION";
    case Profile::CHAMBER:
      return "CHAMBER";
    default:
      return "PRIVATE";  // as the matcher treats anything else
  }
}

}  // namespace

void AppendCountryRows(const reference::ReferenceData& reference, std::string* out) {
  for (const reference::Country& country : reference.countries().countries()) {
    AppendField(country.alpha2, out);
    out->push_back('\t');
    AppendField(country.name, out);
    out->push_back('\t');
    AppendCode(country.region_code, out);
    out->push_back('\t');
    AppendCode(country.subregion_code, out);
    out->push_back('\n');
  }
}

void AppendCountryPairRows(const reference::ReferenceData& reference, std::string* out) {
  const std::vector<reference::Country>& countries = reference.countries().countries();
  const reference::CountryPairs& pairs = reference.pairs();
  const int n = static_cast<int>(countries.size());
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      // Nine significant digits read back as the same float.
      absl::StrAppendFormat(out, "%s\t%s\t%.9g\t%.9g\n", countries[a].alpha2, countries[b].alpha2,
                            pairs.Closeness(a, b), pairs.SharedLanguage(a, b));
    }
  }
}

void AppendValueChainRows(const reference::ReferenceData& reference, std::string* out) {
  for (const reference::ValueChainLink& link : reference::ValueChainLinks()) {
    absl::StrAppend(out, matcher::PackSector(reference.sectors(), link.maker), "\t",
                    matcher::PackSector(reference.sectors(), link.partner), "\n");
  }
}

void AppendProfileRow(const Profile& p, const matcher::FeatureView& features,
                      const reference::ReferenceData& reference, std::string* out) {
  AppendField(p.id(), out);
  out->push_back('\t');
  AppendField(p.chamber_id(), out);
  out->push_back('\t');
  AppendField(p.name(), out);
  out->push_back('\t');
  AppendField(p.country(), out);
  out->push_back('\t');
  AppendField(p.city(), out);
  out->push_back('\t');
  AppendField(TextArrayLiteral(p.sectors()), out);
  out->push_back('\t');
  AppendField(IntArrayLiteral(features.sectors()), out);
  out->push_back('\t');
  AppendOptionalInt(p.employees(), out);
  out->push_back('\t');
  AppendOptionalInt(p.founded_year(), out);
  out->push_back('\t');
  AppendField(TextArrayLiteral(p.languages()), out);
  out->push_back('\t');
  AppendField(p.description(), out);
  out->push_back('\t');
  AppendField(TextArrayLiteral(p.keywords()), out);
  out->push_back('\t');
  AppendField(ObjectivesLiteral(p, features, reference), out);
  out->push_back('\t');
  AppendField(TextArrayLiteral(p.target_markets()), out);
  out->push_back('\t');
  AppendField(TextArrayLiteral(p.active_markets()), out);
  out->push_back('\t');
  AppendField(TextArrayLiteral(p.certifications()), out);
  out->push_back('\t');
  out->append(VisibilityName(p.visibility()));
  out->push_back('\t');
  if (p.has_valid_until()) {
    AppendTime(p.valid_until().seconds(), out);
  } else {
    AppendNull(out);
  }
  absl::StrAppend(out, "\t", p.version(), "\t");
  AppendTime(p.create_time().seconds(), out);
  out->push_back('\t');
  AppendTime(p.update_time().seconds(), out);
  out->push_back('\t');
  AppendField(IntArrayLiteral(features.doc_terms()), out);
  out->push_back('\t');
  AppendField(IntArrayLiteral(features.query_terms()), out);
  out->push_back('\n');
}

}  // namespace socio::bench
