// Sociod: one Socio server process's parts put together: the stores on one
// RocksDB directory, the match index, the gRPC services, auth, health
// checking, reflection and metrics. The `sociod` binary and the end-to-end
// tests both start servers this way.
//
//   absl::StatusOr<std::unique_ptr<Sociod>> server =
//       Sociod::Start({.data_dir = dir, .listen = "127.0.0.1:0"});
//   int port = (*server)->port();   // the port the kernel picked
//   ...
//   (*server)->Shutdown(absl::Seconds(10));
//
// Roles. By default (kAll) one process holds everything. A split deployment
// runs one process per role, each over a data directory of its own:
//   kProfiles  ProfileService and the tokens (AdminService issues them);
//   kMatcher   MatchService and the chambers' policies; its index follows the
//              profile role's WatchProfiles stream, resuming from its last
//              sequence after either side restarts;
//   kPlanner   DelegationService; reads profiles from the profile role and
//              scores from the matcher role over gRPC.
// Every role serves AdminService (backup and figures of its own data) and
// checks callers' tokens: the profile role against its store, the others by
// asking the profile role (answers cached for 10 s). They call each other
// with an operator token (peer_token_file).
#ifndef SOCIO_SERVICES_SERVER_H_
#define SOCIO_SERVICES_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "matcher/match_index.h"
#include "reference/reference_data.h"
#include "services/admin_service.h"
#include "services/analytics_service.h"
#include "services/auth.h"
#include "services/chamber_service.h"
#include "services/delegation_service.h"
#include "services/disclosure.h"
#include "services/engagement_service.h"
#include "services/exchange_service.h"
#include "services/health_service.h"
#include "services/index_follower.h"
#include "services/match_service.h"
#include "services/metrics_http.h"
#include "services/notification_delivery.h"
#include "services/notification_service.h"
#include "services/outcome_service.h"
#include "services/outcome_training.h"
#include "services/pair_history.h"
#include "services/partner_source.h"
#include "services/partnership_service.h"
#include "services/profile_lookup.h"
#include "services/profile_service.h"
#include "services/request_metrics.h"
#include "services/watch_follower.h"
#include "storage/database.h"
#include "storage/match_policy_store.h"
#include "storage/outcome_store.h"
#include "storage/profile_store.h"
#include "storage/request_ids.h"
#include "storage/token_store.h"

namespace socio::etcd {
class ClusterNode;
class Election;
}  // namespace socio::etcd

namespace socio::services {

// Where the records are kept: this process's embedded RocksDB, or etcd, with
// this process one node of a cluster (docs/CLUSTER.md).
enum class StoreKind { kEmbedded, kEtcd };
// "embedded", "etcd"; INVALID_ARGUMENT naming --store for anything else.
absl::StatusOr<StoreKind> ParseStoreKind(absl::string_view name);

enum class ServerRole { kAll, kProfiles, kMatcher, kPlanner };
// "all", "profiles", "matcher", "planner".
const char* RoleName(ServerRole role);
// INVALID_ARGUMENT naming --role for anything else.
absl::StatusOr<ServerRole> ParseServerRole(absl::string_view name);

struct SociodOptions {
  // Directory of the embedded RocksDB; created if missing.
  std::string data_dir = "./socio-data";
  // host:port to listen on; port 0 lets the kernel pick one.
  std::string listen = "127.0.0.1:50051";
  // Default: true. See storage::ProfileStoreOptions::sync_writes.
  bool sync_writes = true;
  // Default: false. See storage::DatabaseOptions::accept_wal_data_loss; what
  // was dropped is in wal_recovery().
  bool accept_wal_data_loss = false;
  // Largest request or response message, in bytes. Default: 16 MiB.
  int max_message_bytes = 16 * 1024 * 1024;
  // Threads that build the match index at start-up. Default: 2.
  int index_threads = 2;
  // Where countries, languages, sectors and cultural dimensions come from.
  reference::ReferenceOptions reference;
  // Development only: no tokens are asked for and every caller acts as an
  // operator. Refused unless `listen` is a loopback address.
  bool dev_insecure = false;
  // Where the first operator token is written (mode 0600) when the data
  // directory has no valid ADMIN token. Default: "" = <data_dir>/admin.token.
  std::string admin_token_file;
  // TLS: PEM files of the server's certificate chain and private key. Both
  // or neither; without them the server speaks plaintext.
  std::string tls_cert;
  std::string tls_key;
  // PEM file of the CAs whose client certificates are accepted; when set,
  // every client must present one (mutual TLS). Requires tls_cert.
  std::string tls_client_ca;
  // host:port of an HTTP listener serving GET /metrics in the Prometheus text
  // format; "" = none. Port 0 lets the kernel pick (see metrics_port()).
  std::string metrics_listen;
  // Which request log lines go to stderr. Default: kInfo, one line per write.
  LogLevel log_level = LogLevel::kInfo;

