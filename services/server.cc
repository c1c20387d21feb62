#include "services/server.h"

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/channel.h"
#include "clients/client_options.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/server_builder.h"
#include "http/listener.h"
#include "services/request_parse_guard.h"
#include "services/server_setup.h"

#ifdef SOCIO_HAVE_ETCD
#include "services/etcd/cluster_node.h"
#include "services/etcd/election.h"
#endif

namespace socio::services {
namespace {

// How long a role remembers what the profile role said about a token.
constexpr absl::Duration kTokenCacheTtl = absl::Seconds(10);
constexpr absl::Duration kPeerDeadline = absl::Seconds(10);
// Threads of the synchronous server that wait for calls (see Start).
constexpr int kMinPollers = 2;
constexpr int kMaxPollers = 32;

bool HoldsProfiles(ServerRole role) {
  return role == ServerRole::kAll || role == ServerRole::kProfiles;
}

// Who holds a cluster duty, as etcd shows it: "<host> pid <pid>".
[[maybe_unused]] std::string NodeName() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, " pid ", static_cast<int>(getpid()));
}

}  // namespace

const char* RoleName(ServerRole role) {
  switch (role) {
    case ServerRole::kAll:
      return "all";
    case ServerRole::kProfiles:
      return "profiles";
    case ServerRole::kMatcher:
      return "matcher";
    case ServerRole::kPlanner:
      return "planner";
  }
  return "all";
}

absl::StatusOr<ServerRole> ParseServerRole(absl::string_view name) {
  for (ServerRole role :
       {ServerRole::kAll, ServerRole::kProfiles, ServerRole::kMatcher, ServerRole::kPlanner}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("role: '", name, "' is not all, profiles, matcher or planner"));
}

absl::StatusOr<StoreKind> ParseStoreKind(absl::string_view name) {
  if (name == "embedded") return StoreKind::kEmbedded;
  if (name == "etcd") return StoreKind::kEtcd;
  return absl::InvalidArgumentError(absl::StrCat("store: '", name, "' is not embedded or etcd"));
}

absl::StatusOr<std::unique_ptr<Sociod>> Sociod::Start(const SociodOptions& options) {
  std::unique_ptr<Sociod> sociod(new Sociod());
  sociod->role_ = options.role;
  sociod->start_time_ = absl::Now();
  int requested_port = 0;
  if (absl::Status s =
          http::SplitHostPort("listen", options.listen, &sociod->host_, &requested_port);
      !s.ok()) {
    return s;
  }
  if (options.dev_insecure && !internal::IsLoopback(sociod->host_)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dev_insecure: refused on '", options.listen,
        "': without tokens anyone who can connect is an operator, so only on a loopback "
        "address (127.0.0.1, ::1)"));
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      internal::ServerCredentials({.tls_cert = options.tls_cert,
                                   .tls_key = options.tls_key,
                                   .tls_client_ca = options.tls_client_ca});
  if (!credentials.ok()) return credentials.status();
  if (options.store == StoreKind::kEtcd) {
#ifndef SOCIO_HAVE_ETCD
    return absl::FailedPreconditionError(
        "store: this sociod was built without etcd's API (install golang-etcd-server-dev and "
        "build again)");
#endif
    if (options.role != ServerRole::kAll) {
      return absl::InvalidArgumentError(absl::StrCat(
          "role: '", RoleName(options.role),
          "' is for the embedded store; with --store etcd every node serves everything, each a "
          "full replica of the cluster's records"));
    }
    if (options.etcd_endpoints.empty()) {
      return absl::InvalidArgumentError(
          "etcd_endpoints: --store etcd needs the etcd members' client addresses, host:port,...");
    }
#ifdef SOCIO_HAVE_ETCD
    // Before anything is loaded or created.
    if (absl::Status s = etcd::ClusterNode::CheckEndpoints(options.etcd_endpoints); !s.ok()) {
      return s;
    }
#endif
  } else if (!options.etcd_endpoints.empty()) {
    return absl::InvalidArgumentError("etcd_endpoints: only with --store etcd");
  }
  if (!HoldsProfiles(options.role) && options.profiles_server.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("profiles_server: the ", RoleName(options.role),
                                                   " role needs the profile role's address"));
  }
  if (options.role == ServerRole::kPlanner && options.matcher_server.empty()) {
    return absl::InvalidArgumentError(
        "matcher_server: the planner role needs the matcher role's address");
  }
  if (!HoldsProfiles(options.role)) {
    if (options.peer_token_file.empty() && !options.dev_insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "peer_token_file: the ", RoleName(options.role),
          " role calls the other roles with an operator token; give the file that holds one"));
    }
    // The other roles are called through the client library, with the
    // operator token and the peer CA read here, once.
    clients::ClientOptions peer;
    peer.token_file = options.peer_token_file;
    peer.tls_ca = options.peer_tls_ca;
    peer.deadline = kPeerDeadline;
    peer.option_prefix = "peer_";
    absl::StatusOr<std::string> token = clients::ResolveToken(peer);
    if (!token.ok()) return token.status();
    peer.token = *std::move(token);
    peer.address = options.profiles_server;
    sociod->profiles_channel_ = clients::Channel::Open(peer);
    if (!sociod->profiles_channel_->status().ok()) return sociod->profiles_channel_->status();
    if (!options.matcher_server.empty()) {
      peer.address = options.matcher_server;
      sociod->matcher_channel_ = clients::Channel::Open(peer);
    }
  }

  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load(options.reference);
  if (!reference.ok()) return reference.status();
  sociod->reference_ = *std::move(reference);
  std::fprintf(stderr, "sociod: %s\n", sociod->reference_->lexicon().summary().c_str());
  sociod->tables_ = std::make_shared<const matcher::ScoringTables>(sociod->reference_);
  absl::StatusOr<std::shared_ptr<storage::Database>> database = storage::Database::Open(
      options.data_dir, {.accept_wal_data_loss = options.accept_wal_data_loss});
  if (!database.ok()) return database.status();
  sociod->database_ = *std::move(database);
  // A cluster node's view and writer; the request ids listen to the view,
  // so they are opened before the node catches up.
  storage::RecordView* view = nullptr;
  storage::RecordWriter* writer = nullptr;
