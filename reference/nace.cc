#include "reference/nace.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "reference/internal/csv.h"

namespace socio::reference {
namespace {

using internal::CsvRecord;

struct BuiltInRow {
  const char* code;    // "C", "10", "10.8" or "10.84"
  const char* parent;  // "" for a section
  const char* title;
};

// Every code of NACE Rev. 2 (21 sections, 88 divisions, 272 groups, 615
// classes) in Eurostat's order, with Eurostat's titles. Source: Eurostat,
// NACE Rev. 2 — Statistical classification of economic activities, free
// reuse with acknowledgement. Generated from Eurostat's list (RAMON export)
// by scripts/gen_nace_table.py; LoadCsv checks a catalog file's sections and
// divisions against these rows.
constexpr BuiltInRow kBuiltIn[] = {
#include "reference/internal/nace_rev2.inc"
};

// kSectionOfDivision[d] is the section letter of division d, '\0' if there
// is no division d.
constexpr std::array<char, 100> kSectionOfDivision = [] {
  std::array<char, 100> section{};
  for (const BuiltInRow& row : kBuiltIn) {
    if (row.code[1] == '\0' || row.code[2] != '\0') continue;  // not a division
    section[(row.code[0] - '0') * 10 + (row.code[1] - '0')] = row.parent[0];
  }
  return section;
}();

constexpr absl::string_view kLevelNames[] = {"", "section", "division", "group", "class"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The section of the division `code` starts with, or '\0' if it does not
// start with two digits naming a division.
char DivisionSection(absl::string_view code) {
  if (code.size() < 2 || !IsDigit(code[0]) || !IsDigit(code[1])) return '\0';
  return kSectionOfDivision[(code[0] - '0') * 10 + (code[1] - '0')];
}

// The level `code` has by its shape alone: 1 for a section letter A to U, 2
// for "10", 3 for "10.8", 4 for "10.84"; 0 for anything else. Whether the
// division exists is not looked at.
int ShapeLevel(absl::string_view code) {
  if (code.size() == 1) return code[0] >= 'A' && code[0] <= 'U' ? 1 : 0;
  if (code.size() < 2 || !IsDigit(code[0]) || !IsDigit(code[1])) return 0;
  if (code.size() == 2) return 2;
  if (code[2] != '.' || code.size() > 5) return 0;
  for (char c : code.substr(3)) {
    if (!IsDigit(c)) return 0;
  }
  return code.size() == 4 ? 3 : code.size() == 5 ? 4 : 0;
}

// The parent of a canonical code by structure: "10.84" -> "10.8" -> "10" ->
// "C" -> "". "" for anything that is not a canonical code.
std::string StructuralParent(absl::string_view code) {
  switch (ShapeLevel(code)) {
    case 2: {
      const char section = DivisionSection(code);
      return section == '\0' ? "" : std::string(1, section);
    }
    case 3:
      return std::string(code.substr(0, 2));
    case 4:
      return std::string(code.substr(0, 4));
    default:
      return "";
  }
}

const BuiltInRow* FindBuiltIn(absl::string_view code) {
  // Read once per section or division of a catalog file: a scan is fast
  // enough.
  for (const BuiltInRow& row : kBuiltIn) {
    if (code == row.code) return &row;
  }
  return nullptr;
}

// Characters people put between the parts of a code instead of '.'.
bool IsSeparator(char c) { return c == '.' || c == ',' || c == '-' || c == '/' || c == ' '; }

}  // namespace

NaceCatalog NaceCatalog::BuiltIn() {
  std::vector<Sector> sectors;
  sectors.reserve(std::size(kBuiltIn));
  for (const BuiltInRow& row : kBuiltIn) {
    sectors.push_back({row.code, ShapeLevel(row.code), row.parent, row.title});
  }
  return FromSectors(std::move(sectors), /*exact=*/true);
}

absl::StatusOr<NaceCatalog> NaceCatalog::LoadCsv(const std::string& path) {
  absl::StatusOr<std::string> text = internal::ReadWholeFile(path, "the NACE catalog");
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<CsvRecord>> records =
      internal::ParseCsv(*text, path, absl::StatusCode::kDataLoss);
  if (!records.ok()) return records.status();
  const auto bad_line = [&](int line, absl::string_view why) {
    return absl::DataLossError(absl::StrCat(path, ": line ", line, ": ", why));
  };
  if (records->empty()) return bad_line(1, "no header row");

  const CsvRecord& header = records->front();
  const auto column = [&](absl::string_view name) { return internal::ColumnIndex(header, name); };
  const int level_column = column("level");
  const int code_column = column("code");
  const int parent_column = column("parent");
  const int title_column = column("title");
  std::string missing;
  const std::pair<absl::string_view, int> required[] = {{"level", level_column},
                                                        {"code", code_column},
                                                        {"parent", parent_column},
                                                        {"title", title_column}};
  for (const auto& [name, index] : required) {
    if (index < 0) absl::StrAppend(&missing, missing.empty() ? "" : ", ", name);
  }
  if (!missing.empty()) return bad_line(header.line, absl::StrCat("missing column(s) ", missing));

  std::vector<Sector> sectors;
  std::vector<int> lines;  // of sectors[i]
  absl::flat_hash_map<std::string, int> first_line;
  sectors.reserve(records->size() - 1);
  lines.reserve(records->size() - 1);
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    auto cell = [&](int column) { return internal::CellAt(record, column); };
    const absl::string_view code = cell(code_column);
    const absl::string_view parent = cell(parent_column);
    const absl::string_view title = cell(title_column);
    int level = 0;
    if (!absl::SimpleAtoi(cell(level_column), &level) || level < 1 || level > 4) {
      return bad_line(record.line,
                      absl::StrCat("level \"", cell(level_column), "\" is not 1, 2, 3 or 4"));
    }
    const absl::string_view name = kLevelNames[level];
    if (ShapeLevel(code) != level) {
      static constexpr absl::string_view kExamples[] = {"", "'C'", "'10'", "'10.8'", "'10.84'"};
      return bad_line(record.line, absl::StrCat("\"", code, "\" is not a ", name, " code like ",
                                                kExamples[level]));
    }
    if (level > 1 && DivisionSection(code) == '\0') {
      return bad_line(record.line,
                      absl::StrCat("there is no division ", code.substr(0, 2), " in NACE Rev. 2"));
    }
    // The parent a code has by structure; a division's is its section.
    const std::string expected_parent = StructuralParent(code);
    if (level == 1 && !parent.empty()) {
      return bad_line(record.line, absl::StrCat("section ", code, " has parent ", parent,
                                                "; a section has none"));
    }
    if (parent != expected_parent) {
      return bad_line(record.line,
                      absl::StrCat(name, " ", code, " belongs to ", kLevelNames[level - 1], " ",
                                   expected_parent, ", not ", parent.empty() ? "none" : parent));
    }
    if (title.empty()) return bad_line(record.line, absl::StrCat(name, " ", code, " has no title"));
    if (level <= 2) {
      // Every section and division exists (ShapeLevel and DivisionSection
      // checked), so FindBuiltIn finds it.
      const BuiltInRow* built_in = FindBuiltIn(code);
      if (title != built_in->title) {
        return bad_line(record.line,
                        absl::StrCat(name, " ", code, " is titled \"", title, "\" here but \"",
                                     built_in->title, "\" in NACE Rev. 2"));
      }
    }
    if (auto [it, inserted] = first_line.emplace(code, record.line); !inserted) {
      return bad_line(record.line, absl::StrCat(name, " ", code, " is listed twice (first on line ",
                                                it->second, ")"));
    }
    sectors.push_back({std::string(code), level, std::string(parent), std::string(title)});
    lines.push_back(record.line);
  }
  for (size_t i = 0; i < sectors.size(); ++i) {
    const Sector& sector = sectors[i];
    if (sector.level > 1 && !first_line.contains(sector.parent)) {
      return bad_line(lines[i], absl::StrCat("the parent of ", kLevelNames[sector.level], " ",
                                             sector.code, ", ", kLevelNames[sector.level - 1], " ",
                                             sector.parent, ", is not in the file"));
    }
  }
  for (const BuiltInRow& row : kBuiltIn) {
    if (ShapeLevel(row.code) > 2) continue;  // groups and classes are the file's to list
    if (!first_line.contains(row.code)) {
      return absl::DataLossError(absl::StrCat(path, ": ", kLevelNames[row.code[1] == '\0' ? 1 : 2],
                                              " ", row.code, " (", row.title,
                                              ") of NACE Rev. 2 is missing"));
    }
  }
  return FromSectors(std::move(sectors), /*exact=*/true);
}

NaceCatalog NaceCatalog::FromSectors(std::vector<Sector> sectors, bool exact) {
  // Depth first in code order: a section before its divisions, and within a
  // section codes sort depth first as strings ("10" < "10.1" < "10.11" < "10.2").
  const auto key = [](const Sector& s) {
    return std::pair<char, absl::string_view>(
        s.level == 1 ? s.code[0] : DivisionSection(s.code),
        s.level == 1 ? absl::string_view() : absl::string_view(s.code));
  };
  std::sort(sectors.begin(), sectors.end(),
            [&](const Sector& a, const Sector& b) { return key(a) < key(b); });
  NaceCatalog catalog;
  catalog.exact_ = exact;
  catalog.sectors_ = std::move(sectors);
  const int n = static_cast<int>(catalog.sectors_.size());
  catalog.subtree_end_.assign(n, n);
  catalog.by_code_.reserve(n);
  // A subtree ends at the next sector of the same level or above; `open`
  // holds the sectors whose subtree is still open, deepest last.
  std::vector<int> open;
  for (int i = 0; i < n; ++i) {
    const Sector& sector = catalog.sectors_[i];
    while (!open.empty() && catalog.sectors_[open.back()].level >= sector.level) {
      catalog.subtree_end_[open.back()] = i;
      open.pop_back();
    }
    open.push_back(i);
    catalog.by_code_.emplace(sector.code, i);
  }
  return catalog;
}

std::string NaceCatalog::Diagnose(absl::string_view code, std::string* canonical) const {
  const auto bad = [&](absl::string_view why) {
    return absl::StrCat("'", code, "' is not a NACE Rev. 2 code: ", why);
  };
  if (code.empty()) return "is empty";
  absl::string_view rest = code;
  std::optional<char> section;
  if (absl::ascii_isalpha(rest[0])) {
    if (!absl::ascii_isupper(rest[0]) || rest[0] > 'U') {
      return bad("a section is a letter from A to U");
    }
    section = rest[0];
    rest.remove_prefix(1);
    if (rest.empty()) {
      canonical->assign(code.data(), code.size());
      return "";
    }
  }
  // Division: two digits; then optionally ".d" (group) or ".dd" (class).
  if (rest.size() < 2 || !IsDigit(rest[0]) || !IsDigit(rest[1])) {
    return bad(
        "expected a section letter, a division like '10', a group like '10.8' or a class like "
        "'10.84'");
  }
  const absl::string_view division = rest.substr(0, 2);
  const char division_section = DivisionSection(division);
  if (division_section == '\0') return bad(absl::StrCat("there is no division ", division));
  if (section && *section != division_section) {
    return bad(absl::StrCat("division ", division, " belongs to section ",
                            absl::string_view(&division_section, 1), ", not ",
                            absl::string_view(&*section, 1)));
  }
  const int level = ShapeLevel(rest);
  if (level < 2) {
    return bad("expected a division like '10', a group like '10.8' or a class like '10.84'");
  }
  if (exact_ && level > 2 && !by_code_.contains(rest)) {
    return bad(absl::StrCat("there is no ", kLevelNames[level], " ", rest, " in the catalog"));
  }
  canonical->assign(rest.data(), rest.size());
  return "";
}

std::string NaceCatalog::Suggest(absl::string_view code) const {
  // Repairs the usual slips: case and spaces ("c10.84 "), another separator
  // ("10,84", "C-10"), no separator ("1084"), a leading zero lost to a
  // spreadsheet ("1.11"), a national extension ("10.84.0", "10.845",
  // NAF's "10.84Z"), a trailing dot ("10.").
  const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
  absl::string_view rest = upper;
  std::string repaired;
  if (!rest.empty() && absl::ascii_isalpha(rest[0])) {
    repaired.push_back(rest[0]);
    rest.remove_prefix(1);
    while (!rest.empty() && IsSeparator(rest[0])) rest.remove_prefix(1);
  }
  if (rest.size() >= 5 && absl::ascii_isalpha(rest.back())) rest.remove_suffix(1);
  if (!rest.empty()) {
    std::vector<absl::string_view> runs = absl::StrSplit(rest, absl::ByAnyChar(".,-/ "));
    if (runs.size() > 3 || runs[0].empty()) return "";
    for (absl::string_view run : runs) {
      if (!std::all_of(run.begin(), run.end(), IsDigit)) return "";
    }
    std::string digits(runs[0]);
    if (runs.size() == 1) {
      if (digits.size() > 4) return "";
    } else {
      // The first run is the division; then at most a group or class digit pair.
      if (digits.size() > 2 || (runs.size() == 3 && runs[1].size() != 2)) return "";
      absl::StrAppend(&digits, runs[1].substr(0, 2));
    }
    if (digits.empty()) return "";
    if (digits.size() == 1 || (runs.size() > 1 && runs[0].size() == 1)) digits.insert(0, "0");
    absl::StrAppend(&repaired, digits.substr(0, 2));
    if (digits.size() > 2) absl::StrAppend(&repaired, ".", digits.substr(2));
  }
  std::string canonical;
  if (repaired.empty() || !Diagnose(repaired, &canonical).empty()) return "";
  return canonical;
}

absl::StatusOr<std::string> NaceCatalog::Canonical(absl::string_view code) const {
  std::string canonical;
  std::string reason = Diagnose(code, &canonical);
  if (reason.empty()) return canonical;
  if (std::string suggestion = Suggest(code); !suggestion.empty()) {
    absl::StrAppend(&reason, " (did you mean '", suggestion, "'?)");
  }
  return absl::InvalidArgumentError(reason);
}

const Sector* NaceCatalog::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &sectors_[it->second];
}

