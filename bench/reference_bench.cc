// socio-bench-reference: how long the reference data takes to load at
// start-up, and what a country-pair lookup costs.
//
//   socio-bench-reference [--loads 20] [--nace_catalog F] [--hofstede_csv F] [--json]
//
// Loads ReferenceData --loads times and reports the median and the slowest
// load; then times 10,000,000 random pair lookups (closeness, language,
// hours) against the same number of plain array reads of the same size.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <random>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "reference/reference_data.h"

int main(int argc, char** argv) {
  int loads = 20;
  socio::reference::ReferenceOptions options;
  bool json = false;
  CLI::App app{"socio-bench-reference: reference data load time and pair lookups"};
  app.add_option("--loads", loads, "Loads to time")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--nace_catalog", options.nace_catalog_csv, "NACE catalog CSV to load too");
  app.add_option("--hofstede_csv", options.hofstede_csv, "Hofstede CSV to load too");
  app.add_flag("--json", json, "Print JSON");
  CLI11_PARSE(app, argc, argv);

  std::vector<double> ms;
  std::shared_ptr<const socio::reference::ReferenceData> data;
  for (int i = 0; i < loads; ++i) {
    const absl::Time start = absl::Now();
    absl::StatusOr<std::shared_ptr<const socio::reference::ReferenceData>> loaded =
        socio::reference::ReferenceData::Load(options);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!loaded.ok()) {
      std::cerr << "socio-bench-reference: " << loaded.status() << "\n";
      return 1;
    }
    data = *std::move(loaded);
  }
  std::sort(ms.begin(), ms.end());

  const socio::reference::CountryPairs& pairs = data->pairs();
  const int n = pairs.size();
  constexpr int kLookups = 10'000'000;
  std::mt19937 rng(1);
  std::vector<int> a(4096), b(4096);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<int>(rng() % n);
    b[i] = static_cast<int>(rng() % n);
  }
  std::vector<float> plain(static_cast<size_t>(n) * n, 1.0f);
  volatile float sink = 0;
  absl::Time start = absl::Now();
  float sum = 0;
  for (int i = 0; i < kLookups; ++i) {
    const int x = a[i & 4095], y = b[(i >> 12) & 4095];
    sum += pairs.Closeness(x, y) + pairs.SharedLanguage(x, y) + pairs.WorkingHourOverlap(x, y);
  }
  sink = sum;
  const double pair_ns = absl::ToDoubleNanoseconds(absl::Now() - start) / kLookups;
  start = absl::Now();
  sum = 0;
  for (int i = 0; i < kLookups; ++i) {
    const size_t x = a[i & 4095], y = b[(i >> 12) & 4095];
    sum += plain[x * n + y] + plain[y * n + x] + plain[(x * n + y) ^ 1];
  }
  sink = sum;
  (void)sink;
  const double plain_ns = absl::ToDoubleNanoseconds(absl::Now() - start) / kLookups;

  const double median = ms[ms.size() / 2];
  if (json) {
    std::cout << absl::StrFormat(
        "{\"loads\":%d,\"loadMedianMs\":%.2f,\"loadMaxMs\":%.2f,\"countries\":%d,"
        "\"pairLookupNs\":%.2f,\"plainLookupNs\":%.2f}\n",
        loads, median, ms.back(), n, pair_ns, plain_ns);
  } else {
    std::cout << absl::StrFormat(
        "| figure | value |\n|---|---|\n"
        "| reference load, median of %d, ms | %.1f |\n"
        "| reference load, slowest, ms | %.1f |\n"
        "| countries | %d |\n"
        "| pair lookup (3 factors), ns | %.2f |\n"
        "| 3 plain array reads, same size, ns | %.2f |\n",
        loads, median, ms.back(), n, pair_ns, plain_ns);
  }
  return 0;
}