#ifdef SOCIO_HAVE_ETCD
  if (options.store == StoreKind::kEtcd) {
    absl::StatusOr<std::unique_ptr<etcd::ClusterNode>> node =
        etcd::ClusterNode::Open({.endpoints = options.etcd_endpoints}, sociod->database_);
    if (!node.ok()) return node.status();
    sociod->cluster_ = *std::move(node);
    view = sociod->cluster_->view();
    writer = sociod->cluster_->writer();
  }
#endif
  absl::StatusOr<std::unique_ptr<storage::RequestIdStore>> request_ids =
      storage::RequestIdStore::Open(sociod->database_, options.sync_writes, view, writer);
  if (!request_ids.ok()) return request_ids.status();
  sociod->request_ids_ = *std::move(request_ids);

  if (absl::Status s = sociod->OpenAuth(options); !s.ok()) return s;
  if (HoldsProfiles(options.role)) {
    if (absl::Status s = sociod->StartProfiles(options); !s.ok()) return s;
  } else {
    sociod->StartDisclosure();
  }
  if (options.role == ServerRole::kAll || options.role == ServerRole::kMatcher) {
    if (absl::Status s = sociod->StartMatcher(options); !s.ok()) return s;
  }
  if (options.role == ServerRole::kAll || options.role == ServerRole::kPlanner) {
    if (absl::Status s = sociod->StartPlanner(options); !s.ok()) return s;
  }
  if (HoldsProfiles(options.role)) {
    if (absl::Status s = sociod->StartEngagement(options); !s.ok()) return s;
  }
  if (absl::Status s = sociod->StartAdmin(); !s.ok()) return s;
  if (absl::Status s = sociod->Serve(options, *std::move(credentials)); !s.ok()) return s;
  return sociod;
}

