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
#include "services/call_scope.h"

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

grpc::Status AdminServiceImpl::ServeOperator(
    grpc::ServerContext* context, const char* rpc,
    absl::FunctionRef<absl::Status(const Caller&)> body) const {
  return Serve(*parts_.auth, context, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = RequireAdmin(caller, rpc); !s.ok()) return s;
    return body(caller);
  });
}

absl::Status AdminServiceImpl::NeedTokens() const {
  if (parts_.tokens != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "this server keeps no tokens: manage them on the profile server (--role=profiles)");
}

grpc::Status AdminServiceImpl::WhoAmI(grpc::ServerContext* context,
                                      const socio::v1::WhoAmIRequest* /*request*/,
                                      socio::v1::TokenInfo* response) {
  return Serve(*parts_.auth, context, [&](const Caller& caller) {
    response->set_id(caller.token_id);
    response->set_role(caller.role);
    response->set_chamber_id(caller.chamber_id);
    response->set_profile_id(caller.profile_id);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::IssueToken(grpc::ServerContext* context,
                                          const socio::v1::IssueTokenRequest* request,
                                          socio::v1::IssueTokenResponse* response) {
  return ServeOperator(context, "IssueToken", [&](const Caller&) -> absl::Status {
    if (absl::Status s = NeedTokens(); !s.ok()) return s;
    storage::TokenGrant grant{.role = request->role(),
                              .chamber_id = request->chamber_id(),
                              .profile_id = request->profile_id(),
                              .label = request->label()};
    if (grant.role == socio::v1::MEMBER && parts_.profiles != nullptr &&
        !grant.profile_id.empty()) {
      absl::StatusOr<socio::v1::Profile> member = parts_.profiles->Get(grant.profile_id);
      if (absl::IsNotFound(member.status())) {
        return absl::NotFoundError(absl::StrCat("profile_id: no profile '", grant.profile_id, "'"));
      }
      if (!member.ok()) return member.status();
      if (grant.chamber_id.empty()) grant.chamber_id = member->chamber_id();
      grant.profile_create_time = member->create_time();
    }
    absl::StatusOr<storage::IssuedToken> issued = parts_.tokens->Issue(grant);
    if (!issued.ok()) return issued.status();
    *response->mutable_info() = std::move(issued->info);
    response->set_token(std::move(issued->token));
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::RevokeToken(grpc::ServerContext* context,
                                           const socio::v1::RevokeTokenRequest* request,
                                           socio::v1::TokenInfo* response) {
  return ServeOperator(context, "RevokeToken", [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = NeedTokens(); !s.ok()) return s;
    if (request->id().empty()) return absl::InvalidArgumentError("id: is required");
    if (request->id() == caller.token_id) {
      return absl::FailedPreconditionError(
          "id: is the token of this call; revoke it with another operator token");
    }
    absl::StatusOr<socio::v1::TokenInfo> revoked = parts_.tokens->Revoke(request->id());
    if (!revoked.ok()) return revoked.status();
    *response = *std::move(revoked);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::ListTokens(grpc::ServerContext* context,
                                          const socio::v1::ListTokensRequest* /*request*/,
                                          socio::v1::ListTokensResponse* response) {
  return ServeOperator(context, "ListTokens", [&](const Caller&) -> absl::Status {
    if (absl::Status s = NeedTokens(); !s.ok()) return s;
    absl::StatusOr<std::vector<socio::v1::TokenInfo>> tokens = parts_.tokens->List();
    if (!tokens.ok()) return tokens.status();
    std::sort(tokens->begin(), tokens->end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.issued_time().seconds(), a.issued_time().nanos()) <
             std::make_pair(b.issued_time().seconds(), b.issued_time().nanos());
    });
    for (socio::v1::TokenInfo& info : *tokens) *response->add_tokens() = std::move(info);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context,
                                      const socio::v1::BackupRequest* request,
                                      socio::v1::BackupResponse* response) {
  return ServeOperator(context, "Backup", [&](const Caller&) -> absl::Status {
    if (request->dir().empty()) return absl::InvalidArgumentError("dir: is required");
    if (!std::filesystem::path(request->dir()).is_absolute()) {
      return absl::InvalidArgumentError(
          absl::StrCat("dir: '", request->dir(),
                       "' is relative; give an absolute path on the server's machine"));
    }
    if (absl::Status s = CheckBackupDir(request->dir()); !s.ok()) return s;
    const uint64_t sequence = parts_.profiles != nullptr ? parts_.profiles->LastSequence() : 0;
    const absl::Time start = absl::Now();
    if (absl::Status s = parts_.database->Checkpoint(request->dir()); !s.ok()) return s;
    response->set_dir(request->dir());
    response->set_last_sequence(sequence);
    response->set_bytes(DirectoryBytes(request->dir()));
    response->set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::GetStats(grpc::ServerContext* context,
                                        const socio::v1::GetStatsRequest* /*request*/,
                                        socio::v1::Stats* response) {
  return ServeOperator(context, "GetStats", [&](const Caller&) -> absl::Status {
    const storage::Database::Figures figures = parts_.database->ApproximateFigures();
    response->set_profiles(figures.profiles);
    response->set_delegations(figures.delegations);
    response->set_store_disk_bytes(figures.disk_bytes);
    response->set_store_memory_bytes(figures.memory_bytes);
    if (parts_.profiles != nullptr) response->set_last_sequence(parts_.profiles->LastSequence());
    if (parts_.tokens != nullptr) {
      absl::StatusOr<std::vector<socio::v1::TokenInfo>> tokens = parts_.tokens->List();
      if (!tokens.ok()) return tokens.status();
      int64_t active = 0;
      for (const socio::v1::TokenInfo& info : *tokens) active += !info.has_revoked_time();
      response->set_active_tokens(active);
    }
    if (parts_.add_stats) parts_.add_stats(response);
    return absl::OkStatus();
  });
}

}  // namespace socio::services
