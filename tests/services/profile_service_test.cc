// ProfileService end to end: a real sociod (RocksDB in a temporary directory,
// gRPC on a loopback port the kernel picks) driven through the generated stub.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"

namespace socio::services {
namespace {

using grpc::StatusCode;
using socio::testing::IsOk;
using socio::testing::TestServer;
using socio::v1::Profile;
using socio::v1::ProfileChange;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Profile MakeProfile(std::string id, std::string chamber = "canaco-cdmx") {
  Profile p;
  p.set_id(std::move(id));
  p.set_chamber_id(std::move(chamber));
  p.set_name("Salsas " + p.id());
  p.set_country("MX");
  p.add_sectors("10.84");
  p.set_visibility(Profile::FEDERATION);
  return p;
}

// Fails the test with the call's status unless it is OK.
class ProfileServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSIGN_OR_FAIL(server_,
                   TestServer::Start({.max_message_bytes = 1 << 20, .dev_insecure = true}));
    stub_ = &server_->profiles();
  }

  // A context with a deadline, as every real client call should have.
  static std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(10)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    return context;
  }

  grpc::Status Create(const Profile& profile, Profile* out = nullptr) {
    socio::v1::CreateProfileRequest request;
    *request.mutable_profile() = profile;
    Profile ignored;
    return stub_->CreateProfile(Context().get(), request, out ? out : &ignored);
  }

  grpc::Status Get(const std::string& id, Profile* out) {
    socio::v1::GetProfileRequest request;
    request.set_id(id);
    return stub_->GetProfile(Context().get(), request, out);
  }

  std::unique_ptr<TestServer> server_;
  socio::v1::ProfileService::Stub* stub_ = nullptr;
};

