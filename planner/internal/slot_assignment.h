// Internal to socio::planner: puts chosen pairs into slots and improves the schedule by
// local search.
#ifndef SOCIO_PLANNER_INTERNAL_SLOT_ASSIGNMENT_H_
#define SOCIO_PLANNER_INTERNAL_SLOT_ASSIGNMENT_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "planner/internal/schedule.h"

namespace socio::planner::internal {

struct SlotSearchSettings {
  // Work (Schedule::changes()) the improvement may do, and half as much again for the last
  // sweeps of insertions and exchanges, which leave a local optimum.
  int64_t work = INT64_MAX / 4;
  // Safety caps on the clock, for the improvement and for the last sweeps.
  absl::Time deadline = absl::InfiniteFuture();
  absl::Time final_deadline = absl::InfiniteFuture();
  int rounds = 0;  // ruin-and-recreate rounds at most
  uint64_t seed = 1;
  // The search stops once the schedule reaches both (no schedule does better): a lower
  // bound on the shortfall and an upper bound on the score.
  int shortfall_floor = 0;
  int64_t spread_floor = 0;  // of the sum of squared shortfalls, at that shortfall
  double score_ceiling = 0;
};

// Completes `schedule`, which holds the placed locks: keeps the meetings of `previous`
// (pairs, at instance().previous_slot) that still fit, in order; places the pairs of
// `chosen` (those that cannot be placed are left out); then improves the schedule with
// insertions, ejection chains, Kempe-chain swaps, exchanges (a delegate's meeting given a
// better host in its slot or another, two delegates trading hosts or tables) and
// ruin-and-recreate rounds, accepting only changes that keep every lock and do not make the
// Objective worse. Deterministic unless a deadline ends the search.
void AssignSlots(const std::vector<int>& previous, const std::vector<int>& chosen,
                 const SlotSearchSettings& settings, Schedule* schedule);

// Places `pair` directly or by a Kempe-chain swap or by moving a blocking meeting to
// another slot, without dropping any meeting; true when placed. Used for any-slot locks.
bool PlaceWithoutLoss(int pair, Schedule* schedule);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_SLOT_ASSIGNMENT_H_
