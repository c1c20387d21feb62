// What delegation planning reads and whom it asks who may see what. The
// service layer implements both: PlanningSource over the profile store and
// the match index in one process, or over the profile and matcher roles; the
// ProfileAccess of a caller from its tenancy rules. planner/ holds no
// profiles and decides no access of its own.
//
//   PlanningInputs inputs{.source = &source, .reference = reference.get(),
//                         .weights = *weights, .now = absl::Now()};
//   absl::StatusOr<socio::v1::DelegationPlan> plan = MakePlan(delegation, false, staff, inputs);
//
// Thread safety: every method of both interfaces may be called from any
// thread.
#ifndef SOCIO_PLANNER_PLANNING_SOURCE_H_
#define SOCIO_PLANNER_PLANNING_SOURCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "reference/reference_data.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/match_service.pb.h"
#include "socio/v1/profile.pb.h"

namespace socio::planner {

// Profiles, chamber weights, ranked partners, pair scores and explanations.
// Scores are judged at the time of each call (validity, freshness). Weights
// are FactorWeights as stored (not normalised); INVALID_ARGUMENT naming
// "weights" if unusable. A source that reads over the network also fails
// with the code and message of a failed call (UNAVAILABLE, ...).
class PlanningSource {
 public:
  virtual ~PlanningSource() = default;

  // The stored profile; NOT_FOUND if none.
  virtual absl::StatusOr<socio::v1::Profile> GetProfile(const std::string& id) const = 0;

  // The weights the chamber's policy ranks with, or the defaults if it never
  // set one. INVALID_ARGUMENT for a malformed chamber id.
  virtual absl::StatusOr<socio::v1::FactorWeights> ChamberWeights(
      const std::string& chamber_id) const = 0;

  // The member's `k` (1 to 1000; 0: 20) best partners, best first, as
  // MatchService.FindPartners ranks them for staff and operators (the staff
  // view: PRIVATE profiles of the member's own chamber count too; `filters`
  // as in the MatchFilters proto). NOT_FOUND for an unknown member;
  // INVALID_ARGUMENT naming the field for a bad k, filter or weight.
  virtual absl::StatusOr<std::vector<socio::v1::Match>> FindPartners(
      const std::string& member_id, const socio::v1::MatchFilters& filters, int k,
      const socio::v1::FactorWeights& weights) const = 0;

  // The reciprocal score of each of `a_ids` with each of `b_ids`, row-major
  // (a_ids.size() x b_ids.size()), whatever their visibility; a profile
  // paired with itself scores 0. Any number of pairs; none if a list is
  // empty. NOT_FOUND naming the first id not indexed.
  virtual absl::StatusOr<std::vector<double>> PairScores(
      const std::vector<std::string>& a_ids, const std::vector<std::string>& b_ids,
      const socio::v1::FactorWeights& weights) const = 0;

  // a's view of the pair, with the staff's view of visibility (b may be a
  // PRIVATE profile of a's chamber). NOT_FOUND if either is not indexed or b
  // is not a partner a's chamber's staff may be shown (hidden, or no longer
  // valid).
  virtual absl::StatusOr<socio::v1::Match> Explain(
      const std::string& a_id, const std::string& b_id,
      const socio::v1::FactorWeights& weights) const = 0;
};

// What one viewer (a caller, or the staff of a delegation's chamber) may see
// of profiles: the tenancy rules of services/access.h, asked by planning.
class ProfileAccess {
 public:
  virtual ~ProfileAccess() = default;

  // Whether the viewer may read `profile`.
  virtual bool CanRead(const socio::v1::Profile& profile) const = 0;

  // Whether the viewer sees `member`'s partners as its chamber's staff do
  // (the staff view PlanningSource::FindPartners ranks in).
  virtual bool SeesPrivatePartners(const socio::v1::Profile& member) const = 0;

  // Whether `partner` may be proposed, explained or counted as a partner of
  // `member` (whom the viewer acts for) at `now`.
  virtual bool PartnerVisible(const socio::v1::Profile& member, const socio::v1::Profile& partner,
                              absl::Time now) const = 0;

  // The handle that stands for `profile`'s id and name where the viewer may
  // not see who the company is (an anonymous profile, profile.proto); empty
  // where it may. Planning then names it by the handle and shows nothing
  // else that identifies it, its city included. Default: always empty.
  virtual std::string Pseudonym(const socio::v1::Profile& /*profile*/) const { return ""; }
};

// What planning reads. None is owned.
struct PlanningInputs {
  const PlanningSource* source = nullptr;
  const reference::ReferenceData* reference = nullptr;
  // The weights pairs are scored with (the organising chamber's policy), as
  // stored. REQUIRES (where scores are asked for): usable weights.
  socio::v1::FactorWeights weights;
  // The plan's time stamp and the time visibility is judged at.
  absl::Time now;
};

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLANNING_SOURCE_H_
