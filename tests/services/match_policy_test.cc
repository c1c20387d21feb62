// SetPolicy: the weights a chamber stores are ones the matcher can rank
// with, checked where policies are served (the store checks only their shape).
#include "services/match_policy.h"

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/match_policy_store.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::services {
namespace {

using socio::testing::IsOk;
using socio::testing::MakePolicy;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::v1::MatchPolicy;
using ::testing::AllOf;
using ::testing::HasSubstr;

class SetPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(database_, storage::Database::Open(dir_.path(), {}));
    ASSIGN_OR_FAIL(store_, storage::MatchPolicyStore::Open(database_, {}));
  }

  TempDir dir_;
  std::shared_ptr<storage::Database> database_;
  std::unique_ptr<storage::MatchPolicyStore> store_;
};

struct InvalidCase {
  std::string name;
  MatchPolicy policy;
  std::string field;  // named in the error
};

std::vector<InvalidCase> InvalidWeights() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<InvalidCase> cases;
  cases.push_back({"negative", MakePolicy("c1", 0.5, -1), "policy.weights.market"});
  cases.push_back({"nan", MakePolicy("c1", nan), "policy.weights.objective"});
  cases.push_back({"infinity", MakePolicy("c1", inf), "policy.weights.objective"});
  cases.push_back({"negative infinity", MakePolicy("c1", 0.5, -inf), "policy.weights.market"});
  MatchPolicy size = MakePolicy("c1");
  size.mutable_weights()->set_size(-0.5);
  cases.push_back({"last factor negative", size, "policy.weights.size"});
  MatchPolicy zero = MakePolicy("c1");
  *zero.mutable_weights() = socio::v1::FactorWeights();
  cases.push_back({"all zero", zero, "policy.weights"});
  MatchPolicy missing = MakePolicy("c1");
  missing.clear_weights();
  cases.push_back({"missing weights", missing, "policy.weights"});
  return cases;
}

TEST_F(SetPolicyTest, EachUnusableWeightIsRejectedNamingTheFactorAndNothingIsStored) {
  for (const InvalidCase& c : InvalidWeights()) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(SetPolicy(*store_, c.policy, 0),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field + ":")));
  }
  EXPECT_THAT(store_->Get("c1"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SetPolicyTest, ANegativeWeightIsQuotedInTheError) {
  EXPECT_THAT(SetPolicy(*store_, MakePolicy("c1", 0.5, -1), 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("policy.weights.market"), HasSubstr("-1"))));
}

TEST_F(SetPolicyTest, RejectedWeightsLeaveTheStoredPolicyAsItWas) {
  ASSIGN_OR_FAIL(MatchPolicy stored, SetPolicy(*store_, MakePolicy("c1"), 0));
  EXPECT_THAT(SetPolicy(*store_, MakePolicy("c1", -1), 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSIGN_OR_FAIL(MatchPolicy read, store_->Get("c1"));
  EXPECT_EQ(read.SerializeAsString(), stored.SerializeAsString());
}

TEST_F(SetPolicyTest, ZeroWeightsBesideAPositiveOneAreStored) {
  MatchPolicy policy;
  policy.set_chamber_id("c1");
  policy.mutable_weights()->set_freshness(1);
  ASSIGN_OR_FAIL(MatchPolicy stored, SetPolicy(*store_, policy, 0));
  EXPECT_EQ(stored.version(), 1);
  EXPECT_EQ(stored.weights().freshness(), 1);
}

TEST_F(SetPolicyTest, AStaleVersionIsTheStoresAbortedError) {
  ASSERT_THAT(SetPolicy(*store_, MakePolicy("c1"), 0), IsOk());
  ASSERT_THAT(SetPolicy(*store_, MakePolicy("c1"), 0), IsOk());
  EXPECT_THAT(SetPolicy(*store_, MakePolicy("c1"), 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
}

}  // namespace
}  // namespace socio::services
