#include "storage/engagement_store.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_clocks.h"

namespace socio::storage {
namespace {

using google::protobuf::util::TimeUtil;
using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::Notification;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::Duration kWeek = absl::Hours(24 * 7);

using TestClock = socio::testing::FixedClock;

google::protobuf::Timestamp At(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

std::string Summary(const Notification& n) {
  return Notification::Kind_Name(n.kind()) + " for " + n.recipient();
}

class EngagementStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    engagement_.reset();
    notifications_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    NotificationStoreOptions n;
    n.clock = [this] { return clock_.Now(); };
    ASSIGN_OR_FAIL(notifications_, NotificationStore::Open(database_, n));
    EngagementStoreOptions e;
    e.clock = [this] { return clock_.Now(); };
    ASSIGN_OR_FAIL(engagement_, EngagementStore::Open(database_, notifications_.get(), e));
  }

  // A standalone request from `from` to `to` proposing `windows` windows
  // starting a day from now.
  MeetingRequest Standalone(const std::string& from, const std::string& to, int windows = 2) {
    MeetingRequest r;
    r.set_from_member_id(from);
    r.set_to_ref(to);
    r.set_message("We would like to discuss distribution of our valves in Chile.");
    for (int i = 0; i < windows; ++i) {
      socio::v1::TimeWindow* w = r.add_proposed();
      const absl::Time start = clock_.Now() + absl::Hours(24 * (i + 1));
      *w->mutable_start_time() = At(start);
      *w->mutable_end_time() = At(start + absl::Minutes(30));
    }
    return r;
  }

  absl::StatusOr<MeetingRequest> Send(const MeetingRequest& r, absl::Duration expiry = kWeek) {
    return engagement_->CreateRequest(
        r, {.from_chamber = "ihk", .to_chamber = "camara-cl", .expiry = expiry, .by = "member"},
        nullptr, Summary);
  }

  // Whether `profile` was revealed to `shown_to`; a test failure if that
  // cannot be read.
  bool Revealed(const std::string& profile, const std::string& shown_to) {
    absl::StatusOr<bool> revealed = engagement_->IsRevealed(profile, shown_to);
    EXPECT_THAT(revealed.status(), IsOk());
    return revealed.ok() && *revealed;
  }

  // Every notification written so far.
  std::vector<Notification> Outbox() {
    absl::StatusOr<std::vector<Notification>> all = notifications_->Read(0, 1000);
    EXPECT_THAT(all.status(), IsOk());
    return all.ok() ? *all : std::vector<Notification>{};
  }

  // "KIND recipient" of each notification after `after`.
  std::vector<std::string> Told(uint64_t after = 0) {
    std::vector<std::string> out;
    for (const Notification& n : Outbox()) {
      if (n.sequence() > after)
        out.push_back(Notification::Kind_Name(n.kind()) + " " + n.recipient());
    }
    return out;
  }

  TestClock clock_;
  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<NotificationStore> notifications_;
  std::unique_ptr<EngagementStore> engagement_;
};

TEST_F(EngagementStoreTest, MarksPersistChangeAndClear) {
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-1", Interest::INTERESTED, "member", Summary).status(),
      IsOk());
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-2", Interest::NOT_INTERESTED, "staff:ihk", Summary)
          .status(),
      IsOk());
  Reopen();
  ASSIGN_OR_FAIL(std::vector<Interest> marks, engagement_->MarksOf("de-1"));
  ASSERT_THAT(marks, SizeIs(2));
  EXPECT_EQ(marks[0].partner_ref(), "cl-1");
  EXPECT_EQ(marks[0].mark(), Interest::INTERESTED);
  EXPECT_EQ(marks[1].mark(), Interest::NOT_INTERESTED);
  EXPECT_EQ(marks[1].set_by(), "staff:ihk");

  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-1", Interest::MUST_MEET, "member", Summary).status(),
      IsOk());
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-2", Interest::MARK_UNSPECIFIED, "member", Summary)
          .status(),
      IsOk());
  ASSIGN_OR_FAIL(marks, engagement_->MarksOf("de-1"));
  ASSERT_THAT(marks, SizeIs(1));
  EXPECT_EQ(marks[0].mark(), Interest::MUST_MEET);
  EXPECT_THAT(Told(), IsEmpty());  // nothing mutual yet
}

