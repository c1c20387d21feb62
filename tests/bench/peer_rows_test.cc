// The PostgreSQL peer's profile rows carry each objective's sectors and
// markets as Socio extracted them, those read from text included, so the
// peer ranks with the same objectives.
#include "bench/peer/peer_rows.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "matcher/features.h"
#include "tests/support/reference.h"

namespace socio::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The objectives column of a profile's row with COPY's and the array's
// quoting taken out: "{(1,2,{10.41},{<packed>},{DE},note)}".
std::string Objectives(const std::string& json) {
  socio::v1::Profile p;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &p).ok()) << json;
  const std::shared_ptr<const reference::ReferenceData> reference = socio::testing::TestReference();
  const matcher::ScoringTables tables(reference);
  const matcher::Features features = matcher::ExtractFeatures(p, tables, 0);
  std::string row;
  AppendProfileRow(p, features.view(), *reference, &row);
  const std::vector<std::string> columns = absl::StrSplit(row, '\t');
  EXPECT_GT(columns.size(), 12u);
  if (columns.size() <= 12) return "";
  std::string objectives = columns[12];  // kProfileColumns: the 13th is objectives
  absl::StrReplaceAll({{"\\", ""}, {"\"", ""}}, &objectives);
  return objectives;
}

TEST(PeerRowsTest, ObjectivesCarryWhatWasReadFromTheNote) {
  const std::string objectives = Objectives(R"({"id": "m", "chamberId": "c", "name": "Aceites",
      "country": "ES", "sectors": ["10.41"], "objectives": [{"type": "DISTRIBUTION",
      "direction": "SEEK", "note": "Buscamos distribuidor de aceite de oliva en Alemania"}]})");
  // Type, direction, sectors, packed sectors, markets, note.
  const int32_t packed = static_cast<int32_t>(
      matcher::PackSector(socio::testing::TestReference()->sectors(), "10.41"));
  EXPECT_THAT(objectives, HasSubstr(absl::StrCat("(1,2,{10.41},{", packed, "},{DE},Buscamos")));
}

TEST(PeerRowsTest, GivenSectorsAndMarketsAreKept) {
  const std::string objectives = Objectives(R"({"id": "m", "chamberId": "c", "name": "Aceites",
      "country": "ES", "sectors": ["10.41"], "objectives": [{"type": "DISTRIBUTION",
      "direction": "SEEK", "sectors": ["46.33"], "markets": ["FR"],
      "note": "Buscamos distribuidor de aceite de oliva en Alemania"}]})");
  EXPECT_THAT(objectives, HasSubstr("(1,2,{46.33},"));
  EXPECT_THAT(objectives, HasSubstr(",{FR},Buscamos"));
  EXPECT_THAT(objectives, Not(HasSubstr("{DE}")));
}

}  // namespace
}  // namespace socio::bench
