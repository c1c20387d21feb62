// What socio-bench-load measured, and how it is printed: a Markdown table
// for people (the form docs/PERFORMANCE.md quotes), JSON for programs.
#ifndef SOCIO_BENCH_LOAD_LOAD_REPORT_H_
#define SOCIO_BENCH_LOAD_LOAD_REPORT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bench/load/closed_loop.h"
#include "bench/load/open_loop.h"

namespace socio::bench {

// The open loop that followed a server's closed loop (--open_loop).
struct OpenLoopRun {
  OpenLoopResult load;
  // The server's VmRSS at second 0, 1, 2, ... of the open loop's measured
  // window, in bytes.
  std::vector<int64_t> rss_bytes;
};

// One server driven for the measured window.
struct ServerRun {
  LoadResult load;
  // The server's VmRSS at second 0, 1, 2, ... of the measured window, in bytes.
  std::vector<int64_t> rss_bytes;
  // CPU time used in the measured window, user and system, in seconds: by the
  // server process and by the load generator (which shares the machine).
  double server_cpu_seconds = 0;
  double client_cpu_seconds = 0;
  // With --open_loop, on the same server process after the closed loop.
  std::optional<OpenLoopRun> open_loop;
};

struct LoadReport {
  int profiles = 0;
  int concurrency = 0;
  int find_partners_percent = 0;
  int k = 0;
  int warmup_seconds = 0;
  int duration_seconds = 0;
  uint64_t seed = 0;
  // The machine: online CPUs, and the 1-minute load average before the runs
  // (other work competes for the CPUs too).
  int cpus = 0;
  double load_average_before = 0;
  // sociod's VmRSS once the profiles were imported and indexed, in bytes.
  int64_t sociod_rss_after_import = 0;
  // FindPartners' view: "full" or "basic".
  std::string view = "full";
  ServerRun socio;
  ServerRun echo;
  // The same load on another sociod binary (--previous_sociod), run just
  // before `socio`: the figures of the build before a change, beside it.
  std::optional<ServerRun> previous;
  // --open_loop: each sociod's open loop ran at this fraction of its closed
  // loop's calls per second (echo's at Socio's open-loop rate), with at most
  // open_loop_max_outstanding calls outstanding; 0: no open loops, and the output is as without the
  // option.
  double open_loop_fraction = 0;
  int open_loop_max_outstanding = 0;
};

// How a server's memory moved over the measured window: the mean VmRSS of
// its first and last ten seconds (of each half, for runs under 20 s).
struct MemoryTrend {
  // Seconds (samples) averaged at each end.
  int window_seconds = 0;
  double first_mib = 0;
  double last_mib = 0;
  double growth_percent = 0;
  // Within +-kFlatPercent.
  bool flat = true;
};
inline constexpr double kFlatPercent = 5;
MemoryTrend TrendOf(const std::vector<int64_t>& rss_bytes);

void PrintTable(const LoadReport& report, std::ostream& out);
void PrintJson(const LoadReport& report, std::ostream& out);

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_LOAD_REPORT_H_
