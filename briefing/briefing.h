// A delegation's cultural briefing (socio.v1.Briefing, briefing.proto),
// assembled from the delegation, the companies taking part and the reference
// data, and written as Markdown. Pure: no I/O beyond the tzdata zone files
// absl reads (and caches), no access rules; the caller decides what the
// reader may see (BriefingView) and passes the companies as the reader may
// see them.
//
//   socio::v1::Briefing b = AssembleBriefing(delegation, companies, *reference,
//                                            {.full = true});
//   b.days(0).offset_minutes();  // -420: Mexico City is 7 hours behind Berlin
//   std::string md = BriefingMarkdown(b);
//
// What it computes:
// - each day: its zone (reference::PlannedDayTimeZone, as it is planned)
//   against the origin country's principal zone, the difference of their UTC
//   offsets at noon at the venue, and the minutes that 09:00-17:00 at the
//   venue shares with 09:00-17:00 in the origin country (the origin's day
//   before, of, or after the date, whichever shares most), with that window
//   in both local times;
// - languages: those official in either country or spoken by at least
//   kWidelySpoken of its people (CLDR), and those a company lists; "shared"
//   when both countries have it so; per language, the delegates and hosts
//   that list it;
// - distance: great circle from the origin's principal city to the first
//   day's city where tzdata knows it (PlaceNames::CityZone), else to the
//   host's principal city;
// - with Hofstede scores: each dimension's scores, a short note of what the
//   difference may mean at a meeting (BriefingDimensionNote), and the
//   Kogut-Singh distance.
//
// Thread safety: the functions are reentrant; the arguments are read only.
#ifndef SOCIO_BRIEFING_BRIEFING_H_
#define SOCIO_BRIEFING_BRIEFING_H_

#include <optional>
#include <string>
#include <vector>

#include "reference/reference_data.h"
#include "socio/v1/briefing.pb.h"
#include "socio/v1/delegation.pb.h"

namespace socio::briefing {

// A language counts for a country when it is official there or spoken by at
// least this share of its people.
inline constexpr double kWidelySpoken = 0.2;
// Score differences below this are "close"; at or above kLargeDifference,
// "large".
inline constexpr double kCloseDifference = 10;
inline constexpr double kLargeDifference = 30;

// A company taking part, as the reader may see it.
struct BriefingParticipant {
  std::string member_id;
  // The name the reader is shown (a stand-in for an anonymous company the
  // reader may not see).
  std::string name;
  bool delegate = false;  // else a host
  // ISO 639-1 codes from its profile.
  std::vector<std::string> languages;
};

// What the reader sees.
struct BriefingView {
  // Operators and the organising chamber's staff: every company and the
  // staff's notes.
  bool full = false;
  // Otherwise the company the reader reads for: it alone is listed among a
  // language's companies (the counts stay whole); no notes.
  std::string member_id;
};

// The briefing of `delegation` for a reader with `view`. `participants`: the
// companies taking part (each once); a company not found by the caller is
// simply left out. REQUIRES: `delegation` passed storage::ValidateDelegation
// (its countries are known). Never fails: a figure the reference data cannot
// give (a country without a zone) is left at its default.
socio::v1::Briefing AssembleBriefing(const socio::v1::Delegation& delegation,
                                     const std::vector<BriefingParticipant>& participants,
                                     const reference::ReferenceData& reference,
                                     const BriefingView& view);

// The note BriefingDimension.note carries for Hofstede dimension `dimension`
// (0 to 5, in kHofstedeDimensionNames' order) when `origin` and `host` (the
// countries' names) score as given; a sentence saying a score is missing when
// either is.
std::string BriefingDimensionNote(int dimension, const std::string& origin,
                                  std::optional<double> origin_score, const std::string& host,
                                  std::optional<double> host_score);

// `briefing` as a Markdown document (UTF-8, "\n" line ends): a title, the
// two countries, the days' clocks, languages, distance, cultural dimensions
// where given, and the staff's notes where present. Only what `briefing`
// holds is written, so a reader's briefing exports no more than it shows.
std::string BriefingMarkdown(const socio::v1::Briefing& briefing);

}  // namespace socio::briefing

#endif  // SOCIO_BRIEFING_BRIEFING_H_
