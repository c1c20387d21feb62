// MatchIndex: the in-memory index the matcher ranks partners from.
//
// One compact feature record per profile (see features.h) in contiguous
// arrays, with postings by country, by (country, objective type and
// direction) and by (country, market named), and the union of the summaries
// of each (country, objective type and direction). FindPartners walks the
// postings in order of an upper bound on the reciprocal score they can reach and stops when no
// remaining candidate can enter the top k; a second, per-candidate bound skips most of the rest
// before their full score. The bounds never exclude a partner the full scan
// would return, so the result equals FindPartnersBruteForce's exactly (a test
// checks this on thousands of random queries).
//
//   MatchIndex index(tables);
//   index.Upsert(profile);                     // as stored: normalised, with version
//   PartnerQuery query{.member_id = "mx-0001", .k = 20, .weights = w, .now_seconds = now};
//   absl::StatusOr<PartnerResult> result = index.FindPartners(query);
//
// What a search and an explanation see: the partners PartnerVisible allows,
// other than the member itself.
//
// Thread safety: all methods may be called concurrently; searches share a
// reader lock, writes take it exclusively for a few microseconds.
#ifndef SOCIO_MATCHER_MATCH_INDEX_H_
#define SOCIO_MATCHER_MATCH_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "matcher/explanation.h"
#include "matcher/features.h"
#include "matcher/scoring.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/profile.pb.h"

namespace socio::matcher {

// Hard filters on partners (see MatchFilters in match_service.proto), with
// codes already checked and packed.
struct PartnerFilters {
  std::optional<CountrySet> countries;  // nullopt: any country
  std::vector<SectorCode> sectors;      // a partner sector at or under one; empty: any
  uint32_t type_keys = 0;               // ObjectiveKey bits of the wanted types; 0: any
  uint32_t min_employees = 0;           // 0: no bound
  uint32_t max_employees = 0;           // 0: no bound
  std::vector<uint32_t> languages;      // LanguageWord codes; empty: any
  std::vector<std::string> exclude_ids;
  bool exclude_own_chamber = false;
};

// The one rule of who may be proposed, explained or counted as a member's
// partner: a FEDERATION profile; a CHAMBER one of the member's own chamber
// (`same_chamber`); a PRIVATE one of the member's own chamber only in the view
// of that chamber's staff (`staff_view`); and each only while valid
// (valid_until_seconds > now_seconds). The index applies it to its records,
// the services (services/access.h) to stored profiles.
bool PartnerVisible(socio::v1::Profile::Visibility visibility, bool same_chamber, bool staff_view,
                    int64_t valid_until_seconds, int64_t now_seconds);

struct PartnerQuery {
  // The subject: a stored profile's id, or, when `probe` is set, an unsaved
  // profile (normalised like a stored one; not owned).
  std::string member_id;
  const socio::v1::Profile* probe = nullptr;
  int k = 20;  // REQUIRES: k >= 1
  Weights weights;
  PartnerFilters filters;
  int64_t now_seconds = 0;  // Unix seconds: validity and freshness are judged at this time
  bool staff_view = false;  // also PRIVATE profiles of the member's own chamber
  // Whom the reasons are for: "" speaks to the member ("You seek ..."); a
  // name (ShortCompanyName) speaks about it, for staff ("Huber seeks ...").
  std::string subject;
  // How much each match says (DescribeMatch).
  MatchDetail detail = MatchDetail::kFull;
};

struct PartnerResult {
  std::vector<socio::v1::Match> matches;  // best first, ranks set
  int64_t candidates_scored = 0;          // full scores computed
  // The search's work besides: posting-list entries read, and candidates
  // whose bound from their summary was computed (0 for the brute force).
  int64_t postings_read = 0;
  int64_t candidates_bounded = 0;
};

// A breakdown of the index's memory, in bytes.
struct IndexMemory {
  size_t records = 0;  // headers, wanted markets, versions, names
  size_t words = 0;    // the feature pool
  size_t postings = 0;
  size_t lookup = 0;  // id map, chambers, vocabulary
  size_t total() const { return records + words + postings + lookup; }
};

class MatchIndex {
 public:
  explicit MatchIndex(std::shared_ptr<const ScoringTables> tables);
  ~MatchIndex();
  MatchIndex(const MatchIndex&) = delete;
  MatchIndex& operator=(const MatchIndex&) = delete;

