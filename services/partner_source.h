// PartnerSource: what delegation planning reads about members and their
// matches (planner::PlanningSource: profiles, chamber weights, ranked
// partners, pair scores and explanations), from the parts in this process
// (LocalPartnerSource) or, in the planner role, from the profile and matcher
// roles over gRPC (RemotePartnerSource). Both give the same answers over the
// same data, and fail with the same codes (NOT_FOUND, INVALID_ARGUMENT naming
// the field).
//
//   LocalPartnerSource local({.profiles = store, .policies = policies, .index = index,
//                             .feed = follower, .tables = tables});
//   RemotePartnerSource remote(clients::Channel::Open({.address = profile_address, .token =
//   token}),
//                              clients::Channel::Open({.address = matcher_address, .token =
//                              token}));
//   absl::StatusOr<socio::v1::FactorWeights> weights = remote.ChamberWeights("ihk-muenchen");
//   absl::StatusOr<std::vector<socio::v1::Match>> best =
//       remote.FindPartners("de-0042", filters, 20, *weights);
//
// Scores are judged at the time of each call (validity, freshness), by the
// clock of the process that holds the index. Weights are FactorWeights as
// stored (not normalised); INVALID_ARGUMENT naming "weights" if unusable.
//
// Thread safety: every method may be called from any thread.
#ifndef SOCIO_SERVICES_PARTNER_SOURCE_H_
#define SOCIO_SERVICES_PARTNER_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/channel.h"
#include "clients/match_client.h"
#include "matcher/match_index.h"
#include "planner/planning_source.h"
#include "services/index_feed.h"
#include "services/profile_lookup.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/match_service.pb.h"
#include "storage/match_policy_store.h"
#include "storage/profile_store.h"
#include "storage/profile_validation.h"

namespace socio::services {

// A planner::PlanningSource that is also the ProfileLookup the access rules
// read through (access.h's ReadProfile).
class PartnerSource : public planner::PlanningSource, public ProfileLookup {
 public:
  // The stored profile; NOT_FOUND if none. One method for both interfaces.
  absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const override = 0;
};

// The parts of a process that holds the profiles and the index. None is
// owned; all must outlive the source.
struct LocalPartnerSourceParts {
  const storage::ProfileStore* profiles = nullptr;
  const storage::MatchPolicyStore* policies = nullptr;
  const matcher::MatchIndex* index = nullptr;
  // Keeps `index` equal to `profiles`.
  const IndexFeed* feed = nullptr;
  std::shared_ptr<const matcher::ScoringTables> tables;
  // How long a call that reads the index waits for it to catch up with the
  // writes committed before it; UNAVAILABLE after that. Default: 1 s.
  absl::Duration catch_up = absl::Seconds(1);
};

class LocalPartnerSource final : public PartnerSource {
 public:
  explicit LocalPartnerSource(const LocalPartnerSourceParts& parts);

  absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const override;
  absl::StatusOr<std::string> IdOfHandle(const std::string& handle) const override;
  absl::StatusOr<socio::v1::FactorWeights> ChamberWeights(
      const std::string& chamber_id) const override;
  absl::StatusOr<std::vector<socio::v1::Match>> FindPartners(
      const std::string& member_id, const socio::v1::MatchFilters& filters, int k,
      const socio::v1::FactorWeights& weights) const override;
  absl::StatusOr<std::vector<double>> PairScores(
      const std::vector<std::string>& a_ids, const std::vector<std::string>& b_ids,
      const socio::v1::FactorWeights& weights) const override;
  absl::StatusOr<socio::v1::Match> Explain(const std::string& a_id, const std::string& b_id,
                                           const socio::v1::FactorWeights& weights) const override;

 private:
  // UNAVAILABLE if the index does not catch up within parts_.catch_up.
  absl::Status CatchUp() const;

  const LocalPartnerSourceParts parts_;
  const storage::ProfileValidator validator_;
};

// ProfileService.GetProfile on the profile role; MatchService.FindPartners,
// ScorePairs, ExplainMatch and GetMatchPolicy on the matcher role, as the
// holder of options.token (an operator's: ScorePairs is for operators). A
// failed call's code and message are returned as they came. One call per method
// call: planning a delegation reads its companies' profiles one by one (a
// batch read would save round trips for large host pools).
class RemotePartnerSource final : public PartnerSource {
 public:
  // Calls carry each channel's token and deadline.
  RemotePartnerSource(std::shared_ptr<const clients::Channel> profiles,
                      std::shared_ptr<const clients::Channel> matcher);

  absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const override;
  absl::StatusOr<std::string> IdOfHandle(const std::string& handle) const override;
  absl::StatusOr<socio::v1::FactorWeights> ChamberWeights(
      const std::string& chamber_id) const override;
  absl::StatusOr<std::vector<socio::v1::Match>> FindPartners(
      const std::string& member_id, const socio::v1::MatchFilters& filters, int k,
      const socio::v1::FactorWeights& weights) const override;
  absl::StatusOr<std::vector<double>> PairScores(
      const std::vector<std::string>& a_ids, const std::vector<std::string>& b_ids,
      const socio::v1::FactorWeights& weights) const override;
  absl::StatusOr<socio::v1::Match> Explain(const std::string& a_id, const std::string& b_id,
                                           const socio::v1::FactorWeights& weights) const override;

 private:
  const RemoteProfileLookup profiles_;
  const clients::MatchClient matcher_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_PARTNER_SOURCE_H_
