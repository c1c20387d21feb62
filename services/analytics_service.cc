#include "services/analytics_service.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "analytics/typical.h"
#include "google/protobuf/util/time_util.h"
#include "reference/itinerary.h"
#include "reference/nace.h"
#include "services/access.h"
#include "services/call_scope.h"

namespace socio::services {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::GetAnalyticsRequest;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRequest;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

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

// Where each company is, read once per company.
class Places {
 public:
  explicit Places(const ProfileLookup* profiles) : profiles_(profiles) {}

  // The company's country and the NACE section of its first sector; unknown
  // parts empty (a profile deleted since).
  const analytics::Place& Of(const std::string& member_id) {
    auto [it, inserted] = places_.try_emplace(member_id);
    if (!inserted || member_id.empty()) return it->second;
    absl::StatusOr<socio::v1::Profile> profile = profiles_->GetProfile(member_id);
    if (!profile.ok()) return it->second;  // unknown: counted under "?"
    it->second.country = profile->country();
    if (profile->sectors_size() > 0) {
      std::optional<char> section = nace_.SectionOf(profile->sectors(0));
      if (section.has_value()) {
        it->second.section = std::string(1, *section);
      } else if (profile->sectors(0).size() == 1) {
        it->second.section = profile->sectors(0);  // a section itself
      }
    }
    return it->second;
  }

 private:
  const ProfileLookup* const profiles_;
  const reference::NaceCatalog nace_ = reference::NaceCatalog::BuiltIn();
  absl::flat_hash_map<std::string, analytics::Place> places_;
};

// How each goal of `p` stands by `latest` (its own judgement, else the
// review's), JUDGEMENT_UNSPECIFIED for each without a review.
std::vector<PartnershipReview::Judgement> GoalJudgements(
    const Partnership& p, const std::optional<PartnershipReview>& latest) {
  std::vector<PartnershipReview::Judgement> out;
  for (const socio::v1::SharedGoal& goal : p.goals()) {
    PartnershipReview::Judgement j = PartnershipReview::JUDGEMENT_UNSPECIFIED;
    if (latest.has_value()) {
      j = latest->judgement();
      for (const socio::v1::IndicatorReading& reading : latest->readings()) {
        if (reading.indicator() == goal.indicator().name() &&
            reading.judgement() != PartnershipReview::JUDGEMENT_UNSPECIFIED) {
          j = reading.judgement();
        }
      }
    }
    out.push_back(j);
  }
  return out;
}

}  // namespace

absl::StatusOr<analytics::Records> AnalyticsServiceImpl::ReadRecords(
    const std::string& chamber_id) const {
  analytics::Records records;
  Places places(parts_.profiles);

  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<MeetingRequest>, std::string>> page =
        parts_.engagement->ListRequests({.chamber_id = chamber_id},
                                        storage::EngagementStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const MeetingRequest& r : page->first) {
      records.requests.push_back({.create_time = TimeOf(r.create_time()),
                                  .state = r.state(),
                                  .delegation_id = r.delegation_id(),
                                  .sides = {places.Of(r.from_member_id()), places.Of(r.to_ref())}});
    }
    token = std::move(page->second);
  } while (!token.empty());

  do {
    absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> page =
        parts_.outcomes->List(storage::OutcomeStore::Scope::kChamber, chamber_id, nullptr,
                              storage::OutcomeStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const MeetingOutcome& m : page->first) {
      if (m.sides_size() != 2) continue;  // every meeting has two sides
      analytics::MeetingRecord& record = records.meetings.emplace_back();
      record.start_time = TimeOf(m.start_time());
      record.delegation_id = m.meeting().delegation_id();
      for (int i = 0; i < 2; ++i) {
        const socio::v1::SideOutcome& side = m.sides(i);
        analytics::MeetingSideRecord& out = record.sides[i];
        out.company = side.member_id();
        out.place = places.Of(side.member_id());
        if (side.has_feedback()) out.feedback = side.feedback();
        if (side.has_follow_up()) out.follow_up = side.follow_up();
        out.answer_time = TimeOf(side.update_time());
      }
    }
    token = std::move(page->second);
  } while (!token.empty());

  do {
    absl::StatusOr<std::pair<std::vector<Partnership>, std::string>> page =
        parts_.partnerships->List({.chamber_id = chamber_id},
                                  storage::PartnershipStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const Partnership& p : page->first) {
      std::optional<PartnershipReview> latest;
      if (p.review_count() > 0) {
        absl::StatusOr<std::pair<std::vector<PartnershipReview>, std::string>> reviews =
            parts_.partnerships->ListReviews(p.id(), 1, "");
        if (!reviews.ok()) return reviews.status();
        if (!reviews->first.empty()) latest = std::move(reviews->first.front());
      }
      analytics::PartnershipRecord record{.create_time = TimeOf(p.create_time()),
                                          .status = p.status(),
                                          .delegation_id = p.origin().source_delegation_id(),
                                          .goals = GoalJudgements(p, latest)};
      if (!storage::IsChamberPartnership(p)) {
        record.sides = {places.Of(p.first_member_id()), places.Of(p.second_member_id())};
      }
      records.partnerships.push_back(std::move(record));
    }
    token = std::move(page->second);
  } while (!token.empty());
  return records;
}

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

        absl::StatusOr<analytics::Records> records = ReadRecords(chamber_id);
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
