// The crash harness's ledger check finds what it is there to find: a lost
// acknowledged write, a write half there, an import landed out of order or
// in part of a batch, a profile nobody wrote; and accepts an in-flight write
// whole or absent.
#include "tests/fault/crash_ledger.h"

#include <string>
#include <utility>

#include "bench/profile_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace socio::fault {
namespace {

using socio::v1::Profile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using StoredProfiles = absl::btree_map<std::string, Profile>;

class CrashLedgerTest : public ::testing::Test {
 protected:
  // Profile number i as stored at `version`.
  Profile Stored(int i, int64_t version) const {
    Profile p = generator_.Generate(i);
    p.set_version(version);
    p.mutable_update_time()->set_seconds(1700000000 + version);
    return p;
  }
  static ProfileState State(const Profile& stored) { return StateOf(stored); }
  // Acknowledges a write leaving `profiles` in `ledger`.
  static void Acknowledge(WriterLedger& ledger, Write::Kind kind,
                          const std::vector<Profile>& profiles) {
    Write write{.kind = kind};
    for (const Profile& p : profiles) write.outcomes.emplace_back(p.id(), StateOf(p));
    ledger.Begin(std::move(write));
    ledger.Acknowledge();
  }

  bench::ProfileGenerator generator_{{.seed = 3}};
  WriterLedger ledger_;
  StoredProfiles stored_;
};

TEST_F(CrashLedgerTest, AcknowledgedStatesPass) {
  Acknowledge(ledger_, Write::kImport, {Stored(0, 1), Stored(1, 1)});
  Acknowledge(ledger_, Write::kUpdate, {Stored(1, 2)});
  stored_ = {{Stored(0, 1).id(), Stored(0, 1)}, {Stored(1, 2).id(), Stored(1, 2)}};
  LedgerCheck check = CheckLedgers({&ledger_}, stored_);
  EXPECT_THAT(check.violations, IsEmpty());
  EXPECT_EQ(check.in_flight_writes, 0);
}

TEST_F(CrashLedgerTest, ALostAcknowledgedWriteIsAViolation) {
  Acknowledge(ledger_, Write::kCreate, {Stored(0, 1)});
  Acknowledge(ledger_, Write::kUpdate, {Stored(0, 2)});
  stored_ = {{Stored(0, 1).id(), Stored(0, 1)}};  // the update is gone
  LedgerCheck check = CheckLedgers({&ledger_}, stored_);
  ASSERT_EQ(check.violations.size(), 1u);
  EXPECT_THAT(check.violations[0], HasSubstr("acknowledged write lost"));
  EXPECT_THAT(check.violations[0], HasSubstr("stored version 1"));
}

TEST_F(CrashLedgerTest, AnAcknowledgedDeleteMustStayDeleted) {
  Acknowledge(ledger_, Write::kCreate, {Stored(0, 1)});
  ledger_.Begin({.kind = Write::kDelete, .outcomes = {{Stored(0, 1).id(), ProfileState{}}}});
  ledger_.Acknowledge();
  stored_ = {{Stored(0, 1).id(), Stored(0, 1)}};
  EXPECT_THAT(CheckLedgers({&ledger_}, stored_).violations,
              ElementsAre(HasSubstr("the last acknowledged write left absent")));
}

TEST_F(CrashLedgerTest, AnInFlightWriteMayLandWholeOrNotAtAll) {
  for (bool landed : {false, true}) {
    WriterLedger ledger;
    Acknowledge(ledger, Write::kCreate, {Stored(0, 1)});
    ledger.Begin({.kind = Write::kUpdate, .outcomes = {{Stored(0, 2).id(), State(Stored(0, 2))}}});
    const Profile now = landed ? Stored(0, 2) : Stored(0, 1);
    LedgerCheck check = CheckLedgers({&ledger}, {{now.id(), now}});
    EXPECT_THAT(check.violations, IsEmpty());
    EXPECT_EQ(check.landed_items, landed ? 1 : 0);
    // Settled: the ledger knows the stored state and nothing is in flight.
    EXPECT_FALSE(ledger.has_in_flight());
    EXPECT_EQ(ledger.known().at(now.id()).version, now.version());
  }
}

TEST_F(CrashLedgerTest, AHalfWrittenUpdateIsAViolation) {
  Acknowledge(ledger_, Write::kCreate, {Stored(0, 1)});
  Profile update = Stored(0, 2);
  update.set_description("Now distributes in Texas.");
  ledger_.Begin({.kind = Write::kUpdate, .outcomes = {{update.id(), State(update)}}});
  // The version moved but the content did not: neither state.
  stored_ = {{update.id(), Stored(0, 2)}};
  EXPECT_THAT(CheckLedgers({&ledger_}, stored_).violations,
              ElementsAre(AllOf(HasSubstr("in-flight write half there"),
                                HasSubstr("content differs"), HasSubstr("description"))));
}

TEST_F(CrashLedgerTest, AnImportLandsAsAPrefixOfWholeBatches) {
  Write import{.kind = Write::kImport, .batch_size = 2};
  for (int i = 0; i < 5; ++i) import.outcomes.emplace_back(Stored(i, 1).id(), State(Stored(i, 1)));
  const auto stored_first = [&](std::vector<int> indices) {
    StoredProfiles stored;
    for (int i : indices) stored.emplace(Stored(i, 1).id(), Stored(i, 1));
    return stored;
  };
  const auto check = [&](std::vector<int> indices) {
    WriterLedger ledger;
    ledger.Begin(import);
    return CheckLedgers({&ledger}, stored_first(std::move(indices)));
  };
  EXPECT_THAT(check({}).violations, IsEmpty());
  EXPECT_THAT(check({0, 1}).violations, IsEmpty());
  EXPECT_EQ(check({0, 1, 2, 3}).partial_imports, 1);
  EXPECT_THAT(check({0, 1, 2, 3, 4}).violations, IsEmpty());  // the last batch is short
  EXPECT_THAT(check({0}).violations, ElementsAre(HasSubstr("not a whole number of batches of 2")));
  EXPECT_THAT(check({0, 1, 3}).violations, ElementsAre(HasSubstr("landed out of order")));
}

TEST_F(CrashLedgerTest, AProfileNoWriterWroteIsAViolation) {
  stored_ = {{Stored(9, 1).id(), Stored(9, 1)}};
  EXPECT_THAT(CheckLedgers({&ledger_}, stored_).violations,
              ElementsAre(HasSubstr("no writer ever wrote it")));
}

}  // namespace
}  // namespace socio::fault
