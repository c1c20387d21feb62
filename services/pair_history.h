// PairHistory: what a member and its partners have been through, for
// FindPartners, ExplainMatch and the planner: the partners it met (meetings
// whose end has passed, with how the last one went) and the partners it is
// not proposed again (either side marked the other NOT_INTERESTED, or either
// side declined a meeting request between them).
//
//   PairHistory history({.engagement = engagement.get(),
//                        .outcomes = [&] { return outcomes.get(); }});
//   absl::StatusOr<PairHistory::Of> of = history.Read("de-0042");
//   if (of->met.contains("es-0007")) ... of->met.at("es-0007").last_met() ...
//
// Reads per member, never the whole table: the member's own marks (a prefix
// scan), its meeting requests (its request list), its recorded meetings (the
// outcome store's list of the member), and, for the other side's marks on
// the member, which no per-member list holds, one point read per partner
// asked about (OthersNotInterested).
//
// Meetings are those the outcome store keeps a record of: the meetings of
// published delegation plans and accepted standalone requests it learnt of
// (OutcomeStore::Sweep, or an outcome recorded or read).
//
// Thread safety: every method may be called from any thread.
#ifndef SOCIO_SERVICES_PAIR_HISTORY_H_
#define SOCIO_SERVICES_PAIR_HISTORY_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "matcher/match_index.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/delegation.pb.h"
#include "socio/v1/match.pb.h"
#include "storage/engagement_store.h"
#include "storage/outcome_store.h"

namespace socio::services {

struct PairHistoryParts {
  // Marks and requests; required for a history (see PairHistory::enabled).
  const storage::EngagementStore* engagement = nullptr;
  // Recorded meetings, asked for at each read (the store may be opened
  // after the history is made); without one, or when it returns null,
  // nobody has met.
  std::function<const storage::OutcomeStore*()> outcomes;
  // Default: absl::Now. A meeting counts once its end has passed.
  std::function<absl::Time()> clock;
};

class PairHistory {
 public:
  // None of the parts is owned; each must outlive the history.
  explicit PairHistory(PairHistoryParts parts);

  // Whether there is anything to read (an engagement store).
  bool enabled() const { return parts_.engagement != nullptr; }

  // One member's history, by partner id.
  struct Of {
    // Partners the member marked NOT_INTERESTED.
    absl::flat_hash_set<std::string> own_not_interested;
    // Partners with whom either side declined a meeting request.
    absl::flat_hash_set<std::string> declined;
    // Partners met: both sides' answers of the last meeting (member_side the
    // member's), not yet cut to what a caller may see (see ShownTo).
    absl::flat_hash_map<std::string, socio::v1::MetBefore> met;
  };
  // Errors of the stores (INTERNAL, ...). Empty if !enabled().
  absl::StatusOr<Of> Read(const std::string& member_id) const;

  // Of `partners`, those that marked `member_id` NOT_INTERESTED: one point
  // read each.
  absl::StatusOr<absl::flat_hash_set<std::string>> OthersNotInterested(
      const std::vector<std::string>& partners, const std::string& member_id) const;

  // Which pairs FindPartners leaves out (FindPartnersRequest).
  struct Leave {
    bool own_not_interested = true;  // the member's own NOT_INTERESTED marks
    bool declined = true;            // the partner's marks, declined requests
  };
  // Who asks, and how to tell whether it sees who a partner is (Disclosure
  // may be null: it sees every partner). Not owned.
  struct Viewer {
    const Caller& caller;
    const ProfileLookup& profiles;
    const Disclosure* disclosure;
  };

  // index.FindPartners(query) for the stored member query.member_id, leaving
  // out the pairs `leave` names and marking each partner met with its
  // MetBefore as `viewer` may see it (ShownTo). Exact: the best k of the
  // partners not left out, ranked 1..k. Errors of the index and stores.
  absl::StatusOr<matcher::PartnerResult> FindPartners(const matcher::MatchIndex& index,
                                                      matcher::PartnerQuery query, Leave leave,
                                                      const Viewer& viewer) const;

  // Sets match->met_before for the pair (member_id, match->partner_id()) as
  // `viewer` may see it. Errors of the stores.
  absl::Status Annotate(const std::string& member_id, const Viewer& viewer,
                        socio::v1::Match* match) const;

  // `met` as `caller` may see it, for a partner `partner_visible` says the
  // caller sees who it is: nullopt for a hidden partner; the member side only
  // for a member; both for staff and operators.
  static std::optional<socio::v1::MetBefore> ShownTo(const Caller& caller,
                                                     const socio::v1::MetBefore& met,
                                                     bool partner_visible);

  // For planning delegation `d`: the (delegate, host) pairs of its
  // companies that either side declined or marked not interested, and the
  // history of those that met (member_side the delegate's answers), for
  // the pairs whose both companies `may_show` accepts (the plan's readers
  // may see who they are). Reads each company of the delegation once.
  struct ForPlan {
    std::vector<std::pair<std::string, std::string>> excluded;
    absl::flat_hash_map<std::pair<std::string, std::string>, socio::v1::MetBefore> met;
  };
  absl::StatusOr<ForPlan> ReadForPlan(
      const socio::v1::Delegation& d,
      const std::function<bool(const std::string& company_id)>& may_show) const;

 private:
  absl::Time Now() const;

  const PairHistoryParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_PAIR_HISTORY_H_
