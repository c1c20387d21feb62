// socio: the command line for chamber staff and scripts.
//
//   socio [--server HOST:PORT] [--json] profiles create|get|list|update|delete|import|watch
//   socio [--server HOST:PORT] [--json] match MEMBER_ID | explain A_ID B_ID |
//         policy get|set|suggest
//   socio [--server HOST:PORT] [--json] delegation
//         create|update|delete|list|show|plan|agenda|export|destinations
//   socio [--server HOST:PORT] [--json] interest set|list
//   socio [--server HOST:PORT] [--json] requests
//         send|list|show|accept|decline|withdraw|cancel
//   socio [--server HOST:PORT] [--json] notifications watch|settings
//   socio [--server HOST:PORT] [--json] outcomes record|show|list
//   socio [--server HOST:PORT] [--json] partnerships create|list|show|update|review
//   socio [--server HOST:PORT] [--json] analytics [--by ...] [--csv]
//   socio [--server HOST:PORT] [--json] chambers create|get|list|update|delete|
//         partners [list|propose|accept|end]
//   socio [--json] ref countries|sectors|culture
//   socio [--server HOST:PORT] [--json] admin token|whoami|backup|stats|parked
//
// The server comes from --server, else SOCIO_SERVER, else 127.0.0.1:50051;
// the token from --token, SOCIO_TOKEN, --token_file or SOCIO_TOKEN_FILE.
#include <cstdlib>
#include <string>

#include "CLI/CLI.hpp"
#include "clients/admin_commands.h"
#include "clients/analytics_commands.h"
#include "clients/chamber_commands.h"
#include "clients/briefing_commands.h"
#include "clients/delegation_commands.h"
#include "clients/engagement_commands.h"
#include "clients/exchange_commands.h"
#include "clients/host_invitation_commands.h"
#include "clients/match_commands.h"
#include "clients/notification_commands.h"
#include "clients/outcome_commands.h"
#include "clients/partnership_commands.h"
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
  app.add_option("--token", global.token, "Bearer token for the server")
      ->envname("SOCIO_TOKEN");
  app.add_option("--token_file", global.token_file, "File whose first line is the token")
      ->envname("SOCIO_TOKEN_FILE");
  app.add_option("--tls_ca", global.tls_ca,
                 "Speak TLS; PEM CA certificates the server's certificate must chain to")
      ->envname("SOCIO_TLS_CA");
  app.add_option("--tls_cert", global.tls_cert, "Mutual TLS: this client's PEM certificate")
      ->envname("SOCIO_TLS_CERT");
  app.add_option("--tls_key", global.tls_key, "Mutual TLS: the PEM key of --tls_cert")
      ->envname("SOCIO_TLS_KEY");
  int exit_code = 0;
  socio::clients::ProfileCommands profiles(global);
  profiles.Register(app, &exit_code);
  socio::clients::MatchCommands match(global);
  match.Register(app, &exit_code);
  socio::clients::DelegationCommands delegation(global);
  delegation.Register(app, &exit_code);
  socio::clients::HostInvitationCommands invitations(global);
  invitations.Register(*app.get_subcommand("delegation"), &exit_code);
  socio::clients::BriefingCommands briefing(global);
  briefing.Register(*app.get_subcommand("delegation"), &exit_code);
  socio::clients::EngagementCommands engagement(global);
  engagement.Register(app, &exit_code);
  socio::clients::OutcomeCommands outcomes(global);
  outcomes.Register(app, &exit_code);
  socio::clients::PartnershipCommands partnerships(global);
  partnerships.Register(app, &exit_code);
  socio::clients::AnalyticsCommands analytics(global);
  analytics.Register(app, &exit_code);
  socio::clients::ExchangeCommands exchanges(global);
  exchanges.Register(app, &exit_code);
  socio::clients::ChamberCommands chambers(global);
  chambers.Register(app, &exit_code);
  socio::clients::AdminCommands admin(global);
  admin.Register(app, &exit_code);
  socio::clients::NotificationCommands notifications(global);
  notifications.Register(app, *app.get_subcommand("admin"), &exit_code);
  socio::clients::RefCommands ref(global);
  ref.Register(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
