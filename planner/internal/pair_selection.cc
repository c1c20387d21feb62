#include "planner/internal/pair_selection.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "planner/internal/min_cost_flow.h"

namespace socio::planner::internal {
namespace {

// Reduced weights above this leave a pair's dual constraint violated.
constexpr double kViolation = 1e-9;
constexpr int kMaxRounds = 50;

struct FlowSolution {
  std::vector<int> pairs;
  std::vector<int> degree;
  double value = 0;
  // Dual prices. A pair (d, h) is covered when its weight is at most
  // delegate_price[d] + upstream[d] + host_price[h].
  std::vector<double> delegate_price;  // A_d, any sign: its negative part prices the minimum
  std::vector<double> upstream;        // total and delegate-group prices, >= 0
  std::vector<double> host_price;      // the host's and its group's, >= 0
  std::vector<double> host_own_price;  // the host's, >= 0
  double total_price = 0;              // >= 0
  std::vector<double> group_price;     // >= 0
};

bool HasGroup(const std::vector<int>& groups, int i) { return !groups.empty() && groups[i] >= 0; }

// With `spread`, weights do not count: the flow serves as much of the minimums as it can,
// the k-th missing meeting of a delegate costing more than the (k-1)-th, so the shortfall
// falls on as many delegates as possible (least sum of squared shortfalls).
FlowSolution SolveOnCandidates(const BMatchingProblem& problem,
                               const std::vector<std::vector<int>>& candidates,
                               const std::vector<int>& minimum, bool spread) {
  const int nd = problem.delegates;
  const int nh = problem.hosts;
  const int ng = static_cast<int>(problem.group_cap.size());
  const std::vector<double>& weight = *problem.weight;
  // Serving one more unit of minimum must outweigh any change in total weight.
  double big = 1;
  int64_t unlimited = 1;
  for (int cap : problem.delegate_cap) {
    big += cap;
    unlimited += cap;
  }
  double spread_unit = 2;
  for (int m : minimum) spread_unit += 2 * m;

  // Nodes: source, total, groups, delegates, hosts, sink.
  const int source = 0;
  const int total = 1;
  auto group_node = [&](int g) { return 2 + g; };
  auto delegate_node = [&](int d) { return 2 + ng + d; };
  auto host_node = [&](int h) { return 2 + ng + nd + h; };
  const int sink = 2 + ng + nd + nh;
  MinCostFlow flow(sink + 1);
  const int total_cap = problem.total_cap >= 0
                            ? problem.total_cap
                            : static_cast<int>(std::min<int64_t>(unlimited, 1 << 30));
  flow.AddArc(source, total, total_cap, 0);
  std::vector<bool> delegate_side_group(ng, false);
  for (int d = 0; d < nd; ++d) {
    int from = total;
    if (HasGroup(problem.delegate_group, d)) {
      from = group_node(problem.delegate_group[d]);
      delegate_side_group[problem.delegate_group[d]] = true;
    }
    if (spread) {
      // Serving the i-th of m meetings lowers the squared shortfall by 2 (m - i) + 1; one
      // more meeting served outweighs any such difference. Small integers: exact.
      for (int i = 1; i <= minimum[d]; ++i) {
        flow.AddArc(from, delegate_node(d), 1, -(spread_unit + 2 * (minimum[d] - i) + 1));
      }
      continue;
    }
    if (minimum[d] > 0) flow.AddArc(from, delegate_node(d), minimum[d], -big);
    if (problem.delegate_cap[d] > minimum[d]) {
      flow.AddArc(from, delegate_node(d), problem.delegate_cap[d] - minimum[d], 0);
    }
  }
  std::vector<bool> host_side_group(ng, false);
  for (int h = 0; h < nh; ++h) {
    if (HasGroup(problem.host_group, h)) host_side_group[problem.host_group[h]] = true;
  }
  auto parent_of = [&](int g) {
    return g < static_cast<int>(problem.group_parent.size()) ? problem.group_parent[g] : -1;
  };
  for (int g = ng - 1; g >= 0; --g) {  // parents of groups that have hosts have hosts too
    if (host_side_group[g] && parent_of(g) >= 0) host_side_group[parent_of(g)] = true;
  }
  // The node a host group's flow goes on to.
  auto after_group = [&](int g) { return parent_of(g) >= 0 ? group_node(parent_of(g)) : sink; };
  for (int g = 0; g < ng; ++g) {
    if (delegate_side_group[g]) flow.AddArc(total, group_node(g), problem.group_cap[g], 0);
    if (host_side_group[g]) flow.AddArc(group_node(g), after_group(g), problem.group_cap[g], 0);
  }
  std::vector<std::pair<int, int>> pair_arcs;  // (arc, pair)
  for (int d = 0; d < nd; ++d) {
    for (int h : candidates[d]) {
      const int pair = d * nh + h;
      pair_arcs.push_back({flow.AddArc(delegate_node(d), host_node(h), 1, -weight[pair]), pair});
    }
  }
  for (int h = 0; h < nh; ++h) {
    if (problem.host_cap[h] <= 0) continue;
    const int to = HasGroup(problem.host_group, h) ? group_node(problem.host_group[h]) : sink;
    flow.AddArc(host_node(h), to, problem.host_cap[h], 0);
  }
  flow.MinimizeCost(source, sink);

  FlowSolution solution;
  solution.degree.assign(nd, 0);
  for (const auto& [arc, pair] : pair_arcs) {
    if (flow.Flow(arc) > 0) {
      solution.pairs.push_back(pair);
      solution.value += weight[pair];
      ++solution.degree[pair / nh];
    }
  }
  // With p the potentials, an arc i -> j of cost 0 has the dual price p[j] - p[i] (>= 0 when
  // it is full); for a pair arc, w <= p[d] - p[h], which splits into the arcs' prices along
  // source -> ... -> d and h -> ... -> sink (using p[sink] >= p[source]).
  const std::vector<double> p = flow.Potentials(source, sink);
  auto positive = [](double x) { return std::max(0.0, x); };
  if (problem.total_cap >= 0) solution.total_price = positive(p[total] - p[source]);
  solution.group_price.resize(ng);
  for (int g = 0; g < ng; ++g) {
    if (delegate_side_group[g]) solution.group_price[g] = positive(p[group_node(g)] - p[total]);
    if (host_side_group[g]) {
      solution.group_price[g] = positive(p[after_group(g)] - p[group_node(g)]);
    }
  }
  solution.delegate_price.resize(nd);
  solution.upstream.resize(nd);
  for (int d = 0; d < nd; ++d) {
    const bool grouped = HasGroup(problem.delegate_group, d);
    const int parent = grouped ? group_node(problem.delegate_group[d]) : total;
    solution.delegate_price[d] = p[delegate_node(d)] - p[parent];
    solution.upstream[d] =
        solution.total_price + (grouped ? solution.group_price[problem.delegate_group[d]] : 0);
  }
  solution.host_price.resize(nh);
  solution.host_own_price.resize(nh);
  for (int h = 0; h < nh; ++h) {
    const bool grouped = HasGroup(problem.host_group, h);
    const int parent = grouped ? group_node(problem.host_group[h]) : sink;
    solution.host_own_price[h] = positive(p[parent] - p[host_node(h)]);
    solution.host_price[h] = solution.host_own_price[h];
    for (int g = grouped ? problem.host_group[h] : -1; g >= 0; g = parent_of(g)) {
      solution.host_price[h] += solution.group_price[g];
    }
  }
  return solution;
}

double Uncovered(const FlowSolution& s, int d, int h, double w) {
  return w - s.delegate_price[d] - s.upstream[d] - s.host_price[h];
}

}  // namespace

BMatching SolveBMatching(const BMatchingProblem& problem) {
  const int nd = problem.delegates;
  const int nh = problem.hosts;
  const std::vector<double>& weight = *problem.weight;
  std::vector<int> minimum(nd);
  for (int d = 0; d < nd; ++d) {
    minimum[d] = std::max(0, std::min(problem.delegate_min[d], problem.delegate_cap[d]));
  }

  // Each delegate's best hosts, plus the extra pairs.
  std::vector<uint8_t> offered(static_cast<size_t>(nd) * nh, 0);
  std::vector<std::vector<int>> candidates(nd);
  std::vector<int> hosts;
  for (int d = 0; d < nd; ++d) {
    if (problem.delegate_cap[d] == 0) continue;
    hosts.clear();
    for (int h = 0; h < nh; ++h) {
      if (weight[static_cast<size_t>(d) * nh + h] > 0 && problem.host_cap[h] > 0) {
        hosts.push_back(h);
      }
    }
    const size_t keep = std::min<size_t>(hosts.size(), std::max(0, problem.candidate_hosts));
    auto better = [&](int a, int b) {
      const double wa = weight[static_cast<size_t>(d) * nh + a];
      const double wb = weight[static_cast<size_t>(d) * nh + b];
      return wa != wb ? wa > wb : a < b;
    };
    std::nth_element(hosts.begin(), hosts.begin() + keep, hosts.end(), better);
    for (size_t i = 0; i < keep; ++i) {
      offered[static_cast<size_t>(d) * nh + hosts[i]] = 1;
      candidates[d].push_back(hosts[i]);
    }
  }
  for (int pair : problem.extra_pairs) {
    const int d = pair / nh;
    const int h = pair % nh;
    if (offered[pair] || weight[pair] <= 0 || problem.delegate_cap[d] == 0 ||
        problem.host_cap[h] == 0) {
      continue;
    }
    offered[pair] = 1;
    candidates[d].push_back(h);
  }

  // Column generation: solve on the offered pairs, then offer every pair whose weight the
  // dual prices do not cover, until none is left.
  auto solve = [&](const std::vector<int>& minimum) {
    FlowSolution solution;
    for (int round = 0;; ++round) {
      for (auto& list : candidates) std::sort(list.begin(), list.end());
      solution = SolveOnCandidates(problem, candidates, minimum, /*spread=*/false);
      if (round == kMaxRounds) break;  // the bound below still holds, only looser
      bool added = false;
      for (int d = 0; d < nd; ++d) {
        if (problem.delegate_cap[d] == 0) continue;
        for (int h = 0; h < nh; ++h) {
          const size_t pair = static_cast<size_t>(d) * nh + h;
          if (offered[pair] || weight[pair] <= 0 || problem.host_cap[h] == 0) continue;
          if (Uncovered(solution, d, h, weight[pair]) > kViolation) {
            offered[pair] = 1;
            candidates[d].push_back(h);
            added = true;
          }
        }
      }
      if (!added) return solution;
    }
    return solution;
  };
  FlowSolution solution = solve(minimum);
  int shortfall = 0;
  for (int d = 0; d < nd; ++d) shortfall += std::max(0, minimum[d] - solution.degree[d]);
  std::vector<int> active_minimum = minimum;
  if (shortfall > 0 && problem.spread_shortfall) {
    // Share the unavoidable shortfall out, then maximise the weight with each delegate
    // served as far as that share says.
    const FlowSolution shares = SolveOnCandidates(problem, candidates, minimum, /*spread=*/true);
    for (int d = 0; d < nd; ++d) {
      active_minimum[d] = std::min(minimum[d], shares.degree[d]);
    }
    solution = solve(active_minimum);
  }

  BMatching result;
  result.pairs = std::move(solution.pairs);
  result.delegate_degree = std::move(solution.degree);
  result.value = solution.value;
  for (int d = 0; d < nd; ++d) {
    result.shortfall += std::max(0, minimum[d] - result.delegate_degree[d]);
  }
  const std::vector<int>& bound_minimum = active_minimum;
  // Weak LP duality: with u_d - l_d = A_d (u, l >= 0), the other prices >= 0, and
  // z_e = max(0, w_e - covered price) the LP dual is feasible for every pair, so
  //   sum cap_d u_d - sum min_d l_d + total_cap * total price + sum group_cap_g price_g
  //   + sum cap_h host price + sum z_e
  // bounds the weight of every b-matching that meets the minimums.
  double bound = 0;
  for (int d = 0; d < nd; ++d) {
    const double a = solution.delegate_price[d];
    bound += a > 0 ? problem.delegate_cap[d] * a : bound_minimum[d] * a;
  }
  if (problem.total_cap >= 0) bound += problem.total_cap * solution.total_price;
  for (size_t g = 0; g < problem.group_cap.size(); ++g) {
    bound += problem.group_cap[g] * solution.group_price[g];
  }
  for (int h = 0; h < nh; ++h) bound += problem.host_cap[h] * solution.host_own_price[h];
  for (int d = 0; d < nd; ++d) {
    if (problem.delegate_cap[d] == 0) continue;
    for (int h = 0; h < nh; ++h) {
      const size_t pair = static_cast<size_t>(d) * nh + h;
      if (weight[pair] <= 0 || problem.host_cap[h] == 0) continue;
      bound += std::max(0.0, Uncovered(solution, d, h, weight[pair]));
    }
  }
  result.bound = bound;
  return result;
}

}  // namespace socio::planner::internal
