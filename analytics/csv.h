// The CSV form of an analytics answer, written once for the CLI
// (`socio analytics --csv`) and the gateway (GET /api/v1/analytics?format=csv).
//
//   std::string csv = analytics::AnalyticsCsv(response);
//
// RFC 4180: a header row, then one row per group in the answer's order and a
// last row "(total)"; CRLF line ends; cells quoted where they hold a comma,
// a quote or a line end. Counts as integers, rates as fractions with four
// decimals, an empty cell for a rate that is absent. Figures only: a row
// names its group, never a company.
//
// Plain functions; thread-safe.
#ifndef SOCIO_ANALYTICS_CSV_H_
#define SOCIO_ANALYTICS_CSV_H_

#include <functional>
#include <string>
#include <vector>

#include "socio/v1/analytics.pb.h"
#include "socio/v1/analytics_service.pb.h"

namespace socio::analytics {

// The key of the total row.
inline constexpr char kTotalKey[] = "(total)";

// One column of the figures: its header and how a cell of it is written.
struct Column {
  std::string name;
  std::function<std::string(const socio::v1::AnalyticsFigures&)> cell;
};

// Every column after "group", in CSV order (agreements one column per type).
const std::vector<Column>& FigureColumns();

// The whole CSV document of `response`.
std::string AnalyticsCsv(const socio::v1::GetAnalyticsResponse& response);

}  // namespace socio::analytics

#endif  // SOCIO_ANALYTICS_CSV_H_
