#include "clients/admin_commands.h"

#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli_output.h"
#include "clients/table.h"

namespace socio::clients {
namespace {

using socio::v1::TokenInfo;

std::string RoleName(socio::v1::Role role) {
  return absl::AsciiStrToLower(socio::v1::Role_Name(role));
}

std::string Scope(const TokenInfo& info) {
  switch (info.role()) {
    case socio::v1::STAFF:
      return absl::StrCat("chamber ", info.chamber_id());
    case socio::v1::MEMBER:
      return absl::StrCat("profile ", info.profile_id());
    case socio::v1::ADMIN:
      return "everything";
    default:
      return "";
  }
}

std::string Bytes(int64_t bytes) {
  if (bytes < (1 << 20)) return absl::StrFormat("%.1f KiB", bytes / 1024.0);
  if (bytes < (int64_t{1} << 30)) return absl::StrFormat("%.1f MiB", bytes / 1048576.0);
  return absl::StrFormat("%.2f GiB", bytes / 1073741824.0);
}

void PrintTokens(const std::vector<const TokenInfo*>& tokens) {
  Table table({"ID", "ROLE", "SCOPE", "LABEL", "ISSUED", "REVOKED"});
  for (const TokenInfo* info : tokens) {
    table.AddRow({info->id(), RoleName(info->role()), Scope(*info), info->label(),
                  FormatTime(info->issued_time()), FormatTime(info->revoked_time())});
  }
  table.Print(std::cout);
}

}  // namespace

AdminCommands::AdminCommands(const GlobalOptions& global) : global_(global) {}
AdminCommands::~AdminCommands() = default;

const AdminClient& AdminCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<AdminClient>(OpenChannel(global_));
  return *client_;
}

void AdminCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  CLI::App* admin = app.add_subcommand("admin", "Operators: tokens, backups, the server's figures");
  admin->require_subcommand(1);
  admin->fallthrough();

  CLI::App* token = admin->add_subcommand("token", "Issue, revoke and list bearer tokens");
  token->require_subcommand(1);
  token->fallthrough();
  CLI::App* issue = token->add_subcommand("issue", "Issue a token (printed once)");
  issue->add_option("--role", role_, "admin (operator), staff (one chamber), member (one profile)")
      ->required()
      ->check(CLI::IsMember({"admin", "staff", "member"}));
  issue->add_option("--chamber", chamber_id_, "The chamber a staff token acts for");
  issue->add_option("--profile", profile_id_, "The profile a member token acts for");
  issue->add_option("--label", label_, "Free text to recognise the token by");
  run(issue, [this] { return Issue(); });
  CLI::App* revoke = token->add_subcommand("revoke", "Revoke a token at once");
  revoke->add_option("token_id", token_id_, "The token's id (the part before the dot)")
      ->required();
  run(revoke, [this] { return Revoke(); });
  CLI::App* list = token->add_subcommand("list", "Every token issued, without secrets");
  run(list, [this] { return List(); });

  CLI::App* whoami = admin->add_subcommand("whoami", "The role and scope of the token in use");
  whoami->fallthrough();
  run(whoami, [this] { return WhoAmI(); });

  CLI::App* backup = admin->add_subcommand(
      "backup", "Write a consistent copy of the server's data into a new directory");
  backup->fallthrough();
  backup->add_option("dir", dir_,
                     "Directory to create, on the server's machine (a relative path is taken "
                     "from this shell's working directory)")
      ->required();
  run(backup, [this] { return Backup(); });

  CLI::App* stats = admin->add_subcommand("stats", "Profiles, index, store size, tokens, uptime");
  stats->fallthrough();
  run(stats, [this] { return Stats(); });
}

int AdminCommands::Issue() {
  socio::v1::IssueTokenRequest request;
  socio::v1::Role role = socio::v1::ROLE_UNSPECIFIED;
  socio::v1::Role_Parse(absl::AsciiStrToUpper(role_), &role);
  request.set_role(role);
  request.set_chamber_id(chamber_id_);
  request.set_profile_id(profile_id_);
  request.set_label(label_);
  absl::StatusOr<socio::v1::IssueTokenResponse> response = Client().IssueToken(request);
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
    return 0;
  }
  std::cerr << "Issued " << RoleName(response->info().role()) << " token " << response->info().id()
            << " for " << Scope(response->info()) << ". It is shown only now; keep it secret:\n";
  std::cout << response->token() << "\n";
  return 0;
}

int AdminCommands::Revoke() {
  socio::v1::RevokeTokenRequest request;
  request.set_id(token_id_);
  absl::StatusOr<TokenInfo> revoked = Client().RevokeToken(request);
  if (!revoked.ok()) return Fail(revoked.status());
  if (global_.json) {
    std::cout << ToJson(*revoked) << "\n";
    return 0;
  }
  PrintTokens({&*revoked});
  return 0;
}

int AdminCommands::List() {
  absl::StatusOr<socio::v1::ListTokensResponse> response =
      Client().ListTokens(socio::v1::ListTokensRequest());
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
    return 0;
  }
  std::vector<const TokenInfo*> tokens;
  for (const TokenInfo& info : response->tokens()) tokens.push_back(&info);
  PrintTokens(tokens);
  return 0;
}

int AdminCommands::WhoAmI() {
  absl::StatusOr<TokenInfo> info = Client().WhoAmI(socio::v1::WhoAmIRequest());
  if (!info.ok()) return Fail(info.status());
  if (global_.json) {
    std::cout << ToJson(*info) << "\n";
    return 0;
  }
  std::cout << RoleName(info->role()) << " (" << Scope(*info) << ")"
            << (info->id().empty() ? ", development mode" : ", token " + info->id()) << "\n";
  return 0;
}

int AdminCommands::Backup() {
  socio::v1::BackupRequest request;
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(dir_, error);
  request.set_dir(error ? dir_ : absolute.lexically_normal().string());
  std::cerr << "Backing up into " << request.dir() << " ...\n";
  absl::StatusOr<socio::v1::BackupResponse> response = Client().Backup(request);
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
    return 0;
  }
  std::cout << absl::StrFormat(
      "Backed up %s (profile changes up to %d) in %.2f s into %s\n"
      "Serve it with: sociod --data_dir %s\n",
      Bytes(response->bytes()), response->last_sequence(), response->seconds(), response->dir(),
      response->dir());
  return 0;
}

int AdminCommands::Stats() {
  absl::StatusOr<socio::v1::Stats> stats = Client().GetStats(socio::v1::GetStatsRequest());
  if (!stats.ok()) return Fail(stats.status());
  if (global_.json) {
    std::cout << ToJson(*stats) << "\n";
    return 0;
  }
  Table table({"FIGURE", "VALUE"});
  table.AddRow({"role", stats->role()});
  table.AddRow({"uptime", absl::StrFormat("%.0f s", stats->uptime_seconds())});
  table.AddRow({"profiles (estimate)", absl::StrCat(stats->profiles())});
  table.AddRow({"last change", absl::StrCat(stats->last_sequence())});
  table.AddRow({"match index", absl::StrCat(stats->index_profiles(), " profiles, up to change ",
                                            stats->index_sequence())});
  table.AddRow({"match index memory", Bytes(stats->index_bytes())});
  table.AddRow({"store on disk", Bytes(stats->store_disk_bytes())});
  table.AddRow({"store in memory", Bytes(stats->store_memory_bytes())});
  table.AddRow({"delegations (estimate)", absl::StrCat(stats->delegations())});
  table.AddRow({"active tokens", absl::StrCat(stats->active_tokens())});
  table.Print(std::cout);
  return 0;
}

}  // namespace socio::clients
