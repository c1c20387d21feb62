#include "matcher/match_index.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "matcher/explanation.h"

namespace socio::matcher {
namespace {

using socio::v1::Profile;

constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();
constexpr size_t kTextChunk = size_t{1} << 20;
// Bounds are compared with this slack so rounding never prunes a partner the
// full scan would keep.
constexpr double kBoundSlack = 1e-9;

}  // namespace

struct MatchIndex::Slot {
  const char* id = nullptr;
  const char* name = nullptr;
  uint8_t id_size = 0;
  uint8_t name_size = 0;
  bool live = false;
  int64_t version = 0;

  absl::string_view id_view() const { return {id, id_size}; }
  absl::string_view name_view() const { return {name, name_size}; }
};

struct MatchIndex::Subject {
  std::optional<Features> probe;  // set for an unsaved profile
  FeatureView stored{nullptr, nullptr, nullptr};
  uint32_t slot = kNoSlot;  // the member's own slot, never a partner

  FeatureView view() const { return probe ? probe->view() : stored; }
};

MatchIndex::MatchIndex(std::shared_ptr<const ScoringTables> tables) : tables_(std::move(tables)) {
  absl::MutexLock lock(&mu_);
  by_country_.resize(tables_->country_count());
  by_country_key_.resize(static_cast<size_t>(tables_->country_count()) * 32);
  by_country_wanted_.resize(static_cast<size_t>(tables_->country_count()) *
                            tables_->country_count());
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
                        wanted_[slot].bits != features.wanted.bits;
    if (repost) UnpostLocked(slot);
    garbage_words_ += FeatureView(&old, &wanted_[slot], &words_[old.words]).word_count();
    features.header.words = static_cast<uint32_t>(words_.size());
    words_.insert(words_.end(), features.words.begin(), features.words.end());
    headers_[slot] = features.header;
    wanted_[slot] = features.wanted;
    summaries_[slot] = features.summary;
    if (repost) PostLocked(slot);
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

namespace {

constexpr char kSaveMagic[8] = {'S', 'O', 'C', 'I', 'O', 'M', 'X', '1'};

template <typename T>
void Append(std::string* out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Reads what Append wrote, refusing to run past the end.
class SavedBytes {
 public:
  explicit SavedBytes(absl::string_view bytes) : rest_(bytes) {}

  template <typename T>
  bool Read(T* value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (rest_.size() < sizeof(T)) return false;
    std::memcpy(value, rest_.data(), sizeof(T));
    rest_.remove_prefix(sizeof(T));
    return true;
  }
  bool ReadBytes(size_t n, absl::string_view* out) {
    if (rest_.size() < n) return false;
    *out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  absl::string_view rest_;
};

}  // namespace

std::string MatchIndex::Save() const {
  absl::ReaderMutexLock lock(&mu_);
  std::string out;
  out.reserve(live_ * (sizeof(ProfileHeader) + sizeof(CountrySet) + sizeof(BoundSummary) + 32) +
              (words_.size() - garbage_words_) * sizeof(uint32_t));
  out.append(kSaveMagic, sizeof(kSaveMagic));
  Append(&out, tables_->fingerprint());
  Append(&out, static_cast<uint64_t>(live_));
  Append(&out, static_cast<uint64_t>(chambers_.size()));
  Append(&out, static_cast<uint64_t>(vocabulary_.size()));
  for (const std::string& chamber : chambers_) {
    Append(&out, static_cast<uint32_t>(chamber.size()));
    out.append(chamber);
  }
  for (const auto& [hash, word] : vocabulary_) {
    Append(&out, hash);
    Append(&out, static_cast<uint32_t>(word.size()));
    out.append(word);
  }
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    const Slot& s = slots_[slot];
    if (!s.live) continue;
    const ProfileHeader& h = headers_[slot];
    const absl::Span<const uint32_t> words(
        &words_[h.words], FeatureView(&h, &wanted_[slot], &words_[h.words]).word_count());
    ProfileHeader saved = h;
    saved.words = 0;  // where the run starts is the loader's business
    Append(&out, saved);
    Append(&out, wanted_[slot]);
    Append(&out, summaries_[slot]);
    Append(&out, s.version);
    Append(&out, s.id_size);
    Append(&out, s.name_size);
    Append(&out, static_cast<uint32_t>(words.size()));
    out.append(s.id, s.id_size);
    out.append(s.name, s.name_size);
    out.append(reinterpret_cast<const char*>(words.data()), words.size() * sizeof(uint32_t));
  }
  return out;
}

absl::Status MatchIndex::Load(absl::string_view bytes) {
  absl::MutexLock lock(&mu_);
  if (!slots_.empty()) return absl::FailedPreconditionError("Load: the index is not empty");
  absl::Status status = LoadLocked(bytes);
  if (!status.ok()) ClearLocked();
  return status;
}

absl::Status MatchIndex::LoadLocked(absl::string_view bytes) {
  auto truncated = [] { return absl::DataLossError("saved index: truncated or inconsistent"); };
  SavedBytes in(bytes);
  absl::string_view magic;
  uint64_t fingerprint = 0, live = 0, chambers = 0, vocabulary = 0;
  if (!in.ReadBytes(sizeof(kSaveMagic), &magic) ||
      magic != absl::string_view(kSaveMagic, sizeof(kSaveMagic))) {
    return absl::DataLossError("saved index: not an index");
  }
  if (!in.Read(&fingerprint) || !in.Read(&live) || !in.Read(&chambers) || !in.Read(&vocabulary)) {
    return truncated();
  }
  if (fingerprint != tables_->fingerprint()) {
    return absl::FailedPreconditionError(
        "saved index: made with other reference data or another feature format");
  }
  if (live > bytes.size() || chambers > bytes.size() || vocabulary > bytes.size()) {
    return truncated();
  }
  for (uint64_t i = 0; i < chambers; ++i) {
    uint32_t size = 0;
    absl::string_view name;
    if (!in.Read(&size) || !in.ReadBytes(size, &name)) return truncated();
    InternChamberLocked(std::string(name));
  }
  vocabulary_.reserve(vocabulary);
  for (uint64_t i = 0; i < vocabulary; ++i) {
    uint32_t hash = 0, size = 0;
    absl::string_view word;
    if (!in.Read(&hash) || !in.Read(&size) || !in.ReadBytes(size, &word)) return truncated();
    vocabulary_.try_emplace(hash, word);
  }
  headers_.resize(live);
  wanted_.resize(live);
  summaries_.resize(live);
  slots_.resize(live);
  by_id_.reserve(live);
  for (uint32_t slot = 0; slot < live; ++slot) {
    ProfileHeader& h = headers_[slot];
    Slot& s = slots_[slot];
    uint32_t word_count = 0;
    absl::string_view id, name, words;
    if (!in.Read(&h) || !in.Read(&wanted_[slot]) || !in.Read(&summaries_[slot]) ||
        !in.Read(&s.version) || !in.Read(&s.id_size) || !in.Read(&s.name_size) ||
        !in.Read(&word_count) || !in.ReadBytes(s.id_size, &id) ||
        !in.ReadBytes(s.name_size, &name) ||
        !in.ReadBytes(size_t{word_count} * sizeof(uint32_t), &words)) {
      return truncated();
    }
    if (h.country >= tables_->country_count() || h.chamber >= chambers_.size()) return truncated();
    h.words = static_cast<uint32_t>(words_.size());
    words_.resize(words_.size() + word_count);
    std::memcpy(&words_[h.words], words.data(), words.size());
    // The run's own counts must add up to what was saved, or views of it
    // would read past it.
    size_t counted = size_t{h.n_sectors} + h.n_languages + h.n_doc_terms + h.n_query_terms;
    for (int i = 0; i < h.n_objectives && counted < word_count; ++i) {
      const uint32_t head = words_[h.words + counted];
      counted += 1 + ((head >> 16) & 0xff) + (head >> 24);
    }
    if (counted != word_count) return truncated();
    s.id = StoreTextLocked(id).data();
    s.name = StoreTextLocked(name).data();
    s.live = true;
    if (!by_id_.emplace(absl::string_view(s.id, s.id_size), slot).second) return truncated();
    PostLocked(slot);
    ++live_;
  }
  return in.done() ? absl::OkStatus() : truncated();
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
  for (auto* lists : {&by_country_, &by_country_key_, &by_country_wanted_}) {
    for (std::vector<uint32_t>& posting : *lists) posting.clear();
  }
  text_chunks_.clear();
  text_used_ = 0;
  live_ = 0;
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
  for (const auto& posting : by_country_wanted_) {
    m.postings += posting.capacity() * sizeof(uint32_t);
  }
  m.postings +=
      (by_country_.capacity() + by_country_key_.capacity() + by_country_wanted_.capacity()) *
      sizeof(std::vector<uint32_t>);
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

absl::StatusOr<MatchIndex::Subject> MatchIndex::SubjectOf(const PartnerQuery& query) const {
  Subject subject;
  if (query.probe != nullptr) {
    auto chamber = chamber_numbers_.find(query.probe->chamber_id());
    subject.probe = ExtractFeatures(
        *query.probe, *tables_, chamber == chamber_numbers_.end() ? kNoChamber : chamber->second);
    auto self = by_id_.find(query.probe->id());
    if (!query.probe->id().empty() && self != by_id_.end()) subject.slot = self->second;
    return subject;
  }
  auto it = by_id_.find(query.member_id);
  if (it == by_id_.end()) {
    return absl::NotFoundError(absl::StrCat("member_id: no profile '", query.member_id, "'"));
  }
  subject.slot = it->second;
  subject.stored = ViewOf(it->second);
  return subject;
}

// One FindPartners run: the filters, the bounds and the top-k heap.
class MatchIndex::Search {
 public:
  Search(const MatchIndex& index, const Subject& subject, const PartnerQuery& query)
      ABSL_SHARED_LOCKS_REQUIRED(index.mu_)
      : index_(index),
        query_(query),
        a_(subject.view()),
        context_{index.tables_.get(), query.weights, DayOf(query.now_seconds)},
        w_(query.weights.w) {
    for (const std::string& id : query.filters.exclude_ids) {
      auto it = index.by_id_.find(id);
      if (it != index.by_id_.end()) excluded_.insert(it->second);
    }
    if (subject.slot != kNoSlot) excluded_.insert(subject.slot);
    for (int type = 1; type <= socio::v1::Objective::Type_MAX; ++type) {
      const uint32_t all = ObjectiveKey(type, 0) | ObjectiveKey(type, 1) | ObjectiveKey(type, 2);
      if (query.filters.type_keys & all) type_filter_ |= all;
    }
    freshness_of_a_ = FreshnessScore(context_.today, a_);
    const ScoringTables& tables = *index.tables_;
    const FeatureView& a = a_;
    a_summary_ = subject.probe ? subject.probe->summary : index.summaries_[subject.slot];
    a_own_sections_ = tables.SectionsOf(a_summary_.own);
    a_interest_sections_ = tables.SectionsOf(a_summary_.interest);
    // The query terms' Bloom bits in layers: a bit two terms share is in the
    // first two layers, so the popcounts of a candidate's doc_bloom against
    // each layer add up to the terms whose bit it has.
    for (uint32_t term : a_.query_terms()) {
      const uint64_t bit = uint64_t{1} << (term % 64);
      size_t layer = 0;
      while (layer < query_layers_.size() && (query_layers_[layer] & bit)) ++layer;
      if (layer == query_layers_.size()) query_layers_.push_back(0);
      query_layers_[layer] |= bit;
    }
    a.ForEachObjective([&](const ObjectiveView& x) {
      AObjective o;
      o.complement = ComplementKeys(ObjectiveKey(x.type, x.direction));
      o.any_sector = x.sectors.empty();
      for (uint32_t code : x.sectors) o.divisions.Add(tables.DivisionsOf(code));
      o.sections = tables.SectionsOf(o.divisions);
      a_objectives_.push_back(o);
    });
  }

  // Upper bounds of the objective, sector, culture and text factors of a
  // candidate from its header and summary alone (see BoundSummary).
  struct LooseFactors {
    double objective_forward, objective_backward;
    double sector_forward, sector_backward;
    double text_forward, text_backward;
  };
  LooseFactors Loose(const ProfileHeader& h, const BoundSummary& b) const {
    static constexpr double kNearSector = 0.15 + 0.85 * 0.25;
    LooseFactors f{};
    for (const AObjective& x : a_objectives_) {
      if ((x.complement & h.objective_keys) == 0) continue;
      const double value = x.any_sector || x.divisions.Intersects(b.interest) ? 1
                           : x.sections.Intersects(b.interest)                ? kNearSector
                                                                              : 0.15;
      f.objective_forward = std::max(f.objective_forward, value);
    }
    if (f.objective_forward > 0) {
      f.objective_backward =
          (h.flags & kObjectiveWithoutSectors) || b.interest.Intersects(a_summary_.interest) ? 1
          : b.interest.Intersects(a_interest_sections_) ? kNearSector
                                                        : 0.15;
    }
    if (h.n_sectors == 0 || a_summary_.interest.Empty()) {
      f.sector_forward = 0.5;
    } else {
      f.sector_forward = a_summary_.interest.Intersects(b.own)    ? 1
                         : a_interest_sections_.Intersects(b.own) ? 0.25
                                                                  : 0;
    }
    if (a_.header().n_sectors == 0 || b.interest.Empty()) {
      f.sector_backward = 0.5;
    } else {
      f.sector_backward = b.interest.Intersects(a_summary_.own)    ? 1
                          : b.interest.Intersects(a_own_sections_) ? 0.25
                                                                   : 0;
    }
    const absl::Span<const uint32_t> query = a_.query_terms();
    if (query.empty()) {
      f.text_forward = 0.5;
    } else {
      int hits = 0;
      for (uint64_t layer : query_layers_) hits += __builtin_popcountll(b.doc_bloom & layer);
      f.text_forward = static_cast<double>(hits) / static_cast<double>(query.size());
    }
    f.text_backward = h.n_query_terms == 0 ? 0.5 : (b.query_bloom & a_summary_.doc_bloom) ? 1 : 0;
    return f;
  }

  // Hard filters on the header alone.
  bool PassesHeader(uint32_t slot) const ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const ProfileHeader& h = index_.headers_[slot];
    const PartnerFilters& f = query_.filters;
    if (!Visible(a_.header(), h, query_.staff_view, query_.now_seconds)) return false;
    if (f.exclude_own_chamber && h.chamber == a_.header().chamber) return false;
    if (type_filter_ != 0 && (h.objective_keys & type_filter_) == 0) return false;
    if (f.min_employees != 0 && h.employees < f.min_employees) return false;
    if (f.max_employees != 0 && (h.employees == 0 || h.employees > f.max_employees)) return false;
    return !excluded_.contains(slot);
  }

  // Hard filters that read the words.
  bool PassesWords(const FeatureView& b) const {
    const PartnerFilters& f = query_.filters;
    if (!f.sectors.empty()) {
      bool any = false;
      for (SectorCode want : f.sectors) {
        for (uint32_t have : b.sectors()) {
          any |= CommonSectorLevels(want, have) == SectorLevel(want);
        }
      }
      if (!any) return false;
    }
    if (!f.languages.empty()) {
      bool any = false;
      for (uint32_t want : f.languages) {
        any |= std::find(b.languages().begin(), b.languages().end(), want) != b.languages().end();
      }
      if (!any) return false;
    }
    return true;
  }

  // Calls visit(slot) for each slot of a posting list. The records of the
  // candidate a few places ahead are fetched meanwhile: the loop is bound by
  // memory, since postings are scattered over the record arrays.
  template <typename Visit>
  void ForEachPosted(const std::vector<uint32_t>& posting, Visit&& visit) const
      ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    constexpr size_t kAhead = 8;
    const size_t n = posting.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {
        const uint32_t ahead = posting[i + kAhead];
        __builtin_prefetch(&index_.headers_[ahead]);
        __builtin_prefetch(&index_.summaries_[ahead]);
        __builtin_prefetch(&index_.wanted_[ahead]);
      }
      visit(posting[i]);
    }
  }

  bool Full() const { return static_cast<int>(heap_.size()) == query_.k; }
  double Threshold() const { return heap_.front().first - kBoundSlack; }

  // x ranks before y: higher score, then smaller id.
  bool Better(const std::pair<double, uint32_t>& x,
              const std::pair<double, uint32_t>& y) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (x.first != y.first) return x.first > y.first;
    return index_.slots_[x.second].id_view() < index_.slots_[y.second].id_view();
  }

