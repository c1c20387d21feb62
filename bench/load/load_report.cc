#include "bench/load/load_report.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/bench_support.h"

namespace socio::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

const char* CodeName(grpc::StatusCode code) {
  // In the order of their numbers, 0 to 16.
  // clang-format off
  static constexpr const char* kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  // clang-format on
  const size_t index = static_cast<size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "?";
}

// One row of the latency table: one kind of call, or all of them (kind -1).
struct Figures {
  int64_t calls = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double request_bytes = 0;
  double response_bytes = 0;
};

Figures FiguresOf(const LoadResult& load, int kind) {
  std::vector<double> latencies;
  int64_t request_bytes = 0, response_bytes = 0;
  for (int k = 0; k < static_cast<int>(load.kinds.size()); ++k) {
    if (kind >= 0 && k != kind) continue;
    const KindResult& r = load.kinds[k];
    latencies.insert(latencies.end(), r.latency_ms.begin(), r.latency_ms.end());
    request_bytes += r.request_bytes;
    response_bytes += r.response_bytes;
  }
  Figures f;
  f.calls = static_cast<int64_t>(latencies.size());
  if (f.calls == 0) return f;
  f.per_second = load.CallsPerSecond(kind);
  f.request_bytes = static_cast<double>(request_bytes) / f.calls;
  f.response_bytes = static_cast<double>(response_bytes) / f.calls;
  f.p50_ms = Percentile(latencies, 0.5);
  f.p99_ms = Percentile(latencies, 0.99);
  f.p999_ms = Percentile(latencies, 0.999);
  return f;
}

std::string RatioText(double socio, double echo) {
  return echo > 0 ? absl::StrFormat("%.2f", socio / echo) : "-";
}

std::string ErrorsText(const LoadResult& load) {
  if (load.errors.empty()) return "0";
  return absl::StrJoin(load.errors, ", ", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, CodeName(entry.first), " ", entry.second);
  });
}

double MicrosecondsPerCall(double cpu_seconds, const LoadResult& load) {
  const double calls = load.CallsPerSecond() * absl::ToDoubleSeconds(load.measured);
  return calls > 0 ? cpu_seconds * 1e6 / calls : 0;
}

double MeanMiB(std::vector<int64_t>::const_iterator begin,
               std::vector<int64_t>::const_iterator end) {
  if (begin == end) return 0;
  return std::accumulate(begin, end, 0.0) / (end - begin) / kMiB;
}

void PrintFiguresRow(std::ostream& out, const std::string& label, const Figures& f) {
  out << absl::StrFormat("| %s | %.0f | %.3f | %.3f | %.3f | %.0f | %.0f |\n", label, f.per_second,
                         f.p50_ms, f.p99_ms, f.p999_ms, f.request_bytes, f.response_bytes);
}

void PrintLatencyTable(const LoadReport& r, std::ostream& out) {
  out << "| calls | per second | p50 ms | p99 ms | p99.9 ms | request B | response B |\n"
         "|---|---|---|---|---|---|---|\n";
  // Each kind that was called, then all calls together (kind -1) if that
  // is more than one kind.
  const int kinds = static_cast<int>(r.socio.load.kinds.size());
  int kinds_called = 0;
  for (int row = 0; row <= kinds; ++row) {
    const int kind = row < kinds ? row : -1;
    const Figures socio = FiguresOf(r.socio.load, kind);
    const Figures echo = FiguresOf(r.echo.load, kind);
    if (socio.calls == 0 || (kind < 0 && kinds_called < 2)) continue;
    ++kinds_called;
    const std::string name = kind < 0 ? "all calls" : r.socio.load.kinds[kind].name;
    PrintFiguresRow(out, "Socio " + name, socio);
    if (r.previous) {
      const Figures previous = FiguresOf(r.previous->load, kind);
      PrintFiguresRow(out, "previous build " + name, previous);
      out << absl::StrFormat("| Socio / previous | %s | %s | %s | %s | | |\n",
                             RatioText(socio.per_second, previous.per_second),
                             RatioText(socio.p50_ms, previous.p50_ms),
                             RatioText(socio.p99_ms, previous.p99_ms),
                             RatioText(socio.p999_ms, previous.p999_ms));
    }
    PrintFiguresRow(out, kind < 0 ? "echo, all calls" : "echo, " + name + " sizes", echo);
    out << absl::StrFormat(
        "| Socio / echo | %s | %s | %s | %s | | |\n", RatioText(socio.per_second, echo.per_second),
        RatioText(socio.p50_ms, echo.p50_ms), RatioText(socio.p99_ms, echo.p99_ms),
        RatioText(socio.p999_ms, echo.p999_ms));
  }
}

