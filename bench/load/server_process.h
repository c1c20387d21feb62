// A server the load benchmark runs as a child process: started with its
// output in files, its address read from the line it prints once it serves,
// its memory read from /proc, stopped with SIGTERM.
//
//   absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
//       {"/path/sociod", "--data_dir", dir, "--listen", "127.0.0.1:0"}, scratch.Join("sociod"));
//   absl::StatusOr<std::string> address = (*server)->WaitUntilServing(absl::Seconds(60));
//   absl::StatusOr<int64_t> rss = (*server)->ResidentBytes();
//   (*server)->Stop();
//
// Not thread-safe.
#ifndef SOCIO_BENCH_LOAD_SERVER_PROCESS_H_
#define SOCIO_BENCH_LOAD_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace socio::bench {

class ServerProcess {
 public:
  // Starts argv[0] (a path) with the rest of argv as arguments; its stdout and
  // stderr go to `output_prefix`.out and `output_prefix`.err. INTERNAL if it
  // cannot be started.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(std::vector<std::string> argv,
                                                              const std::string& output_prefix);
  // Stops it (see Stop) if it still runs.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Waits for the "serving on HOST:PORT" line sociod and socio-echo-server
  // print on stderr and returns HOST:PORT. DEADLINE_EXCEEDED after `timeout`;
  // FAILED_PRECONDITION with the end of its stderr if the process ends first.
  absl::StatusOr<std::string> WaitUntilServing(absl::Duration timeout);

  // VmRSS from /proc/PID/status, in bytes. UNAVAILABLE once the process ended.
  absl::StatusOr<int64_t> ResidentBytes() const;
  // CPU time it has used so far, user and system, in seconds (from
  // /proc/PID/stat, in clock ticks). UNAVAILABLE once the process ended.
  absl::StatusOr<double> CpuSeconds() const;

  // SIGTERM, then SIGKILL if it has not ended after `grace`; its exit status
  // (128 + signal number if a signal ended it). Safe to call more than once.
  int Stop(absl::Duration grace = absl::Seconds(15));

  pid_t pid() const { return pid_; }
  std::string Stderr() const;

 private:
  ServerProcess(pid_t pid, std::string output_prefix)
      : pid_(pid), output_prefix_(std::move(output_prefix)) {}
  // True once the process has ended (and was reaped).
  bool Ended();

  const pid_t pid_;
  const std::string output_prefix_;
  bool reaped_ = false;
  int exit_status_ = -1;
};

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_SERVER_PROCESS_H_
