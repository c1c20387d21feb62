#include "learning/weight_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

namespace socio::learning {
namespace {

constexpr int kF = matcher::kFactorCount;
using Vec = std::array<double, kF>;

// A fixed 64-bit mix (SplitMix64's finaliser), to draw pairs the same way
// on every platform.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Vec MeanFactors(const Outcome& o) {
  Vec x;
  for (int f = 0; f < kF; ++f) x[f] = (o.forward[f] + o.backward[f]) / 2;
  return x;
}

double Dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (int f = 0; f < kF; ++f) s += a[f] * b[f];
  return s;
}

// log(1 + exp(-z)) without overflow.
double LogisticLoss(double z) {
  return z > 0 ? std::log1p(std::exp(-z)) : -z + std::log1p(std::exp(z));
}

// The nearest point to `v` whose free factors (free[f] != 0) are
// non-negative and add up to 1 less the fixed ones, which keep their value
// in `fixed`. Duchi et al. (2008): shift the free factors by the threshold
// theta that makes their positive parts add up to the total.
Vec ProjectFree(const Vec& v, const Vec& free, const Vec& fixed) {
  double total = 1;
  std::vector<double> sorted;
  for (int f = 0; f < kF; ++f) {
    if (free[f] != 0) {
      sorted.push_back(v[f]);
    } else {
      total -= fixed[f];
    }
  }
  std::sort(sorted.begin(), sorted.end(), std::greater<double>());
  double sum = 0, theta = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    sum += sorted[i];
    const double t = (sum - total) / (i + 1);
    if (sorted[i] - t > 0) theta = t;
  }
  Vec w;
  for (int f = 0; f < kF; ++f) w[f] = free[f] != 0 ? std::max(0.0, v[f] - theta) : fixed[f];
  return w;
}

// The loss at slope `scale` plus the pull toward `current`, minimised over
// the simplex (the factors not free held at their current weights) from `w` by projected gradient
// descent with a backtracking step (the sufficient-decrease rule on the projected point); the step
// grows again after each success.
Vec DescendAtScale(const std::vector<Vec>& diffs, const Vec& current, const Vec& free,
                   double lambda, double scale, Vec w, int max_iterations) {
  auto objective = [&](const Vec& v) {
    double loss = 0;
    for (const Vec& d : diffs) loss += LogisticLoss(scale * Dot(v, d));
    double pull = 0;
    for (int f = 0; f < kF; ++f) pull += (v[f] - current[f]) * (v[f] - current[f]);
    return loss / diffs.size() + lambda / 2 * pull;
  };
  auto gradient = [&](const Vec& v) {
    Vec g{};
    for (const Vec& d : diffs) {
      // d/dv log(1 + exp(-s v.d)) = -s d / (1 + exp(s v.d))
      const double coefficient = -scale / (1 + std::exp(scale * Dot(v, d)));
      for (int f = 0; f < kF; ++f) g[f] += coefficient * d[f];
    }
    for (int f = 0; f < kF; ++f) g[f] = g[f] / diffs.size() + lambda * (v[f] - current[f]);
    return g;
  };
  double value = objective(w);
  double step = 1;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const Vec g = gradient(w);
    bool moved = false;
    while (step > 1e-12) {
      Vec trial;
      for (int f = 0; f < kF; ++f) trial[f] = w[f] - step * g[f];
      const Vec next = ProjectFree(trial, free, current);
      double decrease = 0, distance = 0;
      for (int f = 0; f < kF; ++f) {
        decrease += g[f] * (w[f] - next[f]);
        distance += (w[f] - next[f]) * (w[f] - next[f]);
      }
      const double next_value = objective(next);
      if (next_value <= value - decrease + distance / (2 * step)) {
        moved = distance > 1e-20;  // else converged: moves below 1e-10
        w = next;
        value = next_value;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
    step *= 2;
  }
  return w;
}

// The slope in [1, max_scale] minimising the mean loss of the margins
// w . d: the loss is convex in the slope, so Newton's steps, kept inside
// the bounds, reach it.
double BestScale(const std::vector<Vec>& diffs, const Vec& w, double scale, double max_scale) {
  std::vector<double> margins;
  margins.reserve(diffs.size());
  for (const Vec& d : diffs) margins.push_back(Dot(w, d));
  for (int i = 0; i < 50; ++i) {
    double first = 0, second = 0;
    for (double m : margins) {
      const double p = 1 / (1 + std::exp(scale * m));  // sigmoid(-scale m)
      first -= m * p;
      second += m * m * p * (1 - p);
    }
    if (second <= 0) break;
    const double next = std::clamp(scale - first / second, 1.0, max_scale);
    if (std::abs(next - scale) <= 1e-6 * scale) return next;
    scale = next;
  }
  return scale;
}

}  // namespace

matcher::Weights ProjectOntoSimplex(const Vec& v) {
  Vec all_free;
  all_free.fill(1);
  return matcher::Weights{.w = ProjectFree(v, all_free, v)};
}

matcher::Weights FitWeights(const std::vector<Outcome>& outcomes, const matcher::Weights& current,
                            const FitOptions& options) {
  std::vector<Vec> positives, negatives;
  for (const Outcome& o : outcomes) (o.positive ? positives : negatives).push_back(MeanFactors(o));
  if (positives.empty() || negatives.empty()) return current;

  // The differences x_p - x_n of the pairs the loss sums over.
  std::vector<Vec> diffs;
  const uint64_t all = static_cast<uint64_t>(positives.size()) * negatives.size();
  auto add = [&](size_t p, size_t n) {
    Vec d;
    for (int f = 0; f < kF; ++f) d[f] = positives[p][f] - negatives[n][f];
    diffs.push_back(d);
  };
  if (all <= static_cast<uint64_t>(options.max_pairs)) {
    diffs.reserve(all);
    for (size_t p = 0; p < positives.size(); ++p) {
      for (size_t n = 0; n < negatives.size(); ++n) add(p, n);
    }
  } else {
    diffs.reserve(options.max_pairs);
    for (int t = 0; t < options.max_pairs; ++t) {
      const uint64_t r = Mix(static_cast<uint64_t>(t));
      add(static_cast<size_t>(r % positives.size()),
          static_cast<size_t>(Mix(r) % negatives.size()));
    }
  }

  const double lambda = options.prior_outcomes / static_cast<double>(outcomes.size());
  // A factor that scores the same for every outcome (as freshness does
  // where no profile says when it was written) tells them nothing and keeps
  // its current weight: moving weight onto it would only flatten every
  // margin alike, which the slope already expresses.
  Vec free{};
  for (const std::vector<Vec>* side : {&positives, &negatives}) {
    for (const Vec& x : *side) {
      for (int f = 0; f < kF; ++f) free[f] = free[f] != 0 || x[f] != positives[0][f] ? 1 : 0;
    }
  }
  Vec w = current.w;
  double scale = options.scale;
  for (int round = 0; round < options.max_rounds; ++round) {
    w = DescendAtScale(diffs, current.w, free, lambda, scale, w, options.max_iterations);
    if (!options.fit_scale) break;
    const double next = BestScale(diffs, w, scale, options.max_scale);
    const bool settled = std::abs(next - scale) <= 1e-3 * scale;
    scale = next;
    if (settled) break;
  }
  matcher::Weights result;
  result.w = w;
  return result;
}

}  // namespace socio::learning
