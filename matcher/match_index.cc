// MatchIndex's upkeep: adding, replacing and removing records with their
// postings and feature words, its memory, and the lookups the search and the
// snapshot codec share. The partner search is in partner_search.cc, the
// snapshot codec in index_snapshot.cc.
#include "matcher/match_index.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

namespace socio::matcher {

using socio::v1::Profile;

namespace {

constexpr size_t kTextChunk = size_t{1} << 20;

}  // namespace

MatchIndex::MatchIndex(std::shared_ptr<const ScoringTables> tables) : tables_(std::move(tables)) {
  absl::MutexLock lock(&mu_);
  by_country_.resize(tables_->country_count());
  by_country_key_.resize(static_cast<size_t>(tables_->country_count()) * 32);
  by_country_wanted_.resize(static_cast<size_t>(tables_->country_count()) *
                            tables_->country_count());
  by_country_offered_.resize(by_country_wanted_.size());
  unions_.resize(static_cast<size_t>(tables_->country_count()) * (kAllKeys + 1));
}

MatchIndex::~MatchIndex() = default;

absl::string_view MatchIndex::StoreTextLocked(absl::string_view text) {
  if (text_chunks_.empty() || text_used_ + text.size() > kTextChunk) {
    text_chunks_.push_back(std::make_unique<char[]>(std::max(kTextChunk, text.size())));
    text_used_ = 0;
  }
  char* out = text_chunks_.back().get() + text_used_;
  std::memcpy(out, text.data(), text.size());
  text_used_ += text.size();
  return {out, text.size()};
}

uint32_t MatchIndex::InternChamberLocked(const std::string& chamber_id) {
  auto [it, inserted] =
      chamber_numbers_.try_emplace(chamber_id, static_cast<uint32_t>(chambers_.size()));
  if (inserted) chambers_.push_back(chamber_id);
  return it->second;
}

void MatchIndex::PostLocked(uint32_t slot) {
  const ProfileHeader& h = headers_[slot];
  by_country_[h.country].push_back(slot);
  for (uint32_t keys = h.objective_keys; keys != 0; keys &= keys - 1) {
    by_country_key_[h.country * 32u + __builtin_ctz(keys)].push_back(slot);
  }
  const size_t base = static_cast<size_t>(h.country) * tables_->country_count();
  wanted_[slot].ForEach([&](int market) { by_country_wanted_[base + market].push_back(slot); });
  OfferedMarkets(ViewOf(slot)).ForEach([&](int market) {
    by_country_offered_[base + market].push_back(slot);
  });
  UniteLocked(slot);
}

void MatchIndex::UniteLocked(uint32_t slot) {
  const ProfileHeader& h = headers_[slot];
  const BoundSummary& summary = summaries_[slot];
  SummaryUnion* unions = &unions_[static_cast<size_t>(h.country) * (kAllKeys + 1)];
  unions[kAllKeys].Add(summary);
  for (uint32_t keys = h.objective_keys; keys != 0; keys &= keys - 1) {
    unions[__builtin_ctz(keys)].Add(summary);
  }
}

void MatchIndex::UnpostLocked(uint32_t slot) {
  auto erase = [slot](std::vector<uint32_t>& posting) {
    auto it = std::find(posting.begin(), posting.end(), slot);
    if (it == posting.end()) return;
    *it = posting.back();
    posting.pop_back();
  };
  const ProfileHeader& h = headers_[slot];
  erase(by_country_[h.country]);
  for (uint32_t keys = h.objective_keys; keys != 0; keys &= keys - 1) {
    erase(by_country_key_[h.country * 32u + __builtin_ctz(keys)]);
  }
  const size_t base = static_cast<size_t>(h.country) * tables_->country_count();
  wanted_[slot].ForEach([&](int market) { erase(by_country_wanted_[base + market]); });
  OfferedMarkets(ViewOf(slot)).ForEach([&](int market) {
    erase(by_country_offered_[base + market]);
  });
}

void MatchIndex::UpsertLocked(const Profile& profile, Features features) {
  features.header.chamber = InternChamberLocked(profile.chamber_id());
  for (const Term& term : features.query_words) {
    vocabulary_.try_emplace(TermHash(term.stem), term.word);
  }
  auto it = by_id_.find(profile.id());
  uint32_t slot;
  if (it != by_id_.end()) {
    slot = it->second;
    if (slots_[slot].version >= profile.version()) return;
    const ProfileHeader& old = headers_[slot];
    const bool repost = old.country != features.header.country ||
                        old.objective_keys != features.header.objective_keys ||
                        wanted_[slot].bits != features.wanted.bits ||
                        OfferedMarkets(ViewOf(slot)).bits != OfferedMarkets(features.view()).bits;
    if (repost) UnpostLocked(slot);
    garbage_words_ += FeatureView(&old, &wanted_[slot], &words_[old.words]).word_count();
    features.header.words = static_cast<uint32_t>(words_.size());
    words_.insert(words_.end(), features.words.begin(), features.words.end());
    headers_[slot] = features.header;
    wanted_[slot] = features.wanted;
    summaries_[slot] = features.summary;
    if (repost) {
      PostLocked(slot);
    } else {
      UniteLocked(slot);
    }
    LoosenedLocked();
  } else {
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<uint32_t>(headers_.size());
      headers_.emplace_back();
      wanted_.emplace_back();
      summaries_.emplace_back();
      slots_.emplace_back();
    }
    const absl::string_view id = StoreTextLocked(profile.id());
    slots_[slot].id = id.data();
    slots_[slot].id_size = static_cast<uint8_t>(id.size());
    slots_[slot].live = true;
    slots_[slot].name = nullptr;
    slots_[slot].name_size = 0;
    by_id_.emplace(id, slot);
    features.header.words = static_cast<uint32_t>(words_.size());
    words_.insert(words_.end(), features.words.begin(), features.words.end());
    headers_[slot] = features.header;
    wanted_[slot] = features.wanted;
    summaries_[slot] = features.summary;
    PostLocked(slot);
    ++live_;
  }
  Slot& s = slots_[slot];
  s.version = profile.version();
  const absl::string_view name = absl::string_view(profile.name()).substr(0, 255);
  if (s.name_view() != name) {
    const absl::string_view stored = StoreTextLocked(name);
    s.name = stored.data();
    s.name_size = static_cast<uint8_t>(stored.size());
  }
  if (garbage_words_ > (size_t{1} << 20) && garbage_words_ * 2 > words_.size()) {
    CompactWordsLocked();
  }
}

