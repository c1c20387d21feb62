#include "services/admin_service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/access.h"
#include "services/grpc_status.h"

namespace socio::services {
namespace {

// Bytes under `dir`, every file counted in full.
int64_t DirectoryBytes(const std::string& dir) {
  int64_t bytes = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file(error)) bytes += static_cast<int64_t>(entry.file_size(error));
  }
  return bytes;
}

// Whether a backup can be written into `dir` (absolute). Whether the server
// may write there is found by creating it and taking it away again, as the
// checkpoint creates it: the answer holds for root, read-only file systems
// and /proc alike. INVALID_ARGUMENT when the parent is missing or not a
// directory; ALREADY_EXISTS; FAILED_PRECONDITION when `dir` cannot be
// created there; RESOURCE_EXHAUSTED when the disk is full.
absl::Status CheckBackupDir(const std::string& dir) {
  std::filesystem::path path = std::filesystem::path(dir).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();  // "/srv/backup/"
  const std::string parent = path.parent_path().string();
  struct stat info;
  if (::stat(parent.c_str(), &info) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("dir: the parent directory '", parent,
                                                   "' cannot be found: ", std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat("dir: '", parent, "' is not a directory"));
  }
  if (::lstat(dir.c_str(), &info) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("dir: '", dir, "' already exists; back up into a new directory"));
  }
  if (::mkdir(dir.c_str(), 0700) != 0) {
    const int error = errno;
    const std::string message =
        absl::StrCat("dir: the server cannot create '", dir, "': ", std::strerror(error));
    if (error == ENOSPC || error == EDQUOT) return absl::ResourceExhaustedError(message);
    return absl::FailedPreconditionError(message);
  }
  if (::rmdir(dir.c_str()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "dir: cannot remove the probe directory '", dir, "': ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Caller> AdminServiceImpl::Operator(const grpc::ServerContext& context,
                                                  const char* rpc) const {
  absl::StatusOr<Caller> caller = parts_.auth->Authenticate(context);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = RequireAdmin(*caller, rpc); !s.ok()) return s;
  return caller;
}

absl::Status AdminServiceImpl::NeedTokens() const {
  if (parts_.tokens != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "this server keeps no tokens: manage them on the profile server (--role=profiles)");
}

grpc::Status AdminServiceImpl::WhoAmI(grpc::ServerContext* context,
                                      const socio::v1::WhoAmIRequest* /*request*/,
                                      socio::v1::TokenInfo* response) {
  absl::StatusOr<Caller> caller = parts_.auth->Authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  response->set_id(caller->token_id);
  response->set_role(caller->role);
  response->set_chamber_id(caller->chamber_id);
  response->set_profile_id(caller->profile_id);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::IssueToken(grpc::ServerContext* context,
                                          const socio::v1::IssueTokenRequest* request,
                                          socio::v1::IssueTokenResponse* response) {
  absl::StatusOr<Caller> caller = Operator(*context, "IssueToken");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = NeedTokens(); !s.ok()) return ToGrpcStatus(s);
  storage::TokenGrant grant{.role = request->role(),
                            .chamber_id = request->chamber_id(),
                            .profile_id = request->profile_id(),
                            .label = request->label()};
  if (grant.role == socio::v1::MEMBER && parts_.profiles != nullptr &&
      !grant.profile_id.empty()) {
    absl::StatusOr<socio::v1::Profile> member = parts_.profiles->Get(grant.profile_id);
    if (absl::IsNotFound(member.status())) {
      return ToGrpcStatus(
          absl::NotFoundError(absl::StrCat("profile_id: no profile '", grant.profile_id, "'")));
    }
    if (!member.ok()) return ToGrpcStatus(member.status());
    if (grant.chamber_id.empty()) grant.chamber_id = member->chamber_id();
    grant.profile_create_time = member->create_time();
  }
  absl::StatusOr<storage::IssuedToken> issued = parts_.tokens->Issue(grant);
  if (!issued.ok()) return ToGrpcStatus(issued.status());
  *response->mutable_info() = std::move(issued->info);
  response->set_token(std::move(issued->token));
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RevokeToken(grpc::ServerContext* context,
                                           const socio::v1::RevokeTokenRequest* request,
                                           socio::v1::TokenInfo* response) {
  absl::StatusOr<Caller> caller = Operator(*context, "RevokeToken");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = NeedTokens(); !s.ok()) return ToGrpcStatus(s);
  if (request->id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("id: is required"));
  }
  if (request->id() == caller->token_id) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "id: is the token of this call; revoke it with another operator token"));
  }
  absl::StatusOr<socio::v1::TokenInfo> revoked = parts_.tokens->Revoke(request->id());
  if (!revoked.ok()) return ToGrpcStatus(revoked.status());
  *response = *std::move(revoked);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListTokens(grpc::ServerContext* context,
                                          const socio::v1::ListTokensRequest* /*request*/,
                                          socio::v1::ListTokensResponse* response) {
  absl::StatusOr<Caller> caller = Operator(*context, "ListTokens");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = NeedTokens(); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::vector<socio::v1::TokenInfo>> tokens = parts_.tokens->List();
  if (!tokens.ok()) return ToGrpcStatus(tokens.status());
  std::sort(tokens->begin(), tokens->end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.issued_time().seconds(), a.issued_time().nanos()) <
           std::make_pair(b.issued_time().seconds(), b.issued_time().nanos());
  });
  for (socio::v1::TokenInfo& info : *tokens) *response->add_tokens() = std::move(info);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context,
                                      const socio::v1::BackupRequest* request,
                                      socio::v1::BackupResponse* response) {
  absl::StatusOr<Caller> caller = Operator(*context, "Backup");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->dir().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("dir: is required"));
  }
  if (!std::filesystem::path(request->dir()).is_absolute()) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "dir: '", request->dir(), "' is relative; give an absolute path on the server's machine")));
  }
  if (absl::Status s = CheckBackupDir(request->dir()); !s.ok()) return ToGrpcStatus(s);
  const uint64_t sequence = parts_.profiles != nullptr ? parts_.profiles->LastSequence() : 0;
  const absl::Time start = absl::Now();
  if (absl::Status s = parts_.database->Checkpoint(request->dir()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  response->set_dir(request->dir());
  response->set_last_sequence(sequence);
  response->set_bytes(DirectoryBytes(request->dir()));
  response->set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetStats(grpc::ServerContext* context,
                                        const socio::v1::GetStatsRequest* /*request*/,
                                        socio::v1::Stats* response) {
  absl::StatusOr<Caller> caller = Operator(*context, "GetStats");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const storage::Database::Figures figures = parts_.database->ApproximateFigures();
  response->set_profiles(figures.profiles);
  response->set_delegations(figures.delegations);
  response->set_store_disk_bytes(figures.disk_bytes);
  response->set_store_memory_bytes(figures.memory_bytes);
  if (parts_.profiles != nullptr) response->set_last_sequence(parts_.profiles->LastSequence());
  if (parts_.tokens != nullptr) {
    absl::StatusOr<std::vector<socio::v1::TokenInfo>> tokens = parts_.tokens->List();
    if (!tokens.ok()) return ToGrpcStatus(tokens.status());
    int64_t active = 0;
    for (const socio::v1::TokenInfo& info : *tokens) active += !info.has_revoked_time();
    response->set_active_tokens(active);
  }
  if (parts_.add_stats) parts_.add_stats(response);
  return grpc::Status::OK;
}

}  // namespace socio::services