  void Offer(double score, uint32_t slot) {
    const std::pair<double, uint32_t> entry(score, slot);
    auto better = [this](const auto& x, const auto& y) { return Better(x, y); };
    if (!Full()) {
      heap_.push_back(entry);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (Better(entry, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = entry;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }

  // Scores the candidate fully and offers it.
  void Score(uint32_t slot) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const FeatureView b = index_.ViewOf(slot);
    if (!PassesWords(b)) return;
    ++scored_;
    Offer(ScorePair(context_, a_, b).score, slot);
  }

  // Every candidate, no bounds.
  void RunBruteForce() ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    for (uint32_t slot = 0; slot < index_.headers_.size(); ++slot) {
      if (!index_.slots_[slot].live) continue;
      if (query_.filters.countries &&
          !query_.filters.countries->Has(index_.headers_[slot].country)) {
        continue;
      }
      if (PassesHeader(slot)) Score(slot);
    }
  }

  void Run() ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
    const ScoringTables& tables = *index_.tables_;
    const uint32_t complement = ComplementKeys(a_.header().objective_keys);
    const double text_forward = a_.query_terms().empty() ? 0.5 : 1;
    // Per country, four groups: whether the candidates' objectives complement
    // the member's, and whether they want to enter the member's country (a
    // backward market score of 1; at most 0.6 otherwise).
    struct Group {
      double bound;
      int country;
      bool complementary;
      bool wants_us;
      double market_forward;
      double culture_forward;  // with a shared language; without:
      double culture_forward_apart;
      double culture_backward;
      double culture_backward_apart;
    };
    std::vector<Group> groups;
    const reference::CountryPairs& pairs = tables.pairs();
    const int ac = a_.country();
    for (int c = 0; c < tables.country_count(); ++c) {
      if (index_.by_country_[c].empty()) continue;
      if (query_.filters.countries && !query_.filters.countries->Has(c)) continue;
      Group g{0,
              c,
              false,
              false,
              MarketScore(tables, a_, c),
              0.6 * pairs.Closeness(ac, c) + 0.4,
              0.6 * pairs.Closeness(ac, c) + 0.4 * pairs.SharedLanguage(ac, c),
              0.6 * pairs.Closeness(c, ac) + 0.4,
              0.6 * pairs.Closeness(c, ac) + 0.4 * pairs.SharedLanguage(c, ac)};
      for (bool complementary : {true, false}) {
        if (complementary && complement == 0) continue;
        for (bool wants_us : {true, false}) {
          const double objective = complementary ? 1 : 0;
          const double forward = w_[kObjective] * objective + w_[kMarket] * g.market_forward +
                                 w_[kSector] + w_[kCulture] * g.culture_forward +
                                 w_[kText] * text_forward + w_[kSize] + w_[kFreshness];
          const double backward = w_[kObjective] * objective + w_[kMarket] * (wants_us ? 1 : 0.6) +
                                  w_[kSector] + w_[kCulture] * g.culture_backward + w_[kText] +
                                  w_[kSize] + w_[kFreshness] * freshness_of_a_;
          g.complementary = complementary;
          g.wants_us = wants_us;
          g.bound = Reciprocal(forward, backward);
          groups.push_back(g);
        }
      }
    }
    std::sort(groups.begin(), groups.end(), [](const Group& x, const Group& y) {
      if (x.bound != y.bound) return x.bound > y.bound;
      if (x.country != y.country) return x.country < y.country;
      return std::pair(x.complementary, x.wants_us) > std::pair(y.complementary, y.wants_us);
    });

    const uint32_t a_languages = a_.header().language_bloom;
    for (const Group& g : groups) {
      if (Full() && g.bound < Threshold()) break;
      auto visit = [&](uint32_t slot) ABSL_SHARED_LOCKS_REQUIRED(index_.mu_) {
        if (!PassesHeader(slot)) return;
        if (Full()) {
          // The per-candidate bound from the header and the summary: first
          // with the group's market, size and freshness bounds, then with
          // those three exact.
          const ProfileHeader& h = index_.headers_[slot];
          const LooseFactors loose = Loose(h, index_.summaries_[slot]);
          const bool may_share = (h.language_bloom & a_languages) != 0;
          const double loose_forward =
              w_[kObjective] * loose.objective_forward + w_[kMarket] * g.market_forward +
              w_[kSector] * loose.sector_forward +
              w_[kCulture] * (may_share ? g.culture_forward : g.culture_forward_apart) +
              w_[kText] * loose.text_forward;
          const double loose_backward =
              w_[kObjective] * loose.objective_backward + w_[kSector] * loose.sector_backward +
              w_[kCulture] * (may_share ? g.culture_backward : g.culture_backward_apart) +
              w_[kText] * loose.text_backward + w_[kFreshness] * freshness_of_a_;
          if (Reciprocal(loose_forward + w_[kSize] + w_[kFreshness],
                         loose_backward + w_[kMarket] * (g.wants_us ? 1 : 0.6) + w_[kSize]) <
              Threshold()) {
            return;
          }
          const FeatureView b = index_.ViewOf(slot);
          const double size = SizeScore(a_, b);
          const double forward =
              loose_forward + w_[kSize] * size + w_[kFreshness] * FreshnessScore(context_.today, b);
          const double backward =
              loose_backward + w_[kMarket] * MarketScore(tables, b, ac) + w_[kSize] * size;
          if (Reciprocal(forward, backward) < Threshold()) return;
        }
        Score(slot);
      };
      if (g.wants_us) {
        const size_t list = static_cast<size_t>(g.country) * tables.country_count() + ac;
        ForEachPosted(index_.by_country_wanted_[list], [&](uint32_t slot) {
          if (((index_.headers_[slot].objective_keys & complement) != 0) == g.complementary) {
            visit(slot);
          }
        });
      } else if (g.complementary) {
        // Each candidate once: under the lowest of its complementary keys.
        for (uint32_t keys = complement; keys != 0; keys &= keys - 1) {
          const int bit = __builtin_ctz(keys);
          const uint32_t earlier = complement & ((uint32_t{1} << bit) - 1);
          ForEachPosted(index_.by_country_key_[g.country * 32u + bit], [&](uint32_t slot) {
            if (index_.headers_[slot].objective_keys & earlier) return;
            if (!index_.wanted_[slot].Has(ac)) visit(slot);
          });
        }
      } else {
        ForEachPosted(index_.by_country_[g.country], [&](uint32_t slot) {
          if (index_.headers_[slot].objective_keys & complement) return;
          if (!index_.wanted_[slot].Has(ac)) visit(slot);
        });
      }
    }
  }

