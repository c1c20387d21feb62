#include "services/request_metrics.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/server_context.h"

namespace socio::services {
namespace {

// gRPC's status codes by number, as gRPC and Abseil spell them.
constexpr std::array<absl::string_view, 17> kCodeNames = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

constexpr int kNumBuckets = RequestMetrics::kLatencyBucketsSeconds.size() + 1;  // + "+Inf"

constexpr absl::string_view kRequestsTotal = "socio_requests_total";
constexpr absl::string_view kRequestDuration = "socio_request_duration_seconds";

size_t CodeIndex(grpc::StatusCode code) {
  const int i = static_cast<int>(code);
  return i >= 0 && i < static_cast<int>(kCodeNames.size()) ? i : grpc::StatusCode::UNKNOWN;
}

bool IsMetricName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '_' || c == ':'; });
}

// A label value inside double quotes: backslash, quote and newline escaped.
void AppendLabelValue(absl::string_view value, std::string* out) {
  for (char c : value) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '"') {
      out->append("\\\"");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

// HELP text: backslash and newline escaped.
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The shortest text that reads back as `value`, with Prometheus' spelling of
// the special values.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Whole numbers (sizes, counts) in full rather than as 1.23456789e+09.
  if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  char buffer[32];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general);
  return std::string(buffer, result.ptr);
}

void AppendFamilyHeader(absl::string_view name, absl::string_view type, absl::string_view help,
                        std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ", type, "\n");
}

// Appends `s` as a JSON string. Invalid UTF-8 becomes U+FFFD, so the line
// stays valid JSON whatever a status message holds.
void AppendJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        out->push_back('\\');
        out->push_back(static_cast<char>(c));
      } else if (c == '\n') {
        out->append("\\n");
      } else if (c < 0x20) {
        absl::StrAppendFormat(out, "\\u%04x", c);
      } else {
        out->push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // Length of the sequence and the range its second byte must be in, which
    // rules out overlong forms, surrogates and code points past U+10FFFF.
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    }
    bool valid = length > 0 && i + length <= s.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const unsigned char next = s[i + k];
      valid = k == 1 ? (next >= low && next <= high) : (next >= 0x80 && next <= 0xBF);
    }
    if (valid) {
      out->append(s.data() + i, length);
      i += length;
    } else {
      out->append("\\ufffd");
      ++i;
    }
  }
  out->push_back('"');
}

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

// The callers noted for the calls in progress that a RequestInterceptor
// records, by their context: a handler reaches its call's interceptor only
// through the context they share. An entry lives from the call's arrival to
// its context's destruction.
class CallerNotes {
 public:
  void Open(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    callers_.insert_or_assign(context, std::string());
  }
  void Note(const grpc::ServerContextBase* context, absl::string_view key) {
    absl::MutexLock lock(&mu_);
    auto it = callers_.find(context);
    if (it != callers_.end()) it->second = std::string(key);
  }
  std::string Get(const grpc::ServerContextBase* context) const {
    absl::MutexLock lock(&mu_);
    auto it = callers_.find(context);
    return it != callers_.end() ? it->second : "";
  }
  void Close(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    callers_.erase(context);
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::string> callers_ ABSL_GUARDED_BY(mu_);
};

// Shared by every server of the process; never destroyed, so calls ending
// during exit still find it.
CallerNotes& Notes() {
  static CallerNotes* const notes = new CallerNotes;
  return *notes;
}

void WriteToStderr(absl::string_view line) {
  // One call per line: stdio locks the stream for it, so lines from
  // concurrent calls never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

struct RequestMetrics::MethodStats {
  std::array<std::atomic<uint64_t>, kCodeNames.size()> calls{};
  // Not cumulative: bucket i counts calls in (bound[i-1], bound[i]].
  std::array<std::atomic<uint64_t>, kNumBuckets> buckets{};
  std::atomic<uint64_t> nanos_sum{0};
};

RequestMetrics::RequestMetrics() = default;
RequestMetrics::~RequestMetrics() = default;

RequestMetrics::MethodStats* RequestMetrics::StatsFor(absl::string_view method) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = methods_.find(method);
    if (it != methods_.end()) return it->second.get();
  }
  absl::MutexLock lock(&mu_);
  std::unique_ptr<MethodStats>& slot = methods_[method];
  if (slot == nullptr) slot = std::make_unique<MethodStats>();
  return slot.get();
}

