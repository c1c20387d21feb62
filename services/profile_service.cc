#include "services/profile_service.h"

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/grpc_status.h"

namespace socio::services {
namespace {

using socio::v1::ProfileChange;

// Changes read from the log per round trip of a watch.
constexpr size_t kWatchChunk = 256;
// How long a watch sleeps between looks at cancellation and shutdown.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(200);

// A write whose caller has already given up is not started: the caller would
// be told it failed while it happened.
bool CallerGone(const grpc::ServerContext* context) {
  return context->IsCancelled() || std::chrono::system_clock::now() > context->deadline();
}

grpc::Status CallerGoneStatus() {
  return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                      "the call's deadline passed or it was cancelled before the write started");
}

grpc::Status Required(const char* field) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(field, ": is required"));
}

}  // namespace

grpc::Status ProfileServiceImpl::CreateProfile(grpc::ServerContext* context,
                                               const socio::v1::CreateProfileRequest* request,
                                               socio::v1::Profile* response) {
  if (!request->has_profile()) return Required("profile");
  if (CallerGone(context)) return CallerGoneStatus();
  absl::StatusOr<socio::v1::Profile> created = store_->Create(request->profile());
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::GetProfile(grpc::ServerContext* /*context*/,
                                            const socio::v1::GetProfileRequest* request,
                                            socio::v1::Profile* response) {
  absl::StatusOr<socio::v1::Profile> profile = store_->Get(request->id());
  if (!profile.ok()) return ToGrpcStatus(profile.status());
  *response = *std::move(profile);
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::UpdateProfile(grpc::ServerContext* context,
                                               const socio::v1::UpdateProfileRequest* request,
                                               socio::v1::Profile* response) {
  if (!request->has_profile()) return Required("profile");
  if (CallerGone(context)) return CallerGoneStatus();
  absl::StatusOr<socio::v1::Profile> updated =
      store_->Update(request->profile(), request->update_mask(), request->expected_version());
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  *response = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::DeleteProfile(grpc::ServerContext* context,
                                               const socio::v1::DeleteProfileRequest* request,
                                               socio::v1::DeleteProfileResponse* response) {
  if (CallerGone(context)) return CallerGoneStatus();
  absl::StatusOr<uint64_t> sequence = store_->Delete(request->id(), request->expected_version());
  if (!sequence.ok()) return ToGrpcStatus(sequence.status());
  response->set_sequence(*sequence);
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::ListProfiles(grpc::ServerContext* /*context*/,
                                              const socio::v1::ListProfilesRequest* request,
                                              socio::v1::ListProfilesResponse* response) {
  absl::StatusOr<storage::ProfilePage> page = store_->List({
      .chamber_id = request->chamber_id(),
      .country = request->country(),
      .sector_prefix = request->sector_prefix(),
      .page_size = request->page_size(),
      .page_token = request->page_token(),
  });
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (socio::v1::Profile& profile : page->profiles) {
    *response->add_profiles() = std::move(profile);
  }
  response->set_next_page_token(std::move(page->next_page_token));
  return grpc::Status::OK;
}

namespace {

// Writes an import's batches one after another on a thread of its own, so
// the stream's next batch is read and prepared (validated, serialized) while
// the previous one is written. Results go into the summary in stream order.
class PipelinedImport {
 public:
  PipelinedImport(storage::ProfileStore* store, socio::v1::ImportProfilesSummary* summary)
      : store_(store), summary_(summary) {}
  ~PipelinedImport() { Wait(); }

  // Starts writing `batch`, whose first item is number `first_index` of the
  // stream, once the batch before it is written.
  void Write(storage::PreparedProfiles batch, int64_t first_index) {
    Wait();
    writer_ = std::thread([this, batch = std::move(batch), first_index]() mutable {
      std::vector<absl::StatusOr<ProfileChange::Kind>> results = store_->PutPrepared(&batch);
      Record(batch.items(), results, first_index);
    });
  }

  // Blocks until every batch handed over is written.
  void Wait() {
    if (writer_.joinable()) writer_.join();
  }

 private:
  void Record(const std::vector<socio::v1::Profile>& batch,
              const std::vector<absl::StatusOr<ProfileChange::Kind>>& results,
              int64_t first_index) {
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        if (*results[i] == ProfileChange::CREATED) {
          summary_->set_created(summary_->created() + 1);
        } else {
          summary_->set_updated(summary_->updated() + 1);
        }
        continue;
      }
      summary_->set_rejected(summary_->rejected() + 1);
      if (summary_->errors_size() >= ProfileServiceImpl::kMaxListedImportErrors) {
        summary_->set_errors_omitted(summary_->errors_omitted() + 1);
        continue;
      }
      socio::v1::ImportError* error = summary_->add_errors();
      error->set_index(first_index + static_cast<int64_t>(i));
      error->set_id(batch[i].id());
      error->set_code(absl::StatusCodeToString(results[i].status().code()));
      error->set_message(std::string(results[i].status().message()));
    }
  }

  storage::ProfileStore* const store_;
  socio::v1::ImportProfilesSummary* const summary_;  // written only by writer_
  std::thread writer_;
};

}  // namespace

grpc::Status ProfileServiceImpl::ImportProfiles(
    grpc::ServerContext* context, grpc::ServerReader<socio::v1::ImportProfilesRequest>* reader,
    socio::v1::ImportProfilesSummary* response) {
  PipelinedImport import(store_, response);
  std::vector<socio::v1::Profile> pending;
  int64_t received = 0;
  bool upsert = false;
  const auto flush = [&] {
    if (pending.empty()) return;
    const int64_t first_index = received - static_cast<int64_t>(pending.size());
    import.Write(store_->Prepare(std::move(pending), upsert), first_index);
    pending = {};
    pending.reserve(kImportBatchSize);
  };

  socio::v1::ImportProfilesRequest request;
  while (reader->Read(&request)) {
    if (request.upsert() != upsert) {
      flush();
      upsert = request.upsert();
    }
    for (socio::v1::Profile& profile : *request.mutable_profiles()) {
      pending.push_back(std::move(profile));
      ++received;
      if (static_cast<int>(pending.size()) == kImportBatchSize) flush();
    }
    if (context->IsCancelled()) {
      import.Wait();
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "import cancelled; the batches committed before stay stored");
    }
  }
  flush();
  import.Wait();
  response->set_received(received);
  response->set_last_sequence(store_->LastSequence());
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::WatchProfiles(grpc::ServerContext* context,
                                               const socio::v1::WatchProfilesRequest* request,
                                               grpc::ServerWriter<ProfileChange>* writer) {
  uint64_t after = request->after_sequence();
  while (true) {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled by the client");
    }
    if (shutting_down_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          absl::StrCat("server is shutting down; resume after sequence ", after));
    }
    absl::StatusOr<std::vector<ProfileChange>> changes = store_->ReadChanges(after, kWatchChunk);
    if (!changes.ok()) return ToGrpcStatus(changes.status());
    for (const ProfileChange& change : *changes) {
      if (!writer->Write(change)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "watcher went away");
      }
      after = change.sequence();
    }
    if (changes->size() < kWatchChunk) store_->WaitForChangeAfter(after, kWatchPoll);
  }
}

}  // namespace socio::services