  // The heap's entries, best first.
  std::vector<std::pair<double, uint32_t>> Ranked() {
    std::vector<std::pair<double, uint32_t>> out = heap_;
    std::sort(out.begin(), out.end(),
              [this](const auto& x, const auto& y) { return Better(x, y); });
    return out;
  }

  int64_t scored() const { return scored_; }

 private:
  const MatchIndex& index_;
  const PartnerQuery& query_;
  const FeatureView a_;
  const ScoreContext context_;
  const std::array<double, kFactorCount>& w_;
  struct AObjective {
    uint32_t complement = 0;  // keys of the objectives that complement it
    bool any_sector = false;  // names no sector
    DivisionSet divisions;    // of its sectors
    DivisionSet sections;     // every division of their sections
  };
  BoundSummary a_summary_;
  DivisionSet a_own_sections_;
  DivisionSet a_interest_sections_;
  std::vector<uint64_t> query_layers_;
  std::vector<AObjective> a_objectives_;
  absl::flat_hash_set<uint32_t> excluded_;
  uint32_t type_filter_ = 0;
  double freshness_of_a_ = 0;
  std::vector<std::pair<double, uint32_t>> heap_;
  int64_t scored_ = 0;
};

PartnerResult MatchIndex::Describe(const Subject& subject, const PartnerQuery& query,
                                   const std::vector<std::pair<double, uint32_t>>& top,
                                   int64_t scored) const {
  const ScoreContext context{tables_.get(), query.weights, DayOf(query.now_seconds)};
  auto word_of = [&](uint32_t hash) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (subject.probe) {
      for (const Term& term : subject.probe->query_words) {
        if (TermHash(term.stem) == hash) return term.word;
      }
    }
    return WordOf(hash);
  };
  PartnerResult result;
  result.candidates_scored = scored;
  for (const auto& [score, slot] : top) {
    const Slot& s = slots_[slot];
    socio::v1::Match match =
        DescribeMatch(context, subject.view(), ViewOf(slot),
                      {s.id_view(), s.name_view(), chambers_[headers_[slot].chamber]}, word_of);
    match.set_rank(static_cast<int>(result.matches.size()) + 1);
    result.matches.push_back(std::move(match));
  }
  return result;
}

