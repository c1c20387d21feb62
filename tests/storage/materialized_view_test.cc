#include "storage/materialized_view.h"

#include <atomic>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {

// For failure messages: keys and values may hold any byte.
void PrintTo(const ViewRecord& record, std::ostream* os) {
  *os << "{\"" << absl::CHexEscape(record.key) << "\", \"" << absl::CHexEscape(record.value)
      << "\", " << record.mod_revision << "}";
}

namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;

// A StatusOr that is OK and whose value matches `matcher`.
MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a value that matches") {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// An empty std::optional.
::testing::Matcher<std::optional<ViewRecord>> Absent() { return Not(Optional(::testing::_)); }

// A record with `key`, `value` and `mod_revision`.
::testing::Matcher<ViewRecord> Record(const std::string& key, const std::string& value,
                                      int64_t mod_revision) {
  return AllOf(Field("key", &ViewRecord::key, key), Field("value", &ViewRecord::value, value),
               Field("mod_revision", &ViewRecord::mod_revision, mod_revision));
}

ViewChange Put(std::string key, std::string value, int64_t revision) {
  return ViewChange{std::move(key), std::move(value), revision};
}

ViewChange Delete(std::string key, int64_t revision) {
  return ViewChange{std::move(key), std::nullopt, revision};
}

class MaterializedViewTest : public ::testing::Test {
 protected:
  // Opening a new database costs ~0.5 s under the sanitizers (opening one
  // that exists, ~0.1 s): each test starts from a checkpoint of one empty
  // database, never written.
  static void SetUpTestSuite() {
    empty_dir_ = new TempDir;
    absl::StatusOr<std::shared_ptr<Database>> empty = Database::Open(empty_dir_->Join("db"), {});
    ASSERT_THAT(empty, IsOk());
    empty_ = new std::shared_ptr<Database>(*std::move(empty));
  }
  static void TearDownTestSuite() {
    delete empty_;
    empty_ = nullptr;
    delete empty_dir_;
    empty_dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(empty_, nullptr);
    ASSERT_THAT((*empty_)->Checkpoint(dir_.Join("db")), IsOk());
    Reopen();
  }

  // Closes the view and its database, if open, and opens them again on the
  // same directory.
  void Reopen() {
    view_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.Join("db"), {}));
    ASSIGN_OR_FAIL(view_, MaterializedView::Open(database_));
  }

  // Every record of the view, in key order.
  std::vector<ViewRecord> All() {
    absl::StatusOr<std::vector<ViewRecord>> records = view_->List("");
    EXPECT_THAT(records, IsOk());
    return records.ok() ? *records : std::vector<ViewRecord>{};
  }

  // The view's content after a Replace at 10 and an Apply at 12.
  void Seed() {
    ASSERT_THAT(view_->Replace({{"profiles/a", "A", 4}, {"profiles/b", "B", 9}}, 10), IsOk());
    ASSERT_THAT(view_->Apply({Put("profiles/c", "C", 12)}, 12), IsOk());
  }

  static inline TempDir* empty_dir_ = nullptr;
  static inline std::shared_ptr<Database>* empty_ = nullptr;
  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<MaterializedView> view_;
};

TEST_F(MaterializedViewTest, FreshViewHasAppliedNothing) {
  EXPECT_EQ(view_->applied_revision(), 0);
  EXPECT_THAT(view_->Get("profiles/a"), IsOkAndHolds(Absent()));
  EXPECT_THAT(All(), IsEmpty());
}

TEST_F(MaterializedViewTest, AppliedPutsAndDeletesAreReadBack) {
  ASSERT_THAT(
      view_->Apply(
          {Put("profiles/b", "B1", 3), Put("policies/x", "X", 4), Put("profiles/a", "A", 5)}, 5),
      IsOk());
  EXPECT_EQ(view_->applied_revision(), 5);
  ASSERT_THAT(view_->Apply({Put("profiles/b", "B2", 7), Put("profilesX", "not a profile", 8),
                            Put("profiles/c", "C", 8)},
                           9),
              IsOk());
  EXPECT_EQ(view_->applied_revision(), 9);

  EXPECT_THAT(view_->Get("profiles/a"), IsOkAndHolds(Optional(Record("profiles/a", "A", 5))));
  EXPECT_THAT(view_->Get("profiles/b"), IsOkAndHolds(Optional(Record("profiles/b", "B2", 7))));
  EXPECT_THAT(view_->Get("policies/x"), IsOkAndHolds(Optional(Record("policies/x", "X", 4))));
  EXPECT_THAT(view_->Get("profiles/"), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->List("profiles/"),
              IsOkAndHolds(ElementsAre(Record("profiles/a", "A", 5), Record("profiles/b", "B2", 7),
                                       Record("profiles/c", "C", 8))));
  EXPECT_THAT(view_->List("policies/"), IsOkAndHolds(ElementsAre(Record("policies/x", "X", 4))));
  EXPECT_THAT(view_->List("nothing/"), IsOkAndHolds(IsEmpty()));

  ASSERT_THAT(view_->Apply({Delete("profiles/b", 10)}, 10), IsOk());
  EXPECT_EQ(view_->applied_revision(), 10);
  EXPECT_THAT(view_->Get("profiles/b"), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->List("profiles/"), IsOkAndHolds(ElementsAre(Record("profiles/a", "A", 5),
                                                                 Record("profiles/c", "C", 8))));
  EXPECT_THAT(view_->List(""),
              IsOkAndHolds(ElementsAre(Record("policies/x", "X", 4), Record("profiles/a", "A", 5),
                                       Record("profiles/c", "C", 8),
                                       Record("profilesX", "not a profile", 8))));
}

