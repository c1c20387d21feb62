// The closed loop socio-bench-load drives servers with: a fixed number of
// calls always in flight on gRPC's callback API, each completion starting the
// next call in its slot at once, first for a warm-up that is not counted, then
// for the measured window.
//
//   SocioCalls calls(channel, token, member_ids, {.slots = 16, ...});
//   LoadResult result = RunClosedLoop(calls, {.warmup = absl::Seconds(5),
//                                             .duration = absl::Seconds(60)},
//                                     [](const LoadProgress& p) { ... });
//
// Only the calls that both start and end inside the measured window count
// towards latency and throughput; failed calls are counted by status code
// over the whole run, warm-up included.
#ifndef SOCIO_BENCH_LOAD_CLOSED_LOOP_H_
#define SOCIO_BENCH_LOAD_CLOSED_LOOP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace socio::bench {

// What one finished call reports to the loop.
struct CallOutcome {
  // Index into CallSource::KindNames().
  int kind = 0;
  grpc::StatusCode code = grpc::StatusCode::OK;
  // Serialized message sizes, in bytes; response_bytes is 0 for a failed call.
  int64_t request_bytes = 0;
  int64_t response_bytes = 0;
};

// The calls a load is made of, one slot per call in flight.
//
// Thread safety: Start is called from the loop's thread and from gRPC's
// callback threads, for different slots at once, but a slot's next call
// starts only after its previous call reported.
class CallSource {
 public:
  virtual ~CallSource() = default;
  // How many calls the loop keeps in flight.
  virtual int slots() const = 0;
  // The kinds of call this source makes, e.g. {"FindPartners", "GetProfile"}.
  virtual std::vector<std::string> KindNames() const = 0;
  // Starts one call in `slot` (0 <= slot < slots()) and calls `done` exactly
  // once, on any thread, when it has completed. Calls carry a deadline, so
  // `done` always comes.
  virtual void Start(int slot, std::function<void(const CallOutcome&)> done) = 0;
};

struct LoadOptions {
  absl::Duration warmup = absl::Seconds(5);
  absl::Duration duration = absl::Seconds(60);
};

// Reported once a second of the run, on the thread that called RunClosedLoop.
struct LoadProgress {
  // Whole seconds since the measured window began; negative during warm-up,
  // 0 at its start.
  int measured_seconds = 0;
  // Calls that succeeded inside the measured window so far.
  int64_t measured_calls = 0;
};

// What the calls of one kind did in the measured window.
struct KindResult {
  std::string name;
  // One entry per call that succeeded, in milliseconds, unordered.
  std::vector<double> latency_ms;
  // Sums over those calls, in bytes.
  int64_t request_bytes = 0;
  int64_t response_bytes = 0;
  // Failed calls of this kind by status code, over the whole run.
  std::map<grpc::StatusCode, int64_t> errors;

  double MeanRequestBytes() const;
  double MeanResponseBytes() const;
};

struct LoadResult {
  // In the order of CallSource::KindNames().
  std::vector<KindResult> kinds;
  // Failed calls by status code, over the whole run.
  std::map<grpc::StatusCode, int64_t> errors;
  absl::Duration measured;

  int64_t ErrorCount() const;
  // Every kind's latencies together.
  std::vector<double> AllLatencies() const;
  // Succeeded calls per second in the measured window; all kinds when `kind` is -1.
  double CallsPerSecond(int kind = -1) const;
};

// An empty result per slot of `calls`, its kinds named: what each slot's
// calls record into while a loop runs.
std::vector<LoadResult> RecordsPerSlot(const CallSource& calls);

// The results of several parts of one run (each slot's, say) as one, kind by
// kind, measured over `measured`.
LoadResult MergeResults(const std::vector<LoadResult>& parts, absl::Duration measured);

// Runs `calls` for options.warmup + options.duration and returns once every
// call it started has completed. `on_second` may be empty.
LoadResult RunClosedLoop(CallSource& calls, const LoadOptions& options,
                         const std::function<void(const LoadProgress&)>& on_second);

namespace internal {

// The clock of every loop, and the seconds it ticks: on this thread, calls
// `on_second` (if not empty) at each whole second from -floor(warmup) to
// floor(duration) after `measure_begin`, with `measured_calls()` then, and
// returns at the end of the measured window.
using LoadClock = std::chrono::steady_clock;
void TickEverySecond(LoadClock::time_point measure_begin, const LoadOptions& options,
                     const std::function<int64_t()>& measured_calls,
                     const std::function<void(const LoadProgress&)>& on_second);

}  // namespace internal

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_CLOSED_LOOP_H_
