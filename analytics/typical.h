// The figures event-matchmaking vendors publish as typical for their B2B
// meeting events (docs/ANALYTICS.md names the source), written once: GetAnalytics answers them
// (GetAnalyticsResponse.typical) and judges a chamber's rates against them
// (Standing), and the CLI and the web console show them from the answer.
//
// Plain values; thread-safe.
#ifndef SOCIO_ANALYTICS_TYPICAL_H_
#define SOCIO_ANALYTICS_TYPICAL_H_

#include <utility>

#include "socio/v1/analytics.pb.h"

namespace socio::analytics {

// A typical range of a rate, as fractions, both ends included.
struct TypicalRange {
  double low;
  double high;
  const char* source;
};

// Meeting requests accepted: about 40 to 60 % (accepted / answered).
inline constexpr TypicalRange kTypicalAcceptanceRate = {
    0.40, 0.60,
    "event-matchmaking vendors' benchmark (Converve, Event matchmaking FAQ 2026)"};

// Meetings kept: about 80 % of the meetings scheduled take place; taken as
// 75 to 85 %.
inline constexpr TypicalRange kTypicalHeldRate = {
    0.75, 0.85,
    "event-matchmaking vendors' benchmark of about 80 % (Converve, Event matchmaking FAQ 2026)"};

// Where `rate` stands in `range`.
inline socio::v1::Standing StandingOf(double rate, const TypicalRange& range) {
  if (rate < range.low) return socio::v1::BELOW_TYPICAL;
  if (rate > range.high) return socio::v1::ABOVE_TYPICAL;
  return socio::v1::WITHIN_TYPICAL;
}

// The ranges above as the API answers them.
inline socio::v1::TypicalFigures TypicalFiguresMessage() {
  socio::v1::TypicalFigures typical;
  for (auto [range, out] : {std::pair{&kTypicalAcceptanceRate, typical.mutable_acceptance_rate()},
                            std::pair{&kTypicalHeldRate, typical.mutable_held_rate()}}) {
    out->set_low(range->low);
    out->set_high(range->high);
    out->set_source(range->source);
  }
  return typical;
}

}  // namespace socio::analytics

#endif  // SOCIO_ANALYTICS_TYPICAL_H_
