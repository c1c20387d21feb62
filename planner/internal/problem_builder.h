// Internal to socio::planner: the PlanProblem of a delegation, built step by
// step in the order MakePlan (delegation_plan.h) calls the steps; each
// step's errors name the delegation's fields. Not thread-safe; every
// reference given must outlive the builder.
#ifndef SOCIO_PLANNER_INTERNAL_PROBLEM_BUILDER_H_
#define SOCIO_PLANNER_INTERNAL_PROBLEM_BUILDER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "planner/plan.h"
#include "planner/planning_source.h"
#include "planner/programme.h"
#include "planner/slot_grid.h"
#include "socio/v1/delegation.pb.h"

namespace socio::planner::internal {

class ProblemBuilder {
 public:
  // The problem's slots from `grid`, the grid of `d`; `staff`, the staff of
  // d's chamber, judges which hosts the filter may pick.
  ProblemBuilder(const socio::v1::Delegation& d, const SlotGrid& grid, const ProfileAccess& staff,
                 const PlanningInputs& inputs);

  // Every delegate, in the delegation's order. NOT_FOUND naming the field
  // for a delegate without a profile.
  absl::Status AddDelegates();
  // The named hosts, then the hosts of locked pairs that are not named.
  // FAILED_PRECONDITION naming the field for one in another country or in no
  // city of the itinerary.
  absl::Status AddNamedHosts();
  // Up to host_filter.max_hosts more: the best partners of any delegate the
  // staff may read and be shown, in a city of the itinerary, but none of
  // removed_host_ids().
  absl::Status AddFilteredHosts();
  // The scores of every delegate with every host.
  absl::Status AddScores();
  // The meetings of the previous plan (none if `fresh`), then the locks and
  // the excluded (DECLINED) pairs. A lock without a fixed time keeps its
  // previous slot while both companies can still meet there; otherwise it
  // may take any slot.
  void AddPreviousAndLocks(bool fresh);
  // The delegation's interpreters, and every pair of delegate and host
  // whose profiles share no language, with the interpreters who cover it.
  void AddInterpreters();

  const PlanProblem& problem() const { return problem_; }
  const std::vector<std::string>& delegate_ids() const { return delegate_ids_; }
  const std::vector<std::string>& host_ids() const { return host_ids_; }
  // The pairs() index of each lock.
  const std::vector<int>& lock_pair() const { return lock_pair_; }
  // Meetings of the previous plan left out of problem().previous because
  // their delegate, host or day is gone: dropped whatever the plan does.
  int dropped_previous() const { return dropped_previous_; }
  // Hosts the stored plan's delegation named (or had removed) that this
  // one does not name, in that order.
  const std::vector<std::string>& removed_host_ids() const { return removed_host_ids_; }
  // The delegation's travel rules, the operator's table included.
  const TravelRules& travel_rules() const { return travel_rules_; }
  // Each side's languages (profiles' `languages`), by problem() index.
  const google::protobuf::RepeatedPtrField<std::string>& delegate_languages(int delegate) const {
    return delegates_[delegate].languages();
  }
  const google::protobuf::RepeatedPtrField<std::string>& host_languages(int host) const {
    return host_languages_[host];
  }

 private:
  // Adds a host after checking it is in the host country and in a city of
  // the itinerary (FAILED_PRECONDITION naming `field` if not).
  absl::Status AddHost(const std::string& field, const std::string& id,
                       const socio::v1::Participant* p);

  const socio::v1::Delegation& d_;
  const SlotGrid& grid_;
  const ProfileAccess& staff_;
  const PlanningInputs& inputs_;
  const TravelRules travel_rules_;
  absl::flat_hash_set<std::string> cities_;  // folded
  std::vector<std::string> city_names_;      // as written, in itinerary order
  PlanProblem problem_;
  std::vector<std::string> delegate_ids_;
  std::vector<socio::v1::Profile> delegates_;
  absl::flat_hash_map<std::string, int> delegate_index_;
  std::vector<std::string> host_ids_;
  absl::flat_hash_map<std::string, int> host_index_;
  std::vector<google::protobuf::RepeatedPtrField<std::string>> host_languages_;
  std::vector<int> lock_pair_;
  int dropped_previous_ = 0;
  std::vector<std::string> removed_host_ids_;
  absl::flat_hash_set<std::string> removed_;
};

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_PROBLEM_BUILDER_H_
