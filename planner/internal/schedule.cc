#include "planner/internal/schedule.h"

#include <algorithm>

namespace socio::planner::internal {
namespace {

constexpr double kScoreTolerance = 1e-9;

void SetBit(std::vector<uint64_t>& bits, size_t base, int t, bool value) {
  uint64_t& word = bits[base + t / 64];
  const uint64_t mask = uint64_t{1} << (t % 64);
  word = value ? (word | mask) : (word & ~mask);
}

}  // namespace

Schedule::Schedule(const SlotInstance* instance)
    : instance_(instance),
      slots_(instance->slots),
      slot_of_(size_t(instance->delegates) * instance->hosts, -1),
      pin_(slot_of_.size(), Pin::kNone),
      delegate_at_(size_t(instance->delegates) * instance->slots, -1),
      host_at_(size_t(instance->hosts) * instance->slots, -1),
      delegate_free_(size_t(instance->delegates) * instance->words, 0),
      host_free_(size_t(instance->hosts) * instance->words, 0),
      table_free_(instance->words, 0),
      used_(instance->slots, 0),
      delegate_degree_(instance->delegates, 0),
      host_degree_(instance->hosts, 0) {
  const int words = instance->words;
  for (int d = 0; d < instance->delegates; ++d) {
    for (int t = 0; t < slots_; ++t) SetBit(delegate_free_, size_t(d) * words, t, true);
    const int64_t missing = std::max(0, instance->delegate_min[d]);
    shortfall_ += missing;
    spread_ += missing * missing;
  }
  for (int h = 0; h < instance->hosts; ++h) {
    for (int t = 0; t < slots_; ++t) SetBit(host_free_, size_t(h) * words, t, true);
  }
  for (int t = 0; t < slots_; ++t) SetBit(table_free_, 0, t, instance->tables[t] > 0);
}

void Schedule::FreeSlots(int d, int h, uint64_t* out) const {
  const int words = instance_->words;
  const uint64_t* du = instance_->DelegateUsable(d);
  const uint64_t* hu = instance_->HostUsable(h);
  const uint64_t* df = &delegate_free_[size_t(d) * words];
  const uint64_t* hf = &host_free_[size_t(h) * words];
  for (int w = 0; w < words; ++w) out[w] = du[w] & hu[w] & df[w] & hf[w] & table_free_[w];
}

bool Schedule::CanAdd(int d, int h, int t) const {
  const int words = instance_->words;
  const uint64_t mask = uint64_t{1} << (t % 64);
  const int w = t / 64;
  return (instance_->delegate_usable[size_t(d) * words + w] &
          instance_->host_usable[size_t(h) * words + w] & delegate_free_[size_t(d) * words + w] &
          host_free_[size_t(h) * words + w] & table_free_[w] & mask) != 0;
}

void Schedule::Add(int pair, int slot) { Apply(pair, slot, true); }

void Schedule::Remove(int pair) { Apply(pair, slot_of_[pair], false); }

void Schedule::Apply(int pair, int slot, bool add) {
  const SlotInstance& in = *instance_;
  const int d = pair / in.hosts;
  const int h = pair % in.hosts;
  const int words = in.words;
  const int step = add ? 1 : -1;
  slot_of_[pair] = add ? slot : -1;
  delegate_at_[size_t(d) * slots_ + slot] = add ? h : -1;
  host_at_[size_t(h) * slots_ + slot] = add ? d : -1;
  SetBit(delegate_free_, size_t(d) * words, slot, !add);
  SetBit(host_free_, size_t(h) * words, slot, !add);
  used_[slot] += step;
  SetBit(table_free_, 0, slot, used_[slot] < in.tables[slot]);
  // Shortfall counts only the meetings below the minimum.
  const int64_t missing_before = std::max(0, in.delegate_min[d] - delegate_degree_[d]);
  delegate_degree_[d] += step;
  const int64_t missing_after = std::max(0, in.delegate_min[d] - delegate_degree_[d]);
  shortfall_ += missing_after - missing_before;
  spread_ += missing_after * missing_after - missing_before * missing_before;
  host_degree_[h] += step;
  if (in.Keeps(pair, slot)) kept_ += step;
  if (pin_[pair] != Pin::kNone) locks_placed_ += step;
  meetings_ += step;
  score_ += step * in.weight[pair];
  ++changes_;
  log_.push_back({pair, slot, add});
}

void Schedule::Rollback(const Checkpoint& mark) {
  while (log_.size() > mark.log_size) {
    const Change change = log_.back();
    log_.pop_back();
    Apply(change.pair, change.slot, !change.added);
    log_.pop_back();  // the inverse just logged
  }
}

Objective Schedule::DeltaSince(const Checkpoint& mark) const {
  Objective delta;
  delta.shortfall = shortfall_ - mark.shortfall;
  delta.spread = spread_ - mark.spread;
  for (size_t i = mark.log_size; i < log_.size(); ++i) {
    const Change& c = log_[i];
    const int step = c.added ? 1 : -1;
    delta.score += step * instance_->weight[c.pair];
    if (instance_->Keeps(c.pair, c.slot)) delta.kept += step;
    if (pin_[c.pair] != Pin::kNone) delta.locks += step;
  }
  return delta;
}

std::vector<int> Schedule::Pairs() const {
  std::vector<int> pairs;
  const SlotInstance& in = *instance_;
  for (int d = 0; d < in.delegates; ++d) {
    for (int t = 0; t < slots_; ++t) {
      const int h = DelegateAt(d, t);
      if (h >= 0) pairs.push_back(d * in.hosts + h);
    }
  }
  return pairs;
}

bool Improves(const Objective& delta, bool allow_equal) {
  if (delta.locks != 0) return delta.locks > 0;
  if (delta.kept != 0) return delta.kept > 0;
  if (delta.shortfall != 0) return delta.shortfall < 0;
  if (delta.spread != 0) return delta.spread < 0;
  if (delta.score > kScoreTolerance) return true;
  return allow_equal && delta.score > -kScoreTolerance;
}

}  // namespace socio::planner::internal