  // Adds a stored profile or replaces the indexed one. A profile whose
  // version is not newer than the indexed one is ignored, so replaying a
  // change log over a fresh scan converges.
  void Upsert(const socio::v1::Profile& profile);
  // Many at once, under one lock: how the index is rebuilt. The features are
  // extracted on `threads` threads.
  void UpsertMany(const std::vector<socio::v1::Profile>& profiles, int threads = 1);
  // Removes the profile; no-op if absent.
  void Remove(absl::string_view id);
  // Recomputes the unions the search bounds groups of candidates by from
  // the records as they are. Updates and removals leave the unions larger
  // than they need be (still correct, but the search visits more
  // candidates), so the index does this by itself once updates and removals
  // since the last time reach an eighth of its records (at least 1,024);
  // takes the writer lock for one pass over the records.
  void TightenUnions();
  // Lays the records out anew, by country, then objectives, then sectors of
  // interest, so that the candidates of one posting list lie together in
  // memory and a search reads them nearly in order, and tightens the unions.
  // Results are unchanged; records added later go where there is room. For
  // after a rebuild (LoadIndex calls it; Save keeps the layout for Load).
  void Cluster();
  // Removes every profile: for a follower that must rebuild the index from
  // scratch (its source's history changed under it).
  void Clear();

  // The whole index as bytes for Load: live records only, compacted, tagged
  // with the tables' fingerprint. Takes the reader lock while copying.
  std::string Save() const;
  // Fills an empty index from Save's bytes. FAILED_PRECONDITION if the index
  // is not empty or the bytes were saved with other tables (a different
  // fingerprint: the records would mean something else); DATA_LOSS if they
  // are truncated or inconsistent, in which case the index is left empty.
  absl::Status Load(absl::string_view bytes);

  size_t size() const;
  bool Contains(absl::string_view id) const;
  IndexMemory Memory() const;

  // The query.k best partners, best first, ties broken by id; NOT_FOUND if
  // member_id is not indexed.
  absl::StatusOr<PartnerResult> FindPartners(const PartnerQuery& query) const;
  // The same by scoring every indexed profile: the reference FindPartners is
  // tested and benchmarked against.
  absl::StatusOr<PartnerResult> FindPartnersBruteForce(const PartnerQuery& query) const;

  // The reciprocal scores of each of `a_ids` with each of `b_ids`, row-major
  // (a_ids.size() x b_ids.size()), as FindPartners would rank them but
  // whatever their visibility (the caller decides who may meet); a profile
  // paired with itself scores 0. NOT_FOUND naming the first id not indexed.
  absl::StatusOr<std::vector<double>> PairScores(const std::vector<std::string>& a_ids,
                                                 const std::vector<std::string>& b_ids,
                                                 const Weights& weights, int64_t now_seconds) const;

  // Each pair of `pairs` (a id, b id) scored as PairScores scores it, with
  // every factor both ways; nullopt for a pair whose a or b is not indexed,
  // or whose a and b are one profile. Whatever their visibility: the caller
  // decides whose scores it may use (the weight suggester, for the pairs that
  // met).
  std::vector<std::optional<PairScore>> ScoreEachPair(
      const std::vector<std::pair<std::string, std::string>>& pairs, const Weights& weights,
      int64_t now_seconds) const;

  // The breakdown for one pair, its reasons for `subject` as
  // PartnerQuery::subject says. NOT_FOUND if either is not indexed, or b is
  // not PartnerVisible for a (so its existence does not leak), with the same
  // message as for a b that is not indexed.
  absl::StatusOr<socio::v1::Match> Explain(absl::string_view a_id, absl::string_view b_id,
                                           const Weights& weights, int64_t now_seconds,
                                           bool staff_view = false,
                                           absl::string_view subject = "") const;

 private:
  // A record's id, name and version; its features are in headers_, wanted_,
  // summaries_ and words_ at the same slot.
  struct Slot {
    const char* id = nullptr;  // in text_chunks_
    const char* name = nullptr;
    uint8_t id_size = 0;
    uint8_t name_size = 0;
    bool live = false;  // false: on free_slots_
    int64_t version = 0;