TEST_F(MaterializedViewTest, ChangesOfOneTransactionShareARevision) {
  // etcd gives every change of one transaction the same revision.
  ASSERT_THAT(view_->Apply({Put("a", "1", 6), Put("b", "2", 6), Delete("c", 6)}, 6), IsOk());
  EXPECT_EQ(view_->applied_revision(), 6);
  EXPECT_THAT(All(), ElementsAre(Record("a", "1", 6), Record("b", "2", 6)));
}

TEST_F(MaterializedViewTest, ApplyWithNoChanges) {
  ASSERT_THAT(view_->Apply({Put("a", "1", 2)}, 2), IsOk());
  // At the applied revision: a no-op.
  EXPECT_THAT(view_->Apply({}, 2), IsOk());
  EXPECT_EQ(view_->applied_revision(), 2);
  EXPECT_THAT(All(), ElementsAre(Record("a", "1", 2)));
  // After it: the source changed nothing the view holds up to there.
  ASSERT_THAT(view_->Apply({}, 20), IsOk());
  EXPECT_EQ(view_->applied_revision(), 20);
  EXPECT_THAT(All(), ElementsAre(Record("a", "1", 2)));
  Reopen();
  EXPECT_EQ(view_->applied_revision(), 20);
}

TEST_F(MaterializedViewTest, KeepsRecordsAndRevisionAcrossReopen) {
  Seed();
  ASSERT_THAT(view_->Apply({Delete("profiles/a", 13), Put("profiles/b", "B2", 14)}, 15), IsOk());
  Reopen();
  EXPECT_EQ(view_->applied_revision(), 15);
  EXPECT_THAT(view_->Get("profiles/a"), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->List("profiles/"), IsOkAndHolds(ElementsAre(Record("profiles/b", "B2", 14),
                                                                 Record("profiles/c", "C", 12))));
  // It goes on from where it was.
  EXPECT_THAT(view_->Apply({Put("profiles/d", "D", 15)}, 15),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(view_->Apply({Put("profiles/d", "D", 16)}, 16), IsOk());
  Reopen();
  EXPECT_EQ(view_->applied_revision(), 16);
  EXPECT_THAT(view_->Get("profiles/d"), IsOkAndHolds(Optional(Record("profiles/d", "D", 16))));
}

TEST_F(MaterializedViewTest, KeepsAReplaceAcrossReopen) {
  Seed();
  ASSERT_THAT(view_->Replace({{"profiles/z", "Z", 30}}, 31), IsOk());
  Reopen();
  EXPECT_EQ(view_->applied_revision(), 31);
  EXPECT_THAT(All(), ElementsAre(Record("profiles/z", "Z", 30)));
}

TEST_F(MaterializedViewTest, RefusesARevisionNotAfterTheApplied) {
  Seed();
  for (int64_t revision : {12, 11, 1}) {
    SCOPED_TRACE(revision);
    EXPECT_THAT(
        view_->Apply({Put("profiles/new", "N", revision)}, revision),
        StatusIs(absl::StatusCode::kFailedPrecondition,
                 AllOf(HasSubstr("refused"), HasSubstr(absl::StrCat("revision ", revision, " ")),
                       HasSubstr("applied revision 12"))));
  }
  // Nor with nothing to apply, going back.
  EXPECT_THAT(view_->Apply({}, 11), StatusIs(absl::StatusCode::kFailedPrecondition,
                                             AllOf(HasSubstr("refused"), HasSubstr("11"))));
  // Nor a delete.
  EXPECT_THAT(view_->Apply({Delete("profiles/a", 12)}, 12),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(view_->applied_revision(), 12);
  EXPECT_THAT(view_->Get("profiles/new"), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->Get("profiles/a"), IsOkAndHolds(Optional(Record("profiles/a", "A", 4))));
  EXPECT_THAT(All(), ElementsAre(Record("profiles/a", "A", 4), Record("profiles/b", "B", 9),
                                 Record("profiles/c", "C", 12)));
}

TEST_F(MaterializedViewTest, RefusesABadBatchWhole) {
  Seed();
  struct Case {
    const char* what;
    std::vector<ViewChange> changes;
    int64_t revision;
  };
  const std::vector<Case> cases = {
      {"out of order", {Put("profiles/new", "N", 15), Put("profiles/a", "A2", 14)}, 16},
      {"beyond the batch", {Put("profiles/new", "N", 13), Put("profiles/a", "A2", 17)}, 16},
      {"later one at the applied revision",
       {Put("profiles/new", "N", 13), Put("profiles/a", "A2", 12)},
       16},
      {"before the applied revision", {Put("profiles/new", "N", 5)}, 16},
      {"first at the applied revision",
       {Put("profiles/a", "A2", 12), Put("profiles/new", "N", 13)},
       16},
      {"a delete out of order", {Put("profiles/new", "N", 15), Delete("profiles/a", 14)}, 16},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_THAT(view_->Apply(c.changes, c.revision),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("out of order")));
    EXPECT_EQ(view_->applied_revision(), 12);
    // Not even the changes before the bad one landed.
    EXPECT_THAT(view_->Get("profiles/new"), IsOkAndHolds(Absent()));
    EXPECT_THAT(view_->Get("profiles/a"), IsOkAndHolds(Optional(Record("profiles/a", "A", 4))));
  }
  Reopen();
  EXPECT_EQ(view_->applied_revision(), 12);
  EXPECT_THAT(All(), ElementsAre(Record("profiles/a", "A", 4), Record("profiles/b", "B", 9),
                                 Record("profiles/c", "C", 12)));
}

TEST_F(MaterializedViewTest, ReplaceSwapsTheWholeContent) {
  ASSERT_THAT(view_->Apply(
                  {Put("policies/p", "P", 3), Put("profiles/a", "A", 4), Put("profiles/b", "B", 5),
                   Put(std::string("\xff\xff", 2), "high", 6), Put(std::string("\0", 1), "low", 7)},
                  8),
              IsOk());
  ASSERT_THAT(view_->Replace({{"profiles/b", "B2", 9}, {"profiles/c", "C", 2}}, 11), IsOk());
  EXPECT_EQ(view_->applied_revision(), 11);
  EXPECT_THAT(view_->Get("profiles/a"), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->Get("policies/p"), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->Get(std::string("\xff\xff", 2)), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->Get(std::string("\0", 1)), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->Get("profiles/b"), IsOkAndHolds(Optional(Record("profiles/b", "B2", 9))));
  EXPECT_THAT(All(), ElementsAre(Record("profiles/b", "B2", 9), Record("profiles/c", "C", 2)));

  // Again at the same revision (a re-read): allowed, and the content is the
  // new one.
  ASSERT_THAT(view_->Replace({{"policies/q", "Q", 11}}, 11), IsOk());
  EXPECT_EQ(view_->applied_revision(), 11);
  EXPECT_THAT(All(), ElementsAre(Record("policies/q", "Q", 11)));

  // To nothing at all.
  ASSERT_THAT(view_->Replace({}, 12), IsOk());
  EXPECT_EQ(view_->applied_revision(), 12);
  EXPECT_THAT(All(), IsEmpty());

  // And changes follow on from it.
  ASSERT_THAT(view_->Apply({Put("profiles/d", "D", 13)}, 13), IsOk());
  EXPECT_THAT(All(), ElementsAre(Record("profiles/d", "D", 13)));
}

TEST_F(MaterializedViewTest, ReplaceRefusesARevisionBeforeTheApplied) {
  Seed();
  EXPECT_THAT(view_->Replace({{"profiles/z", "Z", 1}}, 11),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("refused"), HasSubstr("11"), HasSubstr("12"))));
  EXPECT_EQ(view_->applied_revision(), 12);
  EXPECT_THAT(All(), ElementsAre(Record("profiles/a", "A", 4), Record("profiles/b", "B", 9),
                                 Record("profiles/c", "C", 12)));
}

