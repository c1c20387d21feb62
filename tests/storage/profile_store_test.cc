#include "storage/profile_store.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "tests/support/proto_helpers.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::Ids;
using socio::testing::Mask;

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using socio::v1::Profile;
using socio::v1::ProfileChange;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Profile MakeProfile(std::string id, std::string chamber = "ihk-muenchen",
                    std::string country = "DE", std::string sector = "28.41") {
  Profile p;
  p.set_id(std::move(id));
  p.set_chamber_id(std::move(chamber));
  p.set_name("Werkzeugmaschinen " + p.id());
  p.set_country(std::move(country));
  p.add_sectors(std::move(sector));
  p.set_visibility(Profile::FEDERATION);
  return p;
}

class ProfileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<ProfileStore>> store =
        ProfileStore::Open(dir_.path(), {.reference = TestReference()});
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
  }

  TempDir dir_;
  std::unique_ptr<ProfileStore> store_;
};

TEST_F(ProfileStoreTest, CreateThenGetRoundTrips) {
  Profile input = MakeProfile("de-1");
  input.set_version(77);  // output-only: ignored
  ASSIGN_OR_FAIL(Profile created, store_->Create(input));
  EXPECT_EQ(created.version(), 1);
  EXPECT_GT(created.create_time().seconds(), 0);
  EXPECT_EQ(created.create_time().SerializeAsString(), created.update_time().SerializeAsString());
  ASSIGN_OR_FAIL(Profile read, store_->Get("de-1"));
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(read.name(), "Werkzeugmaschinen de-1");
}

