#include "reference/nace.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/shared_data.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::reference {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// A row of Eurostat's list as the test reads it: level, code, parent, title.
using Row = std::tuple<int, std::string, std::string, std::string>;

// Splits one line of a CSV without quoted line breaks, as Eurostat's list is:
// written here, not taken from nace.cc, so the comparison is independent.
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (quoted && line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back().push_back('"');
      ++i;
    } else if (line[i] == '"') {
      quoted = !quoted;
    } else if (line[i] == ',' && !quoted) {
      cells.emplace_back();
    } else if (line[i] != '\r') {
      cells.back().push_back(line[i]);
    }
  }
  return cells;
}

std::string EurostatCsv() {
  const std::string dir = socio::testing::SharedDataDir();
  return dir.empty() ? "" : dir + "/nace_rev2.csv";
}

// The rows of ../shared/data/nace_rev2.csv, whose header is
// order,level,code,parent,title,isic_rev4_ref.
std::vector<Row> EurostatRows() {
  std::vector<Row> rows;
  std::ifstream in(EurostatCsv());
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = SplitCsvLine(line);
    int level = 0;
    EXPECT_EQ(cells.size(), 6u) << line;
    EXPECT_TRUE(cells.size() > 1 && absl::SimpleAtoi(cells[1], &level)) << line;
    if (cells.size() != 6) continue;
    rows.emplace_back(level, cells[2], cells[3], cells[4]);
  }
  return rows;
}

// Eurostat's list loaded once, or nullptr when ../shared/data is absent.
const NaceCatalog* Eurostat() {
  static const absl::StatusOr<NaceCatalog>* const catalog = [] {
    if (EurostatCsv().empty()) return static_cast<absl::StatusOr<NaceCatalog>*>(nullptr);
    return new absl::StatusOr<NaceCatalog>(NaceCatalog::LoadCsv(EurostatCsv()));
  }();
  if (catalog == nullptr) return nullptr;
  EXPECT_THAT(*catalog, IsOk());
  return catalog->ok() ? &**catalog : nullptr;
}

std::vector<Row> Rows(const std::vector<const Sector*>& sectors) {
  std::vector<Row> rows;
  for (const Sector* s : sectors) rows.emplace_back(s->level, s->code, s->parent, s->title);
  return rows;
}

std::vector<std::string> Codes(const std::vector<const Sector*>& sectors) {
  std::vector<std::string> codes;
  for (const Sector* s : sectors) codes.push_back(s->code);
  return codes;
}

std::string Quoted(const std::string& cell) {
  return absl::StrCat("\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\"");
}

// The built-in sections and divisions, in code order; they point into
// `built_in`.
std::vector<const Sector*> SectionsAndDivisions(const NaceCatalog& built_in) {
  std::vector<const Sector*> rows;
  for (const Sector* s : built_in.List("", true)) {
    if (s->level <= 2) rows.push_back(s);
  }
  return rows;
}

// A catalog CSV of the built-in sections and divisions, one line per row
// after the header (so row i is on line i + 2), plus `extra_lines`.
std::string BuiltInCsv(const std::vector<std::string>& extra_lines = {},
                       absl::string_view line_end = "\n") {
  std::string csv = absl::StrCat("order,level,code,parent,title,isic_rev4_ref", line_end);
  int order = 1;
  const NaceCatalog built_in = NaceCatalog::BuiltIn();  // List points into it
  for (const Sector* s : SectionsAndDivisions(built_in)) {
    absl::StrAppend(&csv, order++, ",", s->level, ",", s->code, ",", s->parent, ",",
                    Quoted(s->title), ",", line_end);
  }
  for (const std::string& line : extra_lines) absl::StrAppend(&csv, line, line_end);
  return csv;
}

// The line BuiltInCsv() puts `code` on.
int LineOf(absl::string_view code) {
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  const std::vector<const Sector*> all = SectionsAndDivisions(built_in);
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i]->code == code) return static_cast<int>(i) + 2;
  }
  return -1;
}

