// Real child processes for end-to-end and crash tests: sociod started and
// killed with SIGKILL, the socio CLI run and its output read.
#ifndef SOCIO_TESTS_SUPPORT_PROCESS_H_
#define SOCIO_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace socio::testing {

// The path of a binary this build made, e.g. BuiltBinary("services/sociod").
std::string BuiltBinary(absl::string_view relative_path);

// The path of a file of the source tree this build came from, e.g.
// SourceFile("tests/planner/parse_ics.py"). (Only this support library
// knows the tree's place, so the tests' own objects do not depend on it and
// another clone reuses them from the compiler cache.)
std::string SourceFile(absl::string_view relative_path);

// A process running in the background, its stdout and stderr going to files.
class ChildProcess {
 public:
  // Starts argv[0] (a path) with the rest as arguments; output goes to
  // `output_prefix`.out and `output_prefix`.err.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(std::vector<std::string> argv,
                                                             const std::string& output_prefix);
  // Kills the process with SIGKILL if it still runs.
  ~ChildProcess();

  // Waits until stderr has a line containing `needle` and returns that line;
  // DEADLINE_EXCEEDED after `timeout`, FAILED_PRECONDITION if the process ends first.
  absl::StatusOr<std::string> WaitForStderrLine(absl::string_view needle, absl::Duration timeout);

  void Signal(int signal_number);
  // Waits for the process to end; its exit status, or 128 + signal number.
  int Wait();

  std::string Stdout() const;
  std::string Stderr() const;
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, std::string output_prefix)
      : pid_(pid), output_prefix_(std::move(output_prefix)) {}

  pid_t pid_;
  std::string output_prefix_;
  bool reaped_ = false;
  int exit_status_ = -1;
};

struct CommandResult {
  int exit_status = -1;
  std::string out;
  std::string err;
};

// Runs argv to completion with `stdin_text` on its standard input.
absl::StatusOr<CommandResult> RunCommand(std::vector<std::string> argv,
                                         const std::string& scratch_dir,
                                         const std::string& stdin_text = "");

// Starts sociod on `data_dir` with `flags`, listening on a port the kernel
// picks, and returns it once it serves; `*address` receives its host:port.
// By default it runs in development mode (no tokens).
absl::StatusOr<std::unique_ptr<ChildProcess>> StartSociod(
    const std::string& data_dir, const std::string& output_prefix, std::string* address,
    const std::vector<std::string>& flags = {"--dev_insecure"});

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_PROCESS_H_
