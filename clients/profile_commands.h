// `socio profiles ...`: the staff's command line for member profiles.
//
//   socio profiles create FILE|-          one profile as proto JSON
//   socio profiles get ID
//   socio profiles list [--chamber C] [--country XX] [--sector P] [--all]
//   socio profiles update ID [--file F] [--set path=value]... [--expected-version N]
//   socio profiles delete ID [--expected-version N]
//   socio profiles import FILE [--format jsonl|csv] [--upsert]
//   socio profiles watch [--after SEQ] [--limit N]
//
// A profile is written as proto JSON (create, --file) or field by field
// (--set), so every field of Profile is written the same way, `anonymous`
// too: `--set anonymous=true`. `get` prints the profile's handle and, for an
// anonymous profile, that it is shown to others by that handle.
//
// Every command prints a table for people, or JSON with --json. Errors go to
// stderr as "socio: CODE: message" with exit status 1; an import that stored
// everything exits 0, one with rejected lines exits 2.
#ifndef SOCIO_CLIENTS_PROFILE_COMMANDS_H_
#define SOCIO_CLIENTS_PROFILE_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/connection.h"
#include "clients/profile_client.h"

namespace socio::clients {

class ProfileCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit ProfileCommands(const GlobalOptions& global);
  ~ProfileCommands();

  // Adds `profiles` and its subcommands to `app`. The command the user picks
  // runs when `app` is parsed and leaves its exit status in `*exit_code`.
  // This object and `exit_code` must outlive the parse.
  void Register(CLI::App& app, int* exit_code);

 private:
  const ProfileClient& Client();
  // Prints one profile as JSON or a table; returns exit status 0.
  int PrintResult(const socio::v1::Profile& p);

  int Create();
  int Get();
  int List();
  int Update();
  int Delete();
  int Import();
  int Watch();

  const GlobalOptions& global_;
  std::unique_ptr<ProfileClient> client_;

  // Arguments of the subcommands.
  std::string file_;
  std::string id_;
  std::string chamber_;
  std::string country_;
  std::string sector_;
  std::string name_query_;
  std::string sort_;
  bool count_ = false;
  int page_size_ = 0;
  std::string page_token_;
  bool all_ = false;
  std::vector<std::string> sets_;
  int64_t expected_version_ = 0;
  std::string format_;
  bool upsert_ = false;
  std::string request_id_;
  uint64_t after_ = 0;
  int64_t limit_ = 0;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_PROFILE_COMMANDS_H_
