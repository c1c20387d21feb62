// MatchClient: MatchService of a sociod (matches and policies), one method per rpc, each
// answering the response or the call's error (code and message as the
// server gave them). Over a Channel (clients/channel.h); see ProfileClient
// (clients/profile_client.h) for an example.
//
// FindPartners, ExplainMatch, GetMatchPolicy, ScorePairs and SuggestMatchPolicy are
// retried on UNAVAILABLE (ClientOptions); SetMatchPolicy is not.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_MATCH_CLIENT_H_
#define SOCIO_CLIENTS_MATCH_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/match_service.grpc.pb.h"

namespace socio::clients {

class MatchClient {
 public:
  explicit MatchClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::FindPartnersResponse> FindPartners(
      const socio::v1::FindPartnersRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Match> ExplainMatch(const socio::v1::ExplainMatchRequest& request,
                                                const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MatchPolicy> GetMatchPolicy(
      const socio::v1::GetMatchPolicyRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MatchPolicy> SetMatchPolicy(
      const socio::v1::SetMatchPolicyRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ScorePairsResponse> ScorePairs(
      const socio::v1::ScorePairsRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MatchPolicySuggestion> SuggestMatchPolicy(
      const socio::v1::SuggestMatchPolicyRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::MatchService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_MATCH_CLIENT_H_
