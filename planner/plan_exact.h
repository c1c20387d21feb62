// The exact solver for PlanDelegation's exact mode (PlanMode), on GLPK's branch and bound
// (Debian package libglpk-dev):
//
//   PlanOptions options{.exact_solver = &GlpkPlanSolver()};   // mode kAuto
//   absl::StatusOr<PlanResult> plan = PlanDelegation(problem, options);
//   if (plan.ok() && plan->proven_optimal) ...                // gap 0
//
// It solves the PlanObjective::kLexicographic model of plan_milp.h (built once, the same
// description the LP text is written from), with the heuristic's plan given as the first
// solution, presolve off (so that plan can be given), and GLPK's cuts off; it stops after
// PlanOptions::exact_node_limit branch-and-bound nodes (so the plan depends on the problem
// only) or exact_time_limit. Its bound is the best bound among the nodes left open.
//
// Why GLPK rather than CBC's library: on the hard family (25 delegates x 100 hosts, three
// days of 6 slots, 4 tables, host windows of 2-3 slots; about 6,000 variables) GLPK 5.0
// proved the optimum of this model in 0.2-0.5 s where CBC 2.10 took 1.4-2.3 s (seeds 1-4 of
// socio-bench-plan --hard). CBC is the faster of the two on larger problems (40 x 300: 7.5 s
// against 23 s), but those keep the heuristic in kAuto. GLPK also needs no threads, runs
// the same nodes in the same order for the same model, and lets a callback count nodes and
// give the first solution; the tests check its plans against the `cbc` program, so two
// independent solvers agree.
//
// This lives in its own library (socio::planner_exact) so that socio::planner does not link
// a solver; a caller that wants the exact mode links this and passes GlpkPlanSolver().
#ifndef SOCIO_PLANNER_PLAN_EXACT_H_
#define SOCIO_PLANNER_PLAN_EXACT_H_

#include "planner/plan.h"

namespace socio::planner {

// The process's GLPK solver. Stateless; safe to use from several threads (each solve has
// its own GLPK problem, and GLPK keeps its environment per thread). Each solve ends by
// freeing the calling thread's GLPK environment (glp_free_env), so a caller must not hold
// GLPK objects of its own in that thread across a plan.
const ExactPlanSolver& GlpkPlanSolver();

}  // namespace socio::planner

#endif  // SOCIO_PLANNER_PLAN_EXACT_H_
