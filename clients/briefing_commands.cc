#include "clients/briefing_commands.h"

#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli_output.h"
#include "clients/table.h"

namespace socio::clients {
namespace {

// "-7 h", "+5 h 30 min".
std::string Offset(int minutes) {
  const char* sign = minutes > 0 ? "+" : minutes < 0 ? "-" : "";
  const int m = std::abs(minutes);
  return m % 60 == 0 ? absl::StrCat(sign, m / 60, " h")
                     : absl::StrCat(sign, m / 60, " h ", m % 60, " min");
}

std::string Share(bool official, double share) {
  std::vector<std::string> parts;
  if (official) parts.push_back("official");
  if (share > 0) parts.push_back(absl::StrFormat("%.0f%%", 100 * share));
  return absl::StrJoin(parts, ", ");
}

}  // namespace

void PrintBriefing(const socio::v1::Briefing& b, std::ostream& out) {
  out << b.delegation_name() << " (" << b.delegation_id() << "): " << b.origin().name() << " → "
      << b.host().name() << ", " << b.delegates() << " delegates, " << b.hosts() << " hosts\n\n";
  Table countries({"", b.origin().code(), b.host().code()}, 60);
  countries.AddRow({"name", b.origin().name(), b.host().name()});
  countries.AddRow({"region", absl::StrCat(b.origin().region(), ", ", b.origin().subregion()),
                    absl::StrCat(b.host().region(), ", ", b.host().subregion())});
  countries.AddRow({"time zone", b.origin().time_zone(), b.host().time_zone()});
  countries.Print(out);
  if (!b.distance_to().empty()) {
    out << "\n"
        << absl::StrFormat("%.0f km from %s to %s\n", b.distance_km(), b.distance_from(),
                           b.distance_to());
  }

  out << "\n";
  Table days({"DATE", "CITY", "ZONE", "DIFFERENCE", "SHARED HOURS", "AT THE VENUE",
              absl::StrCat("IN ", b.origin().code())});
  for (const socio::v1::BriefingDay& d : b.days()) {
    const bool shared = d.overlap_minutes() > 0;
    days.AddRow(
        {d.date(), d.city(), d.venue_time_zone(), Offset(d.offset_minutes()),
         absl::StrCat(d.overlap_minutes(), " min"),
         shared ? absl::StrCat(d.venue_overlap_start(), "–", d.venue_overlap_end()) : "",
         shared ? absl::StrCat(d.origin_overlap_start(), "–", d.origin_overlap_end()) : ""});
  }
  days.Print(out);

  out << "\n";
  Table languages(
      {"LANGUAGE", b.origin().code(), b.host().code(), "SHARED", "DELEGATES", "HOSTS", "COMPANIES"},
      60);
  for (const socio::v1::BriefingLanguage& l : b.languages()) {
    std::vector<std::string> companies;
    for (const socio::v1::BriefingCompany& c : l.companies()) companies.push_back(c.name());
    languages.AddRow(
        {absl::StrCat(l.name(), " (", l.code(), ")"), Share(l.origin_official(), l.origin_share()),
         Share(l.host_official(), l.host_share()), l.shared() ? "yes" : "",
         absl::StrCat(l.delegates()), absl::StrCat(l.hosts()), absl::StrJoin(companies, ", ")});
  }
  languages.Print(out);

  if (!b.dimensions().empty()) {
    out << "\n";
    Table dimensions({"DIMENSION", b.origin().code(), b.host().code(), "NOTE"}, 100);
    const auto score = [](bool has, double value) {
      return has ? absl::StrFormat("%.0f", value) : std::string();
    };
    for (const socio::v1::BriefingDimension& d : b.dimensions()) {
      dimensions.AddRow({d.name(), score(d.has_origin_score(), d.origin_score()),
                         score(d.has_host_score(), d.host_score()), d.note()});
    }
    dimensions.Print(out);
    if (b.has_kogut_singh()) out << absl::StrFormat("Kogut-Singh distance %.2f\n", b.kogut_singh());
  }
  if (!b.staff_notes().empty()) out << "\nNotes from the staff:\n" << b.staff_notes() << "\n";
}

BriefingCommands::BriefingCommands(const GlobalOptions& global) : global_(global) {}
BriefingCommands::~BriefingCommands() = default;

void BriefingCommands::Register(CLI::App& delegation, int* exit_code) {
  CLI::App* briefing = delegation.add_subcommand(
      "briefing", "The delegation's cultural briefing: clocks, languages, distance, culture");
  briefing->add_option("id", id_, "Delegation id")->required();
  briefing->add_option("--member", member_id_,
                       "Read it as this company taking part sees it (no notes, no names)");
  briefing->add_flag("--markdown", markdown_, "Print the Markdown document as received");
  OnRun(briefing, exit_code, [this] { return Briefing(); });
}

int BriefingCommands::Briefing() {
  if (client_ == nullptr) client_ = std::make_unique<DelegationClient>(OpenChannel(global_));
  socio::v1::GetDelegationBriefingRequest request;
  request.set_delegation_id(id_);
  request.set_member_id(member_id_);
  absl::StatusOr<socio::v1::Briefing> briefing = client_->GetDelegationBriefing(request);
  if (!briefing.ok()) return Fail(briefing.status());
  if (global_.json) {
    std::cout << ToJson(*briefing) << "\n";
  } else if (markdown_) {
    std::cout << briefing->markdown() << std::flush;
  } else {
    PrintBriefing(*briefing, std::cout);
  }
  return 0;
}

}  // namespace socio::clients
