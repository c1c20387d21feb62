// The rows of the peer's tables (schema.sql) in COPY text format, from
// Socio's reference data and stored profiles.
//
//   std::string rows;
//   AppendProfileRow(profile, features.view(), &rows);  // one line
//   connection.CopyBegin(absl::StrCat("COPY profiles (", kProfileColumns, ") FROM STDIN"));
//
// Values are written as Socio holds them: floats of the pair tables with
// enough digits to read back as the same `real`, times to the second (the
// matcher reads no fractions), unknown employees as NULL.
#ifndef SOCIO_BENCH_PEER_PEER_ROWS_H_
#define SOCIO_BENCH_PEER_PEER_ROWS_H_

#include <string>

#include "matcher/features.h"
#include "reference/reference_data.h"
#include "socio/v1/profile.pb.h"

namespace socio::bench {

// The columns the Append functions write, in order, for COPY's column list.
inline constexpr char kCountryColumns[] = "code, name, region_code, subregion_code";
inline constexpr char kCountryPairColumns[] = "a, b, closeness, shared_language";
inline constexpr char kProfileColumns[] =
    "id, chamber_id, name, country, city, sectors, sector_keys, employees, founded_year, "
    "languages, description, keywords, objectives, target_markets, active_markets, certifications, "
    "visibility, valid_until, version, create_time, update_time, doc_terms, query_terms";

// Every country of the catalog.
void AppendCountryRows(const reference::ReferenceData& reference, std::string* out);
// Every ordered pair of countries, a country with itself included.
void AppendCountryPairRows(const reference::ReferenceData& reference, std::string* out);

// Every link of Socio's value chain (reference/value_chain.h), its two
// codes packed as the matcher packs them (matcher::PackSector).
inline constexpr char kValueChainColumns[] = "maker, partner";
void AppendValueChainRows(const reference::ReferenceData& reference, std::string* out);

// One line for a stored profile; `features` are the ones Socio extracted
// from it (its packed sectors, term fingerprints and each objective's
// sectors and markets, those read from text included, are copied).
// Objectives of a type the matcher does not know are left out, and so are
// sectors and markets it does not know, as it leaves them out.
void AppendProfileRow(const socio::v1::Profile& profile, const matcher::FeatureView& features,
                      const reference::ReferenceData& reference, std::string* out);

}  // namespace socio::bench

#endif  // SOCIO_BENCH_PEER_PEER_ROWS_H_
