// socio-bench-learning: how many recorded outcomes the weight suggester
// (learning/suggest.h) needs before its weights rank newer outcomes better
// than the default weights, and how close they come to the weights that
// truly decide the outcomes.
//
//   socio-bench-learning [--seeds 7] [--members 2000] [--noise 0.03]
//                        [--true_weights 0.2,0.3,0.1,0.05,0.25,0.05,0.05]
//                        [--sizes 50,100,200,500,1000,2000,5000]
//                        [--prior_outcomes 500] [--scale 30] [--max_pairs 8000]
//                        [--max_iterations 200] [--verbose] [--json]
//
// For each seed, socio-gen's simulation (bench/outcome_simulator.h) draws
// the largest N of outcomes; each N uses the first N of them, in the order
// they were recorded. SuggestWeights (no minimum) fits the older 70 % and
// ranks the newer 30 % under the fitted and the default weights. Per N the
// table gives, over the seeds: how often the fitted weights' AUC beats the
// defaults', the medians of the AUC and NDCG@10 gains, and the median L1
// distance to the true weights of the suggestion (fitted to all N) beside
// the defaults' distance. The generated profiles do not say when they were
// written, so freshness scores alike for every pair and keeps its current
// weight: a true freshness weight other than the default's stays out of
// reach, and counts in the distance.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/outcome_simulator.h"
#include "learning/suggest.h"
#include "matcher/scoring.h"
#include "reference/reference_data.h"

namespace socio::bench {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "socio-bench-learning: " << what << "\n";
  std::exit(1);
}

double Median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double L1(const matcher::Weights& a, const matcher::Weights& b) {
  double d = 0;
  for (int f = 0; f < matcher::kFactorCount; ++f) d += std::abs(a.w[f] - b.w[f]);
  return d;
}

struct Row {
  int n = 0;
  int runs = 0;  // seeds with a suggestion (both parts hold both labels)
  int auc_wins = 0;
  int ndcg_wins = 0;
  std::vector<double> auc_gain, ndcg_gain, l1, auc_current, auc_suggested;
};

