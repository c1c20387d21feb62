// The snapshot codec of MatchIndex: Save and Load (see match_index.h).
#include <cstring>
#include <string>
#include <type_traits>

#include "absl/types/span.h"
#include "matcher/match_index.h"

namespace socio::matcher {
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

}  // namespace socio::matcher
