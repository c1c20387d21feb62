// TestServer: a real sociod (services::Sociod) inside the test process, over
// a RocksDB in a fresh temporary directory, listening on 127.0.0.1 at a port
// the kernel picks, with a channel to it and a stub of each service:
//
//   ASSIGN_OR_FAIL(std::unique_ptr<TestServer> server,
//                  TestServer::Start({.dev_insecure = true}));
//   ASSERT_RPC_OK(server->profiles().CreateProfile(WithToken("").get(), request, &created));
//   ASSERT_THAT(server->Restart(), IsOk());  // the same data, at the same port
//
// With tokens on (dev_insecure false, SociodOptions' default) the first start
// writes an operator token into the data directory; admin_token() holds it and
// IssueToken makes staff and member tokens with it.
//
// Tests that need a server process (to kill it) use StartSociod in
// process.h instead. Not thread-safe: one test thread drives a TestServer;
// the server it runs serves calls from any thread.
#ifndef SOCIO_TESTS_SUPPORT_TEST_SERVER_H_
#define SOCIO_TESTS_SUPPORT_TEST_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "services/server.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {

class TestServer {
 public:
  // Starts a server with `options`, except that it listens on 127.0.0.1 at a
  // port the kernel picks (options.listen is not used) and that a relative
  // data_dir (the default among them) is taken inside a temporary directory
  // the TestServer owns, so a test never writes into the working directory.
  // On failure, what Sociod::Start returns.
  static absl::StatusOr<std::unique_ptr<TestServer>> Start(services::SociodOptions options);

  // Shuts the server down if it runs and removes the temporary directory
  // (not a data_dir the test named by an absolute path).
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Graceful shutdown (see Sociod::Shutdown): watch streams end, in-flight
  // calls get `grace`, the store is closed. The data directory stays for
  // Restart; stubs keep pointing at the stopped server. Harmless when stopped.
  void Stop(absl::Duration grace = absl::Seconds(1));

  // Stop(), then starts again with options() at the same port, as a server
  // that restarts at its address does. The channel and stubs are new; those
  // handed out before stay valid (speaking to the old address) as long as
  // the TestServer lives. UNAVAILABLE if the port was taken meanwhile;
  // otherwise what Sociod::Start returns.
  absl::Status Restart();

  // What the next Restart starts with: a test may change it (another
  // data_dir, a smaller max_message_bytes) between starts.
  services::SociodOptions& options() { return options_; }

  // The running server. REQUIRES: the last Start or Restart succeeded and
  // Stop was not called since.
  services::Sociod& sociod() const;
  // The port of the last start, and "127.0.0.1:PORT"; valid while stopped.
  int port() const { return port_; }
  std::string address() const;
  // The data directory of the last start, as an absolute path.
  const std::string& data_dir() const { return options_.data_dir; }
  // The temporary directory that holds relative data directories; a test may
  // put files of its own there (a backup, an import file).
  const TempDir& dir() const { return dir_; }

  // An insecure channel to the server of the last start, and a stub of each
  // service on it. Calls carry no token unless the test's context adds one
  // (see WithToken in token_calls.h).
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  socio::v1::ProfileService::Stub& profiles() const { return *profiles_; }
  socio::v1::MatchService::Stub& matches() const { return *matches_; }
  socio::v1::DelegationService::Stub& delegations() const { return *delegations_; }
  socio::v1::AdminService::Stub& admin() const { return *admin_; }

  // The operator token the first start wrote; "" in development mode or
  // when the data directory held tokens already.
  const std::string& admin_token() const { return admin_token_; }
  // A new token of `role` for `chamber` (STAFF) or `profile` (MEMBER),
  // issued with admin_token(); "" and a test failure if the server refuses.
  std::string IssueToken(socio::v1::Role role, const std::string& chamber,
                         const std::string& profile);

 private:
  explicit TestServer(services::SociodOptions options) : options_(std::move(options)) {}
  // Starts options_ at port_ (0: any) and connects the stubs.
  absl::Status StartServing();

  TempDir dir_;  // declared first: removed after the server has closed the store
  services::SociodOptions options_;
  int port_ = 0;
  std::string admin_token_;
  std::unique_ptr<services::Sociod> sociod_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<socio::v1::ProfileService::Stub> profiles_;
  std::unique_ptr<socio::v1::MatchService::Stub> matches_;
  std::unique_ptr<socio::v1::DelegationService::Stub> delegations_;
  std::unique_ptr<socio::v1::AdminService::Stub> admin_;
  // The stubs of earlier starts, kept for calls a test still holds on them.
  std::vector<std::shared_ptr<void>> retired_;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_TEST_SERVER_H_
