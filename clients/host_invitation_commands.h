// `socio delegation invite|invitations|answer`: hosts invited to meet a
// delegation, and their answers (DelegationService.InviteHosts,
// ListHostInvitations, AnswerHostInvitation).
//
//   socio delegation invite ID [HOST_ID...] [--deadline TIME] [--request-id R]
//       invite the named hosts (none given: every named host not invited yet);
//       TIME is RFC 3339 ("2027-03-01T17:00:00Z") or a date (end of that day, UTC)
//   socio delegation invitations ID           a delegation's invitations and counts
//   socio delegation invitations --member M   a company's invitations, every delegation
//   socio delegation answer ID HOST_ID --accept|--decline [--note TEXT]
//
// Tables for people, or one line of JSON with --json: the response message.
// Errors go to stderr as "socio: CODE: message" with exit status 1.
#ifndef SOCIO_CLIENTS_HOST_INVITATION_COMMANDS_H_
#define SOCIO_CLIENTS_HOST_INVITATION_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/connection.h"
#include "clients/delegation_client.h"

namespace socio::clients {

class HostInvitationCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit HostInvitationCommands(const GlobalOptions& global);
  ~HostInvitationCommands();

  // Adds invite, invitations and answer to the `delegation` command
  // `delegation` (see DelegationCommands); see ProfileCommands::Register.
  void Register(CLI::App& delegation, int* exit_code);

 private:
  const DelegationClient& Client();

  int Invite();
  int List();
  int Answer();

  const GlobalOptions& global_;
  std::unique_ptr<DelegationClient> client_;

  // Arguments of the subcommands.
  std::string id_;
  std::string host_id_;
  std::vector<std::string> host_ids_;
  std::string deadline_;
  std::string request_id_;
  std::string member_id_;
  bool accept_ = false;
  bool decline_ = false;
  std::string note_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_HOST_INVITATION_COMMANDS_H_
