// `socio interest ...` and `socio requests ...`: what a member (or its
// chamber's staff on its behalf) does with a match: mark the partner, ask it
// for a meeting, answer the requests it receives.
//
//   socio interest set MEMBER PARTNER interested|must-meet|not-interested|clear
//   socio interest list [--member ID] [--mutual]
//   socio requests send --from ID --to ID [--message TEXT] [--window START/END]...
//                       [--delegation ID] [--request-id ID]
//   socio requests list [--member ID] [--sent|--received] [--state pending,accepted,...]
//   socio requests show ID
//   socio requests accept ID [--window N] [--expected-version N]
//   socio requests decline ID [--reason TEXT] [--expected-version N]
//   socio requests withdraw ID [--reason TEXT] [--expected-version N]
//   socio requests cancel ID [--reason TEXT] [--expected-version N]
//   socio reveals list PROFILE_ID [--page-size N]
//
// A window is START/END in ISO 8601 with a UTC offset or Z, with or without
// seconds: 2027-03-02T10:00Z/2027-03-02T10:30Z or
// 2027-03-02T11:00+01:00/2027-03-02T11:30+01:00. Windows are numbered from 1
// as `requests show` prints them; `accept --window N` picks one (default 1).
//
// withdraw and cancel both end a request with CancelMeetingRequest: withdraw
// takes back a PENDING request the member sent; cancel calls off an ACCEPTED
// meeting, from either side. Each first reads the request and refuses
// (FAILED_PRECONDITION, naming the state and the other command) when it is
// not in the state its name says, then sends the version it read (unless
// --expected-version gives one), so a change in between is ABORTED rather
// than acted on blindly.
//
// `reveals list` names the companies an anonymous profile (or any profile)
// was shown to in full, why (a mutual interest or an accepted meeting
// request) and when; for the profile itself, its chamber's staff and
// operators.
//
// Lists read every page (`--page-size` sets how many items each call
// asks for). Every command prints tables for people, or one line
// of JSON with --json (the response message; lists: every page's items in
// one response). Errors go to stderr as "socio: CODE: message" with exit
// status 1, whether the server or this program found them.
#ifndef SOCIO_CLIENTS_ENGAGEMENT_COMMANDS_H_
#define SOCIO_CLIENTS_ENGAGEMENT_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/connection.h"
#include "clients/engagement_client.h"

namespace socio::clients {

class EngagementCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit EngagementCommands(const GlobalOptions& global);
  ~EngagementCommands();

  // Adds `interest`, `requests` and `reveals` and their subcommands to `app`; see
  // ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const EngagementClient& Client();
  // Prints a request as JSON or a table; returns exit status 0.
  int PrintResult(const socio::v1::MeetingRequest& request);

  int SetInterest();
  int ListInterests();
  int Send();
  int ListRequests();
  int Show();
  int Answer(bool accept);
  // withdraw (`pending` true) or cancel.
  int Cancel(bool pending);
  int ListReveals();

  const GlobalOptions& global_;
  std::unique_ptr<EngagementClient> client_;

  // Arguments of the subcommands.
  std::string member_id_;
  std::string partner_ref_;
  std::string mark_;
  bool mutual_ = false;
  std::string from_;
  std::string to_;
  std::string message_;
  std::vector<std::string> windows_;
  std::string delegation_id_;
  std::string request_id_;
  bool sent_ = false;
  bool received_ = false;
  std::vector<std::string> states_;
  std::string id_;
  int window_ = 0;  // 0: not given
  std::string reason_;
  int64_t expected_version_ = 0;
  std::string profile_id_;
  int page_size_ = 0;  // 0: the server's default
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_ENGAGEMENT_COMMANDS_H_
