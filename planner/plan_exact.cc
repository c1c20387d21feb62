#include "planner/plan_exact.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "planner/plan_milp.h"

namespace socio::planner {
namespace {

// What the branch-and-bound callback reads and records.
struct Search {
  std::vector<double> start;  // 1-based column values of the heuristic's plan
  bool start_given = false;
  int node_limit = 0;
  int64_t nodes = 0;
  bool has_bound = false;
  double bound = 0;  // best local bound among the open nodes, last seen
};

void OnEvent(glp_tree* tree, void* info) {
  Search& search = *static_cast<Search*>(info);
  if (glp_ios_reason(tree) == GLP_IHEUR && !search.start_given) {
    search.start_given = true;
    glp_ios_heur_sol(tree, search.start.data());  // rejected only when not better
  }
  int active = 0, current = 0, total = 0;
  glp_ios_tree_size(tree, &active, &current, &total);
  search.nodes = total;
  if (const int best = glp_ios_best_node(tree); best != 0) {
    search.bound = glp_ios_node_bound(tree, best);
    search.has_bound = true;
  }
  if (search.nodes > search.node_limit) glp_ios_terminate(tree);
}

// Deletes the problem and the calling thread's GLPK environment: GLPK keeps one per thread
// and would hold it past the thread's end.
void Release(glp_prob* lp) {
  glp_delete_prob(lp);
  glp_free_env();
}

class GlpkSolver final : public ExactPlanSolver {
 public:
  absl::StatusOr<ExactSolution> Solve(const PlanProblem& problem, const PlanResult& start,
                                      const PlanOptions& options) const override {
    const PlanModel model = BuildPlanModel(problem, start, PlanObjective::kLexicographic);
    const int n = static_cast<int>(model.columns.size());
    const int m = static_cast<int>(model.rows.size());
    ExactSolution solution;
    if (n == 0) {
      solution.proven_optimal = true;
      solution.has_score_bound = true;
      return solution;
    }
    glp_prob* lp = glp_create_prob();
    glp_set_obj_dir(lp, model.maximize ? GLP_MAX : GLP_MIN);
    glp_add_cols(lp, n);
    for (int j = 0; j < n; ++j) {
      const MilpColumn& c = model.columns[j];
      glp_set_obj_coef(lp, j + 1, c.objective);
      if (c.binary) {
        glp_set_col_kind(lp, j + 1, GLP_BV);
      } else if (std::isfinite(c.upper)) {
        glp_set_col_bnds(lp, j + 1, GLP_DB, 0, c.upper);
      } else {
        glp_set_col_bnds(lp, j + 1, GLP_LO, 0, 0);
      }
    }
    if (m > 0) glp_add_rows(lp, m);
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    for (int i = 0; i < m; ++i) {
      const MilpRow& r = model.rows[i];
      const bool low = std::isfinite(r.lower), high = std::isfinite(r.upper);
      const int type = low && high ? (r.lower == r.upper ? GLP_FX : GLP_DB)
                       : low       ? GLP_LO
                       : high      ? GLP_UP
                                   : GLP_FR;
      glp_set_row_bnds(lp, i + 1, type, low ? r.lower : 0, high ? r.upper : 0);
      for (int j : r.columns) {
        ia.push_back(i + 1);
        ja.push_back(j + 1);
        ar.push_back(1);
      }
    }
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

    // The heuristic's plan as column values: its meetings, and each delegate's shortfall.
    Search search;
    search.node_limit = options.exact_node_limit;
    search.start.assign(n + 1, 0);
    std::map<std::tuple<int, int, int>, int> column_of;
    for (size_t j = 0; j < model.meetings.size(); ++j) {
      const MilpMeeting& x = model.meetings[j];
      column_of[{x.delegate, x.host, x.slot}] = static_cast<int>(j);
    }
    std::vector<int> meetings(problem.delegates.size(), 0);
    for (const Meeting& meeting : start.meetings) {
      const auto it = column_of.find({meeting.delegate, meeting.host, meeting.slot});
      if (it != column_of.end()) search.start[it->second + 1] = 1;
      ++meetings[meeting.delegate];
    }
    // The units of a delegate's shortfall fill from the cheapest (PlanObjective).
    std::map<int, int> minimum;  // delegate -> its minimum up to its cap: its last unit
    for (const PlanModel::ShortfallUnit& u : model.shortfall_units) minimum[u.delegate] = u.unit;
    for (size_t i = 0; i < model.shortfall_units.size(); ++i) {
      const PlanModel::ShortfallUnit& u = model.shortfall_units[i];
      search.start[model.meetings.size() + i + 1] =
          u.unit <= minimum[u.delegate] - meetings[u.delegate] ? 1 : 0;
    }

    const int time_ms = static_cast<int>(std::min<int64_t>(
        absl::ToInt64Milliseconds(options.exact_time_limit), std::numeric_limits<int>::max()));
    const absl::Time deadline = absl::Now() + options.exact_time_limit;
    glp_term_out(GLP_OFF);
    glp_smcp simplex;
    glp_init_smcp(&simplex);
    simplex.msg_lev = GLP_MSG_OFF;
    simplex.tm_lim = std::max(1, time_ms);
    // As glpsol does: the objective's weights span six orders of magnitude.
    glp_scale_prob(lp, GLP_SF_AUTO);
    glp_adv_basis(lp, 0);
    const int lp_status = glp_simplex(lp, &simplex);
    if (lp_status == GLP_ETMLIM) {
      Release(lp);
      return absl::DeadlineExceededError(
          "GLPK: the LP relaxation took longer than options.exact_time_limit");
    }
    if (lp_status != 0 || glp_get_status(lp) != GLP_OPT) {
      Release(lp);
      return absl::InternalError(
          absl::StrCat("GLPK: the LP relaxation was not solved (glp_simplex ", lp_status, ")"));
    }
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.cb_func = OnEvent;
    iocp.cb_info = &search;
    iocp.tm_lim = static_cast<int>(std::clamp<int64_t>(
        absl::ToInt64Milliseconds(deadline - absl::Now()), 1, std::numeric_limits<int>::max()));
    // The objective weighs previous meetings and shortfall far above a score: the default
    // relative tolerance (1e-7) would end the search before small score differences.
    iocp.tol_obj = 1e-12;
    const int mip_status = glp_intopt(lp, &iocp);
    const int status = glp_mip_status(lp);
    if (status == GLP_OPT || status == GLP_FEAS) {
      double score = 0;
      for (int j = 0; j < n; ++j) {
        const double value = glp_mip_col_val(lp, j + 1);
        if (j >= static_cast<int>(model.meetings.size()) || value < 0.5) continue;
        const MilpMeeting& x = model.meetings[j];
        solution.meetings.push_back({.delegate = x.delegate, .host = x.host, .slot = x.slot});
        score += problem.scores[size_t(x.delegate) * problem.hosts.size() + x.host];
      }
      solution.proven_optimal = mip_status == 0 && status == GLP_OPT;
      // Every schedule better in the priorities above the score has an objective at least
      // score_ceiling above this one's part from them; a bound below that proves none
      // exists, and what is left of it bounds the score.
      const double above = glp_mip_obj_val(lp) - score;
      if (solution.proven_optimal) {
        solution.has_score_bound = true;
        solution.score_bound = score;
      } else if (search.has_bound) {
        // The node bound is an LP value of an objective up to millions: allow for its
        // rounding.
        const double score_bound = search.bound + 1e-9 * (1 + std::abs(search.bound)) - above;
        if (score_bound < model.score_ceiling) {
          solution.has_score_bound = true;
          solution.score_bound = std::max(score, score_bound);
        }
      }
    }
    solution.nodes = search.nodes;
    Release(lp);
    return solution;
  }
};

}  // namespace

const ExactPlanSolver& GlpkPlanSolver() {
  static const GlpkSolver* const solver = new GlpkSolver();
  return *solver;
}

}  // namespace socio::planner