int Run(const std::vector<int>& sizes, int seeds, int members, double noise,
        const std::string& true_weights, const learning::FitOptions& fit, bool verbose, bool json) {
  absl::StatusOr<matcher::Weights> truth = ParseWeights(true_weights, "--true_weights");
  if (!truth.ok()) Fail(truth.status().ToString());
  absl::StatusOr<matcher::Weights> defaults =
      matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights");
  if (!defaults.ok()) Fail(defaults.status().ToString());
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load({});
  if (!reference.ok()) Fail("reference data: " + reference.status().ToString());
  const auto tables = std::make_shared<const matcher::ScoringTables>(*reference);

  std::vector<Row> rows;
  for (int n : sizes) rows.push_back({.n = n});
  learning::SuggestOptions options;
  options.min_outcomes = 0;
  options.fit = fit;
  for (int seed = 1; seed <= seeds; ++seed) {
    absl::StatusOr<std::vector<learning::Outcome>> all =
        SimulateOutcomes(tables, {.seed = static_cast<uint64_t>(seed),
                                  .members = members,
                                  .outcomes = *std::max_element(sizes.begin(), sizes.end()),
                                  .truth = *truth,
                                  .noise = noise});
    if (!all.ok()) Fail(all.status().ToString());
    for (Row& row : rows) {
      const std::vector<learning::Outcome> first(all->begin(), all->begin() + row.n);
      absl::StatusOr<learning::Suggestion> s = learning::SuggestWeights(first, *defaults, options);
      if (!s.ok()) continue;  // a part without a positive or a negative outcome
      ++row.runs;
      const double auc_gain = s->held_out_suggested.auc - s->held_out_current.auc;
      const double ndcg_gain = s->held_out_suggested.ndcg_at_10 - s->held_out_current.ndcg_at_10;
      row.auc_wins += auc_gain > 0;
      row.ndcg_wins += ndcg_gain > 0;
      row.auc_gain.push_back(auc_gain);
      row.ndcg_gain.push_back(ndcg_gain);
      row.auc_current.push_back(s->held_out_current.auc);
      row.auc_suggested.push_back(s->held_out_suggested.auc);
      row.l1.push_back(L1(s->suggested, *truth));
      if (verbose) {
        std::printf(
            "seed %d, %d outcomes: suggested %s, L1 %.3f\n", seed, row.n,
            absl::StrJoin(s->suggested.w, " ",
                          [](std::string* out, double x) { absl::StrAppendFormat(out, "%.3f", x); })
                .c_str(),
            row.l1.back());
      }
    }
  }
  const double default_l1 = L1(*defaults, *truth);
  if (json) {
    std::vector<std::string> out;
    for (const Row& r : rows) {
      out.push_back(absl::StrFormat(
          "{\"outcomes\": %d, \"runs\": %d, \"auc_wins\": %d, \"ndcg_wins\": %d, "
          "\"median_auc_current\": %.4f, \"median_auc_suggested\": %.4f, "
          "\"median_auc_gain\": %.4f, \"median_ndcg_gain\": %.4f, \"median_l1_to_truth\": %.4f}",
          r.n, r.runs, r.auc_wins, r.ndcg_wins, Median(r.auc_current), Median(r.auc_suggested),
          Median(r.auc_gain), Median(r.ndcg_gain), Median(r.l1)));
    }
    std::printf(
        "{\"seeds\": %d, \"members\": %d, \"noise\": %g, \"default_l1_to_truth\": %.4f, "
        "\"rows\": [%s]}\n",
        seeds, members, noise, default_l1, absl::StrJoin(out, ", ").c_str());
    return 0;
  }
  std::printf("%d seeds, %d members, noise %g, true weights %s; defaults' L1 to truth %.3f\n",
              seeds, members, noise, true_weights.c_str(), default_l1);
  std::printf("%8s %5s %9s %10s %10s %10s %10s %11s\n", "outcomes", "runs", "AUC wins", "AUC dflt",
              "AUC sugg", "dAUC med", "dNDCG med", "L1 to truth");
  for (const Row& r : rows) {
    std::printf("%8d %5d %5d/%-3d %10.4f %10.4f %+10.4f %+10.4f %11.3f\n", r.n, r.runs, r.auc_wins,
                r.runs, Median(r.auc_current), Median(r.auc_suggested), Median(r.auc_gain),
                Median(r.ndcg_gain), Median(r.l1));
  }
  return 0;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) {
  CLI::App app{"How many outcomes the weight suggester needs to beat the default weights"};
  int seeds = 7;
  int members = 2000;
  double noise = 0.03;
  bool json = false;
  std::string true_weights = "0.2,0.3,0.1,0.05,0.25,0.05,0.05";
  app.add_option("--seeds", seeds, "simulations per size")->capture_default_str();
  app.add_option("--members", members, "generated members per simulation")->capture_default_str();
  app.add_option("--noise", noise, "noise on the true reciprocal score")->capture_default_str();
  app.add_option("--true_weights", true_weights,
                 "the hidden weights: objective,market,sector,culture,text,size,freshness")
      ->capture_default_str();
  std::vector<int> sizes = {50, 100, 200, 500, 1000, 2000, 5000};
  bool verbose = false;
  socio::learning::FitOptions fit;
  app.add_option("--sizes", sizes, "numbers of outcomes, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--max_pairs", fit.max_pairs, "the fit's pairs at most")->capture_default_str();
  app.add_option("--max_iterations", fit.max_iterations, "the fit's descent steps per round")
      ->capture_default_str();
  app.add_flag("--verbose", verbose, "each suggestion's weights");
  app.add_option("--prior_outcomes", fit.prior_outcomes,
                 "the fit's pull toward the current weights, in outcomes")
      ->capture_default_str();
  app.add_option("--scale", fit.scale, "the fit's logistic slope")->capture_default_str();
  app.add_flag("--json", json, "one JSON line");
  CLI11_PARSE(app, argc, argv);
  return socio::bench::Run(sizes, seeds, members, noise, true_weights, fit, verbose, json);
}
