#include "reference/lexicon.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

// FreeDict's three-letter names of the languages, by TextLanguage.
constexpr std::array<absl::string_view, kTextLanguageCount> kFreeDictNames = {"eng", "spa", "por",
                                                                              "deu", "fra", "ita"};

constexpr size_t kBlockBytes = size_t{1} << 20;

// One entry of a dictd index: the headword and where its article lies in
// the decompressed .dict.
struct IndexEntry {
  absl::string_view headword;
  uint64_t offset;
  uint64_t length;
};

// dictd's base-64 numbers: most significant digit first.
bool DecodeNumber(absl::string_view digits, uint64_t* out) {
  uint64_t value = 0;
  for (char c : digits) {
    int d;
    if (c >= 'A' && c <= 'Z') {
      d = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      d = c - '0' + 52;
    } else if (c == '+') {
      d = 62;
    } else if (c == '/') {
      d = 63;
    } else {
      return false;
    }
    value = value * 64 + static_cast<uint64_t>(d);
  }
  *out = value;
  return !digits.empty();
}

// A word as the lexicon keeps it: three bytes or more of letters (bytes
// >= 0x80 count as letters), nothing else.
bool IsPlainWord(absl::string_view word) {
  if (word.size() < 3) return false;
  for (char c : word) {
    if (!absl::ascii_isalpha(c) && static_cast<unsigned char>(c) < 0x80) return false;
  }
  return true;
}

// The one-word items of an article's senses (its headword line skipped),
// with whether they belong to the first: "1. look for, seek\n2. fetch"
// gives {"seek", true}, {"fetch", false}; "<n>" tags and notes in brackets
// are dropped, indented lines (examples, synonyms) skipped.
std::vector<std::pair<absl::string_view, bool>> SenseWords(absl::string_view article) {
  std::vector<std::pair<absl::string_view, bool>> words;
  absl::string_view rest = article;
  const size_t first_break = rest.find('\n');
  if (first_break == absl::string_view::npos) return words;
  rest.remove_prefix(first_break + 1);
  bool first = true;
  for (absl::string_view line : absl::StrSplit(rest, '\n')) {
    if (line.empty() || absl::ascii_isspace(static_cast<unsigned char>(line[0]))) continue;
    // "1. fetch, get" -> "fetch, get"
    size_t digits = 0;
    while (digits < line.size() && absl::ascii_isdigit(static_cast<unsigned char>(line[digits]))) {
      ++digits;
    }
    if (digits > 0 && absl::StartsWith(line.substr(digits), ". ")) line.remove_prefix(digits + 2);
    for (absl::string_view item : absl::StrSplit(line, absl::ByAnyChar(",;"))) {
      const size_t bracket = item.find_first_of("<([{");
      if (bracket != absl::string_view::npos) item = item.substr(0, bracket);
      item = absl::StripAsciiWhitespace(item);
      if (IsPlainWord(item)) words.emplace_back(item, first);
    }
    first = false;
  }
  return words;
}

// Bytes two strings share from the start.
size_t SharedPrefix(absl::string_view a, absl::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read failed"));
  return std::move(text).str();
}

uint64_t Fnv64(absl::string_view a, absl::string_view b, int language) {
  uint64_t hash = 14695981039346656037ull;
  auto mix = [&hash](unsigned char c) { hash = (hash ^ c) * 1099511628211ull; };
  mix(static_cast<unsigned char>(language));
  for (unsigned char c : a) mix(c);
  mix(0);
  for (unsigned char c : b) mix(c);
  return hash;
}

}  // namespace