void PrintCpuTable(const LoadReport& r, std::ostream& out) {
  const double socio_server = MicrosecondsPerCall(r.socio.server_cpu_seconds, r.socio.load);
  const double echo_server = MicrosecondsPerCall(r.echo.server_cpu_seconds, r.echo.load);
  const double socio_client = MicrosecondsPerCall(r.socio.client_cpu_seconds, r.socio.load);
  const double echo_client = MicrosecondsPerCall(r.echo.client_cpu_seconds, r.echo.load);
  // CPU time over the measured window, divided by the calls measured in it.
  out << "\n| CPU per call, µs | Socio | echo | Socio / echo |\n|---|---|---|---|\n"
      << absl::StrFormat("| server (sociod, socio-echo-server) | %.1f | %.1f | %s |\n",
                         socio_server, echo_server, RatioText(socio_server, echo_server))
      << absl::StrFormat("| load generator | %.1f | %.1f | %s |\n", socio_client, echo_client,
                         RatioText(socio_client, echo_client));
  if (r.previous) {
    const double previous_server =
        MicrosecondsPerCall(r.previous->server_cpu_seconds, r.previous->load);
    out << absl::StrFormat(
        "| server, previous build | %.1f | | Socio / previous %s; previous / echo %s |\n",
        previous_server, RatioText(socio_server, previous_server),
        RatioText(previous_server, echo_server));
  }
}

void PrintMemoryTable(const LoadReport& r, std::ostream& out) {
  const std::vector<int64_t>& rss = r.socio.rss_bytes;
  out << absl::StrFormat("\nsociod memory (VmRSS): %.1f MiB after the import, before the load\n\n",
                         r.sociod_rss_after_import / kMiB)
      << "| second of the measured window | sociod VmRSS MiB |\n|---|---|\n";
  // About seven rows whatever the duration, and always the last second.
  const size_t step = std::max<size_t>(1, r.duration_seconds / 6);
  for (size_t second = 0; second < rss.size(); ++second) {
    if (second % step == 0 || second + 1 == rss.size()) {
      out << absl::StrFormat("| %d | %.1f |\n", second, rss[second] / kMiB);
    }
  }
  const MemoryTrend trend = TrendOf(rss);
  out << absl::StrFormat("\nmemory: first %d s %.1f MiB, last %d s %.1f MiB: %+.1f %%, %s\n",
                         trend.window_seconds, trend.first_mib, trend.window_seconds,
                         trend.last_mib, trend.growth_percent,
                         trend.flat ? absl::StrFormat("flat (within +-%.0f %%)", kFlatPercent)
                                    : std::string("NOT flat"));
  if (!r.echo.rss_bytes.empty()) {
    out << absl::StrFormat("socio-echo-server VmRSS: %.1f MiB at second 0, %.1f MiB at the end\n",
                           r.echo.rss_bytes.front() / kMiB, r.echo.rss_bytes.back() / kMiB);
  }
}

std::string FiguresJson(const Figures& f) {
  return absl::StrFormat(
      "{\"calls\":%d,\"perSecond\":%.1f,\"p50Ms\":%.4f,\"p99Ms\":%.4f,\"p999Ms\":%.4f,"
      "\"requestBytes\":%.1f,\"responseBytes\":%.1f}",
      f.calls, f.per_second, f.p50_ms, f.p99_ms, f.p999_ms, f.request_bytes, f.response_bytes);
}

