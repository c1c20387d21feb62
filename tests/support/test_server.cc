#include "tests/support/test_server.h"

#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/token_calls.h"

namespace socio::testing {

absl::StatusOr<std::unique_ptr<TestServer>> TestServer::Start(services::SociodOptions options) {
  std::unique_ptr<TestServer> server(new TestServer(std::move(options)));
  if (absl::Status started = server->StartServing(); !started.ok()) return started;
  if (server->sociod_->admin_token_file().empty()) return server;
  std::ifstream in(server->sociod_->admin_token_file());
  std::getline(in, server->admin_token_);
  if (server->admin_token_.empty()) {
    return absl::DataLossError(absl::StrCat("no token in ", server->sociod_->admin_token_file()));
  }
  return server;
}

TestServer::~TestServer() { Stop(); }

void TestServer::Stop(absl::Duration grace) {
  if (sociod_ == nullptr) return;
  sociod_->Shutdown(grace);
  sociod_.reset();
}

absl::Status TestServer::Restart() {
  Stop();
  return StartServing();
}

absl::Status TestServer::StartServing() {
  std::filesystem::path data_dir(options_.data_dir);
  if (data_dir.is_relative()) data_dir = std::filesystem::path(dir_.path()) / data_dir;
  options_.data_dir = data_dir.lexically_normal().string();
  options_.listen = absl::StrCat("127.0.0.1:", port_);
  absl::StatusOr<std::unique_ptr<services::Sociod>> sociod = services::Sociod::Start(options_);
  if (!sociod.ok()) return sociod.status();
  sociod_ = *std::move(sociod);
  port_ = sociod_->port();

  if (channel_ != nullptr) {
    retired_.push_back(std::move(channel_));
    retired_.push_back(std::move(profiles_));
    retired_.push_back(std::move(matches_));
    retired_.push_back(std::move(delegations_));
    retired_.push_back(std::move(admin_));
  }
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  profiles_ = socio::v1::ProfileService::NewStub(channel_);
  matches_ = socio::v1::MatchService::NewStub(channel_);
  delegations_ = socio::v1::DelegationService::NewStub(channel_);
  admin_ = socio::v1::AdminService::NewStub(channel_);
  return absl::OkStatus();
}

services::Sociod& TestServer::sociod() const { return *sociod_; }

std::string TestServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

std::string TestServer::IssueToken(socio::v1::Role role, const std::string& chamber,
                                   const std::string& profile) {
  return socio::testing::IssueToken(*admin_, admin_token_, role, chamber, profile);
}

}  // namespace socio::testing
