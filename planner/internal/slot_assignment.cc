#include "planner/internal/slot_assignment.h"

#include <algorithm>
#include <bit>
#include <random>
#include <utility>

#include "absl/time/clock.h"

namespace socio::planner::internal {
namespace {

constexpr double kScoreTolerance = 1e-9;
// Kempe-chain slot pairs tried per insertion.
constexpr int kKempeTries = 24;
// Lowest-scoring meetings of a full company offered for removal per insertion.
constexpr int kRemovalOptions = 2;
// Meetings of a slot whose tables are full offered for moving per insertion there.
constexpr size_t kTableBlockerOptions = 3;
// Ruin-and-recreate rounds in a row without a strict improvement that end the search.
constexpr int kStallRounds = 400;
// The score a ruin-and-recreate round may lose at first, in mean pair scores.
constexpr double kThreshold = 0.2;
// How deep ejection chains go.
constexpr int kEjectionDepth = 1;

int PopCount(const std::vector<uint64_t>& bits) {
  int count = 0;
  for (uint64_t w : bits) count += std::popcount(w);
  return count;
}

bool Test(const uint64_t* bits, int t) { return (bits[t / 64] >> (t % 64)) & 1; }

bool Better(const Objective& a, const Objective& b) {
  if (a.locks != b.locks) return a.locks > b.locks;
  if (a.kept != b.kept) return a.kept > b.kept;
  if (a.shortfall != b.shortfall) return a.shortfall < b.shortfall;
  if (a.spread != b.spread) return a.spread < b.spread;
  return a.score > b.score + kScoreTolerance;
}

class SlotSearch {
 public:
  SlotSearch(Schedule* schedule, uint64_t seed)
      : s_(*schedule),
        in_(schedule->instance()),
        nh_(in_.hosts),
        random_(seed),
        free_(in_.words),
        ranked_hosts_(in_.delegates),
        ranked_(in_.delegates, false) {}

  void Build(const std::vector<int>& previous, const std::vector<int>& chosen);
  void Improve(const SlotSearchSettings& settings);
  bool PlaceWithoutLoss(int pair);

 private:
  int D(int pair) const { return pair / nh_; }
  int H(int pair) const { return pair % nh_; }
  bool Movable(int pair) const { return s_.PinOf(pair) != Pin::kFixedSlot; }
  bool Removable(int pair) const { return s_.PinOf(pair) == Pin::kNone; }
  bool OverCap(int pair) const {
    return s_.DelegateDegree(D(pair)) > in_.delegate_cap[D(pair)] ||
           s_.HostDegree(H(pair)) > in_.host_cap[H(pair)];
  }
  bool TimeUp();

  int ChooseSlot(int pair, const std::vector<uint64_t>& free);
  bool PlaceDirect(int pair);
  bool KempeAt(int pair, int a, int b, bool delegate_side);
  // Each Kempe option is tried, checked with `accept` and rolled back if refused.
  template <typename Accept>
  bool PlaceByKempe(int pair, Accept accept);
  template <typename Accept>
  bool PlaceByEjection(int pair, int depth, Accept accept);
  bool Relocate(int pair, int depth);
  bool TryInsert(int pair, bool allow_equal);
  bool WorthTrying(int pair);
  std::vector<int> RemovalOptions(int company, bool delegate_side);
  double LowestRemovable(int company, bool delegate_side);
  const std::vector<int>& RankedHosts(int d);
  bool Pass();
  bool FillShortfall();
  bool TryChange(const std::vector<int>& out, const std::vector<std::pair<int, int>>& in);
  bool ReplaceHost(int pair);
  bool ReplaceDelegate(int pair);
  int BestHostAt(int d, int t);
  bool MoveMeeting(int pair);
  bool Exchanges();
  bool Perturb(double tolerance);
  Objective Now() const;
  std::vector<std::pair<int, int>> Snapshot() const;
  void Restore(const std::vector<std::pair<int, int>>& snapshot);
  bool Optimal() const;