absl::Status Sociod::OpenAuth(const SociodOptions& options) {
  if (HoldsProfiles(role_)) {
    storage::TokenStoreOptions token_options{.sync_writes = options.sync_writes};
#ifdef SOCIO_HAVE_ETCD
    if (cluster_ != nullptr) {
      token_options.view = cluster_->view();
      token_options.cluster = cluster_->writer();
    }
#endif
    absl::StatusOr<std::unique_ptr<storage::TokenStore>> tokens =
        storage::TokenStore::Open(database_, token_options);
    if (!tokens.ok()) return tokens.status();
    tokens_ = *std::move(tokens);
    // Opened with the tokens: deleting a profile revokes its member tokens in
    // the same write, and member tokens are checked against the profiles.
    storage::ProfileStoreOptions store_options{
        .sync_writes = options.sync_writes, .reference = reference_, .tokens = tokens_.get()};
#ifdef SOCIO_HAVE_ETCD
    if (cluster_ != nullptr) {
      store_options.view = cluster_->view();
      store_options.cluster = cluster_->writer();
    }
#endif
    absl::StatusOr<std::unique_ptr<storage::ProfileStore>> store =
        storage::ProfileStore::Open(database_, store_options);
    if (!store.ok()) return store.status();
    store_ = *std::move(store);
#ifdef SOCIO_HAVE_ETCD
    if (cluster_ != nullptr) {
      // Listens to the view too: opened before the node catches up.
      absl::StatusOr<std::unique_ptr<storage::MatchPolicyStore>> policies =
          storage::MatchPolicyStore::Open(database_, {.sync_writes = options.sync_writes,
                                                      .view = cluster_->view(),
                                                      .cluster = cluster_->writer()});
      if (!policies.ok()) return policies.status();
      policies_ = *std::move(policies);
      if (absl::Status s = OpenClusterKeptStores(options); !s.ok()) return s;
    }
    // The stores listen to the view: catch up with the cluster now, before
    // the first token is looked for (or issued, through etcd).
    if (cluster_ != nullptr) {
      if (absl::Status s = cluster_->Start(); !s.ok()) return s;
    }
#endif
  }
  if (!options.dev_insecure) {
    if (tokens_ != nullptr) {
      token_verifier_ = std::make_unique<StoreTokenVerifier>(tokens_.get(), store_.get());
      absl::StatusOr<std::string> written = internal::BootstrapAdminToken(
          tokens_.get(), options.admin_token_file.empty() ? options.data_dir + "/admin.token"
                                                          : options.admin_token_file);
      if (!written.ok()) return written.status();
      admin_token_file_ = *std::move(written);
    } else {
      token_verifier_ = std::make_unique<RemoteTokenVerifier>(profiles_channel_, kTokenCacheTtl);
    }
  }
  auth_ = std::make_unique<Authenticator>(token_verifier_.get());
  if (cluster_ != nullptr) {
#ifdef SOCIO_HAVE_ETCD
    consistency_ = std::make_unique<ConsistencyGate>(ConsistencyGate::Options{
        .applied = [node = cluster_.get()] { return node->applied_revision(); },
        .await = [node = cluster_.get()](
                     int64_t revision,
                     absl::Duration timeout) { return node->AwaitRevision(revision, timeout); }});
    auth_->set_consistency(consistency_.get());
#endif
    local_auth_ = std::make_unique<Authenticator>(
        token_verifier_.get(),
        "this service's records are not kept in the cluster yet: a cluster node (sociod --store "
        "etcd) serves profiles, tokens, match policies, matching, chambers, notifications, marks "
        "of interest, meeting requests and partnerships; see docs/CLUSTER.md");
  }
  return absl::OkStatus();
}

absl::Status Sociod::OpenClusterKeptStores(const SociodOptions& options) {
  storage::NotificationStoreOptions notification_options{.sync_writes = options.sync_writes};
  storage::ChamberStoreOptions chamber_options{.sync_writes = options.sync_writes,
                                               .reference = reference_};
  storage::EngagementStoreOptions engagement_options{.sync_writes = options.sync_writes,
                                                     .clock = options.engagement_clock};
  storage::PartnershipStoreOptions partnership_options{.sync_writes = options.sync_writes,
                                                       .clock = options.partnership_clock};
#ifdef SOCIO_HAVE_ETCD
  if (cluster_ != nullptr) {
    notification_options.view = chamber_options.view = engagement_options.view =
        partnership_options.view = cluster_->view();
    notification_options.cluster = chamber_options.cluster = engagement_options.cluster =
        partnership_options.cluster = cluster_->writer();
  }
#endif
  absl::StatusOr<std::unique_ptr<storage::NotificationStore>> notifications =
      storage::NotificationStore::Open(database_, notification_options);
  if (!notifications.ok()) return notifications.status();
  notifications_ = *std::move(notifications);
  absl::StatusOr<std::unique_ptr<storage::ChamberStore>> chambers =
      storage::ChamberStore::Open(database_, notifications_.get(), chamber_options);
  if (!chambers.ok()) return chambers.status();
  chambers_ = *std::move(chambers);
  // Marks and requests live beside the profiles they name.
  absl::StatusOr<std::unique_ptr<storage::EngagementStore>> engagement =
      storage::EngagementStore::Open(database_, notifications_.get(), engagement_options);
  if (!engagement.ok()) return engagement.status();
  engagement_ = *std::move(engagement);
  absl::StatusOr<std::unique_ptr<storage::PartnershipStore>> partnerships =
      storage::PartnershipStore::Open(database_, notifications_.get(), partnership_options);
  if (!partnerships.ok()) return partnerships.status();
  partnerships_ = *std::move(partnerships);
  return absl::OkStatus();
}

