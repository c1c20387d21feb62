#include "bench/load/closed_loop.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace socio::bench {
namespace {

using Clock = internal::LoadClock;

Clock::duration ToClock(absl::Duration d) {
  return std::chrono::duration_cast<Clock::duration>(absl::ToChronoNanoseconds(d));
}

// The calls in flight and what they did. Each slot's record is touched only
// by whoever completes the slot's current call; a slot's calls follow one
// another, so records need no lock while calls run.
class ClosedLoop {
 public:
  ClosedLoop(CallSource& calls, Clock::time_point measure_begin, Clock::time_point measure_end)
      : calls_(calls),
        measure_begin_(measure_begin),
        measure_end_(measure_end),
        records_(RecordsPerSlot(calls)) {}

  void StartAll() {
    {
      absl::MutexLock lock(&mu_);
      in_flight_ = calls_.slots();
    }
    for (int slot = 0; slot < calls_.slots(); ++slot) StartCall(slot);
  }

  // Slots stop on their own once a call ends after the window; this waits
  // for the last of them.
  void WaitForAll() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* in_flight) { return *in_flight == 0; }, &in_flight_));
  }

  // REQUIRES: WaitForAll returned.
  LoadResult Collect(absl::Duration measured) { return MergeResults(records_, measured); }

  int64_t measured_calls() const { return measured_calls_.load(std::memory_order_relaxed); }

 private:
  void StartCall(int slot) {
    const Clock::time_point start = Clock::now();
    calls_.Start(slot,
                 [this, slot, start](const CallOutcome& outcome) { Finish(slot, start, outcome); });
  }

  void Finish(int slot, Clock::time_point start, const CallOutcome& outcome) {
    const Clock::time_point end = Clock::now();
    LoadResult& record = records_[slot];
    if (outcome.code != grpc::StatusCode::OK) {
      ++record.errors[outcome.code];
      ++record.kinds[outcome.kind].errors[outcome.code];
    } else if (start >= measure_begin_ && end <= measure_end_) {
      KindResult& kind = record.kinds[outcome.kind];
      kind.latency_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
      kind.request_bytes += outcome.request_bytes;
      kind.response_bytes += outcome.response_bytes;
      measured_calls_.fetch_add(1, std::memory_order_relaxed);
    }
    // Closed loop: the next call starts as soon as this one ended, on this
    // (gRPC's) thread; gRPC queues rather than nests a completion that comes
    // at once, so this does not recurse.
    if (end < measure_end_) {
      StartCall(slot);
      return;
    }
    absl::MutexLock lock(&mu_);
    --in_flight_;
  }

  CallSource& calls_;
  const Clock::time_point measure_begin_;
  const Clock::time_point measure_end_;
  // One per slot, in the shape of the result.
  std::vector<LoadResult> records_;
  std::atomic<int64_t> measured_calls_{0};
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

double Mean(int64_t sum, size_t count) { return count == 0 ? 0 : static_cast<double>(sum) / count; }

}  // namespace

double KindResult::MeanRequestBytes() const { return Mean(request_bytes, latency_ms.size()); }
double KindResult::MeanResponseBytes() const { return Mean(response_bytes, latency_ms.size()); }

std::vector<LoadResult> RecordsPerSlot(const CallSource& calls) {
  std::vector<LoadResult> records(calls.slots());
  const std::vector<std::string> names = calls.KindNames();
  for (LoadResult& record : records) {
    for (const std::string& name : names) record.kinds.push_back({.name = name});
  }
  return records;
}

LoadResult MergeResults(const std::vector<LoadResult>& parts, absl::Duration measured) {
  LoadResult result{.measured = measured};
  for (const LoadResult& part : parts) {
    if (result.kinds.empty()) result.kinds.resize(part.kinds.size());
    for (size_t k = 0; k < part.kinds.size(); ++k) {
      const KindResult& from = part.kinds[k];
      KindResult& to = result.kinds[k];
      to.name = from.name;
      to.latency_ms.insert(to.latency_ms.end(), from.latency_ms.begin(), from.latency_ms.end());
      to.request_bytes += from.request_bytes;
      to.response_bytes += from.response_bytes;
      for (const auto& [code, count] : from.errors) to.errors[code] += count;
    }
    for (const auto& [code, count] : part.errors) result.errors[code] += count;
  }
  return result;
}

int64_t LoadResult::ErrorCount() const {
  int64_t count = 0;
  for (const auto& [code, n] : errors) count += n;
  return count;
}

std::vector<double> LoadResult::AllLatencies() const {
  std::vector<double> all;
  for (const KindResult& kind : kinds) {
    all.insert(all.end(), kind.latency_ms.begin(), kind.latency_ms.end());
  }
  return all;
}

double LoadResult::CallsPerSecond(int kind) const {
  const double seconds = absl::ToDoubleSeconds(measured);
  if (seconds <= 0) return 0;
  if (kind >= 0) return kinds[kind].latency_ms.size() / seconds;
  size_t calls = 0;
  for (const KindResult& k : kinds) calls += k.latency_ms.size();
  return calls / seconds;
}

LoadResult RunClosedLoop(CallSource& calls, const LoadOptions& options,
                         const std::function<void(const LoadProgress&)>& on_second) {
  const Clock::time_point measure_begin = Clock::now() + ToClock(options.warmup);
  const Clock::time_point measure_end = measure_begin + ToClock(options.duration);
  ClosedLoop loop(calls, measure_begin, measure_end);
  loop.StartAll();
  internal::TickEverySecond(
      measure_begin, options, [&loop] { return loop.measured_calls(); }, on_second);
  loop.WaitForAll();
  return loop.Collect(options.duration);
}

namespace internal {

void TickEverySecond(LoadClock::time_point measure_begin, const LoadOptions& options,
                     const std::function<int64_t()>& measured_calls,
                     const std::function<void(const LoadProgress&)>& on_second) {
  // Ticks on whole seconds of the measured window, so that second 0 is its
  // first instant and the last tick its end (for whole-second durations).
  const int first = -static_cast<int>(std::floor(absl::ToDoubleSeconds(options.warmup)));
  const int last = static_cast<int>(std::floor(absl::ToDoubleSeconds(options.duration)));
  for (int second = first; second <= last; ++second) {
    std::this_thread::sleep_until(measure_begin + std::chrono::seconds(second));
    if (on_second) on_second({.measured_seconds = second, .measured_calls = measured_calls()});
  }
  std::this_thread::sleep_until(measure_begin + ToClock(options.duration));
}

}  // namespace internal
}  // namespace socio::bench
