// `socio match`, `socio explain`, `socio policy ...`: partner search for chamber
// staff, and the factor weights a chamber ranks its members' matches with.
//
//   socio match MEMBER_ID [--k N] [--country XX]... [--region M49]... [--sector NACE]...
//                         [--type TYPE]... [--language xx]... [--min-employees N]
//                         [--max-employees N] [--exclude ID]... [--exclude-own-chamber]
//                         [--weights name=value,...] [--explain]
//   socio explain A_ID B_ID [--weights name=value,...]
//   socio policy get CHAMBER_ID
//   socio policy set CHAMBER_ID --weights name=value,... [--expected-version N]
//   socio policy suggest CHAMBER_ID
//
// Repeatable options also take comma-separated values (--country ES,PT). The
// weights are the fields of socio.v1.FactorWeights (objective, market, sector,
// culture, text, size, freshness); a name left out weighs 0.
//
// Every command prints tables for people, or the response as proto JSON on
// one line with --json. Errors go to stderr as "socio: CODE: message" with
// exit status 1, whether the server or this program found them.
#ifndef SOCIO_CLIENTS_MATCH_COMMANDS_H_
#define SOCIO_CLIENTS_MATCH_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/match_client.h"
#include "clients/profile_commands.h"

namespace socio::clients {

class MatchCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit MatchCommands(const GlobalOptions& global);
  ~MatchCommands();

  // Adds `match`, `explain` and `policy` to `app`; see ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const MatchClient& Client();

  int FindPartners();
  int ExplainMatch();
  int GetPolicy();
  int SetPolicy();
  int SuggestPolicy();
  // Prints a policy as JSON or a table; returns exit status 0.
  int PrintPolicy(const socio::v1::MatchPolicy& policy);

  const GlobalOptions& global_;
  std::unique_ptr<MatchClient> client_;

  // Arguments of the commands.
  std::string member_id_;
  std::string other_id_;
  std::string chamber_id_;
  int k_ = 20;
  std::vector<std::string> countries_;
  std::vector<std::string> regions_;
  std::vector<std::string> sectors_;
  std::vector<std::string> types_;
  std::vector<std::string> languages_;
  int min_employees_ = 0;
  int max_employees_ = 0;
  std::vector<std::string> exclude_ids_;
  bool exclude_own_chamber_ = false;
  bool include_declined_ = false;
  std::vector<std::string> weights_;
  bool explain_ = false;
  int64_t expected_version_ = 0;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_MATCH_COMMANDS_H_
