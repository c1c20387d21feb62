#include "services/outcome_training.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/util/time_util.h"
#include "learning/meeting_label.h"
#include "learning/suggest.h"
#include "matcher/scoring.h"

namespace socio::services {
namespace {

using google::protobuf::util::TimeUtil;

void Fill(const learning::RankingQuality& q, socio::v1::RankingQuality* out) {
  out->set_auc(q.auc);
  out->set_ndcg_at_10(q.ndcg_at_10);
  out->set_outcomes(q.outcomes);
  out->set_positives(q.positives);
  out->set_members_ranked(q.members_ranked);
}

}  // namespace

absl::StatusOr<std::vector<learning::Outcome>> OutcomeTraining::ChamberOutcomes(
    const std::string& chamber_id, absl::Time now) const {
  std::vector<learning::Outcome> outcomes;
  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<socio::v1::MeetingOutcome>, std::string>> page =
        parts_.outcomes->List(storage::OutcomeStore::Scope::kChamber, chamber_id, nullptr,
                              storage::OutcomeStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const socio::v1::MeetingOutcome& meeting : page->first) {
      const learning::Label label = learning::MeetingLabel(meeting);
      if (label == learning::Label::kUnlabelled || meeting.sides_size() != 2) continue;
      // The chamber's side is the member; the first if both are.
      const bool first = meeting.sides(0).chamber_id() == chamber_id;
      learning::Outcome o;
      o.member_id = meeting.sides(first ? 0 : 1).member_id();
      o.partner_id = meeting.sides(first ? 1 : 0).member_id();
      o.recorded_seconds = TimeUtil::TimestampToSeconds(meeting.end_time());
      o.positive = label == learning::Label::kPositive;
      outcomes.push_back(std::move(o));
    }
    token = std::move(page->second);
  } while (!token.empty());
  if (absl::Status s = AddDeclined(chamber_id, &outcomes); !s.ok()) return s;

  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(outcomes.size());
  for (const learning::Outcome& o : outcomes) pairs.emplace_back(o.member_id, o.partner_id);
  // Factor scores do not depend on the weights; any will do.
  const std::vector<std::optional<matcher::PairScore>> scores =
      parts_.index->ScoreEachPair(pairs, matcher::Weights{}, absl::ToUnixSeconds(now));
  std::vector<learning::Outcome> scored;
  scored.reserve(outcomes.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!scores[i].has_value()) continue;  // a profile is gone
    outcomes[i].forward = scores[i]->forward;
    outcomes[i].backward = scores[i]->backward;
    scored.push_back(std::move(outcomes[i]));
  }
  std::sort(scored.begin(), scored.end(),
            [](const learning::Outcome& a, const learning::Outcome& b) {
              return std::tie(a.recorded_seconds, a.member_id, a.partner_id) <
                     std::tie(b.recorded_seconds, b.member_id, b.partner_id);
            });
  return scored;
}

absl::Status OutcomeTraining::AddDeclined(const std::string& chamber_id,
                                          std::vector<learning::Outcome>* outcomes) const {
  if (parts_.engagement == nullptr || parts_.profiles == nullptr) return absl::OkStatus();
  storage::EngagementStore::RequestScope scope;
  scope.chamber_id = chamber_id;
  scope.states = {socio::v1::MeetingRequest::DECLINED};
  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<socio::v1::MeetingRequest>, std::string>> page =
        parts_.engagement->ListRequests(scope, storage::EngagementStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const socio::v1::MeetingRequest& request : page->first) {
      // The chamber's side is the member: the requester if it is one.
      absl::StatusOr<socio::v1::Profile> from =
          parts_.profiles->GetProfile(request.from_member_id());
      const bool from_here = from.ok() && from->chamber_id() == chamber_id;
      learning::Outcome o;
      o.member_id = from_here ? request.from_member_id() : request.to_ref();
      o.partner_id = from_here ? request.to_ref() : request.from_member_id();
      o.recorded_seconds = TimeUtil::TimestampToSeconds(request.update_time());
      o.positive = false;  // LabelOf(kDeclined)
      outcomes->push_back(std::move(o));
    }
    token = std::move(page->second);
  } while (!token.empty());
  return absl::OkStatus();
}

absl::StatusOr<socio::v1::MatchPolicySuggestion> OutcomeTraining::Suggest(
    const socio::v1::MatchPolicy& policy, absl::Time now) const {
  absl::StatusOr<matcher::Weights> current =
      matcher::NormalizeWeights(policy.weights(), "policy.weights");
  if (!current.ok()) return current.status();
  absl::StatusOr<std::vector<learning::Outcome>> outcomes =
      ChamberOutcomes(policy.chamber_id(), now);
  if (!outcomes.ok()) return outcomes.status();

  socio::v1::MatchPolicySuggestion out;
  out.set_chamber_id(policy.chamber_id());
  *out.mutable_current() = matcher::ToFactorWeights(*current);
  out.set_current_version(policy.version());
  out.set_outcomes(static_cast<int>(outcomes->size()));
  out.set_positives(static_cast<int>(std::count_if(
      outcomes->begin(), outcomes->end(), [](const learning::Outcome& o) { return o.positive; })));
  const learning::SuggestOptions options;
  out.set_min_outcomes(options.min_outcomes);
  absl::StatusOr<learning::Suggestion> s =
      learning::SuggestWeights(*std::move(outcomes), *current, options);
  if (absl::IsFailedPrecondition(s.status())) {
    out.set_enough_outcomes(false);
    out.set_message(std::string(s.status().message()));
    return out;
  }
  if (!s.ok()) return s.status();
  out.set_enough_outcomes(true);
  *out.mutable_suggested() = matcher::ToFactorWeights(s->suggested);
  Fill(s->held_out_suggested, out.mutable_held_out_suggested());
  Fill(s->held_out_current, out.mutable_held_out_current());
  out.set_fitted_outcomes(s->fitted_outcomes);
  out.set_held_out_outcomes(s->held_out_outcomes);
  *out.mutable_held_out_since() = TimeUtil::SecondsToTimestamp(s->held_out_since_seconds);
  return out;
}

}  // namespace socio::services
