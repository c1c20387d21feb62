#include "bench/load/load_report.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
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

// One row of the open-loop table: one kind of call, or all of them (kind -1).
struct OpenFigures {
  // per_second: the achieved rate.
  Figures latency;
  double target_per_second = 0;
  std::map<grpc::StatusCode, int64_t> errors;

  double P99OverP50() const { return latency.p50_ms > 0 ? latency.p99_ms / latency.p50_ms : 0; }
};

// REQUIRES: run.open_loop.
OpenFigures OpenFiguresOf(const ServerRun& run, int kind) {
  const OpenLoopResult& open = run.open_loop->load;
  OpenFigures f{.latency = FiguresOf(open.load, kind),
                .target_per_second = open.target_per_second,
                .errors = kind < 0 ? open.load.errors : open.load.kinds[kind].errors};
  // A kind's share of the target is its share of the closed loop's calls.
  const double closed = run.load.CallsPerSecond();
  if (kind >= 0 && closed > 0) f.target_per_second *= run.load.CallsPerSecond(kind) / closed;
  return f;
}

// The rows of a table of kinds: each kind the Socio run called, then all
// calls together (kind -1) if that is more than one kind.
std::vector<int> RowsOf(const LoadResult& socio) {
  std::vector<int> rows;
  for (int kind = 0; kind < static_cast<int>(socio.kinds.size()); ++kind) {
    if (!socio.kinds[kind].latency_ms.empty()) rows.push_back(kind);
  }
  if (rows.size() >= 2) rows.push_back(-1);
  return rows;
}

std::string RatioText(double socio, double echo) {
  return echo > 0 ? absl::StrFormat("%.2f", socio / echo) : "-";
}

