// PartnershipService over gRPC: partnerships with shared goals between two
// companies or two chambers, and their reviews. Thin handlers over
// storage::PartnershipStore (the partnerships, reviews and the notifications
// they cause) and the profiles they name.
//
// Who may do what (partnership_service.proto says it to clients):
// - A caller acts for a side of a company partnership if it acts for the
//   company (CheckActsFor: its token, its chamber's staff, operators) or is
//   staff of the chamber recorded for that side; for a side of a chamber
//   partnership if it is that chamber's staff. Whoever acts for a side sees
//   the partnership, changes it and records reviews; to everyone else it
//   does not exist (NOT_FOUND as a missing one).
// - A company partnership is created by a caller that acts for one of the
//   two companies, with a partner that company may see: one it may read
//   (its own chamber's, or revealed to it), or one it may be proposed
//   (PartnerVisible). Another is NOT_FOUND as a missing profile.
// - A chamber partnership is created by the staff of either chamber.
// - An origin naming a meeting request needs a request between the two
//   companies; one naming a delegation needs a delegation with both
//   companies among its delegates and hosts (for chambers: a delegation of
//   one of them), and a meeting uid a meeting of its plan between the two.
//   Another is NOT_FOUND.
#ifndef SOCIO_SERVICES_PARTNERSHIP_SERVICE_H_
#define SOCIO_SERVICES_PARTNERSHIP_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "storage/delegation_store.h"
#include "storage/engagement_store.h"
#include "storage/partnership_store.h"
#include "storage/request_ids.h"

namespace socio::services {

// What the service works with; none is owned, all must outlive it.
struct PartnershipServiceParts {
  storage::PartnershipStore* partnerships = nullptr;
  storage::RequestIdStore* request_ids = nullptr;
  const ProfileLookup* profiles = nullptr;
  // For origins naming a meeting request; may be null (then they are
  // refused as missing).
  const storage::EngagementStore* engagement = nullptr;
  // For origins naming a delegation; may be null (then they are refused as
  // missing).
  const storage::DelegationStore* delegations = nullptr;
  const Authenticator* auth = nullptr;
  // Shows every answer to its caller (disclosure.h); may be null.
  const Disclosure* disclosure = nullptr;
  // Default: absl::Now. For PartnerVisible.
  std::function<absl::Time()> clock;
};

class PartnershipServiceImpl final : public socio::v1::PartnershipService::Service {
 public:
  explicit PartnershipServiceImpl(PartnershipServiceParts parts);

  grpc::Status CreatePartnership(grpc::ServerContext* context,
                                 const socio::v1::CreatePartnershipRequest* request,
                                 socio::v1::Partnership* response) override;
  grpc::Status GetPartnership(grpc::ServerContext* context,
                              const socio::v1::GetPartnershipRequest* request,
                              socio::v1::Partnership* response) override;
  grpc::Status ListPartnerships(grpc::ServerContext* context,
                                const socio::v1::ListPartnershipsRequest* request,
                                socio::v1::ListPartnershipsResponse* response) override;
  grpc::Status UpdatePartnership(grpc::ServerContext* context,
                                 const socio::v1::UpdatePartnershipRequest* request,
                                 socio::v1::Partnership* response) override;
  grpc::Status RecordReview(grpc::ServerContext* context,
                            const socio::v1::RecordReviewRequest* request,
                            socio::v1::PartnershipReview* response) override;
  grpc::Status ListReviews(grpc::ServerContext* context,
                           const socio::v1::ListReviewsRequest* request,
                           socio::v1::ListReviewsResponse* response) override;

  // The summary line of a PARTNERSHIP_* notification, in words the
  // recipient reads ("A review of your partnership with Huber GmbH is
  // due"). Names come from the stored profiles.
  std::string Summarize(const socio::v1::Notification& notification) const;

 private:
  absl::Time Now() const;
  // "member:<id>", "staff:<chamber>" or "operator".
  static std::string By(const Caller& caller);
  // Whether `caller` acts for the stored profile `id` (false if none).
  bool ActsFor(const Caller& caller, const std::string& id) const;
  // The sides of `partnership` the caller acts for (both false for
  // operators, who see everything).
  storage::PartnershipStore::Actor SidesOf(const Caller& caller,
                                           const socio::v1::Partnership& partnership) const;
  // The partnership `id` if the caller sees it (else NOT_FOUND as a missing
  // one, naming `field`), and the sides it acts for.
  struct Seen {
    socio::v1::Partnership partnership;
    storage::PartnershipStore::Actor actor;
  };
  absl::StatusOr<Seen> SeenPartnership(const Caller& caller, const std::string& id,
                                       absl::string_view field) const;
  // Fills the chambers of a new company partnership and says which sides
  // the caller acts for; errors as the header says.
  absl::StatusOr<storage::PartnershipStore::Actor> CheckNewCompanies(
      const Caller& caller, socio::v1::Partnership* partnership) const;
  absl::StatusOr<storage::PartnershipStore::Actor> CheckNewChambers(
      const Caller& caller, const socio::v1::Partnership& partnership) const;
  absl::Status CheckOriginRequest(const socio::v1::Partnership& partnership) const;
  absl::Status CheckOriginDelegation(const socio::v1::Partnership& partnership) const;

  const PartnershipServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_PARTNERSHIP_SERVICE_H_
