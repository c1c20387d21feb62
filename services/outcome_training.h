// What the weight suggester learns from: a chamber's recorded meeting
// outcomes turned into labelled pairs (learning::Outcome), and the
// suggestion MatchService.SuggestMatchPolicy answers with.
//
//   OutcomeTraining training({.outcomes = outcomes, .index = index,
//                             .engagement = engagement, .profiles = lookup});
//   absl::StatusOr<MatchPolicySuggestion> s = training.Suggest(policy, absl::Now());
//
// Which outcomes count and how they are labelled is written once, in
// match_suggestion.proto (MatchPolicySuggestion) and learning/meeting_label.h:
// every meeting with a side in the chamber that MeetingLabel labels, as of
// the meeting's end, and every DECLINED meeting request sent or received by
// a member of the chamber, a negative as of its answer. A pair's factor
// scores, both ways, are the matcher's for the two profiles as the index
// holds them now; a pair with a profile the index no longer holds is left
// out. Nothing is written.
//
// Thread safety: const methods may be called from any thread.
#ifndef SOCIO_SERVICES_OUTCOME_TRAINING_H_
#define SOCIO_SERVICES_OUTCOME_TRAINING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "learning/outcome.h"
#include "matcher/match_index.h"
#include "services/profile_lookup.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/match_suggestion.pb.h"
#include "storage/engagement_store.h"
#include "storage/outcome_store.h"

namespace socio::services {

struct OutcomeTrainingParts {
  // None is owned; all must outlive the OutcomeTraining. Required.
  const storage::OutcomeStore* outcomes = nullptr;
  const matcher::MatchIndex* index = nullptr;
  // The declined requests, and whose chamber a requester is; without either
  // declined requests are not read.
  const storage::EngagementStore* engagement = nullptr;
  const ProfileLookup* profiles = nullptr;
};

class OutcomeTraining {
 public:
  explicit OutcomeTraining(OutcomeTrainingParts parts) : parts_(parts) {}

  // The labelled outcomes of `chamber_id`'s members, oldest first, their
  // factors scored as of `now`. Errors of the stores.
  absl::StatusOr<std::vector<learning::Outcome>> ChamberOutcomes(const std::string& chamber_id,
                                                                 absl::Time now) const;

  // The suggestion for the chamber of `policy` (as PolicyOrDefaults returns
  // it): its weights beside weights fitted to ChamberOutcomes, with the
  // out-of-time evaluation (learning::SuggestWeights); below
  // learning::kMinOutcomes, or without positive and negative outcomes among
  // the older and the newer, enough_outcomes false and the reason in
  // message. INVALID_ARGUMENT naming policy.weights for weights the matcher
  // refuses; errors of ChamberOutcomes.
  absl::StatusOr<socio::v1::MatchPolicySuggestion> Suggest(const socio::v1::MatchPolicy& policy,
                                                           absl::Time now) const;

 private:
  // Adds the chamber's declined requests, unscored, to `outcomes`.
  absl::Status AddDeclined(const std::string& chamber_id,
                           std::vector<learning::Outcome>* outcomes) const;

  const OutcomeTrainingParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_OUTCOME_TRAINING_H_
