// ChamberClient: ChamberService of a sociod (chambers' directory records and
// their partner chambers), one method per rpc, each answering the response
// or the call's error (code and message as the server gave them). Over a
// Channel (clients/channel.h); see ProfileClient (clients/profile_client.h)
// for an example.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_CHAMBER_CLIENT_H_
#define SOCIO_CLIENTS_CHAMBER_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/chamber_service.grpc.pb.h"

namespace socio::clients {

class ChamberClient {
 public:
  explicit ChamberClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::Chamber> CreateChamber(const socio::v1::CreateChamberRequest& request,
                                                   const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Chamber> GetChamber(const socio::v1::GetChamberRequest& request,
                                                const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListChambersResponse> ListChambers(
      const socio::v1::ListChambersRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::Chamber> UpdateChamber(const socio::v1::UpdateChamberRequest& request,
                                                   const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::DeleteChamberResponse> DeleteChamber(
      const socio::v1::DeleteChamberRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ChamberPartner> ProposePartnerChamber(
      const socio::v1::ProposePartnerChamberRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ChamberPartner> AcceptPartnerChamber(
      const socio::v1::AcceptPartnerChamberRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ChamberPartner> EndPartnerChamber(
      const socio::v1::EndPartnerChamberRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListPartnerChambersResponse> ListPartnerChambers(
      const socio::v1::ListPartnerChambersRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::ChamberService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_CHAMBER_CLIENT_H_
