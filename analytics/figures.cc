#include "analytics/figures.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "analytics/typical.h"

namespace socio::analytics {
namespace {

using socio::v1::AnalyticsFigures;
using socio::v1::FollowUpReport;
using socio::v1::GetAnalyticsRequest;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingRequest;
using socio::v1::Partnership;
using socio::v1::PartnershipReview;

// The counts of one group, before its rates are worked out.
struct Tally {
  AnalyticsFigures figures;
  double rating_sum = 0;
  std::map<int, int64_t> agreements;  // by FollowUpReport.AgreementType
  std::vector<double> days_to_agreement;
};

std::string PairKey(absl::string_view a, absl::string_view b) {
  std::string first(a.empty() ? kUnknown : a), second(b.empty() ? kUnknown : b);
  if (second < first) std::swap(first, second);
  return absl::StrCat(first, "-", second);
}

// The group a record of `time`, `delegation_id` and `places` belongs to.
std::string KeyOf(GetAnalyticsRequest::GroupBy group_by, absl::Time time,
                  const std::string& delegation_id, const Place& a, const Place& b) {
  switch (group_by) {
    case GetAnalyticsRequest::DELEGATION:
      return delegation_id.empty() ? kNoDelegation : delegation_id;
    case GetAnalyticsRequest::MONTH:
      return absl::FormatTime("%Y-%m", time, absl::UTCTimeZone());
    case GetAnalyticsRequest::COUNTRY_PAIR:
      return PairKey(a.country, b.country);
    case GetAnalyticsRequest::SECTOR:
      return PairKey(a.section, b.section);
    default:
      return "";
  }
}

bool Selected(const Query& query, absl::Time time, const std::string& delegation_id) {
  return time >= query.from && time < query.to &&
         (query.delegation_id.empty() || query.delegation_id == delegation_id);
}

void CountRequest(const RequestRecord& r, AnalyticsFigures* f) {
  f->set_requests_sent(f->requests_sent() + 1);
  switch (r.state) {
    case MeetingRequest::ACCEPTED:
    case MeetingRequest::CANCELLED:  // only an accepted request is cancelled
      f->set_requests_accepted(f->requests_accepted() + 1);
      break;
    case MeetingRequest::DECLINED:
      f->set_requests_declined(f->requests_declined() + 1);
      break;
    case MeetingRequest::EXPIRED:
      f->set_requests_expired(f->requests_expired() + 1);
      break;
    default:
      break;
  }
}

// The meeting's one attendance (analytics.proto): HELD when either side
// says so, else NO_SHOW, else CANCELLED; unspecified when neither answered.
MeetingFeedback::Attendance AttendanceOf(const MeetingRecord& m) {
  bool said[4] = {false, false, false, false};
  for (const MeetingSideRecord& side : m.sides) {
    if (!side.feedback.has_value()) continue;
    const int a = side.feedback->attendance();
    if (a > 0 && a < 4) said[a] = true;
  }
  for (MeetingFeedback::Attendance a :
       {MeetingFeedback::HELD, MeetingFeedback::NO_SHOW, MeetingFeedback::CANCELLED}) {
    if (said[a]) return a;
  }
  return MeetingFeedback::ATTENDANCE_UNSPECIFIED;
}

// The side that reported a signed agreement first; nullptr if none did.
const MeetingSideRecord* AgreementOf(const MeetingRecord& m) {
  const MeetingSideRecord* first = nullptr;
  for (const MeetingSideRecord& side : m.sides) {
    if (!side.follow_up.has_value() ||
        side.follow_up->status() != FollowUpReport::AGREEMENT_SIGNED) {
      continue;
    }
    if (first == nullptr || side.answer_time < first->answer_time) first = &side;
  }
  return first;
}

std::string CompanyPair(const MeetingRecord& m) {
  std::string a = m.sides[0].company, b = m.sides[1].company;
  if (b < a) std::swap(a, b);
  return absl::StrCat(a, "\n", b);
}

void CountMeeting(const MeetingRecord& m, absl::Time pair_first_start, Tally* t) {
  AnalyticsFigures* f = &t->figures;
  f->set_meetings_planned(f->meetings_planned() + 1);
  switch (AttendanceOf(m)) {
    case MeetingFeedback::HELD:
      f->set_meetings_held(f->meetings_held() + 1);
      break;
    case MeetingFeedback::NO_SHOW:
      f->set_meetings_no_show(f->meetings_no_show() + 1);
      break;
    case MeetingFeedback::CANCELLED:
      f->set_meetings_cancelled(f->meetings_cancelled() + 1);
      break;
    default:
      break;
  }
  for (const MeetingSideRecord& side : m.sides) {
    if (!side.feedback.has_value()) continue;
    const MeetingFeedback& fb = *side.feedback;
    if (fb.rating() >= 1 && fb.rating() <= 5) {
      f->set_ratings(f->ratings() + 1);
      t->rating_sum += fb.rating();
    }
    switch (fb.follow_up()) {
      case MeetingFeedback::YES:
        f->set_follow_up_yes(f->follow_up_yes() + 1);
        break;
      case MeetingFeedback::MAYBE:
        f->set_follow_up_maybe(f->follow_up_maybe() + 1);
        break;
      case MeetingFeedback::NO:
        f->set_follow_up_no(f->follow_up_no() + 1);
        break;
      default:
        break;
    }
  }
  if (const MeetingSideRecord* signed_by = AgreementOf(m); signed_by != nullptr) {
    f->set_agreements_signed(f->agreements_signed() + 1);
    ++t->agreements[signed_by->follow_up->agreement_type()];
    t->days_to_agreement.push_back(
        std::max(0.0, absl::ToDoubleHours(signed_by->answer_time - pair_first_start) / 24));
  }
}

void CountPartnership(const PartnershipRecord& p, AnalyticsFigures* f) {
  f->set_partnerships(f->partnerships() + 1);
  if (p.status == Partnership::ACTIVE) f->set_partnerships_active(f->partnerships_active() + 1);
  if (p.status == Partnership::ENDED) return;
  for (PartnershipReview::Judgement j : p.goals) {
    switch (j) {
      case PartnershipReview::ON_TRACK:
        f->set_goals_on_track(f->goals_on_track() + 1);
        break;
      case PartnershipReview::AT_RISK:
        f->set_goals_at_risk(f->goals_at_risk() + 1);
        break;
      case PartnershipReview::OFF_TRACK:
        f->set_goals_off_track(f->goals_off_track() + 1);
        break;
      default:
        f->set_goals_not_reviewed(f->goals_not_reviewed() + 1);
        break;
    }
  }
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The figures of `t` with their rates, standings, agreements by type and
// median.
AnalyticsFigures Finish(Tally t) {
  AnalyticsFigures f = std::move(t.figures);
  const int64_t answered = f.requests_accepted() + f.requests_declined() + f.requests_expired();
  if (answered > 0) {
    f.set_acceptance_rate(static_cast<double>(f.requests_accepted()) / answered);
    f.set_acceptance_standing(StandingOf(f.acceptance_rate(), kTypicalAcceptanceRate));
  }
  f.set_meetings_reported(f.meetings_held() + f.meetings_no_show() + f.meetings_cancelled());
  if (f.meetings_reported() > 0) {
    f.set_held_rate(static_cast<double>(f.meetings_held()) / f.meetings_reported());
    f.set_no_show_rate(static_cast<double>(f.meetings_no_show()) / f.meetings_reported());
    f.set_held_standing(StandingOf(f.held_rate(), kTypicalHeldRate));
  }
  if (f.ratings() > 0) f.set_average_rating(t.rating_sum / f.ratings());
  for (const auto& [type, count] : t.agreements) {
    socio::v1::AgreementCount* c = f.add_agreements_by_type();
    c->set_type(static_cast<FollowUpReport::AgreementType>(type));
    c->set_count(count);
  }
  if (!t.days_to_agreement.empty()) {
    f.set_median_days_to_agreement(Median(std::move(t.days_to_agreement)));
  }
  return f;
}

}  // namespace

std::optional<GetAnalyticsRequest::GroupBy> GroupByNamed(absl::string_view name) {
  std::string upper = absl::AsciiStrToUpper(name);
  std::replace(upper.begin(), upper.end(), '-', '_');
  GetAnalyticsRequest::GroupBy group_by = GetAnalyticsRequest::TOTAL;
  if (upper.empty() || !GetAnalyticsRequest::GroupBy_Parse(upper, &group_by)) return std::nullopt;
  return group_by;
}

Figures Compute(const Records& records, const Query& query) {
  Tally total;
  std::map<std::string, Tally> groups;
  const bool grouped = query.group_by != GetAnalyticsRequest::TOTAL;
  auto tallies = [&](const std::string& key) {
    std::vector<Tally*> out = {&total};
    if (grouped) out.push_back(&groups[key]);
    return out;
  };

  for (const RequestRecord& r : records.requests) {
    if (!Selected(query, r.create_time, r.delegation_id)) continue;
    const std::string key =
        KeyOf(query.group_by, r.create_time, r.delegation_id, r.sides[0], r.sides[1]);
    for (Tally* t : tallies(key)) CountRequest(r, &t->figures);
  }

  std::vector<const MeetingRecord*> meetings;
  absl::flat_hash_map<std::string, absl::Time> first_start;  // by the pair of companies
  for (const MeetingRecord& m : records.meetings) {
    if (!Selected(query, m.start_time, m.delegation_id)) continue;
    meetings.push_back(&m);
    auto [it, inserted] = first_start.try_emplace(CompanyPair(m), m.start_time);
    if (!inserted) it->second = std::min(it->second, m.start_time);
  }
  for (const MeetingRecord* m : meetings) {
    const std::string key = KeyOf(query.group_by, m->start_time, m->delegation_id,
                                  m->sides[0].place, m->sides[1].place);
    for (Tally* t : tallies(key)) CountMeeting(*m, first_start.at(CompanyPair(*m)), t);
  }

  for (const PartnershipRecord& p : records.partnerships) {
    if (!Selected(query, p.create_time, p.delegation_id)) continue;
    const std::string key =
        KeyOf(query.group_by, p.create_time, p.delegation_id, p.sides[0], p.sides[1]);
    for (Tally* t : tallies(key)) CountPartnership(p, &t->figures);
  }

  Figures out;
  out.total = Finish(std::move(total));
  for (auto& [key, tally] : groups) {
    socio::v1::AnalyticsRow& row = out.rows.emplace_back();
    row.set_key(key);
    *row.mutable_figures() = Finish(std::move(tally));
  }
  return out;
}

}  // namespace socio::analytics