  // Where the records are kept. Default: the embedded store. kEtcd needs
  // etcd_endpoints and role kAll (every node serves everything).
  StoreKind store = StoreKind::kEmbedded;
  // kEtcd: "host:port" of etcd's members.
  std::vector<std::string> etcd_endpoints;

  // What this process serves. Default: everything.
  ServerRole role = ServerRole::kAll;
  // kMatcher and kPlanner: host:port of the profile role.
  std::string profiles_server;
  // kPlanner: host:port of the matcher role.
  std::string matcher_server;
  // kMatcher and kPlanner: a file holding the operator token this process
  // presents to the other roles. Required unless dev_insecure.
  std::string peer_token_file;
  // PEM CAs the other roles' TLS certificates must chain to; "" = plaintext.
  std::string peer_tls_ca;
  // kMatcher: how long Start waits for the index to catch up with the
  // profile role before serving anyway (catching up in the background).
  absl::Duration catch_up_timeout = absl::Seconds(30);
  // How often PENDING meeting requests past their expiry are written as
  // EXPIRED (and their requesters told). They read as EXPIRED at once.
  absl::Duration request_expiry_sweep = absl::Minutes(1);
  // Default: absl::Now. What meeting requests go by: when they are made and
  // when they expire. Tests move it to make requests expire.
  std::function<absl::Time()> engagement_clock;
  // Default: absl::Now. What meeting outcomes go by: when a meeting's
  // feedback opens and when its reminders fall due. Tests move it.
  std::function<absl::Time()> clock;
  // The clock partnerships are reviewed by: reminders go out, every
  // request_expiry_sweep, for the reviews due by it. Default: absl::Now.
  // Tests move it to make reviews due.
  std::function<absl::Time()> partnership_clock;
  // Default: absl::Now. What host invitations go by: their deadlines, and
  // the sweep every request_expiry_sweep that reminds hosts and expires
  // invitations past their deadline. Tests move it.
  std::function<absl::Time()> invitation_clock;
  // E-mail and webhook delivery of notifications (roles that hold the
  // profiles). Without smtp_url no mail is sent; webhooks run by default.
  NotificationDeliveryOptions delivery;
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

  // How the match index was built at start-up. REQUIRES: role kAll.
  const IndexBuildStats& index_build_stats() const { return follower_->build_stats(); }
  ServerRole role() const { return role_; }

  // The port the server listens on.
  int port() const { return port_; }
  // "host:port" clients can dial.
  std::string address() const;
  // Where the first operator token was written at this start; "" if none was
  // (tokens existed already, or development mode).
  const std::string& admin_token_file() const { return admin_token_file_; }
  // What opening the data directory made of a damaged write-ahead log.
  const storage::WalRecovery& wal_recovery() const { return database_->wal_recovery(); }
  // The port /metrics is served on; 0 without metrics_listen.
  int metrics_port() const { return metrics_http_ == nullptr ? 0 : metrics_http_->port(); }

  // Graceful shutdown: health turns NOT_SERVING (every name), watch streams
  // (profile changes and health) end, new calls are refused, in-flight calls
  // get `grace` to finish (then are cancelled), and the store is closed
  // cleanly. Safe to call more than once.
  void Shutdown(absl::Duration grace);

 private:
  Sociod() = default;
  // The parts of each role; Start calls those `role_` needs, in this order.
  // OpenAuth opens the tokens and the profiles, which are bound together.
  absl::Status OpenAuth(const SociodOptions& options);
  absl::Status StartProfiles(const SociodOptions& options);
  // The notifications, the chambers and the engagement (marks, meeting
  // requests): on a cluster node before it catches up (they listen to its
  // view), else with the profiles.
  absl::Status OpenClusterKeptStores(const SociodOptions& options);
  // The Disclosure every service shows its answers through (disclosure.h).
  void StartDisclosure();
  absl::Status StartMatcher(const SociodOptions& options);
  absl::Status StartPlanner(const SociodOptions& options);
  absl::Status StartEngagement(const SociodOptions& options);
  // Stops expiry_thread_ if it runs.
  void StopExpiry();
  // A cluster node: turns health NOT_SERVING (and says why on stderr) when
  // its view stops following etcd, SERVING again if it resumes; until
  // stop_cluster_watch_.
  void WatchCluster();
  void StopClusterWatch();
  absl::Status StartAdmin();
  absl::Status Serve(const SociodOptions& options,
                     std::shared_ptr<grpc::ServerCredentials> credentials);
  // Registers the figures /metrics shows beside the request counts.
  void AddGauges();
  void AddStats(socio::v1::Stats* stats) const;