absl::Status Sociod::StartProfiles(const SociodOptions& options) {
  if (notifications_ == nullptr) {  // a cluster node opened them already
    if (absl::Status s = OpenClusterKeptStores(options); !s.ok()) return s;
  }
  pair_history_ = std::make_unique<PairHistory>(PairHistoryParts{
      .engagement = engagement_.get(),
      // Opened later, by StartEngagement, before any call is served.
      .outcomes = [this]() -> const storage::OutcomeStore* { return outcomes_.get(); },
      .clock = options.clock,
  });
  absl::StatusOr<std::unique_ptr<storage::ExchangeStore>> exchanges =
      storage::ExchangeStore::Open(database_, {.sync_writes = options.sync_writes});
  if (!exchanges.ok()) return exchanges.status();
  exchanges_ = *std::move(exchanges);
  // Kept in etcd on a cluster node too: served there.
  chamber_service_ = std::make_unique<ChamberServiceImpl>(ChamberServiceParts{
      .chambers = chambers_.get(), .request_ids = request_ids_.get(), .auth = auth_.get()});
  StartDisclosure();
  profile_service_ = std::make_unique<ProfileServiceImpl>(store_.get(), request_ids_.get(),
                                                          auth_.get(), disclosure_.get());
  return absl::OkStatus();
}

void Sociod::StartDisclosure() {
  // Where the profiles are kept, reveals are too; the other roles read the
  // profiles from the profile role and know no reveals (disclosure.h).
  if (store_ != nullptr) {
    disclosure_profiles_ = std::make_unique<StoreProfileLookup>(store_.get());
  } else {
    disclosure_profiles_ = std::make_unique<RemoteProfileLookup>(profiles_channel_);
  }
  disclosure_ = std::make_unique<Disclosure>(disclosure_profiles_.get(), engagement_.get());
}

