// `socio partnerships ...`: partnerships with shared goals between two
// companies (or two chambers), their goals, milestones and reviews.
//
//   socio partnerships create (--member ID --with ID | --chamber ID --with-chamber ID)
//                             [--title TEXT] [--goal SPEC]... [--milestone SPEC]...
//                             [--every-weeks N] [--from-request ID]
//                             [--from-delegation ID [--meeting UID]] [--from-match]
//                             [--request-id ID]
//   socio partnerships list [--member ID | --chamber ID] [--status exploring,active,...]
//   socio partnerships show ID
//   socio partnerships update ID [--status S] [--reason TEXT] [--title TEXT]
//                             [--goal SPEC]... [--milestone SPEC]... [--done N]...
//                             [--every-weeks N] [--expected-version N]
//   socio partnerships review ID --value INDICATOR=VALUE... --judgement J
//                             [--goal INDICATOR=J]... [--note TEXT] [--expected-version N]
//
// A goal is "TITLE|INDICATOR|UNIT|BASELINE|TARGET|DUE" ("Sell in Chile|Units
// sold|units|0|500|2027-12-31"); a milestone "TITLE|DUE". On update, --goal
// and --milestone replace all goals or milestones; --done N marks the N-th
// milestone (numbered from 1 as `show` prints them) reached now. A status is
// exploring, active, paused or ended (ended needs --reason); a judgement
// on-track, at-risk or off-track. A review's --judgement is how the
// partnership goes as a whole; --goal gives one goal's own judgement, named
// by its indicator (which needs a --value).
//
// update and review send the version they read (unless --expected-version
// gives one) when they read the partnership first (--done), and otherwise
// the one given, so a change in between is ABORTED rather than overwritten.
//
// Lists read every page. Every command prints tables for people, or one
// line of JSON with --json (the response message; lists: every page's items
// in one response). Errors go to stderr as "socio: CODE: message" with exit
// status 1, whether the server or this program found them.
#ifndef SOCIO_CLIENTS_PARTNERSHIP_COMMANDS_H_
#define SOCIO_CLIENTS_PARTNERSHIP_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/connection.h"
#include "clients/partnership_client.h"

namespace socio::clients {

class PartnershipCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit PartnershipCommands(const GlobalOptions& global);
  ~PartnershipCommands();

  // Adds `partnerships` and its subcommands to `app`; see
  // ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const PartnershipClient& Client();

  int Create();
  int List();
  int Show();
  int Update();
  int Review();

  const GlobalOptions& global_;
  std::unique_ptr<PartnershipClient> client_;

  // Arguments of the subcommands.
  std::string id_;
  std::string member_id_;
  std::string with_;
  std::string chamber_id_;
  std::string with_chamber_;
  std::string title_;
  std::vector<std::string> goals_;
  std::vector<std::string> milestones_;
  std::vector<int> done_;
  int every_weeks_ = 0;  // 0: not given
  std::string from_request_;
  std::string from_delegation_;
  std::string meeting_uid_;
  bool from_match_ = false;
  std::string request_id_;
  std::vector<std::string> statuses_;
  std::string status_;
  std::string reason_;
  std::vector<std::string> values_;
  std::string judgement_;
  std::vector<std::string> goal_judgements_;  // INDICATOR=JUDGEMENT
  std::string note_;
  int64_t expected_version_ = 0;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_PARTNERSHIP_COMMANDS_H_