TEST_F(EngagementStoreTest, TwoPositiveMarksAreMutualAndBothSidesAreToldOnce) {
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-1", Interest::INTERESTED, "member", Summary).status(),
      IsOk());
  ASSIGN_OR_FAIL(Interest second,
                 engagement_->SetInterest("cl-1", "de-1", Interest::MUST_MEET, "member", Summary));
  EXPECT_TRUE(second.mutual());
  EXPECT_THAT(Told(), ElementsAre("MUTUAL_INTEREST cl-1", "MUTUAL_INTEREST de-1"));
  std::vector<Notification> outbox = Outbox();
  EXPECT_EQ(outbox[0].summary(), "MUTUAL_INTEREST for cl-1");
  EXPECT_TRUE(outbox[1].interest().mutual());
  EXPECT_EQ(outbox[1].interest().member_id(), "de-1");

  // A change between positive marks is still mutual: nobody is told again.
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-1", Interest::MUST_MEET, "member", Summary).status(),
      IsOk());
  EXPECT_THAT(Told(), SizeIs(2));
  ASSIGN_OR_FAIL(std::optional<Interest> mine, engagement_->GetInterest("de-1", "cl-1"));
  ASSERT_TRUE(mine.has_value());
  EXPECT_TRUE(mine->mutual());

  // NOT_INTERESTED ends it; a later positive mark makes it mutual again.
  ASSERT_THAT(engagement_->SetInterest("de-1", "cl-1", Interest::NOT_INTERESTED, "member", Summary)
                  .status(),
              IsOk());
  ASSIGN_OR_FAIL(mine, engagement_->GetInterest("cl-1", "de-1"));
  EXPECT_FALSE(mine->mutual());
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-1", Interest::INTERESTED, "member", Summary).status(),
      IsOk());
  EXPECT_THAT(Told(), SizeIs(4));
}

TEST_F(EngagementStoreTest, MutualInterestAndAcceptedRequestsRevealBothSidesOnce) {
  ASSERT_FALSE(Revealed("cl-1", "de-1"));
  ASSERT_THAT(
      engagement_->SetInterest("de-1", "cl-1", Interest::INTERESTED, "member", Summary).status(),
      IsOk());
  EXPECT_FALSE(Revealed("cl-1", "de-1"));  // one side only
  ASSERT_THAT(
      engagement_->SetInterest("cl-1", "de-1", Interest::INTERESTED, "member", Summary).status(),
      IsOk());
  EXPECT_TRUE(Revealed("cl-1", "de-1"));
  EXPECT_TRUE(Revealed("de-1", "cl-1"));
  EXPECT_FALSE(Revealed("cl-1", "de-2"));
  ASSIGN_OR_FAIL(auto first, engagement_->ListReveals("cl-1", 0, ""));
  ASSERT_THAT(first.first, SizeIs(1));
  EXPECT_EQ(first.first[0].revealed_to(), "de-1");
  EXPECT_EQ(first.first[0].reason(), socio::v1::Reveal::MUTUAL_INTEREST);

  // Taking a mark back does not take the reveal back, and an accepted
  // request later keeps the first reason on record.
  clock_.Advance(absl::Minutes(5));
  ASSERT_THAT(engagement_->SetInterest("de-1", "cl-1", Interest::NOT_INTERESTED, "member", Summary)
                  .status(),
              IsOk());
  ASSIGN_OR_FAIL(MeetingRequest sent, Send(Standalone("de-1", "cl-1")));
  ASSERT_THAT(engagement_->Answer(sent.id(), {.accept = true, .by = "member"}, Summary).status(),
              IsOk());
  Reopen();
  ASSIGN_OR_FAIL(auto again, engagement_->ListReveals("cl-1", 0, ""));
  ASSERT_THAT(again.first, SizeIs(1));
  EXPECT_EQ(again.first[0].reason(), socio::v1::Reveal::MUTUAL_INTEREST);
  EXPECT_EQ(again.first[0].reveal_time().seconds(), first.first[0].reveal_time().seconds());

  // An accepted request reveals a pair that never marked each other; the
  // list pages.
  ASSIGN_OR_FAIL(MeetingRequest other, Send(Standalone("de-2", "cl-1")));
  ASSERT_THAT(engagement_->Answer(other.id(), {.accept = true, .by = "member"}, Summary).status(),
              IsOk());
  EXPECT_TRUE(Revealed("de-2", "cl-1"));
  ASSIGN_OR_FAIL(auto page, engagement_->ListReveals("cl-1", 1, ""));
  ASSERT_THAT(page.first, SizeIs(1));
  EXPECT_EQ(page.first[0].revealed_to(), "de-1");
  ASSERT_FALSE(page.second.empty());
  ASSIGN_OR_FAIL(auto next, engagement_->ListReveals("cl-1", 1, page.second));
  ASSERT_THAT(next.first, SizeIs(1));
  EXPECT_EQ(next.first[0].revealed_to(), "de-2");
  EXPECT_EQ(next.first[0].reason(), socio::v1::Reveal::ACCEPTED_REQUEST);
  EXPECT_TRUE(next.second.empty());
  EXPECT_THAT(engagement_->ListReveals("de-1", 1, page.second),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(EngagementStoreTest, RefusesMarksOnOneselfAndMalformedIds) {
  EXPECT_THAT(
      engagement_->SetInterest("de-1", "de-1", Interest::INTERESTED, "member", Summary).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("partner_ref")));
  EXPECT_THAT(
      engagement_->SetInterest("", "cl-1", Interest::INTERESTED, "member", Summary).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("member_id")));
}

