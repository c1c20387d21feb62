#include "tests/fuzz/fuzz_server.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/auth.h"
#include "tests/fuzz/request_fixture.h"

namespace socio::fuzz {
namespace {

// Well-formed ("<16 hex digits>.<43 base64url characters>") but never issued.
constexpr char kUnknownToken[] = "0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz server: %s\n", what.c_str());
  std::abort();
}

void Require(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) {
    Fail(absl::StrCat(what, ": ", status.error_code(), " ", status.error_message()));
  }
}

// "<code>|<bytes>": equal before and after a call if nothing changed.
std::string State(const grpc::Status& status, const google::protobuf::Message& message) {
  return absl::StrCat(status.error_code(), "|", status.ok() ? message.SerializeAsString() : "");
}

FuzzServer* server = nullptr;

void StopAtExit() {
  delete server;
  server = nullptr;
}

}  // namespace

FuzzServer& FuzzServer::Get() {
  if (server == nullptr) {
    server = new FuzzServer();
    server->Start();
    std::atexit(StopAtExit);
  }
  return *server;
}

void FuzzServer::Start() {
  services::SociodOptions options;
  options.data_dir = dir_.Join("db");
  options.listen = "127.0.0.1:0";
  options.sync_writes = false;
  options.index_threads = 1;
  options.admin_token_file = dir_.Join("admin.token");
  options.log_level = services::LogLevel::kOff;
  absl::StatusOr<std::unique_ptr<services::Sociod>> started = services::Sociod::Start(options);
  if (!started.ok()) Fail(started.status().ToString());
  server_ = *std::move(started);
  std::ifstream token_file(options.admin_token_file);
  if (!std::getline(token_file, operator_token_) || operator_token_.empty()) {
    Fail("no operator token in " + options.admin_token_file);
  }
  auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  profiles_ = socio::v1::ProfileService::NewStub(channel);
  match_ = socio::v1::MatchService::NewStub(channel);
  delegations_ = socio::v1::DelegationService::NewStub(channel);
  admin_ = socio::v1::AdminService::NewStub(channel);
  engagement_ = socio::v1::EngagementService::NewStub(channel);
  partnerships_ = socio::v1::PartnershipService::NewStub(channel);
  outcomes_ = socio::v1::OutcomeService::NewStub(channel);
  analytics_ = socio::v1::AnalyticsService::NewStub(channel);
  exchanges_ = socio::v1::ExchangeService::NewStub(channel);
  notifications_ = socio::v1::NotificationService::NewStub(channel);
  chambers_ = socio::v1::ChamberService::NewStub(channel);
  for (const socio::v1::Profile& profile : FixtureProfiles()) CreateProfile(profile);
  IssueTokens();
  for (const socio::v1::Delegation& delegation : FixtureDelegations()) {
    CreateDelegation(delegation);
  }
}

void FuzzServer::Stop() {
  profiles_.reset();
  match_.reset();
  delegations_.reset();
  admin_.reset();
  if (server_ != nullptr) server_->Shutdown(absl::Seconds(1));
  server_.reset();
}

void FuzzServer::IssueTokens() {
  socio::v1::IssueTokenRequest staff;
  staff.set_role(socio::v1::STAFF);
  staff.set_chamber_id(kStaffChamber);
  socio::v1::IssueTokenResponse issued;
  Require(admin_->IssueToken(Context(Identity::kOperator).get(), staff, &issued), "staff token");
  staff_token_ = issued.token();
  socio::v1::IssueTokenRequest member;
  member.set_role(socio::v1::MEMBER);
  member.set_profile_id(kMemberProfile);
  Require(admin_->IssueToken(Context(Identity::kOperator).get(), member, &issued), "member token");
  member_token_ = issued.token();
}

std::unique_ptr<grpc::ClientContext> FuzzServer::Context(Identity who,
                                                         absl::Duration deadline) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  const std::string* token = nullptr;
  const std::string unknown = kUnknownToken;
  switch (who) {
    case Identity::kOperator:
      token = &operator_token_;
      break;
    case Identity::kStaff:
      token = &staff_token_;
      break;
    case Identity::kMember:
      token = &member_token_;
      break;
    case Identity::kNoToken:
      break;
    case Identity::kBadToken:
      token = &unknown;
      break;
  }
  if (token != nullptr) {
    context->AddMetadata(services::kAuthorizationKey, services::BearerValue(*token));
  }
  return context;
}

uint64_t FuzzServer::LastSequence() {
  socio::v1::Stats stats;
  Require(admin_->GetStats(Context(Identity::kOperator).get(), {}, &stats), "GetStats");
  return stats.last_sequence();
}

int64_t FuzzServer::ActiveTokens() {
  socio::v1::Stats stats;
  Require(admin_->GetStats(Context(Identity::kOperator).get(), {}, &stats), "GetStats");
  return stats.active_tokens();
}

std::string FuzzServer::ProfileState(const std::string& id) {
  socio::v1::GetProfileRequest request;
  request.set_id(id);
  socio::v1::Profile profile;
  return State(profiles_->GetProfile(Context(Identity::kOperator).get(), request, &profile),
               profile);
}

std::string FuzzServer::DelegationState(const std::string& id) {
  socio::v1::GetDelegationRequest request;
  request.set_id(id);
  socio::v1::Delegation delegation;
  return State(
      delegations_->GetDelegation(Context(Identity::kOperator).get(), request, &delegation),
      delegation);
}

