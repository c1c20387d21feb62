// NotificationService over gRPC: the resumable stream of a recipient's
// notifications, its choice of channels, and the deliveries given up on.
// Thin handlers over storage::NotificationStore.
//
// Recipients: a member's profile id, read and set by the member itself, its
// chamber's staff and operators; "staff:<chamber_id>", by that chamber's
// staff and operators. The staff stream carries what is addressed to the
// staff and to each of the chamber's members. A member the caller may not
// read is NOT_FOUND; one it may read but not act for, or another chamber's
// staff, PERMISSION_DENIED.
#ifndef SOCIO_SERVICES_NOTIFICATION_SERVICE_H_
#define SOCIO_SERVICES_NOTIFICATION_SERVICE_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/notification.grpc.pb.h"
#include "storage/notification_store.h"

namespace socio::services {

class NotificationServiceImpl final : public socio::v1::NotificationService::Service {
 public:
  // None is owned; all must outlive the service.
  // `disclosure` shows each notification to the watcher (disclosure.h).
  NotificationServiceImpl(storage::NotificationStore* notifications, const ProfileLookup* profiles,
                          const Authenticator* auth, const Disclosure* disclosure)
      : notifications_(notifications), profiles_(profiles), auth_(auth), disclosure_(disclosure) {}

  // Ends open streams (UNAVAILABLE, saying where to resume) so a server
  // shutdown need not wait for them.
  void BeginShutdown() { shutting_down_ = true; }

  grpc::Status WatchNotifications(grpc::ServerContext* context,
                                  const socio::v1::WatchNotificationsRequest* request,
                                  grpc::ServerWriter<socio::v1::Notification>* writer) override;
  grpc::Status GetNotificationSettings(grpc::ServerContext* context,
                                       const socio::v1::GetNotificationSettingsRequest* request,
                                       socio::v1::NotificationSettings* response) override;
  grpc::Status SetNotificationSettings(grpc::ServerContext* context,
                                       const socio::v1::SetNotificationSettingsRequest* request,
                                       socio::v1::NotificationSettings* response) override;
  grpc::Status ListParkedDeliveries(grpc::ServerContext* context,
                                    const socio::v1::ListParkedDeliveriesRequest* request,
                                    socio::v1::ListParkedDeliveriesResponse* response) override;

 private:
  // The recipient `requested` names (or the caller's own when empty) if the
  // caller may act for it; else NOT_FOUND or PERMISSION_DENIED naming `field`.
  absl::StatusOr<std::string> RecipientFor(const Caller& caller, const std::string& requested,
                                           absl::string_view field) const;

  storage::NotificationStore* const notifications_;
  const ProfileLookup* const profiles_;
  const Authenticator* const auth_;
  const Disclosure* const disclosure_;
  std::atomic<bool> shutting_down_ = false;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_NOTIFICATION_SERVICE_H_
