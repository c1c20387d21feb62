// MatchService over gRPC: validates each request, reads the member (through
// a ProfileLookup: the local store, or the profile role) and the chamber's
// policy, asks the MatchIndex and returns its ranked, explained matches.
// Ranking and explanations live in matcher/; request checks in
// match_request.h.
#ifndef SOCIO_SERVICES_MATCH_SERVICE_H_
#define SOCIO_SERVICES_MATCH_SERVICE_H_

#include <memory>

#include "matcher/match_index.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/index_feed.h"
#include "services/pair_history.h"
#include "services/outcome_training.h"
#include "services/profile_lookup.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "storage/match_policy_store.h"
#include "storage/profile_validation.h"

namespace socio::services {

class MatchServiceImpl final : public socio::v1::MatchService::Service {
 public:
  // None is owned; all must outlive the service. `profiles` tells a member's
  // chamber (a StoreProfileLookup in the process that holds the profiles, a
  // RemoteProfileLookup in the matcher role); `feed` keeps `index` current
  // (an IndexFollower or a WatchFollower).
  MatchServiceImpl(const ProfileLookup* profiles, storage::MatchPolicyStore* policies,
                   const matcher::MatchIndex* index, const IndexFeed* feed,
                   std::shared_ptr<const matcher::ScoringTables> tables, const Authenticator* auth,
                   const Disclosure* disclosure, const PairHistory* history = nullptr);

  grpc::Status FindPartners(grpc::ServerContext* context,
                            const socio::v1::FindPartnersRequest* request,
                            socio::v1::FindPartnersResponse* response) override;
  grpc::Status ExplainMatch(grpc::ServerContext* context,
                            const socio::v1::ExplainMatchRequest* request,
                            socio::v1::Match* response) override;
  grpc::Status GetMatchPolicy(grpc::ServerContext* context,
                              const socio::v1::GetMatchPolicyRequest* request,
                              socio::v1::MatchPolicy* response) override;
  grpc::Status SetMatchPolicy(grpc::ServerContext* context,
                              const socio::v1::SetMatchPolicyRequest* request,
                              socio::v1::MatchPolicy* response) override;
  grpc::Status ScorePairs(grpc::ServerContext* context, const socio::v1::ScorePairsRequest* request,
                          socio::v1::ScorePairsResponse* response) override;
  grpc::Status SuggestMatchPolicy(grpc::ServerContext* context,
                                  const socio::v1::SuggestMatchPolicyRequest* request,
                                  socio::v1::MatchPolicySuggestion* response) override;

  // Where SuggestMatchPolicy learns from (not owned; must outlive the
  // service), in a process that keeps the meeting outcomes; without it the
  // RPC is UNIMPLEMENTED. REQUIRES: called before the service serves.
  void set_training(const OutcomeTraining* training) { training_ = training; }

 private:
  // The weights a request scores with: its own if given, else its chamber's.
  absl::StatusOr<socio::v1::FactorWeights> WeightsFor(bool has_override,
                                                      const socio::v1::FactorWeights& override,
                                                      const std::string& chamber_id) const;

  const ProfileLookup* const profiles_;
  storage::MatchPolicyStore* const policies_;
  const matcher::MatchIndex* const index_;
  const IndexFeed* const follower_;
  const std::shared_ptr<const matcher::ScoringTables> tables_;
  const storage::ProfileValidator validator_;
  const Authenticator* const auth_;
  const Disclosure* const disclosure_;
  // What members and their partners have been through (pairs not proposed
  // again are left out, those met are marked); null or not enabled where
  // marks and requests are kept by another process.
  const PairHistory* const history_;
  const OutcomeTraining* training_ = nullptr;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_MATCH_SERVICE_H_
