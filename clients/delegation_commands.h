// `socio delegation ...`: chamber staff's command line for delegation visits:
// the delegation itself, its plan, each company's agenda, and where to go.
//
//   socio delegation create FILE|-                one delegation as proto JSON
//   socio delegation update ID FILE|- [--mask FIELD,...] [--expected-version N]
//   socio delegation delete ID [--expected-version N]
//   socio delegation list [--chamber C]           every page
//   socio delegation show ID                      the delegation, its plan, the schedule
//   socio delegation plan ID [--fresh] [--expected-version N]
//   socio delegation publish ID [--side both|delegates|hosts] [--expected-version N]
//                                                tell the participants their meetings
//   socio delegation agenda ID MEMBER_ID [--format ics|csv]
//   socio delegation export ID --dir DIR          every company's .ics and the plan's .csv
//   socio delegation destinations MEMBER_ID... [--k N] [--exclude XX,...]
//   socio delegation briefing ID [--member M] [--markdown]  (briefing_commands.h)
//
// update writes the fields named by --mask (Delegation field names, proto or
// JSON spelling); without --mask, the fields the file has, less the output
// only ones (id, version, create/update time, plan). It never sends an empty
// mask, which would mean every field.
//
// agenda with --format prints the file exactly as the server sent it, so
// `> acme.ics` saves it. export writes, under the file names the server
// gives, one calendar per delegate and per host with a meeting, then the
// whole plan as CSV; it reports progress on stderr.
//
// Every command prints tables for people, or one line of JSON with --json:
// the response message (export: the files it wrote). Errors go to stderr as
// "socio: CODE: message" with exit status 1, whether the server or this
// program found them.
#ifndef SOCIO_CLIENTS_DELEGATION_COMMANDS_H_
#define SOCIO_CLIENTS_DELEGATION_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/delegation_client.h"
#include "clients/profile_commands.h"

namespace socio::clients {

class DelegationCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit DelegationCommands(const GlobalOptions& global);
  ~DelegationCommands();

  // Adds `delegation` and its subcommands to `app`; see ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const DelegationClient& Client();
  // Prints a delegation as JSON or a table; returns exit status 0.
  int PrintResult(const socio::v1::Delegation& delegation);

  int Create();
  int Update();
  int Delete();
  int List();
  int Show();
  int Plan();
  int Publish();
  int Agenda();
  int Export();
  int Destinations();

  const GlobalOptions& global_;
  std::unique_ptr<DelegationClient> client_;

  // Arguments of the subcommands.
  std::string id_;
  std::string file_;
  std::vector<std::string> mask_;
  int64_t expected_version_ = 0;
  std::string chamber_;
  bool fresh_ = false;
  std::string request_id_;
  std::string member_id_;
  std::string format_;
  std::string side_;  // publish --side
  std::string dir_;
  std::vector<std::string> member_ids_;
  int k_ = 10;
  std::vector<std::string> exclude_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_DELEGATION_COMMANDS_H_
