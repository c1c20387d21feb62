// Compact features of a profile, the form the matcher scores.
//
// A profile becomes a fixed-size ProfileHeader (what the first, cheap bounds
// read), a set of wanted markets, and a short run of 32-bit words: packed
// NACE codes, language codes, term fingerprints and the objectives. The
// index keeps the words of all profiles in one pool; a probe keeps its own.
// FeatureView reads either the same way, so the index, brute force and
// ExplainMatch score through one piece of code.
//
//   ScoringTables tables(reference);
//   Features f = ExtractFeatures(profile, tables, chamber_number);
//   FeatureView view = f.view();
//   view.country(); view.sectors(); view.ObjectiveAt(...);
#ifndef SOCIO_MATCHER_FEATURES_H_
#define SOCIO_MATCHER_FEATURES_H_

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "matcher/text.h"
#include "reference/reference_data.h"
#include "socio/v1/profile.pb.h"

namespace socio::matcher {

// A NACE Rev. 2 code packed into one word, one byte per level from the top:
// section (1..21), division + 1, group digit + 1, class digit + 1; a level the
// code does not reach is 0. "C" = 0x03000000, "10.84" = 0x030B0905.
using SectorCode = uint32_t;

// The packed form of a canonical code; 0 if it has no canonical shape.
SectorCode PackSector(const reference::NaceCatalog& nace, absl::string_view code);
// The Eurostat form of a packed code ("10.84", "C").
std::string UnpackSector(SectorCode code);
// How many levels the code has (1 section .. 4 class; 0 for 0). The levels
// of a packed code are contiguous from the top, so its lowest non-zero byte
// is its last level.
inline int SectorLevel(SectorCode code) { return code == 0 ? 0 : 4 - (__builtin_ctz(code) >> 3); }
// How many levels from the top two codes share (0 .. 4): the equal leading
// bytes, up to a's last level.
inline int CommonSectorLevels(SectorCode a, SectorCode b) {
  const uint32_t differ = a ^ b;
  const int equal = differ == 0 ? 4 : __builtin_clz(differ) >> 3;
  return equal < SectorLevel(a) ? equal : SectorLevel(a);
}

// A set of NACE divisions (01..99), one bit each. A section-level code stands
// for every division of its section.
struct DivisionSet {
  std::array<uint64_t, 2> bits{};
  void Add(const DivisionSet& other) {
    bits[0] |= other.bits[0];
    bits[1] |= other.bits[1];
  }
  bool Intersects(const DivisionSet& other) const {
    return ((bits[0] & other.bits[0]) | (bits[1] & other.bits[1])) != 0;
  }
  bool Empty() const { return (bits[0] | bits[1]) == 0; }
};

// A set of countries by CountryCatalog index.
struct CountrySet {
  std::array<uint64_t, 4> bits{};
  bool Has(int country) const { return (bits[country >> 6] >> (country & 63)) & 1; }
  void Add(int country) { bits[country >> 6] |= uint64_t{1} << (country & 63); }
  bool Empty() const { return (bits[0] | bits[1] | bits[2] | bits[3]) == 0; }
  // Calls visit(int country) for each member, in index order.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (int word = 0; word < 4; ++word) {
      for (uint64_t b = bits[word]; b != 0; b &= b - 1) visit(word * 64 + __builtin_ctzll(b));
    }
  }
};

// What the matcher derives from the reference data once: each country's UN
// M49 region and subregion as bits of a 64-bit mask, and the pair tables.
class ScoringTables {
 public:
  explicit ScoringTables(std::shared_ptr<const reference::ReferenceData> reference);

