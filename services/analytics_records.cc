#include "services/analytics_records.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "google/protobuf/util/time_util.h"
#include "reference/nace.h"

namespace socio::services {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRequest;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

const reference::NaceCatalog& BuiltInNace() {
  static const reference::NaceCatalog* const nace =
      new reference::NaceCatalog(reference::NaceCatalog::BuiltIn());
  return *nace;
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
  const reference::NaceCatalog& nace_ = BuiltInNace();
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

// The meeting requests of `chamber_id`'s members.
absl::Status AddRequests(const AnalyticsSources& sources, const std::string& chamber_id,
                         Places* places, analytics::Records* records) {
  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<MeetingRequest>, std::string>> page =
        sources.engagement->ListRequests({.chamber_id = chamber_id},
                                         storage::EngagementStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const MeetingRequest& r : page->first) {
      records->requests.push_back(
          {.create_time = TimeOf(r.create_time()),
           .state = r.state(),
           .delegation_id = r.delegation_id(),
           .sides = {places->Of(r.from_member_id()), places->Of(r.to_ref())}});
    }
    token = std::move(page->second);
  } while (!token.empty());
  return absl::OkStatus();
}

// The meetings OutcomeStore lists for `scope` and `id`.
absl::Status AddMeetings(const AnalyticsSources& sources, storage::OutcomeStore::Scope scope,
                         const std::string& id, Places* places, analytics::Records* records) {
  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> page =
        sources.outcomes->List(scope, id, nullptr, storage::OutcomeStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const MeetingOutcome& m : page->first) {
      if (m.sides_size() != 2) continue;  // every meeting has two sides
      analytics::MeetingRecord& record = records->meetings.emplace_back();
      record.start_time = TimeOf(m.start_time());
      record.delegation_id = m.meeting().delegation_id();
      for (int i = 0; i < 2; ++i) {
        const socio::v1::SideOutcome& side = m.sides(i);
        analytics::MeetingSideRecord& out = record.sides[i];
        out.company = side.member_id();
        out.place = places->Of(side.member_id());
        if (side.has_feedback()) out.feedback = side.feedback();
        if (side.has_follow_up()) out.follow_up = side.follow_up();
        out.answer_time = TimeOf(side.update_time());
      }
    }
    token = std::move(page->second);
  } while (!token.empty());
  return absl::OkStatus();
}

// The partnerships of `chamber_id`; with a `delegation_id`, only those that
// came from it.
absl::Status AddPartnerships(const AnalyticsSources& sources, const std::string& chamber_id,
                             const std::string& delegation_id, Places* places,
                             analytics::Records* records) {
  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<Partnership>, std::string>> page =
        sources.partnerships->List({.chamber_id = chamber_id},
                                   storage::PartnershipStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const Partnership& p : page->first) {
      if (!delegation_id.empty() && p.origin().source_delegation_id() != delegation_id) continue;
      std::optional<PartnershipReview> latest;
      if (p.review_count() > 0) {
        absl::StatusOr<std::pair<std::vector<PartnershipReview>, std::string>> reviews =
            sources.partnerships->ListReviews(p.id(), 1, "");
        if (!reviews.ok()) return reviews.status();
        if (!reviews->first.empty()) latest = std::move(reviews->first.front());
      }
      analytics::PartnershipRecord record{.create_time = TimeOf(p.create_time()),
                                          .status = p.status(),
                                          .delegation_id = p.origin().source_delegation_id(),
                                          .goals = GoalJudgements(p, latest)};
      if (!storage::IsChamberPartnership(p)) {
        record.sides = {places->Of(p.first_member_id()), places->Of(p.second_member_id())};
      }
      records->partnerships.push_back(std::move(record));
    }
    token = std::move(page->second);
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<analytics::Records> ReadChamberRecords(const AnalyticsSources& sources,
                                                      const std::string& chamber_id) {
  analytics::Records records;
  Places places(sources.profiles);
  if (absl::Status s = AddRequests(sources, chamber_id, &places, &records); !s.ok()) return s;
  if (absl::Status s = AddMeetings(sources, storage::OutcomeStore::Scope::kChamber, chamber_id,
                                   &places, &records);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = AddPartnerships(sources, chamber_id, "", &places, &records); !s.ok()) {
    return s;
  }
  return records;
}

absl::StatusOr<analytics::Records> ReadDelegationRecords(const AnalyticsSources& sources,
                                                         const socio::v1::Delegation& delegation) {
  analytics::Records records;
  Places places(sources.profiles);
  if (absl::Status s = AddMeetings(sources, storage::OutcomeStore::Scope::kDelegation,
                                   delegation.id(), &places, &records);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          AddPartnerships(sources, delegation.chamber_id(), delegation.id(), &places, &records);
      !s.ok()) {
    return s;
  }
  return records;
}

}  // namespace socio::services