void RequestMetrics::Record(absl::string_view method, grpc::StatusCode code,
                            absl::Duration elapsed) {
  MethodStats* stats = StatsFor(method);
  const double seconds = std::max(0.0, absl::ToDoubleSeconds(elapsed));
  const size_t bucket =
      std::lower_bound(kLatencyBucketsSeconds.begin(), kLatencyBucketsSeconds.end(), seconds) -
      kLatencyBucketsSeconds.begin();
  stats->calls[CodeIndex(code)].fetch_add(1, std::memory_order_relaxed);
  stats->buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  stats->nanos_sum.fetch_add(
      static_cast<uint64_t>(std::max<int64_t>(0, absl::ToInt64Nanoseconds(elapsed))),
      std::memory_order_relaxed);
}

absl::Status RequestMetrics::AddGauge(absl::string_view name, absl::string_view help,
                                      std::function<double()> value) {
  return AddSeries(name, help, std::move(value), "gauge");
}

absl::Status RequestMetrics::AddCounter(absl::string_view name, absl::string_view help,
                                        std::function<double()> value) {
  return AddSeries(name, help, std::move(value), "counter");
}

absl::Status RequestMetrics::AddSeries(absl::string_view name, absl::string_view help,
                                       std::function<double()> value, const char* type) {
  if (!IsMetricName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("gauge name '", name, "' is not a Prometheus metric name"));
  }
  absl::MutexLock lock(&mu_);
  const bool taken =
      name == kRequestsTotal || absl::StartsWith(name, kRequestDuration) ||
      std::any_of(gauges_.begin(), gauges_.end(), [&](const Gauge& g) { return g.name == name; });
  if (taken) return absl::AlreadyExistsError(absl::StrCat("metric '", name, "' exists already"));
  gauges_.push_back({std::string(name), std::string(help), std::move(value), type});
  return absl::OkStatus();
}

std::string RequestMetrics::RenderPrometheus() const {
  std::vector<std::pair<absl::string_view, const MethodStats*>> methods;
  std::vector<Gauge> gauges;
  {
    absl::ReaderMutexLock lock(&mu_);
    methods.reserve(methods_.size());
    // The keys live as long as their slots, which are never removed.
    for (const auto& [name, stats] : methods_) methods.emplace_back(name, stats.get());
    gauges = gauges_;
  }
  std::sort(methods.begin(), methods.end());

  std::string out;
  AppendFamilyHeader(kRequestsTotal, "counter",
                     "gRPC calls handled, by full method name and status code.", &out);
  for (const auto& [method, stats] : methods) {
    for (size_t code = 0; code < kCodeNames.size(); ++code) {
      const uint64_t n = stats->calls[code].load(std::memory_order_relaxed);
      if (n == 0) continue;
      absl::StrAppend(&out, kRequestsTotal, "{method=\"");
      AppendLabelValue(method, &out);
      absl::StrAppend(&out, "\",code=\"", kCodeNames[code], "\"} ", n, "\n");
    }
  }

  AppendFamilyHeader(kRequestDuration, "histogram",
                     "Time from a call's arrival to its status being sent, in seconds.", &out);
  for (const auto& [method, stats] : methods) {
    std::string label;
    AppendLabelValue(method, &label);
    uint64_t cumulative = 0;
    for (int i = 0; i < kNumBuckets; ++i) {
      cumulative += stats->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < static_cast<int>(kLatencyBucketsSeconds.size())
                                 ? FormatValue(kLatencyBucketsSeconds[i])
                                 : "+Inf";
      absl::StrAppend(&out, kRequestDuration, "_bucket{method=\"", label, "\",le=\"", le, "\"} ",
                      cumulative, "\n");
    }
    const double sum = stats->nanos_sum.load(std::memory_order_relaxed) / 1e9;
    absl::StrAppend(&out, kRequestDuration, "_sum{method=\"", label, "\"} ", FormatValue(sum),
                    "\n");
    // The +Inf bucket's count, so the two agree even while calls are recorded.
    absl::StrAppend(&out, kRequestDuration, "_count{method=\"", label, "\"} ", cumulative, "\n");
  }

  // Outside the lock: the callbacks read other parts of the server.
  for (const Gauge& gauge : gauges) {
    AppendFamilyHeader(gauge.name, gauge.type, gauge.help, &out);
    absl::StrAppend(&out, gauge.name, " ", FormatValue(gauge.value()), "\n");
  }
  return out;
}

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kOff}) {
    if (name == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("log level '", name, "' is not one of debug, info, warning, off"));
}