TEST_F(EngagementStoreTest, ListsMarksByMemberWithPagesAndMutualOnly) {
  for (const char* partner : {"cl-1", "cl-2", "cl-3"}) {
    ASSERT_THAT(
        engagement_->SetInterest("de-1", partner, Interest::INTERESTED, "member", Summary).status(),
        IsOk());
  }
  ASSERT_THAT(
      engagement_->SetInterest("cl-2", "de-1", Interest::INTERESTED, "member", Summary).status(),
      IsOk());
  ASSIGN_OR_FAIL(auto first, engagement_->ListInterests("de-1", nullptr, false, 2, ""));
  ASSERT_THAT(first.first, SizeIs(2));
  ASSERT_FALSE(first.second.empty());
  ASSIGN_OR_FAIL(auto second, engagement_->ListInterests("de-1", nullptr, false, 2, first.second));
  ASSERT_THAT(second.first, SizeIs(1));
  EXPECT_EQ(second.first[0].partner_ref(), "cl-3");
  EXPECT_TRUE(second.second.empty());
  ASSIGN_OR_FAIL(auto mutual, engagement_->ListInterests("de-1", nullptr, true, 0, ""));
  ASSERT_THAT(mutual.first, SizeIs(1));
  EXPECT_EQ(mutual.first[0].partner_ref(), "cl-2");
  // Every member's, as a chamber's staff list them.
  ASSIGN_OR_FAIL(auto chamber,
                 engagement_->ListInterests(
                     "", [](absl::string_view m) { return m == "cl-2"; }, false, 0, ""));
  ASSERT_THAT(chamber.first, SizeIs(1));
  EXPECT_EQ(chamber.first[0].member_id(), "cl-2");
  // A token is bound to its filters.
  EXPECT_THAT(engagement_->ListInterests("de-1", nullptr, true, 2, first.second).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(EngagementStoreTest, AcceptedStandaloneRequestKeepsTheWindowAndTellsBothSides) {
  ASSIGN_OR_FAIL(MeetingRequest sent, Send(Standalone("de-1", "cl-1")));
  EXPECT_EQ(sent.state(), MeetingRequest::PENDING);
  EXPECT_EQ(sent.version(), 1);
  EXPECT_THAT(sent.id(), HasSubstr("mr-"));
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(sent.expire_time()),
            absl::ToUnixNanos(clock_.Now() + kWeek));
  EXPECT_THAT(Told(), ElementsAre("REQUEST_RECEIVED cl-1"));

  ASSIGN_OR_FAIL(
      MeetingRequest accepted,
      engagement_->Answer(sent.id(), {.accept = true, .window = 1, .by = "staff:cl"}, Summary));
  EXPECT_EQ(accepted.state(), MeetingRequest::ACCEPTED);
  EXPECT_EQ(accepted.version(), 2);
  EXPECT_EQ(accepted.changed_by(), "staff:cl");
  EXPECT_EQ(accepted.accepted_window().start_time(), sent.proposed(1).start_time());
  EXPECT_EQ(accepted.calendar_uid(), sent.id() + "@socio");
  EXPECT_THAT(Told(1), ElementsAre("REQUEST_ACCEPTED de-1", "REQUEST_ACCEPTED cl-1"));

  Reopen();
  ASSIGN_OR_FAIL(MeetingRequest read, engagement_->GetRequest(sent.id()));
  EXPECT_EQ(read.state(), MeetingRequest::ACCEPTED);
  EXPECT_EQ(read.calendar_uid(), accepted.calendar_uid());

  // Either side may call an accepted meeting off; both are told.
  ASSIGN_OR_FAIL(
      MeetingRequest cancelled,
      engagement_->Cancel(sent.id(), {.side = "cl-1", .reason = "Fair cancelled", .by = "member"},
                          Summary));
  EXPECT_EQ(cancelled.state(), MeetingRequest::CANCELLED);
  EXPECT_EQ(cancelled.reason(), "Fair cancelled");
  EXPECT_THAT(Told(3), ElementsAre("REQUEST_CANCELLED de-1", "REQUEST_CANCELLED cl-1"));
}

TEST_F(EngagementStoreTest, IllegalMovesNameTheState) {
  ASSIGN_OR_FAIL(MeetingRequest sent, Send(Standalone("de-1", "cl-1")));
  // The receiver declines rather than withdraws.
  EXPECT_THAT(engagement_->Cancel(sent.id(), {.side = "cl-1", .by = "member"}, Summary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is PENDING")));
  EXPECT_THAT(engagement_->Cancel(sent.id(), {.side = "fr-9", .by = "member"}, Summary).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a party")));
  ASSIGN_OR_FAIL(
      MeetingRequest declined,
      engagement_->Answer(sent.id(), {.accept = false, .reason = "No capacity", .by = "member"},
                          Summary));
  EXPECT_EQ(declined.state(), MeetingRequest::DECLINED);
  EXPECT_EQ(declined.reason(), "No capacity");
  EXPECT_THAT(Told(1), ElementsAre("REQUEST_DECLINED de-1"));
  EXPECT_THAT(engagement_->Answer(sent.id(), {.accept = true, .by = "member"}, Summary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("request " + sent.id() + " is DECLINED; only a PENDING request")));
  EXPECT_THAT(engagement_->Cancel(sent.id(), {.side = "de-1", .by = "member"}, Summary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is DECLINED")));

  ASSIGN_OR_FAIL(MeetingRequest again, Send(Standalone("de-1", "cl-1")));
  ASSIGN_OR_FAIL(MeetingRequest withdrawn,
                 engagement_->Cancel(again.id(), {.side = "de-1", .by = "member"}, Summary));
  EXPECT_EQ(withdrawn.state(), MeetingRequest::WITHDRAWN);
  EXPECT_THAT(Told(2), ElementsAre("REQUEST_RECEIVED cl-1", "REQUEST_WITHDRAWN cl-1"));
  EXPECT_THAT(engagement_->Answer(again.id(), {.accept = true, .by = "member"}, Summary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is WITHDRAWN")));
  // Nothing was written by the refused moves.
  ASSIGN_OR_FAIL(MeetingRequest read, engagement_->GetRequest(again.id()));
  EXPECT_EQ(read.version(), 2);
}

TEST_F(EngagementStoreTest, OnePendingRequestPerPairEitherWay) {
  ASSIGN_OR_FAIL(MeetingRequest first, Send(Standalone("de-1", "cl-1")));
  EXPECT_THAT(Send(Standalone("de-1", "cl-1")).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(first.id())));
  EXPECT_THAT(Send(Standalone("cl-1", "de-1")).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(first.id())));
  // Another pair is free.
  EXPECT_THAT(Send(Standalone("de-1", "cl-2")).status(), IsOk());
  // Once answered, the pair may ask again.
  ASSERT_THAT(engagement_->Answer(first.id(), {.accept = true, .by = "member"}, Summary).status(),
              IsOk());
  EXPECT_THAT(Send(Standalone("cl-1", "de-1")).status(), IsOk());
}

TEST_F(EngagementStoreTest, PendingRequestsExpireOnTheClock) {
  ASSIGN_OR_FAIL(MeetingRequest sent, Send(Standalone("de-1", "cl-1"), absl::Hours(48)));
  clock_.Advance(absl::Hours(47));
  ASSIGN_OR_FAIL(int expired, engagement_->ExpireDue(100, Summary));
  EXPECT_EQ(expired, 0);
  ASSIGN_OR_FAIL(MeetingRequest read, engagement_->GetRequest(sent.id()));
  EXPECT_EQ(read.state(), MeetingRequest::PENDING);

  clock_.Advance(absl::Hours(1));
  // Read as expired at once, before anything is written.
  ASSIGN_OR_FAIL(read, engagement_->GetRequest(sent.id()));
  EXPECT_EQ(read.state(), MeetingRequest::EXPIRED);
  EXPECT_THAT(engagement_->Answer(sent.id(), {.accept = true, .by = "member"}, Summary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is EXPIRED")));
  ASSIGN_OR_FAIL(
      auto pending,
      engagement_->ListRequests({.member_id = "cl-1", .states = {MeetingRequest::PENDING}}, 0, ""));
  EXPECT_THAT(pending.first, IsEmpty());

  ASSIGN_OR_FAIL(expired, engagement_->ExpireDue(100, Summary));
  EXPECT_EQ(expired, 1);
  EXPECT_THAT(Told(1), ElementsAre("REQUEST_EXPIRED de-1"));
  ASSIGN_OR_FAIL(expired, engagement_->ExpireDue(100, Summary));
  EXPECT_EQ(expired, 0);
  Reopen();
  ASSIGN_OR_FAIL(read, engagement_->GetRequest(sent.id()));
  EXPECT_EQ(read.state(), MeetingRequest::EXPIRED);
  EXPECT_EQ(read.changed_by(), "expiry");
  EXPECT_EQ(read.version(), 2);
}

TEST_F(EngagementStoreTest, AnExpiredRequestFreesThePairBeforeItIsSwept) {
  ASSIGN_OR_FAIL(MeetingRequest sent, Send(Standalone("de-1", "cl-1"), absl::Hours(24)));
  clock_.Advance(absl::Hours(25));
  ASSIGN_OR_FAIL(MeetingRequest next, Send(Standalone("cl-1", "de-1")));
  // The expiry is written with the new request, and the requester told.
  EXPECT_THAT(Told(1), ElementsAre("REQUEST_EXPIRED de-1", "REQUEST_RECEIVED de-1"));
  ASSIGN_OR_FAIL(int swept, engagement_->ExpireDue(100, Summary));
  EXPECT_EQ(swept, 0);
  ASSIGN_OR_FAIL(MeetingRequest read, engagement_->GetRequest(sent.id()));
  EXPECT_EQ(read.state(), MeetingRequest::EXPIRED);
  EXPECT_NE(next.id(), sent.id());
}

TEST_F(EngagementStoreTest, RefusesBadRequestsNamingTheField) {
  auto expect_bad = [&](MeetingRequest r, const std::string& field, const std::string& why) {
    EXPECT_THAT(Send(r).status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                           ::testing::AllOf(HasSubstr(field), HasSubstr(why))))
        << field;
  };
  expect_bad(Standalone("de-1", "de-1"), "request.to_ref", "itself");
  MeetingRequest long_message = Standalone("de-1", "cl-1");
  long_message.set_message(std::string(501, 'x'));
  expect_bad(long_message, "request.message", "500");
  expect_bad(Standalone("de-1", "cl-1", 0), "request.proposed", "1 to 3");
  expect_bad(Standalone("de-1", "cl-1", 4), "request.proposed", "1 to 3");
  MeetingRequest backwards = Standalone("de-1", "cl-1", 1);
  std::swap(*backwards.mutable_proposed(0)->mutable_start_time(),
            *backwards.mutable_proposed(0)->mutable_end_time());
  expect_bad(backwards, "request.proposed[0]", "ends before it starts");
  MeetingRequest long_window = Standalone("de-1", "cl-1", 1);
  *long_window.mutable_proposed(0)->mutable_end_time() = At(clock_.Now() + absl::Hours(48));
  expect_bad(long_window, "request.proposed[0]", "longer than");
  MeetingRequest past = Standalone("de-1", "cl-1", 2);
  *past.mutable_proposed(1)->mutable_start_time() = At(clock_.Now() - absl::Minutes(10));
  *past.mutable_proposed(1)->mutable_end_time() = At(clock_.Now() + absl::Minutes(10));
  expect_bad(past, "request.proposed[1]", "past");
  MeetingRequest in_delegation = Standalone("de-1", "cl-1", 1);
  in_delegation.set_delegation_id("trade-mission-2027");
  expect_bad(in_delegation, "request.proposed", "inside a delegation");
  EXPECT_THAT(Outbox(), IsEmpty());
}

TEST_F(EngagementStoreTest, ARetriedCreateIsAnsweredOnceAndTellsOnce) {
  ASSIGN_OR_FAIL(RequestTicket ticket,
                 RequestTicket::Make("token-1", "CreateMeetingRequest", "retry-0001"));
  MeetingRequest r = Standalone("de-1", "cl-1");
  ticket.set_fingerprint(FingerprintOf(r));
  EngagementStore::NewRequest how{.from_chamber = "ihk", .to_chamber = "cl", .by = "member"};
  ASSIGN_OR_FAIL(MeetingRequest first, engagement_->CreateRequest(r, how, &ticket, Summary));
  ASSIGN_OR_FAIL(MeetingRequest retry, engagement_->CreateRequest(r, how, &ticket, Summary));
  EXPECT_EQ(retry.id(), first.id());
  EXPECT_THAT(Told(), SizeIs(1));
}

TEST_F(EngagementStoreTest, ListsNewestFirstBySideChamberAndState) {
  ASSIGN_OR_FAIL(MeetingRequest a, Send(Standalone("de-1", "cl-1")));
  clock_.Advance(absl::Minutes(1));
  ASSIGN_OR_FAIL(MeetingRequest b, Send(Standalone("cl-2", "de-1")));
  clock_.Advance(absl::Minutes(1));
  ASSIGN_OR_FAIL(MeetingRequest c, Send(Standalone("de-1", "cl-3")));
  ASSERT_THAT(engagement_->Answer(c.id(), {.accept = false, .by = "member"}, Summary).status(),
              IsOk());
  auto ids = [](const std::vector<MeetingRequest>& rs) {
    std::vector<std::string> out;
    for (const MeetingRequest& r : rs) out.push_back(r.id());
    return out;
  };
  using Box = EngagementStore::RequestScope::Box;
  ASSIGN_OR_FAIL(auto both, engagement_->ListRequests({.member_id = "de-1"}, 0, ""));
  EXPECT_THAT(ids(both.first), ElementsAre(c.id(), b.id(), a.id()));
  ASSIGN_OR_FAIL(auto sent,
                 engagement_->ListRequests({.member_id = "de-1", .box = Box::kSent}, 0, ""));
  EXPECT_THAT(ids(sent.first), ElementsAre(c.id(), a.id()));
  ASSIGN_OR_FAIL(auto received,
                 engagement_->ListRequests({.member_id = "de-1", .box = Box::kReceived}, 0, ""));
  EXPECT_THAT(ids(received.first), ElementsAre(b.id()));
  ASSIGN_OR_FAIL(auto declined,
                 engagement_->ListRequests(
                     {.member_id = "de-1", .states = {MeetingRequest::DECLINED}}, 0, ""));
  EXPECT_THAT(ids(declined.first), ElementsAre(c.id()));
  // Pages.
  ASSIGN_OR_FAIL(auto page1, engagement_->ListRequests({.member_id = "de-1"}, 2, ""));
  EXPECT_THAT(ids(page1.first), ElementsAre(c.id(), b.id()));
  ASSIGN_OR_FAIL(auto page2, engagement_->ListRequests({.member_id = "de-1"}, 2, page1.second));
  EXPECT_THAT(ids(page2.first), ElementsAre(a.id()));
  EXPECT_TRUE(page2.second.empty());
  // A chamber sees its members' requests, sent or received.
  ASSIGN_OR_FAIL(auto chamber, engagement_->ListRequests({.chamber_id = "camara-cl"}, 0, ""));
  EXPECT_THAT(chamber.first, SizeIs(3));
  ASSIGN_OR_FAIL(auto other, engagement_->ListRequests({.chamber_id = "nobody"}, 0, ""));
  EXPECT_THAT(other.first, IsEmpty());
}

TEST_F(EngagementStoreTest, ExpectedVersionGuardsChanges) {
  ASSIGN_OR_FAIL(MeetingRequest sent, Send(Standalone("de-1", "cl-1")));
  EXPECT_THAT(
      engagement_
          ->Answer(sent.id(), {.accept = true, .by = "member", .expected_version = 7}, Summary)
          .status(),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("version 1")));
  EXPECT_THAT(
      engagement_
          ->Answer(sent.id(), {.accept = true, .by = "member", .expected_version = 1}, Summary)
          .status(),
      IsOk());
  EXPECT_THAT(engagement_->GetRequest("mr-none").status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("mr-none")));
}

TEST_F(EngagementStoreTest, AcceptedRequestsInADelegationAreListedForItsPlan) {
  MeetingRequest r;
  r.set_from_member_id("de-1");
  r.set_to_ref("cl-1");
  r.set_delegation_id("mission-cl-2027");
  ASSIGN_OR_FAIL(MeetingRequest in, Send(r));
  ASSIGN_OR_FAIL(std::vector<MeetingRequest> accepted, engagement_->AcceptedIn("mission-cl-2027"));
  EXPECT_THAT(accepted, IsEmpty());
  ASSERT_THAT(engagement_->Answer(in.id(), {.accept = true, .by = "member"}, Summary).status(),
              IsOk());
  ASSIGN_OR_FAIL(accepted, engagement_->AcceptedIn("mission-cl-2027"));
  ASSERT_THAT(accepted, SizeIs(1));
  EXPECT_EQ(accepted[0].id(), in.id());
  EXPECT_FALSE(accepted[0].has_accepted_window());
  ASSERT_THAT(engagement_->Cancel(in.id(), {.side = "de-1", .by = "member"}, Summary).status(),
              IsOk());
  ASSIGN_OR_FAIL(accepted, engagement_->AcceptedIn("mission-cl-2027"));
  EXPECT_THAT(accepted, IsEmpty());
}

TEST_F(EngagementStoreTest, ConcurrentRequestsOnOnePairLeaveOneOpen) {
  std::vector<std::thread> threads;
  std::atomic<int> created = 0;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      MeetingRequest r = i % 2 ? Standalone("de-1", "cl-1") : Standalone("cl-1", "de-1");
      if (Send(r).ok()) ++created;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_THAT(Told(), SizeIs(1));
}

// ---- The outbox ----

TEST_F(EngagementStoreTest, OutboxSequencesSurviveReopenAndReadResumes) {
  ASSERT_THAT(Send(Standalone("de-1", "cl-1")).status(), IsOk());
  ASSERT_THAT(Send(Standalone("de-1", "cl-2")).status(), IsOk());
  EXPECT_EQ(notifications_->last_sequence(), 2u);
  Reopen();
  EXPECT_EQ(notifications_->last_sequence(), 2u);
  ASSERT_THAT(Send(Standalone("de-1", "cl-3")).status(), IsOk());
  ASSIGN_OR_FAIL(std::vector<Notification> after, notifications_->Read(1, 10));
  ASSERT_THAT(after, SizeIs(2));
  EXPECT_EQ(after[0].sequence(), 2u);
  EXPECT_EQ(after[1].sequence(), 3u);
  EXPECT_EQ(after[1].id(), "n-3");
  EXPECT_EQ(after[1].recipient(), "cl-3");
  ASSIGN_OR_FAIL(after, notifications_->Read(
                            0, 10, [](const Notification& n) { return n.recipient() == "cl-2"; }));
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_EQ(after[0].sequence(), 2u);
}

TEST_F(EngagementStoreTest, WaitPastWakesOnANewNotification) {
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    ASSERT_THAT(Send(Standalone("de-1", "cl-1")).status(), IsOk());
  });
  EXPECT_TRUE(notifications_->WaitPast(0, absl::Now() + absl::Seconds(20)));
  writer.join();
  EXPECT_FALSE(notifications_->WaitPast(1, absl::Now() + absl::Milliseconds(20)));
}

TEST_F(EngagementStoreTest, CursorsAndParkedDeliveriesPersist) {
  ASSIGN_OR_FAIL(uint64_t cursor, notifications_->Cursor("email"));
  EXPECT_EQ(cursor, 0u);
  ASSERT_THAT(notifications_->SetCursor("email", 41), IsOk());
  for (int i = 1; i <= 3; ++i) {
    socio::v1::ParkedDelivery parked;
    parked.set_sequence(i);
    parked.set_notification_id("n-" + std::to_string(i));
    parked.set_recipient("de-1");
    parked.set_attempts(8);
    parked.set_last_error("HTTP 500");
    ASSERT_THAT(notifications_->Park(parked), IsOk());
  }
  Reopen();
  ASSIGN_OR_FAIL(cursor, notifications_->Cursor("email"));
  EXPECT_EQ(cursor, 41u);
  ASSIGN_OR_FAIL(cursor, notifications_->Cursor("webhook"));
  EXPECT_EQ(cursor, 0u);
  ASSIGN_OR_FAIL(auto page1, notifications_->ListParked(2, ""));
  ASSERT_THAT(page1.first, SizeIs(2));
  EXPECT_EQ(page1.first[0].notification_id(), "n-1");
  ASSIGN_OR_FAIL(auto page2, notifications_->ListParked(2, page1.second));
  ASSERT_THAT(page2.first, SizeIs(1));
  EXPECT_EQ(page2.first[0].notification_id(), "n-3");
  EXPECT_TRUE(page2.second.empty());
}

TEST_F(EngagementStoreTest, SettingsKeepTheSecretAndCheckEveryField) {
  socio::v1::NotificationSettings s;
  s.set_recipient("de-1");
  s.add_email_to(" export@huber.example ");
  s.set_webhook_url("https://crm.huber.example/socio");
  s.set_webhook_secret("0123456789abcdef0123");
  ASSIGN_OR_FAIL(socio::v1::NotificationSettings stored, notifications_->SetSettings(s));
  EXPECT_TRUE(stored.webhook_secret().empty());
  EXPECT_TRUE(stored.webhook_secret_set());
  EXPECT_EQ(stored.email_to(0), "export@huber.example");
  // Changing the URL without a secret keeps the secret.
  s.clear_webhook_secret();
  s.set_webhook_url("https://crm.huber.example/socio2");
  ASSERT_THAT(notifications_->SetSettings(s).status(), IsOk());
  ASSIGN_OR_FAIL(socio::v1::NotificationSettings read, notifications_->Settings("de-1"));
  EXPECT_EQ(read.webhook_secret(), "0123456789abcdef0123");
  EXPECT_EQ(read.webhook_url(), "https://crm.huber.example/socio2");
  ASSIGN_OR_FAIL(read, notifications_->Settings("staff:ihk"));
  EXPECT_EQ(read.recipient(), "staff:ihk");
  EXPECT_TRUE(read.email_to().empty());

  auto expect_bad = [&](socio::v1::NotificationSettings bad, const std::string& field) {
    EXPECT_THAT(notifications_->SetSettings(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(field)));
  };
  socio::v1::NotificationSettings bad;
  bad.set_recipient("staff:");
  expect_bad(bad, "settings.recipient");
  bad.set_recipient("fr-1");
  bad.add_email_to("someone@example.com\r\nBcc: all@example.com");
  expect_bad(bad, "settings.email_to[0]");
  bad.clear_email_to();
  bad.set_webhook_url("ftp://example.com");
  expect_bad(bad, "settings.webhook_url");
  bad.set_webhook_url("https://example.com/hook");
  expect_bad(bad, "settings.webhook_secret");  // none stored
  bad.set_webhook_secret("short");
  expect_bad(bad, "settings.webhook_secret");
}

}  // namespace
}  // namespace socio::storage
