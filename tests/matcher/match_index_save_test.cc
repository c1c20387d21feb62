// MatchIndex::Save and Load: a loaded index answers every search exactly as
// the one saved, and bytes that do not belong to it are refused whole.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/profile_generator.h"
#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"

namespace socio::matcher {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;  // 2026-11-18

class MatchIndexSaveTest : public ::testing::Test {
 protected:
  MatchIndexSaveTest() : tables_(std::make_shared<ScoringTables>(testing::TestReference())) {
    bench::ProfileGenerator generator({.seed = 3});
    for (int i = 0; i < 1500; ++i) {
      Profile p = generator.Next();
      p.set_version(1);
      p.mutable_update_time()->set_seconds(kNow - i * 3600);
      profiles_.push_back(p);
    }
  }

  // An index with a history: updates that move postings and leave garbage
  // words behind, removals that leave free slots.
  std::unique_ptr<MatchIndex> BuildWithHistory() {
    auto index = std::make_unique<MatchIndex>(tables_);
    index->UpsertMany(profiles_, 2);
    for (int i = 0; i < 300; ++i) {
      Profile p = profiles_[i * 5];
      p.set_version(2);
      p.set_country(i % 2 ? "DE" : "MX");
      p.set_description(absl::StrCat(p.description(), " now also exporting machinery"));
      index->Upsert(p);
    }
    for (int i = 0; i < 100; ++i) index->Remove(profiles_[i * 7 + 1].id());
    return index;
  }

  static std::vector<std::string> Describe(const absl::StatusOr<PartnerResult>& result) {
    std::vector<std::string> out;
    if (!result.ok()) return {result.status().ToString()};
    for (const socio::v1::Match& m : result->matches) out.push_back(m.DebugString());
    return out;
  }

  std::shared_ptr<ScoringTables> tables_;
  std::vector<Profile> profiles_;
};

TEST_F(MatchIndexSaveTest, LoadedIndexAnswersExactlyAsTheSavedOne) {
  std::unique_ptr<MatchIndex> saved = BuildWithHistory();
  const std::string bytes = saved->Save();
  MatchIndex loaded(tables_);
  ASSERT_THAT(loaded.Load(bytes), IsOk());
  EXPECT_EQ(loaded.size(), saved->size());
  PartnerQuery query;
  query.now_seconds = kNow;
  query.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  int compared = 0;
  for (size_t i = 0; i < profiles_.size(); i += 11) {
    query.member_id = profiles_[i].id();
    const absl::StatusOr<PartnerResult> want = saved->FindPartners(query);
    EXPECT_EQ(Describe(loaded.FindPartners(query)), Describe(want)) << query.member_id;
    compared += want.ok();
  }
  EXPECT_GT(compared, 100);  // removed members answer NOT_FOUND on both sides
  int explained = 0;
  for (size_t j = 2; j < 60; ++j) {
    const absl::StatusOr<socio::v1::Match> want =
        saved->Explain(profiles_[0].id(), profiles_[j].id(), query.weights, kNow);
    const absl::StatusOr<socio::v1::Match> got =
        loaded.Explain(profiles_[0].id(), profiles_[j].id(), query.weights, kNow);
    ASSERT_EQ(got.status().code(), want.status().code());
    if (want.ok()) {
      EXPECT_EQ(got->DebugString(), want->DebugString());
    }
    explained += want.ok();
  }
  EXPECT_GT(explained, 10);
  EXPECT_FALSE(loaded.Contains(profiles_[1].id()));  // removed before the save
  // Saving again and loading that gives the same index once more.
  MatchIndex reloaded(tables_);
  ASSERT_THAT(reloaded.Load(loaded.Save()), IsOk());
  EXPECT_EQ(reloaded.size(), saved->size());
  EXPECT_EQ(reloaded.Save().size(), bytes.size());
}

TEST_F(MatchIndexSaveTest, LoadedIndexKeepsFollowingChanges) {
  std::unique_ptr<MatchIndex> saved = BuildWithHistory();
  MatchIndex loaded(tables_);
  ASSERT_THAT(loaded.Load(saved->Save()), IsOk());
  Profile stale = profiles_[0];
  stale.set_version(1);
  stale.set_name("an older copy");
  loaded.Upsert(stale);  // version 2 is indexed: ignored
  Profile fresh = profiles_[0];
  fresh.set_version(3);
  fresh.set_country("JP");
  for (MatchIndex* index : {saved.get(), &loaded}) {
    index->Upsert(fresh);
    index->Remove(profiles_[3].id());
  }
  PartnerQuery query{.member_id = fresh.id(), .k = 20, .now_seconds = kNow};
  query.weights = *NormalizeWeights(DefaultFactorWeights(), "weights");
  EXPECT_EQ(Describe(loaded.FindPartners(query)), Describe(saved->FindPartners(query)));
  EXPECT_EQ(loaded.size(), saved->size());
}

TEST_F(MatchIndexSaveTest, RefusesAnIndexThatIsNotEmpty) {
  std::unique_ptr<MatchIndex> saved = BuildWithHistory();
  MatchIndex loaded(tables_);
  loaded.Upsert(profiles_[0]);
  EXPECT_THAT(loaded.Load(saved->Save()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(loaded.size(), 1u);
}

TEST_F(MatchIndexSaveTest, RefusesBytesMadeWithOtherTables) {
  std::string bytes = BuildWithHistory()->Save();
  bytes[8] ^= 1;  // the fingerprint follows the 8-byte magic
  MatchIndex loaded(tables_);
  EXPECT_THAT(loaded.Load(bytes), StatusIs(absl::StatusCode::kFailedPrecondition,
                                           ::testing::HasSubstr("other reference data")));
  EXPECT_EQ(loaded.size(), 0u);
}

TEST_F(MatchIndexSaveTest, RefusesTruncatedOrDamagedBytesAndStaysEmpty) {
  const std::string bytes = BuildWithHistory()->Save();
  for (size_t cut : {size_t{0}, size_t{5}, size_t{40}, bytes.size() / 3, bytes.size() - 1}) {
    MatchIndex loaded(tables_);
    EXPECT_THAT(loaded.Load(absl::string_view(bytes).substr(0, cut)),
                StatusIs(absl::StatusCode::kDataLoss))
        << "cut at " << cut;
    EXPECT_EQ(loaded.size(), 0u);
    // Still usable afterwards.
    loaded.Upsert(profiles_[0]);
    EXPECT_TRUE(loaded.Contains(profiles_[0].id()));
  }
  MatchIndex loaded(tables_);
  EXPECT_THAT(loaded.Load(bytes + "x"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(loaded.Load("not an index at all"), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace socio::matcher