TEST_F(ProfileServiceTest, CreateAndGet) {
  Profile created;
  ASSERT_RPC_OK(Create(MakeProfile("mx-1"), &created));
  EXPECT_EQ(created.version(), 1);
  Profile read;
  ASSERT_RPC_OK(Get("mx-1", &read));
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(ProfileServiceTest, CreateErrors) {
  ASSERT_RPC_OK(Create(MakeProfile("mx-1")));
  grpc::Status dup = Create(MakeProfile("mx-1"));
  EXPECT_EQ(dup.error_code(), StatusCode::ALREADY_EXISTS);

  Profile bad = MakeProfile("mx-2");
  bad.add_languages("Spanish");
  grpc::Status invalid = Create(bad);
  EXPECT_EQ(invalid.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(invalid.error_message(), HasSubstr("profile.languages[0]: 'Spanish'"));

  socio::v1::CreateProfileRequest empty;
  Profile out;
  grpc::Status missing = stub_->CreateProfile(Context().get(), empty, &out);
  EXPECT_EQ(missing.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(missing.error_message(), "profile: is required");
  EXPECT_EQ(Get("mx-2", &out).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(ProfileServiceTest, UnknownCodesAreRejectedByEveryRpcThatTakesThem) {
  Profile unknown_country = MakeProfile("mx-1");
  unknown_country.set_country("XX");
  grpc::Status create = Create(unknown_country);
  EXPECT_EQ(create.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(create.error_message(), HasSubstr("profile.country: 'XX'"));

  ASSERT_RPC_OK(Create(MakeProfile("mx-2")));
  socio::v1::UpdateProfileRequest update;
  update.mutable_profile()->set_id("mx-2");
  update.mutable_profile()->add_languages("xx");
  update.mutable_update_mask()->add_paths("languages");
  Profile out;
  grpc::Status updated = stub_->UpdateProfile(Context().get(), update, &out);
  EXPECT_EQ(updated.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(updated.error_message(), HasSubstr("profile.languages[0]: 'xx'"));

  auto context = Context();
  socio::v1::ImportProfilesSummary summary;
  auto stream = stub_->ImportProfiles(context.get(), &summary);
  socio::v1::ImportProfilesRequest chunk;
  *chunk.add_profiles() = MakeProfile("mx-3");
  chunk.mutable_profiles(0)->set_sectors(0, "04.1");
  *chunk.add_profiles() = MakeProfile("mx-4");
  chunk.mutable_profiles(1)->add_target_markets("UK");
  ASSERT_TRUE(stream->Write(chunk));
  ASSERT_TRUE(stream->WritesDone());
  ASSERT_RPC_OK(stream->Finish());
  ASSERT_EQ(summary.errors_size(), 2);
  EXPECT_THAT(summary.errors(0).message(), HasSubstr("there is no division 04"));
  EXPECT_THAT(summary.errors(1).message(), HasSubstr("'UK'"));
  EXPECT_THAT(summary.errors(1).message(), HasSubstr("did you mean 'GB'?"));

  socio::v1::ListProfilesRequest list;
  socio::v1::ListProfilesResponse page;
  list.set_country("XX");
  EXPECT_EQ(stub_->ListProfiles(Context().get(), list, &page).error_code(),
            StatusCode::INVALID_ARGUMENT);
  list.set_country("");
  list.set_sector_prefix("04");
  EXPECT_EQ(stub_->ListProfiles(Context().get(), list, &page).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProfileServiceTest, GetErrors) {
  Profile out;
  grpc::Status missing = Get("nobody", &out);
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(), HasSubstr("no profile 'nobody'"));
  EXPECT_EQ(Get("", &out).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProfileServiceTest, UpdateWithMaskAndVersion) {
  ASSERT_RPC_OK(Create(MakeProfile("mx-1")));
  socio::v1::UpdateProfileRequest request;
  request.mutable_profile()->set_id("mx-1");
  request.mutable_profile()->set_city("León");
  request.mutable_update_mask()->add_paths("city");
  request.set_expected_version(1);
  Profile updated;
  ASSERT_RPC_OK(stub_->UpdateProfile(Context().get(), request, &updated));
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.city(), "León");
  EXPECT_EQ(updated.name(), "Salsas mx-1");

  grpc::Status stale = stub_->UpdateProfile(Context().get(), request, &updated);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED);
  EXPECT_THAT(stale.error_message(), HasSubstr("at version 2, not 1"));

  request.mutable_update_mask()->set_paths(0, "create_time");
  request.set_expected_version(0);
  EXPECT_EQ(stub_->UpdateProfile(Context().get(), request, &updated).error_code(),
            StatusCode::INVALID_ARGUMENT);

  request.mutable_profile()->set_id("nobody");
  request.mutable_update_mask()->set_paths(0, "city");
  EXPECT_EQ(stub_->UpdateProfile(Context().get(), request, &updated).error_code(),
            StatusCode::NOT_FOUND);

  socio::v1::UpdateProfileRequest no_profile;
  EXPECT_EQ(stub_->UpdateProfile(Context().get(), no_profile, &updated).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

// AIP-134: an update without a mask writes the fields the request sets and
// keeps the others; "*" asks for a full replace.
TEST_F(ProfileServiceTest, UpdateWithoutMaskKeepsWhatTheRequestLeavesOut) {
  Profile original = MakeProfile("mx-1");
  original.set_city("Monterrey");
  original.add_keywords("salsa");
  original.set_description("Salsas artesanales");
  socio::v1::Objective* objective = original.add_objectives();
  objective->set_type(socio::v1::Objective::DISTRIBUTION);
  objective->set_direction(socio::v1::Objective::SEEK);
  objective->add_markets("DE");
  ASSERT_RPC_OK(Create(original));

  socio::v1::UpdateProfileRequest request;
  Profile& patch = *request.mutable_profile();
  patch.set_id("mx-1");
  patch.set_name("Salsas del Norte");
  patch.set_country("MX");
  patch.set_employees(40);
  patch.add_languages("es");
  Profile updated;
  ASSERT_RPC_OK(stub_->UpdateProfile(Context().get(), request, &updated));
  EXPECT_EQ(updated.name(), "Salsas del Norte");
  EXPECT_EQ(updated.employees(), 40);
  EXPECT_EQ(updated.city(), "Monterrey");
  EXPECT_EQ(updated.keywords_size(), 1);
  EXPECT_EQ(updated.description(), "Salsas artesanales");
  EXPECT_EQ(updated.objectives_size(), 1);
  EXPECT_EQ(updated.visibility(), Profile::FEDERATION);

  // A full replace needs a whole profile.
  patch.set_chamber_id("canaco-cdmx");
  patch.add_sectors("10.84");
  request.mutable_update_mask()->add_paths("*");
  ASSERT_RPC_OK(stub_->UpdateProfile(Context().get(), request, &updated));
  EXPECT_EQ(updated.city(), "");
  EXPECT_EQ(updated.objectives_size(), 0);
  EXPECT_EQ(updated.visibility(), Profile::PRIVATE);
}

TEST_F(ProfileServiceTest, DeleteWithVersion) {
  ASSERT_RPC_OK(Create(MakeProfile("mx-1")));
  socio::v1::DeleteProfileRequest request;
  request.set_id("mx-1");
  request.set_expected_version(5);
  socio::v1::DeleteProfileResponse response;
  EXPECT_EQ(stub_->DeleteProfile(Context().get(), request, &response).error_code(),
            StatusCode::ABORTED);
  request.set_expected_version(1);
  ASSERT_RPC_OK(stub_->DeleteProfile(Context().get(), request, &response));
  EXPECT_EQ(response.sequence(), 2u);
  EXPECT_EQ(stub_->DeleteProfile(Context().get(), request, &response).error_code(),
            StatusCode::NOT_FOUND);
  request.set_id("bad id");
  EXPECT_EQ(stub_->DeleteProfile(Context().get(), request, &response).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProfileServiceTest, ListPagesWithFilters) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_RPC_OK(Create(MakeProfile(absl::StrCat("mx-", i), i < 5 ? "canaco-cdmx" : "other")));
  }
  socio::v1::ListProfilesRequest request;
  request.set_chamber_id("canaco-cdmx");
  request.set_sector_prefix("C");
  request.set_page_size(3);
  std::vector<std::string> ids;
  do {
    socio::v1::ListProfilesResponse response;
    ASSERT_RPC_OK(stub_->ListProfiles(Context().get(), request, &response));
    for (const Profile& p : response.profiles()) ids.push_back(p.id());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(ids, ElementsAre("mx-0", "mx-1", "mx-2", "mx-3", "mx-4"));

  request.set_page_size(-1);
  socio::v1::ListProfilesResponse response;
  grpc::Status bad = stub_->ListProfiles(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("page_size"));
}

TEST_F(ProfileServiceTest, ImportStoresGoodItemsAndReportsEveryBadOne) {
  ASSERT_RPC_OK(Create(MakeProfile("mx-exists")));
  auto context = Context();
  socio::v1::ImportProfilesSummary summary;
  auto stream = stub_->ImportProfiles(context.get(), &summary);
  // 2,500 items over chunks of 100: crosses the server's batch boundary.
  for (int chunk = 0; chunk < 25; ++chunk) {
    socio::v1::ImportProfilesRequest request;
    for (int i = 0; i < 100; ++i) {
      const int n = chunk * 100 + i;
      Profile p = MakeProfile(absl::StrFormat("mx-%04d", n));
      if (n % 500 == 7) p.set_country("Mexico");
      if (n == 1234) p.set_id("mx-exists");
      *request.add_profiles() = std::move(p);
    }
    ASSERT_TRUE(stream->Write(request));
  }
  ASSERT_TRUE(stream->WritesDone());
  ASSERT_RPC_OK(stream->Finish());
  EXPECT_EQ(summary.received(), 2500);
  EXPECT_EQ(summary.created(), 2494);
  EXPECT_EQ(summary.rejected(), 6);
  ASSERT_EQ(summary.errors_size(), 6);
  EXPECT_EQ(summary.errors(0).index(), 7);
  EXPECT_EQ(summary.errors(0).code(), "INVALID_ARGUMENT");
  EXPECT_THAT(summary.errors(0).message(), HasSubstr("profile.country: 'Mexico'"));
  EXPECT_EQ(summary.errors(3).index(), 1234);
  EXPECT_EQ(summary.errors(3).code(), "ALREADY_EXISTS");
  EXPECT_EQ(summary.errors(5).index(), 2007);
  EXPECT_EQ(summary.last_sequence(), 2495u);

  Profile out;
  ASSERT_RPC_OK(Get("mx-2499", &out));
  EXPECT_EQ(Get("mx-0007", &out).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(ProfileServiceTest, ImportSaysWhatItReadAndStoresNoUnfinishedBatchOfAStreamCutShort) {
  // Streams `messages` of 100 new items (ids from `first`), each saying more
  // follow, then a last message without items unless `cut_short`.
  const auto import = [&](int first, int messages, bool cut_short,
                          socio::v1::ImportProfilesSummary* summary) {
    auto context = Context();
    auto stream = stub_->ImportProfiles(context.get(), summary);
    for (int m = 0; m < messages; ++m) {
      socio::v1::ImportProfilesRequest request;
      for (int i = 0; i < 100; ++i) {
        *request.add_profiles() = MakeProfile(absl::StrFormat("mx-%04d", first + m * 100 + i));
      }
      request.set_more(true);
      EXPECT_TRUE(stream->Write(request));
    }
    if (!cut_short) {
      EXPECT_TRUE(stream->Write(socio::v1::ImportProfilesRequest()));
    }
    EXPECT_TRUE(stream->WritesDone());
    return stream->Finish();
  };
  socio::v1::ImportProfilesSummary summary;
  ASSERT_RPC_OK(import(0, 2, /*cut_short=*/false, &summary));
  EXPECT_EQ(summary.messages_received(), 3);
  EXPECT_EQ(summary.received(), 200);
  EXPECT_EQ(summary.created(), 200);

  // The client closes after a message that said more follow: the batch
  // committed on the way stays, the 200 items read after it do not.
  grpc::Status cut = import(1000, 12, /*cut_short=*/true, &summary);
  EXPECT_EQ(cut.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(cut.error_message(),
              HasSubstr("the import stream ended after message 12, which said more follow"));
  EXPECT_THAT(cut.error_message(),
              HasSubstr("12 messages, 1200 items, of which 1000 stored (1000 created, 0 updated)"));
  EXPECT_THAT(cut.error_message(), HasSubstr("the other 200 not stored"));
  Profile out;
  ASSERT_RPC_OK(Get("mx-1999", &out));
  EXPECT_EQ(Get("mx-2000", &out).error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("mx-2199", &out).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(ProfileServiceTest, ImportUpsertReplaces) {
  ASSERT_RPC_OK(Create(MakeProfile("mx-1")));
  auto context = Context();
  socio::v1::ImportProfilesSummary summary;
  auto stream = stub_->ImportProfiles(context.get(), &summary);
  socio::v1::ImportProfilesRequest request;
  request.set_upsert(true);
  *request.add_profiles() = MakeProfile("mx-1", "new-chamber");
  *request.add_profiles() = MakeProfile("mx-2");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->WritesDone());
  ASSERT_RPC_OK(stream->Finish());
  EXPECT_EQ(summary.created(), 1);
  EXPECT_EQ(summary.updated(), 1);
  Profile out;
  ASSERT_RPC_OK(Get("mx-1", &out));
  EXPECT_EQ(out.chamber_id(), "new-chamber");
  EXPECT_EQ(out.version(), 2);
}

// Reads `n` changes from a watch stream.
std::vector<ProfileChange> ReadChanges(grpc::ClientReader<ProfileChange>* reader, int n) {
  std::vector<ProfileChange> changes;
  ProfileChange change;
  while (static_cast<int>(changes.size()) < n && reader->Read(&change)) changes.push_back(change);
  return changes;
}

TEST_F(ProfileServiceTest, WatchSeesHistoryThenLiveChangesInOrder) {
  ASSERT_RPC_OK(Create(MakeProfile("mx-1")));
  auto context = Context();
  socio::v1::WatchProfilesRequest request;
  auto reader = stub_->WatchProfiles(context.get(), request);
  std::vector<ProfileChange> history = ReadChanges(reader.get(), 1);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].kind(), ProfileChange::CREATED);

  // Live: update and delete after the watcher is already waiting.
  socio::v1::UpdateProfileRequest update;
  *update.mutable_profile() = MakeProfile("mx-1");
  update.mutable_profile()->set_name("Salsas Nuevas");
  Profile updated;
  ASSERT_RPC_OK(stub_->UpdateProfile(Context().get(), update, &updated));
  socio::v1::DeleteProfileRequest del;
  del.set_id("mx-1");
  socio::v1::DeleteProfileResponse deleted;
  ASSERT_RPC_OK(stub_->DeleteProfile(Context().get(), del, &deleted));

  std::vector<ProfileChange> live = ReadChanges(reader.get(), 2);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].sequence(), 2u);
  EXPECT_EQ(live[0].kind(), ProfileChange::UPDATED);
  EXPECT_EQ(live[0].profile().name(), "Salsas Nuevas");
  EXPECT_EQ(live[1].sequence(), 3u);
  EXPECT_EQ(live[1].kind(), ProfileChange::DELETED);
  context->TryCancel();
}

TEST_F(ProfileServiceTest, SecondWatcherResumesFromASequenceAndMissesNothing) {
  for (int i = 0; i < 10; ++i) ASSERT_RPC_OK(Create(MakeProfile(absl::StrCat("mx-", i))));
  uint64_t last_seen = 0;
  {
    auto context = Context();
    auto reader = stub_->WatchProfiles(context.get(), {});
    std::vector<ProfileChange> first = ReadChanges(reader.get(), 4);
    ASSERT_EQ(first.size(), 4u);
    last_seen = first.back().sequence();
    context->TryCancel();
  }
  // Writes while nobody watches.
  for (int i = 10; i < 15; ++i) ASSERT_RPC_OK(Create(MakeProfile(absl::StrCat("mx-", i))));
  auto context = Context();
  socio::v1::WatchProfilesRequest request;
  request.set_after_sequence(last_seen);
  auto reader = stub_->WatchProfiles(context.get(), request);
  std::vector<ProfileChange> rest = ReadChanges(reader.get(), 11);
  ASSERT_EQ(rest.size(), 11u);
  for (size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i].sequence(), last_seen + 1 + i);
  EXPECT_EQ(rest.back().profile().id(), "mx-14");
  context->TryCancel();
}

TEST_F(ProfileServiceTest, WatchBeyondTheEndIsOutOfRange) {
  socio::v1::WatchProfilesRequest request;
  request.set_after_sequence(99);
  auto context = Context();
  auto reader = stub_->WatchProfiles(context.get(), request);
  ProfileChange change;
  EXPECT_FALSE(reader->Read(&change));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(status.error_message(), HasSubstr("after_sequence: 99"));
}

TEST_F(ProfileServiceTest, OversizedMessageIsRefusedAndTheServerKeepsServing) {
  Profile huge = MakeProfile("mx-huge");
  for (int i = 0; i < 3000; ++i) huge.add_keywords(std::string(500, 'k'));  // > 1 MiB limit
  EXPECT_EQ(Create(huge).error_code(), StatusCode::RESOURCE_EXHAUSTED);
  ASSERT_RPC_OK(Create(MakeProfile("mx-small")));
}

TEST_F(ProfileServiceTest, ExpiredDeadlineWritesNothing) {
  socio::v1::CreateProfileRequest request;
  *request.mutable_profile() = MakeProfile("mx-late");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  Profile out;
  EXPECT_EQ(stub_->CreateProfile(&context, request, &out).error_code(),
            StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(Get("mx-late", &out).error_code(), StatusCode::NOT_FOUND);
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(grpc::Channel* channel) {
  auto stub = grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, {}, &response);
  return status.ok() ? response.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
}

// Asks the reflection service to list the services, with a generic stub (the
// reflection protos are not shipped by Debian) and hand-encoded messages.
std::string ReflectionListServices(grpc::Channel* channel) {
  grpc::GenericStub stub(std::shared_ptr<grpc::Channel>(channel, [](grpc::Channel*) {}));
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag = nullptr;
  bool ok = false;
  const auto step = [&](int expected) {
    return cq.Next(&tag, &ok) && ok && tag == reinterpret_cast<void*>(expected);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(1)) return "";
  // ServerReflectionRequest{list_services: "*"}: field 7, length-delimited.
  const char request[] = {0x3a, 0x01, '*'};
  grpc::Slice slice(request, sizeof(request));
  call->Write(grpc::ByteBuffer(&slice, 1), reinterpret_cast<void*>(2));
  if (!step(2)) return "";
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  if (!step(3)) return "";
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  context.TryCancel();
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(4));
  while (cq.Next(&tag, &ok) && tag != reinterpret_cast<void*>(4)) {
  }
  return bytes;
}

TEST_F(ProfileServiceTest, ReflectionListsTheProfileService) {
  EXPECT_THAT(ReflectionListServices(server_->channel().get()),
              HasSubstr("socio.v1.ProfileService"));
}

TEST_F(ProfileServiceTest, ShutdownEndsWatchesDrainsAndClosesTheStore) {
  EXPECT_EQ(Health(server_->channel().get()), grpc::health::v1::HealthCheckResponse::SERVING);
  ASSERT_RPC_OK(Create(MakeProfile("mx-1")));
  auto context = Context();
  auto reader = stub_->WatchProfiles(context.get(), {});
  ASSERT_EQ(ReadChanges(reader.get(), 1).size(), 1u);

  server_->Stop(absl::Seconds(5));
  ProfileChange change;
  EXPECT_FALSE(reader->Read(&change));
  grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), StatusCode::UNAVAILABLE);
  EXPECT_THAT(ended.error_message(), HasSubstr("resume after sequence 1"));
  // The store was closed: a new server opens the same directory and has the data.
  ASSERT_THAT(server_->Restart(), IsOk());
  socio::v1::GetProfileRequest get;
  get.set_id("mx-1");
  Profile out;
  ASSERT_RPC_OK(server_->profiles().GetProfile(Context().get(), get, &out));
}

namespace retries {

grpc::Status CreateWithRequestId(socio::v1::ProfileService::Stub* stub, const Profile& profile,
                                 const std::string& request_id, absl::Duration timeout,
                                 Profile* out) {
  socio::v1::CreateProfileRequest request;
  *request.mutable_profile() = profile;
  request.set_request_id(request_id);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return stub->CreateProfile(&context, request, out);
}

// One import of `items` (ids) in one message, under `request_id`.
grpc::Status Import(socio::v1::ProfileService::Stub* stub, const std::vector<Profile>& items,
                    const std::string& request_id, socio::v1::ImportProfilesSummary* summary) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  auto stream = stub->ImportProfiles(&context, summary);
  socio::v1::ImportProfilesRequest request;
  request.set_upsert(true);
  request.set_request_id(request_id);
  for (const Profile& p : items) *request.add_profiles() = p;
  if (!stream->Write(request)) return stream->Finish();
  socio::v1::ImportProfilesRequest second;  // a later message leaves it empty
  *second.add_profiles() = MakeProfile("mx-last");
  if (!stream->Write(second)) return stream->Finish();
  stream->WritesDone();
  return stream->Finish();
}

}  // namespace retries

// The retry that AIP-155 exists for. A create whose caller gave up (a 1-4 ms deadline) may or may not have been
// stored; either way its retry with the same request_id gets one profile at
// version 1 and the answer the store holds, never ALREADY_EXISTS. Whether a
// write outlives its deadline depends on the machine's speed at that moment,
// so the test needs only that some first tries were stored (their retries
// are what would be ALREADY_EXISTS without request_id), not that one of them
// also lost its answer.
TEST_F(ProfileServiceTest, RetryAfterAnExpiredDeadlineGetsTheFirstAnswer) {
  int stored_first = 0;
  int stored_but_unanswered = 0;
  for (int i = 0; i < 60 && stored_but_unanswered < 3; ++i) {
    const Profile profile = MakeProfile(absl::StrCat("mx-retry-", i));
    const std::string request_id = absl::StrCat("5b0e6c1d-0000-4000-8000-", 100000000000 + i);
    Profile first;
    grpc::Status tried = retries::CreateWithRequestId(stub_, profile, request_id,
                                                      absl::Milliseconds(1 + i % 4), &first);
    Profile stored;
    const bool was_stored = Get(profile.id(), &stored).ok();
    if (was_stored) ++stored_first;
    if (tried.error_code() == StatusCode::DEADLINE_EXCEEDED && was_stored) ++stored_but_unanswered;

    Profile retried;
    ASSERT_RPC_OK(
        retries::CreateWithRequestId(stub_, profile, request_id, absl::Seconds(10), &retried));
    Profile now;
    ASSERT_RPC_OK(Get(profile.id(), &now));
    EXPECT_EQ(now.version(), 1);
    EXPECT_EQ(retried.SerializeAsString(), now.SerializeAsString());
    if (was_stored) {
      EXPECT_EQ(retried.SerializeAsString(), stored.SerializeAsString());
    }
  }
  EXPECT_GT(stored_first, 0);
  RecordProperty("stored_but_unanswered", stored_but_unanswered);
}

TEST_F(ProfileServiceTest, RequestIdIsCheckedAndNamesOneRequestOnly) {
  Profile out;
  grpc::Status malformed =
      retries::CreateWithRequestId(stub_, MakeProfile("mx-1"), "x y", absl::Seconds(10), &out);
  EXPECT_EQ(malformed.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(malformed.error_message(), HasSubstr("request_id: must be 8 to 64 characters"));
  EXPECT_EQ(Get("mx-1", &out).error_code(), StatusCode::NOT_FOUND);

  const std::string request_id = "0d9e3f52-8f8e-4b43-a0a5-2f8a8c6f1e01";
  ASSERT_RPC_OK(retries::CreateWithRequestId(stub_, MakeProfile("mx-1"), request_id,
                                             absl::Seconds(10), &out));
  grpc::Status reused =
      retries::CreateWithRequestId(stub_, MakeProfile("mx-2"), request_id, absl::Seconds(10), &out);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reused.error_message(),
              HasSubstr("request_id: '0d9e3f52-8f8e-4b43-a0a5-2f8a8c6f1e01' was used for a "
                        "different request"));
  EXPECT_EQ(Get("mx-2", &out).error_code(), StatusCode::NOT_FOUND);
  // Without a request_id a repeated create is a second create, as ever.
  EXPECT_EQ(Create(MakeProfile("mx-1")).error_code(), StatusCode::ALREADY_EXISTS);
}

TEST_F(ProfileServiceTest, ImportRetryGetsTheFirstSummaryAndWritesNothing) {
  const std::vector<Profile> items = {MakeProfile("mx-1"), MakeProfile("mx-2")};
  const std::string request_id = "import-7f3a91c2";
  socio::v1::ImportProfilesSummary first;
  ASSERT_RPC_OK(retries::Import(stub_, items, request_id, &first));
  EXPECT_EQ(first.created(), 3);

  // Upsert: carried out again, it would write every item a second time.
  socio::v1::ImportProfilesSummary again;
  ASSERT_RPC_OK(retries::Import(stub_, items, request_id, &again));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  Profile out;
  ASSERT_RPC_OK(Get("mx-1", &out));
  EXPECT_EQ(out.version(), 1);

  socio::v1::ImportProfilesSummary other;
  grpc::Status reused = retries::Import(stub_, {MakeProfile("mx-9")}, request_id, &other);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reused.error_message(), HasSubstr("request_id: 'import-7f3a91c2' was used for"));
  EXPECT_EQ(Get("mx-9", &out).error_code(), StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace socio::services
