#include "services/notification_service.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/access.h"
#include "services/call_scope.h"

namespace socio::services {
namespace {

using socio::v1::Notification;

constexpr int kWatchChunk = 200;
constexpr absl::Duration kWatchPoll = absl::Milliseconds(200);

}  // namespace

absl::StatusOr<std::string> NotificationServiceImpl::RecipientFor(const Caller& caller,
                                                                  const std::string& requested,
                                                                  absl::string_view field) const {
  if (requested.empty()) {
    if (caller.role == socio::v1::MEMBER) return caller.profile_id;
    if (caller.role == socio::v1::STAFF) return storage::StaffRecipient(caller.chamber_id);
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is required for an operator (whose notifications?)"));
  }
  if (absl::StartsWith(requested, storage::kStaffRecipientPrefix)) {
    const std::string chamber = requested.substr(storage::kStaffRecipientPrefix.size());
    if (caller.is_admin() || caller.is_staff_of(chamber)) return requested;
    return absl::PermissionDeniedError(
        absl::StrCat(caller.Describe(), " may not act for the staff of chamber '", chamber, "'"));
  }
  absl::StatusOr<socio::v1::Profile> member = ReadProfile(*profiles_, caller, requested, field, disclosure_);
  if (!member.ok()) return member.status();
  if (absl::Status s = CheckActsFor(caller, *member, field); !s.ok()) return s;
  return requested;
}

grpc::Status NotificationServiceImpl::WatchNotifications(
    grpc::ServerContext* context, const socio::v1::WatchNotificationsRequest* request,
    grpc::ServerWriter<Notification>* writer) {
  return Serve(*auth_, context, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::string> recipient = RecipientFor(caller, request->recipient(), "recipient");
    if (!recipient.ok()) return recipient.status();
    // A staff stream also carries what its members are told; each member's
    // chamber is read once per stream.
    std::string chamber;
    if (absl::StartsWith(*recipient, storage::kStaffRecipientPrefix))
      chamber = recipient->substr(storage::kStaffRecipientPrefix.size());
    auto in_chamber = std::make_shared<absl::flat_hash_map<std::string, bool>>();
    auto keep = [&](const Notification& n) {
      if (n.recipient() == *recipient) return true;
      if (chamber.empty()) return false;
      auto [it, inserted] = in_chamber->try_emplace(n.recipient(), false);
      if (inserted) {
        absl::StatusOr<socio::v1::Profile> p = profiles_->GetProfile(n.recipient());
        it->second = p.ok() && p->chamber_id() == chamber;
      }
      return it->second;
    };
    uint64_t after = request->after_sequence();
    writer->SendInitialMetadata();
    while (true) {
      if (absl::Status s = WatchGoesOn(context, shutting_down_, after); !s.ok()) return s;
      // Read up to where the outbox ends now; what is skipped counts as seen.
      const uint64_t last = notifications_->last_sequence();
      absl::StatusOr<std::vector<Notification>> batch =
          notifications_->Read(after, kWatchChunk, keep);
      if (!batch.ok()) return batch.status();
      for (Notification& n : *batch) {
        // Shown as the watcher may see it at the time it is sent.
        Disclosure::Call(disclosure_, caller).Show(&n);
        if (!writer->Write(n)) return absl::CancelledError("watcher went away");
        after = n.sequence();
      }
      if (static_cast<int>(batch->size()) < kWatchChunk) {
        after = std::max(after, last);
        notifications_->WaitPast(after, absl::Now() + kWatchPoll);
      }
    }
  });
}

grpc::Status NotificationServiceImpl::GetNotificationSettings(
    grpc::ServerContext* context, const socio::v1::GetNotificationSettingsRequest* request,
    socio::v1::NotificationSettings* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 absl::StatusOr<std::string> recipient =
                     RecipientFor(caller, request->recipient(), "recipient");
                 if (!recipient.ok()) return recipient.status();
                 absl::StatusOr<socio::v1::NotificationSettings> settings =
                     notifications_->Settings(*recipient);
                 if (!settings.ok()) return settings.status();
                 settings->clear_webhook_secret();
                 *response = *std::move(settings);
                 return absl::OkStatus();
               });
}

grpc::Status NotificationServiceImpl::SetNotificationSettings(
    grpc::ServerContext* context, const socio::v1::SetNotificationSettingsRequest* request,
    socio::v1::NotificationSettings* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 if (!request->has_settings())
                   return absl::InvalidArgumentError("settings: is required");
                 absl::StatusOr<std::string> recipient =
                     RecipientFor(caller, request->settings().recipient(), "settings.recipient");
                 if (!recipient.ok()) return recipient.status();
                 socio::v1::NotificationSettings settings = request->settings();
                 settings.set_recipient(*recipient);
                 return Respond(notifications_->SetSettings(std::move(settings)), response);
               });
}

grpc::Status NotificationServiceImpl::ListParkedDeliveries(
    grpc::ServerContext* context, const socio::v1::ListParkedDeliveriesRequest* request,
    socio::v1::ListParkedDeliveriesResponse* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (absl::Status s = RequireAdmin(caller, "ListParkedDeliveries"); !s.ok()) return s;
        auto page = notifications_->ListParked(request->page_size(), request->page_token());
        if (!page.ok()) return page.status();
        for (socio::v1::ParkedDelivery& d : page->first) *response->add_deliveries() = std::move(d);
        response->set_next_page_token(page->second);
        return absl::OkStatus();
      });
}

}  // namespace socio::services
