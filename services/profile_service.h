// ProfileService over gRPC: authenticates the caller, validates each
// request's shape, applies the tenancy rules of access.h, calls the
// ProfileStore and converts the result. The rules themselves (what a valid
// profile is, versions, pages) live in storage/.
#ifndef SOCIO_SERVICES_PROFILE_SERVICE_H_
#define SOCIO_SERVICES_PROFILE_SERVICE_H_

#include <atomic>

#include "services/auth.h"
#include "services/disclosure.h"
#include "socio/v1/profile_service.grpc.pb.h"
#include "storage/profile_store.h"
#include "storage/request_ids.h"

namespace socio::services {

class ProfileServiceImpl final : public socio::v1::ProfileService::Service {
 public:
  // Items per atomic batch of an import (written by a
  // storage::ProfileBatchWriter while the next batch is read).
  static constexpr int kImportBatchSize = 1000;
  // Rejected items listed in an import summary; the rest are only counted.
  static constexpr int kMaxListedImportErrors = 10'000;
  // WatchProfiles' initial metadata key: the change log's last sequence
  // number (decimal) when the stream began.
  static constexpr char kLastSequenceMetadata[] = "socio-last-sequence";

  // None is owned; all must outlive the service. `request_ids` remembers the
  // answers to creates and imports that carry a request_id.
  // `disclosure` shows every answer to its caller (see disclosure.h); null:
  // as stored.
  ProfileServiceImpl(storage::ProfileStore* store, storage::RequestIdStore* request_ids,
                     const Authenticator* auth, const Disclosure* disclosure)
      : store_(store), request_ids_(request_ids), auth_(auth), disclosure_(disclosure) {}

  // Ends every open WatchProfiles stream with UNAVAILABLE (the watcher resumes
  // elsewhere from its last sequence number) so the server can drain.
  void BeginShutdown() { shutting_down_ = true; }

  grpc::Status CreateProfile(grpc::ServerContext* context,
                             const socio::v1::CreateProfileRequest* request,
                             socio::v1::Profile* response) override;
  grpc::Status GetProfile(grpc::ServerContext* context, const socio::v1::GetProfileRequest* request,
                          socio::v1::Profile* response) override;
  grpc::Status UpdateProfile(grpc::ServerContext* context,
                             const socio::v1::UpdateProfileRequest* request,
                             socio::v1::Profile* response) override;
  grpc::Status DeleteProfile(grpc::ServerContext* context,
                             const socio::v1::DeleteProfileRequest* request,
                             socio::v1::DeleteProfileResponse* response) override;
  grpc::Status ListProfiles(grpc::ServerContext* context,
                            const socio::v1::ListProfilesRequest* request,
                            socio::v1::ListProfilesResponse* response) override;
  grpc::Status ImportProfiles(grpc::ServerContext* context,
                              grpc::ServerReader<socio::v1::ImportProfilesRequest>* reader,
                              socio::v1::ImportProfilesSummary* response) override;
  grpc::Status WatchProfiles(grpc::ServerContext* context,
                             const socio::v1::WatchProfilesRequest* request,
                             grpc::ServerWriter<socio::v1::ProfileChange>* writer) override;

 private:
  storage::ProfileStore* const store_;
  storage::RequestIdStore* const request_ids_;
  const Authenticator* const auth_;
  const Disclosure* const disclosure_;
  std::atomic<bool> shutting_down_ = false;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_PROFILE_SERVICE_H_