void MatchIndex::CompactWordsLocked() {
  std::vector<uint32_t> words;
  words.reserve(words_.size() - garbage_words_);
  for (uint32_t slot = 0; slot < headers_.size(); ++slot) {
    if (!slots_[slot].live) continue;
    ProfileHeader& h = headers_[slot];
    const size_t count = FeatureView(&h, &wanted_[slot], &words_[h.words]).word_count();
    const uint32_t begin = static_cast<uint32_t>(words.size());
    words.insert(words.end(), words_.begin() + h.words, words_.begin() + h.words + count);
    h.words = begin;
  }
  words_ = std::move(words);
  garbage_words_ = 0;
}

void MatchIndex::ClearLocked() {
  headers_.clear();
  wanted_.clear();
  summaries_.clear();
  slots_.clear();
  free_slots_.clear();
  words_.clear();
  garbage_words_ = 0;
  by_id_.clear();
  chambers_.clear();
  chamber_numbers_.clear();
  vocabulary_.clear();
  for (auto* lists : {&by_country_, &by_country_key_, &by_country_wanted_, &by_country_offered_}) {
    for (std::vector<uint32_t>& posting : *lists) posting.clear();
  }
  std::fill(unions_.begin(), unions_.end(), SummaryUnion());
  loosened_ = 0;
  text_chunks_.clear();
  text_used_ = 0;
  live_ = 0;
}

void MatchIndex::TightenUnions() {
  absl::MutexLock lock(&mu_);
  TightenUnionsLocked();
}

void MatchIndex::TightenUnionsLocked() {
  std::fill(unions_.begin(), unions_.end(), SummaryUnion());
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    if (slots_[slot].live) UniteLocked(slot);
  }
  loosened_ = 0;
}

void MatchIndex::Cluster() {
  absl::MutexLock lock(&mu_);
  ClusterLocked();
}

void MatchIndex::ClusterLocked() {
  // Sorted on keys copied out of the records, which the comparisons would
  // otherwise read from all over memory.
  struct Place {
    std::tuple<uint16_t, uint32_t, uint64_t, uint64_t, uint32_t> key;
    bool operator<(const Place& other) const { return key < other.key; }
  };
  std::vector<Place> places;
  places.reserve(live_);
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    if (!slots_[slot].live) continue;
    const BoundSummary& s = summaries_[slot];
    places.push_back(
        {{headers_[slot].country, s.objective_keys, s.interest.bits[0], s.interest.bits[1], slot}});
  }
  std::sort(places.begin(), places.end());
  std::vector<uint32_t> order;
  order.reserve(places.size());
  for (const Place& place : places) order.push_back(std::get<4>(place.key));
  places = {};
  auto permute = [&order](auto* records) {
    std::remove_reference_t<decltype(*records)> out;
    out.reserve(order.size());
    for (uint32_t slot : order) out.push_back((*records)[slot]);
    *records = std::move(out);
  };
  permute(&headers_);
  permute(&wanted_);
  permute(&summaries_);
  permute(&slots_);
  free_slots_.clear();
  for (auto* lists : {&by_country_, &by_country_key_, &by_country_wanted_, &by_country_offered_}) {
    for (std::vector<uint32_t>& posting : *lists) posting.clear();
  }
  std::fill(unions_.begin(), unions_.end(), SummaryUnion());
  loosened_ = 0;
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    by_id_[slots_[slot].id_view()] = slot;
    PostLocked(slot);
  }
}

