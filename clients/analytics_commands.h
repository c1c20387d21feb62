// `socio analytics`: a chamber's figures (AnalyticsService.GetAnalytics).
//
//   socio analytics [--chamber C] [--delegation D] [--from DATE] [--to DATE]
//                   [--by month|delegation|country-pair|sector] [--csv]
//
// Staff get their own chamber without --chamber; operators name one. DATEs
// are YYYY-MM-DD, both included. Prints a table for people (one row per
// group and a total, then where the acceptance and held rates stand against
// the typical figures vendors publish), one line of JSON with the global
// --json (the response), or CSV with --csv (analytics/csv.h, as the
// gateway's format=csv). Errors go to stderr as "socio: CODE: message" with
// exit status 1.
#ifndef SOCIO_CLIENTS_ANALYTICS_COMMANDS_H_
#define SOCIO_CLIENTS_ANALYTICS_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "clients/analytics_client.h"
#include "clients/connection.h"

namespace socio::clients {

class AnalyticsCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit AnalyticsCommands(const GlobalOptions& global);
  ~AnalyticsCommands();

  // Adds `analytics` to `app`; see ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

  // The table for people of `response`.
  static void PrintAnalytics(const socio::v1::GetAnalyticsResponse& response, std::ostream& out);

 private:
  int Run();

  const GlobalOptions& global_;
  std::unique_ptr<AnalyticsClient> client_;

  std::string chamber_id_;
  std::string delegation_id_;
  std::string from_;
  std::string to_;
  std::string by_;
  bool csv_ = false;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_ANALYTICS_COMMANDS_H_