  const reference::ReferenceData& reference() const { return *reference_; }
  const reference::CountryPairs& pairs() const { return reference_->pairs(); }
  int country_count() const { return static_cast<int>(region_bit_.size()); }
  // One bit each for the country's region and subregion (0 if unknown).
  uint64_t RegionBit(int country) const { return region_bit_[country]; }
  uint64_t SubregionBit(int country) const { return subregion_bit_[country]; }
  // The bit of a region or subregion code ("150", "155"), or 0 if unknown.
  uint64_t RegionCodeBit(absl::string_view m49) const;
  // The division of a packed code, or all divisions of its section.
  DivisionSet DivisionsOf(SectorCode code) const;
  // Every division of every section `divisions` touches.
  DivisionSet SectionsOf(const DivisionSet& divisions) const;
  // Equal for two tables exactly when ExtractFeatures gives the same records
  // with both: a hash of the country catalog's order, names and regions, the
  // NACE sections, the bilingual lexicon, kFeatureFormat and the record
  // layouts. A saved index is
  // only loaded where its fingerprint matches.
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  std::shared_ptr<const reference::ReferenceData> reference_;
  std::vector<uint64_t> region_bit_;
  std::vector<uint64_t> subregion_bit_;
  std::vector<std::string> region_codes_;            // bit i's M49 code
  std::array<DivisionSet, 22> section_divisions_{};  // by section number 1..21
  std::array<uint8_t, 100> division_section_{};      // by division 0..99; 0: none
  uint64_t fingerprint_ = 0;
};

// Days since 1970-01-01 of a Unix time, rounded down.
int32_t DayOf(int64_t unix_seconds);

// An ISO 639-1 code as FeatureView::languages() holds it: its two bytes in
// one word; 0 for anything else.
uint32_t LanguageWord(absl::string_view code);

// Bit of an objective's (type, direction) in ProfileHeader::objective_keys.
inline uint32_t ObjectiveKey(int type, int direction) {
  return uint32_t{1} << ((type - 1) * 3 + direction);
}
// True for the cooperation types, where both sides want the same thing.
bool IsSymmetricType(int type);
// The keys of the objectives that complement one of `keys` exactly.
uint32_t ComplementKeys(uint32_t keys);

// Neighbouring deal types: members describe the same deal with different
// objective types, and such a pair scores as a complement times its
// discount. The table, each pair read both ways (x meets y as y meets x):
//
//   SEEK DISTRIBUTION   OFFER AGENCY           0.8  a distributor or a sales
//   SEEK AGENCY         OFFER DISTRIBUTION     0.8    agent: the two usual ways
//                                                     into a market; one buys,
//                                                     the other sells on
//                                                     commission
//   SEEK DISTRIBUTION   OFFER SUPPLY           0.7  wholesalers present
//   SEEK SUPPLY         OFFER DISTRIBUTION     0.7    themselves as suppliers
//                                                     of the goods they carry
//   SEEK MANUFACTURING  OFFER SUPPLY           0.7  contract makers offer
//   SEEK SUPPLY         OFFER MANUFACTURING    0.7    "supply" of what they
//                                                     make to order (SUPPLY
//                                                     includes subcontracting)
//   LICENSING (either)  TECHNICAL_COOPERATION  0.6  both move technology and
//                                                     know-how between firms,
//                                                     by licence or joint work
//
// Both sides seeking, or both offering, is never a near pair. Every discount
// is below 1, so an exact complement beats a near one with the same fits.
//
// The discount of a near pair (x_type, x_direction) with (y_type,
// y_direction), in either order; 0 when the two are not near (an exact
// complement included, which ComplementKeys answers). Thread-safe.
double NearTypeDiscount(int x_type, int x_direction, int y_type, int y_direction);
// The keys of the objectives near one of `keys`.
uint32_t NearComplementKeys(uint32_t keys);
// The largest NearTypeDiscount of objective key `key` (one bit) with any of
// `keys`; 0 if none is near.
double BestNearDiscount(uint32_t key, uint32_t keys);

inline constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();
inline constexpr int32_t kUnknownDay = std::numeric_limits<int32_t>::min();
inline constexpr uint32_t kNoChamber = std::numeric_limits<uint32_t>::max();
// Longest runs kept per profile; text past them is not searched.
inline constexpr int kMaxDocTerms = 48;
inline constexpr int kMaxQueryTerms = 24;
// The version of what ExtractFeatures derives and how the records lay it out.
// Bump it with any change to either, so saved indexes are rebuilt.
inline constexpr uint32_t kFeatureFormat = 4;

// Flags in ProfileHeader::flags.
inline constexpr uint8_t kObjectiveWithoutSectors = 1;  // some objective names no sector

