#include "storage/request_ids.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/delegation_store.h"
#include "storage/profile_store.h"
#include "tests/support/reference.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::storage {
namespace {

using socio::testing::IsOk;
using socio::testing::StatusIs;
using socio::testing::TempDir;
using socio::testing::TestReference;
using ::testing::HasSubstr;

MATCHER_P(HoldsAnswer, answer, "is OK and holds the answer") {
  return arg.ok() && arg->has_value() && **arg == std::string(answer);
}
MATCHER_P(HoldsCount, count, "is OK and holds the count") { return arg.ok() && *arg == count; }

constexpr char kRequestId[] = "6f1c2a7e-52a4-4f0e-9d1b-6b1f7c2e9a10";

socio::v1::Profile MakeProfile(std::string id, std::string name = "Salsas del Bajío") {
  socio::v1::Profile p;
  p.set_id(std::move(id));
  p.set_chamber_id("canaco-cdmx");
  p.set_name(std::move(name));
  p.set_country("MX");
  return p;
}

// A ticket for `request_id` whose request is `what`.
RequestTicket Ticket(const std::string& caller, const std::string& method, const std::string& what,
                     const std::string& request_id = kRequestId) {
  absl::StatusOr<RequestTicket> ticket = RequestTicket::Make(caller, method, request_id);
  EXPECT_THAT(ticket, IsOk());
  ticket->set_fingerprint(FingerprintOf(MakeProfile(what)));
  return *std::move(ticket);
}

class RequestIdStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    profiles_.reset();
    delegations_.reset();
    request_ids_.reset();
    database_.reset();
    ASSIGN_OR_FAIL(database_, Database::Open(dir_.path(), {}));
    ASSIGN_OR_FAIL(request_ids_, RequestIdStore::Open(database_));
    ASSIGN_OR_FAIL(profiles_, ProfileStore::Open(database_, {.reference = TestReference()}));
    ASSIGN_OR_FAIL(delegations_, DelegationStore::Open(database_, {.reference = TestReference()}));
  }

  TempDir dir_;
  std::shared_ptr<Database> database_;
  std::unique_ptr<RequestIdStore> request_ids_;
  std::unique_ptr<ProfileStore> profiles_;
  std::unique_ptr<DelegationStore> delegations_;
};

