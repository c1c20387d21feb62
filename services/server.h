// Sociod: one Socio server process's parts put together: the profile and
// policy stores on one RocksDB directory, the match index following the
// profile store, the gRPC services, health checking and reflection.
// The `sociod` binary and the end-to-end tests both start servers this way.
//
//   absl::StatusOr<std::unique_ptr<Sociod>> server =
//       Sociod::Start({.data_dir = dir, .listen = "127.0.0.1:0"});
//   int port = (*server)->port();   // the port the kernel picked
//   ...
//   (*server)->Shutdown(absl::Seconds(10));
#ifndef SOCIO_SERVICES_SERVER_H_
#define SOCIO_SERVICES_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "matcher/match_index.h"
#include "reference/reference_data.h"
#include "services/delegation_service.h"
#include "services/index_follower.h"
#include "services/match_service.h"
#include "services/profile_service.h"
#include "storage/database.h"
#include "storage/match_policy_store.h"
#include "storage/profile_store.h"

namespace socio::services {

struct SociodOptions {
  // Directory of the embedded RocksDB; created if missing.
  std::string data_dir = "./socio-data";
  // host:port to listen on; port 0 lets the kernel pick one.
  std::string listen = "127.0.0.1:50051";
  // Default: true. See storage::ProfileStoreOptions::sync_writes.
  bool sync_writes = true;
  // Largest request or response message, in bytes. Default: 16 MiB.
  int max_message_bytes = 16 * 1024 * 1024;
  // Threads that build the match index at start-up. Default: 2.
  int index_threads = 2;
  // Where countries, languages, sectors and cultural dimensions come from.
  reference::ReferenceOptions reference;
};

class Sociod {
 public:
  // Loads the reference data, opens the stores, loads the match index saved
  // at the last shutdown (or builds it from the stored profiles) and starts
  // serving. NOT_FOUND
  // or DATA_LOSS naming a reference file that is missing or bad;
  // FAILED_PRECONDITION if the data directory is in use; UNAVAILABLE if the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Sociod>> Start(const SociodOptions& options);

  // Shuts down with a short grace period if Shutdown was not called.
  ~Sociod();

  // How the match index was built at start-up.
  const IndexBuildStats& index_build_stats() const { return follower_->build_stats(); }

  // The port the server listens on.
  int port() const { return port_; }
  // "host:port" clients can dial.
  std::string address() const;

  // Graceful shutdown: health turns NOT_SERVING, watch streams end, new calls
  // are refused, in-flight calls get `grace` to finish (then are cancelled),
  // and the store is closed cleanly. Safe to call more than once.
  void Shutdown(absl::Duration grace);

 private:
  Sociod() = default;

  std::string host_;
  int port_ = 0;
  std::shared_ptr<storage::Database> database_;
  std::unique_ptr<storage::ProfileStore> store_;
  std::unique_ptr<storage::MatchPolicyStore> policies_;
  std::unique_ptr<storage::SnapshotStore> snapshots_;
  std::unique_ptr<storage::DelegationStore> delegations_;
  std::unique_ptr<matcher::MatchIndex> index_;
  std::unique_ptr<IndexFollower> follower_;
  std::unique_ptr<ProfileServiceImpl> profile_service_;
  std::unique_ptr<MatchServiceImpl> match_service_;
  std::unique_ptr<DelegationServiceImpl> delegation_service_;
  std::unique_ptr<grpc::Server> server_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_SERVER_H_