TEST_F(MaterializedViewTest, ReplaceRefusesARecordChangedAfterTheRevisionRead) {
  Seed();
  // The bad record last: the ones before it must not land either, nor may the
  // old records go.
  EXPECT_THAT(view_->Replace({{"profiles/y", "Y", 13}, {"profiles/z", "Z", 21}}, 20),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("profiles/z"), HasSubstr("21"), HasSubstr("20"))));
  EXPECT_EQ(view_->applied_revision(), 12);
  EXPECT_THAT(view_->Get("profiles/y"), IsOkAndHolds(Absent()));
  EXPECT_THAT(All(), ElementsAre(Record("profiles/a", "A", 4), Record("profiles/b", "B", 9),
                                 Record("profiles/c", "C", 12)));
  Reopen();
  EXPECT_EQ(view_->applied_revision(), 12);
  EXPECT_EQ(All().size(), 3u);
}

TEST_F(MaterializedViewTest, AwaitRevisionReturnsAtOnceForAnAppliedRevision) {
  Seed();
  const absl::Time start = absl::Now();
  EXPECT_THAT(view_->AwaitRevision(12, absl::Seconds(10)), IsOk());
  EXPECT_THAT(view_->AwaitRevision(3, absl::Seconds(10)), IsOk());
  EXPECT_THAT(view_->AwaitRevision(0, absl::ZeroDuration()), IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST_F(MaterializedViewTest, AwaitRevisionWakesOnTheApply) {
  Seed();
  std::atomic<bool> applying{false};
  absl::Status lower;
  absl::Status higher;
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    // A lower revision must not wake the waiter.
    lower = view_->Apply({Put("profiles/d", "D", 13)}, 13);
    absl::SleepFor(absl::Milliseconds(30));
    applying = true;
    higher = view_->Apply({Put("profiles/e", "E", 14)}, 14);
  });
  const absl::Status waited = view_->AwaitRevision(14, absl::Seconds(10));
  const bool after_apply = applying;
  writer.join();
  EXPECT_THAT(waited, IsOk());
  EXPECT_TRUE(after_apply) << "AwaitRevision returned before the Apply of its revision";
  ASSERT_THAT(lower, IsOk());
  ASSERT_THAT(higher, IsOk());
  EXPECT_EQ(view_->applied_revision(), 14);
  // What it waited for is there to read.
  EXPECT_THAT(view_->Get("profiles/e"), IsOkAndHolds(Optional(Record("profiles/e", "E", 14))));
}

