// A scored pair as a socio.v1.Match: every factor's score and contribution in
// both directions, and reasons in plain words: to the member ("You seek a
// distributor in the United States; they offer distribution in the United
// States.") or, for staff, about it ("Huber seeks a distributor ...").
#ifndef SOCIO_MATCHER_EXPLANATION_H_
#define SOCIO_MATCHER_EXPLANATION_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "matcher/features.h"
#include "matcher/scoring.h"
#include "socio/v1/match.pb.h"

namespace socio::matcher {

// Who the partner is, for the Match.
struct PartnerInfo {
  absl::string_view id;
  absl::string_view name;
  absl::string_view chamber_id;
};

// The word a query-term fingerprint stands for, or "" if unknown.
using WordLookup = absl::FunctionRef<std::string(uint32_t)>;

// Scores a (the member) with b (the partner) and explains it. The factors
// come out in FactorScore.Factor order; contributions add up to the scores
// (see match.proto); reasons go strongest first. The reasons speak to the
// member ("You seek a distributor ...") when `subject` is empty, and about
// it by that name otherwise, for staff to read ("Huber seeks a distributor
// ...": pass ShortCompanyName of its name).
//
// kBasic (FindPartnersRequest.BASIC) leaves the factors out and keeps only the
// strongest reason, writing the text of no other.
enum class MatchDetail { kBasic, kFull };
socio::v1::Match DescribeMatch(const ScoreContext& context, const FeatureView& a,
                               const FeatureView& b, const PartnerInfo& partner, WordLookup word_of,
                               absl::string_view subject = "",
                               MatchDetail detail = MatchDetail::kFull);

// A company's name as a sentence names it: without a trailing legal form
// ("Salsas del Bajío S.A. de C.V." -> "Salsas del Bajío", "Huber
// Maschinenbau GmbH" -> "Huber Maschinenbau"). The name unchanged if it is
// nothing but a legal form.
std::string ShortCompanyName(absl::string_view name);

// "the United States", "Mexico": a country's English name as it reads in a
// sentence.
std::string CountryInSentence(const reference::CountryCatalog& catalog, int country);

}  // namespace socio::matcher

#endif  // SOCIO_MATCHER_EXPLANATION_H_
