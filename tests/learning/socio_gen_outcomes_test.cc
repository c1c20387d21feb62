// socio-gen --outcomes: the simulated outcomes file its --help describes,
// the same for the same seed.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {
namespace {

using ::testing::HasSubstr;

CommandResult Gen(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), BuiltBinary("bench/socio-gen"));
  absl::StatusOr<CommandResult> result = RunCommand(args, dir.path());
  EXPECT_THAT(result, IsOk());
  return result.ok() ? *result : CommandResult{};
}

TEST(SocioGenOutcomesTest, WritesOneOutcomeALineTheSameForTheSameSeed) {
  TempDir dir;
  const std::vector<std::string> args = {"--count", "300", "--outcomes", "40", "--seed", "5"};
  const CommandResult first = Gen(dir, args);
  ASSERT_EQ(first.exit_status, 0) << first.err;
  EXPECT_EQ(Gen(dir, args).out, first.out);
  const CommandResult other = Gen(dir, {"--count", "300", "--outcomes", "40", "--seed", "6"});
  EXPECT_NE(other.out, first.out);

  const std::vector<std::string> lines = absl::StrSplit(first.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 40u);
  int positives = 0;
  for (const std::string& line : lines) {
    google::protobuf::Struct outcome;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &outcome).ok()) << line;
    const auto& f = outcome.fields();
    EXPECT_FALSE(f.at("member_id").string_value().empty());
    EXPECT_NE(f.at("partner_id").string_value(), f.at("member_id").string_value());
    EXPECT_GT(f.at("recorded_seconds").number_value(), 0);
    positives += f.at("positive").bool_value();
    for (const char* side : {"forward", "backward"}) {
      const google::protobuf::ListValue& scores = f.at(side).list_value();
      ASSERT_EQ(scores.values_size(), 7) << line;
      for (const auto& x : scores.values()) {
        EXPECT_GE(x.number_value(), 0);
        EXPECT_LE(x.number_value(), 1);
      }
    }
  }
  EXPECT_EQ(positives, 12);  // --positive_share 0.3 of 40
}

TEST(SocioGenOutcomesTest, RejectsTrueWeightsThatAreNotSevenNumbers) {
  TempDir dir;
  const CommandResult result =
      Gen(dir, {"--count", "300", "--outcomes", "40", "--true_weights", "0.5,0.5"});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_THAT(result.err, HasSubstr("--true_weights: needs 7 comma-separated weights, has 2"));
  EXPECT_TRUE(result.out.empty());
}

}  // namespace
}  // namespace socio::testing
