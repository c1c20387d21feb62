// What every gRPC call a server handles leaves behind: counts and latencies
// in a RequestMetrics (served to Prometheus, see metrics_http.h), and one
// JSON line in the request log.
//
//   RequestMetrics metrics;
//   absl::Status s = metrics.AddGauge("socio_index_profiles", "Profiles in the match index.",
//                                     [index] { return static_cast<double>(index->size()); });
//   std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
//   creators.push_back(std::make_unique<RequestInterceptorFactory>(
//       &metrics, RequestLogOptions{.level = LogLevel::kInfo}));
//   builder.experimental().SetInterceptorCreators(std::move(creators));
//
// A call is recorded when its status is sent, so a long stream (WatchProfiles)
// shows up when it ends, with its whole duration. The method label is the
// server's own name for the method ("/socio.v1.ProfileService/CreateProfile";
// gRPC names every unregistered method "unknown"), so callers cannot grow
// the number of series.
#ifndef SOCIO_SERVICES_REQUEST_METRICS_H_
#define SOCIO_SERVICES_REQUEST_METRICS_H_

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"

namespace socio::services {
namespace internal {
class RequestInterceptor;
}  // namespace internal

// Counters and latency histograms per RPC method, plus gauges the server
// registers, rendered in the Prometheus text format 0.0.4:
//
//   socio_requests_total{method="/socio.v1.ProfileService/GetProfile",code="NOT_FOUND"} 3
//   socio_request_duration_seconds_bucket{method="...",le="0.005"} 41
//   socio_request_duration_seconds_sum{method="..."} 0.0913
//   socio_request_duration_seconds_count{method="..."} 44
//
// Thread safety: every method may be called from any thread. Record takes a
// shared lock for a hash lookup and then only updates atomics; a method's
// first call takes the lock exclusively once to add its slot.
class RequestMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds; +Inf is implied.
  static constexpr std::array<double, 16> kLatencyBucketsSeconds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

  RequestMetrics();
  ~RequestMetrics();
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // Counts one finished call of `method` (full name) that ended with `code`
  // after `elapsed`. Codes outside gRPC's range count as UNKNOWN.
  void Record(absl::string_view method, grpc::StatusCode code, absl::Duration elapsed);

  // Adds a gauge `name` whose value `value` returns at each rendering.
  // `value` runs on the rendering thread (an HTTP worker): it must be
  // thread-safe, should be quick, must not call back into this object, and
  // must stay callable for as long as RenderPrometheus may run (stop the
  // MetricsHttpServer before destroying what it reads).
  // INVALID_ARGUMENT unless `name` is a Prometheus metric name
  // ([a-zA-Z_:][a-zA-Z0-9_:]*); ALREADY_EXISTS if the name is taken.
  absl::Status AddGauge(absl::string_view name, absl::string_view help,
                        std::function<double()> value);
  // Likewise for a counter kept elsewhere (a value that only grows, named
  // "..._total" by convention).
  absl::Status AddCounter(absl::string_view name, absl::string_view help,
                          std::function<double()> value);

  // Everything recorded so far, in the Prometheus text exposition format
  // 0.0.4: the request counters, the latency histograms, then the gauges and
  // counters in the order they were added. Methods are sorted by name.
  std::string RenderPrometheus() const;

 private:
  struct MethodStats;
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> value;
    const char* type;  // "gauge" or "counter"
  };

  absl::Status AddSeries(absl::string_view name, absl::string_view help,
                         std::function<double()> value, const char* type);

  MethodStats* StatsFor(absl::string_view method) ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  // Slots are never removed, so pointers to them stay valid.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodStats>> methods_ ABSL_GUARDED_BY(mu_);
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

// Which request log lines are written; each level includes those above it.
enum class LogLevel { kDebug, kInfo, kWarning, kOff };

// "debug", "info", "warning" or "off"; INVALID_ARGUMENT otherwise.
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);

// Whether `method` changes stored state, judged by its name: the part after
// the last '/' starts with Create, Update, Delete, Import, Set, Plan, Issue,
// Revoke or Backup followed by an upper-case letter or the end
// ("/socio.v1.ProfileService/CreateProfile", not ".../Settings").
bool IsWriteMethod(absl::string_view method);

// The level a finished call is logged at: kWarning for codes that mean the
// server failed (UNKNOWN, INTERNAL, DATA_LOSS), else kInfo for writes
// (IsWriteMethod) and kDebug for reads.
LogLevel RequestLogLevel(absl::string_view method, grpc::StatusCode code);

struct RequestLogOptions {
  // Lines below this level are not written. Default: kInfo, so writes and
  // server failures are logged and reads are not.
  LogLevel level = LogLevel::kInfo;
  // Receives each line, '\n' included, in one call. Called concurrently from
  // the server's threads. Default (empty): one fwrite to stderr per line, so
  // lines of concurrent calls never interleave.
  std::function<void(absl::string_view line)> sink;
};

// Makes the interceptor that records each call in `metrics` and writes its
// request log line, e.g.
//
//   {"ts":"2024-05-02T09:14:03.512Z","level":"info",
//    "method":"/socio.v1.ProfileService/CreateProfile","code":"INVALID_ARGUMENT",
//    "ms":0.412,"peer":"ipv4:127.0.0.1:50412","caller":"tok_4f2a...",
//    "message":"profile.country: ..."}
//
// (one line in the log; broken here to fit).
//
// ts is when the status was sent (RFC 3339, UTC); ms the time since the call
// arrived; peer is omitted when gRPC does not know it; caller is what the
// handler noted (NoteCaller), omitted when it noted nothing (the token was
// refused, or the method takes none); message appears only for failures. A
// call that ends without a status being sent (cancelled while the server
// shuts down) counts as CANCELLED.
//
// `metrics` is not owned and must outlive the grpc::Server built with this
// factory (calls are recorded until the server has shut down).
class RequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  RequestInterceptorFactory(RequestMetrics* metrics, RequestLogOptions options);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  friend class internal::RequestInterceptor;

  // Records one finished call and writes its line. `context` (for the peer)
  // is null when the call is already gone; `caller` is empty when none was
  // noted.
  void Finish(absl::string_view method, const grpc::Status& status, absl::Duration elapsed,
              grpc::ServerContextBase* context, absl::string_view caller) const;

  RequestMetrics* const metrics_;
  const RequestLogOptions options_;
};

// Names the caller of the call `context` serves in the call's request log
// line ("caller": `key`, a Caller::Key()), once its handler knows it; Serve
// (call_scope.h) does this for every handler. Does nothing for a call that
// no RequestInterceptorFactory records. A later note replaces an earlier.
// Thread-safe.
void NoteCaller(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_REQUEST_METRICS_H_
