// ChamberService over gRPC: chambers' directory records and their partner
// chambers. Thin handlers over storage::ChamberStore, which keeps the
// records, the links and the notifications the links cause.
//
// Who may do what (chamber_service.proto says it to clients):
// - Any caller with a token reads records; contacts only staff and
//   operators (cleared for members).
// - Operators create and delete records; operators and the chamber's staff
//   update one; anyone else is PERMISSION_DENIED (records are public, so a
//   refusal reveals nothing).
// - A link is proposed, accepted or ended on behalf of a chamber
//   (request.chamber_id, the caller's own chamber when empty) by its staff
//   or operators, and listed for a chamber by its staff or operators. The
//   store makes sure only the chamber asked accepts.
//
// Answers name no profiles, so nothing passes through Disclosure.
//
// Thread safety: as a gRPC service, every method may run on any thread.
#ifndef SOCIO_SERVICES_CHAMBER_SERVICE_H_
#define SOCIO_SERVICES_CHAMBER_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/auth.h"
#include "socio/v1/chamber_service.grpc.pb.h"
#include "storage/chamber_store.h"
#include "storage/request_ids.h"

namespace socio::services {

// What the service works with; none is owned, all must outlive it.
struct ChamberServiceParts {
  storage::ChamberStore* chambers = nullptr;
  storage::RequestIdStore* request_ids = nullptr;
  const Authenticator* auth = nullptr;
};

class ChamberServiceImpl final : public socio::v1::ChamberService::Service {
 public:
  explicit ChamberServiceImpl(ChamberServiceParts parts) : parts_(parts) {}

  grpc::Status CreateChamber(grpc::ServerContext* context,
                             const socio::v1::CreateChamberRequest* request,
                             socio::v1::Chamber* response) override;
  grpc::Status GetChamber(grpc::ServerContext* context, const socio::v1::GetChamberRequest* request,
                          socio::v1::Chamber* response) override;
  grpc::Status ListChambers(grpc::ServerContext* context,
                            const socio::v1::ListChambersRequest* request,
                            socio::v1::ListChambersResponse* response) override;
  grpc::Status UpdateChamber(grpc::ServerContext* context,
                             const socio::v1::UpdateChamberRequest* request,
                             socio::v1::Chamber* response) override;
  grpc::Status DeleteChamber(grpc::ServerContext* context,
                             const socio::v1::DeleteChamberRequest* request,
                             socio::v1::DeleteChamberResponse* response) override;
  grpc::Status ProposePartnerChamber(grpc::ServerContext* context,
                                     const socio::v1::ProposePartnerChamberRequest* request,
                                     socio::v1::ChamberPartner* response) override;
  grpc::Status AcceptPartnerChamber(grpc::ServerContext* context,
                                    const socio::v1::AcceptPartnerChamberRequest* request,
                                    socio::v1::ChamberPartner* response) override;
  grpc::Status EndPartnerChamber(grpc::ServerContext* context,
                                 const socio::v1::EndPartnerChamberRequest* request,
                                 socio::v1::ChamberPartner* response) override;
  grpc::Status ListPartnerChambers(grpc::ServerContext* context,
                                   const socio::v1::ListPartnerChambersRequest* request,
                                   socio::v1::ListPartnerChambersResponse* response) override;

  // The summary line of a CHAMBER_PARTNER_* notification, in words its
  // recipient reads ("IHK München proposes that your chambers become
  // partner chambers").
  static std::string Summarize(const socio::v1::Notification& notification);

 private:
  // The chamber a partner call acts for: `chamber_id`, or the caller's own
  // for staff when empty; PERMISSION_DENIED unless the caller is its staff or
  // an operator; INVALID_ARGUMENT naming chamber_id when an operator names
  // none.
  static absl::StatusOr<std::string> ActingChamber(const Caller& caller,
                                                   const std::string& chamber_id);

  const ChamberServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_CHAMBER_SERVICE_H_
