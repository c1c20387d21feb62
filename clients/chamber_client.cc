#include "clients/chamber_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::ChamberService;

ChamberClient::ChamberClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(ChamberService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::Chamber> ChamberClient::CreateChamber(
    const socio::v1::CreateChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::CreateChamber, request, call);
}

absl::StatusOr<socio::v1::Chamber> ChamberClient::GetChamber(
    const socio::v1::GetChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::GetChamber, request, call);
}

absl::StatusOr<socio::v1::ListChambersResponse> ChamberClient::ListChambers(
    const socio::v1::ListChambersRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::ListChambers, request, call);
}

absl::StatusOr<socio::v1::Chamber> ChamberClient::UpdateChamber(
    const socio::v1::UpdateChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::UpdateChamber, request, call);
}

absl::StatusOr<socio::v1::DeleteChamberResponse> ChamberClient::DeleteChamber(
    const socio::v1::DeleteChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::DeleteChamber, request, call);
}

absl::StatusOr<socio::v1::ChamberPartner> ChamberClient::ProposePartnerChamber(
    const socio::v1::ProposePartnerChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::ProposePartnerChamber, request, call);
}

absl::StatusOr<socio::v1::ChamberPartner> ChamberClient::AcceptPartnerChamber(
    const socio::v1::AcceptPartnerChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::AcceptPartnerChamber, request, call);
}

absl::StatusOr<socio::v1::ChamberPartner> ChamberClient::EndPartnerChamber(
    const socio::v1::EndPartnerChamberRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::EndPartnerChamber, request, call);
}

absl::StatusOr<socio::v1::ListPartnerChambersResponse> ChamberClient::ListPartnerChambers(
    const socio::v1::ListPartnerChambersRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &ChamberService::Stub::ListPartnerChambers, request, call);
}

}  // namespace socio::clients
