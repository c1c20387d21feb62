#include "planner/delegation_plan.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "planner/internal/problem_builder.h"
#include "planner/interpreters.h"
#include "planner/programme.h"
#include "planner/slot_grid.h"
#include "reference/itinerary.h"

namespace socio::planner {
namespace {

using internal::ProblemBuilder;
using socio::v1::Delegation;
using socio::v1::DelegationPlan;
using socio::v1::ItineraryDay;
using socio::v1::MeetingPair;
using socio::v1::PlannedMeeting;
using socio::v1::Profile;

constexpr int kReasonsPerMeeting = 3;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

// The planner's message names its locks by index; people know the pairs.
absl::Status RenameLock(const absl::Status& status, const std::vector<int>& lock_pair) {
  const std::string message(status.message());
  if (!absl::StartsWith(message, "locks[")) return status;
  const size_t close = message.find(']');
  int lock = -1;
  if (close == std::string::npos || !absl::SimpleAtoi(message.substr(6, close - 6), &lock) ||
      lock < 0 || lock >= static_cast<int>(lock_pair.size())) {
    return status;
  }
  return absl::Status(status.code(), absl::StrCat("delegation.pairs[", lock_pair[lock], "]",
                                                  message.substr(close + 1)));
}

socio::v1::MeetingLoad ToLoad(const CompanyLoad& load) {
  socio::v1::MeetingLoad out;
  out.set_min(load.min);
  out.set_mean(load.mean);
  out.set_max(load.max);
  return out;
}

// Each side's reasons for meeting, from the source's explanations; none for
// a member the index no longer holds.
void AddReasons(const PlanningInputs& inputs, PlannedMeeting* meeting) {
  for (bool delegate_side : {true, false}) {
    const std::string& a = delegate_side ? meeting->delegate_id() : meeting->host_id();
    const std::string& b = delegate_side ? meeting->host_id() : meeting->delegate_id();
    absl::StatusOr<socio::v1::Match> why = inputs.source->Explain(a, b, inputs.weights);
    if (!why.ok()) continue;
    for (int r = 0; r < std::min(kReasonsPerMeeting, why->reasons_size()); ++r) {
      *(delegate_side ? meeting->add_reasons() : meeting->add_host_reasons()) = why->reasons(r);
    }
  }
}

// Why a meeting that needs an interpreter has none, in plain words.
std::string InterpreterGapReason(const Delegation& d, const PlannedMeeting& m) {
  const std::string languages = absl::StrCat(absl::StrJoin(m.delegate_languages(), "/"), " and ",
                                             absl::StrJoin(m.host_languages(), "/"));
  for (const socio::v1::Interpreter& interpreter : d.interpreters()) {
    if (Covers(interpreter, m.delegate_languages(), m.host_languages())) {
      return absl::StrCat("every interpreter for ", languages,
                          " is busy or unavailable then, and no other slot free for both "
                          "companies has one");
    }
  }
  return absl::StrCat("no interpreter translates between ", languages);
}

// The planner's result as the DelegationPlan that is stored.
DelegationPlan ToPlan(const Delegation& d, const SlotGrid& grid, const ProblemBuilder& built,
                      const PlanResult& result, const PlanningInputs& inputs) {
  DelegationPlan plan;
  for (const Meeting& m : result.meetings) {
    const SlotGrid::Slot& slot = grid.slots[m.slot];
    const ItineraryDay& day = d.days(grid.day_index[slot.position]);
    PlannedMeeting* out = plan.add_meetings();
    out->set_delegate_id(built.delegate_ids()[m.delegate]);
    out->set_host_id(built.host_ids()[m.host]);
    out->set_date(day.date());
    out->set_slot(slot.index);
    *out->mutable_start_time() = ToTimestamp(slot.start);
    *out->mutable_end_time() = ToTimestamp(slot.end);
    out->set_local_start(reference::FormatTimeOfDay(grid.days[slot.position].starts[slot.index]));
    out->set_table(m.table + 1);
    out->set_score(m.score);
    out->set_locked(m.locked);
    AddReasons(inputs, out);
    out->set_uid(absl::StrCat(d.id(), "-", out->delegate_id(), "-", out->host_id(), "@socio"));
    if (m.needs_interpreter) {
      out->set_needs_interpreter(true);
      *out->mutable_delegate_languages() = built.delegate_languages(m.delegate);
      *out->mutable_host_languages() = built.host_languages(m.host);
      if (m.interpreter >= 0) out->set_interpreter(d.interpreters(m.interpreter).name());
    }
  }
  for (int index : result.uncovered) {
    const PlannedMeeting& m = plan.meetings(index);
    socio::v1::InterpreterGap* gap = plan.add_interpreter_gaps();
    gap->set_delegate_id(m.delegate_id());
    gap->set_host_id(m.host_id());
    gap->set_date(m.date());
    gap->set_local_start(m.local_start());
    gap->set_reason(InterpreterGapReason(d, m));
  }
  plan.set_interpreter_moves(result.interpreter_moves);
  for (socio::v1::ProgrammeTravelTime& t : TravelTimesOf(d, built.travel_rules())) {
    *plan.add_travel_times() = std::move(t);
  }
  plan.set_total_score(result.total);
  plan.set_bound(result.bound);
  plan.set_gap(result.gap);
  *plan.mutable_delegate_load() = ToLoad(result.delegate_load);
  *plan.mutable_host_load() = ToLoad(result.host_load);
  for (const UnplacedLock& u : result.unplaced_locks) {
    const MeetingPair& pair = d.pairs(built.lock_pair()[u.lock]);
    socio::v1::UnplacedPair* out = plan.add_unplaced();
    out->set_delegate_id(pair.delegate_id());
    out->set_host_id(pair.host_id());
    out->set_reason(u.reason);
  }
  plan.set_moved(result.moved + built.dropped_previous());
  plan.set_min_shortfall(result.min_shortfall);
  for (const std::string& id : built.host_ids()) plan.add_host_ids(id);
  plan.set_named_hosts(d.hosts_size());
  for (const std::string& id : built.removed_host_ids()) plan.add_removed_host_ids(id);
  *plan.mutable_plan_time() = ToTimestamp(inputs.now);
  plan.set_delegation_version(d.version());
  return plan;
}

}  // namespace

absl::Status CheckNamedCompanies(const Delegation& d, const PlanningSource& profiles,
                                 const ProfileAccess& staff, absl::StatusCode code) {
  std::vector<std::pair<std::string, const std::string*>> named;
  for (int i = 0; i < d.delegates_size(); ++i) {
    named.emplace_back(absl::StrCat("delegation.delegates[", i, "]"), &d.delegates(i).member_id());
  }
  for (int i = 0; i < d.hosts_size(); ++i) {
    named.emplace_back(absl::StrCat("delegation.hosts[", i, "]"), &d.hosts(i).member_id());
  }
  for (int i = 0; i < d.pairs_size(); ++i) {
    named.emplace_back(absl::StrCat("delegation.pairs[", i, "].delegate_id"),
                       &d.pairs(i).delegate_id());
    named.emplace_back(absl::StrCat("delegation.pairs[", i, "].host_id"), &d.pairs(i).host_id());
  }
  absl::flat_hash_map<std::string, bool> visible;  // by id, each read once
  for (const auto& [field, id] : named) {
    auto [it, inserted] = visible.try_emplace(*id, false);
    if (inserted) {
      absl::StatusOr<Profile> profile = profiles.GetProfile(*id);
      // A malformed id names no profile either.
      if (!profile.ok() && !absl::IsNotFound(profile.status()) &&
          !absl::IsInvalidArgument(profile.status())) {
        return profile.status();
      }
      it->second = profile.ok() && staff.CanRead(*profile);
    }
    if (!it->second) {
      return absl::Status(code, absl::StrCat(field, ": no company '", *id, "' that chamber '",
                                             d.chamber_id(), "' may see"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DelegationPlan> MakePlan(const Delegation& d, bool fresh, const ProfileAccess& staff,
                                        const PlanningInputs& inputs, const PlanOptions& options) {
  absl::StatusOr<SlotGrid> grid = BuildSlotGrid(d, *inputs.reference);
  if (!grid.ok()) return grid.status();
  // Visibility may have changed since the delegation was stored.
  if (absl::Status s =
          CheckNamedCompanies(d, *inputs.source, staff, absl::StatusCode::kFailedPrecondition);
      !s.ok()) {
    return s;
  }
  ProblemBuilder built(d, *grid, staff, inputs);
  if (absl::Status s = built.AddDelegates(); !s.ok()) return s;
  if (absl::Status s = built.AddNamedHosts(); !s.ok()) return s;
  if (absl::Status s = built.AddFilteredHosts(); !s.ok()) return s;
  if (absl::Status s = built.AddScores(); !s.ok()) return s;
  built.AddPreviousAndLocks(fresh);
  built.AddInterpreters();
  absl::StatusOr<PlanResult> result = PlanDelegation(built.problem(), options);
  if (!result.ok()) return RenameLock(result.status(), built.lock_pair());
  return ToPlan(d, *grid, built, *result, inputs);
}

}  // namespace socio::planner
