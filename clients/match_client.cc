#include "clients/match_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::MatchService;

MatchClient::MatchClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(MatchService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::FindPartnersResponse> MatchClient::FindPartners(
    const socio::v1::FindPartnersRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &MatchService::Stub::FindPartners, request, call);
}

absl::StatusOr<socio::v1::Match> MatchClient::ExplainMatch(
    const socio::v1::ExplainMatchRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &MatchService::Stub::ExplainMatch, request, call);
}

absl::StatusOr<socio::v1::MatchPolicy> MatchClient::GetMatchPolicy(
    const socio::v1::GetMatchPolicyRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &MatchService::Stub::GetMatchPolicy, request, call);
}

absl::StatusOr<socio::v1::MatchPolicy> MatchClient::SetMatchPolicy(
    const socio::v1::SetMatchPolicyRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &MatchService::Stub::SetMatchPolicy, request, call);
}

absl::StatusOr<socio::v1::ScorePairsResponse> MatchClient::ScorePairs(
    const socio::v1::ScorePairsRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &MatchService::Stub::ScorePairs, request, call);
}

absl::StatusOr<socio::v1::MatchPolicySuggestion> MatchClient::SuggestMatchPolicy(
    const socio::v1::SuggestMatchPolicyRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &MatchService::Stub::SuggestMatchPolicy, request, call);
}

}  // namespace socio::clients
