// The CSV form of an analytics answer: a header row naming every figure, one
// row per group and the total last, rates with four decimals and empty when
// absent, cells quoted where RFC 4180 needs it.
#include "analytics/csv.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Lines(const std::string& csv) {
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n");
  EXPECT_EQ(lines.back(), "");  // every row ends in CRLF
  lines.pop_back();
  return lines;
}

TEST(AnalyticsCsv, HeaderThenGroupsThenTotal) {
  socio::v1::GetAnalyticsResponse response;
  socio::v1::AnalyticsRow* april = response.add_rows();
  april->set_key("2027-04");
  april->mutable_figures()->set_requests_sent(4);
  april->mutable_figures()->set_requests_accepted(1);
  april->mutable_figures()->set_acceptance_rate(1.0 / 3.0);
  april->mutable_figures()->set_acceptance_standing(socio::v1::BELOW_TYPICAL);
  socio::v1::AgreementCount* c = april->mutable_figures()->add_agreements_by_type();
  c->set_type(socio::v1::FollowUpReport::LICENSING);
  c->set_count(2);
  response.add_rows()->set_key("a,\"b\"");
  response.mutable_total()->set_requests_sent(4);

  const std::vector<std::string> lines = Lines(AnalyticsCsv(response));
  ASSERT_EQ(lines.size(), 4u);
  const std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  ASSERT_EQ(header.size(), FigureColumns().size() + 1);
  EXPECT_EQ(header[0], "group");
  EXPECT_THAT(header, ::testing::Contains("agreements_licensing"));
  EXPECT_THAT(header, ::testing::Contains("goals_off_track"));

  std::vector<std::string> row = absl::StrSplit(lines[1], ',');
  ASSERT_EQ(row.size(), header.size());
  auto cell = [&](const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return row[i];
    }
    ADD_FAILURE() << "no column " << name;
    return std::string();
  };
  EXPECT_EQ(cell("group"), "2027-04");
  EXPECT_EQ(cell("requests_sent"), "4");
  EXPECT_EQ(cell("acceptance_rate"), "0.3333");
  EXPECT_EQ(cell("acceptance_standing"), "below_typical");
  EXPECT_EQ(cell("agreements_licensing"), "2");
  EXPECT_EQ(cell("agreements_supply"), "0");
  EXPECT_EQ(cell("held_rate"), "");  // absent
  EXPECT_EQ(cell("held_standing"), "");

  EXPECT_THAT(lines[2], ::testing::StartsWith("\"a,\"\"b\"\"\","));
  EXPECT_THAT(lines[3], ::testing::StartsWith("(total),4,"));
}

}  // namespace
}  // namespace socio::analytics
