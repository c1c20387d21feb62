// Labelled meeting outcomes: what the weight suggester learns from.
//
// An outcome is one proposed pair that met (or was meant to): the member, the
// partner, when the outcome was recorded, the pair's seven factor scores both
// ways as the matcher scored them (matcher::PairScore's forward and
// backward), and whether it went well. LabelOf maps how a meeting went to the
// label:
//
//   Label label = LabelOf(MeetingResult::kHeld, FollowUp::kAgreement);  // kPositive
//   if (label != Label::kUnlabelled) {
//     outcomes.push_back({.member_id = "de-0000001", .partner_id = "mx-0000042",
//                         .recorded_seconds = now, .forward = s.forward,
//                         .backward = s.backward, .positive = label == Label::kPositive});
//   }
//
// Plain values; thread-safe.
#ifndef SOCIO_LEARNING_OUTCOME_H_
#define SOCIO_LEARNING_OUTCOME_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "matcher/scoring.h"

namespace socio::learning {

// How a proposed meeting went.
enum class MeetingResult {
  kHeld,       // the two met
  kDeclined,   // either side declined the proposal
  kNoShow,     // planned, but either side did not come
  kCancelled,  // called off by the organiser (a schedule changed): says nothing about the pair
};

// What came of a meeting that was held.
enum class FollowUp {
  kNone,       // nothing
  kFollowUp,   // a further meeting, a visit, an offer
  kAgreement,  // a contract, an order, a partnership
};

enum class Label { kNegative, kPositive, kUnlabelled };

// kPositive: the meeting was held and led to a follow-up or an agreement.
// kNegative: declined, a no-show, or held without any follow-up.
// kUnlabelled: cancelled by the organiser; such outcomes are left out.
// `follow_up` is read only for a held meeting.
Label LabelOf(MeetingResult result, FollowUp follow_up);

struct Outcome {
  std::string member_id;
  std::string partner_id;
  int64_t recorded_seconds = 0;      // Unix seconds
  matcher::FactorScores forward{};   // member -> partner, each in [0, 1]
  matcher::FactorScores backward{};  // partner -> member, each in [0, 1]
  bool positive = false;
};

// OK if every factor score is finite and in [0, 1]; else INVALID_ARGUMENT
// naming `field`.forward or `field`.backward and the factor.
absl::Status ValidateOutcome(const Outcome& outcome, absl::string_view field);

// The factor's name as FactorWeights spells it ("objective", ..., "freshness").
absl::string_view FactorName(matcher::Factor factor);

}  // namespace socio::learning

#endif  // SOCIO_LEARNING_OUTCOME_H_