std::string FuzzServer::AllDelegations() {
  std::string all;
  socio::v1::ListDelegationsRequest request;
  request.set_page_size(1000);
  do {
    socio::v1::ListDelegationsResponse page;
    Require(delegations_->ListDelegations(Context(Identity::kOperator).get(), request, &page),
            "ListDelegations");
    all += page.SerializeAsString();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

std::string FuzzServer::PolicyState(const std::string& chamber_id) {
  socio::v1::GetMatchPolicyRequest request;
  request.set_chamber_id(chamber_id);
  socio::v1::MatchPolicy policy;
  return State(match_->GetMatchPolicy(Context(Identity::kOperator).get(), request, &policy),
               policy);
}

std::string FuzzServer::ChamberState(const std::string& id) {
  socio::v1::GetChamberRequest request;
  request.set_id(id);
  socio::v1::Chamber chamber;
  return State(chambers_->GetChamber(Context(Identity::kOperator).get(), request, &chamber),
               chamber);
}

std::string FuzzServer::PartnerLinks(const std::string& chamber_id) {
  socio::v1::ListPartnerChambersRequest request;
  request.set_chamber_id(chamber_id);
  request.set_page_size(500);
  socio::v1::ListPartnerChambersResponse links;
  return State(chambers_->ListPartnerChambers(Context(Identity::kOperator).get(), request, &links),
               links);
}

void FuzzServer::CreateProfile(const socio::v1::Profile& profile) {
  socio::v1::CreateProfileRequest request;
  *request.mutable_profile() = profile;
  socio::v1::Profile created;
  Require(profiles_->CreateProfile(Context(Identity::kOperator).get(), request, &created),
          "create fixture profile " + profile.id());
  fixture_profiles_[profile.id()] = profile;
  profile_state_[profile.id()] = ProfileState(profile.id());
}

void FuzzServer::CreateDelegation(const socio::v1::Delegation& delegation) {
  socio::v1::CreateDelegationRequest request;
  *request.mutable_delegation() = delegation;
  socio::v1::Delegation created;
  Require(delegations_->CreateDelegation(Context(Identity::kOperator).get(), request, &created),
          "create fixture delegation " + delegation.id());
  if (delegation.id() == kPlannedDelegation) {
    socio::v1::PlanDelegationRequest plan;
    plan.set_id(delegation.id());
    Require(delegations_->PlanDelegation(Context(Identity::kOperator).get(), plan, &created),
            "plan fixture delegation");
  }
  fixture_delegations_[delegation.id()] = delegation;
  delegation_state_[delegation.id()] = DelegationState(delegation.id());
}

void FuzzServer::RestoreProfiles() {
  std::set<std::string> stored;
  socio::v1::ListProfilesRequest list;
  list.set_page_size(1000);
  do {
    socio::v1::ListProfilesResponse page;
    Require(profiles_->ListProfiles(Context(Identity::kOperator).get(), list, &page),
            "ListProfiles");
    for (const socio::v1::Profile& p : page.profiles()) stored.insert(p.id());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  auto remove = [&](const std::string& id) {
    socio::v1::DeleteProfileRequest request;
    request.set_id(id);
    socio::v1::DeleteProfileResponse response;
    Require(profiles_->DeleteProfile(Context(Identity::kOperator).get(), request, &response),
            "delete profile " + id);
  };
  for (const std::string& id : stored) {
    if (!fixture_profiles_.contains(id)) remove(id);
  }
  for (const auto& [id, profile] : fixture_profiles_) {
    if (ProfileState(id) == profile_state_[id]) continue;
    if (stored.contains(id)) remove(id);
    CreateProfile(profile);
  }
}

void FuzzServer::RestoreDelegations() {
  std::set<std::string> stored;
  socio::v1::ListDelegationsRequest list;
  list.set_page_size(1000);
  do {
    socio::v1::ListDelegationsResponse page;
    Require(delegations_->ListDelegations(Context(Identity::kOperator).get(), list, &page),
            "ListDelegations");
    for (const socio::v1::Delegation& d : page.delegations()) stored.insert(d.id());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  auto remove = [&](const std::string& id) {
    socio::v1::DeleteDelegationRequest request;
    request.set_id(id);
    socio::v1::DeleteDelegationResponse response;
    Require(delegations_->DeleteDelegation(Context(Identity::kOperator).get(), request, &response),
            "delete delegation " + id);
  };
  for (const std::string& id : stored) {
    if (!fixture_delegations_.contains(id)) remove(id);
  }
  for (const auto& [id, delegation] : fixture_delegations_) {
    if (DelegationState(id) == delegation_state_[id]) continue;
    if (stored.contains(id)) remove(id);
    CreateDelegation(delegation);
  }
}

void FuzzServer::RestorePolicy(const std::string& chamber_id, const std::string& before) {
  const size_t bar = before.find('|');
  socio::v1::MatchPolicy policy;
  if (before.substr(0, bar) != "0" || !policy.ParseFromString(before.substr(bar + 1))) {
    Fail(absl::StrCat("policy of '", chamber_id, "' was written though it could not be read"));
  }
  socio::v1::SetMatchPolicyRequest request;
  *request.mutable_policy() = policy;
  request.mutable_policy()->clear_version();
  request.mutable_policy()->clear_update_time();
  socio::v1::MatchPolicy set;
  Require(match_->SetMatchPolicy(Context(Identity::kOperator).get(), request, &set),
          "restore policy of " + chamber_id);
}

void FuzzServer::RevokeToken(const std::string& id) {
  socio::v1::RevokeTokenRequest request;
  request.set_id(id);
  socio::v1::TokenInfo info;
  Require(admin_->RevokeToken(Context(Identity::kOperator).get(), request, &info),
          "revoke token " + id);
}

std::string FuzzServer::NewBackupDir() { return dir_.Join(absl::StrCat("backup-", ++backups_)); }

void FuzzServer::RemoveBackupDir(const std::string& dir) {
  std::error_code ignored;  // a leftover is removed with the data directory at exit
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace socio::fuzz
