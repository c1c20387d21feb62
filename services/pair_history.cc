#include "services/pair_history.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "google/protobuf/util/time_util.h"

namespace socio::services {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRequest;
using socio::v1::MetBefore;
using socio::v1::MetBeforeAnswers;
using socio::v1::SideOutcome;

MetBeforeAnswers AnswersOf(const SideOutcome& side) {
  MetBeforeAnswers out;
  if (side.has_feedback()) {
    out.set_attendance(side.feedback().attendance());
    out.set_rating(side.feedback().rating());
    out.set_follow_up(side.feedback().follow_up());
  }
  if (side.has_follow_up()) out.set_status(side.follow_up().status());
  return out;
}

absl::Time EndOf(const MeetingOutcome& m) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(m.end_time()));
}

}  // namespace

PairHistory::PairHistory(PairHistoryParts parts) : parts_(std::move(parts)) {}

absl::Time PairHistory::Now() const { return parts_.clock ? parts_.clock() : absl::Now(); }

absl::StatusOr<PairHistory::Of> PairHistory::Read(const std::string& member_id) const {
  Of of;
  if (!enabled()) return of;
  absl::StatusOr<std::vector<socio::v1::Interest>> marks = parts_.engagement->MarksOf(member_id);
  if (!marks.ok()) return marks.status();
  for (const socio::v1::Interest& mark : *marks) {
    if (mark.mark() == socio::v1::Interest::NOT_INTERESTED) {
      of.own_not_interested.insert(mark.partner_ref());
    }
  }

  storage::EngagementStore::RequestScope scope;
  scope.member_id = member_id;
  scope.states = {MeetingRequest::DECLINED};
  std::string token;
  do {
    absl::StatusOr<std::pair<std::vector<MeetingRequest>, std::string>> page =
        parts_.engagement->ListRequests(scope, storage::EngagementStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const MeetingRequest& r : page->first) {
      of.declined.insert(r.from_member_id() == member_id ? r.to_ref() : r.from_member_id());
    }
    token = std::move(page->second);
  } while (!token.empty());

  const storage::OutcomeStore* outcomes = parts_.outcomes ? parts_.outcomes() : nullptr;
  if (outcomes == nullptr) return of;
  const absl::Time now = Now();
  do {
    // Latest end first: the first record of a pair is its last meeting.
    absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> page = outcomes->List(
        storage::OutcomeStore::Scope::kMember, member_id,
        [&](const MeetingOutcome& m) { return EndOf(m) <= now && m.sides_size() == 2; },
        storage::OutcomeStore::kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const MeetingOutcome& m : page->first) {
      const bool first = m.sides(0).member_id() == member_id;
      const SideOutcome& mine = m.sides(first ? 0 : 1);
      const SideOutcome& theirs = m.sides(first ? 1 : 0);
      auto [it, inserted] = of.met.try_emplace(theirs.member_id());
      MetBefore& met = it->second;
      if (inserted) {
        *met.mutable_last_met() = m.end_time();
        *met.mutable_member_side() = AnswersOf(mine);
        *met.mutable_partner_side() = AnswersOf(theirs);
        *met.mutable_meeting() = m.meeting();
      }
      met.set_meetings(met.meetings() + 1);
    }
    token = std::move(page->second);
  } while (!token.empty());
  return of;
}

absl::StatusOr<absl::flat_hash_set<std::string>> PairHistory::OthersNotInterested(
    const std::vector<std::string>& partners, const std::string& member_id) const {
  absl::flat_hash_set<std::string> out;
  if (!enabled()) return out;
  for (const std::string& partner : partners) {
    absl::StatusOr<std::optional<socio::v1::Interest>> mark =
        parts_.engagement->GetInterest(partner, member_id);
    if (!mark.ok()) return mark.status();
    if (mark->has_value() && (*mark)->mark() == socio::v1::Interest::NOT_INTERESTED) {
      out.insert(partner);
    }
  }
  return out;
}

std::optional<MetBefore> PairHistory::ShownTo(const Caller& caller, const MetBefore& met,
                                              bool partner_visible) {
  if (!partner_visible) return std::nullopt;
  MetBefore shown = met;
  if (caller.role != socio::v1::STAFF && !caller.is_admin()) shown.clear_partner_side();
  return shown;
}

namespace {

// Whether the viewer sees who `partner_id` is; a partner that cannot be read
// is not.
bool Visible(const PairHistory::Viewer& viewer, Disclosure::Call* call,
             const std::string& partner_id) {
  absl::StatusOr<socio::v1::Profile> partner = viewer.profiles.GetProfile(partner_id);
  return partner.ok() && call->Sees(*partner);
}

}  // namespace

