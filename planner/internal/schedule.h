// Internal to socio::planner: a partial schedule (pair -> slot) that can be changed
// tentatively and rolled back, and the objective the local search ranks schedules by.
#ifndef SOCIO_PLANNER_INTERNAL_SCHEDULE_H_
#define SOCIO_PLANNER_INTERNAL_SCHEDULE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace socio::planner::internal {

// A problem in the dense form the slot assignment works on. Pairs are d * hosts + h.
struct SlotInstance {
  int delegates = 0;
  int hosts = 0;
  int slots = 0;
  int words = 0;                          // 64-bit words of a slot set
  std::vector<uint64_t> delegate_usable;  // delegates x words: available and tables > 0
  std::vector<uint64_t> host_usable;      // hosts x words
  std::vector<int> tables;
  std::vector<int> delegate_cap;  // min(max_meetings, usable slots)
  std::vector<int> host_cap;
  std::vector<int> delegate_min;   // min(min_meetings, delegate_cap)
  std::vector<double> weight;      // the pair's score
  std::vector<uint8_t> allowed;    // may meet without a lock: score > 0, not excluded, and
                                   // the two share a usable slot
  std::vector<int> previous_slot;  // slot in the previous plan, or -1
  // 1: the pair's previous slot is no longer usable by both (an unavailability, no tables).
  std::vector<uint8_t> previous_slot_lost;

  const uint64_t* DelegateUsable(int d) const { return &delegate_usable[size_t(d) * words]; }
  const uint64_t* HostUsable(int h) const { return &host_usable[size_t(h) * words]; }
  // Whether `pair` in `slot` keeps a meeting of the previous plan: in its previous slot, or
  // anywhere when that slot is lost to it.
  bool Keeps(int pair, int slot) const {
    return previous_slot[pair] == slot || (previous_slot[pair] >= 0 && previous_slot_lost[pair]);
  }
};

// How a lock pins a pair.
enum class Pin : uint8_t { kNone, kAnySlot, kFixedSlot };

// The objective, compared lexicographically: all locks placed, most previous meetings kept
// (SlotInstance::Keeps), least shortfall, shortfall spread most evenly (least sum of
// squares of the delegates' shortfalls), highest score.
struct Objective {
  int locks = 0;
  int shortfall = 0;
  int64_t spread = 0;  // sum over delegates of shortfall squared
  int kept = 0;
  double score = 0;
};

// REQUIRES (all methods): arguments in range; Add only where CanAdd.
class Schedule {
 public:
  explicit Schedule(const SlotInstance* instance);

  const SlotInstance& instance() const { return *instance_; }

  int SlotOf(int pair) const { return slot_of_[pair]; }
  Pin PinOf(int pair) const { return pin_[pair]; }
  void SetPin(int pair, Pin pin) { pin_[pair] = pin; }
  // The host delegate d meets in slot t, or -1; the delegate host h meets, or -1.
  int DelegateAt(int d, int t) const { return delegate_at_[size_t(d) * slots_ + t]; }
  int HostAt(int h, int t) const { return host_at_[size_t(h) * slots_ + t]; }
  int DelegateDegree(int d) const { return delegate_degree_[d]; }
  int HostDegree(int h) const { return host_degree_[h]; }
  int Used(int t) const { return used_[t]; }
  bool TableFree(int t) const { return used_[t] < instance_->tables[t]; }

  // Slots where the pair could be added now, as a bit set of `words` words (caps ignored).
  void FreeSlots(int d, int h, uint64_t* out) const;
  bool CanAdd(int d, int h, int t) const;

  void Add(int pair, int slot);
  void Remove(int pair);

  // Changes since a checkpoint can be undone; Commit forgets them all.
  struct Checkpoint {
    size_t log_size;
    int shortfall;
    int64_t spread;
  };
  Checkpoint Mark() const { return {log_.size(), shortfall_, spread_}; }
  void Rollback(const Checkpoint& mark);
  void Commit() { log_.clear(); }

  // The change of the objective since `mark`, exact for score up to one rounding per change.
  Objective DeltaSince(const Checkpoint& mark) const;
  int shortfall() const { return shortfall_; }
  int64_t spread() const { return spread_; }
  int kept() const { return kept_; }
  int locks_placed() const { return locks_placed_; }
  int meetings() const { return meetings_; }
  // Running sum of the scores (rounding accumulates over many changes).
  double score() const { return score_; }

  // Meetings added or removed so far, rolled back or not: a measure of the work done.
  int64_t changes() const { return changes_; }

  // All scheduled pairs (in no particular order).
  std::vector<int> Pairs() const;

 private:
  struct Change {
    int pair;
    int slot;
    bool added;
  };
  void Apply(int pair, int slot, bool add);

  const SlotInstance* instance_;
  int slots_;
  std::vector<int> slot_of_;
  std::vector<Pin> pin_;
  std::vector<int> delegate_at_;
  std::vector<int> host_at_;
  std::vector<uint64_t> delegate_free_;
  std::vector<uint64_t> host_free_;
  std::vector<uint64_t> table_free_;
  std::vector<int> used_;
  std::vector<int> delegate_degree_;
  std::vector<int> host_degree_;
  int shortfall_ = 0;
  int64_t spread_ = 0;
  int kept_ = 0;
  int locks_placed_ = 0;
  int meetings_ = 0;
  double score_ = 0;
  int64_t changes_ = 0;
  std::vector<Change> log_;
};

// True when `delta` (from DeltaSince) improves the objective; `allow_equal` accepts a
// change that leaves it the same.
bool Improves(const Objective& delta, bool allow_equal = false);

}  // namespace socio::planner::internal

#endif  // SOCIO_PLANNER_INTERNAL_SCHEDULE_H_