absl::Status Sociod::StartEngagement(const SociodOptions& options) {
  engagement_profiles_ = std::make_unique<StoreProfileLookup>(store_.get());
  engagement_service_ = std::make_unique<EngagementServiceImpl>(EngagementServiceParts{
      .engagement = engagement_.get(),
      .request_ids = request_ids_.get(),
      .profiles = engagement_profiles_.get(),
      .policies = policies_.get(),
      .delegations = delegations_.get(),
      // Kept in etcd on a cluster node too: served there.
      .auth = auth_.get(),
      .disclosure = disclosure_.get(),
  });
  notification_service_ = std::make_unique<NotificationServiceImpl>(
      notifications_.get(), engagement_profiles_.get(), auth_.get(), disclosure_.get());
  partnership_service_ = std::make_unique<PartnershipServiceImpl>(PartnershipServiceParts{
      .partnerships = partnerships_.get(),
      .request_ids = request_ids_.get(),
      .profiles = engagement_profiles_.get(),
      .engagement = engagement_.get(),
      .delegations = delegations_.get(),
      // Kept in etcd on a cluster node too: served there.
      .auth = auth_.get(),
      .disclosure = disclosure_.get(),
      .clock = options.partnership_clock,
  });
  NotificationDeliveryOptions delivery = options.delivery;
  delivery.chamber_of = [this](const std::string& member_id) {
    absl::StatusOr<socio::v1::Profile> member = store_->Get(member_id);
    return member.ok() ? member->chamber_id() : std::string();
  };
  delivery.show = [this](socio::v1::Notification* n) {
    Caller recipient;
    if (absl::StartsWith(n->recipient(), storage::kStaffRecipientPrefix)) {
      recipient.role = socio::v1::STAFF;
      recipient.chamber_id = n->recipient().substr(storage::kStaffRecipientPrefix.size());
    } else {
      recipient.role = socio::v1::MEMBER;
      recipient.profile_id = n->recipient();
    }
    Disclosure::Call(disclosure_.get(), recipient).Show(n);
  };
#ifdef SOCIO_HAVE_ETCD
  if (cluster_ != nullptr) {
    // One node delivers at a time; another takes over when it dies.
    delivery_duty_ = cluster_->NewDuty("notification-delivery", NodeName());
    delivery_duty_->Start();
    delivery.on_duty = [duty = delivery_duty_.get()] { return duty->Holding(); };
    delivery.take_over = [node = cluster_.get()] { return node->CatchUp(absl::Seconds(10)); };
  }
#endif
  delivery_ = std::make_unique<NotificationDelivery>(notifications_.get(), std::move(delivery));
  if (absl::Status s = delivery_->Start(); !s.ok()) return s;
  storage::OutcomeStoreOptions outcome_options{
      .sync_writes = options.sync_writes,
      .clock = options.clock,
      .delegations = delegations_.get(),
      .engagement = engagement_.get(),
      .chamber_of =
          [this](const std::string& member_id) {
            absl::StatusOr<socio::v1::Profile> member = store_->Get(member_id);
            return member.ok() ? member->chamber_id() : std::string();
          },
      .follow_up_days =
          [this](const std::string& chamber_id) {
            if (policies_ == nullptr) return 0;
            absl::StatusOr<socio::v1::MatchPolicy> policy = policies_->Get(chamber_id);
            return policy.ok() ? policy->outcome_follow_up_days() : 0;
          },
  };
  absl::StatusOr<std::unique_ptr<storage::OutcomeStore>> outcomes =
      storage::OutcomeStore::Open(database_, notifications_.get(), std::move(outcome_options));
  if (!outcomes.ok()) return outcomes.status();
  outcomes_ = *std::move(outcomes);
  if (match_service_ != nullptr) {
    training_ = std::make_unique<OutcomeTraining>(OutcomeTrainingParts{
        .outcomes = outcomes_.get(),
        .index = index_.get(),
        .engagement = engagement_.get(),
        .profiles = engagement_profiles_.get(),
    });
    match_service_->set_training(training_.get());
  }
  outcome_service_ = std::make_unique<OutcomeServiceImpl>(OutcomeServiceParts{
      .outcomes = outcomes_.get(),
      .profiles = engagement_profiles_.get(),
      .delegations = delegations_.get(),
      .engagement = engagement_.get(),
      .auth = NodeLocalAuth(),
      .disclosure = disclosure_.get(),
      .clock = options.clock,
  });
  analytics_service_ = std::make_unique<AnalyticsServiceImpl>(AnalyticsServiceParts{
      .engagement = engagement_.get(),
      .outcomes = outcomes_.get(),
      .partnerships = partnerships_.get(),
      .profiles = engagement_profiles_.get(),
      .auth = NodeLocalAuth(),
      .disclosure = disclosure_.get(),
  });
  // Exchanges link delegations: served where the delegations are kept too.
  if (delegations_ != nullptr) {
    exchange_service_ = std::make_unique<ExchangeServiceImpl>(ExchangeServiceParts{
        .exchanges = exchanges_.get(),
        .delegations = delegations_.get(),
        .request_ids = request_ids_.get(),
        .analytics = {.engagement = engagement_.get(),
                      .outcomes = outcomes_.get(),
                      .partnerships = partnerships_.get(),
                      .profiles = engagement_profiles_.get()},
        .auth = NodeLocalAuth(),
        .disclosure = disclosure_.get(),
    });
  }
#ifdef SOCIO_HAVE_ETCD
  if (cluster_ != nullptr) {
    // One node sweeps at a time; another takes over when it dies. Writes
    // race-checked as any (RecordBatch): a sweep overlapping a hand-over
    // writes each expiry once.
    sweep_duty_ = cluster_->NewDuty("sweeps", NodeName());
    sweep_duty_->Start();
  }
#endif
  expiry_thread_ = std::thread([this, every = options.request_expiry_sweep,
                                invitation_clock = options.invitation_clock] {
    while (!stop_expiry_.WaitForNotificationWithTimeout(every)) {
#ifdef SOCIO_HAVE_ETCD
      if (sweep_duty_ != nullptr && !sweep_duty_->Holding()) continue;
#endif
      absl::StatusOr<int> expired = engagement_->ExpireDue(
          500,
          [this](const socio::v1::Notification& n) { return engagement_service_->Summarize(n); });
      if (!expired.ok()) {
        std::fprintf(stderr, "sociod: expiring meeting requests: %s\n",
                     expired.status().ToString().c_str());
      }
      absl::StatusOr<int> reviews_reminded = partnerships_->RemindDue(
          500,
          [this](const socio::v1::Notification& n) { return partnership_service_->Summarize(n); });
      if (!reviews_reminded.ok()) {
        std::fprintf(stderr, "sociod: reminding of partnership reviews: %s\n",
                     reviews_reminded.status().ToString().c_str());
      }
      // The other sweeps and reminders work on records a cluster node does
      // not keep yet (outcomes, delegations): embedded only.
      if (cluster_ != nullptr) continue;
      absl::StatusOr<int> reminded = outcomes_->Sweep(
          500, [this](const socio::v1::Notification& n) { return outcome_service_->Summarize(n); });
      if (!reminded.ok()) {
        std::fprintf(stderr, "sociod: meeting outcome reminders: %s\n",
                     reminded.status().ToString().c_str());
      }
      if (delegations_ != nullptr) {
        absl::StatusOr<int> invitations = delegations_->SweepInvitations(
            invitation_clock ? invitation_clock() : absl::Now(), 500);
        if (!invitations.ok()) {
          std::fprintf(stderr, "sociod: host invitation reminders and expiry: %s\n",
                       invitations.status().ToString().c_str());
        }
      }
    }
  });
  return absl::OkStatus();
}

