#include "bench/load/server_process.h"

#include <signal.h>
#include <unistd.h>

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bench/spawn.h"

namespace socio::bench {
namespace {

std::string Tail(const std::string& text, size_t n = 2000) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    std::vector<std::string> argv, const std::string& output_prefix) {
  const pid_t pid = Spawn(argv, "", output_prefix + ".out", output_prefix + ".err");
  if (pid < 0) return absl::InternalError(absl::StrCat("fork for ", argv[0], " failed"));
  return std::unique_ptr<ServerProcess>(new ServerProcess(pid, output_prefix));
}

ServerProcess::~ServerProcess() { Stop(); }

bool ServerProcess::Ended() {
  if (reaped_) return true;
  if (std::optional<int> status = ExitStatusIfEnded(pid_)) {
    reaped_ = true;
    exit_status_ = *status;
  }
  return reaped_;
}

absl::StatusOr<std::string> ServerProcess::WaitUntilServing(absl::Duration timeout) {
  constexpr absl::string_view kServingOn = "serving on ";
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    for (absl::string_view line : absl::StrSplit(Stderr(), '\n')) {
      const size_t at = line.find(kServingOn);
      if (at == absl::string_view::npos) continue;
      // "sociod: serving on 127.0.0.1:PORT, data in DIR"
      absl::string_view address = line.substr(at + kServingOn.size());
      return std::string(address.substr(0, address.find(',')));
    }
    if (Ended()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "it ended (exit status ", exit_status_, ") before serving; stderr: ", Tail(Stderr())));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "not serving after ", absl::FormatDuration(timeout), "; stderr: ", Tail(Stderr())));
}

absl::StatusOr<int64_t> ServerProcess::ResidentBytes() const {
  if (reaped_) return absl::UnavailableError("the process has ended");
  const std::string status = ReadFileOrEmpty(absl::StrCat("/proc/", pid_, "/status"));
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    // "VmRSS:\t  123456 kB"
    if (!absl::ConsumePrefix(&line, "VmRSS:")) continue;
    line = absl::StripAsciiWhitespace(line);
    int64_t kilobytes = 0;
    if (!absl::ConsumeSuffix(&line, " kB") || !absl::SimpleAtoi(line, &kilobytes)) break;
    return kilobytes * 1024;
  }
  return absl::UnavailableError(absl::StrCat("no VmRSS in /proc/", pid_, "/status"));
}

absl::StatusOr<double> ServerProcess::CpuSeconds() const {
  if (reaped_) return absl::UnavailableError("the process has ended");
  const std::string stat = ReadFileOrEmpty(absl::StrCat("/proc/", pid_, "/stat"));
  // "PID (COMM) STATE ..." where COMM may hold spaces and parentheses; the
  // fields after it are numbered from 3 (STATE): utime is 14, stime 15.
  const size_t comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) {
    return absl::UnavailableError(absl::StrCat("cannot read /proc/", pid_, "/stat"));
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(comm_end + 1), ' ', absl::SkipEmpty());
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3;
  int64_t utime = 0, stime = 0;
  if (fields.size() <= kStime || !absl::SimpleAtoi(fields[kUtime], &utime) ||
      !absl::SimpleAtoi(fields[kStime], &stime)) {
    return absl::UnavailableError(absl::StrCat("no CPU times in /proc/", pid_, "/stat"));
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

int ServerProcess::Stop(absl::Duration grace) {
  if (reaped_) return exit_status_;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  while (!Ended() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  if (!reaped_) {
    kill(pid_, SIGKILL);
    exit_status_ = WaitForExit(pid_);
    reaped_ = true;
  }
  return exit_status_;
}

std::string ServerProcess::Stderr() const { return ReadFileOrEmpty(output_prefix_ + ".err"); }

}  // namespace socio::bench
