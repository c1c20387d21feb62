// `socio outcomes ...`: what came of a meeting, told by each of its two
// sides (a member, or its chamber's staff on its behalf), and followed up by
// the staff of both chambers.
//
//   socio outcomes record MEETING [--member ID] --attendance held|no-show|cancelled
//                         [--absent this-side|other-side|both-sides] [--rating 1-5]
//                         [--follow-up yes|maybe|no] [--note TEXT] [--expected-version N]
//   socio outcomes record MEETING [--member ID]
//                         --status no-further-contact|in-contact|negotiating|agreement-signed
//                         [--agreement distribution|supply|licensing|joint-venture|
//                                      research-cooperation|investment|other]
//                         [--value under-50k-eur|from-50k-to-250k-eur|from-250k-to-1m-eur|
//                                  from-1m-to-5m-eur|over-5m-eur]
//                         [--note TEXT] [--expected-version N]
//   socio outcomes show MEETING
//   socio outcomes list [--delegation ID | --member ID | --chamber ID]
//                       [--filter all|feedback-open|feedback-answered|follow-up-open|
//                                 follow-up-answered] [--page-size N]
//
// MEETING is a meeting request's id (an accepted request outside a
// delegation), or DELEGATION/UID for a meeting of a published delegation
// plan (its uid as the agenda gives it). `record` with --attendance records
// stage 1 (right after the meeting), with --status stage 2 (the follow-up,
// months later); recording again corrects the answer. --member names the
// side; a member's own token needs none.
//
// Lists read every page. Every command prints tables for people, or one line
// of JSON with --json. Errors go to stderr as "socio: CODE: message" with
// exit status 1.
#ifndef SOCIO_CLIENTS_OUTCOME_COMMANDS_H_
#define SOCIO_CLIENTS_OUTCOME_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "clients/connection.h"
#include "clients/outcome_client.h"

namespace socio::clients {

class OutcomeCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit OutcomeCommands(const GlobalOptions& global);
  ~OutcomeCommands();

  // Adds `outcomes` and its subcommands to `app`; see
  // ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

  // MEETING as a MeetingRef: "REQUEST_ID" or "DELEGATION_ID/MEETING_UID".
  static absl::StatusOr<socio::v1::MeetingRef> ParseMeeting(const std::string& text);

 private:
  const OutcomeClient& Client();
  int PrintResult(const socio::v1::MeetingOutcome& outcome);

  int Record();
  int Show();
  int List();

  const GlobalOptions& global_;
  std::unique_ptr<OutcomeClient> client_;

  // Arguments of the subcommands.
  std::string meeting_;
  std::string member_id_;
  std::string attendance_;
  std::string absent_;
  int rating_ = 0;
  std::string follow_up_;
  std::string status_;
  std::string agreement_;
  std::string value_;
  std::string note_;
  int64_t expected_version_ = 0;
  std::string delegation_id_;
  std::string chamber_id_;
  std::string filter_;
  int page_size_ = 0;  // 0: the server's default
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_OUTCOME_COMMANDS_H_