absl::Status Sociod::StartMatcher(const SociodOptions& options) {
  if (policies_ == nullptr) {  // a cluster node opened them already
    absl::StatusOr<std::unique_ptr<storage::MatchPolicyStore>> policies =
        storage::MatchPolicyStore::Open(database_, {.sync_writes = options.sync_writes});
    if (!policies.ok()) return policies.status();
    policies_ = *std::move(policies);
  }
  absl::StatusOr<std::unique_ptr<storage::SnapshotStore>> snapshots =
      storage::SnapshotStore::Open(database_);
  if (!snapshots.ok()) return snapshots.status();
  snapshots_ = *std::move(snapshots);
  index_ = std::make_unique<matcher::MatchIndex>(tables_);

  if (store_ != nullptr) {
    follower_ =
        std::make_unique<IndexFollower>(store_.get(), index_.get(), snapshots_.get(),
                                        IndexFollowerOptions{.threads = options.index_threads});
    if (absl::Status s = follower_->Start(); !s.ok()) return s;
    feed_ = follower_.get();
    profile_lookup_ = std::make_unique<StoreProfileLookup>(store_.get());
  } else {
    watch_follower_ = std::make_unique<WatchFollower>(
        profiles_channel_, index_.get(),
        WatchFollowerOptions{.snapshots = snapshots_.get(), .threads = options.index_threads});
    watch_follower_->Start();
    if (!watch_follower_->WaitForCatchUp(options.catch_up_timeout)) {
      std::fprintf(stderr,
                   "sociod: the profile role at %s has not been caught up with yet; serving "
                   "the index as it is (%zu profiles) and following in the background\n",
                   options.profiles_server.c_str(), index_->size());
    }
    feed_ = watch_follower_.get();
    profile_lookup_ = std::make_unique<RemoteProfileLookup>(profiles_channel_);
  }
  match_service_ = std::make_unique<MatchServiceImpl>(profile_lookup_.get(), policies_.get(),
                                                      index_.get(), feed_, tables_, auth_.get(),
                                                      disclosure_.get(), pair_history_.get());
  return absl::OkStatus();
}

absl::Status Sociod::StartPlanner(const SociodOptions& options) {
  absl::StatusOr<std::unique_ptr<storage::DelegationStore>> delegations =
      storage::DelegationStore::Open(database_, {.sync_writes = options.sync_writes,
                                                 .reference = reference_,
                                                 // null in the planner role: no publishing
                                                 .notifications = notifications_.get()});
  if (!delegations.ok()) return delegations.status();
  delegations_ = *std::move(delegations);
  if (index_ != nullptr && store_ != nullptr) {
    partner_source_ =
        std::make_unique<LocalPartnerSource>(LocalPartnerSourceParts{.profiles = store_.get(),
                                                                     .policies = policies_.get(),
                                                                     .index = index_.get(),
                                                                     .feed = feed_,
                                                                     .tables = tables_});
  } else {
    partner_source_ = std::make_unique<RemotePartnerSource>(profiles_channel_, matcher_channel_);
  }
  delegation_service_ = std::make_unique<DelegationServiceImpl>(
      delegations_.get(), request_ids_.get(), partner_source_.get(), reference_, NodeLocalAuth(),
      disclosure_.get(), engagement_.get(), pair_history_.get(), options.invitation_clock);
  return absl::OkStatus();
}

absl::Status Sociod::StartAdmin() {
  admin_service_ = std::make_unique<AdminServiceImpl>(AdminServiceParts{
      .auth = auth_.get(),
      .tokens = tokens_.get(),
      .profiles = store_.get(),
      .database = database_.get(),
      .add_stats = [this](socio::v1::Stats* stats) { AddStats(stats); },
  });
  return absl::OkStatus();
}

void Sociod::AddStats(socio::v1::Stats* stats) const {
  stats->set_role(RoleName(role_));
  stats->set_uptime_seconds(absl::ToDoubleSeconds(absl::Now() - start_time_));
  if (index_ != nullptr) {
    stats->set_index_profiles(static_cast<int64_t>(index_->size()));
    stats->set_index_sequence(feed_->applied_sequence());
    stats->set_index_bytes(static_cast<int64_t>(index_->Memory().total()));
  }
}

