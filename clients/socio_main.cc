// socio: the command line for chamber staff and scripts.
//
//   socio [--server HOST:PORT] [--json] profiles create|get|list|update|delete|import|watch
//   socio [--server HOST:PORT] [--json] match MEMBER_ID | explain A_ID B_ID | policy get|set
//   socio [--server HOST:PORT] [--json] delegation
//         create|update|delete|list|show|plan|agenda|export|destinations
//   socio [--json] ref countries|sectors|culture
//
// The server comes from --server, else SOCIO_SERVER, else 127.0.0.1:50051.
#include <cstdlib>
#include <string>

#include "CLI/CLI.hpp"
#include "clients/delegation_commands.h"
#include "clients/match_commands.h"
#include "clients/profile_commands.h"
#include "clients/ref_commands.h"

int main(int argc, char** argv) {
  socio::clients::GlobalOptions global;
  const char* env_server = std::getenv("SOCIO_SERVER");
  global.server = env_server != nullptr && *env_server != '\0' ? env_server : "127.0.0.1:50051";

  CLI::App app{"socio: Socio's command line for chamber staff"};
  app.require_subcommand(1);
  app.add_option("--server", global.server, "sociod address host:port (env SOCIO_SERVER)")
      ->capture_default_str();
  app.add_flag("--json", global.json, "Print JSON for programs instead of tables");
  int exit_code = 0;
  socio::clients::ProfileCommands profiles(global);
  profiles.Register(app, &exit_code);
  socio::clients::MatchCommands match(global);
  match.Register(app, &exit_code);
  socio::clients::DelegationCommands delegation(global);
  delegation.Register(app, &exit_code);
  socio::clients::RefCommands ref(global);
  ref.Register(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