struct ProfileHeader {
  int64_t valid_until = kNoEnd;      // Unix seconds
  uint64_t wanted_regions = 0;       // region and subregion bits of wanted markets
  uint32_t chamber = kNoChamber;     // the index's number for the chamber id
  uint32_t objective_keys = 0;       // ObjectiveKey of every objective
  uint32_t employees = 0;            // 0: unknown
  int32_t update_day = kUnknownDay;  // days since 1970-01-01
  uint32_t words = 0;                // offset of the words in the index's pool
  uint16_t country = 0;              // CountryCatalog index
  uint8_t visibility = 0;            // Profile::Visibility
  uint8_t n_sectors = 0;
  uint8_t n_languages = 0;
  uint8_t n_objectives = 0;
  uint8_t n_doc_terms = 0;
  uint8_t n_query_terms = 0;
  uint8_t flags = 0;
  uint32_t language_bloom = 0;  // bit (LanguageWord % 32) of each language
};

// The groups of the trade and service divisions (33 repair, 45 motor trade,
// 46 wholesale, 47 retail, 95 repair of household goods), one bit per group
// digit: where a maker's value chain leads, its division is too coarse a
// bound, since division 46 trades the goods of every maker. A code at group
// or class level gives its group's bit; a division or a section gives every
// bit of the grouped divisions it covers; other codes give 0.
uint32_t TradeGroupsOf(SectorCode code);
// Whether division 0..99 has its groups in TradeGroupsOf.
bool IsTradeDivision(int division);

// Coarse supersets of a profile's sectors, terms, objectives and markets, in
// one cache line: what FindPartners reads of a candidate to skip it without
// reading the rest of its record.
struct alignas(64) BoundSummary {
  DivisionSet own;               // divisions of the profile's sectors
  DivisionSet interest;          // ... and of its objectives' sectors
  uint64_t doc_bloom = 0;        // bit (hash % 64) of each doc term
  uint64_t query_bloom = 0;      // bit (hash % 64) of each query term
  uint32_t objective_keys = 0;   // as ProfileHeader::objective_keys
  uint32_t language_bloom = 0;   // as ProfileHeader::language_bloom
  uint16_t own_groups = 0;       // FoldTradeGroups(TradeGroupsOf the profile's sectors)
  uint16_t interest_groups = 0;  // ... and of its objectives' sectors
  uint8_t flags = 0;             // ProfileHeader::flags and the kSummary* flags
};
static_assert(sizeof(BoundSummary) == 64);

// Flags in BoundSummary::flags beside ProfileHeader's.
inline constexpr uint8_t kSummaryNoSectors = 0x40;     // the profile gives no sector
inline constexpr uint8_t kSummaryNoQueryTerms = 0x80;  // ... and no query term

// TradeGroupsOf's bits folded to 16: two sets that share a group still share
// a bit, so a bound that tests the folded bits stays a bound.
inline uint16_t FoldTradeGroups(uint32_t groups) {
  return static_cast<uint16_t>(groups | (groups >> 16));
}

// Where an objective's sectors or markets come from.
enum class Source : uint8_t {
  kGiven,        // the objective's own fields
  kNote,         // read from the objective's note, which the fields left open
  kDescription,  // read from the profile's description (and keywords)
};

// One objective as the words hold it.
struct ObjectiveView {
  int type;
  int direction;
  absl::Span<const uint32_t> sectors;  // SectorCode
  absl::Span<const uint32_t> markets;  // country indices
  Source sectors_from = Source::kGiven;
  Source markets_from = Source::kGiven;
};

// In an objective's header word, beside its direction (which needs 2 bits):
// where its sectors and markets were read from (ObjectiveView).
inline constexpr uint32_t kMarketsFromText = 0x80;
inline constexpr uint32_t kSectorsFromText = 0x40;
inline constexpr uint32_t kMarketsFromDescription = 0x20;  // with kMarketsFromText
inline constexpr uint32_t kSectorsFromDescription = 0x10;  // with kSectorsFromText
inline constexpr uint32_t kDirectionMask = 0x0f;

