// `socio delegation briefing ...`: a delegation's cultural briefing
// (DelegationService.GetDelegationBriefing).
//
//   socio delegation briefing ID [--member MEMBER_ID] [--markdown]
//
// Prints the briefing as tables for people: the two countries, each day's
// time difference and shared working hours, the languages and who speaks
// them, the distance, the cultural dimensions where the operator supplied
// them and the staff's notes. --markdown prints the Markdown document exactly
// as the server wrote it (`> mx27-briefing.md` saves it); --json the response
// as one line of JSON. --member reads it as that company taking part sees it.
// Errors go to stderr as "socio: CODE: message" with exit status 1.
#ifndef SOCIO_CLIENTS_BRIEFING_COMMANDS_H_
#define SOCIO_CLIENTS_BRIEFING_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "clients/connection.h"
#include "clients/delegation_client.h"

namespace socio::clients {

// The tables `socio delegation briefing` prints for `briefing`.
void PrintBriefing(const socio::v1::Briefing& briefing, std::ostream& out);

class BriefingCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit BriefingCommands(const GlobalOptions& global);
  ~BriefingCommands();

  // Adds `briefing` under `delegation` (the `socio delegation` command).
  void Register(CLI::App& delegation, int* exit_code);

 private:
  int Briefing();

  const GlobalOptions& global_;
  std::unique_ptr<DelegationClient> client_;
  std::string id_;
  std::string member_id_;
  bool markdown_ = false;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_BRIEFING_COMMANDS_H_
