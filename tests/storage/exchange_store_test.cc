#include "storage/exchange_store.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/request_ids.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::v1::Exchange;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Exchange MunichMexico() {
  Exchange e;
  e.set_id("muc-mex-2027");
  e.set_name("Munich and Mexico City 2027");
  e.set_chamber_id("ihk-muenchen");
  e.set_partner_chamber_id("camara-mexico");
  e.set_visit_delegation_id("muc-to-mex");
  return e;
}

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (std::string& p : paths) mask.add_paths(std::move(p));
  return mask;
}

std::vector<std::string> Ids(const std::vector<Exchange>& exchanges) {
  std::vector<std::string> ids;
  for (const Exchange& e : exchanges) ids.push_back(e.id());
  return ids;
}

class ExchangeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    db_.reset();
    absl::StatusOr<std::shared_ptr<Database>> db = Database::Open(dir_.path(), {});
    ASSERT_THAT(db.status(), IsOk());
    db_ = *db;
    absl::StatusOr<std::unique_ptr<ExchangeStore>> store =
        ExchangeStore::Open(db_, {.sync_writes = false});
    ASSERT_THAT(store.status(), IsOk());
    store_ = *std::move(store);
  }

  TempDir dir_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<ExchangeStore> store_;
};

TEST_F(ExchangeStoreTest, CreatedExchangeSurvivesReopenAndIsFoundByEitherDelegation) {
  Exchange e = MunichMexico();
  e.set_return_delegation_id("mex-to-muc");
  e.set_version(7);  // output only: dropped
  absl::StatusOr<Exchange> created = store_->Create(e, nullptr, {});
  ASSERT_THAT(created.status(), IsOk());
  EXPECT_EQ(created->version(), 1);
  EXPECT_TRUE(created->has_create_time());
  Reopen();
  absl::StatusOr<Exchange> read = store_->Get("muc-mex-2027");
  ASSERT_THAT(read.status(), IsOk());
  EXPECT_EQ(read->name(), "Munich and Mexico City 2027");
  for (const char* d : {"muc-to-mex", "mex-to-muc"}) {
    absl::StatusOr<std::optional<Exchange>> of = store_->OfDelegation(d);
    ASSERT_THAT(of.status(), IsOk());
    ASSERT_TRUE(of->has_value()) << d;
    EXPECT_EQ((*of)->id(), "muc-mex-2027");
  }
  absl::StatusOr<std::optional<Exchange>> none = store_->OfDelegation("other");
  ASSERT_THAT(none.status(), IsOk());
  EXPECT_FALSE(none->has_value());
}

TEST_F(ExchangeStoreTest, RejectsBadFieldsNamingThemAndStoresNothing) {
  struct Case {
    void (*change)(Exchange*);
    const char* field;
  };
  const Case cases[] = {
      {[](Exchange* e) { e->clear_id(); }, "exchange.id"},
      {[](Exchange* e) { e->set_id("has space"); }, "exchange.id"},
      {[](Exchange* e) { e->clear_chamber_id(); }, "exchange.chamber_id"},
      {[](Exchange* e) { e->set_partner_chamber_id("ihk-muenchen"); },
       "exchange.partner_chamber_id"},
      {[](Exchange* e) { e->clear_visit_delegation_id(); }, "exchange.visit_delegation_id"},
      {[](Exchange* e) { e->set_return_delegation_id("muc-to-mex"); },
       "exchange.return_delegation_id"},
      {[](Exchange* e) { e->set_name(std::string(201, 'x')); }, "exchange.name"},
      {[](Exchange* e) { e->set_name("a\nb"); }, "exchange.name"},
      {[](Exchange* e) { e->set_notes(std::string(2001, 'x')); }, "exchange.notes"},
  };
  for (const Case& c : cases) {
    Exchange e = MunichMexico();
    c.change(&e);
    EXPECT_THAT(store_->Create(e, nullptr, {}).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)))
        << c.field;
  }
  absl::StatusOr<std::pair<std::vector<Exchange>, std::string>> all = store_->List("", 0, "");
  ASSERT_THAT(all.status(), IsOk());
  EXPECT_TRUE(all->first.empty());
}