TEST_F(ProfileStoreTest, CreateRejectsDuplicatesAndInvalidProfiles) {
  ASSERT_THAT(store_->Create(MakeProfile("de-1")), IsOk());
  EXPECT_THAT(store_->Create(MakeProfile("de-1")),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'de-1' already exists")));
  EXPECT_THAT(store_->Create(MakeProfile("de-2", "ihk", "Germany")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.country")));
  // Neither rejected write left a trace.
  EXPECT_THAT(store_->Get("de-2"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store_->LastSequence(), 1u);
}

TEST_F(ProfileStoreTest, EveryProfileGetsAHandleThatNeverChangesAndNamesItUntilDeleted) {
  Profile input = MakeProfile("de-1");
  input.set_handle("anon-aaaaaaaaaaaaaaaa");  // output-only: ignored
  ASSIGN_OR_FAIL(Profile created, store_->Create(input));
  EXPECT_TRUE(IsHandle(created.handle())) << created.handle();
  EXPECT_NE(created.handle(), "anon-aaaaaaaaaaaaaaaa");
  ASSIGN_OR_FAIL(Profile other, store_->Create(MakeProfile("de-2")));
  EXPECT_NE(other.handle(), created.handle());
  {
    ASSIGN_OR_FAIL(std::string id, store_->IdOfHandle(created.handle()));
    EXPECT_EQ(id, "de-1");
  }

  // Updates, upserts and a reopen keep it; a client cannot write it.
  Profile patch;
  patch.set_id("de-1");
  patch.set_anonymous(true);
  ASSIGN_OR_FAIL(Profile updated, store_->Update(patch, Mask({"anonymous"}), 0));
  EXPECT_TRUE(updated.anonymous());
  EXPECT_EQ(updated.handle(), created.handle());
  EXPECT_THAT(store_->Update(patch, Mask({"handle"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("handle")));
  std::vector<Profile> items = {MakeProfile("de-1")};
  ASSERT_THAT(store_->PutMany(&items, /*upsert=*/true)[0], IsOk());
  EXPECT_EQ(items[0].handle(), created.handle());
  Reopen();
  ASSIGN_OR_FAIL(Profile read, store_->Get("de-1"));
  EXPECT_EQ(read.handle(), created.handle());
  {
    ASSIGN_OR_FAIL(std::string id, store_->IdOfHandle(created.handle()));
    EXPECT_EQ(id, "de-1");
  }

  // Deleted, the handle names nobody; a handle cannot be taken as an id.
  ASSERT_THAT(store_->Delete("de-1", 0), IsOk());
  EXPECT_THAT(store_->IdOfHandle(created.handle()), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Create(MakeProfile(created.handle())),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'anon-'")));
}

TEST_F(ProfileStoreTest, GetUnknownIsNotFound) {
  EXPECT_THAT(store_->Get("nobody"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'nobody' not found")));
  EXPECT_THAT(store_->Get(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("id")));
}

TEST_F(ProfileStoreTest, ReopenKeepsProfilesIndexAndChangeLog) {
  for (int i = 0; i < 50; ++i) {
    ASSERT_THAT(store_->Create(MakeProfile(absl::StrFormat("de-%03d", i),
                                           i % 2 ? "ihk-berlin" : "ihk-muenchen")),
                IsOk());
  }
  ASSERT_THAT(store_->Delete("de-007", 0), IsOk());
  Reopen();
  EXPECT_EQ(store_->LastSequence(), 51u);
  ASSIGN_OR_FAIL(ProfilePage page, store_->List({.chamber_id = "ihk-berlin", .page_size = 1000}));
  EXPECT_EQ(page.profiles.size(), 24u);  // 25 odd ids, one deleted
  EXPECT_THAT(store_->Get("de-007"), StatusIs(absl::StatusCode::kNotFound));
  ASSIGN_OR_FAIL(Profile kept, store_->Get("de-049"));
  EXPECT_EQ(kept.chamber_id(), "ihk-berlin");
  // New writes continue the log without a gap.
  ASSIGN_OR_FAIL(Profile next, store_->Create(MakeProfile("de-100")));
  ASSIGN_OR_FAIL(std::vector<ProfileChange> changes, store_->ReadChanges(50, 10));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].sequence(), 51u);
  EXPECT_EQ(changes[0].kind(), ProfileChange::DELETED);
  EXPECT_EQ(changes[1].sequence(), 52u);
  EXPECT_EQ(changes[1].profile().id(), "de-100");
}

TEST_F(ProfileStoreTest, UpdateAppliesMaskAndChecksVersion) {
  Profile original = MakeProfile("de-1");
  original.set_city("München");
  original.add_keywords("cnc");
  ASSIGN_OR_FAIL(Profile created, store_->Create(original));

  Profile patch;
  patch.set_id("de-1");
  patch.set_name("Neuer Name GmbH");
  patch.add_keywords("lathes");
  patch.set_city("ignored because not in the mask");
  ASSIGN_OR_FAIL(Profile updated, store_->Update(patch, Mask({"name", "keywords"}), 1));
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.name(), "Neuer Name GmbH");
  EXPECT_THAT(updated.keywords(), ElementsAre("lathes"));  // replaced, not appended
  EXPECT_EQ(updated.city(), "München");
  EXPECT_EQ(updated.create_time().SerializeAsString(), created.create_time().SerializeAsString());

  // A writer holding version 1 is now stale.
  EXPECT_THAT(store_->Update(patch, Mask({"name"}), 1),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 2, not 1")));
  EXPECT_THAT(store_->Delete("de-1", 1), StatusIs(absl::StatusCode::kAborted));
  // Zero skips the check.
  ASSIGN_OR_FAIL(Profile forced, store_->Update(patch, Mask({"city"}), 0));
  EXPECT_EQ(forced.version(), 3);
  ASSIGN_OR_FAIL(Profile read, store_->Get("de-1"));
  EXPECT_EQ(read.SerializeAsString(), forced.SerializeAsString());
}

TEST_F(ProfileStoreTest, UpdateRejectsBadMasksAndResultsWithoutWriting) {
  ASSERT_THAT(store_->Create(MakeProfile("de-1")), IsOk());
  Profile patch = MakeProfile("de-1");
  EXPECT_THAT(store_->Update(patch, Mask({"nmae"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("update_mask.paths[0]: 'nmae' is not a field")));
  EXPECT_THAT(store_->Update(patch, Mask({"name", "version"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[1]")));
  patch.set_country("XXX");
  EXPECT_THAT(store_->Update(patch, Mask({"country"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile.country")));
  patch.set_id("missing");
  EXPECT_THAT(store_->Update(patch, Mask({"name"}), 0), StatusIs(absl::StatusCode::kNotFound));
  ASSIGN_OR_FAIL(Profile read, store_->Get("de-1"));
  EXPECT_EQ(read.version(), 1);
  EXPECT_EQ(store_->LastSequence(), 1u);
}

TEST_F(ProfileStoreTest, UpdateWithoutMaskWritesTheFieldsSetAndStarReplacesEvery) {
  Profile original = MakeProfile("de-1", "ihk-muenchen");
  original.set_city("München");
  original.add_keywords("cnc");
  original.set_description("Drehmaschinen seit 1950");
  original.set_employees(300);
  ASSERT_THAT(store_->Create(original), IsOk());

  // AIP-134: no mask writes what the request sets and leaves the rest.
  Profile patch;
  patch.set_id("de-1");
  patch.set_chamber_id("ihk-berlin");
  patch.set_name("Neuer Name GmbH");
  patch.set_employees(320);
  ASSIGN_OR_FAIL(Profile updated, store_->Update(patch, {}, 0));
  EXPECT_EQ(updated.chamber_id(), "ihk-berlin");
  EXPECT_EQ(updated.name(), "Neuer Name GmbH");
  EXPECT_EQ(updated.employees(), 320);
  EXPECT_EQ(updated.city(), "München");
  EXPECT_THAT(updated.keywords(), ElementsAre("cnc"));
  EXPECT_EQ(updated.description(), "Drehmaschinen seit 1950");
  EXPECT_EQ(updated.visibility(), Profile::FEDERATION);
  EXPECT_THAT(updated.sectors(), ElementsAre("28.41"));
  ASSIGN_OR_FAIL(ProfilePage old_chamber, store_->List({.chamber_id = "ihk-muenchen"}));
  ASSIGN_OR_FAIL(ProfilePage new_chamber, store_->List({.chamber_id = "ihk-berlin"}));
  EXPECT_TRUE(old_chamber.profiles.empty());
  EXPECT_THAT(Ids(new_chamber.profiles), ElementsAre("de-1"));

  // A request that sets nothing but the id has nothing to write.
  Profile empty;
  empty.set_id("de-1");
  EXPECT_THAT(store_->Update(empty, {}, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
  // "*" replaces every writable field, clearing what the request leaves out.
  Profile replacement = MakeProfile("de-1", "ihk-muenchen");
  ASSIGN_OR_FAIL(Profile replaced, store_->Update(replacement, Mask({"*"}), 0));
  EXPECT_EQ(replaced.city(), "");
  EXPECT_THAT(replaced.keywords(), ElementsAre());
  EXPECT_EQ(replaced.employees(), 0);
  EXPECT_EQ(replaced.chamber_id(), "ihk-muenchen");
  EXPECT_EQ(replaced.version(), 3);
  EXPECT_THAT(store_->Update(replacement, Mask({"*", "city"}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'*'")));
  EXPECT_EQ(store_->LastSequence(), 3u);
}

TEST_F(ProfileStoreTest, ConcurrentUpdatesWithTheSameVersionLetExactlyOneWin) {
  ASSERT_THAT(store_->Create(MakeProfile("de-1")), IsOk());
  std::atomic<int> wins = 0;
  std::atomic<int> aborted = 0;
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      Profile patch = MakeProfile("de-1");
      patch.set_city(absl::StrCat("city-", t));
      absl::StatusOr<Profile> result = store_->Update(patch, Mask({"city"}), 1);
      if (result.ok()) ++wins;
      if (result.status().code() == absl::StatusCode::kAborted) ++aborted;
    });
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(aborted.load(), 7);
}

TEST_F(ProfileStoreTest, ConcurrentWritersAllLandAndTheChangeLogHasEachOnceInOrder) {
  // Sixteen writers at once, their writes committed in shared synced writes:
  // every create lands, every update of the one shared profile sees the one
  // before it, and the change log numbers them 1..n without a gap.
  ASSERT_THAT(store_->Create(MakeProfile("shared")), IsOk());
  constexpr int kThreads = 16;
  constexpr int kPerThread = 10;
  std::atomic<int> updates = 0;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_THAT(store_->Create(MakeProfile(absl::StrCat("de-", t, "-", i))), IsOk());
        Profile patch = MakeProfile("shared");
        patch.set_city(absl::StrCat("city-", t, "-", i));
        if (store_->Update(patch, Mask({"city"}), 0).ok()) ++updates;
      }
    });
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(updates.load(), kThreads * kPerThread);
  ASSIGN_OR_FAIL(Profile shared, store_->Get("shared"));
  EXPECT_EQ(shared.version(), 1 + kThreads * kPerThread);
  const uint64_t total = 1 + 2 * kThreads * kPerThread;
  EXPECT_EQ(store_->LastSequence(), total);
  ASSIGN_OR_FAIL(std::vector<ProfileChange> changes, store_->ReadChanges(0, 1000));
  ASSERT_EQ(changes.size(), total);
  int64_t last_shared_version = 0;
  absl::flat_hash_set<std::string> created;
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence(), i + 1);
    const Profile& p = changes[i].profile();
    if (p.id() == "shared") {
      EXPECT_EQ(p.version(), last_shared_version + 1);  // in version order
      last_shared_version = p.version();
    } else {
      EXPECT_TRUE(created.insert(p.id()).second) << p.id();
    }
  }
  EXPECT_EQ(created.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(ProfileStoreTest, ListPagesThroughEveryProfileOnceInIdOrder) {
  std::vector<std::string> expected;
  for (int i = 0; i < 23; ++i) {
    std::string id = absl::StrFormat("p-%02d", i);
    expected.push_back(id);
    ASSERT_THAT(store_->Create(MakeProfile(id)), IsOk());
  }
  std::vector<std::string> seen;
  ProfileQuery query{.page_size = 5};
  int pages = 0;
  do {
    ASSIGN_OR_FAIL(ProfilePage page, store_->List(query));
    EXPECT_LE(page.profiles.size(), 5u);
    for (const Profile& p : page.profiles) seen.push_back(p.id());
    query.page_token = page.next_page_token;
    ++pages;
  } while (!query.page_token.empty());
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen, expected);
}

TEST_F(ProfileStoreTest, ListFillsEveryPageFromWhatKeepAcceptsAndEndsWithoutAToken) {
  // Every third profile is kept, and the last kept one is followed by some
  // that are not: no page is short but the last, none is empty.
  std::vector<std::string> kept;
  for (int i = 0; i < 26; ++i) {
    std::string id = absl::StrFormat("p-%02d", i);
    if (i % 3 == 0 && i < 22) kept.push_back(id);
    ASSERT_THAT(store_->Create(MakeProfile(id)), IsOk());
  }
  ASSERT_EQ(kept.size(), 8u);
  for (const std::string& chamber : {std::string(), std::string("ihk-muenchen")}) {
    SCOPED_TRACE(chamber.empty() ? "every chamber" : "by chamber");
    std::vector<std::string> seen;
    ProfileQuery query{.chamber_id = chamber, .page_size = 3, .keep = [&](const Profile& p) {
                         return std::find(kept.begin(), kept.end(), p.id()) != kept.end();
                       }};
    std::vector<size_t> sizes;
    do {
      ASSIGN_OR_FAIL(ProfilePage page, store_->List(query));
      sizes.push_back(page.profiles.size());
      for (const Profile& p : page.profiles) seen.push_back(p.id());
      query.page_token = page.next_page_token;
    } while (!query.page_token.empty());
    EXPECT_THAT(sizes, ElementsAre(3, 3, 2));
    EXPECT_EQ(seen, kept);
  }
  // Nothing kept: one empty page, no token.
  ASSIGN_OR_FAIL(ProfilePage none,
                 store_->List({.page_size = 3, .keep = [](const Profile&) { return false; }}));
  EXPECT_THAT(none.profiles, IsEmpty());
  EXPECT_EQ(none.next_page_token, "");
}

TEST_F(ProfileStoreTest, ListFiltersByChamberCountryAndSectorPrefix) {
  ASSERT_THAT(store_->Create(MakeProfile("a", "c1", "DE", "10.84")), IsOk());
  ASSERT_THAT(store_->Create(MakeProfile("b", "c1", "MX", "10.89")), IsOk());
  ASSERT_THAT(store_->Create(MakeProfile("c", "c2", "MX", "46.3")), IsOk());
  ASSERT_THAT(store_->Create(MakeProfile("d", "c1", "MX", "10.9")), IsOk());
  ASSERT_THAT(store_->Create(MakeProfile("e", "c10", "MX", "10.84")), IsOk());

  auto ids = [&](ProfileQuery q) {
    absl::StatusOr<ProfilePage> page = store_->List(q);
    EXPECT_THAT(page, IsOk());
    return page.ok() ? Ids(page->profiles) : std::vector<std::string>{};
  };
  EXPECT_THAT(ids({.chamber_id = "c1"}), ElementsAre("a", "b", "d"));
  EXPECT_THAT(ids({.country = "MX"}), ElementsAre("b", "c", "d", "e"));
  EXPECT_THAT(ids({.sector_prefix = "10.8"}), ElementsAre("a", "b", "e"));
  EXPECT_THAT(ids({.sector_prefix = "C"}), ElementsAre("a", "b", "d", "e"));
  EXPECT_THAT(ids({.chamber_id = "c1", .country = "MX", .sector_prefix = "10"}),
              ElementsAre("b", "d"));
}

TEST_F(ProfileStoreTest, ListRejectsBadFiltersAndForeignTokens) {
  EXPECT_THAT(store_->List({.country = "mx"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("country")));
  EXPECT_THAT(store_->List({.country = "XX"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("country: 'XX'")));
  EXPECT_THAT(store_->List({.sector_prefix = "04"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("there is no division 04")));
  EXPECT_THAT(store_->List({.sector_prefix = "C10"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("write 'C10' as '10'")));
  EXPECT_THAT(store_->List({.page_size = 1001}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  EXPECT_THAT(store_->List({.page_token = "garbage!"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  for (int i = 0; i < 3; ++i)
    ASSERT_THAT(store_->Create(MakeProfile(absl::StrCat("p", i))), IsOk());
  ASSIGN_OR_FAIL(ProfilePage first, store_->List({.page_size = 1}));
  ASSERT_FALSE(first.next_page_token.empty());
  EXPECT_THAT(store_->List({.country = "DE", .page_token = first.next_page_token}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("other filters")));
}

// Staff look members up by name or keyword as they type them, sort the list
// and read how many there are: the count is of what `keep` lets through, and
// the pages of a sorted list hold every match once, in order.
TEST_F(ProfileStoreTest, ListFindsByNameOrKeywordSortsAndCounts) {
  struct Seed {
    const char* id;
    const char* chamber;
    const char* country;
    const char* name;
    std::vector<std::string> keywords;
  };
  const std::vector<Seed> seeds = {
      {"m1", "c1", "MX", "Salsas del Bajío S.A. de C.V.", {"salsa", "mole"}},
      {"m2", "c1", "MX", "ÁGUILA Industrial", {"maquinaria"}},
      {"d1", "c1", "DE", "Bajio Handel GmbH", {}},
      {"d2", "c2", "DE", "Zeiss-Nachbau", {"salsas"}},
      {"a1", "c2", "AT", "aguila Wien", {}},
      {"h1", "c2", "DE", "hidden Bajío", {"salsa"}},
  };
  for (const Seed& seed : seeds) {
    Profile p = MakeProfile(seed.id, seed.chamber, seed.country);
    p.set_name(seed.name);
    for (const std::string& k : seed.keywords) p.add_keywords(k);
    ASSERT_THAT(store_->Create(p), IsOk());
  }
  // m2 changes last, so it is the most recently updated.
  Profile patch;
  patch.set_id("m2");
  patch.set_city("Puebla");
  google::protobuf::FieldMask city;
  city.add_paths("city");
  ASSERT_THAT(store_->Update(patch, city, 0), IsOk());

  const auto keep = [](const Profile& p) { return p.id() != "h1"; };
  // Every page of `query`, its ids in order, and the total of each page.
  const auto walk = [&](ProfileQuery query) {
    query.keep = keep;
    query.page_size = 2;
    std::vector<std::string> ids;
    std::set<int64_t> totals;
    do {
      absl::StatusOr<ProfilePage> page = store_->List(query);
      EXPECT_THAT(page, IsOk());
      if (!page.ok()) break;
      EXPECT_LE(page->profiles.size(), 2u);
      for (const Profile& p : page->profiles) ids.push_back(p.id());
      totals.insert(page->total_size);
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
    return std::make_pair(ids, totals);
  };
  using Ids = std::vector<std::string>;
  using Totals = std::set<int64_t>;
  // Case and accents do not matter; every word must be in the name, the id or a keyword.
  EXPECT_EQ(walk({.query = "BAJIO"}).first, (Ids{"d1", "m1"}));
  EXPECT_EQ(walk({.query = "salsa"}).first, (Ids{"d2", "m1"}));
  EXPECT_EQ(walk({.query = "bajío  salsa"}).first, (Ids{"m1"}));
  EXPECT_EQ(walk({.query = "águila"}).first, (Ids{"a1", "m2"}));
  EXPECT_EQ(walk({.query = "nowhere"}).first, Ids{});
  // An id, or its start, finds the profile (what a type-ahead sends).
  EXPECT_EQ(walk({.query = "D2"}).first, Ids{"d2"});
  EXPECT_EQ(walk({.query = "d salsa"}).first, (Ids{"d2", "m1"}));
  // Sorted by folded name, both ways, counted on every page.
  EXPECT_EQ(walk({.order_by = "name", .count_total = true}),
            std::make_pair(Ids{"m2", "a1", "d1", "m1", "d2"}, Totals{5}));
  EXPECT_EQ(walk({.order_by = "name desc"}).first, (Ids{"d2", "m1", "d1", "a1", "m2"}));
  EXPECT_EQ(walk({.order_by = "country"}).first, (Ids{"a1", "d1", "d2", "m2", "m1"}));
  EXPECT_EQ(walk({.order_by = "update_time desc"}).first.front(), "m2");
  EXPECT_EQ(walk({.order_by = "update_time"}).first.back(), "m2");
  // Filters and the query narrow the count alike; id order can be counted too.
  EXPECT_EQ(walk({.chamber_id = "c1", .query = "bajio", .order_by = "name", .count_total = true}),
            std::make_pair(Ids{"d1", "m1"}, Totals{2}));
  EXPECT_EQ(walk({.country = "DE", .count_total = true}),
            std::make_pair(Ids{"d1", "d2"}, Totals{2}));
  // Without a count, total_size stays 0.
  EXPECT_EQ(walk({.query = "salsa", .order_by = "name"}).second, Totals{0});

  EXPECT_THAT(store_->List({.order_by = "city"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("order_by: 'city'")));
  EXPECT_THAT(store_->List({.order_by = "name up"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("order_by")));
  EXPECT_THAT(store_->List({.query = "a b c d e f g h i"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("query: 9 words")));
  EXPECT_THAT(store_->List({.query = std::string(201, 'x')}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("query")));
  // A token is for the order it was made in.
  ASSIGN_OR_FAIL(ProfilePage first, store_->List({.order_by = "name", .page_size = 1}));
  EXPECT_THAT(store_->List({.order_by = "country", .page_token = first.next_page_token}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("order_by")));
}

TEST_F(ProfileStoreTest, PutManyStoresTheGoodItemsAndReportsTheBadOnes) {
  ASSERT_THAT(store_->Create(MakeProfile("exists")), IsOk());
  std::vector<Profile> items = {MakeProfile("n1"), MakeProfile("n2", "c", "de"),
                                MakeProfile("exists"), MakeProfile("n3"), MakeProfile("n1")};
  std::vector<absl::StatusOr<ProfileChange::Kind>> results = store_->PutMany(&items, false);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0].value_or(ProfileChange::KIND_UNSPECIFIED), ProfileChange::CREATED);
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("country")));
  EXPECT_THAT(results[2], StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(results[3].value_or(ProfileChange::KIND_UNSPECIFIED), ProfileChange::CREATED);
  EXPECT_THAT(results[4], StatusIs(absl::StatusCode::kAlreadyExists,
                                   HasSubstr("appears earlier in the same import")));
  EXPECT_EQ(store_->LastSequence(), 3u);

  // Upsert replaces and grows the version.
  items = {MakeProfile("exists"), MakeProfile("n4")};
  items[0].set_city("Leipzig");
  results = store_->PutMany(&items, true);
  EXPECT_EQ(results[0].value_or(ProfileChange::KIND_UNSPECIFIED), ProfileChange::UPDATED);
  EXPECT_EQ(results[1].value_or(ProfileChange::KIND_UNSPECIFIED), ProfileChange::CREATED);
  EXPECT_EQ(items[0].version(), 2);  // left in the stored form
  ASSIGN_OR_FAIL(Profile replaced, store_->Get("exists"));
  EXPECT_EQ(replaced.version(), 2);
  EXPECT_EQ(replaced.city(), "Leipzig");
}

TEST_F(ProfileStoreTest, UnknownFieldsAreDroppedOnEveryWriteAtEveryDepth) {
  // 4 MiB in a field Profile does not declare, and a field unknown to the
  // nested Objective: neither may reach the store or the change log.
  const std::string big(4 << 20, 'x');
  const auto with_unknown = [&](std::string id) {
    Profile p = MakeProfile(std::move(id));
    socio::v1::Objective* objective = p.add_objectives();
    objective->set_type(socio::v1::Objective::DISTRIBUTION);
    objective->set_direction(socio::v1::Objective::SEEK);
    objective->add_markets("MX");
    socio::testing::AddUnknownField(&p, 99, big);
    socio::testing::AddUnknownField(objective, 98, "nested");
    return p;
  };
  ASSERT_EQ(socio::testing::CountUnknownFields(with_unknown("probe")), 2);

  ASSIGN_OR_FAIL(Profile created, store_->Create(with_unknown("created")));
  EXPECT_EQ(socio::testing::CountUnknownFields(created), 0);
  std::vector<Profile> items = {with_unknown("imported")};
  ASSERT_THAT(store_->PutMany(&items, /*upsert=*/true)[0], IsOk());
  ASSERT_THAT(store_->Update(with_unknown("created"), {}, 0), IsOk());
  ASSERT_THAT(store_->Update(with_unknown("imported"), Mask({"objectives"}), 0), IsOk());

  for (const char* id : {"created", "imported"}) {
    ASSIGN_OR_FAIL(Profile stored, store_->Get(id));
    EXPECT_EQ(socio::testing::CountUnknownFields(stored), 0) << id;
    EXPECT_LT(stored.ByteSizeLong(), 4096u) << id;
    ASSERT_EQ(stored.objectives_size(), 1) << id;
  }
  ASSIGN_OR_FAIL(std::vector<ProfileChange> changes, store_->ReadChanges(0, 100));
  ASSERT_EQ(changes.size(), 4u);
  for (const ProfileChange& change : changes) {
    EXPECT_EQ(socio::testing::CountUnknownFields(change), 0) << change.sequence();
    EXPECT_LT(change.ByteSizeLong(), 4096u) << change.sequence();
  }
}

TEST_F(ProfileStoreTest, ForEachProfileVisitsEveryProfileInIdOrderAndStopsOnError) {
  for (const char* id : {"c", "a", "b"}) ASSERT_THAT(store_->Create(MakeProfile(id)), IsOk());
  std::vector<std::string> seen;
  ASSERT_THAT(store_->ForEachProfile([&](const Profile& p) {
    seen.push_back(p.id());
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_THAT(seen, ElementsAre("a", "b", "c"));
  seen.clear();
  EXPECT_THAT(store_->ForEachProfile([&](const Profile& p) {
    seen.push_back(p.id());
    return p.id() == "b" ? absl::CancelledError("enough") : absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kCancelled));
  EXPECT_THAT(seen, ElementsAre("a", "b"));
}

TEST_F(ProfileStoreTest, ChangeLogRecordsEveryWriteInOrder) {
  ASSERT_THAT(store_->Create(MakeProfile("a")), IsOk());
  Profile patch = MakeProfile("a");
  patch.set_name("A2");
  ASSERT_THAT(store_->Update(patch, Mask({"name"}), 0), IsOk());
  ASSERT_THAT(store_->Delete("a", 0), IsOk());
  ASSIGN_OR_FAIL(std::vector<ProfileChange> changes, store_->ReadChanges(0, 100));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind(), ProfileChange::CREATED);
  EXPECT_EQ(changes[1].kind(), ProfileChange::UPDATED);
  EXPECT_EQ(changes[1].profile().name(), "A2");
  EXPECT_EQ(changes[2].kind(), ProfileChange::DELETED);
  EXPECT_EQ(changes[2].profile().chamber_id(), "ihk-muenchen");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(changes[i].sequence(), static_cast<uint64_t>(i + 1));
  ASSIGN_OR_FAIL(std::vector<ProfileChange> tail, store_->ReadChanges(2, 100));
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].sequence(), 3u);
  EXPECT_THAT(store_->ReadChanges(4, 100), StatusIs(absl::StatusCode::kOutOfRange));
}

TEST_F(ProfileStoreTest, WaitForChangeAfterWakesOnCommit) {
  EXPECT_FALSE(store_->WaitForChangeAfter(0, absl::Milliseconds(10)));
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    ASSERT_THAT(store_->Create(MakeProfile("a")), IsOk());
  });
  EXPECT_TRUE(store_->WaitForChangeAfter(0, absl::Seconds(10)));
  writer.join();
}

TEST_F(ProfileStoreTest, SecondOpenOfTheSameDirectoryIsRefused) {
  EXPECT_THAT(ProfileStore::Open(dir_.path(), {.reference = TestReference()}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
}

// A file system that fails every write to the write-ahead log while `failing`
// is set, as a full or broken disk would.
class FailingWalFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FailingWalFileSystem(std::shared_ptr<rocksdb::FileSystem> target)
      : FileSystemWrapper(std::move(target)) {}
  const char* Name() const override { return "FailingWalFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok() && absl::EndsWith(name, ".log")) {
      *result = std::make_unique<FailingFile>(std::move(*result), &failing);
    }
    return s;
  }

  std::atomic<bool> failing = false;

 private:
  class FailingFile : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    FailingFile(std::unique_ptr<rocksdb::FSWritableFile> file, std::atomic<bool>* failing)
        : FSWritableFileOwnerWrapper(std::move(file)), failing_(failing) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (*failing_) return rocksdb::IOStatus::IOError("injected: disk full");
      return FSWritableFileOwnerWrapper::Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (*failing_) return rocksdb::IOStatus::IOError("injected: disk full");
      return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
    }

   private:
    std::atomic<bool>* failing_;
  };
};

TEST(ProfileStoreFaultTest, AFailedWriteLeavesNoPartialIndexOrChangeLogEntry) {
  TempDir dir;
  auto fs = std::make_shared<FailingWalFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  {
    ProfileStoreOptions options;
    options.env = env.get();
    options.reference = TestReference();
    ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store, ProfileStore::Open(dir.path(), options));
    ASSERT_THAT(store->Create(MakeProfile("kept", "c1")), IsOk());
    fs->failing = true;
    EXPECT_THAT(store->Create(MakeProfile("lost", "c1")), StatusIs(absl::StatusCode::kInternal));
    std::vector<Profile> items = {MakeProfile("lost-2", "c1"), MakeProfile("lost-3", "c2")};
    std::vector<absl::StatusOr<ProfileChange::Kind>> batch = store->PutMany(&items, false);
    EXPECT_THAT(batch[0], StatusIs(absl::StatusCode::kInternal));
    EXPECT_THAT(batch[1], StatusIs(absl::StatusCode::kInternal));
    EXPECT_EQ(store->LastSequence(), 1u);
    fs->failing = false;
  }
  ASSIGN_OR_FAIL(std::unique_ptr<ProfileStore> store,
                 ProfileStore::Open(dir.path(), {.reference = TestReference()}));
  EXPECT_THAT(store->Get("lost"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store->Get("lost-2"), StatusIs(absl::StatusCode::kNotFound));
  ASSIGN_OR_FAIL(ProfilePage c1, store->List({.chamber_id = "c1"}));
  EXPECT_THAT(Ids(c1.profiles), ElementsAre("kept"));
  ASSIGN_OR_FAIL(ProfilePage c2, store->List({.chamber_id = "c2"}));
  EXPECT_TRUE(c2.profiles.empty());
  EXPECT_EQ(store->LastSequence(), 1u);
  ASSIGN_OR_FAIL(std::vector<ProfileChange> changes, store->ReadChanges(0, 10));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].profile().id(), "kept");
  // The next write takes the next sequence number: no gap where the failure was.
  ASSERT_THAT(store->Create(MakeProfile("after", "c1")), IsOk());
  EXPECT_EQ(store->LastSequence(), 2u);
}

}  // namespace
}  // namespace socio::storage