void MatchIndex::LoosenedLocked() {
  if (++loosened_ >= std::max<size_t>(1024, live_ / 8)) TightenUnionsLocked();
}

void MatchIndex::Upsert(const Profile& profile) {
  Features features = ExtractFeatures(profile, *tables_, kNoChamber);
  absl::MutexLock lock(&mu_);
  UpsertLocked(profile, std::move(features));
}

void MatchIndex::UpsertMany(const std::vector<Profile>& profiles, int threads) {
  std::vector<Features> features(profiles.size());
  const size_t n = profiles.size();
  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(n / 256) + 1));
  auto extract = [&](int worker) {
    for (size_t i = worker; i < n; i += workers) {
      features[i] = ExtractFeatures(profiles[i], *tables_, kNoChamber);
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(extract, w);
  extract(0);
  for (std::thread& t : pool) t.join();
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < n; ++i) UpsertLocked(profiles[i], std::move(features[i]));
}

void MatchIndex::RemoveSlotLocked(uint32_t slot) {
  UnpostLocked(slot);
  const ProfileHeader& h = headers_[slot];
  garbage_words_ += FeatureView(&h, &wanted_[slot], &words_[h.words]).word_count();
  by_id_.erase(slots_[slot].id_view());
  slots_[slot].live = false;
  free_slots_.push_back(slot);
  --live_;
  LoosenedLocked();
}

void MatchIndex::Clear() {
  absl::MutexLock lock(&mu_);
  ClearLocked();
}

void MatchIndex::Remove(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it != by_id_.end()) RemoveSlotLocked(it->second);
}

size_t MatchIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return live_;
}

bool MatchIndex::Contains(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  return by_id_.contains(id);
}

IndexMemory MatchIndex::Memory() const {
  absl::ReaderMutexLock lock(&mu_);
  IndexMemory m;
  m.records = headers_.capacity() * sizeof(ProfileHeader) +
              wanted_.capacity() * sizeof(CountrySet) +
              summaries_.capacity() * sizeof(BoundSummary) + slots_.capacity() * sizeof(Slot) +
              free_slots_.capacity() * sizeof(uint32_t) + text_chunks_.size() * kTextChunk;
  m.words = words_.capacity() * sizeof(uint32_t);
  for (const auto& posting : by_country_) m.postings += posting.capacity() * sizeof(uint32_t);
  for (const auto& posting : by_country_key_) m.postings += posting.capacity() * sizeof(uint32_t);
  for (const auto* lists : {&by_country_wanted_, &by_country_offered_}) {
    for (const auto& posting : *lists) m.postings += posting.capacity() * sizeof(uint32_t);
  }
  m.postings += (by_country_.capacity() + by_country_key_.capacity() +
                 by_country_wanted_.capacity() + by_country_offered_.capacity()) *
                sizeof(std::vector<uint32_t>);
  m.postings += unions_.capacity() * sizeof(SummaryUnion);
  m.lookup = by_id_.capacity() * (sizeof(std::pair<absl::string_view, uint32_t>) + 1) +
             chamber_numbers_.capacity() * (sizeof(std::pair<std::string, uint32_t>) + 1) +
             chambers_.capacity() * sizeof(std::string) +
             vocabulary_.capacity() * (sizeof(std::pair<uint32_t, std::string>) + 1);
  return m;
}

FeatureView MatchIndex::ViewOf(uint32_t slot) const {
  return FeatureView(&headers_[slot], &wanted_[slot], &words_[headers_[slot].words]);
}

bool PartnerVisible(Profile::Visibility visibility, bool same_chamber, bool staff_view,
                    int64_t valid_until_seconds, int64_t now_seconds) {
  if (valid_until_seconds <= now_seconds) return false;
  switch (visibility) {
    case Profile::FEDERATION:
      return true;
    case Profile::CHAMBER:
      return same_chamber;
    default:
      return staff_view && same_chamber;
  }
}

bool MatchIndex::Visible(const ProfileHeader& viewer, const ProfileHeader& candidate,
                         bool staff_view, int64_t now_seconds) {
  return PartnerVisible(static_cast<Profile::Visibility>(candidate.visibility),
                        candidate.chamber == viewer.chamber, staff_view, candidate.valid_until,
                        now_seconds);
}

std::string MatchIndex::WordOf(uint32_t hash) const {
  auto it = vocabulary_.find(hash);
  return it == vocabulary_.end() ? "" : it->second;
}

}  // namespace socio::matcher