std::string WriteFile(const socio::testing::TempDir& dir, const std::string& text) {
  const std::string path = dir.Join("nace.csv");
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(NaceBuiltInTest, EveryLevelIsEurostats) {
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  const std::vector<Row> expected = EurostatRows();
  ASSERT_THAT(expected, SizeIs(21 + 88 + 272 + 615));
  // Code by code, title by title, in Eurostat's order, nothing extra.
  EXPECT_EQ(Rows(NaceCatalog::BuiltIn().List("", true)), expected);
}

TEST(NaceBuiltInTest, IsExact) {
  const NaceCatalog nace = NaceCatalog::BuiltIn();
  EXPECT_TRUE(nace.exact());
  EXPECT_THAT(nace.List("", false), SizeIs(21));
  EXPECT_THAT(nace.List("", true), SizeIs(21 + 88 + 272 + 615));
  ASSERT_NE(nace.Find("10.84"), nullptr);
  EXPECT_EQ(nace.Find("10.84")->title, "Manufacture of condiments and seasonings");
  EXPECT_EQ(nace.Find("10.84")->level, 4);
  EXPECT_EQ(nace.Find("10.84")->parent, "10.8");
  EXPECT_EQ(nace.Find("10.87"), nullptr);
  ASSERT_NE(nace.Find("10"), nullptr);
  EXPECT_EQ(nace.Find("10")->parent, "C");
  EXPECT_EQ(nace.Find("10")->level, 2);
}

TEST(NaceLoadCsvTest, ReadsEurostatsList) {
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  const NaceCatalog* nace = Eurostat();
  ASSERT_NE(nace, nullptr);
  EXPECT_TRUE(nace->exact());
  const std::vector<const Sector*> all = nace->List("", true);
  EXPECT_THAT(all, SizeIs(996));
  std::map<int, int> per_level;
  for (const Sector* s : all) ++per_level[s->level];
  EXPECT_EQ(per_level, (std::map<int, int>{{1, 21}, {2, 88}, {3, 272}, {4, 615}}));
  // Every row as the file has it, in the file's (depth-first) order.
  EXPECT_EQ(Rows(all), EurostatRows());

  const Sector* condiments = nace->Find("10.84");
  ASSERT_NE(condiments, nullptr);
  EXPECT_EQ(condiments->level, 4);
  EXPECT_EQ(condiments->parent, "10.8");
  EXPECT_EQ(condiments->title, "Manufacture of condiments and seasonings");
  // Quoted titles keep their commas; non-ASCII characters survive.
  EXPECT_EQ(nace->Title("A"), "AGRICULTURE, FORESTRY AND FISHING");
  EXPECT_EQ(nace->Title("22.23"), "Manufacture of builders\u2019 ware of plastic");
}

TEST(NaceCanonicalTest, AcceptsEveryLevelInBothModes) {
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  std::vector<const NaceCatalog*> catalogs = {&built_in};
  if (Eurostat() != nullptr) catalogs.push_back(Eurostat());
  for (const NaceCatalog* nace : catalogs) {
    SCOPED_TRACE(nace == &built_in ? "built-in" : "loaded");
    for (const char* code : {"C", "10", "10.8", "10.84", "01.11", "99", "U", "A", "01"}) {
      EXPECT_THAT(nace->Canonical(code), IsOk()) << code;
      EXPECT_EQ(nace->Canonical(code).value_or(""), code);
    }
    EXPECT_EQ(nace->Canonical("C10.84").value_or(""), "10.84");
    EXPECT_EQ(nace->Canonical("C10.8").value_or(""), "10.8");
    EXPECT_EQ(nace->Canonical("G46").value_or(""), "46");
    EXPECT_EQ(nace->Canonical("U99.00").value_or(""), "99.00");
  }
}

TEST(NaceCanonicalTest, AcceptsEveryCodeOfEurostatsListInBothModes) {
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  for (const NaceCatalog* nace : {&built_in, Eurostat()}) {
    ASSERT_NE(nace, nullptr);
    for (const auto& [level, code, parent, title] : EurostatRows()) {
      EXPECT_EQ(nace->Canonical(code).value_or("(error)"), code);
      if (level >= 2) {
        const std::string with_section = std::string(1, *nace->SectionOf(code)) + code;
        EXPECT_EQ(nace->Canonical(with_section).value_or("(error)"), code);
      }
    }
  }
}

TEST(NaceCanonicalTest, BothCatalogsRejectAClassThatDoesNotExist) {
  // 10.8 has classes 10.81 to 10.86 and 10.89; division 10 has no group 10.0.
  EXPECT_THAT(
      NaceCatalog::BuiltIn().Canonical("10.87"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "'10.87' is not a NACE Rev. 2 code: there is no class 10.87 in the catalog"));
  EXPECT_THAT(NaceCatalog::BuiltIn().Canonical("10.0"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "'10.0' is not a NACE Rev. 2 code: there is no group 10.0 in the catalog"));
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  EXPECT_THAT(
      Eurostat()->Canonical("10.87"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "'10.87' is not a NACE Rev. 2 code: there is no class 10.87 in the catalog"));
  EXPECT_THAT(
      Eurostat()->Canonical("C10.87"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "'C10.87' is not a NACE Rev. 2 code: there is no class 10.87 in the catalog"));
  EXPECT_THAT(Eurostat()->Canonical("10.0"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "'10.0' is not a NACE Rev. 2 code: there is no group 10.0 in the catalog"));
}

TEST(NaceCanonicalTest, ExplainsWrongDivisionsAndSectionsInBothModes) {
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  std::vector<const NaceCatalog*> catalogs = {&built_in};
  if (Eurostat() != nullptr) catalogs.push_back(Eurostat());
  for (const NaceCatalog* nace : catalogs) {
    SCOPED_TRACE(nace == &built_in ? "built-in" : "loaded");
    EXPECT_THAT(nace->Canonical("04"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "'04' is not a NACE Rev. 2 code: there is no division 04"));
    EXPECT_THAT(nace->Canonical("04.11"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "'04.11' is not a NACE Rev. 2 code: there is no division 04"));
    EXPECT_THAT(
        nace->Canonical("G10"),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 "'G10' is not a NACE Rev. 2 code: division 10 belongs to section C, not G"));
    EXPECT_THAT(nace->Canonical("V"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "'V' is not a NACE Rev. 2 code: a section is a letter from A to U"));
    EXPECT_THAT(nace->Canonical(""), StatusIs(absl::StatusCode::kInvalidArgument, "is empty"));
    for (const char* code : {"c", "1", "108", "10.", "10.845", "10-8", "10.8a", "C.", "10..8"}) {
      EXPECT_THAT(nace->Canonical(code), StatusIs(absl::StatusCode::kInvalidArgument)) << code;
    }
  }
}