absl::StatusOr<matcher::PartnerResult> PairHistory::FindPartners(const matcher::MatchIndex& index,
                                                                 matcher::PartnerQuery query,
                                                                 Leave leave,
                                                                 const Viewer& viewer) const {
  absl::StatusOr<Of> of = Read(query.member_id);
  if (!of.ok()) return of.status();
  auto exclude = [&](const absl::flat_hash_set<std::string>& ids) {
    query.filters.exclude_ids.insert(query.filters.exclude_ids.end(), ids.begin(), ids.end());
  };
  if (leave.own_not_interested) exclude(of->own_not_interested);
  if (leave.declined) exclude(of->declined);

  // The partners' marks on the member are read for the partners found, and
  // the search repeated without those that marked it NOT_INTERESTED until
  // none of the best k did: the best k of those left, as if left out first.
  absl::flat_hash_set<std::string> checked;
  int64_t scored = 0;
  absl::StatusOr<matcher::PartnerResult> result;
  while (true) {
    result = index.FindPartners(query);
    if (!result.ok()) return result.status();
    scored += result->candidates_scored;
    if (!leave.declined) break;
    std::vector<std::string> fresh;
    for (const socio::v1::Match& m : result->matches) {
      if (checked.insert(m.partner_id()).second) fresh.push_back(m.partner_id());
    }
    absl::StatusOr<absl::flat_hash_set<std::string>> theirs =
        OthersNotInterested(fresh, query.member_id);
    if (!theirs.ok()) return theirs.status();
    if (theirs->empty()) break;
    exclude(*theirs);
  }
  result->candidates_scored = scored;

  // Ranks as the index set them: those left out were never among them.
  Disclosure::Call call(viewer.disclosure, viewer.caller);
  for (socio::v1::Match& m : result->matches) {
    auto it = of->met.find(m.partner_id());
    if (it == of->met.end()) continue;
    std::optional<MetBefore> shown =
        ShownTo(viewer.caller, it->second, Visible(viewer, &call, m.partner_id()));
    if (shown.has_value()) *m.mutable_met_before() = *std::move(shown);
  }
  return result;
}

absl::Status PairHistory::Annotate(const std::string& member_id, const Viewer& viewer,
                                   socio::v1::Match* match) const {
  absl::StatusOr<Of> of = Read(member_id);
  if (!of.ok()) return of.status();
  auto it = of->met.find(match->partner_id());
  if (it == of->met.end()) return absl::OkStatus();
  Disclosure::Call call(viewer.disclosure, viewer.caller);
  std::optional<MetBefore> shown =
      ShownTo(viewer.caller, it->second, Visible(viewer, &call, match->partner_id()));
  if (shown.has_value()) *match->mutable_met_before() = *std::move(shown);
  return absl::OkStatus();
}

absl::StatusOr<PairHistory::ForPlan> PairHistory::ReadForPlan(
    const socio::v1::Delegation& d,
    const std::function<bool(const std::string& company_id)>& may_show) const {
  ForPlan out;
  if (!enabled()) return out;
  absl::flat_hash_set<std::string> delegates, hosts;
  for (const auto& p : d.delegates()) delegates.insert(p.member_id());
  for (const auto& p : d.hosts()) hosts.insert(p.member_id());
  for (const std::string& id : d.plan().host_ids()) hosts.insert(id);
  absl::flat_hash_set<std::pair<std::string, std::string>> excluded;
  auto add_excluded = [&](const std::string& delegate, const std::string& host) {
    if (excluded.emplace(delegate, host).second) out.excluded.emplace_back(delegate, host);
  };
  // Sorted, so that the pairs come in the same order on every run.
  std::vector<std::string> ordered_delegates(delegates.begin(), delegates.end());
  std::sort(ordered_delegates.begin(), ordered_delegates.end());
  std::vector<std::string> ordered_hosts(hosts.begin(), hosts.end());
  std::sort(ordered_hosts.begin(), ordered_hosts.end());
  for (const std::string& delegate : ordered_delegates) {
    absl::StatusOr<Of> of = Read(delegate);
    if (!of.ok()) return of.status();
    for (const std::string& host : ordered_hosts) {
      if (host == delegate) continue;
      if (of->own_not_interested.contains(host) || of->declined.contains(host)) {
        add_excluded(delegate, host);
      }
      if (auto it = of->met.find(host);
          it != of->met.end() && may_show(delegate) && may_show(host)) {
        out.met.emplace(std::make_pair(delegate, host), it->second);
      }
    }
  }
  for (const std::string& host : ordered_hosts) {
    if (delegates.contains(host)) continue;
    absl::StatusOr<std::vector<socio::v1::Interest>> marks = parts_.engagement->MarksOf(host);
    if (!marks.ok()) return marks.status();
    for (const socio::v1::Interest& mark : *marks) {
      if (mark.mark() == socio::v1::Interest::NOT_INTERESTED &&
          delegates.contains(mark.partner_ref())) {
        add_excluded(mark.partner_ref(), host);
      }
    }
  }
  std::sort(out.excluded.begin(), out.excluded.end());
  return out;
}

}  // namespace socio::services
