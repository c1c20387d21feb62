#include "tests/support/process.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/spawn.h"

namespace socio::testing {

using bench::ExitStatusIfEnded;
using bench::ReadFileOrEmpty;
using bench::Spawn;
using bench::WaitForExit;

std::string BuiltBinary(absl::string_view relative_path) {
#ifdef SOCIO_BINARY_DIR
  return absl::StrCat(SOCIO_BINARY_DIR, "/", relative_path);
#else
  return std::string(relative_path);
#endif
}

std::string SourceFile(absl::string_view relative_path) {
  return absl::StrCat(SOCIO_SOURCE_DIR, "/", relative_path);
}

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    std::vector<std::string> argv, const std::string& output_prefix) {
  const pid_t pid = Spawn(argv, "", output_prefix + ".out", output_prefix + ".err");
  if (pid < 0) return absl::InternalError(absl::StrCat("fork failed for ", argv[0]));
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, output_prefix));
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    Wait();
  }
}

absl::StatusOr<std::string> ChildProcess::WaitForStderrLine(absl::string_view needle,
                                                            absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    for (absl::string_view line : absl::StrSplit(Stderr(), '\n')) {
      if (absl::StrContains(line, needle)) return std::string(line);
    }
    if (!reaped_) {
      if (std::optional<int> status = ExitStatusIfEnded(pid_)) {
        reaped_ = true;
        exit_status_ = *status;
      }
    }
    if (reaped_) {
      return absl::FailedPreconditionError(absl::StrCat(
          "process ended (", exit_status_, ") before printing '", needle, "'; stderr: ", Stderr()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("no '", needle, "' on stderr in time; stderr: ", Stderr()));
}

void ChildProcess::Signal(int signal_number) {
  if (!reaped_) kill(pid_, signal_number);
}

int ChildProcess::Wait() {
  if (reaped_) return exit_status_;
  exit_status_ = WaitForExit(pid_);
  reaped_ = true;
  return exit_status_;
}

std::string ChildProcess::Stdout() const { return ReadFileOrEmpty(output_prefix_ + ".out"); }
std::string ChildProcess::Stderr() const { return ReadFileOrEmpty(output_prefix_ + ".err"); }

absl::StatusOr<CommandResult> RunCommand(std::vector<std::string> argv,
                                         const std::string& scratch_dir,
                                         const std::string& stdin_text) {
  static int counter = 0;
  const std::string prefix = absl::StrCat(scratch_dir, "/cmd-", ++counter);
  std::string in_path;
  if (!stdin_text.empty()) {
    in_path = prefix + ".in";
    std::ofstream(in_path, std::ios::binary) << stdin_text;
  }
  const pid_t pid = Spawn(argv, in_path, prefix + ".out", prefix + ".err");
  if (pid < 0) return absl::InternalError(absl::StrCat("fork failed for ", argv[0]));
  const int exit_status = WaitForExit(pid);
  return CommandResult{exit_status, ReadFileOrEmpty(prefix + ".out"),
                       ReadFileOrEmpty(prefix + ".err")};
}

absl::StatusOr<std::unique_ptr<ChildProcess>> StartSociod(const std::string& data_dir,
                                                          const std::string& output_prefix,
                                                          std::string* address,
                                                          const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {BuiltBinary("services/sociod"), "--data_dir", data_dir,
                                   "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> sociod =
      ChildProcess::Start(std::move(argv), output_prefix);
  if (!sociod.ok()) return sociod.status();
  absl::StatusOr<std::string> line = (*sociod)->WaitForStderrLine("serving on ", absl::Seconds(30));
  if (!line.ok()) return line.status();
  // "sociod: serving on 127.0.0.1:PORT, data in DIR"
  absl::string_view rest = *line;
  rest = rest.substr(rest.find("serving on ") + 11);
  *address = std::string(rest.substr(0, rest.find(',')));
  return sociod;
}

}  // namespace socio::testing
