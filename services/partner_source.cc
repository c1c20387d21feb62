#include "services/partner_source.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "matcher/scoring.h"
#include "services/grpc_status.h"
#include "services/match_policy.h"
#include "services/match_request.h"

namespace socio::services {
namespace {

// Pairs per ScorePairs request: 2 MB of scores, well under gRPC's default
// 4 MB limit on a received message, whatever the channel allows.
constexpr size_t kPairsPerRequest = 256 * 1024;

}  // namespace

LocalPartnerSource::LocalPartnerSource(const LocalPartnerSourceParts& parts)
    : parts_(parts),
      validator_(std::shared_ptr<const reference::ReferenceData>(parts_.tables,
                                                                 &parts_.tables->reference())) {}

absl::Status LocalPartnerSource::CatchUp() const {
  if (parts_.feed->WaitUntilCurrent(parts_.catch_up)) return absl::OkStatus();
  return absl::UnavailableError("the match index is still catching up with the profiles; retry");
}

absl::StatusOr<socio::v1::Profile> LocalPartnerSource::GetProfile(const std::string& id) const {
  return parts_.profiles->Get(id);
}

absl::StatusOr<std::string> LocalPartnerSource::IdOfHandle(const std::string& handle) const {
  return parts_.profiles->IdOfHandle(handle);
}

absl::StatusOr<socio::v1::FactorWeights> LocalPartnerSource::ChamberWeights(
    const std::string& chamber_id) const {
  absl::StatusOr<socio::v1::MatchPolicy> policy = PolicyOrDefaults(*parts_.policies, chamber_id);
  if (!policy.ok()) return policy.status();
  return policy->weights();
}

absl::StatusOr<std::vector<socio::v1::Match>> LocalPartnerSource::FindPartners(
    const std::string& member_id, const socio::v1::MatchFilters& filters, int k,
    const socio::v1::FactorWeights& weights) const {
  matcher::PartnerQuery query;
  query.member_id = member_id;
  absl::StatusOr<int> checked_k = CheckK(k);
  if (!checked_k.ok()) return checked_k.status();
  query.k = *checked_k;
  absl::StatusOr<matcher::PartnerFilters> packed =
      ToPartnerFilters(filters, *parts_.tables, validator_);
  if (!packed.ok()) return packed.status();
  query.filters = *std::move(packed);
  absl::StatusOr<matcher::Weights> normalized = matcher::NormalizeWeights(weights, "weights");
  if (!normalized.ok()) return normalized.status();
  query.weights = *normalized;
  if (absl::Status s = CatchUp(); !s.ok()) return s;
  query.now_seconds = absl::ToUnixSeconds(absl::Now());
  query.staff_view = true;  // as MatchService answers staff and operators
  absl::StatusOr<matcher::PartnerResult> found = parts_.index->FindPartners(query);
  if (!found.ok()) return found.status();
  return std::move(found->matches);
}

absl::StatusOr<std::vector<double>> LocalPartnerSource::PairScores(
    const std::vector<std::string>& a_ids, const std::vector<std::string>& b_ids,
    const socio::v1::FactorWeights& weights) const {
  absl::StatusOr<matcher::Weights> normalized = matcher::NormalizeWeights(weights, "weights");
  if (!normalized.ok()) return normalized.status();
  if (absl::Status s = CatchUp(); !s.ok()) return s;
  return parts_.index->PairScores(a_ids, b_ids, *normalized, absl::ToUnixSeconds(absl::Now()));
}

absl::StatusOr<socio::v1::Match> LocalPartnerSource::Explain(
    const std::string& a_id, const std::string& b_id,
    const socio::v1::FactorWeights& weights) const {
  absl::StatusOr<matcher::Weights> normalized = matcher::NormalizeWeights(weights, "weights");
  if (!normalized.ok()) return normalized.status();
  if (absl::Status s = CatchUp(); !s.ok()) return s;
  return parts_.index->Explain(a_id, b_id, *normalized, absl::ToUnixSeconds(absl::Now()),
                               /*staff_view=*/true);
}

RemotePartnerSource::RemotePartnerSource(std::shared_ptr<const clients::Channel> profiles,
                                         std::shared_ptr<const clients::Channel> matcher)
    : profiles_(std::move(profiles)), matcher_(std::move(matcher)) {}

absl::StatusOr<socio::v1::Profile> RemotePartnerSource::GetProfile(const std::string& id) const {
  return profiles_.GetProfile(id);
}

absl::StatusOr<std::string> RemotePartnerSource::IdOfHandle(const std::string& handle) const {
  return profiles_.IdOfHandle(handle);
}

absl::StatusOr<socio::v1::FactorWeights> RemotePartnerSource::ChamberWeights(
    const std::string& chamber_id) const {
  socio::v1::GetMatchPolicyRequest request;
  request.set_chamber_id(chamber_id);
  absl::StatusOr<socio::v1::MatchPolicy> policy = matcher_.GetMatchPolicy(request);
  if (!policy.ok()) return policy.status();
  return policy->weights();
}

absl::StatusOr<std::vector<socio::v1::Match>> RemotePartnerSource::FindPartners(
    const std::string& member_id, const socio::v1::MatchFilters& filters, int k,
    const socio::v1::FactorWeights& weights) const {
  socio::v1::FindPartnersRequest request;
  request.set_member_id(member_id);
  *request.mutable_filters() = filters;
  request.set_k(k);
  *request.mutable_weights() = weights;
  absl::StatusOr<socio::v1::FindPartnersResponse> response = matcher_.FindPartners(request);
  if (!response.ok()) return response.status();
  return std::vector<socio::v1::Match>(
      std::make_move_iterator(response->mutable_matches()->begin()),
      std::make_move_iterator(response->mutable_matches()->end()));
}

absl::StatusOr<std::vector<double>> RemotePartnerSource::PairScores(
    const std::vector<std::string>& a_ids, const std::vector<std::string>& b_ids,
    const socio::v1::FactorWeights& weights) const {
  std::vector<double> scores;
  if (b_ids.empty()) return scores;
  scores.reserve(a_ids.size() * b_ids.size());
  // Whole rows per request, as many as fit in kPairsPerRequest.
  const size_t rows_per_request = std::max<size_t>(1, kPairsPerRequest / b_ids.size());
  for (size_t first = 0; first < a_ids.size(); first += rows_per_request) {
    const size_t last = std::min(a_ids.size(), first + rows_per_request);
    socio::v1::ScorePairsRequest request;
    request.mutable_a_ids()->Add(a_ids.begin() + first, a_ids.begin() + last);
    request.mutable_b_ids()->Add(b_ids.begin(), b_ids.end());
    *request.mutable_weights() = weights;
    absl::StatusOr<socio::v1::ScorePairsResponse> response = matcher_.ScorePairs(request);
    if (!response.ok()) return response.status();
    if (static_cast<size_t>(response->scores_size()) != (last - first) * b_ids.size()) {
      return absl::InternalError(absl::StrCat("ScorePairs: the matcher answered ",
                                              response->scores_size(), " scores for ",
                                              (last - first) * b_ids.size(), " pairs"));
    }
    scores.insert(scores.end(), response->scores().begin(), response->scores().end());
  }
  return scores;
}

absl::StatusOr<socio::v1::Match> RemotePartnerSource::Explain(
    const std::string& a_id, const std::string& b_id,
    const socio::v1::FactorWeights& weights) const {
  socio::v1::ExplainMatchRequest request;
  request.set_a_id(a_id);
  request.set_b_id(b_id);
  *request.mutable_weights() = weights;
  return matcher_.ExplainMatch(request);
}

}  // namespace socio::services
