#include "planner/internal/min_cost_flow.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace socio::planner::internal {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Costs are sums of scores in [0, 1] and of one large constant; differences below this are
// rounding.
constexpr double kTolerance = 1e-12;
// Arcs whose reduced cost is at most this are treated as lying on a shortest path.
constexpr double kAdmissible = 1e-9;

}  // namespace

MinCostFlow::MinCostFlow(int node_count) : out_(node_count) {}

int MinCostFlow::AddArc(int from, int to, int capacity, double cost) {
  const int index = static_cast<int>(arcs_.size()) / 2;
  out_[from].push_back(static_cast<int>(arcs_.size()));
  arcs_.push_back({to, capacity, 0, cost});
  out_[to].push_back(static_cast<int>(arcs_.size()));
  arcs_.push_back({from, 0, 0, -cost});
  return index;
}

void MinCostFlow::MinimizeCost(int source, int sink) {
  const int n = static_cast<int>(out_.size());
  // Initial potentials: shortest distances from the source (Bellman-Ford with a queue),
  // since arcs may cost less than 0. Nodes it cannot reach never carry flow.
  std::vector<double> potential(n, kInfinity);
  {
    std::vector<bool> queued(n, false);
    std::deque<int> queue = {source};
    potential[source] = 0;
    queued[source] = true;
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      queued[u] = false;
      for (int a : out_[u]) {
        const Arc& arc = arcs_[a];
        if (arc.capacity <= 0) continue;
        if (potential[u] + arc.cost < potential[arc.to] - kTolerance) {
          potential[arc.to] = potential[u] + arc.cost;
          if (!queued[arc.to]) {
            queued[arc.to] = true;
            queue.push_back(arc.to);
          }
        }
      }
    }
    for (double& p : potential) {
      if (p == kInfinity) p = 0;
    }
  }

  // Primal-dual: each round finds shortest distances with Dijkstra on reduced costs, stops
  // if the cheapest path costs 0 or more, updates the potentials so that every shortest path
  // consists of arcs of reduced cost 0, and then sends a blocking flow along those arcs.
  std::vector<double> dist(n);
  using Entry = std::pair<double, int>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  std::vector<int> level(n);
  std::vector<size_t> next_arc(n);
  auto admissible = [&](int a, int u) {
    const Arc& arc = arcs_[a];
    return arc.capacity > 0 && arc.cost + potential[u] - potential[arc.to] <= kAdmissible;
  };
  // Sends one unit (arcs carry integral flow) along admissible arcs that go one level up.
  std::vector<int> path;
  auto find_path = [&](auto& self, int u) -> bool {
    if (u == sink) return true;
    for (size_t& i = next_arc[u]; i < out_[u].size(); ++i) {
      const int a = out_[u][i];
      const int v = arcs_[a].to;
      if (level[v] != level[u] + 1 || !admissible(a, u)) continue;
      path.push_back(a);
      if (self(self, v)) return true;
      path.pop_back();
    }
    return false;
  };
  while (true) {
    std::fill(dist.begin(), dist.end(), kInfinity);
    dist[source] = 0;
    heap.push({0, source});
    while (!heap.empty()) {
      const auto [d, u] = heap.top();
      heap.pop();
      if (d > dist[u]) continue;
      if (u == sink) continue;  // distances beyond the sink's are not needed
      for (int a : out_[u]) {
        const Arc& arc = arcs_[a];
        if (arc.capacity <= 0) continue;
        const double reduced = std::max(0.0, arc.cost + potential[u] - potential[arc.to]);
        if (d + reduced < dist[arc.to] && d + reduced <= dist[sink]) {
          dist[arc.to] = d + reduced;
          heap.push({dist[arc.to], arc.to});
        }
      }
    }
    heap = {};
    if (dist[sink] == kInfinity) break;
    const double path_cost = dist[sink] + potential[sink] - potential[source];
    if (path_cost >= -kTolerance) break;
    // Capping at the sink's distance keeps every reduced cost >= 0 and makes the arcs of
    // all shortest paths to the sink cost exactly 0.
    for (int v = 0; v < n; ++v) potential[v] += std::min(dist[v], dist[sink]);

    // Blocking flow on the admissible arcs, level by level (Dinic).
    while (true) {
      std::fill(level.begin(), level.end(), -1);
      std::deque<int> queue = {source};
      level[source] = 0;
      while (!queue.empty()) {
        const int u = queue.front();
        queue.pop_front();
        for (int a : out_[u]) {
          const int v = arcs_[a].to;
          if (level[v] < 0 && admissible(a, u)) {
            level[v] = level[u] + 1;
            queue.push_back(v);
          }
        }
      }
      if (level[sink] < 0) break;
      std::fill(next_arc.begin(), next_arc.end(), 0);
      while (true) {
        path.clear();
        if (!find_path(find_path, source)) break;
        for (int a : path) {
          arcs_[a].capacity -= 1;
          arcs_[a ^ 1].capacity += 1;
          if (a % 2 == 0) {
            arcs_[a].flow += 1;
          } else {
            arcs_[a ^ 1].flow -= 1;
          }
        }
      }
    }
  }
}

std::vector<double> MinCostFlow::Potentials(int source, int sink) const {
  const int n = static_cast<int>(out_.size());
  bool any_flow = false;
  for (int a : out_[source]) {
    if (a % 2 == 0 && arcs_[a].flow > 0) any_flow = true;
  }
  // Shortest distances from a virtual root joined to every node by an arc of cost 0.
  std::vector<double> p(n, 0.0);
  std::vector<bool> queued(n, true);
  std::vector<int> updates(n, 0);
  std::deque<int> queue;
  for (int v = 0; v < n; ++v) queue.push_back(v);
  auto relax = [&](int u, int v, double cost) {
    if (p[u] + cost < p[v] - kTolerance && updates[v] <= n) {
      p[v] = p[u] + cost;
      ++updates[v];
      if (!queued[v]) {
        queued[v] = true;
        queue.push_back(v);
      }
    }
  };
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop_front();
    queued[u] = false;
    for (int a : out_[u]) {
      if (arcs_[a].capacity > 0) relax(u, arcs_[a].to, arcs_[a].cost);
    }
    if (u == sink) relax(sink, source, 0);
    if (u == source && any_flow) relax(source, sink, 0);
  }
  return p;
}

}  // namespace socio::planner::internal
