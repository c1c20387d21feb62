#include "matcher/features.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "reference/common_terms.h"
#include "reference/text_fold.h"

namespace socio::matcher {
namespace {

using socio::v1::Objective;
using socio::v1::Profile;

// The NACE codes of the products `text` names: the hand-written list reads
// its folded words in all six languages; the class titles read its words in
// their common form, in English or translated from the profile's languages.
std::vector<std::string> ProductSectorsIn(const reference::ReferenceData& reference,
                                          reference::TextLanguageSet languages,
                                          absl::string_view text) {
  std::vector<std::string> common;
  reference::ForEachCommonTerm(
      text, languages, reference.lexicon(),
      [&common](absl::string_view stem, absl::string_view) { common.emplace_back(stem); });
  return reference.products().SectorsIn(reference::FoldedWords(text), common);
}

}  // namespace

int32_t DayOf(int64_t unix_seconds) {
  return static_cast<int32_t>(unix_seconds >= 0 ? unix_seconds / 86400
                                                : (unix_seconds - 86399) / 86400);
}

uint32_t LanguageWord(absl::string_view code) {
  return code.size() == 2 ? (uint32_t{static_cast<unsigned char>(code[0])} << 8) |
                                static_cast<unsigned char>(code[1])
                          : 0;
}

SectorCode PackSector(const reference::NaceCatalog& nace, absl::string_view code) {
  if (code.size() == 1 && code[0] >= 'A' && code[0] <= 'U') {
    return static_cast<SectorCode>(code[0] - 'A' + 1) << 24;
  }
  const std::optional<char> section = nace.SectionOf(code);
  if (!section.has_value() || code.size() < 2) return 0;
  SectorCode packed = static_cast<SectorCode>(*section - 'A' + 1) << 24;
  packed |= static_cast<SectorCode>((code[0] - '0') * 10 + (code[1] - '0') + 1) << 16;
  if (code.size() >= 4) packed |= static_cast<SectorCode>(code[3] - '0' + 1) << 8;
  if (code.size() >= 5) packed |= static_cast<SectorCode>(code[4] - '0' + 1);
  return packed;
}

std::string UnpackSector(SectorCode code) {
  const int division = static_cast<int>((code >> 16) & 0xff);
  if (division == 0) return std::string(1, static_cast<char>('A' + (code >> 24) - 1));
  std::string out = absl::StrCat(division - 1 < 10 ? "0" : "", division - 1);
  const int group = static_cast<int>((code >> 8) & 0xff);
  if (group != 0) absl::StrAppend(&out, ".", group - 1);
  const int klass = static_cast<int>(code & 0xff);
  if (klass != 0) absl::StrAppend(&out, klass - 1);
  return out;
}

ScoringTables::ScoringTables(std::shared_ptr<const reference::ReferenceData> reference)
    : reference_(std::move(reference)) {
  const std::vector<reference::Country>& countries = reference_->countries().countries();
  auto bit_of = [this](const std::string& m49) -> uint64_t {
    if (m49.empty()) return 0;
    auto it = std::find(region_codes_.begin(), region_codes_.end(), m49);
    if (it != region_codes_.end()) return uint64_t{1} << (it - region_codes_.begin());
    if (region_codes_.size() == 64) return 0;  // M49 has about 25; never reached
    region_codes_.push_back(m49);
    return uint64_t{1} << (region_codes_.size() - 1);
  };
  for (const reference::Country& country : countries) {
    region_bit_.push_back(bit_of(country.region_code));
    subregion_bit_.push_back(bit_of(country.subregion_code));
  }
  const reference::NaceCatalog& nace = reference_->sectors();
  for (const reference::Sector* section : nace.List("", false)) {
    const int number = section->code[0] - 'A' + 1;
    for (const reference::Sector* division : nace.List(section->code, false)) {
      int d = 0;
      if (division->code.size() != 2 || !absl::SimpleAtoi(division->code, &d)) continue;
      section_divisions_[number].bits[d >> 6] |= uint64_t{1} << (d & 63);
      division_section_[d] = static_cast<uint8_t>(number);
    }
  }
  std::string key =
      absl::StrCat("format ", kFeatureFormat, " ", sizeof(ProfileHeader), " ", sizeof(BoundSummary),
                   " ", sizeof(CountrySet), " ", kMaxDocTerms, " ", kMaxQueryTerms, "\n");
  for (const reference::Country& country : countries) {
    absl::StrAppend(&key, country.alpha2, ";", country.name, ";", country.region_code, ";",
                    country.subregion_code, "\n");
  }
  for (int d = 0; d < 100; ++d) absl::StrAppend(&key, division_section_[d], ",");
  absl::StrAppend(&key, "\nlexicon ", reference_->lexicon().fingerprint());
  fingerprint_ = 14695981039346656037ull;  // FNV-1a, 64 bits: the same in every process
  for (unsigned char c : key) fingerprint_ = (fingerprint_ ^ c) * 1099511628211ull;
}

namespace {

// The divisions TradeGroupsOf splits: their section (1 = A) and first bit;
// each has ten bits at most, one per group digit it uses.
struct TradeDivision {
  int division;
  uint32_t section;
  int first_bit;
  int digits;  // group digits 0 .. digits - 1
};
constexpr TradeDivision kTradeDivisions[] = {
    {33, 3, 0, 3}, {45, 7, 3, 5}, {46, 7, 8, 10}, {47, 7, 18, 10}, {95, 19, 28, 3},
};

}  // namespace

bool IsTradeDivision(int division) {
  for (const TradeDivision& t : kTradeDivisions) {
    if (t.division == division) return true;
  }
  return false;
}

uint32_t TradeGroupsOf(SectorCode code) {
  const uint32_t section = code >> 24;
  const int division = static_cast<int>((code >> 16) & 0xff) - 1;
  const int group = static_cast<int>((code >> 8) & 0xff) - 1;
  uint32_t bits = 0;
  for (const TradeDivision& t : kTradeDivisions) {
    const uint32_t all = ((uint32_t{1} << t.digits) - 1) << t.first_bit;
    if (division < 0) {
      if (section == t.section) bits |= all;
    } else if (division == t.division) {
      bits |= group >= 0 && group < t.digits ? uint32_t{1} << (t.first_bit + group) : all;
    }
  }
  return bits;
}

DivisionSet ScoringTables::DivisionsOf(SectorCode code) const {
  const uint32_t division = (code >> 16) & 0xff;
  if (division == 0) return section_divisions_[std::min<uint32_t>(code >> 24, 21)];
  DivisionSet set;
  const uint32_t d = division - 1;
  set.bits[d >> 6] |= uint64_t{1} << (d & 63);
  return set;
}

DivisionSet ScoringTables::SectionsOf(const DivisionSet& divisions) const {
  DivisionSet out;
  for (int d = 0; d < 100; ++d) {
    if (((divisions.bits[d >> 6] >> (d & 63)) & 1) && division_section_[d] != 0) {
      out.Add(section_divisions_[division_section_[d]]);
    }
  }
  return out;
}

uint64_t ScoringTables::RegionCodeBit(absl::string_view m49) const {
  auto it = std::find(region_codes_.begin(), region_codes_.end(), m49);
  return it == region_codes_.end() ? 0 : uint64_t{1} << (it - region_codes_.begin());
}

bool IsSymmetricType(int type) {
  return type == Objective::JOINT_VENTURE || type == Objective::TECHNICAL_COOPERATION ||
         type == Objective::RESEARCH_COOPERATION;
}

CountrySet OfferedMarkets(const FeatureView& view) {
  CountrySet offered;
  view.ForEachObjective([&](const ObjectiveView& o) {
    if (o.direction == socio::v1::Objective::SEEK || IsSymmetricType(o.type)) return;
    for (uint32_t market : o.markets) {
      if (!view.wanted().Has(static_cast<int>(market))) offered.Add(static_cast<int>(market));
    }
  });
  return offered;
}

uint32_t ComplementKeys(uint32_t keys) {
  uint32_t complement = 0;
  for (int type = 1; type <= Objective::Type_MAX; ++type) {
    const uint32_t all = ObjectiveKey(type, 0) | ObjectiveKey(type, 1) | ObjectiveKey(type, 2);
    if ((keys & all) == 0) continue;
    if (IsSymmetricType(type)) {
      complement |= all;
      continue;
    }
    if (keys & ObjectiveKey(type, Objective::SEEK))
      complement |= ObjectiveKey(type, Objective::OFFER);
    if (keys & ObjectiveKey(type, Objective::OFFER))
      complement |= ObjectiveKey(type, Objective::SEEK);
  }
  return complement;
}

namespace {

constexpr int kAnyDirection = -1;
constexpr int kKeyBits = 32;

// The table of features.h, one row a pair.
struct NearPair {
  int x_type;
  int x_direction;  // kAnyDirection: any
  int y_type;
  int y_direction;
  double discount;
};
constexpr NearPair kNearPairs[] = {
    {Objective::DISTRIBUTION, Objective::SEEK, Objective::AGENCY, Objective::OFFER, 0.8},
    {Objective::AGENCY, Objective::SEEK, Objective::DISTRIBUTION, Objective::OFFER, 0.8},
    {Objective::DISTRIBUTION, Objective::SEEK, Objective::SUPPLY, Objective::OFFER, 0.7},
    {Objective::SUPPLY, Objective::SEEK, Objective::DISTRIBUTION, Objective::OFFER, 0.7},
    {Objective::MANUFACTURING, Objective::SEEK, Objective::SUPPLY, Objective::OFFER, 0.7},
    {Objective::SUPPLY, Objective::SEEK, Objective::MANUFACTURING, Objective::OFFER, 0.7},
    {Objective::LICENSING, kAnyDirection, Objective::TECHNICAL_COOPERATION, kAnyDirection, 0.6},
};

// kNearPairs by key bit ((type - 1) * 3 + direction), both ways.
struct NearTable {
  std::array<std::array<double, kKeyBits>, kKeyBits> discount{};
  std::array<uint32_t, kKeyBits> keys{};

