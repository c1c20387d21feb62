// Starting a program as a child process with its standard streams in files,
// and reading back how it ended: shared by the load benchmark's server
// processes and the tests' child processes.
#ifndef SOCIO_BENCH_SPAWN_H_
#define SOCIO_BENCH_SPAWN_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace socio::bench {

// fork + exec of argv[0] (a path) with the rest of argv as arguments; stdin
// reads `in_path` (/dev/null when empty), stdout and stderr go to `out_path`
// and `err_path`, and no signal is blocked. The child's pid, or -1 when fork
// fails. A child that cannot open its files exits with 126, one that cannot
// exec with 127.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& in_path,
            const std::string& out_path, const std::string& err_path);

// Exit statuses are given as a shell shows them: the exit code, or 128 + the
// signal that ended the process; -1 for anything else.

// Waits for the child `pid` to end (through EINTR) and reaps it.
int WaitForExit(pid_t pid);

// The child's exit status if it has ended (and is now reaped), without
// waiting; nullopt while it runs.
std::optional<int> ExitStatusIfEnded(pid_t pid);

// The whole file; empty when it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace socio::bench

#endif  // SOCIO_BENCH_SPAWN_H_
