#include "clients/analytics_commands.h"

#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analytics/csv.h"
#include "analytics/figures.h"
#include "clients/cli_output.h"
#include "clients/table.h"

namespace socio::clients {
namespace {

using socio::v1::AnalyticsFigures;

std::string Percent(bool has, double rate) {
  return has ? absl::StrFormat("%.1f %%", rate * 100) : "-";
}

std::string StandingWords(socio::v1::Standing standing) {
  switch (standing) {
    case socio::v1::BELOW_TYPICAL:
      return "below typical";
    case socio::v1::WITHIN_TYPICAL:
      return "within typical";
    case socio::v1::ABOVE_TYPICAL:
      return "above typical";
    default:
      return "no figures yet";
  }
}

std::vector<std::string> Cells(const std::string& group, const AnalyticsFigures& f) {
  return {
      group,
      absl::StrCat(f.requests_sent()),
      absl::StrCat(f.requests_accepted(), "/", f.requests_declined(), "/", f.requests_expired()),
      Percent(f.has_acceptance_rate(), f.acceptance_rate()),
      absl::StrCat(f.meetings_planned()),
      absl::StrCat(f.meetings_held(), "/", f.meetings_no_show(), "/", f.meetings_cancelled()),
      Percent(f.has_held_rate(), f.held_rate()),
      f.has_average_rating() ? absl::StrFormat("%.1f (%d)", f.average_rating(), f.ratings()) : "-",
      absl::StrCat(f.follow_up_yes(), "/", f.follow_up_maybe(), "/", f.follow_up_no()),
      absl::StrCat(f.agreements_signed()),
      f.has_median_days_to_agreement() ? absl::StrFormat("%.0f", f.median_days_to_agreement())
                                       : "-",
      absl::StrCat(f.partnerships_active(), "/", f.partnerships()),
      absl::StrCat(f.goals_on_track(), "/", f.goals_at_risk(), "/", f.goals_off_track())};
}

void Standing(const char* what, bool has, double rate, socio::v1::Standing standing,
              const socio::v1::TypicalRange& typical, std::ostream& out) {
  out << what << ": " << Percent(has, rate) << ", " << StandingWords(standing) << " ("
      << absl::StrFormat("%.0f-%.0f %%", typical.low() * 100, typical.high() * 100) << ": "
      << typical.source() << ")\n";
}

}  // namespace

AnalyticsCommands::AnalyticsCommands(const GlobalOptions& global) : global_(global) {}
AnalyticsCommands::~AnalyticsCommands() = default;

void AnalyticsCommands::PrintAnalytics(const socio::v1::GetAnalyticsResponse& response,
                                       std::ostream& out) {
  Table table({"GROUP", "REQUESTS", "ACC/DECL/EXP", "ACCEPTED", "MEETINGS", "HELD/NOSHOW/CANC",
               "HELD", "RATING", "FOLLOW-UP Y/M/N", "AGREEMENTS", "DAYS TO AGR.",
               "PARTNERSHIPS ACT/ALL", "GOALS ON/RISK/OFF"});
  for (const socio::v1::AnalyticsRow& row : response.rows()) {
    table.AddRow(Cells(row.key(), row.figures()));
  }
  table.AddRow(Cells(analytics::kTotalKey, response.total()));
  table.Print(out);
  const AnalyticsFigures& t = response.total();
  if (t.agreements_by_type_size() > 0) {
    out << "Agreements by type:";
    for (const socio::v1::AgreementCount& c : t.agreements_by_type()) {
      out << " " << absl::AsciiStrToLower(socio::v1::FollowUpReport::AgreementType_Name(c.type()))
          << " " << c.count();
    }
    out << "\n";
  }
  Standing("Requests accepted", t.has_acceptance_rate(), t.acceptance_rate(),
           t.acceptance_standing(), response.typical().acceptance_rate(), out);
  Standing("Meetings held", t.has_held_rate(), t.held_rate(), t.held_standing(),
           response.typical().held_rate(), out);
}

void AnalyticsCommands::Register(CLI::App& app, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "analytics", "A chamber's figures: requests, meetings, ratings, agreements, partnerships");
  command->add_option("--chamber", chamber_id_, "The chamber (staff: their own by default)");
  command->add_option("--delegation", delegation_id_, "Only this delegation's figures");
  command->add_option("--from", from_, "First day of the period, YYYY-MM-DD");
  command->add_option("--to", to_, "Last day of the period, YYYY-MM-DD");
  command->add_option("--by", by_, "Rows by month, delegation, country-pair or sector");
  command->add_flag("--csv", csv_, "Print CSV (a header row, one row per group, the total)");
  OnRun(command, exit_code, [this] { return Run(); });
}

int AnalyticsCommands::Run() {
  socio::v1::GetAnalyticsRequest request;
  request.set_chamber_id(chamber_id_);
  request.set_delegation_id(delegation_id_);
  request.set_from_date(from_);
  request.set_to_date(to_);
  if (!by_.empty()) {
    std::optional<socio::v1::GetAnalyticsRequest::GroupBy> by = analytics::GroupByNamed(by_);
    if (!by.has_value()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--by: '", by_, "' is not month, delegation, country-pair, sector or total")));
    }
    request.set_group_by(*by);
  }
  if (client_ == nullptr) client_ = std::make_unique<AnalyticsClient>(OpenChannel(global_));
  absl::StatusOr<socio::v1::GetAnalyticsResponse> response = client_->GetAnalytics(request);
  if (!response.ok()) return Fail(response.status());
  if (csv_) {
    std::cout << analytics::AnalyticsCsv(*response);
  } else if (global_.json) {
    std::cout << ToJson(*response) << "\n";
  } else {
    PrintAnalytics(*response, std::cout);
  }
  return 0;
}

}  // namespace socio::clients