TEST(ValidateRequestIdTest, TakesUuidsAndNamesTheFieldOtherwise) {
  EXPECT_THAT(ValidateRequestId("request_id", kRequestId), IsOk());
  EXPECT_THAT(ValidateRequestId("request_id", "import:2027-03-29.1"), IsOk());
  EXPECT_THAT(ValidateRequestId("request_id", "abc"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("request_id: must be 8 to 64 characters")));
  EXPECT_THAT(ValidateRequestId("request_id", std::string(65, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not 65")));
  EXPECT_THAT(ValidateRequestId("request_id", "abcd efgh"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("request_id: character 5 is not a letter")));
  EXPECT_THAT(RequestTicket::Make("t1", "CreateProfile", "bad"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id:")));
}

TEST(RequestFingerprintTest, CountsEveryByteAndTheMessageBoundaries) {
  EXPECT_EQ(FingerprintOf(MakeProfile("a")), FingerprintOf(MakeProfile("a")));
  EXPECT_EQ(FingerprintOf(MakeProfile("a")).size(), 32u);
  EXPECT_NE(FingerprintOf(MakeProfile("a")), FingerprintOf(MakeProfile("b")));
  RequestFingerprint one;
  one.Add(MakeProfile("a"));
  one.Add(MakeProfile("b"));
  RequestFingerprint other;
  other.Add(MakeProfile("b"));
  other.Add(MakeProfile("a"));
  EXPECT_NE(one.Finish(), other.Finish());
}

TEST_F(RequestIdStoreTest, RemembersPerCallerMethodAndRequestId) {
  ASSERT_THAT(request_ids_->Remember(Ticket("t1", "CreateProfile", "a"), "answer-a"), IsOk());
  EXPECT_THAT(request_ids_->Find(Ticket("t1", "CreateProfile", "a")), HoldsAnswer("answer-a"));
  // Another caller, rpc or id is another request.
  EXPECT_EQ(*request_ids_->Find(Ticket("t2", "CreateProfile", "a")), std::nullopt);
  EXPECT_EQ(*request_ids_->Find(Ticket("t1", "CreateDelegation", "a")), std::nullopt);
  EXPECT_EQ(*request_ids_->Find(Ticket("t1", "CreateProfile", "a", "other-id-1")), std::nullopt);
  // The same id for a different request is the client's mistake.
  EXPECT_THAT(request_ids_->Find(Ticket("t1", "CreateProfile", "b")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("request_id: '6f1c2a7e-52a4-4f0e-9d1b-6b1f7c2e9a10' was used for "
                                 "a different request")));
  // Remembered on disk.
  Reopen();
  EXPECT_THAT(request_ids_->Find(Ticket("t1", "CreateProfile", "a")), HoldsAnswer("answer-a"));
}

TEST_F(RequestIdStoreTest, EntriesExpireAfterADayAndSweepsDeleteThemInBoundedSteps) {
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(
        request_ids_->Remember(Ticket("t1", "CreateProfile", "a", absl::StrCat("old-id-", i)),
                               "old", t0 + absl::Minutes(i)),
        IsOk());
  }
  ASSERT_THAT(request_ids_->Remember(Ticket("t1", "CreateProfile", "a", "young-id"), "young",
                                     t0 + absl::Hours(20)),
              IsOk());
  const RequestTicket oldest = Ticket("t1", "CreateProfile", "a", "old-id-0");
  EXPECT_THAT(request_ids_->Find(oldest, t0 + absl::Hours(23)), HoldsAnswer("old"));
  EXPECT_EQ(*request_ids_->Find(oldest, t0 + RequestIdStore::kRetention), std::nullopt);

  const absl::Time later = t0 + absl::Hours(25);
  EXPECT_THAT(request_ids_->Sweep(later, 2), HoldsCount(2));
  EXPECT_THAT(request_ids_->Sweep(later, 2), HoldsCount(2));
  EXPECT_THAT(request_ids_->Sweep(later, 2), HoldsCount(1));
  EXPECT_THAT(request_ids_->Sweep(later, 2), HoldsCount(0));
  // Gone from the disk, not only unseen: a look at an earlier time finds nothing.
  EXPECT_EQ(*request_ids_->Lookup(oldest, t0), std::nullopt);
  EXPECT_THAT(request_ids_->Find(Ticket("t1", "CreateProfile", "a", "young-id"), later),
              HoldsAnswer("young"));
  Reopen();  // a fresh store sweeps from the start
  EXPECT_THAT(request_ids_->Sweep(later, 10), HoldsCount(0));
}

TEST_F(RequestIdStoreTest, ProfileCreateRemembersItsAnswerInItsOwnWrite) {
  const RequestTicket ticket = Ticket("t1", "CreateProfile", "mx-1");
  ASSIGN_OR_FAIL(socio::v1::Profile created, profiles_->Create(MakeProfile("mx-1"), &ticket));
  ASSIGN_OR_FAIL(std::optional<std::string> remembered, request_ids_->Find(ticket));
  ASSERT_TRUE(remembered.has_value());
  EXPECT_EQ(*remembered, created.SerializeAsString());

  // The retry is answered as the first try was, and writes nothing.
  const uint64_t sequence = profiles_->LastSequence();
  ASSIGN_OR_FAIL(socio::v1::Profile again, profiles_->Create(MakeProfile("mx-1"), &ticket));
  EXPECT_EQ(again.SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(profiles_->LastSequence(), sequence);
  // Without the ticket it is a second create.
  EXPECT_THAT(profiles_->Create(MakeProfile("mx-1")), StatusIs(absl::StatusCode::kAlreadyExists));

  // A refused create remembers nothing: its retry is tried again.
  const RequestTicket refused = Ticket("t1", "CreateProfile", "mx-1", "refused-id");
  EXPECT_THAT(profiles_->Create(MakeProfile("mx-1"), &refused),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(*request_ids_->Find(refused), std::nullopt);
}

// Retries that overlap their first try (each past the service's look-up)
// meet under the store's write lock: one create, one answer for all.
TEST_F(RequestIdStoreTest, ConcurrentRetriesOfACreateWriteOnce) {
  const RequestTicket ticket = Ticket("t1", "CreateProfile", "mx-1");
  constexpr int kTries = 8;
  std::vector<absl::StatusOr<socio::v1::Profile>> answers(kTries);
  std::vector<std::thread> tries;
  for (int i = 0; i < kTries; ++i) {
    tries.emplace_back([&, i] { answers[i] = profiles_->Create(MakeProfile("mx-1"), &ticket); });
  }
  for (std::thread& t : tries) t.join();
  for (const absl::StatusOr<socio::v1::Profile>& answer : answers) {
    ASSERT_THAT(answer, IsOk());
    EXPECT_EQ(answer->SerializeAsString(), answers.front()->SerializeAsString());
  }
  EXPECT_EQ(profiles_->LastSequence(), 1u);
}

TEST_F(RequestIdStoreTest, DelegationCreateAndPlanRememberTheirAnswers) {
  socio::v1::Delegation delegation;
  delegation.set_id("mx27");
  delegation.set_chamber_id("ihk-muenchen");
  delegation.set_name("Mission to Mexico 2027");
  delegation.set_origin_country("DE");
  delegation.set_host_country("MX");
  socio::v1::ItineraryDay* day = delegation.add_days();
  day->set_date("2027-03-29");
  day->set_city("Ciudad de México");
  day->set_start_time("09:00");
  day->set_end_time("17:00");
  delegation.add_delegates()->set_member_id("de-1");
  const RequestTicket create = Ticket("t1", "CreateDelegation", "mx27");
  ASSIGN_OR_FAIL(socio::v1::Delegation created, delegations_->Create(delegation, &create));
  ASSIGN_OR_FAIL(socio::v1::Delegation created_again, delegations_->Create(delegation, &create));
  EXPECT_EQ(created_again.SerializeAsString(), created.SerializeAsString());

  socio::v1::DelegationPlan plan;
  plan.set_total_score(1.5);
  const RequestTicket planning = Ticket("t1", "PlanDelegation", "mx27");
  ASSIGN_OR_FAIL(socio::v1::Delegation planned,
                 delegations_->SetPlan("mx27", created.version(), plan, &planning));
  EXPECT_EQ(planned.version(), 2);
  // A retry that planned again (and expects the version it saw) stores nothing.
  plan.set_total_score(2.5);
  ASSIGN_OR_FAIL(socio::v1::Delegation replanned,
                 delegations_->SetPlan("mx27", created.version(), plan, &planning));
  EXPECT_EQ(replanned.SerializeAsString(), planned.SerializeAsString());
  ASSIGN_OR_FAIL(socio::v1::Delegation stored, delegations_->Get("mx27"));
  EXPECT_EQ(stored.version(), 2);
  EXPECT_EQ(stored.plan().total_score(), 1.5);
}

}  // namespace
}  // namespace socio::storage
