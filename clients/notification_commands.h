// `socio notifications ...` and `socio admin parked`: what members and staff
// are told, and how.
//
//   socio notifications watch [--recipient R] [--after SEQ] [--once]
//   socio notifications settings [--recipient R] [--email ADDRESS]... [--clear-email]
//                                [--webhook URL [--webhook-secret-file FILE]] [--clear-webhook]
//   socio admin parked
//
// watch prints one line per notification as it arrives: sequence, time, the
// kind in words and the summary ("12  2027-03-01 09:14:02 UTC  request
// received  Huber GmbH asks to meet you"); with --json one JSON object per
// line. It runs until interrupted: SIGINT or SIGTERM ends it with exit status
// 0 and prints on stderr the last sequence seen ("resume with --after 12").
// With --once it ends, likewise, once it has caught up: when the stream has
// been quiet for a second after the server answered, that is, after the
// server sent everything written before the call (it sends what it holds at
// once). A stream the server ends prints the error and the sequence to resume
// from, exit status 1.
//
// settings without a change prints the recipient's channels. A change reads
// them, changes what the options name and writes them whole (a change made
// by someone else in between is overwritten): --email replaces the list of
// addresses, --webhook the URL. The webhook's secret is read from a file
// (its first line), never from the command line; a webhook that has one
// keeps it unless --webhook-secret-file gives another.
//
// Recipients are a profile id or "staff:<chamber>"; the default is the
// token's own (the member's, or its chamber's staff).
#ifndef SOCIO_CLIENTS_NOTIFICATION_COMMANDS_H_
#define SOCIO_CLIENTS_NOTIFICATION_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "clients/connection.h"
#include "clients/engagement_client.h"

namespace socio::clients {

class NotificationCommands {
 public:
  // How long --once waits for the next notification before it counts the
  // stream as caught up.
  static constexpr absl::Duration kCaughtUpAfter = absl::Seconds(1);

  // `global` is not owned and must outlive this object.
  explicit NotificationCommands(const GlobalOptions& global);
  ~NotificationCommands();

  // Adds `notifications` and its subcommands to `app`, and `parked` to the
  // `admin` command `admin` (see AdminCommands); see ProfileCommands::Register.
  void Register(CLI::App& app, CLI::App& admin, int* exit_code);

 private:
  const NotificationClient& Client();

  int Watch();
  int Settings();
  int Parked();

  const GlobalOptions& global_;
  std::unique_ptr<NotificationClient> client_;

  // Arguments of the subcommands.
  std::string recipient_;
  uint64_t after_ = 0;
  bool once_ = false;
  std::vector<std::string> emails_;
  bool clear_email_ = false;
  std::string webhook_;
  std::string webhook_secret_file_;
  bool clear_webhook_ = false;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_NOTIFICATION_COMMANDS_H_