absl::Status Sociod::Serve(const SociodOptions& options,
                           std::shared_ptr<grpc::ServerCredentials> credentials) {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  health_ = std::make_unique<HealthService>();
  metrics_ = std::make_unique<RequestMetrics>();
  AddGauges();
  grpc::ServerBuilder builder;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // First: the request log and metrics then see the status it corrects.
  interceptors.push_back(std::make_unique<RequestParseGuardFactory>());
  interceptors.push_back(std::make_unique<RequestInterceptorFactory>(
      metrics_.get(), RequestLogOptions{.level = options.log_level}));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  // gRPC turns SO_REUSEPORT on by default, which lets a second sociod bind
  // the same address and take a random share of the connections. Off: the
  // second one fails to start instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // gRPC's synchronous server keeps 1 to 2 threads polling for calls by
  // default: under load it starts a thread for nearly every call and ends it
  // after (1,139 threads in 5 s at 3,000 calls/s). Threads that may wait
  // for the next call instead stay.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, kMinPollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kMaxPollers);
  builder.AddListeningPort(options.listen, std::move(credentials), &port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.SetOption(health_->BuilderOption());
  builder.RegisterService(health_.get());
  // The names health answers for: the whole server ("") and each service.
  std::vector<std::string> served = {""};
  if (profile_service_ != nullptr) {
    builder.RegisterService(profile_service_.get());
    served.push_back(socio::v1::ProfileService::service_full_name());
  }
  if (match_service_ != nullptr) {
    builder.RegisterService(match_service_.get());
    served.push_back(socio::v1::MatchService::service_full_name());
  }
  if (delegation_service_ != nullptr) {
    builder.RegisterService(delegation_service_.get());
    served.push_back(socio::v1::DelegationService::service_full_name());
  }
  if (engagement_service_ != nullptr) {
    builder.RegisterService(engagement_service_.get());
    served.push_back(socio::v1::EngagementService::service_full_name());
    builder.RegisterService(notification_service_.get());
    served.push_back(socio::v1::NotificationService::service_full_name());
    builder.RegisterService(outcome_service_.get());
    served.push_back(socio::v1::OutcomeService::service_full_name());
    builder.RegisterService(partnership_service_.get());
    served.push_back(socio::v1::PartnershipService::service_full_name());
    builder.RegisterService(analytics_service_.get());
    served.push_back(socio::v1::AnalyticsService::service_full_name());
    if (exchange_service_ != nullptr) {
      builder.RegisterService(exchange_service_.get());
      served.push_back(socio::v1::ExchangeService::service_full_name());
    }
  }
  if (chamber_service_ != nullptr) {
    builder.RegisterService(chamber_service_.get());
    served.push_back(socio::v1::ChamberService::service_full_name());
  }
  builder.RegisterService(admin_service_.get());
  served.push_back(socio::v1::AdminService::service_full_name());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not local?)"));
  }
  if (!options.metrics_listen.empty()) {
    metrics_http_ = std::make_unique<MetricsHttpServer>(metrics_.get(), options.metrics_listen);
    if (absl::Status s = metrics_http_->Start(); !s.ok()) return s;
  }
  for (const std::string& name : served) health_->SetServingStatus(name, true);
  if (cluster_ != nullptr) cluster_watch_ = std::thread([this] { WatchCluster(); });
  return absl::OkStatus();
}

void Sociod::WatchCluster() {
#ifdef SOCIO_HAVE_ETCD
  bool serving = true;
  while (!stop_cluster_watch_.WaitForNotificationWithTimeout(absl::Milliseconds(500))) {
    const absl::Status following = cluster_->following();
    if (following.ok() == serving) continue;
    serving = following.ok();
    if (serving) {
      std::fprintf(stderr, "sociod: following the cluster again; serving\n");
    } else {
      std::fprintf(stderr,
                   "sociod: no longer following the cluster (%s); health NOT_SERVING until it "
                   "does\n",
                   following.ToString().c_str());
    }
    health_->SetServingStatus(serving);
  }
#endif
}

void Sociod::StopClusterWatch() {
  if (!cluster_watch_.joinable()) return;
  if (!stop_cluster_watch_.HasBeenNotified()) stop_cluster_watch_.Notify();
  cluster_watch_.join();
}

Sociod::~Sociod() {
  Shutdown(absl::Seconds(5));
  StopExpiry();  // also when Start failed before serving
  StopClusterWatch();
}

void Sociod::StopExpiry() {
  if (!expiry_thread_.joinable()) return;
  if (!stop_expiry_.HasBeenNotified()) stop_expiry_.Notify();
  expiry_thread_.join();
}

