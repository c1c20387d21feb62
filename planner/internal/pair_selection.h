// Internal to socio::planner: the maximum-weight b-matching that chooses which pairs meet,
// and an upper bound on it from LP duality.
#ifndef SOCIO_PLANNER_INTERNAL_PAIR_SELECTION_H_
#define SOCIO_PLANNER_INTERNAL_PAIR_SELECTION_H_

#include <vector>

namespace socio::planner::internal {

struct BMatchingProblem {
  int delegates = 0;
  int hosts = 0;
  std::vector<int> delegate_cap;  // >= 0
  std::vector<int> host_cap;      // >= 0
  // Each delegate's meetings are raised to min(delegate_min, delegate_cap) before any score
  // counts: the flow first minimises the total shortfall, then maximises the weight.
  std::vector<int> delegate_min;
  // weight[d * hosts + h] > 0: the pair may be chosen, with that weight; <= 0: never.
  const std::vector<double>* weight = nullptr;
  // Further valid relaxations of the tables: at most `total_cap` pairs in all (-1: no such
  // cap), and at most group_cap[g] pairs of the delegates (or hosts) in group g, e.g. those
  // who can attend on one day only, with that day's tables. A group index of -1: none; a
  // group holds delegates or hosts, not both.
  int total_cap = -1;
  std::vector<int> delegate_group;  // empty: no groups
  std::vector<int> host_group;      // empty: no groups
  std::vector<int> group_cap;
  // A group of hosts may lie inside a larger group of hosts, whose cap then also holds for
  // it (e.g. the hosts of one window of slots inside those of that day). -1 or empty: none.
  // REQUIRES: group_parent[g] < g, and a host group's parent is a host group.
  std::vector<int> group_parent;
  // When the minimums cannot all be served: first spread the shortfall over the delegates
  // (least sum of squared shortfalls, on the offered pairs), then maximise the weight.
  bool spread_shortfall = false;
  // Pairs always offered to the flow besides each delegate's best `candidate_hosts`.
  std::vector<int> extra_pairs;
  int candidate_hosts = 0;
};

struct BMatching {
  std::vector<int> pairs;            // chosen pairs d * hosts + h
  std::vector<int> delegate_degree;  // chosen pairs per delegate
  double value = 0;                  // their weight
  int shortfall = 0;                 // sum of max(0, min(delegate_min, cap) - degree)
  // When shortfall is 0: an upper bound on the weight of every b-matching over ALL pairs of
  // positive weight in which each delegate has at least min(delegate_min, cap) pairs (the
  // value of a feasible LP dual solution). Equals `value` up to rounding, since the flow is
  // optimal and pairs left out of it are added until their dual prices cover them.
  // Meaningless when shortfall > 0.
  double bound = 0;
};

// Solves `problem` exactly. Pairs outside the candidate lists enter the flow when the dual
// prices of an optimal flow on the candidates do not cover them (column generation).
BMatching SolveBMatching(const BMatchingProblem& problem);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_PAIR_SELECTION_H_
