// NaceCatalog: the NACE Rev. 2 classification of economic activities, as
// Eurostat writes its codes: section "C", division "10", group "10.8",
// class "10.84".
//
// All four levels, 996 codes with their titles, are built into Socio
// (source: Eurostat, NACE Rev. 2, free reuse with acknowledgement; generated
// by scripts/gen_nace_table.py), so every code is checked exactly. A catalog
// CSV loaded with LoadCsv replaces the groups and classes (its sections and
// divisions must be Eurostat's).
//
//   NaceCatalog nace = NaceCatalog::BuiltIn();
//   absl::StatusOr<std::string> code = nace.Canonical("C10.84");  // "10.84"
//   nace.Title("10.84");  // "Manufacture of condiments and seasonings"
//
// Thread safety: const methods may be called from any thread.
#ifndef SOCIO_REFERENCE_NACE_H_
#define SOCIO_REFERENCE_NACE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::reference {

struct Sector {
  std::string code;    // "10.84"
  int level;           // 1 section, 2 division, 3 group, 4 class
  std::string parent;  // "10.8"; "" for a section
  std::string title;   // "Manufacture of condiments and seasonings"
};

class NaceCatalog {
 public:
  // Every code of NACE Rev. 2, exact.
  static NaceCatalog BuiltIn();
  // Every row of a catalog CSV with the columns of Eurostat's list as
  // ../shared/data/nace_rev2.csv has them (order,level,code,parent,title,...):
  // level, code, parent and title are found by name in the header row; cells
  // may be RFC 4180 quoted. NOT_FOUND if the file is missing; DATA_LOSS
  // naming the line if a row is bad (a code that does not fit its level or
  // parent, a parent not in the file, a code listed twice) or disagrees with
  // the built-in sections and divisions, and naming the code if one of those
  // is missing.
  static absl::StatusOr<NaceCatalog> LoadCsv(const std::string& path);

  // True when every level is checked exactly (always, since the built-in
  // table has all four levels).
  bool exact() const { return exact_; }

  // The Eurostat form of `code` at any level; a section letter before a
  // division is checked and dropped ("C10.84" -> "10.84"). On error,
  // INVALID_ARGUMENT with the reason and no field name: "'04' is not a NACE
  // Rev. 2 code: there is no division 04", plus " (did you mean '...'?)"
  // where a near code would be accepted ("1084", "10,84", "c10.84").
  absl::StatusOr<std::string> Canonical(absl::string_view code) const;

  // The sector with this canonical code, or nullptr. Sectors from Find and List
  // live as long as the catalog: not NaceCatalog::BuiltIn().Find(...).
  const Sector* Find(absl::string_view code) const;
  // Title of the canonical code or of its nearest known ancestor; "" if
  // none.
  std::string Title(absl::string_view code) const;
  // Section letter of a canonical code by structure ("10.84" -> 'C'), or
  // nullopt if `code` has no canonical shape or no such division exists.
  std::optional<char> SectionOf(absl::string_view code) const;
  // True if canonical `code` lies under canonical `prefix`: a section covers
  // its divisions, a code covers itself and its descendants; "" covers all.
  bool Under(absl::string_view code, absl::string_view prefix) const;
  // Known sectors under canonical `prefix` ("" for the sections), in code
  // order: the children one level down, or every descendant, depth first, if
  // `all_levels`. Empty if `prefix` is not a known sector.
  std::vector<const Sector*> List(absl::string_view prefix, bool all_levels) const;

 private:
  // Indexes `sectors` (each one's parent among them) for lookup and listing.
  static NaceCatalog FromSectors(std::vector<Sector> sectors, bool exact);
  // "" with `*canonical` set, or the full reason `code` is rejected.
  std::string Diagnose(absl::string_view code, std::string* canonical) const;
  // The canonical form of a repaired `code` this catalog accepts, or "".
  std::string Suggest(absl::string_view code) const;

  bool exact_ = false;
  // Depth first in code order: each sector is followed by its descendants
  // ("C", "10", "10.1", "10.11", ..., "11", ...), so every level is in code
  // order and a subtree is the range [i + 1, subtree_end_[i]).
  std::vector<Sector> sectors_;
  std::vector<int> subtree_end_;
  absl::flat_hash_map<std::string, int> by_code_;  // index in sectors_
};

}  // namespace socio::reference

#endif  // SOCIO_REFERENCE_NACE_H_
