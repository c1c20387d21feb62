// `socio exchanges ...`: exchanges between two chambers, a visit and its
// return visit linked, and the balance between the two chambers.
//
//   socio exchanges create ID --chamber C --partner P --visit DELEGATION
//                             [--return DELEGATION] [--name TEXT] [--notes TEXT]
//                             [--request-id ID]
//   socio exchanges get ID
//   socio exchanges list [--chamber C]
//   socio exchanges update ID [--return DELEGATION | --unlink-return] [--name TEXT]
//                             [--notes TEXT] [--expected-version N]
//   socio exchanges delete ID [--expected-version N]
//   socio exchanges balance ID
//
// The visit is a delegation of --chamber to the partner's country; the
// return visit, linked when it is created (often by the partner chamber's
// staff), a delegation of --partner back. update writes only what it is
// given. balance prints each visit's counts and each chamber's side in the
// words staff use ("Delegates we sent", "Companies we hosted").
//
// Lists read every page. Every command prints tables for people, or one
// line of JSON with --json (the response message; lists: every page's items
// in one response). Errors go to stderr as "socio: CODE: message" with exit
// status 1, whether the server or this program found them.
#ifndef SOCIO_CLIENTS_EXCHANGE_COMMANDS_H_
#define SOCIO_CLIENTS_EXCHANGE_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "clients/connection.h"
#include "clients/exchange_client.h"

namespace socio::clients {

class ExchangeCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit ExchangeCommands(const GlobalOptions& global);
  ~ExchangeCommands();

  // Adds `exchanges` and its subcommands to `app`; see
  // ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const ExchangeClient& Client();

  int Create();
  int Get();
  int List();
  int Update();
  int Delete();
  int Balance();

  const GlobalOptions& global_;
  std::unique_ptr<ExchangeClient> client_;

  // Arguments of the subcommands.
  std::string id_;
  std::string chamber_id_;
  std::string partner_chamber_id_;
  std::string visit_;
  std::string return_;
  bool unlink_return_ = false;
  std::string name_;
  std::string notes_;
  std::string request_id_;
  int64_t expected_version_ = 0;
  // Which of the options above were given (update writes only those).
  CLI::Option* return_option_ = nullptr;
  CLI::Option* name_option_ = nullptr;
  CLI::Option* notes_option_ = nullptr;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_EXCHANGE_COMMANDS_H_
