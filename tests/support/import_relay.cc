#include "tests/support/import_relay.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::testing {

class ImportRelay::Service final : public socio::v1::ProfileService::Service {
 public:
  Service(const std::string& upstream, int message, Fault fault)
      : stub_(socio::v1::ProfileService::NewStub(
            grpc::CreateChannel(upstream, grpc::InsecureChannelCredentials()))),
        message_(message),
        fault_(fault) {}

  grpc::Status ImportProfiles(grpc::ServerContext* context,
                              grpc::ServerReader<socio::v1::ImportProfilesRequest>* reader,
                              socio::v1::ImportProfilesSummary* summary) override {
    grpc::ClientContext upstream;
    for (const auto& [key, value] : context->client_metadata()) {
      if (key == "authorization") {
        upstream.AddMetadata("authorization", std::string(value.data(), value.size()));
      }
    }
    auto stream = stub_->ImportProfiles(&upstream, summary);
    socio::v1::ImportProfilesRequest request;
    for (int n = 1; reader->Read(&request); ++n) {
      if (n == message_ && fault_ == Fault::kDrop) continue;
      if (n == message_ && request.profiles_size() > 0) {
        request.mutable_profiles(0)->set_name("M\xfcller");  // Latin-1
      }
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
    return stream->Finish();
  }

 private:
  const std::unique_ptr<socio::v1::ProfileService::Stub> stub_;
  const int message_;
  const Fault fault_;
};

ImportRelay::ImportRelay(std::string upstream, int message, Fault fault)
    : service_(std::make_unique<Service>(upstream, message, fault)) {}

ImportRelay::~ImportRelay() {
  if (server_) server_->Shutdown();
}

absl::Status ImportRelay::Start() {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) return absl::UnavailableError("the import relay did not start");
  return absl::OkStatus();
}

std::string ImportRelay::address() const { return absl::StrCat("127.0.0.1:", port_); }

}  // namespace socio::testing