    absl::string_view id_view() const { return {id, id_size}; }
    absl::string_view name_view() const { return {name, name_size}; }
  };
  // The union of the sector bits and flags of many records' summaries: a
  // superset of each, by which a search bounds a whole list of candidates.
  struct SummaryUnion {
    DivisionSet own;
    DivisionSet interest;
    uint16_t own_groups = 0;
    uint16_t interest_groups = 0;
    uint8_t flags = 0;
    void Add(const BoundSummary& s) {
      own.Add(s.own);
      interest.Add(s.interest);
      own_groups |= s.own_groups;
      interest_groups |= s.interest_groups;
      flags |= s.flags;
    }
    void Add(const SummaryUnion& u) {
      own.Add(u.own);
      interest.Add(u.interest);
      own_groups |= u.own_groups;
      interest_groups |= u.interest_groups;
      flags |= u.flags;
    }
  };
  // unions_'s index of a country's union of every record, beside its
  // objective key bits.
  static constexpr uint32_t kAllKeys = 32;

  struct Subject;  // whose partners are sought (partner_search.cc)
  class Search;    // one FindPartners run (partner_search.cc)

  // REQUIRES: mu_ held exclusively.
  void UpsertLocked(const socio::v1::Profile& profile, Features features)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RemoveSlotLocked(uint32_t slot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PostLocked(uint32_t slot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UniteLocked(uint32_t slot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UnpostLocked(uint32_t slot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  uint32_t InternChamberLocked(const std::string& chamber_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::string_view StoreTextLocked(absl::string_view text) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CompactWordsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadLocked(absl::string_view bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ClearLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TightenUnionsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ClusterLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Counts an update or removal; tightens the unions when they are due.
  void LoosenedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::StatusOr<Subject> SubjectOf(const PartnerQuery& query) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  FeatureView ViewOf(uint32_t slot) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  static bool Visible(const ProfileHeader& viewer, const ProfileHeader& candidate, bool staff_view,
                      int64_t now_seconds);
  std::string WordOf(uint32_t hash) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  PartnerResult Describe(const Subject& subject, const PartnerQuery& query,
                         const std::vector<std::pair<double, uint32_t>>& top, int64_t scored) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<const ScoringTables> tables_;

  mutable absl::Mutex mu_;
  std::vector<ProfileHeader> headers_ ABSL_GUARDED_BY(mu_);
  std::vector<CountrySet> wanted_ ABSL_GUARDED_BY(mu_);
  std::vector<BoundSummary> summaries_ ABSL_GUARDED_BY(mu_);
  std::vector<Slot> slots_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> free_slots_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> words_ ABSL_GUARDED_BY(mu_);
  size_t garbage_words_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<absl::string_view, uint32_t> by_id_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> chambers_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> chamber_numbers_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint32_t, std::string> vocabulary_ ABSL_GUARDED_BY(mu_);
  // Postings: slots per country; per country and objective key bit (index
  // country * 32 + bit); per country and wanted market (index country *
  // country_count + market).
  std::vector<std::vector<uint32_t>> by_country_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<uint32_t>> by_country_key_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<uint32_t>> by_country_wanted_ ABSL_GUARDED_BY(mu_);
  // ... and per country and market one of its OFFER objectives names but it
  // does not want (OfferedMarkets), indexed as by_country_wanted_: with it,
  // who names a market at all, which the objective's market fit asks.
  std::vector<std::vector<uint32_t>> by_country_offered_ ABSL_GUARDED_BY(mu_);
  // Per country and objective key bit (index country * 33 + bit), and per
  // country (bit kAllKeys): the union of the summaries of the records posted
  // there. A union only grows until the next TightenUnions() or Clear(), so
  // it stays a superset of each record's summary.
  std::vector<SummaryUnion> unions_ ABSL_GUARDED_BY(mu_);
  // Updates and removals since the unions were last computed afresh.
  size_t loosened_ ABSL_GUARDED_BY(mu_) = 0;
  // Text of ids and names, in chunks that never move.
  std::vector<std::unique_ptr<char[]>> text_chunks_ ABSL_GUARDED_BY(mu_);
  size_t text_used_ ABSL_GUARDED_BY(mu_) = 0;
  size_t live_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace socio::matcher

#endif  // SOCIO_MATCHER_MATCH_INDEX_H_
