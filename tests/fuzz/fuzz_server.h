// The server the request_validation fuzzer calls: one real Sociod (all roles,
// tokens on, loopback, port 0, a fresh temporary data directory, writes not
// synced) started at the first input and shut down at exit, with stubs,
// tokens for each Identity, and the fixture of request_fixture.h.
//
// Every input sees the fixture: after a write succeeds the fuzzer calls the
// Restore* methods, which put the fixture's data back as it was (same
// content; versions and times may differ). Aborts with a message when the
// server cannot start or the fixture cannot be put in place: then the fuzzer
// has nothing to say.
//
// Not thread-safe: libFuzzer calls one input at a time.
#ifndef SOCIO_TESTS_FUZZ_FUZZ_SERVER_H_
#define SOCIO_TESTS_FUZZ_FUZZ_SERVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "services/server.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/analytics_service.grpc.pb.h"
#include "socio/v1/chamber_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/exchange_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/fuzz/request_rpcs.h"
#include "tests/support/temp_dir.h"

namespace socio::fuzz {

// Long enough for any call on the fixture's few records, even under ASan on
// a busy machine; a call that takes longer is reported as a hang.
inline constexpr absl::Duration kCallDeadline = absl::Seconds(60);

class FuzzServer {
 public:
  // The process's server, started on first use and shut down at exit.
  static FuzzServer& Get();

  ~FuzzServer() { Stop(); }
  FuzzServer(const FuzzServer&) = delete;
  FuzzServer& operator=(const FuzzServer&) = delete;

  socio::v1::ProfileService::Stub& profiles() { return *profiles_; }
  socio::v1::MatchService::Stub& match() { return *match_; }
  socio::v1::DelegationService::Stub& delegations() { return *delegations_; }
  socio::v1::AdminService::Stub& admin() { return *admin_; }
  socio::v1::EngagementService::Stub& engagement() { return *engagement_; }
  socio::v1::PartnershipService::Stub& partnerships() { return *partnerships_; }
  socio::v1::OutcomeService::Stub& outcomes() { return *outcomes_; }
  socio::v1::AnalyticsService::Stub& analytics() { return *analytics_; }
  socio::v1::ExchangeService::Stub& exchanges() { return *exchanges_; }
  socio::v1::NotificationService::Stub& notifications() { return *notifications_; }
  socio::v1::ChamberService::Stub& chambers() { return *chambers_; }

  // A context for one call as `who`, ending `deadline` from now.
  std::unique_ptr<grpc::ClientContext> Context(Identity who,
                                               absl::Duration deadline = kCallDeadline) const;

  // What the store holds, read as the operator, in a form to compare before
  // and after a call: the change log's last sequence and the active tokens
  // (GetStats); one profile, delegation or policy as its status code and
  // serialized bytes; every delegation, serialized.
  uint64_t LastSequence();
  int64_t ActiveTokens();
  std::string ProfileState(const std::string& id);
  std::string DelegationState(const std::string& id);
  std::string AllDelegations();
  std::string PolicyState(const std::string& chamber_id);
  // A chamber's record, and the first page of its partner links.
  std::string ChamberState(const std::string& id);
  std::string PartnerLinks(const std::string& chamber_id);

  // Puts the fixture back after a write went through: profiles (deleting
  // the others), delegations (deleting the others), a chamber's policy as
  // `before` (the PolicyState read before the call).
  void RestoreProfiles();
  void RestoreDelegations();
  void RestorePolicy(const std::string& chamber_id, const std::string& before);
  // Revokes a token an input had issued.
  void RevokeToken(const std::string& id);

  // A fresh absolute path under the data directory's parent for a Backup to
  // create, and its removal afterwards.
  std::string NewBackupDir();
  void RemoveBackupDir(const std::string& dir);

 private:
  FuzzServer() = default;
  void Start();
  void Stop();
  void IssueTokens();
  // Creates the fixture's profile or delegation (planning it if it is the
  // planned one) and remembers its state.
  void CreateProfile(const socio::v1::Profile& profile);
  void CreateDelegation(const socio::v1::Delegation& delegation);

  testing::TempDir dir_;
  std::unique_ptr<services::Sociod> server_;
  std::unique_ptr<socio::v1::ProfileService::Stub> profiles_;
  std::unique_ptr<socio::v1::MatchService::Stub> match_;
  std::unique_ptr<socio::v1::DelegationService::Stub> delegations_;
  std::unique_ptr<socio::v1::AdminService::Stub> admin_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::PartnershipService::Stub> partnerships_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
  std::unique_ptr<socio::v1::AnalyticsService::Stub> analytics_;
  std::unique_ptr<socio::v1::ExchangeService::Stub> exchanges_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
  std::unique_ptr<socio::v1::ChamberService::Stub> chambers_;
  std::string operator_token_;
  std::string staff_token_;
  std::string member_token_;
  // The fixture's records as last written: input, and the state read back.
  std::map<std::string, socio::v1::Profile> fixture_profiles_;
  std::map<std::string, std::string> profile_state_;
  std::map<std::string, socio::v1::Delegation> fixture_delegations_;
  std::map<std::string, std::string> delegation_state_;
  int backups_ = 0;
};

}  // namespace socio::fuzz

#endif  // SOCIO_TESTS_FUZZ_FUZZ_SERVER_H_
