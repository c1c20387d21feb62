#include "services/server.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace socio::services {
namespace {

// Splits "host:port" or "[v6]:port"; INVALID_ARGUMENT naming --listen otherwise.
absl::Status SplitHostPort(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(address).substr(colon + 1), port) || *port < 0 ||
      *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen: '", address, "' is not host:port (like 127.0.0.1:50051)"));
  }
  *host = address.substr(0, colon);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Sociod>> Sociod::Start(const SociodOptions& options) {
  std::unique_ptr<Sociod> sociod(new Sociod());
  int requested_port = 0;
  if (absl::Status s = SplitHostPort(options.listen, &sociod->host_, &requested_port); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load(options.reference);
  if (!reference.ok()) return reference.status();
  absl::StatusOr<std::shared_ptr<storage::Database>> database =
      storage::Database::Open(options.data_dir, {});
  if (!database.ok()) return database.status();
  sociod->database_ = *std::move(database);
  absl::StatusOr<std::unique_ptr<storage::ProfileStore>> store = storage::ProfileStore::Open(
      sociod->database_, {.sync_writes = options.sync_writes, .reference = *reference});
  if (!store.ok()) return store.status();
  sociod->store_ = *std::move(store);
  absl::StatusOr<std::unique_ptr<storage::MatchPolicyStore>> policies =
      storage::MatchPolicyStore::Open(sociod->database_, {.sync_writes = options.sync_writes});
  if (!policies.ok()) return policies.status();
  sociod->policies_ = *std::move(policies);

  absl::StatusOr<std::unique_ptr<storage::DelegationStore>> delegations =
      storage::DelegationStore::Open(sociod->database_,
                                     {.sync_writes = options.sync_writes, .reference = *reference});
  if (!delegations.ok()) return delegations.status();
  sociod->delegations_ = *std::move(delegations);

  auto tables = std::make_shared<const matcher::ScoringTables>(*reference);
  sociod->index_ = std::make_unique<matcher::MatchIndex>(tables);
  absl::StatusOr<std::unique_ptr<storage::SnapshotStore>> snapshots =
      storage::SnapshotStore::Open(sociod->database_);
  if (!snapshots.ok()) return snapshots.status();
  sociod->snapshots_ = *std::move(snapshots);
  sociod->follower_ = std::make_unique<IndexFollower>(
      sociod->store_.get(), sociod->index_.get(), sociod->snapshots_.get(),
      IndexFollowerOptions{.threads = options.index_threads});
  if (absl::Status s = sociod->follower_->Start(); !s.ok()) return s;

  sociod->profile_service_ = std::make_unique<ProfileServiceImpl>(sociod->store_.get());
  sociod->match_service_ =
      std::make_unique<MatchServiceImpl>(sociod->store_.get(), sociod->policies_.get(),
                                         sociod->index_.get(), sociod->follower_.get(), tables);
  sociod->delegation_service_ = std::make_unique<DelegationServiceImpl>(
      sociod->delegations_.get(), sociod->store_.get(), sociod->policies_.get(),
      sociod->index_.get(), sociod->follower_.get(), tables);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &sociod->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(sociod->profile_service_.get());
  builder.RegisterService(sociod->match_service_.get());
  builder.RegisterService(sociod->delegation_service_.get());
  sociod->server_ = builder.BuildAndStart();
  if (sociod->server_ == nullptr || sociod->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not local?)"));
  }
  sociod->server_->GetHealthCheckService()->SetServingStatus(true);
  return sociod;
}

Sociod::~Sociod() { Shutdown(absl::Seconds(5)); }

std::string Sociod::address() const {
  const bool any = host_.empty() || host_ == "0.0.0.0" || host_ == "[::]";
  return absl::StrCat(any ? "127.0.0.1" : host_, ":", port_);
}

void Sociod::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  profile_service_->BeginShutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  server_.reset();
  follower_->Stop();
  // Closes RocksDB after the last call has returned and the follower stopped.
  delegation_service_.reset();
  match_service_.reset();
  profile_service_.reset();
  follower_.reset();
  snapshots_.reset();
  delegations_.reset();
  policies_.reset();
  store_.reset();
  database_.reset();
}

}  // namespace socio::services
