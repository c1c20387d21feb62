// What the end-to-end tests of the `socio` binary share: a real sociod on a
// loopback port the kernel picks, over RocksDB in a fresh directory, and a
// way to run the built binary against it.
#ifndef SOCIO_TESTS_CLIENTS_SOCIO_CLI_FIXTURE_H_
#define SOCIO_TESTS_CLIENTS_SOCIO_CLI_FIXTURE_H_

#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace socio::clients {

class SocioCliFixture : public ::testing::Test {
 protected:
  // Subclasses that add set-up call this first and stop on HasFatalFailure().
  void SetUp() override {
    ASSIGN_OR_FAIL(server_, socio::testing::TestServer::Start(
                                {.dev_insecure = dev_insecure_, .clock = clock_}));
  }

  // Runs `socio --server ADDRESS args...` in the test's directory.
  socio::testing::CommandResult Socio(std::vector<std::string> args,
                                      const std::string& stdin_text = "") {
    std::vector<std::string> argv = {socio::testing::BuiltBinary("clients/socio"), "--server",
                                     server_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<socio::testing::CommandResult> result =
        socio::testing::RunCommand(argv, dir_.path(), stdin_text);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : socio::testing::CommandResult{};
  }

  // Writes `content` to `name` in the test's directory; its path.
  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path = dir_.Join(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Subclasses that test tokens turn development mode off in their
  // constructor; the operator token is then in server_->data_dir()'s
  // admin.token.
  bool dev_insecure_ = true;
  // The server's clock for meeting outcomes (SociodOptions::clock); empty:
  // absl::Now.
  std::function<absl::Time()> clock_;
  socio::testing::TempDir dir_;
  std::unique_ptr<socio::testing::TestServer> server_;
};

}  // namespace socio::clients

#endif  // SOCIO_TESTS_CLIENTS_SOCIO_CLI_FIXTURE_H_
