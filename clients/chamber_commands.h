// `socio chambers ...`: chambers' directory records and their partner
// chambers.
//
//   socio chambers create ID --name TEXT --country CC [--city TEXT]
//                         [--language CODE]... [--website URL]
//                         [--contact SPEC]... [--request-id ID]
//   socio chambers get ID
//   socio chambers list [--country CC]
//   socio chambers update ID [--name TEXT] [--country CC] [--city TEXT]
//                         [--language CODE]... [--website URL]
//                         [--contact SPEC]... [--clear-contacts]
//                         [--expected-version N]
//   socio chambers delete ID [--expected-version N]
//   socio chambers partners [list] [--chamber ID] [--state active,...]
//   socio chambers partners propose PARTNER [--chamber ID] [--note TEXT]
//                         [--request-id ID]
//   socio chambers partners accept PARTNER [--chamber ID] [--expected-version N]
//   socio chambers partners end PARTNER [--chamber ID] [--reason TEXT]
//                         [--expected-version N]
//
// A contact is "NAME|ROLE|EMAIL|PHONE" with the later parts optional
// ("Anna Huber|Head of international|anna.huber@ihk.example|+49 89 5116 0").
// update writes only the fields given (--language and --contact replace
// all languages or contacts; --clear-contacts removes them). The partner
// commands act for --chamber, by default the caller's own chamber (staff
// tokens; operators name it). A state is proposed, active or ended.
//
// Lists read every page. Every command prints tables for people, or one
// line of JSON with --json (the response message; lists: every page's items
// in one response). Errors go to stderr as "socio: CODE: message" with exit
// status 1, whether the server or this program found them.
#ifndef SOCIO_CLIENTS_CHAMBER_COMMANDS_H_
#define SOCIO_CLIENTS_CHAMBER_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients/chamber_client.h"
#include "clients/connection.h"

namespace socio::clients {

class ChamberCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit ChamberCommands(const GlobalOptions& global);
  ~ChamberCommands();

  // Adds `chambers` and its subcommands to `app`; see
  // ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  const ChamberClient& Client();

  int Create();
  int Get();
  int List();
  int Update();
  int Delete();
  int ListPartners();
  int Propose();
  int Accept();
  int End();
  // Prints one link (table or JSON).
  int PrintLink(const absl::StatusOr<socio::v1::ChamberPartner>& link);

  const GlobalOptions& global_;
  std::unique_ptr<ChamberClient> client_;

  // Arguments of the subcommands.
  std::string id_;
  std::string name_;
  std::string country_;
  std::string city_;
  std::vector<std::string> languages_;
  std::string website_;
  std::vector<std::string> contacts_;
  bool clear_contacts_ = false;
  std::string request_id_;
  int64_t expected_version_ = 0;
  std::string chamber_id_;
  std::string partner_id_;
  std::vector<std::string> states_;
  std::string note_;
  std::string reason_;
  CLI::App* partners_ = nullptr;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CHAMBER_COMMANDS_H_
