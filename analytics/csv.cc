#include "analytics/csv.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace socio::analytics {
namespace {

using socio::v1::AnalyticsFigures;
using socio::v1::FollowUpReport;

std::string Quoted(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  return absl::StrCat("\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\"");
}

Column Count(std::string name, int64_t (AnalyticsFigures::*get)() const) {
  return {std::move(name), [get](const AnalyticsFigures& f) { return absl::StrCat((f.*get)()); }};
}

Column Rate(std::string name, bool (AnalyticsFigures::*has)() const,
            double (AnalyticsFigures::*get)() const, int decimals) {
  return {std::move(name), [has, get, decimals](const AnalyticsFigures& f) {
            return (f.*has)() ? absl::StrFormat("%.*f", decimals, (f.*get)()) : std::string();
          }};
}

Column Standing(std::string name, socio::v1::Standing (AnalyticsFigures::*get)() const) {
  return {std::move(name), [get](const AnalyticsFigures& f) {
            const socio::v1::Standing s = (f.*get)();
            return s == socio::v1::STANDING_UNSPECIFIED
                       ? std::string()
                       : absl::AsciiStrToLower(socio::v1::Standing_Name(s));
          }};
}

std::vector<Column> MakeColumns() {
  using F = AnalyticsFigures;
  std::vector<Column> columns = {
      Count("requests_sent", &F::requests_sent),
      Count("requests_accepted", &F::requests_accepted),
      Count("requests_declined", &F::requests_declined),
      Count("requests_expired", &F::requests_expired),
      Rate("acceptance_rate", &F::has_acceptance_rate, &F::acceptance_rate, 4),
      Standing("acceptance_standing", &F::acceptance_standing),
      Count("meetings_planned", &F::meetings_planned),
      Count("meetings_reported", &F::meetings_reported),
      Count("meetings_held", &F::meetings_held),
      Count("meetings_no_show", &F::meetings_no_show),
      Count("meetings_cancelled", &F::meetings_cancelled),
      Rate("held_rate", &F::has_held_rate, &F::held_rate, 4),
      Rate("no_show_rate", &F::has_no_show_rate, &F::no_show_rate, 4),
      Standing("held_standing", &F::held_standing),
      Rate("average_rating", &F::has_average_rating, &F::average_rating, 2),
      Count("ratings", &F::ratings),
      Count("follow_up_yes", &F::follow_up_yes),
      Count("follow_up_maybe", &F::follow_up_maybe),
      Count("follow_up_no", &F::follow_up_no),
      Count("agreements_signed", &F::agreements_signed),
  };
  const google::protobuf::EnumDescriptor* types = FollowUpReport::AgreementType_descriptor();
  for (int i = 0; i < types->value_count(); ++i) {
    const int type = types->value(i)->number();
    if (type == FollowUpReport::AGREEMENT_TYPE_UNSPECIFIED) continue;
    columns.push_back({absl::StrCat("agreements_", absl::AsciiStrToLower(types->value(i)->name())),
                       [type](const F& f) {
                         int64_t n = 0;
                         for (const socio::v1::AgreementCount& c : f.agreements_by_type()) {
                           if (c.type() == type) n += c.count();
                         }
                         return absl::StrCat(n);
                       }});
  }
  for (Column c : {
           Rate("median_days_to_agreement", &F::has_median_days_to_agreement,
                &F::median_days_to_agreement, 1),
           Count("partnerships", &F::partnerships),
           Count("partnerships_active", &F::partnerships_active),
           Count("goals_on_track", &F::goals_on_track),
           Count("goals_at_risk", &F::goals_at_risk),
           Count("goals_off_track", &F::goals_off_track),
           Count("goals_not_reviewed", &F::goals_not_reviewed),
       }) {
    columns.push_back(std::move(c));
  }
  return columns;
}

std::string Row(const std::string& key, const AnalyticsFigures& f) {
  std::vector<std::string> cells = {Quoted(key)};
  for (const Column& c : FigureColumns()) cells.push_back(Quoted(c.cell(f)));
  return absl::StrCat(absl::StrJoin(cells, ","), "\r\n");
}

}  // namespace

const std::vector<Column>& FigureColumns() {
  static const std::vector<Column>* const columns = new std::vector<Column>(MakeColumns());
  return *columns;
}

std::string AnalyticsCsv(const socio::v1::GetAnalyticsResponse& response) {
  std::vector<std::string> header = {"group"};
  for (const Column& c : FigureColumns()) header.push_back(c.name);
  std::string out = absl::StrCat(absl::StrJoin(header, ","), "\r\n");
  for (const socio::v1::AnalyticsRow& row : response.rows()) {
    absl::StrAppend(&out, Row(row.key(), row.figures()));
  }
  absl::StrAppend(&out, Row(kTotalKey, response.total()));
  return out;
}

}  // namespace socio::analytics
