// `socio admin ...`: what operators do to a running sociod.
//
//   socio admin token issue --role admin|staff|member [--chamber C] [--profile ID] [--label L]
//   socio admin token revoke TOKEN_ID
//   socio admin token list
//   socio admin whoami
//   socio admin backup DIR          a consistent copy of the data, on the server's machine
//   socio admin stats
//
// Every command prints tables for people, or the response as proto JSON on
// one line with --json. `token issue` prints the new token on a line of its
// own (stdout) so a script can capture it; it is shown only this once.
#ifndef SOCIO_CLIENTS_ADMIN_COMMANDS_H_
#define SOCIO_CLIENTS_ADMIN_COMMANDS_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "clients/admin_client.h"
#include "clients/connection.h"

namespace socio::clients {

class AdminCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit AdminCommands(const GlobalOptions& global);
  ~AdminCommands();

  // Adds `admin` and its subcommands to `app`; see ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const AdminClient& Client();

  int Issue();
  int Revoke();
  int List();
  int WhoAmI();
  int Backup();
  int Stats();

  const GlobalOptions& global_;
  std::unique_ptr<AdminClient> client_;

  // Arguments of the commands.
  std::string role_;
  std::string chamber_id_;
  std::string profile_id_;
  std::string label_;
  std::string token_id_;
  std::string dir_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_ADMIN_COMMANDS_H_