bool IsWriteMethod(absl::string_view method) {
  static constexpr absl::string_view kWriteVerbs[] = {"Create", "Update", "Delete", "Import", "Set",
                                                      "Plan",   "Issue",  "Revoke", "Backup"};
  const size_t slash = method.rfind('/');
  const absl::string_view name =
      slash == absl::string_view::npos ? method : method.substr(slash + 1);
  for (absl::string_view verb : kWriteVerbs) {
    if (absl::StartsWith(name, verb) &&
        (name.size() == verb.size() || absl::ascii_isupper(name[verb.size()]))) {
      return true;
    }
  }
  return false;
}

LogLevel RequestLogLevel(absl::string_view method, grpc::StatusCode code) {
  if (code == grpc::StatusCode::UNKNOWN || code == grpc::StatusCode::INTERNAL ||
      code == grpc::StatusCode::DATA_LOSS) {
    return LogLevel::kWarning;
  }
  return IsWriteMethod(method) ? LogLevel::kInfo : LogLevel::kDebug;
}

namespace internal {

// Lives as long as its call: created when the call arrives, destroyed with
// the call's ServerContext.
class RequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  RequestInterceptor(const RequestInterceptorFactory* factory,
                     grpc::experimental::ServerRpcInfo* info)
      : factory_(factory),
        info_(info),
        method_(info->method() != nullptr ? info->method() : ""),
        start_(std::chrono::steady_clock::now()) {
    Notes().Open(info_->server_context());
  }

  ~RequestInterceptor() override {
    // The server context is being destroyed: no peer.
    if (!finished_) {
      factory_->Finish(method_,
                       grpc::Status(grpc::StatusCode::CANCELLED, "call ended without a status"),
                       Elapsed(), nullptr, Notes().Get(info_->server_context()));
    }
    Notes().Close(info_->server_context());
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!finished_ && methods->QueryInterceptionHookPoint(
                          grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      finished_ = true;
      factory_->Finish(method_, methods->GetSendStatus(), Elapsed(), info_->server_context(),
                       Notes().Get(info_->server_context()));
    }
    methods->Proceed();
  }

 private:
  absl::Duration Elapsed() const {
    return absl::FromChrono(std::chrono::steady_clock::now() - start_);
  }

  const RequestInterceptorFactory* const factory_;
  grpc::experimental::ServerRpcInfo* const info_;
  const absl::string_view method_;  // owned by the server's method table
  const std::chrono::steady_clock::time_point start_;
  bool finished_ = false;  // a call's status is sent once, from one thread
};

}  // namespace internal

void NoteCaller(const grpc::ServerContextBase& context, absl::string_view key) {
  Notes().Note(&context, key);
}

RequestInterceptorFactory::RequestInterceptorFactory(RequestMetrics* metrics,
                                                     RequestLogOptions options)
    : metrics_(metrics), options_(std::move(options)) {}

grpc::experimental::Interceptor* RequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new internal::RequestInterceptor(this, info);
}

void RequestInterceptorFactory::Finish(absl::string_view method, const grpc::Status& status,
                                       absl::Duration elapsed, grpc::ServerContextBase* context,
                                       absl::string_view caller) const {
  const grpc::StatusCode code = status.error_code();
  metrics_->Record(method, code, elapsed);
  const LogLevel level = RequestLogLevel(method, code);
  if (options_.level == LogLevel::kOff || level < options_.level) return;

  std::string line = absl::StrCat(
      "{\"ts\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\",\"method\":");
  AppendJsonString(method, &line);
  absl::StrAppend(&line, ",\"code\":\"", kCodeNames[CodeIndex(code)],
                  "\",\"ms\":", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(elapsed)));
  if (context != nullptr) {
    if (const std::string peer = context->peer(); !peer.empty()) {
      line.append(",\"peer\":");
      AppendJsonString(peer, &line);
    }
  }
  if (!caller.empty()) {
    line.append(",\"caller\":");
    AppendJsonString(caller, &line);
  }
  if (!status.ok()) {
    line.append(",\"message\":");
    AppendJsonString(status.error_message(), &line);
  }
  line.append("}\n");
  if (options_.sink) {
    options_.sink(line);
  } else {
    WriteToStderr(line);
  }
}

}  // namespace socio::services