TEST(NaceCanonicalTest, SuggestsANearCodeThatWouldBeAccepted) {
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  std::vector<const NaceCatalog*> catalogs = {&built_in};
  if (Eurostat() != nullptr) catalogs.push_back(Eurostat());
  for (const NaceCatalog* nace : catalogs) {
    SCOPED_TRACE(nace == &built_in ? "built-in" : "loaded");
    EXPECT_THAT(nace->Canonical("1084"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "'1084' is not a NACE Rev. 2 code: expected a division like '10', a group "
                         "like '10.8' or a class like '10.84' (did you mean '10.84'?)"));
    const std::vector<std::pair<std::string, std::string>> slips = {
        {"10,84", "10.84"},   {"c10", "10"},       {"c10.84", "10.84"}, {"c", "C"},
        {"108", "10.8"},      {"10.", "10"},       {"1", "01"},         {"1.11", "01.11"},
        {" 46.3 ", "46.3"},   {"10 84", "10.84"},  {"C-10", "10"},      {"10.845", "10.84"},
        {"10.84.0", "10.84"}, {"10.84Z", "10.84"}, {"g46", "46"}};
    for (const auto& [slip, suggestion] : slips) {
      EXPECT_THAT(nace->Canonical(slip),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr(absl::StrCat(" (did you mean '", suggestion, "'?)"))))
          << slip;
      EXPECT_EQ(nace->Canonical(suggestion).value_or(""), suggestion);
    }
    // Nothing near enough, or the repair names a code that does not exist.
    for (const char* code : {"04", "G10", "g10", "V", "v", "12345", ".84", "10..84", "x"}) {
      EXPECT_THAT(nace->Canonical(code),
                  StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("did you mean"))))
          << code;
    }
  }
}