TEST_F(ExchangeStoreTest, ADelegationIsInAtMostOneExchange) {
  ASSERT_THAT(store_->Create(MunichMexico(), nullptr, {}).status(), IsOk());
  Exchange taken_id = MunichMexico();
  taken_id.set_visit_delegation_id("another");
  EXPECT_THAT(store_->Create(taken_id, nullptr, {}).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("exchange.id")));

  Exchange second = MunichMexico();
  second.set_id("second");
  // Named only when the caller may see the other exchange.
  EXPECT_THAT(store_->Create(second, nullptr, [](const Exchange&) { return false; }).status(),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       AllOf(HasSubstr("exchange.visit_delegation_id"),
                             HasSubstr("another exchange"), Not(HasSubstr("muc-mex-2027")))));
  EXPECT_THAT(store_->Create(second, nullptr, [](const Exchange&) { return true; }).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'muc-mex-2027'")));

  // The visit of one cannot be the return of another either.
  second.set_visit_delegation_id("x-visit");
  second.set_return_delegation_id("muc-to-mex");
  EXPECT_THAT(store_->Create(second, nullptr, {}).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("return_delegation_id")));
  EXPECT_THAT(store_->Get("second").status(), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ExchangeStoreTest, ConcurrentCreatesForOneDelegationLetOnlyOneWin) {
  std::vector<absl::Status> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Exchange e = MunichMexico();
      e.set_id("x" + std::to_string(i));
      results[i] = store_->Create(e, nullptr, {}).status();
    });
  }
  for (std::thread& t : threads) t.join();
  int won = 0;
  for (const absl::Status& s : results) {
    if (s.ok()) {
      ++won;
    } else {
      EXPECT_THAT(s, StatusIs(absl::StatusCode::kAlreadyExists));
    }
  }
  EXPECT_EQ(won, 1);
}

