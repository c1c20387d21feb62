// Internal to socio::planner: min-cost flow of free amount (primal-dual: Dijkstra on reduced
// costs, then a blocking flow on the arcs of all shortest paths), with the node potentials
// that certify optimality (the LP dual).
//
//   MinCostFlow flow(4);
//   flow.AddArc(0, 1, 2, 0.0);
//   int a = flow.AddArc(1, 2, 1, -0.7);
//   flow.AddArc(2, 3, 1, 0.0);
//   flow.MinimizeCost(0, 3);            // sends flow while a path of negative cost exists
//   flow.Flow(a);                       // 1
//   std::vector<double> p = flow.Potentials(0, 3);
#ifndef SOCIO_PLANNER_INTERNAL_MIN_COST_FLOW_H_
#define SOCIO_PLANNER_INTERNAL_MIN_COST_FLOW_H_

#include <vector>

namespace socio::planner::internal {

class MinCostFlow {
 public:
  explicit MinCostFlow(int node_count);

  // Adds an arc and returns its index. REQUIRES: nodes in range, capacity >= 0.
  int AddArc(int from, int to, int capacity, double cost);

  // Sends flow from `source` to `sink` along cheapest paths for as long as one costs less
  // than 0: the result is a cheapest flow of any amount (up to rounding of 1e-9 per arc).
  // REQUIRES: no cycle of negative cost; called once, after all AddArc calls.
  void MinimizeCost(int source, int sink);

  int Flow(int arc) const { return arcs_[2 * arc].flow; }

  // Potentials p of all nodes with cost(i, j) + p[i] - p[j] >= 0 (up to rounding) on every
  // arc of the residual graph, including an arc sink -> source of cost 0 and unbounded
  // capacity and its reverse when flow was sent. REQUIRES: MinimizeCost was called.
  std::vector<double> Potentials(int source, int sink) const;

 private:
  struct Arc {
    int to;
    int capacity;  // residual capacity
    int flow;
    double cost;
  };
  // Arc 2k is the k-th arc added, 2k+1 its reverse.
  std::vector<Arc> arcs_;
  std::vector<std::vector<int>> out_;  // per node: indices into arcs_
};

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_MIN_COST_FLOW_H_