std::string ErrorsText(const std::map<grpc::StatusCode, int64_t>& errors) {
  if (errors.empty()) return "0";
  return absl::StrJoin(errors, ", ", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, CodeName(entry.first), " ", entry.second);
  });
}
std::string ErrorsText(const LoadResult& load) { return ErrorsText(load.errors); }

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
  for (const int kind : RowsOf(r.socio.load)) {
    const Figures socio = FiguresOf(r.socio.load, kind);
    const Figures echo = FiguresOf(r.echo.load, kind);
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

std::string TrendText(const MemoryTrend& trend) {
  return absl::StrFormat("first %d s %.1f MiB, last %d s %.1f MiB: %+.1f %%, %s",
                         trend.window_seconds, trend.first_mib, trend.window_seconds,
                         trend.last_mib, trend.growth_percent,
                         trend.flat ? absl::StrFormat("flat (within +-%.0f %%)", kFlatPercent)
                                    : std::string("NOT flat"));
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
  out << "\nmemory: " << TrendText(TrendOf(rss)) << "\n";
  if (!r.echo.rss_bytes.empty()) {
    out << absl::StrFormat("socio-echo-server VmRSS: %.1f MiB at second 0, %.1f MiB at the end\n",
                           r.echo.rss_bytes.front() / kMiB, r.echo.rss_bytes.back() / kMiB);
  }
}

void PrintOpenLoopTables(const LoadReport& r, std::ostream& out) {
  out << absl::StrFormat(
      "\nopen loop, on each server after its closed loop: calls started at %.2f x the closed "
      "loop's calls per second (echo: at Socio's open-loop rate), evenly spaced, whether or not "
      "earlier calls have completed; "
      "latency from each call's scheduled start; %d s measured after %d s of warm-up; at most %d "
      "calls outstanding (a call due beyond that is not started and counts as "
      "RESOURCE_EXHAUSTED); errors over the whole open loop\n\n",
      r.open_loop_fraction, r.duration_seconds, r.warmup_seconds, r.open_loop_max_outstanding);
  struct Server {
    std::string label;
    const ServerRun* run;
  };
  std::vector<Server> servers = {{"Socio", &r.socio}};
  if (r.previous) servers.push_back({"previous build", &*r.previous});
  servers.push_back({"echo", &r.echo});
  out << "| open loop | target per second | achieved per second | p50 ms | p99 ms | p99.9 ms | "
         "p99 / p50 | errors |\n|---|---|---|---|---|---|---|---|\n";
  for (const int kind : RowsOf(r.socio.load)) {
    const std::string name = kind < 0 ? "all calls" : r.socio.load.kinds[kind].name;
    for (const Server& server : servers) {
      if (!server.run->open_loop) continue;
      const OpenFigures f = OpenFiguresOf(*server.run, kind);
      const std::string label = server.run != &r.echo ? server.label + " " + name
                                : kind < 0            ? "echo, all calls"
                                                      : "echo, " + name + " sizes";
      out << absl::StrFormat("| %s | %.0f | %.0f | %.3f | %.3f | %.3f | %.2f | %s |\n", label,
                             f.target_per_second, f.latency.per_second, f.latency.p50_ms,
                             f.latency.p99_ms, f.latency.p999_ms, f.P99OverP50(),
                             ErrorsText(f.errors));
    }
  }
  // The load generator's lag is part of every latency above.
  out << "\n| open loop, per server | started late p50 ms | p99 ms | max ms | most outstanding | "
         "not started | VmRSS over the measured window |\n|---|---|---|---|---|---|---|\n";
  for (const Server& server : servers) {
    if (!server.run->open_loop) continue;
    const OpenLoopResult& open = server.run->open_loop->load;
    out << absl::StrFormat("| %s | %.3f | %.3f | %.3f | %d | %d | %s |\n", server.label,
                           Percentile(open.start_lag_ms, 0.5), Percentile(open.start_lag_ms, 0.99),
                           Percentile(open.start_lag_ms, 1), open.max_outstanding, open.not_started,
                           TrendText(TrendOf(server.run->open_loop->rss_bytes)));
  }
}

std::string ErrorsJson(const std::map<grpc::StatusCode, int64_t>& errors) {
  std::vector<std::string> entries;
  for (const auto& [code, count] : errors) {
    entries.push_back(absl::StrFormat("\"%s\":%d", CodeName(code), count));
  }
  return absl::StrCat("{", absl::StrJoin(entries, ","), "}");
}

std::string TrendJson(const MemoryTrend& trend) {
  return absl::StrFormat("{\"firstMiB\":%.1f,\"lastMiB\":%.1f,\"growthPercent\":%.2f,\"flat\":%s}",
                         trend.first_mib, trend.last_mib, trend.growth_percent,
                         trend.flat ? "true" : "false");
}

std::string OpenFiguresJson(const OpenFigures& f) {
  return absl::StrFormat(
      "{\"calls\":%d,\"targetPerSecond\":%.1f,\"perSecond\":%.1f,\"p50Ms\":%.4f,"
      "\"p99Ms\":%.4f,\"p999Ms\":%.4f,\"p99OverP50\":%.3f,\"errors\":%s}",
      f.latency.calls, f.target_per_second, f.latency.per_second, f.latency.p50_ms,
      f.latency.p99_ms, f.latency.p999_ms, f.P99OverP50(), ErrorsJson(f.errors));
}

// REQUIRES: run.open_loop.
std::string OpenLoopJson(const ServerRun& run) {
  const OpenLoopResult& open = run.open_loop->load;
  std::vector<std::string> kinds;
  for (int kind = 0; kind < static_cast<int>(open.load.kinds.size()); ++kind) {
    kinds.push_back(absl::StrFormat("\"%s\":%s", open.load.kinds[kind].name,
                                    OpenFiguresJson(OpenFiguresOf(run, kind))));
  }
  const OpenFigures all = OpenFiguresOf(run, -1);
  return absl::StrFormat(
      "{\"targetPerSecond\":%.1f,\"achievedPerSecond\":%.1f,\"all\":%s,\"kinds\":{%s},"
      "\"errors\":%s,\"notStarted\":%d,\"maxOutstanding\":%d,"
      "\"startLagMs\":{\"p50\":%.4f,\"p99\":%.4f,\"max\":%.4f},\"rssBytes\":[%s],"
      "\"memory\":%s}",
      open.target_per_second, all.latency.per_second, OpenFiguresJson(all),
      absl::StrJoin(kinds, ","), ErrorsJson(open.load.errors), open.not_started,
      open.max_outstanding, Percentile(open.start_lag_ms, 0.5), Percentile(open.start_lag_ms, 0.99),
      Percentile(open.start_lag_ms, 1), absl::StrJoin(run.open_loop->rss_bytes, ","),
      TrendJson(TrendOf(run.open_loop->rss_bytes)));
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
  return absl::StrFormat(
      "{\"all\":%s,\"kinds\":{%s},\"errors\":%s,\"serverCpuMicrosPerCall\":%.2f,"
      "\"clientCpuMicrosPerCall\":%.2f,\"rssBytes\":[%s]%s}",
      FiguresJson(FiguresOf(run.load, -1)), absl::StrJoin(kinds, ","), ErrorsJson(run.load.errors),
      MicrosecondsPerCall(run.server_cpu_seconds, run.load),
      MicrosecondsPerCall(run.client_cpu_seconds, run.load), absl::StrJoin(run.rss_bytes, ","),
      run.open_loop ? ",\"openLoop\":" + OpenLoopJson(run) : "");
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
  if (r.open_loop_fraction > 0) PrintOpenLoopTables(r, out);
}

void PrintJson(const LoadReport& r, std::ostream& out) {
  out << absl::StrFormat(
      "{\"profiles\":%d,\"concurrency\":%d,\"findPartnersPercent\":%d,\"k\":%d,"
      "\"warmupSeconds\":%d,\"durationSeconds\":%d,\"seed\":%d,\"cpus\":%d,"
      "\"loadAverageBefore\":%.2f,\"sociodRssAfterImportBytes\":%d,\"view\":\"%s\","
      "\"socio\":%s,\"echo\":%s,\"previous\":%s,\"memory\":%s%s}\n",
      r.profiles, r.concurrency, r.find_partners_percent, r.k, r.warmup_seconds, r.duration_seconds,
      r.seed, r.cpus, r.load_average_before, r.sociod_rss_after_import, r.view, RunJson(r.socio),
      RunJson(r.echo), r.previous ? RunJson(*r.previous) : std::string("null"),
      TrendJson(TrendOf(r.socio.rss_bytes)),
      r.open_loop_fraction > 0
          ? absl::StrFormat(",\"openLoopFraction\":%.3f,\"openLoopMaxOutstanding\":%d",
                            r.open_loop_fraction, r.open_loop_max_outstanding)
          : "");
}

}  // namespace socio::bench