std::string RunJson(const ServerRun& run) {
  std::vector<std::string> kinds;
  for (int kind = 0; kind < static_cast<int>(run.load.kinds.size()); ++kind) {
    kinds.push_back(absl::StrFormat("\"%s\":%s", run.load.kinds[kind].name,
                                    FiguresJson(FiguresOf(run.load, kind))));
  }
  std::vector<std::string> errors;
  for (const auto& [code, count] : run.load.errors) {
    errors.push_back(absl::StrFormat("\"%s\":%d", CodeName(code), count));
  }
  return absl::StrFormat(
      "{\"all\":%s,\"kinds\":{%s},\"errors\":{%s},\"serverCpuMicrosPerCall\":%.2f,"
      "\"clientCpuMicrosPerCall\":%.2f,\"rssBytes\":[%s]}",
      FiguresJson(FiguresOf(run.load, -1)), absl::StrJoin(kinds, ","), absl::StrJoin(errors, ","),
      MicrosecondsPerCall(run.server_cpu_seconds, run.load),
      MicrosecondsPerCall(run.client_cpu_seconds, run.load), absl::StrJoin(run.rss_bytes, ","));
}

}  // namespace

MemoryTrend TrendOf(const std::vector<int64_t>& rss_bytes) {
  MemoryTrend trend;
  const size_t window = std::min<size_t>(10, rss_bytes.size() / 2);
  if (window == 0) return trend;
  trend.window_seconds = static_cast<int>(window);
  trend.first_mib = MeanMiB(rss_bytes.begin(), rss_bytes.begin() + window);
  trend.last_mib = MeanMiB(rss_bytes.end() - window, rss_bytes.end());
  if (trend.first_mib <= 0) {  // the server was gone at the start
    trend.flat = false;
    return trend;
  }
  trend.growth_percent = (trend.last_mib - trend.first_mib) / trend.first_mib * 100;
  trend.flat = std::abs(trend.growth_percent) <= kFlatPercent;
  return trend;
}

void PrintTable(const LoadReport& r, std::ostream& out) {
  out << absl::StrFormat(
      "socio-bench-load: %d profiles; %d calls in flight; %d s measured after %d s of warm-up; "
      "%d %% FindPartners (k=%d, default weights, %s view), %d %% GetProfile; load generator, "
      "sociod and echo server on one machine of %d CPUs (load average %.2f before)\n\n",
      r.profiles, r.concurrency, r.duration_seconds, r.warmup_seconds, r.find_partners_percent, r.k,
      r.view, 100 - r.find_partners_percent, r.cpus, r.load_average_before);
  PrintLatencyTable(r, out);
  out << absl::StrFormat("\nerrors: Socio %s, echo %s", ErrorsText(r.socio.load),
                         ErrorsText(r.echo.load));
  if (r.previous) out << ", previous build " << ErrorsText(r.previous->load);
  out << "\n";
  PrintCpuTable(r, out);
  PrintMemoryTable(r, out);
}

void PrintJson(const LoadReport& r, std::ostream& out) {
  const MemoryTrend trend = TrendOf(r.socio.rss_bytes);
  out << absl::StrFormat(
      "{\"profiles\":%d,\"concurrency\":%d,\"findPartnersPercent\":%d,\"k\":%d,"
      "\"warmupSeconds\":%d,\"durationSeconds\":%d,\"seed\":%d,\"cpus\":%d,"
      "\"loadAverageBefore\":%.2f,\"sociodRssAfterImportBytes\":%d,\"view\":\"%s\","
      "\"socio\":%s,\"echo\":%s,\"previous\":%s,"
      "\"memory\":{\"firstMiB\":%.1f,\"lastMiB\":%.1f,\"growthPercent\":%.2f,\"flat\":%s}}\n",
      r.profiles, r.concurrency, r.find_partners_percent, r.k, r.warmup_seconds, r.duration_seconds,
      r.seed, r.cpus, r.load_average_before, r.sociod_rss_after_import, r.view, RunJson(r.socio),
      RunJson(r.echo), r.previous ? RunJson(*r.previous) : std::string("null"), trend.first_mib,
      trend.last_mib, trend.growth_percent, trend.flat ? "true" : "false");
}

}  // namespace socio::bench