  ServerRole role_ = ServerRole::kAll;
  std::string host_;
  int port_ = 0;
  std::shared_ptr<const reference::ReferenceData> reference_;
  std::shared_ptr<const matcher::ScoringTables> tables_;
  // To the profile and matcher roles, in the roles that call them.
  std::shared_ptr<const clients::Channel> profiles_channel_;
  std::shared_ptr<const clients::Channel> matcher_channel_;
  std::string admin_token_file_;
  absl::Time start_time_;
  std::shared_ptr<storage::Database> database_;
  // With --store etcd: the node's part of the cluster. Outlives the stores
  // that listen to its view.
  std::shared_ptr<etcd::ClusterNode> cluster_;
  std::unique_ptr<storage::ProfileStore> store_;
  std::unique_ptr<storage::MatchPolicyStore> policies_;
  std::unique_ptr<storage::SnapshotStore> snapshots_;
  std::unique_ptr<storage::DelegationStore> delegations_;
  std::unique_ptr<storage::TokenStore> tokens_;
  // The answers to requests that carried a request_id (every role).
  std::unique_ptr<storage::RequestIdStore> request_ids_;
  std::unique_ptr<storage::NotificationStore> notifications_;
  std::unique_ptr<storage::EngagementStore> engagement_;
  std::unique_ptr<storage::PartnershipStore> partnerships_;
  std::unique_ptr<storage::ExchangeStore> exchanges_;
  std::unique_ptr<storage::ChamberStore> chambers_;
  // Over engagement_ and outcomes_; where the profiles are kept.
  std::unique_ptr<PairHistory> pair_history_;
  std::unique_ptr<TokenVerifier> token_verifier_;
  // A cluster node's (consistency.h): what auth_ admits waits for the token
  // it carries.
  std::unique_ptr<ConsistencyGate> consistency_;
  std::unique_ptr<Authenticator> auth_;
  // A cluster node's, for the services whose records it does not keep in
  // the cluster yet: refuses every call.
  std::unique_ptr<Authenticator> local_auth_;
  const Authenticator* NodeLocalAuth() const {
    return local_auth_ != nullptr ? local_auth_.get() : auth_.get();
  }
  std::unique_ptr<ProfileLookup> disclosure_profiles_;
  std::unique_ptr<Disclosure> disclosure_;
  std::unique_ptr<matcher::MatchIndex> index_;
  std::unique_ptr<IndexFollower> follower_;        // kAll
  std::unique_ptr<WatchFollower> watch_follower_;  // kMatcher
  const IndexFeed* feed_ = nullptr;                // whichever of the two runs
  std::unique_ptr<ProfileServiceImpl> profile_service_;
  std::unique_ptr<ProfileLookup> profile_lookup_;
  std::unique_ptr<MatchServiceImpl> match_service_;
  std::unique_ptr<PartnerSource> partner_source_;
  std::unique_ptr<DelegationServiceImpl> delegation_service_;
  std::unique_ptr<ProfileLookup> engagement_profiles_;
  std::unique_ptr<EngagementServiceImpl> engagement_service_;
  std::unique_ptr<NotificationServiceImpl> notification_service_;
  std::unique_ptr<storage::OutcomeStore> outcomes_;
  std::unique_ptr<OutcomeServiceImpl> outcome_service_;
  // What MatchService.SuggestMatchPolicy learns from, where both live here.
  std::unique_ptr<OutcomeTraining> training_;
  std::unique_ptr<PartnershipServiceImpl> partnership_service_;
  std::unique_ptr<ChamberServiceImpl> chamber_service_;
  std::unique_ptr<AnalyticsServiceImpl> analytics_service_;
  std::unique_ptr<ExchangeServiceImpl> exchange_service_;
  std::unique_ptr<NotificationDelivery> delivery_;
  // On a cluster node: whether this node delivers now (one at a time).
  std::shared_ptr<etcd::Election> delivery_duty_;
  // On a cluster node: whether this node runs the sweeps now (one at a time).
  std::shared_ptr<etcd::Election> sweep_duty_;
  // Writes the expiry of PENDING requests past their time, with its
  // notification, the meeting outcome reminders due and the reminders of
  // partnership reviews due, every request_expiry_sweep (on a cluster node:
  // the expiry only, while it holds sweep_duty_).
  std::thread expiry_thread_;
  absl::Notification stop_expiry_;
  std::thread cluster_watch_;
  absl::Notification stop_cluster_watch_;
  std::unique_ptr<AdminServiceImpl> admin_service_;
  // Outlives server_, whose interceptors record into it.
  std::unique_ptr<RequestMetrics> metrics_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  // Outlives server_, with which it is registered.
  std::unique_ptr<HealthService> health_;
  std::unique_ptr<grpc::Server> server_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_SERVER_H_