// Read-only view of one profile's features; cheap to copy. The words hold,
// in order: sectors, languages (two ASCII bytes), doc terms (TermHash of
// description, keywords, notes, city and country name; sorted), query terms
// (TermHash of the objective notes; sorted), then per objective one header
// word (type | (direction | source flags) << 8 | sectors << 16 | markets << 24)
// followed by its sectors and markets.
class FeatureView {
 public:
  FeatureView(const ProfileHeader* header, const CountrySet* wanted, const uint32_t* words)
      : header_(header), wanted_(wanted), words_(words) {}

  const ProfileHeader& header() const { return *header_; }
  // Target markets and the markets of SEEK and cooperation objectives.
  const CountrySet& wanted() const { return *wanted_; }
  int country() const { return header_->country; }

  absl::Span<const uint32_t> sectors() const { return {words_, header_->n_sectors}; }
  absl::Span<const uint32_t> languages() const {
    return {words_ + header_->n_sectors, header_->n_languages};
  }
  absl::Span<const uint32_t> doc_terms() const {
    return {words_ + header_->n_sectors + header_->n_languages, header_->n_doc_terms};
  }
  absl::Span<const uint32_t> query_terms() const {
    return {words_ + header_->n_sectors + header_->n_languages + header_->n_doc_terms,
            header_->n_query_terms};
  }
  // Calls visit(const ObjectiveView&) for each objective, in profile order.
  template <typename Visit>
  void ForEachObjective(Visit&& visit) const {
    const uint32_t* w = query_terms().data() + header_->n_query_terms;
    for (int i = 0; i < header_->n_objectives; ++i) {
      const uint32_t head = *w++;
      const uint32_t n_sectors = (head >> 16) & 0xff;
      const uint32_t n_markets = head >> 24;
      const uint32_t direction = (head >> 8) & 0xff;
      const auto source = [direction](uint32_t from_text, uint32_t from_description) {
        if ((direction & from_text) == 0) return Source::kGiven;
        return (direction & from_description) != 0 ? Source::kDescription : Source::kNote;
      };
      visit(ObjectiveView{static_cast<int>(head & 0xff),
                          static_cast<int>(direction & kDirectionMask),
                          absl::Span<const uint32_t>(w, n_sectors),
                          absl::Span<const uint32_t>(w + n_sectors, n_markets),
                          source(kSectorsFromText, kSectorsFromDescription),
                          source(kMarketsFromText, kMarketsFromDescription)});
      w += n_sectors + n_markets;
    }
  }
  // Number of words from the start of the run to the end of the objectives.
  size_t word_count() const;

 private:
  const ProfileHeader* header_;
  const CountrySet* wanted_;
  const uint32_t* words_;
};

// The markets the profile's OFFER objectives name that it does not want
// (FeatureView::wanted): with the wanted ones, every market it names.
CountrySet OfferedMarkets(const FeatureView& view);

// The features of one profile, owning their storage.
struct Features {
  ProfileHeader header;
  CountrySet wanted;
  BoundSummary summary;
  std::vector<uint32_t> words;
  // The words of the query terms as written, for explanations.
  std::vector<Term> query_words;

  FeatureView view() const { return FeatureView(&header, &wanted, words.data()); }
};

// The features of a normalised profile (as the store keeps it: canonical
// sector codes, known countries and languages). `chamber` is the caller's
// number for profile.chamber_id(). Unknown codes are skipped, not errors.
//
// Members often tick a type and write the rest in words, so an objective's
// open fields are read from text (reference::PlaceNames,
// reference::ProductSectors) and marked with their Source:
// - a SEEK or cooperation objective without markets takes the countries its
//   note names; if it names none and the profile gives no target markets,
//   those its description names. The member's own country is never read as
//   a market (a description says where the member is);
// - an objective without sectors takes the products its note names; if it
//   names none and the profile gives no sectors of its own, those its
//   description and keywords name (where the profile gives sectors, they
//   already say what an open objective is about).
Features ExtractFeatures(const socio::v1::Profile& profile, const ScoringTables& tables,
                         uint32_t chamber);

}  // namespace socio::matcher

#endif  // SOCIO_MATCHER_FEATURES_H_
