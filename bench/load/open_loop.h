// The open loop socio-bench-load drives a server with after its closed loop:
// calls start on a fixed schedule, evenly spaced at a given rate, whether or
// not the earlier ones have completed, first for a warm-up that is not
// counted, then for the measured window. A slow server does not slow the
// load down, as it does a closed loop's: its calls pile up instead.
//
//   SocioCalls calls(channel, token, member_ids, {.slots = 10'000, ...});
//   OpenLoopResult result = RunOpenLoop(calls, 0.5 * closed.CallsPerSecond(),
//                                       {.warmup = absl::Seconds(5),
//                                        .duration = absl::Seconds(60)},
//                                       [](const LoadProgress& p) { ... });
//
// A call's latency runs from the time the schedule gave it, not from the time
// it actually started, so a server or load generator that falls behind is
// charged for the wait (no coordinated omission). The calls that count
// towards latency and rate are those scheduled inside the measured window,
// however late they complete; failed calls are counted over the whole run,
// warm-up included.
//
// At most calls.slots() calls are outstanding, each in a slot of its own: a
// call whose time comes while every slot is busy is not started and counts as
// failed, with RESOURCE_EXHAUSTED, so a stalled server cannot make the load
// generator hold ever more calls.
#ifndef SOCIO_BENCH_LOAD_OPEN_LOOP_H_
#define SOCIO_BENCH_LOAD_OPEN_LOOP_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "bench/load/closed_loop.h"

namespace socio::bench {

struct OpenLoopResult {
  // Calls scheduled per second.
  double target_per_second = 0;
  // Latencies from each call's scheduled start. errors include the calls not
  // started, as RESOURCE_EXHAUSTED (in no kind's errors: none was drawn).
  LoadResult load;
  // Calls not started because calls.slots() calls were outstanding, over the
  // whole run.
  int64_t not_started = 0;
  // The most calls outstanding at once, over the whole run.
  int max_outstanding = 0;
  // For each call scheduled in the measured window that started: how long
  // after its scheduled time, in milliseconds (the load generator's own lag,
  // part of the call's latency), unordered.
  std::vector<double> start_lag_ms;
};

// Runs `calls` at `calls_per_second` for options.warmup + options.duration and
// returns once every call it started has completed. `on_second` may be
// empty; its measured_calls are the calls scheduled in the measured window
// that succeeded so far.
// REQUIRES: calls_per_second > 0.
OpenLoopResult RunOpenLoop(CallSource& calls, double calls_per_second, const LoadOptions& options,
                           const std::function<void(const LoadProgress&)>& on_second);

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_OPEN_LOOP_H_
