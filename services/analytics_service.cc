#include "services/analytics_service.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "analytics/typical.h"
#include "reference/itinerary.h"
#include "services/access.h"
#include "services/analytics_records.h"
#include "services/call_scope.h"

namespace socio::services {
namespace {

using socio::v1::GetAnalyticsRequest;

// The start of the day `date` names (UTC), one day later with `next_day`;
// `open` when `date` is empty. INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::Time> DayStart(absl::string_view field, const std::string& date, bool next_day,
                                    absl::Time open) {
  if (date.empty()) return open;
  std::optional<absl::CivilDay> day = reference::ParseDate(date);
  if (!day.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", date, "' is not a date of the form YYYY-MM-DD"));
  }
  return absl::FromCivil(*day + (next_day ? 1 : 0), absl::UTCTimeZone());
}

}  // namespace

grpc::Status AnalyticsServiceImpl::GetAnalytics(grpc::ServerContext* context,
                                                const GetAnalyticsRequest* request,
                                                socio::v1::GetAnalyticsResponse* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        if (caller.role == socio::v1::MEMBER) {
          return absl::PermissionDeniedError(
              "GetAnalytics: members may not read analytics; a chamber's staff and operators do");
        }
        std::string chamber_id = request->chamber_id();
        if (chamber_id.empty() && caller.role == socio::v1::STAFF) chamber_id = caller.chamber_id;
        if (chamber_id.empty()) {
          return absl::InvalidArgumentError("chamber_id: is required: operators name the chamber");
        }
        if (absl::Status s = RequireChamber(caller, chamber_id, "chamber_id"); !s.ok()) return s;
        if (!GetAnalyticsRequest::GroupBy_IsValid(request->group_by())) {
          return absl::InvalidArgumentError(
              absl::StrCat("group_by: unknown value ", static_cast<int>(request->group_by())));
        }
        analytics::Query query{.delegation_id = request->delegation_id(),
                               .group_by = request->group_by()};
        absl::StatusOr<absl::Time> from =
            DayStart("from_date", request->from_date(), false, absl::InfinitePast());
        if (!from.ok()) return from.status();
        absl::StatusOr<absl::Time> to =
            DayStart("to_date", request->to_date(), true, absl::InfiniteFuture());
        if (!to.ok()) return to.status();
        if (*to <= *from) {
          return absl::InvalidArgumentError(absl::StrCat("to_date: '", request->to_date(),
                                                         "' is before from_date '",
                                                         request->from_date(), "'"));
        }
        query.from = *from;
        query.to = *to;

        absl::StatusOr<analytics::Records> records =
            ReadChamberRecords({.engagement = parts_.engagement,
                                .outcomes = parts_.outcomes,
                                .partnerships = parts_.partnerships,
                                .profiles = parts_.profiles},
                               chamber_id);
        if (!records.ok()) return records.status();
        analytics::Figures figures = analytics::Compute(*records, query);
        response->set_chamber_id(chamber_id);
        response->set_delegation_id(request->delegation_id());
        response->set_from_date(request->from_date());
        response->set_to_date(request->to_date());
        response->set_group_by(request->group_by());
        *response->mutable_total() = std::move(figures.total);
        for (socio::v1::AnalyticsRow& row : figures.rows) *response->add_rows() = std::move(row);
        *response->mutable_typical() = analytics::TypicalFiguresMessage();
        return absl::OkStatus();
      });
}

}  // namespace socio::services