TEST(NaceCanonicalTest, SuggestsOnlyClassesThatExist) {
  EXPECT_THAT(NaceCatalog::BuiltIn().Canonical("1087"),
              StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("did you mean"))));
  EXPECT_THAT(NaceCatalog::BuiltIn().Canonical("1089"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(did you mean '10.89'?)")));
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  EXPECT_THAT(Eurostat()->Canonical("1087"),
              StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("did you mean"))));
  EXPECT_THAT(Eurostat()->Canonical("1089"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(did you mean '10.89'?)")));
}

TEST(NaceTitleTest, BuiltInNamesTheMostSpecificLevel) {
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  EXPECT_EQ(built_in.Title("C"), "MANUFACTURING");
  EXPECT_EQ(built_in.Title("10"), "Manufacture of food products");
  EXPECT_EQ(built_in.Title("10.8"), "Manufacture of other food products");
  EXPECT_EQ(built_in.Title("10.84"), "Manufacture of condiments and seasonings");
  EXPECT_EQ(built_in.Title("46.6"), "Wholesale of other machinery, equipment and supplies");
  EXPECT_EQ(built_in.Title("10.87"), "Manufacture of other food products");  // nearest ancestor
  EXPECT_EQ(built_in.Title("04"), "");
  EXPECT_EQ(built_in.Title(""), "");
  EXPECT_EQ(built_in.Title("C10"), "");  // not canonical
}

TEST(NaceTitleTest, LoadedFallsBackToTheNearestKnownAncestor) {
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  ASSERT_NE(Eurostat(), nullptr);
  EXPECT_EQ(Eurostat()->Title("10.8"), "Manufacture of other food products");
  EXPECT_EQ(Eurostat()->Title("10.84"), "Manufacture of condiments and seasonings");
  EXPECT_EQ(Eurostat()->Title("10.87"), "Manufacture of other food products");
}

TEST(NaceListTest, BuiltInListsEveryLevel) {
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  const std::vector<std::string> sections = Codes(built_in.List("", false));
  EXPECT_EQ(absl::StrJoin(sections, ""), "ABCDEFGHIJKLMNOPQRSTU");
  EXPECT_THAT(Codes(built_in.List("A", false)), ElementsAre("01", "02", "03"));
  EXPECT_THAT(built_in.List("A", true), SizeIs(3 + 13 + 39));  // divisions, groups, classes
  EXPECT_THAT(built_in.List("C", false), SizeIs(24));  // 10 to 33
  EXPECT_THAT(Codes(built_in.List("U", false)), ElementsAre("99"));
  EXPECT_THAT(Codes(built_in.List("10.8", true)),
              ElementsAre("10.81", "10.82", "10.83", "10.84", "10.85", "10.86", "10.89"));
  EXPECT_THAT(built_in.List("10", false), SizeIs(9));  // groups 10.1 to 10.9
  EXPECT_THAT(built_in.List("10.84", true), IsEmpty());
  EXPECT_THAT(built_in.List("X", true), IsEmpty());
  EXPECT_THAT(built_in.List("C10", true), IsEmpty());  // not canonical
}

TEST(NaceListTest, LoadedListsChildrenOrDescendantsInCodeOrder) {
  if (EurostatCsv().empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
  ASSERT_NE(Eurostat(), nullptr);
  const NaceCatalog& nace = *Eurostat();
  EXPECT_EQ(absl::StrJoin(Codes(nace.List("", false)), ""), "ABCDEFGHIJKLMNOPQRSTU");
  EXPECT_THAT(Codes(nace.List("10.8", false)),
              ElementsAre("10.81", "10.82", "10.83", "10.84", "10.85", "10.86", "10.89"));
  EXPECT_THAT(Codes(nace.List("10", false)),
              ElementsAre("10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "10.8", "10.9"));
  EXPECT_THAT(Codes(nace.List("01.1", true)),
              ElementsAre("01.11", "01.12", "01.13", "01.14", "01.15", "01.16", "01.19"));
  EXPECT_EQ(Codes(nace.List("A", true)).front(), "01");
  EXPECT_THAT(nace.List("10.84", true), IsEmpty());
  EXPECT_THAT(Codes(nace.List("U", true)), ElementsAre("99", "99.0", "99.00"));
  const std::vector<std::string> under_c = Codes(nace.List("C", true));
  EXPECT_THAT(under_c, SizeIs(24 + 95 + 230));
  for (const std::string& code : under_c) EXPECT_TRUE(nace.Under(code, "C")) << code;
  EXPECT_TRUE(std::is_sorted(under_c.begin(), under_c.end()));
}

TEST(NaceUnderTest, FollowsTheHierarchy) {
  const NaceCatalog nace = NaceCatalog::BuiltIn();
  EXPECT_TRUE(nace.Under("10.84", "C"));
  EXPECT_TRUE(nace.Under("10.84", "10"));
  EXPECT_TRUE(nace.Under("10.84", "10.8"));
  EXPECT_TRUE(nace.Under("10.84", "10.84"));
  EXPECT_TRUE(nace.Under("C", "C"));
  EXPECT_TRUE(nace.Under("99", "U"));
  EXPECT_TRUE(nace.Under("46.3", ""));
  EXPECT_FALSE(nace.Under("10.84", "10.9"));
  EXPECT_FALSE(nace.Under("46.3", "C"));
  EXPECT_FALSE(nace.Under("C", "G"));
  EXPECT_FALSE(nace.Under("10.84", "10.845"));
  EXPECT_FALSE(nace.Under("101", "10"));
  EXPECT_FALSE(nace.Under("10", "10.8"));
  EXPECT_FALSE(nace.Under("04", "A"));
}

TEST(NaceSectionOfTest, KnowsEveryDivisionsSection) {
  const NaceCatalog nace = NaceCatalog::BuiltIn();
  int divisions = 0;
  for (int d = 0; d < 100; ++d) {
    divisions += nace.SectionOf(absl::StrCat(d / 10, d % 10)).has_value();
  }
  EXPECT_EQ(divisions, 88);
  EXPECT_EQ(nace.SectionOf("10.84"), 'C');
  EXPECT_EQ(nace.SectionOf("46"), 'G');
  EXPECT_EQ(nace.SectionOf("62.01"), 'J');
  EXPECT_EQ(nace.SectionOf("99"), 'U');
  EXPECT_EQ(nace.SectionOf("C"), 'C');
  EXPECT_EQ(nace.SectionOf("04"), std::nullopt);
  EXPECT_EQ(nace.SectionOf("V"), std::nullopt);
  EXPECT_EQ(nace.SectionOf("10x"), std::nullopt);
  EXPECT_EQ(nace.SectionOf(""), std::nullopt);
}

TEST(NaceLoadCsvTest, ReadsAnyCatalogThatAgreesWithTheBuiltInRows) {
  socio::testing::TempDir dir;
  const NaceCatalog built_in = NaceCatalog::BuiltIn();
  // Only sections and divisions: exact, so no group is accepted.
  absl::StatusOr<NaceCatalog> nace = NaceCatalog::LoadCsv(WriteFile(dir, BuiltInCsv()));
  ASSERT_THAT(nace, IsOk());
  EXPECT_TRUE(nace->exact());
  EXPECT_EQ(Rows(nace->List("", true)), Rows(SectionsAndDivisions(built_in)));
  EXPECT_THAT(nace->Canonical("10.8"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("there is no group 10.8 in the catalog")));

  // Windows line ends, a byte order mark, columns in another order and a
  // title with quotes, a comma and a line break.
  std::string csv = "\xEF\xBB\xBFTitle,Parent,Code,Level\r\n";
  for (const Sector* s : SectionsAndDivisions(built_in)) {
    absl::StrAppend(&csv, Quoted(s->title), ",", s->parent, ",", s->code, ",", s->level, "\r\n");
  }
  absl::StrAppend(&csv, "\"Growing of \"\"grains\"\",\r\nand rice\",01,01.1,3\r\n\r\n");
  nace = NaceCatalog::LoadCsv(WriteFile(dir, csv));
  ASSERT_THAT(nace, IsOk());
  EXPECT_EQ(nace->Title("01.1"), "Growing of \"grains\",\r\nand rice");
  EXPECT_THAT(nace->List("", true), SizeIs(21 + 88 + 1));
}

TEST(NaceLoadCsvTest, NamesTheLineOfABadRow) {
  socio::testing::TempDir dir;
  const int after_last = 21 + 88 + 2;
  const auto load = [&](const std::string& csv) {
    return NaceCatalog::LoadCsv(WriteFile(dir, csv));
  };

  EXPECT_THAT(load(BuiltInCsv({"999,4,12.01,12.0,Cigars,"})),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(dir.Join("nace.csv")),
                             HasSubstr(absl::StrCat("line ", after_last,
                                                    ": the parent of class 12.01, group 12.0, is "
                                                    "not in the file")))));

  std::string renamed = BuiltInCsv();
  absl::StrReplaceAll({{"\"Manufacture of food products\"", "\"Food\""}}, &renamed);
  EXPECT_THAT(load(renamed),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("line ", LineOf("10"),
                                              ": division 10 is titled \"Food\" here but "
                                              "\"Manufacture of food products\" in NACE Rev. 2"))));

  std::string moved = BuiltInCsv();
  absl::StrReplaceAll({{",10,C,", ",10,G,"}}, &moved);
  EXPECT_THAT(load(moved), StatusIs(absl::StatusCode::kDataLoss,
                                    HasSubstr(absl::StrCat("line ", LineOf("10"),
                                                           ": division 10 belongs to section C, "
                                                           "not G"))));

  EXPECT_THAT(load(BuiltInCsv({"999,2,04,A,Mining of moon rock,"})),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("line ", after_last,
                                              ": there is no division 04 in NACE Rev. 2"))));
  EXPECT_THAT(load(BuiltInCsv({"999,3,10.1,11,Meat,"})),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("line ", after_last,
                                              ": group 10.1 belongs to division 10, not 11"))));
  EXPECT_THAT(load(BuiltInCsv({"999,4,10.1,10,Meat,"})),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("line ", after_last,
                                              ": \"10.1\" is not a class code like '10.84'"))));
  EXPECT_THAT(
      load(BuiltInCsv({"999,5,10.1,10,Meat,"})),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr(absl::StrCat("line ", after_last, ": level \"5\" is not 1, 2, 3 or 4"))));
  EXPECT_THAT(load(BuiltInCsv({"999,3,10.1,10,,"})),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("line ", after_last, ": group 10.1 has no title"))));
  EXPECT_THAT(load(BuiltInCsv({"999,3,10.1,10,Meat,", "1000,3,10.1,10,Meat,"})),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("line ", after_last + 1,
                                              ": group 10.1 is listed twice (first on line ",
                                              after_last, ")"))));
  EXPECT_THAT(
      load(BuiltInCsv({"999,3,10.1,10,\"Meat"})),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr(absl::StrCat("line ", after_last, ": quoted cell is not closed"))));
}

TEST(NaceLoadCsvTest, RejectsAFileThatIsIncompleteOrHasNoHeader) {
  socio::testing::TempDir dir;
  const auto load = [&](const std::string& csv) {
    return NaceCatalog::LoadCsv(WriteFile(dir, csv));
  };
  // Division 99 is the last row.
  std::string without_99 = BuiltInCsv();
  const size_t row_99 = without_99.find("\n109,2,99,U,");
  ASSERT_NE(row_99, std::string::npos);
  without_99.resize(row_99 + 1);
  EXPECT_THAT(load(without_99),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(": division 99 (Activities of extraterritorial organisations and "
                                 "bodies) of NACE Rev. 2 is missing")));
  EXPECT_THAT(load(""), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("line 1: no header row")));
  EXPECT_THAT(
      load("order,level,code,name\n1,1,A,x\n"),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("line 1: missing column(s) parent, title")));
}

TEST(NaceLoadCsvTest, MissingFileIsNotFound) {
  socio::testing::TempDir dir;
  const std::string path = dir.Join("no-such-catalog.csv");
  EXPECT_THAT(NaceCatalog::LoadCsv(path), StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

}  // namespace
}  // namespace socio::reference
