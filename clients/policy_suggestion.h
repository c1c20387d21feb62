// `socio policy suggest`'s output for people: a chamber's current weights
// beside those fitted to its recorded meeting outcomes
// (MatchService.SuggestMatchPolicy), the out-of-time evaluation of both, and
// the `socio policy set` command that applies the suggestion; or, below the
// minimum of outcomes, how many there are and how many are needed.
//
//   PrintSuggestion(suggestion, std::cout);
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_POLICY_SUGGESTION_H_
#define SOCIO_CLIENTS_POLICY_SUGGESTION_H_

#include <ostream>
#include <string>

#include "socio/v1/match_suggestion.pb.h"

namespace socio::clients {

void PrintSuggestion(const socio::v1::MatchPolicySuggestion& suggestion, std::ostream& out);

// "socio policy set CHAMBER --weights objective=0.2150,...,freshness=0.0500",
// with "--expected-version N" when the current weights are a stored policy
// (so that it refuses if the policy changed since). Each weight has four
// decimals. REQUIRES: suggestion.enough_outcomes().
std::string ApplyCommand(const socio::v1::MatchPolicySuggestion& suggestion);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_POLICY_SUGGESTION_H_