TEST_F(ExchangeStoreTest, LinkingTheReturnVisitLaterMovesTheIndexWithIt) {
  ASSERT_THAT(store_->Create(MunichMexico(), nullptr, {}).status(), IsOk());
  Exchange patch;
  patch.set_id("muc-mex-2027");
  patch.set_return_delegation_id("mex-to-muc");
  absl::StatusOr<Exchange> linked = store_->Update(patch, Mask({"return_delegation_id"}), 1, {});
  ASSERT_THAT(linked.status(), IsOk());
  EXPECT_EQ(linked->version(), 2);
  EXPECT_EQ(linked->return_delegation_id(), "mex-to-muc");
  EXPECT_EQ(linked->name(), "Munich and Mexico City 2027");  // not named: kept

  // Stale version: nothing changes.
  patch.set_return_delegation_id("mex-to-muc-2");
  EXPECT_THAT(store_->Update(patch, Mask({"return_delegation_id"}), 1, {}).status(),
              StatusIs(absl::StatusCode::kAborted));

  // Relinked to another delegation: the first is free again.
  ASSERT_THAT(store_->Update(patch, Mask({"return_delegation_id"}), 2, {}).status(), IsOk());
  absl::StatusOr<std::optional<Exchange>> old = store_->OfDelegation("mex-to-muc");
  ASSERT_THAT(old.status(), IsOk());
  EXPECT_FALSE(old->has_value());
  absl::StatusOr<std::optional<Exchange>> now = store_->OfDelegation("mex-to-muc-2");
  ASSERT_THAT(now.status(), IsOk());
  ASSERT_TRUE(now->has_value());

  // Fixed fields cannot be written.
  EXPECT_THAT(store_->Update(patch, Mask({"chamber_id"}), 0, {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[0]")));
  // Unlinked by naming the field empty.
  patch.clear_return_delegation_id();
  absl::StatusOr<Exchange> unlinked = store_->Update(patch, Mask({"return_delegation_id"}), 0, {});
  ASSERT_THAT(unlinked.status(), IsOk());
  EXPECT_TRUE(unlinked->return_delegation_id().empty());
  now = store_->OfDelegation("mex-to-muc-2");
  ASSERT_THAT(now.status(), IsOk());
  EXPECT_FALSE(now->has_value());
}

TEST_F(ExchangeStoreTest, ListsByEitherChamberInIdOrderAcrossPages) {
  for (const char* id : {"c", "a", "b"}) {
    Exchange e = MunichMexico();
    e.set_id(id);
    e.set_visit_delegation_id(std::string("visit-") + id);
    ASSERT_THAT(store_->Create(e, nullptr, {}).status(), IsOk());
  }
  Exchange other = MunichMexico();
  other.set_id("z");
  other.set_chamber_id("camara-santiago");
  other.set_visit_delegation_id("visit-z");
  ASSERT_THAT(store_->Create(other, nullptr, {}).status(), IsOk());

  auto first = store_->List("camara-mexico", 2, "");
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_THAT(Ids(first->first), ElementsAre("a", "b"));
  ASSERT_FALSE(first->second.empty());
  auto second = store_->List("camara-mexico", 2, first->second);
  ASSERT_THAT(second.status(), IsOk());
  EXPECT_THAT(Ids(second->first), ElementsAre("c", "z"));
  EXPECT_TRUE(second->second.empty());
  EXPECT_THAT(store_->List("ihk-muenchen", 2, first->second).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  auto munich = store_->List("ihk-muenchen", 0, "");
  ASSERT_THAT(munich.status(), IsOk());
  EXPECT_THAT(Ids(munich->first), ElementsAre("a", "b", "c"));
  auto all = store_->List("", 0, "");
  ASSERT_THAT(all.status(), IsOk());
  EXPECT_THAT(Ids(all->first), ElementsAre("a", "b", "c", "z"));
  EXPECT_THAT(store_->List("", 501, "").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST_F(ExchangeStoreTest, DeleteFreesTheDelegationsAndLeavesNoListEntry) {
  Exchange e = MunichMexico();
  e.set_return_delegation_id("mex-to-muc");
  ASSERT_THAT(store_->Create(e, nullptr, {}).status(), IsOk());
  EXPECT_THAT(store_->Delete("muc-mex-2027", 5), StatusIs(absl::StatusCode::kAborted));
  ASSERT_THAT(store_->Delete("muc-mex-2027", 1), IsOk());
  EXPECT_THAT(store_->Get("muc-mex-2027").status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Delete("muc-mex-2027", 0), StatusIs(absl::StatusCode::kNotFound));
  auto list = store_->List("ihk-muenchen", 0, "");
  ASSERT_THAT(list.status(), IsOk());
  EXPECT_TRUE(list->first.empty());
  // Both delegations may go into a new exchange.
  e.set_id("again");
  EXPECT_THAT(store_->Create(e, nullptr, {}).status(), IsOk());
}

TEST_F(ExchangeStoreTest, ARetriedCreateGetsTheFirstAnswer) {
  absl::StatusOr<RequestTicket> ticket =
      RequestTicket::Make("staff-token", "CreateExchange", "req-00000001");
  ASSERT_THAT(ticket.status(), IsOk());
  ticket->set_fingerprint(FingerprintOf(MunichMexico()));
  absl::StatusOr<Exchange> first = store_->Create(MunichMexico(), &*ticket, {});
  ASSERT_THAT(first.status(), IsOk());
  absl::StatusOr<Exchange> again = store_->Create(MunichMexico(), &*ticket, {});
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->create_time().seconds(), first->create_time().seconds());
  EXPECT_EQ(again->create_time().nanos(), first->create_time().nanos());
}

TEST_F(ExchangeStoreTest, OnlyOneStoreOpensOverADatabase) {
  EXPECT_THAT(ExchangeStore::Open(db_, {}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace socio::storage