  NearTable() {
    for (const NearPair& pair : kNearPairs) {
      for (int dx = 0; dx < 3; ++dx) {
        if (pair.x_direction != kAnyDirection && pair.x_direction != dx) continue;
        for (int dy = 0; dy < 3; ++dy) {
          if (pair.y_direction != kAnyDirection && pair.y_direction != dy) continue;
          const int x = (pair.x_type - 1) * 3 + dx;
          const int y = (pair.y_type - 1) * 3 + dy;
          discount[x][y] = discount[y][x] = std::max(discount[x][y], pair.discount);
          keys[x] |= uint32_t{1} << y;
          keys[y] |= uint32_t{1} << x;
        }
      }
    }
  }
};

const NearTable& Near() {
  static const NearTable* const table = new NearTable();
  return *table;
}

// The key bit of (type, direction), or -1 outside the table.
int KeyBit(int type, int direction) {
  if (type < 1 || type > Objective::Type_MAX || direction < 0 || direction > 2) return -1;
  return (type - 1) * 3 + direction;
}

}  // namespace

double NearTypeDiscount(int x_type, int x_direction, int y_type, int y_direction) {
  const int x = KeyBit(x_type, x_direction);
  const int y = KeyBit(y_type, y_direction);
  return x < 0 || y < 0 ? 0 : Near().discount[x][y];
}

uint32_t NearComplementKeys(uint32_t keys) {
  uint32_t near = 0;
  for (uint32_t k = keys; k != 0; k &= k - 1) near |= Near().keys[__builtin_ctz(k)];
  return near;
}

double BestNearDiscount(uint32_t key, uint32_t keys) {
  if (key == 0) return 0;
  const std::array<double, kKeyBits>& row = Near().discount[__builtin_ctz(key)];
  double best = 0;
  for (uint32_t k = keys; k != 0; k &= k - 1) best = std::max(best, row[__builtin_ctz(k)]);
  return best;
}

size_t FeatureView::word_count() const {
  size_t count =
      header_->n_sectors + header_->n_languages + header_->n_doc_terms + header_->n_query_terms;
  ForEachObjective([&](const ObjectiveView& objective) {
    count += 1 + objective.sectors.size() + objective.markets.size();
  });
  return count;
}

Features ExtractFeatures(const Profile& profile, const ScoringTables& tables, uint32_t chamber) {
  const reference::ReferenceData& reference = tables.reference();
  const reference::CountryCatalog& catalog = reference.countries();
  const reference::NaceCatalog& nace = reference.sectors();
  Features f;
  ProfileHeader& h = f.header;
  const int country = catalog.Index(profile.country());
  h.country = static_cast<uint16_t>(std::max(country, 0));
  h.chamber = chamber;
  h.visibility = static_cast<uint8_t>(profile.visibility());
  h.employees = static_cast<uint32_t>(std::max(profile.employees(), 0));
  if (profile.has_valid_until()) h.valid_until = profile.valid_until().seconds();
  if (profile.has_update_time()) h.update_day = DayOf(profile.update_time().seconds());

  std::vector<uint32_t>& words = f.words;
  for (const std::string& sector : profile.sectors()) {
    if (SectorCode code = PackSector(nace, sector); code != 0 && h.n_sectors < 255) {
      words.push_back(code);
      ++h.n_sectors;
      f.summary.own.Add(tables.DivisionsOf(code));
      f.summary.own_groups |= FoldTradeGroups(TradeGroupsOf(code));
    }
  }
  for (const std::string& language : profile.languages()) {
    if (uint32_t word = LanguageWord(language); word != 0 && h.n_languages < 255) {
      words.push_back(word);
      ++h.n_languages;
      h.language_bloom |= uint32_t{1} << (word % 32);
    }
  }

  // Text is read in English and in the profile's languages.
  const reference::TextLanguageSet text_languages = reference::LanguagesOf(profile.languages());
  const reference::Lexicon& lexicon = reference.lexicon();
  std::vector<uint32_t> doc;
  doc.reserve(2 * kMaxDocTerms);
  auto add_doc = [&](absl::string_view text) {
    AppendTermHashes(text, text_languages, lexicon, &doc);
  };
  for (const std::string& keyword : profile.keywords()) add_doc(keyword);
  add_doc(profile.city());
  if (country >= 0) add_doc(catalog.countries()[country].name);
  for (const Objective& objective : profile.objectives()) add_doc(objective.note());
  add_doc(profile.description());
  if (doc.size() > kMaxDocTerms) doc.resize(kMaxDocTerms);
  std::sort(doc.begin(), doc.end());
  words.insert(words.end(), doc.begin(), doc.end());
  h.n_doc_terms = static_cast<uint8_t>(doc.size());

  for (const Objective& objective : profile.objectives()) {
    AppendTerms(objective.note(), text_languages, lexicon, &f.query_words);
  }
  if (f.query_words.size() > kMaxQueryTerms) f.query_words.resize(kMaxQueryTerms);
  const size_t query_begin = words.size();
  for (const Term& term : f.query_words) words.push_back(TermHash(term.stem));
  std::sort(words.begin() + query_begin, words.end());
  words.erase(std::unique(words.begin() + query_begin, words.end()), words.end());
  h.n_query_terms = static_cast<uint8_t>(words.size() - query_begin);

  for (const std::string& market : profile.target_markets()) {
    if (int index = catalog.Index(market); index >= 0) f.wanted.Add(index);
  }
  std::string profile_text = profile.description();
  for (const std::string& keyword : profile.keywords())
    absl::StrAppend(&profile_text, ". ", keyword);
  for (const Objective& objective : profile.objectives()) {
    if (objective.type() <= 0 || objective.type() > Objective::Type_MAX || h.n_objectives == 255) {
      continue;
    }
    h.objective_keys |= ObjectiveKey(objective.type(), objective.direction());
    const size_t head = words.size();
    words.push_back(0);
    uint32_t n_sectors = 0;
    for (const std::string& sector : objective.sectors()) {
      if (SectorCode code = PackSector(nace, sector); code != 0 && n_sectors < 255) {
        words.push_back(code);
        ++n_sectors;
        f.summary.interest.Add(tables.DivisionsOf(code));
        f.summary.interest_groups |= FoldTradeGroups(TradeGroupsOf(code));
      }
    }
    const bool wanted =
        objective.direction() == Objective::SEEK || IsSymmetricType(objective.type());
    uint32_t sources = 0;
    if (n_sectors == 0 && objective.sectors().empty()) {
      const auto add_sectors = [&](const std::vector<std::string>& codes) {
        for (const std::string& sector : codes) {
          if (SectorCode code = PackSector(nace, sector); code != 0 && n_sectors < 255) {
            words.push_back(code);
            ++n_sectors;
            f.summary.interest.Add(tables.DivisionsOf(code));
            f.summary.interest_groups |= FoldTradeGroups(TradeGroupsOf(code));
          }
        }
      };
      add_sectors(ProductSectorsIn(reference, text_languages, objective.note()));
      if (n_sectors > 0) {
        sources |= kSectorsFromText;
      } else if (profile.sectors().empty()) {
        add_sectors(ProductSectorsIn(reference, text_languages, profile_text));
        if (n_sectors > 0) sources |= kSectorsFromText | kSectorsFromDescription;
      }
    }
    uint32_t n_markets = 0;
    const auto add_market = [&](int index) {
      if (index < 0 || n_markets == 255) return;
      words.push_back(static_cast<uint32_t>(index));
      ++n_markets;
      if (wanted) f.wanted.Add(index);
    };
    for (const std::string& market : objective.markets()) add_market(catalog.Index(market));
    if (n_markets == 0 && objective.markets().empty() && wanted) {
      const auto add_markets_in = [&](absl::string_view text) {
        for (int index : reference.places().CountriesIn(text)) {
          if (index != country) add_market(index);
        }
      };
      add_markets_in(objective.note());
      if (n_markets > 0) {
        sources |= kMarketsFromText;
      } else if (profile.target_markets().empty()) {
        add_markets_in(profile.description());
        if (n_markets > 0) sources |= kMarketsFromText | kMarketsFromDescription;
      }
    }
    if (n_sectors == 0) h.flags |= kObjectiveWithoutSectors;
    words[head] = static_cast<uint32_t>(objective.type()) |
                  (static_cast<uint32_t>(objective.direction()) | sources) << 8 | n_sectors << 16 |
                  n_markets << 24;
    ++h.n_objectives;
  }
  f.summary.interest.Add(f.summary.own);
  f.summary.interest_groups |= f.summary.own_groups;
  const FeatureView view = f.view();
  for (uint32_t term : view.doc_terms()) f.summary.doc_bloom |= uint64_t{1} << (term % 64);
  for (uint32_t term : view.query_terms()) f.summary.query_bloom |= uint64_t{1} << (term % 64);
  for (int c = 0; c < tables.country_count(); ++c) {
    if (!f.wanted.Has(c)) continue;
    h.wanted_regions |= tables.RegionBit(c) | tables.SubregionBit(c);
  }
  f.summary.objective_keys = h.objective_keys;
  f.summary.language_bloom = h.language_bloom;
  f.summary.flags = h.flags | (h.n_sectors == 0 ? kSummaryNoSectors : 0) |
                    (h.n_query_terms == 0 ? kSummaryNoQueryTerms : 0);
  return f;
}

}  // namespace socio::matcher