absl::string_view Lexicon::Keep(absl::string_view text) {
  if (block_used_ + text.size() > block_size_) {
    block_size_ = std::max(kBlockBytes, text.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* at = blocks_.back().get() + block_used_;
  std::memcpy(at, text.data(), text.size());
  block_used_ += text.size();
  return absl::string_view(at, text.size());
}

uint32_t Lexicon::Common(absl::string_view english) {
  auto it = common_index_.find(english);
  if (it != common_index_.end()) return it->second;
  const absl::string_view kept = Keep(english);
  const uint32_t index = static_cast<uint32_t>(commons_.size());
  commons_.push_back(kept);
  common_index_.emplace(kept, index);
  return index;
}

absl::Status Lexicon::AddDictionary(TextLanguage language, const std::string& base, bool reverse,
                                    Candidates* candidates) {
  const std::string index_path = base + ".index";
  const std::string dict_path = base + ".dict.dz";
  absl::StatusOr<std::string> index_text = ReadFile(index_path);
  if (!index_text.ok()) return index_text.status();
  std::vector<IndexEntry> entries;
  for (absl::string_view line : absl::StrSplit(*index_text, '\n')) {
    const std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    if (fields.size() < 3 || absl::StartsWith(fields[0], "00")) continue;
    IndexEntry entry{fields[0], 0, 0};
    if (!DecodeNumber(fields[1], &entry.offset) || !DecodeNumber(fields[2], &entry.length)) {
      return absl::DataLossError(absl::StrCat(index_path, ": bad line '", line, "'"));
    }
    if (IsPlainWord(entry.headword)) entries.push_back(entry);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const IndexEntry& x, const IndexEntry& y) { return x.offset < y.offset; });

  gzFile dict = gzopen(dict_path.c_str(), "rb");
  if (dict == nullptr) return absl::DataLossError(absl::StrCat(dict_path, ": cannot open"));
  gzbuffer(dict, 1 << 17);
  // The decompressed bytes [buffer_start, buffer_start + buffer.size()).
  std::string buffer;
  uint64_t buffer_start = 0;
  char chunk[1 << 16];
  // Drops the bytes before `offset` once they are many or all behind it.
  auto drop_before = [&](uint64_t offset) {
    const size_t behind =
        static_cast<size_t>(std::min<uint64_t>(offset - buffer_start, buffer.size()));
    if (behind >= (size_t{1} << 20) || behind == buffer.size()) {
      buffer.erase(0, behind);
      buffer_start += behind;
    }
  };
  for (const IndexEntry& entry : entries) {
    if (entry.offset >= buffer_start) drop_before(entry.offset);
    while (buffer_start + buffer.size() < entry.offset + entry.length) {
      const int n = gzread(dict, chunk, sizeof(chunk));
      if (n <= 0) {
        gzclose(dict);
        return absl::DataLossError(
            absl::StrCat(dict_path, ": ends before the article of '", entry.headword, "'"));
      }
      buffer.append(chunk, static_cast<size_t>(n));
      if (entry.offset >= buffer_start) drop_before(entry.offset);
    }
    if (entry.offset < buffer_start) continue;  // an article listed twice
    const absl::string_view article(buffer.data() + (entry.offset - buffer_start),
                                    static_cast<size_t>(entry.length));
    const std::vector<std::pair<absl::string_view, bool>> words = SenseWords(article);
    auto add = [&](absl::string_view foreign, absl::string_view english, int votes) {
      std::string key = Stem(language, LowerWord(foreign));
      std::string common = Stem(kEnglish, LowerWord(english));
      if (key.size() < 3 || common.size() < 3) return;
      // A cognate ("importador", "importer") is the likeliest sense in trade.
      const std::string folded = FoldLatin(LowerWord(foreign));
      if (SharedPrefix(folded, common) >= 4) votes += 3;
      // The article of the word itself ("Wein") before those of longer words
      // with the same stem ("weinen").
      if (!reverse && folded == key) votes += 2;
      (*candidates)[std::move(key)].push_back({std::move(common), votes});
    };
    for (size_t i = 0; i < words.size(); ++i) {
      const auto& [word, first_sense] = words[i];
      if (reverse) {
        if (first_sense) add(word, entry.headword, 2);
      } else {
        add(entry.headword, word, i == 0 ? 2 : first_sense ? 1 : 0);
      }
    }
  }
  gzclose(dict);
  return absl::OkStatus();
}

void Lexicon::Resolve(TextLanguage language, const Candidates& candidates) {
  absl::flat_hash_map<absl::string_view, uint32_t>& map = maps_[language];
  map.reserve(candidates.size());
  for (const auto& [key, list] : candidates) {
    // Votes per common form, summed over the articles that give it; ties
    // go to the form given first.
    absl::flat_hash_map<absl::string_view, int> votes;
    const std::string* best = nullptr;
    int best_votes = -1;
    for (const Candidate& c : list) {
      const int v = (votes[c.common] += c.votes + 1);
      if (v > best_votes) {
        best_votes = v;
        best = &c.common;
      }
    }
    map.emplace(Keep(key), Common(*best));
    fingerprint_ += Fnv64(key, *best, language);
  }
  if (!map.empty()) languages_ |= 1u << language;
}

absl::StatusOr<Lexicon> Lexicon::Load(const std::string& dir) {
  Lexicon lexicon;
  std::vector<std::string> loaded;
  for (int l = kSpanish; l < kTextLanguageCount; ++l) {
    const TextLanguage language = static_cast<TextLanguage>(l);
    Candidates candidates;
    for (bool reverse : {false, true}) {
      const std::string base = reverse ? absl::StrCat(dir, "/freedict-eng-", kFreeDictNames[l])
                                       : absl::StrCat(dir, "/freedict-", kFreeDictNames[l], "-eng");
      absl::Status s = lexicon.AddDictionary(language, base, reverse, &candidates);
      // A dictionary not installed leaves its language out; see summary().
      if (!s.ok() && !absl::IsNotFound(s)) return s;
    }
    lexicon.Resolve(language, candidates);
    if (lexicon.languages_ & (1u << l)) {
      loaded.push_back(absl::StrCat(TextLanguageCode(language), " ", lexicon.size(language)));
    }
  }
  lexicon.common_index_ = {};  // only needed while loading
  if (loaded.empty()) {
    lexicon.summary_ = absl::StrCat("no FreeDict dictionaries in ", dir,
                                    ": text matches words of the same language only");
  } else {
    lexicon.summary_ = absl::StrCat("bilingual lexicon from FreeDict in ", dir,
                                    " (words per language: ", absl::StrJoin(loaded, ", "), "; ",
                                    lexicon.memory_bytes() >> 20, " MiB)");
  }
  return lexicon;
}

absl::string_view Lexicon::English(TextLanguage language, absl::string_view stem) const {
  const absl::flat_hash_map<absl::string_view, uint32_t>& map = maps_[language];
  if (map.empty()) return {};
  auto it = map.find(stem);
  return it == map.end() ? absl::string_view() : commons_[it->second];
}

size_t Lexicon::memory_bytes() const {
  size_t bytes = blocks_.size() * kBlockBytes + commons_.capacity() * sizeof(absl::string_view);
  for (const auto& map : maps_) {
    bytes += map.capacity() * (sizeof(std::pair<absl::string_view, uint32_t>) + 1);
  }
  return bytes;
}

}  // namespace socio::reference