  Schedule& s_;
  const SlotInstance& in_;
  const int nh_;
  std::mt19937_64 random_;
  bool randomize_ = false;
  std::vector<uint64_t> free_;
  std::vector<int> chosen_;
  std::vector<std::pair<int, int>> chain_;      // KempeAt's, kept to save allocations
  std::vector<int> by_weight_;                  // allowed pairs, best first
  std::vector<std::vector<int>> ranked_hosts_;  // per delegate, built on first use
  std::vector<bool> ranked_;
  SlotSearchSettings settings_;
  int previous_count_ = 0;
  int64_t work_end_ = 0;  // TimeUp once the schedule's changes pass this
  bool time_up_ = false;
};

bool SlotSearch::TimeUp() {
  if (time_up_) return true;
  if (s_.changes() > work_end_ || absl::Now() > settings_.deadline) time_up_ = true;
  return time_up_;
}

// The previous slot when free; otherwise the free slot with most tables left (random in
// ruin-and-recreate rounds, for variety).
int SlotSearch::ChooseSlot(int pair, const std::vector<uint64_t>& free) {
  const int previous = in_.previous_slot[pair];
  if (previous >= 0 && Test(free.data(), previous)) return previous;
  int best = -1;
  int best_room = -1;
  int seen = 0;
  for (int w = 0; w < in_.words; ++w) {
    for (uint64_t bits = free[w]; bits != 0; bits &= bits - 1) {
      const int t = w * 64 + std::countr_zero(bits);
      if (randomize_) {
        // Reservoir sampling: uniform over the free slots.
        if (std::uniform_int_distribution<int>(0, seen++)(random_) == 0) best = t;
        continue;
      }
      const int room = in_.tables[t] - s_.Used(t);
      if (room > best_room) {
        best_room = room;
        best = t;
      }
    }
  }
  return best;
}

bool SlotSearch::PlaceDirect(int pair) {
  s_.FreeSlots(D(pair), H(pair), free_.data());
  const int t = ChooseSlot(pair, free_);
  if (t < 0) return false;
  s_.Add(pair, t);
  return true;
}

// Frees slot `a` for `pair` by swapping slots a and b along the alternating chain of
// meetings that starts at the busy company (its delegate when `delegate_side`), which must
// be free at b. The other company is free at a and never on the chain.
bool SlotSearch::KempeAt(int pair, int a, int b, bool delegate_side) {
  std::vector<std::pair<int, int>>& chain = chain_;  // (pair, slot)
  chain.clear();
  int company = delegate_side ? D(pair) : H(pair);
  bool side = delegate_side;
  int slot = a;
  const size_t limit = 2 * static_cast<size_t>(std::min(in_.delegates, in_.hosts)) + 2;
  while (true) {
    const int partner = side ? s_.DelegateAt(company, slot) : s_.HostAt(company, slot);
    if (partner < 0) break;
    const int p = side ? company * nh_ + partner : partner * nh_ + company;
    if (!Movable(p) || chain.size() > limit) return false;
    const int to = slot == a ? b : a;
    if (!Test(in_.DelegateUsable(D(p)), to) || !Test(in_.HostUsable(H(p)), to)) return false;
    chain.push_back({p, slot});
    company = partner;
    side = !side;
    slot = to;
  }
  int at_a = 0;
  for (const auto& [p, t] : chain) at_a += t == a;
  const int at_b = static_cast<int>(chain.size()) - at_a;
  if (s_.Used(a) - at_a + at_b + 1 > in_.tables[a]) return false;
  if (s_.Used(b) - at_b + at_a > in_.tables[b]) return false;
  for (const auto& [p, t] : chain) s_.Remove(p);
  for (const auto& [p, t] : chain) s_.Add(p, t == a ? b : a);
  if (!s_.CanAdd(D(pair), H(pair), a)) return false;  // caller rolls back
  s_.Add(pair, a);
  return true;
}

template <typename Accept>
bool SlotSearch::PlaceByKempe(int pair, Accept accept) {
  const int d = D(pair);
  const int h = H(pair);
  const Schedule::Checkpoint mark = s_.Mark();
  const uint64_t* du = in_.DelegateUsable(d);
  const uint64_t* hu = in_.HostUsable(h);
  int tries = 0;
  for (int a = 0; a < in_.slots && tries < kKempeTries; ++a) {
    if (!Test(du, a) || !Test(hu, a)) continue;
    const bool delegate_busy = s_.DelegateAt(d, a) >= 0;
    const bool host_busy = s_.HostAt(h, a) >= 0;
    if (delegate_busy == host_busy) continue;
    // The busy company moves its meeting at a to a slot b where it is free.
    for (int b = 0; b < in_.slots && tries < kKempeTries; ++b) {
      if (b == a) continue;
      const bool free_at_b = delegate_busy ? s_.DelegateAt(d, b) < 0 : s_.HostAt(h, b) < 0;
      if (!free_at_b || !(delegate_busy ? Test(du, b) : Test(hu, b))) continue;
      ++tries;
      if (KempeAt(pair, a, b, delegate_busy) && accept()) return true;
      s_.Rollback(mark);
    }
  }
  return false;
}

// Moves a removed meeting to another slot: directly, by a Kempe-chain swap, or (depth > 0)
// by taking out the meetings in its way in turn, which are moved likewise or dropped. False
// when it cannot; then, if its delegate falls below its minimum, the delegate gets its best
// other pair that fits directly, if any.
bool SlotSearch::Relocate(int pair, int depth) {
  if (s_.SlotOf(pair) >= 0) return true;  // a repair deeper down put it back already
  if (PlaceDirect(pair)) return true;
  if (PlaceByKempe(pair, [] { return true; })) return true;
  if (depth > 0 && PlaceByEjection(pair, depth - 1, [] { return true; })) return true;
  const int d = D(pair);
  if (s_.DelegateDegree(d) >= in_.delegate_min[d]) return false;
  for (int h : RankedHosts(d)) {
    const int p = d * nh_ + h;
    if (p == pair || s_.SlotOf(p) >= 0 || s_.HostDegree(h) >= in_.host_cap[h]) continue;
    if (PlaceDirect(p)) break;
  }
  return false;
}

// The hosts delegate d may meet without a lock, best score first.
const std::vector<int>& SlotSearch::RankedHosts(int d) {
  if (!ranked_[d]) {
    ranked_[d] = true;
    std::vector<int>& hosts = ranked_hosts_[d];
    for (int h = 0; h < nh_; ++h) {
      if (in_.allowed[d * nh_ + h]) hosts.push_back(h);
    }
    std::stable_sort(hosts.begin(), hosts.end(), [&](int a, int b) {
      return in_.weight[d * nh_ + a] > in_.weight[d * nh_ + b];
    });
  }
  return ranked_hosts_[d];
}

// Puts `pair` in a slot both can attend by taking out the meetings in its way there (or, if
// the slot's tables are full, one of its cheapest movable meetings), which then move to
// other slots where they can (see Relocate) or are dropped; any-slot locks are never
// dropped. Each option is checked with `accept` and rolled back if refused.
template <typename Accept>
bool SlotSearch::PlaceByEjection(int pair, int depth, Accept accept) {
  const int d = D(pair);
  const int h = H(pair);
  const Schedule::Checkpoint mark = s_.Mark();
  std::vector<int> slots;
  for (int t = 0; t < in_.slots; ++t) {
    if (Test(in_.DelegateUsable(d), t) && Test(in_.HostUsable(h), t)) slots.push_back(t);
  }
  if (randomize_) std::shuffle(slots.begin(), slots.end(), random_);
  const int previous = in_.previous_slot[pair];
  if (previous >= 0) {
    auto it = std::find(slots.begin(), slots.end(), previous);
    if (it != slots.end()) std::rotate(slots.begin(), it, it + 1);
  }
  for (int t : slots) {
    // Who is in the way at t: the pair's companies' meetings there, or else (when the
    // tables are full) each of the slot's movable meetings in turn, cheapest first.
    std::vector<std::vector<int>> options(1);
    if (const int other = s_.DelegateAt(d, t); other >= 0) options[0].push_back(d * nh_ + other);
    if (const int other = s_.HostAt(h, t); other >= 0) options[0].push_back(other * nh_ + h);
    if (options[0].empty()) {
      if (s_.TableFree(t)) continue;
      std::vector<std::pair<double, int>> at_slot;
      for (int od = 0; od < in_.delegates; ++od) {
        const int oh = s_.DelegateAt(od, t);
        if (oh >= 0 && Movable(od * nh_ + oh)) {
          at_slot.push_back({in_.weight[od * nh_ + oh], od * nh_ + oh});
        }
      }
      std::sort(at_slot.begin(), at_slot.end());
      options.clear();
      for (size_t i = 0; i < at_slot.size() && i < kTableBlockerOptions; ++i) {
        options.push_back({at_slot[i].second});
      }
    }
    for (const std::vector<int>& blockers : options) {
      bool ok = true;
      for (int b : blockers) ok = ok && Movable(b);
      if (!ok) continue;
      for (int b : blockers) s_.Remove(b);
      if (s_.CanAdd(d, h, t)) {
        s_.Add(pair, t);
        for (int b : blockers) {
          if (!Relocate(b, depth) && !Removable(b)) ok = false;
        }
        if (ok && accept()) return true;
      }
      s_.Rollback(mark);
    }
  }
  return false;
}

bool SlotSearch::PlaceWithoutLoss(int pair) {
  if (PlaceDirect(pair)) return true;
  const int before = s_.meetings();
  auto nothing_dropped = [&] { return s_.meetings() == before + 1; };
  if (PlaceByKempe(pair, nothing_dropped)) return true;
  return PlaceByEjection(pair, kEjectionDepth, nothing_dropped);
}

double SlotSearch::LowestRemovable(int company, bool delegate_side) {
  double lowest = 2;
  for (int t = 0; t < in_.slots; ++t) {
    const int other = delegate_side ? s_.DelegateAt(company, t) : s_.HostAt(company, t);
    if (other < 0) continue;
    const int p = delegate_side ? company * nh_ + other : other * nh_ + company;
    if (Removable(p)) lowest = std::min(lowest, in_.weight[p]);
  }
  return lowest;
}

// A full company's meetings that could make room: not locks, least harmful first (not kept
// from the previous plan, not causing a shortfall, lowest score).
std::vector<int> SlotSearch::RemovalOptions(int company, bool delegate_side) {
  std::vector<std::pair<std::pair<int, double>, int>> options;
  for (int t = 0; t < in_.slots; ++t) {
    const int other = delegate_side ? s_.DelegateAt(company, t) : s_.HostAt(company, t);
    if (other < 0) continue;
    const int p = delegate_side ? company * nh_ + other : other * nh_ + company;
    if (!Removable(p)) continue;
    int harm = in_.Keeps(p, t) ? 2 : 0;
    if (!delegate_side && s_.DelegateDegree(other) <= in_.delegate_min[other]) harm += 1;
    options.push_back({{harm, in_.weight[p]}, p});
  }
  std::sort(options.begin(), options.end());
  std::vector<int> pairs;
  for (size_t i = 0; i < options.size() && i < kRemovalOptions; ++i) {
    pairs.push_back(options[i].second);
  }
  return pairs;
}

// Schedules `pair` if that improves the objective (or keeps it, when `allow_equal`),
// removing meetings of full companies, moving blocking meetings, or swapping slots.
bool SlotSearch::TryInsert(int pair, bool allow_equal) {
  if (s_.SlotOf(pair) >= 0) return false;
  const int d = D(pair);
  const int h = H(pair);
  const Schedule::Checkpoint start = s_.Mark();
  auto accept = [&] { return !OverCap(pair) && Improves(s_.DeltaSince(start), allow_equal); };

  std::vector<int> delegate_options = {-1};
  std::vector<int> host_options = {-1};
  if (s_.DelegateDegree(d) >= in_.delegate_cap[d]) {
    delegate_options = RemovalOptions(d, true);
    if (delegate_options.empty()) return false;
  }
  if (s_.HostDegree(h) >= in_.host_cap[h]) {
    host_options = RemovalOptions(h, false);
    if (host_options.empty()) return false;
  }
  for (int rd : delegate_options) {
    for (int rh : host_options) {
      if (rd >= 0) s_.Remove(rd);
      if (rh >= 0 && s_.SlotOf(rh) >= 0) s_.Remove(rh);
      if (!OverCap(pair)) {
        const Schedule::Checkpoint removed = s_.Mark();
        if (PlaceDirect(pair)) {
          if (accept()) return true;
          // Any other way of placing it costs at least as much.
        } else {
          s_.Rollback(removed);
          if (PlaceByKempe(pair, accept)) return true;
          if (PlaceByEjection(pair, kEjectionDepth, accept)) return true;
        }
      }
      s_.Rollback(start);
    }
  }
  return false;
}

// Whether inserting `pair` can possibly improve the objective.
bool SlotSearch::WorthTrying(int pair) {
  if (s_.SlotOf(pair) >= 0) return false;
  if (s_.PinOf(pair) != Pin::kNone) return true;
  const int d = D(pair);
  const int h = H(pair);
  const bool delegate_full = s_.DelegateDegree(d) >= in_.delegate_cap[d];
  if (!delegate_full && s_.DelegateDegree(d) < in_.delegate_min[d]) return true;
  if (in_.previous_slot[pair] >= 0) return true;
  double loss = 0;
  if (delegate_full) loss += LowestRemovable(d, true);
  if (s_.HostDegree(h) >= in_.host_cap[h]) loss += LowestRemovable(h, false);
  return in_.weight[pair] > loss + kScoreTolerance;
}

// Inserts pairs for the delegates below their minimum, best first.
bool SlotSearch::FillShortfall() {
  bool improved = false;
  for (int d = 0; d < in_.delegates; ++d) {
    const int wanted = std::min(in_.delegate_min[d], in_.delegate_cap[d]);
    for (int h : RankedHosts(d)) {
      if (s_.DelegateDegree(d) >= wanted || TimeUp()) break;
      const int p = d * nh_ + h;
      if (s_.SlotOf(p) < 0 && TryInsert(p, false)) improved = true;
    }
  }
  return improved;
}

// One sweep of insertions over all allowed pairs; true if anything improved.
bool SlotSearch::Pass() {
  bool improved = FillShortfall();
  for (int p : by_weight_) {
    if (TimeUp()) break;
    if (WorthTrying(p) && TryInsert(p, false)) improved = true;
  }
  s_.Commit();
  return improved;
}

// Takes the meetings `out` out and puts the (pair, slot)s `in` in, keeping the change if it
// improves the objective without breaking a cap; true if kept. REQUIRES: each of `in` can be
// added once `out` and the earlier ones of `in` are applied.
bool SlotSearch::TryChange(const std::vector<int>& out,
                           const std::vector<std::pair<int, int>>& in) {
  const Schedule::Checkpoint mark = s_.Mark();
  for (int p : out) s_.Remove(p);
  bool ok = true;
  for (const auto& [p, t] : in) {
    if (!s_.CanAdd(D(p), H(p), t)) {
      ok = false;
      break;
    }
    s_.Add(p, t);
  }
  for (const auto& [p, t] : in) ok = ok && !OverCap(p);
  if (ok && Improves(s_.DeltaSince(mark))) return true;
  s_.Rollback(mark);
  return false;
}

// Delegate d meets host h in slot t: gives d a better host h2 free at t instead. If h2 has
// no meeting left under its cap, one of h2's meetings, with d2 at t2, goes to h when h is free
// then, so that every company keeps its number of meetings.
bool SlotSearch::ReplaceHost(int pair) {
  const int d = D(pair);
  const int h = H(pair);
  const int t = s_.SlotOf(pair);
  const double w = in_.weight[pair];
  for (int h2 : RankedHosts(d)) {
    const int q = d * nh_ + h2;
    if (in_.weight[q] <= w + kScoreTolerance) break;
    if (s_.SlotOf(q) >= 0 || !Test(in_.HostUsable(h2), t) || s_.HostAt(h2, t) >= 0) continue;
    if (s_.HostDegree(h2) < in_.host_cap[h2]) {
      if (TryChange({pair}, {{q, t}})) return true;
      continue;
    }
    for (int t2 = 0; t2 < in_.slots; ++t2) {
      const int d2 = s_.HostAt(h2, t2);
      if (d2 < 0 || t2 == t || !Test(in_.HostUsable(h), t2) || s_.HostAt(h, t2) >= 0) continue;
      const int r = d2 * nh_ + h2;
      const int back = d2 * nh_ + h;
      if (!Removable(r) || !in_.allowed[back] || s_.SlotOf(back) >= 0) continue;
      const double gain = in_.weight[q] + in_.weight[back] - w - in_.weight[r];
      if (gain > kScoreTolerance && TryChange({pair, r}, {{q, t}, {back, t2}})) return true;
    }
  }
  return false;
}

// Host h meets delegate d in slot t: gives h a delegate d2 with a better score for it
// instead, free at t, or meeting some h3 at t that d then meets instead (d and d2 trade
// hosts within the slot).
bool SlotSearch::ReplaceDelegate(int pair) {
  const int d = D(pair);
  const int h = H(pair);
  const int t = s_.SlotOf(pair);
  const double w = in_.weight[pair];
  for (int d2 = 0; d2 < in_.delegates; ++d2) {
    const int q = d2 * nh_ + h;
    if (d2 == d || !in_.allowed[q] || in_.weight[q] <= w + kScoreTolerance) continue;
    if (s_.SlotOf(q) >= 0 || !Test(in_.DelegateUsable(d2), t)) continue;
    const int h3 = s_.DelegateAt(d2, t);
    if (h3 < 0) {
      if (s_.DelegateDegree(d2) < in_.delegate_cap[d2] && TryChange({pair}, {{q, t}})) {
        return true;
      }
      continue;
    }
    const int r = d2 * nh_ + h3;
    const int back = d * nh_ + h3;
    if (!Removable(r) || !in_.allowed[back] || s_.SlotOf(back) >= 0) continue;
    const double gain = in_.weight[q] + in_.weight[back] - w - in_.weight[r];
    if (gain > kScoreTolerance && TryChange({pair, r}, {{q, t}, {back, t}})) return true;
  }
  return false;
}

// The best host delegate d can meet in slot t as the schedule stands (both free then, the
// host under its cap, the pair not meeting yet), or -1.
int SlotSearch::BestHostAt(int d, int t) {
  if (!Test(in_.DelegateUsable(d), t) || s_.DelegateAt(d, t) >= 0) return -1;
  for (int h : RankedHosts(d)) {
    if (s_.SlotOf(d * nh_ + h) >= 0 || !Test(in_.HostUsable(h), t) || s_.HostAt(h, t) >= 0 ||
        s_.HostDegree(h) >= in_.host_cap[h]) {
      continue;
    }
    return h;
  }
  return -1;
}

// Delegate d meets host h in slot t: gives d its best host in another slot t2 instead. When
// t2's tables are full, one meeting there, of d3, moves to t (whose table d left) with d3's
// best host then. Every delegate keeps its number of meetings.
bool SlotSearch::MoveMeeting(int pair) {
  const int d = D(pair);
  const int t = s_.SlotOf(pair);
  const double w = in_.weight[pair];
  const Schedule::Checkpoint mark = s_.Mark();
  s_.Remove(pair);
  double best_gain = kScoreTolerance;
  std::vector<int> out;
  std::vector<std::pair<int, int>> in;
  for (int t2 = 0; t2 < in_.slots; ++t2) {
    if (t2 == t || !Test(in_.DelegateUsable(d), t2) || s_.DelegateAt(d, t2) >= 0) continue;
    if (s_.TableFree(t2)) {
      const int h2 = BestHostAt(d, t2);
      if (h2 >= 0 && in_.weight[d * nh_ + h2] - w > best_gain) {
        best_gain = in_.weight[d * nh_ + h2] - w;
        out = {pair};
        in = {{d * nh_ + h2, t2}};
      }
      continue;
    }
    for (int d3 = 0; d3 < in_.delegates; ++d3) {
      const int h3 = s_.DelegateAt(d3, t2);
      if (h3 < 0 || d3 == d || s_.DelegateAt(d3, t) >= 0 || !Test(in_.DelegateUsable(d3), t)) {
        continue;
      }
      const int r = d3 * nh_ + h3;
      if (!Removable(r)) continue;
      const Schedule::Checkpoint inner = s_.Mark();
      s_.Remove(r);
      const int h2 = BestHostAt(d, t2);
      const int h4 = BestHostAt(d3, t);
      s_.Rollback(inner);
      if (h2 < 0 || h4 < 0) continue;
      const double gain = in_.weight[d * nh_ + h2] + in_.weight[d3 * nh_ + h4] - w - in_.weight[r];
      if (gain > best_gain) {
        best_gain = gain;
        out = {pair, r};
        in = {{d * nh_ + h2, t2}, {d3 * nh_ + h4, t}};
      }
    }
  }
  s_.Rollback(mark);
  return !out.empty() && TryChange(out, in);
}

// One sweep of exchanges over the scheduled meetings that are not locks; true if anything
// improved. Like Pass, it can be rolled back by an enclosing Perturb until committed.
bool SlotSearch::Exchanges() {
  bool improved = false;
  const std::vector<int> pairs = s_.Pairs();
  for (int p : pairs) {
    if (TimeUp()) break;
    if (s_.SlotOf(p) < 0 || !Removable(p)) continue;
    if (ReplaceHost(p) || ReplaceDelegate(p) || MoveMeeting(p)) improved = true;
  }
  return improved;
}

bool SlotSearch::Optimal() const {
  return s_.shortfall() <= settings_.shortfall_floor && s_.spread() <= settings_.spread_floor &&
         s_.kept() >= previous_count_ && s_.score() >= settings_.score_ceiling - kScoreTolerance;
}

// Ruin and recreate: takes out the movable meetings of one or two slots, delegates or hosts
// (any-slot locks included), re-inserts pairs around them in a shuffled order of
// preference, and keeps the result unless it is worse, or worse in score only by more than
// `tolerance`. True if kept.
bool SlotSearch::Perturb(double tolerance) {
  const Schedule::Checkpoint mark = s_.Mark();
  std::vector<int> removed;
  // One or two of: a slot, a delegate, a host.
  const int parts = std::uniform_int_distribution<int>(1, 2)(random_);
  for (int part = 0; part < parts; ++part) {
    const int kind = std::uniform_int_distribution<int>(0, 2)(random_);
    if (kind == 0 && in_.slots > 0) {
      const int t = std::uniform_int_distribution<int>(0, in_.slots - 1)(random_);
      for (int d = 0; d < in_.delegates; ++d) {
        const int h = s_.DelegateAt(d, t);
        if (h >= 0 && Movable(d * nh_ + h)) removed.push_back(d * nh_ + h);
      }
    } else if (kind == 1 && in_.delegates > 0) {
      const int d = std::uniform_int_distribution<int>(0, in_.delegates - 1)(random_);
      for (int t = 0; t < in_.slots; ++t) {
        const int h = s_.DelegateAt(d, t);
        if (h >= 0 && Movable(d * nh_ + h)) removed.push_back(d * nh_ + h);
      }
    } else if (in_.hosts > 0) {
      const int h = std::uniform_int_distribution<int>(0, in_.hosts - 1)(random_);
      for (int t = 0; t < in_.slots; ++t) {
        const int d = s_.HostAt(h, t);
        if (d >= 0 && Movable(d * nh_ + h)) removed.push_back(d * nh_ + h);
      }
    }
  }
  std::sort(removed.begin(), removed.end());
  removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
  if (removed.empty()) return false;
  for (int p : removed) s_.Remove(p);

  std::vector<int> candidates = removed;
  for (int p : chosen_) {
    if (s_.SlotOf(p) < 0) candidates.push_back(p);
  }
  std::vector<uint8_t> touched_delegate(in_.delegates, 0);
  std::vector<uint8_t> touched_host(nh_, 0);
  for (int p : removed) touched_delegate[D(p)] = touched_host[H(p)] = 1;
  for (int d = 0; d < in_.delegates; ++d) {
    if (s_.DelegateDegree(d) < std::min(in_.delegate_min[d], in_.delegate_cap[d])) {
      touched_delegate[d] = 1;
    }
  }
  for (int p : by_weight_) {
    if (s_.SlotOf(p) < 0 && (touched_delegate[D(p)] || touched_host[H(p)])) {
      candidates.push_back(p);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::uniform_real_distribution<double> noise(0.7, 1.3);
  std::vector<std::pair<double, int>> order;
  for (int p : candidates) {
    const int d = D(p);
    // Any-slot locks taken out go back first, then pairs for delegates below their minimum.
    const double urgency = s_.PinOf(p) != Pin::kNone                    ? 100
                           : s_.DelegateDegree(d) < in_.delegate_min[d] ? 10
                                                                        : 0;
    order.push_back({-(urgency + in_.weight[p] * noise(random_)), p});
  }
  std::sort(order.begin(), order.end());
  randomize_ = true;
  for (const auto& [key, p] : order) {
    if (TimeUp()) break;
    if (WorthTrying(p)) TryInsert(p, false);
  }
  randomize_ = false;
  // The re-inserted schedule, improved by exchanges, is what is judged.
  while (!TimeUp() && Exchanges()) {
  }
  const Objective delta = s_.DeltaSince(mark);
  const bool only_score_lost =
      delta.locks == 0 && delta.shortfall == 0 && delta.kept == 0 && delta.score >= -tolerance;
  if (!Improves(delta, /*allow_equal=*/true) && !only_score_lost) {
    s_.Rollback(mark);
    return false;
  }
  s_.Commit();
  return true;
}

Objective SlotSearch::Now() const {
  return {.locks = s_.locks_placed(),
          .shortfall = s_.shortfall(),
          .spread = s_.spread(),
          .kept = s_.kept(),
          .score = s_.score()};
}

std::vector<std::pair<int, int>> SlotSearch::Snapshot() const {
  std::vector<std::pair<int, int>> snapshot;
  for (int p : s_.Pairs()) snapshot.push_back({p, s_.SlotOf(p)});
  return snapshot;
}

// Goes back to a snapshot of this search (fixed-slot locks never moved since).
void SlotSearch::Restore(const std::vector<std::pair<int, int>>& snapshot) {
  for (int p : s_.Pairs()) {
    if (Movable(p)) s_.Remove(p);
  }
  for (const auto& [p, t] : snapshot) {
    if (s_.SlotOf(p) < 0) s_.Add(p, t);
  }
  s_.Commit();
}

void SlotSearch::Build(const std::vector<int>& previous, const std::vector<int>& chosen) {
  chosen_ = chosen;
  previous_count_ = static_cast<int>(previous.size());
  for (int p : previous) {
    const int t = in_.previous_slot[p];
    if (s_.SlotOf(p) >= 0 || !in_.allowed[p] || t < 0) continue;
    if (s_.CanAdd(D(p), H(p), t) && s_.DelegateDegree(D(p)) < in_.delegate_cap[D(p)] &&
        s_.HostDegree(H(p)) < in_.host_cap[H(p)]) {
      s_.Add(p, t);
    }
  }
  s_.Commit();
  // Most constrained first: the pair with the fewest free slots both can attend.
  std::vector<int> pending;
  for (int p : chosen) {
    if (s_.SlotOf(p) < 0) pending.push_back(p);
  }
  while (!pending.empty()) {
    // Repairs may have placed some pending pairs already.
    std::erase_if(pending, [&](int p) { return s_.SlotOf(p) >= 0; });
    if (pending.empty()) break;
    size_t best = 0;
    int best_free = in_.slots + 1;
    for (size_t i = 0; i < pending.size(); ++i) {
      s_.FreeSlots(D(pending[i]), H(pending[i]), free_.data());
      const int free = PopCount(free_);
      if (free < best_free ||
          (free == best_free && in_.weight[pending[i]] > in_.weight[pending[best]])) {
        best_free = free;
        best = i;
      }
    }
    const int p = pending[best];
    pending[best] = pending.back();
    pending.pop_back();
    const bool room = s_.DelegateDegree(D(p)) < in_.delegate_cap[D(p)] &&
                      s_.HostDegree(H(p)) < in_.host_cap[H(p)];
    if (!(room && best_free > 0 && PlaceDirect(p))) TryInsert(p, false);
    s_.Commit();
  }
}

void SlotSearch::Improve(const SlotSearchSettings& settings) {
  settings_ = settings;
  const int64_t work_start = s_.changes();
  work_end_ = work_start + settings.work;
  for (int p = 0; p < static_cast<int>(in_.allowed.size()); ++p) {
    if (in_.allowed[p]) by_weight_.push_back(p);
  }
  std::stable_sort(by_weight_.begin(), by_weight_.end(),
                   [&](int a, int b) { return in_.weight[a] > in_.weight[b]; });
  if (Optimal()) return;
  while ((Pass() || Exchanges()) && !TimeUp()) {
    s_.Commit();
    if (Optimal()) return;
  }
  s_.Commit();
  // Ruin and recreate, accepting a loss of score that shrinks to 0 over the rounds
  // (threshold accepting), and returning to the best schedule seen at the end.
  Objective best = Now();
  std::vector<std::pair<int, int>> best_schedule = Snapshot();
  double mean_weight = 0;
  for (int p : by_weight_) mean_weight += in_.weight[p] / by_weight_.size();
  int stalled = 0;
  for (int round = 0; round < settings.rounds && stalled < kStallRounds && !TimeUp(); ++round) {
    if (Optimal()) break;
    const double tolerance =
        kThreshold * mean_weight * (1 - static_cast<double>(round) / settings.rounds);
    ++stalled;
    if (Perturb(tolerance) && Better(Now(), best)) {
      best = Now();
      best_schedule = Snapshot();
      stalled = 0;
    }
  }
  if (Better(best, Now())) Restore(best_schedule);
  if (Optimal()) return;
  // End in a local optimum for insertions, so that re-planning the result finds nothing to
  // add without moving a meeting (unless the final deadline cuts the sweeps short).
  time_up_ = false;
  settings_.deadline = settings.final_deadline;
  work_end_ = std::max(work_end_, s_.changes()) + settings.work / 2;
  while ((Pass() || Exchanges()) && !TimeUp()) {
    s_.Commit();
  }
  s_.Commit();
}

}  // namespace

void AssignSlots(const std::vector<int>& previous, const std::vector<int>& chosen,
                 const SlotSearchSettings& settings, Schedule* schedule) {
  SlotSearch search(schedule, settings.seed);
  search.Build(previous, chosen);
  search.Improve(settings);
}

bool PlaceWithoutLoss(int pair, Schedule* schedule) {
  SlotSearch search(schedule, 1);
  return search.PlaceWithoutLoss(pair);
}

}  // namespace socio::planner::internal