std::string NaceCatalog::Title(absl::string_view code) const {
  for (std::string c(code); !c.empty(); c = StructuralParent(c)) {
    if (const Sector* sector = Find(c); sector != nullptr) return sector->title;
  }
  return "";
}

std::optional<char> NaceCatalog::SectionOf(absl::string_view code) const {
  const int level = ShapeLevel(code);
  if (level == 0) return std::nullopt;
  if (level == 1) return code[0];
  const char section = DivisionSection(code);
  if (section == '\0') return std::nullopt;
  return section;
}

bool NaceCatalog::Under(absl::string_view code, absl::string_view prefix) const {
  if (prefix.empty()) return true;
  if (prefix.size() == 1 && absl::ascii_isupper(prefix[0])) {
    if (code.size() == 1) return code == prefix;
    const char section = DivisionSection(code);
    return section != '\0' && section == prefix[0];
  }
  // "10.8" covers "10.8" and "10.84"; "10" covers "10", "10.8", "10.84".
  if (!absl::StartsWith(code, prefix)) return false;
  if (code.size() == prefix.size()) return true;
  return (prefix.size() == 2 && code[2] == '.') || prefix.size() == 4;
}

std::vector<const Sector*> NaceCatalog::List(absl::string_view prefix, bool all_levels) const {
  int begin = 0;
  int end = static_cast<int>(sectors_.size());
  if (!prefix.empty()) {
    auto it = by_code_.find(prefix);
    if (it == by_code_.end()) return {};
    begin = it->second + 1;
    end = subtree_end_[it->second];
  }
  std::vector<const Sector*> sectors;
  // Children are found by skipping each child's subtree.
  for (int i = begin; i < end; i = all_levels ? i + 1 : subtree_end_[i]) {
    sectors.push_back(&sectors_[i]);
  }
  return sectors;
}

}  // namespace socio::reference
