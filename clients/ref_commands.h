// `socio ref ...`: the reference data Socio validates and scores against, so
// staff can look up a code and see why two countries score as they do.
//
//   socio ref countries [--region M49]        every country, or one region's
//   socio ref sectors [PREFIX] [--all]        NACE sections, or what lies under PREFIX
//   socio ref culture A B                     every pair factor of two countries
//
// The data is read on this machine (Debian's CLDR and tzdata; the CSVs named
// with --nace_catalog and --hofstede_csv), not asked of the server.
#ifndef SOCIO_CLIENTS_REF_COMMANDS_H_
#define SOCIO_CLIENTS_REF_COMMANDS_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "clients/profile_commands.h"
#include "reference/reference_data.h"

namespace socio::clients {

class RefCommands {
 public:
  // `global` is not owned and must outlive this object.
  explicit RefCommands(const GlobalOptions& global) : global_(global) {}

  // Adds `ref` and its subcommands to `app`; see ProfileCommands::Register.
  void Register(CLI::App& app, int* exit_code);

 private:
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> Load() const;
  int Countries();
  int Sectors();
  int Culture();

  const GlobalOptions& global_;
  reference::ReferenceOptions options_;
  std::string region_;
  std::string prefix_;
  bool all_levels_ = false;
  std::string country_a_;
  std::string country_b_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_REF_COMMANDS_H_