TEST_F(MaterializedViewTest, AwaitRevisionTimesOut) {
  Seed();
  const absl::Time start = absl::Now();
  EXPECT_THAT(view_->AwaitRevision(13, absl::Milliseconds(50)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       AllOf(HasSubstr("revision 13"), HasSubstr("12"))));
  const absl::Duration waited = absl::Now() - start;
  EXPECT_GE(waited, absl::Milliseconds(45));
  EXPECT_LT(waited, absl::Seconds(2));
}

TEST_F(MaterializedViewTest, KeysOfAnyBytesRoundTrip) {
  const std::string nul_key("k\0a", 3);
  const std::string nul_end("k\0", 2);
  const std::string high_key("k\xff", 2);
  const std::string high_high("k\xff\xff", 3);
  const std::string value("v\0\xff\x01", 4);
  ASSERT_THAT(view_->Apply({Put(high_high, "hh", 2), Put(nul_key, value, 3), Put("k", "plain", 4),
                            Put(high_key, "h", 5), Put(nul_end, "n", 6)},
                           6),
              IsOk());
  EXPECT_THAT(view_->Get(nul_key), IsOkAndHolds(Optional(Record(nul_key, value, 3))));
  EXPECT_THAT(view_->Get(high_key), IsOkAndHolds(Optional(Record(high_key, "h", 5))));
  EXPECT_THAT(view_->Get("k"), IsOkAndHolds(Optional(Record("k", "plain", 4))));
  // A key cut at its '\0' is another key.
  EXPECT_THAT(view_->Get(std::string("k\0b", 3)), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->List("k"),
              IsOkAndHolds(ElementsAre(Record("k", "plain", 4), Record(nul_end, "n", 6),
                                       Record(nul_key, value, 3), Record(high_key, "h", 5),
                                       Record(high_high, "hh", 2))));
  EXPECT_THAT(view_->List(nul_end),
              IsOkAndHolds(ElementsAre(Record(nul_end, "n", 6), Record(nul_key, value, 3))));
  EXPECT_THAT(view_->List(high_key),
              IsOkAndHolds(ElementsAre(Record(high_key, "h", 5), Record(high_high, "hh", 2))));
  ASSERT_THAT(view_->Apply({Delete(nul_key, 7)}, 7), IsOk());
  Reopen();
  EXPECT_THAT(view_->Get(nul_key), IsOkAndHolds(Absent()));
  EXPECT_THAT(view_->List(nul_end), IsOkAndHolds(ElementsAre(Record(nul_end, "n", 6))));
  EXPECT_THAT(view_->Get(high_high), IsOkAndHolds(Optional(Record(high_high, "hh", 2))));
}

}  // namespace
}  // namespace socio::storage
