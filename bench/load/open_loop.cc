#include "bench/load/open_loop.h"

#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace socio::bench {
namespace {

using Clock = internal::LoadClock;

double Milliseconds(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// The calls outstanding and what they did. A slot is taken from the free
// list for one call and given back when that call reported; its record is
// touched only in between, by the call's completion, so records need no lock
// (the free list's lock orders one call's record before the next).
class OpenLoop {
 public:
  OpenLoop(CallSource& calls, Clock::time_point measure_begin, Clock::time_point measure_end)
      : calls_(calls),
        measure_begin_(measure_begin),
        measure_end_(measure_end),
        records_(RecordsPerSlot(calls)) {
    // Taken from the back: slot 0 first.
    for (int slot = calls.slots() - 1; slot >= 0; --slot) free_slots_.push_back(slot);
  }

  // Starts the call scheduled for `due`, or counts it as not started if
  // every slot is taken. Called from one thread only.
  void Start(Clock::time_point due) {
    int slot = 0;
    {
      absl::MutexLock lock(&mu_);
      if (free_slots_.empty()) {
        ++not_started_;
        return;
      }
      slot = free_slots_.back();
      free_slots_.pop_back();
      max_outstanding_ = std::max(max_outstanding_, ++outstanding_);
    }
    if (Measured(due)) start_lag_ms_.push_back(Milliseconds(Clock::now() - due));
    calls_.Start(slot,
                 [this, slot, due](const CallOutcome& outcome) { Finish(slot, due, outcome); });
  }

  void WaitForAll() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* outstanding) { return *outstanding == 0; }, &outstanding_));
  }

  // REQUIRES: WaitForAll returned, and Start is called no more.
  OpenLoopResult Collect(absl::Duration measured) {
    OpenLoopResult result{.load = MergeResults(records_, measured)};
    LoadResult& load = result.load;
    absl::MutexLock lock(&mu_);
    result.not_started = not_started_;
    if (not_started_ > 0) load.errors[grpc::StatusCode::RESOURCE_EXHAUSTED] += not_started_;
    result.max_outstanding = max_outstanding_;
    result.start_lag_ms = std::move(start_lag_ms_);
    return result;
  }

  int64_t measured_calls() const { return measured_calls_.load(std::memory_order_relaxed); }

 private:
  bool Measured(Clock::time_point due) const { return due >= measure_begin_ && due < measure_end_; }

  void Finish(int slot, Clock::time_point due, const CallOutcome& outcome) {
    const Clock::time_point end = Clock::now();
    LoadResult& record = records_[slot];
    if (outcome.code != grpc::StatusCode::OK) {
      ++record.errors[outcome.code];
      ++record.kinds[outcome.kind].errors[outcome.code];
    } else if (Measured(due)) {
      KindResult& kind = record.kinds[outcome.kind];
      // From the scheduled start: any wait to start is the call's too.
      kind.latency_ms.push_back(Milliseconds(end - due));
      kind.request_bytes += outcome.request_bytes;
      kind.response_bytes += outcome.response_bytes;
      measured_calls_.fetch_add(1, std::memory_order_relaxed);
    }
    absl::MutexLock lock(&mu_);
    free_slots_.push_back(slot);
    --outstanding_;
  }

  CallSource& calls_;
  const Clock::time_point measure_begin_;
  const Clock::time_point measure_end_;
  // One per slot, in the shape of the result.
  std::vector<LoadResult> records_;
  // Touched only by the thread that calls Start.
  std::vector<double> start_lag_ms_;
  std::atomic<int64_t> measured_calls_{0};
  absl::Mutex mu_;
  std::vector<int> free_slots_ ABSL_GUARDED_BY(mu_);
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t not_started_ ABSL_GUARDED_BY(mu_) = 0;
  int max_outstanding_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

OpenLoopResult RunOpenLoop(CallSource& calls, double calls_per_second, const LoadOptions& options,
                           const std::function<void(const LoadProgress&)>& on_second) {
  const Clock::time_point begin = Clock::now();
  const Clock::time_point measure_begin = begin + absl::ToChronoNanoseconds(options.warmup);
  const Clock::time_point measure_end = measure_begin + absl::ToChronoNanoseconds(options.duration);
  OpenLoop loop(calls, measure_begin, measure_end);
  const double interval_ns = 1e9 / calls_per_second;
  // Call i is due at begin + i x interval; one that is overdue (the thread
  // woke late, or was descheduled) starts at once, its lag charged to it.
  std::thread schedule([&] {
    // Wake as near the due time as the kernel can, not up to the default
    // 50 µs after it: that lag would be added to every call's latency.
    // Best effort: without it the figures only carry that lag.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    for (int64_t i = 0;; ++i) {
      const Clock::time_point due =
          begin + std::chrono::nanoseconds(static_cast<int64_t>(i * interval_ns));
      if (due >= measure_end) return;
      std::this_thread::sleep_until(due);
      loop.Start(due);
    }
  });
  internal::TickEverySecond(
      measure_begin, options, [&loop] { return loop.measured_calls(); }, on_second);
  schedule.join();
  loop.WaitForAll();
  OpenLoopResult result = loop.Collect(options.duration);
  result.target_per_second = calls_per_second;
  return result;
}

}  // namespace socio::bench