void Sociod::AddGauges() {
  const auto add = [this](const char* name, const char* help, std::function<double()> value) {
    // The names are constants of ours: a failure here is a bug caught by tests.
    absl::Status s = metrics_->AddGauge(name, help, std::move(value));
    if (!s.ok()) std::fprintf(stderr, "sociod: metric %s: %s\n", name, s.ToString().c_str());
  };
#ifdef SOCIO_HAVE_ETCD
  if (cluster_ != nullptr) {
    add("socio_cluster_applied_revision",
        "The etcd revision this cluster node's copy of the records holds.",
        [this] { return static_cast<double>(cluster_->applied_revision()); });
    add("socio_cluster_following",
        "1 while this cluster node's copy follows etcd, 0 once it has stopped (see the log).",
        [this] { return cluster_->following().ok() ? 1.0 : 0.0; });
  }
#endif
  if (index_ != nullptr) {
    add("socio_index_profiles", "Profiles in the match index.",
        [this] { return static_cast<double>(index_->size()); });
    add("socio_index_memory_bytes", "Memory of the match index, in bytes.",
        [this] { return static_cast<double>(index_->Memory().total()); });
    add("socio_index_applied_sequence", "The last profile change the match index reflects.",
        [this] { return static_cast<double>(feed_->applied_sequence()); });
  }
  if (store_ != nullptr) {
    add("socio_change_log_sequence", "The last profile change committed.",
        [this] { return static_cast<double>(store_->LastSequence()); });
    add("socio_store_profiles", "Profiles stored (RocksDB's estimate).",
        [this] { return static_cast<double>(database_->ApproximateFigures().profiles); });
  }
  if (delegations_ != nullptr) {
    add("socio_store_delegations", "Delegations stored (RocksDB's estimate).",
        [this] { return static_cast<double>(database_->ApproximateFigures().delegations); });
  }
  add("socio_store_disk_bytes", "Live data in RocksDB's table files, in bytes.",
      [this] { return static_cast<double>(database_->ApproximateFigures().disk_bytes); });
  add("socio_store_memory_bytes", "Data in RocksDB's memtables, in bytes.",
      [this] { return static_cast<double>(database_->ApproximateFigures().memory_bytes); });
  add("socio_store_free_disk_bytes",
      "Room left on the file system of the data directory, in bytes (-1: unknown).",
      [this] { return static_cast<double>(database_->ApproximateFigures().free_disk_bytes); });
  if (delivery_ != nullptr) {
    for (const char* channel : {NotificationDelivery::kEmail, NotificationDelivery::kWebhook}) {
      const std::string c = channel;
      add(absl::StrCat("socio_notification_backlog_", c).c_str(),
          "Notifications written but not yet done with on the channel (delivered, not needed "
          "or parked).",
          [this, c] {
            return static_cast<double>(
                notifications_->last_sequence() -
                std::min(notifications_->last_sequence(), delivery_->counters(c).cursor));
          });
      add(absl::StrCat("socio_notifications_delivered_", c).c_str(),
          "Notifications delivered on the channel since start (mails: one per address).",
          [this, c] { return static_cast<double>(delivery_->counters(c).delivered); });
      add(absl::StrCat("socio_notifications_parked_", c).c_str(),
          "Deliveries on the channel given up on since start (see ListParkedDeliveries).",
          [this, c] { return static_cast<double>(delivery_->counters(c).parked); });
    }
  }
  // The writes refused for lack of room: their calls end RESOURCE_EXHAUSTED,
  // or for an import, its items do.
  absl::Status s = metrics_->AddCounter(
      "socio_storage_full_errors_total",
      "Writes the store refused because its disk was full (an import's batch counts once).",
      [] { return static_cast<double>(storage::StorageFullErrors()); });
  if (!s.ok()) std::fprintf(stderr, "sociod: metric: %s\n", s.ToString().c_str());
}

std::string Sociod::address() const {
  const bool any = host_.empty() || host_ == "0.0.0.0" || host_ == "[::]";
  return absl::StrCat(any ? "127.0.0.1" : host_, ":", port_);
}

void Sociod::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  // The gauges read the stores: stop scraping before anything closes.
  if (metrics_http_ != nullptr) metrics_http_->Stop();
  StopClusterWatch();
  // Ends health watches too, which would otherwise hold the grace period.
  health_->Shutdown();
  if (profile_service_ != nullptr) profile_service_->BeginShutdown();
  if (notification_service_ != nullptr) notification_service_->BeginShutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  server_.reset();
  StopExpiry();
  if (delivery_ != nullptr) delivery_->Stop();
#ifdef SOCIO_HAVE_ETCD
  // Hands the delivery on to another node at once.
  if (delivery_duty_ != nullptr) delivery_duty_->Stop();
  if (sweep_duty_ != nullptr) sweep_duty_->Stop();
  if (cluster_ != nullptr) cluster_->Stop();
#endif
  if (follower_ != nullptr) follower_->Stop();
  if (watch_follower_ != nullptr) watch_follower_->Stop();
  // Closes RocksDB after the last call has returned and the followers stopped.
  admin_service_.reset();
  delivery_.reset();
  notification_service_.reset();
  exchange_service_.reset();
  analytics_service_.reset();
  outcome_service_.reset();
  partnership_service_.reset();
  chamber_service_.reset();
  engagement_service_.reset();
  engagement_profiles_.reset();
  delegation_service_.reset();
  partner_source_.reset();
  match_service_.reset();
  training_.reset();
  profile_lookup_.reset();
  profile_service_.reset();
  feed_ = nullptr;
  watch_follower_.reset();
  follower_.reset();
  snapshots_.reset();
  outcomes_.reset();
  exchanges_.reset();
  partnerships_.reset();
  chambers_.reset();
  engagement_.reset();
  notifications_.reset();
  delegations_.reset();
  policies_.reset();
  store_.reset();
  request_ids_.reset();
  tokens_.reset();
  delivery_duty_.reset();
  sweep_duty_.reset();
  cluster_.reset();
  database_.reset();
}

}  // namespace socio::services