absl::StatusOr<PartnerResult> MatchIndex::FindPartners(const PartnerQuery& query) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<Subject> subject = SubjectOf(query);
  if (!subject.ok()) return subject.status();
  Search search(*this, *subject, query);
  search.Run();
  return Describe(*subject, query, search.Ranked(), search.scored());
}

absl::StatusOr<PartnerResult> MatchIndex::FindPartnersBruteForce(const PartnerQuery& query) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<Subject> subject = SubjectOf(query);
  if (!subject.ok()) return subject.status();
  Search search(*this, *subject, query);
  search.RunBruteForce();
  return Describe(*subject, query, search.Ranked(), search.scored());
}

absl::StatusOr<std::vector<double>> MatchIndex::PairScores(const std::vector<std::string>& a_ids,
                                                           const std::vector<std::string>& b_ids,
                                                           const Weights& weights,
                                                           int64_t now_seconds) const {
  absl::ReaderMutexLock lock(&mu_);
  auto slots_of = [&](const std::vector<std::string>& ids, std::vector<uint32_t>* slots)
                      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
                        for (const std::string& id : ids) {
                          auto it = by_id_.find(id);
                          if (it == by_id_.end())
                            return absl::NotFoundError(absl::StrCat("no profile '", id, "'"));
                          slots->push_back(it->second);
                        }
                        return absl::OkStatus();
                      };
  std::vector<uint32_t> a_slots, b_slots;
  if (absl::Status s = slots_of(a_ids, &a_slots); !s.ok()) return s;
  if (absl::Status s = slots_of(b_ids, &b_slots); !s.ok()) return s;
  const ScoreContext context{tables_.get(), weights, DayOf(now_seconds)};
  std::vector<double> scores;
  scores.reserve(a_slots.size() * b_slots.size());
  for (uint32_t a : a_slots) {
    const FeatureView a_view = ViewOf(a);
    for (uint32_t b : b_slots) {
      scores.push_back(a == b ? 0 : ScorePair(context, a_view, ViewOf(b)).score);
    }
  }
  return scores;
}

absl::StatusOr<socio::v1::Match> MatchIndex::Explain(absl::string_view a_id, absl::string_view b_id,
                                                     const Weights& weights, int64_t now_seconds,
                                                     bool staff_view) const {
  absl::ReaderMutexLock lock(&mu_);
  auto a = by_id_.find(a_id);
  if (a == by_id_.end()) return absl::NotFoundError(absl::StrCat("a_id: no profile '", a_id, "'"));
  auto b = by_id_.find(b_id);
  if (b == by_id_.end() || a->second == b->second ||
      !Visible(headers_[a->second], headers_[b->second], staff_view, now_seconds)) {
    return absl::NotFoundError(
        absl::StrCat("b_id: no profile '", b_id, "' visible to '", a_id, "'"));
  }
  Subject subject;
  subject.slot = a->second;
  subject.stored = ViewOf(a->second);
  PartnerQuery query;
  query.weights = weights;
  query.now_seconds = now_seconds;
  PartnerResult result = Describe(subject, query, {{0.0, b->second}}, 1);
  socio::v1::Match match = std::move(result.matches.front());
  match.clear_rank();
  return match;
}

}  // namespace socio::matcher
