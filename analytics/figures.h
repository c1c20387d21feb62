// Analytics figures: what a chamber's requests, meetings and partnerships
// came to, counted as analytics.proto says, in total and by group. A pure
// library: it takes plain records (the service reads them from the stores)
// and returns figures; it names no company in what it returns.
//
//   analytics::Records records;
//   records.requests.push_back({.create_time = t, .state = MeetingRequest::ACCEPTED,
//                               .sides = {{"DE", "C"}, {"CL", "G"}}});
//   analytics::Query query{.group_by = GetAnalyticsRequest::MONTH};
//   analytics::Figures figures = analytics::Compute(records, query);
//   figures.total.requests_accepted();  // 1
//   figures.rows[0].key();              // "2027-04"
//
// Plain values; thread-safe.
#ifndef SOCIO_ANALYTICS_FIGURES_H_
#define SOCIO_ANALYTICS_FIGURES_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "socio/v1/analytics.pb.h"
#include "socio/v1/analytics_service.pb.h"
#include "socio/v1/engagement.pb.h"
#include "socio/v1/outcome.pb.h"
#include "socio/v1/partnership.pb.h"

namespace socio::analytics {

// Where a company is, as grouping sees it: "" when not known.
struct Place {
  std::string country;  // ISO 3166-1 alpha-2
  std::string section;  // NACE section letter of its first sector
};

// A meeting request: when it was made, its state now, its delegation ("" for
// none), the requester's and the receiver's places.
struct RequestRecord {
  absl::Time create_time;
  socio::v1::MeetingRequest::State state = socio::v1::MeetingRequest::STATE_UNSPECIFIED;
  std::string delegation_id;
  std::array<Place, 2> sides;
};

// One side of a meeting: its company (only to tell which meetings the same
// two companies had; never returned), place and answers.
struct MeetingSideRecord {
  std::string company;
  Place place;
  std::optional<socio::v1::MeetingFeedback> feedback;
  std::optional<socio::v1::FollowUpReport> follow_up;
  // When the side last answered (stage 1 or 2).
  absl::Time answer_time;
};

// A meeting: its start, its delegation ("" for a standalone request), its
// two sides.
struct MeetingRecord {
  absl::Time start_time;
  std::string delegation_id;
  std::array<MeetingSideRecord, 2> sides;
};

// A partnership: when it was created, its status now, the delegation it came
// from ("" for none), its parties' places (unknown for a chamber
// partnership), and how each of its goals stands by the latest review.
struct PartnershipRecord {
  absl::Time create_time;
  socio::v1::Partnership::Status status = socio::v1::Partnership::STATUS_UNSPECIFIED;
  std::string delegation_id;
  std::array<Place, 2> sides;
  // One per goal: the goal's judgement at the latest review (its own, else
  // the review's), JUDGEMENT_UNSPECIFIED when never reviewed.
  std::vector<socio::v1::PartnershipReview::Judgement> goals;
};

// What the service read for one chamber.
struct Records {
  std::vector<RequestRecord> requests;
  std::vector<MeetingRecord> meetings;
  std::vector<PartnershipRecord> partnerships;
};

// Which records count and how they are grouped.
struct Query {
  // The period [from, to): requests by create_time, meetings by start_time,
  // partnerships by create_time. Default: all time.
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  // Only records of this delegation; "" for all.
  std::string delegation_id;
  socio::v1::GetAnalyticsRequest::GroupBy group_by = socio::v1::GetAnalyticsRequest::TOTAL;
};

struct Figures {
  socio::v1::AnalyticsFigures total;
  // One per group with anything in it, in key order; empty for TOTAL.
  std::vector<socio::v1::AnalyticsRow> rows;
};

// The figures of `records` that `query` selects, as analytics.proto defines
// them, the standings judged against typical.h.
Figures Compute(const Records& records, const Query& query);

// The grouping `name` names: a GetAnalyticsRequest.GroupBy name in any case,
// "-" for "_" ("country-pair"); nullopt for anything else.
std::optional<socio::v1::GetAnalyticsRequest::GroupBy> GroupByNamed(absl::string_view name);

// The key of the group "(none)" for records outside a delegation, and of a
// side not known in a pair ("?").
inline constexpr char kNoDelegation[] = "(none)";
inline constexpr char kUnknown[] = "?";

}  // namespace socio::analytics

#endif  // SOCIO_ANALYTICS_FIGURES_H_
